//! Rectification: the quadrilateral a tilted symbol's ink fills, found and warped upright.
//!
//! A code on a carton seen at a slant is foreshortened unevenly: a QR code's finder patterns
//! come out of very different sizes, a linear code's bars narrow along it. rxing's detectors
//! refuse such symbols. The ink of one symbol fills a convex quadrilateral (a square or a
//! rectangle seen through a projective map), so the largest quadrilateral inside the convex
//! hull of the crop's ink gives its four corners, and the map from an upright rectangle onto
//! them undoes the slant.

use image::GrayImage;

use super::prepare::{Back, levels, warp};
use super::sweep::bounds;

/// Hull vertices at most for the quadrilateral search (cubic in their number).
const MAX_HULL: usize = 64;

/// `crop` with its ink's quadrilateral warped onto an upright rectangle (a margin of a tenth
/// of its size around it), and the map back to the crop's pixels; `None` when the crop has no
/// clear ink, the ink fills no proper quadrilateral, or the quadrilateral is an upright
/// rectangle already (the warp would show the crop's own pixels, which were read as they are).
pub(super) fn rectify(crop: &GrayImage) -> Option<(GrayImage, Back)> {
    let quad = ink_quad(crop)?;
    if is_upright_rectangle(&quad) {
        return None;
    }
    let side = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    let width = side(quad[0], quad[1]).max(side(quad[3], quad[2])).round();
    let height = side(quad[1], quad[2]).max(side(quad[0], quad[3])).round();
    if width < 8.0 || height < 8.0 {
        return None;
    }
    // No bigger than needed: a long edge of more than 1,200 pixels is scaled down.
    let scale = (1200.0 / width.max(height)).min(1.0);
    let (width, height) = (width * scale, height * scale);
    let margin = (width.max(height) * 0.1).round().max(2.0);
    let back = rectangle_to_quad(&quad, width, height, margin)?;
    let out_width = (width + 2.0 * margin) as u32;
    let out_height = (height + 2.0 * margin) as u32;
    Some((warp(crop, out_width, out_height, &back), back))
}

/// Whether `quad` (from its top left corner, round as a rectangle's corners go) lies on its
/// upright bounding box: no corner more than a pixel and a half (or 1 % of the box's long side)
/// off the box's corner, so that warping it moves no pixel further.
fn is_upright_rectangle(quad: &[(f32, f32); 4]) -> bool {
    let (x0, y0, x1, y1) = bounds(quad);
    let tolerance = ((x1 - x0).max(y1 - y0) * 0.01).max(1.5);
    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    quad.iter()
        .zip(corners)
        .all(|(&(x, y), (bx, by))| (x - bx).abs() <= tolerance && (y - by).abs() <= tolerance)
}

/// The largest quadrilateral inside the convex hull of the crop's ink, corners in hull order.
fn ink_quad(crop: &GrayImage) -> Option<[(f32, f32); 4]> {
    let (width, height) = (crop.width() as usize, crop.height() as usize);
    if width < 8 || height < 8 {
        return None;
    }
    let luma = crop.as_raw();
    let [ink, paper] = levels(luma, [0.02, 0.98]).map(|level| level as f32);
    if paper - ink < 24.0 {
        return None;
    }
    // Nearer the ink than the paper: a carton board around a label (darker than the label,
    // far lighter than ink) stays out.
    let threshold = ink + (paper - ink) * 0.4;
    let dark = |x: usize, y: usize| f32::from(luma[y * width + x]) < threshold;
    // The hull of a set is the hull of each row's outermost points; two dark pixels side by
    // side, so that a speck of noise does not count.
    let mut points = Vec::new();
    for y in 0..height {
        let pair = |x: usize| dark(x, y) && dark(x + 1, y);
        let first = (0..width - 1).find(|&x| pair(x));
        let last = (0..width - 1).rev().find(|&x| pair(x));
        if let (Some(first), Some(last)) = (first, last) {
            points.push((first as i64, y as i64));
            points.push((last as i64 + 1, y as i64));
        }
    }
    let hull = convex_hull(points);
    let step = hull.len().div_ceil(MAX_HULL).max(1);
    let hull: Vec<(i64, i64)> = hull.into_iter().step_by(step).collect();
    let mut quad = largest_quad(&hull)?;
    // A sliver (ink along one line only) is no symbol.
    let area = polygon_area2(&quad);
    if area < 64 {
        return None;
    }
    // From the top edge's left end (the top edge is the one running most nearly rightwards,
    // going round as the rectangle's corners do): a symbol turned less than 45° stays the way
    // it was (a linear code's upright bars stay upright, and are scanned across them only).
    let rightwards = |i: usize| {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        dx / dx.hypot(dy).max(1.0)
    };
    let top = (0..4)
        .max_by(|&i, &j| rightwards(i).total_cmp(&rightwards(j)))
        .unwrap_or(0);
    quad.rotate_left(top);
    Some(quad.map(|(x, y)| (x as f32, y as f32)))
}

