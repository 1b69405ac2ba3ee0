//! Decoder benchmark over generated pictures (`packbench::devices::synth`): per condition
//! class, codes read, false reads (codes reported that are not in the picture), reads dropped
//! by GS1 validation and decode time, side by side with zxing-cpp when
//! `PACKBENCH_PEER_PYTHON` names a Python with `zxingcpp` and `PIL` (see
//! `tests/data/images/README.md`). Run with `cargo bench --bench decode`.
//!
//! Each run draws a fresh seed (printed); `PACKBENCH_SEED=N` replays a run. Both decoders get
//! the same frames and the same symbologies (the pharma set); times exclude loading. Every false
//! read is printed with its picture seed; `PACKBENCH_VERBOSE=1` also prints each picture's
//! count, time and search statistics, and `PACKBENCH_CLASSES=layer-sd,clean` runs only the
//! named classes; `PACKBENCH_KEEP=folder` keeps the pictures there. Run
//! without `--bench` (as `cargo test --all-targets` does) it decodes one picture per class,
//! without the peer: a smoke run that keeps the test suite fast. The fixed corpus under
//! `tests/data/images/` is a regression test (`tests/it/decode_images.rs`), not a benchmark.

// A benchmark: a broken setup (temporary folder, PNG writer) should stop it loudly.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use packbench::devices::decode::{DecodeOptions, decode_image_with_stats};
use packbench::devices::layer::LayerReader;
use packbench::devices::synth::{Condition, Params, fresh_seed, generate};

const PEER_SCRIPT: &str = r#"
import sys, time, os
import zxingcpp
from PIL import Image
folder = sys.argv[1]
F = zxingcpp.BarcodeFormat
formats = [F.DataMatrix, F.QRCode, F.Code128, F.DataBar, F.DataBarExp]
for name in sorted(os.listdir(folder)):
    if not name.endswith('.png'):
        continue
    img = Image.open(os.path.join(folder, name)).convert('L')
    t = time.perf_counter(); results = zxingcpp.read_barcodes(img, formats=formats); ms = (time.perf_counter() - t) * 1000
    texts = set(r.bytes.decode('latin-1') for r in results)
    print(name, ms, '\x1e'.join(sorted(texts)), sep='\t')
"#;

/// Pictures per class in a full run (singles hold one code, layers 12–48).
fn pictures(condition: Condition, full: bool) -> usize {
    match (condition, full) {
        (_, false) => 1,
        (Condition::LayerSd, true) => 10,
        (Condition::LayerHd, true) => 6,
        (Condition::Layer4k, true) => 4,
        (_, true) => 60,
    }
}

