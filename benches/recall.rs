//! Recall benchmark (issue 18): the recall of a lot of 100,000 packs in a database of 10
//! million units — every unit of the lot with its top container and status, grouped, with the
//! containers to pull — as the `recall` command and `packbench report recall` compute it.
//!
//! `cargo bench --bench recall` builds the database once under `target/bench-data/recall`
//! with bulk SQL (other lots in cases of 20 on pallets of 50 cases; the recalled lot's 100,000
//! packs in cases on 100 pallets, a few loose, a case on hold) and reuses it. Under
//! `cargo test` it runs a small smoke version. Figures are printed, never asserted.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use packbench::store::Store;
use std::path::Path;
use std::time::Instant;

const GTIN: &str = "09506000134352";
const LOT: &str = "RECALL1";

/// Fills the units table: `total` units, of which `lot_packs` packs of the recalled lot.
fn prefill(dir: &Path, total: i64, lot_packs: i64) {
    let path = dir.join("packbench.sqlite");
    if path.exists() {
        let store = Store::open(&path).expect("open");
        let n: i64 = store
            .conn()
            .raw_sqlite()
            .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
            .expect("count");
        if n >= total {
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
    let sql = tx.raw_sqlite();
    // Layout by id: pallets first, then cases, then packs, each level computed from its id so
    // one INSERT … SELECT per level writes it.
    // 20 packs per case, 50 cases per pallet: 1.051 units per pack.
    let packs = total * 1000 / 1051 + 20;
    let cases = packs / 20;
    let pallets = cases / 50 + 1;
    let lot_cases = lot_packs / 20;
    sql.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {pallets})
         INSERT INTO units (id, key, epc, level, status, state, child_count, capacity, published, updated_ms)
         SELECT i, printf('(00)2%016dP', i), printf('urn:epc:id:sscc:9506000.2%09d', i), 'pallet', 'active', 'closed', 50, 50, 1, 0 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases})
         INSERT INTO units (id, key, epc, level, status, state, child_count, capacity, parent_id, published, updated_ms)
         SELECT {pallets} + i, printf('(00)1%016dC', i), printf('urn:epc:id:sscc:9506000.1%09d', i), 'case', 'active', 'closed', 20, 20, 1 + (i - 1) / 50, 1, 0 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {packs})
         INSERT INTO units (id, key, epc, level, status, gtin, lot, expiry, parent_id, published, updated_ms)
         SELECT {pallets} + {cases} + i, printf('(01){GTIN}(21)S%012d', i), printf('urn:epc:id:sgtin:9506000.013435.S%012d', i), 'pack', 'active', '{GTIN}',
                CASE WHEN (i - 1) / 20 < {lot_cases} THEN '{LOT}' ELSE printf('L%d', ((i - 1) / 20) % 5000) END,
                '271231', {pallets} + 1 + (i - 1) / 20, 1, 0 FROM n;"
    ))
    .expect("bulk insert");
    // One in 997 of the lot loose.
    sql.execute_batch(&format!(
        "UPDATE units SET parent_id = NULL WHERE lot = '{LOT}' AND id % 997 = 0;"
    ))
    .expect("loose");
    tx.commit().expect("commit");
    println!(
        "prefilled {total} units ({lot_packs} of lot {LOT}) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (total, lot_packs) = if full {
        (10_000_000_i64, 100_000_i64)
    } else {
        (50_000, 2_000)
    };
    let dir = if full {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/recall")
    } else {
        tempfile_dir()
    };
    std::fs::create_dir_all(&dir).expect("mkdir");
    prefill(&dir, total, lot_packs);
    let store = Store::open_dir(&dir).expect("open");
    let conn = store.conn();
    let mut times = Vec::new();
    let mut last = None;
    for round in 0..5 {
        let t = Instant::now();
        let r =
            packbench::station::recall_report(conn, GTIN, LOT, "+00:00", true, 0).expect("recall");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "round {round}: {ms:.0} ms ({} units, {} top containers, {} to pull)",
            r.counts.total(),
            r.groups.len(),
            r.containers_to_pull.len()
        );
        times.push(ms);
        last = Some(r);
    }
    let r = last.expect("ran");
    assert_eq!(r.counts.total(), usize::try_from(lot_packs).unwrap_or(0));
    let t = Instant::now();
    let csv = packbench::station::recall_csv(&r);
    let csv_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let pdf = packbench::report::recall::render_recall(&r, 0);
    let pdf_ms = t.elapsed().as_secs_f64() * 1e3;
    times.sort_by(f64::total_cmp);
    println!(
        "recall of {lot_packs} packs in {total} units: best {:.0} ms, median {:.0} ms (goal <= 1000 ms); CSV {:.0} ms ({} bytes); PDF {:.0} ms ({} bytes)",
        times[0],
        times[times.len() / 2],
        csv_ms,
        csv.len(),
        pdf_ms,
        pdf.len()
    );
}

/// A fresh directory for the smoke run (removed by the OS's temp cleaning).
fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("packbench-recall-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}
