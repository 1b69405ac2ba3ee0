//! Serial numbers and lots: CSET 82 strings of 1 to 20 characters.

use std::fmt;
use std::str::FromStr;

use crate::gs1::ai;
use crate::gs1::error::Gs1Error;
use crate::gs1::validate::validate_value;

fn validate_as(ai_code: &str, s: &str) -> Result<(), Gs1Error> {
    match ai::lookup(ai_code) {
        Some(entry) => validate_value(entry, ai_code, s),
        None => Err(Gs1Error::UnknownAi {
            ai: ai_code.to_owned(),
            position: 0,
        }),
    }
}

/// A serial number, AI (21): 1 to 20 characters of CSET 82.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNumber(String);

impl SerialNumber {
    /// The serial as carried in the barcode.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SerialNumber {
    type Err = Gs1Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_as("21", s)?;
        Ok(SerialNumber(s.to_owned()))
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A batch or lot number, AI (10): 1 to 20 characters of CSET 82.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lot(String);

impl Lot {
    /// The lot as carried in the barcode.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Lot {
    type Err = Gs1Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_as("10", s)?;
        Ok(Lot(s.to_owned()))
    }
}

impl fmt::Display for Lot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cset82_up_to_20() {
        assert!("aB3-/.%&*+,:;<=>?_!".parse::<SerialNumber>().is_ok());
        assert_eq!(
            "".parse::<SerialNumber>().unwrap_err().code(),
            "EMPTY_VALUE"
        );
        assert_eq!("SN 1".parse::<SerialNumber>().unwrap_err().code(), "CSET82");
        assert_eq!(
            "A".repeat(21).parse::<Lot>().unwrap_err().code(),
            "TOO_LONG"
        );
        assert_eq!("LOT42".parse::<Lot>().unwrap().as_str(), "LOT42");
    }
}
