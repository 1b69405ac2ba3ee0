//! Identification keys as validated newtypes: once you hold one, it is valid.
//!
//! ```
//! use packbench::gs1::{Gtin, Sscc, SerialNumber, Sgtin};
//! let gtin: Gtin = "9506000134352".parse().unwrap(); // GTIN-13, normalised to 14 digits
//! assert_eq!(gtin.as_str(), "09506000134352");
//! let serial: SerialNumber = "SN0001".parse().unwrap();
//! assert_eq!(
//!     gtin.sgtin_epc_uri(&serial, 7).unwrap(),
//!     "urn:epc:id:sgtin:9506000.013435.SN0001"
//! );
//! let sscc = Sscc::new("0614141", 1, 234567890).unwrap();
//! assert_eq!(sscc.as_str(), "106141412345678908");
//! assert_eq!(sscc.epc_uri(7).unwrap(), "urn:epc:id:sscc:0614141.1234567890");
//! assert_eq!(
//!     gtin.sgtin_epc_pattern(7).unwrap(),
//!     "urn:epc:idpat:sgtin:9506000.013435.*"
//! );
//! let (back, gcp_len) = Sgtin::from_epc_uri("urn:epc:id:sgtin:9506000.013435.SN0001").unwrap();
//! assert_eq!((back.gtin, gcp_len), (gtin, 7));
//! ```

mod expiry;
mod gln;
mod gtin;
mod sgtin;
mod sscc;
mod text;
mod unit_key;

pub use expiry::Expiry;
pub use gln::Gln;
pub use gtin::Gtin;
pub use sgtin::Sgtin;
pub use sscc::Sscc;
pub use text::{Lot, SerialNumber};
pub use unit_key::UnitKey;

use super::check_digit;
use super::error::Gs1Error;

/// Checks that `digits` are all digits; names the key in the error.
fn require_digits(key: &str, digits: &str) -> Result<(), Gs1Error> {
    match digits.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((position, found)) => Err(Gs1Error::NonDigit {
            ai: key.to_owned(),
            position,
            found,
        }),
        None => Ok(()),
    }
}

/// `body` with its GS1 check digit appended; a non-digit in `body` is an error naming `key`.
fn with_check_digit(key: &str, body: &str) -> Result<String, Gs1Error> {
    require_digits(key, body)?;
    // All digits now, so the check digit exists.
    Ok(check_digit::with_check_digit(body).unwrap_or_default())
}

/// Validates a GS1 Company Prefix length for an EPC URI.
fn check_gcp_len(key: &'static str, len: u8) -> Result<usize, Gs1Error> {
    if (6..=12).contains(&len) {
        Ok(usize::from(len))
    } else {
        Err(Gs1Error::BadCompanyPrefixLength {
            key,
            found: usize::from(len),
        })
    }
}

/// Escapes a CSET 82 string for an EPC URI (GS1 Tag Data Standard: `"`, `%`, `&`, `/`,
/// `<`, `>`, `?` are percent-encoded).
fn epc_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '%' | '&' | '/' | '<' | '>' | '?' => {
                out.push_str(&format!("%{:02X}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epc_escaping() {
        assert_eq!(
            epc_escape("a/b%c\"d&e<f>g?h"),
            "a%2Fb%25c%22d%26e%3Cf%3Eg%3Fh"
        );
        assert_eq!(epc_escape("A!'()*+,-.:;=_z"), "A!'()*+,-.:;=_z");
    }
}
