//! Holds (quarantine): a unit, a container or a lot that must not be packed, moved or shipped
//! until QA releases it. A row is active until `released_ms` is set; nothing is deleted.

use super::{Conn, StoreError, Tx};
use crate::domain::{Hold, HoldReason, HoldScope};
use rusqlite::{OptionalExtension, Row, params};

/// A hold to record (the command and signature ids are added when the command commits).
#[derive(Debug, Clone)]
pub struct NewHold<'a> {
    /// What it covers.
    pub scope: &'a HoldScope,
    /// Why.
    pub reason: HoldReason,
    /// Free-text comment.
    pub comment: Option<&'a str>,
    /// The signer who placed it.
    pub placed_by: &'a str,
    /// When.
    pub placed_ms: i64,
}

/// A hold as recorded, with its release once released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRecord {
    /// The hold.
    pub hold: Hold,
    /// The command that placed it.
    pub command_id: i64,
    /// The signature that placed it.
    pub signature_id: Option<i64>,
    /// Who released it (the QA signer), when released.
    pub released_by: Option<String>,
    /// When it was released (UTC ms).
    pub released_ms: Option<i64>,
    /// Why it was released.
    pub release_reason: Option<String>,
}

const HOLD_COLUMNS: &str = "id, scope, unit_id, unit_key, gtin, lot, reason, comment, placed_by, placed_ms, command_id, signature_id, released_by, released_ms, release_reason";

fn hold_from_row(r: &Row<'_>) -> rusqlite::Result<HoldRecord> {
    let scope: String = r.get(1)?;
    let unit_id: Option<i64> = r.get(2)?;
    let unit_key: Option<String> = r.get(3)?;
    let gtin: Option<String> = r.get(4)?;
    let lot: Option<String> = r.get(5)?;
    let scope = match (scope.as_str(), unit_id, unit_key, gtin, lot) {
        ("unit", Some(unit_id), Some(key), _, _) => HoldScope::Unit { unit_id, key },
        ("container", Some(unit_id), Some(key), _, _) => HoldScope::Container { unit_id, key },
        ("lot", _, _, Some(gtin), Some(lot)) => HoldScope::Lot { gtin, lot },
        _ => return Err(super::bad_column("holds.scope", &scope)),
    };
    let reason: String = r.get(6)?;
    Ok(HoldRecord {
        hold: Hold {
            id: r.get(0)?,
            scope,
            reason: reason
                .parse()
                .map_err(|_| super::bad_column("holds.reason", &reason))?,
            comment: r.get(7)?,
            placed_by: r.get(8)?,
            placed_ms: r.get(9)?,
        },
        command_id: r.get(10)?,
        signature_id: r.get(11)?,
        released_by: r.get(12)?,
        released_ms: r.get(13)?,
        release_reason: r.get(14)?,
    })
}

/// Records a hold placed by command `command_id` with signature `signature_id`; returns its id.
pub fn insert_hold(
    tx: &Tx<'_>,
    h: &NewHold<'_>,
    command_id: i64,
    signature_id: Option<i64>,
) -> Result<i64, StoreError> {
    let (unit_id, unit_key, gtin, lot) = match h.scope {
        HoldScope::Unit { unit_id, key } | HoldScope::Container { unit_id, key } => {
            (Some(*unit_id), Some(key.as_str()), None, None)
        }
        HoldScope::Lot { gtin, lot } => (None, None, Some(gtin.as_str()), Some(lot.as_str())),
    };
    tx.sql()
        .prepare_cached(
            "INSERT INTO holds (scope, unit_id, unit_key, gtin, lot, reason, comment, placed_by, placed_ms, command_id, signature_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            h.scope.kind(),
            unit_id,
            unit_key,
            gtin,
            lot,
            h.reason.code(),
            h.comment,
            h.placed_by,
            h.placed_ms,
            command_id,
            signature_id
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// A release to record on an active hold.
#[derive(Debug, Clone, Copy)]
pub struct HoldRelease<'a> {
    /// The hold.
    pub hold_id: i64,
    /// The QA signer.
    pub released_by: &'a str,
    /// When.
    pub released_ms: i64,
    /// Why.
    pub reason: &'a str,
    /// The releasing command.
    pub command_id: i64,
    /// Its signature.
    pub signature_id: Option<i64>,
}

/// Releases an active hold; `false` when it was not active.
pub fn release_hold(tx: &Tx<'_>, r: &HoldRelease<'_>) -> Result<bool, StoreError> {
    let n = tx
        .sql()
        .prepare_cached(
            "UPDATE holds SET released_by = ?2, released_ms = ?3, release_reason = ?4,
                 release_command_id = ?5, release_signature_id = ?6
             WHERE id = ?1 AND released_ms IS NULL",
        )?
        .execute(params![
            r.hold_id,
            r.released_by,
            r.released_ms,
            r.reason,
            r.command_id,
            r.signature_id
        ])?;
    Ok(n == 1)
}

/// The active holds, oldest first (there are few).
pub fn active_holds(conn: &Conn) -> Result<Vec<HoldRecord>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {HOLD_COLUMNS} FROM holds WHERE released_ms IS NULL ORDER BY id"
    ))?;
    let rows = st.query_map([], hold_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A hold by id, active or released.
pub fn hold_by_id(conn: &Conn, id: i64) -> Result<Option<HoldRecord>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached(&format!("SELECT {HOLD_COLUMNS} FROM holds WHERE id = ?1"))?;
    Ok(st.query_row([id], hold_from_row).optional()?)
}
