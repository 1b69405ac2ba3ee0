//! Verify contents: a physical check of a container (`docs/architecture.md` §8,
//! `docs/automation.md` "Verify contents").
//!
//! `verify_start` names the container; from then on every scan is recorded against it, never
//! packed, and classified live against the station's record of the container's children:
//!
//! - `seen`: a child the record holds, scanned;
//! - `missing`: a child the record holds, not (yet) scanned;
//! - `extra`: an active unit of the right level the record has loose (in no container);
//! - `foreign`: an active unit of the right level the record has in another container;
//! - `wrong_lot`: a pack the record does not hold here, of another GTIN or batch than the
//!   container's (its work order's GTIN and batch, or else those most of its packs carry).
//!
//! Unknown, invalid, inactive and wrong-level scans are refused as in any other mode and not
//! recorded. `verify_confirm` (supervisor signature) corrects the record in one command: the
//! missing leave the container, the extra (and, with `move_foreign`, the foreign) join it, the
//! wrong-lot packs are only reported (they must be taken out). Its events: an ObjectEvent
//! OBSERVE of the container with persistentDisposition `mismatch_instance` /
//! `mismatch_quantity` and `pb:` fields naming the findings (only when something differed), the
//! corrections, then an OBSERVE that sets `completeness_verified` (and `container_closed` or
//! `container_open`) and unsets the mismatch dispositions.

use super::cmd::Cmd;
use super::events::PendingEvent;
use super::ops::detach;
use super::scan::Scanned;
pub use super::verify_view::{VerifyClass, VerifyCounts, VerifyItem, VerifyView};
use super::{Failure, Outcome, Response, SignatureInput, Station};
use crate::domain::{ContainerState, Level, ReasonCode, Refusal, UnitView};
use crate::epcis::Action;
use crate::store::{self, Conn};
use std::collections::{HashMap, HashSet};

/// The meaning of the supervisor's signature on a contents check.
pub const VERIFY_MEANING: &str = "approve the contents check and its corrections";

/// A contents check in progress (part of the session; nothing of it is stored until confirm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerifyState {
    /// The container checked.
    container: i64,
    /// What was scanned, in order, once each.
    seen: Vec<SeenScan>,
}

/// One recorded scan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SeenScan {
    key: String,
    epc: String,
    /// GTIN and batch as scanned (a unit the station knows adds its own where the scan has none).
    gtin: Option<String>,
    lot: Option<String>,
}

/// GTIN and batch the container's packs should carry: its work order's, or else those most of
/// its packs carry (ties: the smallest).
fn reference(
    conn: &Conn,
    container: &UnitView,
    kids: &[UnitView],
) -> Result<(Option<String>, Option<String>), Failure> {
    let order = match &container.work_order {
        Some(id) => store::load_work_order(conn, id)?,
        None => None,
    };
    let majority = |pick: fn(&UnitView) -> Option<&String>| {
        let mut n: HashMap<&String, usize> = HashMap::new();
        for k in kids.iter().filter(|k| k.level == Level::Pack) {
            if let Some(v) = pick(k) {
                *n.entry(v).or_default() += 1;
            }
        }
        n.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(v, _)| v.clone())
    };
    let gtin = order
        .as_ref()
        .map(|o| o.gtin.clone())
        .or_else(|| majority(|k| k.gtin.as_ref()));
    let lot = order
        .as_ref()
        .and_then(|o| o.lot.clone())
        .or_else(|| majority(|k| k.lot.as_ref()));
    Ok((gtin, lot))
}

/// The level of the container's children: that of its children, else the level below it.
fn expected_child_level(container: &UnitView, kids: &[UnitView]) -> Option<Level> {
    kids.first().map(|k| k.level).or_else(|| {
        Level::ALL
            .into_iter()
            .find(|l| l.rank() + 1 == container.level.rank())
    })
}

