//! Packing a scanned unit into the container the targeting rule named (`docs/architecture.md`
//! §16), and opening the next container by itself when the work order says so.

use super::cmd::Cmd;
use super::containers::place;
use super::scan::{Scanned, unit_for_pack};
use super::{Failure, Outcome, Pending, Response, Station};
use crate::domain::{Level, PlacementCheck, ReasonCode, UnitView, WorkOrder, check_placement};
use crate::store;

impl Station {
    /// Packs the scanned unit into the current container `target` of the level above it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn place_scanned(
        &mut self,
        user: &crate::auth::User,
        order: &WorkOrder,
        existing: Option<UnitView>,
        scanned: &Scanned,
        epc: &str,
        level: Level,
        target: &UnitView,
        warning: Option<String>,
        now: i64,
    ) -> Outcome {
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let item = unit_for_pack(&mut cmd, existing, scanned, epc, level, order)?;
        Self::refuse_held(&cmd.tx, &item)?; // hold / quarantine (station/hold.rs)
        let target = cmd.reload(target)?;
        let chain: Vec<i64> = store::ancestors(&cmd.tx, &target)?
            .iter()
            .map(|u| u.id)
            .collect();
        match check_placement(&item, &target, &chain, Some(item.level))? {
            PlacementCheck::AlreadyThere => {
                return Ok(Response::with_code(
                    ReasonCode::AlreadyInThisContainer,
                    Some(format!("{} is already in {}", item.key, target.key)),
                )
                .unit(&item)
                .container(&target));
            }
            PlacementCheck::NeedsMove => {
                let from = item
                    .parent_id
                    .map(|p| store::unit_by_id(&cmd.tx, p))
                    .transpose()?
                    .flatten();
                self.session.pending = Some(Pending::Move {
                    item: item.id,
                    target: target.id,
                });
                let from_key = from.map_or_else(String::new, |f| f.key);
                return Ok(Response::with_code(
                    ReasonCode::InOtherContainer,
                    Some(format!(
                        "{} is in {from_key}; confirm to move it to {}",
                        item.key, target.key
                    )),
                )
                .unit(&item)
                .container(&target)
                .data(serde_json::json!({"from": from_key, "to": target.key})));
            }
            PlacementCheck::Place => {}
        }
        let (item, target, closed) = place(&mut cmd, item, target, false)?;
        if closed && let Some(o) = &target.work_order {
            store::set_current_container(&cmd.tx, o, target.level.as_str(), None)?;
        }
        cmd.commit("pack", user, &ctx, Some(&item.key), None, None, None)?;
        self.session.working = Some(target.level);
        let mut r = match warning {
            Some(w) => Response::with_code(ReasonCode::ExpirySoon, Some(w)),
            None => Response::ok(),
        };
        r.closed = closed;
        if closed {
            self.session.current.remove(&target.level);
            if order.auto_open_next {
                let next = self.auto_open_next(target.level, now)?;
                r.data = Some(serde_json::json!({ "next": next }));
            }
        }
        Ok(r.unit(&item).container(&target))
    }

    /// The work order opens the next container by itself: a new SSCC, its label printed, the
    /// container opened and current. A failure (no SSCC left, a label waiting) is reported in
    /// the answer and opens nothing: the packer then scans or creates the next one.
    pub(crate) fn auto_open_next(
        &mut self,
        level: Level,
        now: i64,
    ) -> Result<serde_json::Value, Failure> {
        let printed = match self.print_label(Some(level.as_str()), None, now) {
            Ok(r) => r,
            Err(Failure::Refused(r)) => {
                return Ok(
                    serde_json::json!({"opened": false, "code": r.code, "detail": r.detail}),
                );
            }
            Err(e) => return Err(e),
        };
        let label = printed.data.unwrap_or(serde_json::Value::Null);
        let Some(key) = label["key"].as_str().map(str::to_owned) else {
            return Ok(serde_json::json!({"opened": false, "label": label}));
        };
        let scanned = self.identify(&key)?;
        let (epc, _) = self.epc_and_level(&scanned)?;
        let ctx = self.event_context();
        let later = self.now();
        let cmd = Cmd::new(self.store.begin()?, later);
        self.session.next_level = Some(level);
        self.session
            .open_container(cmd, &scanned, &epc, level, &ctx)?;
        Ok(serde_json::json!({
            "opened": true,
            "key": key,
            "level": level.as_str(),
            "code": printed.code,
            "label": label,
        }))
    }
}
