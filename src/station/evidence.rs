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
use std::collections::{HashMap, HashSet};
use std::path::Path;

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
    check_commands(conn, &trail, &mut findings)?;
    check_events(conn, &trail, &mut findings)?;
    check_signatures(conn, &trail, &mut findings)?;
    check_users(conn, &trail, &mut findings)?;
    check_units(conn, std::mem::take(&mut trail.units), &mut findings)?;
    let last_anchor = check_anchors(conn, db_path, chain.as_ref().ok().copied(), &mut findings)?;
    Ok(VerifyReport {
        records: chain.as_ref().ok().copied(),
        chain_break: chain.err().map(|b| b.to_string()),
        findings: findings.0,
        last_anchor,
    })
}

fn check_commands(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
    // Commands recorded before evidence existed (a database from an earlier version) are
    // covered by the chain's old values only.
    let first_vouched = trail.vouched.keys().min().copied().unwrap_or(i64::MAX);
    let mut seen = HashSet::new();
    store::visit_commands(conn, |id, changes| {
        seen.insert(id);
        match trail.vouched.get(&id) {
            Some((seq, v)) if v.changes != digest(changes) => f.add(
                "commands",
                id.to_string(),
                format!("its changes are not those audit record {seq} vouches for (edited)"),
            ),
            Some(_) => {}
            None if id >= first_vouched => f.add(
                "commands",
                id.to_string(),
                "no audit record vouches for this command (inserted)",
            ),
            None => {}
        }
    })?;
    let outbox = store::outbox_command_ids(conn)?;
    let mut vouched: Vec<_> = trail.vouched.iter().collect();
    vouched.sort_by_key(|(id, _)| **id);
    for (id, (seq, v)) in vouched {
        if !seen.contains(id) {
            f.add(
                "commands",
                id.to_string(),
                format!("missing: audit record {seq} vouches for it (deleted)"),
            );
        }
        if v.outbox && !outbox.contains(id) {
            f.add(
                "outbox",
                id.to_string(),
                format!(
                    "missing: audit record {seq} says command {id} queued its events (deleted)"
                ),
            );
        }
    }
    Ok(())
}

fn check_events(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
    let first_vouched = trail.vouched.keys().min().copied().unwrap_or(i64::MAX);
    let mut per_command: HashMap<i64, Vec<String>> = HashMap::new();
    let mut anchors: Vec<(i64, i64, String)> = Vec::new();
    store::visit_events(conn, 4096, |batch| {
        for checked in recompute_hashes(&batch) {
            if let Some((row, problem)) = checked.problem {
                f.add("events", row.to_string(), problem);
            }
            if let Some(anchor) = checked.anchor {
                anchors.push(anchor);
            }
        }
        for e in batch {
            per_command
                .entry(e.command_id)
                .or_default()
                .push(format!("{} {}", e.hash_id, e.role));
        }
    })?;
    // The head each event carries (and the repository keeps) must be in the chain.
    let mut known: HashMap<i64, Option<String>> = HashMap::new();
    for (row, seq, hash) in anchors {
        if seq < trail.keyed_at {
            continue;
        }
        let stored = match known.get(&seq) {
            Some(h) => h.clone(),
            None => {
                let h = store::audit_hash_at(conn, seq)?;
                known.insert(seq, h.clone());
                h
            }
        };
        if stored.as_deref() != Some(hash.as_str()) {
            f.add(
                "events",
                row.to_string(),
                format!(
                    "carries audit head {seq}:{hash}, which the chain {} (records changed or deleted)",
                    if stored.is_some() { "holds with another hash" } else { "does not reach" }
                ),
            );
        }
    }
    let mut ids: Vec<i64> = trail
        .vouched
        .keys()
        .chain(per_command.keys())
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let stored = per_command.get(&id).map_or(&[][..], Vec::as_slice);
        match trail.vouched.get(&id) {
            Some((seq, v)) if v.events != stored => f.add(
                "events",
                format!("command {id}"),
                format!(
                    "{} events stored, audit record {seq} vouches for {} ({})",
                    stored.len(),
                    v.events.len(),
                    first_difference(&v.events, stored)
                ),
            ),
            None if id >= first_vouched && !stored.is_empty() => f.add(
                "events",
                format!("command {id}"),
                "no audit record vouches for these events (inserted)",
            ),
            _ => {}
        }
    }
    Ok(())
}

