//! Global Location Number.

use std::fmt;
use std::str::FromStr;

use super::{check_gcp_len, epc_escape, require_digits};
use crate::gs1::check_digit::verify_check_digit;
use crate::gs1::error::Gs1Error;

/// A GLN: 13 digits with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gln(String);

impl Gln {
    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SGLN EPC pure identity URI `urn:epc:id:sgln:{company prefix}.{location
    /// reference}.{extension}` (extension `0` when there is none), as used for EPCIS read
    /// points and business locations.
    pub fn sgln_epc_uri(
        &self,
        company_prefix_len: u8,
        extension: Option<&str>,
    ) -> Result<String, Gs1Error> {
        let l = check_gcp_len("GLN", company_prefix_len)?;
        let d = &self.0;
        Ok(format!(
            "urn:epc:id:sgln:{}.{}.{}",
            &d[..l],
            &d[l..12],
            epc_escape(extension.unwrap_or("0"))
        ))
    }
}

impl FromStr for Gln {
    type Err = Gs1Error;

    /// Accepts exactly 13 digits with a valid check digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        require_digits("GLN", s)?;
        if s.len() != 13 {
            return Err(Gs1Error::BadKeyLength {
                key: "GLN",
                expected: "13",
                found: s.len(),
            });
        }
        verify_check_digit("GLN", s.as_bytes(), 0)?;
        Ok(Gln(s.to_owned()))
    }
}

impl fmt::Display for Gln {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gln_and_sgln() {
        let g: Gln = "9506000000015".parse().unwrap();
        assert_eq!(
            g.sgln_epc_uri(7, None).unwrap(),
            "urn:epc:id:sgln:9506000.00001.0"
        );
        assert_eq!(
            g.sgln_epc_uri(12, Some("A1")).unwrap(),
            "urn:epc:id:sgln:950600000001..A1"
        );
        assert_eq!(
            "9506000000016".parse::<Gln>().unwrap_err().code(),
            "CHECK_DIGIT"
        );
    }
}
