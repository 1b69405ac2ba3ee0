//! The outbox as the sync worker sees it: the next batch in commit order, marking rows sent,
//! recording failures and parking rejected rows. Every write is one short transaction, so the
//! station (on its own connection) is never held up for long.
//!
//! Claiming: before a push the worker marks the rows of its document `sending` in one short
//! transaction ([`claim`]); an undo may withdraw only rows that are still `queued`
//! (`store::withdraw_row`), so a row is either withdrawn or pushed, never both. Every push ends
//! in `sent`, `parked` or back in `queued` ([`release`], or a failed attempt); a row still
//! `sending` when a sync starts was interrupted ([`recover_interrupted`]) and goes back to the
//! queue with an uncertain outcome.
//!
//! Which events of a row are sent depends on the repository (`docs/sync.md`, Corrections): one
//! that honours `errorDeclaration` gets every stored event; one that does not (QU4RTET) gets the
//! command's events and an undo's compensating events, never the error-declaration copies
//! ([`roles_for`]).
//!
//! Parking policy: a row the repository rejects for its content is parked with the server's
//! message. Rows behind it that touch none of its EPCs keep flowing (another container's
//! events must not wait for a human). Rows that share an EPC with a parked row — directly or
//! through another held row — are *held* (still `queued`) until the parked row is retried or
//! the administrator resolves it: sending them first would apply a container's history out of
//! order, which the repository would either reject or, worse, accept wrongly.

use super::error::SyncError;
use crate::epcis::{Event, events_from_jsonld};
pub use crate::store::ParkedRow;
use crate::store::{self, Conn, EventRole, Store, Tx};
use std::collections::HashSet;

/// One outbox row with its events (one station command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// The station command (outbox key).
    pub command_id: i64,
    /// Its events as stored, those the repository is sent (see [`roles_for`]): one JSON-LD
    /// document per event, in order; empty when none is for this repository (the row is then
    /// delivered without a push). They are parsed only
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
    /// Rows undone before they were sent: never sent (not counted as queued).
    pub withdrawn: i64,
    /// Waiting rows held back because they touch an EPC of a parked row.
    pub held: i64,
    /// The last transient error of the head row, if it failed.
    pub last_error: Option<String>,
    /// Failed attempts of the head row.
    pub head_attempts: i64,
    /// The parked rows.
    pub parked_rows: Vec<ParkedRow>,
}

/// Queued rows in commit order, with whether each is held behind a parked row.
/// Reads at most `limit` rows.
fn queued_rows(conn: &Conn, limit: i64) -> Result<Vec<(store::QueuedRow, bool)>, SyncError> {
    let mut blocked: HashSet<String> = store::parked_epcs(conn)?.into_iter().collect();
    let rows = store::queued_rows(conn, limit)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let held = if blocked.is_empty() {
            false
        } else {
            let epcs = store::command_epcs(conn, row.command_id)?;
            if epcs.iter().any(|e| blocked.contains(e)) {
                blocked.extend(epcs);
                true
            } else {
                false
            }
        };
        out.push((row, held));
    }
    Ok(out)
}

/// The roles of stored events a repository is sent: every role when it honours
/// `errorDeclaration`; otherwise the commands' own events and undo compensations only (it would
/// apply an error-declaration copy as one more event).
pub fn roles_for(honours_error_declarations: bool) -> &'static [EventRole] {
    if honours_error_declarations {
        &EventRole::ALL
    } else {
        &[EventRole::Event, EventRole::Compensation]
    }
}

/// The next batch: whole rows in commit order, skipping held rows, until `max_events` (a
/// single row larger than that goes alone), each with the events of `roles` only. Empty when
/// nothing is due.
pub fn next_batch(
    conn: &Conn,
    max_events: usize,
    max_rows: usize,
    roles: &[EventRole],
) -> Result<Vec<PendingRow>, SyncError> {
    // Every row holds at least one event: without parked rows nothing is skipped, so no more
    // rows than events (plus the one that overflows) are needed; held rows may be skipped.
    let wanted = if store::parked_count(conn)? > 0 {
        max_rows.max(1) * 4
    } else {
        max_rows.max(1).min(max_events.max(1)) + 1
    };
    let limit = i64::try_from(wanted).unwrap_or(i64::MAX);
    let mut batch: Vec<PendingRow> = Vec::new();
    let mut events = 0usize;
    for (row, held) in queued_rows(conn, limit)? {
        if held {
            continue;
        }
        let bodies = store::command_events_with_roles(conn, row.command_id, roles)?;
        if !batch.is_empty() && (events + bodies.len() > max_events || batch.len() >= max_rows) {
            break;
        }
        events += bodies.len();
        batch.push(PendingRow {
            command_id: row.command_id,
            bodies,
            attempts: row.attempts,
            next_attempt_ms: row.next_attempt_ms,
        });
    }
    Ok(batch)
}

