//! The audit trail's rows: appending a record with its chain hashes, walking the chain in order,
//! the recorded head, and the records about one target.
//!
//! The chain's key and what it covers are in `audit_key`; appending and checking belong to
//! `auth::audit`; this module only stores and reads what they computed.

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// The setting that holds the head of the chain (`seq:hash`), so deleting records at the end
/// is detected too.
const AUDIT_HEAD_SETTING: &str = "audit_head";

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
    /// What the record vouches for beyond its own fields, as JSON: a command's id, a digest
    /// of its changes, its events' hash IDs, its outbox row and its signature
    /// (`audit verify` checks the tables against it). Covered by the chain.
    pub evidence: Option<String>,
}

/// A stored audit record: its place in the chain, its content and its hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Sequence number (1, 2, ...).
    pub seq: i64,
    /// The content.
    pub entry: AuditEntry,
    /// The hash of the record before (64 zeros for the first).
    pub prev_hash: String,
    /// This record's chain hash.
    pub hash: String,
}

/// The sequence number and hash of the newest record, if any.
pub fn last_audit_link(conn: &Conn) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Appends record `seq` with its chain hashes and moves the recorded head to it, inside the
/// caller's transaction.
pub fn insert_audit_record(
    tx: &Tx<'_>,
    seq: i64,
    e: &AuditEntry,
    prev_hash: &str,
    hash: &str,
) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO audit (seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, evidence, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
            e.evidence,
            prev_hash,
            hash
        ])?;
    super::set_setting(tx, AUDIT_HEAD_SETTING, &format!("{seq}:{hash}"))
}

/// Calls `visit` with every record in sequence order until it returns `false`. Records are
/// read one at a time, so a long trail is never held in memory.
pub fn visit_audit_records(
    conn: &Conn,
    mut visit: impl FnMut(AuditRecord) -> bool,
) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, evidence, prev_hash, hash
         FROM audit ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let record = AuditRecord {
            seq: r.get(0)?,
            entry: AuditEntry {
                time_ms: r.get(1)?,
                username: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                old_value: r.get(5)?,
                new_value: r.get(6)?,
                reason: r.get(7)?,
                signature_id: r.get(8)?,
                evidence: r.get(9)?,
            },
            prev_hash: r.get(10)?,
            hash: r.get(11)?,
        };
        if !visit(record) {
            break;
        }
    }
    Ok(())
}

/// An audit record's fields, borrowed (from an [`AuditBatch`] or an [`AuditEntry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditEntryRef<'a> {
    /// Unix ms.
    pub time_ms: i64,
    /// Who.
    pub username: &'a str,
    /// What.
    pub action: &'a str,
    /// The affected unit / object.
    pub target: Option<&'a str>,
    /// Value before.
    pub old_value: Option<&'a str>,
    /// Value after.
    pub new_value: Option<&'a str>,
    /// Reason given.
    pub reason: Option<&'a str>,
    /// Signature row id.
    pub signature_id: Option<i64>,
    /// What the record vouches for (JSON).
    pub evidence: Option<&'a str>,
}

impl AuditEntry {
    /// The fields, borrowed.
    pub fn as_borrowed(&self) -> AuditEntryRef<'_> {
        AuditEntryRef {
            time_ms: self.time_ms,
            username: &self.username,
            action: &self.action,
            target: self.target.as_deref(),
            old_value: self.old_value.as_deref(),
            new_value: self.new_value.as_deref(),
            reason: self.reason.as_deref(),
            signature_id: self.signature_id,
            evidence: self.evidence.as_deref(),
        }
    }
}

/// A stored audit record, borrowed from an [`AuditBatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditRecordRef<'a> {
    /// Sequence number.
    pub seq: i64,
    /// The content.
    pub entry: AuditEntryRef<'a>,
    /// The hash of the record before.
    pub prev_hash: &'a str,
    /// This record's chain hash.
    pub hash: &'a str,
}

/// Consecutive audit records as read, their text in one buffer (no allocation per record), so
/// a batch can be checked on another thread while the next one is read.
#[derive(Debug, Default)]
pub struct AuditBatch {
    text: String,
    rows: Vec<BatchRow>,
}

/// A text field's place in [`AuditBatch::text`] (`start == usize::MAX`: NULL).
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

const NULL_SPAN: Span = Span {
    start: usize::MAX,
    end: 0,
};

#[derive(Debug, Clone, Copy)]
struct BatchRow {
    seq: i64,
    time_ms: i64,
    signature_id: Option<i64>,
    /// username, action, target, old value, new value, reason, evidence, prev hash, hash.
    text: [Span; 9],
}

