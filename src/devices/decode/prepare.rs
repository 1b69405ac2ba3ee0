//! Image preparation for retries: crop, scale, smooth, thicken dots, invert, turn.
//!
//! Blurs and inversion go through `image`'s non-generic `DynamicImage` methods (optimised even
//! in the dev profile); resizing is our own integer tent filter (`resample`), several times
//! cheaper than `image`'s on grey pictures.

use image::{DynamicImage, GrayImage};

use super::locate::Region;
use super::reader::Prepared;
use super::rectify::rectify;
use super::resample::resize;

/// One way of preparing a crop before binarising it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Treatment {
    /// The crop as it is.
    Plain,
    /// Scaled by the factor (bilinear): up for tiny modules, down for big noisy ones.
    Scale(f32),
    /// Scaled by different factors across and down (bilinear): a symbol seen at a slant is
    /// foreshortened one way, and its finder patterns no longer have the proportions the
    /// detectors look for until that way is undone.
    Stretch(f32, f32),
    /// Gaussian blur with the given sigma (noise, JPEG, halftone dots).
    Blur(f32),
    /// Dark areas grown by a `2r+1` square minimum filter (separated inkjet dots).
    Thicken(u32),
    /// Light and dark swapped (light-on-dark marking).
    Invert,
    /// Turned by the angle in degrees about the centre (bilinear, white corners).
    Rotate(f32),
    /// Local contrast boost: each pixel's difference from the mean of its `2r+1` square,
    /// multiplied by four, about mid-grey. Grey ink on grey board (15–40 greys) comes out
    /// as an ordinary symbol wherever it is in an unevenly lit frame.
    Boost(u32),
    /// Each pixel the mean of the `2r+1` pixels above and below it (`true`) or beside it:
    /// noise averaged out along the bars of a linear code, whose edges stay where they are.
    AlongBars(bool, u32),
    /// The quadrilateral the ink fills, warped onto an upright rectangle (a symbol seen at a
    /// slant, its far side foreshortened): see `rectify`.
    Rectify,
}

/// The map from a prepared image's pixels back to the crop's, as a homography:
/// `(x, y) -> ((a x + b y + c) / w, (d x + e y + f) / w)` with `w = g x + h y + i`.
pub(crate) type Back = [f32; 9];

/// The prepared image is the crop.
const IDENTITY: Back = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];

/// `point` through `back`.
pub(crate) fn project(back: &Back, (x, y): (f32, f32)) -> (f32, f32) {
    let w = back[6] * x + back[7] * y + back[8];
    let w = if w.abs() < 1e-9 { 1e-9 } else { w };
    (
        (back[0] * x + back[1] * y + back[2]) / w,
        (back[3] * x + back[4] * y + back[5]) / w,
    )
}

