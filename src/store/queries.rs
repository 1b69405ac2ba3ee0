//! Queries of the station. All take a `&Connection` so they run inside the command's transaction
//! (a `Transaction` dereferences to one).

use super::StoreError;
use crate::domain::{
    ContainerState, Level, LevelError, PackagingSpec, Product, UnitStatus, UnitView, WorkOrder,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

const UNIT_COLUMNS: &str = "id, key, epc, level, status, gtin, lot, expiry, parent_id, published, state, child_count, capacity, work_order";

fn bad(what: &'static str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(StoreError::BadValue {
            what,
            value: value.to_owned(),
        }),
    )
}

fn unit_from_row(r: &Row<'_>) -> rusqlite::Result<UnitView> {
    let level: String = r.get(3)?;
    let status: String = r.get(4)?;
    let state: Option<String> = r.get(10)?;
    Ok(UnitView {
        id: r.get(0)?,
        key: r.get(1)?,
        epc: r.get(2)?,
        level: Level::parse(&level).ok_or_else(|| bad("units.level", &level))?,
        status: UnitStatus::parse(&status).ok_or_else(|| bad("units.status", &status))?,
        gtin: r.get(5)?,
        lot: r.get(6)?,
        expiry: r.get(7)?,
        parent_id: r.get(8)?,
        published: r.get(9)?,
        state: match state {
            None => None,
            Some(s) => Some(ContainerState::parse(&s).ok_or_else(|| bad("units.state", &s))?),
        },
        child_count: r.get(11)?,
        capacity: r.get(12)?,
        work_order: r.get(13)?,
    })
}

/// A unit by its GS1 key in bracketed form (`(01)...(21)...` or `(00)...`).
pub fn unit_by_key(conn: &Connection, key: &str) -> Result<Option<UnitView>, StoreError> {
    let mut st =
        conn.prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE key = ?1"))?;
    Ok(st.query_row([key], unit_from_row).optional()?)
}

/// A unit by row id.
pub fn unit_by_id(conn: &Connection, id: i64) -> Result<Option<UnitView>, StoreError> {
    let mut st = conn.prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = ?1"))?;
    Ok(st.query_row([id], unit_from_row).optional()?)
}

