//! Reads a pharma bench may act on: GS1 data that passes validation.

use super::DecodedCode;
use crate::gs1::{self, ParseOptions};

/// Whether `code` carries a valid GS1 message: an element string (check digits, dates, AI
/// rules) or a GS1 Digital Link URI. Anything else from a camera frame is either foreign data
/// or a misread of print and texture.
pub(crate) fn is_valid_gs1(code: &DecodedCode) -> bool {
    gs1::parse(&code.scanner_text(), &ParseOptions::default())
        .is_ok_and(|message| !message.elements.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::decode::Symbology;

    fn code(aim_id: &str, text: &str, symbology: Symbology) -> DecodedCode {
        DecodedCode {
            text: text.to_owned(),
            symbology,
            aim_id: aim_id.to_owned(),
            corners: Vec::new(),
            is_gs1: super::super::aim_is_gs1(aim_id),
        }
    }

    #[test]
    fn gs1_data_and_digital_links_pass_everything_else_is_dropped() {
        let pack = "010950600013435217271231\u{1d}10LOT42\u{1d}21SN0001";
        assert!(is_valid_gs1(&code("]d2", pack, Symbology::DataMatrix)));
        assert!(is_valid_gs1(&code(
            "]Q1",
            "https://id.gs1.org/01/09506000134352/21/SN0001",
            Symbology::QrCode
        )));
        // A bad GTIN check digit, plain text, a UPC-E misread of print.
        let bad = "010950600013435317271231\u{1d}10LOT42";
        assert!(!is_valid_gs1(&code("]d2", bad, Symbology::DataMatrix)));
        assert!(!is_valid_gs1(&code("]Q1", "hello", Symbology::QrCode)));
        assert!(!is_valid_gs1(&code("]C0", "ABC123", Symbology::Code128)));
    }
}
