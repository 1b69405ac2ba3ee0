//! A local binariser for rxing's 2D detectors that keeps faint symbols: one threshold per
//! 8 × 8 block from the blocks around it that hold contrast.
//!
//! rxing's `HybridBinarizer` gives a block whose grey levels span 24 or less a threshold of
//! half its darkest pixel (it takes the block for plain background), unless its neighbours
//! above and to the left say otherwise. Grey ink on grey board (a symbol of 20–30 grey levels
//! under a little blur) then falls apart into white with dark specks, and a darker background
//! beside a light label comes out as staircases of black. Here a block with contrast gets the
//! midpoint of its darkest and lightest pixel; a block without takes no threshold of its own;
//! every block's threshold is then the weighted mean of the blocks with one in the 5 × 5
//! blocks around it (its own counting three times), and blocks with none near take the
//! nearest threshold along their row, or the row's above or below. The rows of bits are built
//! a machine word at a time. The linear readers' rows stay rxing's global-histogram rows.

use std::borrow::Cow;
use std::sync::OnceLock;

use rxing::common::{BitArray, BitMatrix, GlobalHistogramBinarizer, LineOrientation, Result};
use rxing::{Binarizer, LuminanceSource};

/// Block edge in pixels.
const BLOCK: usize = 8;
/// A block whose grey levels span no more than this holds no edge of its own.
const MIN_RANGE: u8 = 24;
/// Blocks each way about a block whose thresholds are averaged into its own.
const REACH: usize = 2;
/// Extra weight of a block's own threshold in that mean.
const OWN_WEIGHT: u32 = 2;

/// rxing `Binarizer` with smoothed block thresholds for the black matrix (see the module
/// documentation) and rxing's global-histogram rows for the linear readers.
pub(crate) struct LocalBinarizer<LS: LuminanceSource> {
    rows: GlobalHistogramBinarizer<LS>,
    matrix: OnceLock<Option<BitMatrix>>,
}

impl<LS: LuminanceSource> LocalBinarizer<LS> {
    pub(crate) fn new(source: LS) -> Self {
        Self {
            rows: GlobalHistogramBinarizer::new(source),
            matrix: OnceLock::new(),
        }
    }
}

impl<LS: LuminanceSource> Binarizer for LocalBinarizer<LS> {
    type Source = LS;

    fn get_luminance_source(&self) -> &LS {
        self.rows.get_luminance_source()
    }

    fn get_black_row(&self, y: usize) -> Result<Cow<'_, BitArray>> {
        self.rows.get_black_row(y)
    }

    fn get_black_row_from_matrix(&self, y: usize) -> Result<Cow<'_, BitArray>> {
        match self.matrix.get() {
            Some(Some(matrix)) => Ok(Cow::Owned(matrix.getRow(y as u32))),
            _ => self.get_black_row(y),
        }
    }

    fn get_black_matrix(&self) -> Result<&BitMatrix> {
        let matrix = self.matrix.get_or_init(|| {
            let source = self.rows.get_luminance_source();
            let (width, height) = (source.get_width(), source.get_height());
            black_matrix(&source.get_matrix(), width, height)
        });
        match matrix {
            Some(matrix) => Ok(matrix),
            None => self.rows.get_black_matrix(),
        }
    }

    fn get_black_line(&self, l: usize, lt: LineOrientation) -> Result<Cow<'_, BitArray>> {
        self.rows.get_black_line(l, lt)
    }

    fn create_binarizer(&self, source: LS) -> Self {
        Self::new(source)
    }

    fn get_width(&self) -> usize {
        self.rows.get_width()
    }

    fn get_height(&self) -> usize {
        self.rows.get_height()
    }
}

