//! The whole-frame sweep's geometry: the bands it cuts a frame into and the painting-over of
//! codes already found.

use super::locate::Region;
use super::reader::Prepared;

/// The whole frame as one band (small frames) or as two overlapping horizontal bands, one per
/// core; the overlap holds a whole symbol of the typical size (or a sixth of the frame).
pub(super) fn bands(
    width: u32,
    height: u32,
    typical_side: Option<u32>,
    small: bool,
) -> Vec<Region> {
    let band = |y: u32, band_height: u32| Region {
        x: 0,
        y,
        width,
        height: band_height,
        aspect: 1.0,
        strength: 0.0,
        isotropy: 1.0,
    };
    let overlap = typical_side
        .map_or(height / 6, |side| side * 3 / 2)
        .clamp(height / 10, height / 3);
    if small || height < 200 {
        return vec![band(0, height)];
    }
    let top = (height / 2 + overlap / 2).min(height);
    let bottom_start = (height / 2).saturating_sub(overlap / 2);
    vec![band(0, top), band(bottom_start, height - bottom_start)]
}

/// Paints the quadrilateral `quad` (grown by a tenth about its centre) mid-grey in `image`.
pub(super) fn blank_quad(image: &mut Prepared, quad: &[(f32, f32)]) {
    let count = quad.len() as f32;
    let (cx, cy) = quad.iter().fold((0.0, 0.0), |(sx, sy), &(x, y)| {
        (sx + x / count, sy + y / count)
    });
    let mut grown: Vec<(f32, f32)> = quad
        .iter()
        .map(|&(x, y)| (cx + (x - cx) * 1.1, cy + (y - cy) * 1.1))
        .collect();
    // In order around the centre, whatever order the detector gave the corners in.
    grown.sort_by(|a, b| {
        (a.1 - cy)
            .atan2(a.0 - cx)
            .total_cmp(&(b.1 - cy).atan2(b.0 - cx))
    });
    let (w, h) = (image.width as f32, image.height as f32);
    let x0 = grown.iter().map(|p| p.0).fold(f32::MAX, f32::min).max(0.0);
    let x1 = grown
        .iter()
        .map(|p| p.0)
        .fold(f32::MIN, f32::max)
        .min(w - 1.0);
    let y0 = grown.iter().map(|p| p.1).fold(f32::MAX, f32::min).max(0.0);
    let y1 = grown
        .iter()
        .map(|p| p.1)
        .fold(f32::MIN, f32::max)
        .min(h - 1.0);
    if x0 > x1 || y0 > y1 {
        return;
    }
    // Inside a convex polygon: the point is on the same side of every edge.
    let inside = |px: f32, py: f32| {
        let mut sign = 0.0f32;
        for (i, &(ax, ay)) in grown.iter().enumerate() {
            let (bx, by) = grown[(i + 1) % grown.len()];
            let cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
            if cross != 0.0 {
                if sign != 0.0 && cross.signum() != sign {
                    return false;
                }
                sign = cross.signum();
            }
        }
        true
    };
    let stride = image.width as usize;
    for y in y0 as usize..=y1 as usize {
        for x in x0 as usize..=x1 as usize {
            if inside(x as f32, y as f32) {
                image.luma[y * stride + x] = 128;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_frames_get_two_overlapping_bands_small_ones_one() {
        assert_eq!(bands(640, 480, None, true).len(), 1);
        let two = bands(1920, 1080, Some(100), false);
        assert_eq!(two.len(), 2);
        assert_eq!((two[0].y, two[1].y + two[1].height), (0, 1080));
        // The overlap holds one and a half symbols of the typical size.
        assert!(two[0].y + two[0].height >= two[1].y + 150, "{two:?}");
    }

    #[test]
    fn a_turned_quad_is_painted_grey_and_nothing_outside() {
        let mut image = Prepared {
            luma: vec![0; 100 * 100],
            width: 100,
            height: 100,
        };
        // A diamond about (50, 50), corners in no particular order.
        blank_quad(
            &mut image,
            &[(50.0, 20.0), (50.0, 80.0), (80.0, 50.0), (20.0, 50.0)],
        );
        assert_eq!(image.luma[50 * 100 + 50], 128);
        assert_eq!(image.luma[50 * 100 + 22], 128);
        assert_eq!(image.luma[22 * 100 + 22], 0);
        assert_eq!(image.luma[5 * 100 + 5], 0);
    }
}
