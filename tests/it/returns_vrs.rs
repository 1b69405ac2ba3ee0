//! The returns desk (issue 18) against verification services: the real open-source
//! `quartet-vrs` responder that `scripts/qu4rtet` installs beside QU4RTET (it answers from
//! QU4RTET's commissioning events), and a small responder of our own on 127.0.0.1 for what
//! the real one cannot be made to do (fail, answer late, answer wrongly).
//!
//! The packs are commissioned in QU4RTET (with lot and expiry in the ILMD) as the line does;
//! the station packs them, then checks them as returns: a good pack, a wrong lot, a wrong
//! expiry, an unknown GTIN, a decommissioned pack, a returned case.

use crate::harness::qu4rtet;
use crate::harness::station::{SETUP, sscc};
use crate::harness::vrs::{Fault, RESPONDER_GLN, Responder};
use packbench::domain::ExpFormat;
use packbench::station::{Request, Station};
use packbench::sync::{Auth, Http, VrsConfig, VrsLink};
use serde_json::{Value, json};
use std::path::Path;

const GTIN: &str = "09506000134352";
const SIGN: &str = r#"{"user":"sup","password":"sup-pass-1"}"#;

fn seed() -> u64 {
    let seed = std::env::var("PACKBENCH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("returns_vrs: PACKBENCH_TEST_SEED={seed}");
    seed
}

fn ask(station: &mut Station, line: &str) -> Value {
    let req: Request = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    serde_json::to_value(station.execute(req)).unwrap()
}

fn ok(station: &mut Station, line: &str) -> Value {
    let a = ask(station, line);
    assert_eq!(a["ok"], true, "{line}: {a}");
    a
}

fn verify(station: &mut Station, scan: &str) -> Value {
    ask(
        station,
        &json!({"cmd": "verify_return", "scan": scan}).to_string(),
    )
}

fn pack(tag: &str, n: u32, lot: &str, exp: &str) -> String {
    format!("(01){GTIN}(17){exp}(10){lot}(21){tag}{n:04}")
}

/// A station with the standard set-up, packer logged in; `cases` cases of three packs each
/// (`tag` 1..), case SSCC serial references from `base`.
fn station(dir: &Path, tag: &str, base: u64, cases: u32) -> Station {
    let mut s = Station::open(dir).unwrap();
    for line in SETUP.lines() {
        ok(&mut s, line);
    }
    for c in 0..cases {
        ok(
            &mut s,
            &json!({"cmd": "scan", "data": format!("(00){}", sscc(base + u64::from(c)))})
                .to_string(),
        );
        for n in 1..=3 {
            ok(
                &mut s,
                &json!({"cmd": "scan", "data": pack(tag, c * 3 + n, "LOT42", "271231")})
                    .to_string(),
            );
        }
    }
    s
}

fn check(answer: &Value, i: usize) -> &Value {
    &answer["data"]["checks"][i]
}

fn db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(packbench::store::DB_FILE_NAME)).unwrap()
}

