//! The live tree (pallet → cases → packs) with virtualised rows: only the rows in view are laid
//! out, so a 20,000-pack pallet scrolls as smoothly as a half-built case.
//!
//! A closed container below the root starts collapsed (a full case needs no attention; the one
//! being filled does), unless the user opened it or a scan or search reveals a row inside it.

use super::i18n::I18n;
use crate::station::{TreeNode, TreeSnapshot};
use std::collections::HashSet;

/// Height of one tree row in points (big enough for a gloved finger).
pub const ROW_HEIGHT: f32 = 30.0;
/// Space between two rows (the theme's larger spacing is for buttons, not for list rows).
const ROW_GAP: f32 = 2.0;

/// Expansion state and the visible-row cache of the tree.
#[derive(Debug, Default)]
pub struct TreeState {
    /// Containers the user collapsed.
    collapsed: HashSet<String>,
    /// Closed containers the user (or a reveal) opened.
    opened: HashSet<String>,
    /// Indices into the snapshot's nodes of the rows shown, in order.
    visible: Vec<u32>,
    dirty: bool,
    scroll_to_row: Option<usize>,
    /// The key of the row to highlight (last scanned or searched).
    pub highlight: Option<String>,
    /// The search text.
    pub search: String,
}

impl TreeState {
    /// The tree changed: rebuild the visible rows next frame.
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }

    /// Rows shown now.
    pub fn visible_rows(&self) -> usize {
        self.visible.len()
    }

    /// Whether the row of `n` hides its subtree.
    pub fn is_collapsed(&self, n: &TreeNode) -> bool {
        self.collapsed.contains(&n.key)
            || (n.depth > 0 && n.state == Some("closed") && !self.opened.contains(&n.key))
    }

    /// Collapses or expands a container row.
    pub fn toggle(&mut self, n: &TreeNode) {
        if self.is_collapsed(n) {
            self.collapsed.remove(&n.key);
            self.opened.insert(n.key.clone());
        } else {
            self.opened.remove(&n.key);
            self.collapsed.insert(n.key.clone());
        }
        self.dirty = true;
    }

    /// Expands everything.
    pub fn expand_all(&mut self, tree: &TreeSnapshot) {
        self.collapsed.clear();
        self.opened = tree
            .nodes
            .iter()
            .filter(|n| n.descendants > 0)
            .map(|n| n.key.clone())
            .collect();
        self.dirty = true;
    }

    /// Collapses every container below the root.
    pub fn collapse_all(&mut self, tree: &TreeSnapshot) {
        self.opened.clear();
        self.collapsed = tree
            .nodes
            .iter()
            .filter(|n| n.depth > 0 && n.descendants > 0)
            .map(|n| n.key.clone())
            .collect();
        self.dirty = true;
    }

    fn rebuild(&mut self, tree: &TreeSnapshot) {
        self.visible.clear();
        let mut i = 0usize;
        while let Some(n) = tree.nodes.get(i) {
            self.visible.push(u32::try_from(i).unwrap_or(u32::MAX));
            i += 1;
            if self.is_collapsed(n) {
                i += n.descendants as usize;
            }
        }
        self.dirty = false;
    }

    /// Finds the first row whose key contains `needle`, opens its parents and scrolls to it.
    pub fn find(&mut self, tree: &TreeSnapshot, needle: &str) -> bool {
        let needle = needle.trim();
        if needle.is_empty() {
            return false;
        }
        let Some(pos) = tree.nodes.iter().position(|n| n.key.contains(needle)) else {
            return false;
        };
        self.reveal(tree, pos);
        true
    }

    /// Shows the row of `key` (after a scan), if it is in the tree.
    pub fn reveal_key(&mut self, tree: &TreeSnapshot, key: &str) {
        if let Some(pos) = tree.nodes.iter().position(|n| n.key == key) {
            self.reveal(tree, pos);
        }
    }

    fn reveal(&mut self, tree: &TreeSnapshot, pos: usize) {
        // Open every ancestor: walk back, each shallower row is an ancestor.
        let mut depth = tree.nodes[pos].depth;
        for n in tree.nodes[..pos].iter().rev() {
            if n.depth < depth {
                self.collapsed.remove(&n.key);
                self.opened.insert(n.key.clone());
                depth = n.depth;
            }
        }
        self.highlight = Some(tree.nodes[pos].key.clone());
        self.rebuild(tree);
        self.scroll_to_row = self.visible.iter().position(|&v| v as usize == pos);
    }

    /// Draws the tree.
    pub fn tree_ui(&mut self, ui: &mut egui::Ui, tree: &TreeSnapshot, i18n: &I18n) {
        if self.dirty || self.visible.len() > tree.nodes.len() {
            self.rebuild(tree);
        }
        if tree.nodes.is_empty() {
            ui.label(i18n.tr("tree-empty"));
            return;
        }
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("live-tree")
            .auto_shrink([false, false]);
        if let Some(row) = self.scroll_to_row.take() {
            #[allow(clippy::cast_precision_loss)] // row counts stay far below 2^24
            let offset = (row as f32 * (ROW_HEIGHT + ROW_GAP)).max(0.0);
            scroll = scroll.vertical_scroll_offset(offset);
        }
        let mut toggled: Option<usize> = None;
        ui.scope(|ui| {
            // Rows exactly ROW_HEIGHT tall (the theme's touch-size minimum would make them
            // taller than `show_rows` assumes).
            ui.spacing_mut().item_spacing.y = ROW_GAP;
            ui.spacing_mut().interact_size.y = ROW_HEIGHT;
            ui.spacing_mut().button_padding.y = 1.0;
            scroll.show_rows(ui, ROW_HEIGHT, self.visible.len(), |ui, range| {
                for &idx in &self.visible[range] {
                    let Some(n) = tree.nodes.get(idx as usize) else {
                        continue;
                    };
                    let open = !self.is_collapsed(n);
                    if row_ui(ui, n, open, self.highlight.as_deref() == Some(&n.key), i18n) {
                        toggled = Some(idx as usize);
                    }
                }
            });
        });
        if let Some(n) = toggled.and_then(|i| tree.nodes.get(i)) {
            self.toggle(n);
        }
    }
}