impl AuditBatch {
    /// How many records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Record `i` (0-based within the batch); `None` past the end.
    pub fn record(&self, i: usize) -> Option<AuditRecordRef<'_>> {
        let row = self.rows.get(i)?;
        let t = |n: usize| -> Option<&str> {
            let s = row.text[n];
            if s.start == usize::MAX {
                None
            } else {
                self.text.get(s.start..s.end)
            }
        };
        Some(AuditRecordRef {
            seq: row.seq,
            entry: AuditEntryRef {
                time_ms: row.time_ms,
                username: t(0).unwrap_or_default(),
                action: t(1).unwrap_or_default(),
                target: t(2),
                old_value: t(3),
                new_value: t(4),
                reason: t(5),
                signature_id: row.signature_id,
                evidence: t(6),
            },
            prev_hash: t(7).unwrap_or_default(),
            hash: t(8).unwrap_or_default(),
        })
    }

    /// Every record, in order.
    pub fn records(&self) -> impl Iterator<Item = AuditRecordRef<'_>> {
        (0..self.rows.len()).filter_map(|i| self.record(i))
    }
}

/// Calls `visit` with the records in sequence order, `batch` at a time, until it returns
/// `false`. Text is read borrowed from SQLite into the batch's one buffer.
pub fn visit_audit_batches(
    conn: &Conn,
    batch: usize,
    mut visit: impl FnMut(AuditBatch) -> bool,
) -> Result<(), StoreError> {
    let mut st = conn.sql().prepare(
        "SELECT seq, time_ms, signature_id, username, action, target, old_value, new_value, reason, evidence, prev_hash, hash
         FROM audit ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut current = AuditBatch::default();
    while let Some(r) = rows.next()? {
        let mut text = [NULL_SPAN; 9];
        for (n, span) in text.iter_mut().enumerate() {
            let column = n + 3;
            // NOT NULL columns (user, action, hashes) read as text; the others may be NULL.
            let value = if matches!(n, 0 | 1 | 7 | 8) {
                Some(super::text_ref(r, column)?)
            } else {
                super::opt_text_ref(r, column)?
            };
            if let Some(v) = value {
                let start = current.text.len();
                current.text.push_str(v);
                *span = Span {
                    start,
                    end: current.text.len(),
                };
            }
        }
        current.rows.push(BatchRow {
            seq: r.get(0)?,
            time_ms: r.get(1)?,
            signature_id: r.get(2)?,
            text,
        });
        if current.rows.len() >= batch {
            let capacity = current.text.capacity();
            let full = std::mem::replace(
                &mut current,
                AuditBatch {
                    text: String::with_capacity(capacity),
                    rows: Vec::with_capacity(batch),
                },
            );
            if !visit(full) {
                return Ok(());
            }
        }
    }
    if !current.rows.is_empty() {
        visit(current);
    }
    Ok(())
}

/// The recorded head of the chain (`seq:hash`), if a record was ever appended.
pub fn audit_head(conn: &Conn) -> Result<Option<String>, StoreError> {
    super::setting(conn, AUDIT_HEAD_SETTING)
}

/// One audit record about a target, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetAudit {
    /// When.
    pub time_ms: i64,
    /// Who.
    pub username: String,
    /// What.
    pub action: String,
    /// The reason given.
    pub reason: Option<String>,
    /// The signature, as `Full Name (user): meaning`.
    pub signature: Option<String>,
    /// The signer, as `Full Name (user)`.
    pub signer: Option<String>,
    /// The meaning of the signature, as recorded.
    pub meaning: Option<String>,
}

/// The audit records about a target (a unit's key, a setting, ...), in sequence order.
pub fn target_history(conn: &Conn, target: &str) -> Result<Vec<TargetAudit>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT a.time_ms, a.username, a.action, a.reason,
                s.full_name || ' (' || s.username || ')', s.meaning
         FROM audit a LEFT JOIN signatures s ON s.id = a.signature_id
         WHERE a.target = ?1 ORDER BY a.seq",
    )?;
    let rows = st.query_map([target], |r| {
        let signer: Option<String> = r.get(4)?;
        let meaning: Option<String> = r.get(5)?;
        Ok(TargetAudit {
            time_ms: r.get(0)?,
            username: r.get(1)?,
            action: r.get(2)?,
            reason: r.get(3)?,
            signature: signer
                .as_ref()
                .zip(meaning.as_ref())
                .map(|(s, m)| format!("{s}: {m}")),
            signer,
            meaning,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
