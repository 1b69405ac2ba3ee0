//! Serialised GTIN: the unique identity of one pack.

use std::fmt;

use crate::gs1::epc_uri::{EpcScheme, EpcUri, EpcUriForm};
use crate::gs1::error::Gs1Error;
use crate::gs1::keys::{Gtin, SerialNumber};

/// GTIN + serial number: the identity of one serialised item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sgtin {
    /// The trade item.
    pub gtin: Gtin,
    /// Its serial number.
    pub serial: SerialNumber,
}

impl Sgtin {
    /// The EPC pure identity URI (`urn:epc:id:sgtin:...`), given the company prefix length.
    pub fn epc_uri(&self, company_prefix_len: u8) -> Result<String, Gs1Error> {
        self.gtin.sgtin_epc_uri(&self.serial, company_prefix_len)
    }

    /// Parses an EPC pure identity URI back: the SGTIN and the company prefix length.
    pub fn from_epc_uri(uri: &str) -> Result<(Sgtin, u8), Gs1Error> {
        let epc: EpcUri = uri.parse()?;
        match (epc.form, epc.scheme, epc.elements.as_slice()) {
            (EpcUriForm::Id, EpcScheme::Sgtin, [gtin, serial]) => {
                let sgtin = Sgtin {
                    gtin: gtin.value.parse()?,
                    serial: serial.value.parse()?,
                };
                Ok((sgtin, epc.company_prefix_len))
            }
            _ => Err(Gs1Error::BadEpcUri {
                uri: uri.to_owned(),
                detail: "not an SGTIN identity (urn:epc:id:sgtin:...)",
            }),
        }
    }

    /// The element strings in bracketed form, `(01)...(21)...`.
    pub fn hri(&self) -> String {
        format!("(01){}(21){}", self.gtin, self.serial)
    }

    /// The key the station files this item under: `(01)<GTIN>(21)<serial>`, the same text
    /// as [`Sgtin::hri`] (see [`super::UnitKey`]).
    pub fn unit_key(&self) -> String {
        self.hri()
    }
}

impl fmt::Display for Sgtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hri())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_escaped_serial() {
        let s = Sgtin {
            gtin: "09506000134352".parse().unwrap(),
            serial: "A/B%1".parse().unwrap(),
        };
        let uri = s.epc_uri(7).unwrap();
        assert_eq!(uri, "urn:epc:id:sgtin:9506000.013435.A%2FB%251");
        assert_eq!(Sgtin::from_epc_uri(&uri).unwrap(), (s, 7));
        assert_eq!(
            Sgtin::from_epc_uri("urn:epc:id:sgtin:9506000.13435.X")
                .unwrap_err()
                .code(),
            "BAD_EPC_URI"
        );
        assert_eq!(
            Sgtin::from_epc_uri("urn:epc:id:sgtin:9506000.013435.A B")
                .unwrap_err()
                .code(),
            "BAD_EPC_URI"
        );
        assert_eq!(
            Sgtin::from_epc_uri("urn:epc:id:sscc:0614141.1234567890")
                .unwrap_err()
                .code(),
            "BAD_EPC_URI"
        );
    }
}
