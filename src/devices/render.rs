//! Drawing GS1 DataMatrix symbols with rxing's encoder (its ECC 200 error correction and module
//! placement; the ASCII-mode codewords with FNC1 are made here, because rxing 0.8's GS1 writer
//! path overflows on FNC1): the calibration wizard's test symbol and
//! the bundled sample images (a layer of packs as a camera would see it).
//!
//! ```
//! use packbench::devices::render::datamatrix;
//! use packbench::devices::decode::{DecodeOptions, decode_image};
//! let img = datamatrix("0109506000134352\u{1d}21SN1", 6).unwrap();
//! let codes = decode_image(&img, &DecodeOptions::default());
//! assert_eq!(codes[0].scanner_text(), "]d20109506000134352\u{1d}21SN1");
//! ```

use image::{GrayImage, Luma};
use rxing::datamatrix::encoder::error_correction::encodeECC200;
use rxing::datamatrix::encoder::{DefaultPlacement, SymbolInfoLookup, SymbolShapeHint};

/// A symbol that could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// rxing's writer refused the data (empty, too long, ...).
    #[error("cannot encode {data:?} as DataMatrix: {reason}")]
    Encode {
        /// The data.
        data: String,
        /// rxing's reason.
        reason: String,
    },
}

/// The FNC1 codeword (first: GS1 mode; later: group separator).
const FNC1: u8 = 232;

/// ECC 200 ASCII-mode codewords of a GS1 element string: FNC1, digit pairs packed, GS → FNC1,
/// then the standard pad codewords up to `capacity`.
fn gs1_codewords(data: &str) -> Result<Vec<u8>, RenderError> {
    let bad = |reason: &str| RenderError::Encode {
        data: data.to_owned(),
        reason: reason.to_owned(),
    };
    let bytes = data.as_bytes();
    let mut codewords = vec![FNC1];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match bytes.get(i + 1) {
            _ if b == 0x1d => {
                codewords.push(FNC1);
                i += 1;
            }
            Some(next) if b.is_ascii_digit() && next.is_ascii_digit() => {
                codewords.push(130 + (b - b'0') * 10 + (next - b'0'));
                i += 2;
            }
            _ if b < 128 => {
                codewords.push(b + 1);
                i += 1;
            }
            _ => return Err(bad("only ASCII can be encoded")),
        }
    }
    if bytes.is_empty() {
        return Err(bad("empty"));
    }
    Ok(codewords)
}

/// Pads `codewords` to `capacity` (ISO/IEC 16022 5.2.3: 129, then the 253-state randomised pad).
fn pad(codewords: &mut Vec<u8>, capacity: usize) {
    let mut first = true;
    while codewords.len() < capacity {
        if first {
            codewords.push(129);
            first = false;
            continue;
        }
        let position = codewords.len() + 1;
        let random = (149 * position) % 253 + 1;
        let value = 129 + random;
        let value = if value > 254 { value - 254 } else { value };
        codewords.push(u8::try_from(value).unwrap_or(129));
    }
}

/// The modules (true = dark) of a square single-region GS1 DataMatrix (up to 26×26 modules,
/// 44 data codewords: a pack's GTIN, expiry, lot and serial fit).
pub(crate) fn gs1_modules(data: &str) -> Result<Vec<Vec<bool>>, RenderError> {
    let err = |reason: String| RenderError::Encode {
        data: data.to_owned(),
        reason,
    };
    let mut codewords = gs1_codewords(data)?;
    let lookup = SymbolInfoLookup::new();
    let info = lookup
        .lookup_with_codewords_shape_size_fail(
            u32::try_from(codewords.len()).unwrap_or(u32::MAX),
            SymbolShapeHint::FORCE_SQUARE,
            &None,
            &None,
            true,
        )
        .map_err(|e| err(e.to_string()))?
        .ok_or_else(|| err("too long".to_owned()))?;
    let data_w = info.getSymbolDataWidth().map_err(|e| err(e.to_string()))?;
    let data_h = info.getSymbolDataHeight().map_err(|e| err(e.to_string()))?;
    let symbol_w = info.getSymbolWidth().map_err(|e| err(e.to_string()))?;
    if symbol_w != data_w + 2 {
        return Err(err("too long for a single-region symbol".to_owned()));
    }
    pad(&mut codewords, info.getDataCapacity() as usize);
    let text: String = codewords.iter().map(|&c| char::from(c)).collect();
    let with_ecc = encodeECC200(&text, info).map_err(|e| err(e.to_string()))?;
    let mut placement = DefaultPlacement::new(with_ecc, data_w as usize, data_h as usize);
    placement.place().map_err(|e| err(e.to_string()))?;
    // Finder pattern: solid left and bottom edges, alternating top and right edges.
    let (w, h) = (data_w as usize + 2, data_h as usize + 2);
    let mut modules = vec![vec![false; w]; h];
    for (y, row) in modules.iter_mut().enumerate() {
        for (x, module) in row.iter_mut().enumerate() {
            *module = if x == 0 || y == h - 1 {
                true
            } else if y == 0 {
                x % 2 == 0
            } else if x == w - 1 {
                y % 2 == 1
            } else {
                placement.getBit(x - 1, y - 1)
            };
        }
    }
    Ok(modules)
}

/// A GS1 DataMatrix (FNC1 first, GS → FNC1) of the raw element string `data`, `module_px`
/// pixels per module, black on white with a two-module quiet zone.
pub fn datamatrix(data: &str, module_px: u32) -> Result<GrayImage, RenderError> {
    let modules = gs1_modules(data)?;
    let module = module_px.max(1);
    let quiet = 2 * module;
    let side = |n: usize| u32::try_from(n).unwrap_or(0) * module + 2 * quiet;
    let (h, w) = (modules.len(), modules.first().map_or(0, Vec::len));
    let mut img = GrayImage::from_pixel(side(w), side(h), Luma([255]));
    for (y, row) in modules.iter().enumerate() {
        for (x, dark) in row.iter().enumerate() {
            if !dark {
                continue;
            }
            let (x0, y0) = (
                quiet + u32::try_from(x).unwrap_or(0) * module,
                quiet + u32::try_from(y).unwrap_or(0) * module,
            );
            for dy in 0..module {
                for dx in 0..module {
                    img.put_pixel(x0 + dx, y0 + dy, Luma([0]));
                }
            }
        }
    }
    Ok(img)
}

/// A layer of packs: one symbol per element string, `columns` per row, on a light-grey
/// "case" background with `gap` pixels between the packs.
pub fn layer(
    data: &[String],
    columns: usize,
    module_px: u32,
    gap: u32,
) -> Result<GrayImage, RenderError> {
    let symbols = data
        .iter()
        .map(|d| datamatrix(d, module_px))
        .collect::<Result<Vec<_>, _>>()?;
    let cell_w = symbols.iter().map(GrayImage::width).max().unwrap_or(0) + gap;
    let cell_h = symbols.iter().map(GrayImage::height).max().unwrap_or(0) + gap;
    let columns = columns.max(1);
    let rows = symbols.len().div_ceil(columns);
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut img = GrayImage::from_pixel(
        cell_w * to_u32(columns) + gap,
        cell_h * to_u32(rows) + gap,
        Luma([205]),
    );
    for (i, symbol) in symbols.iter().enumerate() {
        let x = gap + cell_w * to_u32(i % columns);
        let y = gap + cell_h * to_u32(i / columns);
        image::imageops::replace(&mut img, symbol, i64::from(x), i64::from(y));
    }
    Ok(img)
}
