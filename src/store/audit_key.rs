//! The audit trail's key (issue 16): the chain is an HMAC-SHA-256 chain under a 256-bit key
//! kept outside the database, in `audit.key` (mode 0600) in the configuration place — the
//! data directory when it is given explicitly, the platform's configuration folder otherwise
//! ([`set_audit_key_dir`]). Someone who can write the database but not read the key cannot
//! recompute the chain after an edit.
//!
//! The database records which key it was keyed with (setting `audit_key_id`, a fingerprint,
//! never the key). On open:
//!
//! | key file | database | result |
//! | --- | --- | --- |
//! | present, same fingerprint | keyed | ready |
//! | present, other fingerprint | keyed | unusable: not this database's key |
//! | absent | keyed | unusable: the key is lost (restore it from its backup) |
//! | present | not keyed, empty | the database is keyed with it |
//! | present | not keyed, has records | unusable: the key mark was removed |
//! | absent | not keyed | a key is made; the existing (keyless SHA-256) chain is checked, every record is re-chained under the key and an `audit_keyed` record says what the old chain's check found |
//!
//! An unusable key never stops the database from opening (so `packbench audit verify` can say
//! why); it stops every append, so nothing is recorded on an unprovable trail.

use super::audit::{AuditEntry, AuditEntryRef};
use super::{StoreError, private};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The key file's name.
pub const AUDIT_KEY_FILE: &str = "audit.key";
/// The setting holding the fingerprint of the key the database is keyed with.
const KEY_ID_SETTING: &str = "audit_key_id";
/// The setting holding the chain's head (`seq:hash`).
const HEAD_SETTING: &str = "audit_head";
/// The keyless chain's first `prev_hash`.
pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

static KEY_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Sets, once per process, the folder of the audit key (the configuration place). Without it
/// the key lives beside the database. Returns `false` when it was set already.
pub fn set_audit_key_dir(dir: PathBuf) -> bool {
    KEY_DIR.set(dir).is_ok()
}

/// Where the key of the database at `db_path` lives.
pub fn audit_key_path(db_path: &Path) -> PathBuf {
    KEY_DIR
        .get()
        .cloned()
        .unwrap_or_else(|| {
            db_path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        })
        .join(AUDIT_KEY_FILE)
}

/// The audit key. `Debug` never shows it.
#[derive(Clone)]
pub struct AuditKey([u8; 32], Box<Hmac>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

impl AuditKey {
    /// A fresh random key.
    fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut k[..]);
        Self::of(k)
    }

    /// The key of these bytes, with the HMAC pads hashed once (every record's MAC starts
    /// from them: two SHA-256 blocks fewer per record).
    fn of(bytes: [u8; 32]) -> Self {
        const BLOCK: usize = 64;
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for (i, b) in bytes.iter().enumerate() {
            ipad[i] ^= b;
            opad[i] ^= b;
        }
        let mut inner = Sha256::new();
        inner.update(ipad);
        let mut outer = Sha256::new();
        outer.update(opad);
        Self(bytes, Box::new(Hmac { inner, outer }))
    }

    /// The key's fingerprint: 16 hex digits of a hash of it (safe to store and show).
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"packbench audit key id\0");
        h.update(self.0);
        hex::encode(&h.finalize()[..8])
    }

    /// HMAC-SHA-256 (RFC 2104) of `parts` under the key, hex.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        let mut m = self.hmac();
        for p in parts {
            m.inner.update(p);
        }
        m.finish()
    }

    fn hmac(&self) -> Hmac {
        Hmac::clone(&self.1)
    }

    /// Record `seq`'s chain hash: `HMAC(key, prev_hash ‖ fields(seq, entry))`, where every
    /// field of the record (sequence number, time, user, action, target, old and new value,
    /// reason, signature id, evidence) is fed length-prefixed, so no two records share an input.
    pub fn chain(&self, prev: &str, seq: i64, e: &AuditEntry) -> String {
        hex::encode(self.chain_bytes(prev, seq, &e.as_borrowed()))
    }

    /// [`chain`](Self::chain) of a borrowed record, as bytes (compare with [`hex_is`]).
    pub fn chain_bytes(&self, prev: &str, seq: i64, e: &AuditEntryRef<'_>) -> [u8; 32] {
        let mut m = self.hmac();
        m.inner.update(prev.as_bytes());
        m.int(Some(seq));
        m.int(Some(e.time_ms));
        m.text(Some(e.username));
        m.text(Some(e.action));
        m.text(e.target);
        m.text(e.old_value);
        m.text(e.new_value);
        m.text(e.reason);
        m.int(e.signature_id);
        m.text(e.evidence);
        m.finish_bytes()
    }

    fn to_file_text(&self) -> String {
        format!("packbench-audit-key-v1 {}\n", hex::encode(self.0))
    }

    fn from_file_text(text: &str) -> Option<Self> {
        let hex_key = text.trim().strip_prefix("packbench-audit-key-v1 ")?;
        let bytes = hex::decode(hex_key.trim()).ok()?;
        Some(Self::of(bytes.try_into().ok()?))
    }
}

