//! Sync against QU4RTET, a real open-source EPCIS 1.2 pharma repository, started by
//! `scripts/test` (`scripts/qu4rtet`). Without it the tests fail, unless they are switched off
//! on purpose (`PACKBENCH_SKIP_QU4RTET=1`, see `harness::qu4rtet`).
//!
//! The packaging line commissions the packs (the test plays it); the station then builds a
//! pallet of cases of packs, syncs, and QU4RTET's own API must show every unit under the right
//! parent; then remove, unpack and decommission, sync, and check again. A document re-sent
//! after a lost answer must count as delivered, a real rule failure must not.

use crate::harness::qu4rtet::{self, commission, sync_all};
use crate::harness::repo::proxy;
use crate::harness::station::*;
use packbench::epcis::{Action, Event, EventKind, event_hash_id};
use packbench::store::Store;
use packbench::sync::{PushOutcome, Qu4rtet, Repository};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// QU4RTET's entry of an EPC: (id, parent id, decommissioned).
fn entry(q: &Qu4rtet, epc: &str) -> (String, Option<String>, bool) {
    qu4rtet::entry(q, epc).unwrap_or_else(|| panic!("QU4RTET has no entry for {epc}"))
}

#[test]
fn pallet_built_at_the_bench_lands_in_qu4rtet_with_every_parent_right() {
    let Some(cfg) = qu4rtet::config() else { return };
    let q = Qu4rtet::new(&cfg).unwrap();
    let tag = unique_tag();
    let base = 1 + (now() as u64 % 800_000) * 1_000;
    let packs: Vec<String> = (1..=6).map(|n| pack_epc(&tag, n)).collect();
    commission(&q, &packs);

    let dir = tempfile::tempdir().unwrap();
    run_lines(
        dir.path(),
        &format!("{SETUP}\n{}", pallet_lines(&tag, base, 1)),
    );
    let report = sync_all(dir.path(), &cfg);
    assert_eq!(report.stopped_by, None);
    assert_eq!(report.parked_rows, 0, "{report:?}");
    assert_eq!(counts(dir.path()).0, 0);

    let (case_a, case_b, pallet) = (sscc_epc(base), sscc_epc(base + 1), sscc_epc(base + 1_000));
    let pallet_id = entry(&q, &pallet).0;
    let a = entry(&q, &case_a);
    let b = entry(&q, &case_b);
    assert_eq!(a.1.as_deref(), Some(pallet_id.as_str()));
    assert_eq!(b.1.as_deref(), Some(pallet_id.as_str()));
    for (i, p) in packs.iter().enumerate() {
        let want = if i < 3 { &a.0 } else { &b.0 };
        assert_eq!(entry(&q, p).1.as_ref(), Some(want), "parent of {p}");
    }

    // The same command's document again (as after a lost answer) fails QU4RTET's rules as
    // "already commissioned"; the client finds its events there: delivered, not a rejection.
    let store = Store::open_dir(dir.path()).unwrap();
    let body: String = store
        .conn()
        .raw_sqlite()
        .query_row("SELECT body FROM events ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(store);
    let last = packbench::epcis::events_from_jsonld(&body).unwrap();
    let mut repo = Qu4rtet::new(&cfg).unwrap();
    assert_eq!(
        repo.push(&last, now()).unwrap(),
        PushOutcome::AlreadyPresent
    );
    // A real rule failure (packing an EPC nobody commissioned) is a rejection.
    let mut bogus = Event::new(EventKind::Aggregation, Action::Add, now(), "+00:00");
    bogus.parent_id = Some(pallet.clone());
    bogus.epcs = vec![pack_epc(&tag, 99)];
    bogus.biz_step = Some("packing".into());
    bogus.event_id = Some(event_hash_id(&bogus));
    assert!(matches!(
        repo.push(&[bogus], now()).unwrap(),
        PushOutcome::Rejected { .. }
    ));

    // Remove one pack, unpack case B, decommission a pack: sync, and prove again.
    let lines = [
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
        r#"{"cmd":"select_work_order","id":"WO-1"}"#.to_owned(),
        format!(r#"{{"cmd":"remove","scan":"{}"}}"#, pack_scan(&tag, 1)),
        format!(r#"{{"cmd":"unpack","scan":"(00){}"}}"#, sscc(base + 1)),
        format!(
            r#"{{"cmd":"retire","scan":"{}","kind":"decommission","reason":"damaged","signature":{{"user":"sup","password":"sup-pass-1"}}}}"#,
            pack_scan(&tag, 4)
        ),
    ];
    run_lines(dir.path(), &lines.join("\n"));
    // Through a proxy that lets QU4RTET apply the first document but loses its answer: the
    // retry must find it there instead of storing a second copy.
    let proxy = proxy::Proxy::start(&cfg.url);
    proxy.push_for("POST", &[proxy::Fault::LoseResponse]);
    let mut via_proxy = cfg.clone();
    via_proxy.url = proxy.url.clone();
    let first = sync_all(dir.path(), &via_proxy);
    assert!(
        first.stopped_by.is_some(),
        "the lost answer is an unknown outcome"
    );
    let report = sync_all(dir.path(), &via_proxy);
    assert_eq!(
        (report.stopped_by.clone(), report.parked_rows),
        (None, 0),
        "{report:?}"
    );
    assert!(report.already_present_rows >= 1, "{report:?}");
    assert_eq!(entry(&q, &packs[0]).1, None, "removed pack has no parent");
    assert_eq!(entry(&q, &packs[1]).1.as_ref(), Some(&a.0));
    for p in &packs[3..] {
        assert_eq!(entry(&q, p).1, None, "{p} unpacked");
    }
    assert!(entry(&q, &packs[3]).2, "decommissioned");
    assert_eq!(counts(dir.path()).0, 0);
    // Exactly once: every local event is in QU4RTET, none twice.
    for epc in packs.iter().chain([&case_a, &case_b, &pallet]) {
        let mut list = q.events_of_entry(epc).unwrap();
        let n = list.len();
        list.sort();
        list.dedup();
        assert_eq!(
            list.len(),
            n,
            "an event of {epc} is stored twice: {:?}",
            q.events_of_entry(epc).unwrap()
        );
    }
    let store = Store::open_dir(dir.path()).unwrap();
    let bodies: Vec<String> = {
        let mut st = store
            .conn()
            .raw_sqlite()
            .prepare("SELECT body FROM events ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let all: Vec<Event> = bodies
        .iter()
        .flat_map(|b| packbench::epcis::events_from_jsonld(b).unwrap())
        .collect();
    assert!(
        q.holds_all(&all).unwrap(),
        "every local event is in QU4RTET"
    );
    drop(store);

    // Hold / quarantine (issue 14 §2): case A (on the pallet) with its packs is held by a
    // supervisor and released by QA; both events reach QU4RTET, whose ledger of a pack in the
    // case lists them.
    let lines = [
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#.to_owned(),
        r#"{"cmd":"create_user","user":"quinn","full_name":"Quinn QA","role":"qa","password":"qa-pass-12"}"#.to_owned(),
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
        r#"{"cmd":"select_work_order","id":"WO-1"}"#.to_owned(),
        format!(
            r#"{{"cmd":"hold","scan":"(00){}","reason":"suspect_product","comment":"leaking blister","signature":{{"user":"sup","password":"sup-pass-1"}}}}"#,
            sscc(base)
        ),
        format!(
            r#"{{"cmd":"release","scan":"(00){}","reason":"inspected, no defect","signature":{{"user":"quinn","password":"qa-pass-12"}}}}"#,
            sscc(base)
        ),
    ];
    run_lines(dir.path(), &lines.join("\n"));
    let report = sync_all(dir.path(), &cfg);
    assert_eq!(
        (report.stopped_by.clone(), report.parked_rows),
        (None, 0),
        "{report:?}"
    );
    assert_eq!(counts(dir.path()).0, 0);
    let store = Store::open_dir(dir.path()).unwrap();
    let held: Vec<(String, String)> = {
        let mut st = store
            .conn()
            .raw_sqlite()
            .prepare(
                "SELECT c.kind, e.hash_id FROM events e JOIN commands c ON c.id = e.command_id
                 WHERE c.kind IN ('hold', 'release') ORDER BY e.id",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let kinds: Vec<&str> = held.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["hold", "release"], "one event each");
    let ledger: Vec<String> = q
        .events_of_entry(&packs[1])
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (kind, id) in &held {
        assert!(
            ledger.contains(id),
            "QU4RTET's ledger of {} lacks the {kind} event {id}: {ledger:?}",
            packs[1]
        );
    }
    assert!(
        q.events_of_entry(&case_a)
            .unwrap()
            .iter()
            .any(|(id, _)| *id == held[0].1),
        "the case's ledger shows the hold"
    );
}

/// Creates a sequential serialbox pool (as smoke.py beside up.sh does).
fn serialbox_pool(q: &Qu4rtet, pool: &str, start: u64) {
    let post = |path: &str, body: serde_json::Value| {
        let r = q
            .http()
            .send(
                "POST",
                path,
                &[("Content-Type", "application/json")],
                Some(body.to_string().as_bytes()),
            )
            .unwrap();
        assert!(r.status < 300, "{path}: {} {}", r.status, r.body);
    };
    post(
        "/serialbox/pool-create/",
        serde_json::json!({"readable_name": pool, "machine_name": pool, "active": true,
                           "request_threshold": 100_000}),
    );
    post(
        "/serialbox/sequential-region-create/",
        serde_json::json!({"readable_name": format!("{pool}-r1"), "machine_name": format!("{pool}-r1"),
                           "active": true, "order": 1, "start": start, "end": start + 999_999,
                           "state": start, "pool": pool}),
    );
}

#[test]
fn serialbox_ranges_feed_the_label_allocator_and_are_never_reused() {
    let Some(cfg) = qu4rtet::config() else { return };
    let q = Qu4rtet::new(&cfg).unwrap();
    let tag = unique_tag().to_lowercase();
    let pool = format!("sscc-{tag}");
    serialbox_pool(&q, &pool, 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    let mut station = packbench::station::Station::open(dir.path()).unwrap();
    let first =
        packbench::sync::allocate_ssccs(q.http(), &mut station, &pool, 3, "9506000", 0).unwrap();
    let second =
        packbench::sync::allocate_ssccs(q.http(), &mut station, &pool, 2, "9506000", 0).unwrap();
    assert_eq!((first.count, second.count, second.remaining), (3, 2, 5));
    assert_eq!(first.first, sscc(1_000_000));
    assert_ne!(
        first.last, second.first,
        "serialbox never hands a number out twice"
    );
    let stock = packbench::labels::alloc::stock(station.store().conn()).unwrap();
    assert!(
        stock
            .ranges
            .iter()
            .all(|r| r.source == "pool" && r.origin.as_deref() == Some(pool.as_str()))
    );
    drop(station);
    // The station prints labels from them like from a local range, until they run out.
    let mut station = packbench::station::Station::open(dir.path()).unwrap();
    let mut out = Vec::new();
    let login = r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}
{"cmd":"select_work_order","id":"WO-1"}"#;
    packbench::cli::station::serve(&mut station, &mut login.as_bytes(), &mut out).unwrap();
    let lines = r#"{"cmd":"print_label"}
{"cmd":"verify_label","scan":"LAST"}"#;
    let mut printed = Vec::new();
    for _ in 0..5 {
        out.clear();
        packbench::cli::station::serve(
            &mut station,
            &mut lines.lines().next().unwrap().as_bytes(),
            &mut out,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["ok"], true, "{v}");
        let key = v["data"]["key"].as_str().unwrap().to_owned();
        assert_eq!(
            v["code"], "SSCC_LOW_STOCK",
            "5 left is below the default 100"
        );
        out.clear();
        let verify = lines.lines().nth(1).unwrap().replace("LAST", &key);
        packbench::cli::station::serve(&mut station, &mut verify.as_bytes(), &mut out).unwrap();
        printed.push(key);
    }
    let unique: std::collections::BTreeSet<_> = printed.iter().collect();
    assert_eq!(unique.len(), 5);
    out.clear();
    packbench::cli::station::serve(
        &mut station,
        &mut r#"{"cmd":"print_label"}"#.as_bytes(),
        &mut out,
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["code"], "SSCC_EXHAUSTED", "{v}");
}
