//! One SSCC store (issue 7): ranges pulled from the repository's pool and local ranges are
//! allocated by the same path, never twice; a database created at schema version 3 (with the old
//! per-SSCC pool) upgrades without losing or reusing an SSCC; the low-stock threshold.

use packbench::gs1::Sscc;
use packbench::labels::alloc::{self, AllocError, LabelOwner, SsccRange};
use packbench::store::{MIGRATIONS, Store};
use std::collections::BTreeSet;
use std::path::Path;

const OWNER: LabelOwner<'static> = LabelOwner {
    level: "case",
    work_order: None,
    username: "pat",
};

fn sscc(prefix: &str, serial: u64) -> String {
    Sscc::new(prefix, 0, serial).unwrap().as_str().to_owned()
}

/// A database as a build at schema version 3 left it.
fn version_3_database(path: &Path) {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATIONS[..3] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", 3).unwrap();
    tx.pragma_update(None, "application_id", packbench::store::APPLICATION_ID)
        .unwrap();
    // Pulled from serialbox pool "sscc-0614141": 1000..=1004 and 1010..=1011 free, 1005 used.
    let mut st = tx
        .prepare(
            "INSERT INTO sscc_pool (sscc, source, allocated_ms, used_ms) VALUES (?1, ?2, ?3, ?4)",
        )
        .unwrap();
    for serial in (1000..=1005).chain(1010..=1011) {
        let used: Option<i64> = (serial == 1005).then_some(7);
        st.execute(rusqlite::params![
            sscc("0614141", serial),
            "sscc-0614141",
            5,
            used
        ])
        .unwrap();
    }
    // Another pool, another prefix length (9 digits).
    st.execute(rusqlite::params![
        sscc("061414199", 42),
        "other",
        6,
        None::<i64>
    ])
    .unwrap();
    drop(st);
    tx.commit().unwrap();
}

fn allocate_all(store: &mut Store) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let tx = store.begin().unwrap();
        match alloc::allocate(&tx, OWNER, 10) {
            Ok(a) => {
                tx.commit().unwrap();
                out.push(a.sscc.as_str().to_owned());
            }
            Err(AllocError::Exhausted) => return out,
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn a_version_3_pool_upgrades_into_ranges_and_nothing_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(packbench::store::DB_FILE_NAME);
    version_3_database(&path);
    let mut store = Store::open(&path).unwrap();
    let version: i32 = store
        .conn()
        .raw_sqlite()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, packbench::store::current_version());
    let gone: bool = store
        .conn()
        .raw_sqlite()
        .query_row(
            "SELECT NOT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'sscc_pool')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(gone);
    let stock = alloc::stock(store.conn()).unwrap();
    assert_eq!(stock.remaining, 8, "{stock:?}");
    assert_eq!(stock.ranges.len(), 3, "consecutive runs: {stock:?}");
    assert!(stock.ranges.iter().all(|r| r.source == "pool"));
    assert_eq!(stock.ranges[0].origin.as_deref(), Some("sscc-0614141"));

    let got = allocate_all(&mut store);
    let mut want: Vec<String> = (1000..=1004)
        .chain(1010..=1011)
        .map(|s| sscc("0614141", s))
        .collect();
    want.push(sscc("061414199", 42));
    assert_eq!(
        got, want,
        "oldest pool first, in order, the used SSCC skipped"
    );
    assert!(!got.contains(&sscc("0614141", 1005)));
    // The SSCC the old pool handed out is on record, so a range covering it skips it.
    let tx = store.begin().unwrap();
    alloc::add_range(
        &tx,
        &SsccRange {
            company_prefix: "0614141".into(),
            extension_digit: 0,
            first: 1005,
            last: 1006,
            source: "local".into(),
            origin: None,
        },
        20,
    )
    .unwrap();
    let a = alloc::allocate(&tx, OWNER, 21).unwrap();
    tx.commit().unwrap();
    assert_eq!(a.sscc.as_str(), sscc("0614141", 1006));
}

#[test]
fn pool_and_local_ranges_share_one_allocator_across_connections() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open_dir(dir.path()).unwrap();
        let tx = store.begin().unwrap();
        for (first, last, source, origin) in [
            (1, 150, "pool", Some("sscc-0614141")),
            (500, 649, "local", None),
        ] {
            alloc::add_range(
                &tx,
                &SsccRange {
                    company_prefix: "0614141".into(),
                    extension_digit: 0,
                    first,
                    last,
                    source: source.into(),
                    origin: origin.map(str::to_owned),
                },
                1,
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let threads: Vec<_> = (0..3)
        .map(|i| {
            let dir = dir.path().to_path_buf();
            std::thread::Builder::new()
                .name(format!("alloc-{i}"))
                .spawn(move || {
                    let mut store = Store::open_dir(&dir).unwrap();
                    allocate_all(&mut store)
                })
                .unwrap()
        })
        .collect();
    let all: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 300);
    assert_eq!(unique.len(), 300, "no SSCC twice");
    let store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(alloc::remaining(store.conn()).unwrap(), 0);
}

#[test]
fn low_stock_follows_the_configured_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let tx = store.begin().unwrap();
    alloc::add_range(
        &tx,
        &SsccRange {
            company_prefix: "0614141".into(),
            extension_digit: 0,
            first: 1,
            last: 50,
            source: "local".into(),
            origin: None,
        },
        1,
    )
    .unwrap();
    tx.commit().unwrap();
    let s = alloc::stock(store.conn()).unwrap();
    assert_eq!(
        (s.remaining, s.low_stock_threshold, s.low),
        (50, alloc::DEFAULT_LOW_STOCK, true)
    );
    store
        .conn()
        .raw_sqlite()
        .execute(
            "INSERT INTO settings (key, value) VALUES (?1, '20')",
            [alloc::LOW_STOCK_SETTING],
        )
        .unwrap();
    let s = alloc::stock(store.conn()).unwrap();
    assert_eq!((s.low_stock_threshold, s.low), (20, false));
    for _ in 0..31 {
        let tx = store.begin().unwrap();
        alloc::allocate(&tx, OWNER, 2).unwrap();
        tx.commit().unwrap();
    }
    let s = alloc::stock(store.conn()).unwrap();
    assert_eq!((s.remaining, s.low), (19, true));
}
