//! Holds (quarantine), the commands: `hold` (a supervisor or QA signs), `release` (QA signs)
//! and `holds` (the active holds). Each change is one command: the hold row, its EPCIS event,
//! the outbox row, the signature and the audit record in one transaction.
//!
//! Events (`docs/architecture.md` §8): a hold is an ObjectEvent OBSERVE of every active unit it
//! covers that the station knows, bizStep `holding`, disposition `non_sellable_other`
//! (`recalled` for a recall); a release is an OBSERVE, bizStep `inspecting`, of the units no
//! other hold still covers, with the disposition they had before (`in_progress` when their
//! membership in a container was published or they hold published units, else `active`).
//! Both carry `pb:reason`, `pb:signature` and `pb:holdScope`. A lot the station knows no unit
//! of is held without an event (the event model has no class-level quantities).

use super::cmd::Cmd;
use super::events::PendingEvent;
use super::hold::{covered, describe};
use super::{Outcome, Response, SignatureInput, Station};
use crate::domain::{Hold, HoldReason, HoldScope, ReasonCode, Refusal, UnitView};
use crate::epcis::{Action, EventKind};
use crate::store::{self, Conn, HoldRecord, StoreError};
use serde_json::json;
use std::cell::Cell;
use std::rc::Rc;

/// The meaning of the signature that places a hold.
pub const HOLD_MEANING: &str = "approve hold (quarantine)";
/// The meaning of the QA signature that releases a hold.
pub const RELEASE_MEANING: &str = "approve release from hold";
/// At most this many unit keys are listed per hold in `holds`.
const HOLDS_KEYS_MAX: usize = 100;

/// What a hold or release names: a scan (unit or container), or a GTIN + lot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HoldTarget<'a> {
    pub scan: Option<&'a str>,
    pub gtin: Option<&'a str>,
    pub lot: Option<&'a str>,
}

fn invalid(detail: String) -> Refusal {
    Refusal::new(ReasonCode::InvalidArgument, detail)
}

/// The active units a scope covers today: the unit, the container and everything in it, or
/// every known unit of the lot.
fn units_of(conn: &Conn, scope: &HoldScope) -> Result<Vec<UnitView>, StoreError> {
    let mut units: Vec<UnitView> = match scope {
        HoldScope::Unit { unit_id, .. } => store::unit_by_id(conn, *unit_id)?.into_iter().collect(),
        HoldScope::Container { unit_id, .. } => {
            let mut v: Vec<UnitView> = store::unit_by_id(conn, *unit_id)?.into_iter().collect();
            v.extend(store::subtree(conn, *unit_id)?);
            v
        }
        HoldScope::Lot { gtin, lot } => store::units_of_lot(conn, gtin, lot)?,
    };
    units.retain(|u| u.status.is_active());
    Ok(units)
}

/// The active units a hold's scope covers (the returns desk's automatic hold).
pub(super) fn units_of_scope(conn: &Conn, scope: &HoldScope) -> Result<Vec<UnitView>, StoreError> {
    units_of(conn, scope)
}

/// The ObjectEvent OBSERVE (`holding`) of a hold placed on `epcs`.
pub(super) fn hold_event_for(
    epcs: Vec<String>,
    disposition: &'static str,
    scope: &HoldScope,
) -> PendingEvent {
    hold_event(epcs, "holding", disposition, scope)
}

fn hold_event(
    epcs: Vec<String>,
    biz_step: &'static str,
    disposition: &'static str,
    scope: &HoldScope,
) -> PendingEvent {
    PendingEvent::New {
        kind: EventKind::Object,
        action: Action::Observe,
        parent: None,
        epcs,
        biz_step,
        disposition: Some(disposition),
        persistent_set: Vec::new(),
        persistent_unset: Vec::new(),
        fields: vec![("holdScope", scope.describe())],
        with_reason: true,
    }
}

/// The hold's row as the protocol lists it.
fn hold_json(conn: &Conn, r: &HoldRecord) -> Result<serde_json::Value, StoreError> {
    let units = units_of(conn, &r.hold.scope)?;
    let keys: Vec<&str> = units
        .iter()
        .take(HOLDS_KEYS_MAX)
        .map(|u| u.key.as_str())
        .collect();
    let mut v = serde_json::to_value(&r.hold).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("signature_id".into(), json!(r.signature_id));
        o.insert("units".into(), json!(units.len()));
        o.insert("unit_keys".into(), json!(keys));
        o.insert("released_by".into(), json!(r.released_by));
        o.insert("released_ms".into(), json!(r.released_ms));
        o.insert("release_reason".into(), json!(r.release_reason));
    }
    Ok(v)
}

