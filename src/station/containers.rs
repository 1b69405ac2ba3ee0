//! Containers: the session's open containers, opening one, placing a unit in a container, and
//! closing one (publishing the aggregation of its unpublished children).

use super::cmd::Cmd;
use super::events::PendingEvent;
use super::scan::Scanned;
use super::{Failure, Outcome, Response};
use crate::domain::{ContainerState, Level, ReasonCode, Refusal, UnitView};
use crate::epcis::Action;
use crate::store::{self, NewUnit};

impl super::Session {
    pub(crate) fn open_container(
        &mut self,
        mut cmd: Cmd<'_>,
        scanned: &Scanned,
        epc: &str,
        scanned_level: Level,
        ctx: &super::events::EventContext,
    ) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        let level = match scanned {
            // An SSCC says nothing about its level: the packer chose it, or it is the lowest.
            Scanned::Sscc { .. } => self
                .next_level
                .unwrap_or_else(|| order.spec.levels().first().map_or(Level::Case, |(l, _)| *l)),
            Scanned::Sgtin { .. } => scanned_level,
        };
        let Some(capacity) = order.spec.capacity(level) else {
            return Err(Refusal::new(
                ReasonCode::WrongLevel,
                format!("work order {} has no {} level", order.id, level.as_str()),
            )
            .into());
        };
        let container = cmd.create(&NewUnit {
            key: scanned.key(),
            epc,
            level,
            gtin: None,
            lot: None,
            expiry: None,
            state: Some(ContainerState::Open),
            capacity: Some(capacity),
            work_order: Some(&order.id),
            listed: false,
            time_ms: cmd.now,
        })?;
        if matches!(scanned, Scanned::Sscc { .. }) {
            cmd.event(PendingEvent::object(
                Action::Add,
                vec![epc.to_owned()],
                "commissioning",
                Some("active"),
            ));
        }
        store::set_current_container(&cmd.tx, &order.id, level.as_str(), Some(container.id))?;
        cmd.commit(
            "open_container",
            &user,
            ctx,
            Some(&container.key),
            None,
            None,
            None,
        )?;
        self.next_level = None;
        self.current.insert(level, container.id);
        self.working = Some(level);
        Ok(Response::ok()
            .container(&container)
            .data(serde_json::json!({"opened": true})))
    }
}

/// Puts `item` into `target` (rules already checked). `publish_now` emits the ADD at once (moves,
/// replacements into a closed container); otherwise it is emitted when the container closes.
/// Closes the target when it reaches capacity. Returns the updated item and target.
pub(crate) fn place(
    cmd: &mut Cmd<'_>,
    mut item: UnitView,
    mut target: UnitView,
    publish_now: bool,
) -> Result<(UnitView, UnitView, bool), Failure> {
    super::hold::refuse_held_placement(&cmd.tx, &item, &target)?; // hold / quarantine
    item.parent_id = Some(target.id);
    item.published = publish_now;
    cmd.save(&item)?;
    if publish_now {
        cmd.event(PendingEvent::aggregation(
            Action::Add,
            &target.epc,
            vec![item.epc.clone()],
            "packing",
            Some("in_progress"),
        ));
    }
    target.child_count += 1;
    cmd.save(&target)?;
    let mut closed = false;
    if target.state == Some(ContainerState::Open)
        && target.capacity.is_some_and(|c| target.child_count >= c)
    {
        target = close_container(cmd, target)?;
        closed = true;
    }
    Ok((item, target, closed))
}

/// AggregationEvent ADD of every child of `target` not yet published (closing a container, or
/// putting it aside so the repository knows what it holds meanwhile).
pub(crate) fn publish_children(cmd: &mut Cmd<'_>, target: &UnitView) -> Result<(), Failure> {
    let kids = store::children(&cmd.tx, target.id)?;
    let unpublished: Vec<UnitView> = kids.into_iter().filter(|k| !k.published).collect();
    if !unpublished.is_empty() {
        cmd.event(PendingEvent::aggregation(
            Action::Add,
            &target.epc,
            unpublished.iter().map(|k| k.epc.clone()).collect(),
            "packing",
            Some("in_progress"),
        ));
        for mut k in unpublished {
            k.published = true;
            cmd.save(&k)?;
        }
    }
    Ok(())
}

/// Closes a container: AggregationEvent ADD of every child not yet published, then the
/// completeness observation.
pub(crate) fn close_container(
    cmd: &mut Cmd<'_>,
    mut target: UnitView,
) -> Result<UnitView, Failure> {
    publish_children(cmd, &target)?;
    cmd.event(PendingEvent::completeness(&target.epc));
    target.state = Some(ContainerState::Closed);
    cmd.save(&target)?;
    Ok(target)
}
