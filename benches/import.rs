//! Import benchmark: a 100,000-event EPCIS 2.0 JSON-LD file (pallets of cases of packs as a
//! packaging line reports them: one commissioning ObjectEvent per pack with ILMD, one per
//! case and pallet, one packing AggregationEvent per case and pallet, loose packs to make the
//! count exact; every event with its CBV 2.0 hash ID) taken in by `import_epcis` into a fresh
//! data directory: reading, checking every event and hash ID, and adopting every unit.
//!
//! `cargo bench --bench import` runs the full size (goal: 10 s or less in release). Under
//! `cargo test` it runs a small smoke version. The file is built from a seed, printed;
//! `PB_IMPORT_BENCH_SEED=<seed>` builds the same file again, `PB_IMPORT_BENCH_EVENTS=<n>` one
//! of another size. Figures are printed, never
//! asserted: timing depends on the machine.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

/// The seeded EPCIS files of the integration tests.
// The bench uses the pallet builder and the JSON-LD writer only.
#[allow(dead_code)]
#[path = "../tests/it/harness/epcis_files.rs"]
mod epcis_files;

use epcis_files::{Ev, Syntax};
use packbench::epcis::read_document;
use packbench::station::{Request, Station};
use rand::Rng;
use std::time::Instant;

const T0: i64 = 1_714_557_600_000;

/// Events for `target` events exactly, and how many units they name: pallets of 20 to 40
/// cases of 10 to 24 packs (2 to 4 of 3 to 6 when `small`).
fn events(seed: u64, target: usize, small: bool) -> (Vec<Ev>, usize) {
    let (case_range, pack_range) = if small {
        (2..=4, 3..=6)
    } else {
        (20..=40, 10..=24)
    };
    let mut rng = epcis_files::rng(seed);
    let mut events: Vec<Ev> = Vec::with_capacity(target);
    let mut units = 0;
    let mut n = 0u64;
    loop {
        let cases = rng.random_range(case_range.clone());
        let packs = rng.random_range(pack_range.clone());
        // Per pallet: a commissioning event per pack, then per case one for the case and its
        // packing, then the pallet's two.
        let size = cases * (packs + 2) + 2;
        if events.len() + size > target {
            break;
        }
        let t = events.last().map_or(T0, |e: &Ev| e.time_ms);
        let p = epcis_files::pallet(&mut rng, &format!("P{n}X"), n * 100, cases, packs, t, true);
        units += p.units();
        events.extend(p.events);
        n += 1;
    }
    // Loose packs (spares commissioned and not packed) make the count exact.
    let template = events
        .iter()
        .find(|e| e.ilmd.is_some())
        .cloned()
        .expect("a pallet at least");
    let mut t = events.last().map_or(T0, |e| e.time_ms);
    for i in events.len()..target {
        let mut e = template.clone();
        t += 500;
        e.time_ms = t;
        e.epcs = vec![epcis_files::pack_epc(&format!("LOOSE{i:07}"))];
        events.push(e);
        units += 1;
    }
    (events, units)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let target = std::env::var("PB_IMPORT_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 100_000 } else { 400 });
    let seed = epcis_files::seed_from_env("PB_IMPORT_BENCH_SEED");
    let started = Instant::now();
    let (events, units) = events(seed, target, !full);
    let doc = epcis_files::document(&events, Syntax::JsonLd, T0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("line-batch.jsonld");
    std::fs::write(&file, &doc).unwrap();
    println!(
        "import: {} events naming {units} units, {:.1} MB, built in {:.1} s",
        events.len(),
        doc.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    // Reading and checking alone (every event, every hash ID).
    let t = Instant::now();
    let read = read_document(&doc, &[]).unwrap();
    let read_secs = t.elapsed().as_secs_f64();
    assert_eq!(read.facts.len(), events.len());

    // The whole import into a fresh data directory: read, check, adopt, commit.
    let data = tempfile::tempdir().unwrap();
    let mut station = Station::open(data.path()).unwrap();
    for r in [
        Request::InitAdmin {
            user: "admin".into(),
            full_name: "Ada Admin".into(),
            password: "admin-pass-1".into(),
        },
        Request::Login {
            user: "admin".into(),
            password: "admin-pass-1".into(),
        },
    ] {
        let answer = station.execute(r);
        assert!(answer.ok, "{answer:?}");
    }
    let t = Instant::now();
    let answer = station.execute(Request::ImportEpcis {
        paths: vec![file.display().to_string()],
    });
    let secs = t.elapsed().as_secs_f64();
    assert!(answer.ok, "{answer:?}");
    let data_out = answer.data.unwrap();
    assert_eq!(data_out["units"], units, "{data_out}");
    assert_eq!(data_out["created"], units);
    println!(
        "import: read and checked in {read_secs:.2} s = {:.0} events/s",
        events.len() as f64 / read_secs
    );
    println!(
        "import: parse + validate + adopt {} events ({units} units) in {secs:.2} s = {:.0} events/s (goal: 100,000 events in 10 s or less, release)",
        events.len(),
        events.len() as f64 / secs
    );
}
