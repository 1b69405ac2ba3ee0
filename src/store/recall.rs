//! Recall: every unit of a GTIN + lot the station knows, each with the chain of containers
//! above it, in one indexed query (`units_by_lot`), and the last event the station recorded
//! for a unit.

use super::{Conn, StoreError};
use rusqlite::params;

/// A unit of a lot with its containers (nearest first, up to four levels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotUnit {
    /// Row id.
    pub id: i64,
    /// Bracketed key.
    pub key: String,
    /// EPC URI.
    pub epc: String,
    /// Level (`pack`, `case`, ...).
    pub level: String,
    /// Status (`active`, `decommissioned`, ...).
    pub status: String,
    /// Expiry `YYMMDD`.
    pub expiry: Option<String>,
    /// The containers above it, nearest first: (row id, key, EPC, level).
    pub chain: Vec<(i64, String, String, String)>,
}

/// Every unit of the lot, in row order, with its container chain.
pub fn lot_units(conn: &Conn, gtin: &str, lot: &str) -> Result<Vec<LotUnit>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT u.id, u.key, u.epc, u.level, u.status, u.expiry,
                p1.id, p1.key, p1.epc, p1.level,
                p2.id, p2.key, p2.epc, p2.level,
                p3.id, p3.key, p3.epc, p3.level,
                p4.id, p4.key, p4.epc, p4.level
         FROM units u
         LEFT JOIN units p1 ON p1.id = u.parent_id
         LEFT JOIN units p2 ON p2.id = p1.parent_id
         LEFT JOIN units p3 ON p3.id = p2.parent_id
         LEFT JOIN units p4 ON p4.id = p3.parent_id
         WHERE u.gtin = ?1 AND u.lot = ?2
         ORDER BY u.id",
    )?;
    let rows = st.query_map(params![gtin, lot], |r| {
        let mut chain = Vec::new();
        for base in [6, 10, 14, 18] {
            let id: Option<i64> = r.get(base)?;
            let Some(id) = id else { break };
            chain.push((id, r.get(base + 1)?, r.get(base + 2)?, r.get(base + 3)?));
        }
        Ok(LotUnit {
            id: r.get(0)?,
            key: r.get(1)?,
            epc: r.get(2)?,
            level: r.get(3)?,
            status: r.get(4)?,
            expiry: r.get(5)?,
            chain,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The last event the station recorded naming an EPC: (time ms, stored body).
pub fn last_event_of(conn: &Conn, epc: &str) -> Result<Option<(i64, String)>, StoreError> {
    use rusqlite::OptionalExtension;
    let mut st = conn.sql().prepare_cached(
        "SELECT e.event_time_ms, e.body FROM event_epcs x JOIN events e ON e.id = x.event_id
         WHERE x.epc = ?1 ORDER BY e.event_time_ms DESC, e.id DESC LIMIT 1",
    )?;
    Ok(st
        .query_row([epc], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}
