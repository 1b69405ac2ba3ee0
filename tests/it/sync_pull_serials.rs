//! `packbench sync pull --serials`: a lot's commissioned serials, read from the commissioning
//! events an EPCIS 2.0 repository (the test double of the openapi contract) holds, reach the
//! work order's serial list; serials of another lot do not. A QU4RTET repository is refused
//! plainly (exit 2).

use crate::harness::repo::server::Server;
use crate::harness::station::{SETUP, pack_epc, pack_scan, run_lines, sscc};
use packbench::station::Station;
use packbench::sync::{Auth, RepositoryConfig, RepositoryKind, Rest20};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_packbench");

fn packbench(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("PB_PULL_PW", "admin-pass-1")
        .output()
        .unwrap()
}

/// Runs JSON lines against the station; returns every answer.
fn answers(dir: &Path, lines: &str) -> Vec<Value> {
    let mut station = Station::open(dir).unwrap();
    let mut out = Vec::new();
    packbench::cli::station::serve(&mut station, &mut lines.as_bytes(), &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A schema-valid commissioning ObjectEvent with ILMD lot number `lot`.
fn commissioning(id: usize, lot: &str, epcs: &[String]) -> Value {
    serde_json::json!({
        "type": "ObjectEvent",
        "eventID": format!("urn:uuid:00000000-0000-4000-8000-{id:012}"),
        "eventTime": "2026-01-01T10:00:00.000Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": epcs,
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "ilmd": {"cbvmda:lotNumber": lot},
    })
}

fn capture(server: &Server, events: &[Value]) {
    let config = RepositoryConfig::new(RepositoryKind::Epcis20, &server.url, Auth::None);
    let repo = Rest20::new(&config).unwrap();
    let doc = serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-01T10:00:00.000Z",
        "epcisBody": {"eventList": events},
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

fn pull(dir: &Path, lot: &str) -> Output {
    packbench(
        dir,
        &[
            "sync",
            "pull",
            "--serials",
            "--gtin",
            "09506000134352",
            "--lot",
            lot,
            "--work-order",
            "WO-1",
            "--user",
            "admin",
            "--password-env",
            "PB_PULL_PW",
            "--per-page",
            "2",
        ],
    )
}

#[test]
fn the_serials_of_one_lot_reach_the_work_orders_serial_list() {
    let server = Server::start(100, None);
    let lot_a: Vec<String> = (1..=7).map(|n| pack_epc("A", n)).collect();
    let lot_b: Vec<String> = (1..=5).map(|n| pack_epc("B", n)).collect();
    let mut shipping = commissioning(90, "LOT42", &[pack_epc("C", 1)]);
    shipping["bizStep"] = "shipping".into();
    capture(
        &server,
        &[
            commissioning(1, "LOT42", &lot_a[..3]),
            commissioning(2, "LOT43", &lot_b[..3]),
            commissioning(3, "LOT42", &lot_a[3..]),
            commissioning(4, "LOT43", &lot_b[3..]),
            // Another GTIN of the same lot, and an event that is not a commissioning.
            commissioning(
                5,
                "LOT42",
                &["urn:epc:id:sgtin:9506000.113435.X1".to_owned()],
            ),
            shipping,
        ],
    );

    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    let out = packbench(
        dir.path(),
        &["sync", "--configure", "epcis20", "--url", &server.url],
    );
    assert!(out.status.success(), "{out:?}");
    let out = pull(dir.path(), "LOT42");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["imported"], 1, "{summary}");
    assert_eq!(summary["refused"], serde_json::json!([]), "{summary}");
    assert_eq!(summary["serials"], 7, "{summary}");
    assert_eq!(summary["lot_events"], 2, "{summary}");
    // Four commissioning events of the GTIN, two per page.
    assert_eq!(summary["events_read"], 4, "{summary}");
    assert_eq!(summary["pages"], 2, "{summary}");
    assert_eq!(server.state.lock().unwrap().queries, 2);

    let lines = format!(
        r#"{{"cmd":"login","user":"pat","password":"pat-pass-1"}}
{{"cmd":"select_work_order","id":"WO-1"}}
{{"cmd":"scan","data":"(00){}"}}
{{"cmd":"scan","data":"{}"}}
{{"cmd":"scan","data":"{}"}}
{{"cmd":"scan","data":"{}"}}"#,
        sscc(1),
        pack_scan("A", 1),
        pack_scan("B", 1),
        pack_scan("A", 7),
    );
    let got = answers(dir.path(), &lines);
    assert_eq!(got.len(), 6, "{got:?}");
    for i in [0, 1, 2, 3, 5] {
        assert_eq!(got[i]["ok"], true, "answer {i}: {}", got[i]);
    }
    assert_eq!(got[4]["ok"], false, "{}", got[4]);
    assert_eq!(got[4]["code"], "UNKNOWN_SERIAL", "{}", got[4]);

    // A lot the repository never commissioned: nothing to import, said plainly.
    let out = pull(dir.path(), "LOT99");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no commissioned serials"), "{err}");
}

#[test]
fn a_qu4rtet_repository_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    let out = packbench(
        dir.path(),
        &[
            "sync",
            "--configure",
            "qu4rtet",
            "--url",
            "http://127.0.0.1:9",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let out = pull(dir.path(), "LOT42");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("import a serial list file"), "{err}");
}
