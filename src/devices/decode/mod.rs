//! Barcode images → codes, with rxing as the decoder.
//!
//! [`decode_image`] finds *every* code in a grey image: one label photographed on the bench, a
//! PNG from a printer proof, or a 1920×1080 camera frame of an open case showing 24 packs. It is
//! pure computation over an [`image::GrayImage`] (no I/O, no clock other than its own time
//! budget), so a camera worker calls it once per frame and `packbench decode` once per file.
//!
//! How it closes the gap to the fastest decoders while rxing stays the decoder:
//! 0. a frame above 3 MP (2592×1944, 4k) is searched at half its size first (`big`), and at
//!    its own size only when that finds nothing or only small symbols; a
//!    picture with strong grain (sensor noise of four grey levels and more, estimated from
//!    second differences along sampled rows; six and more between pixels two apart, which
//!    is what JPEG leaves of it) is smoothed (3 × 3) before the search: on grey
//!    ink the grain speckles rxing's binarised symbol and the region search's edges; where
//!    the smoothed picture reads nothing or only symbols under 60 px (modules near two
//!    pixels, which smoothing blurs together) it is searched as it is too, and a picture
//!    searched as it is where nothing was read (or fewer codes than expected) is searched
//!    smoothed and contrast-boosted too: JPEG keeps the coarse part of the grain, which the
//!    estimate misses, and the faintest grey ink leaves the region search no blob (`denoise`);
//! 1. small images get one whole-image rxing pass first (cheap; catches 1D codes), on a
//!    second thread beside step 2 where the options allow one;
//! 2. candidate regions are located by edge density ([`locate`]), not by rxing's
//!    one-symbol-at-a-time scan of the whole frame;
//! 3. the regions are decoded in parallel on named scoped threads, each crop with rxing's
//!    multi-symbol Data Matrix detector, its QR reader and (for long blobs) the linear readers;
//!    the 2D detectors see our own binariser's picture (`binarize`: block thresholds smoothed
//!    over the blocks around, so a faint symbol's plain blocks take its own thresholds, not
//!    "background");
//! 4. in a case layer (a big frame, or a small one where four 2D codes or more were read at
//!    first), the whole frame is swept next (a big one in two overlapping bands on two
//!    threads), with its local contrast boosted (grey ink on grey board, uneven light)
//!    and every code found so far painted over, through the thorough multi-symbol detectors;
//!    rxing's Data Matrix detector reports one symbol per scan line and skips the lines near
//!    it, so each dark connected component of the boosted frame about as big as the symbols
//!    read, where none was read, then gets a crop of its own (`components`). Big symbols
//!    (90 px and more) are swept at half the size. In a label (a small picture with fewer
//!    codes) the sweep comes after the retries and, while a round finds something, paints it
//!    over and looks at its rows again (three rounds at most);
//! 5. crops that still yield nothing are retried with other binarisers, scales, smoothing,
//!    thickened dots, inversion, rotation and rectification (the quadrilateral of a symbol
//!    seen at a slant warped upright, `rectify`), within the time budget: once codes are
//!    found, only blobs as busy as symbols, and not one pack's print around a code read
//!    since, nor (in a small picture) words too small to hold a symbol like the ones read or
//!    lines of print (longer than any 2D symbol, edges both ways). A label whose
//!    whole-picture pass read its 2D code(s) and which holds no unread dark component the
//!    size of a symbol read (print falls apart into glyphs) is read (`label`): of its blobs
//!    only those of bars get attempts and retries, and it is not swept. In
//!    a small picture (a label) the retries come first and the sweep only when something that
//!    looks like a 2D symbol is still unread, a blob of a quarter of the picture is left, or
//!    nothing was found; a small picture where still nothing was read goes as a whole through
//!    the ladder and the linear readers over every line (these first only where a blob looks
//!    like a linear code);
//! 6. workers judge their regions and bands by the codes known when their phase began (and
//!    their own reads), and their reads join in region and band order: the same picture gives
//!    the same codes on any number of threads;
//! 7. results are de-duplicated by text, and (by default) only reads that pass GS1
//!    validation are kept ([`DecodeOptions::gs1_only`]): no ghost reads from print or texture.
//!    rxing's Code 128 reader adds a GS when the check character is 102 (FNC1); that GS is
//!    dropped, so a GS1-128 is reported exactly as printed.
//!
//! ```no_run
//! use packbench::devices::decode::{decode_image, DecodeOptions};
//! let frame = image::open("layer.png").map(|image| image.into_luma8())?;
//! for code in decode_image(&frame, &DecodeOptions::default()) {
//!     println!("{} {} {:?}", code.aim_id, code.text.replace('\u{1d}', "<GS>"), code.corners);
//! }
//! # Ok::<(), image::ImageError>(())
//! ```

