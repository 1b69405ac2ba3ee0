//! The thin layer over rxing: one attempt = one prepared grey image, one binariser, a set of
//! symbologies. Every result comes back as a [`DecodedCode`] in the coordinates of the prepared
//! image; the caller maps the corners back.

use std::collections::HashSet;

use rxing::common::{AdaptiveThresholdBinarizer, DetectorRXingResult, GlobalHistogramBinarizer};
use rxing::datamatrix::DataMatrixReader;
use rxing::datamatrix::decoder::Decoder as DataMatrixDecoder;
use rxing::datamatrix::detector::zxing_cpp_detector;
use rxing::multi::MultipleBarcodeReader;
use rxing::oned::{MultiFormatOneDReader, OneDReader};
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{
    Binarizer, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, Point,
    RXingResult, RXingResultMetadataType, RXingResultMetadataValue, Reader,
};

use super::DecodedCode;
use super::binarize::LocalBinarizer;
use super::sweep::bounds;
use super::symbology::{Symbology, aim_is_gs1};

/// Which rxing binariser turns grey into black/white.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binariser {
    /// Local 8×8 block thresholds smoothed over the blocks around (good for gradients,
    /// shadows and grey ink on grey board; `binarize`).
    Local,
    /// One threshold per row / image from the histogram (good for low-texture, blurred symbols).
    GlobalHistogram,
    /// imageproc's mean-of-neighbourhood threshold with the given radius in pixels.
    Adaptive(u32),
}

/// A grey image prepared for one attempt (cropped, scaled, filtered, maybe inverted).
pub(crate) struct Prepared {
    /// Row-major luminance.
    pub luma: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The symbologies to look for, split by how rxing reads them.
#[derive(Debug, Clone)]
pub(crate) struct FormatSet {
    /// Data Matrix wanted.
    pub data_matrix: bool,
    /// QR Code (or Micro QR) wanted.
    pub qr: bool,
    /// Everything else (linear codes, PDF417, Aztec), read by rxing's `MultiFormatReader`.
    pub others: HashSet<rxing::BarcodeFormat>,
}

impl FormatSet {
    /// Splits a list of symbologies.
    pub fn new(symbologies: &[Symbology]) -> Self {
        let mut set = Self {
            data_matrix: false,
            qr: false,
            others: HashSet::new(),
        };
        for symbology in symbologies {
            match symbology {
                Symbology::DataMatrix => set.data_matrix = true,
                // QR Code is read by the QR multi reader only: in `MultiFormatReader` it would
                // be searched a second time whenever the linear readers find nothing.
                Symbology::QrCode => set.qr = true,
                Symbology::MicroQrCode => {
                    set.qr = true;
                    set.others.insert(symbology.to_rxing());
                }
                other => {
                    set.others.insert(other.to_rxing());
                }
            }
        }
        set
    }

