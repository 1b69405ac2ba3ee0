//! The aggregation domain: units, levels, packaging specs, work orders, the rules a scan must pass
//! (`docs/architecture.md` §9) and the stable reason codes of every refusal.
//!
//! Pure: no I/O, no clock (times are passed in as milliseconds since the Unix epoch), no threads.
//!
//! ```
//! use packbench::domain::{Level, PackagingSpec};
//! let spec = PackagingSpec::new(&[(Level::Case, 20), (Level::Pallet, 40)]).unwrap();
//! assert_eq!(spec.capacity(Level::Case), Some(20));
//! assert_eq!(spec.parent_level(Level::Pack), Some(Level::Case));
//! assert_eq!(spec.parent_level(Level::Pallet), None);
//! ```

mod closeout;
mod hold;
mod level;
mod reason;
mod recall;
mod rules;
mod targeting;
mod unit;
mod vrs;
mod work_order;

pub use closeout::{
    Basis, ContainerLine, KeyList, LevelTotals, NotAddingUp, OrderCloseout, OrderClosing,
    OrderStatus, OrderUnit, Reconciliation, SerialBreakdown, ShortContainer, SignatureRecord,
    check_closeable,
};
pub use hold::{Hold, HoldReason, HoldScope, UnknownHoldReason, covering_hold, lot_hold};
pub use level::{Level, LevelError, PackagingSpec};
pub use reason::{ReasonCode, Refusal, Severity};
pub use recall::{
    LastEvent, RecallCounts, RecallGroup, RecallReport, RecallStatus, RecallUnit, TraceMove,
    TraceNode, TraceReport,
};
pub use rules::{
    ExpiryCheck, PlacementCheck, check_expiry, check_placement, check_product, days_from_civil,
    end_of_month_day,
};
pub use targeting::{Filling, LabelState, PackScan, Targeting, target};
pub use unit::{ContainerState, UnitStatus, UnitView};
pub use vrs::{ExpFormat, VrsAnswer, VrsAnswerError, VrsFailure, parse_vrs_answer};
pub use work_order::{Product, WorkOrder};

/// Reasons a supervisor gives when taking a unit out of the supply chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// Physically damaged.
    Damaged,
    /// Pulled for quality assurance.
    QaSample,
    /// Destroyed.
    Destroyed,
    /// Stolen or missing.
    Stolen,
    /// Rejected at inspection (wrong print, unreadable code, ...).
    Rejected,
    /// Past its expiry date.
    Expired,
    /// Its SSCC label was replaced (relabel).
    Relabelled,
    /// Any other reason (the free-text comment says which).
    Other,
}

impl RemovalReason {
    /// The stable code written into EPCIS extension fields and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::Damaged => "damaged",
            Self::QaSample => "qa_sample",
            Self::Destroyed => "destroyed",
            Self::Stolen => "stolen",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Relabelled => "relabelled",
            Self::Other => "other",
        }
    }
}

/// What a decommission-like action does to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetireKind {
    /// Decommission: the identifier is no longer valid (CBV `decommissioning`, disposition `inactive`).
    Decommission,
    /// Destroy (CBV `destroying`, disposition `destroyed`).
    Destroy,
    /// Take a QA sample (CBV `sampling`, disposition `non_sellable_other`).
    Sample,
    /// Reject (CBV `decommissioning`, disposition `inactive`, reason `rejected`).
    Reject,
}

impl RetireKind {
    /// The status the unit ends in.
    pub fn resulting_status(self) -> UnitStatus {
        match self {
            Self::Decommission => UnitStatus::Decommissioned,
            Self::Destroy => UnitStatus::Destroyed,
            Self::Sample => UnitStatus::Sampled,
            Self::Reject => UnitStatus::Rejected,
        }
    }

    /// The CBV 2.0 business step of the ObjectEvent DELETE.
    pub fn biz_step(self) -> &'static str {
        match self {
            Self::Decommission | Self::Reject => "decommissioning",
            Self::Destroy => "destroying",
            Self::Sample => "sampling",
        }
    }

    /// The CBV 2.0 disposition of the ObjectEvent DELETE.
    pub fn disposition(self) -> &'static str {
        match self {
            Self::Decommission | Self::Reject => "inactive",
            Self::Destroy => "destroyed",
            Self::Sample => "non_sellable_other",
        }
    }

    /// The meaning of the supervisor's signature for this action.
    pub fn signature_meaning(self) -> &'static str {
        match self {
            Self::Decommission => "approve decommission",
            Self::Destroy => "approve destruction",
            Self::Sample => "approve QA sample",
            Self::Reject => "approve reject",
        }
    }
}