mod big;
mod binarize;
mod components;
mod denoise;
mod diagnose;
mod found;
mod label;
mod ladder;
mod lattice;
mod locate;
mod prepare;
mod reader;
mod rectify;
mod resample;
mod search;
mod sweep;
mod symbology;
mod validate;

use std::path::{Path, PathBuf};
use std::time::Instant;

use image::GrayImage;
use serde::Serialize;

pub use diagnose::{FrameDiagnosis, FrameIssue, diagnose_frame};
pub use found::DecodeStats;
pub use symbology::{Symbology, aim_is_gs1};

/// One decoded barcode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedCode {
    /// The message as a scanner would send it after the AIM identifier: for GS1 symbols the
    /// raw element string with GS (`\u{1d}`) after variable-length fields.
    pub text: String,
    /// The symbology.
    pub symbology: Symbology,
    /// The AIM symbology identifier, e.g. `]d2` (GS1 DataMatrix), `]C1` (GS1-128), `]Q3`
    /// (GS1 QR), `]Q1` (plain QR, e.g. a Digital Link URI), `]e0` (DataBar).
    pub aim_id: String,
    /// Corner points in image pixels as rxing reports them: four for 2D symbols (Data Matrix:
    /// the L's corner first), two or more along the scan line for linear codes.
    pub corners: Vec<(f32, f32)>,
    /// Whether the symbol carries GS1 data (FNC1 mode), so `text` is an element string.
    pub is_gs1: bool,
}

impl DecodedCode {
    /// The text as a scanner with AIM identifiers enabled would transmit it.
    pub fn scanner_text(&self) -> String {
        format!("{}{}", self.aim_id, self.text)
    }

    /// Human name of the symbology including its GS1 form ("GS1 DataMatrix", "GS1-128").
    pub fn symbology_name(&self) -> &'static str {
        self.symbology.name(self.is_gs1)
    }

    /// Centre of the corner points (for overlays and sorting into layout order).
    pub fn centre(&self) -> (f32, f32) {
        let count = self.corners.len().max(1) as f32;
        let (sx, sy) = self
            .corners
            .iter()
            .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
        (sx / count, sy / count)
    }
}

/// How hard [`decode_image`] tries.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    /// Symbologies to look for (default: [`Symbology::PHARMA`]). Fewer is faster: a layer read
    /// of packs needs only Data Matrix.
    pub symbologies: Vec<Symbology>,
    /// Retry regions that gave nothing with other binarisers, scales, smoothing, inversion
    /// and rotation (default on).
    pub retries: bool,
    /// Worker threads for decoding regions; 0 = one per available core (default).
    pub threads: usize,
    /// Stop once this many distinct codes are found (a layer whose pack count is known).
    pub expected_codes: Option<usize>,
    /// Stop starting new retries after this many milliseconds (a camera frame must not take
    /// longer than the next one); `None` = no limit (default).
    pub time_budget_ms: Option<u64>,
    /// Keep only reads that pass GS1 validation (an element string with valid check digits,
    /// dates and AI rules, or a GS1 Digital Link URI); anything else is dropped and counted in
    /// [`DecodeStats::rejected`] (default on: a pharma bench never acts on other data, and a
    /// misread of noise or print almost never passes).
    pub gs1_only: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            symbologies: Symbology::PHARMA.to_vec(),
            retries: true,
            threads: 0,
            expected_codes: None,
            time_budget_ms: None,
            gs1_only: true,
        }
    }
}

