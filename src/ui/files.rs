//! Files the user asked for (manifest export, command-barcode sheet, close-out report, EPCIS
//! files and images to open): the file dialogs and the writes run on a named thread, never in the
//! frame loop, and every outcome comes back to the screen ([`FileJobs::logic`]).
//!
//! A bench PC often has no file-dialog service (no desktop portal, no zenity: a kiosk session,
//! a bare X server). The dialog then comes back at once without having been shown; packbench
//! tells that apart from a user's "Cancel" by the time it took ([`NO_DIALOG_WITHIN`]: nobody
//! cancels a dialog that fast) and falls back: a save goes into the documents folder (or the
//! folder set in [`FileJobs::fallback_dir`]) and the screen says where; an open asks for the
//! path in a field of its own (the camera screen's "Image file" field).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// A dialog that comes back empty this fast was never shown: there is no file-dialog service.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(700);

/// What happened to a file the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Written where the user chose.
    Saved(PathBuf),
    /// No file dialog could be shown: written into the fallback folder instead.
    SavedWithoutDialog(PathBuf),
    /// The user cancelled the save dialog: nothing was written.
    Cancelled,
    /// Writing failed: nothing (or a partial temporary file, removed) was written.
    NotSaved {
        /// The file.
        path: PathBuf,
        /// The system's message.
        error: String,
    },
}

impl FileOutcome {
    /// The notice for the user (`None`: nothing to say, e.g. a cancelled dialog).
    pub fn notice(&self, i18n: &super::i18n::I18n) -> Option<String> {
        let path = |p: &Path| p.display().to_string();
        Some(match self {
            Self::Saved(p) => i18n.tr_args("file-saved", &[("path", path(p).into())]),
            Self::SavedWithoutDialog(p) => {
                i18n.tr_args("file-saved-no-dialog", &[("path", path(p).into())])
            }
            Self::Cancelled => return None,
            Self::NotSaved { path: p, error } => i18n.tr_args(
                "file-not-saved",
                &[("path", path(p).into()), ("detail", error.clone().into())],
            ),
        })
    }
}

/// The answer of an open dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickOutcome {
    /// The files chosen.
    Chosen(Vec<PathBuf>),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown (no file-dialog service): ask for the path on screen.
    NoDialog,
}

/// Runs the system's open dialog (on the calling thread: call it from a worker thread).
pub fn pick_files(filter_name: &str, extensions: &[&str]) -> PickOutcome {
    let started = Instant::now();
    match rfd::FileDialog::new()
        .add_filter(filter_name, extensions)
        .pick_files()
    {
        Some(paths) if !paths.is_empty() => PickOutcome::Chosen(paths),
        _ if started.elapsed() < NO_DIALOG_WITHIN => PickOutcome::NoDialog,
        _ => PickOutcome::Cancelled,
    }
}

/// The folder a file goes into when no save dialog can be shown: the user's documents folder,
/// else the home folder, else the temporary folder.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.document_dir()
                .map(Path::to_path_buf)
                .or_else(|| Some(u.home_dir().to_path_buf()))
        })
        .unwrap_or_else(std::env::temp_dir)
}

/// A free name for `name` in `dir`: `name`, else `stem-2.ext`, `stem-3.ext`, … (a fallback
/// save never overwrites an earlier one).
pub fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s, format!(".{e}")),
        None => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Writes `bytes` to `path` through a temporary file beside it (a failed write leaves no
/// half-written file under the final name).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The file saves in flight and their outcomes, owned by the app.
#[derive(Debug)]
pub struct FileJobs {
    tx: Sender<FileOutcome>,
    rx: Receiver<FileOutcome>,
    pending: usize,
    ctx: Option<egui::Context>,
    /// Where a file goes when no save dialog can be shown (`None`: [`documents_dir`]).
    pub fallback_dir: Option<PathBuf>,
    /// The last outcome (also shown as the notice).
    pub last: Option<FileOutcome>,
}

impl Default for FileJobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            pending: 0,
            ctx: None,
            fallback_dir: None,
            last: None,
        }
    }
}

