//! PDF output for office printers: a minimal one-page PDF 1.4 written by hand, the barcode bars
//! as vector rectangles (exact at any printer resolution) and the text in the standard
//! Helvetica font (no embedding; characters outside Latin-1 print as `?`).

use super::layout::{Item, Layout};
use std::fmt::Write as _;

/// Points per dot at the layout's resolution.
fn pt(dots: u32, dpi: u32) -> f64 {
    f64::from(dots) * 72.0 / f64::from(dpi)
}

fn pdf_string(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            // Latin-1 as octal escapes (WinAnsiEncoding agrees on these).
            '\u{a0}'..='\u{ff}' => {
                let _ = write!(out, "\\{:03o}", u32::from(c));
            }
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// The page content stream.
fn content(layout: &Layout) -> String {
    let dpi = layout.dpi;
    let page_h = pt(layout.height, dpi);
    let mut s = String::from("0 g\n");
    for item in &layout.items {
        match item {
            Item::Text { x, y, height, text } => {
                let size = pt(*height, dpi);
                // Helvetica's ascent is about 0.72 em below the top of the text box.
                let baseline = page_h - pt(*y, dpi) - size * 0.8;
                let _ = writeln!(
                    s,
                    "BT /F1 {size:.2} Tf {:.2} {baseline:.2} Td {} Tj ET",
                    pt(*x, dpi),
                    pdf_string(text)
                );
            }
            Item::Rule {
                x,
                y,
                width,
                height,
            } => {
                let _ = writeln!(
                    s,
                    "{:.3} {:.3} {:.3} {:.3} re f",
                    pt(*x, dpi),
                    page_h - pt(y + height, dpi),
                    pt(*width, dpi),
                    pt(*height, dpi)
                );
            }
            Item::Barcode {
                x,
                y,
                module,
                height,
                symbol,
            } => {
                let modules = symbol.modules();
                let mut i = 0;
                while i < modules.len() {
                    if !modules[i] {
                        i += 1;
                        continue;
                    }
                    let run = modules[i..].iter().take_while(|b| **b).count();
                    let start = u32::try_from(i).unwrap_or(0);
                    let run_u = u32::try_from(run).unwrap_or(0);
                    let _ = writeln!(
                        s,
                        "{:.3} {:.3} {:.3} {:.3} re",
                        pt(x + start * module, dpi),
                        page_h - pt(y + height, dpi),
                        pt(run_u * module, dpi),
                        pt(*height, dpi)
                    );
                    i += run;
                }
                s.push_str("f\n");
            }
        }
    }
    s
}

/// The PDF file for one label.
pub fn render(layout: &Layout) -> Vec<u8> {
    let w = pt(layout.width, layout.dpi);
    let h = pt(layout.height, layout.dpi);
    let stream = content(layout);
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(out, "{o:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(pdf_string("a(b)\\"), "(a\\(b\\)\\\\)");
        assert_eq!(pdf_string("é€"), "(\\351?)");
    }
}
