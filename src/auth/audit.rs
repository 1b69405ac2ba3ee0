//! The audit trail: every change, who, what, when, old and new value, reason and signature,
//! chained under a key kept outside the database, so that an edit, deletion or reordering made
//! directly in the file is detected even by someone who recomputes hashes.
//!
//! Record `n` stores `hash_n = HMAC-SHA-256(key, hash_{n-1} ‖ fields(record_n))` with
//! `hash_0` = 64 zeros; every field of the record, its sequence number and evidence included,
//! goes in length-prefixed (`store::AuditKey::chain`). The key and how a database gets
//! it: `store::AuditKey`. The head (`seq:hash` of the last record) is kept beside the chain; a
//! chain that does not end at its head is never extended.

pub use crate::store::AuditEntry;
use crate::store::{self, Conn, StoreError, Tx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends a record inside the caller's transaction; returns its sequence number. Refused
/// ([`StoreError::AuditUnusable`]) when the key is missing or not the database's, when the
/// recorded head is missing, or when it does not name the last record (records at the end
/// deleted, or the head moved).
pub fn append(tx: &Tx<'_>, e: &AuditEntry) -> Result<i64, StoreError> {
    let key = tx.audit_key()?;
    let last = store::last_audit_link(tx)?;
    let head = store::audit_head(tx)?;
    let (seq, prev) = match (last, head) {
        (Some((s, h)), Some(head)) if head == format!("{s}:{h}") => (s + 1, h),
        (None, None) => (1, GENESIS.to_owned()),
        (Some((s, _)), Some(head)) => {
            return Err(StoreError::AuditUnusable(format!(
                "the trail ends at record {s} but its head is {head}"
            )));
        }
        (Some((s, _)), None) => {
            return Err(StoreError::AuditUnusable(format!(
                "the trail ends at record {s} but its head is missing"
            )));
        }
        (None, Some(head)) => {
            return Err(StoreError::AuditUnusable(format!(
                "the trail is empty but its head is {head}"
            )));
        }
    };
    let hash = key.chain(&prev, seq, e);
    store::insert_audit_record(tx, seq, e, &prev, &hash)?;
    Ok(seq)
}

/// The first broken record found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit record {seq}: {problem}")]
pub struct AuditBreak {
    /// Sequence number of the first bad record (0: the trail as a whole, e.g. its key).
    pub seq: i64,
    /// What is wrong.
    pub problem: String,
}

/// Walks the whole chain. Ok(number of records) or the first break. A missing key, a missing
/// head and a head that is not the last record are breaks, not an empty trail.
pub fn verify(conn: &Conn) -> Result<Result<i64, AuditBreak>, StoreError> {
    verify_mapping(conn, |_| (), |_, ()| {})
}

/// Records read per batch: one batch is checked on the worker threads while the next is read.
const BATCH: usize = 4096;

/// [`verify`], also handing every record that checks out to `visit`, in order (so a caller
/// that reads the whole trail walks it once).
pub fn verify_visiting(
    conn: &Conn,
    mut visit: impl FnMut(&store::AuditRecordRef<'_>),
) -> Result<Result<i64, AuditBreak>, StoreError> {
    verify_mapping(conn, |_| (), |r, ()| visit(r))
}

/// [`verify`], where what a caller reads from each record is worked out by `map` on the
/// worker threads that also recompute the keyed hashes, and handed with the record to
/// `apply`, in order, for every record that checks out (none past the first break).
pub fn verify_mapping<T: Send>(
    conn: &Conn,
    map: impl Fn(&store::AuditRecordRef<'_>) -> T + Sync,
    mut apply: impl FnMut(&store::AuditRecordRef<'_>, T),
) -> Result<Result<i64, AuditBreak>, StoreError> {
    let key = match conn.audit_key() {
        Ok(k) => k.clone(),
        Err(StoreError::AuditUnusable(problem)) => {
            return Ok(Err(AuditBreak { seq: 0, problem }));
        }
        Err(e) => return Err(e),
    };
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    let mut broken = None;
    store::ordered_map(
        "audit-verify",
        |sink| store::visit_audit_batches(conn, BATCH, sink),
        |batch: store::AuditBatch| {
            let checked: Vec<([u8; 32], T)> = batch
                .records()
                .map(|r| (key.chain_bytes(r.prev_hash, r.seq, &r.entry), map(&r)))
                .collect();
            (batch, checked)
        },
        |(batch, checked)| {
            for (record, (mac, said)) in batch.records().zip(checked) {
                let seq = record.seq;
                let expected_seq = count + 1;
                let problem = if seq != expected_seq {
                    Some(format!(
                        "expected record {expected_seq} (a record was deleted or renumbered)"
                    ))
                } else if record.prev_hash != prev {
                    Some(
                        "does not follow the previous record (deleted, inserted or reordered)"
                            .into(),
                    )
                } else if !store::hex_is(&mac, record.hash) {
                    Some(
                        "content does not match its keyed hash (edited, or rehashed without the key)"
                            .into(),
                    )
                } else {
                    None
                };
                if let Some(problem) = problem {
                    broken = Some(AuditBreak { seq, problem });
                    return false;
                }
                apply(&record, said);
                prev.clear();
                prev.push_str(record.hash);
                count += 1;
            }
            true
        },
    )?;
    if let Some(b) = broken {
        return Ok(Err(b));
    }
    match store::audit_head(conn)? {
        Some(head) if head == format!("{count}:{prev}") => Ok(Ok(count)),
        Some(head) => Ok(Err(AuditBreak {
            seq: count + 1,
            problem: format!(
                "the chain ends at record {count}, but the recorded head is {head} (records at the end were deleted)"
            ),
        })),
        None => Ok(Err(AuditBreak {
            seq: count + 1,
            problem: format!(
                "the chain ends at record {count}, but its recorded head is missing (deleted)"
            ),
        })),
    }
}
