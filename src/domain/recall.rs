//! Recall and trace (issue 18), the data: every unit of a lot grouped by the top container
//! that holds it, with its status; and one unit's hierarchy from the top container down to
//! every pack, with each unit's moves. The station fills them from its record; the screens,
//! the CSV and the PDF report draw from them.
//!
//! ```
//! use packbench::domain::{RecallCounts, RecallStatus};
//! let mut c = RecallCounts::default();
//! c.add(RecallStatus::OnHold);
//! c.add(RecallStatus::InStock);
//! assert_eq!((c.on_hold, c.in_stock, c.total()), (1, 1, 2));
//! assert_eq!(RecallStatus::Shipped.as_str(), "shipped");
//! ```

use serde::{Deserialize, Serialize};

/// Where a unit of a recalled lot stands, as the station last knew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallStatus {
    /// Active, not on hold, not shipped: on the shelf here.
    InStock,
    /// Covered by an active hold.
    OnHold,
    /// The last known event of its top container (or itself) is a shipping.
    Shipped,
    /// Decommissioned, destroyed, sampled or rejected.
    Retired,
}

impl RecallStatus {
    /// Stable name (protocol, CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InStock => "in_stock",
            Self::OnHold => "on_hold",
            Self::Shipped => "shipped",
            Self::Retired => "retired",
        }
    }
}

/// Units per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallCounts {
    /// In stock.
    pub in_stock: usize,
    /// On hold.
    pub on_hold: usize,
    /// Shipped.
    pub shipped: usize,
    /// Retired.
    pub retired: usize,
}

impl RecallCounts {
    /// Counts one more unit.
    pub fn add(&mut self, s: RecallStatus) {
        match s {
            RecallStatus::InStock => self.in_stock += 1,
            RecallStatus::OnHold => self.on_hold += 1,
            RecallStatus::Shipped => self.shipped += 1,
            RecallStatus::Retired => self.retired += 1,
        }
    }

    /// All units.
    pub fn total(&self) -> usize {
        self.in_stock + self.on_hold + self.shipped + self.retired
    }
}

/// The last event the station knows of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastEvent {
    /// Event type and action, e.g. `AggregationEvent ADD`.
    pub event: String,
    /// CBV business step (short form, e.g. `packing`).
    pub biz_step: Option<String>,
    /// When (UTC ms).
    pub time_ms: i64,
    /// When, in the station's local time.
    pub local_time: String,
}

/// One unit of the lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallUnit {
    /// Bracketed key.
    pub key: String,
    /// Level.
    pub level: String,
    /// Status as recalled.
    pub status: RecallStatus,
    /// The station's own status (`active`, `decommissioned`, ...).
    pub unit_status: String,
    /// The container it sits in directly.
    pub container: Option<String>,
}

/// The units of the lot in one top container (or all those in no container).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallGroup {
    /// The top container's key; `None` for units in no container.
    pub top: Option<String>,
    /// Its level.
    pub top_level: Option<String>,
    /// Units of the lot in it, per status.
    pub counts: RecallCounts,
    /// The top container's last known event (none for the units in no container).
    pub last_event: Option<LastEvent>,
    /// Whether it must be pulled (it holds units of the lot that are in stock or on hold).
    pub pull: bool,
    /// The units (empty when the request asked for counts only).
    pub units: Vec<RecallUnit>,
}

/// Everything the station knows of a lot, for a recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallReport {
    /// GTIN-14.
    pub gtin: String,
    /// Lot.
    pub lot: String,
    /// Units per status.
    pub counts: RecallCounts,
    /// Top containers by key, then the units in no container.
    pub groups: Vec<RecallGroup>,
    /// The top containers to pull.
    pub containers_to_pull: Vec<String>,
    /// Units of the lot in no container.
    pub loose: usize,
    /// Whether an active hold covers the whole lot.
    pub lot_on_hold: bool,
    /// When it was made (UTC ms).
    pub made_ms: i64,
}

/// One step in a unit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceMove {
    /// When (UTC ms).
    pub time_ms: i64,
    /// When, in the station's local time.
    pub local_time: String,
    /// Who gave the command.
    pub user: String,
    /// The station command (`pack`, `move`, `hold`, ...).
    pub command: String,
    /// What happened: event type and action with its business step.
    pub what: String,
    /// The container it left.
    pub from: Option<String>,
    /// The container it went into.
    pub to: Option<String>,
    /// The supervisor's signature: `Full Name (user): meaning`.
    pub signature: Option<String>,
}

/// A unit in a traced hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceNode {
    /// Bracketed key.
    pub key: String,
    /// EPC URI.
    pub epc: String,
    /// Level.
    pub level: String,
    /// Status.
    pub status: String,
    /// Lot, for packs.
    pub lot: Option<String>,
    /// Whether an active hold covers it.
    pub held: bool,
    /// Its moves, oldest first.
    pub history: Vec<TraceMove>,
    /// What it holds.
    pub children: Vec<TraceNode>,
}

impl TraceNode {
    /// Units in this subtree, itself included.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(TraceNode::count).sum::<usize>()
    }

    /// The node of a key in this subtree.
    pub fn find(&self, key: &str) -> Option<&TraceNode> {
        if self.key == key {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(key))
    }
}

/// A unit traced up to its top container and down to every pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceReport {
    /// The key that was scanned.
    pub scanned: String,
    /// The containers above the scanned unit, nearest first.
    pub path_up: Vec<String>,
    /// The top container (or the unit itself when it is in none), with everything in it.
    pub root: TraceNode,
    /// When it was made (UTC ms).
    pub made_ms: i64,
}
