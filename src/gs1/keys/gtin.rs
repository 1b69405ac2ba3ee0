//! Global Trade Item Number.

use std::fmt;
use std::str::FromStr;

use super::{check_gcp_len, epc_escape, require_digits, with_check_digit};
use crate::gs1::check_digit::verify_check_digit;
use crate::gs1::error::Gs1Error;
use crate::gs1::keys::SerialNumber;

/// A GTIN, normalised to 14 digits (GTIN-8/12/13 are left-padded with zeros); the check
/// digit is verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin(String);

impl Gtin {
    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The indicator digit (packaging level: 0 = base unit, 1-8 = higher levels, 9 = variable
    /// measure).
    pub fn indicator(&self) -> u8 {
        self.0.as_bytes().first().map_or(0, |b| b - b'0')
    }

    /// Builds a GTIN-14 from its 13 digits without the check digit, computing the check digit.
    pub fn from_digits_without_check(d13: &str) -> Result<Gtin, Gs1Error> {
        require_digits("GTIN", d13)?;
        if d13.len() != 13 {
            return Err(Gs1Error::BadKeyLength {
                key: "GTIN",
                expected: "13 (without check digit)",
                found: d13.len(),
            });
        }
        Ok(Gtin(with_check_digit("GTIN", d13)?))
    }

    /// The GS1 Company Prefix, given its length (6 to 12).
    pub fn company_prefix(&self, company_prefix_len: u8) -> Result<&str, Gs1Error> {
        let l = check_gcp_len("GTIN", company_prefix_len)?;
        Ok(&self.0[1..1 + l])
    }

    /// The EPC pure identity URI of this GTIN with `serial`:
    /// `urn:epc:id:sgtin:{company prefix}.{indicator}{item reference}.{serial}`.
    pub fn sgtin_epc_uri(
        &self,
        serial: &SerialNumber,
        company_prefix_len: u8,
    ) -> Result<String, Gs1Error> {
        Ok(format!(
            "urn:epc:id:sgtin:{}.{}",
            self.epc_class(company_prefix_len)?,
            epc_escape(serial.as_str())
        ))
    }

    /// The EPC pattern of every SGTIN of this GTIN:
    /// `urn:epc:idpat:sgtin:{company prefix}.{indicator}{item reference}.*`.
    pub fn sgtin_epc_pattern(&self, company_prefix_len: u8) -> Result<String, Gs1Error> {
        Ok(format!(
            "urn:epc:idpat:sgtin:{}.*",
            self.epc_class(company_prefix_len)?
        ))
    }

    /// `{company prefix}.{indicator}{item reference}`, the GTIN part of its EPC URIs.
    fn epc_class(&self, company_prefix_len: u8) -> Result<String, Gs1Error> {
        let l = check_gcp_len("GTIN", company_prefix_len)?;
        let d = &self.0;
        Ok(format!("{}.{}{}", &d[1..1 + l], &d[..1], &d[1 + l..13]))
    }
}

impl FromStr for Gtin {
    type Err = Gs1Error;

    /// Accepts 8, 12, 13 or 14 digits with a valid check digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        require_digits("01", s)?;
        if !matches!(s.len(), 8 | 12 | 13 | 14) {
            return Err(Gs1Error::BadKeyLength {
                key: "GTIN",
                expected: "8, 12, 13 or 14",
                found: s.len(),
            });
        }
        let padded = format!("{s:0>14}");
        verify_check_digit("01", padded.as_bytes(), 0)?;
        Ok(Gtin(padded))
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_checks() {
        assert_eq!(
            "95012346".parse::<Gtin>().unwrap().as_str(),
            "00000095012346"
        );
        assert_eq!(
            "614141000036".parse::<Gtin>().unwrap().as_str(),
            "00614141000036"
        );
        let g: Gtin = "19506000134359".parse().unwrap();
        assert_eq!(g.indicator(), 1);
        assert_eq!(
            "09506000134353".parse::<Gtin>().unwrap_err().to_string(),
            "AI (01): check digit at position 13 should be '2', found '3'"
        );
        assert_eq!(
            "123456789".parse::<Gtin>().unwrap_err().code(),
            "BAD_KEY_LENGTH"
        );
        assert_eq!(
            "0950600013435X".parse::<Gtin>().unwrap_err().code(),
            "NON_DIGIT"
        );
        assert_eq!(
            Gtin::from_digits_without_check("0950600013435")
                .unwrap()
                .as_str(),
            "09506000134352"
        );
    }

    #[test]
    fn epc_uri_follows_the_tag_data_standard_example() {
        // TDS example: GTIN 80614141123458, serial 6789, company prefix 0614141.
        let g: Gtin = "80614141123458".parse().unwrap();
        let s: SerialNumber = "6789".parse().unwrap();
        assert_eq!(
            g.sgtin_epc_uri(&s, 7).unwrap(),
            "urn:epc:id:sgtin:0614141.812345.6789"
        );
        assert_eq!(g.sgtin_epc_uri(&s, 5).unwrap_err().code(), "BAD_GCP_LENGTH");
        assert_eq!(
            g.sgtin_epc_pattern(7).unwrap(),
            "urn:epc:idpat:sgtin:0614141.812345.*"
        );
        assert_eq!(g.company_prefix(7).unwrap(), "0614141");
    }
}
