//! The reads `audit verify` checks the state tables with (issue 16): every command, event,
//! signature, outbox row and unit as stored, streamed so a million-unit database is never held
//! twice in memory; and the anchor file beside the database, an append-only log of chain heads
//! also sent to the repository.

use super::{Conn, StoreError};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The anchor file's name, beside the database.
pub const ANCHOR_FILE: &str = "audit-anchors.jsonl";

/// Runs `read` inside one read transaction (when none is open yet), so every table it reads
/// is seen as of one moment: a command committed meanwhile by another connection is either
/// wholly seen or not at all. Nothing is written; the transaction is rolled back.
pub fn in_read_snapshot<T>(
    conn: &Conn,
    read: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    if !conn.sql().is_autocommit() {
        return read();
    }
    conn.sql().execute_batch("BEGIN DEFERRED")?;
    let out = read();
    let ended = conn.sql().execute_batch("ROLLBACK");
    let out = out?;
    ended?;
    Ok(out)
}

/// Consecutive command rows (id order), their changes in one buffer.
#[derive(Debug, Default)]
pub struct CommandBatch {
    ids: Vec<i64>,
    text: String,
    ends: Vec<usize>,
}

impl CommandBatch {
    /// Every row's (id, changes), in id order.
    pub fn rows(&self) -> impl Iterator<Item = (i64, &str)> {
        self.ids.iter().enumerate().map(|(i, &id)| {
            let start = if i == 0 {
                0
            } else {
                self.ends.get(i - 1).copied().unwrap_or(0)
            };
            let end = self.ends.get(i).copied().unwrap_or(start);
            (id, self.text.get(start..end).unwrap_or_default())
        })
    }
}

/// Calls `visit` with the command rows in id order, `batch` at a time, until it returns
/// `false`.
pub fn visit_command_batches(
    conn: &Conn,
    batch: usize,
    mut visit: impl FnMut(CommandBatch) -> bool,
) -> Result<(), StoreError> {
    let mut st = conn
        .sql()
        .prepare("SELECT id, changes FROM commands ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut current = CommandBatch::default();
    while let Some(r) = rows.next()? {
        current.ids.push(r.get(0)?);
        current.text.push_str(super::text_ref(r, 1)?);
        current.ends.push(current.text.len());
        if current.ids.len() >= batch {
            let capacity = current.text.capacity();
            let full = std::mem::replace(
                &mut current,
                CommandBatch {
                    ids: Vec::with_capacity(batch),
                    text: String::with_capacity(capacity),
                    ends: Vec::with_capacity(batch),
                },
            );
            if !visit(full) {
                return Ok(());
            }
        }
    }
    if !current.ids.is_empty() {
        visit(current);
    }
    Ok(())
}

/// One stored event as `audit verify` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// Row id.
    pub id: i64,
    /// Its command.
    pub command_id: i64,
    /// Its position among its command's events.
    pub seq: i64,
    /// Its stored hash ID.
    pub hash_id: String,
    /// Its role (`event`, `correction`, `compensation`).
    pub role: String,
    /// The one-event JSON-LD document.
    pub body: String,
}

/// Calls `visit` for every stored event, in row order (a plain scan of the table, much faster
/// than reading it in command order through the index), `batch` at a time (so the caller can
/// check a batch in parallel), until it returns `false`.
pub fn visit_events(
    conn: &Conn,
    batch: usize,
    mut visit: impl FnMut(Vec<EventRow>) -> bool,
) -> Result<(), StoreError> {
    let mut st = conn
        .sql()
        .prepare("SELECT id, command_id, seq, hash_id, role, body FROM events ORDER BY id")?;
    let mut rows = st.query([])?;
    let mut chunk = Vec::with_capacity(batch);
    while let Some(r) = rows.next()? {
        chunk.push(EventRow {
            id: r.get(0)?,
            command_id: r.get(1)?,
            seq: r.get(2)?,
            hash_id: r.get(3)?,
            role: r.get(4)?,
            body: r.get(5)?,
        });
        if chunk.len() >= batch && !visit(std::mem::replace(&mut chunk, Vec::with_capacity(batch)))
        {
            return Ok(());
        }
    }
    if !chunk.is_empty() {
        visit(chunk);
    }
    Ok(())
}

