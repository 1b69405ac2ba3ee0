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
    verify_visiting(conn, |_| {})
}

/// Records checked per batch; their keyed hashes are recomputed on every core.
const BATCH: usize = 8192;

/// [`verify`], also handing every record that checks out to `visit`, in order (so a caller
/// that reads the whole trail walks it once).
pub fn verify_visiting(
    conn: &Conn,
    mut visit: impl FnMut(&store::AuditRecord),
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
    let mut batch = Vec::with_capacity(BATCH);
    let mut check = |batch: &mut Vec<store::AuditRecord>, prev: &mut String, count: &mut i64| {
        let macs = keyed_hashes(&key, batch);
        for (record, mac) in batch.drain(..).zip(macs) {
            let seq = record.seq;
            let expected_seq = *count + 1;
            let problem = if seq != expected_seq {
                Some(format!(
                    "expected record {expected_seq} (a record was deleted or renumbered)"
                ))
            } else if record.prev_hash != *prev {
                Some("does not follow the previous record (deleted, inserted or reordered)".into())
            } else if mac != record.hash {
                Some(
                    "content does not match its keyed hash (edited, or rehashed without the key)"
                        .into(),
                )
            } else {
                None
            };
            if let Some(problem) = problem {
                return Some(AuditBreak { seq, problem });
            }
            visit(&record);
            *prev = record.hash;
            *count += 1;
        }
        None
    };
    store::visit_audit_records(conn, |record| {
        batch.push(record);
        if batch.len() >= BATCH {
            broken = check(&mut batch, &mut prev, &mut count);
        }
        broken.is_none()
    })?;
    if broken.is_none() && !batch.is_empty() {
        broken = check(&mut batch, &mut prev, &mut count);
    }
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

/// Each record's keyed hash over its stored `prev_hash`, computed on every core (named
/// threads); the order and linkage are checked by the caller.
fn keyed_hashes(key: &store::AuditKey, batch: &[store::AuditRecord]) -> Vec<String> {
    let one = |r: &store::AuditRecord| key.chain(&r.prev_hash, r.seq, &r.entry);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    if workers < 2 || batch.len() < 256 {
        return batch.iter().map(one).collect();
    }
    let size = batch.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(size)
            .enumerate()
            .map(|(i, chunk)| {
                let spawned = std::thread::Builder::new()
                    .name(format!("audit-verify-{i}"))
                    .spawn_scoped(scope, move || chunk.iter().map(one).collect::<Vec<_>>());
                (chunk, spawned)
            })
            .collect();
        let mut out = Vec::with_capacity(batch.len());
        for (chunk, handle) in handles {
            // A thread that could not start or stopped is done here instead: never skipped.
            match handle.ok().and_then(|h| h.join().ok()) {
                Some(macs) => out.extend(macs),
                None => out.extend(chunk.iter().map(one)),
            }
        }
        out
    })
}
