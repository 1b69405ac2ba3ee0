//! The owner of the work orders' business transactions (issue 14 §4).
//!
//! Every event names its work order as a `prodorder` business transaction. CBV 2.0 (§8.5) writes
//! a business transaction ID as `urn:epcglobal:cbv:bt:<GLN>:<id>`: the GLN-13 of the party that
//! owns the transaction, then its own ID. The GLN is the station setting `owner_gln`; when that is
//! not set, the GLN of the site's business location (`biz_location`, an SGLN) — the party that
//! runs the packing; when neither is set, there is no owner to name and the events carry no
//! business transaction (the station does not invent one), which `status` and the settings
//! screen say.
//!
//! ```
//! use packbench::station::OwnerGln;
//! let owner = OwnerGln::resolve(None, Some("urn:epc:id:sgln:9506000.00000.0"));
//! assert_eq!(owner.gln(), Some("9506000000008"));
//! assert_eq!(
//!     owner.biz_transaction("WO-1").as_deref(),
//!     Some("urn:epcglobal:cbv:bt:9506000000008:WO-1")
//! );
//! assert_eq!(OwnerGln::resolve(None, None).biz_transaction("WO-1"), None);
//! ```

use crate::gs1::Gln;
use crate::gs1::epc_uri::{EpcScheme, EpcUri};

/// The setting that names the owner's GLN.
pub const OWNER_GLN_SETTING: &str = "owner_gln";

/// Whose GLN the work orders' business transactions carry, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum OwnerGln {
    /// The `owner_gln` setting.
    Setting {
        /// GLN-13.
        gln: String,
    },
    /// Not set: the GLN of the `biz_location` SGLN.
    BizLocation {
        /// GLN-13 (check digit computed).
        gln: String,
        /// The SGLN it comes from.
        biz_location: String,
    },
    /// Neither is set: events carry no work-order business transaction.
    #[default]
    Missing,
}

impl OwnerGln {
    /// The owner from the settings: `owner_gln` (an empty value is "not set"), else the GLN of
    /// `biz_location`, else none.
    pub fn resolve(owner_gln: Option<&str>, biz_location: Option<&str>) -> Self {
        if let Some(gln) = owner_gln
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .and_then(|g| g.parse::<Gln>().ok())
        {
            return Self::Setting {
                gln: gln.as_str().to_owned(),
            };
        }
        let from_location = biz_location.and_then(|uri| {
            let epc = uri.parse::<EpcUri>().ok()?;
            (epc.scheme == EpcScheme::Sgln)
                .then(|| epc.value("414").map(str::to_owned))
                .flatten()
        });
        match (from_location, biz_location) {
            (Some(gln), Some(uri)) => Self::BizLocation {
                gln,
                biz_location: uri.to_owned(),
            },
            _ => Self::Missing,
        }
    }

    /// The GLN-13, when there is one.
    pub fn gln(&self) -> Option<&str> {
        match self {
            Self::Setting { gln } | Self::BizLocation { gln, .. } => Some(gln),
            Self::Missing => None,
        }
    }

    /// The business transaction ID of a work order: `urn:epcglobal:cbv:bt:<GLN>:<id>`.
    pub fn biz_transaction(&self, order_id: &str) -> Option<String> {
        self.gln()
            .map(|gln| format!("urn:epcglobal:cbv:bt:{gln}:{order_id}"))
    }
}

/// Checks a value for the `owner_gln` setting: a GLN-13 with its check digit, or empty (not
/// set). The error names what was expected and found.
pub(crate) fn check_owner_gln(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    value.parse::<Gln>().map(|_| ()).map_err(|e| {
        format!(
            "owner_gln must be a GLN-13 with its check digit (or empty), got '{value}': {}: {e}",
            e.code()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_wins_then_the_business_location() {
        let loc = Some("urn:epc:id:sgln:9506000.00000.0");
        assert_eq!(
            OwnerGln::resolve(Some("9506000000015"), loc),
            OwnerGln::Setting {
                gln: "9506000000015".to_owned()
            }
        );
        assert_eq!(
            OwnerGln::resolve(Some(""), loc),
            OwnerGln::BizLocation {
                gln: "9506000000008".to_owned(),
                biz_location: "urn:epc:id:sgln:9506000.00000.0".to_owned()
            }
        );
        // A 12-digit company prefix and an extension: the GLN is the 12 digits + check.
        assert_eq!(
            OwnerGln::resolve(None, Some("urn:epc:id:sgln:950600000001..A1")).gln(),
            Some("9506000000015")
        );
        assert_eq!(OwnerGln::resolve(None, None), OwnerGln::Missing);
        assert_eq!(
            OwnerGln::resolve(None, Some("not a uri")),
            OwnerGln::Missing
        );
    }

    #[test]
    fn the_business_transaction_follows_the_cbv_template() {
        let owner = OwnerGln::Setting {
            gln: "9506000000015".to_owned(),
        };
        assert_eq!(
            owner.biz_transaction("WO-2024-0042").as_deref(),
            Some("urn:epcglobal:cbv:bt:9506000000015:WO-2024-0042")
        );
        assert_eq!(OwnerGln::Missing.biz_transaction("WO-1"), None);
    }

    #[test]
    fn only_a_gln_with_its_check_digit_is_a_setting() {
        assert_eq!(check_owner_gln("9506000000015"), Ok(()));
        assert_eq!(check_owner_gln(""), Ok(()));
        let err = check_owner_gln("9506000000016").unwrap_err();
        assert!(
            err.contains("CHECK_DIGIT") && err.contains("9506000000016"),
            "{err}"
        );
        assert!(
            check_owner_gln("950600000001")
                .unwrap_err()
                .contains("BAD_KEY_LENGTH")
        );
        assert!(
            check_owner_gln("95060000000AB")
                .unwrap_err()
                .contains("NON_DIGIT")
        );
    }
}
