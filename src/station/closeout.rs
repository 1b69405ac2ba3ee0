//! Work order close-out (issue 14 §2; `docs/automation.md`, "Closing a work order"): the
//! reconciliation (`reconcile`, read-only), closing an order with a supervisor's signature
//! (`close_work_order`, optionally decommissioning the leftover serials in the same step), and
//! the rule that a closed order takes no more packs (`ORDER_CLOSED`).

use super::cmd::{Change, Cmd};
use super::events::PendingEvent;
use super::{Failure, Mode, Outcome, Request, Response, SignatureInput, Station};
use crate::domain::{
    KeyList, Level, OrderCloseout, OrderClosing, OrderStatus, ReasonCode, Reconciliation, Refusal,
    RetireKind, UnitStatus, WorkOrder, check_closeable,
};
use crate::epcis::Action;
use crate::store::{self, Conn, StoreError};
use std::collections::BTreeMap;

/// EPCs per decommissioning event when leftovers are decommissioned (a repository takes
/// events of this size in one capture).
const EPCS_PER_EVENT: usize = 500;

/// The reconciliation of `order` as the store holds it now (inside a command: with its writes).
fn reconciliation(conn: &Conn, order: &WorkOrder) -> Result<Reconciliation, StoreError> {
    let units = store::order_units(conn, &order.id)?;
    let mut signatures = BTreeMap::new();
    for u in &units {
        let short = u.level > Level::Pack
            && u.status.is_active()
            && u.state == Some(crate::domain::ContainerState::Closed)
            && u.capacity.is_some_and(|c| u.child_count < c);
        if short && let Some(s) = store::latest_signature_on(conn, &u.key)? {
            signatures.insert(u.key.clone(), s);
        }
    }
    let levels: Vec<Level> = order.spec.levels().iter().map(|(l, _)| *l).collect();
    Ok(Reconciliation::compute(
        &units,
        order.has_serial_list,
        &levels,
        &signatures,
    ))
}

fn bad_value(what: &'static str, e: impl std::fmt::Display) -> Failure {
    Failure::Store(StoreError::BadValue {
        what,
        value: e.to_string(),
    })
}

/// The refusal for anything that would pack into closed `order`.
fn order_closed(order: &str, closed: Option<&store::ClosedOrder>, what: &str) -> Refusal {
    let by = closed
        .and_then(|c| c.signature.as_ref())
        .map_or_else(String::new, |s| format!(", signed by {}", s.username));
    Refusal::new(
        ReasonCode::OrderClosed,
        format!(
            "work order {order} is closed{by}: {what} (look-up, manifest, tree and reconcile \
             still work)"
        ),
    )
}

impl Station {
    /// The work order named, or the selected one.
    fn order_named(&self, work_order: Option<&str>) -> Result<WorkOrder, Failure> {
        let Some(id) = work_order else {
            return Ok(self.require_work_order()?);
        };
        store::load_work_order(self.store.conn(), id)?.ok_or_else(|| {
            Refusal::new(
                ReasonCode::UnknownWorkOrder,
                format!("no work order '{id}'"),
            )
            .into()
        })
    }

