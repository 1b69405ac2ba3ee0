//! The EPCIS events the station records for each flow: the `docs/architecture.md` §8 mapping, and every
//! document exported from a scenario validates against the official JSON Schema (EPCIS 2.0
//! JSON-LD) and XSDs (EPCIS 2.0 XML, EPCIS 1.2 XML).

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use crate::harness::data::{epcis_json_validator, xmllint, xsd_12, xsd_20};
use packbench::cli::export::{ExportFormat, document, stored_events};
use packbench::epcis::{Action, Event, EventKind};
use packbench::station::Station;
use packbench::store::Store;
use std::path::Path;

const START_MS: i64 = 1_795_600_800_000;
const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios");

/// Runs `_setup.jsonl` + a scenario's input; returns the temp dir holding the database.
fn run(scenario: &str) -> tempfile::TempDir {
    let setup = std::fs::read_to_string(format!("{SCENARIOS}/_setup.jsonl")).unwrap();
    let input = std::fs::read_to_string(format!("{SCENARIOS}/{scenario}/input.jsonl")).unwrap();
    run_lines(&setup, &input)
}

/// Runs set-up lines and input lines; returns the temp dir holding the database.
fn run_lines(setup: &str, input: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let mut t = START_MS;
    let mut station = Station::with_clock(
        store,
        Box::new(move || {
            t += 1000;
            t
        }),
    )
    .unwrap();
    let mut out = Vec::new();
    packbench::cli::station::serve(
        &mut station,
        &mut format!("{setup}\n{input}").as_bytes(),
        &mut out,
    )
    .unwrap();
    dir
}

fn events(dir: &Path) -> Vec<Event> {
    stored_events(&Store::open_dir(dir).unwrap(), i64::MIN).unwrap()
}

fn summary(e: &Event) -> String {
    let kind = match e.kind {
        EventKind::Object => "Object",
        EventKind::Aggregation => "Aggregation",
    };
    format!(
        "{kind} {} {} {}{}",
        e.action.as_str(),
        e.biz_step.as_deref().unwrap_or("-"),
        e.epcs.len(),
        if e.error_declaration.is_some() {
            " (correction)"
        } else {
            ""
        }
    )
}

#[test]
fn every_scenario_exports_valid_documents() {
    let validator = epcis_json_validator();
    let mut total = 0;
    for entry in std::fs::read_dir(SCENARIOS).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dir = run(&name);
        let evs = events(dir.path());
        if evs.is_empty() {
            continue;
        }
        total += evs.len();
        let json: serde_json::Value =
            serde_json::from_str(&document(ExportFormat::Jsonld, &evs, START_MS)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        xmllint(&document(ExportFormat::Xml, &evs, START_MS), &xsd_20())
            .unwrap_or_else(|e| panic!("{name} 2.0 XML: {e}"));
        xmllint(&document(ExportFormat::Xml12, &evs, START_MS), &xsd_12())
            .unwrap_or_else(|e| panic!("{name} 1.2 XML: {e}"));
        for e in &evs {
            assert_eq!(e.validate(), Ok(()), "{name}: {}", summary(e));
            assert_eq!(
                e.read_point.as_deref(),
                Some("urn:epc:id:sgln:9506000.00000.1")
            );
            assert_eq!(
                e.biz_transactions.len(),
                1,
                "{name}: prodorder bizTransaction"
            );
            assert_eq!(e.biz_transactions[0].kind, "prodorder");
            // CBV: urn:epcglobal:cbv:bt:<GLN>:<id>, the GLN of the business location (no
            // owner_gln in the set-up).
            assert!(
                e.biz_transactions[0]
                    .id
                    .starts_with("urn:epcglobal:cbv:bt:9506000000008:"),
                "{name}: {}",
                e.biz_transactions[0].id
            );
        }
    }
    assert!(total > 50, "only {total} events exported");
}

#[test]
fn build_case_commissions_aggregates_and_verifies() {
    let dir = run("01_build_case");
    let evs = events(dir.path());
    let s: Vec<String> = evs.iter().map(summary).collect();
    assert_eq!(
        s,
        [
            "Object ADD commissioning 1",
            "Aggregation ADD packing 3",
            "Object OBSERVE inspecting 1"
        ]
    );
    assert_eq!(evs[0].disposition.as_deref(), Some("active"));
    assert_eq!(evs[1].disposition.as_deref(), Some("in_progress"));
    assert_eq!(evs[1].parent_id, Some(evs[0].epcs[0].clone()));
    let pd = evs[2].persistent_disposition.as_ref().unwrap();
    assert_eq!(pd.set, ["completeness_verified"]);
    assert!(
        evs[1].event_time_ms < evs[2].event_time_ms,
        "events of one command are 1 ms apart"
    );
    for e in &evs {
        assert!(e.event_id.as_deref().unwrap().starts_with("ni:///sha-256;"));
        assert_eq!(
            e.event_id.as_deref(),
            Some(packbench::epcis::event_hash_id(e).as_str())
        );
    }
}