impl Station {
    /// What a hold request names.
    fn hold_scope(&self, target: HoldTarget<'_>) -> Result<(HoldScope, String), super::Failure> {
        match target {
            HoldTarget {
                scan: Some(scan),
                gtin: None,
                lot: None,
            } => {
                let unit = self.resolve(self.store.conn(), scan)?;
                super::scan::refuse_inactive(&unit)?;
                let key = unit.key.clone();
                let scope = if unit.is_container() {
                    HoldScope::Container {
                        unit_id: unit.id,
                        key: key.clone(),
                    }
                } else {
                    HoldScope::Unit {
                        unit_id: unit.id,
                        key: key.clone(),
                    }
                };
                Ok((scope, key))
            }
            HoldTarget {
                scan: None,
                gtin: Some(gtin),
                lot: Some(lot),
            } => {
                let gtin: crate::gs1::Gtin = gtin
                    .parse()
                    .map_err(|e| invalid(format!("gtin '{gtin}': {e}")))?;
                let lot: crate::gs1::Lot = lot
                    .parse()
                    .map_err(|e| invalid(format!("lot '{lot}': {e}")))?;
                let key = format!("(01){}(10){}", gtin.as_str(), lot.as_str());
                Ok((
                    HoldScope::Lot {
                        gtin: gtin.as_str().to_owned(),
                        lot: lot.as_str().to_owned(),
                    },
                    key,
                ))
            }
            _ => Err(invalid(
                "name either a unit or container (scan) or a lot (gtin and lot)".to_owned(),
            )
            .into()),
        }
    }

