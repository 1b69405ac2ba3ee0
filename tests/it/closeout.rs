//! Work order close-out (issue 14 §2) on a real station and a real SQLite file: seeded random
//! work (packing, removing, short closes, retiring) reconciled against a model of what was
//! done; closing refused while a case is open or serials are left loose, then closed with the
//! leftovers decommissioned in the same signed step (events, outbox, signature, audit); a
//! closed order refuses packing across a restart; a database from before the close-out learns
//! which listed serials were scanned.

use crate::harness::station::sscc;
use packbench::domain::Reconciliation;
use packbench::station::{Request, Station};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CASE_CAPACITY: usize = 4;
const SUP: &str = r#"{"user":"sup","password":"sup-pass-1"}"#;

fn ask(station: &mut Station, request: Value) -> Value {
    let shown = request.to_string();
    let req: Request =
        serde_json::from_value(request).unwrap_or_else(|e| panic!("bad request {shown}: {e}"));
    serde_json::to_value(station.execute(req)).unwrap()
}

fn ok(station: &mut Station, request: Value) -> Value {
    let shown = request.to_string();
    let answer = ask(station, request);
    assert_eq!(answer["ok"], true, "{shown} refused: {answer}");
    answer
}

fn sup() -> Value {
    serde_json::from_str(SUP).unwrap()
}

fn pack_key(n: u32) -> String {
    format!("(01)09506000134352(21)R{n:04}")
}

fn pack_scan(n: u32) -> String {
    format!("(01)09506000134352(17)271231(10)LOT42(21)R{n:04}")
}

