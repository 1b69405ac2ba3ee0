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
use crate::auth::{AuditBreak, verify_audit_visiting};
use crate::store::{self, Conn, EventRole, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

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

/// What one command's audit record vouches for.
#[derive(Debug, serde::Deserialize)]
struct Vouched {
    command: i64,
    changes: String,
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

/// A unit's last state in the trail.
struct Replayed {
    parent: Option<String>,
    status: Option<String>,
    state: Option<String>,
    count: Option<i64>,
    deleted: bool,
    time_ms: i64,
}

/// What the trail says, gathered in one walk.
#[derive(Default)]
struct Trail {
    /// Command id → (audit seq, what it vouches for).
    vouched: HashMap<i64, (i64, Vouched)>,
    /// Signature id → audit seq.
    signature_records: HashMap<i64, i64>,
    units: HashMap<String, Replayed>,
    /// The last `audit_keyed` record: records before it were re-chained under the key, so a
    /// head an event carries from before it is not held to the chain.
    keyed_at: i64,
    /// User → the role its last role-giving record named.
    roles: HashMap<String, (i64, String)>,
}

/// Checks the chain and gathers what its records say (one walk); what the trail says past a
/// break is not gathered.
fn read_trail(
    conn: &Conn,
    findings: &mut Findings,
) -> Result<(Result<i64, AuditBreak>, Trail), StoreError> {
    let mut trail = Trail::default();
    let chain = verify_audit_visiting(conn, |r| {
        let e = &r.entry;
        if e.action == "audit_keyed" {
            trail.keyed_at = r.seq;
        }
        if let Some(id) = e.signature_id {
            trail.signature_records.entry(id).or_insert(r.seq);
        }
        if let Some(ev) = &e.evidence {
            if ev.starts_with("{\"listed\"") {
                // Units a serial list made (not packed yet).
                let keys: Vec<String> = serde_json::from_str::<serde_json::Value>(ev)
                    .ok()
                    .and_then(|v| serde_json::from_value(v["listed"].clone()).ok())
                    .unwrap_or_default();
                for key in keys {
                    trail.units.insert(
                        key,
                        Replayed {
                            parent: None,
                            status: Some("active".to_owned()),
                            state: None,
                            count: Some(0),
                            deleted: false,
                            time_ms: e.time_ms,
                        },
                    );
                }
            } else {
                match serde_json::from_str::<Vouched>(ev) {
                    Ok(v) => {
                        trail.vouched.insert(v.command, (r.seq, v));
                    }
                    Err(err) => findings.add(
                        "audit",
                        r.seq.to_string(),
                        format!("evidence unreadable: {err}"),
                    ),
                }
            }
        }
        if e.action == "create_user"
            && let (Some(user), Some(role)) = (&e.target, &e.new_value)
        {
            let role = role
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            trail.roles.insert(user.clone(), (r.seq, role));
        }
        if let Some(new) = &e.new_value
            && new.starts_with("[{")
            && let Ok(items) = serde_json::from_str::<Vec<SnapItem<'_>>>(new)
        {
            for item in items {
                let replayed = Replayed {
                    parent: item.parent.map(Cow::into_owned),
                    status: item.status.map(Cow::into_owned),
                    state: item.state.map(Cow::into_owned),
                    count: item.count,
                    deleted: item.deleted,
                    time_ms: e.time_ms,
                };
                match trail.units.get_mut(item.key.as_ref()) {
                    Some(slot) => *slot = replayed,
                    None => {
                        trail.units.insert(item.key.into_owned(), replayed);
                    }
                }
            }
        }
    })?;
    Ok((chain, trail))
}

/// Checks the chain, then the state tables against it, then the anchors.
pub fn verify_all(conn: &Conn, db_path: &Path) -> Result<VerifyReport, StoreError> {
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
