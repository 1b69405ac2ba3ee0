//! The outbox: one row per station command whose events wait for the repository (`queued`),
//! are being pushed right now (`sending`: claimed by the sync worker in a short transaction
//! before the push), were delivered (`sent`), were rejected and wait for the administrator
//! (`parked`), or were undone before they left and are never sent (`withdrawn`).
//!
//! The station queues a row in the command's own transaction ([`insert_outbox`]); the sync
//! worker reads the queue and records what happened to each row (see `sync::outbox` for the
//! batching and parking policy built on these queries).

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// Queues a command's events for the repository.
pub fn insert_outbox(tx: &Tx<'_>, command_id: i64, now_ms: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("INSERT INTO outbox (command_id, created_ms) VALUES (?1, ?2)")?
        .execute(params![command_id, now_ms])?;
    Ok(())
}

/// Outbox row counts: (queued, sent, parked). A row being sent counts as queued (it has not
/// arrived yet); withdrawn rows count nowhere ([`withdrawn_count`]).
pub fn outbox_counts(conn: &Conn) -> Result<(i64, i64, i64), StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT coalesce(sum(state IN ('queued', 'sending')), 0), coalesce(sum(state = 'sent'), 0), coalesce(sum(state = 'parked'), 0) FROM outbox",
    )?;
    Ok(st.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// A queued row's delivery bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueuedRow {
    /// The station command (outbox key).
    pub command_id: i64,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Earliest time of the next attempt (backoff).
    pub next_attempt_ms: i64,
}

/// Queued rows in commit order, at most `limit`.
pub fn queued_rows(conn: &Conn, limit: i64) -> Result<Vec<QueuedRow>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT command_id, attempts, next_attempt_ms FROM outbox WHERE state = 'queued' ORDER BY command_id LIMIT ?1",
    )?;
    let rows = st.query_map([limit], |r| {
        Ok(QueuedRow {
            command_id: r.get(0)?,
            attempts: r.get(1)?,
            next_attempt_ms: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Number of withdrawn rows (undone before they were sent).
pub fn withdrawn_count(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'withdrawn'")?
        .query_row([], |r| r.get(0))?)
}

/// Events in queued rows (and rows being sent).
pub fn queued_events(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT count(*) FROM events e JOIN outbox o ON o.command_id = e.command_id WHERE o.state IN ('queued', 'sending')",
        )?
        .query_row([], |r| r.get(0))?)
}

/// The oldest queued row's failed attempts and last error, if a row is queued.
pub fn queue_head(conn: &Conn) -> Result<Option<(i64, Option<String>)>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT attempts, last_error FROM outbox WHERE state IN ('queued', 'sending') ORDER BY command_id LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Number of parked rows.
pub fn parked_count(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'parked'")?
        .query_row([], |r| r.get(0))?)
}

/// The distinct EPCs named by the events of parked rows.
pub fn parked_epcs(conn: &Conn) -> Result<Vec<String>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT DISTINCT x.epc FROM outbox o JOIN events e ON e.command_id = o.command_id
         JOIN event_epcs x ON x.event_id = e.id WHERE o.state = 'parked'",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parked rows (all, or only `command_id`), in commit order.
pub fn parked_command_ids(conn: &Conn, command_id: Option<i64>) -> Result<Vec<i64>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT command_id FROM outbox WHERE state = 'parked' AND (?1 IS NULL OR command_id = ?1) ORDER BY command_id",
    )?;
    let rows = st.query_map([command_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A parked row, for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParkedRow {
    /// The station command.
    pub command_id: i64,
    /// Its kind (`scan`, `unpack`, ...).
    pub kind: String,
    /// Who did it.
    pub username: String,
    /// When it was committed (ms).
    pub time_ms: i64,
    /// The repository's message.
    pub error: String,
}

/// The parked rows with their commands, in commit order.
pub fn parked_rows(conn: &Conn) -> Result<Vec<ParkedRow>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT o.command_id, c.kind, c.username, c.time_ms, coalesce(o.last_error, '')
         FROM outbox o JOIN commands c ON c.id = o.command_id WHERE o.state = 'parked' ORDER BY o.command_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(ParkedRow {
            command_id: r.get(0)?,
            kind: r.get(1)?,
            username: r.get(2)?,
            time_ms: r.get(3)?,
            error: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Marks a row being sent delivered (a row not claimed for sending is left alone).
pub fn mark_sent(tx: &Tx<'_>, command_id: i64, now_ms: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'sent', sent_ms = ?2, last_error = NULL WHERE command_id = ?1 AND state = 'sending'",
        )?
        .execute(params![command_id, now_ms])?;
    Ok(())
}

/// Records a failed attempt of a row, its error and when to try again; a row being sent goes
/// back to the queue.
pub fn mark_failed(
    tx: &Tx<'_>,
    command_id: i64,
    error: &str,
    next_attempt_ms: i64,
) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', attempts = attempts + 1, last_error = ?2, next_attempt_ms = ?3 WHERE command_id = ?1 AND state IN ('queued', 'sending')",
        )?
        .execute(params![command_id, error, next_attempt_ms])?;
    Ok(())
}

/// Counts one more attempt of a row (its document got no answer: the outcome is unknown); a row
/// being sent goes back to the queue.
pub fn count_attempt(tx: &Tx<'_>, command_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', attempts = attempts + 1 WHERE command_id = ?1 AND state IN ('queued', 'sending')",
        )?
        .execute([command_id])?;
    Ok(())
}

