//! Runs every case of our GS1 test data (`tests/data/gs1/cases.tsv` and
//! `dl_cases.tsv`), read at test time: expected verdict, reason code and canonical form.

use packbench::gs1::{Gs1Message, ParseOptions, parse};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gs1/cases.tsv");
const DL_CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gs1/dl_cases.tsv");

/// Rows of a TSV file as maps from column name to value.
fn rows(path: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| ((*h).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// Checks one parse result against the expected verdict; returns a failure description.
fn check(
    id: &str,
    form: &str,
    result: Result<Gs1Message, packbench::gs1::Gs1Error>,
    expected: &str,
    reason: &str,
    canonical: &str,
) -> Option<String> {
    match (expected, result) {
        ("valid", Ok(msg)) => {
            if msg.hri() != canonical {
                return Some(format!("{id} {form}: hri {} != {canonical}", msg.hri()));
            }
            let warning_codes: Vec<&str> = msg.warnings().iter().map(|w| w.code()).collect();
            let ok = match reason {
                "OK" => warning_codes.is_empty(),
                other => warning_codes.contains(&other),
            };
            if !ok {
                return Some(format!(
                    "{id} {form}: reason {reason}, warnings {warning_codes:?}"
                ));
            }
            // The canonical forms parse back to the same elements.
            let again = parse(&msg.raw(), &ParseOptions::default());
            if again.as_ref().map(|m| &m.elements) != Ok(&msg.elements) {
                return Some(format!(
                    "{id} {form}: raw {:?} does not round-trip",
                    msg.raw()
                ));
            }
            let again = parse(&msg.hri(), &ParseOptions::default());
            if again.as_ref().map(|m| &m.elements) != Ok(&msg.elements) {
                return Some(format!("{id} {form}: hri does not round-trip"));
            }
            None
        }
        ("invalid", Err(e)) if e.code() == reason => {
            assert!(!e.to_string().is_empty());
            None
        }
        (_, Ok(msg)) => Some(format!(
            "{id} {form}: expected {reason}, got valid {}",
            msg.hri()
        )),
        (_, Err(e)) => Some(format!(
            "{id} {form}: expected {expected} {reason}, got {} ({e})",
            e.code()
        )),
    }
}

#[test]
fn every_case_of_cases_tsv() {
    let rows = rows(CASES);
    assert!(rows.len() >= 86, "cases.tsv has {} rows", rows.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in &rows {
        let (id, expected, reason) = (&row["id"], &row["expected"], &row["reason_code"]);
        let canonical = &row["canonical_hri"];
        let bracketed = &row["bracketed"];
        if bracketed != "-" {
            // v31 (missing GS) exists only as raw data; its bracketed form is unambiguous.
            let reason = if reason == "OK_BUT_MEANING_CHANGED" {
                "OK"
            } else {
                reason
            };
            let result = parse(bracketed, &ParseOptions::default());
            failures.extend(check(id, "bracketed", result, expected, reason, canonical));
            checked += 1;
        }
        let raw = &row["raw"];
        if raw != "-" {
            // Real GS bytes, and the 4-character escape as typed: both mean GS.
            let with_gs = raw.replace("\\x1d", "\u{1d}");
            let result = parse(&with_gs, &ParseOptions::default());
            failures.extend(check(id, "raw", result, expected, reason, canonical));
            let result = parse(raw, &ParseOptions::default());
            failures.extend(check(
                id,
                "raw-escaped",
                result,
                expected,
                reason,
                canonical,
            ));
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 140, "only {checked} forms checked");
}

#[test]
fn missing_separator_row_is_valid_with_a_warning() {
    let row = rows(CASES)
        .into_iter()
        .find(|r| r["reason_code"] == "OK_BUT_MEANING_CHANGED")
        .expect("the OK_BUT_MEANING_CHANGED row");
    let msg = parse(&row["raw"], &ParseOptions::default()).expect("valid");
    assert_eq!(msg.hri(), row["canonical_hri"]);
    assert_eq!(msg.serial(), None, "the serial is swallowed into the lot");
    let warning = &msg.warnings()[0];
    assert_eq!(warning.code(), "OK_BUT_MEANING_CHANGED");
    assert!(warning.to_string().contains("(21)SN0001"), "{warning}");
}

#[test]
fn every_case_of_dl_cases_tsv() {
    let rows = rows(DL_CASES);
    assert!(rows.len() >= 23, "dl_cases.tsv has {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let (id, uri, expected, reason) = (
            &row["id"],
            &row["uri"],
            &row["expected"],
            &row["reason_code"],
        );
        let result = parse(uri, &ParseOptions::default());
        if let (Ok(msg), "valid") = (&result, expected.as_str()) {
            // Converting back gives a URI that parses to the same elements.
            let back = msg.digital_link("https://id.gs1.org").expect("a DL URI");
            let again = parse(&back, &ParseOptions::default()).expect("round trip");
            if again.elements != msg.elements {
                failures.push(format!("{id}: {back} does not round-trip"));
            }
        }
        failures.extend(check(
            id,
            "dl",
            result,
            expected,
            reason,
            &row["equivalent_bracketed"],
        ));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
