//! Verify contents (`docs/automation.md` "Verify contents", `docs/architecture.md` §8): the
//! packer scans what is really in a closed case; the station classifies every scan live
//! against its record; a supervisor's signature confirms; the record is corrected and the check
//! recorded as CBV 2.0 events. The issue's case: a closed case of N packs (N and the serials
//! drawn from a seed) with one pack missing, one extra loose pack and one pack of another lot,
//! then synced to the real QU4RTET, whose parent of every unit must equal the station's.

use crate::harness::data::{epcis_json_validator, xmllint, xsd_12, xsd_20};
use crate::harness::qu4rtet::{self, commission, sync_all};
use crate::harness::station::{DEADLINE, counts};
use packbench::cli::export::{ExportFormat, document};
use packbench::epcis::{Action, Event, EventKind};
use packbench::station::{Request, Response, Station};
use packbench::store::Store;
use packbench::sync::Qu4rtet;
use std::path::Path;

const GTIN: &str = "09506000134352";
const LOT: &str = "LOT42";
const OTHER_LOT: &str = "LOT43";
const SUP: &str = r#"{"user":"sup","password":"sup-pass-1","reason":"weekly check"}"#;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A small deterministic generator (xorshift64*), so a failing seed can be replayed with
/// `PACKBENCH_TEST_SEED`.
struct Rng(u64);