    /// Whether anything read by `MultiFormatReader` (other than QR) is wanted.
    pub fn wants_others(&self) -> bool {
        self.others.iter().any(|format| {
            !matches!(
                format,
                rxing::BarcodeFormat::QR_CODE | rxing::BarcodeFormat::MICRO_QR_CODE
            )
        })
    }
}

fn hints(formats: Option<&HashSet<rxing::BarcodeFormat>>, try_harder: bool) -> DecodeHints {
    DecodeHints {
        TryHarder: Some(try_harder),
        AssumeGs1: Some(true),
        PossibleFormats: formats.cloned(),
        ..DecodeHints::default()
    }
}

fn source(image: &Prepared) -> Luma8LuminanceSource {
    Luma8LuminanceSource::new(image.luma.clone(), image.width, image.height)
}

/// Runs `read` with the chosen binariser over `image`.
fn with_bitmap<T>(
    image: &Prepared,
    binariser: Binariser,
    read: impl FnOnce(&mut dyn BitmapReader) -> T,
) -> T {
    match binariser {
        Binariser::Local => read(&mut BinaryBitmap::new(LocalBinarizer::new(source(image)))),
        Binariser::GlobalHistogram => read(&mut BinaryBitmap::new(GlobalHistogramBinarizer::new(
            source(image),
        ))),
        Binariser::Adaptive(radius) => read(&mut BinaryBitmap::new(
            AdaptiveThresholdBinarizer::new(source(image), radius),
        )),
    }
}

/// Object-safe view of a `BinaryBitmap<B>` for the few reads we do.
trait BitmapReader {
    fn data_matrix_all(&mut self, thorough: bool) -> Vec<DecodedCode>;
    fn data_matrix_fallback(&mut self) -> Option<DecodedCode>;
    fn qr_fallback(&mut self) -> Option<DecodedCode>;
    fn qr_all(&mut self, try_harder: bool) -> Vec<DecodedCode>;
    fn multi_format(
        &mut self,
        formats: &HashSet<rxing::BarcodeFormat>,
        try_harder: bool,
        bars: Bars,
    ) -> Option<DecodedCode>;
}

impl<B: Binarizer> BitmapReader for BinaryBitmap<B> {
    fn data_matrix_all(&mut self, thorough: bool) -> Vec<DecodedCode> {
        let matrix = self.get_black_matrix();
        // Not thorough: only the lines through the centre (a crop centred on its symbol);
        // thorough: parallel lines across the whole image, every symbol they meet.
        let Ok(symbols) = zxing_cpp_detector::detect(matrix, thorough, true) else {
            return Vec::new();
        };
        let decoder = DataMatrixDecoder::new();
        let mut codes: Vec<DecodedCode> = Vec::new();
        for symbol in symbols {
            let Ok(decoded) = decoder.decode(symbol.getBits()) else {
                continue;
            };
            let aim_id = format!("]d{}", decoded.getSymbologyModifier());
            let text = decoded.getText().to_owned();
            if codes.iter().any(|code| code.text == text) {
                continue;
            }
            codes.push(DecodedCode {
                is_gs1: aim_is_gs1(&aim_id),
                text,
                symbology: Symbology::DataMatrix,
                aim_id,
                corners: points(symbol.getPoints()),
            });
        }
        codes
    }

    fn data_matrix_fallback(&mut self) -> Option<DecodedCode> {
        DataMatrixReader
            .decode_with_hints(self, &hints(None, true))
            .ok()
            .and_then(|result| convert(&result))
    }

    fn qr_fallback(&mut self) -> Option<DecodedCode> {
        let formats = HashSet::from([rxing::BarcodeFormat::QR_CODE]);
        QRCodeReader
            .decode_with_hints(self, &hints(Some(&formats), true))
            .ok()
            .and_then(|result| convert(&result))
    }

    fn qr_all(&mut self, try_harder: bool) -> Vec<DecodedCode> {
        QrReader
            .decode_multiple_with_hints(
                self,
                &hints(
                    Some(&HashSet::from([rxing::BarcodeFormat::QR_CODE])),
                    try_harder,
                ),
            )
            .unwrap_or_default()
            .iter()
            .filter_map(convert)
            .collect()
    }

    fn multi_format(
        &mut self,
        formats: &HashSet<rxing::BarcodeFormat>,
        try_harder: bool,
        bars: Bars,
    ) -> Option<DecodedCode> {
        let hints = hints(Some(formats), try_harder);
        let linear_only = formats
            .iter()
            .all(|&format| Symbology::from_rxing(&format).is_some_and(Symbology::is_linear));
        if !try_harder || bars == Bars::Any || !linear_only {
            return MultiFormatReader::default()
                .decode_with_hints(self, &hints)
                .ok()
                .and_then(|result| convert(&result));
        }
        // rxing's TryHarder scans every row and then every column; the way the bars run is
        // known here, so only the lines across them.
        let mut reader = MultiFormatOneDReader::new(&hints);
        if bars == Bars::Upright {
            return reader
                ._do_decode(self, &hints)
                .ok()
                .and_then(|result| convert(&result));
        }
        if !self.is_rotate_supported() {
            return None;
        }
        let mut turned = self.rotate_counter_clockwise();
        let mut result = reader._do_decode(&mut turned, &hints).ok()?;
        // A quarter turn counter-clockwise took (x, y) to (y, width − 1 − x).
        let width = turned.get_height() as f32;
        for point in result.getPointsMut().iter_mut() {
            let (x, y) = (point.x, point.y);
            point.x = width - 1.0 - y;
            point.y = x;
        }
        convert(&result)
    }
}

/// Which way a linear code's bars are taken to run (where the linear readers scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bars {
    /// Unknown: rows, then (thorough) columns.
    Any,
    /// Up and down: rows only.
    Upright,
    /// Left to right: columns only.
    Lying,
}

