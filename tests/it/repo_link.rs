//! Taking a hierarchy in from the site repository (`sync::Epcis20Link`, `sync::Qu4rtetLink`,
//! the station's `RepositoryLink`): the packaging line commissions packs with a lot and an
//! expiry (ILMD), a station packs a pallet of 3 cases × 4 packs and syncs it; then the link's
//! `hierarchy_events` replayed (`epcis::replay`) must give exactly that tree, with status and
//! lot, from the EPCIS 2.0 test server and from the real QU4RTET. A removal, an undo (error
//! declaration) and a decommissioning must come back as each repository applied them; an
//! unknown EPC is empty; a repository that is down is `Unreachable`, without a credential in
//! the message. Serials, SSCCs and the lot are drawn from a seed (printed; `PACKBENCH_SEED`
//! replays a run).

use crate::harness::qu4rtet;
use crate::harness::repo::server::Server;
use crate::harness::station::{SETUP, run_lines, sscc, sscc_epc};
use packbench::epcis::{FactStatus, Hierarchy, replay};
use packbench::station::{LinkError, RepositoryLink};
use packbench::store::Store;
use packbench::sync::{
    Auth, Backoff, DrainOptions, Qu4rtet, RepositoryConfig, RepositoryKind, connect, drain,
    link_for,
};
use std::path::Path;

const CASES: usize = 3;
const PACKS: usize = 4;
const EXPIRY: &str = "271231";
const TOKEN: &str = "link-test-token-5ecret";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A small deterministic generator for the test data.
struct Draw(u64);

impl Draw {
    /// From `PACKBENCH_SEED`, else from the clock (QU4RTET keeps every serial it was sent, so
    /// each run needs new ones); the seed is printed so a failing run can be replayed.
    fn seeded(test: &str) -> Self {
        let seed = std::env::var("PACKBENCH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{test}: seed {seed} (PACKBENCH_SEED={seed} replays it)");
        Self(seed)
    }

    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    fn word(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        (0..len)
            .map(|_| char::from(ALPHABET[self.next(ALPHABET.len() as u64) as usize]))
            .collect()
    }
}

/// The pallet the tests build: EPCs, scans and the lot, all drawn from the seed.
struct Pallet {
    lot: String,
    pallet_ref: u64,
    case_refs: Vec<u64>,
    /// Pack serials, per case.
    serials: Vec<Vec<String>>,
}

impl Pallet {
    fn draw(d: &mut Draw) -> Self {
        let base = 1 + d.next(900_000) * 1_000;
        let prefix = d.word(4);
        let serials = (0..CASES)
            .map(|c| {
                (0..PACKS)
                    .map(|p| format!("{prefix}{c}{p}{}", d.word(6)))
                    .collect()
            })
            .collect();
        Self {
            lot: format!("L{}", d.word(6)),
            pallet_ref: base + 500,
            case_refs: (0..CASES as u64).map(|c| base + c).collect(),
            serials,
        }
    }

    fn pallet(&self) -> String {
        sscc_epc(self.pallet_ref)
    }

    fn case(&self, c: usize) -> String {
        sscc_epc(self.case_refs[c])
    }

    fn pack(&self, c: usize, p: usize) -> String {
        format!("urn:epc:id:sgtin:9506000.013435.{}", self.serials[c][p])
    }

    fn packs(&self) -> Vec<String> {
        (0..CASES)
            .flat_map(|c| (0..PACKS).map(move |p| (c, p)))
            .map(|(c, p)| self.pack(c, p))
            .collect()
    }

    fn scan(&self, c: usize, p: usize) -> String {
        format!(
            "(01)09506000134352(17){EXPIRY}(10){}(21){}",
            self.lot, self.serials[c][p]
        )
    }

