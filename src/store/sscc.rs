//! SSCC ranges and the labels allocated from them, as stored. The allocation rules (validating
//! a range, refusing overlaps, skipping SSCCs in use) live in `labels::alloc`; the label
//! workflow (print, verify, reprint, void) in the station. Both call these queries inside the
//! command's transaction.

use super::{Conn, StoreError, Tx};
use crate::gs1::Sscc;
use rusqlite::{OptionalExtension, params};

/// A range to add, in stored form.
#[derive(Debug, Clone, Copy)]
pub struct NewRange<'a> {
    /// GS1 company prefix.
    pub company_prefix: &'a str,
    /// Extension digit.
    pub extension_digit: u8,
    /// First serial reference.
    pub first: i64,
    /// Last serial reference (inclusive).
    pub last: i64,
    /// `local` or `pool`.
    pub source: &'a str,
    /// The repository pool, for `pool` ranges.
    pub origin: Option<&'a str>,
    /// When.
    pub created_ms: i64,
}

/// One range's state, for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RangeStock {
    /// Range id.
    pub id: i64,
    /// GS1 company prefix as configured (pool ranges migrated from the old per-SSCC pool use
    /// a 7-digit split of the same digits).
    pub company_prefix: String,
    /// Extension digit.
    pub extension_digit: u8,
    /// First serial reference.
    pub first: u64,
    /// Last serial reference.
    pub last: u64,
    /// Next serial reference to hand out.
    pub next: u64,
    /// `local` or `pool`.
    pub source: String,
    /// The repository pool, for `pool` ranges.
    pub origin: Option<String>,
    /// Serial references left.
    pub remaining: u64,
}

/// The range SSCCs are handed out from next: the oldest with serial references left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRange {
    /// Range id.
    pub id: i64,
    /// GS1 company prefix.
    pub company_prefix: String,
    /// Extension digit.
    pub extension_digit: u8,
    /// The serial reference to hand out now.
    pub next_serial: u64,
}

/// Where a label is in its life: allocated, printed (waiting to be scanned back), verified
/// (scanned back), or void (never to be applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelState {
    /// An SSCC was handed out for it.
    Allocated,
    /// Printed and not yet scanned back.
    Printed,
    /// Printed and scanned back.
    Verified,
    /// Voided: it will never be applied.
    Void,
}

impl LabelState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allocated => "allocated",
            Self::Printed => "printed",
            Self::Verified => "verified",
            Self::Void => "void",
        }
    }

    /// Parses the stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Allocated, Self::Printed, Self::Verified, Self::Void]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A label row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRow {
    /// Row id.
    pub id: i64,
    /// Its state.
    pub state: LabelState,
    /// The container level it was printed for (`case`, `pallet`, ...).
    pub level: String,
    /// The count (AI 37) the label printed last states; `None` when it carried no content
    /// (or was printed before the count was recorded).
    pub printed_count: Option<u32>,
}

/// A label row to add (state `allocated`).
#[derive(Debug, Clone, Copy)]
pub struct NewLabel<'a> {
    /// The SSCC.
    pub sscc: &'a Sscc,
    /// The range it came from (`None` for a container that already had its SSCC).
    pub range_id: Option<i64>,
    /// Container level.
    pub level: &'a str,
    /// Work order.
    pub work_order: Option<&'a str>,
    /// Who.
    pub username: &'a str,
    /// When.
    pub allocated_ms: i64,
}

/// The id of a configured range with the same prefix and extension digit whose serial
/// references meet `first..=last`, if any.
pub fn overlapping_range(
    conn: &Conn,
    company_prefix: &str,
    extension_digit: u8,
    first: i64,
    last: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT id FROM sscc_ranges WHERE company_prefix = ?1 AND extension_digit = ?2
             AND first_serial <= ?4 AND last_serial >= ?3 LIMIT 1",
        )?
        .query_row(params![company_prefix, extension_digit, first, last], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Adds a range (nothing handed out yet); returns its id.
pub fn insert_range(tx: &Tx<'_>, range: &NewRange<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO sscc_ranges (company_prefix, extension_digit, first_serial, last_serial, next_serial, source, created_ms, origin)
             VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6, ?7)",
        )?
        .execute(params![
            range.company_prefix,
            range.extension_digit,
            range.first,
            range.last,
            range.source,
            range.created_ms,
            range.origin
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// SSCCs left in all ranges.
pub fn ssccs_remaining(conn: &Conn) -> Result<u64, StoreError> {
    let n: i64 = conn
        .sql()
        .prepare_cached(
            "SELECT coalesce(sum(last_serial - next_serial + 1), 0) FROM sscc_ranges WHERE next_serial <= last_serial",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every range, oldest first.
pub fn ranges(conn: &Conn) -> Result<Vec<RangeStock>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT id, company_prefix, extension_digit, first_serial, last_serial, next_serial, source, origin
         FROM sscc_ranges ORDER BY id",
    )?;
    let rows = st.query_map([], |r| {
        let first: i64 = r.get(3)?;
        let last: i64 = r.get(4)?;
        let next: i64 = r.get(5)?;
        Ok(RangeStock {
            id: r.get(0)?,
            company_prefix: r.get(1)?,
            extension_digit: r.get(2)?,
            first: u64::try_from(first).unwrap_or(0),
            last: u64::try_from(last).unwrap_or(0),
            next: u64::try_from(next).unwrap_or(0),
            source: r.get(6)?,
            origin: r.get(7)?,
            remaining: u64::try_from(last - next + 1).unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The oldest range with serial references left, if any.
pub fn oldest_open_range(conn: &Conn) -> Result<Option<OpenRange>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT id, company_prefix, extension_digit, next_serial FROM sscc_ranges
             WHERE next_serial <= last_serial ORDER BY id LIMIT 1",
        )?
        .query_row([], |r| {
            let next: i64 = r.get(3)?;
            Ok(OpenRange {
                id: r.get(0)?,
                company_prefix: r.get(1)?,
                extension_digit: r.get(2)?,
                next_serial: u64::try_from(next).unwrap_or(0),
            })
        })
        .optional()?)
}

/// Moves a range's next serial reference on by one (the current one is handed out).
pub fn advance_range(tx: &Tx<'_>, range_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE sscc_ranges SET next_serial = next_serial + 1 WHERE id = ?1")?
        .execute([range_id])?;
    Ok(())
}

/// Whether an SSCC is in use already: a unit with its key, or a label with that SSCC.
pub fn sscc_taken(conn: &Conn, sscc: &Sscc) -> Result<bool, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM units WHERE key = ?1) OR EXISTS(SELECT 1 FROM labels WHERE sscc = ?2)",
        )?
        .query_row(params![sscc.unit_key(), sscc.as_str()], |r| r.get(0))?)
}

