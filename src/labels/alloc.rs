//! SSCC allocation: one store, one allocation path. Ranges are configured at the station
//! (`local`) or pulled from the repository's serial number pool (`pool`, e.g. QU4RTET's
//! serialbox: see `sync::allocate_ssccs`); both are rows of `sscc_ranges`, handed out oldest
//! range first by [`allocate`]. [`stock`] tells how many are left and whether that is below the
//! configured low-stock threshold (setting [`LOW_STOCK_SETTING`]).
//!
//! An SSCC is allocated inside the caller's write transaction (`BEGIN IMMEDIATE`) that also
//! advances the range and records the label row, so it is never handed out twice: not to two
//! stations sharing the file (the write lock serialises them), and not after a crash (either the
//! allocation committed, and the range moved on, or nothing happened). `labels.sscc` is UNIQUE as
//! a last line of defence; SSCCs already known as units (pre-printed labels) are skipped.

use crate::gs1::Sscc;
use crate::store::StoreError;
use rusqlite::{Connection, OptionalExtension, params};

/// A range of serial references to allocate SSCCs from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsccRange {
    /// GS1 company prefix (6 to 12 digits).
    pub company_prefix: String,
    /// Extension digit (0 to 9).
    pub extension_digit: u8,
    /// First serial reference.
    pub first: u64,
    /// Last serial reference (inclusive).
    pub last: u64,
    /// `local` (configured at the station) or `pool` (received from the repository).
    pub source: String,
    /// For a `pool` range: the repository pool it came from (e.g. a serialbox pool name).
    pub origin: Option<String>,
}

/// The setting holding the low-stock threshold (SSCCs left below which stations warn).
pub const LOW_STOCK_SETTING: &str = "sscc_low_stock";

/// The low-stock threshold when the setting is absent.
pub const DEFAULT_LOW_STOCK: u64 = 100;

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

/// SSCCs left, for status displays and the low-stock warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SsccStock {
    /// SSCCs left in all ranges.
    pub remaining: u64,
    /// The configured threshold.
    pub low_stock_threshold: u64,
    /// `remaining` is below the threshold: ask for a new range now.
    pub low: bool,
    /// Every range, oldest first.
    pub ranges: Vec<RangeStock>,
}

/// Why a range cannot be added or an SSCC not allocated.
// Not `PartialEq`: the store variant carries I/O errors; tests match on the variant.
#[derive(Debug, thiserror::Error)]
pub enum AllocError {
    /// No range has a serial reference left.
    #[error("no SSCC left: every configured range is used up")]
    Exhausted,
    /// The range is malformed (prefix, extension digit, first > last, too many digits).
    #[error("bad SSCC range {range}: {detail}")]
    BadRange {
        /// The range as given.
        range: String,
        /// What is wrong.
        detail: String,
    },
    /// The range overlaps one already configured.
    #[error("SSCC range {range} overlaps range {existing}")]
    Overlap {
        /// The range as given.
        range: String,
        /// The id of the range it overlaps.
        existing: i64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for AllocError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(e))
    }
}

/// One SSCC handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// The SSCC.
    pub sscc: Sscc,
    /// Its `labels` row.
    pub label_id: i64,
    /// SSCCs left in all ranges after this one.
    pub remaining: u64,
}

impl std::fmt::Display for SsccRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}/{}..{}",
            self.company_prefix, self.extension_digit, self.first, self.last
        )
    }
}

fn to_i64(v: u64, range: &SsccRange) -> Result<i64, AllocError> {
    i64::try_from(v).map_err(|_| AllocError::BadRange {
        range: range.to_string(),
        detail: format!("{v} is too large"),
    })
}

