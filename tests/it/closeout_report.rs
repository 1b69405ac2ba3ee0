//! The close-out report (PDF) for the batch record: valid for poppler's `pdftotext` and
//! `pdfinfo`, with every part the batch record needs, paginated with "Page i of n"; names
//! outside the standard fonts' Latin-1 printed as `?`; and `packbench report closeout` from
//! the command line, for a closed order, an open one (a draft) and an unknown one.

use crate::harness::station::{BIN, trained_station};
use packbench::station::{Request, Station};
use packbench::ui::demo;
use serde_json::{Value, json};
use std::path::Path;

fn ok(station: &mut Station, request: Value) -> Value {
    let shown = request.to_string();
    let req: Request = serde_json::from_value(request).unwrap();
    let answer = serde_json::to_value(station.execute(req)).unwrap();
    assert_eq!(answer["ok"], true, "{shown} refused: {answer}");
    answer
}

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdf_pages(path: &Path) -> usize {
    let out = std::process::Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && !String::from_utf8_lossy(&out.stderr).contains("Error"),
        "{info} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count: {info}"))
}

/// The training order with a full case, a short case signed by a supervisor whose name is
/// not Latin-1, and the order closed with its 977 leftovers decommissioned.
fn closed_training_order(dir: &Path) -> Station {
    let mut st = trained_station(dir);
    ok(
        &mut st,
        json!({"cmd":"create_user","user":"minh","full_name":"Nguyễn Văn Minh","role":"supervisor","password":"minh-pass-1"}),
    );
    ok(&mut st, json!({"cmd":"scan","data":demo::case_sscc(1)}));
    for n in 1..=20 {
        ok(&mut st, json!({"cmd":"scan","data":demo::pack_scan(n)}));
    }
    ok(&mut st, json!({"cmd":"scan","data":demo::case_sscc(2)}));
    for n in 21..=23 {
        ok(&mut st, json!({"cmd":"scan","data":demo::pack_scan(n)}));
    }
    ok(
        &mut st,
        json!({"cmd":"close","signature":{"user":"minh","password":"minh-pass-1","reason":"end of shift"}}),
    );
    ok(
        &mut st,
        json!({"cmd":"close_work_order","decommission_leftovers":true,"signature":{"user":"minh","password":"minh-pass-1","reason":"batch complete"}}),
    );
    st
}

#[test]
fn the_close_out_report_is_a_valid_paginated_pdf_with_the_batch_record() {
    let dir = tempfile::tempdir().unwrap();
    let st = closed_training_order(dir.path());
    let closeout = st.closeout(demo::WORK_ORDER).unwrap();
    let generated = 1_795_600_800_000; // 2026-11-25T10:00:00Z
    let pdf = packbench::report::closeout::render(&closeout, generated);
    let file = dir.path().join("closeout.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let pages = pdf_pages(&file);
    assert!(pages >= 5, "977 leftovers run over several pages: {pages}");
    let text = pdf_text(&file);
    // Columns and wrapped lines: compare with every run of white space as one space.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Work order close-out report",
        "CLOSED on",
        "TRAINING-001",
        "Demo 20 mg tablets (GTIN 09506000134352)",
        "TRAIN01",
        "301231 (2030-12-31)",
        "case:20,pallet:4",
        demo::READ_POINT,
        "Generated",
        "2026-11-25 10:00:00 UTC",
        "Serials on the serial list",
        "1000 = 23 + 977 + 0 + 0 + 0 + 0 + 0 (adds up)",
        "Totals per level",
        "(00)095060000000000015",
        "(00)095060000000000022",
        "3/20",
        "Short containers (closed below capacity)",
        "signed by Nguy?n V?n Minh (minh)",
        "approve short case",
        "end of shift",
        "Leftover serials decommissioned at the close (977)",
        "(01)09506000134352(21)TR00024",
        "(01)09506000134352(21)TR01000",
        "close work order TRAINING-001 and decommission its 977 leftover serial(s)",
        "batch complete",
        "Logged in",
        "Page 1 of",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    // Every page carries its number once.
    assert_eq!(text.matches(&format!(" of {pages}")).count(), pages);
}

#[test]
fn report_closeout_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    {
        // An open order first: the report is a draft.
        let mut st = trained_station(dir.path());
        ok(&mut st, json!({"cmd":"scan","data":demo::case_sscc(1)}));
        ok(&mut st, json!({"cmd":"scan","data":demo::pack_scan(1)}));
    }
    let run = |order: &str, out: &Path| {
        std::process::Command::new(BIN)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["report", "closeout", "--work-order", order, "--out"])
            .arg(out)
            .output()
            .unwrap()
    };
    let draft = dir.path().join("draft.pdf");
    let out = run(demo::WORK_ORDER, &draft);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["ok"], true, "{line}");
    assert_eq!(line["status"], "open");
    let text = pdf_text(&draft);
    assert!(text.contains("OPEN - draft"), "{text}");
    assert!(
        text.contains("Open or suspended containers (the order cannot close)"),
        "{text}"
    );
    assert!(text.contains("Not closed: no signature"), "{text}");
    assert!(
        text.contains("Leftover serials: active in no container (999)"),
        "{text}"
    );

    let missing = dir.path().join("missing.pdf");
    let out = run("NO-SUCH-ORDER", &missing);
    assert_eq!(out.status.code(), Some(1));
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["code"], "UNKNOWN_WORK_ORDER", "{line}");
    assert!(!missing.exists());
}