/// A well-mixed seed for picture `index` of `condition` in the run seeded `seed`.
fn picture_seed(seed: u64, condition: Condition, index: usize) -> u64 {
    let mut z = seed
        .wrapping_add((condition as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(index as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Per written picture: its class, its codes and its size.
type Expected = (Condition, BTreeSet<String>, (u32, u32));

#[derive(Default)]
struct Tally {
    pictures: usize,
    codes: usize,
    read: usize,
    false_reads: usize,
    rejected: usize,
    ms: Vec<f64>,
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// Per file: (ms, texts) from zxing-cpp over every PNG in `folder`.
fn peer(folder: &Path) -> Option<BTreeMap<String, (f64, BTreeSet<String>)>> {
    let python = std::env::var("PACKBENCH_PEER_PYTHON").ok()?;
    let output = Command::new(python)
        .args(["-c", PEER_SCRIPT, &folder.to_string_lossy()])
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
    let verbose = std::env::var_os("PACKBENCH_VERBOSE").is_some();
    let keep = std::env::var_os("PACKBENCH_KEEP").map(std::path::PathBuf::from);
    if let Some(keep) = &keep {
        std::fs::create_dir_all(keep).expect("PACKBENCH_KEEP names a folder that can be made");
    }
    let seed = std::env::var("PACKBENCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(fresh_seed);
    println!("seed {seed} (replay: PACKBENCH_SEED={seed} cargo bench --bench decode)");
    if !full {
        println!("smoke run (one picture per class, no peer); use cargo bench --bench decode");
    }
    let folder = tempfile::tempdir().expect("temporary folder");
    let options = DecodeOptions::default();
    let mut ours: BTreeMap<Condition, Tally> = BTreeMap::new();
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut layer_mode_hd = Vec::new();
    let mut ours_hd = Vec::new();
    let only: Option<Vec<String>> = std::env::var("PACKBENCH_CLASSES")
        .ok()
        .map(|list| list.split(',').map(|name| name.trim().to_owned()).collect());
    for condition in Condition::ALL {
        if only
            .as_ref()
            .is_some_and(|names| !names.iter().any(|name| name == condition.name()))
        {
            continue;
        }
        for index in 0..pictures(condition, full) {
            let picture = picture_seed(seed, condition, index);
            let params = Params::draw(condition, picture);
            let scene = generate(&params, picture);
            let want: BTreeSet<String> = scene.codes.iter().map(|c| c.text.clone()).collect();
            let started = Instant::now();
            let (codes, stats) = decode_image_with_stats(&scene.image, &options);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            for ghost in codes.iter().filter(|c| !want.contains(&c.text)) {
                // Every false read is shown with what the picture held, so it can be replayed
                // (generate(Params::draw(class, picture seed), picture seed)) and fixed.
                println!(
                    "false read in {}-{index:03} (picture seed {picture}): {} {:?} at {:?}; the picture holds {:?}",
                    condition.name(),
                    ghost.aim_id,
                    ghost.text,
                    ghost.corners,
                    want
                );
            }
            if verbose && stats.regions > 0 {
                println!(
                    "{}-{index:03} (picture seed {picture}): {}/{} in {ms:.1} ms, {stats:?}",
                    condition.name(),
                    want.iter()
                        .filter(|t| codes.iter().any(|c| &c.text == *t))
                        .count(),
                    want.len(),
                );
            }
            let found: BTreeSet<String> = codes.into_iter().map(|c| c.text).collect();
            let tally = ours.entry(condition).or_default();
            tally.pictures += 1;
            tally.codes += want.len();
            tally.read += want.intersection(&found).count();
            tally.false_reads += found.difference(&want).count();
            tally.rejected += stats.rejected;
            tally.ms.push(ms);
            let size = scene.image.dimensions();
            if size == (1920, 1080) {
                ours_hd.push(ms);
                let reader = LayerReader::new(Some(want.len()), None);
                layer_mode_hd.push(reader.read(&scene.image).decode_ms);
            }
            if let Some(keep) = &keep {
                let name = format!("{}-{index:03}.png", condition.name());
                scene.image.save(keep.join(name)).expect("PNG kept");
            }
            if full {
                let name = format!("{}-{index:03}.png", condition.name());
                scene
                    .image
                    .save(folder.path().join(&name))
                    .expect("PNG written");
                expected.insert(name, (condition, want, size));
            }
        }
    }
    let peer_results = if full { peer(folder.path()) } else { None };
    let mut theirs: BTreeMap<Condition, Tally> = BTreeMap::new();
    let mut theirs_hd = Vec::new();
    if let Some(results) = &peer_results {
        for (name, (condition, want, size)) in &expected {
            let tally = theirs.entry(*condition).or_default();
            tally.pictures += 1;
            tally.codes += want.len();
            if let Some((ms, found)) = results.get(name) {
                tally.read += want.intersection(found).count();
                tally.false_reads += found.difference(want).count();
                tally.ms.push(*ms);
                if *size == (1920, 1080) {
                    theirs_hd.push(*ms);
                }
            }
        }
    }
    println!(
        "{:<14} {:>5} {:>6} | {:>9} {:>5} {:>4} {:>9} {:>8} | {:>9} {:>5} {:>9} {:>8}",
        "class",
        "pics",
        "codes",
        "ours",
        "false",
        "rej",
        "ms all",
        "ms med",
        "zxing-cpp",
        "false",
        "ms all",
        "ms med"
    );
    let mut total = (Tally::default(), Tally::default());
    for condition in Condition::ALL {
        let Some(o) = ours.get(&condition) else {
            continue;
        };
        let t = theirs.get(&condition);
        let peer_cols = match t {
            Some(t) => format!(
                "{:>9} {:>5} {:>9.0} {:>8.1}",
                format!("{}/{}", t.read, t.codes),
                t.false_reads,
                t.ms.iter().sum::<f64>(),
                median(&t.ms)
            ),
            None => format!("{:>9} {:>5} {:>9} {:>8}", "-", "-", "-", "-"),
        };
        println!(
            "{:<14} {:>5} {:>6} | {:>9} {:>5} {:>4} {:>9.0} {:>8.1} | {peer_cols}",
            condition.name(),
            o.pictures,
            o.codes,
            format!("{}/{}", o.read, o.codes),
            o.false_reads,
            o.rejected,
            o.ms.iter().sum::<f64>(),
            median(&o.ms),
        );
        total.0.pictures += o.pictures;
        total.0.codes += o.codes;
        total.0.read += o.read;
        total.0.false_reads += o.false_reads;
        total.0.rejected += o.rejected;
        total.0.ms.extend(&o.ms);
        if let Some(t) = t {
            total.1.read += t.read;
            total.1.false_reads += t.false_reads;
            total.1.ms.extend(&t.ms);
        }
    }
    let (o, t) = &total;
    println!(
        "{:<14} {:>5} {:>6} | {:>9} {:>5} {:>4} {:>9.0} {:>8.1} | {}",
        "TOTAL",
        o.pictures,
        o.codes,
        format!("{}/{}", o.read, o.codes),
        o.false_reads,
        o.rejected,
        o.ms.iter().sum::<f64>(),
        median(&o.ms),
        if peer_results.is_some() {
            format!(
                "{:>9} {:>5} {:>9.0} {:>8.1}",
                format!("{}/{}", t.read, o.codes),
                t.false_reads,
                t.ms.iter().sum::<f64>(),
                median(&t.ms)
            )
        } else {
            "zxing-cpp not run (set PACKBENCH_PEER_PYTHON)".to_owned()
        }
    );
    println!(
        "median 1920x1080 layer: ours {:.1} ms (pharma symbologies), {:.1} ms (layer mode: Data Matrix, count known); zxing-cpp {}",
        median(&ours_hd),
        median(&layer_mode_hd),
        if theirs_hd.is_empty() {
            "-".to_owned()
        } else {
            format!("{:.1} ms", median(&theirs_hd))
        }
    );
}
