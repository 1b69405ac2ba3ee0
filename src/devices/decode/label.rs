//! A label that is read: a small picture whose whole-picture pass read its 2D code(s), where
//! the print around them needs no further search.

use super::components::unread_symbols;
use super::locate::Region;
use super::search::{Search, module_guess};

/// A linear code is at most this many times longer than tall (its bars at least 15 % of its
/// length, as ISO/IEC 15417 recommends for Code 128); a longer blob of upright strokes is a
/// line of print.
const LINEAR_ASPECT: f32 = 7.0;

/// A blob whose edges run one way this much more than the other is bars (a linear code within
/// 14° of upright or lying); type has strokes across its uprights, and blocks of it measured
/// 0.3–0.5.
const BARS_ONLY: f32 = 0.25;

/// Whether the small picture `search` looks at is a label that is read: its whole-picture
/// pass read one to three 2D codes, and besides them the picture holds no dark component the
/// size of a symbol read (in the contrast-boosted picture, as `components` finds a layer's
/// unread symbols). Print falls apart into glyphs far smaller than the code it surrounds,
/// however much of it there is, and a blob of it is no symbol; a further symbol printed alike,
/// however faint, is a component of its own. Looked for only where one of `regions` that the
/// codes do not cover is left to try. Never where the options give a count of codes that is
/// not reached (the camera's layer mode).
pub(super) fn is_read(search: &Search, regions: &[Region]) -> bool {
    if search.short_of_count() {
        return false;
    }
    let codes = {
        let found = search.lock();
        if !(1..4).contains(&found.symbols_read())
            || !regions
                .iter()
                .any(|region| !found.is_a_word(region) && !found.covers(region))
        {
            return false;
        }
        found.codes.clone()
    };
    let (width, height) = search.image.dimensions();
    unread_symbols(search.image, &codes, module_guess(width.min(height))).is_empty()
}

