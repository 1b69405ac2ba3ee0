//! Expiry dates, AI (17): YYMMDD where day 00 means the end of the month.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::gs1::error::Gs1Error;
use crate::gs1::linters::{days_in_month, year_from_yy};
use crate::gs1::{ai, validate};

/// A valid expiry date YYMMDD (day `00` allowed: end of month).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expiry(String);

fn two(s: &str, at: usize) -> u8 {
    s.as_bytes()
        .get(at..at + 2)
        .map_or(0, |d| (d[0] - b'0') * 10 + (d[1] - b'0'))
}

impl Expiry {
    /// The date as carried in the barcode, `YYMMDD`.
    pub fn as_yymmdd(&self) -> &str {
        &self.0
    }

    /// The full year (GS1 sliding century window).
    pub fn year(&self) -> i32 {
        year_from_yy(two(&self.0, 0))
    }

    /// The month, 1-12.
    pub fn month(&self) -> u8 {
        two(&self.0, 2)
    }

    /// The day as written: 1-31, or 0 for "end of month".
    pub fn day(&self) -> u8 {
        two(&self.0, 4)
    }

    /// The last day the product may be used: (year, month, day), day 00 resolved to the
    /// last day of the month.
    pub fn last_valid_date(&self) -> (i32, u8, u8) {
        let (y, m, d) = (self.year(), self.month(), self.day());
        let d = if d == 0 { days_in_month(y, m) } else { d };
        (y, m, d)
    }

    /// ISO 8601 date of [`Expiry::last_valid_date`], e.g. `2027-12-31`.
    pub fn iso_date(&self) -> String {
        let (y, m, d) = self.last_valid_date();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Expiry {
    type Err = Gs1Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let entry = ai::lookup("17").ok_or_else(|| Gs1Error::UnknownAi {
            ai: "17".to_owned(),
            position: 0,
        })?;
        validate::validate_value(entry, "17", s)?;
        Ok(Expiry(s.to_owned()))
    }
}

impl PartialOrd for Expiry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Expiry {
    /// Orders by the last valid date.
    fn cmp(&self, other: &Self) -> Ordering {
        self.last_valid_date()
            .cmp(&other.last_valid_date())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_zero_is_end_of_month() {
        let e: Expiry = "280200".parse().unwrap();
        assert_eq!((e.year(), e.month(), e.day()), (2028, 2, 0));
        assert_eq!(e.last_valid_date(), (2028, 2, 29));
        assert_eq!(e.iso_date(), "2028-02-29");
        let f: Expiry = "280229".parse().unwrap();
        assert_eq!(e.cmp(&f), Ordering::Less); // same last day: ties broken by the text
        assert!("271231".parse::<Expiry>().unwrap() < f);
        assert_eq!("270229".parse::<Expiry>().unwrap_err().code(), "BAD_DATE");
        assert_eq!("2712".parse::<Expiry>().unwrap_err().code(), "TOO_SHORT");
        assert_eq!("271231".parse::<Expiry>().unwrap().as_yymmdd(), "271231");
    }
}
