//! `audit verify` on a 1-million-unit database (issue 16: goal ≤ 10 s in release): the keyed
//! chain, every event's hash recomputed from its body, commands, outbox, signatures, units and
//! users checked against the trail.
//!
//! The database is built in bulk the way the station writes it when packs are scanned into
//! cases of 20: per case one command commissioning the case (an ObjectEvent ADD) and one per
//! pack packed, the last of which closes the case (AggregationEvent ADD, ObjectEvent OBSERVE);
//! each command with its row, events and hash IDs, outbox row and keyed audit record (the units'
//! new state, the evidence) — 1.05 million commands and audit records, 150,000 events — once,
//! under `target/bench-data/verify-1m/`, and reused.
//!
//! `cargo bench --bench verify` runs the full size; under `cargo test` a 10,000-unit smoke
//! version. Figures are printed, never asserted.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use packbench::auth::{AuditEntry, Role, append_audit, create_user};
use packbench::epcis::{
    Action, Event, EventKind, Extension, PersistentDisposition, document_jsonld, event_hash_id,
};
use packbench::store::{
    EventRole, Store, StoredEvent, insert_command, insert_event, insert_outbox,
};
use std::path::Path;
use std::time::Instant;

const PACKS_PER_CASE: u64 = 20;
const T0: i64 = 1_795_600_800_000;

fn event(kind: EventKind, action: Action, time_ms: i64) -> Event {
    let mut e = Event::new(kind, action, time_ms, "+01:00");
    e.read_point = Some("urn:epc:id:sgln:9506000.00000.1".to_owned());
    e.biz_location = Some("urn:epc:id:sgln:9506000.00000.0".to_owned());
    e
}

/// One command as `Cmd::commit` writes it: its row, its events, its outbox row (when it has
/// events) and its keyed audit record with the units' new state and its evidence.
fn record(
    tx: &packbench::store::Tx<'_>,
    now: i64,
    kind: &str,
    target: &str,
    snaps: &[serde_json::Value],
    events: Vec<Event>,
) {
    let changes = serde_json::Value::Array(snaps.to_vec()).to_string();
    let command = insert_command(
        tx,
        kind,
        "admin",
        now,
        Some("WO-1"),
        Some(target),
        &changes,
        None,
    )
    .unwrap();
    let mut ids = Vec::new();
    // Like `Cmd::commit`: every event carries the trail's head before the command's record.
    let head = packbench::store::last_audit_link(tx)
        .unwrap()
        .map(|(seq, hash)| format!("{seq}:{hash}"));
    for (seq, mut e) in events.into_iter().enumerate() {
        if let Some(head) = &head {
            e.extensions.push(Extension::packbench(
                packbench::station::AUDIT_ANCHOR_FIELD,
                head,
            ));
        }
        let id = event_hash_id(&e);
        e.event_id = Some(id.clone());
        let mut epcs: Vec<String> = e.parent_id.iter().cloned().collect();
        epcs.extend(e.epcs.iter().cloned());
        insert_event(
            tx,
            &StoredEvent {
                command_id: command,
                seq: u32::try_from(seq).unwrap(),
                hash_id: &id,
                role: EventRole::Event,
                event_time_ms: e.event_time_ms,
                body: &document_jsonld(std::slice::from_ref(&e), e.event_time_ms),
                epcs: &epcs,
            },
        )
        .unwrap();
        ids.push(id);
    }
    if !ids.is_empty() {
        insert_outbox(tx, command, now).unwrap();
    }
    let events: Vec<(&str, EventRole)> =
        ids.iter().map(|i| (i.as_str(), EventRole::Event)).collect();
    append_audit(
        tx,
        &AuditEntry {
            time_ms: now,
            username: "admin".into(),
            action: kind.into(),
            target: Some(target.to_owned()),
            new_value: Some(changes.clone()),
            evidence: Some(packbench::station::unsigned_command_evidence(
                command,
                &changes,
                &events,
                !ids.is_empty(),
            )),
            ..AuditEntry::default()
        },
    )
    .unwrap();
}

