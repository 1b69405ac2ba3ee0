//! Rework at the bench: replacing a damaged unit, relabelling a container, and taking units out
//! of the supply chain (decommission, destroy, sample, reject).

use super::cmd::Cmd;
use super::containers::place;
use super::events::PendingEvent;
use super::ops::detach;
use super::scan::{Scanned, not_on_serial_list};
use super::{Outcome, Response, Station};
use crate::domain::{
    ContainerState, Level, ReasonCode, Refusal, RemovalReason, RetireKind, UnitStatus,
    check_product,
};
use crate::epcis::Action;
use crate::store::{self, NewUnit};

impl Station {
    /// Replaces a damaged unit in its container with another one.
    pub(crate) fn replace(
        &mut self,
        damaged: &str,
        replacement: &str,
        reason: Option<RemovalReason>,
        destroy: bool,
        signature: Option<&super::SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        let reason = reason.unwrap_or(RemovalReason::Damaged);
        let bad = self.resolve(self.store.conn(), damaged)?;
        if !bad.status.is_active() {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("{} is {}", bad.key, bad.status.as_str()),
            )
            .into());
        }
        if bad.parent_id.is_none() {
            return Err(Refusal::new(
                ReasonCode::NotInContainer,
                format!("{} is in no container", bad.key),
            )
            .into());
        }
        let scanned = self.identify(replacement)?;
        let (epc, level) = self.epc_and_level(&scanned)?;
        if level != bad.level {
            return Err(Refusal::new(
                ReasonCode::WrongLevel,
                format!(
                    "the replacement is a {}, the damaged unit a {}",
                    level.as_str(),
                    bad.level.as_str()
                ),
            )
            .into());
        }
        if let Scanned::Sgtin {
            sgtin, lot, expiry, ..
        } = &scanned
        {
            check_product(
                &order,
                sgtin.gtin.as_str(),
                lot.as_deref(),
                expiry.as_deref(),
            )?;
        }
        let existing = store::unit_by_key(self.store.conn(), scanned.key())?;
        if let Some(u) = &existing {
            super::scan::refuse_inactive(u)?;
        }
        super::hold::refuse_held_scan(self.store.conn(), existing.as_ref(), &scanned)?; // hold
        match &existing {
            Some(u) if u.parent_id.is_some() => {
                return Err(Refusal::new(
                    ReasonCode::InOtherContainer,
                    format!("{} is in another container: remove or move it first", u.key),
                )
                .into());
            }
            None if order.has_serial_list && level == Level::Pack => {
                return Err(not_on_serial_list(&scanned, &order).into());
            }
            _ => {}
        }
        let kind = if destroy {
            RetireKind::Destroy
        } else {
            RetireKind::Decommission
        };
        let signed =
            self.check_signature(signature, "approve replacement of a damaged unit", now)?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let bad = cmd.reload(&bad)?;
        let (mut bad, parent) = detach(&mut cmd, bad, false)?;
        let parent =
            parent.ok_or_else(|| Refusal::new(ReasonCode::NotInContainer, "no container"))?;
        cmd.event(PendingEvent::object(
            Action::Observe,
            vec![bad.epc.clone()],
            "inspecting",
            Some("damaged"),
        ));
        cmd.event(
            PendingEvent::object(
                Action::Delete,
                vec![bad.epc.clone()],
                kind.biz_step(),
                Some(kind.disposition()),
            )
            .with_reason(),
        );
        bad.status = kind.resulting_status();
        cmd.save(&bad)?;
        let new_item = match existing {
            Some(u) => cmd.reload(&u)?,
            None => cmd.create(&NewUnit {
                key: scanned.key(),
                epc: &epc,
                level,
                gtin: Some(order.gtin.as_str()),
                lot: match &scanned {
                    Scanned::Sgtin { lot, .. } => lot.as_deref(),
                    Scanned::Sscc { .. } => None,
                },
                expiry: match &scanned {
                    Scanned::Sgtin { expiry, .. } => expiry.as_deref(),
                    Scanned::Sscc { .. } => None,
                },
                state: None,
                capacity: None,
                work_order: Some(&order.id),
                listed: false,
                time_ms: now,
            })?,
        };
        let publish_now = parent.state == Some(ContainerState::Closed);
        let (new_item, parent, _closed) = place(&mut cmd, new_item, parent, publish_now)?;
        cmd.commit(
            "replace",
            &user,
            &ctx,
            Some(&bad.key),
            Some(&signed),
            Some(reason.code()),
            None,
        )?;
        Ok(Response::ok()
            .unit(&new_item)
            .container(&parent)
            .data(serde_json::json!({"replaced": bad.key, "status": bad.status.as_str()})))
    }

    /// Gives a container a new SSCC: its contents move to the new label, the old one is
    /// decommissioned.
    pub(crate) fn relabel(&mut self, old: &str, new: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let old = self.resolve(self.store.conn(), old)?;
        Self::refuse_held(self.store.conn(), &old)?; // hold / quarantine: the hold names the label
        if !old.is_container() {
            return Err(
                Refusal::new(ReasonCode::NotAContainer, format!("{} is a pack", old.key)).into(),
            );
        }
        if !old.status.is_active() {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("{} is {}", old.key, old.status.as_str()),
            )
            .into());
        }
        let scanned = self.identify(new)?;
        if !matches!(scanned, Scanned::Sscc { .. }) {
            return Err(Refusal::new(
                ReasonCode::InvalidArgument,
                format!("the new label {} is not an SSCC", scanned.key()),
            )
            .into());
        }
        if store::unit_by_key(self.store.conn(), scanned.key())?.is_some() {
            return Err(Refusal::new(
                ReasonCode::AlreadyExists,
                format!("{} is already in use", scanned.key()),
            )
            .into());
        }
        let (epc, _) = self.epc_and_level(&scanned)?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let mut old = cmd.reload(&old)?;
        let mut fresh = cmd.create(&NewUnit {
            key: scanned.key(),
            epc: &epc,
            level: old.level,
            gtin: None,
            lot: None,
            expiry: None,
            state: old.state,
            capacity: old.capacity,
            work_order: old.work_order.as_deref(),
            listed: false,
            time_ms: now,
        })?;
        cmd.event(PendingEvent::object(
            Action::Add,
            vec![epc.clone()],
            "commissioning",
            Some("active"),
        ));
        let old_parent = old.parent_id;
        let old_published = old.published;
        if let Some(pid) = old_parent
            && old_published
            && let Some(p) = store::unit_by_id(&cmd.tx, pid)?
        {
            cmd.event(PendingEvent::aggregation(
                Action::Delete,
                &p.epc,
                vec![old.epc.clone()],
                "unpacking",
                None,
            ));
        }
        let kids = store::children(&cmd.tx, old.id)?;
        if kids.iter().any(|k| k.published) {
            cmd.event(PendingEvent::aggregation(
                Action::Delete,
                &old.epc,
                Vec::new(),
                "unpacking",
                None,
            ));
        }
        let closed = old.state == Some(ContainerState::Closed);
        for mut k in kids.iter().cloned() {
            k.parent_id = Some(fresh.id);
            k.published = closed;
            cmd.save(&k)?;
        }
        if closed && !kids.is_empty() {
            cmd.event(PendingEvent::aggregation(
                Action::Add,
                &epc,
                kids.iter().map(|k| k.epc.clone()).collect(),
                "packing",
                Some("in_progress"),
            ));
        }
        fresh.child_count = old.child_count;
        fresh.parent_id = old_parent;
        fresh.published = old_published;
        cmd.save(&fresh)?;
        if let Some(pid) = old_parent
            && old_published
            && let Some(p) = store::unit_by_id(&cmd.tx, pid)?
        {
            cmd.event(PendingEvent::aggregation(
                Action::Add,
                &p.epc,
                vec![epc.clone()],
                "packing",
                Some("in_progress"),
            ));
        }
        old.parent_id = None;
        old.published = false;
        old.child_count = 0;
        old.status = UnitStatus::Decommissioned;
        old.state = Some(ContainerState::Closed);
        cmd.save(&old)?;
        cmd.event(
            PendingEvent::object(
                Action::Delete,
                vec![old.epc.clone()],
                "decommissioning",
                Some("inactive"),
            )
            .with_reason(),
        );
        cmd.commit(
            "relabel",
            &user,
            &ctx,
            Some(&old.key),
            None,
            Some(RemovalReason::Relabelled.code()),
            None,
        )?;
        if self.session.current.get(&fresh.level) == Some(&old.id) {
            self.take_current(&fresh)?;
        }
        Ok(Response::ok()
            .container(&fresh)
            .data(serde_json::json!({"old": old.key, "new": fresh.key})))
    }

    /// Decommissions, destroys, samples or rejects a unit and everything inside it.
    pub(crate) fn retire(
        &mut self,
        scan: &str,
        kind: RetireKind,
        reason: RemovalReason,
        comment: Option<&str>,
        signature: Option<&super::SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let unit = self.resolve(self.store.conn(), scan)?;
        if !unit.status.is_active() {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("{} is already {}", unit.key, unit.status.as_str()),
            )
            .into());
        }
        let signed = self.check_signature(signature, kind.signature_meaning(), now)?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let unit = cmd.reload(&unit)?;
        let (unit, _parent) = detach(&mut cmd, unit, true)?;
        let below = store::subtree(&cmd.tx, unit.id)?;
        let mut all = vec![unit];
        all.extend(below);
        // Disaggregate first: every container whose contents were published.
        for c in all.iter().filter(|u| u.is_container() && u.child_count > 0) {
            if store::children(&cmd.tx, c.id)?.iter().any(|k| k.published) {
                cmd.event(PendingEvent::aggregation(
                    Action::Delete,
                    &c.epc,
                    Vec::new(),
                    "unpacking",
                    None,
                ));
            }
        }
        let epcs: Vec<String> = all.iter().map(|u| u.epc.clone()).collect();
        for (i, u) in all.iter_mut().enumerate() {
            if i > 0 {
                u.parent_id = None;
                u.published = false;
            }
            u.child_count = 0;
            u.status = kind.resulting_status();
            if u.is_container() {
                u.state = Some(ContainerState::Closed);
            }
            cmd.save(u)?;
        }
        cmd.event(
            PendingEvent::object(
                Action::Delete,
                epcs,
                kind.biz_step(),
                Some(kind.disposition()),
            )
            .with_reason(),
        );
        let reason_text = match comment {
            Some(c) if !c.trim().is_empty() => format!("{}: {}", reason.code(), c.trim()),
            _ => reason.code().to_owned(),
        };
        let top = &all[0];
        cmd.commit(
            &format!("retire_{}", kind.biz_step()),
            &user,
            &ctx,
            Some(&top.key),
            Some(&signed),
            Some(&reason_text),
            None,
        )?;
        let n = all.len();
        Ok(Response::ok()
            .unit(&all[0])
            .data(serde_json::json!({"units": n, "status": all[0].status.as_str()})))
    }
}
