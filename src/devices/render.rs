//! Drawing GS1 DataMatrix symbols with rxing's writer: the calibration wizard's test symbol and
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
use rxing::datamatrix::DataMatrixWriter;
use rxing::{BarcodeFormat, EncodeHints, Writer};

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

/// A GS1 DataMatrix (FNC1 first, GS → FNC1) of the raw element string `data`, `module_px`
/// pixels per module, black on white with a two-module quiet zone.
pub fn datamatrix(data: &str, module_px: u32) -> Result<GrayImage, RenderError> {
    let hints = EncodeHints {
        Gs1Format: Some(true),
        DataMatrixCompact: Some(true),
        Margin: Some("0".to_owned()),
        ..EncodeHints::default()
    };
    let matrix = DataMatrixWriter
        .encode_with_hints(data, &BarcodeFormat::DATA_MATRIX, 0, 0, &hints)
        .map_err(|err| RenderError::Encode {
            data: data.to_owned(),
            reason: err.to_string(),
        })?;
    let module = module_px.max(1);
    let quiet = 2 * module;
    let (w, h) = (matrix.width(), matrix.height());
    let mut img =
        GrayImage::from_pixel(w * module + 2 * quiet, h * module + 2 * quiet, Luma([255]));
    for y in 0..h {
        for x in 0..w {
            if matrix.get(x, y) {
                for dy in 0..module {
                    for dx in 0..module {
                        img.put_pixel(quiet + x * module + dx, quiet + y * module + dy, Luma([0]));
                    }
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