/// Twice the signed area of the triangle `a b c` (positive when counter-clockwise).
fn cross(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> i64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Twice the area of a convex polygon given in order.
fn polygon_area2(points: &[(i64, i64)]) -> i64 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<i64>()
        .abs()
}

/// Andrew's monotone chain: the convex hull, counter-clockwise, without collinear points.
fn convex_hull(mut points: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    points.sort_unstable();
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let mut hull: Vec<(i64, i64)> = Vec::with_capacity(points.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &(i64, i64)>> = if pass == 0 {
            Box::new(points.iter())
        } else {
            Box::new(points.iter().rev())
        };
        for &point in ordered {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], point) <= 0
            {
                hull.pop();
            }
            hull.push(point);
        }
        // The last point of each chain is the first of the other.
        hull.pop();
    }
    hull
}

/// The four hull vertices spanning the largest quadrilateral, in hull order.
fn largest_quad(hull: &[(i64, i64)]) -> Option<[(i64, i64); 4]> {
    let n = hull.len();
    if n < 4 {
        return None;
    }
    // The vertex farthest from the line `from`–`to` among `range` (indices taken round).
    let farthest = |range: std::ops::Range<usize>, from: usize, to: usize| {
        range
            .map(|i| (cross(hull[from], hull[i % n], hull[to]).abs(), i % n))
            .max()
    };
    let mut best: Option<(i64, [usize; 4])> = None;
    // Diagonal a–c; the farthest vertex on each side of it completes the quadrilateral.
    for a in 0..n {
        for c in a + 2..n {
            let (Some((left, b)), Some((right, d))) =
                (farthest(a + 1..c, a, c), farthest(c + 1..a + n, c, a))
            else {
                continue;
            };
            if best.is_none_or(|(top, _)| left + right > top) {
                best = Some((left + right, [a, b, c, d]));
            }
        }
    }
    best.map(|(_, corners)| corners.map(|i| hull[i]))
}

