//! Work order close-out (issue 14 §2): the reconciliation of an order and the rule that decides
//! whether it may close.
//!
//! The reconciliation accounts for every serial on the order's serial list (or, for an order
//! without one, every pack of the order): packed (in a container), decommissioned, destroyed,
//! sampled, rejected, or still loose — handled at this bench and lying in no container, or
//! never seen here at all. It adds the order's totals per level, its containers (open and
//! suspended ones named), and its short containers (closed below capacity) with who signed
//! them. [`Reconciliation::check`] proves that every figure adds up; the station refuses to
//! close an order whose figures do not.
//!
//! Pure: the store hands in the order's units and the signatures.
//!
//! ```
//! use packbench::domain::{ContainerState, Level, OrderUnit, Reconciliation};
//! let case = "(00)095060000000000015";
//! let units = [
//!     OrderUnit::container(case, Level::Case, ContainerState::Closed, 1, 3),
//!     OrderUnit::pack("(01)09506000134352(21)A1", true).in_container(case),
//!     OrderUnit::pack("(01)09506000134352(21)A2", true),
//! ];
//! let r = Reconciliation::compute(&units, true, &[Level::Case], &Default::default());
//! assert_eq!(r.serials.total, 2);
//! assert_eq!(r.serials.packed.keys, ["(01)09506000134352(21)A1"]);
//! assert_eq!(r.serials.never_scanned.count, 1);
//! assert_eq!(r.short[0].key, case);
//! assert!(r.check().is_ok());
//! assert_eq!(r.leftovers(), ["(01)09506000134352(21)A2"]);
//! ```

use super::{ContainerState, Level, UnitStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

mod closing;
#[cfg(test)]
mod tests;

pub use closing::{OrderCloseout, OrderClosing, OrderStatus, SignatureRecord, check_closeable};

/// One unit of a work order, as the reconciliation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderUnit {
    /// Bracketed GS1 key.
    pub key: String,
    /// Level.
    pub level: Level,
    /// Status.
    pub status: UnitStatus,
    /// The key of the container holding it.
    pub parent: Option<String>,
    /// Container state (containers only).
    pub state: Option<ContainerState>,
    /// Direct children (containers only).
    pub child_count: u32,
    /// Capacity (containers only).
    pub capacity: Option<u32>,
    /// On the order's serial list.
    pub listed: bool,
    /// A command of this station changed it at least once (it was scanned here).
    pub handled: bool,
}

impl OrderUnit {
    /// An active pack in no container; `listed` ones start never handled, others handled (a
    /// pack not on a list exists only because it was scanned).
    pub fn pack(key: &str, listed: bool) -> Self {
        Self {
            key: key.to_owned(),
            level: Level::Pack,
            status: UnitStatus::Active,
            parent: None,
            state: None,
            child_count: 0,
            capacity: None,
            listed,
            handled: !listed,
        }
    }

    /// An active container in no container.
    pub fn container(
        key: &str,
        level: Level,
        state: ContainerState,
        child_count: u32,
        capacity: u32,
    ) -> Self {
        Self {
            key: key.to_owned(),
            level,
            status: UnitStatus::Active,
            parent: None,
            state: Some(state),
            child_count,
            capacity: Some(capacity),
            listed: false,
            handled: true,
        }
    }

    /// The same unit inside `parent` (and so handled here).
    pub fn in_container(mut self, parent: &str) -> Self {
        self.parent = Some(parent.to_owned());
        self.handled = true;
        self
    }

    /// The same unit with another status (handled here).
    pub fn with_status(mut self, status: UnitStatus) -> Self {
        self.status = status;
        self.handled = true;
        self
    }

    /// The same unit, marked as handled here.
    pub fn handled(mut self) -> Self {
        self.handled = true;
        self
    }
}

/// What the serial figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The serials on the order's serial list.
    SerialList,
    /// The order has no serial list: every pack of the order.
    OrderUnits,
}

/// A count and the keys it counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyList {
    /// How many.
    pub count: u64,
    /// The bracketed keys, sorted.
    pub keys: Vec<String>,
}

impl KeyList {
    fn push(&mut self, key: &str) {
        self.count += 1;
        self.keys.push(key.to_owned());
    }

