//! `audit verify` on a 1-million-unit database (issue 16: goal ≤ 10 s in release): the keyed
//! chain, every event's hash recomputed from its body, commands, outbox, signatures, units and
//! users checked against the trail.
//!
//! The database is built in bulk the way the station writes it — per case of 20 packs: the
//! units, a command row, its three events (commissioning, aggregation, completeness) with
//! their hash IDs, an outbox row and a keyed audit record with the units' new state and the
//! command's evidence — once, under `target/bench-data/verify-1m/`, and reused.
//!
//! `cargo bench --bench verify` runs the full size; under `cargo test` a 10,000-unit smoke
//! version. Figures are printed, never asserted.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use packbench::auth::{AuditEntry, Role, append_audit, create_user};
use packbench::epcis::{
    Action, Event, EventKind, PersistentDisposition, document_jsonld, event_hash_id,
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

fn prefill(dir: &Path, cases: u64) {
    let db = dir.join("packbench.sqlite");
    if db.exists() && dir.join("audit.key").exists() {
        println!("reusing {}", db.display());
        return;
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
            let now = T0 + 1_000 + i64::try_from(c).unwrap() * 10;
            let case_key = format!("(00)1{c:016}X");
            let case_epc = format!("urn:epc:id:sscc:9506000.1{c:09}");
            case_row
                .execute(rusqlite::params![case_key, case_epc, now])
                .unwrap();
            let case_id = sql.last_insert_rowid();
            let mut snaps = vec![
                serde_json::json!({"key": case_key, "parent": null, "status": "active", "state": "closed", "count": PACKS_PER_CASE}),
            ];
            let mut children = Vec::new();
            for p in 0..PACKS_PER_CASE {
                let serial = c * PACKS_PER_CASE + p;
                let key = format!("(01)09506000134352(21)S{serial:09}");
                let epc = format!("urn:epc:id:sgtin:9506000.013435.S{serial:09}");
                pack_row
                    .execute(rusqlite::params![key, epc, case_id, now])
                    .unwrap();
                snaps.push(serde_json::json!({"key": key, "parent": case_key, "status": "active", "state": null, "count": 0}));
                children.push(epc);
            }
            let changes = serde_json::Value::Array(snaps.clone()).to_string();
            let command = insert_command(
                &tx,
                "close",
                "admin",
                now,
                Some("WO-1"),
                Some(&case_key),
                &changes,
                None,
            )
            .unwrap();
            let mut commission = event(EventKind::Object, Action::Add, now);
            commission.epcs = vec![case_epc.clone()];
            commission.biz_step = Some("commissioning".into());
            commission.disposition = Some("active".into());
            let mut aggregate = event(EventKind::Aggregation, Action::Add, now + 1);
            aggregate.parent_id = Some(case_epc.clone());
            aggregate.epcs = children;
            aggregate.biz_step = Some("packing".into());
            aggregate.disposition = Some("in_progress".into());
            let mut observe = event(EventKind::Object, Action::Observe, now + 2);
            observe.epcs = vec![case_epc.clone()];
            observe.biz_step = Some("inspecting".into());
            observe.persistent_disposition = Some(PersistentDisposition {
                set: vec!["completeness_verified".into()],
                unset: Vec::new(),
            });
            let mut ids = Vec::new();
            for (seq, mut e) in [commission, aggregate, observe].into_iter().enumerate() {
                let id = event_hash_id(&e);
                e.event_id = Some(id.clone());
                let mut epcs: Vec<String> = e.parent_id.iter().cloned().collect();
                epcs.extend(e.epcs.iter().cloned());
                insert_event(
                    &tx,
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
            insert_outbox(&tx, command, now).unwrap();
            let events: Vec<(&str, EventRole)> =
                ids.iter().map(|i| (i.as_str(), EventRole::Event)).collect();
            append_audit(
                &tx,
                &AuditEntry {
                    time_ms: now,
                    username: "admin".into(),
                    action: "close".into(),
                    target: Some(case_key.clone()),
                    new_value: Some(changes.clone()),
                    evidence: Some(packbench::station::unsigned_command_evidence(
                        command, &changes, &events, true,
                    )),
                    ..AuditEntry::default()
                },
            )
            .unwrap();
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
    let mut best = f64::MAX;
    for run in 1..=3 {
        let t = Instant::now();
        let report = packbench::station::verify_all(store.conn(), store.path()).expect("verify");
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        assert!(report.intact(), "{:?}", report.findings.first());
        println!(
            "run {run}: audit verify of {units} units, {} records: {s:.2} s",
            report.records.unwrap_or(0)
        );
    }
    println!("audit verify, {units} units: best {best:.2} s (goal ≤ 10 s in release)");
}