/// The smoothed threshold of every block of a `width` × `height` image (`luma` row-major),
/// blocks in rows of `width.div_ceil(BLOCK)`; `None` where the image is empty.
fn block_thresholds(luma: &[u8], width: usize, height: usize) -> Option<Vec<u8>> {
    if width == 0 || height == 0 || luma.len() < width * height {
        return None;
    }
    let (cols, rows) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    // Each block's own threshold (0: none, the block is flat).
    let mut own = vec![0u8; cols * rows];
    let mut low = vec![u8::MAX; cols];
    let mut high = vec![0u8; cols];
    for by in 0..rows {
        low.fill(u8::MAX);
        high.fill(0);
        for line in luma[by * BLOCK * width..((by + 1) * BLOCK).min(height) * width].chunks(width) {
            for ((chunk, lo), hi) in line.chunks(BLOCK).zip(&mut low).zip(&mut high) {
                for &pixel in chunk {
                    *lo = (*lo).min(pixel);
                    *hi = (*hi).max(pixel);
                }
            }
        }
        for ((slot, &lo), &hi) in own[by * cols..(by + 1) * cols]
            .iter_mut()
            .zip(&low)
            .zip(&high)
        {
            if hi - lo > MIN_RANGE {
                // At least (25 + 1) / 2: never 0, which means "none".
                *slot = ((u16::from(lo) + u16::from(hi)) / 2) as u8;
            }
        }
    }
    // The weighted mean over the blocks about each one, from running sums down the columns.
    let mut smooth = vec![0u8; cols * rows];
    let mut column_sum = vec![0u32; cols];
    let mut column_count = vec![0u32; cols];
    for by in 0..rows {
        let (top, bottom) = (by.saturating_sub(REACH), (by + REACH + 1).min(rows));
        column_sum.fill(0);
        column_count.fill(0);
        for y in top..bottom {
            for (x, &value) in own[y * cols..(y + 1) * cols].iter().enumerate() {
                column_sum[x] += u32::from(value);
                column_count[x] += u32::from(value > 0);
            }
        }
        for bx in 0..cols {
            let (left, right) = (bx.saturating_sub(REACH), (bx + REACH + 1).min(cols));
            let value = own[by * cols + bx];
            let mut sum = column_sum[left..right].iter().sum::<u32>();
            let mut count = column_count[left..right].iter().sum::<u32>();
            if value > 0 {
                sum += OWN_WEIGHT * u32::from(value);
                count += OWN_WEIGHT;
            }
            if let Some(mean) = sum.checked_div(count) {
                smooth[by * cols + bx] = mean.max(1) as u8;
            }
        }
    }
    fill_gaps(&mut smooth, cols, rows);
    Some(smooth)
}

/// Gives every block without a threshold (0) the nearest one along its row, and a row with
/// none at all the nearest row's; where no block has one, every block gets 0 (all white but
/// for pure black).
fn fill_gaps(thresholds: &mut [u8], cols: usize, rows: usize) {
    let mut filled = vec![false; rows];
    for (row, done) in thresholds.chunks_mut(cols).zip(&mut filled) {
        let Some(first) = row.iter().position(|&t| t > 0) else {
            continue;
        };
        *done = true;
        // `last` starts at the first threshold, so the blocks before it take that one.
        let mut last = row[first];
        for slot in row.iter_mut() {
            if *slot == 0 {
                *slot = last;
            } else {
                last = *slot;
            }
        }
    }
    let Some(first_row) = filled.iter().position(|&done| done) else {
        return;
    };
    for (y, &done) in filled.iter().enumerate() {
        if done {
            continue;
        }
        // Rows above the first filled one copy it; later ones copy the row above (filled by now).
        let from = if y < first_row { first_row } else { y - 1 };
        let (source, target) = (from * cols, y * cols);
        thresholds.copy_within(source..source + cols, target);
    }
}

