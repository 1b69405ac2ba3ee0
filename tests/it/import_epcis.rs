//! `packbench import epcis FILE...`: EPCIS files built from a seed (`harness::epcis_files`:
//! a pallet of cases of packs with commissioning ILMD), checked against the official schemas,
//! taken in by the real binary into a real data directory, and the station's units read back
//! from its SQLite file. Set `PB_IMPORT_SEED` to replay a run.

use crate::harness::data;
use crate::harness::epcis_files::{self as files, Ev, Pallet, Syntax};
use crate::harness::station::{BIN, SETUP, run_lines};
use packbench::domain::UnitStatus;
use packbench::epcis::canonical_gs1_uri;
use packbench::gs1::{Sgtin, Sscc};
use packbench::station::{Request, Station};
use packbench::store::{self, Store};
use rand::Rng;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const T0: i64 = 1_714_557_600_000;

/// A data directory with the standard set-up (users, the demo product).
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    dir
}

/// Runs `packbench import epcis FILES --user pat`; (exit code, stdout JSON or Null, stderr).
fn import(dir: &Path, paths: &[String]) -> (i32, Value, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(["import", "epcis"])
        .args(paths)
        .args(["--user", "pat", "--password-env", "PB_IMPORT_PW"])
        .env("PB_IMPORT_PW", "pat-pass-1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

/// The document is valid against the official schema of its syntax.
fn assert_schema_valid(doc: &str, syntax: Syntax) {
    match syntax {
        Syntax::JsonLd => {
            let value: Value = serde_json::from_str(doc).unwrap();
            let validator = data::epcis_json_validator();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path))
                .collect();
            assert!(errors.is_empty(), "JSON schema: {errors:?}");
        }
        Syntax::Xml20 => data::xmllint(doc, &data::xsd_20()).unwrap(),
        Syntax::Xml12 => data::xmllint(doc, &data::xsd_12()).unwrap(),
    }
}

/// A pallet of 2 to 4 cases of 3 to 6 packs, from `rng`.
fn random_pallet(rng: &mut rand::rngs::StdRng, tag: &str) -> Pallet {
    let cases = rng.random_range(2..=4);
    let packs = rng.random_range(3..=6);
    let per_pack = rng.random_bool(0.5);
    files::pallet(rng, tag, 100, cases, packs, T0, per_pack)
}

fn key_of(epc: &str) -> String {
    match Sgtin::from_epc_uri(epc) {
        Ok((s, _)) => s.unit_key(),
        Err(_) => Sscc::from_epc_uri(epc).unwrap().0.unit_key(),
    }
}