fn first_difference(vouched: &[String], stored: &[String]) -> String {
    for (i, v) in vouched.iter().enumerate() {
        match stored.get(i) {
            Some(s) if s == v => {}
            Some(s) => return format!("event {i}: expected {v}, found {s}"),
            None => return format!("event {i} {v} missing"),
        }
    }
    stored
        .get(vouched.len())
        .map_or_else(String::new, |s| format!("extra event {s}"))
}

/// Recomputes every event's hash from its body, on every core; returns (row id, problem).
fn recompute_hashes(batch: &[store::EventRow]) -> Vec<Checked> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .max(1);
    let size = batch.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(size)
            .enumerate()
            .map(|(i, chunk)| {
                std::thread::Builder::new()
                    .name(format!("verify-events-{i}"))
                    .spawn_scoped(scope, move || {
                        chunk.iter().map(check_one_event).collect::<Vec<_>>()
                    })
            })
            .collect();
        let firsts: Vec<i64> = batch
            .chunks(size)
            .map(|c| c.first().map_or(0, |e| e.id))
            .collect();
        let mut found = Vec::new();
        for (handle, first) in handles.into_iter().zip(firsts) {
            match handle.map_err(|e| e.to_string()).and_then(|h| {
                h.join()
                    .map_err(|_| "the check stopped unexpectedly".to_owned())
            }) {
                Ok(problems) => found.extend(problems),
                // A batch that could not be checked is a finding, never a silent pass.
                Err(e) => found.push(Checked {
                    problem: Some((first, format!("this and the next events not checked: {e}"))),
                    anchor: None,
                }),
            }
        }
        found
    })
}

/// What checking one event found: a problem, and the audit head its body carries.
#[derive(Default)]
struct Checked {
    problem: Option<(i64, String)>,
    /// (event row, anchored record, anchored hash).
    anchor: Option<(i64, i64, String)>,
}

fn check_one_event(e: &store::EventRow) -> Checked {
    let mut checked = Checked::default();
    match event_problem(e) {
        Ok(anchor) => {
            checked.anchor = anchor
                .as_deref()
                .and_then(|a| a.split_once(':'))
                .and_then(|(seq, hash)| Some((e.id, seq.parse().ok()?, hash.to_owned())));
        }
        Err(problem) => checked.problem = Some((e.id, problem)),
    }
    checked
}

