//! AIM symbology identifiers (ISO/IEC 15424) that scanners prefix to their data:
//! `]` + symbology letter + modifier.

/// The symbology a scan came from, by its AIM identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// `]d2`: GS1 DataMatrix (FNC1 in first position).
    Gs1DataMatrix,
    /// `]d1`: DataMatrix without FNC1: plain data, not GS1 element strings.
    DataMatrix,
    /// `]C1`: GS1-128.
    Gs1_128,
    /// `]C0`: Code 128 without FNC1.
    Code128,
    /// `]Q3`: GS1 QR Code.
    Gs1Qr,
    /// `]Q1`: QR Code without FNC1 (e.g. a Digital Link URI).
    Qr,
    /// `]e0`: GS1 DataBar.
    Gs1DataBar,
    /// `]E0`: EAN-13 / UPC-A.
    Ean13,
    /// `]E4`: EAN-8.
    Ean8,
    /// `]J1`: GS1 DotCode.
    Gs1DotCode,
    /// Any other identifier, e.g. `]A0`.
    Other(String),
}

impl Symbology {
    /// Parses the three characters of an AIM identifier (`]d2`).
    pub fn from_aim(id: &str) -> Option<Symbology> {
        let bytes = id.as_bytes();
        if bytes.len() != 3 || bytes[0] != b']' || !bytes[1].is_ascii_alphabetic() {
            return None;
        }
        if !bytes[2].is_ascii_alphanumeric() {
            return None;
        }
        Some(match id {
            "]d2" => Symbology::Gs1DataMatrix,
            "]d1" => Symbology::DataMatrix,
            "]C1" => Symbology::Gs1_128,
            "]C0" => Symbology::Code128,
            "]Q3" => Symbology::Gs1Qr,
            "]Q1" => Symbology::Qr,
            "]e0" => Symbology::Gs1DataBar,
            "]E0" => Symbology::Ean13,
            "]E4" => Symbology::Ean8,
            "]J1" => Symbology::Gs1DotCode,
            other => Symbology::Other(other.to_owned()),
        })
    }

    /// The AIM identifier, e.g. `"]d2"`.
    pub fn aim_id(&self) -> &str {
        match self {
            Symbology::Gs1DataMatrix => "]d2",
            Symbology::DataMatrix => "]d1",
            Symbology::Gs1_128 => "]C1",
            Symbology::Code128 => "]C0",
            Symbology::Gs1Qr => "]Q3",
            Symbology::Qr => "]Q1",
            Symbology::Gs1DataBar => "]e0",
            Symbology::Ean13 => "]E0",
            Symbology::Ean8 => "]E4",
            Symbology::Gs1DotCode => "]J1",
            Symbology::Other(id) => id,
        }
    }

    /// Whether the symbology carries GS1 element strings (FNC1 mode).
    pub fn carries_element_strings(&self) -> bool {
        matches!(
            self,
            Symbology::Gs1DataMatrix
                | Symbology::Gs1_128
                | Symbology::Gs1Qr
                | Symbology::Gs1DataBar
                | Symbology::Gs1DotCode
        )
    }

    /// A readable name, e.g. `GS1 DataMatrix`.
    pub fn name(&self) -> &str {
        match self {
            Symbology::Gs1DataMatrix => "GS1 DataMatrix",
            Symbology::DataMatrix => "DataMatrix",
            Symbology::Gs1_128 => "GS1-128",
            Symbology::Code128 => "Code 128",
            Symbology::Gs1Qr => "GS1 QR Code",
            Symbology::Qr => "QR Code",
            Symbology::Gs1DataBar => "GS1 DataBar",
            Symbology::Ean13 => "EAN-13",
            Symbology::Ean8 => "EAN-8",
            Symbology::Gs1DotCode => "GS1 DotCode",
            Symbology::Other(id) => id,
        }
    }
}

impl std::fmt::Display for Symbology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.aim_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_known_identifiers() {
        for id in [
            "]d2", "]d1", "]C1", "]C0", "]Q3", "]Q1", "]e0", "]E0", "]E4", "]J1", "]A0",
        ] {
            let s = Symbology::from_aim(id).unwrap();
            assert_eq!(s.aim_id(), id);
        }
        assert!(Symbology::from_aim("]d").is_none());
        assert!(Symbology::from_aim("d2x").is_none());
        assert!(Symbology::Gs1DataMatrix.carries_element_strings());
        assert!(!Symbology::DataMatrix.carries_element_strings());
    }
}