/// An HMAC being computed: the inner hash fed, the outer one primed.
#[derive(Clone)]
struct Hmac {
    inner: Sha256,
    outer: Sha256,
}

impl Hmac {
    fn int(&mut self, v: Option<i64>) {
        match v {
            None => self.inner.update([0u8]),
            Some(n) => {
                self.inner.update([1u8]);
                self.inner.update(n.to_be_bytes());
            }
        }
    }

    fn text(&mut self, v: Option<&str>) {
        match v {
            None => self.inner.update([0u8]),
            Some(t) => {
                self.inner.update([2u8]);
                self.inner
                    .update(u64::try_from(t.len()).unwrap_or(u64::MAX).to_be_bytes());
                self.inner.update(t.as_bytes());
            }
        }
    }

    fn finish(self) -> String {
        hex::encode(self.finish_bytes())
    }

    fn finish_bytes(self) -> [u8; 32] {
        let Self { inner, mut outer } = self;
        outer.update(inner.finalize());
        outer.finalize().into()
    }
}

/// Whether `text` is the lower-case hex form of `bytes` (as `hex::encode` writes it), without
/// building the string.
pub fn hex_is(bytes: &[u8], text: &str) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let text = text.as_bytes();
    text.len() == bytes.len() * 2
        && bytes.iter().zip(text.chunks_exact(2)).all(|(b, pair)| {
            pair.first() == DIGITS.get(usize::from(b >> 4))
                && pair.get(1) == DIGITS.get(usize::from(b & 0x0f))
        })
}

/// A record as readable text: the JSON array of its fields including its sequence number and
/// its evidence (for showing a record; the chain itself hashes the fields length-prefixed).
pub fn canonical(seq: i64, e: &AuditEntry) -> String {
    // A tuple serialises as the compact JSON array, without building a value tree first.
    serde_json::to_string(&(
        seq,
        e.time_ms,
        &e.username,
        &e.action,
        &e.target,
        &e.old_value,
        &e.new_value,
        &e.reason,
        e.signature_id,
        &e.evidence,
    ))
    .unwrap_or_default()
}

