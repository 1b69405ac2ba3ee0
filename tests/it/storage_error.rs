//! `STORAGE_ERROR` from real storage failures, in the real binary (`packbench station
//! --headless` as a child process), never from a mock:
//! - **the disk fills up in the middle of a command**: the station runs with SIGXFSZ ignored
//!   and, just before the command, gets a file-size limit (`RLIMIT_FSIZE`, set on the running
//!   process with `prlimit`) half-way into what that command's commit writes to the WAL (the
//!   amount is measured by a dry run on a copy). The kernel refuses the rest of the commit
//!   (`EFBIG`, as `ENOSPC` would on a full disk) and SQLite fails it after part of it reached
//!   the file;
//! - **a database the station may not write** (file permissions: the kernel refuses the write
//!   access, SQLite opens the file read-only): the first write of the command fails.
//!
//! Each time the answer is `STORAGE_ERROR` with a clear message, the session goes on (reads
//! answer, the process exits with status 0), nothing of the command is on disk (a full dump of
//! every table equals the one taken before it, also after reopening), the audit chain verifies
//! (`packbench audit verify`), and the same command succeeds once the disk can be written.
#![cfg(target_os = "linux")]

use crate::harness::station::{
    BIN, Headless, SETUP, chmod, headless_command, pack_scan, run_lines, sscc,
};
use packbench::domain::ReasonCode;
use packbench::store::DB_FILE_NAME;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One WAL frame: a 24-byte header and a 4 KiB page.
const FRAME: u64 = 24 + 4096;

/// What every session starts with (the end of [`SETUP`]): the packer at the bench.
const PREFIX: &str = r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}
{"cmd":"select_work_order","id":"WO-1"}"#;

/// Every row of every table (and the schema version), as text: two dumps are equal when the
/// database holds the same data.
fn dump(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = Connection::open_with_flags(
        dir.join(DB_FILE_NAME),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                (0..columns)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join(" | "))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.insert(table, rows);
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    out.insert("PRAGMA user_version".to_owned(), vec![version.to_string()]);
    out
}

/// Row counts per table, for readable failure messages.
fn counts(dump: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, usize> {
    dump.iter()
        .map(|(t, rows)| (t.as_str(), rows.len()))
        .collect()
}

fn assert_same(before: &BTreeMap<String, Vec<String>>, dir: &Path, when: &str) {
    let now = dump(dir);
    if &now != before {
        let changed: Vec<&String> = now
            .keys()
            .chain(before.keys())
            .filter(|t| now.get(*t) != before.get(*t))
            .collect();
        panic!(
            "{when}: the database changed in {changed:?}\nrows before: {:?}\nrows now: {:?}",
            counts(before),
            counts(&now)
        );
    }
}

fn wal_len(dir: &Path) -> u64 {
    std::fs::metadata(dir.join(format!("{DB_FILE_NAME}-wal"))).map_or(0, |m| m.len())
}

/// A headless station whose writes past a file-size limit fail instead of killing it: SIGXFSZ
/// is ignored by the shell and stays ignored across `exec`.
fn station_ignoring_sigxfsz(dir: &Path) -> Headless {
    let mut command = Command::new("sh");
    command.args(["-c", r#"trap "" XFSZ; exec "$0" "$@""#, BIN]);
    let station = headless_command(dir);
    command.args(station.get_args());
    Headless::spawn(command)
}

/// Sets the soft file-size limit of a running process (`unlimited` lifts it again).
fn limit_file_size(pid: u32, soft: &str) {
    let out = Command::new("prlimit")
        .arg(format!("--pid={pid}"))
        .arg(format!("--fsize={soft}:"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run prlimit ({e}); it is part of util-linux"));
    assert!(
        out.status.success(),
        "prlimit --fsize={soft}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The limit is in force in the station process itself.
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max file size"))
        .unwrap();
    let soft_now = line.split_whitespace().nth(3).unwrap();
    assert_eq!(soft_now, soft, "{line}");
}

fn audit_verify(dir: &Path) {
    let out = Command::new(BIN)
        .args(["audit", "verify", "--data-dir"])
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "audit verify: {text}");
    assert!(text.contains("intact"), "{text}");
}

fn assert_storage_error(answer: &Value, detail_says: &[&str]) {
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["code"], "STORAGE_ERROR", "{answer}");
    assert_eq!(answer["severity"], "refused", "{answer}");
    assert_eq!(
        answer["message"],
        ReasonCode::StorageError.message(),
        "{answer}"
    );
    let detail = answer["detail"].as_str().unwrap_or_default();
    assert!(
        detail_says.iter().any(|s| detail.contains(s)),
        "the detail names the failure ({detail_says:?}): {answer}"
    );
}

/// A command that writes a lot, and what it does when the disk is fine.
struct Scenario {
    what: &'static str,
    /// Lines (after [`SETUP`]) that build the state the command starts from.
    state: String,
    command: String,
    succeeded: fn(&Value),
}

fn case_closed_by_its_last_pack() -> Scenario {
    Scenario {
        what: "the last pack of a case (the case closes)",
        state: [
            format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(1)),
            format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("SF", 1)),
            format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("SF", 2)),
        ]
        .join("\n"),
        command: format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("SF", 3)),
        succeeded: |a| {
            assert_eq!(a["ok"], true, "{a}");
            assert_eq!(a["closed"], true, "{a}");
            assert_eq!(a["container"]["count"], 3, "{a}");
            assert_eq!(a["container"]["state"], "closed", "{a}");
        },
    }
}

