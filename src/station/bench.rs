//! What the bench is filling (`docs/architecture.md` §16): the current container of each level
//! (taken only when the packer scans or creates one, or confirms a switch; kept across
//! restarts), putting a partly filled container aside (suspend) and taking it up again (resume)
//! with its contents checked.

use super::cmd::Cmd;
use super::containers::publish_children;
use super::{Failure, Outcome, Pending, Response, Station};
use crate::domain::{ContainerState, Filling, Level, ReasonCode, Refusal, UnitView};
use crate::store::{self, Suspension};

/// A container put aside, as the GUI lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SuspendedInfo {
    /// Bracketed GS1 key.
    pub key: String,
    /// Level name.
    pub level: &'static str,
    /// Children now.
    pub count: u32,
    /// Capacity.
    pub capacity: Option<u32>,
    /// Who put it aside.
    pub by: Option<String>,
    /// When (Unix milliseconds).
    pub since_ms: Option<i64>,
    /// Why, when given.
    pub note: Option<String>,
}

/// A container as the targeting rule sees it.
pub(crate) fn filling_of(u: &UnitView) -> Filling {
    Filling {
        level: u.level,
        key: u.key.clone(),
        count: u.child_count,
        capacity: u.capacity,
    }
}

/// What changed in a container since it was put aside: (missing, added) keys.
fn changes_since(recorded: &[String], now: &[String]) -> (Vec<String>, Vec<String>) {
    let missing = recorded
        .iter()
        .filter(|k| !now.contains(k))
        .cloned()
        .collect();
    let added = now
        .iter()
        .filter(|k| !recorded.contains(k))
        .cloned()
        .collect();
    (missing, added)
}

fn sorted_child_keys(conn: &store::Conn, id: i64) -> Result<Vec<String>, Failure> {
    let mut keys: Vec<String> = store::children(conn, id)?
        .into_iter()
        .map(|k| k.key)
        .collect();
    keys.sort();
    Ok(keys)
}

impl Station {
    /// The containers being filled now, lowest level first (open and active ones only: an
    /// entry that no longer is, e.g. after an undo, is dropped).
    pub(crate) fn filling(&mut self) -> Result<Vec<UnitView>, Failure> {
        let mut out = Vec::new();
        let mut stale = Vec::new();
        let mut levels: Vec<(Level, i64)> = self
            .session
            .current
            .iter()
            .map(|(l, id)| (*l, *id))
            .collect();
        levels.sort();
        for (level, id) in levels {
            match store::unit_by_id(self.store.conn(), id)? {
                Some(u) if u.state == Some(ContainerState::Open) && u.status.is_active() => {
                    out.push(u);
                }
                _ => stale.push(level),
            }
        }
        for level in stale {
            self.drop_current(level)?;
        }
        Ok(out)
    }

