//! EPC URIs (GS1 Tag Data Standard) read back into the GS1 element strings they stand for:
//! pure identities (`urn:epc:id:sgtin:...`), ID patterns naming every serial of a class
//! (`urn:epc:idpat:sgtin:...*`) and LGTIN classes (`urn:epc:class:lgtin:...`).
//!
//! This is the one EPC URI parser: the key types ([`super::Sgtin::from_epc_uri`],
//! [`super::Sscc::from_epc_uri`]), the EPCIS event hash (canonical Digital Link form) and the
//! repository sync all read EPC URIs through it. Check digits are computed, percent escapes
//! decoded.
//!
//! ```
//! use packbench::gs1::epc_uri::{EpcScheme, EpcUri, EpcUriForm};
//! let epc: EpcUri = "urn:epc:id:sgtin:9506000.013435.A%2F1".parse().unwrap();
//! assert_eq!((epc.form, epc.scheme, epc.company_prefix_len), (EpcUriForm::Id, EpcScheme::Sgtin, 7));
//! assert_eq!(epc.hri(), "(01)09506000134352(21)A/1");
//!
//! let pattern: EpcUri = "urn:epc:idpat:sgtin:9506000.013435.*".parse().unwrap();
//! assert_eq!(pattern.hri(), "(01)09506000134352");
//!
//! let sscc: EpcUri = "urn:epc:id:sscc:0614141.1234567890".parse().unwrap();
//! assert_eq!(sscc.hri(), "(00)106141412345678908");
//!
//! let err = "urn:epc:id:sgtin:9506000.13435.A".parse::<EpcUri>().unwrap_err();
//! assert_eq!(err.code(), "BAD_EPC_URI");
//! ```

use std::str::FromStr;

use super::check_digit::with_check_digit;
use super::error::Gs1Error;
use super::message::Element;

/// The three kinds of EPC URI this parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpcUriForm {
    /// `urn:epc:id:{scheme}:...`: one object.
    Id,
    /// `urn:epc:idpat:{scheme}:....*`: every object of a class (the last part is `*`).
    IdPattern,
    /// `urn:epc:class:lgtin:...`: one lot of a trade item.
    Class,
}

/// An EPC scheme: which GS1 key the URI carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpcScheme {
    /// Serialised GTIN: AI (01) + (21).
    Sgtin,
    /// Serial Shipping Container Code: AI (00).
    Sscc,
    /// GLN of a location, with an optional extension: AI (414) [+ (254)].
    Sgln,
    /// Global Returnable Asset Identifier: AI (8003).
    Grai,
    /// Global Individual Asset Identifier: AI (8004).
    Giai,
    /// Global Service Relation Number of a recipient: AI (8018).
    Gsrn,
    /// Global Service Relation Number of a provider: AI (8017).
    Gsrnp,
    /// Global Document Type Identifier: AI (253).
    Gdti,
    /// Component / Part Identifier: AI (8010) + (8011).
    Cpi,
    /// Global Coupon Number: AI (255).
    Sgcn,
    /// Global Identification Number for Consignment: AI (401).
    Ginc,
    /// Global Shipment Identification Number: AI (402).
    Gsin,
    /// Individual Trade Item Piece: AI (8006) + (21).
    Itip,
    /// GTIN + Third Party Controlled, Serialised Extension: AI (01) + (235).
    Upui,
    /// GLN of a party: AI (417).
    Pgln,
    /// GTIN + batch/lot (an EPC class): AI (01) + (10).
    Lgtin,
}

impl EpcScheme {
    const ALL: [EpcScheme; 16] = [
        Self::Sgtin,
        Self::Sscc,
        Self::Sgln,
        Self::Grai,
        Self::Giai,
        Self::Gsrn,
        Self::Gsrnp,
        Self::Gdti,
        Self::Cpi,
        Self::Sgcn,
        Self::Ginc,
        Self::Gsin,
        Self::Itip,
        Self::Upui,
        Self::Pgln,
        Self::Lgtin,
    ];

