//! The shift at a glance (issue 15, the supervisor view): refusals recorded as evidence, and the
//! counts a supervisor looks at over a time window — packs, cases and pallets completed per
//! hour, refusals per reason.
//!
//! ```
//! use packbench::store::{NewRefusal, Store, insert_refusal, refusal_counts};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = Store::open_dir(dir.path()).unwrap();
//! let tx = store.begin().unwrap();
//! insert_refusal(&tx, &NewRefusal {
//!     time_ms: 1_000, username: "pat", mode: "pack", command: "scan", source: "station",
//!     code: "WRONG_PRODUCT", scan: Some("(01)09506000134369(21)X1"), detail: None,
//! }).unwrap();
//! tx.commit().unwrap();
//! assert_eq!(refusal_counts(store.conn(), 0, 2_000).unwrap(), vec![("WRONG_PRODUCT".to_owned(), 1)]);
//! ```

use super::{Conn, StoreError, Tx};
use rusqlite::params;

/// One hour in milliseconds (the width of a bucket of [`completed_per_hour`]).
pub const HOUR_MS: i64 = 3_600_000;

/// A refusal to record.
#[derive(Debug, Clone, Copy)]
pub struct NewRefusal<'a> {
    /// When (Unix ms).
    pub time_ms: i64,
    /// Who gave the command (`-` when nobody was logged in).
    pub username: &'a str,
    /// The scan mode then (`pack`, `remove`, ...).
    pub mode: &'a str,
    /// The command refused (`scan`, `close`, ...; `-` for a line that named none).
    pub command: &'a str,
    /// Who refused it: `station`, `screen` (before the scan reached the station) or `protocol`
    /// (a malformed line).
    pub source: &'a str,
    /// The reason code, e.g. `WRONG_PRODUCT`.
    pub code: &'a str,
    /// What was scanned, when the command named a unit.
    pub scan: Option<&'a str>,
    /// The station's detail (English, for support).
    pub detail: Option<&'a str>,
}

/// A recorded refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalRow {
    /// Row id.
    pub id: i64,
    /// When (Unix ms).
    pub time_ms: i64,
    /// Who.
    pub username: String,
    /// The scan mode then.
    pub mode: String,
    /// The command refused.
    pub command: String,
    /// Who refused it (`station`, `screen`, `protocol`).
    pub source: String,
    /// The reason code.
    pub code: String,
    /// What was scanned.
    pub scan: Option<String>,
    /// The station's detail.
    pub detail: Option<String>,
}

/// Records a refusal; returns its id.
pub fn insert_refusal(tx: &Tx<'_>, r: &NewRefusal<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO refusals (time_ms, username, mode, command, source, code, scan, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            r.time_ms, r.username, r.mode, r.command, r.source, r.code, r.scan, r.detail
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// Refusals in `[from_ms, until_ms)` per reason code: the most frequent first (ties by code).
pub fn refusal_counts(
    conn: &Conn,
    from_ms: i64,
    until_ms: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT code, count(*) FROM refusals WHERE time_ms >= ?1 AND time_ms < ?2
         GROUP BY code ORDER BY count(*) DESC, code",
    )?;
    let rows = st.query_map([from_ms, until_ms], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest `limit` refusals in `[from_ms, until_ms)`, newest first.
pub fn recent_refusals(
    conn: &Conn,
    from_ms: i64,
    until_ms: i64,
    limit: i64,
) -> Result<Vec<RefusalRow>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT id, time_ms, username, mode, command, source, code, scan, detail FROM refusals
         WHERE time_ms >= ?1 AND time_ms < ?2 ORDER BY time_ms DESC, id DESC LIMIT ?3",
    )?;
    let rows = st.query_map([from_ms, until_ms, limit], |r| {
        Ok(RefusalRow {
            id: r.get(0)?,
            time_ms: r.get(1)?,
            username: r.get(2)?,
            mode: r.get(3)?,
            command: r.get(4)?,
            source: r.get(5)?,
            code: r.get(6)?,
            scan: r.get(7)?,
            detail: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the commands of `[from_ms, until_ms)` completed, per hour from `from_ms` and level:
/// (hour index, level, count). A pack is completed when a command put it into a container
/// while it was in none (packing; a move is not counted again); a case, pallet or shipping
/// container when a command closed it. Undone commands and undos count for nothing (the
/// undone work did not happen).
pub fn completed_per_hour(
    conn: &Conn,
    from_ms: i64,
    until_ms: i64,
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT (c.time_ms - ?1) / ?3, u.level, count(*)
         FROM commands c, json_each(c.changes) j
         JOIN units u ON u.id = json_extract(j.value, '$.id')
         WHERE c.time_ms >= ?1 AND c.time_ms < ?2
           AND c.undoes IS NULL AND c.undone_by IS NULL
           AND coalesce(json_extract(j.value, '$.deleted'), 0) = 0
           AND ((u.level = 'pack'
                 AND json_extract(j.value, '$.after.parent') IS NOT NULL
                 AND json_extract(j.value, '$.before.parent') IS NULL)
             OR (u.level != 'pack'
                 AND json_extract(j.value, '$.after.state') = 'closed'
                 AND coalesce(json_extract(j.value, '$.before.state'), '') != 'closed'))
         GROUP BY 1, 2
         ORDER BY 1, 2",
    )?;
    let rows = st.query_map([from_ms, until_ms, HOUR_MS], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
