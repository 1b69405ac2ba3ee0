//! Closing, removing, unpacking, moving, replacing, relabelling, retiring and undoing.

use super::cmd::{Change, Cmd, Snap};
use super::containers::{close_container, place};
use super::events::{PendingEvent, compensation, stored_event};
use super::{Failure, Outcome, Pending, Response, Station};
use crate::domain::{
    ContainerState, Level, PlacementCheck, ReasonCode, Refusal, UnitStatus, UnitView,
    check_placement,
};
use crate::epcis::{Action, EventKind};
use crate::store;
use std::collections::{HashMap, HashSet};

/// Takes `item` out of its parent: DELETE if its membership was published; `reopen` opens a
/// closed parent again (its contents changed). Returns the updated item and parent.
pub(crate) fn detach(
    cmd: &mut Cmd<'_>,
    mut item: UnitView,
    reopen: bool,
) -> Result<(UnitView, Option<UnitView>), Failure> {
    let Some(parent_id) = item.parent_id else {
        return Ok((item, None));
    };
    let mut parent = store::unit_by_id(&cmd.tx, parent_id)?.ok_or_else(|| {
        Failure::Store(store::StoreError::BadValue {
            what: "units.parent_id",
            value: parent_id.to_string(),
        })
    })?;
    if item.published {
        cmd.event(PendingEvent::aggregation(
            Action::Delete,
            &parent.epc,
            vec![item.epc.clone()],
            "unpacking",
            None,
        ));
    }
    item.parent_id = None;
    item.published = false;
    cmd.save(&item)?;
    parent.child_count = parent.child_count.saturating_sub(1);
    if reopen && parent.state == Some(ContainerState::Closed) {
        parent.state = Some(ContainerState::Open);
    }
    cmd.save(&parent)?;
    Ok((item, Some(parent)))
}

fn require_container(u: &UnitView) -> Result<(), Refusal> {
    if u.is_container() {
        return Ok(());
    }
    Err(Refusal::new(
        ReasonCode::NotAContainer,
        format!("{} is a pack", u.key),
    ))
}

fn require_contents(u: &UnitView) -> Result<(), Refusal> {
    if u.child_count > 0 {
        return Ok(());
    }
    Err(Refusal::new(
        ReasonCode::ContainerEmpty,
        format!("{} holds nothing", u.key),
    ))
}

impl Station {
    /// Closes a container; a short one needs a supervisor signature.
    pub(crate) fn close(
        &mut self,
        scan: Option<&str>,
        signature: Option<&super::SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let container = match scan {
            Some(s) => self.resolve(self.store.conn(), s)?,
            None => self.lowest_current()?,
        };
        require_container(&container)?;
        Self::refuse_held(self.store.conn(), &container)?; // hold / quarantine
        if container.state == Some(ContainerState::Closed) {
            return Err(Refusal::new(
                ReasonCode::ContainerClosed,
                format!("{} is already closed", container.key),
            )
            .into());
        }
        require_contents(&container)?;
        self.require_label_verified(&container)?;
        let short = container
            .capacity
            .is_some_and(|c| container.child_count < c);
        let signed = if short {
            let meaning = format!("approve short {}", container.level.as_str());
            Some(self.check_signature(signature, &meaning, now)?)
        } else {
            None
        };
        let ctx = self.event_context();
        let label = self.prepare_label_at_close(&container, now)?;
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let container = cmd.reload(&container)?;
        // A container put aside can be closed as it is (short, signed): its record goes.
        store::delete_suspension(&cmd.tx, container.id)?;
        let closed = close_container(&mut cmd, container)?;
        // A label that states another count is printed again with the real one (issue 14).
        let label = label.at_close(&cmd.tx, &user.username, &closed, now)?;
        let reason = signed.as_ref().and_then(|s| s.reason.clone());
        let kind = if short { "close_short" } else { "close" };
        cmd.commit(
            kind,
            &user,
            &ctx,
            Some(&closed.key),
            signed.as_ref(),
            reason.as_deref(),
            None,
        )?;
        if self.session.current.get(&closed.level) == Some(&closed.id) {
            self.drop_current(closed.level)?;
        }
        self.session.working = Some(closed.level);
        let mut r = Response::ok().container(&closed);
        r.closed = true;
        if let Some(label) = label {
            r = r.data(serde_json::json!({"label": self.finish_label_at_close(label)}));
        }
        Ok(r)
    }

