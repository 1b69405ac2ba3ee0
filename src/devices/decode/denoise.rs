//! Sensor noise. A cheap webcam in dim light adds grain of several grey levels to every pixel;
//! on grey ink over grey board that grain is as strong as the symbol's own contrast, and
//! rxing's binariser and edge tracer then see a speckled symbol (and the region search sees
//! edges everywhere) where a smoothed picture reads at once. The grain is measured on the
//! picture itself and, where it is strong, the picture is smoothed before the search.

use std::time::Instant;

use image::GrayImage;

use super::found::DecodeStats;
use super::prepare::boost;
use super::search::{self, module_guess};
use super::sweep::median_extent;
use super::{DecodeOptions, DecodedCode};

/// Estimated noise (grey levels) from which the picture is smoothed before the search.
const NOISY: f32 = 4.0;

/// Estimated grain between pixels two apart from which the picture is smoothed.
const NOISY_APART: f32 = 6.0;

/// Symbols this wide (pixels) and more have modules of three pixels or more, which smoothing
/// leaves readable; smaller ones may have been lost to it.
const SMOOTHED_SIDE: f32 = 60.0;

/// The search over `image`, smoothed first where its grain is strong (`is_grainy`); a smoothed
/// picture where nothing was read, or only symbols under `SMOOTHED_SIDE` (modules near two
/// pixels, which smoothing blurs together), is searched as it is too, within what is left of
/// the time budget, and the reads of both are joined. A picture searched as it is where
/// nothing was read (or fewer codes than expected) is searched smoothed and with its local
/// contrast boosted too: JPEG keeps the coarse part of the grain, which the estimate (on
/// neighbouring pixels) misses, and grey ink of a tenth of the board's brightness leaves the
/// region search no blob to look at.
pub(super) fn run_with_stats(
    image: &GrayImage,
    options: &DecodeOptions,
) -> (Vec<DecodedCode>, DecodeStats) {
    let started = Instant::now();
    let short = |codes: &[DecodedCode]| {
        codes.is_empty()
            || options
                .expected_codes
                .is_some_and(|expected| codes.len() < expected)
    };
    if !is_grainy(image) {
        let (codes, stats) = search::run_with_stats(image, options);
        if !short(&codes) {
            return (codes, stats);
        }
        return search::search_again((codes, stats), options, started, |options| {
            let radius = module_guess(image.width().min(image.height()));
            search::run_with_stats(&boost(&smoothed(image), radius), options)
        });
    }
    let (codes, stats) = search::run_with_stats(&smoothed(image), options);
    let fine = median_extent(&codes).is_none_or(|(side, _)| side < SMOOTHED_SIDE);
    let complete = options
        .expected_codes
        .is_some_and(|expected| codes.len() >= expected);
    if !fine || complete {
        return (codes, stats);
    }
    search::search_again((codes, stats), options, started, |options| {
        search::run_with_stats(image, options)
    })
}

/// The sensor noise's standard deviation in grey levels, estimated from the second
/// differences along sampled rows, `|2 p(x) − p(x−1) − p(x+1)|`: on flat board and paper
/// (most of any picture) these are noise only, and for independent noise of deviation σ they
/// are normal with deviation σ√6. Their 30th percentile (edges and texture lie above it) is
/// 0.385 σ√6 ≈ 0.943 σ.
pub(super) fn noise_sigma(image: &GrayImage) -> f32 {
    grain(image, 1)
}

/// Whether the picture is smoothed before the search: grain of `NOISY` between neighbouring
/// pixels, or of `NOISY_APART` between pixels two apart. JPEG drops the finest part of the
/// grain and keeps the coarser part: grain of 8 grey levels under quality 70 shows about 4
/// between neighbours and 7 two apart, while grain that was never compressed gives the same
/// figure both ways (the benchmark's drawn pictures, grain up to 5, read the same with the
/// second test as without it).
pub(super) fn is_grainy(image: &GrayImage) -> bool {
    noise_sigma(image) >= NOISY || grain(image, 2) >= NOISY_APART
}

/// [`noise_sigma`] from the second differences of pixels `apart` apart.
fn grain(image: &GrayImage, apart: usize) -> f32 {
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width < 2 * apart + 1 || height == 0 {
        return 0.0;
    }
    let step = (height / 96).max(1);
    let mut histogram = [0u32; 511];
    let mut count = 0u32;
    for row in image.as_raw().chunks_exact(width).step_by(step) {
        for window in row.windows(2 * apart + 1) {
            let residual =
                2 * i32::from(window[apart]) - i32::from(window[0]) - i32::from(window[2 * apart]);
            histogram[residual.unsigned_abs() as usize] += 1;
            count += 1;
        }
    }
    let wanted = count * 3 / 10;
    let mut seen = 0;
    for (value, &times) in histogram.iter().enumerate() {
        seen += times;
        if seen > wanted {
            // The residuals are integers: the percentile's bin is taken at its middle.
            let below = seen - times;
            let within = (wanted - below) as f32 / times.max(1) as f32;
            return (value as f32 - 0.5 + within).max(0.0) / 0.943;
        }
    }
    0.0
}

