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

/// Calls `visit(id, changes)` for every command row.
pub fn visit_commands(conn: &Conn, mut visit: impl FnMut(i64, &str)) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare("SELECT id, changes FROM commands")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let changes: String = r.get(1)?;
        visit(id, &changes);
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
    /// Its stored hash ID.
    pub hash_id: String,
    /// Its role (`event`, `correction`, `compensation`).
    pub role: String,
    /// The one-event JSON-LD document.
    pub body: String,
}

/// Calls `visit` for every stored event, in command and position order, `batch` at a time
/// (so the caller can check a batch in parallel).
pub fn visit_events(
    conn: &Conn,
    batch: usize,
    mut visit: impl FnMut(Vec<EventRow>),
) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT id, command_id, hash_id, role, body FROM events ORDER BY command_id, seq",
    )?;
    let mut rows = st.query([])?;
    let mut chunk = Vec::with_capacity(batch);
    while let Some(r) = rows.next()? {
        chunk.push(EventRow {
            id: r.get(0)?,
            command_id: r.get(1)?,
            hash_id: r.get(2)?,
            role: r.get(3)?,
            body: r.get(4)?,
        });
        if chunk.len() >= batch {
            visit(std::mem::take(&mut chunk));
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

/// One unit's state as the state table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitState {
    /// Its key.
    pub key: String,
    /// Its parent's key.
    pub parent: Option<String>,
    /// Status.
    pub status: String,
    /// Container state.
    pub state: Option<String>,
    /// Children.
    pub count: i64,
}

/// Calls `visit` for every unit row.
pub fn visit_unit_states(conn: &Conn, mut visit: impl FnMut(UnitState)) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT u.key, p.key, u.status, u.state, u.child_count
         FROM units u LEFT JOIN units p ON p.id = u.parent_id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        visit(UnitState {
            key: r.get(0)?,
            parent: r.get(1)?,
            status: r.get(2)?,
            state: r.get(3)?,
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
