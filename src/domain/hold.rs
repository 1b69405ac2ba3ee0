//! Holds (quarantine): a unit, a container with everything in it, or a whole lot that must not
//! be packed, moved or shipped until QA releases it (`docs/automation.md`, "Hold / quarantine").
//!
//! Pure: which active hold covers a unit is decided from the unit, its parent chain and the
//! holds, all passed in.
//!
//! ```
//! use packbench::domain::{Hold, HoldReason, HoldScope, covering_hold};
//! let lot = Hold {
//!     id: 1,
//!     scope: HoldScope::Lot { gtin: "09506000134352".into(), lot: "LOT42".into() },
//!     reason: HoldReason::SuspectProduct,
//!     comment: None,
//!     placed_by: "qa".into(),
//!     placed_ms: 0,
//! };
//! assert_eq!(HoldReason::Recall.disposition(), "recalled");
//! assert_eq!(lot.scope.describe(), "lot LOT42 of GTIN 09506000134352");
//! assert_eq!("investigation".parse::<HoldReason>(), Ok(HoldReason::Investigation));
//! # let _ = covering_hold;
//! ```

use super::UnitView;

/// Why a hold is placed (a controlled list; the free-text comment says more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The product may be defective (a complaint, a deviation on the line).
    SuspectProduct,
    /// Held while something is investigated.
    Investigation,
    /// Physically damaged, waiting for a decision.
    Damaged,
    /// Recalled: the units are held for a recall (disposition `recalled`).
    Recall,
    /// Any other reason (the comment says which).
    Other,
}

impl HoldReason {
    /// Every reason, in the order a list shows them.
    pub const ALL: [HoldReason; 5] = [
        Self::SuspectProduct,
        Self::Investigation,
        Self::Damaged,
        Self::Recall,
        Self::Other,
    ];

    /// The stable code (protocol, database, EPCIS `pb:reason`).
    pub fn code(self) -> &'static str {
        match self {
            Self::SuspectProduct => "suspect_product",
            Self::Investigation => "investigation",
            Self::Damaged => "damaged",
            Self::Recall => "recall",
            Self::Other => "other",
        }
    }

    /// The CBV 2.0 disposition of the hold's ObjectEvent OBSERVE.
    pub fn disposition(self) -> &'static str {
        match self {
            Self::Recall => "recalled",
            _ => "non_sellable_other",
        }
    }
}

/// A hold reason code that is not on the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown hold reason '{input}' (expected suspect_product, investigation, damaged, recall or other)"
)]
pub struct UnknownHoldReason {
    /// The text given.
    pub input: String,
}

impl std::str::FromStr for HoldReason {
    type Err = UnknownHoldReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownHoldReason {
                input: s.to_owned(),
            })
    }
}

/// What a hold covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum HoldScope {
    /// One pack (or a container scanned as a unit at pack level).
    Unit {
        /// Row id of the unit (local; not in the protocol).
        #[serde(skip_serializing)]
        unit_id: i64,
        /// Its bracketed key.
        key: String,
    },
    /// A container and everything in it, down the tree, whatever is packed into it later.
    Container {
        /// Row id of the container (local; not in the protocol).
        #[serde(skip_serializing)]
        unit_id: i64,
        /// Its bracketed key.
        key: String,
    },
    /// Every unit of a GTIN and lot, including units the station has not seen yet.
    Lot {
        /// GTIN-14.
        gtin: String,
        /// Batch / lot.
        lot: String,
    },
}

impl HoldScope {
    /// The stable scope name: `unit`, `container` or `lot`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unit { .. } => "unit",
            Self::Container { .. } => "container",
            Self::Lot { .. } => "lot",
        }
    }

    /// The held unit's row id (unit and container holds).
    pub fn unit_id(&self) -> Option<i64> {
        match self {
            Self::Unit { unit_id, .. } | Self::Container { unit_id, .. } => Some(*unit_id),
            Self::Lot { .. } => None,
        }
    }

    /// Plain English, for details and the audit trail.
    pub fn describe(&self) -> String {
        match self {
            Self::Unit { key, .. } => format!("unit {key}"),
            Self::Container { key, .. } => format!("container {key}"),
            Self::Lot { gtin, lot } => format!("lot {lot} of GTIN {gtin}"),
        }
    }
}

/// An active hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hold {
    /// Row id.
    pub id: i64,
    /// What it covers.
    #[serde(flatten)]
    pub scope: HoldScope,
    /// Why.
    pub reason: HoldReason,
    /// Free-text comment.
    pub comment: Option<String>,
    /// Who signed it (user name).
    pub placed_by: String,
    /// When (UTC ms).
    pub placed_ms: i64,
}

impl Hold {
    /// Whether this hold covers `unit` itself (its own unit/container hold, or its lot); a
    /// hold on an ancestor is found by asking for each ancestor.
    pub fn covers_directly(&self, unit: &UnitView) -> bool {
        match &self.scope {
            HoldScope::Unit { unit_id, .. } | HoldScope::Container { unit_id, .. } => {
                *unit_id == unit.id
            }
            HoldScope::Lot { gtin, lot } => {
                unit.gtin.as_deref() == Some(gtin.as_str()) && unit.lot.as_deref() == Some(lot)
            }
        }
    }
}