fn layer_in_one_batch() -> Scenario {
    let packs: Vec<String> = (1..=3).map(|n| pack_scan("SB", n)).collect();
    Scenario {
        what: "a batch of packs that fills a case",
        state: format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(1)),
        command: serde_json::json!({"cmd": "scan_batch", "data": packs}).to_string(),
        succeeded: |a| {
            assert_eq!(a["ok"], true, "{a}");
            assert_eq!(a["data"]["accepted"], 3, "{a}");
        },
    }
}

fn pallet_closed_by_its_last_case() -> Scenario {
    let mut state = Vec::new();
    for case in 1..=2u32 {
        state.push(format!(
            r#"{{"cmd":"scan","data":"(00){}"}}"#,
            sscc(u64::from(case))
        ));
        for n in 1..=3 {
            state.push(format!(
                r#"{{"cmd":"scan","data":"{}"}}"#,
                pack_scan("SP", case * 10 + n)
            ));
        }
    }
    state.push(r#"{"cmd":"new_container","level":"pallet"}"#.to_owned());
    state.push(format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(500)));
    state.push(format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(1)));
    Scenario {
        what: "the last case of a pallet (the pallet closes)",
        state: state.join("\n"),
        command: format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(2)),
        succeeded: |a| {
            assert_eq!(a["ok"], true, "{a}");
            assert_eq!(a["closed"], true, "{a}");
            assert_eq!(a["container"]["level"], "pallet", "{a}");
        },
    }
}

/// A data dir in the scenario's state, with no WAL left (the set-up station was closed).
fn prepared(scenario: &Scenario) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), &format!("{SETUP}\n{}", scenario.state));
    assert_eq!(wal_len(dir.path()), 0, "the set-up left a WAL behind");
    dir
}

/// How many bytes the command's commit writes to the WAL: the command run on a copy.
fn wal_bytes_of_command(dir: &Path, scenario: &Scenario) -> u64 {
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join(DB_FILE_NAME), copy.path().join(DB_FILE_NAME)).unwrap();
    // The audit key goes with the database (issue 16).
    std::fs::copy(dir.join("audit.key"), copy.path().join("audit.key")).unwrap();
    let mut station = Headless::start(copy.path());
    station.ok_lines(PREFIX);
    let before = wal_len(copy.path());
    (scenario.succeeded)(&station.ask(&scenario.command));
    let written = wal_len(copy.path()) - before;
    assert!(station.finish().success());
    assert!(
        written >= 3 * FRAME,
        "{}: the command wrote only {written} bytes to the WAL; a limit half-way cannot land \
         inside its commit",
        scenario.what
    );
    written
}