/// One unit as the station keeps it: (parent key, status, lot, expiry, origin, source).
type Kept = (
    Option<String>,
    UnitStatus,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn kept(store: &Store, epc: &str) -> Kept {
    let conn = store.conn();
    let u = store::unit_by_key(conn, &key_of(epc))
        .unwrap()
        .unwrap_or_else(|| panic!("{epc} not adopted"));
    assert_eq!(u.epc, epc);
    let parent = u
        .parent_id
        .map(|id| store::unit_by_id(conn, id).unwrap().unwrap().key);
    let a = store::adoption_of(conn, u.id).unwrap().unwrap();
    (parent, u.status, u.lot, u.expiry, a.origin, a.source)
}

/// The station holds exactly the pallet: every pack in its case with the ILMD lot and expiry,
/// every case on the pallet, all active, adopted from `source`.
fn assert_holds(dir: &Path, p: &Pallet, source: &str) {
    let store = Store::open_dir(dir).unwrap();
    let file = |parent: Option<&str>, lot: Option<&str>| -> Kept {
        (
            parent.map(key_of),
            UnitStatus::Active,
            lot.map(str::to_owned),
            lot.map(|_| p.expiry.clone()),
            "file".to_owned(),
            source.to_owned(),
        )
    };
    assert_eq!(kept(&store, &p.pallet), file(None, None));
    for (case, packs) in &p.cases {
        assert_eq!(kept(&store, case), file(Some(&p.pallet), None));
        let c = store::unit_by_key(store.conn(), &key_of(case))
            .unwrap()
            .unwrap();
        assert_eq!(c.child_count as usize, packs.len());
        for pack in packs {
            assert_eq!(kept(&store, pack), file(Some(case), Some(&p.lot)));
        }
    }
    let units: i64 = store
        .conn()
        .raw_sqlite()
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert_eq!(units as usize, p.units());
}

#[test]
fn a_pallet_in_each_syntax_is_schema_valid_and_adopted_as_it_is() {
    let seed = files::seed_from_env("PB_IMPORT_SEED");
    let mut rng = files::rng(seed);
    let folder = tempfile::tempdir().unwrap();
    for (i, syntax) in Syntax::ALL.into_iter().enumerate() {
        let p = random_pallet(&mut rng, &format!("S{i}"));
        let doc = files::document(&p.events, syntax, T0 + 3_600_000);
        assert_schema_valid(&doc, syntax);
        let name = format!("pallet-{i}.{}", syntax.extension());
        let path = write(folder.path(), &name, &doc);
        let dir = data_dir();
        let (code, v, err) = import(dir.path(), std::slice::from_ref(&path));
        assert_eq!(code, 0, "{syntax:?} seed {seed}: {v} {err}");
        assert_eq!(v["origin"], "file");
        assert_eq!(v["source"], name.as_str());
        assert_eq!(v["units"], p.units());
        assert_eq!(v["created"], p.units());
        assert_eq!(v["events_read"], p.events.len());
        assert_eq!(v["tops"], serde_json::json!([key_of(&p.pallet)]));
        let flavor = match syntax {
            Syntax::JsonLd => "jsonld-2.0",
            Syntax::Xml20 => "xml-2.0",
            Syntax::Xml12 => "xml-1.2",
        };
        assert_eq!(v["files"][0]["flavor"], flavor, "{v}");
        assert_holds(dir.path(), &p, &name);

        // The same file again changes nothing.
        let (code, v, err) = import(dir.path(), &[path]);
        assert_eq!(code, 0, "{v} {err}");
        assert_eq!(
            (v["created"].as_u64(), v["updated"].as_u64()),
            (Some(0), Some(0))
        );
        assert_eq!(v["unchanged"], p.units());
    }
}

#[test]
fn the_same_events_in_three_syntaxes_and_digital_links_give_the_same_station() {
    let seed = files::seed_from_env("PB_IMPORT_SEED");
    let mut rng = files::rng(seed);
    let p = random_pallet(&mut rng, "D");
    let folder = tempfile::tempdir().unwrap();
    // The JSON-LD file names every unit by its GS1 Digital Link (on another host): the
    // station knows the company prefix from its product and turns them into EPC URIs.
    let mut linked = p.events.clone();
    for e in &mut linked {
        let dl = |epc: &String| {
            canonical_gs1_uri(epc)
                .unwrap()
                .replace("https://id.gs1.org", "https://dl.example.com")
        };
        e.parent = e.parent.as_ref().map(dl);
        e.epcs = e.epcs.iter().map(dl).collect();
    }
    for (name, events, syntax) in [
        ("pallet.jsonld", &linked, Syntax::JsonLd),
        ("pallet-20.xml", &p.events, Syntax::Xml20),
        ("pallet-12.xml", &p.events, Syntax::Xml12),
    ] {
        let doc = files::document(events, syntax, T0);
        assert_schema_valid(&doc, syntax);
        let path = write(folder.path(), name, &doc);
        let dir = data_dir();
        let (code, v, err) = import(dir.path(), &[path]);
        assert_eq!(code, 0, "{name} seed {seed}: {v} {err}");
        assert_holds(dir.path(), &p, name);
    }
}

/// Ways to spoil event `n` of a JSON-LD document, and the field the refusal must name.
fn spoil(doc: &str, n: usize, how: usize) -> (String, &'static str) {
    let mut v: Value = serde_json::from_str(doc).unwrap();
    let e = &mut v["epcisBody"]["eventList"][n - 1];
    let field = match how {
        0 => {
            e["eventTimeZoneOffset"] = "+1:00".into();
            "eventTimeZoneOffset"
        }
        1 => {
            e["bizStep"] = "pakcing".into();
            "bizStep"
        }
        2 => {
            e.as_object_mut().unwrap().remove("action");
            "action"
        }
        3 => {
            e["type"] = "ShippingEvent".into();
            "type"
        }
        4 => {
            e["eventTime"] = "2024-05-01 10:00".into();
            "eventTime"
        }
        5 => {
            // Content changed after the hash ID was computed.
            e["disposition"] = "damaged".into();
            "eventID"
        }
        _ => {
            let list = if e["type"] == "AggregationEvent" {
                "childEPCs"
            } else {
                "epcList"
            };
            e[list][0] = "urn:epc:id:sgtin:9506000.013435".into();
            list
        }
    };
    (v.to_string(), field)
}

#[test]
fn a_bad_event_in_one_file_refuses_every_file_naming_file_event_and_field() {
    let seed = files::seed_from_env("PB_IMPORT_SEED");
    let mut rng = files::rng(seed);
    let folder = tempfile::tempdir().unwrap();
    let good = random_pallet(&mut rng, "G");
    let good_path = write(
        folder.path(),
        "good.xml",
        &files::document(&good.events, Syntax::Xml20, T0),
    );
    let other = random_pallet(&mut rng, "B");
    let doc = files::document(&other.events, Syntax::JsonLd, T0);
    for how in 0..7 {
        let n = rng.random_range(1..=other.events.len());
        let (bad, field) = spoil(&doc, n, how);
        let bad_path = write(folder.path(), &format!("bad-{how}.jsonld"), &bad);
        let dir = data_dir();
        let (code, v, err) = import(dir.path(), &[good_path.clone(), bad_path.clone()]);
        assert_eq!(code, 2, "spoil {how} seed {seed}: {v} {err}");
        assert_eq!(v, Value::Null);
        for part in [
            bad_path.as_str(),
            &format!("event {n}, {field}:"),
            "nothing imported",
        ] {
            assert!(
                err.contains(part),
                "spoil {how} seed {seed}: {part:?} not in {err}"
            );
        }
        // Nothing of either file was taken in, and no adoption was audited.
        let store = Store::open_dir(dir.path()).unwrap();
        let count = |sql: &str| -> i64 {
            store
                .conn()
                .raw_sqlite()
                .query_row(sql, [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count("SELECT count(*) FROM units"), 0);
        assert_eq!(count("SELECT count(*) FROM adoptions"), 0);
        assert_eq!(count("SELECT count(*) FROM known_events"), 0);
        assert_eq!(
            count("SELECT count(*) FROM audit WHERE action = 'adopt'"),
            0
        );
    }
}

#[test]
fn an_error_declaration_voids_the_add_and_the_pack_ends_loose() {
    let seed = files::seed_from_env("PB_IMPORT_SEED");
    let mut rng = files::rng(seed);
    let p = random_pallet(&mut rng, "C");
    let (case, _) = p.cases[rng.random_range(0..p.cases.len())].clone();
    let extra = files::pack_epc("CX0001");
    let mut events = p.events.clone();
    let t = events.last().unwrap().time_ms;
    let mut commission = events[0].clone();
    commission.epcs = vec![extra.clone()];
    commission.time_ms = t + 1_000;
    commission.event_id = None;
    let mut add = p
        .events
        .iter()
        .find(|e| e.parent.as_deref() == Some(case.as_str()))
        .unwrap()
        .clone();
    add.epcs = vec![extra.clone()];
    add.time_ms = t + 2_000;
    add.event_id = None;
    events.push(commission);
    events.push(add);
    files::with_hash_ids(&mut events, Syntax::Xml12);
    let declaration: Ev = events.last().unwrap().declared_at(t + 60_000);
    events.push(declaration);
    let doc = files::write(&events, Syntax::Xml12, T0);
    assert_schema_valid(&doc, Syntax::Xml12);
    assert!(doc.contains("<baseExtension><eventID>ni:///sha-256;"));
    assert!(doc.contains("<errorDeclaration>"));
    let folder = tempfile::tempdir().unwrap();
    let path = write(folder.path(), "corrected.xml", &doc);
    let dir = data_dir();
    let (code, v, err) = import(dir.path(), &[path]);
    assert_eq!(code, 0, "seed {seed}: {v} {err}");
    // The pallet as built, plus the extra pack: commissioned (lot, expiry) and in no case.
    assert_eq!(v["units"], p.units() + 1);
    let tops: Vec<&str> = v["tops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tops.contains(&key_of(&extra).as_str()), "{v}");
    let store = Store::open_dir(dir.path()).unwrap();
    let (parent, status, lot, expiry, origin, _) = kept(&store, &extra);
    assert_eq!(parent, None);
    assert_eq!(status, UnitStatus::Active);
    assert_eq!((lot, expiry), (Some(p.lot.clone()), Some(p.expiry.clone())));
    assert_eq!(origin, "file");
    // Every case kept only its own packs.
    for (c, packs) in &p.cases {
        let u = store::unit_by_key(store.conn(), &key_of(c))
            .unwrap()
            .unwrap();
        assert_eq!(u.child_count as usize, packs.len());
    }
}

#[test]
fn the_station_needs_a_logged_in_user_and_at_least_one_file() {
    let dir = data_dir();
    let mut station = Station::open(dir.path()).unwrap();
    let r = station.execute(Request::ImportEpcis {
        paths: vec!["whatever.jsonld".into()],
    });
    assert_eq!(r.code.as_str(), "NOT_LOGGED_IN");
    let r = station.execute(Request::Login {
        user: "pat".into(),
        password: "pat-pass-1".into(),
    });
    assert!(r.ok);
    let r = station.execute(Request::ImportEpcis { paths: vec![] });
    assert_eq!(r.code.as_str(), "INVALID_ARGUMENT");
    let r = station.execute(Request::ImportEpcis {
        paths: vec![dir.path().join("missing.xml").display().to_string()],
    });
    assert_eq!(r.code.as_str(), "INVALID_ARGUMENT");
    let data = r.data.unwrap();
    assert_eq!(data["field"], "file");
    assert!(r.detail.unwrap().contains("missing.xml"));
}

/// "Open EPCIS file…" on the Look-up screen: the chosen file (what the system's open dialog
/// hands the app) is taken in, and the live tree shows the pallet and where it came from.
#[test]
fn the_gui_takes_a_file_in_and_the_tree_says_so() {
    use crate::harness::gui;
    let seed = files::seed_from_env("PB_IMPORT_SEED");
    let mut rng = files::rng(seed);
    let p = random_pallet(&mut rng, "U");
    let folder = tempfile::tempdir().unwrap();
    let path = write(
        folder.path(),
        "returned.jsonld",
        &files::document(&p.events, Syntax::JsonLd, T0 + 3_600_000),
    );
    let dir = data_dir();
    let mut station = Station::open(dir.path()).unwrap();
    assert!(
        station
            .execute(Request::Login {
                user: "pat".into(),
                password: "pat-pass-1".into(),
            })
            .ok
    );
    let mut h = gui::screen(gui::app_with(station, "en-US"), gui::BENCH);
    gui::settle(&mut h);
    gui::click(&mut h, "Look-up");
    {
        use egui_kittest::kittest::Queryable;
        assert!(
            h.query_by_label("Open EPCIS file…").is_some(),
            "the Look-up screen offers the file"
        );
    }
    h.state_mut().import_epcis_files(vec![path]);
    gui::settle(&mut h);
    assert_eq!(gui::code(&h), Some("OK"), "seed {seed}");
    let top = key_of(&p.pallet);
    gui::wait_for(&mut h, "the file's pallet in the tree", |app| {
        app.snapshot.tree.nodes.first().map(|n| n.key.as_str()) == Some(top.as_str())
    });
    assert_eq!(h.state().snapshot.tree.nodes.len(), p.units());
    assert_eq!(
        h.state().snapshot.tree.nodes[0].origin.as_deref(),
        Some("file")
    );
    assert!(gui::shows(&h, "From an EPCIS file"));
}