/// One signature row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    /// Row id.
    pub id: i64,
    /// Signer.
    pub username: String,
    /// Signer's printed name.
    pub full_name: String,
    /// Meaning.
    pub meaning: String,
    /// Reason.
    pub reason: Option<String>,
    /// Time.
    pub time_ms: i64,
    /// The command signed.
    pub command_id: i64,
}

/// Every signature row.
pub fn signature_rows(conn: &Conn) -> Result<Vec<SignatureRow>, StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT id, username, full_name, meaning, reason, time_ms, command_id FROM signatures ORDER BY id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(SignatureRow {
            id: r.get(0)?,
            username: r.get(1)?,
            full_name: r.get(2)?,
            meaning: r.get(3)?,
            reason: r.get(4)?,
            time_ms: r.get(5)?,
            command_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The commands that have an outbox row (in any state).
pub fn outbox_command_ids(conn: &Conn) -> Result<HashSet<i64>, StoreError> {
    let mut st = conn.sql().prepare("SELECT command_id FROM outbox")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Units taken in from elsewhere: key → when last adopted or refreshed.
pub fn adopted_units(conn: &Conn) -> Result<HashMap<String, i64>, StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT u.key, a.refreshed_ms FROM adoptions a JOIN units u ON u.id = a.unit_id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One unit's state as the state table holds it, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitState<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its parent's key.
    pub parent: Option<&'a str>,
    /// Status.
    pub status: &'a str,
    /// Container state.
    pub state: Option<&'a str>,
    /// Children.
    pub count: i64,
}

/// Calls `visit` for every unit row.
pub fn visit_unit_states(
    conn: &Conn,
    mut visit: impl FnMut(UnitState<'_>),
) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT u.key, p.key, u.status, u.state, u.child_count
         FROM units u LEFT JOIN units p ON p.id = u.parent_id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        visit(UnitState {
            key: super::text_ref(r, 0)?,
            parent: super::opt_text_ref(r, 1)?,
            status: super::text_ref(r, 2)?,
            state: super::opt_text_ref(r, 3)?,
            count: r.get(4)?,
        });
    }
    Ok(())
}

/// The stored chain hash of audit record `seq`, if it exists.
pub fn audit_hash_at(conn: &Conn, seq: i64) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .sql()
        .prepare_cached("SELECT hash FROM audit WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

/// One line of the anchor file: the chain's head at a moment, and where else it went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    /// The last record's sequence number.
    pub seq: i64,
    /// Its chain hash.
    pub hash: String,
    /// When (Unix ms).
    pub time_ms: i64,
    /// Where the head was also sent (`repository <url>`) or what wrote it.
    pub source: String,
}

/// The anchor file of the database at `db_path`.
pub fn anchor_path(db_path: &Path) -> PathBuf {
    db_path.with_file_name(ANCHOR_FILE)
}

/// Appends an anchor line (file mode 0600, synced to disk).
pub fn append_anchor(db_path: &Path, anchor: &Anchor) -> Result<(), StoreError> {
    let path = anchor_path(db_path);
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(io)?;
    let line = serde_json::to_string(anchor).map_err(|e| StoreError::BadValue {
        what: "audit anchor",
        value: e.to_string(),
    })?;
    file.write_all(format!("{line}\n").as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Every anchor line (a line that does not parse is returned as `Err(line number)`).
pub fn read_anchors(db_path: &Path) -> Result<Vec<Result<Anchor, usize>>, StoreError> {
    let path = anchor_path(db_path);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(StoreError::Io { path, source }),
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|_| i + 1))
        .collect())
}
