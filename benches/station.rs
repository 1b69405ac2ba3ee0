//! Station benchmark: per-scan latency from input to durable verdict, and 24-scan batches (a
//! camera layer read), on a database pre-filled with 10 million units.
//!
//! `cargo bench --bench station` runs the full benchmark (the 10M-unit database is built once
//! under `target/bench-data/` and reused). Under `cargo test` it runs a small smoke version.
//! Figures are printed, never asserted: timing depends on the machine.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use packbench::station::{Request, Station, system_clock};
use packbench::store::Store;
use std::path::Path;
use std::time::Instant;

struct Size {
    units: u64,
    scans: usize,
    batches: usize,
}

fn prefill(dir: &Path, units: u64) {
    let path = dir.join("packbench.sqlite");
    if path.exists() {
        let store = Store::open(&path).expect("open");
        let n: i64 = store
            .conn()
            .raw_sqlite()
            .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
            .expect("count");
        if u64::try_from(n).unwrap_or(0) >= units {
            println!("reusing {} ({n} units)", path.display());
            return;
        }
        drop(store);
        std::fs::remove_dir_all(dir).expect("clean");
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    let t = Instant::now();
    let mut store = Store::open_dir(dir).expect("open");
    let tx = store.begin().expect("tx");
    {
        // Earlier production: closed cases of 20 packs each, all indexed as the station would.
        let mut case = tx
            .raw_sqlite()
            .prepare("INSERT INTO units (key, epc, level, status, state, child_count, capacity, work_order, published, updated_ms) VALUES (?1, ?2, 'case', 'active', 'closed', 20, 20, 'OLD', 0, 0)")
            .expect("prep");
        let mut pack = tx
            .raw_sqlite()
            .prepare("INSERT INTO units (key, epc, level, status, gtin, lot, expiry, parent_id, published, work_order, listed, updated_ms) VALUES (?1, ?2, 'pack', 'active', '09506000134352', 'OLD1', '271231', ?3, 1, 'OLD', 1, 0)")
            .expect("prep");
        let mut n = 0u64;
        let mut case_no = 0u64;
        while n < units {
            case_no += 1;
            let key = format!("(00)1{:016}X", case_no);
            case.execute(rusqlite::params![
                key,
                format!("urn:epc:id:sscc:9506000.1{case_no:09}")
            ])
            .expect("case");
            let case_id = tx.raw_sqlite().last_insert_rowid();
            n += 1;
            for p in 0..20 {
                let serial = format!("H{case_no:08}{p:02}");
                pack.execute(rusqlite::params![
                    format!("(01)09506000134352(21){serial}"),
                    format!("urn:epc:id:sgtin:9506000.013435.{serial}"),
                    case_id
                ])
                .expect("pack");
                n += 1;
            }
        }
    }
    tx.commit().expect("commit");
    println!(
        "prefilled {units} units in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn line(s: &str) -> Request {
    serde_json::from_str(s).expect("request")
}

fn sscc(i: usize) -> String {
    let body = format!("09506000{i:09}");
    let sscc = packbench::gs1::check_digit::with_check_digit(&body).expect("digits");
    format!("(00){sscc}")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn ok(station: &mut Station, req: &str) {
    let r = station.execute(line(req));
    assert!(r.ok, "{req} -> {:?} {:?}", r.code, r.detail);
}

/// The floor: a bare one-row WAL commit with synchronous=FULL on the same file system.
fn bare_commit_ms(dir: &Path, n: usize) -> Vec<f64> {
    let path = dir.join("bare-commit.sqlite");
    let _ = std::fs::remove_file(&path);
    let c = rusqlite::Connection::open(&path).expect("open");
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (x INTEGER);",
    )
    .expect("setup");
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let t = Instant::now();
            c.execute_batch("BEGIN IMMEDIATE").expect("begin");
            c.execute("INSERT INTO t VALUES (?1)", [i64::try_from(i).unwrap_or(0)])
                .expect("insert");
            c.execute_batch("COMMIT").expect("commit");
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let size = if full {
        Size {
            units: 10_000_000,
            scans: 5000,
            batches: 200,
        }
    } else {
        Size {
            units: 20_000,
            scans: 200,
            batches: 5,
        }
    };
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let dir = base.join(if full { "station-10m" } else { "station-smoke" });
    std::fs::create_dir_all(&dir).expect("mkdir");
    prefill(&dir, size.units);
    // Each run works in a copy-free way: new serials and SSCCs carry the run's start time.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() % 1_000_000);
    let store = Store::open_dir(&dir).expect("open");
    let mut station = Station::with_clock(store, system_clock()).expect("station");
    if station
        .execute(line(
            r#"{"cmd":"login","user":"bench","password":"bench-pass"}"#,
        ))
        .code
        .as_str()
        != "OK"
    {
        ok(
            &mut station,
            r#"{"cmd":"init_admin","user":"bench","full_name":"Bench","password":"bench-pass"}"#,
        );
        ok(
            &mut station,
            r#"{"cmd":"add_product","gtin":"09506000134352","name":"Bench","company_prefix_length":7}"#,
        );
    }
    let wo = format!("B{run}");
    ok(
        &mut station,
        &format!(
            r#"{{"cmd":"create_work_order","id":"{wo}-1","gtin":"09506000134352","lot":"LOT42","levels":[{{"level":"case","capacity":20}}]}}"#
        ),
    );
    ok(
        &mut station,
        &format!(
            r#"{{"cmd":"create_work_order","id":"{wo}-24","gtin":"09506000134352","lot":"LOT42","levels":[{{"level":"case","capacity":24}}]}}"#
        ),
    );
    ok(
        &mut station,
        &format!(r#"{{"cmd":"select_work_order","id":"{wo}-1"}}"#),
    );

    let bare = bare_commit_ms(&dir, size.scans.min(1000));
    println!(
        "bare SQLite WAL commit (synchronous=FULL) here: p50 {:.3} ms  p99 {:.3} ms",
        percentile(&bare, 0.5),
        percentile(&bare, 0.99)
    );

    // Single scans: one open-case scan, then 20 packs (the 20th closes the case with its events).
    let mut pack_ms = Vec::with_capacity(size.scans);
    let mut close_ms = Vec::new();
    let mut case_no = (run as usize % 100_000) * 10_000;
    let t_all = Instant::now();
    let mut done = 0;
    while done < size.scans {
        case_no += 1;
        ok(
            &mut station,
            &format!(r#"{{"cmd":"scan","data":"{}"}}"#, sscc(case_no)),
        );
        for p in 0..20 {
            let req = line(&format!(
                r#"{{"cmd":"scan","data":"]d201095060001343521727123110LOT42\u001d21R{run}N{case_no}P{p}"}}"#
            ));
            let t = Instant::now();
            let r = station.execute(req);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            assert!(r.ok, "{:?} {:?}", r.code, r.detail);
            if r.closed {
                close_ms.push(ms);
            } else {
                pack_ms.push(ms);
            }
            done += 1;
        }
    }
    let elapsed = t_all.elapsed().as_secs_f64();
    pack_ms.sort_by(f64::total_cmp);
    close_ms.sort_by(f64::total_cmp);
    println!(
        "single scans on {} units: {done} scans in {elapsed:.2} s = {:.0} scans/s (incl. case labels)",
        size.units,
        f64::from(u32::try_from(done).unwrap_or(0)) / elapsed
    );
    println!(
        "  pack scan   p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        percentile(&pack_ms, 0.5),
        percentile(&pack_ms, 0.99),
        pack_ms[pack_ms.len() - 1]
    );
    println!(
        "  station overhead above the bare commit at p50: {:.3} ms",
        percentile(&pack_ms, 0.5) - percentile(&bare, 0.5)
    );
    println!(
        "  closing scan (ADD of 20 + completeness events) p50 {:.3} ms  p99 {:.3} ms",
        percentile(&close_ms, 0.5),
        percentile(&close_ms, 0.99)
    );

    // Batches of 24 (a camera layer read) into cases of 24.
    ok(
        &mut station,
        &format!(r#"{{"cmd":"select_work_order","id":"{wo}-24"}}"#),
    );
    let mut batch_ms = Vec::with_capacity(size.batches);
    for b in 0..size.batches {
        case_no += 1;
        ok(
            &mut station,
            &format!(r#"{{"cmd":"scan","data":"{}"}}"#, sscc(case_no)),
        );
        let scans: Vec<String> = (0..24)
            .map(|p| format!("]d201095060001343521727123110LOT42\u{1d}21R{run}B{b}P{p}"))
            .collect();
        let req = Request::ScanBatch { data: scans };
        let t = Instant::now();
        let r = station.execute(req);
        batch_ms.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(r.ok && r.closed, "{:?} {:?}", r.code, r.detail);
    }
    batch_ms.sort_by(f64::total_cmp);
    println!(
        "24-scan batch (one command, closes the case): p50 {:.2} ms  p99 {:.2} ms  = {:.0} scans/s",
        percentile(&batch_ms, 0.5),
        percentile(&batch_ms, 0.99),
        24.0 / percentile(&batch_ms, 0.5) * 1e3
    );
}
