//! The real binary: `packbench station --headless`, `audit verify`, `export`, `manifest`.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_packbench");

fn setup_lines() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/_setup.jsonl"
    ))
    .expect("setup")
}

/// Runs a headless session with the given stdin bytes; returns the answers.
fn session(dir: &Path, input: &[u8]) -> Vec<Value> {
    let mut child = Command::new(BIN)
        .args(["station", "--headless", "--data-dir"])
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::Builder::new()
        .name("feed".into())
        .spawn(move || {
            let _ = stdin.write_all(&data);
        })
        .expect("thread");
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("join");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn bad_lines_get_an_error_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = setup_lines().into_bytes();
    input.extend_from_slice(b"{\"cmd\":\"scan\",\"data\":\"(00)095060000000000015\"}\n");
    input.extend_from_slice(b"{not json\n");
    input.extend_from_slice(b"\xff\xfe\xfd invalid utf-8\n");
    let mut huge = b"{\"cmd\":\"scan\",\"data\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'A', 1024 * 1024 + 10));
    huge.extend_from_slice(b"\"}\n");
    input.extend_from_slice(&huge);
    input.extend_from_slice(b"{\"cmd\":\"teleport\"}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(
        b"{\"cmd\":\"scan\",\"data\":\"(01)09506000134352(17)271231(10)LOT42(21)SN0001\"}\n",
    );
    let answers = session(dir.path(), &input);
    let n = setup_lines().lines().count();
    assert!(
        answers[..n].iter().all(|a| a["ok"] == true),
        "setup failed: {answers:?}"
    );
    let rest = &answers[n..];
    let codes: Vec<&str> = rest
        .iter()
        .map(|a| a["code"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        codes,
        [
            "OK",
            "BAD_REQUEST",
            "BAD_REQUEST",
            "BAD_REQUEST",
            "UNKNOWN_COMMAND",
            "OK"
        ],
        "{rest:?}"
    );
    assert!(rest[2]["detail"].as_str().unwrap().contains("UTF-8"));
    assert!(rest[3]["detail"].as_str().unwrap().contains("longer than"));
    assert_eq!(rest[5]["container"]["count"], 1);

    // A second process sees what the first acknowledged.
    let again = session(
        dir.path(),
        b"{\"cmd\":\"login\",\"user\":\"pat\",\"password\":\"pat-pass-1\"}\n{\"cmd\":\"lookup\",\"scan\":\"(01)09506000134352(21)SN0001\"}\n",
    );
    assert_eq!(again[1]["ok"], true, "{again:?}");
    assert_eq!(
        again[1]["data"]["parents"][0]["key"],
        "(00)095060000000000015"
    );

    // The manifest subcommand.
    let out = Command::new(BIN)
        .args(["manifest", "--data-dir"])
        .arg(dir.path())
        .arg("(00)095060000000000015")
        .output()
        .unwrap();
    assert!(out.status.success());
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["data"]["total"], 1);
    let out = Command::new(BIN)
        .args(["manifest", "--data-dir"])
        .arg(dir.path())
        .arg("(00)095060000000000022")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

fn audit_verify(dir: &Path) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["audit", "verify", "--data-dir"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn tamper(dir: &Path, sql: &str) {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn audit_verify_detects_edits_deletions_and_reordering() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = setup_lines();
    input.push_str("{\"cmd\":\"scan\",\"data\":\"(00)095060000000000015\"}\n");
    for i in 1..=3 {
        input.push_str(&format!(
            "{{\"cmd\":\"scan\",\"data\":\"(01)09506000134352(17)271231(10)LOT42(21)SN000{i}\"}}\n"
        ));
    }
    session(dir.path(), input.as_bytes());
    let (code, text) = audit_verify(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("intact"));
    let copy = tempfile::tempdir().unwrap();
    let db = dir.path().join("packbench.sqlite");
    let fresh = |name: &str| {
        let d = copy.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        // Checkpoint first so the copy holds everything.
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        std::fs::copy(&db, d.join("packbench.sqlite")).unwrap();
        // The audit key goes with it: the copy is the same bench's database.
        std::fs::copy(dir.path().join("audit.key"), d.join("audit.key")).unwrap();
        d
    };

    let d = fresh("edit");
    tamper(&d, "UPDATE audit SET username = 'mallory' WHERE seq = 5;");
    let (code, text) = audit_verify(&d);
    assert_eq!(code, 1);
    assert!(text.contains("record 5"), "{text}");

    let d = fresh("delete_middle");
    tamper(&d, "DELETE FROM audit WHERE seq = 4;");
    let (code, text) = audit_verify(&d);
    assert_eq!(code, 1);
    assert!(text.contains("record 5"), "{text}");

    let d = fresh("delete_tail");
    tamper(
        &d,
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);",
    );
    let (code, text) = audit_verify(&d);
    assert_eq!(code, 1, "{text}");

    let d = fresh("reorder");
    tamper(
        &d,
        "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1;",
    );
    let (code, text) = audit_verify(&d);
    assert_eq!(code, 1);
    assert!(text.contains("record 2"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(BIN).args(["station"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["no-such-command"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("packbench.sqlite"), b"definitely not sqlite, just some text that is long enough to be a header....................................").unwrap();
    let out = Command::new(BIN)
        .args(["station", "--headless", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a database"));
}