/// Parks a row being sent with the repository's message. `false` when the row was not being
/// sent (then nothing changed).
pub fn park_row(tx: &Tx<'_>, command_id: i64, message: &str) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ?2 WHERE command_id = ?1 AND state = 'sending'",
        )?
        .execute(params![command_id, message])?;
    Ok(n > 0)
}

/// Puts a parked row back in the queue, due now. An administrator decided to send it: the
/// check of a row recorded offline is not made again.
pub fn requeue_row(tx: &Tx<'_>, command_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', next_attempt_ms = 0, unverified = 0 WHERE command_id = ?1",
        )?
        .execute([command_id])?;
    Ok(())
}

/// Claims a queued row for one push (`sending`). `false` when the row is no longer queued (an
/// undo withdrew it): then nothing changed.
pub fn claim_row(tx: &Tx<'_>, command_id: i64) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'sending' WHERE command_id = ?1 AND state = 'queued'",
        )?
        .execute([command_id])?;
    Ok(n > 0)
}

/// Gives a claimed row back to the queue untouched (it was not pushed after all).
pub fn release_row(tx: &Tx<'_>, command_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'queued' WHERE command_id = ?1 AND state = 'sending'",
        )?
        .execute([command_id])?;
    Ok(())
}

/// Rows left `sending` by a sync that stopped half-way (a crash, a power cut) go back to the
/// queue with one more attempt: whether the repository got them is unknown, so they take the
/// path of a lost answer (the duplicate check of a repository that does not de-duplicate).
/// Returns how many.
pub fn recover_sending(tx: &Tx<'_>) -> Result<usize, StoreError> {
    Ok(tx
        .sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'queued', attempts = attempts + 1 WHERE state = 'sending'",
        )?
        .execute([])?)
}

/// The delivery state of one outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// `queued`, `sending`, `sent`, `parked` or `withdrawn`.
    pub state: String,
    /// Delivery attempts so far (an attempt without an answer may have arrived).
    pub attempts: i64,
}

impl OutboxRow {
    /// Whether the repository certainly has none of the row's events: it is queued and was
    /// never tried, or the repository rejected it whole (parked), or it was withdrawn. Only
    /// such a row may be withdrawn.
    pub fn never_left(&self) -> bool {
        match self.state.as_str() {
            "queued" => self.attempts == 0,
            "parked" | "withdrawn" => true,
            _ => false,
        }
    }
}

/// The outbox row of a command, if it has one.
pub fn outbox_row(conn: &Conn, command_id: i64) -> Result<Option<OutboxRow>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT state, attempts FROM outbox WHERE command_id = ?1")?
        .query_row([command_id], |r| {
            Ok(OutboxRow {
                state: r.get(0)?,
                attempts: r.get(1)?,
            })
        })
        .optional()?)
}

/// Withdraws a row that never left (see [`OutboxRow::never_left`]): it will never be sent.
/// `false` when the row may have left (then nothing changed).
pub fn withdraw_row(tx: &Tx<'_>, command_id: i64) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE outbox SET state = 'withdrawn', last_error = NULL
             WHERE command_id = ?1 AND ((state = 'queued' AND attempts = 0) OR state = 'parked')",
        )?
        .execute([command_id])?;
    Ok(n > 0)
}

/// Marks the outbox row of the station's latest command (if it has one) as recorded while the
/// repository could not be asked whether the hierarchy had changed elsewhere.
pub fn mark_latest_unverified(tx: &Tx<'_>) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE outbox SET unverified = 1
             WHERE command_id = (SELECT max(id) FROM commands) AND state = 'queued'",
        )?
        .execute([])?;
    Ok(())
}

/// Whether a row was recorded offline and has not been checked since.
pub fn is_unverified(conn: &Conn, command_id: i64) -> Result<bool, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT coalesce(max(unverified), 0) FROM outbox WHERE command_id = ?1")?;
    Ok(st.query_row([command_id], |r| r.get::<_, i64>(0))? != 0)
}

/// The row was checked: the hierarchy was not changed elsewhere.
pub fn clear_unverified(tx: &Tx<'_>, command_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE outbox SET unverified = 0 WHERE command_id = ?1")?
        .execute([command_id])?;
    Ok(())
}
