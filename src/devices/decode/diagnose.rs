//! Why a frame read nothing: a look at the frame itself (too dark, too low contrast, too
//! blurred, codes too small), so the packer can fix the bench (light, focus, distance).
//!
//! Pure computation over the grey frame. The frame is cut into 16-pixel blocks; a block is
//! *code-like* when its grey levels spread well beyond the frame's typical (flat board,
//! noise) spread and lines through it cross its middle grey, as lines through modules or bars
//! do; the busier half of those blocks (codes are the densest texture in a frame, print around
//! them is sparser) is measured, and the measures say what is wrong.
//!
//! ```
//! use packbench::devices::decode::{FrameIssue, diagnose_frame};
//! let dark = image::GrayImage::from_fn(320, 240, |x, y| {
//!     let module = (x / 4 + y / 4) % 2 == 0 && (100..220).contains(&x) && (60..180).contains(&y);
//!     image::Luma([if module { 5 } else { 30 }])
//! });
//! assert_eq!(diagnose_frame(&dark).issue, Some(FrameIssue::TooDark));
//! ```

use image::GrayImage;
use serde::Serialize;

/// Block edge in pixels.
const BLOCK: usize = 16;

/// What is wrong with a frame that holds something code-like but read nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameIssue {
    /// The light parts of the codes are dark grey: more light, or a longer exposure.
    TooDark,
    /// Ink and ground differ by too few grey levels: more or more even light, less glare.
    LowContrast,
    /// Edges are smeared: focus, or hold the case still.
    TooBlurred,
    /// Modules of about a pixel: bring the camera closer (or zoom).
    CodesTooSmall,
}

/// The measures behind a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameDiagnosis {
    /// Whether the frame holds code-like texture at all.
    pub looks_like_codes: bool,
    /// Number of code-like 16-pixel blocks.
    pub code_blocks: usize,
    /// The frame's white level (98th percentile of grey).
    pub white_level: u8,
    /// Median spread (90th − 10th percentile) of grey in the code-like blocks.
    pub code_contrast: u8,
    /// Median sharpness of the code-like blocks: the steepest one-pixel step over the spread
    /// (about 1 for crisp edges, under 0.35 when smeared; the lower of rows and columns, or of
    /// the two diagonals when they differ: a moving hand smears the steps along its way only).
    pub sharpness: f32,
    /// Median run length (pixels between crossings of the middle grey) in the code-like
    /// blocks; about one to two modules.
    pub run_px: f32,
    /// The spread of grey (90th − 10th percentile) in the flattest tenth of the blocks: plain
    /// board or label, so sensor noise and grain. Codes whose contrast is under four times this
    /// drown in it.
    pub noise: u8,
    /// The most pressing issue, if any.
    pub issue: Option<FrameIssue>,
}

struct BlockStats {
    low: u8,
    high: u8,
    /// The steepest one-pixel step along the rows, the columns, and the two diagonals.
    steepest: [u8; 4],
    crossings_per_line: f32,
    run_px: f32,
}

/// The `q`-quantile of a 256-bin histogram with `total` samples.
fn hist_quantile(hist: &[u32; 256], total: u32, q: f32) -> u8 {
    let target = (total as f32 * q) as u32;
    let mut seen = 0;
    for (level, &count) in hist.iter().enumerate() {
        seen += count;
        if seen > target {
            return level as u8;
        }
    }
    255
}

fn block_stats(raw: &[u8], width: usize, bx: usize, by: usize) -> BlockStats {
    let mut hist = [0u32; 256];
    for y in by..by + BLOCK {
        for &v in &raw[y * width + bx..y * width + bx + BLOCK] {
            hist[usize::from(v)] += 1;
        }
    }
    let total = (BLOCK * BLOCK) as u32;
    let low = hist_quantile(&hist, total, 0.1);
    let high = hist_quantile(&hist, total, 0.9);
    let mid = (i32::from(low) + i32::from(high)) / 2;
    let hysteresis = ((i32::from(high) - i32::from(low)) / 6).max(1);
    let mut steepest = [0u8; 4];
    // Diagonal neighbours: down-right, and down-left (the pixel right of one against the pixel
    // below it).
    for y in by..by + BLOCK - 1 {
        let (row, next) = (&raw[y * width..], &raw[(y + 1) * width..]);
        for x in bx..bx + BLOCK - 1 {
            steepest[2] = steepest[2].max(row[x].abs_diff(next[x + 1]));
            steepest[3] = steepest[3].max(row[x + 1].abs_diff(next[x]));
        }
    }
    let (mut crossings, mut lines) = (0u32, 0u32);
    // Rows and columns: count crossings of the middle grey (with hysteresis against noise).
    for (direction, horizontal) in [true, false].into_iter().enumerate() {
        for i in 0..BLOCK {
            let at = |j: usize| {
                let (x, y) = if horizontal {
                    (bx + j, by + i)
                } else {
                    (bx + i, by + j)
                };
                raw[y * width + x]
            };
            let mut state = 0i8;
            for j in 0..BLOCK {
                let v = i32::from(at(j));
                if j > 0 {
                    steepest[direction] = steepest[direction].max(at(j).abs_diff(at(j - 1)));
                }
                let next = if v > mid + hysteresis {
                    1
                } else if v < mid - hysteresis {
                    -1
                } else {
                    state
                };
                if state != 0 && next != state {
                    crossings += 1;
                }
                state = next;
            }
            lines += 1;
        }
    }
    let crossings_per_line = crossings as f32 / lines.max(1) as f32;
    BlockStats {
        low,
        high,
        steepest,
        crossings_per_line,
        run_px: BLOCK as f32 / (crossings_per_line + 1.0),
    }
}