    fn lowest_current(&mut self) -> Result<UnitView, Failure> {
        self.require_work_order()?;
        self.filling()?.into_iter().next().ok_or_else(|| {
            Refusal::new(
                ReasonCode::NoOpenContainer,
                "nothing is being filled: scan the container to close",
            )
            .into()
        })
    }

    /// Takes a unit out of its container.
    pub(crate) fn remove(&mut self, scan: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let ctx = self.event_context();
        let item = self.resolve(self.store.conn(), scan)?;
        if item.parent_id.is_none() {
            return Err(Refusal::new(
                ReasonCode::NotInContainer,
                format!("{} is in no container", item.key),
            )
            .into());
        }
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let (item, parent) = detach(&mut cmd, item, true)?;
        cmd.commit("remove", &user, &ctx, Some(&item.key), None, None, None)?;
        let r = Response::ok().unit(&item);
        Ok(match parent {
            Some(p) => r.container(&p),
            None => r,
        })
    }

    /// Empties a whole container (AggregationEvent DELETE with no children = all of them).
    pub(crate) fn unpack(&mut self, scan: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let ctx = self.event_context();
        let container = self.resolve(self.store.conn(), scan)?;
        require_container(&container)?;
        require_contents(&container)?;
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let container = unpack_all(&mut cmd, container)?;
        cmd.commit(
            "unpack",
            &user,
            &ctx,
            Some(&container.key),
            None,
            None,
            None,
        )?;
        Ok(Response::ok().container(&container))
    }

    /// Moves a unit into another container; without `confirm` it asks first.
    pub(crate) fn move_request(
        &mut self,
        scan: &str,
        to: Option<&str>,
        confirm: bool,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let item = self.resolve(self.store.conn(), scan)?;
        Self::refuse_held(self.store.conn(), &item)?; // hold / quarantine
        let target = match to {
            Some(t) => self.resolve(self.store.conn(), t)?,
            None => self.target_for_unit(item.level)?,
        };
        Self::refuse_held(self.store.conn(), &target)?; // hold / quarantine
        let chain: Vec<i64> = store::ancestors(self.store.conn(), &target)?
            .iter()
            .map(|u| u.id)
            .collect();
        let expected = self
            .session
            .work_order
            .as_ref()
            .and_then(|o| {
                Level::ALL
                    .into_iter()
                    .find(|l| o.spec.parent_level(*l) == Some(target.level))
            })
            .or_else(|| {
                Level::ALL
                    .into_iter()
                    .find(|l| l.rank() + 1 == target.level.rank())
            });
        match check_placement(&item, &target, &chain, expected)? {
            PlacementCheck::AlreadyThere => Ok(Response::with_code(
                ReasonCode::AlreadyInThisContainer,
                Some(format!("{} is already in {}", item.key, target.key)),
            )
            .unit(&item)
            .container(&target)),
            PlacementCheck::Place => {
                // Not in any container: a move is simply a pack.
                let ctx = self.event_context();
                let tx = self.store.begin()?;
                let mut cmd = Cmd::new(tx, now);
                let (item, target, closed) = place(&mut cmd, item, target, false)?;
                cmd.commit("pack", &user, &ctx, Some(&item.key), None, None, None)?;
                let mut r = Response::ok().unit(&item).container(&target);
                r.closed = closed;
                Ok(r)
            }
            PlacementCheck::NeedsMove if confirm => self.do_move(item.id, target.id, now),
            PlacementCheck::NeedsMove => {
                // The question names where the unit is and where it goes.
                let from_key = match item.parent_id {
                    Some(p) => store::unit_by_id(self.store.conn(), p)?.map(|f| f.key),
                    None => None,
                }
                .unwrap_or_default();
                self.session.pending = Some(Pending::Move {
                    item: item.id,
                    target: target.id,
                });
                Ok(Response::with_code(
                    ReasonCode::ConfirmRequired,
                    Some(format!("confirm to move {} to {}", item.key, target.key)),
                )
                .unit(&item)
                .container(&target)
                .data(serde_json::json!({"from": from_key, "to": target.key})))
            }
        }
    }