    /// Everything the close-out shows and prints, read from `conn`.
    fn closeout_of(&self, conn: &Conn, order: &WorkOrder) -> Result<OrderCloseout, Failure> {
        let now = reconciliation(conn, order)?;
        let closing = match store::closed_order(conn, &order.id)? {
            None => None,
            Some(c) => {
                let as_signed: Reconciliation = serde_json::from_str(&c.closeout)
                    .map_err(|e| bad_value("work_orders.closeout", e))?;
                let changes: Vec<Change> = match &c.changes {
                    Some(json) => {
                        serde_json::from_str(json).map_err(|e| bad_value("commands.changes", e))?
                    }
                    None => Vec::new(),
                };
                let decommissioned: Vec<String> = changes
                    .into_iter()
                    .filter(|ch| {
                        ch.after.status == UnitStatus::Decommissioned.as_str()
                            && ch
                                .before
                                .as_ref()
                                .is_some_and(|b| b.status == UnitStatus::Active.as_str())
                    })
                    .map(|ch| ch.key)
                    .collect();
                let signature = c.signature.ok_or_else(|| {
                    bad_value(
                        "signatures",
                        format!("no signature on the close of {}", order.id),
                    )
                })?;
                Some(OrderClosing {
                    signature,
                    closed_by: c.closed_by,
                    decommissioned: KeyList::from(decommissioned),
                    changed_since: as_signed != now,
                    as_signed,
                })
            }
        };
        Ok(OrderCloseout {
            work_order: order.id.clone(),
            gtin: order.gtin.clone(),
            product: self.products.get(&order.gtin).map(|p| p.name.clone()),
            lot: order.lot.clone(),
            expiry: order.expiry.clone(),
            spec: store::format_spec(&order.spec),
            status: if closing.is_some() {
                OrderStatus::Closed
            } else {
                OrderStatus::Open
            },
            station: self.settings.read_point.clone(),
            reconciliation: now,
            closing,
        })
    }

    /// The close-out of a work order for reports (no log-in: `packbench report closeout`).
    pub fn closeout(&self, work_order: &str) -> Result<OrderCloseout, Refusal> {
        let found = self
            .order_named(Some(work_order))
            .and_then(|order| self.closeout_of(self.store.conn(), &order));
        found.map_err(|f| match f {
            Failure::Refused(r) => r,
            Failure::Store(e) => Refusal::new(ReasonCode::StorageError, e.to_string()),
        })
    }

    /// `reconcile`: the close-out of a work order (the selected one unless named).
    pub(crate) fn reconcile(&self, work_order: Option<&str>) -> Outcome {
        self.require_user()?;
        let order = self.order_named(work_order)?;
        let closeout = self.closeout_of(self.store.conn(), &order)?;
        let data = serde_json::to_value(&closeout).map_err(|e| bad_value("closeout", e))?;
        Ok(Response::ok().data(data))
    }