    /// The scheme's name in the URI, e.g. `sgtin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sgtin => "sgtin",
            Self::Sscc => "sscc",
            Self::Sgln => "sgln",
            Self::Grai => "grai",
            Self::Giai => "giai",
            Self::Gsrn => "gsrn",
            Self::Gsrnp => "gsrnp",
            Self::Gdti => "gdti",
            Self::Cpi => "cpi",
            Self::Sgcn => "sgcn",
            Self::Ginc => "ginc",
            Self::Gsin => "gsin",
            Self::Itip => "itip",
            Self::Upui => "upui",
            Self::Pgln => "pgln",
            Self::Lgtin => "lgtin",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A parsed EPC URI: its form, scheme and company prefix length, and the element strings it
/// stands for, primary key first (check digits computed, percent escapes decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpcUri {
    /// Identity, pattern or class.
    pub form: EpcUriForm,
    /// The scheme.
    pub scheme: EpcScheme,
    /// Digits of the GS1 Company Prefix (6 to 12), the URI's first part.
    pub company_prefix_len: u8,
    /// The element strings: `(01)` + `(21)` for an SGTIN, `(00)` for an SSCC, only the class
    /// key for a pattern (`(01)` for `idpat:sgtin`).
    pub elements: Vec<Element>,
}

impl EpcUri {
    /// The element strings in bracketed form, e.g. `(01)09506000134352(21)A/1`.
    pub fn hri(&self) -> String {
        self.elements
            .iter()
            .map(|e| format!("({}){}", e.ai, e.value))
            .collect()
    }

    /// The value of the element with AI `ai`.
    pub fn value(&self, ai: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.ai == ai)
            .map(|e| e.value.as_str())
    }
}

impl FromStr for EpcUri {
    type Err = Gs1Error;

    /// Reads `urn:epc:id:`, `urn:epc:idpat:` (the patterns whose last part is `*`) and
    /// `urn:epc:class:lgtin:` URIs; anything else is [`Gs1Error::BadEpcUri`] naming the URI.
    fn from_str(uri: &str) -> Result<Self, Self::Err> {
        parse(uri).map_err(|detail| Gs1Error::BadEpcUri {
            uri: uri.to_owned(),
            detail,
        })
    }
}

/// What is wrong with a URI (the `detail` of [`Gs1Error::BadEpcUri`]).
type Detail = &'static str;

fn parse(uri: &str) -> Result<EpcUri, Detail> {
    let (form, rest) = if let Some(rest) = uri.strip_prefix("urn:epc:id:") {
        (EpcUriForm::Id, rest)
    } else if let Some(rest) = uri.strip_prefix("urn:epc:idpat:") {
        (EpcUriForm::IdPattern, rest)
    } else if let Some(rest) = uri.strip_prefix("urn:epc:class:") {
        (EpcUriForm::Class, rest)
    } else {
        return Err("not an EPC URI (urn:epc:id:, urn:epc:idpat: or urn:epc:class:)");
    };
    let (name, body) = rest.split_once(':').ok_or("no ':' after the EPC scheme")?;
    let scheme = EpcScheme::from_name(name).ok_or("unknown EPC scheme")?;
    let (company_prefix_len, elements) = match form {
        EpcUriForm::Id if scheme != EpcScheme::Lgtin => identity(scheme, body)?,
        EpcUriForm::IdPattern => {
            let body = body
                .strip_suffix(".*")
                .ok_or("a pattern must end in '.*'")?;
            pattern(scheme, body)?
        }
        EpcUriForm::Class if scheme == EpcScheme::Lgtin => {
            let (prefix, item, lot) = split3(body)?;
            let gtin = gtin(prefix, item)?;
            let lot = component(lot, 0, 20, Chars::Cset82)?;
            (prefix_len(prefix)?, vec![el("01", gtin), el("10", lot)])
        }
        EpcUriForm::Id | EpcUriForm::Class => {
            return Err(NOT_IN_THIS_FORM);
        }
    };
    Ok(EpcUri {
        form,
        scheme,
        company_prefix_len,
        elements,
    })
}

fn el(ai: &str, value: String) -> Element {
    Element::new(ai, value)
}