    /// Confirms the pending step.
    pub(crate) fn confirm(&mut self, now: i64) -> Outcome {
        self.require_user()?;
        match self.session.pending.take() {
            Some(Pending::Move { item, target }) => self.do_move(item, target, now),
            Some(Pending::Switch { put_aside, scan }) => self.confirm_switch(put_aside, &scan, now),
            Some(Pending::Resume { unit }) => {
                let u = store::unit_by_id(self.store.conn(), unit)?.ok_or_else(|| {
                    Refusal::new(ReasonCode::UnknownUnit, "the container to resume is gone")
                })?;
                if u.state != Some(ContainerState::Suspended) {
                    return Err(Refusal::new(
                        ReasonCode::NothingToConfirm,
                        format!("{} is no longer put aside", u.key),
                    )
                    .into());
                }
                self.resume_unit(&u, true, now)
            }
            None => Err(Refusal::new(
                ReasonCode::NothingToConfirm,
                "nothing is waiting for confirmation",
            )
            .into()),
        }
    }

    fn do_move(&mut self, item_id: i64, target_id: i64, now: i64) -> Outcome {
        let user = self.require_user()?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let missing = || Refusal::new(ReasonCode::UnknownUnit, "the unit to move is gone");
        let item = store::unit_by_id(&cmd.tx, item_id)?.ok_or_else(missing)?;
        let target = store::unit_by_id(&cmd.tx, target_id)?.ok_or_else(missing)?;
        let chain: Vec<i64> = store::ancestors(&cmd.tx, &target)?
            .iter()
            .map(|u| u.id)
            .collect();
        let expected = Level::ALL
            .into_iter()
            .find(|l| l.rank() + 1 == target.level.rank());
        if check_placement(&item, &target, &chain, expected)? == PlacementCheck::AlreadyThere {
            return Ok(
                Response::with_code(ReasonCode::AlreadyInThisContainer, None)
                    .unit(&item)
                    .container(&target),
            );
        }
        let (item, _old) = detach(&mut cmd, item, true)?;
        let target = cmd.reload(&target)?;
        let (item, target, closed) = place(&mut cmd, item, target, true)?;
        cmd.commit("move", &user, &ctx, Some(&item.key), None, None, None)?;
        if closed {
            self.drop_current(target.level)?;
        }
        let mut r = Response::ok().unit(&item).container(&target);
        r.closed = closed;
        Ok(r)
    }