/// `image` smoothed with the 3 × 3 kernel `[1 2 1]ᵀ [1 2 1] / 16` (edges repeated): grain of
/// independent pixels drops to 0.375 of its deviation, while a module of 3 px keeps most of
/// its contrast.
pub(super) fn smoothed(image: &GrayImage) -> GrayImage {
    let (width, height) = image.dimensions();
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return image.clone();
    }
    let src = image.as_raw();
    // Along the rows first (weights 1 2 1, sums up to 1,020), then down the columns.
    let mut across = vec![0u16; w * h];
    for (row, out) in src.chunks_exact(w).zip(across.chunks_exact_mut(w)) {
        for x in 0..w {
            let left = row[x.saturating_sub(1)];
            let right = row[(x + 1).min(w - 1)];
            out[x] = u16::from(left) + 2 * u16::from(row[x]) + u16::from(right);
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let (up, here, down) = (y.saturating_sub(1), y, (y + 1).min(h - 1));
        let (up, here, down) = (
            &across[up * w..(up + 1) * w],
            &across[here * w..(here + 1) * w],
            &across[down * w..(down + 1) * w],
        );
        for (x, pixel) in out[y * w..(y + 1) * w].iter_mut().enumerate() {
            let total = u32::from(up[x]) + 2 * u32::from(here[x]) + u32::from(down[x]);
            *pixel = ((total + 8) / 16) as u8;
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| image.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::synth::{Condition, Params, generate};

    /// A `width` × `height` picture of flat grey 120 with a dark square in the middle, plus
    /// independent noise of deviation `sigma` (a fixed-seed generator: a sum of uniforms).
    fn picture(width: u32, height: u32, sigma: f32, seed: u64) -> GrayImage {
        let mut state = seed | 1;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f32 / (1u64 << 53) as f32
        };
        GrayImage::from_fn(width, height, |x, y| {
            let inside = (width / 3..2 * width / 3).contains(&x)
                && (height / 3..2 * height / 3).contains(&y);
            let base = if inside { 60.0 } else { 120.0 };
            // Twelve uniforms have deviation 1 about 6.
            let normal: f32 = (0..12).map(|_| uniform()).sum::<f32>() - 6.0;
            image::Luma([(base + sigma * normal).round().clamp(0.0, 255.0) as u8])
        })
    }

    #[test]
    fn a_grainy_grey_layer_reads_once_smoothed() {
        // Grey ink on grey board (30 % contrast) under grain of 9 grey levels: the binariser
        // and the region search see speckle where the smoothed frame reads.
        grainy_layer_reads(None);
    }

    #[test]
    fn a_grainy_grey_layer_through_jpeg_reads_once_smoothed() {
        // The generator's hardest 1920×1080 layer (30 % contrast, blur, uneven light, JPEG at
        // quality 70) under grain of 8 levels: JPEG hides most of the grain from neighbouring
        // pixels but not from pixels two apart.
        grainy_layer_reads(Some(70));
    }

    fn grainy_layer_reads(jpeg: Option<u8>) {
        let (mut read, mut plain_read, mut total) = (0, 0, 0);
        for seed in [11u64, 2024, 777_001] {
            let params = match jpeg {
                None => Params {
                    noise: 9.0,
                    contrast: 0.3,
                    jpeg: None,
                    blur: 0.0,
                    motion: 0.0,
                    ..Params::draw(Condition::LayerHd, seed)
                },
                Some(_) => Params {
                    noise: 8.0,
                    ..Params::hardest(Condition::LayerHd)
                },
            };
            let scene = generate(&params, seed);
            assert!(is_grainy(&scene.image), "seed {seed}");
            let options = DecodeOptions::default();
            let count = |codes: &[DecodedCode]| {
                let texts: Vec<&str> = codes.iter().map(|code| code.text.as_str()).collect();
                scene
                    .codes
                    .iter()
                    .filter(|code| texts.contains(&code.text.as_str()))
                    .count()
            };
            let (codes, _) = run_with_stats(&scene.image, &options);
            assert_eq!(
                count(&codes),
                codes.len(),
                "seed {seed}: a code not in the picture"
            );
            read += count(&codes);
            plain_read += count(&search::run_with_stats(&scene.image, &options).0);
            total += scene.codes.len();
        }
        assert!(read * 10 >= total * 9, "{read} of {total} read");
        assert!(
            plain_read * 2 < read,
            "unsmoothed {plain_read}, smoothed {read}"
        );
    }

    #[test]
    fn the_estimate_follows_the_grain() {
        for (sigma, seed) in [(0.0f32, 1u64), (2.0, 2), (4.0, 3), (8.0, 4), (12.0, 5)] {
            let estimate = noise_sigma(&picture(640, 480, sigma, seed));
            assert!(
                (estimate - sigma).abs() <= 0.5 + sigma * 0.15,
                "sigma {sigma}: estimated {estimate}"
            );
        }
        assert_eq!(noise_sigma(&GrayImage::new(2, 2)), 0.0);
    }

    #[test]
    fn smoothing_takes_most_of_the_grain_and_keeps_the_edge() {
        let noisy = picture(300, 300, 8.0, 9);
        let smooth = smoothed(&noisy);
        let estimate = noise_sigma(&smooth);
        assert!(estimate < 4.0, "after smoothing {estimate}");
        // Well inside and outside the square the levels stay; across its edge they change
        // within two pixels.
        let mean = |x0: u32, y0: u32| {
            let mut total = 0u32;
            for y in y0..y0 + 10 {
                for x in x0..x0 + 10 {
                    total += u32::from(smooth.get_pixel(x, y)[0]);
                }
            }
            total as f32 / 100.0
        };
        assert!((mean(140, 140) - 60.0).abs() < 3.0);
        assert!((mean(20, 20) - 120.0).abs() < 3.0);
        let row = |x: u32| f32::from(smooth.get_pixel(x, 150)[0]);
        assert!(
            row(97) > 100.0 && row(102) < 80.0,
            "{} {}",
            row(97),
            row(102)
        );
        let flat = GrayImage::from_pixel(5, 4, image::Luma([77]));
        assert_eq!(smoothed(&flat), flat);
    }
}