/// What one attempt should look for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pass {
    /// Run the multi-symbol Data Matrix detector.
    pub data_matrix: bool,
    /// Also run rxing's classic Data Matrix and QR detectors when the multi-symbol ones found
    /// nothing (slower; for hard crops: the classic QR finder check takes finder patterns
    /// foreshortened by a tilt that the newer one refuses).
    pub fallback: bool,
    /// Run the QR multi reader.
    pub qr: bool,
    /// Run `MultiFormatReader` for the other formats.
    pub others: bool,
    /// Thorough search: the Data Matrix detector scans lines across the whole image (not only
    /// through its centre) and rxing's TryHarder is set for the QR reader.
    pub try_harder: bool,
    /// rxing's TryHarder for the linear readers too: every row, both ways, then a quarter turn
    /// (a third of a 640×480 picture's time when nothing linear is there). Without it they look
    /// at 15 rows about the middle.
    pub linear_thorough: bool,
    /// Which way the bars run, for the thorough linear readers.
    pub bars: Bars,
}

/// Decodes everything `pass` asks for in `image` with one binariser.
pub(crate) fn decode_prepared(
    image: &Prepared,
    binariser: Binariser,
    formats: &FormatSet,
    pass: Pass,
) -> Vec<DecodedCode> {
    with_bitmap(image, binariser, |bitmap| {
        let mut codes = Vec::new();
        if pass.data_matrix && formats.data_matrix {
            codes.extend(bitmap.data_matrix_all(pass.try_harder));
            if codes.is_empty() && pass.fallback {
                codes.extend(bitmap.data_matrix_fallback());
            }
        }
        if pass.qr && formats.qr && !explained(&codes, image) {
            let before = codes.len();
            codes.extend(bitmap.qr_all(pass.try_harder));
            if codes.len() == before && pass.fallback {
                codes.extend(bitmap.qr_fallback());
            }
        }
        if pass.others && formats.wants_others() {
            codes.extend(bitmap.multi_format(&formats.others, pass.linear_thorough, pass.bars));
        }
        codes
    })
}

/// Whether the codes found so far cover a third of `image` or more: a crop around one symbol
/// (the first attempt on a region) holds nothing else worth a further detector.
fn explained(codes: &[DecodedCode], image: &Prepared) -> bool {
    let covered: f32 = codes
        .iter()
        .map(|code| {
            let (x0, y0, x1, y1) = bounds(&code.corners);
            (x1 - x0).max(0.0) * (y1 - y0).max(0.0)
        })
        .sum();
    covered * 3.0 >= image.width as f32 * image.height as f32
}

fn points(points: &[Point]) -> Vec<(f32, f32)> {
    points.iter().map(|point| (point.x, point.y)).collect()
}

