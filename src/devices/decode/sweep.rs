//! The whole-frame sweep ([`Search::sweep`]) and its geometry: the bands it cuts a frame into,
//! the painting-over of codes already found, the rows to look at again, and the reading order
//! of the results.

use std::sync::Mutex;

use super::DecodedCode;
use super::ladder::Step;
use super::locate::Region;
use super::prepare::{Treatment, boosted, crop, halve};
use super::reader::{Binariser, Pass, Prepared};
use super::search::Search;

/// A sweep band's boosted picture and the texts painted over in it so far.
type BandState = (Prepared, Vec<String>);

impl Search<'_> {
    /// The whole-frame sweep: every band with its local contrast boosted (radius `radius`)
    /// through the multi-symbol detectors, one band per worker. Codes already found are
    /// painted over with flat grey first, so the detectors spend no time on them and see the
    /// symbols behind them (rxing's Data Matrix detector reports one symbol per scan line).
    ///
    /// `halved` sweeps a copy at half the size (big symbols in a big frame: a quarter of the
    /// work).
    ///
    /// It goes in rounds: every band looks once, their reads join in band order, and while a
    /// round found something each band paints over everything known and looks again at the
    /// rows of what is newly painted (`rounds` at most). A band never sees what another
    /// reads in the same round, so the result does not depend on thread timing.
    pub(super) fn sweep(
        &self,
        bands: &[Region],
        radius: u32,
        pass: Pass,
        halved: bool,
        rounds: usize,
    ) {
        let scale = if halved { 0.5 } else { 1.0 };
        let back = [1.0 / scale, 0.0, 0.0, 0.0, 1.0 / scale, 0.0, 0.0, 0.0, 1.0];
        let step = Step {
            treatment: Treatment::Boost(radius),
            binariser: Binariser::Local,
            pass,
        };
        let states: Vec<Mutex<Option<BandState>>> =
            bands.iter().map(|_| Mutex::new(None)).collect();
        for round in 0..rounds {
            let known = self.lock().codes.clone();
            let slots: Vec<Mutex<Vec<DecodedCode>>> =
                bands.iter().map(|_| Mutex::new(Vec::new())).collect();
            let work = |index: usize| {
                let (Some(band), Some(state), Some(slot)) =
                    (bands.get(index), states.get(index), slots.get(index))
                else {
                    return;
                };
                if self.done() {
                    return;
                }
                let Ok(mut state) = state.lock() else {
                    return;
                };
                let (prepared, painted) = state.get_or_insert_with(|| {
                    let crop_image = crop(self.image, band);
                    let source = if halved {
                        halve(&crop_image)
                    } else {
                        crop_image
                    };
                    (boosted(&source, radius), Vec::new())
                });
                let fresh: Vec<&DecodedCode> = known
                    .iter()
                    .filter(|code| code.corners.len() == 4 && !painted.contains(&code.text))
                    .collect();
                painted.extend(fresh.iter().map(|code| code.text.clone()));
                let quads: Vec<Vec<(f32, f32)>> = fresh
                    .iter()
                    .map(|code| {
                        code.corners
                            .iter()
                            .map(|&(x, y)| {
                                ((x - band.x as f32) * scale, (y - band.y as f32) * scale)
                            })
                            .collect()
                    })
                    .collect();
                for quad in &quads {
                    blank_quad(prepared, quad);
                }
                // The whole band first, then the rows of what is newly painted (the only rows
                // where a symbol can have been hidden).
                let rows = if round == 0 {
                    (0, prepared.height)
                } else {
                    match rows_of(&quads, prepared.height) {
                        Some(rows) => rows,
                        None => return,
                    }
                };
                let reads = if rows == (0, prepared.height) {
                    self.read(prepared, &back, band, step)
                } else {
                    let width = prepared.width as usize;
                    let strip = Prepared {
                        luma: prepared.luma[rows.0 as usize * width..rows.1 as usize * width]
                            .to_vec(),
                        width: prepared.width,
                        height: rows.1 - rows.0,
                    };
                    // Strip rows → prepared rows → band pixels.
                    let mut strip_back = back;
                    strip_back[5] = rows.0 as f32 / scale;
                    self.read(&strip, &strip_back, band, step)
                };
                let new: Vec<DecodedCode> = reads
                    .into_iter()
                    .filter(|code| !known.iter().any(|other| other.text == code.text))
                    .collect();
                self.note_pending(&new);
                if let Ok(mut slot) = slot.lock() {
                    *slot = new;
                }
            };
            self.on_workers(bands.len(), "sweep", &work);
            let (_, added) = self.merge(slots);
            if added == 0 || self.done() {
                break;
            }
        }
    }
}

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
        upright: true,
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
    let grown = grown_polygon(quad);
    let (x0, y0, x1, y1) = bounds(&grown);
    let (x0, y0) = (x0.max(0.0), y0.max(0.0));
    let (x1, y1) = (
        x1.min(image.width as f32 - 1.0),
        y1.min(image.height as f32 - 1.0),
    );
    if x0 > x1 || y0 > y1 {
        return;
    }
    let inside = |px: f32, py: f32| inside_polygon(&grown, px, py);
    // Row by row: a row crosses a convex polygon in one run, between where it crosses the
    // edges; the run's ends are settled pixel by pixel with `inside` (the same pixels as testing
    // every one, at a few tests a row).
    let stride = image.width as usize;
    let (first, last) = (x0 as usize, x1 as usize);
    for y in y0 as usize..=y1 as usize {
        let py = y as f32;
        let crossings = grown.iter().enumerate().filter_map(|(i, &(ax, ay))| {
            let (bx, by) = grown[(i + 1) % grown.len()];
            ((ay - py) * (by - py) <= 0.0 && ay != by)
                .then(|| ax + (py - ay) * (bx - ax) / (by - ay))
        });
        let (lo, hi) = crossings.fold((f32::MAX, f32::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
        if lo > hi {
            continue;
        }
        let mut start = ((lo.floor() - 1.0).max(0.0) as usize).clamp(first, last);
        let mut end = ((hi.ceil() + 1.0).max(0.0) as usize).clamp(first, last);
        while start <= end && !inside(start as f32, py) {
            start += 1;
        }
        while end > start && !inside(end as f32, py) {
            end -= 1;
        }
        if start <= end && inside(start as f32, py) {
            image.luma[y * stride + start..=y * stride + end].fill(128);
        }
    }
}

/// `quad` grown by a tenth about its centre, its corners in order around the centre (whatever
/// order the detector gave them in).
fn grown_polygon(quad: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let count = quad.len() as f32;
    let (cx, cy) = quad.iter().fold((0.0, 0.0), |(sx, sy), &(x, y)| {
        (sx + x / count, sy + y / count)
    });
    let mut grown: Vec<(f32, f32)> = quad
        .iter()
        .map(|&(x, y)| (cx + (x - cx) * 1.1, cy + (y - cy) * 1.1))
        .collect();
    grown.sort_by(|a, b| {
        (a.1 - cy)
            .atan2(a.0 - cx)
            .total_cmp(&(b.1 - cy).atan2(b.0 - cx))
    });
    grown
}

/// Whether `(px, py)` is inside the convex `polygon` (or on its edge): on the same side of
/// every edge.
fn inside_polygon(polygon: &[(f32, f32)], px: f32, py: f32) -> bool {
    let mut sign = 0.0f32;
    for (i, &(ax, ay)) in polygon.iter().enumerate() {
        let (bx, by) = polygon[(i + 1) % polygon.len()];
        let cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    true
}

/// The bounding box `(x0, y0, x1, y1)` of `points` (empty: `x0 > x1`, `y0 > y1`).
pub(super) fn bounds(points: &[(f32, f32)]) -> (f32, f32, f32, f32) {
    points.iter().fold(
        (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

/// The larger of a code's width and height from its corner points.
pub(super) fn extent(corners: &[(f32, f32)]) -> f32 {
    let (x0, y0, x1, y1) = bounds(corners);
    (x1 - x0).max(y1 - y0)
}

/// The median [`extent`] of the 2D symbols (four corners) among `codes`, and how many there
/// are; `None` without any.
pub(super) fn median_extent(codes: &[DecodedCode]) -> Option<(f32, usize)> {
    let mut sides: Vec<f32> = codes
        .iter()
        .filter(|code| code.corners.len() == 4)
        .map(|code| extent(&code.corners))
        .collect();
    sides.sort_by(f32::total_cmp);
    sides.get(sides.len() / 2).map(|&side| (side, sides.len()))
}

/// The rows (start, end) spanned by `quads`, grown by half a symbol each way and clamped to
/// `height`; `None` when there are no quads.
pub(super) fn rows_of(quads: &[Vec<(f32, f32)>], height: u32) -> Option<(u32, u32)> {
    let (mut top, mut bottom, mut side) = (f32::MAX, f32::MIN, 0.0f32);
    for quad in quads {
        let (_, lo, _, hi) = bounds(quad);
        top = top.min(lo);
        bottom = bottom.max(hi);
        side = side.max(hi - lo);
    }
    if quads.is_empty() || top > bottom {
        return None;
    }
    let start = (top - side / 2.0).max(0.0) as u32;
    let end = ((bottom + side / 2.0).max(0.0) as u32).min(height);
    (start + 8 < end).then_some((start, end))
}

/// Sorts codes top to bottom in rows, left to right within a row.
pub(super) fn sort_reading_order(codes: &mut [DecodedCode]) {
    let row_height = codes
        .iter()
        .map(|code| {
            let (_, min, _, max) = bounds(&code.corners);
            (max - min).max(1.0)
        })
        .fold(f32::MAX, f32::min);
    let row_height = if row_height == f32::MAX {
        1.0
    } else {
        row_height
    };
    codes.sort_by(|a, b| {
        let (ax, ay) = a.centre();
        let (bx, by) = b.centre();
        let (row_a, row_b) = ((ay / row_height) as i64, (by / row_height) as i64);
        row_a.cmp(&row_b).then(ax.total_cmp(&bx))
    });
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

    #[test]
    fn painting_row_runs_paints_the_pixels_testing_each_would() {
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..200 {
            let (cx, cy, r) = (
                rng.random_range(-20.0..120.0f32),
                rng.random_range(-20.0..120.0f32),
                rng.random_range(1.0..60.0f32),
            );
            let turn = rng.random_range(0.0..std::f32::consts::TAU);
            // A square turned and jittered (a symbol seen at a slant), corners shuffled.
            let mut quad: Vec<(f32, f32)> = (0..4)
                .map(|k| {
                    let a = turn + k as f32 * std::f32::consts::FRAC_PI_2;
                    let j = r * rng.random_range(0.8..1.2f32);
                    (cx + j * a.cos(), cy + j * a.sin())
                })
                .collect();
            quad.swap(1, rng.random_range(0..4));
            let mut image = Prepared {
                luma: vec![0; 100 * 90],
                width: 100,
                height: 90,
            };
            blank_quad(&mut image, &quad);
            // Every pixel tested on its own, as the painting did before.
            let grown = grown_polygon(&quad);
            for y in 0..90usize {
                for x in 0..100usize {
                    let inside = inside_polygon(&grown, x as f32, y as f32);
                    let painted = image.luma[y * 100 + x] == 128;
                    assert_eq!(painted, inside, "({x}, {y}) in {quad:?}");
                }
            }
        }
    }

    #[test]
    fn rows_of_found_codes_span_them_and_half_a_symbol_more() {
        let quad = vec![(10.0, 100.0), (50.0, 100.0), (50.0, 140.0), (10.0, 140.0)];
        assert_eq!(rows_of(std::slice::from_ref(&quad), 1000), Some((80, 160)));
        // Clamped to the band; nothing found, nothing to look at again.
        assert_eq!(rows_of(&[quad], 150), Some((80, 150)));
        assert_eq!(rows_of(&[], 1000), None);
        assert_eq!(extent(&[(0.0, 0.0), (30.0, 5.0), (10.0, 40.0)]), 40.0);
    }
}
