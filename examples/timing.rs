//! debug timing
use packbench::devices::decode::*;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = load_gray(std::path::Path::new(&path)).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let r = debug_locate(&img);
        let l = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let (c, s) = decode_image_with_stats(
            &img,
            &DecodeOptions {
                threads: 1,
                ..DecodeOptions::layer(None)
            },
        );
        let d1 = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let (c2, _) = decode_image_with_stats(&img, &DecodeOptions::default());
        let d2 = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let (c3, _) = decode_image_with_stats(&img, &DecodeOptions::layer(Some(24)));
        let d3 = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "locate {l:.1}ms ({} regions); layer 1thread {d1:.1}ms {} codes {:?}; default 2 threads {d2:.1}ms {}; layer24 {d3:.1}ms {}",
            r.len(),
            c.len(),
            s,
            c2.len(),
            c3.len()
        );
    }
}