/// A `width` × `height` picture whose pixel (u, v) is `image` at `back`(u, v), bilinear;
/// white outside `image`.
pub(crate) fn warp(image: &GrayImage, width: u32, height: u32, back: &Back) -> GrayImage {
    let (source_width, source_height) = image.dimensions();
    let src = image.as_raw();
    let w = source_width as usize;
    let sample = |x: f32, y: f32| -> u8 {
        if !(x >= 0.0 && y >= 0.0)
            || x > (source_width - 1) as f32
            || y > (source_height - 1) as f32
        {
            return 255;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = (
            (x0 + 1).min(w - 1),
            (y0 + 1).min(source_height as usize - 1),
        );
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let top = f32::from(src[y0 * w + x0]) * (1.0 - fx) + f32::from(src[y0 * w + x1]) * fx;
        let bottom = f32::from(src[y1 * w + x0]) * (1.0 - fx) + f32::from(src[y1 * w + x1]) * fx;
        (top * (1.0 - fy) + bottom * fy) as u8
    };
    GrayImage::from_fn(width, height, |u, v| {
        let (x, y) = project(back, (u as f32, v as f32));
        image::Luma([sample(x, y)])
    })
}

/// `crop` scaled by `across` and `down`, with the map back to the crop's pixels.
fn stretched(crop: &GrayImage, across: f32, down: f32) -> (GrayImage, Back) {
    let (width, height) = crop.dimensions();
    let new_width = ((width as f32 * across).round() as u32).max(1);
    let new_height = ((height as f32 * down).round() as u32).max(1);
    let scaled = resize(crop, new_width, new_height);
    let sx = width as f32 / new_width as f32;
    let sy = height as f32 / new_height as f32;
    (scaled, [sx, 0.0, 0.0, 0.0, sy, 0.0, 0.0, 0.0, 1.0])
}

/// `image` at half its size through a [1 3 3 1] triangle filter each way (odd last rows and
/// columns dropped): the bilinear reduction, in integers, fast enough for every 4k frame.
pub(crate) fn halve(image: &GrayImage) -> GrayImage {
    let (full_width, full_height) = (image.width() as usize, image.height() as usize);
    let (width, height) = (full_width / 2, full_height / 2);
    let source = image.as_raw();
    let taps = |centre: usize, last: usize| {
        [
            centre.saturating_sub(1),
            centre,
            (centre + 1).min(last),
            (centre + 2).min(last),
        ]
    };
    // Across: every source row reduced to `width` sums (weights 1+3+3+1 = 8).
    let mut across = vec![0u16; width * full_height];
    for y in 0..full_height {
        let row = &source[y * full_width..(y + 1) * full_width];
        for x in 0..width {
            let [a, b, c, d] = taps(2 * x, full_width - 1);
            across[y * width + x] =
                u16::from(row[a]) + 3 * (u16::from(row[b]) + u16::from(row[c])) + u16::from(row[d]);
        }
    }
    // Down: weights 8 × 8 = 64 in all.
    let mut out = Vec::with_capacity(width * height);
    for y in 0..height {
        let [a, b, c, d] = taps(2 * y, full_height - 1);
        for x in 0..width {
            let sum = u32::from(across[a * width + x])
                + 3 * (u32::from(across[b * width + x]) + u32::from(across[c * width + x]))
                + u32::from(across[d * width + x]);
            out.push(((sum + 32) / 64) as u8);
        }
    }
    GrayImage::from_raw(width as u32, height as u32, out)
        .unwrap_or_else(|| GrayImage::new(width as u32, height as u32))
}

/// Cuts `region` out of `image`.
pub(crate) fn crop(image: &GrayImage, region: &Region) -> GrayImage {
    let (width, height) = image.dimensions();
    let x0 = region.x.min(width) as usize;
    let y0 = region.y.min(height) as usize;
    let x1 = (region.x + region.width).min(width) as usize;
    let y1 = (region.y + region.height).min(height) as usize;
    let w = width as usize;
    let mut out = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for row in image.as_raw().chunks(w).take(y1).skip(y0) {
        out.extend_from_slice(&row[x0..x1]);
    }
    stretch(&mut out);
    GrayImage::from_raw((x1 - x0) as u32, (y1 - y0) as u32, out)
        .unwrap_or_else(|| GrayImage::new(0, 0))
}

/// Spreads a low-contrast crop's grey levels (1st to 99th percentile) over 0–255.
///
/// The local binariser (`binarize`) takes an 8×8 block whose levels span 24 greys or fewer
/// as flat, and the linear readers' row histograms see grey ink on grey board (a span of
/// 15–40) as one level; stretched, it is an ordinary symbol. Crops that already span half the
/// range are left alone.
pub(crate) fn stretch(luma: &mut [u8]) {
    if luma.is_empty() {
        return;
    }
    let [low, high] = levels(luma, [0.01, 0.99]);
    let span = high.saturating_sub(low);
    if !(6..128).contains(&span) {
        return;
    }
    let lut: Vec<u8> = (0..256u32)
        .map(|v| (v.saturating_sub(low) * 255 / span).min(255) as u8)
        .collect();
    for v in luma.iter_mut() {
        *v = lut[usize::from(*v)];
    }
}

/// The grey levels below which the fractions `fractions` of `luma` lie (255 for an empty one).
pub(crate) fn levels<const N: usize>(luma: &[u8], fractions: [f32; N]) -> [u32; N] {
    let mut hist = [0u32; 256];
    for &v in luma {
        hist[usize::from(v)] += 1;
    }
    fractions.map(|fraction| {
        let target = (luma.len() as f32 * fraction) as u32;
        let mut seen = 0;
        hist.iter()
            .position(|&count| {
                seen += count;
                seen > target
            })
            .map_or(255, |level| level as u32)
    })
}

/// Applies `treatment`; returns the prepared image and the map from its pixels back to the
/// crop's, or `None` when the treatment would show nothing the plain crop does not (a
/// rectification with no quadrilateral to warp, or one upright already): no attempt is due.
pub(crate) fn apply(crop: &GrayImage, treatment: Treatment) -> Option<(Prepared, Back)> {
    let (image, back) = match treatment {
        Treatment::Plain => (crop.clone(), IDENTITY),
        Treatment::Scale(factor) => stretched(crop, factor, factor),
        Treatment::Stretch(across, down) => stretched(crop, across, down),
        Treatment::Blur(sigma) => (
            DynamicImage::ImageLuma8(crop.clone())
                .blur(sigma)
                .into_luma8(),
            IDENTITY,
        ),
        Treatment::Thicken(radius) => (min_filter(crop, radius), IDENTITY),
        Treatment::Invert => {
            let mut inverted = DynamicImage::ImageLuma8(crop.clone());
            inverted.invert();
            (inverted.into_luma8(), IDENTITY)
        }
        Treatment::Rotate(degrees) => rotate(crop, degrees),
        Treatment::Boost(radius) => (boost(crop, radius), IDENTITY),
        Treatment::AlongBars(down, radius) => (box_along(crop, down, radius), IDENTITY),
        Treatment::Rectify => rectify(crop)?,
    };
    let (width, height) = image.dimensions();
    Some((
        Prepared {
            luma: image.into_raw(),
            width,
            height,
        },
        back,
    ))
}

/// `crop` with its local contrast boosted (see [`Treatment::Boost`]), prepared for reading.
pub(crate) fn boosted(crop: &GrayImage, radius: u32) -> Prepared {
    let (width, height) = crop.dimensions();
    Prepared {
        luma: boost(crop, radius).into_raw(),
        width,
        height,
    }
}

/// See [`Treatment::Boost`]: box means from running sums (each column's sum over the window's
/// rows slid down the image, and along each row a running sum of those; the window clipped at
/// the edges), then `128 + 4 (v − mean)`. Only one row of sums is kept: a 1920-wide frame's
/// sums stay in the cache.
pub(crate) fn boost(image: &GrayImage, radius: u32) -> GrayImage {
    let (width, height) = image.dimensions();
    let (w, h, r) = (width as usize, height as usize, radius.max(1) as usize);
    let src = image.as_raw();
    if w == 0 || h == 0 {
        return image.clone();
    }
    // The column sums of the first row's window.
    let mut column = vec![0u32; w];
    for row in src.chunks_exact(w).take(r + 1) {
        for (total, &pixel) in column.iter_mut().zip(row) {
            *total += u32::from(pixel);
        }
    }
    let mut prefix = vec![0u32; w + 1];
    let mut out = vec![0u8; src.len()];
    // One reciprocal per window width and height instead of a division per pixel.
    let mut reciprocal = vec![0u64; 2 * r + 2];
    let mut rows_for = 0;
    for y in 0..h {
        let rows = (y + r + 1).min(h) - y.saturating_sub(r);
        if rows != rows_for {
            rows_for = rows;
            for (window, slot) in reciprocal.iter_mut().enumerate().skip(1) {
                *slot = (1u64 << 32) / (window * rows) as u64;
            }
        }
        let row = &src[y * w..(y + 1) * w];
        let out_row = &mut out[y * w..(y + 1) * w];
        // The row's window sums from the prefix sums of the column sums.
        for (x, &total) in column.iter().enumerate() {
            prefix[x + 1] = prefix[x] + total;
        }
        let value = |pixel: u8, sum: u32, window: usize| {
            let mean = ((u64::from(sum) * reciprocal[window]) >> 32) as i32;
            (128 + 4 * (i32::from(pixel) - mean)).clamp(0, 255) as u8
        };
        // The window whole in the middle of the row (one reciprocal, no clipping) ...
        let middle = r.min(w)..w.saturating_sub(r).max(r.min(w));
        let whole_windows = if middle.is_empty() {
            &[][..]
        } else {
            &prefix[middle.start + r + 1..]
        };
        for (((&pixel, slot), &high), &low) in row[middle.clone()]
            .iter()
            .zip(&mut out_row[middle.clone()])
            .zip(whole_windows)
            .zip(&prefix[..])
        {
            *slot = value(pixel, high - low, 2 * r + 1);
        }
        // ... and clipped at its ends.
        for x in (0..middle.start).chain(middle.end..w) {
            let (low, high) = (x.saturating_sub(r), (x + r + 1).min(w));
            out_row[x] = value(row[x], prefix[high] - prefix[low], high - low);
        }
        // Slide the window down a row.
        if y + r + 1 < h {
            let incoming = &src[(y + r + 1) * w..(y + r + 2) * w];
            for (total, &pixel) in column.iter_mut().zip(incoming) {
                *total += u32::from(pixel);
            }
        }
        if y >= r {
            let outgoing = &src[(y - r) * w..(y - r + 1) * w];
            for (total, &pixel) in column.iter_mut().zip(outgoing) {
                *total -= u32::from(pixel);
            }
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| image.clone())
}

/// See [`Treatment::AlongBars`]: a running sum along each column (`down`) or row, the window
/// clipped at the edges.
fn box_along(image: &GrayImage, down: bool, radius: u32) -> GrayImage {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    let r = radius as usize;
    let mut out = vec![0u8; src.len()];
    // One line: `count` pixels `stride` apart from `start`.
    let mut smooth_line = |start: usize, stride: usize, count: usize| {
        let at = |i: usize| u32::from(src[start + i * stride]);
        let mut sum: u32 = (0..(r + 1).min(count)).map(at).sum();
        for i in 0..count {
            let (first, last) = (i.saturating_sub(r), (i + r).min(count - 1));
            out[start + i * stride] = (sum / (last - first + 1) as u32) as u8;
            // Slide: the pixel r + 1 ahead comes in, the one r behind goes out.
            if i + r + 1 < count {
                sum += at(i + r + 1);
            }
            if i >= r {
                sum -= at(i - r);
            }
        }
    };
    if down {
        for x in 0..width {
            smooth_line(x, width, height);
        }
    } else {
        for y in 0..height {
            smooth_line(y * width, 1, width);
        }
    }
    GrayImage::from_raw(width as u32, height as u32, out).unwrap_or_else(|| image.clone())
}

/// Separable square minimum filter: every pixel takes the darkest value within `radius`.
fn min_filter(image: &GrayImage, radius: u32) -> GrayImage {
    let (width, height) = image.dimensions();
    let (w, h, r) = (width as usize, height as usize, radius as usize);
    let src = image.as_raw();
    let mut horizontal = vec![0u8; src.len()];
    for (row_in, row_out) in src.chunks(w).zip(horizontal.chunks_mut(w)) {
        for (x, out) in row_out.iter_mut().enumerate() {
            let window = &row_in[x.saturating_sub(r)..(x + r + 1).min(w)];
            *out = window.iter().copied().min().unwrap_or(255);
        }
    }
    let mut out = vec![0u8; src.len()];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            out[y * w + x] = (y0..y1)
                .map(|yy| horizontal[yy * w + x])
                .min()
                .unwrap_or(255);
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| image.clone())
}

/// Rotates about the centre into a canvas big enough for the whole crop.
fn rotate(image: &GrayImage, degrees: f32) -> (GrayImage, Back) {
    let (width, height) = image.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    // The small slack keeps float noise (cos 90° is not quite 0) from adding a pixel.
    let new_width = (width as f32 * cos.abs() + height as f32 * sin.abs() - 0.01).ceil() as u32;
    let new_height = (width as f32 * sin.abs() + height as f32 * cos.abs() - 0.01).ceil() as u32;
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let (ncx, ncy) = (new_width as f32 / 2.0, new_height as f32 / 2.0);
    // Output pixel (u, v) comes from source (cos*(u-ncx) + sin*(v-ncy) + cx, -sin*(u-ncx) + cos*(v-ncy) + cy).
    let back = [
        cos,
        sin,
        cx - cos * ncx - sin * ncy,
        -sin,
        cos,
        cy + sin * ncx - cos * ncy,
        0.0,
        0.0,
        1.0,
    ];
    (warp(image, new_width, new_height, &back), back)
}

/// Maps a point of the prepared image back through `back` and the crop offset.
pub(crate) fn map_back(point: (f32, f32), back: &Back, region: &Region) -> (f32, f32) {
    let (x, y) = project(back, point);
    (x + region.x as f32, y + region.y as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_maps_back_to_the_source() {
        let image = GrayImage::from_fn(60, 40, |x, y| image::Luma([(x * 4 + y) as u8]));
        let region = Region {
            x: 10,
            y: 20,
            width: 60,
            height: 40,
            aspect: 1.5,
            strength: 1.0,
            isotropy: 1.0,
            upright: true,
        };
        let (prepared, back) = apply(&image, Treatment::Rotate(90.0)).expect("rotated");
        assert_eq!((prepared.width, prepared.height), (40, 60));
        // The rotated image's centre is the source centre.
        let centre = map_back((20.0, 30.0), &back, &region);
        assert!((centre.0 - 40.0).abs() < 0.01 && (centre.1 - 40.0).abs() < 0.01);
    }

    #[test]
    fn thicken_grows_dark_pixels() {
        let mut image = GrayImage::from_pixel(9, 9, image::Luma([255]));
        image.put_pixel(4, 4, image::Luma([0]));
        let thick = min_filter(&image, 1);
        assert_eq!(thick.get_pixel(3, 3).0, [0]);
        assert_eq!(thick.get_pixel(5, 5).0, [0]);
        assert_eq!(thick.get_pixel(2, 2).0, [255]);
    }

    #[test]
    fn scale_maps_corners() {
        let image = GrayImage::from_pixel(50, 30, image::Luma([200]));
        let region = Region {
            x: 0,
            y: 0,
            width: 50,
            height: 30,
            aspect: 1.0,
            strength: 1.0,
            isotropy: 1.0,
            upright: true,
        };
        let (prepared, back) = apply(&image, Treatment::Scale(2.0)).expect("scaled");
        assert_eq!((prepared.width, prepared.height), (100, 60));
        assert_eq!(map_back((100.0, 60.0), &back, &region), (50.0, 30.0));
    }

    #[test]
    fn smoothing_along_bars_keeps_their_edges_and_averages_the_rest() {
        // Vertical bars (columns 0–3 dark) with a noisy row: smoothed down the columns, the
        // bars stay sharp and the noise is spread over 2r+1 rows.
        let mut image =
            GrayImage::from_fn(8, 9, |x, _| image::Luma([if x < 4 { 20 } else { 200 }]));
        image.put_pixel(6, 4, image::Luma([110]));
        let (prepared, _) = apply(&image, Treatment::AlongBars(true, 2)).expect("smoothed");
        let at = |x: usize, y: usize| prepared.luma[y * 8 + x];
        assert_eq!((at(3, 4), at(4, 4)), (20, 200));
        assert_eq!(at(6, 4), 182); // (4 × 200 + 110) / 5
        assert_eq!(at(6, 0), 200); // 3 rows in the window at the top edge, none the noisy one
        assert_eq!(at(6, 2), 182);
        let (across, _) = apply(&image, Treatment::AlongBars(false, 1)).expect("smoothed");
        assert_eq!(across.luma[4 * 8 + 3], 80); // (20 + 20 + 200) / 3
    }

    #[test]
    fn the_boost_is_four_times_the_difference_from_the_clipped_box_mean() {
        let image = GrayImage::from_fn(23, 17, |x, y| {
            image::Luma([((x * 37 + y * 91 + x * y * 13) % 251) as u8])
        });
        // Windows whole in the middle of a row, whole for one pixel only, never whole, wider
        // than the picture.
        for radius in [1, 3, 8, 11, 12, 30] {
            let boosted = boost(&image, radius);
            let r = radius as i64;
            for (x, y, pixel) in boosted.enumerate_pixels() {
                let (x, y) = (i64::from(x), i64::from(y));
                let (mut sum, mut count) = (0i64, 0i64);
                for yy in (y - r).max(0)..=(y + r).min(16) {
                    for xx in (x - r).max(0)..=(x + r).min(22) {
                        sum += i64::from(image.get_pixel(xx as u32, yy as u32).0[0]);
                        count += 1;
                    }
                }
                let value = i64::from(image.get_pixel(x as u32, y as u32).0[0]);
                // The reciprocal's rounding may take the mean one grey lower.
                let near = [sum / count, sum / count - 1]
                    .map(|mean| (128 + 4 * (value - mean)).clamp(0, 255));
                assert!(
                    near.contains(&i64::from(pixel.0[0])),
                    "radius {radius} at ({x}, {y}): {} not in {near:?}",
                    pixel.0[0]
                );
            }
        }
    }

    #[test]
    fn halving_filters_and_keeps_flat_areas_flat() {
        let flat = GrayImage::from_pixel(6, 4, image::Luma([77]));
        let half = halve(&flat);
        assert_eq!(half.dimensions(), (3, 2));
        assert!(half.pixels().all(|p| p.0[0] == 77));
        // A step from 0 to 200 between columns 3 and 4 comes out as a ramp.
        let step = GrayImage::from_fn(8, 2, |x, _| image::Luma([if x < 4 { 0 } else { 200 }]));
        let half = halve(&step);
        let row: Vec<u8> = (0..4).map(|x| half.get_pixel(x, 0).0[0]).collect();
        assert_eq!(row, vec![0, 25, 175, 200]);
    }
}
