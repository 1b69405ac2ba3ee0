//! The outbox as the sync worker sees it: the next batch in commit order, marking rows sent,
//! recording failures and parking rejected rows. Every write is one short transaction, so the
//! station (on its own connection) is never held up for long.
//!
//! Parking policy: a row the repository rejects for its content is parked with the server's
//! message. Rows behind it that touch none of its EPCs keep flowing (another container's
//! events must not wait for a human). Rows that share an EPC with a parked row — directly or
//! through another held row — are *held* (still `queued`) until the parked row is retried or
//! the administrator resolves it: sending them first would apply a container's history out of
//! order, which the repository would either reject or, worse, accept wrongly.

use super::error::SyncError;
use crate::epcis::{Event, events_from_jsonld};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// One outbox row with its events (one station command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// The station command (outbox key).
    pub command_id: i64,
    /// Its events as stored: one JSON-LD document per event, in order. They are parsed only
    /// for repositories that need [`Event`]s (see [`PendingRow::events`]); the EPCIS 2.0 client
    /// splices them into its capture document as they are.
    pub bodies: Vec<String>,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Earliest time of the next attempt (backoff).
    pub next_attempt_ms: i64,
}

impl PendingRow {
    /// Its events, parsed from the stored bodies.
    pub fn events(&self) -> Result<Vec<Event>, SyncError> {
        let mut out = Vec::with_capacity(self.bodies.len());
        for body in &self.bodies {
            let mut evs = events_from_jsonld(body).map_err(|e| {
                SyncError::Store(format!(
                    "stored event of command {} does not parse: {e}",
                    self.command_id
                ))
            })?;
            out.append(&mut evs);
        }
        Ok(out)
    }
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

/// Outbox counts and the last problem, for the GUI and `packbench sync --status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct OutboxStatus {
    /// Rows waiting to be sent (including held ones).
    pub queued: i64,
    /// Events in the waiting rows.
    pub queued_events: i64,
    /// Rows delivered.
    pub sent: i64,
    /// Rows rejected by the repository, waiting for the administrator.
    pub parked: i64,
    /// Waiting rows held back because they touch an EPC of a parked row.
    pub held: i64,
    /// The last transient error of the head row, if it failed.
    pub last_error: Option<String>,
    /// Failed attempts of the head row.
    pub head_attempts: i64,
    /// The parked rows.
    pub parked_rows: Vec<ParkedRow>,
}

fn row_bodies(conn: &Connection, command_id: i64) -> Result<Vec<String>, SyncError> {
    let mut st =
        conn.prepare_cached("SELECT body FROM events WHERE command_id = ?1 ORDER BY seq")?;
    let bodies = st.query_map([command_id], |r| r.get::<_, String>(0))?;
    Ok(bodies.collect::<Result<_, _>>()?)
}

fn row_epcs(conn: &Connection, command_id: i64) -> Result<Vec<String>, SyncError> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT x.epc FROM events e JOIN event_epcs x ON x.event_id = e.id WHERE e.command_id = ?1",
    )?;
    let rows = st.query_map([command_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// EPCs of parked rows (the seed of the held set).
fn parked_epcs(conn: &Connection) -> Result<HashSet<String>, SyncError> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT x.epc FROM outbox o JOIN events e ON e.command_id = o.command_id
         JOIN event_epcs x ON x.event_id = e.id WHERE o.state = 'parked'",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Queued rows in commit order, with whether each is held behind a parked row.
/// Reads at most `limit` rows.
fn queued_rows(conn: &Connection, limit: i64) -> Result<Vec<(i64, i64, i64, bool)>, SyncError> {
    let mut blocked = parked_epcs(conn)?;
    let mut st = conn.prepare_cached(
        "SELECT command_id, attempts, next_attempt_ms FROM outbox WHERE state = 'queued' ORDER BY command_id LIMIT ?1",
    )?;
    let rows: Vec<(i64, i64, i64)> = st
        .query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, attempts, next) in rows {
        let held = if blocked.is_empty() {
            false
        } else {
            let epcs = row_epcs(conn, id)?;
            if epcs.iter().any(|e| blocked.contains(e)) {
                blocked.extend(epcs);
                true
            } else {
                false
            }
        };
        out.push((id, attempts, next, held));
    }
    Ok(out)
}

fn parked_count(conn: &Connection) -> Result<i64, SyncError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE state = 'parked'")?
        .query_row([], |r| r.get(0))?)
}

/// The next batch: whole rows in commit order, skipping held rows, until `max_events` (a
/// single row larger than that goes alone). Empty when nothing is due.
pub fn next_batch(
    conn: &Connection,
    max_events: usize,
    max_rows: usize,
) -> Result<Vec<PendingRow>, SyncError> {
    // Every row holds at least one event: without parked rows nothing is skipped, so no more
    // rows than events (plus the one that overflows) are needed; held rows may be skipped.
    let wanted = if parked_count(conn)? > 0 {
        max_rows.max(1) * 4
    } else {
        max_rows.max(1).min(max_events.max(1)) + 1
    };
    let limit = i64::try_from(wanted).unwrap_or(i64::MAX);
    let mut batch: Vec<PendingRow> = Vec::new();
    let mut events = 0usize;
    for (command_id, attempts, next_attempt_ms, held) in queued_rows(conn, limit)? {
        if held {
            continue;
        }
        let bodies = row_bodies(conn, command_id)?;
        if !batch.is_empty() && (events + bodies.len() > max_events || batch.len() >= max_rows) {
            break;
        }
        events += bodies.len();
        batch.push(PendingRow {
            command_id,
            bodies,
            attempts,
            next_attempt_ms,
        });
    }
    Ok(batch)
}

