//! The gaps in a layer's lattice: packs in a case stand in rows and columns, so where the codes
//! read so far line up, a row and a column that cross where no code was read point at a pack
//! whose code was missed (print crowding its quiet zone, a scuff) — a window there is worth
//! a look of its own.

use super::DecodedCode;
use super::locate::Region;
use super::sweep::median_extent;

/// The windows (squares of a little over twice the typical symbol) centred where a row and a
/// column of the codes read cross without a code, inside the `width` × `height` frame; empty
/// when the codes do not stand in a lattice of at least two rows and two columns, or when the
/// lattice would have more gaps than codes (then it is no lattice).
pub(super) fn lattice_gaps(codes: &[DecodedCode], width: u32, height: u32) -> Vec<Region> {
    let Some((side, count)) = median_extent(codes) else {
        return Vec::new();
    };
    if count < 4 || side < 8.0 {
        return Vec::new();
    }
    let centres: Vec<(f32, f32)> = codes
        .iter()
        .filter(|code| code.corners.len() == 4)
        .map(DecodedCode::centre)
        .collect();
    let rows = lines(centres.iter().map(|centre| centre.1).collect(), side);
    let columns = lines(centres.iter().map(|centre| centre.0).collect(), side);
    if rows.len() < 2 || columns.len() < 2 {
        return Vec::new();
    }
    let near = side * 0.6;
    let mut gaps = Vec::new();
    for &y in &rows {
        for &x in &columns {
            let taken = centres
                .iter()
                .any(|&(cx, cy)| (cx - x).abs() < near && (cy - y).abs() < near);
            if !taken {
                gaps.push((x, y));
            }
        }
    }
    if gaps.len() > count {
        return Vec::new();
    }
    let window = (side * 2.2).round() as u32;
    gaps.into_iter()
        .map(|(x, y)| {
            let x0 = (x - window as f32 / 2.0).max(0.0) as u32;
            let y0 = (y - window as f32 / 2.0).max(0.0) as u32;
            Region::window(
                x0.min(width.saturating_sub(1)),
                y0.min(height.saturating_sub(1)),
                window.min(width - x0.min(width)),
                window.min(height - y0.min(height)),
            )
        })
        .filter(|region| region.width >= 8 && region.height >= 8)
        .collect()
}

/// Whether a region of a case layer that gave nothing at first is still worth the retry
/// ladder once the sweep is through (`side`: the typical region's side): not where it holds a
/// code read since and is no bigger than a pack's region (that pack's print), nor where it holds
/// two codes read or more (packs run together by print and shadows, which the sweep has looked
/// at; a pack missed among them is a gap in the lattice, with a look of its own).
pub(super) fn left_to_retry(region: &Region, codes: &[DecodedCode], side: u32) -> bool {
    let holds = codes
        .iter()
        .filter(|code| region.contains(code.centre()))
        .count();
    holds == 0 || (holds == 1 && region.width.max(region.height) > side * 6 / 5 + 1)
}

/// The lines (rows or columns) `values` fall into: sorted, a new line wherever the next value
/// is more than half a symbol on; each line at the mean of its values. A line of one code only
/// is kept (a short last row).
fn lines(mut values: Vec<f32>, side: f32) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut lines: Vec<(f32, usize)> = Vec::new();
    let mut last = f32::MIN;
    for value in values {
        match lines.last_mut() {
            Some((sum, count)) if value - last <= side * 0.5 => {
                *sum += value;
                *count += 1;
            }
            _ => lines.push((value, 1)),
        }
        last = value;
    }
    lines
        .into_iter()
        .map(|(sum, count)| sum / count as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::decode::Symbology;

    fn code_at(x: f32, y: f32, side: f32, text: &str) -> DecodedCode {
        let h = side / 2.0;
        DecodedCode {
            text: text.to_owned(),
            symbology: Symbology::DataMatrix,
            aim_id: "]d2".to_owned(),
            corners: vec![
                (x - h, y - h),
                (x + h, y - h),
                (x + h, y + h),
                (x - h, y + h),
            ],
            is_gs1: true,
        }
    }

    #[test]
    fn only_regions_holding_no_code_read_or_growing_past_one_are_retried() {
        let codes = [
            code_at(100.0, 100.0, 90.0, "a"),
            code_at(300.0, 100.0, 90.0, "b"),
        ];
        // (region, retried): nothing read in it; one pack's region holding its code (that
        // pack's print); much bigger than a pack's holding one code (something else may be
        // in it); two packs run together.
        let cases = [
            (Region::window(500, 0, 120, 120), true),
            (Region::window(40, 40, 120, 120), false),
            (Region::window(40, 40, 200, 260), true),
            (Region::window(0, 0, 400, 200), false),
        ];
        for (region, retried) in cases {
            assert_eq!(left_to_retry(&region, &codes, 120), retried, "{region:?}");
        }
    }

    #[test]
    fn a_missing_pack_in_a_grid_is_a_gap() {
        // 4 × 3 packs 200 px apart, codes of 90 px, slightly out of line; one missing.
        let mut codes = Vec::new();
        for row in 0..3 {
            for col in 0..4 {
                if (row, col) == (1, 2) {
                    continue;
                }
                let jitter = ((row * 4 + col) % 3) as f32 * 6.0 - 6.0;
                let (x, y) = (
                    150.0 + col as f32 * 200.0 + jitter,
                    120.0 + row as f32 * 200.0 - jitter,
                );
                codes.push(code_at(x, y, 90.0, &format!("{row}{col}")));
            }
        }
        let gaps = lattice_gaps(&codes, 1000, 700);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        let gap = gaps[0];
        let (cx, cy) = (gap.x + gap.width / 2, gap.y + gap.height / 2);
        assert!(
            (cx as i32 - 550).abs() < 10 && (cy as i32 - 320).abs() < 10,
            "{gap:?}"
        );
        assert_eq!(gap.width, 198);
    }

    #[test]
    fn no_lattice_no_gaps() {
        // A full grid has none; one row has none; scattered codes (more gaps than codes) none.
        let full: Vec<DecodedCode> = (0..6)
            .map(|i| {
                code_at(
                    100.0 + (i % 3) as f32 * 150.0,
                    100.0 + (i / 3) as f32 * 150.0,
                    60.0,
                    &i.to_string(),
                )
            })
            .collect();
        assert!(lattice_gaps(&full, 800, 600).is_empty());
        let row: Vec<DecodedCode> = (0..5)
            .map(|i| code_at(100.0 + i as f32 * 150.0, 100.0, 60.0, &i.to_string()))
            .collect();
        assert!(lattice_gaps(&row, 800, 600).is_empty());
        let diagonal: Vec<DecodedCode> = (0..5)
            .map(|i| {
                code_at(
                    80.0 + i as f32 * 120.0,
                    80.0 + i as f32 * 100.0,
                    60.0,
                    &i.to_string(),
                )
            })
            .collect();
        assert!(lattice_gaps(&diagonal, 800, 600).is_empty());
    }

    #[test]
    fn windows_at_the_frame_edge_are_clipped() {
        let codes: Vec<DecodedCode> = [(40.0, 40.0), (240.0, 40.0), (40.0, 240.0)]
            .iter()
            .chain(&[(240.0, 440.0), (40.0, 440.0)])
            .enumerate()
            .map(|(i, &(x, y))| code_at(x, y, 60.0, &i.to_string()))
            .collect();
        let gaps = lattice_gaps(&codes, 260, 460);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        let gap = gaps[0];
        assert!(
            gap.x + gap.width <= 260 && gap.y + gap.height <= 460,
            "{gap:?}"
        );
    }
}