/// The direct children of a container, in packing order.
pub fn children(conn: &Connection, id: i64) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE parent_id = ?1 ORDER BY updated_ms, id"
    ))?;
    let rows = st.query_map([id], unit_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parent chain of a unit, nearest first, up to the top.
pub fn ancestors(conn: &Connection, unit: &UnitView) -> Result<Vec<UnitView>, StoreError> {
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
pub fn subtree(conn: &Connection, id: i64) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.prepare_cached(&format!(
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
pub fn open_containers(conn: &Connection) -> Result<Vec<UnitView>, StoreError> {
    let mut st = conn.prepare_cached(&format!(
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
pub fn insert_unit(conn: &Connection, u: &NewUnit<'_>) -> Result<i64, StoreError> {
    let mut st = conn.prepare_cached(
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
    Ok(conn.last_insert_rowid())
}

/// Writes the mutable fields of a unit back (parent, published flag, state, status, child count).
pub fn update_unit(conn: &Connection, u: &UnitView, time_ms: i64) -> Result<(), StoreError> {
    let mut st = conn.prepare_cached(
        "UPDATE units SET parent_id = ?2, published = ?3, state = ?4, status = ?5, child_count = ?6, updated_ms = ?7
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

/// A product by GTIN.
pub fn load_product(conn: &Connection, gtin: &str) -> Result<Option<Product>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT gtin, name, company_prefix_len, level FROM products WHERE gtin = ?1",
    )?;
    Ok(st
        .query_row([gtin], |r| {
            let level: String = r.get(3)?;
            Ok(Product {
                gtin: r.get(0)?,
                name: r.get(1)?,
                company_prefix_len: r.get(2)?,
                level: Level::parse(&level).ok_or_else(|| bad("products.level", &level))?,
            })
        })
        .optional()?)
}

/// A work order by id.
pub fn load_work_order(conn: &Connection, id: &str) -> Result<Option<WorkOrder>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT id, gtin, lot, expiry, spec, has_serial_list FROM work_orders WHERE id = ?1",
    )?;
    let row = st
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    let Some((id, gtin, lot, expiry, spec, has_serial_list)) = row else {
        return Ok(None);
    };
    let spec = parse_spec(&spec).map_err(|_| StoreError::BadValue {
        what: "work_orders.spec",
        value: spec.clone(),
    })?;
    Ok(Some(WorkOrder {
        id,
        gtin,
        lot,
        expiry,
        spec,
        has_serial_list,
    }))
}

/// Parses the stored spec form `case:20,pallet:40`.
pub fn parse_spec(text: &str) -> Result<PackagingSpec, LevelError> {
    let mut levels = Vec::new();
    for part in text.split(',') {
        let (name, cap) = part.split_once(':').ok_or(LevelError::Empty)?;
        let level = Level::parse(name.trim()).ok_or(LevelError::Empty)?;
        let cap: u32 = cap
            .trim()
            .parse()
            .map_err(|_| LevelError::ZeroCapacity { level })?;
        levels.push((level, cap));
    }
    PackagingSpec::new(&levels)
}

/// Formats a spec for storage (`case:20,pallet:40`).
pub fn format_spec(spec: &PackagingSpec) -> String {
    spec.levels()
        .iter()
        .map(|(l, c)| format!("{}:{c}", l.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// A setting value.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    let mut st = conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
    Ok(st.query_row([key], |r| r.get(0)).optional()?)
}

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
    conn: &Connection,
    kind: &str,
    username: &str,
    time_ms: i64,
    work_order: Option<&str>,
    target: Option<&str>,
    changes: &str,
    undoes: Option<i64>,
) -> Result<i64, StoreError> {
    let mut st = conn.prepare_cached(
        "INSERT INTO commands (kind, username, time_ms, work_order, target, changes, undoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    st.execute(params![
        kind, username, time_ms, work_order, target, changes, undoes
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The newest command of a user that changed state and is not undone or an undo itself.
pub fn last_undoable_command(
    conn: &Connection,
    username: &str,
) -> Result<Option<CommandRecord>, StoreError> {
    let mut st = conn.prepare_cached(
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

/// Marks a command undone by another.
pub fn mark_undone(conn: &Connection, id: i64, by: i64) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE commands SET undone_by = ?2 WHERE id = ?1")?
        .execute(params![id, by])?;
    Ok(())
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
    /// Whether this is an error declaration (a correction of an earlier event with the same hash).
    pub correction: bool,
    /// Event time.
    pub event_time_ms: i64,
    /// The event as a JSON-LD object.
    pub body: &'a str,
    /// Every EPC it names (parent, children, epcList), for look-up history.
    pub epcs: &'a [String],
}

/// Stores one EPCIS event of a command, with its EPC index rows.
pub fn insert_event(conn: &Connection, e: &StoredEvent<'_>) -> Result<i64, StoreError> {
    conn.prepare_cached(
        "INSERT INTO events (command_id, seq, hash_id, correction, event_time_ms, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![e.command_id, e.seq, e.hash_id, e.correction, e.event_time_ms, e.body])?;
    let id = conn.last_insert_rowid();
    let mut st =
        conn.prepare_cached("INSERT OR IGNORE INTO event_epcs (epc, event_id) VALUES (?1, ?2)")?;
    for epc in e.epcs {
        st.execute(params![epc, id])?;
    }
    Ok(id)
}

/// Queues a command's events for the repository.
pub fn insert_outbox(conn: &Connection, command_id: i64, now_ms: i64) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO outbox (command_id, created_ms) VALUES (?1, ?2)")?
        .execute(params![command_id, now_ms])?;
    Ok(())
}

/// The stored events of a command (bodies), in order.
pub fn command_events(conn: &Connection, command_id: i64) -> Result<Vec<String>, StoreError> {
    let mut st =
        conn.prepare_cached("SELECT body FROM events WHERE command_id = ?1 ORDER BY seq")?;
    let rows = st.query_map([command_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Outbox row counts: (queued, sent, parked).
pub fn outbox_counts(conn: &Connection) -> Result<(i64, i64, i64), StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'sent'), 0), coalesce(sum(state = 'parked'), 0) FROM outbox",
    )?;
    Ok(st.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}