/// Whether `region` looks like a linear code beside a label's 2D symbols of side `smallest`:
/// its edges run one way (`BARS_ONLY`), it is no longer than a linear code's bars allow
/// (`LINEAR_ASPECT`), and it is as long as the symbol at least (a GS1 linear code holds 79
/// modules or more, a pharma Data Matrix 10–44).
pub(super) fn is_bars(region: &Region, smallest: f32) -> bool {
    region.isotropy < BARS_ONLY
        && (1.0 / LINEAR_ASPECT..=LINEAR_ASPECT).contains(&region.aspect)
        && region.width.max(region.height) as f32 >= smallest
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma};

    use super::*;
    use crate::devices::decode::{DecodeOptions, decode_image_with_stats};
    use crate::devices::render::gs1_modules;

    const CRISP: &str = "0109506000134352\u{1d}21LABEL0001";
    const FAINT: &str = "0109506000134352\u{1d}21LABEL0002";

    fn blob(width: u32, height: u32, isotropy: f32) -> Region {
        Region {
            isotropy,
            aspect: width as f32 / height as f32,
            ..Region::window(0, 0, width, height)
        }
    }

    fn fill(image: &mut GrayImage, x: u32, y: u32, width: u32, height: u32, level: u8) {
        for py in y..(y + height).min(image.height()) {
            for px in x..(x + width).min(image.width()) {
                image.put_pixel(px, py, Luma([level]));
            }
        }
    }

    /// A GS1 Data Matrix of `text` with 5-pixel modules on a white label at (`x`, `y`), its
    /// ink at `ink`.
    fn symbol(image: &mut GrayImage, text: &str, x: u32, y: u32, ink: u8) {
        let Ok(modules) = gs1_modules(text) else {
            panic!("{text} encodes");
        };
        let side = modules.len() as u32 * 5;
        fill(image, x, y, side + 20, side + 20, 235);
        for (row, line) in modules.iter().enumerate() {
            for (column, dark) in line.iter().enumerate() {
                if *dark {
                    fill(
                        image,
                        x + 10 + column as u32 * 5,
                        y + 10 + row as u32 * 5,
                        5,
                        5,
                        ink,
                    );
                }
            }
        }
    }

    /// A 640×480 carton covered in lines of glyphs (strokes of 2 px in 8×12 cells, drawn
    /// from a fixed seed).
    fn carton_in_print() -> GrayImage {
        let mut image = GrayImage::from_pixel(640, 480, Luma([190]));
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        for line in 0..24 {
            let y = 8 + line * 20;
            let mut x = 6;
            while x < 620 {
                if next(6) == 0 {
                    x += 10; // a space
                    continue;
                }
                for stroke in 0..3 {
                    match (stroke, next(3)) {
                        (0, _) => fill(&mut image, x, y, 2, 12, 40),
                        (_, 0) => fill(&mut image, x, y + 5 * stroke as u32, 8, 2, 40),
                        (_, 1) => fill(&mut image, x + 6, y, 2, 12, 40),
                        _ => {}
                    }
                }
                x += 11;
            }
        }
        image
    }

    #[test]
    fn blobs_of_bars_are_told_from_print_and_symbols() {
        // An upright GS1-128 of 300 × 60 px beside a 120 px symbol; type measured 0.3–0.5.
        assert!(is_bars(&blob(300, 60, 0.1), 120.0));
        assert!(is_bars(&blob(60, 300, 0.2), 120.0));
        assert!(!is_bars(&blob(300, 60, 0.4), 120.0), "a block of type");
        assert!(
            !is_bars(&blob(400, 40, 0.1), 120.0),
            "a line of print, 10:1"
        );
        assert!(
            !is_bars(&blob(100, 40, 0.1), 120.0),
            "shorter than the symbol: a word"
        );
        assert!(!is_bars(&blob(150, 150, 0.9), 120.0), "edges both ways");
    }

    #[test]
    fn a_read_label_in_dense_print_is_done_after_its_first_look() {
        let mut image = carton_in_print();
        symbol(&mut image, CRISP, 200, 150, 20);
        let options = DecodeOptions {
            threads: 1,
            ..DecodeOptions::default()
        };
        let (codes, stats) = decode_image_with_stats(&image, &options);
        let texts: Vec<&str> = codes.iter().map(|code| code.text.as_str()).collect();
        assert_eq!(texts, [CRISP]);
        assert_eq!(stats.sweep_ms, 0.0, "{stats:?}");
        assert!(stats.attempts <= 2, "{stats:?}");
        // Told that two codes are there, the search goes on.
        let counted = DecodeOptions {
            expected_codes: Some(2),
            ..options
        };
        let (codes, stats) = decode_image_with_stats(&image, &counted);
        assert_eq!(codes.len(), 1);
        assert!(stats.sweep_ms > 0.0 && stats.attempts > 2, "{stats:?}");
    }

    #[test]
    fn a_faint_second_symbol_beside_a_read_one_is_still_looked_for() {
        let mut image = carton_in_print();
        symbol(&mut image, CRISP, 60, 150, 20);
        // Ink 13 % below its label: the first look reads the crisp symbol only.
        symbol(&mut image, FAINT, 380, 150, 205);
        let first_look = DecodeOptions {
            threads: 1,
            retries: false,
            ..DecodeOptions::default()
        };
        let (codes, _) = decode_image_with_stats(&image, &first_look);
        let texts: Vec<&str> = codes.iter().map(|code| code.text.as_str()).collect();
        assert_eq!(texts, [CRISP]);
        let options = DecodeOptions {
            threads: 1,
            ..DecodeOptions::default()
        };
        let (codes, stats) = decode_image_with_stats(&image, &options);
        let mut texts: Vec<&str> = codes.iter().map(|code| code.text.as_str()).collect();
        texts.sort_unstable();
        assert_eq!(texts, [CRISP, FAINT], "{stats:?}");
    }
}
