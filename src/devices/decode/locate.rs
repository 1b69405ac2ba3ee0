//! Finding where codes might be before asking rxing to read them.
//!
//! rxing's detectors look for one symbol at a time across the whole frame, which is slow on a
//! 1920×1080 case layer and finds only a few of its codes. A barcode, whatever its symbology, is
//! a patch of dense light/dark edges; the packaging around it (flat cardboard, a few text bars,
//! pack edges) is not. So: sum the gradient over small blocks, keep the blocks that are much
//! busier than the frame's typical block, close small holes, and return each connected blob's
//! bounding box with a quiet-zone margin. Each box is then decoded on its own (in parallel).

use image::GrayImage;

/// A rectangle of the source image that probably holds a code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Region {
    /// Left edge in pixels.
    pub x: u32,
    /// Top edge in pixels.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Width / height of the blob before the margin (1 for square symbols, large for 1D codes).
    pub aspect: f32,
    /// Mean edge density of the blob, relative to the threshold (higher = more code-like).
    pub strength: f32,
    /// Fewer / more of the blob's horizontal and vertical edges: near 1 for 2D symbols, near 0
    /// for an upright linear code.
    pub isotropy: f32,
    /// More of the blob's edges are met along its rows than down its columns: the way an
    /// upright linear code's bars run (rows cross them), or turned a quarter (columns do).
    pub upright: bool,
}

impl Region {
    /// A window where a 2D symbol is looked for (not a blob located): square edges as far as
    /// the ladders are concerned, busy enough for the full ladder.
    pub fn window(x: u32, y: u32, width: u32, height: u32) -> Self {
        Self {
            x,
            y,
            width,
            height,
            aspect: 1.0,
            strength: 1.0,
            isotropy: 1.0,
            upright: true,
        }
    }

    /// This region grown (or kept) to at least `side` × `side` about its centre, clamped to
    /// the `width` × `height` image.
    pub fn grown_to(&self, side: u32, width: u32, height: u32) -> Self {
        let new_width = self.width.max(side).min(width);
        let new_height = self.height.max(side).min(height);
        let cx = self.x + self.width / 2;
        let cy = self.y + self.height / 2;
        let x = cx.saturating_sub(new_width / 2).min(width - new_width);
        let y = cy.saturating_sub(new_height / 2).min(height - new_height);
        Self {
            x,
            y,
            width: new_width,
            height: new_height,
            ..*self
        }
    }

    /// Whether the centre of `point` lies in this region.
    pub fn contains(&self, point: (f32, f32)) -> bool {
        point.0 >= self.x as f32
            && point.1 >= self.y as f32
            && point.0 < (self.x + self.width) as f32
            && point.1 < (self.y + self.height) as f32
    }
}

/// Block edge of the texture map in pixels for an image of this size: finer for small images
/// so that a 20-pixel symbol still covers a few blocks.
pub(crate) fn block_size(width: u32, height: u32) -> u32 {
    if width.max(height) <= 800 { 4 } else { 8 }
}

/// Per block: summed absolute horizontal and vertical neighbour steps, and the summed grey
/// level (every second row is sampled: enough to see texture, half the cost).
fn edge_density(image: &GrayImage, block: u32) -> (Vec<[u32; 3]>, usize, usize) {
    let (width, height) = image.dimensions();
    let cols = width.div_ceil(block) as usize;
    let rows = height.div_ceil(block) as usize;
    let mut density = vec![[0u32; 3]; cols * rows];
    let raw = image.as_raw();
    let w = width as usize;
    let block = block as usize;
    if width < 2 || height < 2 {
        return (density, cols, rows);
    }
    for y in (0..height as usize - 1).step_by(2) {
        let row = &raw[y * w..(y + 1) * w];
        let next = &raw[(y + 1) * w..(y + 2) * w];
        let line = &mut density[(y / block) * cols..(y / block + 1) * cols];
        for (col, ((chunk, next_chunk), cell)) in row
            .chunks(block)
            .zip(next.chunks(block))
            .zip(line.iter_mut())
            .enumerate()
        {
            let (mut across, mut down, mut level) = (0u32, 0u32, 0u32);
            let start = col * block;
            for (i, (&a, &b)) in chunk.iter().zip(next_chunk).enumerate() {
                down += u32::from(a.abs_diff(b));
                level += u32::from(a);
                if let Some(&right) = row.get(start + i + 1) {
                    across += u32::from(a.abs_diff(right));
                }
            }
            cell[0] += across;
            cell[1] += down;
            cell[2] += level;
        }
    }
    (density, cols, rows)
}

