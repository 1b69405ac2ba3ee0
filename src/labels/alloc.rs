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
pub use crate::store::RangeStock;
use crate::store::{self, Conn, NewLabel, NewRange, StoreError, Tx};

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
pub fn add_range(tx: &Tx<'_>, range: &SsccRange, now_ms: i64) -> Result<i64, AllocError> {
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
    let overlap = store::overlapping_range(
        tx,
        &range.company_prefix,
        range.extension_digit,
        first,
        last,
    )?;
    if let Some(existing) = overlap {
        return Err(AllocError::Overlap {
            range: range.to_string(),
            existing,
        });
    }
    Ok(store::insert_range(
        tx,
        &NewRange {
            company_prefix: &range.company_prefix,
            extension_digit: range.extension_digit,
            first,
            last,
            source: &range.source,
            origin: range.origin.as_deref(),
            created_ms: now_ms,
        },
    )?)
}

/// SSCCs left in all ranges.
pub fn remaining(conn: &Conn) -> Result<u64, AllocError> {
    Ok(store::ssccs_remaining(conn)?)
}

/// The low-stock threshold (setting [`LOW_STOCK_SETTING`], default [`DEFAULT_LOW_STOCK`]).
pub fn low_stock_threshold(conn: &Conn) -> Result<u64, AllocError> {
    Ok(store::setting(conn, LOW_STOCK_SETTING)?
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_LOW_STOCK))
}

/// SSCCs left, the threshold, and every range.
pub fn stock(conn: &Conn) -> Result<SsccStock, AllocError> {
    let ranges = store::ranges(conn)?;
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
pub fn allocate(tx: &Tx<'_>, owner: LabelOwner<'_>, now_ms: i64) -> Result<Allocation, AllocError> {
    loop {
        let Some(range) = store::oldest_open_range(tx)? else {
            return Err(AllocError::Exhausted);
        };
        store::advance_range(tx, range.id)?;
        let sscc = Sscc::new(
            &range.company_prefix,
            range.extension_digit,
            range.next_serial,
        )
        .map_err(|e| AllocError::BadRange {
            range: format!("{}", range.id),
            detail: e.to_string(),
        })?;
        if store::sscc_taken(tx, &sscc)? {
            continue;
        }
        let label_id = store::insert_label(
            tx,
            &NewLabel {
                sscc: &sscc,
                range_id: Some(range.id),
                level: owner.level,
                work_order: owner.work_order,
                username: owner.username,
                allocated_ms: now_ms,
            },
        )?;
        return Ok(Allocation {
            sscc,
            label_id,
            remaining: remaining(tx)?,
        });
    }
}