/// Claims queued rows for one push (`sending`), all or none, in one short transaction. `false`
/// when one of them is no longer queued (an undo withdrew it in the meantime): then nothing
/// changed and the batch must be chosen again.
pub fn claim(store: &mut Store, command_ids: &[i64]) -> Result<bool, SyncError> {
    let tx = store.begin()?;
    for &id in command_ids {
        if !store::claim_row(&tx, id)? {
            // Dropping the transaction rolls the claims made so far back.
            return Ok(false);
        }
    }
    tx.commit()?;
    Ok(true)
}

/// Gives rows still claimed back to the queue untouched (their push never happened, or they
/// were left out when a multi-row document was retried row by row).
pub fn release(store: &mut Store, command_ids: &[i64]) -> Result<(), SyncError> {
    if command_ids.is_empty() {
        return Ok(());
    }
    let tx = store.begin()?;
    for &id in command_ids {
        store::release_row(&tx, id)?;
    }
    tx.commit()?;
    Ok(())
}

/// Puts rows a stopped sync left `sending` back in the queue with one more attempt (outcome
/// unknown). Called when a sync starts; returns how many.
pub fn recover_interrupted(store: &mut Store) -> Result<usize, SyncError> {
    let tx = store.begin()?;
    let n = store::recover_sending(&tx)?;
    tx.commit()?;
    Ok(n)
}

/// Marks rows delivered (one transaction).
pub fn mark_sent(store: &mut Store, command_ids: &[i64], now_ms: i64) -> Result<(), SyncError> {
    let tx = store.begin()?;
    for &id in command_ids {
        store::mark_sent(&tx, id, now_ms)?;
    }
    tx.commit()?;
    // The trail's head at the moment the repository holds these events goes into the anchor
    // file: deleting records later is then seen by `audit verify` (issue 16).
    crate::station::anchor_head(store.conn(), store.path(), now_ms, "sync")?;
    Ok(())
}

/// Records a failed attempt of the head row and when to try again (one transaction).
pub fn mark_failed(
    store: &mut Store,
    command_id: i64,
    error: &str,
    next_attempt_ms: i64,
) -> Result<(), SyncError> {
    let tx = store.begin()?;
    store::mark_failed(&tx, command_id, error, next_attempt_ms)?;
    tx.commit()?;
    Ok(())
}

/// Counts an attempt of rows whose document got no answer (outcome unknown; one transaction).
pub fn mark_uncertain(store: &mut Store, command_ids: &[i64]) -> Result<(), SyncError> {
    if command_ids.is_empty() {
        return Ok(());
    }
    let tx = store.begin()?;
    for &id in command_ids {
        store::count_attempt(&tx, id)?;
    }
    tx.commit()?;
    Ok(())
}

/// Who the audit records of the sync worker's own decisions name.
pub const SYNC_AUDIT_USER: &str = "sync";

fn audit_row(
    tx: &Tx<'_>,
    now_ms: i64,
    username: &str,
    action: &str,
    command_id: i64,
    reason: Option<&str>,
) -> Result<(), SyncError> {
    crate::auth::append_audit(
        tx,
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
            evidence: None,
        },
    )?;
    Ok(())
}

/// Parks rows the repository rejected, with its message, and writes one audit record per row
/// (user [`SYNC_AUDIT_USER`], action `sync_park`, the message as the reason) in the same
/// transaction.
pub fn park(
    store: &mut Store,
    command_ids: &[i64],
    message: &str,
    now_ms: i64,
) -> Result<(), SyncError> {
    let tx = store.begin()?;
    for &id in command_ids {
        if store::park_row(&tx, id, message)? {
            audit_row(&tx, now_ms, SYNC_AUDIT_USER, "sync_park", id, Some(message))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Puts parked rows back in the queue (all, or one command) for `username`, with one audit
/// record per row (action `sync_retry_parked`) in the same transaction; returns how many.
pub fn requeue_parked(
    store: &mut Store,
    command_id: Option<i64>,
    username: &str,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<usize, SyncError> {
    let tx = store.begin()?;
    let ids = store::parked_command_ids(&tx, command_id)?;
    for &id in &ids {
        store::requeue_row(&tx, id)?;
        audit_row(&tx, now_ms, username, "sync_retry_parked", id, reason)?;
    }
    tx.commit()?;
    Ok(ids.len())
}

/// Events in queued rows.
pub fn queued_events(conn: &Conn) -> Result<i64, SyncError> {
    Ok(store::queued_events(conn)?)
}

/// Counts, the head row's last error, and the parked rows.
pub fn outbox_status(conn: &Conn) -> Result<OutboxStatus, SyncError> {
    let (queued, sent, parked) = store::outbox_counts(conn)?;
    let queued_events = queued_events(conn)?;
    let head = store::queue_head(conn)?;
    let held = if parked > 0 {
        let rows = queued_rows(conn, i64::MAX)?;
        i64::try_from(rows.iter().filter(|r| r.1).count()).unwrap_or(i64::MAX)
    } else {
        0
    };
    let parked_rows = store::parked_rows(conn)?;
    let withdrawn = store::withdrawn_count(conn)?;
    let (head_attempts, last_error) = head.unwrap_or((0, None));
    Ok(OutboxStatus {
        queued,
        queued_events,
        sent,
        parked,
        withdrawn,
        held,
        last_error,
        head_attempts,
        parked_rows,
    })
}