/// The `q`-quantile (0..=1) of `values`.
fn quantile(values: &[u32], q: f32) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let mut sorted = values.to_vec();
    let index = ((sorted.len() - 1) as f32 * q) as usize;
    let (_, nth, _) = sorted.select_nth_unstable(index);
    *nth
}

/// Binary dilation (`grow`) or erosion of a block mask with a 3×3 square (clipped at the
/// edges), as a pass along the rows and one down the columns.
fn morph(mask: &[bool], cols: usize, rows: usize, grow: bool) -> Vec<bool> {
    let combine = |a: bool, b: bool| if grow { a | b } else { a & b };
    let mut across = vec![false; mask.len()];
    for (row, out) in mask.chunks(cols).zip(across.chunks_mut(cols)) {
        for x in 0..cols {
            let mut value = row[x];
            if x > 0 {
                value = combine(value, row[x - 1]);
            }
            if x + 1 < cols {
                value = combine(value, row[x + 1]);
            }
            out[x] = value;
        }
    }
    let mut out = vec![false; mask.len()];
    for y in 0..rows {
        for x in 0..cols {
            let index = y * cols + x;
            let mut value = across[index];
            if y > 0 {
                value = combine(value, across[index - cols]);
            }
            if y + 1 < rows {
                value = combine(value, across[index + cols]);
            }
            out[index] = value;
        }
    }
    out
}

/// The block map of one image, shared by the recursive component search.
struct BlockMap {
    /// Brightness-normalised edge density per block.
    density: Vec<u32>,
    /// Raw horizontal and vertical edge sums per block.
    sums: Vec<[u32; 3]>,
    cols: usize,
    rows: usize,
    block: usize,
    width: usize,
    height: usize,
}

/// One connected blob of busy blocks.
struct Blob {
    blocks: Vec<usize>,
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// A rectangle of blocks: columns `x0..x1`, rows `y0..y1`.
#[derive(Debug, Clone, Copy)]
struct Window {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

impl Window {
    fn cols(&self) -> usize {
        self.x1 - self.x0
    }

