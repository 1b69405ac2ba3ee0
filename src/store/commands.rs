//! Station commands as recorded for undo and audit, and the supervisor signatures attached to
//! them.

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// A recorded command (for undo).
#[derive(Debug, Clone)]
pub struct CommandRecord {
    /// Row id.
    pub id: i64,
    /// Command kind (`pack`, `close`, ...).
    pub kind: String,
    /// Who.
    pub username: String,
    /// The state changes as JSON (see `station::changes`).
    pub changes: String,
    /// Whether a signature was attached.
    pub signed: bool,
}

/// Records a command and returns its id.
// Every argument is a column of the row.
#[allow(clippy::too_many_arguments)]
pub fn insert_command(
    tx: &Tx<'_>,
    kind: &str,
    username: &str,
    time_ms: i64,
    work_order: Option<&str>,
    target: Option<&str>,
    changes: &str,
    undoes: Option<i64>,
) -> Result<i64, StoreError> {
    let mut st = tx.sql().prepare_cached(
        "INSERT INTO commands (kind, username, time_ms, work_order, target, changes, undoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    st.execute(params![
        kind, username, time_ms, work_order, target, changes, undoes
    ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// The newest command of a user that changed state and is not undone or an undo itself.
pub fn last_undoable_command(
    conn: &Conn,
    username: &str,
) -> Result<Option<CommandRecord>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT c.id, c.kind, c.username, c.changes,
                EXISTS(SELECT 1 FROM signatures s WHERE s.command_id = c.id)
         FROM commands c
         WHERE c.username = ?1 AND c.undoes IS NULL AND c.undone_by IS NULL AND c.changes != '[]'
         ORDER BY c.id DESC LIMIT 1",
    )?;
    Ok(st
        .query_row([username], |r| {
            Ok(CommandRecord {
                id: r.get(0)?,
                kind: r.get(1)?,
                username: r.get(2)?,
                changes: r.get(3)?,
                signed: r.get(4)?,
            })
        })
        .optional()?)
}

/// The newest command of a user that is not undone or an undo itself, whatever it changed:
/// (id, kind).
pub fn last_command(conn: &Conn, username: &str) -> Result<Option<(i64, String)>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT id, kind FROM commands
         WHERE username = ?1 AND undoes IS NULL AND undone_by IS NULL
         ORDER BY id DESC LIMIT 1",
    )?;
    Ok(st
        .query_row([username], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Marks a command undone by another.
pub fn mark_undone(tx: &Tx<'_>, id: i64, by: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE commands SET undone_by = ?2 WHERE id = ?1")?
        .execute(params![id, by])?;
    Ok(())
}

/// A supervisor signature (21 CFR Part 11: printed name, meaning, time) recorded with a command.
#[derive(Debug, Clone, Copy)]
pub struct NewSignature<'a> {
    /// The signer's log-in name.
    pub username: &'a str,
    /// The signer's printed name.
    pub full_name: &'a str,
    /// What the signature means (e.g. "approve short case").
    pub meaning: &'a str,
    /// The reason given.
    pub reason: Option<&'a str>,
    /// When it was given.
    pub time_ms: i64,
    /// The command it approves.
    pub command_id: i64,
}

/// Records a signature; returns its id (the audit record refers to it).
pub fn insert_signature(tx: &Tx<'_>, s: &NewSignature<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO signatures (username, full_name, meaning, reason, time_ms, command_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            s.username,
            s.full_name,
            s.meaning,
            s.reason,
            s.time_ms,
            s.command_id
        ])?;
    Ok(tx.sql().last_insert_rowid())
}
