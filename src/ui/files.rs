//! Files the user asked for (manifest export, command-barcode sheet, close-out report, EPCIS
//! files to take in):
//! the file dialogs and the writes run on a named thread, never in the frame loop.

/// Asks where to save the manifest (JSON) and writes it.
pub fn save_manifest(data: &serde_json::Value) {
    let Ok(text) = serde_json::to_string_pretty(data) else {
        return;
    };
    save_bytes("manifest.json", text.into_bytes());
}

/// Asks where to save the command-barcode sheet (PDF) and writes it.
pub fn save_sheet(pdf: Vec<u8>) {
    save_bytes("packbench-command-barcodes.pdf", pdf);
}

/// Asks where to save the close-out report of a work order (PDF) and writes it.
pub fn save_closeout_report(work_order: &str, pdf: Vec<u8>) {
    let safe: String = work_order
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    save_bytes(format!("closeout-{safe}.pdf"), pdf);
}

/// Asks where to save a report (recall or trace PDF, CSV) and writes it.
pub fn save_report(default_name: impl Into<String>, bytes: Vec<u8>) {
    save_bytes(default_name, bytes);
}

fn save_bytes(default_name: impl Into<String>, bytes: Vec<u8>) {
    let default_name = default_name.into();
    let _ = std::thread::Builder::new()
        .name("save-file".to_owned())
        .spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_file_name(default_name)
                .save_file()
            else {
                return;
            };
            if let Err(e) = std::fs::write(&path, bytes) {
                eprintln!("packbench: cannot write {}: {e}", path.display());
            }
        });
}

/// Asks for EPCIS files (XML or JSON-LD) with the system's open dialog on a named thread; the
/// chosen paths arrive on the returned channel (nothing when the dialog is cancelled).
pub fn pick_epcis_files(ctx: &egui::Context) -> std::sync::mpsc::Receiver<Vec<String>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    let _ = std::thread::Builder::new()
        .name("open-epcis".to_owned())
        .spawn(move || {
            if let Some(paths) = rfd::FileDialog::new()
                .add_filter("EPCIS (XML, JSON-LD)", &["xml", "json", "jsonld"])
                .pick_files()
            {
                let _ = tx.send(
                    paths
                        .into_iter()
                        .map(|p| p.to_string_lossy().into_owned())
                        .collect(),
                );
                ctx.request_repaint();
            }
        });
    rx
}