/// What the station recorded of a failed verification's hold: (placed_by, signature_id,
/// reason, comment).
fn hold_of(dir: &Path, key: &str) -> Option<(String, Option<i64>, String, String)> {
    db(dir)
        .query_row(
            "SELECT placed_by, signature_id, reason, comment FROM holds WHERE unit_key = ?1 AND released_ms IS NULL",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok()
}

/// The line commissions packs in QU4RTET with lot LOT42 and expiry 2027-12-31 in the ILMD.
fn commission_in_qu4rtet(http: &Http, epcs: &[String]) {
    let t = "2026-11-01T08:00:00Z";
    let list: String = epcs.iter().map(|e| format!("<epc>{e}</epc>")).collect();
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="1.2" creationDate="{t}">
<EPCISBody><EventList><ObjectEvent>
<eventTime>{t}</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
<epcList>{list}</epcList><action>ADD</action>
<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
<disposition>urn:epcglobal:cbv:disp:active</disposition>
<extension><ilmd><cbvmda:lotNumber>LOT42</cbvmda:lotNumber><cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></extension>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"#
    );
    let r = http
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

/// The manufacturer's master data in QU4RTET: its company (prefix 9506000) and the trade item
/// of the test GTIN (kept when an earlier run made it).
fn trade_item_in_qu4rtet(url: &str) {
    let admin = Http::new(&qu4rtet::admin_config(url)).unwrap();
    let listed = admin
        .send(
            "GET",
            &format!("/masterdata/trade-items/?format=json&search={GTIN}"),
            &[],
            None,
        )
        .unwrap();
    if listed.body.contains(GTIN) {
        return;
    }
    let company = admin
        .send(
            "POST",
            "/masterdata/companies/?format=json",
            &[("Content-Type", "application/json")],
            Some(
                json!({"name": "Returns test manufacturer", "gs1_company_prefix": "9506000", "GLN13": RESPONDER_GLN})
                    .to_string()
                    .as_bytes(),
            ),
        )
        .unwrap();
    assert_eq!(company.status, 201, "{}", company.body);
    let id = serde_json::from_str::<Value>(&company.body).unwrap()["id"].clone();
    let item = admin
        .send(
            "POST",
            "/masterdata/trade-items/?format=json",
            &[("Content-Type", "application/json")],
            Some(
                json!({"GTIN14": GTIN, "company": id, "regulated_product_name": "Demo 20 mg tablets"})
                    .to_string()
                    .as_bytes(),
            ),
        )
        .unwrap();
    assert!(
        item.status == 201 || item.body.contains("already exists"),
        "{} {}",
        item.status,
        item.body
    );
}

#[test]
fn returns_are_verified_by_quartet_vrs_from_qu4rtet_events() {
    let Some(config) = qu4rtet::config() else {
        return;
    };
    let url = config.url.clone();
    let vrs_url = std::env::var("QU4RTET_VRS_URL").unwrap_or_else(|_| format!("{url}/vrs"));
    let req_gln =
        std::env::var("QU4RTET_VRS_REQ_GLN").unwrap_or_else(|_| "0614141000005".to_owned());
    let seed = seed();
    let tag = format!("R{:07}", seed % 10_000_000);
    let base = 200_000 + (seed / 11) % 700_000_000;
    trade_item_in_qu4rtet(&url);
    let epcs: Vec<String> = (1..=6)
        .map(|n| format!("urn:epc:id:sgtin:9506000.013435.{tag}{n:04}"))
        .collect();
    commission_in_qu4rtet(&Http::new(&config).unwrap(), &epcs);

    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path(), &tag, base, 2);
    // A second product the manufacturer's responder has never heard of.
    ok(
        &mut s,
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#,
    );
    ok(
        &mut s,
        r#"{"cmd":"add_product","gtin":"09506000134369","name":"Other 10 mg","company_prefix_length":7}"#,
    );
    ok(
        &mut s,
        r#"{"cmd":"create_work_order","id":"WO-2","gtin":"09506000134369","lot":"LOT7","expiry":"271231","levels":[{"level":"case","capacity":3}]}"#,
    );
    ok(
        &mut s,
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#,
    );
    ok(&mut s, r#"{"cmd":"select_work_order","id":"WO-2"}"#);
    ok(
        &mut s,
        &json!({"cmd": "scan", "data": format!("(00){}", sscc(base + 50))}).to_string(),
    );
    let other = format!("(01)09506000134369(17)271231(10)LOT7(21){tag}9001");
    ok(&mut s, &json!({"cmd": "scan", "data": other}).to_string());
    // Pack 6 is decommissioned here (signed).
    ok(
        &mut s,
        &json!({"cmd": "retire", "scan": pack(&tag, 6, "LOT42", "271231"), "kind": "decommission",
                "reason": "damaged", "signature": serde_json::from_str::<Value>(SIGN).unwrap()})
        .to_string(),
    );

    // quartet-vrs 2.0.3 compares exp with the commissioning date written YYYYMMDD: a request
    // in the standard's YYMMDD never matches (this is why `exp_format` exists).
    let mut standard = VrsConfig::new(
        &vrs_url,
        &req_gln,
        Auth::Token {
            token: qu4rtet::token(),
        },
    );
    standard.timeout_ms = 60_000;
    s.set_verification_link(Some(Box::new(VrsLink::new(&standard).unwrap())));
    let a = verify(&mut s, &pack(&tag, 5, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_NOT_VERIFIED", "{a}");
    assert_eq!(
        check(&a, 0)["failure_reason"],
        "No_match_GTIN_Serial_Expiry"
    );

    let mut cfg = standard.clone();
    cfg.exp_format = ExpFormat::Yyyymmdd;
    s.set_verification_link(Some(Box::new(VrsLink::new(&cfg).unwrap())));

    // A good pack.
    let good = pack(&tag, 1, "LOT42", "271231");
    let a = verify(&mut s, &good);
    assert_eq!(a["code"], "RETURN_VERIFIED", "{a}");
    let c = check(&a, 0);
    assert_eq!(c["verified"], true);
    assert_eq!(c["responder_gln"], "9506000000015");
    assert!(
        c["request_url"].as_str().unwrap().contains("exp=20271231"),
        "{c}"
    );
    assert!(
        c["request_url"]
            .as_str()
            .unwrap()
            .contains(&format!("reqGLN={req_gln}")),
        "{c}"
    );
    assert_eq!(
        hold_of(dir.path(), &format!("(01){GTIN}(21){tag}0001")),
        None
    );

    // A wrong lot: not verified, the pack goes on hold, recorded with the returns user.
    let a = verify(&mut s, &pack(&tag, 2, "LOT43", "271231"));
    assert_eq!(a["code"], "RETURN_NOT_VERIFIED", "{a}");
    assert_eq!(check(&a, 0)["failure_reason"], "No_match_GTIN_Serial_Lot");
    let (by, signature, reason, comment) =
        hold_of(dir.path(), &format!("(01){GTIN}(21){tag}0002")).expect("a hold");
    assert_eq!(
        (by.as_str(), signature, reason.as_str()),
        ("pat", None, "suspect_product")
    );
    assert!(comment.contains("No_match_GTIN_Serial_Lot"), "{comment}");
    assert!(comment.contains(check(&a, 0)["corr_uuid"].as_str().unwrap()));

    // A wrong expiry.
    let a = verify(&mut s, &pack(&tag, 3, "LOT42", "271130"));
    assert_eq!(a["code"], "RETURN_NOT_VERIFIED", "{a}");
    assert_eq!(
        check(&a, 0)["failure_reason"],
        "No_match_GTIN_Serial_Expiry"
    );

    // A GTIN the responder does not know (quartet-vrs leaves responderGLN empty then).
    let a = verify(&mut s, &other);
    assert_eq!(a["code"], "RETURN_NOT_VERIFIED", "{a}");
    assert_eq!(check(&a, 0)["failure_reason"], "GTIN_not_found");
    assert!(check(&a, 0)["responder_gln"].is_null());

    // A decommissioned pack is caught here: no request leaves.
    let before = db(dir.path())
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'vrs_request'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    let a = verify(&mut s, &pack(&tag, 6, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_INACTIVE", "{a}");
    assert_eq!(check(&a, 0)["local_reason"], "inactive:decommissioned");
    assert!(check(&a, 0)["request_url"].is_null());

    // A returned case: every pack in it (1 verified, 2 and 3 held here since their checks).
    let a = verify(&mut s, &format!("(00){}", sscc(base)));
    assert_eq!(a["data"]["checks"].as_array().unwrap().len(), 3, "{a}");
    assert_eq!(check(&a, 0)["code"], "RETURN_VERIFIED");
    assert_eq!(check(&a, 1)["code"], "RETURN_ON_HOLD");
    assert_eq!(check(&a, 2)["code"], "RETURN_ON_HOLD");
    assert_eq!(a["data"]["returned_in"], format!("(00){}", sscc(base)));

    // Every request and answer is stored and audited; the returns file lists every check.
    let conn = db(dir.path());
    let (rows, answered): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(answer) FROM return_checks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, answered), (9, 6));
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'vrs_request'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        audited,
        before + 1,
        "one request for the case's one unheld pack"
    );
    let out = std::process::Command::new(crate::harness::station::BIN)
        .args(["returns", "export", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count(), 10, "{csv}");
    assert!(csv.contains("No_match_GTIN_Serial_Lot") && csv.contains("GTIN_not_found"));
    // The station's own audit chain still verifies with the unsigned holds in it.
    drop(s);
    let verify_out = std::process::Command::new(crate::harness::station::BIN)
        .args(["audit", "verify", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(verify_out.status.success(), "{verify_out:?}");
}

fn own_station(tag: &str, base: u64) -> (tempfile::TempDir, Station, Responder) {
    let dir = tempfile::tempdir().unwrap();
    let s = station(dir.path(), tag, base, 1);
    let vrs = Responder::start();
    for n in 1..=3 {
        vrs.knows(GTIN, &format!("{tag}{n:04}"), "LOT42", "271231");
    }
    (dir, s, vrs)
}

fn link(s: &mut Station, vrs: &Responder, retries: u32) {
    let mut cfg = VrsConfig::new(
        &vrs.url,
        "0614141000005",
        Auth::Bearer {
            token: "returns-secret-token".into(),
        },
    );
    cfg.retries = retries;
    cfg.backoff_ms = 5;
    cfg.timeout_ms = 5_000;
    s.set_verification_link(Some(Box::new(VrsLink::new(&cfg).unwrap())));
}

#[test]
fn a_responder_of_our_own_verifies_and_refuses() {
    let (dir, mut s, vrs) = own_station("V0000001", 300_000);
    link(&mut s, &vrs, 2);
    let a = verify(&mut s, &pack("V0000001", 1, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_VERIFIED", "{a}");
    let a = verify(&mut s, &pack("V0000001", 2, "LOT42", "280131"));
    assert_eq!(a["code"], "RETURN_NOT_VERIFIED", "{a}");
    assert_eq!(
        check(&a, 0)["failure_reason"],
        "No_match_GTIN_Serial_Expiry"
    );
    assert!(hold_of(dir.path(), "(01)09506000134352(21)V00000010002").is_some());
    // The request is the standard's, with exp YYMMDD and a fresh corrUUID each.
    let paths = vrs.requests();
    assert!(paths[0].starts_with(&format!(
        "/verify/gtin/{GTIN}/lot/LOT42/ser/V00000010001?exp=271231&linkType=verificationService&context=dscsaSaleableReturn&reqGLN=0614141000005&corrUUID="
    )), "{paths:?}");
    assert_ne!(
        paths[0].split("corrUUID=").nth(1),
        paths[1].split("corrUUID=").nth(1)
    );
    // Unknown locally: caught here, nothing asked.
    let a = verify(&mut s, &pack("V0000001", 9, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_UNKNOWN", "{a}");
    assert_eq!(vrs.requests().len(), 2);
}

#[test]
fn transient_failures_are_retried_then_queued_and_nothing_is_invented() {
    let (dir, mut s, vrs) = own_station("V0000002", 310_000);
    link(&mut s, &vrs, 2);
    // Two 503s, then an answer: retried within the request.
    vrs.faults(&[Fault::Unavailable, Fault::Unavailable]);
    let a = verify(&mut s, &pack("V0000002", 1, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_VERIFIED", "{a}");
    assert_eq!(check(&a, 0)["attempts"], 1);
    // Three 503s: every attempt fails, the check is queued, no verdict is made up.
    vrs.faults(&[Fault::Unavailable; 3]);
    let a = verify(&mut s, &pack("V0000002", 2, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_QUEUED", "{a}");
    assert!(check(&a, 0)["verified"].is_null());
    assert!(hold_of(dir.path(), "(01)09506000134352(21)V00000020002").is_none());
    let corr = check(&a, 0)["corr_uuid"].as_str().unwrap().to_owned();
    // A wrong corrUUID and a garbage body: refused as unreadable, the check kept for a retry.
    vrs.faults(&[Fault::WrongCorrelation]);
    let a = verify(&mut s, &pack("V0000002", 3, "LOT42", "271231"));
    assert_eq!(a["code"], "VRS_BAD_ANSWER", "{a}");
    assert!(
        check(&a, 0)["last_error"]
            .as_str()
            .unwrap()
            .contains("corrUUID"),
        "{a}"
    );
    // A body that is not JSON: refused the same way, the body kept.
    vrs.faults(&[Fault::Garbage]);
    let a = verify(&mut s, &pack("V0000002", 1, "LOT42", "271231"));
    assert_eq!(a["code"], "VRS_BAD_ANSWER", "{a}");
    assert_eq!(check(&a, 0)["answer"], "<html>oops</html>");
    // The service is back: the retry answers all three, with the corrUUIDs they had.
    let a = ok(&mut s, r#"{"cmd":"returns_retry"}"#);
    assert_eq!(a["data"]["checks"].as_array().unwrap().len(), 3, "{a}");
    assert_eq!(check(&a, 0)["corr_uuid"], corr.as_str());
    for i in 0..3 {
        assert_eq!(check(&a, i)["code"], "RETURN_VERIFIED", "{a}");
    }
    assert_eq!(a["data"]["left"], 0);
    // The service unreachable altogether (nothing listens there): queued, then retried later.
    let mut cfg = VrsConfig::new("http://127.0.0.1:9", "0614141000005", Auth::None);
    cfg.retries = 1;
    cfg.backoff_ms = 1;
    s.set_verification_link(Some(Box::new(VrsLink::new(&cfg).unwrap())));
    let a = verify(&mut s, &pack("V0000002", 1, "LOT42", "271231"));
    assert_eq!(a["code"], "RETURN_QUEUED", "{a}");
    // Secrets never reach the record.
    let all: String = db(dir.path())
        .query_row(
            "SELECT group_concat(coalesce(request_url,'') || coalesce(answer,'') || coalesce(last_error,''), '|') FROM return_checks",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!all.contains("returns-secret-token"));
}

#[test]
fn verification_needs_a_service_and_a_full_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = station(dir.path(), "V0000003", 320_000, 1);
    let a = verify(&mut s, &pack("V0000003", 1, "LOT42", "271231"));
    assert_eq!(a["code"], "VRS_NOT_CONFIGURED", "{a}");
    let vrs = Responder::start();
    link(&mut s, &vrs, 0);
    // The station's record fills in what a short scan lacks (lot and expiry of the pack).
    vrs.knows(GTIN, "V00000030001", "LOT42", "271231");
    let a = verify(&mut s, &format!("(01){GTIN}(21)V00000030001"));
    assert_eq!(a["code"], "RETURN_VERIFIED", "{a}");
    // Returns mode: a plain scan is a returns check.
    ok(&mut s, r#"{"cmd":"mode","mode":"returns"}"#);
    let a = ask(
        &mut s,
        &json!({"cmd": "scan", "data": pack("V0000003", 1, "LOT42", "271231")}).to_string(),
    );
    assert_eq!(a["code"], "RETURN_VERIFIED", "{a}");
    let list = ok(&mut s, r#"{"cmd":"returns"}"#);
    // The refused first try recorded nothing; the two answered checks are listed.
    assert_eq!(list["data"]["checks"].as_array().unwrap().len(), 2);
}
