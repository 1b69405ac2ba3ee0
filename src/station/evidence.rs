//! Tamper evidence beyond the audit chain (issue 16): each command's audit record vouches for
//! its command row (a digest of its changes), its events (hash IDs and roles), its outbox row
//! and its signature; `audit verify` checks the state tables against the keyed trail:
//!
//! - every stored event's hash ID is recomputed from its body, and the body's eventID is it;
//! - every command row, event list, outbox row and signature row matches the record that
//!   vouches for it, and none is missing or extra;
//! - replaying the trail's unit changes (key, parent, status, container state, count) gives
//!   the units table (units adopted from elsewhere since are left to the adoption);
//! - every user's role is the one its audit history gave it;
//! - every anchor (a head also sent to the repository) is still in the chain.
//!
//! Each finding names the table, the row and what differs.

use super::cmd::Signed;
use crate::auth::{AuditBreak, verify_audit_mapping};
use crate::store::{self, Conn, EventRole, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

#[path = "evidence_checks.rs"]
mod checks;

/// The evidence JSON a command's audit record carries.
pub(crate) fn command_evidence<'a>(
    command_id: i64,
    changes: &str,
    events: impl Iterator<Item = (&'a str, EventRole)>,
    outbox: bool,
    signed: Option<(&Signed, i64)>,
) -> String {
    let events: Vec<String> = events
        .map(|(hash, role)| format!("{hash} {}", role.as_str()))
        .collect();
    serde_json::json!({
        "command": command_id,
        "changes": digest(changes),
        "events": events,
        "outbox": outbox,
        "signature": signed.map(|(s, time_ms)| serde_json::json!({
            "user": s.signer.username,
            "full_name": s.signer.full_name,
            "meaning": s.meaning,
            "reason": s.reason,
            "time_ms": time_ms,
        })),
    })
    .to_string()
}

/// The evidence of an unsigned command whose events are `events` (hash ID, role), for bulk
/// loaders and benchmarks that build a database the way [`super::Station`] would.
pub fn unsigned_command_evidence(
    command_id: i64,
    changes: &str,
    events: &[(&str, EventRole)],
    outbox: bool,
) -> String {
    command_evidence(command_id, changes, events.iter().copied(), outbox, None)
}

fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// One difference between the state tables and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The table (`units`, `events`, `commands`, `signatures`, `outbox`, `users`, `anchors`).
    pub table: &'static str,
    /// The row (its key or id).
    pub row: String,
    /// What differs.
    pub problem: String,
}

/// The last anchored point of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorPoint {
    /// Record number.
    pub seq: i64,
    /// When it was anchored.
    pub time_ms: i64,
    /// Where the head went.
    pub source: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Records in the chain, when it is intact.
    pub records: Option<i64>,
    /// The chain's first break.
    pub chain_break: Option<String>,
    /// Differences between the state and the evidence.
    pub findings: Vec<Finding>,
    /// The last anchor that is still in the chain.
    pub last_anchor: Option<AnchorPoint>,
}

impl VerifyReport {
    /// Whether nothing was found.
    pub fn intact(&self) -> bool {
        self.chain_break.is_none() && self.findings.is_empty()
    }
}

/// Most findings listed (a thoroughly changed database would otherwise print millions).
const MAX_FINDINGS: usize = 1000;

#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, table: &'static str, row: impl Into<String>, problem: impl Into<String>) {
        if self.0.len() < MAX_FINDINGS {
            self.0.push(Finding {
                table,
                row: row.into(),
                problem: problem.into(),
            });
        }
    }
}

/// What one command's audit record vouches for, as written.
#[derive(Debug, serde::Deserialize)]
struct Vouched<'a> {
    command: i64,
    #[serde(borrow)]
    changes: Cow<'a, str>,
    events: Vec<String>,
    outbox: bool,
    signature: Option<VouchedSignature>,
}

#[derive(Debug, serde::Deserialize)]
struct VouchedSignature {
    user: String,
    full_name: String,
    meaning: String,
    reason: Option<String>,
    time_ms: i64,
}

/// What one command's audit record vouches for, kept for the checks.
#[derive(Debug)]
struct Voucher {
    command: i64,
    /// The audit record.
    seq: i64,
    /// The SHA-256 of the command's changes (`None`: not a digest as packbench writes it).
    changes: Option<[u8; 32]>,
    /// `"<hash ID> <role>"` of each event, in order.
    events: Vec<String>,
    outbox: bool,
    signature: Option<Box<VouchedSignature>>,
    /// The chain's head before this record (`prev_hash`, checked by the chain walk), kept for
    /// commands with events: their events carry it (`pb:auditAnchor`).
    head_before: Option<String>,
}

/// The vouchers in command order (the last record wins when two vouch for one command).
#[derive(Default)]
struct Vouchers(Vec<Voucher>);