fn prefill(dir: &Path, cases: u64) {
    let db = dir.join("packbench.sqlite");
    if db.exists() && dir.join("audit.key").exists() {
        // Reused only when its chain still verifies and its events carry the trail's head
        // (a database built by an earlier version of this bench is built again).
        let store = Store::open_dir(dir).expect("open");
        let anchored: i64 = store
            .conn()
            .raw_sqlite()
            .query_row(
                "SELECT count(*) FROM events WHERE id = 1 AND body LIKE '%auditAnchor%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if anchored == 1 && matches!(packbench::auth::verify_audit(store.conn()), Ok(Ok(_))) {
            println!("reusing {}", db.display());
            return;
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clean");
    }
    let t = Instant::now();
    let mut store = Store::open_dir(dir).expect("open");
    let tx = store.begin().expect("tx");
    create_user(
        &tx,
        "admin",
        "Ada Admin",
        Role::Administrator,
        "admin-pass-1",
        T0,
    )
    .unwrap();
    append_audit(
        &tx,
        &AuditEntry {
            time_ms: T0,
            username: "admin".into(),
            action: "create_user".into(),
            target: Some("admin".into()),
            new_value: Some("administrator (first run)".into()),
            ..AuditEntry::default()
        },
    )
    .unwrap();
    {
        let sql = tx.raw_sqlite();
        let mut case_row = sql
            .prepare("INSERT INTO units (key, epc, level, status, state, child_count, capacity, work_order, published, updated_ms) VALUES (?1, ?2, 'case', 'active', 'closed', 20, 20, 'WO-1', 0, ?3)")
            .unwrap();
        let mut pack_row = sql
            .prepare("INSERT INTO units (key, epc, level, status, gtin, lot, expiry, parent_id, published, work_order, listed, updated_ms) VALUES (?1, ?2, 'pack', 'active', '09506000134352', 'LOT1', '271231', ?3, 1, 'WO-1', 1, ?4)")
            .unwrap();
        for c in 0..cases {
            let t0 = T0 + 1_000 + i64::try_from(c).unwrap() * 100;
            let case_key = format!("(00)1{c:016}X");
            let case_epc = format!("urn:epc:id:sscc:9506000.1{c:09}");
            case_row
                .execute(rusqlite::params![case_key, case_epc, t0])
                .unwrap();
            let case_id = sql.last_insert_rowid();
            let case_snap = |state: &str, count: u64| serde_json::json!({"key": case_key, "parent": null, "status": "active", "state": state, "count": count});
            // The scan of a new SSCC: the case is commissioned.
            let mut commission = event(EventKind::Object, Action::Add, t0);
            commission.epcs = vec![case_epc.clone()];
            commission.biz_step = Some("commissioning".into());
            commission.disposition = Some("active".into());
            record(
                &tx,
                t0,
                "scan",
                &case_key,
                &[case_snap("open", 0)],
                vec![commission],
            );
            // One command per pack scanned into it.
            let mut children = Vec::new();
            for p in 0..PACKS_PER_CASE {
                let now = t0 + 1 + i64::try_from(p).unwrap();
                let serial = c * PACKS_PER_CASE + p;
                let key = format!("(01)09506000134352(21)S{serial:09}");
                let epc = format!("urn:epc:id:sgtin:9506000.013435.S{serial:09}");
                pack_row
                    .execute(rusqlite::params![key, epc, case_id, now])
                    .unwrap();
                let pack = serde_json::json!({"key": key, "parent": case_key, "status": "active", "state": null, "count": 0});
                let state = if p + 1 == PACKS_PER_CASE {
                    "closed"
                } else {
                    "open"
                };
                let mut events = Vec::new();
                if p + 1 == PACKS_PER_CASE {
                    // The last pack fills the case: it closes itself.
                    let mut aggregate = event(EventKind::Aggregation, Action::Add, now);
                    aggregate.parent_id = Some(case_epc.clone());
                    aggregate.epcs = children.clone();
                    aggregate.epcs.push(epc.clone());
                    aggregate.biz_step = Some("packing".into());
                    aggregate.disposition = Some("in_progress".into());
                    let mut observe = event(EventKind::Object, Action::Observe, now + 1);
                    observe.epcs = vec![case_epc.clone()];
                    observe.biz_step = Some("inspecting".into());
                    observe.persistent_disposition = Some(PersistentDisposition {
                        set: vec!["completeness_verified".into()],
                        unset: Vec::new(),
                    });
                    events = vec![aggregate, observe];
                }
                record(
                    &tx,
                    now,
                    "pack",
                    &key,
                    &[pack, case_snap(state, p + 1)],
                    events,
                );
                children.push(epc);
            }
        }
    }
    tx.commit().expect("commit");
    println!(
        "built {} units in {:.1} s",
        cases * (PACKS_PER_CASE + 1),
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let cases = if full {
        1_000_000 / PACKS_PER_CASE
    } else {
        500
    };
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let dir = base.join(if full { "verify-1m" } else { "verify-smoke" });
    std::fs::create_dir_all(&base).expect("mkdir");
    prefill(&dir, cases);
    let store = Store::open_dir(&dir).expect("open");
    let units: i64 = store
        .conn()
        .raw_sqlite()
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    let t = Instant::now();
    let chain = packbench::auth::verify_audit(store.conn()).expect("chain");
    println!(
        "the keyed chain alone ({} records): {:.2} s",
        chain.as_ref().map_or(0, |n| *n),
        t.elapsed().as_secs_f64()
    );
    let mut runs = Vec::new();
    for run in 1..=3 {
        let cpu = cpu_seconds();
        let t = Instant::now();
        let report = packbench::station::verify_all(store.conn(), store.path()).expect("verify");
        let s = t.elapsed().as_secs_f64();
        runs.push(s);
        assert!(report.intact(), "{:?}", report.findings.first());
        let cpu = match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) => format!(", {:.1} s of CPU", b - a),
            _ => String::new(),
        };
        println!(
            "run {run}: audit verify of {units} units, {} records: {s:.2} s{cpu}",
            report.records.unwrap_or(0)
        );
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "audit verify, {units} units: best {:.2} s, median {:.2} s (goal ≤ 10 s in release)",
        runs[0], runs[1]
    );
}

/// User + system CPU time of this process so far (Linux; `None` elsewhere): the figure the
/// machine's other load does not change, beside the wall-clock one.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of proc(5) (utime, stime), counted after the name: 12 and 13 (0-based
    // 11 and 12), in clock ticks of 1/100 s.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
