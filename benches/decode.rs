//! Decoder benchmark over `tests/data/images/`: per image the codes found / expected and
//! the median decode time, totals, and the median over the 1920×1080 case layers — side by
//! side with zxing-cpp when `PACKBENCH_PEER_PYTHON` names a Python with `zxingcpp` and `PIL`
//! (see `tests/data/images/README.md`). Run with `cargo bench --bench decode`.
//!
//! Times exclude loading the PNG for both decoders. `RUNS` (default 5) sets the repetitions.
//! Run without `--bench` (as `cargo test --all-targets` does) it makes one pass over the
//! layer images only, without the peer: a smoke run that keeps the test suite fast.

// A benchmark over a fixed corpus: a missing file is a broken setup and should stop it loudly.
#![allow(clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use packbench::devices::decode::{DecodeOptions, decode_image, load_gray};
use packbench::devices::layer::LayerReader;

const IMAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/images");

const PEER_SCRIPT: &str = r#"
import sys, time, glob, os, statistics
import zxingcpp
from PIL import Image
folder, runs = sys.argv[1], int(sys.argv[2])
for path in sorted(glob.glob(os.path.join(folder, '*.png'))):
    img = Image.open(path).convert('L')
    times = []
    for _ in range(runs):
        t = time.perf_counter(); results = zxingcpp.read_barcodes(img); times.append((time.perf_counter() - t) * 1000)
    texts = set(r.bytes.decode('latin-1') for r in results)
    print(os.path.basename(path), statistics.median(times), '\x1e'.join(sorted(texts)), sep='\t')
"#;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        0.0
    } else {
        values[values.len() / 2]
    }
}

/// Per file: (median ms, texts) from zxing-cpp.
fn peer(runs: usize) -> Option<HashMap<String, (f64, BTreeSet<String>)>> {
    let python = std::env::var("PACKBENCH_PEER_PYTHON").ok()?;
    let output = Command::new(python)
        .args(["-c", PEER_SCRIPT, IMAGES, &runs.to_string()])
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("peer failed: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    Some(
        text.lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let file = cols.next()?.to_owned();
                let ms: f64 = cols.next()?.parse().ok()?;
                let texts = cols
                    .next()
                    .unwrap_or("")
                    .split('\u{1e}')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect();
                Some((file, (ms, texts)))
            })
            .collect(),
    )
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let runs: usize = if full {
        std::env::var("RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5)
    } else {
        1
    };
    let manifest =
        std::fs::read_to_string(Path::new(IMAGES).join("manifest.tsv")).expect("manifest");
    let peer = if full { peer(runs) } else { None };
    if !full {
        println!("smoke run (layers only, one pass); use cargo bench --bench decode for figures");
    }
    let options = DecodeOptions::default();
    println!(
        "{:<52} {:>9} {:>9} {:>9} {:>9}",
        "image", "ours", "ms", "zxing-cpp", "ms"
    );
    let (mut ours_total, mut peer_total, mut expected_total, mut unexpected) = (0, 0, 0, 0);
    let (mut ours_ms_total, mut peer_ms_total) = (0.0, 0.0);
    let (mut layer_ms, mut layer_mode_ms, mut peer_layer_ms) = (Vec::new(), Vec::new(), Vec::new());
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let file = cols[0];
        if !full && !file.starts_with("multi_") {
            continue;
        }
        let expected: BTreeSet<String> = cols[5]
            .split(" | ")
            .map(|s| s.replace("\\x1d", "\u{1d}"))
            .collect();
        let image = load_gray(&Path::new(IMAGES).join(file)).expect("image loads");
        let mut times = Vec::new();
        let mut found = BTreeSet::new();
        for _ in 0..runs {
            let started = Instant::now();
            let codes = decode_image(&image, &options);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            found = codes.into_iter().map(|c| c.text).collect();
        }
        let ms = median(&mut times);
        let hits = expected.intersection(&found).count();
        unexpected += found.difference(&expected).count();
        ours_total += hits;
        expected_total += expected.len();
        ours_ms_total += ms;
        let is_layer = image.dimensions() == (1920, 1080);
        if is_layer {
            layer_ms.push(ms);
            let reader = LayerReader::new(Some(expected.len()), None);
            let mut times: Vec<f64> = (0..runs).map(|_| reader.read(&image).decode_ms).collect();
            layer_mode_ms.push(median(&mut times));
        }
        let (peer_hits, peer_ms) = match peer.as_ref().and_then(|p| p.get(file)) {
            Some((peer_ms, texts)) => {
                let hits = expected.intersection(texts).count();
                peer_total += hits;
                peer_ms_total += peer_ms;
                if is_layer {
                    peer_layer_ms.push(*peer_ms);
                }
                (
                    format!("{hits}/{}", expected.len()),
                    format!("{peer_ms:.1}"),
                )
            }
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "{file:<52} {:>9} {ms:>9.1} {peer_hits:>9} {peer_ms:>9}",
            format!("{hits}/{}", expected.len())
        );
    }
    println!(
        "{:<52} {:>9} {:>9.1} {:>9} {:>9.1}",
        "TOTAL",
        format!("{ours_total}/{expected_total}"),
        ours_ms_total,
        if peer.is_some() {
            format!("{peer_total}/{expected_total}")
        } else {
            "-".to_owned()
        },
        peer_ms_total
    );
    println!("unexpected codes (ours): {unexpected}");
    println!(
        "median 1920x1080 layer: ours {:.1} ms (all symbologies), {:.1} ms (layer mode: DataMatrix, 24 expected); zxing-cpp {}",
        median(&mut layer_ms),
        median(&mut layer_mode_ms),
        if peer_layer_ms.is_empty() {
            "-".to_owned()
        } else {
            format!("{:.1} ms", median(&mut peer_layer_ms))
        }
    );
}