fn median_f32(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Looks at `frame` and says whether it holds code-like texture and what keeps it from
/// reading.
pub fn diagnose_frame(frame: &GrayImage) -> FrameDiagnosis {
    let (width, height) = (frame.width() as usize, frame.height() as usize);
    let raw = frame.as_raw();
    let mut hist = [0u32; 256];
    for &v in raw.iter().step_by(7) {
        hist[usize::from(v)] += 1;
    }
    let total: u32 = hist.iter().sum();
    let white_level = hist_quantile(&hist, total.max(1), 0.98);
    let mut blocks = Vec::new();
    for by in (0..height.saturating_sub(BLOCK - 1)).step_by(BLOCK) {
        for bx in (0..width.saturating_sub(BLOCK - 1)).step_by(BLOCK) {
            blocks.push(block_stats(raw, width, bx, by));
        }
    }
    let mut spreads: Vec<f32> = blocks.iter().map(|b| f32::from(b.high - b.low)).collect();
    // The typical block is flat board or label: code-like blocks spread well beyond it.
    spreads.sort_by(f32::total_cmp);
    let typical = spreads.get(spreads.len() * 3 / 10).copied().unwrap_or(0.0);
    // Noise and grain: the flattest blocks (a tenth of the frame is plain board or label
    // even in a busy case layer).
    let noise = spreads.get(spreads.len() / 10).copied().unwrap_or(0.0) as u8;
    let floor = (typical * 2.0).max(6.0);
    let mut candidates: Vec<&BlockStats> = blocks
        .iter()
        .filter(|b| f32::from(b.high - b.low) >= floor && b.crossings_per_line >= 0.75)
        .collect();
    // Codes are the busiest texture in a frame (print around them is sparser): the measures
    // are taken over the busier half of the candidates.
    candidates.sort_by(|a, b| b.crossings_per_line.total_cmp(&a.crossings_per_line));
    let looks_like_codes = candidates.len() >= 4;
    let code_like = &candidates[..candidates.len().div_ceil(2)];
    let mut contrast: Vec<f32> = code_like
        .iter()
        .map(|b| f32::from(b.high - b.low))
        .collect();
    // Blur in one direction (a moving hand) smears the steps along it only: the lower of rows
    // and columns, or of the diagonals when one of them is much smoother than the other (a
    // smear along a diagonal; small antialiased modules are soft along both alike).
    let mut sharpness: Vec<f32> = code_like
        .iter()
        .map(|b| {
            let [rows, columns, down_right, down_left] = b.steepest;
            let mut least = rows.min(columns);
            let (smooth, steep) = (down_right.min(down_left), down_right.max(down_left));
            if u16::from(smooth) * 2 < u16::from(steep) {
                least = least.min(smooth);
            }
            f32::from(least) / f32::from((b.high - b.low).max(1))
        })
        .collect();
    let mut runs: Vec<f32> = code_like.iter().map(|b| b.run_px).collect();
    let mut highs: Vec<f32> = code_like.iter().map(|b| f32::from(b.high)).collect();
    let code_contrast = median_f32(&mut contrast) as u8;
    let sharpness = median_f32(&mut sharpness);
    let run_px = median_f32(&mut runs);
    let code_white = median_f32(&mut highs);
    let issue = if !looks_like_codes {
        None
    } else if white_level < 70 || code_white < 60.0 {
        Some(FrameIssue::TooDark)
    } else if sharpness < 0.35 {
        // Before contrast: blur also flattens the codes' contrast (noise on a sharp but
        // low-contrast code keeps the steps steep).
        Some(FrameIssue::TooBlurred)
    } else if code_contrast < 30 || u16::from(code_contrast) < u16::from(noise) * 4 {
        Some(FrameIssue::LowContrast)
    } else if run_px < 2.2 {
        Some(FrameIssue::CodesTooSmall)
    } else {
        None
    };
    FrameDiagnosis {
        looks_like_codes,
        code_blocks: code_like.len(),
        white_level,
        code_contrast,
        sharpness,
        run_px,
        noise,
        issue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 320×240 frame of 200-grey board with a 120×120 patch of random modules (ink 20) of
    /// `module` pixels at (100, 60).
    fn frame_with_modules(module: u32) -> GrayImage {
        GrayImage::from_fn(320, 240, |x, y| {
            let inside = (100..220).contains(&x) && (60..180).contains(&y);
            let (mx, my) = ((x - 100.min(x)) / module, (y - 60.min(y)) / module);
            // A fixed scramble of the module's position: dark about half the time.
            let dark = (mx.wrapping_mul(2_654_435_761) ^ my.wrapping_mul(40_503)) % 7 < 3;
            image::Luma([if inside && dark { 20 } else { 200 }])
        })
    }

    #[test]
    fn modules_of_one_pixel_are_too_small_and_of_four_read_fine() {
        let tiny = diagnose_frame(&frame_with_modules(1));
        assert!(tiny.looks_like_codes, "{tiny:?}");
        assert_eq!(tiny.issue, Some(FrameIssue::CodesTooSmall), "{tiny:?}");
        let fine = diagnose_frame(&frame_with_modules(4));
        assert!(fine.looks_like_codes, "{fine:?}");
        assert_eq!(fine.issue, None, "{fine:?}");
    }

    #[test]
    fn grey_modules_on_grey_board_are_low_contrast() {
        let mut frame = frame_with_modules(4);
        for pixel in frame.pixels_mut() {
            // 20 → 172, 200 → 193: 21 greys between ink and board.
            pixel.0[0] = 170 + pixel.0[0] / 7 - pixel.0[0] / 40;
        }
        let diagnosis = diagnose_frame(&frame);
        assert_eq!(
            diagnosis.issue,
            Some(FrameIssue::LowContrast),
            "{diagnosis:?}"
        );
    }

    /// `frame` smeared along a line of `steps` pixels going down-right (`(1, 1)`) or down-left.
    fn smeared(frame: &GrayImage, steps: u32, down_right: bool) -> GrayImage {
        GrayImage::from_fn(frame.width(), frame.height(), |x, y| {
            let sum: u32 = (0..steps)
                .map(|k| {
                    let sx = if down_right {
                        x.saturating_sub(k)
                    } else {
                        (x + k).min(frame.width() - 1)
                    };
                    u32::from(frame.get_pixel(sx, y.saturating_sub(k)).0[0])
                })
                .sum();
            image::Luma([(sum / steps) as u8])
        })
    }

    #[test]
    fn a_diagonal_smear_is_too_blurred_and_crisp_modules_are_not() {
        let crisp = frame_with_modules(5);
        assert_eq!(diagnose_frame(&crisp).issue, None);
        for down_right in [true, false] {
            // Nine diagonal steps: a smear of about 13 pixels at 45°.
            let diagnosis = diagnose_frame(&smeared(&crisp, 9, down_right));
            assert_eq!(
                diagnosis.issue,
                Some(FrameIssue::TooBlurred),
                "down-right {down_right}: {diagnosis:?}"
            );
        }
    }

    #[test]
    fn codes_drowned_in_noise_are_low_contrast() {
        // Ink 160 on board 200: 40 greys, enough on a clean sensor.
        let mut frame = frame_with_modules(4);
        for pixel in frame.pixels_mut() {
            pixel.0[0] = if pixel.0[0] < 100 { 160 } else { 200 };
        }
        assert_eq!(diagnose_frame(&frame).issue, None);
        // The same with grain of ±10 greys everywhere (a fixed scramble, no generator).
        for (index, pixel) in frame.pixels_mut().enumerate() {
            let grain = (index as u32).wrapping_mul(2_654_435_761) >> 27; // 0..=31
            pixel.0[0] = (i32::from(pixel.0[0]) + (grain as i32 * 20 / 31) - 10) as u8;
        }
        let diagnosis = diagnose_frame(&frame);
        assert!(diagnosis.noise >= 12, "{diagnosis:?}");
        assert_eq!(
            diagnosis.issue,
            Some(FrameIssue::LowContrast),
            "{diagnosis:?}"
        );
    }

    #[test]
    fn flat_board_holds_no_codes() {
        let diagnosis = diagnose_frame(&GrayImage::from_pixel(320, 240, image::Luma([190])));
        assert!(!diagnosis.looks_like_codes);
        assert_eq!(diagnosis.issue, None);
    }
}