/// Adds a range (inside the caller's transaction); returns its id.
pub fn add_range(conn: &Connection, range: &SsccRange, now_ms: i64) -> Result<i64, AllocError> {
    let bad = |detail: String| AllocError::BadRange {
        range: range.to_string(),
        detail,
    };
    if range.first > range.last {
        return Err(bad(
            "the first serial reference is after the last".to_owned()
        ));
    }
    if !matches!(range.source.as_str(), "local" | "pool") {
        return Err(bad(format!(
            "source '{}' is not local or pool",
            range.source
        )));
    }
    // Both ends must make valid SSCCs (prefix digits and length, extension digit, serial fits).
    for serial in [range.first, range.last] {
        Sscc::new(&range.company_prefix, range.extension_digit, serial)
            .map_err(|e| bad(e.to_string()))?;
    }
    let (first, last) = (to_i64(range.first, range)?, to_i64(range.last, range)?);
    let overlap: Option<i64> = conn
        .query_row(
            "SELECT id FROM sscc_ranges WHERE company_prefix = ?1 AND extension_digit = ?2
             AND first_serial <= ?4 AND last_serial >= ?3 LIMIT 1",
            params![range.company_prefix, range.extension_digit, first, last],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(existing) = overlap {
        return Err(AllocError::Overlap {
            range: range.to_string(),
            existing,
        });
    }
    conn.execute(
        "INSERT INTO sscc_ranges (company_prefix, extension_digit, first_serial, last_serial, next_serial, source, created_ms, origin)
         VALUES (?1, ?2, ?3, ?4, ?3, ?5, ?6, ?7)",
        params![range.company_prefix, range.extension_digit, first, last, range.source, now_ms, range.origin],
    )?;
    Ok(conn.last_insert_rowid())
}

/// SSCCs left in all ranges.
pub fn remaining(conn: &Connection) -> Result<u64, AllocError> {
    let n: i64 = conn.query_row(
        "SELECT coalesce(sum(last_serial - next_serial + 1), 0) FROM sscc_ranges WHERE next_serial <= last_serial",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The low-stock threshold (setting [`LOW_STOCK_SETTING`], default [`DEFAULT_LOW_STOCK`]).
pub fn low_stock_threshold(conn: &Connection) -> Result<u64, AllocError> {
    Ok(crate::store::setting(conn, LOW_STOCK_SETTING)?
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_LOW_STOCK))
}

/// SSCCs left, the threshold, and every range.
pub fn stock(conn: &Connection) -> Result<SsccStock, AllocError> {
    let mut st = conn.prepare_cached(
        "SELECT id, company_prefix, extension_digit, first_serial, last_serial, next_serial, source, origin
         FROM sscc_ranges ORDER BY id",
    )?;
    let ranges: Vec<RangeStock> = st
        .query_map([], |r| {
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
        })?
        .collect::<Result<_, _>>()?;
    let remaining = ranges.iter().map(|r| r.remaining).sum();
    let low_stock_threshold = low_stock_threshold(conn)?;
    Ok(SsccStock {
        remaining,
        low_stock_threshold,
        low: remaining < low_stock_threshold,
        ranges,
    })
}

/// What a new label row records.
#[derive(Debug, Clone, Copy)]
pub struct LabelOwner<'a> {
    /// Container level.
    pub level: &'a str,
    /// Work order.
    pub work_order: Option<&'a str>,
    /// Who allocated it.
    pub username: &'a str,
}

/// Allocates the next free SSCC (oldest range first) and records it as `allocated`. Call inside
/// the write transaction that uses it.
pub fn allocate(
    conn: &Connection,
    owner: LabelOwner<'_>,
    now_ms: i64,
) -> Result<Allocation, AllocError> {
    loop {
        let row: Option<(i64, String, u8, i64)> = conn
            .query_row(
                "SELECT id, company_prefix, extension_digit, next_serial FROM sscc_ranges
                 WHERE next_serial <= last_serial ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((range_id, prefix, ext, serial)) = row else {
            return Err(AllocError::Exhausted);
        };
        conn.execute(
            "UPDATE sscc_ranges SET next_serial = next_serial + 1 WHERE id = ?1",
            params![range_id],
        )?;
        let sscc = Sscc::new(&prefix, ext, u64::try_from(serial).unwrap_or(0)).map_err(|e| {
            AllocError::BadRange {
                range: format!("{range_id}"),
                detail: e.to_string(),
            }
        })?;
        let key = sscc.unit_key();
        let taken: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM units WHERE key = ?1) OR EXISTS(SELECT 1 FROM labels WHERE sscc = ?2)",
            params![key, sscc.as_str()],
            |r| r.get(0),
        )?;
        if taken {
            continue;
        }
        conn.execute(
            "INSERT INTO labels (sscc, range_id, level, work_order, state, username, allocated_ms)
             VALUES (?1, ?2, ?3, ?4, 'allocated', ?5, ?6)",
            params![
                sscc.as_str(),
                range_id,
                owner.level,
                owner.work_order,
                owner.username,
                now_ms
            ],
        )?;
        let label_id = conn.last_insert_rowid();
        return Ok(Allocation {
            sscc,
            label_id,
            remaining: remaining(conn)?,
        });
    }
}
