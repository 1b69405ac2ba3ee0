//! The key the station files a unit under: the bracketed element string of its identity,
//! `(00)<SSCC>` for a logistic unit and `(01)<GTIN>(21)<serial>` for a serialised item. Lot,
//! expiry and whatever else the symbol carries are not part of it, so every scan of one unit
//! gives the same key.
//!
//! ```
//! use packbench::gs1::{Sgtin, Sscc, UnitKey};
//! let sscc: Sscc = "095060000000000015".parse().unwrap();
//! assert_eq!(sscc.unit_key(), "(00)095060000000000015");
//! let key: UnitKey = "(01)09506000134352(21)A1".parse().unwrap();
//! assert_eq!(key.sgtin().map(Sgtin::unit_key).as_deref(), Some("(01)09506000134352(21)A1"));
//! assert_eq!(key.to_string(), "(01)09506000134352(21)A1");
//! assert_eq!("(01)9506000134352(21)A1".parse::<UnitKey>().unwrap_err().code(), "BAD_UNIT_KEY");
//! ```

use std::fmt;
use std::str::FromStr;

use crate::gs1::error::Gs1Error;
use crate::gs1::keys::{Sgtin, Sscc};

/// The identity a unit is filed under: an SSCC or a serialised GTIN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKey {
    /// A logistic unit: `(00)<SSCC>`.
    Sscc(Sscc),
    /// A serialised trade item: `(01)<GTIN-14>(21)<serial>`.
    Sgtin(Sgtin),
}

impl UnitKey {
    /// The SSCC, for a logistic unit.
    pub fn sscc(&self) -> Option<&Sscc> {
        match self {
            Self::Sscc(sscc) => Some(sscc),
            Self::Sgtin(_) => None,
        }
    }

    /// The GTIN and serial, for a serialised trade item.
    pub fn sgtin(&self) -> Option<&Sgtin> {
        match self {
            Self::Sgtin(sgtin) => Some(sgtin),
            Self::Sscc(_) => None,
        }
    }
}

impl From<Sscc> for UnitKey {
    fn from(sscc: Sscc) -> Self {
        Self::Sscc(sscc)
    }
}

impl From<Sgtin> for UnitKey {
    fn from(sgtin: Sgtin) -> Self {
        Self::Sgtin(sgtin)
    }
}

impl fmt::Display for UnitKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sscc(sscc) => f.write_str(&sscc.unit_key()),
            Self::Sgtin(sgtin) => f.write_str(&sgtin.unit_key()),
        }
    }
}

impl FromStr for UnitKey {
    type Err = Gs1Error;

    /// Reads exactly the form [`fmt::Display`] writes (a GTIN of 14 digits, nothing after the
    /// serial but the serial), so that a key read back compares equal to the one written.
    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let bad = |detail| Gs1Error::BadUnitKey {
            key: key.to_owned(),
            detail,
        };
        if let Some(digits) = key.strip_prefix("(00)") {
            return Ok(Self::Sscc(digits.parse()?));
        }
        let rest = key
            .strip_prefix("(01)")
            .ok_or_else(|| bad("a unit key starts with (00) or (01)"))?;
        let (gtin, serial) = match (rest.get(..14), rest.get(14..)) {
            (Some(gtin), Some(tail)) => (gtin, tail.strip_prefix("(21)")),
            _ => (rest, None),
        };
        let serial = serial.ok_or_else(|| bad("(01) needs a GTIN of 14 digits and then (21)"))?;
        Ok(Self::Sgtin(Sgtin {
            gtin: gtin.parse()?,
            serial: serial.parse()?,
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::gs1::{ParseOptions, parse};
    use proptest::prelude::*;

    #[test]
    fn reads_back_what_it_writes() {
        for key in [
            "(00)095060000000000015",
            "(01)09506000134352(21)A1",
            "(01)09506000134352(21)(21)x",
            "(01)09506000134352(21)a/b%c",
        ] {
            let parsed: UnitKey = key.parse().unwrap();
            assert_eq!(parsed.to_string(), key);
        }
    }

    #[test]
    fn rejects_with_the_key_named() {
        let err = |key: &str| key.parse::<UnitKey>().unwrap_err();
        assert_eq!(
            err("095060000000000015"),
            Gs1Error::BadUnitKey {
                key: "095060000000000015".to_owned(),
                detail: "a unit key starts with (00) or (01)",
            }
        );
        assert_eq!(err("(01)09506000134352").code(), "BAD_UNIT_KEY");
        assert_eq!(err("(01)09506000134352(10)L1").code(), "BAD_UNIT_KEY");
        assert_eq!(err("(01)0950600013435").code(), "BAD_UNIT_KEY");
        assert_eq!(err("(01)09506000134353(21)A").code(), "CHECK_DIGIT");
        assert_eq!(err("(00)095060000000000016").code(), "CHECK_DIGIT");
        assert_eq!(err("(00)0950600000000000151").code(), "BAD_KEY_LENGTH");
        assert_eq!(err("(01)09506000134352(21)").code(), "EMPTY_VALUE");
    }

    #[test]
    fn a_scan_gives_the_key_of_its_unit() {
        let key = |scan: &str| {
            parse(scan, &ParseOptions::default())
                .unwrap()
                .unit_key()
                .map(|k| k.to_string())
        };
        assert_eq!(
            key("]d20109506000134352172712311042\u{1d}21A1").as_deref(),
            Some("(01)09506000134352(21)A1")
        );
        // An SSCC wins over a GTIN on the same label.
        assert_eq!(
            key("(00)095060000000000015(02)09506000134352(37)20").as_deref(),
            Some("(00)095060000000000015")
        );
        assert_eq!(key("(01)09506000134352(10)L1"), None);
    }

    proptest! {
        #[test]
        fn sgtin_keys_round_trip(d13 in "[0-9]{13}", serial in "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}") {
            let sgtin = Sgtin {
                gtin: crate::gs1::Gtin::from_digits_without_check(&d13).unwrap(),
                serial: serial.parse().unwrap(),
            };
            let key: UnitKey = sgtin.unit_key().parse().unwrap();
            prop_assert_eq!(key, UnitKey::Sgtin(sgtin));
        }

        #[test]
        fn sscc_keys_round_trip(prefix in "[0-9]{6,12}", extension in 0u8..=9, reference in 0u64..10_000) {
            let sscc = Sscc::new(&prefix, extension, reference).unwrap();
            let key: UnitKey = sscc.unit_key().parse().unwrap();
            prop_assert_eq!(key, UnitKey::Sscc(sscc));
        }
    }
}
