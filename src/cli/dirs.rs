//! Where packbench keeps its database, configuration and logs.
//!
//! | | Linux (XDG) | Windows | `--data-dir DIR` / `PACKBENCH_DATA_DIR` |
//! |---|---|---|---|
//! | data (database, `sync.json`) | `$XDG_DATA_HOME/packbench` (`~/.local/share/packbench`) | `%LOCALAPPDATA%\packbench\data` | `DIR` |
//! | configuration | `$XDG_CONFIG_HOME/packbench` (`~/.config/packbench`) | `%APPDATA%\packbench\config` | `DIR` |
//! | logs | `$XDG_STATE_HOME/packbench/logs` (`~/.local/state/packbench/logs`) | `%LOCALAPPDATA%\packbench\logs` | `DIR/logs` |
//!
//! On Windows the database lives under `%LOCALAPPDATA%`, not the roaming `%APPDATA%`: an SQLite
//! file in WAL mode must never be copied by roaming-profile sync at log-off, and it is the bench's
//! state, not a user preference. `%PROGRAMDATA%` would need an installer-made ACL so packers
//! can write; a site that wants one database for every Windows account of a bench sets
//! `PACKBENCH_DATA_DIR` machine-wide (e.g. `C:\ProgramData\packbench`, writable by the packers'
//! group). Builds before 0.1 kept the database in `%APPDATA%\packbench\data`; a database found
//! there (and none in the new place) keeps being used, so an upgrade never loses it.
//!
//! With an explicit data directory everything lives under it, so a test or a second station
//! on the same account is self-contained.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable naming the data directory (`--data-dir` wins over it).
pub const DATA_DIR_ENV: &str = "PACKBENCH_DATA_DIR";

/// Why the directories could not be worked out.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirsError {
    /// Neither `--data-dir`, `PACKBENCH_DATA_DIR` nor a home directory.
    #[error("no home directory to put the data in: pass --data-dir DIR or set {DATA_DIR_ENV}")]
    NoHome,
    /// `PACKBENCH_DATA_DIR` is set but empty.
    #[error("{DATA_DIR_ENV} is set but empty")]
    EmptyEnv,
}

/// The directories of one packbench installation for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// The database (`packbench.sqlite`) and the bench's sync configuration.
    pub data: PathBuf,
    /// Per-user configuration.
    pub config: PathBuf,
    /// Log files (`packbench.log`, rotated by size).
    pub logs: PathBuf,
}

impl Dirs {
    /// Everything under one explicit directory (`--data-dir`, `PACKBENCH_DATA_DIR`).
    pub fn under(dir: &Path) -> Self {
        Self {
            data: dir.to_path_buf(),
            config: dir.to_path_buf(),
            logs: dir.join("logs"),
        }
    }

    /// The platform's standard places for the current user (see the module docs).
    pub fn standard() -> Result<Self, DirsError> {
        let p = directories::ProjectDirs::from("", "", "packbench").ok_or(DirsError::NoHome)?;
        // `data_local_dir` is `data_dir` on Linux and macOS, `%LOCALAPPDATA%` on Windows.
        let data = p.data_local_dir().to_path_buf();
        let legacy = p.data_dir().to_path_buf();
        let data = choose_data_dir(data, &legacy);
        let logs = match p.state_dir() {
            Some(state) => state.join("logs"),
            // Windows: beside `data` (`%LOCALAPPDATA%\packbench\logs`); macOS: inside it.
            None if cfg!(windows) => p
                .data_local_dir()
                .parent()
                .map_or_else(|| data.join("logs"), |parent| parent.join("logs")),
            None => p.data_local_dir().join("logs"),
        };
        Ok(Self {
            data,
            config: p.config_dir().to_path_buf(),
            logs,
        })
    }

    /// `--data-dir` if given, else `PACKBENCH_DATA_DIR`, else [`Dirs::standard`].
    pub fn resolve(data_dir_arg: Option<&Path>) -> Result<Self, DirsError> {
        resolve_with(data_dir_arg, std::env::var_os(DATA_DIR_ENV))
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data.join(crate::store::DB_FILE_NAME)
    }
}

/// The resolution order, with the environment passed in (testable without touching it).
pub fn resolve_with(arg: Option<&Path>, env: Option<OsString>) -> Result<Dirs, DirsError> {
    if let Some(dir) = arg {
        return Ok(Dirs::under(dir));
    }
    if let Some(dir) = env {
        if dir.is_empty() {
            return Err(DirsError::EmptyEnv);
        }
        return Ok(Dirs::under(Path::new(&dir)));
    }
    Dirs::standard()
}

/// The new standard data directory, unless only the legacy one holds a database.
pub fn choose_data_dir(standard: PathBuf, legacy: &Path) -> PathBuf {
    let db = crate::store::DB_FILE_NAME;
    if standard != legacy && !standard.join(db).exists() && legacy.join(db).exists() {
        legacy.to_path_buf()
    } else {
        standard
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn argument_wins_over_environment() {
        let d = resolve_with(Some(Path::new("/a")), Some("/b".into())).unwrap();
        assert_eq!(d, Dirs::under(Path::new("/a")));
        assert_eq!(d.logs, Path::new("/a/logs"));
        assert_eq!(d.database(), Path::new("/a/packbench.sqlite"));
    }

    #[test]
    fn environment_is_used_and_must_not_be_empty() {
        let d = resolve_with(None, Some("/b".into())).unwrap();
        assert_eq!(d.data, Path::new("/b"));
        assert_eq!(
            resolve_with(None, Some("".into())),
            Err(DirsError::EmptyEnv)
        );
    }

    #[test]
    fn legacy_database_is_kept_until_the_new_place_has_one() {
        let root = tempfile::tempdir().unwrap();
        let new = root.path().join("local");
        let old = root.path().join("roaming");
        std::fs::create_dir_all(&old).unwrap();
        assert_eq!(
            choose_data_dir(new.clone(), &old),
            new,
            "no database anywhere"
        );
        std::fs::write(old.join(crate::store::DB_FILE_NAME), b"x").unwrap();
        assert_eq!(choose_data_dir(new.clone(), &old), old, "only the old one");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join(crate::store::DB_FILE_NAME), b"x").unwrap();
        assert_eq!(choose_data_dir(new.clone(), &old), new, "both: the new one");
    }
}