    fn rows(&self) -> usize {
        self.y1 - self.y0
    }
}

/// Connected components (8-neighbourhood) of a `cols` × `rows` mask, in its own coordinates.
fn blobs(mask: &[bool], cols: usize, rows: usize) -> Vec<Blob> {
    let mut seen = vec![false; mask.len()];
    let mut blobs = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut blob = Blob {
            blocks: Vec::new(),
            x0: cols,
            y0: rows,
            x1: 0,
            y1: 0,
        };
        while let Some(index) = stack.pop() {
            let (x, y) = (index % cols, index / cols);
            blob.x0 = blob.x0.min(x);
            blob.y0 = blob.y0.min(y);
            blob.x1 = blob.x1.max(x);
            blob.y1 = blob.y1.max(y);
            blob.blocks.push(index);
            for ny in y.saturating_sub(1)..(y + 2).min(rows) {
                for nx in x.saturating_sub(1)..(x + 2).min(cols) {
                    let neighbour = ny * cols + nx;
                    if mask[neighbour] && !seen[neighbour] {
                        seen[neighbour] = true;
                        stack.push(neighbour);
                    }
                }
            }
        }
        blobs.push(blob);
    }
    blobs
}

impl BlockMap {
    /// Regions from the blocks of `window` selected by `within` (one flag per block of the
    /// window) whose density exceeds `threshold`. A blob that is too sparse or too big to be
    /// one symbol (codes bridged by pack edges and shadows) is searched again with a doubled
    /// threshold, twice at most, in a window just around it (the closing below looks one block
    /// beyond a blob, so the result is that of the whole map at a fraction of the work).
    fn regions(
        &self,
        window: Window,
        within: &[bool],
        threshold: u32,
        depth: u32,
        out: &mut Vec<Region>,
    ) {
        let (cols, rows) = (window.cols(), window.rows());
        let global = |x: usize, y: usize| (window.y0 + y) * self.cols + window.x0 + x;
        let mask: Vec<bool> = within
            .iter()
            .enumerate()
            .map(|(index, &inside)| {
                inside && self.density[global(index % cols, index / cols)] > threshold
            })
            .collect();
        let closed = morph(&morph(&mask, cols, rows, true), cols, rows, false);
        let closed: Vec<bool> = closed.iter().zip(within).map(|(&c, &w)| c && w).collect();
        let total_blocks = self.cols * self.rows;
        for local in blobs(&closed, cols, rows) {
            let blob = Blob {
                blocks: local
                    .blocks
                    .iter()
                    .map(|&index| global(index % cols, index / cols))
                    .collect(),
                x0: local.x0 + window.x0,
                y0: local.y0 + window.y0,
                x1: local.x1 + window.x0,
                y1: local.y1 + window.y0,
            };
            let blob_cols = blob.x1 - blob.x0 + 1;
            let blob_rows = blob.y1 - blob.y0 + 1;
            let count = blob.blocks.len();
            if blob_cols.min(blob_rows) < 2 {
                continue;
            }
            // A symbol fills a good part of its box (a 45°-turned square fills half) and,
            // in a frame with room for several, does not cover a quarter of it.
            let sparse = count * 10 < blob_cols * blob_rows * 3;
            let huge = total_blocks >= 400 && blob_cols * blob_rows * 4 > total_blocks;
            if sparse || huge {
                if depth < 2 {
                    let around = Window {
                        x0: blob.x0.saturating_sub(1),
                        y0: blob.y0.saturating_sub(1),
                        x1: (blob.x1 + 2).min(self.cols),
                        y1: (blob.y1 + 2).min(self.rows),
                    };
                    let mut inside = vec![false; around.cols() * around.rows()];
                    for &index in &local.blocks {
                        let (x, y) = (index % cols + window.x0, index / cols + window.y0);
                        inside[(y - around.y0) * around.cols() + x - around.x0] = true;
                    }
                    self.regions(around, &inside, threshold * 2, depth + 1, out);
                }
                if sparse {
                    continue;
                }
            }
            out.push(self.region(&blob, threshold));
        }
    }

