//! The checks of `audit verify` beyond the chain (`super`): commands, events, signatures,
//! units, users and anchors, each against what the trail vouches for.

use super::{AnchorPoint, Findings, Replayed, Trail, digest};
use crate::store::{self, Conn, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn check_commands(
    conn: &Conn,
    trail: &Trail,
    f: &mut Findings,
) -> Result<(), StoreError> {
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

pub(super) fn check_events(conn: &Conn, trail: &Trail, f: &mut Findings) -> Result<(), StoreError> {
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
    Ok(field(&format!(
        "pb:{}",
        crate::station::events::AUDIT_ANCHOR_FIELD
    )))
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
pub(super) fn check_units(
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