/// Converts one rxing result; `None` for formats the station does not know.
fn convert(result: &RXingResult) -> Option<DecodedCode> {
    let symbology = Symbology::from_rxing(result.getBarcodeFormat())?;
    let reported_aim = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(aim)) => Some(aim.clone()),
        _ => None,
    };
    let mut text = result.getText().to_owned();
    // With AssumeGs1 rxing's Code 128 reader announces GS1-128 by prefixing the text.
    if let Some(stripped) = text.strip_prefix("]C1") {
        text = stripped.to_owned();
    }
    if symbology == Symbology::Code128 && check_codeword_is_fnc1(result.getRawBytes()) {
        // rxing 0.8 decodes the check character like data: when its value is 102 (FNC1, about
        // one symbol in a hundred) it appends a GS that is not in the symbol (a false read).
        if let Some(stripped) = text.strip_suffix('\u{1d}') {
            text = stripped.to_owned();
        }
    }
    let corners = points(result.getPoints());
    if symbology.is_linear() && !collinear(&corners) {
        // rxing's DataBar reader pairs finder patterns seen on different scan lines; a pair
        // that does not lie on one line is print or texture, not a symbol (a ghost read).
        return None;
    }
    let aim_id = reported_aim.unwrap_or_else(|| symbology.default_aim_id().to_owned());
    match symbology {
        // rxing gives DataBar as the bare 14-digit GTIN; the element string is (01) + GTIN.
        Symbology::DataBar if text.len() == 14 => text = format!("01{text}"),
        // ... and DataBar Expanded as bracketed HRI; the scan pipeline wants the raw string.
        Symbology::DataBarExpanded if text.starts_with('(') => {
            text = bracketed_to_raw(&text)?;
        }
        _ => {}
    }
    Some(DecodedCode {
        is_gs1: aim_is_gs1(&aim_id),
        text,
        symbology,
        aim_id,
        corners,
    })
}

/// Whether the points a linear reader reports lie on one scan line: each within 4 % of the
/// line's length (at least 3 px) of the line through the first and the last.
fn collinear(points: &[(f32, f32)]) -> bool {
    let (Some(&(ax, ay)), Some(&(bx, by))) = (points.first(), points.last()) else {
        return true;
    };
    let length = (bx - ax).hypot(by - ay);
    if length < 1.0 {
        return true;
    }
    let tolerance = (length * 0.04).max(3.0);
    points
        .iter()
        .all(|&(x, y)| ((bx - ax) * (y - ay) - (by - ay) * (x - ax)).abs() / length <= tolerance)
}

/// Whether a Code 128 symbol's check character (the codeword before the stop code in rxing's
/// raw codewords: start, data, check, stop) is 102, the value of FNC1.
fn check_codeword_is_fnc1(raw_codewords: &[u8]) -> bool {
    /// Code 128's stop code.
    const STOP: u8 = 106;
    /// FNC1 in code sets A, B and C.
    const FNC1: u8 = 102;
    match raw_codewords {
        [.., check, STOP] if raw_codewords.len() >= 3 => *check == FNC1,
        _ => false,
    }
}

/// Two-digit AI prefixes whose element strings have a predefined length and therefore need no
/// group separator after them (GS1 General Specifications, figure 7.8.5-2).
const PREDEFINED_LENGTH_PREFIXES: [&str; 22] = [
    "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "31",
    "32", "33", "34", "35", "36", "41",
];

