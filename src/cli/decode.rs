//! `packbench decode [--json] [--any-symbology] IMAGE...`: every barcode in image files (by
//! default only GS1 data in the pharma symbologies).
//!
//! Exit status: 0 when every image gave at least one code, 1 when some image gave none,
//! 2 when a file could not be read as an image.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{EXIT_OK, EXIT_REJECTED, EXIT_USAGE};
use crate::devices::decode::{DecodeOptions, DecodeReport, DecodedCode, decode_file};
use crate::gs1;

/// Arguments of `packbench decode`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// Print one JSON document (an array with one object per image) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read every symbology and keep data that is not GS1 (default: only the pharma
    /// symbologies, and only reads that pass GS1 validation).
    #[arg(long)]
    pub any_symbology: bool,
    /// Image files (PNG or JPEG).
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<PathBuf>,
}

/// The bracketed (HRI) form of a code's data, when the GS1 parser reads it as GS1: element
/// strings of GS1 symbols, and GS1 Digital Link URIs in plain QR / Data Matrix.
fn hri_of(code: &DecodedCode) -> Option<String> {
    let message = gs1::parse(&code.scanner_text(), &gs1::ParseOptions::default()).ok()?;
    let hri = message.hri();
    (!hri.is_empty()).then_some(hri)
}

/// One code as printed.
#[derive(Debug, Serialize)]
struct CodeOut<'a> {
    /// Raw text, GS as `\u001d`.
    raw: &'a str,
    /// Bracketed HRI when the GS1 parser reads the data as GS1 (element string or Digital
    /// Link).
    hri: Option<String>,
    symbology: &'static str,
    aim_id: &'a str,
    is_gs1: bool,
    corners: &'a [(f32, f32)],
}

/// One image as printed.
#[derive(Debug, Serialize)]
struct ImageOut<'a> {
    path: String,
    width: Option<u32>,
    height: Option<u32>,
    decode_ms: Option<f64>,
    codes: Vec<CodeOut<'a>>,
    error: Option<String>,
}

fn code_out(code: &DecodedCode) -> CodeOut<'_> {
    CodeOut {
        raw: &code.text,
        hri: hri_of(code),
        symbology: code.symbology_name(),
        aim_id: &code.aim_id,
        is_gs1: code.is_gs1,
        corners: &code.corners,
    }
}

/// Runs the command, writing to `out`; returns the exit status.
pub fn run(args: &DecodeArgs, out: &mut dyn Write) -> u8 {
    let options = if args.any_symbology {
        DecodeOptions::any_symbology()
    } else {
        DecodeOptions::default()
    };
    let results: Vec<(PathBuf, Result<DecodeReport, String>)> = args
        .images
        .iter()
        .map(|path| {
            (
                path.clone(),
                decode_file(path, &options).map_err(|err| err.to_string()),
            )
        })
        .collect();
    let mut status = EXIT_OK;
    for (_, result) in &results {
        match result {
            Err(_) => status = EXIT_USAGE,
            Ok(report) if report.codes.is_empty() && status == EXIT_OK => status = EXIT_REJECTED,
            Ok(_) => {}
        }
    }
    let written = if args.json {
        write_json(&results, out)
    } else {
        write_text(&results, out)
    };
    if written.is_err() {
        return EXIT_USAGE;
    }
    status
}

fn write_json(
    results: &[(PathBuf, Result<DecodeReport, String>)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let images: Vec<ImageOut<'_>> = results
        .iter()
        .map(|(path, result)| match result {
            Ok(report) => ImageOut {
                path: path.display().to_string(),
                width: Some(report.width),
                height: Some(report.height),
                decode_ms: Some((report.decode_ms * 10.0).round() / 10.0),
                codes: report.codes.iter().map(code_out).collect(),
                error: None,
            },
            Err(err) => ImageOut {
                path: path.display().to_string(),
                width: None,
                height: None,
                decode_ms: None,
                codes: Vec::new(),
                error: Some(err.clone()),
            },
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &images).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn write_text(
    results: &[(PathBuf, Result<DecodeReport, String>)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for (path, result) in results {
        match result {
            Err(err) => writeln!(out, "{}: error: {err}", path.display())?,
            Ok(report) => {
                writeln!(
                    out,
                    "{}: {} code(s), {}x{}, {:.1} ms",
                    path.display(),
                    report.codes.len(),
                    report.width,
                    report.height,
                    report.decode_ms
                )?;
                for code in &report.codes {
                    let shown = code.text.replace('\u{1d}', "<GS>");
                    writeln!(out, "  {} {} {}", code.aim_id, code.symbology_name(), shown)?;
                    if let Some(hri) = hri_of(code) {
                        writeln!(out, "    hri: {hri}")?;
                    }
                    let corners: Vec<String> = code
                        .corners
                        .iter()
                        .map(|(x, y)| format!("({x:.0},{y:.0})"))
                        .collect();
                    writeln!(out, "    corners: {}", corners.join(" "))?;
                }
            }
        }
    }
    Ok(())
}