    /// Makes `unit` the current container of its level (the packer scanned or created it, or
    /// confirmed a switch) and remembers it for a restart.
    pub(crate) fn take_current(&mut self, unit: &UnitView) -> Result<(), Failure> {
        self.session.current.insert(unit.level, unit.id);
        self.session.working = Some(unit.level);
        if let Some(order) = self.session.work_order.as_ref().map(|w| w.id.clone()) {
            let tx = self.store.begin()?;
            store::set_current_container(&tx, &order, unit.level.as_str(), Some(unit.id))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Leaves no current container at `level` (it closed or was put aside).
    pub(crate) fn drop_current(&mut self, level: Level) -> Result<(), Failure> {
        self.session.current.remove(&level);
        if let Some(order) = self.session.work_order.as_ref().map(|w| w.id.clone()) {
            let tx = self.store.begin()?;
            store::set_current_container(&tx, &order, level.as_str(), None)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// After a work order is selected: the containers the bench was filling for it, exactly as
    /// the packer left them (never "the most recent open one").
    pub(crate) fn restore_current(&mut self) -> Result<Vec<UnitView>, Failure> {
        self.session.current.clear();
        self.session.working = None;
        let Some(order) = self.session.work_order.as_ref().map(|w| w.id.clone()) else {
            return Ok(Vec::new());
        };
        for (level, id) in store::current_containers(self.store.conn(), &order)? {
            if let Some(level) = Level::parse(&level) {
                self.session.current.insert(level, id);
            }
        }
        self.filling()
    }

    /// The current container at `level`, or the refusal the targeting rule gives a unit of
    /// the level below (NO_OPEN_CONTAINER or WRONG_LEVEL, naming what is being filled).
    pub(crate) fn target_for_unit(&mut self, unit_level: Level) -> Result<UnitView, Failure> {
        let order = self.require_work_order()?;
        let filling = self.filling()?;
        let fills: Vec<Filling> = filling.iter().map(filling_of).collect();
        let decision = crate::domain::target(
            &order.spec,
            &fills,
            self.session.working,
            &crate::domain::PackScan::Unit { level: unit_level },
        )?;
        let crate::domain::Targeting::Place(level) = decision else {
            return Err(Refusal::new(ReasonCode::WrongLevel, "not a unit to pack").into());
        };
        filling
            .into_iter()
            .find(|u| u.level == level)
            .ok_or_else(|| {
                Refusal::new(
                    ReasonCode::NoOpenContainer,
                    format!("no {} is open", level.as_str()),
                )
                .into()
            })
    }

    /// `suspend`: puts a partly filled container aside.
    pub(crate) fn suspend_request(
        &mut self,
        scan: Option<&str>,
        note: Option<&str>,
        remainder_label: bool,
        now: i64,
    ) -> Outcome {
        self.require_user()?;
        let container = match scan {
            Some(s) => self.resolve(self.store.conn(), s)?,
            None => self.filling()?.into_iter().next().ok_or_else(|| {
                Refusal::new(
                    ReasonCode::NoOpenContainer,
                    "nothing is being filled: scan the container to put aside",
                )
            })?,
        };
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let mut r = self.suspend_unit(&container, note, now)?;
        if remainder_label {
            let suspended = store::unit_by_id(self.store.conn(), container.id)?
                .unwrap_or_else(|| container.clone());
            let label = self.remainder_label(&suspended, now)?;
            if let Some(d) = r.data.as_mut() {
                d["label"] = label;
            }
        }
        r.closed = false;
        Ok(r)
    }

    /// The suspend command: state `suspended`, the children packed so far published (so the
    /// repository knows them meanwhile), the record of its contents, one audited command.
    pub(crate) fn suspend_unit(
        &mut self,
        container: &UnitView,
        note: Option<&str>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        super::scan::refuse_inactive(container)?;
        if !container.is_container() {
            return Err(Refusal::new(
                ReasonCode::NotAContainer,
                format!("{} is a pack", container.key),
            )
            .into());
        }
        match container.state {
            Some(ContainerState::Open) => {}
            Some(ContainerState::Suspended) => {
                return Err(Refusal::new(
                    ReasonCode::ContainerSuspended,
                    format!("{} is already put aside", container.key),
                )
                .into());
            }
            _ => {
                return Err(Refusal::new(
                    ReasonCode::ContainerClosed,
                    format!(
                        "{} is closed: only an open container can be put aside",
                        container.key
                    ),
                )
                .into());
            }
        }
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let mut c = cmd.reload(container)?;
        publish_children(&mut cmd, &c)?;
        c.state = Some(ContainerState::Suspended);
        cmd.save(&c)?;
        let contents = sorted_child_keys(&cmd.tx, c.id)?;
        store::insert_suspension(
            &cmd.tx,
            &Suspension {
                unit_id: c.id,
                work_order: c.work_order.clone(),
                suspended_ms: now,
                username: user.username.clone(),
                note: note.map(str::to_owned),
                contents,
            },
        )?;
        if let Some(order) = &c.work_order {
            store::set_current_container(&cmd.tx, order, c.level.as_str(), None)?;
        }
        cmd.commit("suspend", &user, &ctx, Some(&c.key), None, note, None)?;
        if self.session.current.get(&c.level) == Some(&c.id) {
            self.session.current.remove(&c.level);
        }
        Ok(Response::ok()
            .container(&c)
            .data(serde_json::json!({"suspended": c.key, "count": c.child_count})))
    }

    /// `resume`: the container scanned becomes current again (confirming a switch first when
    /// another of its level is being filled).
    pub(crate) fn resume_request(&mut self, scan: &str, now: i64) -> Outcome {
        self.require_user()?;
        self.require_work_order()?;
        let unit = self.resolve(self.store.conn(), scan)?;
        if !unit.is_container() {
            return Err(
                Refusal::new(ReasonCode::NotAContainer, format!("{} is a pack", unit.key)).into(),
            );
        }
        if unit.state == Some(ContainerState::Closed) {
            return Err(Refusal::new(
                ReasonCode::ContainerClosed,
                format!("{} is closed", unit.key),
            )
            .into());
        }
        // The same path as scanning its label in pack mode.
        self.pack_scan(scan, now)
    }

    /// Takes up a suspended container: its children now must be those recorded when it was
    /// put aside; otherwise the packer checks it and confirms (`confirmed`).
    pub(crate) fn resume_unit(&mut self, unit: &UnitView, confirmed: bool, now: i64) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        super::scan::refuse_inactive(unit)?;
        if unit.work_order.as_deref().is_some_and(|w| w != order.id) {
            return Err(Refusal::new(
                ReasonCode::WrongProduct,
                format!(
                    "{} belongs to work order {}, not {}",
                    unit.key,
                    unit.work_order.as_deref().unwrap_or("-"),
                    order.id
                ),
            )
            .into());
        }
        let record = store::suspension(self.store.conn(), unit.id)?;
        let now_keys = sorted_child_keys(self.store.conn(), unit.id)?;
        let (missing, added) = record.as_ref().map_or((Vec::new(), Vec::new()), |r| {
            changes_since(&r.contents, &now_keys)
        });
        if !confirmed && (!missing.is_empty() || !added.is_empty()) {
            let was = record.as_ref().map_or(0, |r| r.contents.len());
            self.session.pending = Some(Pending::Resume { unit: unit.id });
            return Ok(Response::with_code(
                ReasonCode::ChangedWhileSuspended,
                Some(format!(
                    "{} held {was} when it was put aside and holds {} now (missing: {}; added: {}): check its contents, then confirm to resume it",
                    unit.key,
                    now_keys.len(),
                    list_or_none(&missing),
                    list_or_none(&added)
                )),
            )
            .container(unit)
            .data(serde_json::json!({"missing": missing, "added": added, "was": was, "now": now_keys.len()})));
        }
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let mut c = cmd.reload(unit)?;
        c.state = Some(ContainerState::Open);
        cmd.save(&c)?;
        store::delete_suspension(&cmd.tx, c.id)?;
        store::set_current_container(&cmd.tx, &order.id, c.level.as_str(), Some(c.id))?;
        let reason = (!missing.is_empty() || !added.is_empty()).then(|| {
            format!(
                "resumed after a check: missing {}, added {}",
                missing.len(),
                added.len()
            )
        });
        cmd.commit(
            "resume",
            &user,
            &ctx,
            Some(&c.key),
            None,
            reason.as_deref(),
            None,
        )?;
        self.session.current.insert(c.level, c.id);
        self.session.working = Some(c.level);
        let mut r = Response::ok().container(&c).data(serde_json::json!({
            "resumed": c.key,
            "count": c.child_count,
            "suspended_by": record.as_ref().map(|r| r.username.clone()),
            "suspended_ms": record.as_ref().map(|r| r.suspended_ms),
        }));
        // A container that reached capacity while aside (moves into it are refused, so only
        // through a repository refresh) is closed by the next placement, never silently here.
        r.closed = false;
        Ok(r)
    }

    /// The containers of the selected work order put aside, oldest first (the GUI's list).
    pub fn suspended_containers(&self) -> Vec<SuspendedInfo> {
        let Some(order) = self.session.work_order.as_ref() else {
            return Vec::new();
        };
        let conn = self.store.conn();
        store::suspended_containers(conn, Some(&order.id))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, rec)| {
                let u = store::unit_by_id(conn, id).ok().flatten()?;
                Some(SuspendedInfo {
                    key: u.key,
                    level: u.level.as_str(),
                    count: u.child_count,
                    capacity: u.capacity,
                    by: rec.as_ref().map(|r| r.username.clone()),
                    since_ms: rec.as_ref().map(|r| r.suspended_ms),
                    note: rec.and_then(|r| r.note),
                })
            })
            .collect()
    }

    /// `suspended`: the containers put aside, per work order.
    pub(crate) fn suspended_list(&self, work_order: Option<&str>) -> Outcome {
        self.require_user()?;
        let order = work_order
            .map(str::to_owned)
            .or_else(|| self.session.work_order.as_ref().map(|w| w.id.clone()));
        let conn = self.store.conn();
        let mut items = Vec::new();
        for (id, rec) in store::suspended_containers(conn, order.as_deref())? {
            let Some(u) = store::unit_by_id(conn, id)? else {
                continue;
            };
            items.push(serde_json::json!({
                "key": u.key,
                "level": u.level.as_str(),
                "count": u.child_count,
                "capacity": u.capacity,
                "work_order": u.work_order,
                "suspended_ms": rec.as_ref().map(|r| r.suspended_ms),
                "by": rec.as_ref().map(|r| r.username.clone()),
                "note": rec.as_ref().and_then(|r| r.note.clone()),
            }));
        }
        Ok(Response::ok().data(serde_json::json!({
            "work_order": order,
            "count": items.len(),
            "containers": items,
        })))
    }

    /// Confirmed: the container being filled is put aside and the scanned one taken.
    pub(crate) fn confirm_switch(&mut self, put_aside: i64, scan: &str, now: i64) -> Outcome {
        let Some(current) = store::unit_by_id(self.store.conn(), put_aside)? else {
            return Err(Refusal::new(
                ReasonCode::UnknownUnit,
                "the container to put aside is gone",
            )
            .into());
        };
        let mut aside = None;
        if current.state == Some(ContainerState::Open) {
            let r = self.suspend_unit(&current, Some("put aside for another container"), now)?;
            aside = r.container;
        }
        self.session.current.remove(&current.level);
        let later = self.now();
        let mut r = self.pack_scan(scan, later)?;
        if let Some(a) = aside {
            let mut data = match r.data.take() {
                Some(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            data.insert("put_aside".into(), a.key.into());
            data.insert("put_aside_count".into(), a.count.into());
            r.data = Some(serde_json::Value::Object(data));
        }
        Ok(r)
    }
}

impl Station {
    /// Prints the remainder label of a container put aside: its label with the real count and
    /// a "REMAINDER n/capacity" note.
    fn remainder_label(&mut self, unit: &UnitView, now: i64) -> Result<serde_json::Value, Failure> {
        let note = match unit.capacity {
            Some(c) => format!("REMAINDER {}/{c}", unit.child_count),
            None => format!("REMAINDER {}", unit.child_count),
        };
        self.print_content_label(unit, Some(&note), now)
    }
}

fn list_or_none(keys: &[String]) -> String {
    if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.join(", ")
    }
}
