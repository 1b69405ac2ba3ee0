//! What EPCIS events say about units: replaying them gives each unit's parent, status, lot and
//! expiry (`docs/architecture.md` §15). Pure: the events come in as [`EventFacts`], whatever
//! syntax or repository they were read from.
//!
//! Replay rules (EPCIS 2.0 §7.4 and CBV 2.0):
//! - an event that a later event declares erroneous (same eventID, with an `errorDeclaration`)
//!   is left out, and so is the declaration itself;
//! - the rest is applied in event-time order (ties keep their input order);
//! - ObjectEvent ADD commissions (status active; the ILMD's lot and expiry are kept), DELETE
//!   retires (destroyed for `destroying`/`destroyed`, sampled for `sampling`, otherwise
//!   decommissioned), OBSERVE only updates the disposition;
//! - AggregationEvent ADD sets the parent of each child; DELETE with children takes those
//!   children out (only from that parent); DELETE without children takes every child out.
//!
//! ```
//! use packbench::epcis::{replay, EventFacts, FactAction, FactKind, FactStatus};
//! let mut commission = EventFacts::new(FactKind::Object, Some(FactAction::Add), 1_000);
//! commission.epcs = vec!["urn:epc:id:sscc:0614141.1234567890".into()];
//! commission.biz_step = Some("commissioning".into());
//! let mut pack = EventFacts::new(FactKind::Aggregation, Some(FactAction::Add), 2_000);
//! pack.parent = Some("urn:epc:id:sscc:0614141.1234567890".into());
//! pack.epcs = vec!["urn:epc:id:sgtin:0614141.107346.2017".into()];
//! let h = replay(&[commission, pack]);
//! let child = &h.units["urn:epc:id:sgtin:0614141.107346.2017"];
//! assert_eq!(child.parent.as_deref(), Some("urn:epc:id:sscc:0614141.1234567890"));
//! assert_eq!(h.units["urn:epc:id:sscc:0614141.1234567890"].status, FactStatus::Active);
//! assert_eq!(h.subtree("urn:epc:id:sscc:0614141.1234567890").len(), 2);
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

/// The event types of EPCIS 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactKind {
    /// ObjectEvent.
    Object,
    /// AggregationEvent.
    Aggregation,
    /// TransactionEvent.
    Transaction,
    /// TransformationEvent.
    Transformation,
    /// AssociationEvent.
    Association,
}

impl FactKind {
    /// From the EPCIS type name (`ObjectEvent`, ...).
    pub fn from_type_name(name: &str) -> Option<Self> {
        Some(match name {
            "ObjectEvent" => Self::Object,
            "AggregationEvent" => Self::Aggregation,
            "TransactionEvent" => Self::Transaction,
            "TransformationEvent" => Self::Transformation,
            "AssociationEvent" => Self::Association,
            _ => return None,
        })
    }

    /// The EPCIS type name.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Object => "ObjectEvent",
            Self::Aggregation => "AggregationEvent",
            Self::Transaction => "TransactionEvent",
            Self::Transformation => "TransformationEvent",
            Self::Association => "AssociationEvent",
        }
    }
}

/// An event's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactAction {
    /// ADD.
    Add,
    /// OBSERVE.
    Observe,
    /// DELETE.
    Delete,
}

impl FactAction {
    /// From `ADD`, `OBSERVE`, `DELETE`.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "ADD" => Self::Add,
            "OBSERVE" => Self::Observe,
            "DELETE" => Self::Delete,
            _ => return None,
        })
    }
}

/// An error declaration on an event (EPCIS 2.0 §7.4.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredError {
    /// When the error was declared (UTC ms).
    pub declaration_time_ms: i64,
    /// The reason (bare CBV word when it is one, e.g. `did_not_occur`).
    pub reason: Option<String>,
    /// The events that correct it.
    pub corrective_event_ids: Vec<String>,
}

/// The parts of one EPCIS event that say something about units' hierarchy and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    /// Event type.
    pub kind: FactKind,
    /// Action (none for TransformationEvent).
    pub action: Option<FactAction>,
    /// Event time, UTC ms.
    pub event_time_ms: i64,
    /// The eventID as given (a hash ID, a UUID URN, ...).
    pub event_id: Option<String>,
    /// `parentID` (AggregationEvent, TransactionEvent, AssociationEvent).
    pub parent: Option<String>,
    /// `epcList` (ObjectEvent, TransactionEvent) or `childEPCs` (AggregationEvent,
    /// AssociationEvent), as EPC pure identity URIs.
    pub epcs: Vec<String>,
    /// Business step, the bare CBV word when it is one (`commissioning`).
    pub biz_step: Option<String>,
    /// Disposition, the bare CBV word when it is one (`in_progress`).
    pub disposition: Option<String>,
    /// ILMD `cbvmda:lotNumber`.
    pub lot: Option<String>,
    /// ILMD `cbvmda:itemExpirationDate` as YYMMDD.
    pub expiry: Option<String>,
    /// The error declaration, when this event is one.
    pub error_declaration: Option<DeclaredError>,
}