/// The event's `pb:auditAnchor`, or what is wrong with its body.
fn event_problem(e: &store::EventRow) -> Result<Option<String>, String> {
    let computed = match crate::epcis::hash_ids_from_jsonld(&e.body) {
        Ok(ids) => ids,
        Err(err) => return Err(format!("body does not parse: {err}")),
    };
    if computed.len() != 1 {
        return Err(format!("body holds {} events, not one", computed.len()));
    }
    if computed[0] != e.hash_id {
        return Err(format!(
            "body hashes to {}, stored hash ID {} (body rewritten)",
            computed[0], e.hash_id
        ));
    }
    let value = serde_json::from_str::<serde_json::Value>(&e.body).unwrap_or_default();
    let field = |name: &str| {
        value
            .pointer(&format!("/epcisBody/eventList/0/{name}"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let stated = field("eventID");
    if stated.as_deref() != Some(e.hash_id.as_str()) {
        return Err(format!(
            "body's eventID is {}, stored hash ID {}",
            stated.unwrap_or_else(|| "absent".to_owned()),
            e.hash_id
        ));
    }
    Ok(field(&format!("pb:{}", super::events::AUDIT_ANCHOR_FIELD)))
}

fn check_signatures(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
    let rows = store::signature_rows(conn)?;
    let mut present = HashSet::new();
    for s in &rows {
        present.insert(s.id);
        let Some(seq) = trail.signature_records.get(&s.id) else {
            f.add(
                "signatures",
                s.id.to_string(),
                "no audit record carries this signature (inserted)",
            );
            continue;
        };
        let Some((_, v)) = trail.vouched.get(&s.command_id) else {
            continue;
        };
        let Some(vs) = &v.signature else {
            f.add(
                "signatures",
                s.id.to_string(),
                format!(
                    "audit record {seq} vouches for command {} without a signature",
                    s.command_id
                ),
            );
            continue;
        };
        let mut differs = Vec::new();
        if vs.user != s.username {
            differs.push(format!("signer {} (audit: {})", s.username, vs.user));
        }
        if vs.full_name != s.full_name {
            differs.push(format!("name {} (audit: {})", s.full_name, vs.full_name));
        }
        if vs.meaning != s.meaning {
            differs.push(format!("meaning {} (audit: {})", s.meaning, vs.meaning));
        }
        if vs.reason != s.reason {
            differs.push(format!("reason {:?} (audit: {:?})", s.reason, vs.reason));
        }
        if vs.time_ms != s.time_ms {
            differs.push(format!("time {} (audit: {})", s.time_ms, vs.time_ms));
        }
        if !differs.is_empty() {
            f.add(
                "signatures",
                s.id.to_string(),
                format!("differs from audit record {seq}: {}", differs.join("; ")),
            );
        }
    }
    for (id, seq) in &trail.signature_records {
        if !present.contains(id) {
            f.add(
                "signatures",
                id.to_string(),
                format!("missing: audit record {seq} carries it (deleted)"),
            );
        }
    }
    Ok(())
}

/// `units`: the trail's replay, consumed (what is left at the end is missing from the table).
fn check_units(
    conn: &Conn,
    mut units: HashMap<String, Replayed>,
    f: &mut Findings,
) -> Result<(), StoreError> {
    let adopted = store::adopted_units(conn)?;
    store::visit_unit_states(conn, |u| {
        let adopted_since = |t: i64| adopted.get(&u.key).is_some_and(|&r| r >= t);
        let Some(r) = units.remove(&u.key) else {
            if !adopted.contains_key(&u.key) {
                f.add(
                    "units",
                    u.key.clone(),
                    "no audit record made or changed this unit (inserted)",
                );
            }
            return;
        };
        if adopted_since(r.time_ms) {
            return;
        }
        let mut differs = Vec::new();
        if r.deleted {
            differs.push("the trail says it was deleted".to_owned());
        }
        if r.parent != u.parent {
            differs.push(format!("parent {:?} (audit: {:?})", u.parent, r.parent));
        }
        if r.status.as_ref().is_some_and(|s| *s != u.status) {
            differs.push(format!(
                "status {} (audit: {})",
                u.status,
                r.status.as_deref().unwrap_or("")
            ));
        }
        if r.status.is_some() && r.state != u.state {
            differs.push(format!("state {:?} (audit: {:?})", u.state, r.state));
        }
        if r.count.is_some_and(|c| c != u.count) {
            differs.push(format!(
                "count {} (audit: {})",
                u.count,
                r.count.unwrap_or(0)
            ));
        }
        if !differs.is_empty() {
            f.add("units", u.key, differs.join("; "));
        }
    })?;
    let mut missing: Vec<String> = units
        .into_iter()
        .filter(|(_, r)| !r.deleted)
        .map(|(k, _)| k)
        .collect();
    missing.sort();
    for key in missing {
        f.add("units", key, "missing: the audit trail has it (deleted)");
    }
    Ok(())
}

fn check_users(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
    for u in store::users(conn)? {
        match trail.roles.get(&u.username) {
            None => f.add(
                "users",
                u.username.clone(),
                "no audit record created this user (inserted)",
            ),
            Some((seq, role)) if *role != u.role => f.add(
                "users",
                u.username.clone(),
                format!("role {} (audit record {seq}: {role})", u.role),
            ),
            Some(_) => {}
        }
    }
    Ok(())
}

fn check_anchors(
    conn: &Conn,
    db_path: &Path,
    records: Option<i64>,
    f: &mut Findings,
) -> Result<Option<AnchorPoint>, StoreError> {
    let mut last = None;
    for (i, anchor) in store::read_anchors(db_path)?.into_iter().enumerate() {
        let a = match anchor {
            Ok(a) => a,
            Err(line) => {
                f.add("anchors", format!("line {line}"), "not an anchor line");
                continue;
            }
        };
        match store::audit_hash_at(conn, a.seq)? {
            Some(h) if h == a.hash => {
                last = Some(AnchorPoint {
                    seq: a.seq,
                    time_ms: a.time_ms,
                    source: a.source,
                });
            }
            Some(_) => f.add(
                "anchors",
                format!("line {}", i + 1),
                format!(
                    "record {} differs from the head anchored at {} ({})",
                    a.seq, a.time_ms, a.source
                ),
            ),
            None => f.add(
                "anchors",
                format!("line {}", i + 1),
                format!(
                    "record {} was anchored at {} ({}) but the chain ends at {} (records deleted)",
                    a.seq,
                    a.time_ms,
                    a.source,
                    records.map_or_else(|| "?".to_owned(), |n| n.to_string())
                ),
            ),
        }
    }
    Ok(last)
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
