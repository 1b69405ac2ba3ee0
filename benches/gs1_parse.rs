//! Parses per second for typical pharma scans.
//!
//! `cargo bench --bench gs1_parse` measures about one second per scan in the `bench`
//! profile; run without `--bench` (as `cargo test --all-targets` does) it only makes a
//! short smoke run so that the test suite stays fast.

use std::hint::black_box;
use std::time::{Duration, Instant};

use packbench::gs1::{ParseOptions, parse};

const SCANS: &[(&str, &str)] = &[
    (
        "pack DataMatrix ]d2 (01)(17)(10)(21)",
        "]d201095060001343521727123110LOT42\u{1d}21SN0001",
    ),
    (
        "pack, wedge escape \\x1d, no AIM id",
        "01095060001343521727123110LOT42\\x1d21SN0001",
    ),
    (
        "pack + NHRN (714)",
        "]d201095060001343521727123110LOT42\u{1d}21SN0001\u{1d}7141234567",
    ),
    ("case label GS1-128 ]C1 (00)", "]C100106141412345678908"),
    (
        "case content (00)(02)(37)(10)",
        "]C10010614141234567890802095060001343523724\u{1d}10LOT42",
    ),
    (
        "bracketed (01)(17)(10)(21)",
        "(01)09506000134352(17)271231(10)LOT42(21)SN0001",
    ),
    (
        "Digital Link /01/10/21?17",
        "https://id.gs1.org/01/09506000134352/10/LOT42/21/SN0001?17=271231",
    ),
];

fn measure(scan: &str, opts: &ParseOptions, budget: Duration) -> (u64, Duration) {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            let parsed = parse(black_box(scan), opts);
            black_box(parsed.is_ok());
        }
        n += 100;
    }
    (n, start.elapsed())
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let budget = if full {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(20)
    };
    let opts = ParseOptions::default();
    for (_, scan) in SCANS {
        assert!(
            parse(scan, &opts).is_ok(),
            "benchmark scan must be valid: {scan}"
        );
    }
    println!(
        "gs1_parse ({}):",
        if full {
            "measured"
        } else {
            "smoke run; use cargo bench for figures"
        }
    );
    let (mut total_n, mut total_t) = (0u64, Duration::ZERO);
    for (name, scan) in SCANS {
        let (n, t) = measure(scan, &opts, budget);
        total_n += n;
        total_t += t;
        let per_s = n as f64 / t.as_secs_f64();
        println!(
            "  {name:<40} {per_s:>12.0} parses/s  {:>8.2} µs/parse",
            1e6 / per_s
        );
    }
    let per_s = total_n as f64 / total_t.as_secs_f64();
    println!("  {:<40} {per_s:>12.0} parses/s", "all scans");
}