/// The colour of a contents check's mark (`seen` green, `missing` and `wrong_lot` red, `extra`
/// and `foreign` amber), readable on the light and the dark theme.
pub fn mark_color(mark: &str) -> egui::Color32 {
    match mark {
        "seen" => egui::Color32::from_rgb(0, 140, 60),
        "missing" | "wrong_lot" => egui::Color32::from_rgb(200, 30, 30),
        _ => egui::Color32::from_rgb(200, 120, 0),
    }
}

/// One row; answers whether it was clicked to expand or collapse. A container's row is one big
/// target (its button and the rest of the row), for a gloved finger.
fn row_ui(ui: &mut egui::Ui, n: &TreeNode, open: bool, highlight: bool, i18n: &I18n) -> bool {
    let mut clicked = false;
    let mut button_right = None;
    let row = ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.add_space(f32::from(n.depth) * 28.0);
        if n.descendants > 0 {
            let icon = if open { "−" } else { "+" };
            let button = ui
                .add(egui::Button::new(icon).min_size(egui::vec2(32.0, 26.0)))
                .on_hover_text(i18n.tr(if open { "tree-collapse" } else { "tree-expand" }));
            clicked = button.clicked();
            button_right = Some(button.rect.right());
        } else {
            ui.add_space(32.0 + ui.spacing().item_spacing.x);
        }
        let level = i18n.tr(&format!("level-{}", n.level));
        ui.label(egui::RichText::new(level).strong());
        let mut key = egui::RichText::new(&n.key).monospace();
        if highlight {
            key = key.background_color(egui::Color32::from_rgb(255, 236, 140));
        }
        if n.status != "active" {
            key = key.strikethrough();
        }
        ui.label(key);
        if let Some(cap) = n.capacity {
            ui.label(format!("{}/{cap}", n.count));
        }
        if let Some(state) = n.state {
            ui.label(i18n.tr(&format!("state-{state}")));
        }
        if n.status != "active" {
            ui.label(i18n.tr(&format!("status-{}", n.status)));
        }
        if let Some(origin) = &n.origin {
            let label = ui.label(
                egui::RichText::new(i18n.tr(&format!("origin-{origin}")))
                    .italics()
                    .color(egui::Color32::from_rgb(40, 90, 160)),
            );
            if let Some(t) = n.adopted_ms {
                label.on_hover_text(format!(
                    "{} {}",
                    i18n.tr("lookup-refreshed-at"),
                    super::screens::utc_time(t)
                ));
            }
        }
        if n.held {
            ui.label(super::hold_view::badge(&i18n.tr("hold-badge")));
        }
        if let Some(mark) = n.mark {
            let text = i18n.tr(&format!("verify-mark-{}", mark.replace('_', "-")));
            ui.label(egui::RichText::new(text).strong().color(mark_color(mark)));
        }
    });
    if let Some(left) = button_right {
        let mut rect = row.response.rect;
        rect.min.x = left;
        rect.max.x = rect.max.x.max(ui.max_rect().right());
        let whole = ui
            .interact(
                rect,
                ui.scope_id().with(("tree-row", &n.key)),
                egui::Sense::click(),
            )
            .on_hover_cursor(egui::CursorIcon::PointingHand);
        clicked |= whole.clicked();
    }
    clicked
}
