//! Units (packs and containers): look-up by key or id, the parent chain, children and
//! subtrees, open containers; inserting, updating and (for undo) deleting a unit row.

use super::{Conn, StoreError, Tx};
use crate::domain::{ContainerState, Level, UnitStatus, UnitView};
use rusqlite::{OptionalExtension, Row, params};

const UNIT_COLUMNS: &str = "id, key, epc, level, status, gtin, lot, expiry, parent_id, published, state, child_count, capacity, work_order";

fn unit_from_row(r: &Row<'_>) -> rusqlite::Result<UnitView> {
    let level: String = r.get(3)?;
    let status: String = r.get(4)?;
    let state: Option<String> = r.get(10)?;
    Ok(UnitView {
        id: r.get(0)?,
        key: r.get(1)?,
        epc: r.get(2)?,
        level: Level::parse(&level).ok_or_else(|| super::bad_column("units.level", &level))?,
        status: UnitStatus::parse(&status)
            .ok_or_else(|| super::bad_column("units.status", &status))?,
        gtin: r.get(5)?,
        lot: r.get(6)?,
        expiry: r.get(7)?,
        parent_id: r.get(8)?,
        published: r.get(9)?,
        state: match state {
            None => None,
            Some(s) => Some(
                ContainerState::parse(&s).ok_or_else(|| super::bad_column("units.state", &s))?,
            ),
        },
        child_count: r.get(11)?,
        capacity: r.get(12)?,
        work_order: r.get(13)?,
    })
}

/// A unit by its GS1 key in bracketed form (`(01)...(21)...` or `(00)...`).
pub fn unit_by_key(conn: &Conn, key: &str) -> Result<Option<UnitView>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE key = ?1"))?;
    Ok(st.query_row([key], unit_from_row).optional()?)
}

/// The first unit (by key) whose key contains `fragment` (a serial, part of an SSCC): Find
/// for a unit not in the tree shown. `%`, `_` and `\\` in the fragment match themselves.
pub fn unit_key_containing(conn: &Conn, fragment: &str) -> Result<Option<String>, StoreError> {
    let escaped: String = fragment
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let mut st = conn.sql().prepare_cached(
        "SELECT key FROM units WHERE key LIKE '%' || ?1 || '%' ESCAPE '\\' ORDER BY key LIMIT 1",
    )?;
    Ok(st.query_row([escaped], |r| r.get(0)).optional()?)
}

/// A unit by row id.
pub fn unit_by_id(conn: &Conn, id: i64) -> Result<Option<UnitView>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = ?1"))?;
    Ok(st.query_row([id], unit_from_row).optional()?)
}

/// The direct children of a container, in packing order.
pub fn children(conn: &Conn, id: i64) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE parent_id = ?1 ORDER BY updated_ms, id"
    ))?;
    let rows = st.query_map([id], unit_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parent chain of a unit, nearest first, up to the top.
pub fn ancestors(conn: &Conn, unit: &UnitView) -> Result<Vec<UnitView>, StoreError> {
    let mut out = Vec::new();
    let mut next = unit.parent_id;
    while let Some(id) = next {
        // A cycle can only come from a hand-edited file; stop rather than loop forever.
        if out.len() > 16 {
            return Err(StoreError::BadValue {
                what: "units.parent_id",
                value: format!("cycle at unit {id}"),
            });
        }
        let Some(parent) = unit_by_id(conn, id)? else {
            break;
        };
        next = parent.parent_id;
        out.push(parent);
    }
    Ok(out)
}

/// The whole subtree under a unit (not including it), parents before their children.
pub fn subtree(conn: &Conn, id: i64) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "WITH RECURSIVE t(id, depth) AS (
             SELECT id, 1 FROM units WHERE parent_id = ?1
             UNION ALL
             SELECT u.id, t.depth + 1 FROM units u JOIN t ON u.parent_id = t.id WHERE t.depth < 8
         )
         SELECT {UNIT_COLUMNS} FROM units WHERE id IN (SELECT id FROM t) ORDER BY level DESC, id"
    ))?;
    let rows = st.query_map([id], unit_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// All open containers (there are few), lowest level first.
pub fn open_containers(conn: &Conn) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE state = 'open' ORDER BY id"
    ))?;
    let rows = st.query_map([], unit_from_row)?;
    let mut v: Vec<UnitView> = rows.collect::<Result<_, _>>()?;
    v.sort_by_key(|u| u.level);
    Ok(v)
}