/// The parts of a pure identity URI, by scheme.
fn identity(scheme: EpcScheme, body: &str) -> Result<(u8, Vec<Element>), Detail> {
    use EpcScheme as S;
    let prefix = body.split('.').next().unwrap_or_default();
    let elements = match scheme {
        S::Sgtin | S::Upui => {
            let (prefix, item, serial) = split3(body)?;
            let gtin = gtin(prefix, item)?;
            if scheme == S::Sgtin {
                vec![
                    el("01", gtin),
                    el("21", component(serial, 1, 20, Chars::Cset82)?),
                ]
            } else {
                vec![
                    el("01", gtin),
                    el("235", component(serial, 1, 28, Chars::Cset82)?),
                ]
            }
        }
        S::Sscc => {
            let (prefix, serial_ref) = prefix_and_ref(body, 17)?;
            let digits = format!("{}{prefix}{}", &serial_ref[..1], &serial_ref[1..]);
            vec![el("00", checked(&digits)?)]
        }
        S::Sgln => {
            let (prefix, location, extension) = split3(body)?;
            let gln = checked(&joined(prefix, location, 12)?)?;
            let extension = component(extension, 1, 20, Chars::Cset82)?;
            let mut elements = vec![el("414", gln)];
            // Extension 0 means "no extension" (Tag Data Standard 6.3.3).
            if extension != "0" {
                elements.push(el("254", extension));
            }
            elements
        }
        S::Grai => {
            let (prefix, asset_type, serial) = split3(body)?;
            let key = checked(&format!("0{}", joined(prefix, asset_type, 12)?))?;
            let serial = component(serial, 1, 16, Chars::Cset82)?;
            vec![el("8003", key + &serial)]
        }
        S::Giai | S::Ginc => {
            let (prefix, reference) = body.split_once('.').ok_or(MISSING_DOT)?;
            company_prefix(prefix)?;
            let reference = component(reference, 1, 30 - prefix.len(), Chars::Cset82)?;
            let ai = if scheme == S::Giai { "8004" } else { "401" };
            vec![el(ai, format!("{prefix}{reference}"))]
        }
        S::Gsrn | S::Gsrnp => {
            let (prefix, reference) = prefix_and_ref(body, 17)?;
            let ai = if scheme == S::Gsrn { "8018" } else { "8017" };
            vec![el(ai, checked(&format!("{prefix}{reference}"))?)]
        }
        S::Gdti | S::Sgcn => {
            let (prefix, document_type, serial) = split3(body)?;
            let key = checked(&joined(prefix, document_type, 12)?)?;
            let (ai, serial) = if scheme == S::Gdti {
                ("253", component(serial, 0, 17, Chars::Cset82)?)
            } else {
                ("255", digits(serial, 1, 12)?.to_owned())
            };
            vec![el(ai, key + &serial)]
        }
        S::Cpi => {
            let (prefix, rest) = body.split_once('.').ok_or(MISSING_DOT)?;
            let (reference, serial) = rest.rsplit_once('.').ok_or(MISSING_DOT)?;
            company_prefix(prefix)?;
            let reference = component(reference, 1, 30 - prefix.len(), Chars::Cpi)?;
            vec![
                el("8010", format!("{prefix}{reference}")),
                el("8011", digits(serial, 1, 12)?.to_owned()),
            ]
        }
        S::Gsin => {
            let (prefix, reference) = prefix_and_ref(body, 16)?;
            vec![el("402", checked(&format!("{prefix}{reference}"))?)]
        }
        S::Itip => {
            let parts: Vec<&str> = body.splitn(5, '.').collect();
            let [prefix, item, piece, total, serial] = parts.as_slice() else {
                return Err("an ITIP has five '.'-separated parts");
            };
            let gtin = gtin(prefix, item)?;
            let piece = digits(piece, 2, 2)?;
            let total = digits(total, 2, 2)?;
            vec![
                el("8006", format!("{gtin}{piece}{total}")),
                el("21", component(serial, 1, 20, Chars::Cset82)?),
            ]
        }
        S::Pgln => {
            let (prefix, reference) = prefix_and_ref(body, 12)?;
            vec![el("417", checked(&format!("{prefix}{reference}"))?)]
        }
        S::Lgtin => return Err(NOT_IN_THIS_FORM),
    };
    Ok((prefix_len(prefix)?, elements))
}

