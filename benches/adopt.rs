//! Adoption benchmark: a pallet of 40 cases × 20 packs (841 units) in the EPCIS 2.0 test server
//! (the schema-validating contract double of the tests); times the link's `hierarchy_events`
//! (list-valued `GET /events`, every page) with `epcis::replay`, and the station's whole take-in
//! (`adopt` of a scan of the pallet: fetch, replay, the units written), and prints
//! milliseconds. Goal (issue 13): ≤ 1 s in release.
//!
//! `cargo bench --bench adopt`: the full pallet, best and median of several runs. Under
//! `cargo test` it runs a small smoke version.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

/// The tests' EPCIS 2.0 server (a schema-validating double of the openapi contract).
// The bench starts the server only; the tests use the rest of it.
#[allow(dead_code)]
#[path = "../tests/it/harness/repo/mod.rs"]
mod repo;

use packbench::epcis::{FactStatus, replay};
use packbench::gs1::Sscc;
use packbench::station::{Request, Station};
use packbench::sync::{Auth, RepositoryConfig, RepositoryKind, Rest20, link_for};
use serde_json::{Value, json};
use std::time::Instant;

const T0: &str = "2026-01-05T08:00:00.000Z";

fn sscc(serial: u64) -> String {
    format!("urn:epc:id:sscc:9506000.0{serial:09}")
}

fn pack(case: usize, n: usize) -> String {
    format!("urn:epc:id:sgtin:9506000.013435.B{case:03}P{n:03}")
}

fn event(id: usize, minute: usize, body: Value) -> Value {
    let Value::Object(mut e) = body else {
        panic!("an event is an object")
    };
    e.insert(
        "eventID".into(),
        format!("urn:uuid:00000000-0000-4000-8000-{id:012}").into(),
    );
    e.insert(
        "eventTime".into(),
        format!(
            "2026-01-05T08:{:02}:{:02}.000Z",
            minute / 60 % 60,
            minute % 60
        )
        .into(),
    );
    e.insert("eventTimeZoneOffset".into(), "+00:00".into());
    e.insert(
        "readPoint".into(),
        json!({"id": "urn:epc:id:sgln:9506000.00000.1"}),
    );
    Value::Object(e)
}

/// The events a line and a station leave for such a pallet: each pack commissioned with its
/// ILMD (one event per pack, the heaviest case), each case commissioned, packed and checked,
/// the pallet likewise.
fn pallet_events(cases: usize, packs: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut id = 0;
    let mut next = || {
        id += 1;
        id
    };
    for c in 0..cases {
        for p in 0..packs {
            out.push(event(
                next(),
                0,
                json!({
                    "type": "ObjectEvent", "action": "ADD", "epcList": [pack(c, p)],
                    "bizStep": "commissioning", "disposition": "active",
                    "ilmd": {"cbvmda:lotNumber": "LOT7", "cbvmda:itemExpirationDate": "2027-12-31"},
                }),
            ));
        }
    }
    for c in 0..cases {
        let case = sscc(c as u64 + 1);
        out.push(event(
            next(),
            1,
            json!({
            "type": "ObjectEvent", "action": "ADD", "epcList": [case],
            "bizStep": "commissioning", "disposition": "active"}),
        ));
        out.push(event(
            next(),
            2,
            json!({
            "type": "AggregationEvent", "action": "ADD", "parentID": case,
            "childEPCs": (0..packs).map(|p| pack(c, p)).collect::<Vec<_>>(),
            "bizStep": "packing", "disposition": "in_progress"}),
        ));
        out.push(event(
            next(),
            3,
            json!({
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [case],
            "bizStep": "inspecting", "persistentDisposition": {"set": ["completeness_verified"]}}),
        ));
    }
    let pallet = sscc(900_000_000);
    out.push(event(
        next(),
        4,
        json!({
        "type": "ObjectEvent", "action": "ADD", "epcList": [pallet],
        "bizStep": "commissioning", "disposition": "active"}),
    ));
    out.push(event(
        next(),
        5,
        json!({
        "type": "AggregationEvent", "action": "ADD", "parentID": pallet,
        "childEPCs": (0..cases).map(|c| sscc(c as u64 + 1)).collect::<Vec<_>>(),
        "bizStep": "packing", "disposition": "in_progress"}),
    ));
    out
}

