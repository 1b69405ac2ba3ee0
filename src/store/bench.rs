//! What the bench is filling (the current container of each level, per work order, kept across
//! restarts) and the containers put aside partly filled (suspensions).

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// The current containers of a work order: (level name, unit row id).
pub fn current_containers(conn: &Conn, work_order: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT level, unit_id FROM current_containers WHERE work_order = ?1 ORDER BY level",
    )?;
    let rows = st.query_map([work_order], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets (or with `None` clears) the current container of a work order's level.
pub fn set_current_container(
    tx: &Tx<'_>,
    work_order: &str,
    level: &str,
    unit_id: Option<i64>,
) -> Result<(), StoreError> {
    match unit_id {
        Some(id) => {
            tx.sql()
                .prepare_cached(
                    "INSERT INTO current_containers (work_order, level, unit_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT(work_order, level) DO UPDATE SET unit_id = excluded.unit_id",
                )?
                .execute(params![work_order, level, id])?;
        }
        None => {
            tx.sql()
                .prepare_cached(
                    "DELETE FROM current_containers WHERE work_order = ?1 AND level = ?2",
                )?
                .execute(params![work_order, level])?;
        }
    }
    Ok(())
}

/// What was recorded when a container was put aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    /// The container's row id.
    pub unit_id: i64,
    /// Its work order.
    pub work_order: Option<String>,
    /// When.
    pub suspended_ms: i64,
    /// Who.
    pub username: String,
    /// Why, when given.
    pub note: Option<String>,
    /// The keys of its children then, sorted.
    pub contents: Vec<String>,
}

/// Records a suspension (replacing an older record of the same container).
pub fn insert_suspension(tx: &Tx<'_>, s: &Suspension) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT OR REPLACE INTO suspensions
               (unit_id, work_order, suspended_ms, username, note, child_count, contents)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            s.unit_id,
            s.work_order,
            s.suspended_ms,
            s.username,
            s.note,
            i64::try_from(s.contents.len()).unwrap_or(i64::MAX),
            s.contents.join("\n"),
        ])?;
    Ok(())
}

fn split_contents(text: &str) -> Vec<String> {
    text.split('\n')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

fn suspension_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Suspension> {
    let contents: String = r.get(5)?;
    Ok(Suspension {
        unit_id: r.get(0)?,
        work_order: r.get(1)?,
        suspended_ms: r.get(2)?,
        username: r.get(3)?,
        note: r.get(4)?,
        contents: split_contents(&contents),
    })
}

/// The suspension record of a container, if it has one.
pub fn suspension(conn: &Conn, unit_id: i64) -> Result<Option<Suspension>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT unit_id, work_order, suspended_ms, username, note, contents
         FROM suspensions WHERE unit_id = ?1",
    )?;
    Ok(st.query_row([unit_id], suspension_from_row).optional()?)
}

/// Records the contents a check found in a suspended container (resuming compares with them).
pub fn update_suspension_contents(
    tx: &Tx<'_>,
    unit_id: i64,
    contents: &[String],
) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE suspensions SET contents = ?2, child_count = ?3 WHERE unit_id = ?1",
        )?
        .execute(params![
            unit_id,
            contents.join("\n"),
            i64::try_from(contents.len()).unwrap_or(i64::MAX)
        ])?;
    Ok(())
}

/// Forgets a container's suspension (it was resumed or closed).
pub fn delete_suspension(tx: &Tx<'_>, unit_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("DELETE FROM suspensions WHERE unit_id = ?1")?
        .execute([unit_id])?;
    Ok(())
}

/// The containers that are suspended now (state `suspended`), of one work order or of all,
/// oldest suspension first, each with its record when it has one.
pub fn suspended_containers(
    conn: &Conn,
    work_order: Option<&str>,
) -> Result<Vec<(i64, Option<Suspension>)>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT u.id, s.unit_id, s.work_order, s.suspended_ms, s.username, s.note, s.contents
         FROM units u LEFT JOIN suspensions s ON s.unit_id = u.id
         WHERE u.state = 'suspended' AND (?1 IS NULL OR u.work_order = ?1)
         ORDER BY coalesce(s.suspended_ms, 0), u.id",
    )?;
    let rows = st.query_map([work_order], |r| {
        let id: i64 = r.get(0)?;
        let has: Option<i64> = r.get(1)?;
        let rec = match has {
            None => None,
            Some(_) => {
                let contents: String = r.get(6)?;
                Some(Suspension {
                    unit_id: id,
                    work_order: r.get(2)?,
                    suspended_ms: r.get(3)?,
                    username: r.get(4)?,
                    note: r.get(5)?,
                    contents: split_contents(&contents),
                })
            }
        };
        Ok((id, rec))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a work order's "open the next container automatically" option.
pub fn set_auto_open_next(tx: &Tx<'_>, work_order: &str, on: bool) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached("UPDATE work_orders SET auto_open_next = ?2 WHERE id = ?1")?
        .execute(params![work_order, on])?;
    Ok(n > 0)
}
