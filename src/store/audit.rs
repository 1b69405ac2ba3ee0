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
