//! The audit trail: every change, who, what, when, old and new value, reason and signature,
//! hash-chained so that an edit, deletion or reordering made directly in the file is detected.
//!
//! Record `n` stores `hash_n = SHA-256(hash_{n-1} || canonical(record_n))` with `hash_0` = 64 zeros;
//! the canonical form is the JSON array of the record's fields including its sequence number.

pub use crate::store::AuditEntry;
use crate::store::{self, Conn, StoreError, Tx};
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
pub fn append(tx: &Tx<'_>, e: &AuditEntry) -> Result<i64, StoreError> {
    let (seq, prev) = match store::last_audit_link(tx)? {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let hash = chain(&prev, seq, e);
    // The store keeps the head beside the chain, so deleting records at the end is detected too.
    store::insert_audit_record(tx, seq, e, &prev, &hash)?;
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
pub fn verify(conn: &Conn) -> Result<Result<i64, AuditBreak>, StoreError> {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    let mut broken = None;
    store::visit_audit_records(conn, |record| {
        let seq = record.seq;
        if seq != expected_seq {
            broken = Some(AuditBreak {
                seq,
                problem: format!(
                    "expected record {expected_seq} (a record was deleted or renumbered)"
                ),
            });
            return false;
        }
        if record.prev_hash != prev {
            broken = Some(AuditBreak {
                seq,
                problem: "does not follow the previous record (deleted, inserted or reordered)"
                    .into(),
            });
            return false;
        }
        if chain(&prev, seq, &record.entry) != record.hash {
            broken = Some(AuditBreak {
                seq,
                problem: "content does not match its hash (edited)".into(),
            });
            return false;
        }
        prev = record.hash;
        expected_seq += 1;
        count += 1;
        true
    })?;
    if let Some(b) = broken {
        return Ok(Err(b));
    }
    // The head recorded by `append` catches records deleted at the end.
    if let Some(head) = store::audit_head(conn)?
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
