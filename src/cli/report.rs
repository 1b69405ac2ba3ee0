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
    /// The recall of a lot: every unit the station knows, by top container, with status and
    /// the containers to pull (PDF and/or CSV).
    Recall {
        /// GTIN (with --lot).
        #[arg(long)]
        gtin: Option<String>,
        /// Lot (with --gtin).
        #[arg(long)]
        lot: Option<String>,
        /// Or: a pack of the lot.
        #[arg(long)]
        scan: Option<String>,
        /// The PDF file to write.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// The CSV file to write (one line per unit).
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// The trace of a unit: up to its top container, down to every pack, each move (PDF).
    Trace {
        /// The unit's scan.
        #[arg(long)]
        scan: String,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

fn refused(refusal: &crate::domain::Refusal) -> u8 {
    println!(
        "{}",
        serde_json::json!({"ok": false, "code": refusal.code, "detail": refusal.detail})
    );
    super::EXIT_REJECTED
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs `packbench report`; returns the exit status.
pub fn run(data_dir: &Path, args: &ReportArgs) -> Result<u8, String> {
    let station = Station::open(data_dir).map_err(|e| e.to_string())?;
    let now = super::now_ms();
    let (work_order, out) = match &args.kind {
        ReportKind::Closeout { work_order, out } => (work_order, out),
        ReportKind::Recall {
            gtin,
            lot,
            scan,
            pdf,
            csv,
        } => {
            if pdf.is_none() && csv.is_none() {
                return Err("give --pdf FILE and/or --csv FILE".to_owned());
            }
            let r = match station.recall_of(gtin.as_deref(), lot.as_deref(), scan.as_deref(), now) {
                Ok(r) => r,
                Err(refusal) => return Ok(refused(&refusal)),
            };
            if let Some(p) = pdf {
                write(p, &crate::report::recall::render_recall(&r, now))?;
            }
            if let Some(p) = csv {
                write(p, crate::station::recall_csv(&r).as_bytes())?;
            }
            println!(
                "{}",
                serde_json::json!({"ok": true, "gtin": r.gtin, "lot": r.lot, "counts": r.counts,
                    "containers_to_pull": r.containers_to_pull, "pdf": pdf, "csv": csv})
            );
            return Ok(super::EXIT_OK);
        }
        ReportKind::Trace { scan, out } => {
            let t = match station.trace_of(scan, now) {
                Ok(t) => t,
                Err(refusal) => return Ok(refused(&refusal)),
            };
            write(out, &crate::report::recall::render_trace(&t, now))?;
            println!(
                "{}",
                serde_json::json!({"ok": true, "scanned": t.scanned, "units": t.root.count(), "file": out})
            );
            return Ok(super::EXIT_OK);
        }
    };
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
