//! Issue 15, the supervisor view's data: every refused scan or command is recorded (who, when,
//! mode, command, reason, what was scanned — bounded, without the command's secrets), also a
//! malformed protocol line and a refusal the screen made itself; `shift_summary` answers, for
//! a window of whole local hours, the packs, cases and pallets completed per hour (undone work
//! not counted), the refusals by reason, the open alerts, the containers put aside and on hold,
//! and the sync backlog. A refusal is still answered when the database cannot be written.
//!
//! A real data directory, seeded through the protocol with a clock the test moves across
//! hours; the expected figures are counted from what was seeded.

use crate::harness::station::{SETUP, chmod, pack_scan, sscc};
use packbench::station::{MAX_SCAN_CHARS, ShiftSummary, Station};
use packbench::store::{DB_FILE_NAME, Store};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const HOUR: i64 = 3_600_000;
/// 2026-11-25T06:46:00Z: each hour's work is done between :46 and :50 and the summary read at
/// :55, so the current local hour holds the last hour's work in every time zone (offsets of
/// whole, half and quarter hours).
const T0: i64 = 1_795_585_560_000;

/// A station of `dir` on a clock the test sets (each reading one second later).
fn station(dir: &Path, clock: &Arc<AtomicI64>) -> Station {
    let t = Arc::clone(clock);
    Station::with_clock(
        Store::open_dir(dir).unwrap(),
        Box::new(move || t.fetch_add(1000, Ordering::SeqCst) + 1000),
    )
    .unwrap()
}

/// One protocol line, answered as the headless station answers it.
fn ask(station: &mut Station, line: &str) -> Value {
    let answer = packbench::cli::station::answer(
        station,
        packbench::cli::station::Line::Text(line.as_bytes().to_vec()),
    )
    .unwrap();
    serde_json::to_value(answer).unwrap()
}

fn ok(station: &mut Station, line: &str) -> Value {
    let a = ask(station, line);
    assert_eq!(a["ok"], true, "{line}: {a}");
    a
}

fn scan(data: &str) -> String {
    serde_json::json!({"cmd": "scan", "data": data}).to_string()
}

