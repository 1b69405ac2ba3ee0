//! Serial Shipping Container Code.

use std::fmt;
use std::str::FromStr;

use super::{check_gcp_len, require_digits, with_check_digit};
use crate::gs1::check_digit::verify_check_digit;
use crate::gs1::epc_uri::{EpcScheme, EpcUri, EpcUriForm};
use crate::gs1::error::Gs1Error;

/// An SSCC: 18 digits (extension digit, company prefix, serial reference, check digit)
/// with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sscc(String);

impl Sscc {
    /// The 18 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the station files this logistic unit under: `(00)<SSCC>` (see
    /// [`super::UnitKey`]).
    pub fn unit_key(&self) -> String {
        format!("(00){}", self.0)
    }

    /// The extension digit (first digit).
    pub fn extension_digit(&self) -> u8 {
        self.0.as_bytes().first().map_or(0, |b| b - b'0')
    }

    /// Creates an SSCC from a GS1 Company Prefix (6 to 12 digits), an extension digit (0-9)
    /// and a serial reference, which must fit the `16 - prefix length` digits left.
    pub fn new(
        company_prefix: &str,
        extension_digit: u8,
        serial_reference: u64,
    ) -> Result<Sscc, Gs1Error> {
        require_digits("SSCC company prefix", company_prefix)?;
        let gcp_len = u8::try_from(company_prefix.len()).unwrap_or(u8::MAX);
        let l = check_gcp_len("SSCC", gcp_len)?;
        if extension_digit > 9 {
            return Err(Gs1Error::BadValue {
                ai: "00".to_owned(),
                position: 0,
                found: extension_digit.to_string(),
                detail: "the extension digit must be 0 to 9",
            });
        }
        let digits = 16 - l;
        let serial = format!("{serial_reference:0digits$}");
        if serial.len() > digits {
            return Err(Gs1Error::SerialReferenceTooLarge {
                found: serial_reference,
                digits,
            });
        }
        Ok(Sscc(with_check_digit(
            "SSCC",
            &format!("{extension_digit}{company_prefix}{serial}"),
        )?))
    }

    /// The EPC pure identity URI:
    /// `urn:epc:id:sscc:{company prefix}.{extension digit}{serial reference}`.
    pub fn epc_uri(&self, company_prefix_len: u8) -> Result<String, Gs1Error> {
        let l = check_gcp_len("SSCC", company_prefix_len)?;
        let d = &self.0;
        Ok(format!(
            "urn:epc:id:sscc:{}.{}{}",
            &d[1..1 + l],
            &d[..1],
            &d[1 + l..17]
        ))
    }

    /// Parses an EPC pure identity URI back: the SSCC and the company prefix length.
    pub fn from_epc_uri(uri: &str) -> Result<(Sscc, u8), Gs1Error> {
        let epc: EpcUri = uri.parse()?;
        match (epc.form, epc.scheme, epc.elements.as_slice()) {
            (EpcUriForm::Id, EpcScheme::Sscc, [sscc]) => {
                Ok((sscc.value.parse()?, epc.company_prefix_len))
            }
            _ => Err(Gs1Error::BadEpcUri {
                uri: uri.to_owned(),
                detail: "not an SSCC identity (urn:epc:id:sscc:...)",
            }),
        }
    }
}

impl FromStr for Sscc {
    type Err = Gs1Error;

    /// Accepts exactly 18 digits with a valid check digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        require_digits("00", s)?;
        if s.len() != 18 {
            return Err(Gs1Error::BadKeyLength {
                key: "SSCC",
                expected: "18",
                found: s.len(),
            });
        }
        verify_check_digit("00", s.as_bytes(), 0)?;
        Ok(Sscc(s.to_owned()))
    }
}

impl fmt::Display for Sscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_and_round_trip() {
        let s = Sscc::new("0614141", 1, 234567890).unwrap();
        assert_eq!(s.as_str(), "106141412345678908");
        assert_eq!(s.extension_digit(), 1);
        let uri = s.epc_uri(7).unwrap();
        assert_eq!(uri, "urn:epc:id:sscc:0614141.1234567890");
        assert_eq!(Sscc::from_epc_uri(&uri).unwrap(), (s.clone(), 7));
        assert_eq!(s, "106141412345678908".parse().unwrap());
    }

    #[test]
    fn rejects() {
        assert_eq!(
            Sscc::new("0614141", 1, 10_000_000_000).unwrap_err().code(),
            "SERIAL_REFERENCE_TOO_LARGE"
        );
        assert_eq!(
            Sscc::new("06141", 1, 1).unwrap_err().code(),
            "BAD_GCP_LENGTH"
        );
        assert_eq!(Sscc::new("0614141", 10, 1).unwrap_err().code(), "BAD_VALUE");
        assert_eq!(
            "106141412345678907".parse::<Sscc>().unwrap_err().code(),
            "CHECK_DIGIT"
        );
        assert_eq!(
            "10614141234567890".parse::<Sscc>().unwrap_err().code(),
            "BAD_KEY_LENGTH"
        );
        assert_eq!(
            Sscc::from_epc_uri("urn:epc:id:sscc:0614141.123")
                .unwrap_err()
                .code(),
            "BAD_EPC_URI"
        );
        assert_eq!(
            Sscc::from_epc_uri("urn:epc:id:sgtin:0614141.1234567890")
                .unwrap_err()
                .code(),
            "BAD_EPC_URI"
        );
    }
}