/// The class key of an ID pattern whose last part is `*` (already removed from `body`).
fn pattern(scheme: EpcScheme, body: &str) -> Result<(u8, Vec<Element>), Detail> {
    use EpcScheme as S;
    let prefix = body.split('.').next().unwrap_or_default();
    let reference = || body.split_once('.').map(|(_, r)| r).ok_or(MISSING_DOT);
    let elements = match scheme {
        S::Sgtin | S::Upui => vec![el("01", gtin(prefix, reference()?)?)],
        S::Grai => vec![el(
            "8003",
            checked(&format!("0{}", joined(prefix, reference()?, 12)?))?,
        )],
        S::Gdti | S::Sgcn => {
            let ai = if scheme == S::Gdti { "253" } else { "255" };
            vec![el(ai, checked(&joined(prefix, reference()?, 12)?)?)]
        }
        S::Cpi => {
            company_prefix(prefix)?;
            let reference = component(reference()?, 1, 30 - prefix.len(), Chars::Cpi)?;
            vec![el("8010", format!("{prefix}{reference}"))]
        }
        S::Itip => {
            let parts: Vec<&str> = body.splitn(4, '.').collect();
            let [prefix, item, piece, total] = parts.as_slice() else {
                return Err("an ITIP pattern has four '.'-separated parts before '*'");
            };
            let gtin = gtin(prefix, item)?;
            let piece = digits(piece, 2, 2)?;
            let total = digits(total, 2, 2)?;
            vec![el("8006", format!("{gtin}{piece}{total}"))]
        }
        S::Sscc | S::Sgln | S::Giai | S::Gsrn | S::Gsrnp | S::Ginc | S::Gsin | S::Pgln => {
            return Err("no pattern of this scheme is supported");
        }
        S::Lgtin => return Err(NOT_IN_THIS_FORM),
    };
    Ok((prefix_len(prefix)?, elements))
}

const MISSING_DOT: Detail = "missing a '.'-separated part";
const NOT_IN_THIS_FORM: Detail = "this scheme does not exist in this form";

/// `a.b.rest`: the first two parts and everything after the second `.`.
fn split3(body: &str) -> Result<(&str, &str, &str), Detail> {
    let (first, rest) = body.split_once('.').ok_or(MISSING_DOT)?;
    let (second, rest) = rest.split_once('.').ok_or(MISSING_DOT)?;
    Ok((first, second, rest))
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// A GS1 Company Prefix: 6 to 12 digits.
fn company_prefix(prefix: &str) -> Result<(), Detail> {
    if (6..=12).contains(&prefix.len()) && all_digits(prefix) {
        Ok(())
    } else {
        Err("the company prefix must be 6 to 12 digits")
    }
}

fn prefix_len(prefix: &str) -> Result<u8, Detail> {
    company_prefix(prefix)?;
    u8::try_from(prefix.len()).map_err(|_| "the company prefix must be 6 to 12 digits")
}

/// A company prefix and the reference after it, digits only, `total` digits together.
fn joined(prefix: &str, reference: &str, total: usize) -> Result<String, Detail> {
    company_prefix(prefix)?;
    if !all_digits(reference) {
        return Err("the reference after the company prefix must be digits");
    }
    if prefix.len() + reference.len() != total {
        return Err("the company prefix and the reference have the wrong number of digits");
    }
    Ok(format!("{prefix}{reference}"))
}

/// `<company prefix>.<reference>` (digits, `total` together).
fn prefix_and_ref(text: &str, total: usize) -> Result<(&str, &str), Detail> {
    let (prefix, reference) = text.split_once('.').ok_or(MISSING_DOT)?;
    joined(prefix, reference, total)?;
    Ok((prefix, reference))
}

/// The GTIN-14 of `<company prefix>.<indicator><item reference>`.
fn gtin(prefix: &str, item: &str) -> Result<String, Detail> {
    joined(prefix, item, 13)?;
    // 13 digits together and at most 12 in the prefix: the item part has the indicator.
    checked(&format!("{}{prefix}{}", &item[..1], &item[1..]))
}

/// `digits` with their check digit appended.
fn checked(digits: &str) -> Result<String, Detail> {
    with_check_digit(digits).ok_or("a GS1 key must be digits")
}

/// A part that must be `min..=max` plain digits (no percent escapes).
fn digits(text: &str, min: usize, max: usize) -> Result<&str, Detail> {
    if (min..=max).contains(&text.len()) && all_digits(text) {
        Ok(text)
    } else {
        Err("a numeric part has the wrong length or a non-digit")
    }
}

/// The characters a URI part may stand for.
#[derive(Clone, Copy)]
enum Chars {
    /// GS1 AI encodable character set 82.
    Cset82,
    /// The component/part reference set: digits, capitals, `#`, `-`, `/`.
    Cpi,
}

impl Chars {
    /// May stand in the URI as itself.
    fn literal(self, c: u8) -> bool {
        match self {
            Self::Cset82 => c.is_ascii_alphanumeric() || b"!')(*+,.:;=_-".contains(&c),
            Self::Cpi => c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-',
        }
    }

    /// May stand in the URI percent-escaped.
    fn escaped(self, c: u8) -> bool {
        match self {
            Self::Cset82 => c.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&c),
            Self::Cpi => c.is_ascii_digit() || c.is_ascii_uppercase() || b"#-/".contains(&c),
        }
    }
}

