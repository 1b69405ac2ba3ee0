//! The log file: one line per event (`2026-11-25T23:15:02.123Z INFO message`) appended to
//! `packbench.log` in the log directory, rotated by size: when it passes [`MAX_BYTES`] it
//! becomes `packbench.log.1` (the older ones shift to `.2` … `.KEEP`, the oldest is dropped).
//!
//! Logging never stops the bench: a log that cannot be written is skipped, the reason goes to
//! stderr once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The log file name inside the log directory.
pub const FILE_NAME: &str = "packbench.log";
/// Size at which the log is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// Rotated files kept besides the current one.
pub const KEEP: usize = 4;

static WARNED: AtomicBool = AtomicBool::new(false);

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Normal operation (start, stop).
    Info,
    /// Something failed.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Info => "INFO",
            Self::Error => "ERROR",
        }
    }
}

/// Appends to the log in one directory.
#[derive(Debug, Clone)]
pub struct LogFile {
    dir: PathBuf,
    max_bytes: u64,
}

impl LogFile {
    /// A log in `dir` (created on the first write) rotated at [`MAX_BYTES`].
    pub fn new(dir: &Path) -> Self {
        Self::with_limit(dir, MAX_BYTES)
    }

    /// A log rotated at `max_bytes` (tests use a small limit).
    pub fn with_limit(dir: &Path, max_bytes: u64) -> Self {
        Self {
            dir: dir.to_path_buf(),
            max_bytes,
        }
    }

    /// The current log file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// Appends one line, rotating first when the file is full; failures go to stderr once.
    pub fn write(&self, level: Level, message: &str) {
        if let Err(e) = self.try_write(level, message)
            && !WARNED.swap(true, Ordering::Relaxed)
        {
            eprintln!(
                "packbench: cannot write the log in {}: {e}",
                self.dir.display()
            );
        }
    }

    /// Appends one line, rotating first when the file is full.
    pub fn try_write(&self, level: Level, message: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        crate::store::restrict_dir(&self.dir)?;
        let path = self.path();
        if std::fs::metadata(&path).is_ok_and(|m| m.len() >= self.max_bytes) {
            self.rotate()?;
        }
        let stamp = timestamp();
        // One line per record: a message spanning lines is folded.
        let message = message.replace(['\r', '\n'], " ");
        // The owner's alone (0600 on Unix): messages may name users and units.
        crate::store::create_private_file(&path)?;
        let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
        file.write_all(format!("{stamp} {} {message}\n", level.as_str()).as_bytes())
    }

    fn rotate(&self) -> std::io::Result<()> {
        let numbered = |n: usize| self.dir.join(format!("{FILE_NAME}.{n}"));
        let _ = std::fs::remove_file(numbered(KEEP));
        for n in (1..KEEP).rev() {
            let from = numbered(n);
            if from.exists() {
                std::fs::rename(&from, numbered(n + 1))?;
            }
        }
        std::fs::rename(self.path(), numbered(1))
    }
}

fn timestamp() -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_else(|_| "-".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lines_are_appended_with_time_and_level() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::new(&dir.path().join("logs"));
        log.try_write(Level::Info, "start").unwrap();
        log.try_write(Level::Error, "two\nlines").unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with(" INFO start"), "{}", lines[0]);
        assert!(lines[1].ends_with(" ERROR two lines"), "{}", lines[1]);
        assert!(lines[0].as_bytes()[4] == b'-' && lines[0].contains('T'));
    }

    #[test]
    fn full_log_rotates_and_keeps_a_bounded_number() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::with_limit(dir.path(), 100);
        for i in 0..60 {
            log.try_write(Level::Info, &format!("line {i:03} padding padding"))
                .unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut expected = vec![FILE_NAME.to_owned()];
        expected.extend((1..=KEEP).map(|n| format!("{FILE_NAME}.{n}")));
        assert_eq!(names, expected);
        // The newest line is in the current file, older ones in .1, and nothing is over ~limit.
        let current = std::fs::read_to_string(log.path()).unwrap();
        assert!(current.contains("line 059"));
        let first = std::fs::read_to_string(dir.path().join(format!("{FILE_NAME}.1"))).unwrap();
        assert!(first.contains("line 05"), "{first}");
        assert!(!first.contains("line 059"));
        for n in &names {
            let len = std::fs::metadata(dir.path().join(n)).unwrap().len();
            assert!(len < 200, "{n}: {len} bytes");
        }
    }
}