#[test]
fn move_is_delete_then_add_one_ms_later() {
    let dir = run("03_move_remove");
    let evs = events(dir.path());
    let i = evs
        .iter()
        .position(|e| e.kind == EventKind::Aggregation && e.action == Action::Delete)
        .expect("a DELETE");
    let (del, add) = (&evs[i], &evs[i + 1]);
    assert_eq!(del.biz_step.as_deref(), Some("unpacking"));
    assert_eq!(add.action, Action::Add);
    assert_eq!(del.epcs, add.epcs, "the same pack");
    assert_ne!(del.parent_id, add.parent_id);
    assert!(add.event_time_ms > del.event_time_ms);
}

#[test]
fn decommissioning_a_pallet_disaggregates_first_and_carries_reason_and_signature() {
    let dir = run("08_decommission_pallet");
    let evs = events(dir.path());
    let tail: Vec<String> = evs.iter().map(summary).collect();
    let start = tail
        .iter()
        .position(|s| s == "Aggregation DELETE unpacking 0")
        .expect("DELETE all");
    assert_eq!(
        &tail[start..start + 4],
        [
            "Aggregation DELETE unpacking 0",
            "Aggregation DELETE unpacking 0",
            "Aggregation DELETE unpacking 0",
            "Object DELETE decommissioning 9"
        ]
    );
    let d = &evs[start + 3];
    assert_eq!(d.disposition.as_deref(), Some("inactive"));
    let reason = d
        .extensions
        .iter()
        .find(|x| x.name == "reason")
        .expect("pb:reason");
    assert_eq!(reason.value, "damaged: forklift");
    let sig = d
        .extensions
        .iter()
        .find(|x| x.name == "signature")
        .expect("pb:signature");
    assert!(
        sig.value.contains("Sam Supervisor") && sig.value.contains("approve decommission"),
        "{}",
        sig.value
    );
    let sample = evs
        .iter()
        .find(|e| e.biz_step.as_deref() == Some("sampling"))
        .expect("sampling");
    assert_eq!(sample.action, Action::Delete);
}

#[test]
fn replace_and_relabel_follow_the_design_table() {
    let evs = events(run("09_replace").path());
    let s: Vec<String> = evs.iter().map(summary).collect();
    assert_eq!(
        &s[3..],
        [
            "Aggregation DELETE unpacking 1",
            "Object OBSERVE inspecting 1",
            "Object DELETE decommissioning 1",
            "Aggregation ADD packing 1"
        ]
    );
    assert_eq!(evs[4].disposition.as_deref(), Some("damaged"));
    let evs = events(run("10_relabel").path());
    let s: Vec<String> = evs.iter().map(summary).collect();
    assert_eq!(
        &s[3..7],
        [
            "Object ADD commissioning 1",
            "Aggregation DELETE unpacking 0",
            "Aggregation ADD packing 3",
            "Object DELETE decommissioning 1"
        ]
    );
}

#[test]
fn undo_resends_the_original_events_with_an_error_declaration() {
    let evs = events(run("11_undo").path());
    let corrections: Vec<&Event> = evs
        .iter()
        .filter(|e| e.error_declaration.is_some())
        .collect();
    assert!(!corrections.is_empty());
    for c in corrections {
        let decl = c.error_declaration.as_ref().unwrap();
        assert_eq!(decl.reason.as_deref(), Some("did_not_occur"));
        let original = evs
            .iter()
            .find(|o| o.error_declaration.is_none() && o.event_id == c.event_id)
            .expect("the original event with the same event ID");
        assert_eq!(original.epcs, c.epcs);
        assert_eq!(
            original.event_time_ms, c.event_time_ms,
            "the original event, re-sent"
        );
    }
}

