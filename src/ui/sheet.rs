//! The printable command-barcode sheet: one Code 128 barcode per station command (close
//! container, new case, new pallet, remove mode, move mode, look-up and receive modes, undo,
//! confirm, cancel, print and reprint label, replace, relabel, unpack, decommission, verify
//! contents, put aside, camera pack-all / verify-layer /
//! hands-free on-off), so a
//! packer never needs the mouse. Written as a one-page A4 PDF by hand (bars are filled
//! rectangles, captions use the PDF's built-in Helvetica), which needs no font or PDF crate.
//!
//! Each barcode holds `PBCMD:<NAME>`; a scan of it is handled by the app, not the station.

use rxing::oned::{Code128Writer, OneDimensionalCodeWriter};

/// The commands on the sheet: (barcode suffix, Fluent id of the caption).
pub const COMMANDS: &[(&str, &str)] = &[
    ("CLOSE", "cmd-close"),
    ("NEWCASE", "cmd-new-case"),
    ("NEWPALLET", "cmd-new-pallet"),
    ("PACK", "cmd-pack-mode"),
    ("REMOVE", "cmd-remove-mode"),
    ("MOVE", "cmd-move-mode"),
    ("LOOKUP", "cmd-lookup-mode"),
    ("UNDO", "cmd-undo"),
    ("CONFIRM", "cmd-confirm"),
    ("CANCEL", "cmd-cancel"),
    ("PRINT", "cmd-print-label"),
    ("REPRINT", "cmd-reprint-label"),
    ("REPLACE", "cmd-replace"),
    ("RELABEL", "cmd-relabel"),
    ("UNPACK", "cmd-unpack"),
    ("RETIRE", "cmd-retire"),
];

/// Commands on the sheet whose button is elsewhere on the station screen: the contents check
/// sits with the live tree it marks.
pub const TREE_COMMANDS: &[(&str, &str)] = &[("VERIFY", "cmd-verify")];

/// Putting the container being filled aside: on the sheet, and beside what is being filled.
pub const FILL_COMMANDS: &[(&str, &str)] = &[("SUSPEND", "cmd-suspend")];

/// Taking hierarchies in from the repository: on the sheet, and on the Look-up screen.
pub const LOOKUP_COMMANDS: &[(&str, &str)] = &[("RECEIVE", "cmd-receive-mode")];

/// The returns desk: on the sheet (and the returns screen is its button).
pub const RETURNS_COMMANDS: &[(&str, &str)] = &[("RETURNS", "cmd-returns-mode")];

/// Camera commands: on the sheet (a packer at the camera needs no mouse), not among the station
/// screen's buttons (the camera panel has its own).
pub const CAMERA_COMMANDS: &[(&str, &str)] = &[
    ("PACKALL", "camera-pack-all"),
    ("VERIFYLAYER", "camera-verify"),
    ("HANDSFREE", "camera-hands-free-toggle"),
];

/// Every command printed on the sheet, in sheet order.
pub fn sheet_commands() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    COMMANDS
        .iter()
        .chain(TREE_COMMANDS)
        .chain(FILL_COMMANDS)
        .chain(LOOKUP_COMMANDS)
        .chain(RETURNS_COMMANDS)
        .chain(CAMERA_COMMANDS)
}

/// The modules (true = bar) of a Code 128 barcode, quiet zones included.
pub fn code128_modules(text: &str) -> Option<Vec<bool>> {
    Code128Writer.encode_oned(text).ok()
}

/// Text safe for a Helvetica string literal: non-Latin-1 characters fall back to `fallback`.
fn pdf_text(caption: &str, fallback: &str) -> String {
    let text = if caption.chars().all(|c| (c as u32) < 0x100) {
        caption
    } else {
        fallback
    };
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x80 => out.push(c),
            c => out.push_str(&format!("\\{:03o}", c as u32)),
        }
    }
    out
}

/// The sheet as a PDF; `captions` are (translated, English) pairs in [`sheet_commands`] order.
pub fn pdf(title: &str, captions: &[(String, String)]) -> Vec<u8> {
    let mut content = String::new();
    content.push_str(&format!(
        "BT /F1 20 Tf 50 800 Td ({}) Tj ET\n",
        pdf_text(title, "packbench command barcodes")
    ));
    let module = 1.2_f64;
    for (i, (name, _)) in sheet_commands().enumerate() {
        let col = i % 2;
        let row = i / 2;
        #[allow(clippy::cast_precision_loss)] // small indices
        let (x0, y0) = (50.0 + col as f64 * 260.0, 740.0 - row as f64 * 76.0);
        let code = format!("{}{name}", super::app::COMMAND_PREFIX);
        if let Some(modules) = code128_modules(&code) {
            content.push_str("0 g\n");
            for (m, bar) in modules.iter().enumerate() {
                if *bar {
                    #[allow(clippy::cast_precision_loss)]
                    let x = x0 + m as f64 * module;
                    content.push_str(&format!("{x:.2} {y0:.2} {module:.2} 44 re f\n"));
                }
            }
        }
        let (caption, english) = captions
            .get(i)
            .cloned()
            .unwrap_or_else(|| (name.to_string(), name.to_string()));
        content.push_str(&format!(
            "BT /F1 14 Tf {:.2} {:.2} Td ({}) Tj ET\n",
            x0,
            y0 - 16.0,
            pdf_text(&caption, &english)
        ));
        content.push_str(&format!(
            "BT /F1 9 Tf {:.2} {:.2} Td ({}) Tj ET\n",
            x0,
            y0 - 27.0,
            pdf_text(&code, &code)
        ));
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_encodes_and_decodes_back() {
        for (name, _) in sheet_commands() {
            let text = format!("PBCMD:{name}");
            let modules = code128_modules(&text).unwrap();
            // Render 3 pixels per module, 60 rows high, and read it back with rxing.
            let width = u32::try_from(modules.len() * 3 + 60).unwrap();
            let img = image::GrayImage::from_fn(width, 60, |x, _| {
                let m = (x as usize)
                    .checked_sub(30)
                    .and_then(|i| modules.get(i / 3));
                image::Luma([if m == Some(&true) { 0 } else { 255 }])
            });
            let luma = img.into_raw();
            // (`detect_in_luma` swaps width and height in rxing 0.8; the hinted call does not.)
            let result = rxing::helpers::detect_in_luma_with_hints(
                luma,
                width,
                60,
                Some(rxing::BarcodeFormat::CODE_128),
                &mut rxing::DecodeHints::default(),
            )
            .unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(result.getText(), text);
        }
    }

    #[test]
    fn pdf_is_well_formed_and_escapes_text() {
        let captions: Vec<(String, String)> = sheet_commands()
            .map(|(_, id)| (format!("Schließen ({id})"), (*id).to_owned()))
            .collect();
        let pdf = pdf("关闭", &captions);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(
            text.contains("packbench command barcodes"),
            "CJK title falls back"
        );
        assert!(text.contains("Schlie\\337en \\(cmd-close\\)"));
        assert!(
            text.contains("(PBCMD:VERIFYLAYER)"),
            "camera commands on the sheet"
        );
        let startxref: usize = text
            .split("startxref\n")
            .nth(1)
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert_eq!(&pdf[startxref..startxref + 4], b"xref");
    }
}
