//! The audit trail: every change, who, what, when, old and new value, reason and signature,
//! hash-chained so that an edit, deletion or reordering made directly in the file is detected.
//!
//! Record `n` stores `hash_n = SHA-256(hash_{n-1} || canonical(record_n))` with `hash_0` = 64 zeros;
//! the canonical form is the JSON array of the record's fields including its sequence number.

use crate::store::StoreError;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record to append.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditEntry {
    /// Unix ms.
    pub time_ms: i64,
    /// Who.
    pub username: String,
    /// What (the command kind, e.g. `pack`, `close`, `decommission`, `login`).
    pub action: String,
    /// The affected unit / object.
    pub target: Option<String>,
    /// Value before.
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
    /// Reason given.
    pub reason: Option<String>,
    /// Signature row id, when signed.
    pub signature_id: Option<i64>,
}

fn canonical(seq: i64, e: &AuditEntry) -> String {
    serde_json::json!([
        seq,
        e.time_ms,
        e.username,
        e.action,
        e.target,
        e.old_value,
        e.new_value,
        e.reason,
        e.signature_id
    ])
    .to_string()
}

fn chain(prev: &str, seq: i64, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical(seq, e).as_bytes());
    hex::encode(h.finalize())
}

/// Appends a record inside the caller's transaction; returns its sequence number.
pub fn append(conn: &Connection, e: &AuditEntry) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let hash = chain(&prev, seq, e);
    conn.prepare_cached(
        "INSERT INTO audit (seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        e.time_ms,
        e.username,
        e.action,
        e.target,
        e.old_value,
        e.new_value,
        e.reason,
        e.signature_id,
        prev,
        hash
    ])?;
    // The head is kept beside the chain, so deleting records at the end is detected too.
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([format!("{seq}:{hash}")])?;
    Ok(seq)
}

/// The first broken record found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit record {seq}: {problem}")]
pub struct AuditBreak {
    /// Sequence number of the first bad record.
    pub seq: i64,
    /// What is wrong.
    pub problem: String,
}

/// Walks the whole chain. Ok(number of records) or the first break.
pub fn verify(conn: &Connection) -> Result<Result<i64, AuditBreak>, StoreError> {
    let mut st = conn.prepare(
        "SELECT seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, prev_hash, hash
         FROM audit ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let e = AuditEntry {
            time_ms: r.get(1)?,
            username: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            old_value: r.get(5)?,
            new_value: r.get(6)?,
            reason: r.get(7)?,
            signature_id: r.get(8)?,
        };
        let stored_prev: String = r.get(9)?;
        let stored_hash: String = r.get(10)?;
        if seq != expected_seq {
            return Ok(Err(AuditBreak {
                seq,
                problem: format!(
                    "expected record {expected_seq} (a record was deleted or renumbered)"
                ),
            }));
        }
        if stored_prev != prev {
            return Ok(Err(AuditBreak {
                seq,
                problem: "does not follow the previous record (deleted, inserted or reordered)"
                    .into(),
            }));
        }
        if chain(&prev, seq, &e) != stored_hash {
            return Ok(Err(AuditBreak {
                seq,
                problem: "content does not match its hash (edited)".into(),
            }));
        }
        prev = stored_hash;
        expected_seq += 1;
        count += 1;
    }
    // The head recorded by `append` catches records deleted at the end.
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(head) = head
        && head != format!("{count}:{prev}")
    {
        return Ok(Err(AuditBreak {
            seq: count + 1,
            problem: format!(
                "the chain ends at record {count}, but the recorded head is {head} (records at the end were deleted)"
            ),
        }));
    }
    Ok(Ok(count))
}
