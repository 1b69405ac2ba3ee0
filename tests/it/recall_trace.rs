//! Recall and trace (issue 18) on a lot spread over three pallets, one of them partly
//! reworked (a pack taken out, a pack moved into a new case, a pack decommissioned, a case put
//! on hold): the recall groups every unit by top container with its status and the containers
//! to pull; the trace shows the tree with each move's history (who, when, from → to,
//! signature); the whole lot is held in one signed step; CSV and PDF from the command line.

use crate::harness::station::{BIN, SETUP, pack_scan, pallet_lines, sscc};
use packbench::station::{Request, Station};
use serde_json::{Value, json};

const GTIN: &str = "09506000134352";
const SIGN: &str = r#"{"user":"sup","password":"sup-pass-1"}"#;

fn ask(s: &mut Station, line: &str) -> Value {
    let req: Request = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    serde_json::to_value(s.execute(req)).unwrap()
}

fn ok(s: &mut Station, line: &str) -> Value {
    let a = ask(s, line);
    assert_eq!(a["ok"], true, "{line}: {a}");
    a
}

/// Three pallets (SSCC refs base+1000..=base+1002) of two cases (base..base+5) of three
/// packs (`tag` 1–18); pallet 2 reworked.
fn lot_over_pallets(dir: &std::path::Path, tag: &str, base: u64) -> Station {
    let mut s = Station::open(dir).unwrap();
    for line in SETUP
        .lines()
        .map(str::to_owned)
        .chain(pallet_lines(tag, base, 3).lines().map(str::to_owned))
    {
        ok(&mut s, &line);
    }
    // Rework on pallet 2 (cases base+2, base+3; packs 7–12): pack 7 taken out, pack 8 moved
    // into a new case base+10, pack 9 decommissioned (signed), case base+3 on hold (signed).
    ok(
        &mut s,
        &json!({"cmd": "remove", "scan": pack_scan(tag, 7)}).to_string(),
    );
    ok(
        &mut s,
        &json!({"cmd": "scan", "data": format!("(00){}", sscc(base + 10))}).to_string(),
    );
    let moved = ask(
        &mut s,
        &json!({"cmd": "move", "scan": pack_scan(tag, 8), "confirm": true}).to_string(),
    );
    if moved["code"] == "CONFIRM_REQUIRED" || moved["code"] == "IN_OTHER_CONTAINER" {
        ok(&mut s, r#"{"cmd":"confirm"}"#);
    } else {
        assert_eq!(moved["ok"], true, "{moved}");
    }
    ok(
        &mut s,
        &format!(
            r#"{{"cmd":"retire","scan":"{}","kind":"decommission","reason":"damaged","signature":{SIGN}}}"#,
            pack_scan(tag, 9)
        ),
    );
    ok(
        &mut s,
        &format!(
            r#"{{"cmd":"hold","scan":"(00){}","reason":"investigation","signature":{SIGN}}}"#,
            sscc(base + 3)
        ),
    );
    s
}

fn group<'a>(report: &'a Value, top: Option<&str>) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["top"].as_str() == top)
        .unwrap_or_else(|| panic!("no group {top:?} in {report}"))
}