impl FileJobs {
    /// Saves the manifest of a container (JSON, as the station wrote it).
    pub fn save_manifest(&mut self, json: String) {
        self.save("manifest.json", json.into_bytes());
    }

    /// Saves the command-barcode sheet (PDF).
    pub fn save_sheet(&mut self, pdf: Vec<u8>) {
        self.save("packbench-command-barcodes.pdf", pdf);
    }

    /// Saves the close-out report of a work order (PDF).
    pub fn save_closeout_report(&mut self, work_order: &str, pdf: Vec<u8>) {
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
        self.save(&format!("closeout-{safe}.pdf"), pdf);
    }

    /// Saves a report (recall or trace PDF, returns or recall CSV) under the default `name`.
    pub fn save_report(&mut self, name: impl AsRef<str>, bytes: Vec<u8>) {
        self.save(name.as_ref(), bytes);
    }

    /// Asks where to save `bytes` (default `name`) and writes them, on a named thread; without
    /// a file-dialog service the file goes into the fallback folder.
    pub fn save(&mut self, name: &str, bytes: Vec<u8>) {
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        let name = name.to_owned();
        let fallback = self.fallback_dir.clone();
        let spawned = std::thread::Builder::new()
            .name("save-file".to_owned())
            .spawn(move || {
                let outcome = save_now(&name, &bytes, fallback);
                let _ = tx.send(outcome);
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
        if spawned.is_ok() {
            self.pending += 1;
        }
    }

    /// Whether a save is still on its way.
    pub fn is_busy(&self) -> bool {
        self.pending > 0
    }

    /// Drains the outcomes (once per frame): the notice to show for the newest, if any.
    pub fn logic(&mut self, ctx: &egui::Context, i18n: &super::i18n::I18n) -> Option<String> {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        let mut notice = None;
        while let Ok(outcome) = self.rx.try_recv() {
            self.pending = self.pending.saturating_sub(1);
            notice = outcome.notice(i18n).or(notice);
            self.last = Some(outcome);
        }
        if self.pending > 0 {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        notice
    }
}

fn save_now(name: &str, bytes: &[u8], fallback: Option<PathBuf>) -> FileOutcome {
    let started = Instant::now();
    let (path, without_dialog) = match rfd::FileDialog::new().set_file_name(name).save_file() {
        Some(path) => (path, false),
        None if started.elapsed() < NO_DIALOG_WITHIN => {
            let dir = fallback.unwrap_or_else(documents_dir);
            (free_path(&dir, name), true)
        }
        None => return FileOutcome::Cancelled,
    };
    match write_atomically(&path, bytes) {
        Ok(()) if without_dialog => FileOutcome::SavedWithoutDialog(path),
        Ok(()) => FileOutcome::Saved(path),
        Err(e) => FileOutcome::NotSaved {
            path,
            error: e.to_string(),
        },
    }
}

/// Asks for EPCIS files (XML or JSON-LD) with the system's open dialog on a named thread; the
/// chosen paths arrive on the returned channel (nothing when the dialog is cancelled).
pub fn pick_epcis_files(ctx: &egui::Context) -> Receiver<Vec<String>> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    let _ = std::thread::Builder::new()
        .name("open-epcis".to_owned())
        .spawn(move || {
            if let PickOutcome::Chosen(paths) =
                pick_files("EPCIS (XML, JSON-LD)", &["xml", "json", "jsonld"])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fallback_save_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let a = free_path(dir.path(), "sheet.pdf");
        assert_eq!(a, dir.path().join("sheet.pdf"));
        write_atomically(&a, b"one").unwrap();
        let b = free_path(dir.path(), "sheet.pdf");
        assert_eq!(b, dir.path().join("sheet-2.pdf"));
        write_atomically(&b, b"two").unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(free_path(dir.path(), "x"), dir.path().join("x"));
        // A folder that cannot be made: an error, and no temporary file left behind.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        assert!(write_atomically(&blocked.join("f.pdf"), b"x").is_err());
    }
}