impl EventFacts {
    /// An event with no EPCs and no optional field.
    pub fn new(kind: FactKind, action: Option<FactAction>, event_time_ms: i64) -> Self {
        Self {
            kind,
            action,
            event_time_ms,
            event_id: None,
            parent: None,
            epcs: Vec::new(),
            biz_step: None,
            disposition: None,
            lot: None,
            expiry: None,
            error_declaration: None,
        }
    }

    /// Every EPC the event names: the parent first, then the EPC list.
    pub fn all_epcs(&self) -> impl Iterator<Item = &str> {
        self.parent
            .iter()
            .map(String::as_str)
            .chain(self.epcs.iter().map(String::as_str))
    }
}

/// A unit's status as the events tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactStatus {
    /// Commissioned and not retired.
    Active,
    /// Named by events but never commissioned in them (e.g. a pack whose commissioning is
    /// not in the events read).
    Uncommissioned,
    /// Decommissioned.
    Decommissioned,
    /// Destroyed.
    Destroyed,
    /// Taken as a sample.
    Sampled,
}

impl FactStatus {
    /// Whether the unit may still take part in business processes.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Active | Self::Uncommissioned)
    }
}

/// What the events say about one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    /// EPC URI.
    pub epc: String,
    /// Parent EPC.
    pub parent: Option<String>,
    /// Status.
    pub status: FactStatus,
    /// Last disposition.
    pub disposition: Option<String>,
    /// Lot from the commissioning ILMD.
    pub lot: Option<String>,
    /// Expiry (YYMMDD) from the commissioning ILMD.
    pub expiry: Option<String>,
    /// The IDs of the events that named it, in replay order.
    pub event_ids: Vec<String>,
    /// The time of the last event that named it (UTC ms).
    pub last_event_ms: i64,
}

impl UnitFacts {
    fn new(epc: &str) -> Self {
        Self {
            epc: epc.to_owned(),
            parent: None,
            status: FactStatus::Uncommissioned,
            disposition: None,
            lot: None,
            expiry: None,
            event_ids: Vec::new(),
            last_event_ms: i64::MIN,
        }
    }
}

/// The result of a replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hierarchy {
    /// Every unit the events name, by EPC.
    pub units: BTreeMap<String, UnitFacts>,
    /// Events left out because a later declaration says they were in error.
    pub declared_erroneous: usize,
    /// Events applied.
    pub applied: usize,
}

impl Hierarchy {
    /// The direct children of a unit, in EPC order.
    pub fn children(&self, epc: &str) -> Vec<&UnitFacts> {
        self.units
            .values()
            .filter(|u| u.parent.as_deref() == Some(epc))
            .collect()
    }

    /// The unit and everything below it, parents before children (breadth first). Empty when
    /// the events do not name the unit.
    pub fn subtree(&self, epc: &str) -> Vec<&UnitFacts> {
        self.subtrees(&[epc])
    }

    /// The units of several subtrees, each once: every top named by the events (in the order
    /// given) and everything below it, parents before children. The children index is built
    /// once, so taking many tops in costs one pass over the units, not one per top.
    pub fn subtrees<S: AsRef<str>>(&self, tops: &[S]) -> Vec<&UnitFacts> {
        let mut by_parent: HashMap<&str, Vec<&UnitFacts>> = HashMap::new();
        for u in self.units.values() {
            if let Some(p) = &u.parent {
                by_parent.entry(p.as_str()).or_default().push(u);
            }
        }
        let mut out = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for top in tops {
            let Some(root) = self.units.get(top.as_ref()) else {
                continue;
            };
            if !seen.insert(root.epc.as_str()) {
                continue;
            }
            let mut i = out.len();
            out.push(root);
            while i < out.len() {
                let parent = out[i].epc.as_str();
                if let Some(kids) = by_parent.get(parent) {
                    for k in kids {
                        if seen.insert(k.epc.as_str()) {
                            out.push(k);
                        }
                    }
                }
                i += 1;
            }
        }
        out
    }

