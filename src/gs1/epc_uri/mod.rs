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

use super::error::Gs1Error;
use super::message::Element;

mod parts;

use parts::{
    Chars, MISSING_DOT, NOT_IN_THIS_FORM, checked, company_prefix, component, digits, gtin, joined,
    prefix_and_ref, prefix_len, split3,
};

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

#[cfg(test)]
mod tests;
