//! From layer reads to station decisions: unit keys, completeness against a container's
//! recorded contents, and debouncing a camera that keeps looking at the same layer. Pure.
//!
//! ```
//! use packbench::devices::camera::{completeness, unit_key};
//! let seen = ["]d20109506000134352\u{1d}21A".to_owned(), "]d20109506000134352\u{1d}21Z".to_owned()];
//! let recorded = ["(01)09506000134352(21)A".to_owned(), "(01)09506000134352(21)B".to_owned()];
//! let check = completeness(&seen, &recorded);
//! assert_eq!(check.seen_recorded, ["(01)09506000134352(21)A"]);
//! assert_eq!(check.seen_not_recorded, ["(01)09506000134352(21)Z"]);
//! assert_eq!(check.recorded_not_seen, ["(01)09506000134352(21)B"]);
//! assert_eq!(unit_key("(00)095060000000000015").as_deref(), Some("(00)095060000000000015"));
//! ```

use crate::devices::layer::{LayerCheck, check_layer};
use crate::gs1::{ParseOptions, parse};

/// The station's key of the unit a scan identifies: `(00)<SSCC>` or `(01)<GTIN>(21)<serial>`;
/// `None` for anything else (not GS1, no serial, invalid).
pub fn unit_key(scan: &str) -> Option<String> {
    let message = parse(scan, &ParseOptions::default()).ok()?;
    message.unit_key().map(|key| key.to_string())
}

/// Compares the codes seen in a frame (scanner texts, with or without AIM) with a container's
/// recorded children (station keys or any scan form). Both sides are compared by unit key, so
/// lot and expiry in the symbol do not matter; a code that identifies no unit is reported
/// under `seen_not_recorded` as it was read.
pub fn completeness(seen: &[String], recorded: &[String]) -> LayerCheck {
    let key = |text: &String| unit_key(text).unwrap_or_else(|| text.clone());
    let seen: Vec<String> = seen.iter().map(key).collect();
    let recorded: Vec<String> = recorded.iter().map(key).collect();
    check_layer(&seen, &recorded)
}

/// Reports a layer once it has been read the same way in `frames` consecutive frames, and not
/// again until it changes: a camera over an open case sees the same 24 packs in every frame,
/// but the station should get one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StableLayer {
    frames: usize,
    candidate: Vec<String>,
    seen_times: usize,
    reported: Vec<String>,
}

impl StableLayer {
    /// Needs `frames` identical reads in a row (at least 1).
    pub fn new(frames: usize) -> Self {
        Self {
            frames: frames.max(1),
            candidate: Vec::new(),
            seen_times: 0,
            reported: Vec::new(),
        }
    }

    /// Feeds one frame's codes; returns the set (sorted, unique) when it should go to the
    /// station. An empty frame (case taken away) makes the next layer reportable again.
    pub fn observe(&mut self, texts: &[String]) -> Option<Vec<String>> {
        let mut set = texts.to_vec();
        set.sort();
        set.dedup();
        if set.is_empty() {
            self.candidate.clear();
            self.seen_times = 0;
            self.reported.clear();
            return None;
        }
        if set == self.candidate {
            self.seen_times += 1;
        } else {
            self.candidate = set;
            self.seen_times = 1;
        }
        if self.seen_times >= self.frames && self.candidate != self.reported {
            self.reported = self.candidate.clone();
            return Some(self.reported.clone());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    const A: &str = "]d201095060001343521727123110LOT42\u{1d}21A1";
    const B: &str = "]d201095060001343521727123110LOT42\u{1d}21B2";

    #[test]
    fn unit_keys() {
        assert_eq!(unit_key(A).as_deref(), Some("(01)09506000134352(21)A1"));
        assert_eq!(
            unit_key("(01)09506000134352(17)271231(21)A1").as_deref(),
            Some("(01)09506000134352(21)A1")
        );
        assert_eq!(
            unit_key("https://id.gs1.org/01/09506000134352/21/A1").as_deref(),
            Some("(01)09506000134352(21)A1")
        );
        assert_eq!(unit_key("]d20109506000134352"), None);
        assert_eq!(unit_key("hello"), None);
    }

    #[test]
    fn completeness_compares_by_unit_key() {
        let recorded = texts(&["(01)09506000134352(21)A1", "(01)09506000134352(21)C3"]);
        let check = completeness(&texts(&[A, B, A, "plain text"]), &recorded);
        assert_eq!(check.seen_recorded, ["(01)09506000134352(21)A1"]);
        assert_eq!(
            check.seen_not_recorded,
            ["(01)09506000134352(21)B2", "plain text"]
        );
        assert_eq!(check.recorded_not_seen, ["(01)09506000134352(21)C3"]);
        assert!(!check.is_complete());
        let full = completeness(&texts(&[B, A]), &texts(&[A, B]));
        assert!(full.is_complete());
        assert_eq!(full.seen_recorded.len(), 2);
        let empty = completeness(&[], &[]);
        assert!(empty.is_complete());
    }

    #[test]
    fn stable_layer_reports_once_per_change() {
        let mut stable = StableLayer::new(2);
        assert_eq!(stable.observe(&texts(&[A])), None);
        // Order and duplicates do not matter.
        assert_eq!(stable.observe(&texts(&[A, A])), Some(texts(&[A])));
        assert_eq!(stable.observe(&texts(&[A])), None);
        // A flicker (one frame with an extra code) is not reported.
        assert_eq!(stable.observe(&texts(&[A, B])), None);
        assert_eq!(stable.observe(&texts(&[A])), None);
        assert_eq!(stable.observe(&texts(&[B, A])), None);
        assert_eq!(stable.observe(&texts(&[A, B])), Some(texts(&[A, B])));
        // Case taken away and put back: reported again.
        assert_eq!(stable.observe(&[]), None);
        assert_eq!(stable.observe(&texts(&[A, B])), None);
        assert_eq!(stable.observe(&texts(&[A, B])), Some(texts(&[A, B])));
        let mut eager = StableLayer::new(0);
        assert_eq!(eager.observe(&texts(&[B])), Some(texts(&[B])));
    }
}