/// The keyless chain of earlier versions: `SHA-256(prev ‖ canonical-without-evidence)`.
fn legacy_chain(prev: &str, seq: i64, e: &AuditEntry) -> String {
    let canonical = serde_json::json!([
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
    .to_string();
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Whether the audit trail can be extended and checked, and if not why.
#[derive(Debug, Clone)]
pub enum KeyState {
    /// The database is keyed with this key.
    Ready(AuditKey),
    /// Appends are refused; verify reports this.
    Unusable(String),
}

/// Works out the key of the database at `db_path` (see the module docs), keying the database
/// when it has none yet.
pub(super) fn prepare(conn: &mut Connection, db_path: &Path) -> Result<KeyState, StoreError> {
    let key_path = audit_key_path(db_path);
    let file_key = match std::fs::read_to_string(&key_path) {
        Ok(text) => match AuditKey::from_file_text(&text) {
            Some(k) => Some(k),
            None => {
                return Ok(KeyState::Unusable(format!(
                    "{}: not an audit key file",
                    key_path.display()
                )));
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Ok(KeyState::Unusable(format!(
                "{}: cannot read the audit key: {e}",
                key_path.display()
            )));
        }
    };
    let keyed_with = setting(conn, KEY_ID_SETTING)?;
    match (file_key, keyed_with) {
        (Some(k), Some(id)) if k.id() == id => Ok(KeyState::Ready(k)),
        (Some(k), Some(id)) => Ok(KeyState::Unusable(format!(
            "{} holds key {}, but the database was keyed with key {id}: not this database's key",
            key_path.display(),
            k.id()
        ))),
        (None, Some(id)) => Ok(KeyState::Unusable(format!(
            "the audit key {id} is missing ({}): restore it from its backup; until then nothing \
             can be recorded or verified",
            key_path.display()
        ))),
        (Some(k), None) => {
            if is_fresh(conn)? {
                key_database(conn, &k)?;
                Ok(KeyState::Ready(k))
            } else {
                Ok(KeyState::Unusable(format!(
                    "the database holds records but no mark of its audit key, although {} \
                     exists (the mark was removed)",
                    key_path.display()
                )))
            }
        }
        (None, None) => {
            let k = AuditKey::generate();
            if let Some(dir) = key_path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            match private::write_new_private(&key_path, k.to_file_text().as_bytes()) {
                Ok(()) => {}
                // Another connection made it meanwhile: use that one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return prepare(conn, db_path);
                }
                Err(source) => {
                    return Err(StoreError::Io {
                        path: key_path,
                        source,
                    });
                }
            }
            key_database(conn, &k)?;
            Ok(KeyState::Ready(k))
        }
    }
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// No audit record, user, command or unit: a database that never held anything.
fn is_fresh(conn: &Connection) -> Result<bool, StoreError> {
    let any: i64 = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit) OR EXISTS (SELECT 1 FROM users)
                OR EXISTS (SELECT 1 FROM commands) OR EXISTS (SELECT 1 FROM units)",
        [],
        |r| r.get(0),
    )?;
    Ok(any == 0)
}

/// Keys the database: checks the keyless chain, re-chains every record under `key`, marks the
/// database with the key's fingerprint and appends an `audit_keyed` record that says what the
/// keyless chain's check found. One transaction.
fn key_database(conn: &mut Connection, key: &AuditKey) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if setting(&tx, KEY_ID_SETTING)?.is_some() {
        // Keyed by another connection meanwhile.
        return Ok(());
    }
    let records: Vec<(i64, AuditEntry, String, String)> = {
        let mut st = tx.prepare(
            "SELECT seq, time_ms, username, action, target, old_value, new_value, reason,
                    signature_id, evidence, prev_hash, hash FROM audit ORDER BY seq",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get(0)?,
                AuditEntry {
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
                r.get(10)?,
                r.get(11)?,
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut legacy_prev = GENESIS.to_owned();
    let mut legacy_break: Option<String> = None;
    for (i, (seq, e, prev, hash)) in records.iter().enumerate() {
        if legacy_break.is_some() {
            break;
        }
        let expected_seq = i64::try_from(i).unwrap_or(i64::MAX) + 1;
        if *seq != expected_seq || *prev != legacy_prev || legacy_chain(prev, *seq, e) != *hash {
            legacy_break = Some(format!("record {seq} does not verify"));
        }
        legacy_prev.clone_from(hash);
    }
    let head = setting(&tx, HEAD_SETTING)?;
    let count = i64::try_from(records.len()).unwrap_or(i64::MAX);
    if legacy_break.is_none()
        && let Some(head) = &head
        && *head != format!("{count}:{legacy_prev}")
    {
        legacy_break = Some(format!(
            "the chain ends at record {count} but its head said {head}"
        ));
    }
    let verdict = match legacy_break {
        None => format!("keyless chain of {count} records intact"),
        Some(b) => format!("keyless chain of {count} records broken: {b}"),
    };
    let mut prev = GENESIS.to_owned();
    let mut seq = 0;
    {
        let mut update =
            tx.prepare("UPDATE audit SET seq = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4")?;
        for (old_seq, e, _, _) in &records {
            seq += 1;
            let hash = key.chain(&prev, seq, e);
            update.execute(params![seq, prev, hash, old_seq])?;
            prev = hash;
        }
    }
    seq += 1;
    let record = AuditEntry {
        time_ms: records.last().map_or(0, |(_, e, _, _)| e.time_ms),
        username: "system".to_owned(),
        action: "audit_keyed".to_owned(),
        target: Some(format!("audit_key:{}", key.id())),
        old_value: Some(verdict),
        new_value: Some(key.id()),
        ..AuditEntry::default()
    };
    let hash = key.chain(&prev, seq, &record);
    tx.execute(
        "INSERT INTO audit (seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, evidence, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            seq,
            record.time_ms,
            record.username,
            record.action,
            record.target,
            record.old_value,
            record.new_value,
            record.reason,
            record.signature_id,
            record.evidence,
            prev,
            hash
        ],
    )?;
    for (k, v) in [
        (KEY_ID_SETTING, key.id()),
        (HEAD_SETTING, format!("{seq}:{hash}")),
    ] {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![k, v],
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2 uses a 4-byte key; ours are 32 bytes, zero-padded the same way
        // HMAC pads any key shorter than a block.
        let mut k = [0u8; 32];
        k[..4].copy_from_slice(b"Jefe");
        let key = AuditKey::of(k);
        // HMAC pads the key with zeros to the block size, so a 4-byte key and the same key
        // followed by zeros give the same MAC.
        assert_eq!(
            key.mac(&[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn canonical_is_the_compact_json_array() {
        let e = AuditEntry {
            time_ms: 5,
            username: "pat \"p\"".into(),
            action: "pack".into(),
            new_value: Some("[{\"key\":1}]".into()),
            ..AuditEntry::default()
        };
        let expected = serde_json::json!([
            3,
            5,
            "pat \"p\"",
            "pack",
            null,
            null,
            "[{\"key\":1}]",
            null,
            null,
            null
        ])
        .to_string();
        assert_eq!(canonical(3, &e), expected);
    }

    #[test]
    fn key_file_round_trip() {
        let k = AuditKey::generate();
        let back = AuditKey::from_file_text(&k.to_file_text()).unwrap();
        assert_eq!(k.id(), back.id());
        assert!(!format!("{k:?}").contains(&hex::encode(k.0)));
        assert!(AuditKey::from_file_text("junk").is_none());
    }
}