    fn sorted(mut self) -> Self {
        self.keys.sort();
        self
    }
}

impl From<Vec<String>> for KeyList {
    fn from(mut keys: Vec<String>) -> Self {
        keys.sort();
        Self {
            count: keys.len() as u64,
            keys,
        }
    }
}

/// Where each serial of a set is: `total` = the sum of the seven lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SerialBreakdown {
    /// Serials counted.
    pub total: u64,
    /// Active, in a container.
    pub packed: KeyList,
    /// Decommissioned.
    pub decommissioned: KeyList,
    /// Destroyed.
    pub destroyed: KeyList,
    /// Taken as QA samples.
    pub sampled: KeyList,
    /// Rejected at inspection.
    pub rejected: KeyList,
    /// Active, in no container, handled at this bench (scanned, then taken out or never packed).
    pub loose_scanned: KeyList,
    /// Active, in no container, on the serial list and never scanned here.
    pub never_scanned: KeyList,
}

impl SerialBreakdown {
    fn of<'a>(units: impl Iterator<Item = &'a OrderUnit>) -> Self {
        let mut b = Self::default();
        for u in units {
            b.total += 1;
            let list = match u.status {
                UnitStatus::Active if u.parent.is_some() => &mut b.packed,
                UnitStatus::Active if u.listed && !u.handled => &mut b.never_scanned,
                UnitStatus::Active => &mut b.loose_scanned,
                UnitStatus::Decommissioned => &mut b.decommissioned,
                UnitStatus::Destroyed => &mut b.destroyed,
                UnitStatus::Sampled => &mut b.sampled,
                UnitStatus::Rejected => &mut b.rejected,
            };
            list.push(&u.key);
        }
        Self {
            total: b.total,
            packed: b.packed.sorted(),
            decommissioned: b.decommissioned.sorted(),
            destroyed: b.destroyed.sorted(),
            sampled: b.sampled.sorted(),
            rejected: b.rejected.sorted(),
            loose_scanned: b.loose_scanned.sorted(),
            never_scanned: b.never_scanned.sorted(),
        }
    }

    /// The seven categories with their names, in report order.
    pub fn categories(&self) -> [(&'static str, &KeyList); 7] {
        [
            ("packed", &self.packed),
            ("decommissioned", &self.decommissioned),
            ("destroyed", &self.destroyed),
            ("sampled", &self.sampled),
            ("rejected", &self.rejected),
            ("loose_scanned", &self.loose_scanned),
            ("never_scanned", &self.never_scanned),
        ]
    }

    /// Serials no longer in use (decommissioned, destroyed, sampled, rejected).
    pub fn retired(&self) -> u64 {
        self.decommissioned.count + self.destroyed.count + self.sampled.count + self.rejected.count
    }

    /// Active serials in no container.
    pub fn loose(&self) -> u64 {
        self.loose_scanned.count + self.never_scanned.count
    }

    fn check(&self, name: &str) -> Result<(), NotAddingUp> {
        let mut seen = BTreeSet::new();
        let mut sum = 0;
        for (category, list) in self.categories() {
            equal(
                &format!("{name}.{category}.count"),
                list.keys.len() as u64,
                list.count,
            )?;
            sum += list.count;
            for key in &list.keys {
                if !seen.insert(key.as_str()) {
                    return Err(NotAddingUp {
                        figure: format!("{name}: {key} is counted twice"),
                        expected: 1,
                        found: 2,
                    });
                }
            }
        }
        equal(&format!("{name}.total"), sum, self.total)
    }
}

/// The units of one level: `total` = `packed` + `loose` + `retired`; for containers also
/// `open` + `suspended` + `closed` = `packed` + `loose`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelTotals {
    /// The level.
    pub level: Level,
    /// Units of the order at this level.
    pub total: u64,
    /// Active, in a container.
    pub packed: u64,
    /// Active, in no container.
    pub loose: u64,
    /// Decommissioned, destroyed, sampled or rejected.
    pub retired: u64,
    /// Active containers being filled.
    pub open: u64,
    /// Active containers put aside partly filled.
    pub suspended: u64,
    /// Active containers closed.
    pub closed: u64,
}

