//! Pictures a packer would rather look at than read: the case being filled as a grid of slots
//! in its packing pattern (filled slots dark, the last pack highlighted, empty slots outlined),
//! and the pallet as a grid of its cases, each with its fill. Drawn from two small typed view
//! models, so the station screen (or a test) only says how many and which was last.
//!
//! ```
//! use packbench::ui::fill_grid::{CaseGrid, pattern};
//! assert_eq!(pattern(20), (5, 4));
//! let grid = CaseGrid { capacity: 20, filled: 7 };
//! assert_eq!(grid.slot(6), packbench::ui::fill_grid::Slot::Last);
//! ```

/// Columns × rows of a container's packing pattern: the factor pair of `capacity` nearest a
/// square, wider than tall (20 → 5 × 4, 24 → 6 × 4, 12 → 4 × 3); a prime capacity is laid out
/// in rows of the square root, rounded up (7 → 3 × 3).
pub fn pattern(capacity: u32) -> (u32, u32) {
    if capacity == 0 {
        return (0, 0);
    }
    let root = f64::from(capacity).sqrt();
    let mut best = None;
    let mut rows = root.floor() as u32;
    while rows >= 1 {
        if capacity.is_multiple_of(rows) {
            best = Some((capacity / rows, rows));
            break;
        }
        rows -= 1;
    }
    match best {
        // A 1-row layout of many slots is no picture: fall back to a near-square grid.
        Some((columns, 1)) if columns > 4 => {
            let columns = root.ceil() as u32;
            (columns, capacity.div_ceil(columns))
        }
        Some(pair) => pair,
        None => (capacity, 1),
    }
}

/// What one slot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A pack is in it.
    Filled,
    /// The pack just scanned.
    Last,
    /// Still empty.
    Empty,
}

/// The case being filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseGrid {
    /// Packs per case.
    pub capacity: u32,
    /// Packs in it (the last one is the newest).
    pub filled: u32,
}

impl CaseGrid {
    /// Slot `n` (0-based, row by row).
    pub fn slot(&self, n: u32) -> Slot {
        if n + 1 == self.filled {
            Slot::Last
        } else if n < self.filled {
            Slot::Filled
        } else {
            Slot::Empty
        }
    }
}

/// The pallet being filled: its cases with their fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PalletGrid {
    /// Cases per pallet.
    pub capacity: u32,
    /// Each case on it (or being filled for it), in order: (packs in it, packs per case).
    pub cases: Vec<(u32, u32)>,
}

const FILLED: egui::Color32 = egui::Color32::from_rgb(0, 100, 45);
const LAST: egui::Color32 = egui::Color32::from_rgb(255, 176, 0);
const EMPTY: egui::Color32 = egui::Color32::from_gray(235);
const EDGE: egui::Color32 = egui::Color32::from_gray(90);

/// Draws the case grid in a `size` box (slots square, as large as fit).
pub fn case_grid_ui(ui: &mut egui::Ui, grid: &CaseGrid, size: egui::Vec2) -> egui::Response {
    let (columns, rows) = pattern(grid.capacity);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    if columns == 0 {
        return response;
    }
    let gap = 4.0;
    let side = ((size.x - gap * (columns as f32 - 1.0)) / columns as f32)
        .min((size.y - gap * (rows as f32 - 1.0)) / rows as f32)
        .max(4.0);
    let painter = ui.painter_at(rect);
    for n in 0..grid.capacity {
        let (c, r) = (n % columns, n / columns);
        let min = rect.min + egui::vec2(c as f32 * (side + gap), r as f32 * (side + gap));
        let slot = egui::Rect::from_min_size(min, egui::vec2(side, side));
        let (fill, stroke) = match grid.slot(n) {
            Slot::Filled => (FILLED, egui::Stroke::new(1.0, EDGE)),
            Slot::Last => (LAST, egui::Stroke::new(4.0, egui::Color32::BLACK)),
            Slot::Empty => (EMPTY, egui::Stroke::new(1.5, EDGE)),
        };
        painter.rect(slot, 4.0, fill, stroke, egui::StrokeKind::Inside);
    }
    response
}

/// Draws the pallet grid in a `size` box: one cell per case place, filled from the bottom in
/// proportion to the case's packs; places without a case are outlined only.
pub fn pallet_grid_ui(ui: &mut egui::Ui, grid: &PalletGrid, size: egui::Vec2) -> egui::Response {
    let (columns, rows) = pattern(grid.capacity);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    if columns == 0 {
        return response;
    }
    let gap = 6.0;
    let w = (size.x - gap * (columns as f32 - 1.0)) / columns as f32;
    let h = (size.y - gap * (rows as f32 - 1.0)) / rows as f32;
    let painter = ui.painter_at(rect);
    for n in 0..grid.capacity {
        let (c, r) = (n % columns, n / columns);
        let min = rect.min + egui::vec2(c as f32 * (w + gap), r as f32 * (h + gap));
        let cell = egui::Rect::from_min_size(min, egui::vec2(w, h));
        painter.rect(
            cell,
            4.0,
            EMPTY,
            egui::Stroke::new(1.5, EDGE),
            egui::StrokeKind::Inside,
        );
        if let Some(&(packs, per_case)) = grid.cases.get(n as usize) {
            let share = if per_case == 0 {
                0.0
            } else {
                (packs as f32 / per_case as f32).min(1.0)
            };
            let full = egui::Rect::from_min_max(
                egui::pos2(cell.min.x, cell.max.y - cell.height() * share),
                cell.max,
            );
            let fill = if share >= 1.0 { FILLED } else { LAST };
            painter.rect_filled(full.shrink(2.0), 3.0, fill);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_near_square_and_hold_every_slot() {
        assert_eq!(pattern(20), (5, 4));
        assert_eq!(pattern(24), (6, 4));
        assert_eq!(pattern(12), (4, 3));
        assert_eq!(pattern(4), (2, 2));
        assert_eq!(pattern(3), (3, 1));
        assert_eq!(pattern(7), (3, 3));
        assert_eq!(pattern(0), (0, 0));
        for capacity in 1..=200 {
            let (c, r) = pattern(capacity);
            assert!(c * r >= capacity && c >= r, "{capacity}: {c}×{r}");
        }
    }

    #[test]
    fn the_last_pack_is_highlighted() {
        let grid = CaseGrid {
            capacity: 20,
            filled: 3,
        };
        let slots: Vec<Slot> = (0..5).map(|n| grid.slot(n)).collect();
        assert_eq!(
            slots,
            [
                Slot::Filled,
                Slot::Filled,
                Slot::Last,
                Slot::Empty,
                Slot::Empty
            ]
        );
        let empty = CaseGrid {
            capacity: 20,
            filled: 0,
        };
        assert_eq!(empty.slot(0), Slot::Empty);
    }
}