impl Vouchers {
    fn finish(&mut self) {
        if !self.0.is_sorted_by_key(|v| v.command) {
            self.0.sort_by_key(|v| v.command);
        }
        if self.0.windows(2).any(|w| w[0].command == w[1].command) {
            self.0.reverse();
            self.0.dedup_by_key(|v| v.command);
            self.0.reverse();
        }
    }

    fn get(&self, command: i64) -> Option<&Voucher> {
        self.0
            .binary_search_by_key(&command, |v| v.command)
            .ok()
            .and_then(|i| self.0.get(i))
    }

    /// Commands recorded before evidence existed (a database from an earlier version) are
    /// covered by the chain's old values only.
    fn first(&self) -> i64 {
        self.0.first().map_or(i64::MAX, |v| v.command)
    }
}

/// One unit in a command record's new values (`[{"key","parent","status","state","count"}]`,
/// or `{"key","deleted":true}`), read without copying what it does not keep.
#[derive(serde::Deserialize)]
struct SnapItem<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow, default)]
    parent: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    state: Option<Cow<'a, str>>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    deleted: bool,
    /// Records of a creation (`old_value`) say `"created": true`; new values never do.
    #[serde(default, rename = "created")]
    _created: bool,
}

/// Text of a record's new value: where it is in it, or (JSON escapes) the text itself.
enum Text {
    At(usize, usize),
    Own(Box<str>),
}

impl Text {
    fn of(cow: Cow<'_, str>, within: &str) -> Self {
        match cow {
            Cow::Borrowed(s) => {
                let start = (s.as_ptr() as usize).wrapping_sub(within.as_ptr() as usize);
                if within.get(start..start + s.len()) == Some(s) {
                    Self::At(start, start + s.len())
                } else {
                    Self::Own(s.into())
                }
            }
            Cow::Owned(s) => Self::Own(s.into()),
        }
    }

    fn get<'a>(&'a self, within: &'a str) -> &'a str {
        match self {
            Self::At(start, end) => within.get(*start..*end).unwrap_or_default(),
            Self::Own(s) => s,
        }
    }
}

/// A unit's state as a record's new value gives it (texts within that value).
struct Snap {
    key: Text,
    parent: Option<Text>,
    status: Option<Text>,
    state: Option<Text>,
    count: Option<i64>,
    deleted: bool,
}

/// What one audit record says, worked out on a worker thread while the chain is checked.
#[derive(Default)]
struct Said {
    voucher: Option<Voucher>,
    /// Units a serial list made (not packed yet).
    listed: Vec<String>,
    evidence_error: Option<String>,
    /// The role a `create_user` record gave.
    role: Option<String>,
    snaps: Vec<Snap>,
}