/// A container of the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerLine {
    /// Bracketed key.
    pub key: String,
    /// Level.
    pub level: Level,
    /// Open, closed or suspended.
    pub state: ContainerState,
    /// Children.
    pub count: u32,
    /// Capacity.
    pub capacity: Option<u32>,
    /// The container holding it.
    pub parent: Option<String>,
}

/// A container closed below its capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortContainer {
    /// Bracketed key.
    pub key: String,
    /// Level.
    pub level: Level,
    /// Children.
    pub count: u32,
    /// Capacity.
    pub capacity: u32,
    /// The signature that approved it (none when it came closed from elsewhere).
    pub signature: Option<SignatureRecord>,
}

/// A figure that does not add up (a fault in the records, never expected).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{figure}: expected {expected}, found {found}")]
pub struct NotAddingUp {
    /// Which figure.
    pub figure: String,
    /// What the parts add up to.
    pub expected: u64,
    /// What was found.
    pub found: u64,
}

fn equal(figure: &str, expected: u64, found: u64) -> Result<(), NotAddingUp> {
    if expected == found {
        return Ok(());
    }
    Err(NotAddingUp {
        figure: figure.to_owned(),
        expected,
        found,
    })
}

/// The reconciliation of one work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// What `serials` counts.
    pub basis: Basis,
    /// The serial list (or every pack of an order without one), accounted for.
    pub serials: SerialBreakdown,
    /// Packs of an order with a serial list that are not on it (packed before the list was
    /// imported); `None` when there are none or the order has no list.
    pub not_listed: Option<SerialBreakdown>,
    /// Totals per level, lowest first.
    pub levels: Vec<LevelTotals>,
    /// Every active container of the order, lowest level first.
    pub containers: Vec<ContainerLine>,
    /// The containers being filled.
    pub open: Vec<ContainerLine>,
    /// The containers put aside partly filled.
    pub suspended: Vec<ContainerLine>,
    /// The containers closed below capacity.
    pub short: Vec<ShortContainer>,
}

impl Reconciliation {
    /// Reconciles the units of one order. `spec_levels`: the order's container levels;
    /// `signatures`: the latest signature on each container, by key.
    pub fn compute(
        units: &[OrderUnit],
        has_serial_list: bool,
        spec_levels: &[Level],
        signatures: &BTreeMap<String, SignatureRecord>,
    ) -> Self {
        let packs = || units.iter().filter(|u| u.level == Level::Pack);
        let (basis, serials, not_listed) = if has_serial_list {
            let outside = SerialBreakdown::of(packs().filter(|u| !u.listed));
            (
                Basis::SerialList,
                SerialBreakdown::of(packs().filter(|u| u.listed)),
                (outside.total > 0).then_some(outside),
            )
        } else {
            (Basis::OrderUnits, SerialBreakdown::of(packs()), None)
        };
        let levels: BTreeSet<Level> = std::iter::once(Level::Pack)
            .chain(spec_levels.iter().copied())
            .chain(units.iter().map(|u| u.level))
            .collect();
        let levels = levels
            .into_iter()
            .map(|level| level_totals(level, units))
            .collect();
        let mut containers: Vec<ContainerLine> = units
            .iter()
            .filter(|u| u.level > Level::Pack && u.status.is_active())
            .filter_map(|u| {
                Some(ContainerLine {
                    key: u.key.clone(),
                    level: u.level,
                    state: u.state?,
                    count: u.child_count,
                    capacity: u.capacity,
                    parent: u.parent.clone(),
                })
            })
            .collect();
        containers.sort_by(|a, b| (a.level, &a.key).cmp(&(b.level, &b.key)));
        let in_state = |s: ContainerState| -> Vec<ContainerLine> {
            containers
                .iter()
                .filter(|c| c.state == s)
                .cloned()
                .collect()
        };
        let (open, suspended) = (
            in_state(ContainerState::Open),
            in_state(ContainerState::Suspended),
        );
        let short = containers
            .iter()
            .filter(|c| c.state == ContainerState::Closed)
            .filter_map(|c| {
                let capacity = c.capacity.filter(|cap| c.count < *cap)?;
                Some(ShortContainer {
                    key: c.key.clone(),
                    level: c.level,
                    count: c.count,
                    capacity,
                    signature: signatures.get(&c.key).cloned(),
                })
            })
            .collect();
        Self {
            basis,
            serials,
            not_listed,
            levels,
            containers,
            open,
            suspended,
            short,
        }
    }

