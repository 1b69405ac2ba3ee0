//! The checks of `audit verify` beyond the chain (`super`): commands, events, signatures,
//! units, users and anchors, each against what the trail vouches for.

use super::{AnchorPoint, Findings, Replay, Trail};
use crate::store::{self, Conn, StoreError};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn check_commands(
    conn: &Conn,
    trail: &Trail,
    f: &mut Findings,
) -> Result<(), StoreError> {
    let first_vouched = trail.vouched.first();
    let vouched = &trail.vouched.0;
    // Both in command order: walked side by side.
    let mut next = 0;
    let mut missing = Vec::new();
    store::ordered_map(
        "verify-commands",
        |sink| store::visit_command_batches(conn, 4096, sink),
        |batch: store::CommandBatch| {
            let digests: Vec<[u8; 32]> = batch
                .rows()
                .map(|(_, changes)| Sha256::digest(changes.as_bytes()).into())
                .collect();
            (batch, digests)
        },
        |(batch, digests)| {
            for ((id, _), digest) in batch.rows().zip(digests) {
                while let Some(v) = vouched.get(next).filter(|v| v.command < id) {
                    missing.push(v);
                    next += 1;
                }
                match vouched.get(next).filter(|v| v.command == id) {
                    Some(v) => {
                        next += 1;
                        if v.changes != Some(digest) {
                            f.add(
                                "commands",
                                id.to_string(),
                                format!(
                                    "its changes are not those audit record {} vouches for (edited)",
                                    v.seq
                                ),
                            );
                        }
                    }
                    None if id >= first_vouched => f.add(
                        "commands",
                        id.to_string(),
                        "no audit record vouches for this command (inserted)",
                    ),
                    None => {}
                }
            }
            true
        },
    )?;
    missing.extend(vouched.get(next..).unwrap_or_default());
    for v in missing {
        f.add(
            "commands",
            v.command.to_string(),
            format!("missing: audit record {} vouches for it (deleted)", v.seq),
        );
    }
    let outbox = store::outbox_command_ids(conn)?;
    for v in vouched {
        if v.outbox && !outbox.contains(&v.command) {
            f.add(
                "outbox",
                v.command.to_string(),
                format!(
                    "missing: audit record {} says command {} queued its events (deleted)",
                    v.seq, v.command
                ),
            );
        }
    }
    Ok(())
}

/// One stored event as the events check keeps it: (hash ID, role).
type StoredPair = (String, String);

/// One stored event as the events check keeps it once its body is checked.
struct StoredEvent {
    id: i64,
    command_id: i64,
    seq: i64,
    hash_id: String,
    role: String,
}

pub(super) fn check_events(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
    let first_vouched = trail.vouched.first();
    let vouched = &trail.vouched.0;
    let mut next = 0;
    let mut anchors: Vec<Anchored> = Vec::new();
    let mut stored_events: Vec<StoredEvent> = Vec::new();
    let compare = |id: i64, stored: &[StoredPair], next: &mut usize, f: &mut Findings| {
        while let Some(v) = vouched.get(*next).filter(|v| v.command < id) {
            *next += 1;
            events_differ(v, &[], f);
        }
        match vouched.get(*next).filter(|v| v.command == id) {
            Some(v) => {
                *next += 1;
                events_differ(v, stored, f);
            }
            None if id >= first_vouched && !stored.is_empty() => f.add(
                "events",
                format!("command {id}"),
                "no audit record vouches for these events (inserted)",
            ),
            None => {}
        }
    };
    // The bodies are read in row order (a plain scan of the table) and checked on the worker
    // threads, which also drop them; the rest is then put in command order here.
    store::ordered_map(
        "verify-events",
        |sink| store::visit_events(conn, 1024, sink),
        |batch: Vec<store::EventRow>| {
            batch
                .into_iter()
                .map(|e| {
                    let checked = check_one_event(&e);
                    let stored = StoredEvent {
                        id: e.id,
                        command_id: e.command_id,
                        seq: e.seq,
                        hash_id: e.hash_id,
                        role: e.role,
                    };
                    (stored, checked)
                })
                .collect::<Vec<_>>()
        },
        |batch| {
            for (e, c) in batch {
                if let Some(problem) = c.problem {
                    f.add("events", e.id.to_string(), problem);
                }
                if let Some((seq, hash)) = c.anchor {
                    anchors.push(Anchored {
                        row: e.id,
                        command: e.command_id,
                        seq,
                        hash,
                    });
                }
                stored_events.push(e);
            }
            true
        },
    )?;
    // Stored in command order already unless rows were inserted out of it: then this sorts.
    stored_events.sort_by_key(|e| (e.command_id, e.seq, e.id));
    // The events of one command, compared when the command changes.
    let mut group: Option<(i64, Vec<StoredPair>)> = None;
    for e in stored_events {
        match &mut group {
            Some((id, stored)) if *id == e.command_id => stored.push((e.hash_id, e.role)),
            _ => {
                if let Some((id, stored)) = group.take() {
                    compare(id, &stored, &mut next, f);
                }
                group = Some((e.command_id, vec![(e.hash_id, e.role)]));
            }
        }
    }
    if let Some((id, stored)) = group.take() {
        compare(id, &stored, &mut next, f);
    }
    for v in vouched.get(next..).unwrap_or_default() {
        events_differ(v, &[], f);
    }
    check_event_anchors(conn, trail, anchors, f)
}