/// A unit to insert.
#[derive(Debug, Clone)]
pub struct NewUnit<'a> {
    /// Bracketed GS1 key.
    pub key: &'a str,
    /// EPC URI.
    pub epc: &'a str,
    /// Level.
    pub level: Level,
    /// GTIN, for SGTIN-identified units.
    pub gtin: Option<&'a str>,
    /// Lot.
    pub lot: Option<&'a str>,
    /// Expiry YYMMDD.
    pub expiry: Option<&'a str>,
    /// Container state (containers only).
    pub state: Option<ContainerState>,
    /// Capacity (containers only).
    pub capacity: Option<u32>,
    /// Work order.
    pub work_order: Option<&'a str>,
    /// Whether it comes from a commissioned serial list.
    pub listed: bool,
    /// Time.
    pub time_ms: i64,
}

/// Inserts a unit (status active, no parent) and returns its row id.
pub fn insert_unit(tx: &Tx<'_>, u: &NewUnit<'_>) -> Result<i64, StoreError> {
    let mut st = tx.sql().prepare_cached(
        "INSERT INTO units (key, epc, level, status, gtin, lot, expiry, state, capacity, work_order, listed, updated_ms)
         VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    st.execute(params![
        u.key,
        u.epc,
        u.level.as_str(),
        u.gtin,
        u.lot,
        u.expiry,
        u.state.map(ContainerState::as_str),
        u.capacity,
        u.work_order,
        u.listed,
        u.time_ms
    ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// Writes the mutable fields of a unit back (parent, published flag, state, status, child count);
/// the first such write also records when the station first handled the unit.
pub fn update_unit(tx: &Tx<'_>, u: &UnitView, time_ms: i64) -> Result<(), StoreError> {
    let mut st = tx.sql().prepare_cached(
        "UPDATE units SET parent_id = ?2, published = ?3, state = ?4, status = ?5, child_count = ?6, updated_ms = ?7,
             handled_ms = COALESCE(handled_ms, ?7)
         WHERE id = ?1",
    )?;
    st.execute(params![
        u.id,
        u.parent_id,
        u.published,
        u.state.map(ContainerState::as_str),
        u.status.as_str(),
        u.child_count,
        time_ms
    ])?;
    Ok(())
}

/// Deletes a unit row (undo of the command that created it, once nothing refers to it).
pub fn delete_unit(tx: &Tx<'_>, id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("DELETE FROM units WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Every unit of a GTIN and lot the station knows, oldest first (what a lot hold covers
/// today).
pub fn units_of_lot(conn: &Conn, gtin: &str, lot: &str) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE gtin = ?1 AND lot = ?2 ORDER BY id"
    ))?;
    let rows = st.query_map([gtin, lot], unit_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first unit of a GTIN and lot inside `root`'s subtree (not `root` itself), if any: a
/// container holding a pack of a held lot.
pub fn lot_in_subtree(
    conn: &Conn,
    root: i64,
    gtin: &str,
    lot: &str,
) -> Result<Option<UnitView>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "WITH RECURSIVE t(id, depth) AS (
             SELECT id, 1 FROM units WHERE parent_id = ?1
             UNION ALL
             SELECT u.id, t.depth + 1 FROM units u JOIN t ON u.parent_id = t.id WHERE t.depth < 8
         )
         SELECT {UNIT_COLUMNS} FROM units
         WHERE id IN (SELECT id FROM t) AND gtin = ?2 AND lot = ?3 ORDER BY id LIMIT 1"
    ))?;
    Ok(st
        .query_row(params![root, gtin, lot], unit_from_row)
        .optional()?)
}

/// The first `limit` serial-list entries of a work order that no command of this station has
/// touched (never packed, retired or put on hold here), oldest first: their keys.
pub fn unhandled_listed(
    conn: &Conn,
    work_order: &str,
    limit: u32,
) -> Result<Vec<String>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT key FROM units
         WHERE work_order = ?1 AND listed = 1 AND handled_ms IS NULL
           AND parent_id IS NULL AND status = 'active'
         ORDER BY id LIMIT ?2",
    )?;
    let rows = st.query_map(params![work_order, limit], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
