//! `packbench report closeout --work-order WO-1 --out FILE.pdf`: the close-out report of a work
//! order for the batch record (`report::closeout`), read from the station's database. One JSON
//! line on stdout says what was written; an unknown order is refused with its reason code.

use crate::station::Station;
use std::path::{Path, PathBuf};

/// `packbench report ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Which report.
    #[command(subcommand)]
    pub kind: ReportKind,
}

/// The reports.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ReportKind {
    /// The close-out report of a work order (PDF): the reconciliation as signed (a draft while
    /// the order is open), containers, short cases with their signer, the leftovers
    /// decommissioned, the signature.
    Closeout {
        /// The work order.
        #[arg(long)]
        work_order: String,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs `packbench report`; returns the exit status.
pub fn run(data_dir: &Path, args: &ReportArgs) -> Result<u8, String> {
    let ReportKind::Closeout { work_order, out } = &args.kind;
    let station = Station::open(data_dir).map_err(|e| e.to_string())?;
    let closeout = match station.closeout(work_order) {
        Ok(c) => c,
        Err(refusal) => {
            println!(
                "{}",
                serde_json::json!({"ok": false, "code": refusal.code, "detail": refusal.detail})
            );
            return Ok(super::EXIT_REJECTED);
        }
    };
    let pdf = crate::report::closeout::render(&closeout, super::now_ms());
    std::fs::write(out, &pdf).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}",
        serde_json::json!({
            "ok": true,
            "work_order": closeout.work_order,
            "status": closeout.status,
            "file": out,
            "bytes": pdf.len(),
        })
    );
    Ok(super::EXIT_OK)
}