/// A station with users `admin`, `sup`; product; order `WO-R` (cases of 4, pallets of 3),
/// with `listed` serials R0001.. on its list (none: no list); `admin` logged in, order selected.
fn station_with_order(dir: &Path, listed: u32) -> Station {
    let mut st = Station::open(dir).unwrap();
    for r in [
        json!({"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}),
        json!({"cmd":"login","user":"admin","password":"admin-pass-1"}),
        json!({"cmd":"create_user","user":"sup","full_name":"Sam Supervisor","role":"supervisor","password":"sup-pass-1"}),
        json!({"cmd":"add_product","gtin":"09506000134352","name":"Demo 20 mg tablets","company_prefix_length":7}),
        json!({"cmd":"create_work_order","id":"WO-R","gtin":"09506000134352","lot":"LOT42","expiry":"271231","levels":[{"level":"case","capacity":CASE_CAPACITY},{"level":"pallet","capacity":3}]}),
        json!({"cmd":"set_setting","key":"read_point","value":"urn:epc:id:sgln:9506000.00000.1"}),
    ] {
        ok(&mut st, r);
    }
    if listed > 0 {
        let serials: Vec<String> = (1..=listed).map(|n| format!("R{n:04}")).collect();
        ok(
            &mut st,
            json!({"cmd":"import_serials","work_order":"WO-R","serials":serials}),
        );
    }
    ok(&mut st, json!({"cmd":"select_work_order","id":"WO-R"}));
    st
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pack {
    Loose { scanned: bool },
    Packed(usize),
    Retired(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseState {
    Open,
    Closed,
    Retired,
}

#[derive(Debug)]
struct Case {
    key: String,
    state: CaseState,
    children: BTreeSet<u32>,
}

/// What the test did, kept on its own: the figures the station must reconcile to.
#[derive(Debug, Default)]
struct Model {
    packs: BTreeMap<u32, Pack>,
    cases: Vec<Case>,
    current: Option<usize>,
    next_case: u64,
    next_serial: u32,
}

impl Model {
    fn open_case(&self) -> Option<usize> {
        self.cases.iter().position(|c| c.state == CaseState::Open)
    }

    fn with(&self, f: impl Fn(&Pack) -> bool) -> Vec<u32> {
        self.packs
            .iter()
            .filter(|(_, p)| f(p))
            .map(|(n, _)| *n)
            .collect()
    }

    fn keys(&self, f: impl Fn(&Pack) -> bool) -> Vec<String> {
        let mut keys: Vec<String> = self.with(f).into_iter().map(pack_key).collect();
        keys.sort();
        keys
    }
}

const KINDS: [(&str, &str); 4] = [
    ("decommission", "decommissioned"),
    ("destroy", "destroyed"),
    ("sample", "sampled"),
    ("reject", "rejected"),
];

/// One random step of bench work, applied to the station and the model alike.
fn step(st: &mut Station, m: &mut Model, rng: &mut StdRng, listed: bool) {
    let open = m.open_case();
    let loose = m.with(|p| matches!(p, Pack::Loose { .. }));
    let choice = rng.random_range(0..20);
    match open {
        None if choice < 12 || m.cases.iter().all(|c| c.state != CaseState::Closed) => {
            m.next_case += 1;
            let key = format!("(00){}", sscc(m.next_case));
            ok(st, json!({"cmd":"scan","data":key}));
            m.cases.push(Case {
                key,
                state: CaseState::Open,
                children: BTreeSet::new(),
            });
            m.current = Some(m.cases.len() - 1);
        }
        None if choice < 17 => {
            // Take a pack out of a closed case: the case opens again (not current).
            let full: Vec<usize> = (0..m.cases.len())
                .filter(|&i| {
                    m.cases[i].state == CaseState::Closed && !m.cases[i].children.is_empty()
                })
                .collect();
            let c = full[rng.random_range(0..full.len())];
            let kids: Vec<u32> = m.cases[c].children.iter().copied().collect();
            let n = kids[rng.random_range(0..kids.len())];
            ok(st, json!({"cmd":"remove","scan":pack_scan(n)}));
            m.cases[c].children.remove(&n);
            m.cases[c].state = CaseState::Open;
            m.packs.insert(n, Pack::Loose { scanned: true });
        }
        None => {
            // Retire a whole closed case with its packs.
            let closed: Vec<usize> = (0..m.cases.len())
                .filter(|&i| m.cases[i].state == CaseState::Closed)
                .collect();
            let c = closed[rng.random_range(0..closed.len())];
            ok(
                st,
                json!({"cmd":"retire","scan":m.cases[c].key,"kind":"decommission","reason":"damaged","signature":sup()}),
            );
            for n in std::mem::take(&mut m.cases[c].children) {
                m.packs.insert(n, Pack::Retired("decommissioned"));
            }
            m.cases[c].state = CaseState::Retired;
        }
        Some(c) if choice < 13 => {
            // Pack a loose serial (a new one when the order has no list) into the open case.
            let n = if listed || (!loose.is_empty() && rng.random_bool(0.3)) {
                if loose.is_empty() {
                    return;
                }
                loose[rng.random_range(0..loose.len())]
            } else {
                m.next_serial += 1;
                m.next_serial
            };
            if m.current != Some(c) {
                let a = ok(st, json!({"cmd":"scan","data":m.cases[c].key}));
                assert_eq!(a["container"]["key"], m.cases[c].key.as_str());
                m.current = Some(c);
            }
            let a = ok(st, json!({"cmd":"scan","data":pack_scan(n)}));
            m.packs.insert(n, Pack::Packed(c));
            m.cases[c].children.insert(n);
            if m.cases[c].children.len() == CASE_CAPACITY {
                assert_eq!(a["closed"], true, "{a}");
                m.cases[c].state = CaseState::Closed;
                m.current = None;
            }
        }
        Some(c) if choice < 15 && !m.cases[c].children.is_empty() => {
            let a = ok(
                st,
                json!({"cmd":"close","scan":m.cases[c].key,"signature":sup()}),
            );
            assert_eq!(a["closed"], true, "{a}");
            m.cases[c].state = CaseState::Closed;
            if m.current == Some(c) {
                m.current = None;
            }
        }
        Some(c) if choice < 18 && !m.cases[c].children.is_empty() => {
            // Take a pack out of the open case: it stays open, the pack is loose.
            let kids: Vec<u32> = m.cases[c].children.iter().copied().collect();
            let n = kids[rng.random_range(0..kids.len())];
            ok(st, json!({"cmd":"remove","scan":pack_scan(n)}));
            m.cases[c].children.remove(&n);
            m.packs.insert(n, Pack::Loose { scanned: true });
        }
        Some(c) => {
            // Retire a loose pack or one of the open case.
            let mut candidates = loose;
            candidates.extend(m.cases[c].children.iter().copied());
            if candidates.is_empty() {
                return;
            }
            let n = candidates[rng.random_range(0..candidates.len())];
            let (kind, status) = KINDS[rng.random_range(0..KINDS.len())];
            ok(
                st,
                json!({"cmd":"retire","scan":pack_scan(n),"kind":kind,"reason":"damaged","signature":sup()}),
            );
            m.cases[c].children.remove(&n);
            m.packs.insert(n, Pack::Retired(status));
        }
    }
}

fn reconcile(st: &mut Station) -> (Value, Reconciliation) {
    let a = ok(st, json!({"cmd":"reconcile"}));
    let r: Reconciliation = serde_json::from_value(a["data"]["reconciliation"].clone()).unwrap();
    r.check().unwrap_or_else(|e| panic!("{e}: {a}"));
    (a["data"].clone(), r)
}

fn assert_matches_model(r: &Reconciliation, m: &Model, listed: u32, ctx: &str) {
    let s = &r.serials;
    let total = if listed > 0 {
        u64::from(listed)
    } else {
        m.packs.len() as u64
    };
    assert_eq!(s.total, total, "{ctx}");
    assert_eq!(
        s.packed.keys,
        m.keys(|p| matches!(p, Pack::Packed(_))),
        "{ctx}"
    );
    for (status, list) in [
        ("decommissioned", &s.decommissioned),
        ("destroyed", &s.destroyed),
        ("sampled", &s.sampled),
        ("rejected", &s.rejected),
    ] {
        assert_eq!(
            list.keys,
            m.keys(|p| *p == Pack::Retired(status)),
            "{status} {ctx}"
        );
    }
    assert_eq!(
        s.loose_scanned.keys,
        m.keys(|p| *p == Pack::Loose { scanned: true }),
        "{ctx}"
    );
    let never = m.keys(|p| *p == Pack::Loose { scanned: false });
    assert_eq!(s.never_scanned.keys, never, "{ctx}");
    let open: Vec<&str> = m
        .cases
        .iter()
        .filter(|c| c.state == CaseState::Open)
        .map(|c| c.key.as_str())
        .collect();
    let got: Vec<&str> = r.open.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(got, open, "{ctx}");
    let short: BTreeSet<&str> = m
        .cases
        .iter()
        .filter(|c| c.state == CaseState::Closed && c.children.len() < CASE_CAPACITY)
        .map(|c| c.key.as_str())
        .collect();
    let got: BTreeSet<&str> = r.short.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(got, short, "{ctx}");
    for s in &r.short {
        let sig = s
            .signature
            .as_ref()
            .unwrap_or_else(|| panic!("{} unsigned: {ctx}", s.key));
        assert_eq!(
            (sig.username.as_str(), sig.command.as_str()),
            ("sup", "close_short")
        );
    }
    let cases = r
        .levels
        .iter()
        .find(|t| t.level == packbench::domain::Level::Case)
        .unwrap();
    let count = |st: CaseState| m.cases.iter().filter(|c| c.state == st).count() as u64;
    assert_eq!(cases.total, m.cases.len() as u64, "{ctx}");
    assert_eq!(cases.retired, count(CaseState::Retired), "{ctx}");
    assert_eq!(cases.open, count(CaseState::Open), "{ctx}");
    assert_eq!(cases.closed, count(CaseState::Closed), "{ctx}");
}

#[test]
fn seeded_random_work_reconciles_and_closes_out() {
    // What the seeds covered, so that a change to the generator cannot make the test vacuous.
    let (mut shorts, mut open_refused, mut leftovers_seen, mut retired) = (0, 0, 0, 0);
    for seed in 1..=4u64 {
        let dir = tempfile::tempdir().unwrap();
        let listed = if seed % 2 == 1 { 40 } else { 0 };
        let mut st = station_with_order(dir.path(), listed);
        let mut rng = StdRng::seed_from_u64(seed);
        let mut m = Model::default();
        for n in 1..=listed {
            m.packs.insert(n, Pack::Loose { scanned: false });
        }
        for i in 0..50 {
            step(&mut st, &mut m, &mut rng, listed > 0);
            if i % 10 == 9 {
                let (_, r) = reconcile(&mut st);
                assert_matches_model(&r, &m, listed, &format!("seed {seed} step {i}: {m:?}"));
            }
        }
        // Closing: refused while a case is open, naming it; signed short close first.
        if let Some(c) = m.open_case() {
            open_refused += 1;
            let a = ask(&mut st, json!({"cmd":"close_work_order","signature":sup()}));
            assert_eq!(a["code"], "CONTAINERS_OPEN", "{a}");
            assert!(
                a["detail"].as_str().unwrap().contains(&m.cases[c].key),
                "{a}"
            );
            assert_eq!(
                a["data"]["reconciliation"]["open"][0]["key"],
                m.cases[c].key.as_str()
            );
            if m.cases[c].children.is_empty() {
                ok(
                    &mut st,
                    json!({"cmd":"retire","scan":m.cases[c].key,"kind":"decommission","reason":"other","signature":sup()}),
                );
                m.cases[c].state = CaseState::Retired;
            } else {
                ok(
                    &mut st,
                    json!({"cmd":"close","scan":m.cases[c].key,"signature":sup()}),
                );
                m.cases[c].state = CaseState::Closed;
            }
        }
        let (_, before) = reconcile(&mut st);
        assert_matches_model(&before, &m, listed, &format!("seed {seed} before closing"));
        let leftovers = before.leftovers();
        shorts += before.short.len();
        retired += before.serials.retired();
        leftovers_seen += leftovers.len();
        if !leftovers.is_empty() {
            let a = ask(&mut st, json!({"cmd":"close_work_order","signature":sup()}));
            assert_eq!(a["code"], "ORDER_NOT_RECONCILED", "{a}");
            assert!(a["detail"].as_str().unwrap().contains(&leftovers[0]), "{a}");
        }
        // The signature is asked for with the figures; then one signed step.
        let a = ask(
            &mut st,
            json!({"cmd":"close_work_order","decommission_leftovers":true}),
        );
        assert_eq!(a["code"], "SIGNATURE_REQUIRED", "{a}");
        assert_eq!(
            a["data"]["reconciliation"]["serials"]["total"],
            before.serials.total
        );
        let a = ok(
            &mut st,
            json!({"cmd":"close_work_order","decommission_leftovers":true,"signature":{"user":"sup","password":"sup-pass-1","reason":"batch end"}}),
        );
        let data = &a["data"];
        assert_eq!(data["status"], "closed");
        assert_eq!(data["closing"]["signature"]["username"], "sup");
        assert_eq!(data["closing"]["decommissioned"]["keys"], json!(leftovers));
        assert_eq!(data["closing"]["changed_since"], false);
        let (_, after) = reconcile(&mut st);
        assert!(after.leftovers().is_empty());
        assert_eq!(after.serials.total, before.serials.total, "seed {seed}");
        assert_eq!(
            after.serials.decommissioned.count,
            before.serials.decommissioned.count + leftovers.len() as u64
        );
        assert_eq!(after.serials.packed, before.serials.packed);
        // One command: its events name every leftover, decommissioned, with the signature.
        let store = st.store();
        let sql = store.conn().raw_sqlite();
        let (command, epcs, events, outbox): (i64, i64, i64, i64) = sql
            .query_row(
                "SELECT c.id,
                        (SELECT count(*) FROM event_epcs ee JOIN events e ON e.id = ee.event_id WHERE e.command_id = c.id),
                        (SELECT count(*) FROM events e WHERE e.command_id = c.id AND e.body LIKE '%decommissioning%'),
                        (SELECT count(*) FROM outbox o WHERE o.command_id = c.id)
                 FROM commands c WHERE c.kind = 'close_work_order'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(epcs, leftovers.len() as i64, "seed {seed}");
        assert_eq!(events > 0, !leftovers.is_empty());
        assert_eq!(outbox, i64::from(!leftovers.is_empty()));
        let meaning: String = sql
            .query_row(
                "SELECT meaning FROM signatures WHERE command_id = ?1",
                [command],
                |r| r.get(0),
            )
            .unwrap();
        assert!(meaning.starts_with("close work order WO-R"), "{meaning}");
        assert!(packbench::auth::verify_audit(store.conn()).unwrap().is_ok());
        // Closed: no more packing, no second close, no undo into it; look-ups still work.
        let a = ask(&mut st, json!({"cmd":"scan","data":pack_scan(900)}));
        assert_eq!(a["code"], "ORDER_CLOSED", "{a}");
        assert!(a["detail"].as_str().unwrap().contains("WO-R"), "{a}");
        let a = ask(&mut st, json!({"cmd":"close_work_order","signature":sup()}));
        assert_eq!(a["code"], "ORDER_CLOSED", "{a}");
        let a = ask(&mut st, json!({"cmd":"undo","signature":sup()}));
        assert_eq!(a["code"], "ORDER_CLOSED", "{a}");
        if let Some(key) = before.serials.packed.keys.first() {
            ok(&mut st, json!({"cmd":"lookup","scan":key}));
        }
    }
    eprintln!(
        "shorts {shorts}, open refused {open_refused}, leftovers {leftovers_seen}, retired {retired}"
    );
    assert!(shorts > 0 && open_refused > 0 && leftovers_seen > 0 && retired > 0);
}

#[test]
fn a_closed_order_refuses_packing_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut st = station_with_order(dir.path(), 0);
    let case = format!("(00){}", sscc(1));
    ok(&mut st, json!({"cmd":"scan","data":case}));
    for n in 1..=4 {
        ok(&mut st, json!({"cmd":"scan","data":pack_scan(n)}));
    }
    ok(&mut st, json!({"cmd":"close_work_order","signature":sup()}));
    drop(st);
    let mut st = Station::open(dir.path()).unwrap();
    ok(
        &mut st,
        json!({"cmd":"login","user":"admin","password":"admin-pass-1"}),
    );
    for request in [
        json!({"cmd":"select_work_order","id":"WO-R"}),
        json!({"cmd":"move","scan":pack_scan(5),"to":case}),
    ] {
        let a = ask(&mut st, request.clone());
        assert_eq!(a["code"], "ORDER_CLOSED", "{request}: {a}");
    }
    for request in [
        json!({"cmd":"lookup","scan":case}),
        json!({"cmd":"manifest","scan":case}),
        json!({"cmd":"tree","scan":case}),
        json!({"cmd":"reconcile","work_order":"WO-R"}),
    ] {
        ok(&mut st, request);
    }
    let closeout = st.closeout("WO-R").unwrap();
    assert_eq!(closeout.reconciliation.serials.packed.count, 4);
    assert!(closeout.closing.is_some());
    // Rework after the close changes the figures now, not the ones signed.
    ok(
        &mut st,
        json!({"cmd":"retire","scan":pack_scan(2),"kind":"destroy","reason":"damaged","signature":sup()}),
    );
    let closeout = st.closeout("WO-R").unwrap();
    let closing = closeout.closing.unwrap();
    assert!(closing.changed_since);
    assert_eq!(closing.as_signed.serials.packed.count, 4);
    assert_eq!(closeout.reconciliation.serials.destroyed.count, 1);
}

#[test]
fn a_database_from_before_the_close_out_learns_which_listed_serials_were_scanned() {
    use packbench::store::MIGRATIONS;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(packbench::store::DB_FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.contains("ADD COLUMN handled_ms"))
        .unwrap();
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in &MIGRATIONS[..before] {
            tx.execute_batch(sql).unwrap();
        }
        let version = i32::try_from(before).unwrap();
        tx.pragma_update(None, "user_version", version).unwrap();
        tx.pragma_update(None, "application_id", packbench::store::APPLICATION_ID)
            .unwrap();
        tx.execute_batch(
            "INSERT INTO products VALUES ('09506000134352', 'Demo', 7, 'pack');
             INSERT INTO work_orders (id, gtin, spec, has_serial_list, created_ms)
                 VALUES ('WO-M', '09506000134352', 'case:3', 1, 1);
             INSERT INTO units (id, key, epc, level, status, state, capacity, child_count, work_order, listed, updated_ms)
                 VALUES (1, '(00)095060000000000015', 'urn:epc:id:sscc:9506000.0000000001', 'case', 'active', 'closed', 3, 1, 'WO-M', 0, 5);
             INSERT INTO units (id, key, epc, level, status, parent_id, work_order, listed, updated_ms) VALUES
                 (2, '(01)09506000134352(21)A', 'urn:epc:id:sgtin:9506000.013435.A', 'pack', 'active', 1, 'WO-M', 1, 5),
                 (3, '(01)09506000134352(21)B', 'urn:epc:id:sgtin:9506000.013435.B', 'pack', 'active', NULL, 'WO-M', 1, 6),
                 (4, '(01)09506000134352(21)C', 'urn:epc:id:sgtin:9506000.013435.C', 'pack', 'active', NULL, 'WO-M', 1, 1),
                 (5, '(01)09506000134352(21)D', 'urn:epc:id:sgtin:9506000.013435.D', 'pack', 'sampled', NULL, 'WO-M', 1, 7);
             INSERT INTO commands (id, kind, username, time_ms, work_order, target, changes) VALUES
                 (1, 'remove', 'pat', 6, 'WO-M', '(01)09506000134352(21)B',
                  '[{\"id\":3,\"key\":\"(01)09506000134352(21)B\",\"before\":null,\"after\":{\"parent\":null,\"published\":false,\"state\":null,\"status\":\"active\",\"count\":0}}]');",
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let station = Station::open(dir.path()).unwrap();
    let r = station.closeout("WO-M").unwrap().reconciliation;
    r.check().unwrap();
    assert_eq!(r.serials.packed.keys, ["(01)09506000134352(21)A"]);
    assert_eq!(r.serials.loose_scanned.keys, ["(01)09506000134352(21)B"]);
    assert_eq!(r.serials.never_scanned.keys, ["(01)09506000134352(21)C"]);
    assert_eq!(r.serials.sampled.keys, ["(01)09506000134352(21)D"]);
    assert_eq!(r.short.len(), 1);
}
