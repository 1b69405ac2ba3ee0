//! Closing, removing, unpacking, moving, replacing, relabelling, retiring and undoing.

use super::cmd::{Change, Cmd, Snap};
use super::containers::{close_container, place};
use super::events::{PendingEvent, stored_event};
use super::{Failure, Outcome, Pending, Response, Station};
use crate::domain::{
    ContainerState, Level, PlacementCheck, ReasonCode, Refusal, UnitView, check_placement,
};
use crate::epcis::Action;
use crate::store;

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
        if container.state != Some(ContainerState::Open) {
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
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let container = cmd.reload(&container)?;
        let closed = close_container(&mut cmd, container)?;
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
            self.session.current.remove(&closed.level);
        }
        let mut r = Response::ok().container(&closed);
        r.closed = true;
        Ok(r)
    }

    fn lowest_current(&mut self) -> Result<UnitView, Failure> {
        let order = self.require_work_order()?;
        for (level, _) in order.spec.levels() {
            if let Ok(u) = self.session.current_container(self.store.conn(), *level) {
                return Ok(u);
            }
        }
        Err(Refusal::new(ReasonCode::NoOpenContainer, "no container is open").into())
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
        let target = match to {
            Some(t) => self.resolve(self.store.conn(), t)?,
            None => {
                let order = self.require_work_order()?;
                let level = order.spec.parent_level(item.level).ok_or_else(|| {
                    Refusal::new(
                        ReasonCode::WrongLevel,
                        format!("nothing holds a {}", item.level.as_str()),
                    )
                })?;
                self.session.current_container(self.store.conn(), level)?
            }
        };
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
                self.session.pending = Some(Pending::Move {
                    item: item.id,
                    target: target.id,
                });
                Ok(Response::with_code(
                    ReasonCode::ConfirmRequired,
                    Some(format!("confirm to move {} to {}", item.key, target.key)),
                )
                .unit(&item)
                .container(&target))
            }
        }
    }

    /// Confirms the pending step.
    pub(crate) fn confirm(&mut self, now: i64) -> Outcome {
        self.require_user()?;
        match self.session.pending.take() {
            Some(Pending::Move { item, target }) => self.do_move(item, target, now),
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
            self.session.current.remove(&target.level);
        }
        let mut r = Response::ok().unit(&item).container(&target);
        r.closed = closed;
        Ok(r)
    }

    /// Undoes the user's last action: state back as it was, its events re-sent with an
    /// error declaration (`did_not_occur`).
    pub(crate) fn undo(&mut self, signature: Option<&super::SignatureInput>, now: i64) -> Outcome {
        let user = self.require_user()?;
        let rec = store::last_undoable_command(self.store.conn(), &user.username)?
            .ok_or_else(|| Refusal::new(ReasonCode::NothingToUndo, "you have no action to undo"))?;
        let changes: Vec<Change> = serde_json::from_str(&rec.changes).map_err(|e| {
            Failure::Store(store::StoreError::BadValue {
                what: "commands.changes",
                value: e.to_string(),
            })
        })?;
        let signed = if rec.signed {
            Some(self.check_signature(signature, "approve undo of a signed action", now)?)
        } else {
            None
        };
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
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
                None => cmd.delete(&u)?,
            }
        }
        for body in store::command_events(&cmd.tx, rec.id)? {
            let event = stored_event(&body).ok_or_else(|| {
                Failure::Store(store::StoreError::BadValue {
                    what: "events.body",
                    value: body.chars().take(80).collect(),
                })
            })?;
            cmd.event(PendingEvent::Correction(Box::new(event)));
        }
        let reason = format!("undo of {} #{}", rec.kind, rec.id);
        cmd.commit(
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
            {
                self.session.current.insert(u.level, u.id);
            }
        }
        Ok(Response::ok().data(serde_json::json!({"undone": rec.kind, "command": rec.id})))
    }
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
