//! Opening (and creating) the database file safely.

use super::conn::{Conn, Tx};
use super::schema::{APPLICATION_ID, MIGRATIONS, current_version};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The database file name inside a data directory.
pub const DB_FILE_NAME: &str = "packbench.sqlite";

/// Files smaller than this get a full `quick_check` at open; larger ones are checked page by
/// page as they are read (SQLite reports corruption on access).
const QUICK_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why the database could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not an SQLite database at all, or its header is damaged.
    #[error("{path}: not a database file or damaged beyond reading; it was left untouched")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// An SQLite database of another application.
    #[error(
        "{path}: an SQLite database of another application (application_id {found:#x}); it was left untouched"
    )]
    Foreign {
        /// The file.
        path: PathBuf,
        /// The application id found.
        found: i32,
    },
    /// Written by a newer packbench.
    #[error(
        "{path}: written by a newer packbench (schema {found}, this build knows up to {supported}); it was left untouched"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i32,
        /// The newest this build knows.
        supported: i32,
    },
    /// The integrity check failed.
    #[error("{path}: the database is corrupt ({detail}); it was left untouched")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The first problem SQLite reported.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(SqliteError),
    /// Stored data that does not parse (e.g. an unknown status string).
    #[error("database holds an invalid value in {what}: {value}")]
    BadValue {
        /// Which column.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// The audit trail cannot be extended: its key is missing or not the database's, or it
    /// does not end where its recorded head says. Nothing was recorded.
    #[error("the audit trail cannot be extended: {0}; run `packbench audit verify`")]
    AuditUnusable(String),
    /// File system trouble (creating the data directory).
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// An SQLite failure, as SQLite reported it. Opaque on purpose: code outside the store never
/// depends on the SQLite binding.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SqliteError(rusqlite::Error);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(SqliteError(e))
    }
}

/// The open local database: the one owner of the SQLite file. Everything else reads and writes
/// it through the typed queries of [`crate::store`].
#[derive(Debug)]
pub struct Store {
    conn: Conn,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the database in a data directory.
    pub fn open_dir(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        super::private::restrict_dir(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Self::open(&dir.join(DB_FILE_NAME))
    }

    /// Opens (or creates) the database file, checking it is ours, intact and not too new, then
    /// migrating it to the current schema.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let exists = path.exists();
        if exists {
            // Checked read-only first: a foreign or newer file (and its WAL) is left byte for
            // byte as it was; a read-write connection would checkpoint its WAL on close.
            let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let probe = Connection::open_with_flags(path, read_only)?;
            match check_existing(&probe, path) {
                // A read-only connection cannot create the WAL index when it is missing and
                // the directory is not ours to write: the header and pages are read from the
                // file alone (`immutable`), still without writing anything.
                Err(StoreError::Sqlite(_)) => {
                    drop(probe);
                    let uri = format!(
                        "file:{}?immutable=1",
                        percent_encoding::utf8_percent_encode(
                            &path.to_string_lossy(),
                            percent_encoding::NON_ALPHANUMERIC
                        )
                        .to_string()
                        .replace("%2F", "/")
                    );
                    let probe =
                        Connection::open_with_flags(uri, read_only | OpenFlags::SQLITE_OPEN_URI)?;
                    check_existing(&probe, path)?;
                }
                other => other?,
            }
        }
        // The file and its WAL and shared-memory files are the owner's alone (SQLite gives the
        // journal files the database file's mode).
        super::private::create_private_file(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::BadValue {
                what: "journal_mode",
                value: mode,
            });
        }
        // FULL: a commit is durable on return even across power loss (WAL + NORMAL could lose the
        // last transactions, which would break "a green scan is on disk").
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;",
        )?;
        migrate(&mut conn)?;
        let key = super::audit_key::prepare(&mut conn, path)?;
        Ok(Self {
            conn: Conn::new(conn, key),
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads outside a command transaction (look-ups, status, exports).
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Starts the write transaction of one command (`BEGIN IMMEDIATE`: the write lock is taken at
    /// once, so a second writer waits instead of failing half-way).
    pub fn begin(&mut self) -> Result<Tx<'_>, StoreError> {
        Tx::begin(&self.conn)
    }
}

/// Brings the schema to the current version, all migrations in one exclusive transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version >= current_version() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i32::try_from(i + 1).unwrap_or(i32::MAX),
        )?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

fn check_existing(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let not_db = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::from(e),
    };
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_db)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_db)?;
    if app_id != APPLICATION_ID && !(app_id == 0 && tables == 0) {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            found: app_id,
        });
    }
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    if version > current_version() {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: current_version(),
        });
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size <= QUICK_CHECK_MAX_BYTES {
        let verdict: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(not_db)?;
        if verdict != "ok" {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: verdict,
            });
        }
    }
    Ok(())
}
