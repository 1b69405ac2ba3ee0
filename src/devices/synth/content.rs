//! What the generated codes say (valid GS1 data drawn from the seed) and their module grids,
//! encoded with rxing's writers (Data Matrix through `render`, which builds its GS1 codewords).

use rand::Rng;
use rand::rngs::StdRng;
use rxing::oned::{Code128Writer, OneDimensionalCodeWriter};
use rxing::qrcode::decoder::ErrorCorrectionLevel;
use rxing::qrcode::encoder::qrcode_encoder;
use rxing::{EncodeHintValue, EncodeHints};

use crate::gs1::check_digit::with_check_digit;

/// The kind of code drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// GS1 DataMatrix (a pack: GTIN, expiry, lot, serial).
    Gs1DataMatrix,
    /// GS1 QR Code (FNC1 in first position).
    Gs1Qr,
    /// GS1-128 (an SSCC, or a GTIN with expiry and lot).
    Gs1_128,
    /// Plain QR Code holding a GS1 Digital Link URI.
    QrDigitalLink,
}

impl CodeKind {
    /// The AIM identifier a reader reports for this kind.
    pub fn aim_id(self) -> &'static str {
        match self {
            Self::Gs1DataMatrix => "]d2",
            Self::Gs1Qr => "]Q3",
            Self::Gs1_128 => "]C1",
            Self::QrDigitalLink => "]Q1",
        }
    }

    /// Whether the symbol is linear (bars).
    pub fn is_linear(self) -> bool {
        self == Self::Gs1_128
    }
}

/// A symbol's modules: `rows[y][x]`, true = dark. Linear codes have one row.
#[derive(Debug, Clone)]
pub(crate) struct Modules {
    pub rows: Vec<Vec<bool>>,
}

impl Modules {
    pub fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

fn alnum(rng: &mut StdRng, min: usize, max: usize) -> String {
    let len = rng.random_range(min..=max);
    (0..len)
        .map(|_| char::from(ALNUM[rng.random_range(0..ALNUM.len())]))
        .collect()
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A GTIN-14 under the GS1 example prefix 9506000 with its check digit.
fn gtin(rng: &mut StdRng) -> String {
    with_check_digit(&format!("09506000{}", digits(rng, 5))).unwrap_or_default()
}

/// An SSCC under the GS1 example prefix 0614141.
fn sscc(rng: &mut StdRng) -> String {
    with_check_digit(&format!(
        "{}0614141{}",
        rng.random_range(0..10u8),
        digits(rng, 9)
    ))
    .unwrap_or_default()
}

fn expiry(rng: &mut StdRng) -> String {
    format!(
        "{:02}{:02}{:02}",
        rng.random_range(27..31u8),
        rng.random_range(1..13u8),
        rng.random_range(1..29u8)
    )
}

/// The text a reader must report for a code of `kind` (raw element string with GS, or the
/// URI), drawn from `rng`.
pub(crate) fn draw_text(kind: CodeKind, rng: &mut StdRng) -> String {
    match kind {
        CodeKind::Gs1DataMatrix | CodeKind::Gs1Qr => format!(
            "01{}17{}10{}\u{1d}21{}",
            gtin(rng),
            expiry(rng),
            alnum(rng, 4, 8),
            alnum(rng, 6, 12)
        ),
        CodeKind::Gs1_128 => {
            if rng.random_bool(0.5) {
                format!("00{}", sscc(rng))
            } else {
                format!("01{}17{}10{}", gtin(rng), expiry(rng), alnum(rng, 3, 6))
            }
        }
        CodeKind::QrDigitalLink => format!(
            "https://id.gs1.org/01/{}/21/{}?17={}",
            gtin(rng),
            alnum(rng, 6, 12),
            expiry(rng)
        ),
    }
}

/// Encodes `text` as `kind`; `None` if a writer refuses it (does not happen for drawn texts).
pub(crate) fn encode(kind: CodeKind, text: &str) -> Option<Modules> {
    match kind {
        CodeKind::Gs1DataMatrix => crate::devices::render::gs1_modules(text)
            .ok()
            .map(|rows| Modules { rows }),
        CodeKind::Gs1Qr | CodeKind::QrDigitalLink => {
            let hints =
                EncodeHints::default().with(EncodeHintValue::Gs1Format(kind == CodeKind::Gs1Qr));
            let code =
                qrcode_encoder::encode_with_hints(text, ErrorCorrectionLevel::M, &hints).ok()?;
            let matrix = code.getMatrix().as_ref()?;
            let rows = (0..matrix.getHeight())
                .map(|y| {
                    (0..matrix.getWidth())
                        .map(|x| matrix.get(x, y) == 1)
                        .collect()
                })
                .collect();
            Some(Modules { rows })
        }
        CodeKind::Gs1_128 => {
            // rxing's Code 128 writer takes 'ñ' for FNC1: first = GS1-128, later = separator.
            let escaped = format!("\u{f1}{}", text.replace('\u{1d}', "\u{f1}"));
            let bars = Code128Writer.encode_oned(&escaped).ok()?;
            Some(Modules { rows: vec![bars] })
        }
    }
}
