//! Units (packs, cases, pallets) as the station sees them.

use super::Level;
use serde::{Deserialize, Serialize};

/// Life-cycle status of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Commissioned and usable.
    Active,
    /// Decommissioned (identifier no longer valid).
    Decommissioned,
    /// Destroyed.
    Destroyed,
    /// Taken as a QA sample.
    Sampled,
    /// Rejected at inspection.
    Rejected,
}

impl UnitStatus {
    /// Stable name used in the database and the protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Decommissioned => "decommissioned",
            Self::Destroyed => "destroyed",
            Self::Sampled => "sampled",
            Self::Rejected => "rejected",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Active,
            Self::Decommissioned,
            Self::Destroyed,
            Self::Sampled,
            Self::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether the unit may still be packed, moved or shipped.
    pub fn is_active(self) -> bool {
        self == Self::Active
    }

    /// Whether seeing this unit again is suspicious (it should not physically exist any more).
    pub fn is_gone(self) -> bool {
        matches!(self, Self::Destroyed | Self::Decommissioned)
    }
}

/// Whether a container still accepts children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerState {
    /// Being filled.
    Open,
    /// Closed (its aggregation was published).
    Closed,
    /// Put aside partly filled (end of shift, waiting for material): accepts nothing until it
    /// is scanned again and resumed.
    Suspended,
}

impl ContainerState {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Suspended => "suspended",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// A snapshot of one unit, as loaded from the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitView {
    /// Row id in the local database.
    #[serde(skip)]
    pub id: i64,
    /// EPC pure identity URI (`urn:epc:id:sgtin:...` or `urn:epc:id:sscc:...`).
    pub epc: String,
    /// GS1 element string of the key in bracketed form, e.g. `(01)...(21)...` or `(00)...`.
    pub key: String,
    /// Packaging level.
    pub level: Level,
    /// Status.
    pub status: UnitStatus,
    /// GTIN for packs and SGTIN-identified cases.
    pub gtin: Option<String>,
    /// Batch/lot.
    pub lot: Option<String>,
    /// Expiry YYMMDD.
    pub expiry: Option<String>,
    /// Row id of the parent container.
    #[serde(skip)]
    pub parent_id: Option<i64>,
    /// Whether the ADD of this unit to its current parent was published as an EPCIS event.
    #[serde(skip)]
    pub published: bool,
    /// Container state (containers only).
    pub state: Option<ContainerState>,
    /// Number of direct children (containers only).
    pub child_count: u32,
    /// Capacity from the work order's packaging spec (containers only).
    pub capacity: Option<u32>,
    /// The work order the unit belongs to, if any.
    pub work_order: Option<String>,
}

impl UnitView {
    /// Whether this unit is a container (case level or above).
    pub fn is_container(&self) -> bool {
        self.level >= Level::Case
    }
}
