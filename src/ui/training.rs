//! Training codes that are never used twice: "Next pack" and the sample pictures ask the
//! station for serials it has never handled ([`crate::station::Request::UnusedSerials`]), so a serial typed in
//! by hand, packed in an earlier session or by another user is not offered again.
//!
//! The two sample pictures show one training case: picture 1 its 20 packs, picture 2 the first
//! 18 of them and a pack whose serial is not commissioned. The case is drawn fresh from the
//! unused serials, and kept while any of its packs is still unused (so a half-packed case can
//! be finished from the full picture); once every one of them is used the next request draws a
//! new case.

use super::demo;
use crate::gs1::{ParseOptions, parse};
use std::collections::VecDeque;

/// What an `UnusedSerials` request was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingAsk {
    /// "Next pack": scan the first.
    NextPack,
    /// Sample picture `n` (0-based).
    Sample(usize),
}

/// The training panel's state.
#[derive(Debug, Clone, Default)]
pub struct Training {
    asks: VecDeque<TrainingAsk>,
    /// The scans of the sample case (empty: none drawn yet).
    pub sample_case: Vec<String>,
}

/// The element strings (raw, GS-separated) a sample picture shows, from the sample case's
/// scans: picture 0 all of them, picture 1 all but the last two plus an uncommissioned serial.
pub fn sample_contents(case: &[String], n: usize) -> Vec<String> {
    let raw = |scan: &str| {
        parse(scan, &ParseOptions::default())
            .map(|m| m.raw())
            .unwrap_or_default()
    };
    let mut data: Vec<String> = match n {
        0 => case.iter().map(|s| raw(s)).collect(),
        _ => case
            .iter()
            .take(case.len().saturating_sub(2))
            .map(|s| raw(s))
            .collect(),
    };
    if n != 0 {
        data.push(raw(&demo::unknown_serial_scan()));
    }
    data.retain(|d| !d.is_empty());
    data
}

impl Training {
    /// Notes what the next `UnusedSerials` request is for.
    pub fn ask(&mut self, ask: TrainingAsk) {
        self.asks.push_back(ask);
    }

    /// What the `UnusedSerials` answer now arriving was for.
    pub fn answered(&mut self) -> Option<TrainingAsk> {
        self.asks.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partial_picture_is_the_case_less_two_plus_a_stranger() {
        let case: Vec<String> = (31..=50).map(demo::pack_scan).collect();
        let full = sample_contents(&case, 0);
        assert_eq!(full.len(), 20);
        assert_eq!(full[0], "01095060001343521730123110TRAIN01\u{1d}21TR00031");
        let partial = sample_contents(&case, 1);
        assert_eq!(partial.len(), 19);
        assert!(partial[18].ends_with("21XX99999"));
        assert!(
            !partial
                .iter()
                .any(|d| d.ends_with("TR00049") || d.ends_with("TR00050"))
        );
    }
}