/// The head an event carries (`pb:auditAnchor`).
struct Anchored {
    row: i64,
    command: i64,
    seq: i64,
    hash: String,
}

/// The head each event carries (and the repository keeps) must be in the chain.
fn check_event_anchors(
    conn: &Conn,
    trail: &Trail,
    anchors: Vec<Anchored>,
    f: &mut Findings,
) -> Result<(), StoreError> {
    let mut known: HashMap<i64, Option<String>> = HashMap::new();
    for a in anchors {
        if a.seq < trail.keyed_at {
            continue;
        }
        // Usually the head just before the command's own record, which the chain walk kept
        // (checked); otherwise the chain's record is looked up.
        let before = trail
            .vouched
            .get(a.command)
            .filter(|v| v.seq - 1 == a.seq)
            .and_then(|v| v.head_before.as_deref());
        let stored = match (before, known.get(&a.seq)) {
            (Some(h), _) => Some(h.to_owned()),
            (None, Some(h)) => h.clone(),
            (None, None) => {
                let h = store::audit_hash_at(conn, a.seq)?;
                known.insert(a.seq, h.clone());
                h
            }
        };
        if stored.as_deref() != Some(a.hash.as_str()) {
            f.add(
                "events",
                a.row.to_string(),
                format!(
                    "carries audit head {}:{}, which the chain {} (records changed or deleted)",
                    a.seq,
                    a.hash,
                    if stored.is_some() {
                        "holds with another hash"
                    } else {
                        "does not reach"
                    }
                ),
            );
        }
    }
    Ok(())
}

/// A finding when a command's stored events are not those its record vouches for.
fn events_differ(v: &super::Voucher, stored: &[StoredPair], f: &mut Findings) {
    let same = v.events.len() == stored.len()
        && v.events
            .iter()
            .zip(stored)
            .all(|(said, (hash, role))| is_pair(said, hash, role));
    if !same {
        f.add(
            "events",
            format!("command {}", v.command),
            format!(
                "{} events stored, audit record {} vouches for {} ({})",
                stored.len(),
                v.seq,
                v.events.len(),
                first_difference(&v.events, stored)
            ),
        );
    }
}

/// Whether `said` is `"<hash> <role>"`.
fn is_pair(said: &str, hash: &str, role: &str) -> bool {
    said.strip_prefix(hash)
        .and_then(|rest| rest.strip_prefix(' '))
        .is_some_and(|rest| rest == role)
}

