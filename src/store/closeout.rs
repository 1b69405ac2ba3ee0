//! Work order close-out: an order's units for the reconciliation, the signatures that approved
//! its short containers and its close, and the order's closed state.

use super::{Conn, StoreError, Tx};
use crate::domain::{ContainerState, Level, OrderUnit, SignatureRecord, UnitStatus};
use rusqlite::{OptionalExtension, Row, params};

fn order_unit_from_row(r: &Row<'_>) -> rusqlite::Result<OrderUnit> {
    let level: String = r.get(1)?;
    let status: String = r.get(2)?;
    let state: Option<String> = r.get(4)?;
    Ok(OrderUnit {
        key: r.get(0)?,
        level: Level::parse(&level).ok_or_else(|| super::bad_column("units.level", &level))?,
        status: UnitStatus::parse(&status)
            .ok_or_else(|| super::bad_column("units.status", &status))?,
        parent: r.get(3)?,
        state: match state {
            None => None,
            Some(s) => Some(
                ContainerState::parse(&s).ok_or_else(|| super::bad_column("units.state", &s))?,
            ),
        },
        child_count: r.get(5)?,
        capacity: r.get(6)?,
        listed: r.get(7)?,
        handled: r.get(8)?,
    })
}

/// Every unit of a work order (packs and containers), with its parent's key.
pub fn order_units(conn: &Conn, work_order: &str) -> Result<Vec<OrderUnit>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT u.key, u.level, u.status, p.key, u.state, u.child_count, u.capacity, u.listed,
                u.handled_ms IS NOT NULL
         FROM units u LEFT JOIN units p ON p.id = u.parent_id
         WHERE u.work_order = ?1
         ORDER BY u.id",
    )?;
    let rows = st.query_map([work_order], order_unit_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn signature_from_row(r: &Row<'_>) -> rusqlite::Result<SignatureRecord> {
    Ok(SignatureRecord {
        username: r.get(0)?,
        full_name: r.get(1)?,
        time_ms: r.get(2)?,
        meaning: r.get(3)?,
        reason: r.get(4)?,
        command: r.get(5)?,
    })
}

/// The latest signature on a command about `target` (a container's key) that is not undone.
pub fn latest_signature_on(
    conn: &Conn,
    target: &str,
) -> Result<Option<SignatureRecord>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT s.username, s.full_name, s.time_ms, s.meaning, s.reason, c.kind
         FROM audit a
         JOIN signatures s ON s.id = a.signature_id
         JOIN commands c ON c.id = s.command_id
         WHERE a.target = ?1 AND c.undone_by IS NULL AND c.undoes IS NULL
         ORDER BY a.seq DESC LIMIT 1",
    )?;
    Ok(st.query_row([target], signature_from_row).optional()?)
}

/// A work order's closed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedOrder {
    /// When it was closed (the close command's time).
    pub closed_ms: i64,
    /// Who was logged in.
    pub closed_by: String,
    /// The reconciliation signed (JSON).
    pub closeout: String,
    /// The close command's id.
    pub command: Option<i64>,
    /// The close command's recorded unit changes (JSON).
    pub changes: Option<String>,
    /// The supervisor's signature on the close.
    pub signature: Option<SignatureRecord>,
}

/// Whether a work order is closed.
pub fn work_order_closed(conn: &Conn, work_order: &str) -> Result<bool, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT status = 'closed' FROM work_orders WHERE id = ?1")?;
    Ok(st
        .query_row([work_order], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// How a work order was closed; `None` while it is open.
pub fn closed_order(conn: &Conn, work_order: &str) -> Result<Option<ClosedOrder>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT closed_ms, closed_by, closeout FROM work_orders
         WHERE id = ?1 AND status = 'closed'",
    )?;
    let row = st
        .query_row([work_order], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    let Some((closed_ms, closed_by, closeout)) = row else {
        return Ok(None);
    };
    let mut st = conn.sql().prepare_cached(
        "SELECT s.username, s.full_name, s.time_ms, s.meaning, s.reason, c.kind, c.id, c.changes
         FROM audit a
         JOIN signatures s ON s.id = a.signature_id
         JOIN commands c ON c.id = s.command_id
         WHERE a.target = ?1 AND a.action = 'close_work_order'
         ORDER BY a.seq DESC LIMIT 1",
    )?;
    let command = st
        .query_row([work_order], |r| {
            Ok((
                signature_from_row(r)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    Ok(Some(ClosedOrder {
        closed_ms,
        closed_by,
        closeout,
        command: command.as_ref().map(|c| c.1),
        changes: command.as_ref().map(|c| c.2.clone()),
        signature: command.map(|c| c.0),
    }))
}

/// Marks a work order closed, with the reconciliation signed (inside the close command's
/// transaction). `false` when it was not open (then nothing changed).
pub fn record_order_closed(
    tx: &Tx<'_>,
    work_order: &str,
    closed_ms: i64,
    closed_by: &str,
    closeout: &str,
) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE work_orders SET status = 'closed', closed_ms = ?2, closed_by = ?3, closeout = ?4
             WHERE id = ?1 AND status != 'closed'",
        )?
        .execute(params![work_order, closed_ms, closed_by, closeout])?;
    Ok(n > 0)
}

/// The closed work order that the user's next undo would reach into: the order of the user's
/// newest undoable command (as [`super::last_undoable_command`] picks it) when that order
/// was closed at or after the command.
pub fn undo_reaches_closed_order(
    conn: &Conn,
    username: &str,
) -> Result<Option<String>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT w.id FROM (
             SELECT work_order, time_ms FROM commands
             WHERE username = ?1 AND undoes IS NULL AND undone_by IS NULL AND changes != '[]'
             ORDER BY id DESC LIMIT 1
         ) c
         JOIN work_orders w ON w.id = c.work_order
         WHERE w.status = 'closed' AND c.time_ms <= w.closed_ms",
    )?;
    Ok(st.query_row([username], |r| r.get(0)).optional()?)
}

/// The work order of a unit, by key.
pub fn work_order_of_unit(conn: &Conn, key: &str) -> Result<Option<String>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT work_order FROM units WHERE key = ?1")?;
    Ok(st
        .query_row([key], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}