    /// `close_work_order`: closes an order with a supervisor's signature. Refused while it has
    /// open or suspended containers (`CONTAINERS_OPEN`) or loose serials that the request does
    /// not decommission (`ORDER_NOT_RECONCILED`); every refusal and the signature request carry
    /// the close-out as `data`. One transaction: the leftovers decommissioned (units, an
    /// ObjectEvent DELETE `decommissioning` per 500 EPCs with reason and signature), the order
    /// closed with the reconciliation signed, the signature, outbox and audit.
    pub(crate) fn close_work_order(
        &mut self,
        work_order: Option<&str>,
        decommission_leftovers: bool,
        signature: Option<&SignatureInput>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let order = self.order_named(work_order)?;
        let conn = self.store.conn();
        if let Some(closed) = store::closed_order(conn, &order.id)? {
            return Err(order_closed(&order.id, Some(&closed), "it cannot be closed again").into());
        }
        let closeout = self.closeout_of(conn, &order)?;
        let data = serde_json::to_value(&closeout).map_err(|e| bad_value("closeout", e))?;
        if let Err(refusal) =
            check_closeable(&order.id, &closeout.reconciliation, decommission_leftovers)
        {
            return Ok(Response::from(refusal).data(data));
        }
        let leftovers = closeout.reconciliation.leftovers();
        let meaning = if decommission_leftovers && !leftovers.is_empty() {
            format!(
                "close work order {} and decommission its {} leftover serial(s)",
                order.id,
                leftovers.len()
            )
        } else {
            format!("close work order {}", order.id)
        };
        if signature.is_none() {
            return Ok(Response::with_code(
                ReasonCode::SignatureRequired,
                Some(format!("a supervisor signature is required: {meaning}")),
            )
            .data(data));
        }
        let signed = self.check_signature(signature, &meaning, now)?;
        let ctx = self.event_context_for(Some(&order));
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        // Checked again inside the transaction: what is signed is what is written.
        let before = reconciliation(&cmd.tx, &order)?;
        check_closeable(&order.id, &before, decommission_leftovers)?;
        let kind = RetireKind::Decommission;
        let mut epcs = Vec::new();
        for key in before.leftovers() {
            let Some(mut unit) = store::unit_by_key(&cmd.tx, &key)? else {
                return Err(bad_value("units.key", &key));
            };
            unit.status = kind.resulting_status();
            cmd.save(&unit)?;
            epcs.push(unit.epc);
        }
        for chunk in epcs.chunks(EPCS_PER_EVENT) {
            cmd.event(
                PendingEvent::object(
                    Action::Delete,
                    chunk.to_vec(),
                    kind.biz_step(),
                    Some(kind.disposition()),
                )
                .with_reason(),
            );
        }
        let as_signed = reconciliation(&cmd.tx, &order)?;
        check_closeable(&order.id, &as_signed, false)?;
        let json = serde_json::to_string(&as_signed).map_err(|e| bad_value("closeout", e))?;
        if !store::record_order_closed(&cmd.tx, &order.id, now, &user.username, &json)? {
            return Err(order_closed(&order.id, None, "it cannot be closed again").into());
        }
        let mut reason = if epcs.is_empty() {
            format!("close-out of work order {}", order.id)
        } else {
            format!("leftover at close-out of work order {}", order.id)
        };
        if let Some(r) = signed.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            reason = format!("{reason}: {}", r.trim());
        }
        cmd.commit(
            "close_work_order",
            &user,
            &ctx,
            Some(&order.id),
            Some(&signed),
            Some(&reason),
            None,
        )?;
        if self
            .session
            .work_order
            .as_ref()
            .is_some_and(|w| w.id == order.id)
        {
            self.session.current.clear();
            self.session.next_level = None;
        }
        let closeout = self.closeout_of(self.store.conn(), &order)?;
        let data = serde_json::to_value(&closeout).map_err(|e| bad_value("closeout", e))?;
        Ok(Response::ok().data(data))
    }

    /// Refuses a request that would pack into a closed work order (`ORDER_CLOSED`, naming it):
    /// selecting it, a scan in pack or move mode, a batch, a new container or a label for one,
    /// a move into one of its containers, and an undo of an action recorded before it closed.
    /// Look-ups, manifests, trees, reconciliations and rework of its units stay possible.
    pub(crate) fn refuse_closed_order(&self, req: &Request) -> Result<(), Failure> {
        let Some(user) = &self.session.user else {
            return Ok(()); // the handler answers NOT_LOGGED_IN
        };
        let conn = self.store.conn();
        let selected = self.session.work_order.as_ref().map(|w| w.id.clone());
        let (order, what) = match req {
            Request::SelectWorkOrder { id } => {
                (Some(id.clone()), "it cannot be selected for packing")
            }
            Request::Scan { .. }
                if self.session.verify.is_none()
                    && matches!(self.session.mode, Mode::Pack | Mode::Move) =>
            {
                (selected, "it takes no more packs or containers")
            }
            Request::ScanBatch { .. } => (selected, "it takes no more packs"),
            Request::NewContainer { .. } | Request::PrintLabel { scan: None, .. } => {
                (selected, "it takes no new containers")
            }
            Request::Move { to: None, .. } => (selected, "its containers take no more units"),
            Request::Move { to: Some(to), .. } => {
                let key = self.identify(to).ok().map(|s| s.key().to_owned());
                let order = match key {
                    Some(k) => store::work_order_of_unit(conn, &k)?,
                    None => None,
                };
                (order, "its containers take no more units")
            }
            Request::Undo { .. } => (
                store::undo_reaches_closed_order(conn, &user.username)?,
                "an action recorded before it closed cannot be undone",
            ),
            _ => (None, ""),
        };
        let Some(order) = order else {
            return Ok(());
        };
        match store::closed_order(conn, &order)? {
            Some(closed) => Err(order_closed(&order, Some(&closed), what).into()),
            None => Ok(()),
        }
    }
}
