//! Barcode symbologies as the station knows them, and their mapping to and from rxing.

use rxing::BarcodeFormat;
use serde::{Deserialize, Serialize};

/// A barcode symbology that the decoder can read.
///
/// GS1 variants (GS1 DataMatrix, GS1-128, GS1 QR Code) are the plain symbology with
/// [`DecodedCode::is_gs1`](super::DecodedCode::is_gs1) set; [`Symbology::name`] gives the
/// human name for both cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symbology {
    /// Data Matrix (ECC 200), square or rectangular.
    DataMatrix,
    /// QR Code (model 2).
    QrCode,
    /// Micro QR Code.
    MicroQrCode,
    /// Code 128 (GS1-128 when it starts with FNC1).
    Code128,
    /// GS1 DataBar (omnidirectional / stacked, formerly RSS-14).
    DataBar,
    /// GS1 DataBar Expanded.
    DataBarExpanded,
    /// EAN-13.
    Ean13,
    /// EAN-8.
    Ean8,
    /// UPC-A.
    UpcA,
    /// UPC-E.
    UpcE,
    /// Code 39.
    Code39,
    /// Code 93.
    Code93,
    /// Interleaved 2 of 5 (ITF-14 among others).
    Itf,
    /// Codabar.
    Codabar,
    /// PDF417.
    Pdf417,
    /// Aztec.
    Aztec,
}

impl Symbology {
    /// Every symbology, in the order the decoder tries them.
    pub const ALL: [Self; 16] = [
        Self::DataMatrix,
        Self::QrCode,
        Self::MicroQrCode,
        Self::Code128,
        Self::DataBar,
        Self::DataBarExpanded,
        Self::Ean13,
        Self::Ean8,
        Self::UpcA,
        Self::UpcE,
        Self::Code39,
        Self::Code93,
        Self::Itf,
        Self::Codabar,
        Self::Pdf417,
        Self::Aztec,
    ];

    /// The symbologies of pharmaceutical serialization and logistics labels (the default
    /// decoder set): GS1 DataMatrix, GS1 QR and QR with a Digital Link, GS1-128 and DataBar.
    /// EAN/UPC and ITF are left out: their short, weakly checked patterns are what print and
    /// texture misread as (ghost UPC-E reads), and no serialised pack carries only those.
    pub const PHARMA: [Self; 5] = [
        Self::DataMatrix,
        Self::QrCode,
        Self::Code128,
        Self::DataBar,
        Self::DataBarExpanded,
    ];

    /// Human-readable name; `gs1` selects the GS1 form ("GS1 DataMatrix", "GS1-128", ...).
    pub fn name(self, gs1: bool) -> &'static str {
        match (self, gs1) {
            (Self::DataMatrix, true) => "GS1 DataMatrix",
            (Self::DataMatrix, false) => "DataMatrix",
            (Self::QrCode, true) => "GS1 QR Code",
            (Self::QrCode, false) => "QR Code",
            (Self::MicroQrCode, _) => "Micro QR Code",
            (Self::Code128, true) => "GS1-128",
            (Self::Code128, false) => "Code 128",
            (Self::DataBar, _) => "GS1 DataBar",
            (Self::DataBarExpanded, _) => "GS1 DataBar Expanded",
            (Self::Ean13, _) => "EAN-13",
            (Self::Ean8, _) => "EAN-8",
            (Self::UpcA, _) => "UPC-A",
            (Self::UpcE, _) => "UPC-E",
            (Self::Code39, _) => "Code 39",
            (Self::Code93, _) => "Code 93",
            (Self::Itf, _) => "ITF",
            (Self::Codabar, _) => "Codabar",
            (Self::Pdf417, _) => "PDF417",
            (Self::Aztec, _) => "Aztec",
        }
    }

    /// Whether this is a linear (1D) symbology, read along scan lines.
    pub fn is_linear(self) -> bool {
        !matches!(
            self,
            Self::DataMatrix | Self::QrCode | Self::MicroQrCode | Self::Pdf417 | Self::Aztec
        )
    }

    /// The rxing format for this symbology.
    pub(crate) fn to_rxing(self) -> BarcodeFormat {
        match self {
            Self::DataMatrix => BarcodeFormat::DATA_MATRIX,
            Self::QrCode => BarcodeFormat::QR_CODE,
            Self::MicroQrCode => BarcodeFormat::MICRO_QR_CODE,
            Self::Code128 => BarcodeFormat::CODE_128,
            Self::DataBar => BarcodeFormat::RSS_14,
            Self::DataBarExpanded => BarcodeFormat::RSS_EXPANDED,
            Self::Ean13 => BarcodeFormat::EAN_13,
            Self::Ean8 => BarcodeFormat::EAN_8,
            Self::UpcA => BarcodeFormat::UPC_A,
            Self::UpcE => BarcodeFormat::UPC_E,
            Self::Code39 => BarcodeFormat::CODE_39,
            Self::Code93 => BarcodeFormat::CODE_93,
            Self::Itf => BarcodeFormat::ITF,
            Self::Codabar => BarcodeFormat::CODABAR,
            Self::Pdf417 => BarcodeFormat::PDF_417,
            Self::Aztec => BarcodeFormat::AZTEC,
        }
    }

    /// Our symbology for an rxing format; `None` for formats the station does not use.
    pub(crate) fn from_rxing(format: &BarcodeFormat) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|symbology| symbology.to_rxing() == *format)
    }

    /// The AIM symbology identifier to report when the reader gave none: the plain-data form.
    pub(crate) fn default_aim_id(self) -> &'static str {
        match self {
            Self::DataMatrix => "]d1",
            Self::QrCode => "]Q1",
            Self::MicroQrCode => "]Q1",
            Self::Code128 => "]C0",
            Self::DataBar | Self::DataBarExpanded => "]e0",
            Self::Ean13 | Self::UpcA | Self::UpcE => "]E0",
            Self::Ean8 => "]E4",
            Self::Code39 => "]A0",
            Self::Code93 => "]G0",
            Self::Itf => "]I0",
            Self::Codabar => "]F0",
            Self::Pdf417 => "]L2",
            Self::Aztec => "]z0",
        }
    }
}

impl std::fmt::Display for Symbology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name(false))
    }
}

/// Whether an AIM symbology identifier announces GS1 data (an element string).
///
/// ```
/// use packbench::devices::decode::aim_is_gs1;
/// assert!(aim_is_gs1("]d2"));
/// assert!(aim_is_gs1("]C1"));
/// assert!(aim_is_gs1("]Q3"));
/// assert!(aim_is_gs1("]e0"));
/// assert!(!aim_is_gs1("]Q1"));
/// ```
pub fn aim_is_gs1(aim_id: &str) -> bool {
    matches!(
        aim_id,
        "]d2" | "]d5" | "]C1" | "]Q3" | "]Q4" | "]e0" | "]J1" | "]z1" | "]z4" | "]L3"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rxing_mapping_round_trips() {
        for symbology in Symbology::ALL {
            assert_eq!(
                Symbology::from_rxing(&symbology.to_rxing()),
                Some(symbology)
            );
        }
        assert_eq!(Symbology::from_rxing(&BarcodeFormat::MAXICODE), None);
    }

    #[test]
    fn gs1_names() {
        assert_eq!(Symbology::Code128.name(true), "GS1-128");
        assert_eq!(Symbology::DataMatrix.name(true), "GS1 DataMatrix");
        assert_eq!(Symbology::QrCode.name(false), "QR Code");
        assert!(Symbology::Code128.is_linear());
        assert!(!Symbology::DataMatrix.is_linear());
    }
}