/// The black matrix of a `width` × `height` image: a pixel at or below its block's threshold
/// is black.
fn black_matrix(luma: &[u8], width: usize, height: usize) -> Option<BitMatrix> {
    let thresholds = block_thresholds(luma, width, height)?;
    let cols = width.div_ceil(BLOCK);
    let mut matrix = BitMatrix::new(width as u32, height as u32).ok()?;
    let word_bits = usize::BITS as usize;
    let blocks_per_word = word_bits / BLOCK;
    let mut row_bits = BitArray::with_size(width);
    let mut words = vec![0usize; width.div_ceil(word_bits)];
    for (y, line) in luma.chunks(width).take(height).enumerate() {
        let block_row = &thresholds[(y / BLOCK) * cols..(y / BLOCK + 1) * cols];
        words.fill(0);
        // A block's eight pixels against its one threshold make one byte of the row's bits.
        for (index, (pixels, &threshold)) in line.chunks(BLOCK).zip(block_row).enumerate() {
            let mut flags = [0u8; BLOCK];
            for (flag, &pixel) in flags.iter_mut().zip(pixels) {
                *flag = u8::from(pixel <= threshold);
            }
            words[index / blocks_per_word] |=
                pack_flags(flags) << ((index % blocks_per_word) * BLOCK);
        }
        for (index, &word) in words.iter().enumerate() {
            row_bits.setBulk(index * word_bits, word);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// Eight flags (0 or 1, the first pixel first) as the low eight bits of a word, the first
/// flag lowest: one multiplication moves flag `i` (bit `8 i`) to bit `56 + i`, and no two of
/// the shifted copies meet below, so nothing carries into the top byte.
fn pack_flags(flags: [u8; BLOCK]) -> usize {
    (u64::from_le_bytes(flags).wrapping_mul(0x0102_0408_1020_4080) >> 56) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checkerboard of `module` px in `ink`/`paper` grey inside a `paper` field.
    fn board(width: usize, height: usize, module: usize, ink: u8, paper: u8) -> Vec<u8> {
        let mut luma = vec![paper; width * height];
        for y in height / 4..height * 3 / 4 {
            for x in width / 4..width * 3 / 4 {
                if (x / module + y / module).is_multiple_of(2) {
                    luma[y * width + x] = ink;
                }
            }
        }
        luma
    }

    #[test]
    fn a_faint_board_keeps_its_modules() {
        // 30 grey levels of contrast: every module comes out as drawn.
        let (width, height) = (203, 157);
        let luma = board(width, height, 5, 150, 180);
        let matrix = black_matrix(&luma, width, height).expect("matrix");
        for y in 0..height {
            for x in 0..width {
                let ink = luma[y * width + x] == 150;
                assert_eq!(matrix.get(x as u32, y as u32), ink, "({x}, {y})");
            }
        }
    }

    #[test]
    fn flat_pictures_come_out_white_and_gaps_take_their_neighbours() {
        let luma = vec![120u8; 64 * 40];
        let matrix = black_matrix(&luma, 64, 40).expect("matrix");
        assert!((0..40).all(|y| (0..64).all(|x| !matrix.get(x, y))));
        // One block with contrast: every block takes its threshold.
        let mut luma = vec![200u8; 64 * 40];
        luma[0] = 100;
        let thresholds = block_thresholds(&luma, 64, 40).expect("thresholds");
        assert!(thresholds.iter().all(|&t| t == 150), "{thresholds:?}");
        assert_eq!(block_thresholds(&[], 0, 0), None);
    }

    #[test]
    fn eight_flags_pack_into_a_byte_in_order() {
        for byte in 0..=255u8 {
            let flags = std::array::from_fn(|bit| (byte >> bit) & 1);
            assert_eq!(pack_flags(flags), usize::from(byte));
        }
    }

    #[test]
    fn rows_are_built_as_thresholding_each_pixel_would() {
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(7);
        for (width, height) in [(1, 1), (7, 9), (64, 64), (65, 17), (130, 41)] {
            let luma: Vec<u8> = (0..width * height).map(|_| rng.random()).collect();
            let thresholds = block_thresholds(&luma, width, height).expect("thresholds");
            let matrix = black_matrix(&luma, width, height).expect("matrix");
            let cols = width.div_ceil(BLOCK);
            for y in 0..height {
                for x in 0..width {
                    let threshold = thresholds[(y / BLOCK) * cols + x / BLOCK];
                    let black = luma[y * width + x] <= threshold;
                    assert_eq!(
                        matrix.get(x as u32, y as u32),
                        black,
                        "{width}×{height} ({x}, {y})"
                    );
                }
            }
        }
    }
}