/// Classifies the recorded scans against the record as it is now.
fn classify(conn: &Conn, state: &VerifyState) -> Result<(UnitView, VerifyView), Failure> {
    let container = store::unit_by_id(conn, state.container)?.ok_or_else(|| {
        Refusal::new(
            ReasonCode::UnknownUnit,
            "the container checked no longer exists",
        )
    })?;
    let kids = store::children(conn, container.id)?;
    let (gtin, lot) = reference(conn, &container, &kids)?;
    let seen_keys: HashSet<&str> = state.seen.iter().map(|s| s.key.as_str()).collect();
    let mut counts = VerifyCounts {
        expected: u32::try_from(kids.len()).unwrap_or(u32::MAX),
        ..VerifyCounts::default()
    };
    let mut items = Vec::with_capacity(kids.len() + state.seen.len());
    for k in &kids {
        let class = if seen_keys.contains(k.key.as_str()) {
            counts.seen += 1;
            VerifyClass::Seen
        } else {
            counts.missing += 1;
            VerifyClass::Missing
        };
        items.push(VerifyItem {
            key: k.key.clone(),
            epc: k.epc.clone(),
            class,
            from: None,
            gtin: None,
            lot: None,
            id: Some(k.id),
        });
    }
    let kid_ids: HashSet<i64> = kids.iter().map(|k| k.id).collect();
    for s in &state.seen {
        counts.scanned += 1;
        let unit = store::unit_by_key(conn, &s.key)?;
        if unit.as_ref().is_some_and(|u| kid_ids.contains(&u.id)) {
            continue;
        }
        let pack_gtin = s
            .gtin
            .clone()
            .or_else(|| unit.as_ref().and_then(|u| u.gtin.clone()));
        let pack_lot = s
            .lot
            .clone()
            .or_else(|| unit.as_ref().and_then(|u| u.lot.clone()));
        let is_pack = unit
            .as_ref()
            .map_or(s.gtin.is_some(), |u| u.level == Level::Pack);
        let other = |mine: &Option<String>, want: &Option<String>| matches!((mine, want), (Some(m), Some(w)) if m != w);
        let wrong = is_pack && (other(&pack_gtin, &gtin) || other(&pack_lot, &lot));
        let mut item = VerifyItem {
            key: s.key.clone(),
            epc: s.epc.clone(),
            class: VerifyClass::WrongLot,
            from: None,
            gtin: None,
            lot: None,
            id: unit.as_ref().map(|u| u.id),
        };
        if wrong {
            counts.wrong_lot += 1;
            item.gtin = pack_gtin;
            item.lot = pack_lot;
        } else {
            // Recorded scans were known and active when scanned; a unit gone since (another
            // command) is no longer part of the check.
            let Some(u) = unit.filter(|u| u.status.is_active()) else {
                continue;
            };
            match u.parent_id {
                None => {
                    counts.extra += 1;
                    item.class = VerifyClass::Extra;
                }
                Some(p) => {
                    counts.foreign += 1;
                    item.class = VerifyClass::Foreign;
                    item.from = store::unit_by_id(conn, p)?.map(|p| p.key);
                }
            }
        }
        items.push(item);
    }
    let view = VerifyView {
        container: container.key.clone(),
        epc: container.epc.clone(),
        level: container.level.as_str(),
        state: container.state.map(ContainerState::as_str),
        counts,
        items,
    };
    Ok((container, view))
}

fn not_verifying() -> Refusal {
    Refusal::new(
        ReasonCode::NotVerifying,
        "no contents check is in progress: start one with verify_start",
    )
}