    /// Undoes the user's last action: state back as it was, and every repository brought back
    /// to the same state (`docs/sync.md`, Corrections):
    ///
    /// - its events are stored again with an error declaration (`did_not_occur`, same eventID)
    ///   whose `correctiveEventIDs` name the compensating events, then the compensating events
    ///   themselves, in reverse order ([`super::events::compensation`]); the sync worker sends
    ///   each repository the ones it understands;
    /// - if its outbox row never left, both rows are withdrawn: nothing of either is sent;
    /// - if it retired units (an ObjectEvent DELETE), its row may have left and the repository
    ///   does not honour error declarations (the station's [`super::RepositoryLink`]), it is
    ///   refused with `UNDO_NOT_POSSIBLE` and nothing changes.
    pub(crate) fn undo(&mut self, signature: Option<&super::SignatureInput>, now: i64) -> Outcome {
        let user = self.require_user()?;
        super::hold::refuse_undo_of_hold(self.store.conn(), &user.username)?; // hold / quarantine
        let rec = store::last_undoable_command(self.store.conn(), &user.username)?
            .ok_or_else(|| Refusal::new(ReasonCode::NothingToUndo, "you have no action to undo"))?;
        let changes: Vec<Change> = serde_json::from_str(&rec.changes).map_err(|e| {
            Failure::Store(store::StoreError::BadValue {
                what: "commands.changes",
                value: e.to_string(),
            })
        })?;
        super::hold::refuse_held_undo(self.store.conn(), &changes)?; // hold / quarantine
        let signed = if rec.signed {
            Some(self.check_signature(signature, "approve undo of a signed action", now)?)
        } else {
            None
        };
        // No repository configured: error-declaration semantics (EPCIS 2.0).
        let honours = self
            .link
            .as_ref()
            .is_none_or(|l| l.honours_error_declarations());
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let mut undone = Vec::new();
        for body in store::command_events(&cmd.tx, rec.id)? {
            undone.push(stored_event(&body).ok_or_else(|| {
                Failure::Store(store::StoreError::BadValue {
                    what: "events.body",
                    value: body.chars().take(80).collect(),
                })
            })?);
        }
        // Read inside the transaction: the sync worker claims rows in its own write
        // transaction, so the row cannot start leaving between this read and the commit.
        let row = store::outbox_row(&cmd.tx, rec.id)?;
        let never_left = row.as_ref().is_none_or(store::OutboxRow::never_left);
        let keys = unit_keys(&cmd.tx, &changes)?;
        if !never_left && !honours {
            let retired = undone
                .iter()
                .find(|e| e.kind == EventKind::Object && e.action == Action::Delete);
            if let Some(e) = retired {
                let what = e.biz_step.as_deref().unwrap_or("decommissioning");
                let unit = e.epcs.first().map_or_else(String::new, |epc| {
                    keys.key_of_epc(epc).unwrap_or(epc.as_str()).to_owned()
                });
                let recorded = if row.as_ref().is_some_and(|r| r.state == "sent") {
                    "has recorded"
                } else {
                    "may already have recorded"
                };
                return Err(Refusal::new(
                    ReasonCode::UndoNotPossible,
                    format!(
                        "the repository {recorded} the {what} of {unit} ({} #{}); it cannot be \
                         reversed there",
                        rec.kind, rec.id
                    ),
                )
                .into());
            }
        }
        // A unit whose commissioning already reached a repository that keeps every event
        // stays known as decommissioned (its compensation decommissions it there, for good);
        // otherwise the undo of its creation forgets it.
        let commissioned_for_good: HashSet<&str> = if never_left || honours {
            HashSet::new()
        } else {
            undone
                .iter()
                .filter(|e| e.kind == EventKind::Object && e.action == Action::Add)
                .flat_map(|e| e.epcs.iter().map(String::as_str))
                .collect()
        };
        for c in changes.iter().rev() {
            let Some(mut u) = store::unit_by_id(&cmd.tx, c.id)? else {
                return Err(Refusal::new(
                    ReasonCode::UndoConflict,
                    format!("{} no longer exists", c.key),
                )
                .into());
            };
            if Snap::of(&u) != c.after {
                return Err(Refusal::new(
                    ReasonCode::UndoConflict,
                    format!("{} changed since", c.key),
                )
                .into());
            }
            match &c.before {
                Some(before) => {
                    before.apply(&mut u)?;
                    cmd.save(&u)?;
                }
                None if commissioned_for_good.contains(u.epc.as_str()) => {
                    u.status = UnitStatus::Decommissioned;
                    u.parent_id = None;
                    u.published = false;
                    u.child_count = 0;
                    if u.is_container() {
                        u.state = Some(ContainerState::Closed);
                    }
                    cmd.save(&u)?;
                }
                None => cmd.delete(&u)?,
            }
        }
        // Corrections first (a repository that ignores declarations applies each copy as one
        // more event, so the compensations must come after them), then the compensations,
        // the last undone event's first.
        let base = undone.len();
        let mut compensations = Vec::new();
        let mut compensated_by = vec![None; undone.len()];
        for (i, e) in undone.iter().enumerate().rev() {
            if let Ok(p) = compensation(e, |parent| keys.published_children(parent)) {
                compensated_by[i] = Some(base + compensations.len());
                compensations.push(p);
            }
        }
        let n_compensations = compensations.len();
        for (e, by) in undone.into_iter().zip(compensated_by) {
            cmd.event(PendingEvent::Correction {
                original: Box::new(e),
                corrected_by: by.into_iter().collect(),
            });
        }
        for p in compensations {
            cmd.event(p);
        }
        let withdrawn = row.is_some() && never_left;
        if withdrawn {
            cmd.withdraw(rec.id);
        }
        let reason = format!("undo of {} #{}", rec.kind, rec.id);
        let (undo_id, _) = cmd.commit(
            "undo",
            &user,
            &ctx,
            None,
            signed.as_ref(),
            Some(&reason),
            Some(rec.id),
        )?;
        // Containers the undo reopened become current again.
        for c in &changes {
            if let Some(u) = store::unit_by_id(self.store.conn(), c.id)?
                && u.is_container()
                && u.state == Some(ContainerState::Open)
                && !self.session.current.contains_key(&u.level)
            {
                self.take_current(&u)?;
            }
        }
        Ok(Response::ok().data(serde_json::json!({
            "undone": rec.kind,
            "command": rec.id,
            "undo": undo_id,
            "withdrawn": withdrawn,
            "compensations": n_compensations,
        })))
    }
}