/// Decodes a part of `min..=max` characters of `chars` (a `%XX` escape counts as one).
fn component(text: &str, min: usize, max: usize, chars: Chars) -> Result<String, Detail> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or("a '%' escape needs two hex digits")?;
            let code = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("a '%' escape needs two hex digits")?;
            if !chars.escaped(code) {
                return Err("a percent escape of a character this part may not hold");
            }
            out.push(char::from(code));
            i += 3;
        } else {
            if !chars.literal(b) {
                return Err("a character EPC URIs do not allow (or that must be percent-escaped)");
            }
            out.push(char::from(b));
            i += 1;
        }
    }
    if (min..=max).contains(&out.len()) {
        Ok(out)
    } else {
        Err("a part is empty or too long")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::gs1::{Gln, Gtin, SerialNumber, Sgtin, Sscc};
    use proptest::prelude::*;

    fn hri(uri: &str) -> String {
        uri.parse::<EpcUri>().unwrap().hri()
    }

    fn detail(uri: &str) -> &'static str {
        match uri.parse::<EpcUri>() {
            Err(Gs1Error::BadEpcUri { uri: named, detail }) => {
                assert_eq!(named, uri);
                detail
            }
            other => panic!("{uri}: {other:?}"),
        }
    }

    #[test]
    fn every_scheme() {
        // The Tag Data Standard's examples (the EPCIS hash test vectors use the same).
        let cases = [
            (
                "urn:epc:id:sgtin:0614141.812345.6789",
                "(01)80614141123458(21)6789",
            ),
            (
                "urn:epc:id:sgtin:4012345.011111.98%22",
                "(01)04012345111118(21)98\"",
            ),
            (
                "urn:epc:id:sscc:4012345.3111111111",
                "(00)340123451111111111",
            ),
            ("urn:epc:id:sgln:4012345.00005.0", "(414)4012345000054"),
            (
                "urn:epc:id:sgln:4012345.00005.122",
                "(414)4012345000054(254)122",
            ),
            (
                "urn:epc:id:grai:4012345.00022.334455",
                "(8003)04012345000221334455",
            ),
            ("urn:epc:id:giai:4012345.ABC345", "(8004)4012345ABC345"),
            (
                "urn:epc:id:gsrn:4012345.0000006765",
                "(8018)401234500000067657",
            ),
            (
                "urn:epc:id:gsrnp:4012345.0000000007",
                "(8017)401234500000000074",
            ),
            (
                "urn:epc:id:gdti:4012345.00009.PO-4711",
                "(253)4012345000092PO-4711",
            ),
            ("urn:epc:id:gdti:987659999999..9", "(253)98765999999929"),
            (
                "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
                "(8010)061414111111111111111-A#/(8011)1234",
            ),
            (
                "urn:epc:id:sgcn:4012345.67890.04711",
                "(255)401234567890104711",
            ),
            ("urn:epc:id:ginc:0614141.xyz47%2F11", "(401)0614141xyz47/11"),
            (
                "urn:epc:id:gsin:4012345.222333444",
                "(402)40123452223334442",
            ),
            (
                "urn:epc:id:itip:4012345.011111.01.02.987",
                "(8006)040123451111180102(21)987",
            ),
            (
                "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
                "(01)01234567987651(235)51qIgY)<&Jp3*j7'SDB",
            ),
            ("urn:epc:id:pgln:4000001.00000", "(417)4000001000005"),
            ("urn:epc:id:pgln:999999999999.", "(417)9999999999994"),
            (
                "urn:epc:class:lgtin:4012345.012345.Lot987",
                "(01)04012345123456(10)Lot987",
            ),
            ("urn:epc:idpat:sgtin:4012345.044444.*", "(01)04012345444445"),
            ("urn:epc:idpat:upui:4012345.044444.*", "(01)04012345444445"),
            ("urn:epc:idpat:grai:4012345.00022.*", "(8003)04012345000221"),
            ("urn:epc:idpat:gdti:4012345.00009.*", "(253)4012345000092"),
            ("urn:epc:idpat:cpi:0614141.5PQ7%2F.*", "(8010)06141415PQ7/"),
            (
                "urn:epc:idpat:itip:4012345.011111.01.02.*",
                "(8006)040123451111180102",
            ),
        ];
        for (uri, expected) in cases {
            assert_eq!(hri(uri), expected, "{uri}");
        }
        let epc: EpcUri = "urn:epc:id:sgtin:415056789012.0.987654".parse().unwrap();
        assert_eq!(epc.company_prefix_len, 12);
        assert_eq!(epc.value("01"), Some("04150567890128"));
        assert_eq!(epc.value("21"), Some("987654"));
        assert_eq!(epc.value("10"), None);
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!(
            detail("urn:uuid:1234"),
            "not an EPC URI (urn:epc:id:, urn:epc:idpat: or urn:epc:class:)"
        );
        assert_eq!(detail("urn:epc:id:sgtin"), "no ':' after the EPC scheme");
        assert_eq!(detail("urn:epc:id:xyz:1.2"), "unknown EPC scheme");
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.13435.X"),
            "the company prefix and the reference have the wrong number of digits"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:95060.0013435.X"),
            "the company prefix must be 6 to 12 digits"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.013435.A B"),
            "a character EPC URIs do not allow (or that must be percent-escaped)"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.013435.A%2"),
            "a '%' escape needs two hex digits"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.013435.A%20"),
            "a percent escape of a character this part may not hold"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.013435."),
            "a part is empty or too long"
        );
        assert_eq!(
            detail("urn:epc:id:sgtin:9506000.013435.123456789012345678901"),
            "a part is empty or too long"
        );
        assert_eq!(
            detail("urn:epc:id:sscc:4012345.000000033"),
            "the company prefix and the reference have the wrong number of digits"
        );
        assert_eq!(detail("urn:epc:id:sgtin:9506000"), MISSING_DOT);
        assert_eq!(
            detail("urn:epc:idpat:sgtin:9506000.013435"),
            "a pattern must end in '.*'"
        );
        assert_eq!(
            detail("urn:epc:idpat:sscc:9506000.*"),
            "no pattern of this scheme is supported"
        );
        assert_eq!(
            detail("urn:epc:id:lgtin:9506000.013435.L1"),
            "this scheme does not exist in this form"
        );
        assert_eq!(
            detail("urn:epc:class:sgtin:9506000.013435.L1"),
            "this scheme does not exist in this form"
        );
        assert_eq!(
            detail("urn:epc:id:sgcn:4012345.67890.0471A"),
            "a numeric part has the wrong length or a non-digit"
        );
        assert_eq!(
            detail("urn:epc:id:cpi:0614141.ab.1"),
            "a character EPC URIs do not allow (or that must be percent-escaped)"
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for uri in [
            "urn:epc:id:sscc:",
            "urn:epc:id:sscc:.",
            "urn:epc:id:sgtin:..",
            "urn:epc:id:cpi:0614141.1",
            "urn:epc:id:itip:1.2.3.4.5",
            "urn:epc:id:sgtin:9506000.013435.%",
            "urn:epc:id:sgtin:9506000.013435.%é1",
            "urn:epc:idpat:itip:4012345.011111.*",
            "urn:epc:id:giai:4012345.",
        ] {
            assert!(uri.parse::<EpcUri>().is_err(), "{uri}");
        }
    }

    fn gtin() -> impl Strategy<Value = Gtin> {
        "[0-9]{13}".prop_map(|d| Gtin::from_digits_without_check(&d).unwrap())
    }

    fn serial() -> impl Strategy<Value = SerialNumber> {
        "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}".prop_map(|s| s.parse().unwrap())
    }

    proptest! {
        #[test]
        fn sgtin_uri_round_trips(gtin in gtin(), serial in serial(), gcp_len in 6u8..=12) {
            let sgtin = Sgtin { gtin, serial };
            let epc: EpcUri = sgtin.epc_uri(gcp_len).unwrap().parse().unwrap();
            prop_assert_eq!((epc.form, epc.scheme), (EpcUriForm::Id, EpcScheme::Sgtin));
            prop_assert_eq!(epc.company_prefix_len, gcp_len);
            prop_assert_eq!(epc.hri(), sgtin.hri());
            prop_assert_eq!(Sgtin::from_epc_uri(&sgtin.epc_uri(gcp_len).unwrap()).unwrap(), (sgtin, gcp_len));
        }

        #[test]
        fn sgtin_pattern_round_trips(gtin in gtin(), gcp_len in 6u8..=12) {
            let epc: EpcUri = gtin.sgtin_epc_pattern(gcp_len).unwrap().parse().unwrap();
            prop_assert_eq!(epc.form, EpcUriForm::IdPattern);
            prop_assert_eq!(epc.company_prefix_len, gcp_len);
            prop_assert_eq!(epc.value("01"), Some(gtin.as_str()));
        }

        #[test]
        fn sscc_uri_round_trips(prefix in "[0-9]{6,12}", extension in 0u8..=9, reference in 0u64..10_000) {
            let sscc = Sscc::new(&prefix, extension, reference).unwrap();
            let gcp_len = u8::try_from(prefix.len()).unwrap();
            let uri = sscc.epc_uri(gcp_len).unwrap();
            let epc: EpcUri = uri.parse().unwrap();
            prop_assert_eq!(epc.value("00"), Some(sscc.as_str()));
            prop_assert_eq!(Sscc::from_epc_uri(&uri).unwrap(), (sscc, gcp_len));
        }

        #[test]
        fn sgln_uri_round_trips(body in "[0-9]{12}", gcp_len in 6u8..=12, extension in "[0-9A-Za-z/]{1,20}") {
            let gln: Gln = with_check_digit(&body).unwrap().parse().unwrap();
            let epc: EpcUri = gln.sgln_epc_uri(gcp_len, Some(&extension)).unwrap().parse().unwrap();
            prop_assert_eq!(epc.value("414"), Some(gln.as_str()));
            let expected = (extension != "0").then_some(extension.as_str());
            prop_assert_eq!(epc.value("254"), expected);
        }

        #[test]
        fn arbitrary_text_never_panics(body in "[0-9.%A-Za-z/*é]{0,40}", scheme in "(sgtin|sscc|sgln|grai|giai|gsrn|gsrnp|gdti|cpi|sgcn|ginc|gsin|itip|upui|pgln|lgtin)", form in "(id|idpat|class)") {
            let _ = format!("urn:epc:{form}:{scheme}:{body}").parse::<EpcUri>();
        }
    }
}
