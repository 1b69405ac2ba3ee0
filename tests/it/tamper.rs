//! Issue 16, tamper evidence: each attack of the issue performed on a real data directory by
//! someone with write access to the database file (rusqlite here, no key), then the real
//! `packbench audit verify` binary must fail naming the place. Also: the station refuses to
//! extend a trail whose head does not match, the files are the owner's alone, and a foreign or
//! newer database in WAL mode is left byte for byte.

use crate::harness::station::{BIN, SETUP, pack_scan, pallet_lines, run_lines, sscc};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A station with a signed decommission, two pallets and their outbox rows.
fn worked_station() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = format!("{SETUP}\n{}", pallet_lines("T", 300, 2));
    lines.push_str(&format!(
        "\n{{\"cmd\":\"retire\",\"scan\":\"{}\",\"kind\":\"decommission\",\"reason\":\"damaged\",\"signature\":{{\"user\":\"sup\",\"password\":\"sup-pass-1\",\"reason\":\"crushed\"}}}}",
        pack_scan("T", 1)
    ));
    run_lines(dir.path(), &lines);
    dir
}

/// A copy of the data directory (database checkpointed first, and its key).
fn copy_of(dir: &Path, into: &Path, name: &str) -> PathBuf {
    let d = into.join(name);
    std::fs::create_dir_all(&d).unwrap();
    let db = dir.join("packbench.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    std::fs::copy(&db, d.join("packbench.sqlite")).unwrap();
    std::fs::copy(dir.join("audit.key"), d.join("audit.key")).unwrap();
    d
}

fn tamper(dir: &Path, sql: &str) {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    c.execute_batch(sql).unwrap();
}

fn verify(dir: &Path) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["audit", "verify", "--data-dir"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn assert_broken(dir: &Path, needles: &[&str]) {
    let (code, text) = verify(dir);
    assert_eq!(code, 1, "verify must fail:\n{text}");
    for n in needles {
        assert!(text.contains(n), "expected {n:?} in:\n{text}");
    }
}

fn one_value(dir: &Path, sql: &str) -> String {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    c.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

/// The SHA-256 chain of earlier versions, recomputed over every record as an attacker without
/// the key would (the "15 lines of Python" of the issue).
fn rechain_without_key(dir: &Path) {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    let rows: Vec<(i64, String)> = {
        let mut st = c
            .prepare(
                "SELECT seq, json_array(seq, time_ms, username, action, target, old_value, new_value, reason, signature_id, evidence) FROM audit ORDER BY seq",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut prev = "0".repeat(64);
    for (seq, canonical) in rows {
        let hash = hex::encode(Sha256::digest(format!("{prev}{canonical}").as_bytes()));
        c.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .unwrap();
        c.execute(
            "UPDATE settings SET value = ?1 WHERE key = 'audit_head'",
            [format!("{seq}:{hash}")],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn an_untouched_station_verifies_intact_and_anchors_its_head() {
    let dir = worked_station();
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("intact"), "{text}");
    assert!(text.contains("last anchored point: none"), "{text}");
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("(audit verify)"), "{text}");
}

#[test]
fn every_attack_of_the_issue_is_named() {
    let dir = worked_station();
    let root = tempfile::tempdir().unwrap();
    let copy = |name: &str| copy_of(dir.path(), root.path(), name);

    // Edit a record and recompute the SHA-256 chain and the head without the key.
    let d = copy("rechain");
    tamper(&d, "UPDATE audit SET username = 'mallory' WHERE seq = 5;");
    rechain_without_key(&d);
    assert_broken(&d, &["record 1", "keyed hash"]);

    // Tail deletion: broken, and no command extends the trail past it.
    let d = copy("tail");
    tamper(
        &d,
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);",
    );
    assert_broken(&d, &["recorded head"]);
    let mut station = packbench::station::Station::open(&d).unwrap();
    let r = station.execute(packbench::station::Request::Login {
        user: "pat".into(),
        password: "pat-pass-1".into(),
    });
    assert_eq!(r.code.as_str(), "STORAGE_ERROR", "{r:?}");
    assert!(r.detail.unwrap_or_default().contains("head"));
    drop(station);
    assert_broken(&d, &["recorded head"]);

    // The head deleted: broken, not empty; every record and the head deleted: the same.
    let d = copy("head");
    tamper(&d, "DELETE FROM settings WHERE key = 'audit_head';");
    assert_broken(&d, &["head is missing"]);
    let d = copy("all");
    tamper(
        &d,
        "DELETE FROM audit; DELETE FROM settings WHERE key = 'audit_head';",
    );
    let (code, text) = verify(&d);
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("intact: 0"), "{text}");

    // The key mark removed after rechaining without the key.
    let d = copy("unmark");
    rechain_without_key(&d);
    tamper(&d, "DELETE FROM settings WHERE key = 'audit_key_id';");
    assert_broken(&d, &["mark was removed"]);

    // A pack moved to another case.
    let d = copy("move");
    let pack = "(01)09506000134352(21)T0002";
    tamper(
        &d,
        &format!(
            "UPDATE units SET parent_id = (SELECT id FROM units WHERE key = '(00){}') WHERE key = '{pack}';",
            sscc(301)
        ),
    );
    assert_broken(&d, &["units", pack, "parent"]);

    // The decommissioned pack made active again (its status no longer what the trail says).
    let d = copy("status");
    let retired = "(01)09506000134352(21)T0001";
    tamper(
        &d,
        &format!("UPDATE units SET status = 'active' WHERE key = '{retired}';"),
    );
    assert_broken(&d, &["units", retired, "status active (audit: "]);

    // An event body rewritten (it would be exported under its old eventID).
    let d = copy("body");
    let id = one_value(
        &d,
        "SELECT CAST(id AS TEXT) FROM events WHERE body LIKE '%AggregationEvent%' LIMIT 1",
    );
    tamper(
        &d,
        &format!(
            "UPDATE events SET body = replace(body, '\"packing\"', '\"shipping\"') WHERE id = {id};"
        ),
    );
    assert_broken(&d, &["events", &id, "body rewritten"]);

    // The signer changed.
    let d = copy("signer");
    let sig = one_value(&d, "SELECT CAST(id AS TEXT) FROM signatures LIMIT 1");
    tamper(
        &d,
        "UPDATE signatures SET username = 'admin', full_name = 'Ada Admin';",
    );
    assert_broken(&d, &["signatures", &sig, "signer admin (audit: sup)"]);

    // A packer promoted to administrator.
    let d = copy("promote");
    tamper(
        &d,
        "UPDATE users SET role = 'administrator' WHERE username = 'pat';",
    );
    assert_broken(&d, &["users pat", "role administrator", "packer"]);

    // Outbox rows deleted.
    let d = copy("outbox");
    let cmd = one_value(&d, "SELECT CAST(min(command_id) AS TEXT) FROM outbox");
    tamper(&d, &format!("DELETE FROM outbox WHERE command_id = {cmd};"));
    assert_broken(&d, &["outbox", &cmd, "deleted"]);

    // The newest event deleted.
    let d = copy("newest");
    let cmd = one_value(
        &d,
        "SELECT CAST(command_id AS TEXT) FROM events ORDER BY id DESC LIMIT 1",
    );
    tamper(
        &d,
        "DELETE FROM event_epcs WHERE event_id = (SELECT max(id) FROM events);
         DELETE FROM events WHERE id = (SELECT max(id) FROM events);",
    );
    assert_broken(&d, &["events", &format!("command {cmd}"), "missing"]);

    // The key file lost: nothing can be recorded, verify says why.
    let d = copy("nokey");
    std::fs::remove_file(d.join("audit.key")).unwrap();
    assert_broken(&d, &["missing", "backup"]);
}

#[test]
fn deleting_records_after_an_anchor_is_seen_even_with_the_head_moved_back() {
    let dir = worked_station();
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    // The attacker deletes the last record and moves the head onto the one before, which
    // the chain alone cannot tell from a shorter trail.
    tamper(
        dir.path(),
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
         UPDATE settings SET value = (SELECT seq || ':' || hash FROM audit ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head';",
    );
    assert_broken(dir.path(), &["anchors", "records deleted"]);
}

#[cfg(unix)]
#[test]
fn data_files_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    run_lines(&dir, SETUP);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    for name in ["packbench.sqlite", "audit.key"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    let _station = packbench::station::Station::open(&dir).unwrap();
    for name in ["packbench.sqlite-wal", "packbench.sqlite-shm"] {
        let p = dir.join(name);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{name}");
        }
    }
}

/// A database in WAL mode with content still in its WAL.
fn wal_database(dir: &Path, application_id: i32, user_version: i32) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    c.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA application_id={application_id}; PRAGMA user_version={user_version};
         CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);"
    ))
    .unwrap();
    c
}