/// The map taking the `width` × `height` rectangle at (`margin`, `margin`) onto `quad`
/// (corner 0 at its top left, then along its top edge), as a homography.
fn rectangle_to_quad(quad: &[(f32, f32); 4], width: f32, height: f32, margin: f32) -> Option<Back> {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = *quad;
    // The unit square onto the quadrilateral (Heckbert's closed form).
    let (sx, sy) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
    let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
    let det = dx1 * dy2 - dx2 * dy1;
    if det.abs() < 1e-6 {
        return None;
    }
    let g = (sx * dy2 - dx2 * sy) / det;
    let h = (dx1 * sy - sx * dy1) / det;
    let unit = [
        [x1 - x0 + g * x1, x3 - x0 + h * x3, x0],
        [y1 - y0 + g * y1, y3 - y0 + h * y3, y0],
        [g, h, 1.0],
    ];
    // Then the rectangle onto the unit square: s = (u − margin) / width, t likewise.
    let mut back = [0.0; 9];
    for (row, out) in unit.iter().zip(back.chunks_mut(3)) {
        out[0] = row[0] / width;
        out[1] = row[1] / height;
        out[2] = row[2] - row[0] * margin / width - row[1] * margin / height;
    }
    Some(back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::decode::prepare::project;

    #[test]
    fn the_hull_of_a_square_grid_is_its_four_corners() {
        let points: Vec<(i64, i64)> = (0..5).flat_map(|x| (0..5).map(move |y| (x, y))).collect();
        let hull = convex_hull(points);
        assert_eq!(hull, vec![(0, 0), (4, 0), (4, 4), (0, 4)]);
    }

    #[test]
    fn the_largest_quad_is_the_largest_of_all_choices_of_four_vertices() {
        // An octagon (a square with its corners cut) and a lopsided heptagon.
        let shapes = [
            vec![
                (1, 0),
                (9, 0),
                (10, 1),
                (10, 9),
                (9, 10),
                (1, 10),
                (0, 9),
                (0, 1),
            ],
            vec![(0, 0), (7, 1), (12, 5), (13, 11), (6, 14), (1, 12), (-2, 5)],
        ];
        for shape in shapes {
            let hull = convex_hull(shape);
            let n = hull.len();
            let mut best = 0;
            for a in 0..n {
                for b in a + 1..n {
                    for c in b + 1..n {
                        for d in c + 1..n {
                            best = best.max(polygon_area2(&[hull[a], hull[b], hull[c], hull[d]]));
                        }
                    }
                }
            }
            let quad = largest_quad(&hull).map(|quad| polygon_area2(&quad));
            assert_eq!(quad, Some(best), "{hull:?}");
        }
    }

    #[test]
    fn the_rectangle_maps_onto_the_quad_corners() {
        let quad = [(10.0, 20.0), (110.0, 5.0), (130.0, 90.0), (0.0, 100.0)];
        let back = rectangle_to_quad(&quad, 50.0, 40.0, 5.0).expect("a proper quadrilateral");
        let corners = [(5.0, 5.0), (55.0, 5.0), (55.0, 45.0), (5.0, 45.0)];
        for (corner, want) in corners.iter().zip(quad) {
            let got = project(&back, *corner);
            assert!(
                (got.0 - want.0).abs() < 1e-3 && (got.1 - want.1).abs() < 1e-3,
                "{corner:?} → {got:?}, want {want:?}"
            );
        }
    }

    /// A dark trapezoid (a square seen at a slant, wide at the bottom) on light paper.
    fn trapezoid() -> GrayImage {
        GrayImage::from_fn(200, 160, |x, y| {
            let (x, y) = (x as f32, y as f32);
            let spread = 40.0 + (y - 30.0) * 0.4;
            let inside =
                (30.0..130.0).contains(&y) && (100.0 - spread..100.0 + spread).contains(&x);
            image::Luma([if inside { 20 } else { 230 }])
        })
    }

    #[test]
    fn the_ink_quad_of_a_slanted_square_is_its_four_corners() {
        let quad = ink_quad(&trapezoid()).expect("the trapezoid is found");
        for want in [(60.0, 30.0), (140.0, 30.0), (180.0, 129.0), (20.0, 129.0)] {
            assert!(
                quad.iter()
                    .any(|got: &(f32, f32)| (got.0 - want.0).abs() < 3.0
                        && (got.1 - want.1).abs() < 3.0),
                "{want:?} not in {quad:?}"
            );
        }
        // In order round the quadrilateral, turning the way the rectangle's corners do, from
        // the top left one.
        let ints = quad.map(|(x, y)| (x as i64, y as i64));
        assert!(cross(ints[0], ints[1], ints[2]) > 0 && cross(ints[2], ints[3], ints[0]) > 0);
        assert!((quad[0].0 - 60.0).abs() < 3.0 && (quad[0].1 - 30.0).abs() < 3.0);
    }

    #[test]
    fn a_turned_code_keeps_its_way_when_warped() {
        // Upright bars (a linear code) turned up to 40° either way and seen at a slant: warped, its
        // columns still run along the bars (each column one shade, rows cross them).
        for degrees in [-40.0f32, -20.0, 20.0, 40.0] {
            let (sin, cos) = degrees.to_radians().sin_cos();
            let crop = GrayImage::from_fn(240, 240, |x, y| {
                let (dx, dy) = (x as f32 - 120.0, y as f32 - 120.0);
                // Into the code's own frame (bars along v), narrowing down the code.
                let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
                let u = u * (1.0 + v / 400.0);
                let inside = u.abs() < 80.0 && v.abs() < 40.0;
                let bar = (u + 80.0) as i32 / 6 % 2 == 0 || u.abs() > 76.0;
                image::Luma([if inside && bar { 20 } else { 230 }])
            });
            let (warped, _) = rectify(&crop).expect("the code is found");
            let (w, h) = (warped.width(), warped.height());
            assert!(w > h, "{degrees}°: {w}×{h}");
            let changes = |along_row: bool| -> u32 {
                let (count, length) = if along_row { (h, w) } else { (w, h) };
                (count / 3..count * 2 / 3)
                    .map(|line| {
                        let at = |i: u32| {
                            let (x, y) = if along_row { (i, line) } else { (line, i) };
                            warped.get_pixel(x, y).0[0] < 128
                        };
                        (1..length).filter(|&i| at(i) != at(i - 1)).count() as u32
                    })
                    .sum::<u32>()
                    / (count / 3).max(1)
            };
            assert!(changes(true) > 4 * changes(false).max(1), "{degrees}°");
        }
    }

    #[test]
    fn a_slanted_square_is_warped_upright() {
        let (upright, back) = rectify(&trapezoid()).expect("the trapezoid is found");
        let (w, h) = (upright.width(), upright.height());
        // The middle is ink, the margin paper.
        assert!(upright.get_pixel(w / 2, h / 2).0[0] < 60);
        assert!(upright.get_pixel(w / 2, h / 3).0[0] < 60);
        assert!(upright.get_pixel(1, 1).0[0] > 200);
        assert!(upright.get_pixel(w - 2, h - 2).0[0] > 200);
        // The middle maps back to where the trapezoid's diagonals cross (a third of the way
        // down: the far side, a slant's short one, is half as long as the near one).
        let middle = project(&back, (w as f32 / 2.0, h as f32 / 2.0));
        assert!(
            (middle.0 - 100.0).abs() < 3.0 && (middle.1 - 63.0).abs() < 3.0,
            "{middle:?}"
        );
    }

    #[test]
    fn an_upright_rectangle_of_ink_is_not_warped() {
        // Its own pixels were read as they are: nothing to warp.
        let upright = GrayImage::from_fn(200, 120, |x, y| {
            let inside = (40..160).contains(&x) && (30..90).contains(&y);
            image::Luma([if inside && x % 6 < 3 { 20 } else { 230 }])
        });
        assert!(ink_quad(&upright).is_some());
        assert!(rectify(&upright).is_none());
        // Four pixels of slant over 60 rows is a slant.
        let slanted = GrayImage::from_fn(200, 120, |x, y| {
            let shift = (y.saturating_sub(30) * 4 / 60) as i64;
            let x = i64::from(x) - shift;
            let inside = (40..160).contains(&x) && (30..90).contains(&y);
            image::Luma([if inside && x % 6 < 3 { 20 } else { 230 }])
        });
        assert!(rectify(&slanted).is_some());
    }

    #[test]
    fn no_ink_no_quad() {
        let flat = GrayImage::from_pixel(50, 50, image::Luma([128]));
        assert!(rectify(&flat).is_none());
        let line = GrayImage::from_fn(50, 50, |_, y| image::Luma([if y == 20 { 0 } else { 255 }]));
        assert!(rectify(&line).is_none());
    }
}
