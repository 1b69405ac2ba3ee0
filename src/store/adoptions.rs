//! Units taken in from the site repository or an EPCIS file (`docs/architecture.md` §15): where
//! each came from and when, the event IDs it was derived from, and every event ID the station
//! knows from elsewhere (for the stale check).

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// Where an adopted unit came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// `repository` or `file`.
    pub origin: String,
    /// The repository's URL or the file names.
    pub source: String,
    /// When it was first taken in (UTC ms).
    pub adopted_ms: i64,
    /// When it was last taken in again (refresh), UTC ms.
    pub refreshed_ms: i64,
    /// Time of the last event the source had about it.
    pub last_event_ms: Option<i64>,
    /// The IDs of the events it was derived from (JSON array).
    pub event_ids: String,
}

/// Records (or renews) where a unit came from. `adopted_ms` is kept from the first adoption.
pub fn upsert_adoption(tx: &Tx<'_>, unit_id: i64, a: &Adoption) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO adoptions (unit_id, origin, source, adopted_ms, refreshed_ms, last_event_ms, event_ids)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(unit_id) DO UPDATE SET origin = excluded.origin, source = excluded.source,
                refreshed_ms = excluded.refreshed_ms, last_event_ms = excluded.last_event_ms,
                event_ids = excluded.event_ids",
        )?
        .execute(params![
            unit_id,
            a.origin,
            a.source,
            a.adopted_ms,
            a.refreshed_ms,
            a.last_event_ms,
            a.event_ids
        ])?;
    Ok(())
}

/// Where a unit came from; `None` for a unit made at this station.
pub fn adoption_of(conn: &Conn, unit_id: i64) -> Result<Option<Adoption>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT origin, source, adopted_ms, refreshed_ms, last_event_ms, event_ids
         FROM adoptions WHERE unit_id = ?1",
    )?;
    Ok(st
        .query_row([unit_id], |r| {
            Ok(Adoption {
                origin: r.get(0)?,
                source: r.get(1)?,
                adopted_ms: r.get(2)?,
                refreshed_ms: r.get(3)?,
                last_event_ms: r.get(4)?,
                event_ids: r.get(5)?,
            })
        })
        .optional()?)
}

/// Remembers event IDs read from the repository or a file.
pub fn add_known_events<'a>(
    tx: &Tx<'_>,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), StoreError> {
    let mut st = tx
        .sql()
        .prepare_cached("INSERT OR IGNORE INTO known_events (event_id) VALUES (?1)")?;
    for id in ids {
        st.execute([id])?;
    }
    Ok(())
}

/// Whether the station knows an event: read from elsewhere, or written here (any role).
pub fn event_known(conn: &Conn, event_id: &str) -> Result<bool, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM known_events WHERE event_id = ?1)
             OR EXISTS(SELECT 1 FROM events WHERE hash_id = ?1)",
    )?;
    Ok(st.query_row([event_id], |r| r.get(0))?)
}

/// Whether an EPC is named by an event of a command whose outbox row has not been delivered
/// (queued, being sent, or parked): the station has changes the repository does not have yet.
pub fn has_unsent_events(conn: &Conn, epc: &str) -> Result<bool, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT EXISTS(
            SELECT 1 FROM event_epcs x
            JOIN events e ON e.id = x.event_id
            JOIN outbox o ON o.command_id = e.command_id
            WHERE x.epc = ?1 AND o.state NOT IN ('sent', 'withdrawn'))",
    )?;
    Ok(st.query_row([epc], |r| r.get(0))?)
}

/// The time of the first event this station wrote that names an EPC (`None`: it wrote none).
pub fn first_local_event_ms(conn: &Conn, epc: &str) -> Result<Option<i64>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT min(e.event_time_ms) FROM event_epcs x JOIN events e ON e.id = x.event_id
         WHERE x.epc = ?1",
    )?;
    Ok(st.query_row([epc], |r| r.get(0))?)
}