/// Every refusal row: (username, mode, command, source, code, scan, detail).
type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn refusal_rows(dir: &Path) -> Vec<Row> {
    let store = Store::open_dir(dir).unwrap();
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare(
            "SELECT username, mode, command, source, code, scan, detail FROM refusals ORDER BY id",
        )
        .unwrap();
    st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The hour of `summary` holding `t`.
fn hour_of(summary: &ShiftSummary, t: i64) -> &packbench::station::HourCount {
    summary
        .hours
        .iter()
        .find(|h| h.start_ms <= t && t < h.start_ms + HOUR)
        .unwrap_or_else(|| panic!("no hour holds {t}: {summary:?}"))
}

#[test]
fn the_shift_summary_counts_what_the_shift_did() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(AtomicI64::new(T0));
    let mut s = station(dir.path(), &clock);
    for line in SETUP.lines() {
        ok(&mut s, line);
    }
    // A serial list, so that an unknown serial is a counterfeit alert.
    ok(
        &mut s,
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#,
    );
    let listed: Vec<String> = (1..=20).map(|n| format!("SH{n:04}")).collect();
    ok(
        &mut s,
        &serde_json::json!({"cmd": "import_serials", "work_order": "WO-1", "serials": listed})
            .to_string(),
    );
    ok(
        &mut s,
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#,
    );
    ok(&mut s, r#"{"cmd":"select_work_order","id":"WO-1"}"#);

    // First hour: case 1 filled (3 packs, it closes), and refusals.
    clock.store(T0 + HOUR, Ordering::SeqCst);
    let first = clock.load(Ordering::SeqCst);
    ok(&mut s, &scan(&format!("(00){}", sscc(1))));
    for n in 1..=2 {
        ok(&mut s, &scan(&pack_scan("SH", n)));
    }
    let wrong = "(01)09506000134369(17)271231(10)LOT42(21)SH0099";
    assert_eq!(ask(&mut s, &scan(wrong))["code"], "WRONG_PRODUCT");
    let cut = &pack_scan("SH", 4)[24..];
    assert_eq!(ask(&mut s, &scan(cut))["code"], "INVALID_SCAN");
    let long = format!("(01)09506000134352(21){}", "X".repeat(400));
    assert_eq!(ask(&mut s, &scan(&long))["code"], "INVALID_SCAN");
    // A counterfeit alert.
    let alert = ask(&mut s, &scan(&pack_scan("ZZ", 1)));
    assert_eq!(alert["code"], "UNKNOWN_SERIAL", "{alert}");
    let full = ok(&mut s, &scan(&pack_scan("SH", 3)));
    assert_eq!(full["closed"], true, "{full}");
    // A packer may not see the shift summary.
    assert_eq!(
        ask(&mut s, r#"{"cmd":"shift_summary"}"#)["code"],
        "NOT_AUTHORIZED"
    );
    // A malformed line, and a refusal the screen made itself.
    assert_eq!(ask(&mut s, r#"{"cmd":"scan"}"#)["code"], "BAD_REQUEST");
    ok(
        &mut s,
        r#"{"cmd":"record_refusal","code":"NOT_A_UNIT","scan":"(01)09506000134352","detail":"no serial"}"#,
    );
    // An alert's code is the station's to raise; a warning is no refusal.
    assert_eq!(
        ask(
            &mut s,
            r#"{"cmd":"record_refusal","code":"UNKNOWN_SERIAL"}"#
        )["code"],
        "INVALID_ARGUMENT"
    );

    // Second hour: case 2 filled, a pallet of both cases closes; a pack packed and undone
    // counts for nothing; case 3 is put aside with one pack; a failed log-in.
    clock.store(T0 + 2 * HOUR, Ordering::SeqCst);
    let second = clock.load(Ordering::SeqCst);
    ok(&mut s, &scan(&format!("(00){}", sscc(2))));
    for n in 4..=6 {
        ok(&mut s, &scan(&pack_scan("SH", n)));
    }
    ok(&mut s, r#"{"cmd":"new_container","level":"pallet"}"#);
    ok(&mut s, &scan(&format!("(00){}", sscc(500))));
    ok(&mut s, &scan(&format!("(00){}", sscc(1))));
    let pallet = ok(&mut s, &scan(&format!("(00){}", sscc(2))));
    assert_eq!(pallet["closed"], true, "{pallet}");
    ok(&mut s, &scan(&format!("(00){}", sscc(3))));
    ok(&mut s, &scan(&pack_scan("SH", 7)));
    ok(&mut s, r#"{"cmd":"undo"}"#);
    ok(&mut s, &scan(&pack_scan("SH", 8)));
    ok(&mut s, r#"{"cmd":"suspend"}"#);
    assert_eq!(
        ask(
            &mut s,
            r#"{"cmd":"login","user":"pat","password":"wrong-secret-9"}"#
        )["code"],
        "BAD_CREDENTIALS"
    );
    // The supervisor holds a pack of case 1 and asks for the shift.
    ok(
        &mut s,
        r#"{"cmd":"login","user":"sup","password":"sup-pass-1"}"#,
    );
    ok(
        &mut s,
        &serde_json::json!({"cmd": "hold", "scan": pack_scan("SH", 2), "reason": "suspect_product",
            "signature": {"user": "sup", "password": "sup-pass-1"}})
        .to_string(),
    );
    clock.store(T0 + 2 * HOUR + 9 * 60_000, Ordering::SeqCst);
    let answer = ok(&mut s, r#"{"cmd":"shift_summary"}"#);
    let summary: ShiftSummary = serde_json::from_value(answer["data"].clone()).unwrap();

    // Eight whole hours, the last one holding now.
    assert_eq!(summary.hours.len(), 8, "{summary:?}");
    let now = clock.load(Ordering::SeqCst);
    assert!(
        summary.from_ms <= first && summary.until_ms > now - 2000,
        "{summary:?}"
    );
    for pair in summary.hours.windows(2) {
        assert_eq!(pair[1].start_ms - pair[0].start_ms, HOUR);
    }
    let h1 = hour_of(&summary, first).completed;
    let h2 = hour_of(&summary, second).completed;
    assert_eq!((h1.packs, h1.cases, h1.pallets), (3, 1, 0), "{summary:?}");
    // Packs 4-6 and 8 (7 was undone); case 2; the pallet.
    assert_eq!((h2.packs, h2.cases, h2.pallets), (4, 1, 1), "{summary:?}");
    assert_eq!(
        (
            summary.totals.packs,
            summary.totals.cases,
            summary.totals.pallets
        ),
        (7, 2, 1)
    );

    // Refusals by reason: as seeded.
    let by_reason: BTreeMap<&str, u64> = summary
        .refusals
        .iter()
        .map(|r| (r.code.as_str(), r.count))
        .collect();
    let expected: BTreeMap<&str, u64> = [
        ("WRONG_PRODUCT", 1),
        ("INVALID_SCAN", 2),
        ("UNKNOWN_SERIAL", 1),
        ("NOT_AUTHORIZED", 1),
        ("BAD_REQUEST", 1),
        ("NOT_A_UNIT", 1),
        ("INVALID_ARGUMENT", 1),
        ("BAD_CREDENTIALS", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_reason, expected);
    assert_eq!(summary.refusals_total, 9);
    let newest = &summary.recent_refusals[0];
    assert_eq!(
        (
            newest.code.as_str(),
            newest.user.as_str(),
            newest.command.as_str()
        ),
        ("BAD_CREDENTIALS", "pat", "login")
    );

    // What stands now.
    assert_eq!(summary.alerts.len(), 1);
    assert_eq!(summary.alerts[0].code, "UNKNOWN_SERIAL");
    assert_eq!(summary.suspended.len(), 1);
    assert_eq!(summary.suspended[0].key, format!("(00){}", sscc(3)));
    assert_eq!(summary.suspended[0].count, 1);
    assert_eq!(summary.holds.len(), 1);
    assert_eq!(summary.holds[0].reason, "suspect_product");
    let store = Store::open_dir(dir.path()).unwrap();
    let (queued, sent, parked) = packbench::store::outbox_counts(store.conn()).unwrap();
    assert!(queued > 0);
    assert_eq!(
        (summary.sync.queued, summary.sync.sent, summary.sync.parked),
        (queued, sent, parked)
    );

    // One hour only, the current one: the first hour's work and refusals are outside it.
    let last = ok(&mut s, r#"{"cmd":"shift_summary","hours":1}"#);
    let last: ShiftSummary = serde_json::from_value(last["data"].clone()).unwrap();
    assert_eq!(last.hours.len(), 1);
    assert_eq!(last.totals, h2, "{last:?}");
    assert_eq!(last.refusals_total, 1, "{last:?}");
    assert_eq!(last.refusals[0].code, "BAD_CREDENTIALS");
    assert_eq!(
        ask(&mut s, r#"{"cmd":"shift_summary","hours":0}"#)["code"],
        "INVALID_ARGUMENT"
    );

    // The rows themselves: who, which mode and command, what was scanned; bounded; no secret.
    let rows = refusal_rows(dir.path());
    let wrong_row = rows.iter().find(|r| r.4 == "WRONG_PRODUCT").unwrap();
    assert_eq!(
        (
            wrong_row.0.as_str(),
            wrong_row.1.as_str(),
            wrong_row.2.as_str(),
            wrong_row.3.as_str()
        ),
        ("pat", "pack", "scan", "station")
    );
    assert_eq!(wrong_row.5.as_deref(), Some(wrong));
    assert!(
        wrong_row
            .6
            .as_deref()
            .is_some_and(|d| d.contains("09506000134369"))
    );
    let screen = rows.iter().find(|r| r.4 == "NOT_A_UNIT").unwrap();
    assert_eq!(screen.3, "screen");
    let protocol = rows.iter().find(|r| r.4 == "BAD_REQUEST").unwrap();
    assert_eq!(
        (protocol.2.as_str(), protocol.3.as_str()),
        ("scan", "protocol")
    );
    assert_eq!(protocol.5, None, "a malformed line's text is not kept");
    let cut_row = rows
        .iter()
        .find(|r| r.5.as_deref().is_some_and(|s| s.ends_with('…')))
        .unwrap();
    assert_eq!(cut_row.5.as_ref().unwrap().chars().count(), MAX_SCAN_CHARS);
    let bytes = std::fs::read(dir.path().join(DB_FILE_NAME)).unwrap();
    let wal = std::fs::read(dir.path().join(format!("{DB_FILE_NAME}-wal"))).unwrap_or_default();
    for file in [&bytes, &wal] {
        assert!(
            !file.windows(14).any(|w| w == b"wrong-secret-9"),
            "the refused password is stored"
        );
    }
}

/// The protocol documents `shift_summary` and `record_refusal` where the commands are listed.
#[test]
fn the_protocol_documents_the_new_commands() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/automation.md"))
            .unwrap();
    for cmd in ["shift_summary", "record_refusal"] {
        assert!(doc.contains(&format!("\"cmd\":\"{cmd}\"")), "{cmd}");
    }
}

/// A database the station may not write (the kernel refuses write access; as root the station
/// runs as `nobody`): a refused scan is answered with its own code, its detail says it was not
/// recorded, and nothing changes on disk.
#[cfg(target_os = "linux")]
#[test]
fn a_refusal_is_answered_when_the_database_cannot_be_written() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    crate::harness::station::run_lines(&dir, SETUP);
    let db = dir.join(DB_FILE_NAME);
    let rows_before = refusal_rows(&dir).len();
    let before = std::fs::read(&db).unwrap();
    let mut station = crate::harness::station::Headless::read_only(parent.path(), &dir);
    // Nobody is logged in in a new session: the scan is refused without a write.
    let refused = station.ask(&scan(&pack_scan("RO", 1)));
    assert_eq!(refused["code"], "NOT_LOGGED_IN", "{refused}");
    assert_eq!(refused["severity"], "refused", "{refused}");
    let detail = refused["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("could not be recorded") && detail.contains("readonly database"),
        "{refused}"
    );
    let line = station.ask("not json");
    assert_eq!(line["code"], "BAD_REQUEST", "{line}");
    assert!(
        line["detail"]
            .as_str()
            .is_some_and(|d| d.contains("could not be recorded")),
        "{line}"
    );
    assert!(station.finish().success());
    chmod(&db, 0o644);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is unchanged"
    );
    assert_eq!(refusal_rows(&dir).len(), rows_before);
}