fn first_difference(vouched: &[String], stored: &[StoredPair]) -> String {
    for (i, v) in vouched.iter().enumerate() {
        match stored.get(i) {
            Some((hash, role)) if is_pair(v, hash, role) => {}
            Some((hash, role)) => return format!("event {i}: expected {v}, found {hash} {role}"),
            None => return format!("event {i} {v} missing"),
        }
    }
    stored
        .get(vouched.len())
        .map_or_else(String::new, |(hash, role)| {
            format!("extra event {hash} {role}")
        })
}

/// What checking one event found: a problem, and the audit head its body carries.
#[derive(Default)]
struct Checked {
    problem: Option<String>,
    /// (anchored record, anchored hash).
    anchor: Option<(i64, String)>,
}

fn check_one_event(e: &store::EventRow) -> Checked {
    let mut checked = Checked::default();
    match event_problem(e) {
        Ok(anchor) => {
            checked.anchor = anchor
                .as_deref()
                .and_then(|a| a.split_once(':'))
                .and_then(|(seq, hash)| Some((seq.parse().ok()?, hash.to_owned())));
        }
        Err(problem) => checked.problem = Some(problem),
    }
    checked
}

/// The event's `pb:auditAnchor`, or what is wrong with its body (parsed once).
fn event_problem(e: &store::EventRow) -> Result<Option<String>, String> {
    let anchor_field = format!("pb:{}", crate::station::events::AUDIT_ANCHOR_FIELD);
    let checked = crate::epcis::check_stored_jsonld(&e.body, &["eventID", &anchor_field])
        .map_err(|err| format!("body does not parse: {err}"))?;
    let computed = checked.hash_ids;
    if computed.len() != 1 {
        return Err(format!("body holds {} events, not one", computed.len()));
    }
    if computed[0] != e.hash_id {
        return Err(format!(
            "body hashes to {}, stored hash ID {} (body rewritten)",
            computed[0], e.hash_id
        ));
    }
    let mut fields = checked.first_event_fields.into_iter();
    let stated = fields.next().flatten();
    if stated.as_deref() != Some(e.hash_id.as_str()) {
        return Err(format!(
            "body's eventID is {}, stored hash ID {}",
            stated.as_deref().unwrap_or("absent"),
            e.hash_id
        ));
    }
    Ok(fields.next().flatten())
}

pub(super) fn check_signatures(
    conn: &Conn,
    trail: &Trail,
    f: &mut Findings,
) -> Result<(), StoreError> {
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
        let Some(v) = trail.vouched.get(s.command_id) else {
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
pub(super) fn check_units(
    conn: &Conn,
    mut replay: Replay,
    f: &mut Findings,
) -> Result<(), StoreError> {
    let adopted = store::adopted_units(conn)?;
    store::visit_unit_states(conn, |u| {
        let adopted_since = |t: i64| adopted.get(u.key).is_some_and(|&r| r >= t);
        let found = replay
            .ids
            .get(u.key)
            .and_then(|&id| replay.units.get_mut(id as usize))
            .and_then(Option::take);
        let Some(r) = found else {
            if !adopted.contains_key(u.key) {
                f.add(
                    "units",
                    u.key,
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
        let parent = u.parent.map(|p| replay.ids.get(p).copied());
        if parent.map_or(r.parent.is_some(), |p| p.is_none() || p != r.parent) {
            differs.push(format!(
                "parent {:?} (audit: {:?})",
                u.parent,
                replay.name(r.parent)
            ));
        }
        let status = replay.word_text(r.status);
        if status.is_some_and(|s| s != u.status) {
            differs.push(format!(
                "status {} (audit: {})",
                u.status,
                status.unwrap_or("")
            ));
        }
        let state = replay.word_text(r.state);
        if status.is_some() && state != u.state {
            differs.push(format!("state {:?} (audit: {:?})", u.state, state));
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
    let mut missing: Vec<&str> = replay
        .units
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_ref().is_some_and(|r| !r.deleted))
        .filter_map(|(id, _)| replay.names.get(id).map(|n| &**n))
        .collect();
    missing.sort_unstable();
    for key in missing {
        f.add("units", key, "missing: the audit trail has it (deleted)");
    }
    Ok(())
}

pub(super) fn check_users(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
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

pub(super) fn check_anchors(
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