/// The work order's business transaction names its owner: the `owner_gln` setting, else the
/// business location's GLN, else nothing (the events carry none and still validate).
#[test]
fn the_work_order_is_a_business_transaction_of_its_owner_or_none() {
    let setup = std::fs::read_to_string(format!("{SCENARIOS}/_setup.jsonl")).unwrap();
    let input = std::fs::read_to_string(format!("{SCENARIOS}/01_build_case/input.jsonl")).unwrap();
    let owner = setup.replace(
        r#"{"cmd":"login","user":"pat""#,
        "{\"cmd\":\"set_setting\",\"key\":\"owner_gln\",\"value\":\"9506000000015\"}\n{\"cmd\":\"login\",\"user\":\"pat\"",
    );
    assert_ne!(owner, setup);
    let no_location: String = setup
        .lines()
        .filter(|l| !l.contains("biz_location"))
        .map(|l| format!("{l}\n"))
        .collect();
    let validator = epcis_json_validator();
    for (setup, want) in [
        (owner, Some("urn:epcglobal:cbv:bt:9506000000015:WO-1")),
        (no_location, None),
    ] {
        let dir = run_lines(&setup, &input);
        let evs = events(dir.path());
        assert!(evs.len() >= 3, "{}", evs.len());
        for e in &evs {
            let ids: Vec<&str> = e.biz_transactions.iter().map(|b| b.id.as_str()).collect();
            assert_eq!(ids, want.into_iter().collect::<Vec<_>>(), "{}", summary(e));
        }
        let json: serde_json::Value =
            serde_json::from_str(&document(ExportFormat::Jsonld, &evs, START_MS)).unwrap();
        assert!(validator.is_valid(&json));
        xmllint(&document(ExportFormat::Xml, &evs, START_MS), &xsd_20()).unwrap();
        xmllint(&document(ExportFormat::Xml12, &evs, START_MS), &xsd_12()).unwrap();
    }
}

#[test]
fn hold_and_release_are_observes_with_the_dispositions_and_the_reason() {
    let dir = run("19_hold");
    let evs = events(dir.path());
    let pb = |e: &Event, name: &str| {
        e.extensions
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.value.clone())
    };
    let holds: Vec<&Event> = evs
        .iter()
        .filter(|e| e.biz_step.as_deref() == Some("holding"))
        .collect();
    let releases: Vec<&Event> = evs
        .iter()
        .filter(|e| pb(e, "reason").is_some_and(|r| r.starts_with("release of hold")))
        .collect();
    // A unit hold, a lot hold (recall), a container hold, a unit hold by QA.
    assert_eq!(
        holds.len(),
        4,
        "{:?}",
        evs.iter().map(summary).collect::<Vec<_>>()
    );
    for e in &holds {
        assert_eq!((e.kind, e.action), (EventKind::Object, Action::Observe));
        assert!(pb(e, "signature").is_some(), "signed");
        assert!(pb(e, "holdScope").is_some());
    }
    assert_eq!(holds[0].disposition.as_deref(), Some("non_sellable_other"));
    assert_eq!(
        pb(holds[0], "reason").as_deref(),
        Some("investigation: complaint 4711")
    );
    assert_eq!(holds[0].epcs.len(), 1);
    assert_eq!(holds[1].disposition.as_deref(), Some("recalled"));
    assert_eq!(
        pb(holds[1], "holdScope").as_deref(),
        Some("lot LOT42 of GTIN 09506000134352")
    );
    // Every known active unit of the lot: SN0001 and SN0002 (SN0003 was refused before the
    // hold, SN0007 and SN0008 while it lasted: the station does not know them).
    assert_eq!(holds[1].epcs.len(), 2);
    // The container hold names the case and its three packs.
    assert_eq!(holds[2].epcs.len(), 4);
    assert!(holds[2].epcs[0].starts_with("urn:epc:id:sscc:"));

    // Releases: inspecting, the disposition before the hold.
    // The lot's release gives each unit back its own disposition: one event per disposition
    // (SN0001 loose and active, SN0002 in the case put aside, in progress).
    assert_eq!(releases.len(), 3);
    assert_eq!(releases[2].disposition.as_deref(), Some("in_progress"));
    for e in &releases {
        assert_eq!(e.action, Action::Observe);
        assert_eq!(e.biz_step.as_deref(), Some("inspecting"));
        assert!(pb(e, "signature").is_some());
    }
    // SN0001 was loose (removed from its case) when released: active.
    assert_eq!(releases[0].disposition.as_deref(), Some("active"));
    assert_eq!(releases[0].epcs, holds[0].epcs);
}
