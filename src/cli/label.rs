//! `packbench label`: renders one GS1 logistic label from the command line — ZPL, PDF or PNG to
//! a file, or ZPL straight to a printer — for reprints outside the station, template checks and
//! tests. It touches no database: an audited reprint of a container's label goes through the
//! station (`reprint_label`). A printer resolution that makes the GS1-128 bars narrower than the
//! GS1 minimum X-dimension, and a batch or expiry that no barcode valid on its own can carry
//! (printed as text only, `labels::symbols`), are reported as warnings (stderr and the JSON
//! summary: `warnings`, `text_only`).

use crate::labels::printer::{PrintPolicy, PrinterTarget};
use crate::labels::{Content, LabelData, Template, layout, pdf, raster, zpl};
use std::io::Write;
use std::path::PathBuf;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LabelFormat {
    /// ZPL II for Zebra-compatible printers.
    Zpl,
    /// PDF for office printers.
    Pdf,
    /// PNG image (preview).
    Png,
}

/// `packbench label ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct LabelArgs {
    /// The SSCC: 18 digits, or a scan of it (`(00)...`, raw GS1-128 data).
    #[arg(long)]
    pub sscc: String,
    /// Label size: `4x6`, `a6` or `100x150`.
    #[arg(long, default_value = "4x6")]
    pub template: String,
    /// Output format (a printer always gets ZPL).
    #[arg(long, value_enum, default_value = "zpl")]
    pub format: LabelFormat,
    /// Printer resolution in dots per inch.
    #[arg(long, default_value_t = 203)]
    pub dpi: u32,
    /// Write the label to this file (`-` for stdout).
    #[arg(long, conflicts_with = "printer")]
    pub out: Option<PathBuf>,
    /// Send the ZPL to a printer: `tcp://HOST:9100`, `tcp:HOST:PORT` or `file:PATH` (a device).
    #[arg(long)]
    pub printer: Option<String>,
    /// Container level printed in the header.
    #[arg(long, default_value = "case")]
    pub level: String,
    /// Content GTIN, AI (02), for a homogeneous container.
    #[arg(long)]
    pub gtin: Option<String>,
    /// With `--gtin`: number of trade items, AI (37).
    #[arg(long, requires = "gtin")]
    pub count: Option<u32>,
    /// With `--gtin`: batch/lot, AI (10).
    #[arg(long, requires = "gtin")]
    pub lot: Option<String>,
    /// With `--gtin`: expiry `YYMMDD`, AI (17).
    #[arg(long, requires = "gtin")]
    pub expiry: Option<String>,
    /// Product name (header).
    #[arg(long)]
    pub product_name: Option<String>,
    /// Work order printed on the label.
    #[arg(long)]
    pub work_order: Option<String>,
    /// Station printed on the label.
    #[arg(long)]
    pub station: Option<String>,
    /// Date printed (`YYYY-MM-DD`; default today, UTC).
    #[arg(long)]
    pub date: Option<String>,
    /// A note printed in the text block (e.g. `SHORT 7/20`, `REMAINDER`).
    #[arg(long)]
    pub note: Option<String>,
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn rejected(message: &str) -> u8 {
    eprintln!("packbench: {message}");
    super::EXIT_REJECTED
}

fn label_data(args: &LabelArgs) -> Result<LabelData, String> {
    let sscc_text = args.sscc.trim();
    let sscc = if sscc_text.len() == 18 && sscc_text.bytes().all(|b| b.is_ascii_digit()) {
        sscc_text
            .parse()
            .map_err(|e| format!("SSCC {sscc_text}: {e}"))?
    } else {
        crate::gs1::parse(sscc_text, &crate::gs1::ParseOptions::default())
            .map_err(|e| format!("SSCC {sscc_text}: {e}"))?
            .sscc()
            .ok_or_else(|| format!("{sscc_text} holds no SSCC (AI 00)"))?
    };
    let content = match &args.gtin {
        None => None,
        Some(gtin) => Some(Content {
            gtin: gtin.parse().map_err(|e| format!("GTIN {gtin}: {e}"))?,
            count: args.count.unwrap_or(0),
            lot: args
                .lot
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| format!("batch/lot: {e}"))?,
            expiry: args
                .expiry
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| format!("expiry: {e}"))?,
        }),
    };
    Ok(LabelData {
        sscc,
        level: args.level.clone(),
        content,
        product_name: args.product_name.clone(),
        work_order: args.work_order.clone(),
        station: args.station.clone(),
        date: args.date.clone().unwrap_or_else(today),
        note: args.note.clone(),
    })
}

/// `tcp://host:port` or the station's `tcp:host:port` / `file:PATH`.
fn printer_target(spec: &str) -> Option<PrinterTarget> {
    match spec.strip_prefix("tcp://") {
        Some(addr) => PrinterTarget::parse(&format!("tcp:{}", addr.trim_end_matches('/'))),
        None => PrinterTarget::parse(spec),
    }
}

/// Runs `packbench label`; returns the exit status.
pub fn run(args: &LabelArgs, stdout: &mut dyn Write) -> Result<u8, String> {
    let Some(template) = Template::parse(&args.template) else {
        return Ok(rejected(&format!(
            "unknown template '{}' (4x6, a6, 100x150)",
            args.template
        )));
    };
    let data = match label_data(args) {
        Ok(d) => d,
        Err(message) => return Ok(rejected(&message)),
    };
    let laid = match layout(&data, template, args.dpi) {
        Ok(l) => l,
        Err(e) => return Ok(rejected(&e.to_string())),
    };
    let warnings = laid.narrow_bars();
    for w in &warnings {
        eprintln!("packbench: warning: {w}");
    }
    for t in &laid.text_only {
        eprintln!("packbench: warning: {t}");
    }
    let symbols: Vec<String> = laid
        .symbols()
        .iter()
        .map(|s| s.element_string().to_owned())
        .collect();
    let mut summary = serde_json::json!({
        "sscc": data.sscc.as_str(),
        "template": template.as_str(),
        "dpi": args.dpi,
        "symbols": symbols,
        "warnings": warnings,
        "text_only": laid.text_only,
    });
    if let Some(spec) = &args.printer {
        let target = printer_target(spec).ok_or_else(|| {
            format!("printer '{spec}': use tcp://HOST:PORT, tcp:HOST:PORT or file:PATH")
        })?;
        let job = zpl::render(&laid);
        let attempts =
            crate::labels::printer::send(&target, job.as_bytes(), &PrintPolicy::default())
                .map_err(|e| format!("printer {spec}: {e}"))?;
        summary["printer"] = spec.as_str().into();
        summary["attempts"] = attempts.into();
    } else {
        let bytes = match args.format {
            LabelFormat::Zpl => zpl::render(&laid).into_bytes(),
            LabelFormat::Pdf => pdf::render(&laid),
            LabelFormat::Png => raster::render_png(&laid).map_err(|e| e.to_string())?,
        };
        match args.out.as_deref() {
            Some(path) if path.as_os_str() != "-" => {
                std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
                summary["out"] = path.display().to_string().into();
            }
            _ => {
                // The label itself goes to stdout; the summary to stderr.
                stdout.write_all(&bytes).map_err(|e| e.to_string())?;
                eprintln!("{summary}");
                return Ok(super::EXIT_OK);
            }
        }
    }
    writeln!(stdout, "{summary}").map_err(|e| e.to_string())?;
    Ok(super::EXIT_OK)
}
