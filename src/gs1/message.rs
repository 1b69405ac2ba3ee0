//! A parsed, validated GS1 message: its element strings and what can be derived from them
//! (keys, canonical bracketed and raw forms, Digital Link URI).

use super::ai;
use super::digital_link;
use super::error::Gs1Error;
use super::keys::{Expiry, Gln, Gtin, Lot, SerialNumber, Sgtin, Sscc, UnitKey};
use super::symbology::Symbology;
use super::validate;

/// ASCII 29, the group separator that stands for FNC1 in transmitted data.
pub const GS: char = '\u{1d}';

/// One element string: an Application Identifier and its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Element {
    /// The AI, 2 to 4 digits, e.g. `"01"`.
    pub ai: String,
    /// The value as carried in the barcode (percent escapes of a Digital Link decoded).
    pub value: String,
}

impl Element {
    /// A new element (not validated; see [`Gs1Message::from_elements`]).
    pub fn new(ai: impl Into<String>, value: impl Into<String>) -> Self {
        Element {
            ai: ai.into(),
            value: value.into(),
        }
    }

    /// Whether the AI has a predefined length (no GS separator needed after it).
    pub fn is_predefined_length(&self) -> bool {
        ai::lookup(&self.ai).is_some_and(|e| e.predefined_length)
    }
}

/// Which textual form the scan was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputForm {
    /// Element string as transmitted by a scanner (GS separators).
    Raw,
    /// Human-readable bracketed form `(01)...(21)...`.
    Bracketed,
    /// GS1 Digital Link URI.
    DigitalLink,
    /// Not GS1 data, accepted because [`super::ParseOptions::allow_non_gs1`] is set.
    NonGs1,
    /// Built in code with [`Gs1Message::from_elements`].
    Constructed,
}

/// Something valid but suspicious in a scan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Gs1Warning {
    /// A variable-length value ends in what reads as further element strings: probably a
    /// GS separator was lost and the data means something else than intended (e.g. the
    /// serial (21) swallowed into the lot (10)).
    SuspectedMissingSeparator {
        /// The AI whose value swallowed the data.
        ai: String,
        /// The full value as parsed.
        value: String,
        /// The element strings found at its end, bracketed, e.g. `(21)SN0001`.
        swallowed: String,
    },
}

impl Gs1Warning {
    /// Stable machine code (`OK_BUT_MEANING_CHANGED`).
    pub fn code(&self) -> &'static str {
        match self {
            Gs1Warning::SuspectedMissingSeparator { .. } => "OK_BUT_MEANING_CHANGED",
        }
    }
}

impl std::fmt::Display for Gs1Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Gs1Warning::SuspectedMissingSeparator {
                ai,
                value,
                swallowed,
            } => write!(
                f,
                "AI ({ai}) value {value:?} ends with {swallowed}: a GS separator is probably \
                 missing, so the data means something else than printed"
            ),
        }
    }
}

/// A parsed and validated GS1 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gs1Message {
    /// The AIM symbology identifier the scan started with, if any.
    pub symbology: Option<Symbology>,
    /// The element strings, in scan order.
    pub elements: Vec<Element>,
    /// The input form.
    pub form: InputForm,
    /// The data of a non-GS1 scan accepted with `allow_non_gs1` (then `elements` is empty).
    pub non_gs1_data: Option<String>,
    pub(crate) warnings: Vec<Gs1Warning>,
}

impl Gs1Message {
    /// Builds a message from elements, checking every value and the message rules.
    pub fn from_elements(elements: Vec<Element>) -> Result<Self, Gs1Error> {
        if elements.is_empty() {
            return Err(Gs1Error::EmptyInput);
        }
        for e in &elements {
            let entry = ai::lookup(&e.ai).ok_or_else(|| Gs1Error::UnknownAi {
                ai: e.ai.clone(),
                position: 0,
            })?;
            validate::validate_value(entry, &e.ai, &e.value)?;
        }
        validate::check_message(&elements)?;
        Ok(Gs1Message {
            symbology: None,
            elements,
            form: InputForm::Constructed,
            non_gs1_data: None,
            warnings: Vec::new(),
        })
    }

    /// Warnings about valid but suspicious data.
    pub fn warnings(&self) -> &[Gs1Warning] {
        &self.warnings
    }