    /// The top of the unit's hierarchy (itself when it has no parent).
    pub fn top_of<'a>(&'a self, epc: &'a str) -> &'a str {
        let mut cur = epc;
        let mut steps = 0;
        while let Some(p) = self.units.get(cur).and_then(|u| u.parent.as_deref()) {
            cur = p;
            steps += 1;
            if steps > self.units.len() {
                break; // a cycle in the data: stop rather than loop
            }
        }
        cur
    }

    /// Units with no parent, in EPC order.
    pub fn tops(&self) -> Vec<&UnitFacts> {
        self.units.values().filter(|u| u.parent.is_none()).collect()
    }
}

/// Replays events into a [`Hierarchy`] (rules in the module documentation).
pub fn replay(events: &[EventFacts]) -> Hierarchy {
    let declared: HashSet<&str> = events
        .iter()
        .filter(|e| e.error_declaration.is_some())
        .filter_map(|e| e.event_id.as_deref())
        .collect();
    let mut order: Vec<&EventFacts> = Vec::with_capacity(events.len());
    let mut h = Hierarchy::default();
    for e in events {
        if e.error_declaration.is_some() {
            continue;
        }
        if e.event_id
            .as_deref()
            .is_some_and(|id| declared.contains(id))
        {
            h.declared_erroneous += 1;
            continue;
        }
        order.push(e);
    }
    order.sort_by_key(|e| e.event_time_ms);
    for e in order {
        apply(&mut h, e);
        h.applied += 1;
    }
    h
}

fn touch<'a>(h: &'a mut Hierarchy, epc: &str, e: &EventFacts) -> &'a mut UnitFacts {
    let u = h
        .units
        .entry(epc.to_owned())
        .or_insert_with(|| UnitFacts::new(epc));
    if let Some(id) = &e.event_id
        && u.event_ids.last() != Some(id)
    {
        u.event_ids.push(id.clone());
    }
    u.last_event_ms = u.last_event_ms.max(e.event_time_ms);
    u
}

fn retired_status(e: &EventFacts) -> FactStatus {
    match (e.biz_step.as_deref(), e.disposition.as_deref()) {
        (Some("destroying"), _) | (_, Some("destroyed")) => FactStatus::Destroyed,
        (Some("sampling"), _) => FactStatus::Sampled,
        _ => FactStatus::Decommissioned,
    }
}

