//! The bundled sample images (`assets/samples/`, "Decode sample image" in the camera panel):
//! layers of training packs drawn with rxing's DataMatrix writer, so a newcomer can pack a
//! case from a picture. `PACKBENCH_WRITE_SAMPLES=1 cargo test --test samples` writes them;
//! otherwise this checks that the committed images decode to exactly the packs they show.

use std::collections::BTreeSet;
use std::path::Path;

use packbench::devices::decode::{DecodeOptions, decode_file};
use packbench::devices::render::layer;
use packbench::ui::demo;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples");

/// The raw element string of training pack `n` (what its DataMatrix holds).
fn pack(n: u32) -> String {
    format!(
        "01{}17{}10{}\u{1d}21TR{n:05}",
        demo::GTIN,
        demo::EXPIRY,
        demo::LOT
    )
}

/// file → the element strings it shows.
fn samples() -> Vec<(&'static str, Vec<String>)> {
    // A full case of the training order (20 packs, 5 × 4).
    let full: Vec<String> = (1..=demo::CASE_CAPACITY).map(pack).collect();
    // The same case with two packs missing and a pack whose serial is not commissioned.
    let mut partial: Vec<String> = (1..=demo::CASE_CAPACITY - 2).map(pack).collect();
    partial.push(format!(
        "01{}17{}10{}\u{1d}21XX99999",
        demo::GTIN,
        demo::EXPIRY,
        demo::LOT
    ));
    vec![
        ("training_case_layer.png", full),
        ("training_case_partial.png", partial),
    ]
}

#[test]
fn sample_images_show_the_training_packs() {
    let write = std::env::var("PACKBENCH_WRITE_SAMPLES").is_ok_and(|v| v == "1");
    for (file, data) in samples() {
        let path = Path::new(SAMPLES).join(file);
        if write {
            let img = layer(&data, 5, 4, 36).expect("render");
            img.save(&path).expect("write sample");
        }
        let report = decode_file(&path, &DecodeOptions::layer(Some(data.len()))).expect("decode");
        let seen: BTreeSet<String> = report.codes.iter().map(|c| c.text.clone()).collect();
        let expected: BTreeSet<String> = data.into_iter().collect();
        assert_eq!(seen, expected, "{file}");
        assert!(report.codes.iter().all(|c| c.aim_id == "]d2"), "{file}");
    }
}
