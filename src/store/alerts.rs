//! Counterfeit alerts: recorded when a scan is refused with an alert-level reason, open until a
//! supervisor acknowledges them.

use super::{Conn, StoreError, Tx};
use rusqlite::params;
use serde::Serialize;

/// An alert to record.
#[derive(Debug, Clone, Copy)]
pub struct NewAlert<'a> {
    /// When.
    pub time_ms: i64,
    /// Reason code string, e.g. `UNKNOWN_SERIAL`.
    pub code: &'a str,
    /// The key of what was scanned (`-` when unknown).
    pub key: &'a str,
    /// What was wrong.
    pub detail: &'a str,
    /// Who scanned it (`-` when nobody was logged in).
    pub username: &'a str,
}

/// An open counterfeit alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertInfo {
    /// Alert id (for `acknowledge_alert`).
    pub id: i64,
    /// Reason code string, e.g. `UNKNOWN_SERIAL`.
    pub code: String,
    /// The core's technical detail (English, for support).
    pub detail: String,
    /// When (Unix ms).
    pub time_ms: i64,
    /// The unit scanned (its key, `-` when none).
    pub key: String,
}

/// Records an alert; returns its id.
pub fn insert_alert(tx: &Tx<'_>, alert: &NewAlert<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO alerts (time_ms, code, key, detail, username) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            alert.time_ms,
            alert.code,
            alert.key,
            alert.detail,
            alert.username
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// Acknowledges an open alert. `false` when there is no such open alert (then nothing changed).
pub fn acknowledge_alert(
    tx: &Tx<'_>,
    id: i64,
    username: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE alerts SET acknowledged_by = ?2, acknowledged_ms = ?3 WHERE id = ?1 AND acknowledged_by IS NULL",
        )?
        .execute(params![id, username, now_ms])?;
    Ok(n > 0)
}

/// Number of alerts nobody has acknowledged yet.
pub fn open_alert_count(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT count(*) FROM alerts WHERE acknowledged_by IS NULL")?
        .query_row([], |r| r.get(0))?)
}

/// The alerts nobody has acknowledged yet, oldest first.
pub fn open_alerts(conn: &Conn) -> Result<Vec<AlertInfo>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT id, code, detail, time_ms, key FROM alerts WHERE acknowledged_by IS NULL ORDER BY id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AlertInfo {
            id: r.get(0)?,
            code: r.get(1)?,
            detail: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            time_ms: r.get(3)?,
            key: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