impl DecodeOptions {
    /// Every symbology the decoder knows, with or without GS1 data (e.g. to look at a label
    /// from elsewhere); ghost reads are possible.
    pub fn any_symbology() -> Self {
        Self {
            symbologies: Symbology::ALL.to_vec(),
            gs1_only: false,
            ..Self::default()
        }
    }

    /// Options for a camera layer read of packs: Data Matrix only, stop at `expected_codes`.
    pub fn layer(expected_codes: Option<usize>) -> Self {
        Self {
            symbologies: vec![Symbology::DataMatrix],
            expected_codes,
            ..Self::default()
        }
    }
}

/// Finds and decodes every barcode in `image`; codes are de-duplicated by text and sorted in
/// reading order (top to bottom, left to right).
pub fn decode_image(image: &GrayImage, options: &DecodeOptions) -> Vec<DecodedCode> {
    big::run_with_stats(image, options).0
}

/// [`decode_image`] plus counters of what the search did (regions, attempts, retries).
pub fn decode_image_with_stats(
    image: &GrayImage,
    options: &DecodeOptions,
) -> (Vec<DecodedCode>, DecodeStats) {
    big::run_with_stats(image, options)
}

/// The result of decoding one image file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodeReport {
    /// The file.
    pub path: PathBuf,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Every code found.
    pub codes: Vec<DecodedCode>,
    /// Time to load and convert the file, in milliseconds.
    pub load_ms: f64,
    /// Time to find and decode the codes, in milliseconds.
    pub decode_ms: f64,
}

/// Why an image file could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    /// The file could not be read.
    #[error("cannot read image file {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not an image in a supported format (PNG, JPEG).
    #[error("{path} is not a PNG or JPEG image: {reason}")]
    NotAnImage {
        /// The file.
        path: PathBuf,
        /// The image decoder's reason.
        reason: String,
    },
}

/// Loads an image file (PNG or JPEG, any colour type; transparency is flattened onto white)
/// as grey.
pub fn load_gray(path: &Path) -> Result<GrayImage, DecodeError> {
    let bytes = std::fs::read(path).map_err(|err| DecodeError::Unreadable {
        path: path.to_owned(),
        reason: err.to_string(),
    })?;
    let image = image::load_from_memory(&bytes).map_err(|err| DecodeError::NotAnImage {
        path: path.to_owned(),
        reason: err.to_string(),
    })?;
    if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        let (width, height) = rgba.dimensions();
        let flat = GrayImage::from_fn(width, height, |x, y| {
            let [r, g, b, a] = rgba.get_pixel(x, y).0;
            let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
            let alpha = u32::from(a);
            image::Luma([((luma * alpha + 255 * (255 - alpha)) / 255) as u8])
        });
        return Ok(flat);
    }
    Ok(image.into_luma8())
}

/// Loads and decodes one image file, timing both steps.
pub fn decode_file(path: &Path, options: &DecodeOptions) -> Result<DecodeReport, DecodeError> {
    let started = Instant::now();
    let image = load_gray(path)?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let codes = decode_image(&image, options);
    let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(DecodeReport {
        path: path.to_owned(),
        width: image.width(),
        height: image.height(),
        codes,
        load_ms,
        decode_ms,
    })
}

/// The candidate regions [`decode_image`] would examine, as `[x, y, width, height]` in pixels,
/// strongest first: for a preview overlay and for diagnosing a frame where codes are missed.
pub fn candidate_regions(image: &GrayImage) -> Vec<[u32; 4]> {
    locate::locate(image)
        .iter()
        .map(|region| [region.x, region.y, region.width, region.height])
        .collect()
}
