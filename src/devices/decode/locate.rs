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
}

impl Region {
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

/// Per-block sum of absolute horizontal and vertical differences.
fn edge_density(image: &GrayImage, block: u32) -> (Vec<u32>, usize, usize) {
    let (width, height) = image.dimensions();
    let cols = width.div_ceil(block) as usize;
    let rows = height.div_ceil(block) as usize;
    let mut density = vec![0u32; cols * rows];
    let raw = image.as_raw();
    let w = width as usize;
    let block = block as usize;
    if width < 2 || height < 2 {
        return (density, cols, rows);
    }
    // Every second row is enough to see texture, and halves the cost.
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
            let mut sum = 0u32;
            for (i, (&a, &b)) in chunk.iter().zip(next_chunk).enumerate() {
                sum += u32::from(a.abs_diff(b));
                let right = col * block + i + 1;
                if right < w {
                    sum += u32::from(a.abs_diff(row[right]));
                }
            }
            *cell += sum;
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

/// Binary dilation (`grow`) or erosion of a block mask with a 3×3 square.
fn morph(mask: &[bool], cols: usize, rows: usize, grow: bool) -> Vec<bool> {
    let mut out = vec![!grow; mask.len()];
    for y in 0..rows {
        for x in 0..cols {
            let mut any = false;
            let mut all = true;
            for ny in y.saturating_sub(1)..(y + 2).min(rows) {
                for nx in x.saturating_sub(1)..(x + 2).min(cols) {
                    let on = mask[ny * cols + nx];
                    any |= on;
                    all &= on;
                }
            }
            out[y * cols + x] = if grow { any } else { all };
        }
    }
    out
}

/// Candidate regions, strongest first.
pub(crate) fn locate(image: &GrayImage) -> Vec<Region> {
    let (width, height) = image.dimensions();
    let block = block_size(width, height);
    let (density, cols, rows) = edge_density(image, block);
    if density.is_empty() {
        return Vec::new();
    }
    // The typical block (cardboard, pack faces, background) sets the noise level; codes are
    // several times busier. The upper quantile guards against a frame that is mostly code.
    let typical = quantile(&density, 0.5);
    let busy = quantile(&density, 0.98);
    let floor = (block * block) * 6; // a mean step of 12 grey levels on half the rows
    let threshold = (typical * 3).max(busy / 4).max(floor);
    let mask: Vec<bool> = density.iter().map(|&d| d > threshold).collect();
    let closed = morph(&morph(&mask, cols, rows, true), cols, rows, false);

    let mut seen = vec![false; closed.len()];
    let mut regions = Vec::new();
    let mut stack = Vec::new();
    for start in 0..closed.len() {
        if !closed[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (cols, rows, 0, 0);
        let mut count = 0usize;
        let mut sum = 0u64;
        while let Some(index) = stack.pop() {
            let (x, y) = (index % cols, index / cols);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            count += 1;
            sum += u64::from(density[index]);
            for ny in y.saturating_sub(1)..(y + 2).min(rows) {
                for nx in x.saturating_sub(1)..(x + 2).min(cols) {
                    let neighbour = ny * cols + nx;
                    if closed[neighbour] && !seen[neighbour] {
                        seen[neighbour] = true;
                        stack.push(neighbour);
                    }
                }
            }
        }
        let blob_cols = x1 - x0 + 1;
        let blob_rows = y1 - y0 + 1;
        // A symbol is at least ~16 px on its short side and fills a good part of its box
        // (a 45°-turned square fills half).
        if blob_cols.min(blob_rows) < 2 || count * 10 < blob_cols * blob_rows * 3 {
            continue;
        }
        let block = block as usize;
        let (px0, py0) = (x0 * block, y0 * block);
        let (px1, py1) = (
            ((x1 + 1) * block).min(width as usize),
            ((y1 + 1) * block).min(height as usize),
        );
        let side = (px1 - px0).max(py1 - py0);
        let margin = block + side / 8;
        let left = px0.saturating_sub(margin);
        let top = py0.saturating_sub(margin);
        let right = (px1 + margin).min(width as usize);
        let bottom = (py1 + margin).min(height as usize);
        regions.push(Region {
            x: left as u32,
            y: top as u32,
            width: (right - left) as u32,
            height: (bottom - top) as u32,
            aspect: blob_cols as f32 / blob_rows as f32,
            strength: sum as f32 / count as f32 / threshold.max(1) as f32,
        });
    }
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
            if inside && ((px - x) / module + (py - y) / module) % 2 == 0 {
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

    #[test]
    fn flat_image_has_no_candidates() {
        let image = GrayImage::from_pixel(300, 200, image::Luma([128]));
        assert!(locate(&image).is_empty());
    }
}
