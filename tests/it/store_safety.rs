//! A database that is not ours, damaged, or from a newer version is refused with a clear error
//! and never modified.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use packbench::store::{Store, StoreError};
use std::path::Path;

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read")
}

#[test]
fn foreign_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
            .unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("another application"));
    assert_eq!(before, bytes(&path));
    assert!(!dir.path().join("other.sqlite-wal").exists());
}

#[test]
fn garbage_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packbench.sqlite");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert_eq!(garbage, bytes(&path));
}

#[test]
fn newer_schema_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packbench.sqlite");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert_eq!(before, bytes(&path));
}

#[test]
fn corrupt_pages_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packbench.sqlite");
    {
        let store = Store::open(&path).unwrap();
        let c = store.conn().raw_sqlite();
        c.execute_batch("BEGIN").unwrap();
        for i in 0..3000 {
            c.execute(
                "INSERT INTO units (key, epc, level, status, updated_ms) VALUES (?1, ?1, 'pack', 'active', 0)",
                [format!("(01)09506000134352(21)S{i:06}")],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;")
            .unwrap();
    }
    let mut data = bytes(&path);
    assert!(data.len() > 16 * 4096);
    // Scribble over a few pages in the middle of the file (not the header).
    for b in &mut data[8 * 4096..10 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotADatabase { .. }
        ),
        "{err}"
    );
    assert_eq!(data, bytes(&path));
}

#[test]
fn reopen_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packbench.sqlite");
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let v: i32 = store
        .conn()
        .raw_sqlite()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, packbench::store::current_version());
    let mode: String = store
        .conn()
        .raw_sqlite()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = store
        .conn()
        .raw_sqlite()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
}