fn epcs(items: &[&VerifyItem]) -> String {
    items
        .iter()
        .map(|i| i.epc.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Station {
    /// The contents check in progress, classified now (`None` when there is none).
    pub fn verify_view(&self) -> Option<VerifyView> {
        let state = self.session.verify.as_ref()?;
        classify(self.store.conn(), state).ok().map(|(_, v)| v)
    }

    /// `verify_start`: starts a contents check of a container.
    pub(crate) fn verify_start(&mut self, container: &str) -> Outcome {
        self.require_user()?;
        if let Some(state) = &self.session.verify {
            let key = store::unit_by_id(self.store.conn(), state.container)?
                .map_or_else(String::new, |u| u.key);
            return Err(Refusal::new(
                ReasonCode::ConfirmRequired,
                format!("the check of {key} is in progress: confirm or cancel it first"),
            )
            .into());
        }
        let unit = self.resolve(self.store.conn(), container)?;
        if !unit.is_container() {
            return Err(
                Refusal::new(ReasonCode::NotAContainer, format!("{} is a pack", unit.key)).into(),
            );
        }
        if !unit.status.is_active() {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("{} is {}", unit.key, unit.status.as_str()),
            )
            .into());
        }
        let state = VerifyState {
            container: unit.id,
            seen: Vec::new(),
        };
        let (container, view) = classify(self.store.conn(), &state)?;
        self.session.verify = Some(state);
        Ok(Response::ok()
            .container(&container)
            .data(serde_json::json!({ "verify": view })))
    }

    /// `verify_status`: the check so far.
    pub(crate) fn verify_status(&self) -> Outcome {
        self.require_user()?;
        let state = self.session.verify.as_ref().ok_or_else(not_verifying)?;
        let (container, view) = classify(self.store.conn(), state)?;
        Ok(Response::ok()
            .container(&container)
            .data(serde_json::json!({ "verify": view })))
    }

    /// `verify_cancel`: ends the check, nothing changed.
    pub(crate) fn verify_cancel(&mut self) -> Outcome {
        self.require_user()?;
        let state = self.session.verify.take().ok_or_else(not_verifying)?;
        let key = store::unit_by_id(self.store.conn(), state.container)?.map(|u| u.key);
        Ok(Response::ok().data(serde_json::json!({ "cancelled": key })))
    }

    /// A scan while a check is in progress: recorded and classified, never packed.
    pub(crate) fn verify_scan(&mut self, data: &str) -> Outcome {
        self.require_user()?;
        let state = self.session.verify.as_ref().ok_or_else(not_verifying)?;
        let conn = self.store.conn();
        let container = store::unit_by_id(conn, state.container)?.ok_or_else(not_verifying)?;
        let scanned = self.identify(data)?;
        let key = scanned.key().to_owned();
        let duplicate = state.seen.iter().any(|s| s.key == key);
        let unit = store::unit_by_key(conn, &key)?;
        if unit.is_none() && matches!(scanned, Scanned::Sscc { .. }) {
            return Err(
                Refusal::new(ReasonCode::UnknownUnit, format!("{key} is not known here")).into(),
            );
        }
        let (epc, level) = match &unit {
            Some(u) => (u.epc.clone(), u.level),
            None => self.epc_and_level(&scanned)?,
        };
        let (scan_gtin, scan_lot) = match &scanned {
            Scanned::Sgtin { sgtin, lot, .. } => {
                (Some(sgtin.gtin.as_str().to_owned()), lot.clone())
            }
            Scanned::Sscc { .. } => (None, None),
        };
        if !duplicate {
            if key == container.key
                || store::ancestors(conn, &container)?
                    .iter()
                    .any(|a| a.key == key)
            {
                return Err(Refusal::new(
                    ReasonCode::Cycle,
                    format!("{key} is the container checked or holds it"),
                )
                .into());
            }
            let kids = store::children(conn, container.id)?;
            if let Some(want) = expected_child_level(&container, &kids)
                && level != want
            {
                return Err(Refusal::new(
                    ReasonCode::WrongLevel,
                    format!(
                        "{key} is a {}, {} holds {}s",
                        level.as_str(),
                        container.key,
                        want.as_str()
                    ),
                )
                .into());
            }
            if let Some(u) = &unit {
                super::scan::refuse_inactive(u)?;
            }
            let candidate = SeenScan {
                key: key.clone(),
                epc,
                gtin: scan_gtin,
                lot: scan_lot,
            };
            if unit.is_none() {
                // Only a pack of another GTIN or batch is recorded without the station knowing
                // it (to be reported); any other unknown unit is refused.
                let mut trial = state.clone();
                trial.seen.push(candidate.clone());
                let (_, view) = classify(conn, &trial)?;
                if !view
                    .items
                    .iter()
                    .any(|i| i.key == key && i.class == VerifyClass::WrongLot)
                {
                    return Err(Refusal::new(
                        ReasonCode::UnknownUnit,
                        format!(
                            "{key} is not known here: it cannot be added to {}",
                            container.key
                        ),
                    )
                    .into());
                }
            }
            if let Some(state) = self.session.verify.as_mut() {
                state.seen.push(candidate);
            }
        }
        let state = self.session.verify.as_ref().ok_or_else(not_verifying)?;
        let (container, view) = classify(self.store.conn(), state)?;
        let class = view
            .items
            .iter()
            .find(|i| i.key == key)
            .map_or(VerifyClass::Seen, |i| i.class);
        let mut r = Response::with_code(
            class.code(),
            (class != VerifyClass::Seen).then(|| format!("{key}: {}", class.as_str())),
        );
        if let Some(u) = &unit {
            r = r.unit(u);
        }
        Ok(r.container(&container).data(serde_json::json!({
            "verify": view,
            "scan": {"key": key, "class": class, "duplicate": duplicate},
        })))
    }

    /// `verify_confirm`: corrects the container's record and records the check.
    pub(crate) fn verify_confirm(
        &mut self,
        move_foreign: bool,
        signature: Option<&SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let state = self.session.verify.clone().ok_or_else(not_verifying)?;
        let (container, view) = classify(self.store.conn(), &state)?;
        if !container.status.is_active() {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("{} is {}", container.key, container.status.as_str()),
            )
            .into());
        }
        let missing: Vec<&VerifyItem> = view.of(VerifyClass::Missing).collect();
        let extra: Vec<&VerifyItem> = view.of(VerifyClass::Extra).collect();
        let foreign: Vec<&VerifyItem> = view.of(VerifyClass::Foreign).collect();
        let wrong: Vec<&VerifyItem> = view.of(VerifyClass::WrongLot).collect();
        let joining: Vec<&VerifyItem> = extra
            .iter()
            .chain(if move_foreign { &foreign[..] } else { &[] })
            .copied()
            .collect();
        let after = view.counts.expected as usize - missing.len() + joining.len();
        if let Some(cap) = container.capacity
            && after > cap as usize
        {
            return Err(Refusal::new(
                ReasonCode::ContainerFull,
                format!(
                    "{} would hold {after} of {cap}: take units out first",
                    container.key
                ),
            )
            .into());
        }
        let signed = self.check_signature(signature, VERIFY_MEANING, now)?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let closed = container.state == Some(ContainerState::Closed);
        let differs = view.differs();
        let mut mismatch = Vec::new();
        if differs {
            // CBV 2.0: instances differ (any unit out of place); quantity differs (the count
            // scanned is not the count recorded).
            mismatch.push("mismatch_instance");
            if view.counts.scanned != view.counts.expected {
                mismatch.push("mismatch_quantity");
            }
            let mut fields = vec![
                ("expected", view.counts.expected.to_string()),
                ("scanned", view.counts.scanned.to_string()),
            ];
            for (name, list) in [
                ("missing", &missing),
                ("extra", &extra),
                ("foreign", &foreign),
                ("wrongLot", &wrong),
            ] {
                if !list.is_empty() {
                    fields.push((name, epcs(list)));
                }
            }
            cmd.event(
                PendingEvent::inspection(&container.epc, mismatch.clone(), Vec::new(), fields)
                    .with_reason(),
            );
        }
        let unit = |cmd: &Cmd<'_>, item: &VerifyItem| -> Result<UnitView, Failure> {
            let id = item.id.ok_or_else(|| {
                Refusal::new(
                    ReasonCode::UnknownUnit,
                    format!("{} is not known", item.key),
                )
            })?;
            store::unit_by_id(&cmd.tx, id)?.ok_or_else(|| {
                Refusal::new(ReasonCode::UnknownUnit, format!("{} is gone", item.key)).into()
            })
        };
        let mut removed = Vec::new();
        for item in &missing {
            let u = unit(&cmd, item)?;
            let (u, _) = detach(&mut cmd, u, false)?;
            removed.push(u.key);
        }
        let mut moved = Vec::new();
        let mut joined = Vec::new();
        for item in &joining {
            let u = unit(&cmd, item)?;
            let from = item.from.clone();
            let (u, _) = detach(&mut cmd, u, true)?;
            if item.class == VerifyClass::Foreign {
                moved.push(serde_json::json!({"key": u.key, "from": from}));
            }
            joined.push(u);
        }
        let mut container = cmd.reload(&container)?;
        for mut u in joined.iter().cloned() {
            u.parent_id = Some(container.id);
            u.published = closed;
            cmd.save(&u)?;
            container.child_count += 1;
        }
        cmd.save(&container)?;
        if closed && !joined.is_empty() {
            cmd.event(PendingEvent::aggregation(
                Action::Add,
                &container.epc,
                joined.iter().map(|u| u.epc.clone()).collect(),
                "packing",
                Some("in_progress"),
            ));
        }
        let state_disposition = if closed {
            "container_closed"
        } else {
            "container_open"
        };
        cmd.event(
            PendingEvent::inspection(
                &container.epc,
                vec!["completeness_verified", state_disposition],
                mismatch,
                Vec::new(),
            )
            .with_reason(),
        );
        let reason = match (differs, signed.reason.as_deref().map(str::trim)) {
            (true, Some(r)) if !r.is_empty() => format!("contents_mismatch: {r}"),
            (true, _) => "contents_mismatch".to_owned(),
            (false, Some(r)) if !r.is_empty() => format!("contents_verified: {r}"),
            (false, _) => "contents_verified".to_owned(),
        };
        if container.state == Some(ContainerState::Suspended) {
            // Checked while aside: resuming it compares with what was found now.
            let mut keys: Vec<String> = store::children(&cmd.tx, container.id)?
                .into_iter()
                .map(|k| k.key)
                .collect();
            keys.sort();
            store::update_suspension_contents(&cmd.tx, container.id, &keys)?;
        }
        cmd.commit(
            "verify_contents",
            &user,
            &ctx,
            Some(&container.key),
            Some(&signed),
            Some(&reason),
            None,
        )?;
        self.session.verify = None;
        let set_aside: Vec<&str> = wrong
            .iter()
            .chain(if move_foreign { &[][..] } else { &foreign[..] })
            .map(|i| i.key.as_str())
            .collect();
        let added: Vec<&str> = extra.iter().map(|i| i.key.as_str()).collect();
        let code = if differs {
            "contents_mismatch"
        } else {
            "contents_verified"
        };
        Ok(Response::ok()
            .container(&container)
            .data(serde_json::json!({
                "verified": container.key,
                "result": code,
                "counts": view.counts,
                "removed": removed,
                "added": added,
                "moved": moved,
                "set_aside": set_aside,
            })))
    }
}
