//! The workstation's own settings file (`settings.json` in the platform config directory, see
//! [`crate::cli::config_dir`]): station name, sounds, language, auto-logout, scanner timing,
//! scanners and camera.
//! Loaded at start, saved atomically (temporary file + rename) on every change. A file that
//! cannot be read is moved aside to `settings.json.bad` and the defaults are used, with a
//! message for the user — never a crash.
//!
//! Station settings the station itself uses (read point SGLN, printer, label template) live in
//! the station database and go through [`crate::station::Request::SetSetting`]; the repository
//! connection lives in the data directory through [`crate::sync::RepositoryConfig`] (secret in
//! a separate 0600 file).
//!
//! ```
//! use packbench::ui::settings::AppSettings;
//! let s: AppSettings = serde_json::from_str(r#"{"muted": true}"#).unwrap();
//! assert!(s.muted);
//! assert_eq!(s.auto_logout_min, 15);
//! ```

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// File name of the settings in the config directory.
pub const SETTINGS_FILE: &str = "settings.json";

/// The settings kept by the workstation (unknown keys in the file are ignored, missing ones
/// take their defaults, so an older or newer file still loads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// A name for this bench, shown in the status bar (e.g. `Line 3 – bench 2`).
    pub station_name: String,
    /// No sounds.
    pub muted: bool,
    /// The language (`en-US`, `vi`, `de`, `fr`, `es`, `zh-CN`).
    pub locale: String,
    /// Auto-logout after this many minutes without input (0 = never).
    pub auto_logout_min: u32,
    /// Keyboard wedge: longest pause between two keys of one scan.
    pub wedge_max_gap_ms: u64,
    /// Scanners and the camera: wedge profile from calibration, serial ports, camera choice.
    pub devices: super::devices_settings::DeviceSettings,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            station_name: String::new(),
            muted: false,
            locale: "en-US".to_owned(),
            auto_logout_min: 15,
            wedge_max_gap_ms: super::wedge::WedgeProfile::default().max_gap_ms,
            devices: super::devices_settings::DeviceSettings::default(),
        }
    }
}

/// Why the settings file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// Reading or writing failed.
    #[error("{path}: {detail}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The file is not valid settings; it was moved to `aside`.
    #[error("{path}: not valid settings ({detail}); kept as {aside}, defaults in use")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        detail: String,
        /// Where the bad file now is.
        aside: PathBuf,
    },
}