#[test]
fn recall_groups_the_lot_by_top_container_with_status() {
    let dir = tempfile::tempdir().unwrap();
    let (tag, base) = ("RC000001", 800_000);
    let mut s = lot_over_pallets(dir.path(), tag, base);
    let r = ok(
        &mut s,
        &json!({"cmd": "recall", "gtin": GTIN, "lot": "LOT42", "units": true}).to_string(),
    );
    let d = &r["data"];
    // 18 packs: 7 loose, 9 decommissioned (and loose), 8 in the new case, case base+3 held
    // (10, 11, 12).
    assert_eq!(d["counts"]["retired"], 1, "{d}");
    assert_eq!(d["counts"]["on_hold"], 3, "{d}");
    assert_eq!(d["counts"]["in_stock"], 14, "{d}");
    assert_eq!(d["loose"], 2, "{d}");
    let p = |n: u64| format!("(00){}", sscc(base + 1000 + n));
    let new_case = format!("(00){}", sscc(base + 10));
    assert_eq!(
        d["containers_to_pull"],
        json!([new_case, p(0), p(1), p(2)]),
        "{d}"
    );
    assert_eq!(group(d, Some(&p(0)))["counts"]["in_stock"], 6);
    // Pallet 2 holds case base+2 (packs 7, 8 and 9 gone) and the held case base+3.
    let p2 = group(d, Some(&p(1)));
    assert_eq!(p2["counts"]["in_stock"], 0, "{p2}");
    assert_eq!(p2["counts"]["on_hold"], 3, "{p2}");
    assert_eq!(p2["units"].as_array().unwrap().len(), 3);
    assert_eq!(group(d, Some(&p(2)))["counts"]["in_stock"], 6);
    // The new case holds pack 8.
    let moved = group(d, Some(&new_case));
    assert_eq!(moved["top_level"], "case");
    assert_eq!(moved["units"][0]["key"], format!("(01){GTIN}(21){tag}0008"));
    assert_eq!(group(d, None)["counts"]["in_stock"], 1);
    assert_eq!(group(d, None)["counts"]["retired"], 1);
    // From one scanned pack, the same lot.
    let again = ok(
        &mut s,
        &json!({"cmd": "recall", "scan": pack_scan(tag, 1)}).to_string(),
    );
    assert_eq!(again["data"]["counts"], d["counts"]);
    assert!(
        again["data"]["groups"][0]["units"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // An unknown lot, or nothing named, is refused with its reason.
    let a = ask(
        &mut s,
        &json!({"cmd": "recall", "gtin": GTIN, "lot": "NOPE"}).to_string(),
    );
    assert_eq!(a["code"], "UNKNOWN_UNIT", "{a}");
    let a = ask(&mut s, r#"{"cmd":"recall","gtin":"09506000134352"}"#);
    assert_eq!(a["code"], "INVALID_ARGUMENT", "{a}");

    // The whole lot on hold in one signed step (the hold command's lot scope).
    ok(
        &mut s,
        &format!(
            r#"{{"cmd":"hold","gtin":"{GTIN}","lot":"LOT42","reason":"recall","signature":{SIGN}}}"#
        ),
    );
    let r = ok(
        &mut s,
        &json!({"cmd": "recall", "gtin": GTIN, "lot": "LOT42"}).to_string(),
    );
    assert_eq!(r["data"]["lot_on_hold"], true);
    assert_eq!(r["data"]["counts"]["on_hold"], 17);
    assert_eq!(r["data"]["counts"]["retired"], 1);

    // CSV and PDF from the command line.
    drop(s);
    let out_dir = tempfile::tempdir().unwrap();
    let (csv, pdf) = (out_dir.path().join("r.csv"), out_dir.path().join("r.pdf"));
    let out = std::process::Command::new(BIN)
        .args([
            "report", "recall", "--gtin", GTIN, "--lot", "LOT42", "--csv",
        ])
        .arg(&csv)
        .arg("--pdf")
        .arg(&pdf)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 19, "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("{tag}0009")) && l.contains(",retired,decommissioned,")),
        "{text}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if let Ok(t) = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let t = String::from_utf8_lossy(&t.stdout);
        assert!(
            t.contains("Recall report") && t.contains("Containers to pull (4)"),
            "{t}"
        );
    }
}

#[test]
fn trace_shows_the_tree_and_every_move() {
    let dir = tempfile::tempdir().unwrap();
    let (tag, base) = ("RC000002", 810_000);
    let mut s = lot_over_pallets(dir.path(), tag, base);
    let moved_key = format!("(01){GTIN}(21){tag}0008");
    let r = ok(
        &mut s,
        &json!({"cmd": "trace", "scan": pack_scan(tag, 8)}).to_string(),
    );
    let d = &r["data"];
    assert_eq!(d["scanned"], moved_key);
    let new_case = format!("(00){}", sscc(base + 10));
    assert_eq!(d["root"]["key"], new_case);
    assert_eq!(d["path_up"], json!([new_case]));
    let node = &d["root"]["children"][0];
    assert_eq!(node["key"], moved_key.as_str());
    let history = node["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["user"], "pat");
    assert_eq!(
        last["from"],
        format!("(00){}", sscc(base + 2)),
        "{history:?}"
    );
    assert_eq!(last["to"], new_case, "{history:?}");
    assert!(
        last["local_time"].as_str().unwrap().ends_with("UTC")
            || last["local_time"].as_str().unwrap().contains('+')
    );
    // A pack of pallet 1: the pallet, two cases of three.
    let r = ok(
        &mut s,
        &json!({"cmd": "trace", "scan": pack_scan(tag, 1)}).to_string(),
    );
    let root = &r["data"]["root"];
    assert_eq!(root["key"], format!("(00){}", sscc(base + 1000)));
    let cases = root["children"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert!(
        cases
            .iter()
            .all(|c| c["children"].as_array().unwrap().len() == 3)
    );
    // The held case: its hold with the supervisor's signature in its history.
    let r = ok(
        &mut s,
        &json!({"cmd": "trace", "scan": format!("(00){}", sscc(base + 3))}).to_string(),
    );
    let held = r["data"]["root"]["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == format!("(00){}", sscc(base + 3)))
        .unwrap()
        .clone();
    assert_eq!(held["held"], true);
    let packs = held["children"].as_array().unwrap();
    assert!(packs.iter().all(|p| p["held"] == true));
    let hold_step = packs[0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["command"] == "hold")
        .expect("the hold in the pack's history");
    assert_eq!(
        hold_step["signature"],
        "Sam Supervisor (sup): approve hold (quarantine)"
    );
    // An unknown unit is refused.
    let a = ask(
        &mut s,
        &json!({"cmd": "trace", "scan": pack_scan(tag, 99)}).to_string(),
    );
    assert_eq!(a["code"], "UNKNOWN_UNIT");
    // The PDF from the command line.
    drop(s);
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("t.pdf");
    let out = std::process::Command::new(BIN)
        .args(["report", "trace", "--scan", &pack_scan(tag, 8), "--out"])
        .arg(&pdf)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    if let Ok(t) = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let t = String::from_utf8_lossy(&t.stdout);
        assert!(
            t.contains("Trace report") && t.contains(&format!("{tag}0008")),
            "{t}"
        );
    }
}