impl Rng {
    fn seeded() -> (u64, Self) {
        let seed = std::env::var("PACKBENCH_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| now() as u64);
        eprintln!("verify_contents seed {seed} (PACKBENCH_TEST_SEED={seed} replays it)");
        (seed, Self(seed | 1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// The case of the test: its packs' serials, the missing one, the extra one, the wrong-lot one,
/// and SSCC serial references that do not collide with other runs on the same repository.
struct Case {
    n: u32,
    serials: Vec<String>,
    missing: usize,
    extra: String,
    wrong: String,
    sscc_base: u64,
}

impl Case {
    fn drawn(rng: &mut Rng, seed: u64) -> Self {
        let n = 4 + rng.below(9) as u32;
        let tag = format!("V{:07}", seed % 10_000_000);
        let mut serials: Vec<String> = Vec::new();
        while serials.len() < n as usize + 2 {
            let s = format!("{tag}{:05}", rng.below(100_000));
            if !serials.contains(&s) {
                serials.push(s);
            }
        }
        let wrong = serials.pop().unwrap();
        let extra = serials.pop().unwrap();
        let missing = rng.below(u64::from(n)) as usize;
        Self {
            n,
            serials,
            missing,
            extra,
            wrong,
            sscc_base: 1 + (seed % 800_000) * 1_000,
        }
    }

    fn sscc(&self, i: u64) -> String {
        let s = packbench::gs1::Sscc::new("9506000", 0, self.sscc_base + i).unwrap();
        format!("(00){}", s.as_str())
    }
}

fn scan_of(serial: &str, lot: &str) -> String {
    format!("(01){GTIN}(17)271231(10){lot}(21){serial}")
}

fn key_of(serial: &str) -> String {
    format!("(01){GTIN}(21){serial}")
}

fn epc_of(serial: &str) -> String {
    format!("urn:epc:id:sgtin:9506000.013435.{serial}")
}

fn sscc_epc(key: &str) -> String {
    let digits = &key[4..];
    format!(
        "urn:epc:id:sscc:9506000.{}{}",
        &digits[0..1],
        &digits[8..17]
    )
}

fn run(st: &mut Station, line: &str) -> Response {
    let req: Request = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    st.execute(req)
}

fn ok(st: &mut Station, line: &str) -> Response {
    let r = run(st, line);
    assert!(r.ok, "{line} refused: {r:?}");
    r
}

fn scan(st: &mut Station, data: &str) -> Response {
    run(
        st,
        &serde_json::json!({"cmd": "scan", "data": data}).to_string(),
    )
}

/// Users, the product, two orders of the same GTIN (the case's lot and another), settings.
fn set_up(st: &mut Station, n: u32) {
    for line in [
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}"#.to_owned(),
        r#"{"cmd":"create_user","user":"sup","full_name":"Sam Supervisor","role":"supervisor","password":"sup-pass-1"}"#.to_owned(),
        r#"{"cmd":"create_user","user":"pat","full_name":"Pat Packer","role":"packer","password":"pat-pass-1"}"#.to_owned(),
        format!(r#"{{"cmd":"add_product","gtin":"{GTIN}","name":"Demo 20 mg tablets","company_prefix_length":7}}"#),
        format!(r#"{{"cmd":"create_work_order","id":"WO-1","gtin":"{GTIN}","lot":"{LOT}","expiry":"271231","levels":[{{"level":"case","capacity":{n}}},{{"level":"pallet","capacity":2}}]}}"#),
        format!(r#"{{"cmd":"create_work_order","id":"WO-2","gtin":"{GTIN}","lot":"{OTHER_LOT}","expiry":"271231","levels":[{{"level":"case","capacity":{n}}}]}}"#),
        r#"{"cmd":"set_setting","key":"read_point","value":"urn:epc:id:sgln:9506000.00000.1"}"#.to_owned(),
        r#"{"cmd":"set_setting","key":"biz_location","value":"urn:epc:id:sgln:9506000.00000.0"}"#.to_owned(),
        r#"{"cmd":"set_setting","key":"sscc_company_prefix_length","value":"7"}"#.to_owned(),
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
    ] {
        ok(st, &line);
    }
}

/// Builds the issue's situation: case 1 closed with its N packs; the extra pack packed into
/// case 2 and taken out again (loose); the other lot's pack packed into case 3 (order WO-2)
/// and taken out again (loose).
fn build(st: &mut Station, case: &Case) {
    ok(st, r#"{"cmd":"select_work_order","id":"WO-1"}"#);
    assert!(scan(st, &case.sscc(0)).ok);
    for (i, s) in case.serials.iter().enumerate() {
        let r = scan(st, &scan_of(s, LOT));
        assert!(r.ok, "{r:?}");
        assert_eq!(r.closed, i + 1 == case.n as usize);
    }
    assert!(scan(st, &case.sscc(1)).ok);
    assert!(scan(st, &scan_of(&case.extra, LOT)).ok);
    ok(
        st,
        &serde_json::json!({"cmd": "remove", "scan": key_of(&case.extra)}).to_string(),
    );
    ok(st, r#"{"cmd":"select_work_order","id":"WO-2"}"#);
    assert!(scan(st, &case.sscc(2)).ok);
    assert!(scan(st, &scan_of(&case.wrong, OTHER_LOT)).ok);
    ok(
        st,
        &serde_json::json!({"cmd": "remove", "scan": key_of(&case.wrong)}).to_string(),
    );
}

/// The case's children in the station, by key.
fn children(st: &Station, container: &str) -> Vec<String> {
    let c = packbench::store::unit_by_key(st.store().conn(), container)
        .unwrap()
        .unwrap();
    let mut keys: Vec<String> = packbench::store::children(st.store().conn(), c.id)
        .unwrap()
        .into_iter()
        .map(|u| u.key)
        .collect();
    keys.sort();
    keys
}

/// The station's parent of a unit (its EPC), `None` when loose.
fn station_parent(st: &Station, key: &str) -> Option<String> {
    let conn = st.store().conn();
    let u = packbench::store::unit_by_key(conn, key).unwrap().unwrap();
    u.parent_id
        .map(|p| packbench::store::unit_by_id(conn, p).unwrap().unwrap().epc)
}

/// The events of the last command of `kind`, in order.
fn command_events(dir: &Path, kind: &str) -> Vec<Event> {
    let store = Store::open_dir(dir).unwrap();
    let mut q = store
        .conn()
        .raw_sqlite()
        .prepare(
            "SELECT body FROM events WHERE command_id = \
             (SELECT max(id) FROM commands WHERE kind = ?1) ORDER BY seq",
        )
        .unwrap();
    let bodies: Vec<String> = q
        .query_map([kind], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    bodies
        .iter()
        .flat_map(|b| packbench::epcis::events_from_jsonld(b).unwrap())
        .collect()
}

fn event_count(dir: &Path) -> i64 {
    let store = Store::open_dir(dir).unwrap();
    store
        .conn()
        .raw_sqlite()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap()
}

fn pb(e: &Event, name: &str) -> Option<String> {
    e.extensions
        .iter()
        .find(|x| x.prefix == "pb" && x.name == name)
        .map(|x| x.value.clone())
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Every event valid on its own, against the EPCIS 2.0 JSON Schema and both XML schemas.
fn assert_valid(events: &[Event]) {
    for e in events {
        assert_eq!(e.validate(), Ok(()), "{e:?}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&document(ExportFormat::Jsonld, events, now())).unwrap();
    let errors: Vec<String> = epcis_json_validator()
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    xmllint(&document(ExportFormat::Xml, events, now()), &xsd_20()).unwrap();
    xmllint(&document(ExportFormat::Xml12, events, now()), &xsd_12()).unwrap();
}

/// Scans the check: every pack of the case but the missing one, in a drawn order, with the
/// extra one and the wrong-lot one among them; asserts each answer's class and the counts.
fn scan_the_check(st: &mut Station, case: &Case, rng: &mut Rng) {
    let r = ok(
        st,
        &serde_json::json!({"cmd": "verify_start", "container": case.sscc(0)}).to_string(),
    );
    let v = &r.data.as_ref().unwrap()["verify"];
    assert_eq!(v["counts"]["expected"], case.n);
    assert_eq!(v["counts"]["missing"], case.n);
    let mut scans: Vec<(String, &str)> = case
        .serials
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != case.missing)
        .map(|(_, s)| (scan_of(s, LOT), "seen"))
        .collect();
    scans.push((scan_of(&case.extra, LOT), "extra"));
    scans.push((scan_of(&case.wrong, OTHER_LOT), "wrong_lot"));
    rng.shuffle(&mut scans);
    for (i, (data, class)) in scans.iter().enumerate() {
        let r = scan(st, data);
        assert!(r.ok, "{data}: {r:?}");
        let want = match *class {
            "seen" => "OK",
            "extra" => "VERIFY_EXTRA",
            _ => "VERIFY_WRONG_LOT",
        };
        assert_eq!(r.code.as_str(), want, "{data}");
        let d = r.data.as_ref().unwrap();
        assert_eq!(d["scan"]["class"], *class);
        assert_eq!(d["verify"]["counts"]["scanned"], i as u64 + 1);
    }
    // Scanned twice: answered again, counted once.
    let again = scan(st, &scans[0].0);
    assert_eq!(again.data.as_ref().unwrap()["scan"]["duplicate"], true);
    // An unknown pack of the right lot, and garbage: refused loudly, not recorded.
    let unknown = scan(st, &scan_of("NOSUCH1", LOT));
    assert_eq!(unknown.code.as_str(), "UNKNOWN_UNIT");
    assert!(!unknown.ok);
    assert_eq!(scan(st, "(01)12345").code.as_str(), "INVALID_SCAN");
    let status = ok(st, r#"{"cmd":"verify_status"}"#);
    let v = &status.data.as_ref().unwrap()["verify"];
    let c = &v["counts"];
    assert_eq!(
        (
            c["expected"].as_u64(),
            c["scanned"].as_u64(),
            c["seen"].as_u64()
        ),
        (
            Some(u64::from(case.n)),
            Some(u64::from(case.n) + 1),
            Some(u64::from(case.n) - 1)
        )
    );
    assert_eq!(
        (
            c["missing"].as_u64(),
            c["extra"].as_u64(),
            c["foreign"].as_u64(),
            c["wrong_lot"].as_u64()
        ),
        (Some(1), Some(1), Some(0), Some(1))
    );
    let class_of = |key: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key)
            .map(|i| i["class"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        class_of(&key_of(&case.serials[case.missing])).as_deref(),
        Some("missing")
    );
    assert_eq!(class_of(&key_of(&case.extra)).as_deref(), Some("extra"));
    assert_eq!(class_of(&key_of(&case.wrong)).as_deref(), Some("wrong_lot"));
    let wrong = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["class"] == "wrong_lot")
        .unwrap();
    assert_eq!(wrong["lot"], OTHER_LOT);
}

#[test]
fn reconcile_a_closed_case_with_one_missing_one_extra_and_one_of_another_lot() {
    let (seed, mut rng) = Rng::seeded();
    let case = Case::drawn(&mut rng, seed);
    let q4 = qu4rtet::config();
    let dir = tempfile::tempdir().unwrap();
    let mut st = Station::open(dir.path()).unwrap();
    set_up(&mut st, case.n);
    build(&mut st, &case);
    let all_packs: Vec<String> = case
        .serials
        .iter()
        .chain([&case.extra, &case.wrong])
        .map(|s| epc_of(s))
        .collect();
    if let Some(cfg) = &q4 {
        // The line commissioned the packs; the bench's case reaches the repository first.
        commission(&Qu4rtet::new(cfg).unwrap(), &all_packs);
        let report = sync_all(dir.path(), cfg);
        assert_eq!(report.parked_rows, 0, "{report:?}");
        // There, the pack that will be found missing is in the case, the extra one loose.
        let q = Qu4rtet::new(cfg).unwrap();
        let case_id = entry(&q, &sscc_epc(&case.sscc(0))).0;
        let missing = entry(&q, &epc_of(&case.serials[case.missing]));
        assert_eq!(missing.1, Some(case_id));
        assert_eq!(entry(&q, &epc_of(&case.extra)).1, None);
    }
    let before = children(&st, &case.sscc(0));
    assert_eq!(before.len(), case.n as usize);

    scan_the_check(&mut st, &case, &mut rng);

    // No signature: refused, nothing changed, the check goes on.
    let events_before = event_count(dir.path());
    let r = ok(&mut st, r#"{"cmd":"verify_status"}"#);
    assert!(r.data.is_some());
    let refused = run(&mut st, r#"{"cmd":"verify_confirm"}"#);
    assert_eq!(refused.code.as_str(), "SIGNATURE_REQUIRED");
    assert!(!refused.ok);
    let packer = run(
        &mut st,
        r#"{"cmd":"verify_confirm","signature":{"user":"pat","password":"pat-pass-1"}}"#,
    );
    assert_eq!(
        packer.code.as_str(),
        "SIGNATURE_INVALID",
        "a packer cannot sign"
    );
    assert_eq!(children(&st, &case.sscc(0)), before);
    assert_eq!(event_count(dir.path()), events_before);
    ok(&mut st, r#"{"cmd":"verify_status"}"#);

    // Signed: the record is corrected.
    let r = ok(
        &mut st,
        &format!(r#"{{"cmd":"verify_confirm","signature":{SUP}}}"#),
    );
    let d = r.data.as_ref().unwrap();
    let missing_key = key_of(&case.serials[case.missing]);
    assert_eq!(d["result"], "contents_mismatch");
    assert_eq!(d["removed"], serde_json::json!([missing_key]));
    assert_eq!(d["added"], serde_json::json!([key_of(&case.extra)]));
    assert_eq!(d["set_aside"], serde_json::json!([key_of(&case.wrong)]));
    let mut want: Vec<String> = before
        .iter()
        .filter(|k| **k != missing_key)
        .cloned()
        .collect();
    want.push(key_of(&case.extra));
    assert_eq!(children(&st, &case.sscc(0)), sorted(want.clone()));
    assert_eq!(station_parent(&st, &missing_key), None);
    assert_eq!(station_parent(&st, &key_of(&case.wrong)), None);
    assert_eq!(
        run(&mut st, r#"{"cmd":"verify_status"}"#).code.as_str(),
        "NOT_VERIFYING"
    );
    // The station's tree shows the corrected case, still closed and now full again.
    let tree = st.tree(Some(&case.sscc(0))).unwrap();
    assert_eq!(tree.nodes[0].key, case.sscc(0));
    assert_eq!(tree.nodes[0].count, case.n);
    assert_eq!(tree.nodes[0].state, Some("closed"));
    let rows: Vec<String> = tree.nodes[1..].iter().map(|n| n.key.clone()).collect();
    assert_eq!(sorted(rows), sorted(want));

    // The events, exactly as designed.
    let case_epc = sscc_epc(&case.sscc(0));
    let evs = command_events(dir.path(), "verify_contents");
    let shape: Vec<(EventKind, Action)> = evs.iter().map(|e| (e.kind, e.action)).collect();
    assert_eq!(
        shape,
        vec![
            (EventKind::Object, Action::Observe),
            (EventKind::Aggregation, Action::Delete),
            (EventKind::Aggregation, Action::Add),
            (EventKind::Object, Action::Observe),
        ]
    );
    let (mismatch, del, add, verified) = (&evs[0], &evs[1], &evs[2], &evs[3]);
    assert_eq!(mismatch.epcs, vec![case_epc.clone()]);
    assert_eq!(mismatch.biz_step.as_deref(), Some("inspecting"));
    let pd = mismatch.persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, vec!["mismatch_instance", "mismatch_quantity"]);
    assert!(pd.unset.is_empty());
    assert_eq!(pb(mismatch, "expected"), Some(case.n.to_string()));
    assert_eq!(pb(mismatch, "scanned"), Some((case.n + 1).to_string()));
    assert_eq!(
        pb(mismatch, "missing"),
        Some(epc_of(&case.serials[case.missing]))
    );
    assert_eq!(pb(mismatch, "extra"), Some(epc_of(&case.extra)));
    assert_eq!(pb(mismatch, "wrongLot"), Some(epc_of(&case.wrong)));
    assert_eq!(pb(mismatch, "foreign"), None);
    assert_eq!(
        pb(mismatch, "reason").as_deref(),
        Some("contents_mismatch: weekly check")
    );
    assert!(
        pb(mismatch, "signature")
            .unwrap()
            .contains("Sam Supervisor")
    );
    assert_eq!(del.parent_id.as_deref(), Some(case_epc.as_str()));
    assert_eq!(del.epcs, vec![epc_of(&case.serials[case.missing])]);
    assert_eq!(del.biz_step.as_deref(), Some("unpacking"));
    assert_eq!(add.parent_id.as_deref(), Some(case_epc.as_str()));
    assert_eq!(add.epcs, vec![epc_of(&case.extra)]);
    assert_eq!(add.biz_step.as_deref(), Some("packing"));
    assert_eq!(verified.epcs, vec![case_epc.clone()]);
    let pd = verified.persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, vec!["completeness_verified", "container_closed"]);
    assert_eq!(pd.unset, vec!["mismatch_instance", "mismatch_quantity"]);
    assert!(evs.iter().all(|e| e.event_id.is_some()));
    assert!(
        evs.windows(2)
            .all(|w| w[0].event_time_ms < w[1].event_time_ms)
    );
    assert_valid(&evs);

    // The repository ends with the station's hierarchy: every unit's parent is the station's.
    if let Some(cfg) = &q4 {
        let report = sync_all(dir.path(), cfg);
        assert_eq!(report.parked_rows, 0, "{report:?}");
        assert_eq!(counts(dir.path()).0, 0, "nothing left queued");
        assert_eq!(counts(dir.path()).2, 0, "nothing parked");
        let q = Qu4rtet::new(cfg).unwrap();
        let deadline = std::time::Instant::now() + DEADLINE;
        let mut keys: Vec<String> = case.serials.iter().map(|s| key_of(s)).collect();
        keys.extend([key_of(&case.extra), key_of(&case.wrong)]);
        for key in &keys {
            assert!(std::time::Instant::now() < deadline, "QU4RTET too slow");
            let epc = packbench::store::unit_by_key(st.store().conn(), key)
                .unwrap()
                .unwrap()
                .epc;
            let want = station_parent(&st, key).map(|p| entry(&q, &p).0);
            assert_eq!(entry(&q, &epc).1, want, "parent of {key} in QU4RTET");
        }
    }
}

#[test]
fn undo_of_a_confirmed_check_puts_the_record_back() {
    let (seed, mut rng) = Rng::seeded();
    let case = Case::drawn(&mut rng, seed);
    let dir = tempfile::tempdir().unwrap();
    let mut st = Station::open(dir.path()).unwrap();
    set_up(&mut st, case.n);
    build(&mut st, &case);
    let before = children(&st, &case.sscc(0));
    scan_the_check(&mut st, &case, &mut rng);
    ok(
        &mut st,
        &format!(r#"{{"cmd":"verify_confirm","signature":{SUP}}}"#),
    );
    assert_ne!(children(&st, &case.sscc(0)), before);
    let events_after_check = event_count(dir.path());

    // A signed command: its undo is signed again.
    assert_eq!(
        run(&mut st, r#"{"cmd":"undo"}"#).code.as_str(),
        "SIGNATURE_REQUIRED"
    );
    let r = ok(&mut st, &format!(r#"{{"cmd":"undo","signature":{SUP}}}"#));
    assert_eq!(r.data.as_ref().unwrap()["undone"], "verify_contents");
    assert_eq!(children(&st, &case.sscc(0)), before);
    assert_eq!(station_parent(&st, &key_of(&case.extra)), None);
    let c = packbench::store::unit_by_key(st.store().conn(), &case.sscc(0))
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.child_count, c.state.map(|s| s.as_str())),
        (case.n, Some("closed"))
    );
    assert!(
        event_count(dir.path()) > events_after_check,
        "the undo tells the repository"
    );
    assert_eq!(
        run(&mut st, r#"{"cmd":"undo"}"#).code.as_str(),
        "OK",
        "the remove before it is next"
    );
}

#[test]
fn foreign_units_move_only_when_the_packer_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut st = Station::open(dir.path()).unwrap();
    set_up(&mut st, 3);
    ok(&mut st, r#"{"cmd":"select_work_order","id":"WO-1"}"#);
    let (a, b) = ("(00)095060000000000015", "(00)095060000000000022");
    // Case b first (it closes itself, published), then case a, left open with 2 of 3.
    assert!(scan(&mut st, b).ok);
    for s in ["FB1", "FB2", "FB3"] {
        assert!(scan(&mut st, &scan_of(s, LOT)).ok);
    }
    assert!(scan(&mut st, a).ok);
    for s in ["FA1", "FA2"] {
        assert!(scan(&mut st, &scan_of(s, LOT)).ok);
    }
    // Case b is closed (published); case a is open with 2 of 3.
    ok(
        &mut st,
        &serde_json::json!({"cmd": "verify_start", "container": a}).to_string(),
    );
    for s in ["FA1", "FA2"] {
        assert_eq!(scan(&mut st, &scan_of(s, LOT)).code.as_str(), "OK");
    }
    let r = scan(&mut st, &scan_of("FB2", LOT));
    assert_eq!(r.code.as_str(), "VERIFY_FOREIGN");
    let items = &r.data.as_ref().unwrap()["verify"]["items"];
    let foreign = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["class"] == "foreign")
        .unwrap();
    assert_eq!(foreign["from"], b);
    // A case is not a pack: refused, not recorded.
    assert_eq!(scan(&mut st, b).code.as_str(), "WRONG_LEVEL");
    ok(
        &mut st,
        &format!(r#"{{"cmd":"verify_confirm","move_foreign":true,"signature":{SUP}}}"#),
    );
    assert_eq!(
        children(&st, a),
        sorted(vec![key_of("FA1"), key_of("FA2"), key_of("FB2")])
    );
    assert_eq!(children(&st, b), sorted(vec![key_of("FB1"), key_of("FB3")]));
    let b_unit = packbench::store::unit_by_key(st.store().conn(), b)
        .unwrap()
        .unwrap();
    assert_eq!(b_unit.state.map(|s| s.as_str()), Some("open"), "b reopens");
    // Case a is open: FB2 joins unpublished (its ADD comes at a's close); it leaves b at once.
    let evs = command_events(dir.path(), "verify_contents");
    let shape: Vec<(EventKind, Action, Option<String>)> = evs
        .iter()
        .map(|e| (e.kind, e.action, e.parent_id.clone()))
        .collect();
    assert_eq!(
        shape,
        vec![
            (EventKind::Object, Action::Observe, None),
            (EventKind::Aggregation, Action::Delete, Some(sscc_epc(b))),
            (EventKind::Object, Action::Observe, None),
        ]
    );
    let pd = evs[0].persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, vec!["mismatch_instance", "mismatch_quantity"]);
    assert_eq!(pb(&evs[0], "foreign"), Some(epc_of("FB2")));
    let pd = evs[2].persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, vec!["completeness_verified", "container_open"]);
    assert_valid(&evs);
    // Closing a (now full) publishes FB2's membership with the others.
    let r = ok(
        &mut st,
        &serde_json::json!({"cmd": "close", "scan": a}).to_string(),
    );
    assert!(r.closed);

    // Without move_foreign a foreign unit stays where it is, listed to be taken out; nothing
    // differed otherwise. A check where nothing differs records only the completeness.
    ok(
        &mut st,
        &serde_json::json!({"cmd": "verify_start", "container": a}).to_string(),
    );
    for s in ["FA1", "FA2", "FB2"] {
        assert_eq!(scan(&mut st, &scan_of(s, LOT)).code.as_str(), "OK");
    }
    let r = ok(
        &mut st,
        &format!(r#"{{"cmd":"verify_confirm","signature":{SUP}}}"#),
    );
    assert_eq!(r.data.as_ref().unwrap()["result"], "contents_verified");
    let evs = command_events(dir.path(), "verify_contents");
    assert_eq!(evs.len(), 1);
    let pd = evs[0].persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, vec!["completeness_verified", "container_closed"]);
    assert!(pd.unset.is_empty());
    assert_eq!(
        pb(&evs[0], "reason").as_deref(),
        Some("contents_verified: weekly check")
    );

    ok(
        &mut st,
        &serde_json::json!({"cmd": "verify_start", "container": a}).to_string(),
    );
    assert_eq!(
        scan(&mut st, &scan_of("FB1", LOT)).code.as_str(),
        "VERIFY_FOREIGN"
    );
    let r = ok(
        &mut st,
        &format!(r#"{{"cmd":"verify_confirm","signature":{SUP}}}"#),
    );
    let d = r.data.as_ref().unwrap();
    assert_eq!(d["set_aside"], serde_json::json!([key_of("FB1")]));
    assert_eq!(d["removed"].as_array().unwrap().len(), 3);
    assert_eq!(station_parent(&st, &key_of("FB1")), Some(sscc_epc(b)));
}

/// The training case being filled: packs 1..=4 packed, pack 4 taken out again (loose).
pub(crate) fn gui_case(h: &mut egui_kittest::Harness<'static, packbench::ui::PackbenchApp>) {
    use crate::harness::gui::{first_run, scan, settle};
    use packbench::ui::demo;
    first_run(h);
    scan(h, &demo::case_sscc(1));
    for n in 1..=4 {
        scan(h, &demo::pack_scan(n));
    }
    h.state_mut().send(Request::Remove {
        scan: demo::pack_scan(4),
    });
    settle(h);
}

/// A pack of the training product from another batch (the station has never seen it).
pub(crate) fn gui_other_lot_scan() -> String {
    format!(
        "(01){}(17){}(10)OTHER9(21)TR00900",
        packbench::ui::demo::GTIN,
        packbench::ui::demo::EXPIRY
    )
}

#[test]
fn the_station_screen_checks_a_case_live_and_confirms_with_a_signature() {
    use crate::harness::gui::{click, code, harness, scan, shows, sign};
    use packbench::ui::demo;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    gui_case(&mut h);

    // The action proposes the case being filled; Confirm starts the check.
    click(&mut h, "Verify contents…");
    assert!(shows(&h, "Check, then confirm."));
    assert!(shows(&h, &demo::case_sscc(1)));
    click(&mut h, "Confirm");
    let v = h.state().snapshot.verify.clone().expect("a check runs");
    assert_eq!(v.container, demo::case_sscc(1));
    assert_eq!(v.counts.expected, 3);
    assert!(shows(&h, "Contents check"));
    assert!(shows(&h, "Missing 3"));

    // Scans are recorded, never packed; the tree marks every row.
    scan(&mut h, &demo::pack_scan(1));
    assert_eq!(code(&h), Some("OK"));
    scan(&mut h, &demo::pack_scan(2));
    scan(&mut h, &demo::pack_scan(4));
    assert_eq!(code(&h), Some("VERIFY_EXTRA"));
    scan(&mut h, &gui_other_lot_scan());
    assert_eq!(code(&h), Some("VERIFY_WRONG_LOT"));
    let marks: Vec<(String, Option<&str>)> = h
        .state()
        .snapshot
        .tree
        .nodes
        .iter()
        .map(|n| (n.key.clone(), n.mark))
        .collect();
    let key = |n: u32| format!("(01){}(21)TR{n:05}", demo::GTIN);
    assert_eq!(
        marks,
        vec![
            (demo::case_sscc(1), None),
            (key(1), Some("seen")),
            (key(2), Some("seen")),
            (key(3), Some("missing")),
            (key(4), Some("extra")),
            (key(900), Some("wrong_lot")),
        ]
    );
    for text in [
        "Seen 2",
        "Missing 1",
        "Extra 1",
        "Wrong batch 1",
        "Expected 3",
    ] {
        assert!(shows(&h, text), "{text}");
    }
    assert_eq!(h.state().snapshot.current[0].count, 3, "nothing was packed");

    // Confirm asks for the supervisor's signature, then corrects the record.
    click(&mut h, "Confirm check…");
    assert!(h.state().signature.is_some(), "the signature dialog opens");
    assert!(shows(
        &h,
        "I approve this contents check and its corrections."
    ));
    sign(&mut h, "spot check");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert!(h.state().snapshot.verify.is_none());
    let tree: Vec<String> = h.state().snapshot.tree.nodes[1..]
        .iter()
        .map(|n| n.key.clone())
        .collect();
    assert_eq!(tree, vec![key(1), key(2), key(4)]);

    // By command barcodes only: start on a scanned container, then cancel.
    scan(&mut h, "PBCMD:VERIFY");
    scan(&mut h, &demo::case_sscc(1));
    assert!(h.state().snapshot.verify.is_some(), "the scan starts it");
    scan(&mut h, "PBCMD:CANCEL");
    assert!(h.state().snapshot.verify.is_none());
    assert_eq!(code(&h), Some("OK"));
}

/// QU4RTET's entry of an EPC: (its id, its parent's id).
fn entry(q: &Qu4rtet, epc: &str) -> (String, Option<String>) {
    let (id, parent, _) =
        qu4rtet::entry(q, epc).unwrap_or_else(|| panic!("QU4RTET has no entry for {epc}"));
    (id, parent)
}