/// The settings file of one workstation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    /// The settings file in a config directory.
    pub fn in_dir(config_dir: &Path) -> Self {
        Self {
            path: config_dir.join(SETTINGS_FILE),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads the settings: defaults when there is no file; a corrupt file is moved aside (to
    /// `settings.json.bad`) and reported with the defaults.
    pub fn load(&self) -> (AppSettings, Option<SettingsError>) {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (AppSettings::default(), None);
            }
            Err(e) => {
                let err = SettingsError::Io {
                    path: self.path.clone(),
                    detail: e.to_string(),
                };
                return (AppSettings::default(), Some(err));
            }
        };
        match serde_json::from_str(&text) {
            Ok(s) => (s, None),
            Err(e) => {
                let mut aside = self.path.clone().into_os_string();
                aside.push(".bad");
                let aside = PathBuf::from(aside);
                let err = match std::fs::rename(&self.path, &aside) {
                    Ok(()) => SettingsError::Corrupt {
                        path: self.path.clone(),
                        detail: e.to_string(),
                        aside,
                    },
                    Err(io) => SettingsError::Io {
                        path: self.path.clone(),
                        detail: format!("not valid settings ({e}) and cannot be moved: {io}"),
                    },
                };
                (AppSettings::default(), Some(err))
            }
        }
    }

    /// Saves atomically: a temporary file beside it, flushed to disk, then renamed over it.
    pub fn save(&self, settings: &AppSettings) -> Result<(), SettingsError> {
        use std::io::Write;
        let io = |e: std::io::Error| SettingsError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(settings).map_err(|e| SettingsError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        })?;
        let tmp = self.path.with_extension("json.tmp");
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

/// The settings file with its writer: a named thread that saves the latest settings sent to it
/// (a burst of changes, e.g. a slider being dragged, becomes one write), so the frame loop never
/// touches the disk. Errors come back to the UI.
#[derive(Debug)]
pub struct SettingsStore {
    file: SettingsFile,
    saves: Sender<AppSettings>,
    errors: Receiver<SettingsError>,
}

impl SettingsStore {
    /// Starts the writer for a settings file.
    pub fn start(file: SettingsFile) -> std::io::Result<Self> {
        let (saves, rx) = channel::<AppSettings>();
        let (err_tx, errors) = channel();
        let target = file.clone();
        std::thread::Builder::new()
            .name("settings-writer".to_owned())
            .spawn(move || {
                while let Ok(mut latest) = rx.recv() {
                    // Only the newest of the settings queued meanwhile is written.
                    while let Ok(newer) = rx.try_recv() {
                        latest = newer;
                    }
                    if let Err(e) = target.save(&latest)
                        && err_tx.send(e).is_err()
                    {
                        return;
                    }
                }
            })?;
        Ok(Self {
            file,
            saves,
            errors,
        })
    }

    /// The file.
    pub fn file(&self) -> &SettingsFile {
        &self.file
    }

    /// Queues a save (never blocks).
    pub fn save(&self, settings: &AppSettings) {
        let _ = self.saves.send(settings.clone());
    }

    /// A save that failed, if one did since the last call (never blocks).
    pub fn failed(&self) -> Option<SettingsError> {
        self.errors.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(&dir.path().join("packbench"));
        assert_eq!(file.load(), (AppSettings::default(), None));
        let s = AppSettings {
            station_name: "Line 3".into(),
            muted: true,
            locale: "vi".into(),
            auto_logout_min: 5,
            wedge_max_gap_ms: 80,
            devices: crate::ui::devices_settings::DeviceSettings {
                decode_interval_ms: 500,
                serial_open: false,
                ..Default::default()
            },
        };
        file.save(&s).unwrap();
        assert_eq!(file.load(), (s, None));
        let names: Vec<_> = std::fs::read_dir(file.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(SETTINGS_FILE)]);
    }

    #[test]
    fn the_writer_thread_saves_the_latest_settings_and_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::start(SettingsFile::in_dir(dir.path())).unwrap();
        let mut s = AppSettings::default();
        for minutes in 1..=5 {
            s.auto_logout_min = minutes;
            store.save(&s);
        }
        let started = std::time::Instant::now();
        while store.file().load().0 != s {
            assert!(started.elapsed().as_secs() < 10, "not saved");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(store.failed(), None);
        // A config "directory" that is a file: the failure comes back to the UI.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        let bad = SettingsStore::start(SettingsFile::in_dir(&blocked)).unwrap();
        bad.save(&s);
        let started = std::time::Instant::now();
        let err = loop {
            if let Some(e) = bad.failed() {
                break e;
            }
            assert!(started.elapsed().as_secs() < 10, "no failure reported");
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert!(matches!(err, SettingsError::Io { .. }), "{err:?}");
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_and_defaults_are_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        std::fs::write(file.path(), "{\"muted\": tru").unwrap();
        let (s, err) = file.load();
        assert_eq!(s, AppSettings::default());
        let Some(SettingsError::Corrupt { aside, .. }) = err else {
            panic!("{err:?}");
        };
        assert_eq!(aside, dir.path().join("settings.json.bad"));
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "{\"muted\": tru");
        assert!(!file.path().exists());
        // The next save writes a good file again; the bad copy stays for support.
        file.save(&s).unwrap();
        assert_eq!(file.load(), (s, None));
        assert!(aside.exists());
    }
}
