//! Crash test: SIGKILL a headless station at random points while it streams scans, restart it,
//! and prove that every scan answered `ok` before a kill is in the database, that no command is
//! half-applied, and that the audit chain verifies.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_packbench");
const KILLS: usize = 60;
const CASE_CAPACITY: usize = 20;

/// A small deterministic generator (no flaky randomness: the seed is fixed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn sscc(i: usize) -> String {
    let body = format!("09506000{i:09}");
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(k, b)| u32::from(b - b'0') * if k % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("(00){body}{}", (10 - sum % 10) % 10)
}

fn script() -> Vec<(String, Option<(String, String)>)> {
    // (line, Some((pack key, case key)) for pack scans)
    let mut lines = Vec::new();
    for case in 1..=40 {
        let c = sscc(case);
        lines.push((format!("{{\"cmd\":\"scan\",\"data\":\"{c}\"}}"), None));
        for p in 0..CASE_CAPACITY {
            let serial = format!("C{case:03}P{p:02}");
            lines.push((
                format!("{{\"cmd\":\"scan\",\"data\":\"(01)09506000134352(17)271231(10)LOT42(21){serial}\"}}"),
                Some((format!("(01)09506000134352(21){serial}"), c.clone())),
            ));
        }
    }
    lines
}

#[test]
fn kill_nine_loses_no_acknowledged_scan() {
    let dir = tempfile::tempdir().unwrap();
    let setup = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/_setup.jsonl"
    ))
    .unwrap();
    let script = script();
    let mut acknowledged: Vec<(String, String)> = Vec::new();
    let mut next = 0usize;
    let mut rng = Lcg(0x5eed);
    let mut kills = 0;
    let mut first = true;
    while kills < KILLS && next < script.len() {
        let mut child = Command::new(BIN)
            .args(["station", "--headless", "--data-dir"])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut prelude: Vec<String> = if first {
            let mut v: Vec<String> = setup.lines().map(str::to_owned).collect();
            v.push(r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#.to_owned());
            v.push(format!(
                r#"{{"cmd":"create_work_order","id":"WO-C","gtin":"09506000134352","lot":"LOT42","levels":[{{"level":"case","capacity":{CASE_CAPACITY}}}]}}"#
            ));
            v.push(r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned());
            v.push(r#"{"cmd":"select_work_order","id":"WO-C"}"#.to_owned());
            v
        } else {
            vec![
                r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
                r#"{"cmd":"select_work_order","id":"WO-C"}"#.to_owned(),
            ]
        };
        first = false;
        // Send the prelude and a burst of scans at once, so the kill lands while commands are
        // being executed, not only between them.
        let burst = (3 + rng.next(25)) as usize;
        let end = (next + burst).min(script.len());
        for (line, _) in &script[next..end] {
            prelude.push(line.clone());
        }
        let all = prelude.join("\n") + "\n";
        stdin.write_all(all.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let n_prelude = prelude.len() - (end - next);
        let mut line = String::new();
        for _ in 0..n_prelude {
            line.clear();
            stdout.read_line(&mut line).unwrap();
            let v: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(v["ok"], true, "prelude failed: {v}");
        }
        // Read some of the answers, then kill -9 without warning.
        let read = rng.next((end - next) as u64 + 1) as usize;
        for i in 0..read {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let v: Value = serde_json::from_str(&line).unwrap();
            if std::env::var_os("CRASH_DEBUG").is_some() {
                eprintln!("{} -> {}", script[next + i].0, v["code"]);
            }
            if v["ok"] == true
                && let Some(pack) = &script[next + i].1
            {
                acknowledged.push(pack.clone());
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        kills += 1;
        // Resume from the first line whose answer we did not see (re-sending is harmless).
        next += read;
    }
    assert!(kills >= 50, "only {kills} kills");
    assert!(
        acknowledged.len() > 100,
        "too few acknowledged scans: {}",
        acknowledged.len()
    );

    let store = packbench::store::Store::open_dir(dir.path()).unwrap();
    let conn = store.conn().raw_sqlite();
    for (pack, case) in &acknowledged {
        let parent: Option<String> = conn
            .query_row(
                "SELECT p.key FROM units u JOIN units p ON p.id = u.parent_id WHERE u.key = ?1",
                [pack],
                |r| r.get(0),
            )
            .unwrap_or(None);
        assert_eq!(
            parent.as_deref(),
            Some(case.as_str()),
            "{pack} was acknowledged but is not in {case}"
        );
    }
    // No half-applied command: every container's count matches its children; every closed case is
    // full and has its aggregation event; every command with events has an outbox row.
    let bad_counts: i64 = conn
        .query_row("SELECT count(*) FROM units c WHERE c.child_count != (SELECT count(*) FROM units k WHERE k.parent_id = c.id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(bad_counts, 0);
    let closed_without_event: i64 = conn
        .query_row(
            "SELECT count(*) FROM units c WHERE c.state = 'closed' AND NOT EXISTS (SELECT 1 FROM event_epcs x WHERE x.epc = c.epc)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(closed_without_event, 0);
    let unpublished_in_closed: i64 = conn
        .query_row("SELECT count(*) FROM units k JOIN units c ON c.id = k.parent_id WHERE c.state = 'closed' AND k.published = 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(unpublished_in_closed, 0);
    let events_without_outbox: i64 = conn
        .query_row("SELECT count(DISTINCT command_id) FROM events WHERE command_id NOT IN (SELECT command_id FROM outbox)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events_without_outbox, 0);
    let audit = packbench::auth::verify_audit(store.conn()).unwrap();
    assert!(audit.is_ok(), "{audit:?}");
    println!(
        "crash test: {kills} kills, {} acknowledged pack scans all durable",
        acknowledged.len()
    );
}