fn apply(h: &mut Hierarchy, e: &EventFacts) {
    match (e.kind, e.action) {
        (FactKind::Object, Some(action)) => {
            for epc in &e.epcs {
                let u = touch(h, epc, e);
                match action {
                    FactAction::Add => {
                        u.status = FactStatus::Active;
                        if e.lot.is_some() {
                            u.lot.clone_from(&e.lot);
                        }
                        if e.expiry.is_some() {
                            u.expiry.clone_from(&e.expiry);
                        }
                    }
                    FactAction::Delete => u.status = retired_status(e),
                    FactAction::Observe => {}
                }
                if e.disposition.is_some() {
                    u.disposition.clone_from(&e.disposition);
                }
            }
        }
        (FactKind::Aggregation, Some(action)) => {
            let Some(parent) = e.parent.as_deref() else {
                return;
            };
            touch(h, parent, e);
            match action {
                FactAction::Add => {
                    for c in &e.epcs {
                        if c == parent {
                            continue; // a unit is never its own parent
                        }
                        let u = touch(h, c, e);
                        u.parent = Some(parent.to_owned());
                    }
                }
                FactAction::Delete if e.epcs.is_empty() => {
                    for u in h.units.values_mut() {
                        if u.parent.as_deref() == Some(parent) {
                            u.parent = None;
                            if let Some(id) = &e.event_id {
                                u.event_ids.push(id.clone());
                            }
                            u.last_event_ms = u.last_event_ms.max(e.event_time_ms);
                        }
                    }
                }
                FactAction::Delete => {
                    for c in &e.epcs {
                        let u = touch(h, c, e);
                        if u.parent.as_deref() == Some(parent) {
                            u.parent = None;
                        }
                    }
                }
                FactAction::Observe => {
                    for c in &e.epcs {
                        touch(h, c, e);
                    }
                }
            }
            if let Some(d) = &e.disposition
                && let Some(u) = h.units.get_mut(parent)
            {
                u.disposition = Some(d.clone());
            }
        }
        _ => {
            // Transaction, transformation and association events do not change the packing
            // hierarchy or the status; they still count as events naming the unit.
            for epc in e.all_epcs() {
                touch(h, epc, e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "urn:epc:id:sscc:0614141.1234567890";
    const PALLET: &str = "urn:epc:id:sscc:0614141.1234567891";
    const P1: &str = "urn:epc:id:sgtin:0614141.107346.1";
    const P2: &str = "urn:epc:id:sgtin:0614141.107346.2";

    fn ev(kind: FactKind, action: FactAction, t: i64, id: &str) -> EventFacts {
        let mut e = EventFacts::new(kind, Some(action), t);
        e.event_id = Some(id.to_owned());
        e
    }

    fn agg(action: FactAction, t: i64, id: &str, parent: &str, kids: &[&str]) -> EventFacts {
        let mut e = ev(FactKind::Aggregation, action, t, id);
        e.parent = Some(parent.to_owned());
        e.epcs = kids.iter().map(|k| (*k).to_owned()).collect();
        e
    }

    fn obj(action: FactAction, t: i64, id: &str, epcs: &[&str], step: &str) -> EventFacts {
        let mut e = ev(FactKind::Object, action, t, id);
        e.epcs = epcs.iter().map(|k| (*k).to_owned()).collect();
        e.biz_step = Some(step.to_owned());
        e
    }

    #[test]
    fn events_apply_in_time_order_whatever_the_input_order() {
        let h = replay(&[
            agg(FactAction::Delete, 30, "d", CASE, &[P1]),
            agg(FactAction::Add, 20, "a", CASE, &[P1, P2]),
            obj(FactAction::Add, 10, "c", &[CASE, P1, P2], "commissioning"),
        ]);
        assert_eq!(h.units[P1].parent, None);
        assert_eq!(h.units[P2].parent.as_deref(), Some(CASE));
        assert_eq!(h.units[P1].event_ids, ["c", "a", "d"]);
        assert_eq!(h.applied, 3);
    }

    #[test]
    fn an_erroneous_event_and_its_declaration_are_left_out() {
        let add = agg(FactAction::Add, 20, "a", CASE, &[P1]);
        let mut declaration = add.clone();
        declaration.error_declaration = Some(DeclaredError {
            declaration_time_ms: 40,
            reason: Some("did_not_occur".into()),
            corrective_event_ids: vec![],
        });
        let h = replay(&[add, declaration]);
        assert!(h.units.is_empty());
        assert_eq!(h.declared_erroneous, 1);
    }

    #[test]
    fn unpack_all_frees_every_child_and_delete_only_frees_from_its_parent() {
        let h = replay(&[
            agg(FactAction::Add, 10, "a", CASE, &[P1, P2]),
            agg(FactAction::Add, 20, "b", PALLET, &[CASE]),
            agg(FactAction::Delete, 30, "c", PALLET, &[P1]),
            agg(FactAction::Delete, 40, "d", CASE, &[]),
        ]);
        assert_eq!(h.units[P1].parent, None);
        assert_eq!(h.units[P2].parent, None);
        assert_eq!(h.units[CASE].parent.as_deref(), Some(PALLET));
        assert_eq!(h.top_of(CASE), PALLET);
    }

    #[test]
    fn retirement_kinds_and_ilmd() {
        let mut c = obj(FactAction::Add, 10, "c", &[P1, P2], "commissioning");
        c.lot = Some("L1".into());
        c.expiry = Some("271231".into());
        let mut d = obj(FactAction::Delete, 20, "d", &[P1], "destroying");
        d.disposition = Some("destroyed".into());
        let s = obj(FactAction::Delete, 30, "s", &[P2], "sampling");
        let h = replay(&[c, d, s]);
        assert_eq!(h.units[P1].status, FactStatus::Destroyed);
        assert_eq!(h.units[P2].status, FactStatus::Sampled);
        assert_eq!(h.units[P1].lot.as_deref(), Some("L1"));
        assert_eq!(h.units[P2].expiry.as_deref(), Some("271231"));
    }

    #[test]
    fn subtree_is_breadth_first_and_survives_a_cycle() {
        let h = replay(&[
            agg(FactAction::Add, 10, "a", CASE, &[P1]),
            agg(FactAction::Add, 20, "b", PALLET, &[CASE]),
        ]);
        let epcs: Vec<&str> = h.subtree(PALLET).iter().map(|u| u.epc.as_str()).collect();
        assert_eq!(epcs, [PALLET, CASE, P1]);
        assert!(h.subtree("urn:epc:id:sscc:0614141.0000000000").is_empty());
        let both: Vec<&str> = h
            .subtrees(&[CASE, PALLET, P1])
            .iter()
            .map(|u| u.epc.as_str())
            .collect();
        assert_eq!(both, [CASE, P1, PALLET]);
        let cyc = replay(&[
            agg(FactAction::Add, 10, "a", CASE, &[PALLET]),
            agg(FactAction::Add, 20, "b", PALLET, &[CASE]),
        ]);
        let _ = cyc.top_of(CASE); // terminates
        assert!(cyc.tops().is_empty());
    }
}