/// The units an undo touches, as they were before the undone command: EPC ↔ key, and which
/// children were published in which parent (what an "unpack all" took out).
struct UnitKeys {
    keys: HashMap<String, String>,
    published: HashMap<String, Vec<String>>,
}

impl UnitKeys {
    fn key_of_epc(&self, epc: &str) -> Option<&str> {
        self.keys.get(epc).map(String::as_str)
    }

    fn published_children(&self, parent_epc: &str) -> Vec<String> {
        self.published.get(parent_epc).cloned().unwrap_or_default()
    }
}

fn unit_keys(conn: &store::Conn, changes: &[Change]) -> Result<UnitKeys, Failure> {
    let mut epc_of: HashMap<i64, String> = HashMap::new();
    let mut keys = HashMap::new();
    for id in changes
        .iter()
        .flat_map(|c| std::iter::once(c.id).chain(c.before.as_ref().and_then(|b| b.parent)))
    {
        if epc_of.contains_key(&id) {
            continue;
        }
        if let Some(u) = store::unit_by_id(conn, id)? {
            keys.insert(u.epc.clone(), u.key.clone());
            epc_of.insert(id, u.epc);
        }
    }
    let mut published: HashMap<String, Vec<String>> = HashMap::new();
    for c in changes {
        if let Some(b) = &c.before
            && b.published
            && let Some(parent) = b.parent.and_then(|p| epc_of.get(&p))
            && let Some(child) = epc_of.get(&c.id)
        {
            published
                .entry(parent.clone())
                .or_default()
                .push(child.clone());
        }
    }
    Ok(UnitKeys { keys, published })
}

/// Detaches every child of a container.
pub(crate) fn unpack_all(cmd: &mut Cmd<'_>, mut container: UnitView) -> Result<UnitView, Failure> {
    let kids = store::children(&cmd.tx, container.id)?;
    if kids.iter().any(|k| k.published) {
        cmd.event(PendingEvent::aggregation(
            Action::Delete,
            &container.epc,
            Vec::new(),
            "unpacking",
            None,
        ));
    }
    for mut k in kids {
        k.parent_id = None;
        k.published = false;
        cmd.save(&k)?;
    }
    container.child_count = 0;
    container.state = Some(ContainerState::Open);
    cmd.save(&container)?;
    Ok(container)
}
