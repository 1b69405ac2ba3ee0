//! What a contents check shows (`station/verify.rs`): each unit's class, the counts, and the
//! live tree marked seen / missing / extra / other container / wrong batch.

use super::tree::{TreeNode, TreeSnapshot};
use crate::domain::{Level, ReasonCode};
use serde::Serialize;

/// How a unit stands in a contents check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyClass {
    /// In the record, scanned.
    Seen,
    /// In the record, not scanned.
    Missing,
    /// Scanned, loose in the record: joins on confirm.
    Extra,
    /// Scanned, in another container in the record: joins on confirm only with `move_foreign`.
    Foreign,
    /// Scanned, another GTIN or batch than the container's: never added, reported.
    WrongLot,
}

impl VerifyClass {
    /// Stable name (`seen`, `missing`, `extra`, `foreign`, `wrong_lot`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seen => "seen",
            Self::Missing => "missing",
            Self::Extra => "extra",
            Self::Foreign => "foreign",
            Self::WrongLot => "wrong_lot",
        }
    }

    /// The verdict of a scan of this class.
    pub(super) fn code(self) -> ReasonCode {
        match self {
            Self::Seen | Self::Missing => ReasonCode::Ok,
            Self::Extra => ReasonCode::VerifyExtra,
            Self::Foreign => ReasonCode::VerifyForeign,
            Self::WrongLot => ReasonCode::VerifyWrongLot,
        }
    }
}

/// One unit of a contents check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyItem {
    /// Bracketed GS1 key.
    pub key: String,
    /// EPC URI.
    pub epc: String,
    /// How it stands.
    pub class: VerifyClass,
    /// The container the record has it in (foreign units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// GTIN (wrong-lot packs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// Batch (wrong-lot packs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Row id of the unit in the station, when it knows it.
    #[serde(skip)]
    pub(crate) id: Option<i64>,
}

/// Counts of a contents check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VerifyCounts {
    /// Children in the record.
    pub expected: u32,
    /// Distinct units scanned.
    pub scanned: u32,
    /// Children in the record that were scanned.
    pub seen: u32,
    /// Children in the record not scanned.
    pub missing: u32,
    /// Loose units scanned.
    pub extra: u32,
    /// Units of other containers scanned.
    pub foreign: u32,
    /// Packs of another GTIN or batch scanned.
    pub wrong_lot: u32,
}

/// The state of a contents check: the view model of the GUI and the protocol's `data.verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyView {
    /// The container checked (bracketed key).
    pub container: String,
    /// Its EPC.
    pub epc: String,
    /// Its level.
    pub level: &'static str,
    /// `open` or `closed`.
    pub state: Option<&'static str>,
    /// The counts.
    pub counts: VerifyCounts,
    /// The record's children (seen or missing, in the record's order), then the other scans in
    /// scan order.
    pub items: Vec<VerifyItem>,
}

impl VerifyView {
    /// Whether anything differs between the record and what was scanned.
    pub fn differs(&self) -> bool {
        let c = &self.counts;
        c.missing + c.extra + c.foreign + c.wrong_lot > 0
    }

    pub(super) fn of(&self, class: VerifyClass) -> impl Iterator<Item = &VerifyItem> {
        self.items.iter().filter(move |i| i.class == class)
    }

    /// The rows of the live tree: the container, then one row per item, marked with its class.
    pub fn tree(&self) -> TreeSnapshot {
        let mut nodes = Vec::with_capacity(self.items.len() + 1);
        nodes.push(TreeNode {
            key: self.container.clone(),
            level: self.level,
            status: "active",
            depth: 0,
            count: self.counts.expected,
            capacity: None,
            state: self.state,
            descendants: u32::try_from(self.items.len()).unwrap_or(u32::MAX),
            mark: None,
            origin: None,
            adopted_ms: None,
            held: false,
            hold_id: None,
        });
        let child_level = child_level_name(self.level);
        for item in &self.items {
            nodes.push(TreeNode {
                key: item.key.clone(),
                level: child_level,
                status: "active",
                depth: 1,
                count: 0,
                capacity: None,
                state: None,
                descendants: 0,
                mark: Some(item.class.as_str()),
                origin: None,
                adopted_ms: None,
                held: false,
                hold_id: None,
            });
        }
        TreeSnapshot { nodes }
    }
}

fn child_level_name(level: &str) -> &'static str {
    match Level::parse(level) {
        Some(Level::Container) => Level::Pallet.as_str(),
        Some(Level::Pallet) => Level::Case.as_str(),
        _ => Level::Pack.as_str(),
    }
}