/// The first active hold (oldest first, as `holds` is ordered) that covers `unit`: a hold on
/// the unit itself, on one of its `ancestors` (the containers it is in, nearest first), or on
/// its lot.
pub fn covering_hold<'a>(
    unit: &UnitView,
    ancestors: &[UnitView],
    holds: &'a [Hold],
) -> Option<&'a Hold> {
    holds.iter().find(|h| {
        h.covers_directly(unit) || ancestors.iter().any(|a| h.scope.unit_id() == Some(a.id))
    })
}

/// Whether a hold on a lot applies to a pack scanned with this GTIN and lot (a unit the
/// station may not know yet).
pub fn lot_hold<'a>(gtin: &str, lot: Option<&str>, holds: &'a [Hold]) -> Option<&'a Hold> {
    let lot = lot?;
    holds
        .iter()
        .find(|h| matches!(&h.scope, HoldScope::Lot { gtin: g, lot: l } if g == gtin && l == lot))
}

#[cfg(test)]
mod tests {
    use super::super::{Level, UnitStatus};
    use super::*;

    fn unit(id: i64, parent: Option<i64>, lot: Option<&str>) -> UnitView {
        UnitView {
            id,
            key: format!("K{id}"),
            epc: format!("urn:{id}"),
            level: if lot.is_some() {
                Level::Pack
            } else {
                Level::Case
            },
            status: UnitStatus::Active,
            gtin: lot.map(|_| "09506000134352".to_owned()),
            lot: lot.map(str::to_owned),
            expiry: None,
            parent_id: parent,
            published: false,
            state: None,
            child_count: 0,
            capacity: None,
            work_order: None,
        }
    }

    fn hold(id: i64, scope: HoldScope) -> Hold {
        Hold {
            id,
            scope,
            reason: HoldReason::Investigation,
            comment: None,
            placed_by: "qa".into(),
            placed_ms: id,
        }
    }

    #[test]
    fn a_unit_is_held_by_itself_an_ancestor_or_its_lot() {
        let pallet = unit(1, None, None);
        let case = unit(2, Some(1), None);
        let pack = unit(3, Some(2), Some("LOT42"));
        let other_lot = unit(4, Some(2), Some("LOT7"));
        let chain = [case.clone(), pallet.clone()];

        let on_pack = [hold(
            10,
            HoldScope::Unit {
                unit_id: 3,
                key: "K3".into(),
            },
        )];
        assert_eq!(
            covering_hold(&pack, &chain, &on_pack).map(|h| h.id),
            Some(10)
        );
        assert!(covering_hold(&other_lot, &chain, &on_pack).is_none());
        assert!(covering_hold(&case, std::slice::from_ref(&pallet), &on_pack).is_none());

        let on_pallet = [hold(
            11,
            HoldScope::Container {
                unit_id: 1,
                key: "K1".into(),
            },
        )];
        assert_eq!(
            covering_hold(&pack, &chain, &on_pallet).map(|h| h.id),
            Some(11)
        );
        assert_eq!(
            covering_hold(&pallet, &[], &on_pallet).map(|h| h.id),
            Some(11)
        );

        let on_lot = [hold(
            12,
            HoldScope::Lot {
                gtin: "09506000134352".into(),
                lot: "LOT42".into(),
            },
        )];
        assert_eq!(
            covering_hold(&pack, &chain, &on_lot).map(|h| h.id),
            Some(12)
        );
        assert!(covering_hold(&other_lot, &chain, &on_lot).is_none());
        // A container is not held because of its lot (it has none).
        assert!(covering_hold(&case, &[pallet], &on_lot).is_none());
        assert!(covering_hold(&pack, &chain, &[]).is_none());
    }

    #[test]
    fn a_pack_not_seen_yet_is_held_by_its_lot() {
        let holds = [hold(
            5,
            HoldScope::Lot {
                gtin: "09506000134352".into(),
                lot: "LOT42".into(),
            },
        )];
        assert_eq!(
            lot_hold("09506000134352", Some("LOT42"), &holds).map(|h| h.id),
            Some(5)
        );
        assert!(lot_hold("09506000134352", Some("LOT43"), &holds).is_none());
        assert!(lot_hold("09506000134369", Some("LOT42"), &holds).is_none());
        assert!(lot_hold("09506000134352", None, &holds).is_none());
    }

    #[test]
    fn reasons_round_trip_and_map_to_cbv_dispositions() {
        for r in HoldReason::ALL {
            assert_eq!(r.code().parse::<HoldReason>(), Ok(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.code()));
        }
        assert_eq!(HoldReason::Recall.disposition(), "recalled");
        assert_eq!(HoldReason::Damaged.disposition(), "non_sellable_other");
        assert!("melted".parse::<HoldReason>().is_err());
    }
}