/// Adds a label row (state `allocated`); returns its id.
pub fn insert_label(tx: &Tx<'_>, label: &NewLabel<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO labels (sscc, range_id, level, work_order, state, username, allocated_ms)
             VALUES (?1, ?2, ?3, ?4, 'allocated', ?5, ?6)",
        )?
        .execute(params![
            label.sscc.as_str(),
            label.range_id,
            label.level,
            label.work_order,
            label.username,
            label.allocated_ms
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// The id of the label row of an SSCC, adding it (state `allocated`) when there is none yet.
pub fn ensure_label(tx: &Tx<'_>, label: &NewLabel<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO labels (sscc, range_id, level, work_order, state, username, allocated_ms)
             VALUES (?1, ?2, ?3, ?4, 'allocated', ?5, ?6) ON CONFLICT(sscc) DO NOTHING",
        )?
        .execute(params![
            label.sscc.as_str(),
            label.range_id,
            label.level,
            label.work_order,
            label.username,
            label.allocated_ms
        ])?;
    Ok(tx
        .sql()
        .prepare_cached("SELECT id FROM labels WHERE sscc = ?1")?
        .query_row([label.sscc.as_str()], |r| r.get(0))?)
}

/// The label row of an SSCC, if one was allocated.
pub fn label_by_sscc(conn: &Conn, sscc: &Sscc) -> Result<Option<LabelRow>, StoreError> {
    let row: Option<(i64, String, String, Option<i64>)> = conn
        .sql()
        .prepare_cached("SELECT id, state, level, printed_count FROM labels WHERE sscc = ?1")?
        .query_row([sscc.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((id, state, level, printed_count)) = row else {
        return Ok(None);
    };
    let state = LabelState::parse(&state).ok_or(StoreError::BadValue {
        what: "labels.state",
        value: state,
    })?;
    let printed_count = printed_count
        .map(|c| {
            u32::try_from(c).map_err(|_| StoreError::BadValue {
                what: "labels.printed_count",
                value: c.to_string(),
            })
        })
        .transpose()?;
    Ok(Some(LabelRow {
        id,
        state,
        level,
        printed_count,
    }))
}

/// The SSCC of the label printed last and not yet scanned back, if any.
pub fn label_awaiting_scan(conn: &Conn) -> Result<Option<Sscc>, StoreError> {
    let sscc: Option<String> = conn
        .sql()
        .prepare_cached(
            "SELECT sscc FROM labels WHERE state = 'printed' ORDER BY printed_ms DESC, id DESC LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    // Written from a valid `Sscc`; a row that no longer reads as one waits for nothing.
    Ok(sscc.and_then(|s| s.parse().ok()))
}

/// Whether the label of an SSCC was printed and not yet scanned back.
pub fn label_printed_unverified(conn: &Conn, sscc: &Sscc) -> Result<bool, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM labels WHERE sscc = ?1 AND state = 'printed')",
        )?
        .query_row([sscc.as_str()], |r| r.get(0))?)
}

/// Records a print (or reprint) of a label: it waits to be scanned back again. `count` is the
/// count (AI 37) it states, `None` when it carries no content.
pub fn mark_label_printed(
    tx: &Tx<'_>,
    label_id: i64,
    now_ms: i64,
    count: Option<u32>,
) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE labels SET state = 'printed', printed_ms = ?2, print_count = print_count + 1,
                    printed_count = ?3
             WHERE id = ?1",
        )?
        .execute(params![label_id, now_ms, count])?;
    Ok(())
}

/// Records that the label of an SSCC was scanned back.
pub fn mark_label_verified(tx: &Tx<'_>, sscc: &Sscc, now_ms: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE labels SET state = 'verified', verified_ms = ?2 WHERE sscc = ?1")?
        .execute(params![sscc.as_str(), now_ms])?;
    Ok(())
}

/// Voids a label: it will never be applied (its SSCC is never handed out again).
pub fn void_label(tx: &Tx<'_>, label_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE labels SET state = 'void' WHERE id = ?1")?
        .execute([label_id])?;
    Ok(())
}
