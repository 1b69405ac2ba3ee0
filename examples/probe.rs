use packbench::devices::decode::{DecodeOptions, decode_image_with_stats, load_gray};
use std::time::Instant;

fn main() {
    let manifest = std::fs::read_to_string("/work/shared/testdata/images/manifest.tsv").unwrap();
    let mut total = 0;
    let mut total_exp = 0;
    let mut unexpected = 0;
    let filter: Vec<String> = std::env::args().skip(1).collect();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if !filter.is_empty() && !filter.iter().any(|f| cols[0].contains(f.as_str())) {
            continue;
        }
        let expected: Vec<String> = cols[5]
            .split(" | ")
            .map(|s| s.replace("\\x1d", "\u{1d}"))
            .collect();
        let img = load_gray(std::path::Path::new(&format!(
            "/work/shared/testdata/images/{}",
            cols[0]
        )))
        .unwrap();
        let t = Instant::now();
        let (codes, stats) = decode_image_with_stats(&img, &DecodeOptions::default());
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let ok = expected
            .iter()
            .filter(|e| codes.iter().any(|c| &c.text == *e))
            .count();
        let bad: Vec<_> = codes
            .iter()
            .filter(|c| !expected.contains(&c.text))
            .map(|c| format!("{} {:?}", c.aim_id, c.text))
            .collect();
        total += ok;
        total_exp += expected.len();
        unexpected += bad.len();
        println!(
            "{:50} {:>2}/{:<2} {:7.1}ms {:?} {:?}",
            cols[0],
            ok,
            expected.len(),
            ms,
            stats,
            bad
        );
    }
    println!("TOTAL {total}/{total_exp} unexpected {unexpected}");
}