    fn region(&self, blob: &Blob, threshold: u32) -> Region {
        let block = self.block;
        let (px0, py0) = (blob.x0 * block, blob.y0 * block);
        let (px1, py1) = (
            ((blob.x1 + 1) * block).min(self.width),
            ((blob.y1 + 1) * block).min(self.height),
        );
        let side = (px1 - px0).max(py1 - py0);
        let margin = block + side / 8;
        let left = px0.saturating_sub(margin);
        let top = py0.saturating_sub(margin);
        let right = (px1 + margin).min(self.width);
        let bottom = (py1 + margin).min(self.height);
        let (mut sum, mut across, mut down) = (0u64, 0u64, 0u64);
        for &index in &blob.blocks {
            sum += u64::from(self.density[index]);
            across += u64::from(self.sums[index][0]);
            down += u64::from(self.sums[index][1]);
        }
        let count = blob.blocks.len().max(1);
        Region {
            x: left as u32,
            y: top as u32,
            width: (right - left) as u32,
            height: (bottom - top) as u32,
            aspect: (blob.x1 - blob.x0 + 1) as f32 / (blob.y1 - blob.y0 + 1) as f32,
            strength: sum as f32 / count as f32 / threshold.max(1) as f32,
            isotropy: across.min(down) as f32 / across.max(down).max(1) as f32,
            upright: across >= down,
        }
    }
}

/// Candidate regions, strongest first.
pub(crate) fn locate(image: &GrayImage) -> Vec<Region> {
    let (width, height) = image.dimensions();
    let block = block_size(width, height);
    let (sums, cols, rows) = edge_density(image, block);
    if sums.is_empty() {
        return Vec::new();
    }
    // Edge strength relative to the local brightness (Weber contrast), so that a code in the
    // dim corner of a vignetted or unevenly lit frame counts as much as one in the centre.
    let samples = (block * block / 2).max(1);
    let density: Vec<u32> = sums
        .iter()
        .map(|[across, down, level]| {
            let mean = level / samples;
            (across + down) * 160 / (mean + 32)
        })
        .collect();
    // The typical block (cardboard, pack faces, background) sets the noise level; codes are
    // several times busier. The upper quantile guards against a frame that is mostly code.
    let typical = quantile(&density, 0.5);
    let busy = quantile(&density, 0.98);
    // A mean step of 6 grey levels on half the rows: grey ink on grey board (10–30 % contrast)
    // stays above it; flat board and sensor noise are held off by the typical block.
    let floor = (block * block) * 3;
    let threshold = (typical * 5 / 2).max(busy / 5).max(floor);
    let map = BlockMap {
        density,
        sums,
        cols,
        rows,
        block: block as usize,
        width: width as usize,
        height: height as usize,
    };
    let mut regions = Vec::new();
    let all = Window {
        x0: 0,
        y0: 0,
        x1: cols,
        y1: rows,
    };
    map.regions(all, &vec![true; cols * rows], threshold, 0, &mut regions);
    regions.sort_by(|a, b| b.strength.total_cmp(&a.strength));
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat grey image with a checkerboard patch (module `module` px) at (x, y).
    fn image_with_patch(x: u32, y: u32, size: u32, module: u32) -> GrayImage {
        GrayImage::from_fn(400, 300, |px, py| {
            let inside = px >= x && px < x + size && py >= y && py < y + size;
            if inside && ((px - x) / module + (py - y) / module).is_multiple_of(2) {
                image::Luma([20])
            } else {
                image::Luma([200])
            }
        })
    }

    #[test]
    fn finds_a_textured_patch_and_nothing_else() {
        let image = image_with_patch(100, 80, 60, 3);
        let regions = locate(&image);
        assert_eq!(regions.len(), 1, "{regions:?}");
        let region = regions[0];
        assert!(region.contains((130.0, 110.0)));
        assert!(region.x <= 100 && region.y <= 80);
        assert!(region.x + region.width >= 160 && region.y + region.height >= 140);
        assert!(region.width < 120 && region.height < 120, "{region:?}");
    }

    /// The 3×3 square, clipped at the edges, the slow way.
    fn morph_by_hand(mask: &[bool], cols: usize, rows: usize, grow: bool) -> Vec<bool> {
        (0..rows * cols)
            .map(|index| {
                let (x, y) = (index % cols, index / cols);
                let mut values = (y.saturating_sub(1)..(y + 2).min(rows)).flat_map(|ny| {
                    (x.saturating_sub(1)..(x + 2).min(cols)).map(move |nx| mask[ny * cols + nx])
                });
                if grow {
                    values.any(|on| on)
                } else {
                    values.all(|on| on)
                }
            })
            .collect()
    }

    #[test]
    fn separable_morph_is_the_square() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for (cols, rows) in [(1, 1), (1, 7), (9, 1), (13, 11), (40, 3)] {
            for _ in 0..20 {
                let mask: Vec<bool> = (0..cols * rows)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        !state.is_multiple_of(3)
                    })
                    .collect();
                for grow in [true, false] {
                    assert_eq!(
                        morph(&mask, cols, rows, grow),
                        morph_by_hand(&mask, cols, rows, grow),
                        "{cols}×{rows} grow {grow}"
                    );
                }
            }
        }
    }

    #[test]
    fn flat_image_has_no_candidates() {
        let image = GrayImage::from_pixel(300, 200, image::Luma([128]));
        assert!(locate(&image).is_empty());
    }
}
