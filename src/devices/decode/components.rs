//! Symbols the sweep's detector passed over, found as dark connected components of a layer's
//! size. rxing's multi-symbol Data Matrix detector reports one symbol per scan line and then
//! skips the next eight lines on either side, so one look at a whole frame leaves symbols
//! behind; looking again (painting over what was read) costs a whole detector pass a round.
//! A symbol's dark modules touch each other and its L, so in the contrast-boosted frame it is
//! one connected component about as big as the symbols read; each such component where no
//! code was read is a crop worth a look of its own.

use image::GrayImage;

use super::DecodedCode;
use super::locate::Region;
use super::prepare::boosted;
use super::reader::Prepared;
use super::sweep::median_extent;

/// How much darker than its neighbourhood's mean a pixel must be to count as ink, in greys
/// of the boosted picture (four per grey of the original: a 4-grey difference).
const INK: u8 = 16;

/// The crops around the dark components of `image` (boosted with `radius`) that are about
/// as big as the 2D symbols in `codes` and hold none of them; empty when no 2D symbol was
/// read (no size to look for).
pub(super) fn unread_symbols(image: &GrayImage, codes: &[DecodedCode], radius: u32) -> Vec<Region> {
    let Some((side, _)) = median_extent(codes) else {
        return Vec::new();
    };
    let (width, height) = image.dimensions();
    symbol_sized(
        &component_boxes(&boosted(image, radius), INK),
        side,
        width,
        height,
    )
    .into_iter()
    .filter(|region| !codes.iter().any(|code| region.contains(code.centre())))
    .collect()
}

/// The bounding boxes `(x0, y0, x1, y1)` (inclusive) of the 8-connected components of the
/// pixels darker than `128 - ink` in `image`: each row's dark runs joined to the runs they
/// touch in the row above (union-find with path halving, the box kept at each root).
fn component_boxes(image: &Prepared, ink: u8) -> Vec<(u32, u32, u32, u32)> {
    let width = image.width as usize;
    let dark = 128u8.saturating_sub(ink);
    let mut parent: Vec<usize> = Vec::new();
    let mut boxes: Vec<(u32, u32, u32, u32)> = Vec::new();
    // The runs `(start, end exclusive, label)` of the row above and of this row.
    let mut above: Vec<(usize, usize, usize)> = Vec::new();
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for (y, row) in image.luma.chunks_exact(width.max(1)).enumerate() {
        runs.clear();
        let mut touching = 0;
        let mut x = 0;
        while x < width {
            if row[x] >= dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] < dark {
                x += 1;
            }
            let label = parent.len();
            parent.push(label);
            boxes.push((start as u32, y as u32, (x - 1) as u32, y as u32));
            // Runs above ending left of this one's start − 1 touch no later run either.
            while touching < above.len() && above[touching].1 < start {
                touching += 1;
            }
            for &(other_start, _, other) in above[touching..].iter() {
                if other_start > x {
                    break;
                }
                let (a, b) = (root(&mut parent, label), root(&mut parent, other));
                if a != b {
                    parent[a] = b;
                    let (one, two) = (boxes[a], boxes[b]);
                    boxes[b] = (
                        one.0.min(two.0),
                        one.1.min(two.1),
                        one.2.max(two.2),
                        one.3.max(two.3),
                    );
                }
            }
            runs.push((start, x, label));
        }
        std::mem::swap(&mut above, &mut runs);
    }
    (0..parent.len())
        .filter(|&label| parent[label] == label)
        .map(|label| boxes[label])
        .collect()
}

/// The root of `label`'s set, halving the path on the way.
fn root(parent: &mut [usize], mut label: usize) -> usize {
    while parent[label] != label {
        parent[label] = parent[parent[label]];
        label = parent[label];
    }
    label
}

/// Square crops of 1.4 `side` about the boxes whose longer side is 0.75–1.5 `side` and whose
/// shorter one at least half `side` (a symbol like those read, seen at a slant or with a
/// module lost at its edge), inside the `width` × `height` frame.
fn symbol_sized(boxes: &[(u32, u32, u32, u32)], side: f32, width: u32, height: u32) -> Vec<Region> {
    boxes
        .iter()
        .filter(|&&(x0, y0, x1, y1)| {
            let (across, down) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
            let longer = across.max(down);
            longer >= side * 0.75 && longer <= side * 1.5 && across.min(down) >= side * 0.5
        })
        .map(|&(x0, y0, x1, y1)| {
            Region::window(x0, y0, x1 - x0 + 1, y1 - y0 + 1).grown_to(
                (side * 1.4) as u32,
                width,
                height,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width` × `height` picture at 128 with the given rectangles `(x0, y0, x1, y1)`
    /// (inclusive) painted at `level`.
    fn picture(width: u32, height: u32, rects: &[(u32, u32, u32, u32)], level: u8) -> Prepared {
        let mut luma = vec![128u8; (width * height) as usize];
        for &(x0, y0, x1, y1) in rects {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    luma[(y * width + x) as usize] = level;
                }
            }
        }
        Prepared {
            luma,
            width,
            height,
        }
    }

    #[test]
    fn touching_runs_make_one_component_and_its_box() {
        // An L (two bars meeting at a corner), a U whose arms join only at the bottom, a
        // diagonal pair touching at a corner only (8-connected), and a lone dot.
        let image = picture(
            60,
            40,
            &[
                (2, 2, 3, 20),
                (2, 19, 15, 20),
                (20, 2, 21, 12),
                (30, 2, 31, 12),
                (20, 12, 31, 13),
                (40, 5, 42, 7),
                (43, 8, 45, 10),
                (55, 30, 55, 30),
            ],
            0,
        );
        let mut boxes = component_boxes(&image, INK);
        boxes.sort_unstable();
        assert_eq!(
            boxes,
            vec![
                (2, 2, 15, 20),
                (20, 2, 31, 13),
                (40, 5, 45, 10),
                (55, 30, 55, 30)
            ]
        );
    }

    #[test]
    fn ink_barely_darker_than_its_surroundings_is_no_component() {
        let faint = picture(30, 30, &[(5, 5, 20, 20)], 128 - INK);
        assert!(component_boxes(&faint, INK).is_empty());
        let dark = picture(30, 30, &[(5, 5, 20, 20)], 127 - INK);
        assert_eq!(component_boxes(&dark, INK), vec![(5, 5, 20, 20)]);
    }

    #[test]
    fn only_boxes_of_a_symbols_size_become_crops_about_them() {
        let boxes = [
            (100, 100, 179, 179), // 80 px: a symbol like those read (side 80)
            (300, 100, 319, 119), // 20 px: a word
            (500, 100, 799, 179), // 300 px: a line of print
            (100, 300, 179, 319), // 80 × 20: a bar
        ];
        let crops = symbol_sized(&boxes, 80.0, 1000, 1000);
        assert_eq!(crops.len(), 1);
        let crop = crops[0];
        assert_eq!((crop.width, crop.height), (112, 112));
        assert!(crop.contains((140.0, 140.0)) && crop.contains((100.0, 100.0)));
    }
}