/// Marks rows delivered (one transaction).
pub fn mark_sent(
    store: &mut crate::store::Store,
    command_ids: &[i64],
    now_ms: i64,
) -> Result<(), SyncError> {
    let tx = store.begin()?;
    {
        let mut st = tx.prepare_cached(
            "UPDATE outbox SET state = 'sent', sent_ms = ?2, last_error = NULL WHERE command_id = ?1 AND state = 'queued'",
        )?;
        for id in command_ids {
            st.execute(params![id, now_ms])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Records a failed attempt of the head row and when to try again.
pub fn mark_failed(
    conn: &Connection,
    command_id: i64,
    error: &str,
    next_attempt_ms: i64,
) -> Result<(), SyncError> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_ms = ?3 WHERE command_id = ?1",
    )?
    .execute(params![command_id, error, next_attempt_ms])?;
    Ok(())
}

/// Counts an attempt of rows whose document got no answer (outcome unknown).
pub fn mark_uncertain(conn: &Connection, command_ids: &[i64]) -> Result<(), SyncError> {
    let mut st =
        conn.prepare_cached("UPDATE outbox SET attempts = attempts + 1 WHERE command_id = ?1")?;
    for id in command_ids {
        st.execute([id])?;
    }
    Ok(())
}

/// Who the audit records of the sync worker's own decisions name.
pub const SYNC_AUDIT_USER: &str = "sync";

fn audit_row(
    conn: &Connection,
    now_ms: i64,
    username: &str,
    action: &str,
    command_id: i64,
    reason: Option<&str>,
) -> Result<(), SyncError> {
    crate::auth::append_audit(
        conn,
        &crate::auth::AuditEntry {
            time_ms: now_ms,
            username: username.to_owned(),
            action: action.to_owned(),
            target: Some(format!("outbox:{command_id}")),
            old_value: Some(
                if action == "sync_park" {
                    "queued"
                } else {
                    "parked"
                }
                .to_owned(),
            ),
            new_value: Some(
                if action == "sync_park" {
                    "parked"
                } else {
                    "queued"
                }
                .to_owned(),
            ),
            reason: reason.map(str::to_owned),
            signature_id: None,
        },
    )?;
    Ok(())
}

/// Parks rows the repository rejected, with its message, and writes one audit record per row
/// (user [`SYNC_AUDIT_USER`], action `sync_park`, the message as the reason) in the same
/// transaction.
pub fn park(
    store: &mut crate::store::Store,
    command_ids: &[i64],
    message: &str,
    now_ms: i64,
) -> Result<(), SyncError> {
    let tx = store.begin()?;
    for &id in command_ids {
        let n = tx
            .prepare_cached(
                "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ?2 WHERE command_id = ?1 AND state = 'queued'",
            )?
            .execute(params![id, message])?;
        if n > 0 {
            audit_row(&tx, now_ms, SYNC_AUDIT_USER, "sync_park", id, Some(message))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Puts parked rows back in the queue (all, or one command) for `username`, with one audit
/// record per row (action `sync_retry_parked`) in the same transaction; returns how many.
pub fn requeue_parked(
    store: &mut crate::store::Store,
    command_id: Option<i64>,
    username: &str,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<usize, SyncError> {
    let tx = store.begin()?;
    let ids: Vec<i64> = {
        let mut st = tx.prepare_cached(
            "SELECT command_id FROM outbox WHERE state = 'parked' AND (?1 IS NULL OR command_id = ?1) ORDER BY command_id",
        )?;
        st.query_map([command_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    for &id in &ids {
        tx.prepare_cached(
            "UPDATE outbox SET state = 'queued', next_attempt_ms = 0 WHERE command_id = ?1",
        )?
        .execute([id])?;
        audit_row(&tx, now_ms, username, "sync_retry_parked", id, reason)?;
    }
    tx.commit()?;
    Ok(ids.len())
}

/// Events in queued rows.
pub fn queued_events(conn: &Connection) -> Result<i64, SyncError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM events e JOIN outbox o ON o.command_id = e.command_id WHERE o.state = 'queued'",
        [],
        |r| r.get(0),
    )?)
}

/// Counts, the head row's last error, and the parked rows.
pub fn outbox_status(conn: &Connection) -> Result<OutboxStatus, SyncError> {
    let (queued, sent, parked) = crate::store::outbox_counts(conn)?;
    let queued_events = queued_events(conn)?;
    let head: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT attempts, last_error FROM outbox WHERE state = 'queued' ORDER BY command_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let held = if parked > 0 {
        let rows = queued_rows(conn, i64::MAX)?;
        i64::try_from(rows.iter().filter(|r| r.3).count()).unwrap_or(i64::MAX)
    } else {
        0
    };
    let mut st = conn.prepare_cached(
        "SELECT o.command_id, c.kind, c.username, c.time_ms, coalesce(o.last_error, '')
         FROM outbox o JOIN commands c ON c.id = o.command_id WHERE o.state = 'parked' ORDER BY o.command_id",
    )?;
    let parked_rows = st
        .query_map([], |r| {
            Ok(ParkedRow {
                command_id: r.get(0)?,
                kind: r.get(1)?,
                username: r.get(2)?,
                time_ms: r.get(3)?,
                error: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let (head_attempts, last_error) = head.unwrap_or((0, None));
    Ok(OutboxStatus {
        queued,
        queued_events,
        sent,
        parked,
        held,
        last_error,
        head_attempts,
        parked_rows,
    })
}
