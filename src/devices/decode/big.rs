//! Big frames (a 4k camera over a case): searched at half the size first, where symbols of the
//! usual size still have modules of three pixels and more and every step costs a quarter; the
//! frame is searched at its own size too only when that found nothing or only small symbols.

use std::time::Instant;

use image::GrayImage;

use super::found::DecodeStats;
use super::prepare::halve;
use super::sweep::extent;
use super::{DecodeOptions, DecodedCode};
use super::{denoise, search};

/// Frames above this many pixels (2592×1944 and up; not 1920×1080) are searched at half size
/// first.
const HALVE_ABOVE_PIXELS: u32 = 3_000_000;

/// Symbols this wide (in pixels of the halved frame) and more were read with modules to spare:
/// the halved search stands. Smaller ones (modules near two pixels) may hide smaller still.
const TRUSTED_SIDE: f32 = 60.0;

/// The search; see the module documentation of `decode`.
pub(crate) fn run_with_stats(
    image: &GrayImage,
    options: &DecodeOptions,
) -> (Vec<DecodedCode>, DecodeStats) {
    let (width, height) = image.dimensions();
    if width.saturating_mul(height) <= HALVE_ABOVE_PIXELS {
        return denoise::run_with_stats(image, options);
    }
    let started = Instant::now();
    let half = halve(image);
    let (mut codes, stats) = run_with_stats(&half, options);
    for code in &mut codes {
        for corner in &mut code.corners {
            *corner = (corner.0 * 2.0 + 0.5, corner.1 * 2.0 + 0.5);
        }
    }
    let mut sides: Vec<f32> = codes.iter().map(|code| extent(&code.corners)).collect();
    sides.sort_by(f32::total_cmp);
    let trusted = sides
        .get(sides.len() / 2)
        .is_some_and(|&side| side >= TRUSTED_SIDE * 2.0);
    let complete = options
        .expected_codes
        .is_some_and(|expected| codes.len() >= expected);
    if trusted || complete {
        return (codes, stats);
    }
    // Nothing, or only small symbols: the frame at its own size, within what is left of the
    // time budget.
    search::search_again((codes, stats), options, started, |options| {
        denoise::run_with_stats(image, options)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::synth::{Condition, Params, generate};

    #[test]
    fn a_4k_layer_is_read_at_half_size_with_corners_in_frame_pixels() {
        let params = Params::draw(Condition::Layer4k, 5);
        let scene = generate(&params, 5);
        let (codes, _) = run_with_stats(&scene.image, &DecodeOptions::layer(None));
        let read = scene
            .codes
            .iter()
            .filter(|want| codes.iter().any(|code| code.text == want.text))
            .count();
        assert!(
            read * 10 >= scene.codes.len() * 9,
            "{read}/{}",
            scene.codes.len()
        );
        for code in &codes {
            let want = scene.codes.iter().find(|want| want.text == code.text);
            assert!(want.is_some(), "{} is not in the picture", code.text);
            let Some(want) = want else { continue };
            let (cx, cy) = code.centre();
            let wx = want.corners.iter().map(|p| p.0).sum::<f32>() / 4.0;
            let wy = want.corners.iter().map(|p| p.1).sum::<f32>() / 4.0;
            assert!(
                (cx - wx).abs() < 8.0 && (cy - wy).abs() < 8.0,
                "{code:?} vs {want:?}"
            );
        }
    }
}