/// Turns rxing's bracketed DataBar Expanded text `(01)...(3103)...(10)...` into the raw element
/// string with GS after every variable-length field that is not last.
fn bracketed_to_raw(bracketed: &str) -> Option<String> {
    let mut raw = String::with_capacity(bracketed.len());
    let mut rest = bracketed;
    while !rest.is_empty() {
        let after_open = rest.strip_prefix('(')?;
        let close = after_open.find(')')?;
        let ai = &after_open[..close];
        let value_and_rest = &after_open[close + 1..];
        let value_end = value_and_rest.find('(').unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..value_end];
        rest = &value_and_rest[value_end..];
        raw.push_str(ai);
        raw.push_str(value);
        let predefined = PREDEFINED_LENGTH_PREFIXES
            .iter()
            .any(|prefix| ai.starts_with(prefix));
        if !predefined && !rest.is_empty() {
            raw.push('\u{1d}');
        }
    }
    Some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_check_character_of_102_counts_as_fnc1() {
        // Start C, FNC1, 00, 12, check 102, stop.
        assert!(check_codeword_is_fnc1(&[105, 102, 0, 12, 102, 106]));
        assert!(!check_codeword_is_fnc1(&[105, 102, 0, 12, 55, 106]));
        // An FNC1 separator inside the data is not the check character.
        assert!(!check_codeword_is_fnc1(&[105, 102, 102, 12, 55, 106]));
        assert!(!check_codeword_is_fnc1(&[102, 106]));
        assert!(!check_codeword_is_fnc1(&[]));
    }

    #[test]
    fn the_linear_readers_scan_across_the_bars_only_and_map_a_turned_read_back() {
        use crate::devices::synth::{CodeKind, Condition, Params, generate};
        let params = Params {
            kinds: vec![CodeKind::Gs1_128],
            rotation: 0.0,
            perspective: 0.0,
            ..Params::draw(Condition::Clean, 3)
        };
        let scene = generate(&params, 3);
        let (width, height) = scene.image.dimensions();
        let upright = Prepared {
            luma: scene.image.as_raw().clone(),
            width,
            height,
        };
        // The same picture turned a quarter (bars lying): row y is column y.
        let mut lying = vec![0u8; upright.luma.len()];
        for y in 0..height as usize {
            for x in 0..width as usize {
                lying[x * height as usize + y] = upright.luma[y * width as usize + x];
            }
        }
        let lying = Prepared {
            luma: lying,
            width: height,
            height: width,
        };
        let formats = FormatSet::new(&Symbology::PHARMA);
        let pass = |bars| Pass {
            data_matrix: false,
            fallback: false,
            qr: false,
            others: true,
            try_harder: true,
            linear_thorough: true,
            bars,
        };
        let read =
            |image: &Prepared, bars| decode_prepared(image, Binariser::Local, &formats, pass(bars));
        let text = &scene.codes[0].text;
        for (image, bars) in [
            (&upright, Bars::Upright),
            (&upright, Bars::Any),
            (&lying, Bars::Lying),
            (&lying, Bars::Any),
        ] {
            let codes = read(image, bars);
            assert_eq!(codes.len(), 1, "{bars:?}");
            assert_eq!(&codes[0].text, text);
        }
        assert!(read(&upright, Bars::Lying).is_empty());
        assert!(read(&lying, Bars::Upright).is_empty());
        // The turned read's points lie on the code as it is in the lying picture.
        let (x0, y0, x1, y1) = bounds(&scene.codes[0].corners);
        for (x, y) in &read(&lying, Bars::Lying)[0].corners {
            assert!((y0 - 2.0..=y1 + 2.0).contains(x), "{x} not in {y0}..{y1}");
            assert!((x0 - 2.0..=x1 + 2.0).contains(y), "{y} not in {x0}..{x1}");
        }
    }

    #[test]
    fn a_linear_read_lies_on_one_scan_line() {
        // Both finder pairs of a DataBar on one (slanted) line.
        assert!(collinear(&[
            (10.0, 100.0),
            (40.0, 101.0),
            (200.0, 104.0),
            (230.0, 105.0)
        ]));
        // Pairs from two scan lines 300 px apart: a ghost from print (seen in a benchmark).
        assert!(!collinear(&[
            (335.0, 474.0),
            (358.0, 474.0),
            (361.0, 172.0),
            (384.0, 172.0)
        ]));
        assert!(collinear(&[(5.0, 5.0)]));
        assert!(collinear(&[]));
    }

    #[test]
    fn bracketed_expanded_text_becomes_raw() {
        assert_eq!(
            bracketed_to_raw("(01)90012345678908(3103)001750").as_deref(),
            Some("01900123456789083103001750")
        );
        assert_eq!(
            bracketed_to_raw("(01)90012345678908(10)AB12(21)XYZ").as_deref(),
            Some("019001234567890810AB12\u{1d}21XYZ")
        );
        assert_eq!(bracketed_to_raw("01900"), None);
        assert_eq!(bracketed_to_raw("(01"), None);
    }
}
