//! EPCIS events as stored: one JSON-LD body per event with its hash ID, indexed by every EPC it
//! names; the history of an EPC; events for export.

use super::{Conn, StoreError, Tx};
use rusqlite::params;

/// What a stored event is for (column `events.role`): the sync worker sends each repository
/// the roles it understands (`docs/sync.md`, Corrections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventRole {
    /// An event of the command itself.
    Event,
    /// An undone event re-sent unchanged (same eventID) with an `errorDeclaration`.
    Correction,
    /// An event an undo wrote to reverse an undone one (a DELETE for an ADD, ...).
    Compensation,
}

impl EventRole {
    /// Every role.
    pub const ALL: [EventRole; 3] = [Self::Event, Self::Correction, Self::Compensation];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Correction => "correction",
            Self::Compensation => "compensation",
        }
    }
}

/// An EPCIS event to store.
#[derive(Debug, Clone)]
pub struct StoredEvent<'a> {
    /// The command that produced it.
    pub command_id: i64,
    /// Position within the command.
    pub seq: u32,
    /// CBV 2.0 hash ID.
    pub hash_id: &'a str,
    /// What it is for; a [`EventRole::Correction`] is an error declaration (of an earlier event
    /// with the same hash).
    pub role: EventRole,
    /// Event time.
    pub event_time_ms: i64,
    /// The event as a JSON-LD object.
    pub body: &'a str,
    /// Every EPC it names (parent, children, epcList), for look-up history.
    pub epcs: &'a [String],
}

/// Stores one EPCIS event of a command, with its EPC index rows.
pub fn insert_event(tx: &Tx<'_>, e: &StoredEvent<'_>) -> Result<i64, StoreError> {
    let conn = tx.sql();
    conn.prepare_cached(
        "INSERT INTO events (command_id, seq, hash_id, correction, event_time_ms, body, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.command_id,
        e.seq,
        e.hash_id,
        e.role == EventRole::Correction,
        e.event_time_ms,
        e.body,
        e.role.as_str()
    ])?;
    let id = conn.last_insert_rowid();
    let mut st =
        conn.prepare_cached("INSERT OR IGNORE INTO event_epcs (epc, event_id) VALUES (?1, ?2)")?;
    for epc in e.epcs {
        st.execute(params![epc, id])?;
    }
    Ok(id)
}

/// The stored events of a command (bodies), in order.
pub fn command_events(conn: &Conn, command_id: i64) -> Result<Vec<String>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT body FROM events WHERE command_id = ?1 ORDER BY seq")?;
    let rows = st.query_map([command_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The stored events of a command (bodies), in order, keeping only those whose role is in
/// `roles` (what one repository is sent).
pub fn command_events_with_roles(
    conn: &Conn,
    command_id: i64,
    roles: &[EventRole],
) -> Result<Vec<String>, StoreError> {
    let wanted = |r: EventRole| roles.contains(&r);
    let mut st = conn.sql().prepare_cached(
        "SELECT body FROM events WHERE command_id = ?1
           AND ((role = 'event' AND ?2) OR (role = 'correction' AND ?3) OR (role = 'compensation' AND ?4))
         ORDER BY seq",
    )?;
    let rows = st.query_map(
        params![
            command_id,
            wanted(EventRole::Event),
            wanted(EventRole::Correction),
            wanted(EventRole::Compensation)
        ],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The time of the newest stored event (a station's clock never goes back behind it).
pub fn last_event_time(conn: &Conn) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT max(event_time_ms) FROM events")?
        .query_row([], |r| r.get(0))?)
}

/// The bodies of all events stored at or after a time (error declarations included), in
/// commit order.
pub fn event_bodies_since(conn: &Conn, since_ms: i64) -> Result<Vec<String>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT body FROM events WHERE event_time_ms >= ?1 ORDER BY id")?;
    let rows = st.query_map([since_ms], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One event in the history of an EPC, with the command that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpcEvent {
    /// Event time.
    pub time_ms: i64,
    /// The event as stored (JSON-LD).
    pub body: String,
    /// Whether it is an error declaration.
    pub correction: bool,
    /// The command kind (`pack`, `close`, ...).
    pub command: String,
    /// Who gave the command.
    pub username: String,
    /// The supervisor signature of the command, as `Full Name (user): meaning`.
    pub signature: Option<String>,
    /// The command's id (a move's DELETE and ADD share it).
    pub command_id: i64,
    /// The signer, as `Full Name (user)`.
    pub signer: Option<String>,
    /// The meaning of the signature, as recorded.
    pub meaning: Option<String>,
}

/// Every event naming an EPC, in the order they were stored.
pub fn epc_history(conn: &Conn, epc: &str) -> Result<Vec<EpcEvent>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT e.event_time_ms, e.body, e.correction, c.kind, c.username,
                s.full_name || ' (' || s.username || ')', s.meaning, c.id
         FROM event_epcs x JOIN events e ON e.id = x.event_id JOIN commands c ON c.id = e.command_id
         LEFT JOIN signatures s ON s.id = (SELECT MIN(id) FROM signatures WHERE command_id = c.id)
         WHERE x.epc = ?1 ORDER BY e.id",
    )?;
    let rows = st.query_map([epc], |r| {
        let signer: Option<String> = r.get(5)?;
        let meaning: Option<String> = r.get(6)?;
        Ok(EpcEvent {
            time_ms: r.get(0)?,
            body: r.get(1)?,
            correction: r.get(2)?,
            command: r.get(3)?,
            username: r.get(4)?,
            signature: signer
                .as_ref()
                .zip(meaning.as_ref())
                .map(|(s, m)| format!("{s}: {m}")),
            command_id: r.get(7)?,
            signer,
            meaning,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The distinct EPCs named by the events of a command.
pub fn command_epcs(conn: &Conn, command_id: i64) -> Result<Vec<String>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT DISTINCT x.epc FROM events e JOIN event_epcs x ON x.event_id = e.id WHERE e.command_id = ?1",
    )?;
    let rows = st.query_map([command_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
