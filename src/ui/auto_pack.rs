//! Hands-free packing from the camera: a layer that stays the same for a few decoded frames
//! (the packer's hands are out of the picture) is packed without a button or a command barcode.
//!
//! Pure logic, no egui types. The app feeds every camera layer's codes and, when the station is
//! ready for a command, takes the scans to pack. Each code is sent at most once while it stays
//! in view, so a pack the station refused (an unknown serial, say) raises its alarm once, and a
//! full case that closed itself is not packed again into the next one. The memory is cleared
//! when the camera sees no code at all (the case was taken away).
//!
//! ```
//! use packbench::ui::auto_pack::{AutoPack, SeenCode};
//! let layer = vec![
//!     SeenCode { key: "A".into(), scan: "]d2…A".into(), recorded: false },
//!     SeenCode { key: "B".into(), scan: "]d2…B".into(), recorded: true },
//! ];
//! let mut auto = AutoPack::new(2);
//! auto.observe(&layer);
//! assert!(auto.take(&layer).is_empty(), "seen once: not steady yet");
//! auto.observe(&layer);
//! assert_eq!(auto.take(&layer), vec!["]d2…A".to_owned()], "B is already recorded");
//! assert!(auto.take(&layer).is_empty(), "sent once");
//! ```

use std::collections::HashSet;

/// Codes remembered as sent at most; past this the memory starts afresh (a code sent again is
/// only refused again by the station).
const MEMORY: usize = 4096;

/// One code of a camera layer, as the overlay marks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenCode {
    /// The unit's key (or the data when it is no unit).
    pub key: String,
    /// What a scanner would send for it.
    pub scan: String,
    /// Whether it is recorded in the container being filled (green).
    pub recorded: bool,
}

/// Watches camera layers for a steady one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoPack {
    steady_frames: u32,
    last: Vec<String>,
    repeats: u32,
    sent: HashSet<String>,
}

impl AutoPack {
    /// Packs a layer once the same codes were read in `steady_frames` decoded frames in a row
    /// (at least 1).
    pub fn new(steady_frames: u32) -> Self {
        Self {
            steady_frames: steady_frames.max(1),
            last: Vec::new(),
            repeats: 0,
            sent: HashSet::new(),
        }
    }

    /// Frames in a row needed.
    pub fn steady_frames(&self) -> u32 {
        self.steady_frames
    }

    /// Feeds one decoded camera frame.
    pub fn observe(&mut self, codes: &[SeenCode]) {
        let mut keys: Vec<String> = codes.iter().map(|c| c.key.clone()).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            self.sent.clear();
        }
        if keys == self.last {
            self.repeats = self.repeats.saturating_add(1);
        } else {
            self.last = keys;
            self.repeats = 1;
        }
    }

    /// Whether the last frames showed one and the same non-empty set of codes.
    pub fn is_steady(&self) -> bool {
        !self.last.is_empty() && self.repeats >= self.steady_frames
    }

    /// The scans to pack now: when the layer is steady, its codes not recorded in the container
    /// and not sent before (they are remembered as sent). `codes` are the steady layer's codes
    /// with their current marks.
    pub fn take(&mut self, codes: &[SeenCode]) -> Vec<String> {
        if !self.is_steady() {
            return Vec::new();
        }
        if self.sent.len() > MEMORY {
            self.sent.clear();
        }
        let mut out = Vec::new();
        for code in codes {
            if !code.recorded && self.sent.insert(code.key.clone()) {
                out.push(code.scan.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(key: &str, recorded: bool) -> SeenCode {
        SeenCode {
            key: key.to_owned(),
            scan: format!("scan-{key}"),
            recorded,
        }
    }

    #[test]
    fn a_layer_is_packed_once_it_is_steady() {
        let mut auto = AutoPack::new(3);
        let layer = [code("A", false), code("B", false)];
        for _ in 0..2 {
            auto.observe(&layer);
            assert!(auto.take(&layer).is_empty());
        }
        auto.observe(&layer);
        assert_eq!(auto.take(&layer), ["scan-A", "scan-B"]);
        auto.observe(&layer);
        assert!(auto.take(&layer).is_empty(), "never twice");
    }

    #[test]
    fn a_hand_in_the_picture_restarts_the_count() {
        let mut auto = AutoPack::new(2);
        let layer = [code("A", false), code("B", false)];
        let covered = [code("A", false)];
        auto.observe(&layer);
        auto.observe(&covered);
        assert!(auto.take(&covered).is_empty());
        auto.observe(&layer);
        assert!(auto.take(&layer).is_empty());
        auto.observe(&layer);
        assert_eq!(auto.take(&layer).len(), 2);
    }

    #[test]
    fn the_order_of_codes_in_a_frame_does_not_matter() {
        let mut auto = AutoPack::new(2);
        auto.observe(&[code("A", false), code("B", false)]);
        auto.observe(&[code("B", false), code("A", false)]);
        assert!(auto.is_steady());
    }

    #[test]
    fn the_next_layer_packs_only_its_new_codes() {
        let mut auto = AutoPack::new(1);
        let first = [code("A", false), code("B", false)];
        auto.observe(&first);
        assert_eq!(auto.take(&first).len(), 2);
        // The case closed itself: its codes are no longer "recorded in the current container",
        // but they were sent already.
        let closed = [code("A", false), code("B", false)];
        auto.observe(&closed);
        assert!(auto.take(&closed).is_empty());
        // The second layer covers the first.
        let second = [code("C", false), code("D", false)];
        auto.observe(&second);
        assert_eq!(auto.take(&second), ["scan-C", "scan-D"]);
    }

    #[test]
    fn an_empty_view_forgets_what_was_sent() {
        let mut auto = AutoPack::new(1);
        let layer = [code("A", false)];
        auto.observe(&layer);
        assert_eq!(auto.take(&layer).len(), 1);
        auto.observe(&[]);
        assert!(!auto.is_steady(), "nothing seen is never steady");
        auto.observe(&layer);
        assert_eq!(
            auto.take(&layer).len(),
            1,
            "the case came back: packed again"
        );
    }

    #[test]
    fn recorded_codes_are_left_alone() {
        let mut auto = AutoPack::new(1);
        let layer = [code("A", true), code("B", false)];
        auto.observe(&layer);
        assert_eq!(auto.take(&layer), ["scan-B"]);
    }
}