    /// The value of the first element with this AI.
    pub fn value(&self, ai: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.ai == ai)
            .map(|e| e.value.as_str())
    }

    /// The GTIN of AI (01).
    pub fn gtin(&self) -> Option<Gtin> {
        self.value("01").and_then(|v| v.parse().ok())
    }

    /// The GTIN of the contained trade items, AI (02).
    pub fn content_gtin(&self) -> Option<Gtin> {
        self.value("02").and_then(|v| v.parse().ok())
    }

    /// The serial number, AI (21).
    pub fn serial(&self) -> Option<SerialNumber> {
        self.value("21").and_then(|v| v.parse().ok())
    }

    /// The batch or lot, AI (10).
    pub fn lot(&self) -> Option<Lot> {
        self.value("10").and_then(|v| v.parse().ok())
    }

    /// The expiry date, AI (17).
    pub fn expiry(&self) -> Option<Expiry> {
        self.value("17").and_then(|v| v.parse().ok())
    }

    /// The SSCC, AI (00).
    pub fn sscc(&self) -> Option<Sscc> {
        self.value("00").and_then(|v| v.parse().ok())
    }

    /// GTIN + serial, when both are present.
    pub fn sgtin(&self) -> Option<Sgtin> {
        Some(Sgtin {
            gtin: self.gtin()?,
            serial: self.serial()?,
        })
    }

    /// The key of the unit this message identifies (see [`UnitKey`]): its SSCC when it has
    /// one (a logistic label may also carry the GTIN of its contents), else GTIN + serial;
    /// `None` without either.
    pub fn unit_key(&self) -> Option<UnitKey> {
        self.sscc()
            .map(UnitKey::Sscc)
            .or_else(|| self.sgtin().map(UnitKey::Sgtin))
    }

    /// The ship-to GLN, AI (410).
    pub fn ship_to_gln(&self) -> Option<Gln> {
        self.value("410").and_then(|v| v.parse().ok())
    }

    /// Canonical bracketed form `(01)...(21)...`. A `(` inside a value is written `\(`
    /// so that the form parses back unambiguously; see [`Gs1Message::hri_display`].
    pub fn hri(&self) -> String {
        let mut out = String::new();
        for e in &self.elements {
            out.push('(');
            out.push_str(&e.ai);
            out.push(')');
            for c in e.value.chars() {
                if c == '(' {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        out
    }

    /// Human-readable interpretation as printed under a barcode (no escapes).
    pub fn hri_display(&self) -> String {
        self.elements
            .iter()
            .map(|e| format!("({}){}", e.ai, e.value))
            .collect()
    }

    /// Canonical raw element string: GS (ASCII 29) only after values of AIs without a
    /// predefined length, and never at the end. No symbology identifier.
    pub fn raw(&self) -> String {
        let mut out = String::new();
        for (i, e) in self.elements.iter().enumerate() {
            out.push_str(&e.ai);
            out.push_str(&e.value);
            if i + 1 < self.elements.len() && !e.is_predefined_length() {
                out.push(GS);
            }
        }
        out
    }

    /// The GS1 Digital Link URI on `base` (e.g. `https://id.gs1.org`), or `None` when the
    /// message has no Digital Link primary key or holds an AI that a URI cannot carry.
    pub fn digital_link(&self, base: &str) -> Option<String> {
        digital_link::build(&self.elements, base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let msg = Gs1Message::from_elements(vec![
            Element::new("10", "L(1)"),
            Element::new("01", "09506000134352"),
            Element::new("21", "S1"),
        ])
        .unwrap();
        assert_eq!(msg.form, InputForm::Constructed);
        // GS after the variable-length (10), none after (01), none at the end.
        assert_eq!(msg.raw(), "10L(1)\u{1d}010950600013435221S1");
        assert_eq!(msg.hri(), "(10)L\\(1)(01)09506000134352(21)S1");
        assert_eq!(msg.hri_display(), "(10)L(1)(01)09506000134352(21)S1");
        assert_eq!(
            msg.digital_link("https://example.com/").as_deref(),
            Some("https://example.com/01/09506000134352/10/L%281%29/21/S1")
        );
        assert_eq!(msg.sgtin().unwrap().hri(), "(01)09506000134352(21)S1");
    }

    #[test]
    fn from_elements_checks_values_and_rules() {
        let bad = Gs1Message::from_elements(vec![Element::new("01", "09506000134353")]);
        assert_eq!(bad.unwrap_err().code(), "CHECK_DIGIT");
        let lonely = Gs1Message::from_elements(vec![Element::new("21", "X")]);
        assert_eq!(lonely.unwrap_err().code(), "MISSING_REQ");
        assert_eq!(
            Gs1Message::from_elements(vec![]).unwrap_err().code(),
            "EMPTY_INPUT"
        );
    }

    #[test]
    fn no_digital_link_without_a_key() {
        let msg = Gs1Message::from_elements(vec![Element::new("400", "PO1")]).unwrap();
        assert_eq!(msg.digital_link("https://id.gs1.org"), None);
        assert_eq!(msg.gtin(), None);
    }
}