    /// Proves that every figure adds up: each list's count is its length and no key is counted
    /// twice, each breakdown's total is the sum of its parts, the pack level's totals are the
    /// serial figures, each level's total is packed + loose + retired, containers by state
    /// match the lists, and every short container is a closed one below its capacity.
    pub fn check(&self) -> Result<(), NotAddingUp> {
        self.serials.check("serials")?;
        let outside = self.not_listed.clone().unwrap_or_default();
        outside.check("not_listed")?;
        for t in &self.levels {
            let name = t.level.as_str();
            equal(
                &format!("{name}.total"),
                t.packed + t.loose + t.retired,
                t.total,
            )?;
            if t.level > Level::Pack {
                equal(
                    &format!("{name}.open+suspended+closed"),
                    t.packed + t.loose,
                    t.open + t.suspended + t.closed,
                )?;
            }
            let lines = |s: ContainerState| {
                self.containers
                    .iter()
                    .filter(|c| c.level == t.level && c.state == s)
                    .count() as u64
            };
            equal(&format!("{name}.open"), lines(ContainerState::Open), t.open)?;
            equal(
                &format!("{name}.suspended"),
                lines(ContainerState::Suspended),
                t.suspended,
            )?;
            equal(
                &format!("{name}.closed"),
                lines(ContainerState::Closed),
                t.closed,
            )?;
        }
        let packs = self.levels.iter().find(|t| t.level == Level::Pack);
        let (p_total, p_packed, p_loose, p_retired) =
            packs.map_or((0, 0, 0, 0), |t| (t.total, t.packed, t.loose, t.retired));
        equal(
            "pack.total = serials + not listed",
            self.serials.total + outside.total,
            p_total,
        )?;
        equal(
            "pack.packed",
            self.serials.packed.count + outside.packed.count,
            p_packed,
        )?;
        equal(
            "pack.loose",
            self.serials.loose() + outside.loose(),
            p_loose,
        )?;
        equal(
            "pack.retired",
            self.serials.retired() + outside.retired(),
            p_retired,
        )?;
        let state_count =
            |s: ContainerState| self.containers.iter().filter(|c| c.state == s).count() as u64;
        equal(
            "open containers",
            state_count(ContainerState::Open),
            self.open.len() as u64,
        )?;
        equal(
            "suspended containers",
            state_count(ContainerState::Suspended),
            self.suspended.len() as u64,
        )?;
        let short_ok = self
            .short
            .iter()
            .filter(|s| {
                s.count < s.capacity
                    && self
                        .containers
                        .iter()
                        .any(|c| c.key == s.key && c.state == ContainerState::Closed)
            })
            .count() as u64;
        equal("short containers", self.short.len() as u64, short_ok)
    }

    /// The serials still active in no container (loose, scanned or not), sorted: what
    /// `decommission_leftovers` takes out of use.
    pub fn leftovers(&self) -> Vec<String> {
        let mut out: Vec<String> = std::iter::once(&self.serials)
            .chain(self.not_listed.as_ref())
            .flat_map(|b| {
                b.loose_scanned
                    .keys
                    .iter()
                    .chain(&b.never_scanned.keys)
                    .cloned()
            })
            .collect();
        out.sort();
        out
    }
}

fn level_totals(level: Level, units: &[OrderUnit]) -> LevelTotals {
    let mut t = LevelTotals {
        level,
        total: 0,
        packed: 0,
        loose: 0,
        retired: 0,
        open: 0,
        suspended: 0,
        closed: 0,
    };
    for u in units.iter().filter(|u| u.level == level) {
        t.total += 1;
        if !u.status.is_active() {
            t.retired += 1;
            continue;
        }
        if u.parent.is_some() {
            t.packed += 1;
        } else {
            t.loose += 1;
        }
        match u.state {
            Some(ContainerState::Open) => t.open += 1,
            Some(ContainerState::Suspended) => t.suspended += 1,
            Some(ContainerState::Closed) => t.closed += 1,
            None => {}
        }
    }
    t
}
