//! Resizing a grey picture through a tent (triangle) filter, in integers: the bilinear
//! enlargement, and for a reduction the average over the source pixels each target pixel
//! covers. The same filter as `image`'s `FilterType::Triangle` (within two grey levels), at a
//! fraction of its cost (it works in floating point on four channels).

use image::GrayImage;

/// Weights of one target pixel along one axis: the first source index and the weights of
/// the source pixels from there, summing to `1 << SHIFT`.
struct Taps {
    first: usize,
    weights: Vec<u32>,
}

const SHIFT: u32 = 14;

/// The taps of every target pixel when `source` pixels become `target` along an axis.
fn taps(source: usize, target: usize) -> Vec<Taps> {
    let scale = target as f32 / source as f32;
    // A reduction widens the tent to cover every source pixel between two target ones.
    let support = if scale < 1.0 { 1.0 / scale } else { 1.0 };
    (0..target)
        .map(|at| {
            let centre = (at as f32 + 0.5) / scale;
            let first = (centre - support).floor().max(0.0) as usize;
            let end = ((centre + support).ceil() as usize).clamp(first + 1, source);
            let first = first.min(end - 1);
            let raw: Vec<f32> = (first..end)
                .map(|index| (1.0 - ((index as f32 + 0.5) - centre).abs() / support).max(0.0))
                .collect();
            let sum: f32 = raw.iter().sum();
            let mut weights: Vec<u32> = if sum > 0.0 {
                raw.iter()
                    .map(|w| (w / sum * (1 << SHIFT) as f32).round() as u32)
                    .collect()
            } else {
                vec![0; raw.len()]
            };
            // Rounding leaves the sum a unit or two off: the largest weight takes it up.
            let total: u32 = weights.iter().sum();
            if let Some(largest) = weights.iter_mut().max() {
                *largest = (*largest + (1 << SHIFT)).saturating_sub(total);
            }
            Taps { first, weights }
        })
        .collect()
}

/// `image` resized to `width` × `height` (each at least 1).
pub(crate) fn resize(image: &GrayImage, width: u32, height: u32) -> GrayImage {
    let (source_width, source_height) = (image.width() as usize, image.height() as usize);
    let (width, height) = (width.max(1) as usize, height.max(1) as usize);
    if source_width == 0 || source_height == 0 {
        return GrayImage::new(width as u32, height as u32);
    }
    let source = image.as_raw();
    let across = taps(source_width, width);
    let down = taps(source_height, height);
    // Along rows first, kept at 64 × the grey level (fits 16 bits).
    let mut rows = vec![0u16; width * source_height];
    for y in 0..source_height {
        let row = &source[y * source_width..(y + 1) * source_width];
        for (x, tap) in across.iter().enumerate() {
            let sum: u32 = row[tap.first..]
                .iter()
                .zip(&tap.weights)
                .map(|(&value, &weight)| u32::from(value) * weight)
                .sum();
            rows[y * width + x] = ((sum + (1 << (SHIFT - 7))) >> (SHIFT - 6)) as u16;
        }
    }
    let mut out = vec![0u8; width * height];
    let mut sums = vec![0u32; width];
    for (y, tap) in down.iter().enumerate() {
        sums.fill(0);
        for (offset, &weight) in tap.weights.iter().enumerate() {
            let start = (tap.first + offset) * width;
            for (sum, &value) in sums.iter_mut().zip(&rows[start..start + width]) {
                *sum += u32::from(value) * weight;
            }
        }
        for (pixel, &sum) in out[y * width..(y + 1) * width].iter_mut().zip(&sums) {
            *pixel = ((sum + (1 << (SHIFT + 5))) >> (SHIFT + 6)).min(255) as u8;
        }
    }
    GrayImage::from_raw(width as u32, height as u32, out)
        .unwrap_or_else(|| GrayImage::new(width as u32, height as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;
    use image::imageops::FilterType;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    #[test]
    fn matches_the_image_crates_triangle_filter() {
        let mut rng = StdRng::seed_from_u64(5);
        // Texture with edges: blocks of random grey, as a symbol's modules.
        let mut picture = GrayImage::new(97, 61);
        let blocks: Vec<u8> = (0..25 * 16).map(|_| rng.random()).collect();
        for (x, y, pixel) in picture.enumerate_pixels_mut() {
            pixel.0[0] = blocks[(y as usize / 4) * 25 + x as usize / 4];
        }
        for (width, height) in [
            (194, 122),
            (48, 30),
            (194, 61),
            (97, 30),
            (40, 100),
            (97, 61),
        ] {
            let ours = resize(&picture, width, height);
            let theirs = DynamicImage::ImageLuma8(picture.clone())
                .resize_exact(width, height, FilterType::Triangle)
                .into_luma8();
            assert_eq!(ours.dimensions(), theirs.dimensions());
            let worst = ours
                .as_raw()
                .iter()
                .zip(theirs.as_raw())
                .map(|(a, b)| a.abs_diff(*b))
                .max();
            assert!(worst.is_some_and(|d| d <= 2), "{width}×{height}: {worst:?}");
        }
    }

    #[test]
    fn a_flat_picture_stays_flat_and_degenerate_sizes_do_not_panic() {
        let flat = GrayImage::from_pixel(10, 7, image::Luma([173]));
        let out = resize(&flat, 23, 3);
        assert!(out.pixels().all(|p| p.0[0] == 173));
        assert_eq!(resize(&flat, 0, 0).dimensions(), (1, 1));
        assert_eq!(resize(&GrayImage::new(0, 0), 4, 4).dimensions(), (4, 4));
    }
}
