//! Camera layer reads: every code of one frame of an open case, checked against what the
//! container is recorded to hold.
//!
//! The station packs the set as one batch or verifies completeness; the GUI overlays green for
//! recorded-and-seen, red for seen-but-not-in-container and marks recorded-but-not-seen.
//!
//! ```
//! use packbench::devices::layer::check_layer;
//! let recorded = ["0109506000134352\u{1d}21A".to_owned(), "0109506000134352\u{1d}21B".to_owned()];
//! let seen = ["0109506000134352\u{1d}21B".to_owned(), "0109506000134352\u{1d}21Z".to_owned()];
//! let check = check_layer(&seen, &recorded);
//! assert_eq!(check.seen_recorded, ["0109506000134352\u{1d}21B"]);
//! assert_eq!(check.seen_not_recorded, ["0109506000134352\u{1d}21Z"]);
//! assert_eq!(check.recorded_not_seen, ["0109506000134352\u{1d}21A"]);
//! assert!(!check.is_complete());
//! ```

use std::time::Instant;

use image::GrayImage;
use serde::Serialize;

use super::decode::{
    DecodeOptions, DecodedCode, FrameDiagnosis, Symbology, decode_image, diagnose_frame,
};

/// Everything one frame showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerRead {
    /// The codes, in reading order.
    pub codes: Vec<DecodedCode>,
    /// Time spent decoding the frame, in milliseconds.
    pub decode_ms: f64,
    /// When nothing was read: what the frame itself says (code-like texture, and whether it
    /// is too dark, too low in contrast, too blurred or its codes too small).
    pub diagnosis: Option<FrameDiagnosis>,
}

impl LayerRead {
    /// The read of `frame`: its codes and decode time, diagnosed when no code was read.
    pub fn new(frame: &GrayImage, codes: Vec<DecodedCode>, decode_ms: f64) -> Self {
        let diagnosis = codes.is_empty().then(|| diagnose_frame(frame));
        Self {
            codes,
            decode_ms,
            diagnosis,
        }
    }

    /// The codes' texts (raw element strings), for [`check_layer`].
    pub fn texts(&self) -> Vec<String> {
        self.codes.iter().map(|code| code.text.clone()).collect()
    }
}

/// Reads whole layers of packs from camera frames (Data Matrix only, stops at the expected
/// count). Cheap to clone; a camera worker keeps one and calls [`LayerReader::read`] per frame.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerReader {
    options: DecodeOptions,
}

impl LayerReader {
    /// A reader for layers of `expected_codes` packs (`None` when unknown), giving up on a
    /// frame after `time_budget_ms` (`None` = never).
    pub fn new(expected_codes: Option<usize>, time_budget_ms: Option<u64>) -> Self {
        Self {
            options: DecodeOptions {
                time_budget_ms,
                ..DecodeOptions::layer(expected_codes)
            },
        }
    }

    /// A reader of `symbologies` (Data Matrix when empty) for layers of `expected_codes`
    /// packs, giving up on a frame after `time_budget_ms`.
    pub fn reading(
        symbologies: Vec<Symbology>,
        expected_codes: Option<usize>,
        time_budget_ms: Option<u64>,
    ) -> Self {
        let mut reader = Self::new(expected_codes, time_budget_ms);
        if !symbologies.is_empty() {
            reader.options.symbologies = symbologies;
        }
        reader
    }

    /// A reader with explicit decoder options.
    pub fn with_options(options: DecodeOptions) -> Self {
        Self { options }
    }

    /// Decodes one frame.
    pub fn read(&self, frame: &GrayImage) -> LayerRead {
        let started = Instant::now();
        let codes = decode_image(frame, &self.options);
        LayerRead::new(frame, codes, started.elapsed().as_secs_f64() * 1000.0)
    }
}

/// A layer compared with the container's recorded contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerCheck {
    /// Seen in the frame and recorded in the container (green).
    pub seen_recorded: Vec<String>,
    /// Seen in the frame but not recorded in the container (red).
    pub seen_not_recorded: Vec<String>,
    /// Recorded in the container but not seen in the frame (to be marked).
    pub recorded_not_seen: Vec<String>,
}

impl LayerCheck {
    /// Every recorded item was seen and nothing foreign was.
    pub fn is_complete(&self) -> bool {
        self.seen_not_recorded.is_empty() && self.recorded_not_seen.is_empty()
    }
}

/// Compares the texts seen in a frame with the recorded contents (both raw element strings).
/// Order follows the inputs; duplicates in `seen` count once.
pub fn check_layer(seen: &[String], recorded: &[String]) -> LayerCheck {
    let mut check = LayerCheck::default();
    let mut unique_seen: Vec<&String> = Vec::new();
    for text in seen {
        if !unique_seen.contains(&text) {
            unique_seen.push(text);
        }
    }
    for text in unique_seen.iter().copied() {
        if recorded.contains(text) {
            check.seen_recorded.push(text.clone());
        } else {
            check.seen_not_recorded.push(text.clone());
        }
    }
    for text in recorded {
        if !unique_seen.contains(&text) && !check.recorded_not_seen.contains(text) {
            check.recorded_not_seen.push(text.clone());
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_layer() {
        let texts = vec!["a".to_owned(), "b".to_owned()];
        let check = check_layer(&texts, &texts);
        assert!(check.is_complete());
        assert_eq!(check.seen_recorded, texts);
    }

    #[test]
    fn a_reader_set_to_qr_reads_a_layer_of_gs1_qr_packs() {
        use crate::devices::synth::{CodeKind, Condition, Params, generate};
        let params = Params {
            kinds: vec![CodeKind::Gs1Qr],
            codes: 12,
            ..Params::draw(Condition::LayerSd, 7)
        };
        let scene = generate(&params, 7);
        let wanted: Vec<&String> = scene.codes.iter().map(|c| &c.text).collect();
        assert_eq!(wanted.len(), 12);
        let data_matrix = LayerReader::new(Some(12), None).read(&scene.image);
        assert!(data_matrix.codes.is_empty(), "{:?}", data_matrix.texts());
        let reader = LayerReader::reading(
            vec![Symbology::DataMatrix, Symbology::QrCode],
            Some(12),
            None,
        );
        let read = reader.read(&scene.image).texts();
        let missing: Vec<_> = wanted.iter().filter(|t| !read.contains(t)).collect();
        assert!(missing.is_empty(), "missing {missing:?}");
        assert_eq!(read.len(), 12);
    }

    #[test]
    fn duplicates_count_once() {
        let seen = vec!["a".to_owned(), "a".to_owned()];
        let check = check_layer(&seen, &["a".to_owned(), "b".to_owned()]);
        assert_eq!(check.seen_recorded, ["a"]);
        assert_eq!(check.recorded_not_seen, ["b"]);
    }
}