#[test]
fn foreign_and_newer_wal_databases_are_left_byte_for_byte() {
    for (name, app, version) in [("foreign", 0x1234, 1), ("newer", 0x7062_6E63, 9_999)] {
        // What an application that stopped without checkpointing leaves: the file and a WAL
        // holding content (copied while its writer is still open).
        let origin = tempfile::tempdir().unwrap();
        let writer = wal_database(origin.path(), app, version);
        let dir = tempfile::tempdir().unwrap();
        for f in ["packbench.sqlite", "packbench.sqlite-wal"] {
            std::fs::copy(origin.path().join(f), dir.path().join(f)).unwrap();
        }
        drop(writer);
        let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap_or_default();
        let before = (read("packbench.sqlite"), read("packbench.sqlite-wal"));
        assert!(!before.1.is_empty(), "{name}: the WAL holds content");
        let err = packbench::store::Store::open_dir(dir.path()).unwrap_err();
        assert!(err.to_string().contains("left untouched"), "{name}: {err}");
        let after = (read("packbench.sqlite"), read("packbench.sqlite-wal"));
        assert!(before == after, "{name}: the files changed");
        assert!(!dir.path().join("audit.key").exists(), "{name}");
    }
}

/// What an earlier version left: the keyless SHA-256 chain over the fields it knew, no
/// evidence, no key mark, no key file.
pub fn to_keyless_chain(dir: &Path) {
    let c = rusqlite::Connection::open(dir.join("packbench.sqlite")).unwrap();
    c.execute_batch(
        "UPDATE audit SET evidence = NULL; DELETE FROM settings WHERE key = 'audit_key_id';",
    )
    .unwrap();
    let rows: Vec<(i64, String)> = {
        let mut st = c
            .prepare(
                "SELECT seq, json_array(seq, time_ms, username, action, target, old_value, new_value, reason, signature_id) FROM audit ORDER BY seq",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut prev = "0".repeat(64);
    for (seq, canonical) in &rows {
        let hash = hex::encode(Sha256::digest(format!("{prev}{canonical}").as_bytes()));
        c.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .unwrap();
        prev = hash;
    }
    c.execute(
        "UPDATE settings SET value = ?1 WHERE key = 'audit_head'",
        [format!("{}:{prev}", rows.len())],
    )
    .unwrap();
    std::fs::remove_file(dir.join("audit.key")).unwrap();
}

#[test]
fn a_database_of_an_earlier_version_is_keyed_on_open_after_its_keyless_chain_is_checked() {
    // No events: those of an earlier version carry no audit head.
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    to_keyless_chain(dir.path());
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(dir.path().join("audit.key").exists());
    let verdict = one_value(
        dir.path(),
        "SELECT old_value FROM audit WHERE action = 'audit_keyed'",
    );
    assert!(verdict.contains("intact"), "{verdict}");
    // From now on the keyed chain holds: a rechain without the key is caught.
    tamper(
        dir.path(),
        "UPDATE audit SET username = 'mallory' WHERE seq = 3;",
    );
    rechain_without_key(dir.path());
    assert_broken(dir.path(), &["keyed hash"]);
}