/// The disk fills up half-way through the command's commit; the limit stays until the
/// station exits. Then a station without the limit runs the same command.
fn disk_full_mid_command(scenario: &Scenario) {
    let data = prepared(scenario);
    let dir = data.path();
    let needed = wal_bytes_of_command(dir, scenario);

    let mut station = station_ignoring_sigxfsz(dir);
    station.ok_lines(PREFIX);
    let before = dump(dir);
    let wal_before = wal_len(dir);
    let limit = wal_before + needed / 2;
    limit_file_size(station.pid(), &limit.to_string());

    let answer = station.ask(&scenario.command);
    assert_storage_error(&answer, &["disk I/O error", "disk is full"]);
    // The commit failed in the middle: part of it reached the WAL, up to the limit.
    let wal_after = wal_len(dir);
    assert!(
        wal_after > wal_before && wal_after <= limit,
        "{}: WAL {wal_before} -> {wal_after} bytes, limit {limit}",
        scenario.what
    );
    assert_same(&before, dir, "after the failed command");
    println!(
        "{}: the commit writes {needed} bytes to the WAL; the limit let {} of them through",
        scenario.what,
        wal_after - wal_before
    );

    // The station keeps answering: a read works, the same command fails the same way.
    let status = station.ask(r#"{"cmd":"status"}"#);
    assert_eq!(status["ok"], true, "{status}");
    assert_storage_error(
        &station.ask(&scenario.command),
        &["disk I/O error", "disk is full"],
    );
    assert_same(&before, dir, "after the second attempt");
    // The disk is still full when the bench closes: the station exits cleanly.
    let stderr = station.stderr();
    let exit = station.finish();
    assert!(exit.success(), "{}: exit {exit:?}; {stderr}", scenario.what);

    // Reopened without the limit: the failed commit is not there, the chain verifies, and
    // the same command goes through.
    assert_same(&before, dir, "after reopening");
    audit_verify(dir);
    let mut station = Headless::start(dir);
    station.ok_lines(PREFIX);
    (scenario.succeeded)(&station.ask(&scenario.command));
    assert!(station.finish().success());
    audit_verify(dir);
    assert_ne!(dump(dir), before, "the command is on disk now");
}

#[test]
fn disk_full_while_a_case_closes_applies_nothing() {
    disk_full_mid_command(&case_closed_by_its_last_pack());
}

#[test]
fn disk_full_during_a_scan_batch_applies_nothing() {
    disk_full_mid_command(&layer_in_one_batch());
}

#[test]
fn disk_full_while_a_pallet_closes_applies_nothing() {
    disk_full_mid_command(&pallet_closed_by_its_last_case());
}

/// The operator frees disk space and scans again in the same session: the failed command left
/// nothing behind in the station's memory either (the case is still the current one, with two
/// packs), so the retry closes the case as it should have.
#[test]
fn after_the_disk_is_freed_the_same_session_retries_the_command() {
    let scenario = case_closed_by_its_last_pack();
    let data = prepared(&scenario);
    let dir = data.path();
    let needed = wal_bytes_of_command(dir, &scenario);

    let mut station = station_ignoring_sigxfsz(dir);
    station.ok_lines(PREFIX);
    let before = dump(dir);
    limit_file_size(station.pid(), &(wal_len(dir) + needed / 2).to_string());
    assert_storage_error(
        &station.ask(&scenario.command),
        &["disk I/O error", "disk is full"],
    );
    assert_same(&before, dir, "after the failed command");

    limit_file_size(station.pid(), "unlimited");
    (scenario.succeeded)(&station.ask(&scenario.command));
    let status = station.ask(r#"{"cmd":"status"}"#);
    assert_eq!(status["ok"], true, "{status}");
    assert!(station.finish().success());
    audit_verify(dir);
    let after = dump(dir);
    assert_eq!(
        after["units"].len(),
        before["units"].len() + 1,
        "exactly the one pack was added"
    );
}

/// A database the station may not write: the kernel refuses write access to the file (for
/// root, whom permissions do not stop, the station runs as `nobody`), SQLite opens it
/// read-only, and the first write of a command fails. This happens at the command's first
/// write, not half-way through its commit: the disk-full tests above cover that.
#[test]
fn a_database_the_station_may_not_write_answers_storage_error() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    run_lines(&dir, SETUP);
    assert_eq!(wal_len(&dir), 0);
    let before = dump(&dir);
    let mut station = Headless::read_only(parent.path(), &dir);
    // Logging in writes (the audit record), so it is the first command to fail.
    let login = station.ask(PREFIX.lines().next().unwrap());
    assert_storage_error(&login, &["readonly database"]);
    let status = station.ask(r#"{"cmd":"status"}"#);
    assert_eq!(status["ok"], true, "{status}");
    assert_storage_error(
        &station.ask(PREFIX.lines().next().unwrap()),
        &["readonly database"],
    );
    let stderr = station.stderr();
    let exit = station.finish();
    assert!(exit.success(), "exit {exit:?}: {stderr}");
    assert_same(&before, &dir, "after the refused commands");
    audit_verify(&dir);

    // Writable again: the same login works and the bench goes on. SQLite created the WAL and
    // its index with the database's permissions, so they are made writable too.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            chmod(&path, 0o644);
        }
    }
    let mut station = Headless::start(&dir);
    station.ok_lines(PREFIX);
    let case = station.ask(&format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(1)));
    assert_eq!(case["ok"], true, "{case}");
    assert!(station.finish().success());
    audit_verify(&dir);
}