fn capture(repo: &Rest20, events: &[Value]) {
    for chunk in events.chunks(500) {
        let doc = json!({
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": T0,
            "epcisBody": {"eventList": chunk},
        });
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
}

const SETUP: &str = r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}
{"cmd":"add_product","gtin":"09506000134352","name":"Demo 20 mg tablets","company_prefix_length":7}
{"cmd":"set_setting","key":"sscc_company_prefix_length","value":"7"}
{"cmd":"login","user":"admin","password":"admin-pass-1"}"#;

/// A station in a fresh data directory, logged in, linked to the repository.
fn station(dir: &std::path::Path, cfg: &RepositoryConfig) -> Station {
    let mut station = Station::open(dir).unwrap();
    let mut out = Vec::new();
    packbench::cli::station::serve(&mut station, &mut SETUP.as_bytes(), &mut out).unwrap();
    for line in String::from_utf8(out).unwrap().lines() {
        assert!(line.contains(r#""ok":true"#), "{line}");
    }
    station.set_repository_link(Some(link_for(cfg).unwrap()));
    station
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (cases, packs, runs) = if full { (40, 20, 7) } else { (4, 5, 2) };
    let units = 1 + cases + cases * packs;
    let server = repo::server::Server::start(1_000, Some("bench"));
    let cfg = RepositoryConfig::new(
        RepositoryKind::Epcis20,
        &server.url,
        Auth::Bearer {
            token: "bench".into(),
        },
    );
    let events = pallet_events(cases, packs);
    capture(&Rest20::new(&cfg).unwrap(), &events);
    assert!(server.state.lock().unwrap().schema_errors.is_empty());

    // The link alone: fetch and replay.
    let link = link_for(&cfg).unwrap();
    let pallet = sscc(900_000_000);
    let mut totals = Vec::new();
    for run in 0..runs {
        let (q0, s0) = {
            let s = server.state.lock().unwrap();
            (s.queries, s.query_ns)
        };
        let start = Instant::now();
        let facts = link.hierarchy_events(&pallet).unwrap();
        let fetched = start.elapsed();
        let h = replay(&facts);
        let total = start.elapsed();
        let tree = h.subtree(&pallet);
        assert_eq!(tree.len(), units);
        assert!(tree.iter().all(|u| u.status == FactStatus::Active));
        assert_eq!(
            tree.iter()
                .filter(|u| u.lot.as_deref() == Some("LOT7"))
                .count(),
            cases * packs
        );
        let (pages, server_ns) = {
            let s = server.state.lock().unwrap();
            (s.queries - q0, s.query_ns - s0)
        };
        println!(
            "adopt run {run}: {units} units, {} events, {pages} pages: fetch {:.1} ms (server {:.1} ms), replay {:.1} ms, fetch + replay {:.1} ms",
            facts.len(),
            ms(fetched),
            server_ns as f64 / 1e6,
            ms(total - fetched),
            ms(total),
        );
        totals.push(ms(total));
    }
    let (best, med) = median(totals);
    println!("adopt fetch + replay: best {best:.1} ms, median {med:.1} ms");

    // The station's whole take-in: `adopt` on a scan of the pallet (fetch, replay, the units
    // written in one transaction with an audit record), each run in a fresh data directory.
    let scan = format!(
        "(00){}",
        Sscc::new("9506000", 0, 900_000_000).unwrap().as_str()
    );
    let mut totals = Vec::new();
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let mut st = station(dir.path(), &cfg);
        let start = Instant::now();
        let r = st.execute(Request::Adopt { scan: scan.clone() });
        let took = start.elapsed();
        assert!(r.ok, "{r:?}");
        println!(
            "adopt run {run}: station adopts the pallet in {:.1} ms",
            ms(took)
        );
        totals.push(ms(took));
    }
    let (best, med) = median(totals);
    println!(
        "adopt {units} units from the EPCIS 2.0 test server into a station: best {best:.1} ms, median {med:.1} ms (goal ≤ 1000 ms in release)"
    );
}