fn read_record(r: &store::AuditRecordRef<'_>) -> Said {
    let e = &r.entry;
    let mut said = Said::default();
    if let Some(ev) = e.evidence {
        if ev.starts_with("{\"listed\"") {
            said.listed = serde_json::from_str::<serde_json::Value>(ev)
                .ok()
                .and_then(|v| serde_json::from_value(v["listed"].clone()).ok())
                .unwrap_or_default();
        } else {
            match serde_json::from_str::<Vouched<'_>>(ev) {
                Ok(v) => {
                    said.voucher = Some(Voucher {
                        command: v.command,
                        seq: r.seq,
                        changes: digest_bytes(&v.changes),
                        events: v.events,
                        outbox: v.outbox,
                        signature: v.signature.map(Box::new),
                        head_before: None,
                    });
                }
                Err(err) => said.evidence_error = Some(format!("evidence unreadable: {err}")),
            }
        }
    }
    if e.action == "create_user"
        && let (Some(_), Some(role)) = (e.target, e.new_value)
    {
        said.role = Some(
            role.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    if let Some(new) = e.new_value
        && new.starts_with("[{")
        && let Ok(items) = serde_json::from_str::<Vec<SnapItem<'_>>>(new)
    {
        said.snaps = items
            .into_iter()
            .map(|item| Snap {
                key: Text::of(item.key, new),
                parent: item.parent.map(|t| Text::of(t, new)),
                status: item.status.map(|t| Text::of(t, new)),
                state: item.state.map(|t| Text::of(t, new)),
                count: item.count,
                deleted: item.deleted,
            })
            .collect();
    }
    said
}

/// A digest as packbench writes it (64 lower-case hex digits), as bytes.
fn digest_bytes(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// A unit's last state in the trail.
struct Replayed {
    /// The parent's name id.
    parent: Option<u32>,
    /// Index into [`Replay::words`].
    status: Option<u16>,
    /// Index into [`Replay::words`].
    state: Option<u16>,
    count: Option<i64>,
    deleted: bool,
    time_ms: i64,
}

/// The trail's replay of unit changes, keyed by a number per unit key (each key is stored
/// once however often the trail names it).
#[derive(Default)]
struct Replay {
    ids: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
    /// By name id; `None` for a key only ever named as a parent.
    units: Vec<Option<Replayed>>,
    /// The few status and container-state words.
    words: Vec<Box<str>>,
}

impl Replay {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(name);
        self.ids.insert(Arc::clone(&name), id);
        self.names.push(name);
        self.units.push(None);
        id
    }

    fn word(&mut self, word: &str) -> u16 {
        if let Some(i) = self.words.iter().position(|w| **w == *word) {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        self.words.push(word.into());
        u16::try_from(self.words.len() - 1).unwrap_or(u16::MAX)
    }

    fn set(&mut self, key: &str, replayed: Replayed) {
        let id = self.id(key);
        if let Some(slot) = self.units.get_mut(id as usize) {
            *slot = Some(replayed);
        }
    }

    fn name(&self, id: Option<u32>) -> Option<&str> {
        id.and_then(|id| self.names.get(id as usize)).map(|n| &**n)
    }

    fn word_text(&self, word: Option<u16>) -> Option<&str> {
        word.and_then(|w| self.words.get(usize::from(w)))
            .map(|w| &**w)
    }
}

/// What the trail says, gathered in one walk.
#[derive(Default)]
struct Trail {
    vouched: Vouchers,
    /// Signature id → audit seq.
    signature_records: HashMap<i64, i64>,
    units: Replay,
    /// The last `audit_keyed` record: records before it were re-chained under the key, so a
    /// head an event carries from before it is not held to the chain.
    keyed_at: i64,
    /// User → the role its last role-giving record named.
    roles: HashMap<String, (i64, String)>,
}

/// Checks the chain and gathers what its records say (one walk: each record is read and
/// checked on the worker threads, and applied here in order); what the trail says past a
/// break is not gathered.
fn read_trail(
    conn: &Conn,
    findings: &mut Findings,
) -> Result<(Result<i64, AuditBreak>, Trail), StoreError> {
    let mut trail = Trail::default();
    let chain = verify_audit_mapping(conn, read_record, |r, said| {
        let e = &r.entry;
        if e.action == "audit_keyed" {
            trail.keyed_at = r.seq;
        }
        if let Some(id) = e.signature_id {
            trail.signature_records.entry(id).or_insert(r.seq);
        }
        for key in said.listed {
            let active = trail.units.word("active");
            trail.units.set(
                &key,
                Replayed {
                    parent: None,
                    status: Some(active),
                    state: None,
                    count: Some(0),
                    deleted: false,
                    time_ms: e.time_ms,
                },
            );
        }
        if let Some(problem) = said.evidence_error {
            findings.add("audit", r.seq.to_string(), problem);
        }
        if let Some(mut v) = said.voucher {
            if !v.events.is_empty() {
                v.head_before = Some(r.prev_hash.to_owned());
            }
            trail.vouched.0.push(v);
        }
        if let (Some(role), Some(user)) = (said.role, e.target) {
            trail.roles.insert(user.to_owned(), (r.seq, role));
        }
        let new = e.new_value.unwrap_or_default();
        for snap in said.snaps {
            let units = &mut trail.units;
            let replayed = Replayed {
                parent: snap.parent.map(|p| units.id(p.get(new))),
                status: snap.status.map(|s| units.word(s.get(new))),
                state: snap.state.map(|s| units.word(s.get(new))),
                count: snap.count,
                deleted: snap.deleted,
                time_ms: e.time_ms,
            };
            trail.units.set(snap.key.get(new), replayed);
        }
    })?;
    trail.vouched.finish();
    Ok((chain, trail))
}

/// Checks the chain, then the state tables against it, then the anchors — all as of one
/// moment (one read transaction).
pub fn verify_all(conn: &Conn, db_path: &Path) -> Result<VerifyReport, StoreError> {
    store::in_read_snapshot(conn, || {
        let mut findings = Findings::default();
        let (chain, mut trail) = read_trail(conn, &mut findings)?;
        checks::check_commands(conn, &trail, &mut findings)?;
        checks::check_events(conn, &trail, &mut findings)?;
        checks::check_signatures(conn, &trail, &mut findings)?;
        checks::check_users(conn, &trail, &mut findings)?;
        checks::check_units(conn, std::mem::take(&mut trail.units), &mut findings)?;
        let last_anchor =
            checks::check_anchors(conn, db_path, chain.as_ref().ok().copied(), &mut findings)?;
        Ok(VerifyReport {
            records: chain.as_ref().ok().copied(),
            chain_break: chain.err().map(|b| b.to_string()),
            findings: findings.0,
            last_anchor,
        })
    })
}

/// Appends the chain's current head to the anchor file (`source`: where it also went).
pub fn anchor_head(
    conn: &Conn,
    db_path: &Path,
    time_ms: i64,
    source: &str,
) -> Result<(), StoreError> {
    if let Some((seq, hash)) = store::last_audit_link(conn)? {
        store::append_anchor(
            db_path,
            &store::Anchor {
                seq,
                hash,
                time_ms,
                source: source.to_owned(),
            },
        )?;
    }
    Ok(())
}