    /// The set-up, a work order of this lot (cases of 4, pallets of 3), and the pallet packed.
    fn build_lines(&self) -> String {
        let mut lines = vec![
            SETUP.to_owned(),
            r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#.to_owned(),
            format!(
                r#"{{"cmd":"create_work_order","id":"WO-L","gtin":"09506000134352","lot":"{}","expiry":"{EXPIRY}","levels":[{{"level":"case","capacity":{PACKS}}},{{"level":"pallet","capacity":{CASES}}}]}}"#,
                self.lot
            ),
            r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
            r#"{"cmd":"select_work_order","id":"WO-L"}"#.to_owned(),
        ];
        for c in 0..CASES {
            lines.push(format!(
                r#"{{"cmd":"scan","data":"(00){}"}}"#,
                sscc(self.case_refs[c])
            ));
            for p in 0..PACKS {
                lines.push(format!(r#"{{"cmd":"scan","data":"{}"}}"#, self.scan(c, p)));
            }
        }
        lines.push(r#"{"cmd":"new_container","level":"pallet"}"#.to_owned());
        lines.push(format!(
            r#"{{"cmd":"scan","data":"(00){}"}}"#,
            sscc(self.pallet_ref)
        ));
        for c in 0..CASES {
            lines.push(format!(
                r#"{{"cmd":"scan","data":"(00){}"}}"#,
                sscc(self.case_refs[c])
            ));
        }
        lines.join("\n")
    }

    /// Remove pack (0,0); remove pack (1,1) and undo that; decommission pack (2,3).
    fn rework_lines(&self) -> String {
        [
            r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
            r#"{"cmd":"select_work_order","id":"WO-L"}"#.to_owned(),
            format!(r#"{{"cmd":"remove","scan":"{}"}}"#, self.scan(0, 0)),
            format!(r#"{{"cmd":"remove","scan":"{}"}}"#, self.scan(1, 1)),
            r#"{"cmd":"undo"}"#.to_owned(),
            format!(
                r#"{{"cmd":"retire","scan":"{}","kind":"decommission","reason":"damaged","signature":{{"user":"sup","password":"sup-pass-1"}}}}"#,
                self.scan(2, 3)
            ),
        ]
        .join("\n")
    }

    /// The replayed hierarchy holds exactly this pallet below `pallet`: parents, status, lots.
    fn assert_whole_tree(&self, h: &Hierarchy) {
        let mut want: Vec<String> = vec![self.pallet()];
        want.extend((0..CASES).map(|c| self.case(c)));
        want.extend(self.packs());
        let mut got: Vec<String> = h
            .subtree(&self.pallet())
            .iter()
            .map(|u| u.epc.clone())
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "the pallet's subtree");
        assert_eq!(h.units[&self.pallet()].parent, None);
        for c in 0..CASES {
            let case = &h.units[&self.case(c)];
            assert_eq!(case.parent.as_deref(), Some(self.pallet().as_str()));
            assert_eq!(case.status, FactStatus::Active, "{}", case.epc);
            for p in 0..PACKS {
                let pack = &h.units[&self.pack(c, p)];
                assert_eq!(pack.parent.as_deref(), Some(case.epc.as_str()));
                assert_eq!(pack.status, FactStatus::Active, "{}", pack.epc);
                assert_eq!(pack.lot.as_deref(), Some(self.lot.as_str()), "{}", pack.epc);
                assert_eq!(pack.expiry.as_deref(), Some(EXPIRY), "{}", pack.epc);
                assert!(!pack.event_ids.is_empty());
            }
        }
    }
}

fn sync_all(dir: &Path, cfg: &RepositoryConfig) {
    let mut store = Store::open_dir(dir).unwrap();
    let mut repo = connect(cfg).unwrap();
    let options = DrainOptions {
        backoff: Backoff {
            initial_ms: 1,
            max_ms: 4,
        },
        max_events: cfg.batch_events,
        respect_backoff: false,
    };
    let report = drain(&mut store, repo.as_mut(), options, &mut now, &mut |_| {}).unwrap();
    assert_eq!(
        (report.stopped_by.clone(), report.parked_rows),
        (None, 0),
        "{report:?}"
    );
}

fn take_in(link: &dyn RepositoryLink, epc: &str) -> Hierarchy {
    let events = link.hierarchy_events(epc).unwrap();
    assert!(!events.is_empty(), "the repository knows {epc}");
    replay(&events)
}

/// A port nothing listens on.
fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    url
}

fn assert_unreachable(link: &dyn RepositoryLink, epc: &str) {
    let started = std::time::Instant::now();
    match link.hierarchy_events(epc) {
        Err(LinkError::Unreachable(m)) => {
            assert!(!m.contains(TOKEN) && !m.contains("5ecret"), "{m}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "a bench does not wait long"
    );
}

// --- EPCIS 2.0 --------------------------------------------------------------------------

/// The packaging line's commissioning of the packs, ILMD with lot and expiry, a minute ago.
fn capture_commissioning_20(server: &Server, pallet: &Pallet) {
    let t = time_text(now() - 60_000);
    let events: Vec<serde_json::Value> = (0..CASES)
        .map(|c| {
            serde_json::json!({
                "type": "ObjectEvent",
                "eventID": format!("urn:uuid:00000000-0000-4000-8000-{:012}", pallet.pallet_ref * 10 + c as u64),
                "eventTime": t,
                "eventTimeZoneOffset": "+00:00",
                "epcList": (0..PACKS).map(|p| pallet.pack(c, p)).collect::<Vec<_>>(),
                "action": "ADD",
                "bizStep": "commissioning",
                "disposition": "active",
                "ilmd": {"cbvmda:lotNumber": pallet.lot, "cbvmda:itemExpirationDate": "2027-12-31"},
            })
        })
        .collect();
    let doc = serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": t,
        "epcisBody": {"eventList": events},
    });
    let cfg = config_20(&server.url);
    let repo = packbench::sync::Rest20::new(&cfg).unwrap();
    let reply = repo
        .http()
        .send(
            "POST",
            "/capture",
            &[
                ("Content-Type", "application/ld+json"),
                ("GS1-Capture-Error-Behaviour", "rollback"),
            ],
            Some(doc.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(reply.status, 202, "{}", reply.body);
}

/// RFC 3339 UTC with milliseconds.
fn time_text(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn config_20(url: &str) -> RepositoryConfig {
    RepositoryConfig::new(
        RepositoryKind::Epcis20,
        url,
        Auth::Bearer {
            token: TOKEN.to_owned(),
        },
    )
}

#[test]
fn epcis20_pallet_comes_back_whole_with_lot_and_corrections() {
    let mut d = Draw::seeded("epcis20_pallet_comes_back_whole_with_lot_and_corrections");
    let pallet = Pallet::draw(&mut d);
    let server = Server::start(500, Some(TOKEN));
    capture_commissioning_20(&server, &pallet);
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), &pallet.build_lines());
    let cfg = config_20(&server.url);
    sync_all(dir.path(), &cfg);

    let link = link_for(&cfg).unwrap();
    assert!(link.honours_error_declarations());
    assert!(!link.describe().contains(TOKEN));
    let before = server.state.lock().unwrap().queries;
    let h = take_in(link.as_ref(), &pallet.pallet());
    let pages = server.state.lock().unwrap().queries - before;
    pallet.assert_whole_tree(&h);
    // One query per level (pallet, cases, packs): lists, not one request per unit.
    assert!(pages <= 4, "{pages} pages for 16 units");

    // From a case: its subtree and its parent.
    let h = take_in(link.as_ref(), &pallet.case(1));
    assert_eq!(h.subtree(&pallet.case(1)).len(), 1 + PACKS);
    assert_eq!(h.top_of(&pallet.case(1)), pallet.pallet());
    // From a pack: its case, its lot.
    let h = take_in(link.as_ref(), &pallet.pack(2, 1));
    assert_eq!(
        h.units[&pallet.pack(2, 1)].parent.as_deref(),
        Some(pallet.case(2).as_str())
    );
    assert_eq!(
        h.units[&pallet.pack(2, 1)].lot.as_deref(),
        Some(pallet.lot.as_str())
    );

    // Unknown there: nothing, and nothing invented.
    let unknown = format!("urn:epc:id:sgtin:9506000.013435.{}", d.word(12));
    assert!(link.hierarchy_events(&unknown).unwrap().is_empty());
    assert!(link.events_naming(&[unknown]).unwrap().is_empty());

    // A removal (DELETE), a removal undone (error declaration), a decommissioning.
    run_lines(dir.path(), &pallet.rework_lines());
    sync_all(dir.path(), &cfg);
    let h = take_in(link.as_ref(), &pallet.pallet());
    let removed = &h.units[&pallet.pack(0, 0)];
    assert_eq!(removed.parent, None, "the DELETE is applied");
    assert_eq!(removed.status, FactStatus::Active);
    assert_eq!(
        h.units[&pallet.pack(1, 1)].parent.as_deref(),
        Some(pallet.case(1).as_str()),
        "the undone removal is left out"
    );
    assert!(h.declared_erroneous >= 1, "{}", h.declared_erroneous);
    let retired = &h.units[&pallet.pack(2, 3)];
    assert_eq!(retired.status, FactStatus::Decommissioned);
    assert_eq!(retired.parent, None);
    assert_eq!(
        h.subtree(&pallet.pallet()).len(),
        1 + CASES + CASES * PACKS - 2
    );
    // The repository returned the declaration itself, as an error declaration.
    let naming = link.events_naming(&[pallet.pack(1, 1)]).unwrap();
    assert!(
        naming.iter().any(|e| e.error_declaration.is_some()),
        "{naming:?}"
    );
}

#[test]
fn epcis20_server_without_lists_is_asked_one_epc_at_a_time() {
    let mut d = Draw::seeded("epcis20_server_without_lists_is_asked_one_epc_at_a_time");
    let pallet = Pallet::draw(&mut d);
    let server = Server::start(500, Some(TOKEN));
    server.state.lock().unwrap().single_values_only = true;
    capture_commissioning_20(&server, &pallet);
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), &pallet.build_lines());
    let cfg = config_20(&server.url);
    sync_all(dir.path(), &cfg);
    let link = link_for(&cfg).unwrap();
    pallet.assert_whole_tree(&take_in(link.as_ref(), &pallet.pallet()));
    assert!(server.state.lock().unwrap().queries > 1 + CASES + CASES * PACKS);
}

#[test]
fn epcis20_failures_are_unreachable_or_bad_answers_never_secrets() {
    // Down.
    let down = link_for(&config_20(&closed_port_url())).unwrap();
    assert_unreachable(down.as_ref(), "urn:epc:id:sscc:9506000.0000000017");
    // Wrong credentials: the server answers 401.
    let server = Server::start(500, Some("another-token"));
    let refused = link_for(&config_20(&server.url)).unwrap();
    match refused.hierarchy_events("urn:epc:id:sscc:9506000.0000000017") {
        Err(LinkError::Unreachable(m)) => {
            assert!(m.contains("401") && m.contains("credentials"), "{m}");
            assert!(!m.contains(TOKEN), "{m}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    // Not an EPCIS query interface at that URL: 404.
    let open = Server::start(500, None);
    let wrong = link_for(&config_20(&format!("{}/not-epcis", open.url))).unwrap();
    let answer = wrong.events_naming(&["urn:epc:id:sscc:9506000.0000000017".to_owned()]);
    assert!(
        matches!(&answer, Err(LinkError::BadAnswer(m)) if m.contains("404")),
        "{answer:?}"
    );
}

// --- QU4RTET ----------------------------------------------------------------------------

/// The line's commissioning of the packs as EPCIS 1.2 XML with ILMD (lot, expiry).
fn commission_qu4rtet(q: &Qu4rtet, pallet: &Pallet) {
    let t = time_text(now() - 60_000);
    let mut events = String::new();
    for c in 0..CASES {
        let epcs: String = (0..PACKS)
            .map(|p| format!("<epc>{}</epc>", pallet.pack(c, p)))
            .collect();
        events.push_str(&format!(
            "<ObjectEvent><eventTime>{t}</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>\
             <epcList>{epcs}</epcList><action>ADD</action>\
             <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\
             <disposition>urn:epcglobal:cbv:disp:active</disposition>\
             <extension><ilmd><cbvmda:lotNumber>{}</cbvmda:lotNumber>\
             <cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></extension>\
             </ObjectEvent>",
            pallet.lot
        ));
    }
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:1\" \
         xmlns:cbvmda=\"urn:epcglobal:cbv:mda\" schemaVersion=\"1.2\" creationDate=\"{t}\">\
         <EPCISBody><EventList>{events}</EventList></EPCISBody></epcis:EPCISDocument>"
    );
    let r = q
        .http()
        .send(
            "POST",
            "/capture/quartet-capture/?rule=EPCIS&run-immediately=true",
            &[("Content-Type", "application/xml")],
            Some(doc.as_bytes()),
        )
        .unwrap();
    assert!(
        r.status < 300,
        "commissioning refused: {} {}",
        r.status,
        r.body
    );
}

/// QU4RTET's own state of a unit: (parent EPC, decommissioned), from its entries.
fn qu4rtet_entry(
    q: &Qu4rtet,
    epc: &str,
    ids: &mut std::collections::HashMap<String, String>,
) -> (Option<String>, bool) {
    let get = |search: &str| {
        let r = q
            .http()
            .send(
                "GET",
                &format!("/epcis/entries/?search={search}&format=json"),
                &[],
                None,
            )
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["identifier"] == search)
            .cloned()
            .unwrap_or_else(|| panic!("QU4RTET has no entry for {search}"))
    };
    let hit = get(epc);
    ids.insert(hit["id"].as_str().unwrap().to_owned(), epc.to_owned());
    let parent = hit["parent_id"].as_str().map(|id| {
        ids.get(id)
            .cloned()
            .unwrap_or_else(|| panic!("parent {id} of {epc} is not one of the pallet's units"))
    });
    (parent, hit["decommissioned"].as_bool().unwrap())
}

#[test]
fn qu4rtet_pallet_comes_back_as_qu4rtet_holds_it() {
    let Some(cfg) = qu4rtet::config() else { return };
    let mut d = Draw::seeded("qu4rtet_pallet_comes_back_as_qu4rtet_holds_it");
    let pallet = Pallet::draw(&mut d);
    let q = Qu4rtet::new(&cfg).unwrap();
    commission_qu4rtet(&q, &pallet);
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), &pallet.build_lines());
    sync_all(dir.path(), &cfg);

    let link = link_for(&cfg).unwrap();
    assert!(!link.honours_error_declarations());
    pallet.assert_whole_tree(&take_in(link.as_ref(), &pallet.pallet()));
    let h = take_in(link.as_ref(), &pallet.case(0));
    assert_eq!(h.subtree(&pallet.case(0)).len(), 1 + PACKS);
    assert_eq!(h.top_of(&pallet.case(0)), pallet.pallet());

    let unknown = format!("urn:epc:id:sgtin:9506000.013435.{}", d.word(12));
    assert!(link.hierarchy_events(&unknown).unwrap().is_empty());
    assert!(link.events_naming(&[unknown]).unwrap().is_empty());

    // Remove, remove and undo, decommission: whatever QU4RTET made of them (it applies the
    // undo's error declaration as one more DELETE), the replay equals QU4RTET's own entries.
    run_lines(dir.path(), &pallet.rework_lines());
    sync_all(dir.path(), &cfg);
    let h = take_in(link.as_ref(), &pallet.pallet());
    let mut ids = std::collections::HashMap::new();
    let mut units = vec![pallet.pallet()];
    units.extend((0..CASES).map(|c| pallet.case(c)));
    units.extend(pallet.packs());
    for epc in &units {
        qu4rtet_entry(&q, epc, &mut ids); // learn every id first
    }
    for epc in &units {
        let (parent, decommissioned) = qu4rtet_entry(&q, epc, &mut ids);
        let u = &h.units[epc];
        assert_eq!(u.parent, parent, "parent of {epc}");
        assert_eq!(
            u.status == FactStatus::Decommissioned,
            decommissioned,
            "status of {epc}: {:?}",
            u.status
        );
    }
    assert_eq!(h.units[&pallet.pack(0, 0)].parent, None);
    assert_eq!(
        h.units[&pallet.pack(2, 3)].status,
        FactStatus::Decommissioned
    );
    assert_eq!(
        h.units[&pallet.pack(2, 1)].lot.as_deref(),
        Some(pallet.lot.as_str())
    );

    let mut down = cfg.clone();
    down.url = closed_port_url();
    assert_unreachable(link_for(&down).unwrap().as_ref(), &pallet.pallet());
}