    /// `hold`: puts a unit, a container (everything in it) or a lot on hold.
    pub(crate) fn hold(
        &mut self,
        target: HoldTarget<'_>,
        reason: HoldReason,
        comment: Option<&str>,
        signature: Option<&SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let (scope, key) = self.hold_scope(target)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if let Some(same) = store::active_holds(self.store.conn())?
            .into_iter()
            .find(|r| r.hold.scope == scope)
        {
            return Err(Refusal::new(
                ReasonCode::AlreadyExists,
                format!("{key} is already on hold: {}", describe(&same.hold)),
            )
            .into());
        }
        let signed = self.check_signature(signature, HOLD_MEANING, now)?;
        let reason_text = match comment {
            Some(c) => format!("{}: {c}", reason.code()),
            None => reason.code().to_owned(),
        };
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let units = units_of(&cmd.tx, &scope)?;
        if !units.is_empty() {
            cmd.event(hold_event(
                units.iter().map(|u| u.epc.clone()).collect(),
                "holding",
                reason.disposition(),
                &scope,
            ));
        }
        let hold_id = Rc::new(Cell::new(0));
        let (id_out, row_scope, row_comment, signer) = (
            Rc::clone(&hold_id),
            scope.clone(),
            comment.map(str::to_owned),
            signed.signer.username.clone(),
        );
        cmd.link(Box::new(
            move |tx: &store::Tx<'_>, command_id: i64, signature_id: Option<i64>| {
                let new = store::NewHold {
                    scope: &row_scope,
                    reason,
                    comment: row_comment.as_deref(),
                    placed_by: &signer,
                    placed_ms: now,
                };
                id_out.set(store::insert_hold(tx, &new, command_id, signature_id)?);
                Ok(())
            },
        ));
        cmd.commit(
            "hold",
            &user,
            &ctx,
            Some(&key),
            Some(&signed),
            Some(&reason_text),
            None,
        )?;
        let hold = Hold {
            id: hold_id.get(),
            scope,
            reason,
            comment: comment.map(str::to_owned),
            placed_by: signed.signer.username.clone(),
            placed_ms: now,
        };
        let mut r = Response::ok();
        if let Some(u) = units.first().filter(|_| hold.scope.unit_id().is_some()) {
            r = r.unit(u);
            if let Some(info) = r.unit.as_mut() {
                info.held = true;
                info.hold = Some(hold.clone());
            }
        }
        Ok(r.data(json!({
            "hold": hold,
            "units": units.len(),
            "events": usize::from(!units.is_empty()),
        })))
    }

    /// The active hold a release names: by id, or the hold on exactly this unit or lot.
    fn hold_to_release(
        &self,
        id: Option<i64>,
        target: HoldTarget<'_>,
    ) -> Result<HoldRecord, super::Failure> {
        let conn = self.store.conn();
        let record = match id {
            Some(id) if target.scan.is_none() && target.gtin.is_none() && target.lot.is_none() => {
                store::hold_by_id(conn, id)?
                    .ok_or_else(|| invalid(format!("there is no hold #{id}")))?
            }
            Some(_) => {
                return Err(invalid("name a hold either by id or by what it holds".into()).into());
            }
            None => {
                let (scope, key) = self.hold_scope(target)?;
                match store::active_holds(conn)?
                    .into_iter()
                    .find(|r| r.hold.scope == scope)
                {
                    Some(r) => r,
                    None => {
                        let why = match &scope {
                            HoldScope::Lot { .. } => String::new(),
                            HoldScope::Unit { unit_id, .. }
                            | HoldScope::Container { unit_id, .. } => {
                                match store::unit_by_id(conn, *unit_id)? {
                                    Some(u) => covered(conn, &u)?.map_or_else(String::new, |h| {
                                        format!(" (it is held by {}: release that)", describe(&h))
                                    }),
                                    None => String::new(),
                                }
                            }
                        };
                        return Err(invalid(format!("{key} has no hold of its own{why}")).into());
                    }
                }
            }
        };
        if let (Some(by), Some(at)) = (&record.released_by, record.released_ms) {
            return Err(invalid(format!(
                "hold #{} was already released by {by} at {at}",
                record.hold.id
            ))
            .into());
        }
        Ok(record)
    }

    /// `release`: lifts a hold; a QA signature and a reason are required.
    pub(crate) fn release(
        &mut self,
        id: Option<i64>,
        target: HoldTarget<'_>,
        reason: &str,
        signature: Option<&SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let record = self.hold_to_release(id, target)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("a release needs a reason".to_owned()).into());
        }
        let signed = self.check_signature(signature, RELEASE_MEANING, now)?;
        if !signed.signer.role.can_release_holds() {
            return Err(Refusal::new(
                ReasonCode::SignatureInvalid,
                format!(
                    "{} is a {}: only quality assurance (qa) releases a hold",
                    signed.signer.username,
                    signed.signer.role.as_str()
                ),
            )
            .into());
        }
        let hold = record.hold;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let others: Vec<Hold> = store::active_holds(&cmd.tx)?
            .into_iter()
            .map(|r| r.hold)
            .filter(|h| h.id != hold.id)
            .collect();
        let mut freed = Vec::new();
        let mut still_held = 0usize;
        for u in units_of(&cmd.tx, &hold.scope)? {
            let chain = store::ancestors(&cmd.tx, &u)?;
            if crate::domain::covering_hold(&u, &chain, &others).is_some() {
                still_held += 1;
            } else {
                freed.push(u);
            }
        }
        let mut in_progress = Vec::new();
        let mut active = Vec::new();
        for u in &freed {
            let aggregated = u.published
                || (u.is_container()
                    && store::children(&cmd.tx, u.id)?.iter().any(|k| k.published));
            if aggregated {
                in_progress.push(u.epc.clone());
            } else {
                active.push(u.epc.clone());
            }
        }
        for (epcs, disposition) in [(active, "active"), (in_progress, "in_progress")] {
            if !epcs.is_empty() {
                cmd.event(hold_event(epcs, "inspecting", disposition, &hold.scope));
            }
        }
        let (hold_id, signer) = (hold.id, signed.signer.username.clone());
        let row_reason = reason.to_owned();
        cmd.link(Box::new(
            move |tx: &store::Tx<'_>, command_id: i64, signature_id: Option<i64>| {
                let done = store::release_hold(
                    tx,
                    &store::HoldRelease {
                        hold_id,
                        released_by: &signer,
                        released_ms: now,
                        reason: &row_reason,
                        command_id,
                        signature_id,
                    },
                )?;
                if done {
                    Ok(())
                } else {
                    Err(StoreError::BadValue {
                        what: "holds.released_ms",
                        value: format!("hold #{hold_id} is no longer active"),
                    })
                }
            },
        ));
        let target_key = match &hold.scope {
            HoldScope::Unit { key, .. } | HoldScope::Container { key, .. } => key.clone(),
            HoldScope::Lot { gtin, lot } => format!("(01){gtin}(10){lot}"),
        };
        cmd.commit(
            "release",
            &user,
            &ctx,
            Some(&target_key),
            Some(&signed),
            Some(&format!("release of hold #{}: {reason}", hold.id)),
            None,
        )?;
        Ok(Response::ok().data(json!({
            "released": hold,
            "released_by": signed.signer.username,
            "units": freed.len(),
            "still_held": still_held,
        })))
    }

    /// `holds`: the active holds, oldest first.
    pub(crate) fn holds_request(&self) -> Outcome {
        self.require_user()?;
        let conn = self.store.conn();
        let mut list = Vec::new();
        for r in store::active_holds(conn)? {
            list.push(hold_json(conn, &r)?);
        }
        Ok(Response::ok().data(json!({ "holds": list })))
    }
}
