//! Holds (quarantine), the checks: a held unit cannot be packed, moved or shipped (`ON_HOLD`).
//!
//! A unit is held while an active hold covers it: a hold on the unit itself, on a container it
//! is in (at any depth), or on its lot (GTIN + lot, also for a pack the station has not seen
//! yet) — the rule is `domain::covering_hold`. A container that *holds* a held unit cannot be
//! closed, moved, shipped (put on a pallet) or packed into either: the held unit has to come
//! out first, and taking it out (`remove`, `unpack`) stays allowed, as do look-up, the contents
//! check and retiring it. The commands themselves (hold, release, holds) are in `hold_cmd.rs`.

use super::cmd::Change;
use super::scan::Scanned;
use super::tree::TreeNode;
use super::{Failure, Station};
use crate::domain::{Hold, ReasonCode, Refusal, UnitView, covering_hold, lot_hold};
use crate::store::{self, Conn, StoreError};
use std::collections::HashMap;

/// What stops a unit: the hold, and the unit it covers (the unit itself, or one inside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldBy {
    /// The hold.
    pub hold: Hold,
    /// The held unit: the one asked about, or a unit inside it.
    pub unit: UnitView,
}

fn active(conn: &Conn) -> Result<Vec<Hold>, StoreError> {
    Ok(store::active_holds(conn)?
        .into_iter()
        .map(|r| r.hold)
        .collect())
}

/// The hold covering `unit` itself (its own hold, a container above it, its lot).
pub(crate) fn covered(conn: &Conn, unit: &UnitView) -> Result<Option<Hold>, StoreError> {
    let holds = active(conn)?;
    if holds.is_empty() {
        return Ok(None);
    }
    let chain = store::ancestors(conn, unit)?;
    Ok(covering_hold(unit, &chain, &holds).cloned())
}

/// The hold that stops `unit` from being packed, moved or shipped: one covering it, or, for a
/// container, one covering a unit inside it.
pub(crate) fn held(conn: &Conn, unit: &UnitView) -> Result<Option<HeldBy>, StoreError> {
    let holds = active(conn)?;
    if holds.is_empty() {
        return Ok(None);
    }
    let chain = store::ancestors(conn, unit)?;
    if let Some(h) = covering_hold(unit, &chain, &holds) {
        return Ok(Some(HeldBy {
            hold: h.clone(),
            unit: unit.clone(),
        }));
    }
    if !unit.is_container() || unit.child_count == 0 {
        return Ok(None);
    }
    for h in &holds {
        let inside = match (&h.scope, h.scope.unit_id()) {
            (_, Some(id)) => match store::unit_by_id(conn, id)? {
                Some(u) if store::ancestors(conn, &u)?.iter().any(|a| a.id == unit.id) => Some(u),
                _ => None,
            },
            (crate::domain::HoldScope::Lot { gtin, lot }, None) => {
                store::lot_in_subtree(conn, unit.id, gtin, lot)?
            }
            _ => None,
        };
        if let Some(u) = inside {
            return Ok(Some(HeldBy {
                hold: h.clone(),
                unit: u,
            }));
        }
    }
    Ok(None)
}

/// Plain English for a hold: scope, reason (and comment), who placed it.
pub(crate) fn describe(h: &Hold) -> String {
    let comment = h
        .comment
        .as_deref()
        .map_or_else(String::new, |c| format!(": {c}"));
    format!(
        "hold #{} on {} ({}{comment}), placed by {}",
        h.id,
        h.scope.describe(),
        h.reason.code(),
        h.placed_by
    )
}

fn on_hold(asked: &UnitView, by: &HeldBy) -> Refusal {
    let what = if by.unit.id == asked.id {
        format!("{} is on hold", asked.key)
    } else {
        format!(
            "{} holds {}, which is on hold (take it out first)",
            asked.key, by.unit.key
        )
    };
    Refusal::new(
        ReasonCode::OnHold,
        format!("{what}: {}", describe(&by.hold)),
    )
}

/// Refuses a unit that is held or holds a held unit (`ON_HOLD`).
pub(crate) fn refuse_held_unit(conn: &Conn, unit: &UnitView) -> Result<(), Failure> {
    match held(conn, unit)? {
        Some(by) => Err(on_hold(unit, &by).into()),
        None => Ok(()),
    }
}

/// Refuses a pack the station has not seen yet whose lot is on hold (`ON_HOLD`).
pub(crate) fn refuse_held_lot(conn: &Conn, gtin: &str, lot: Option<&str>) -> Result<(), Failure> {
    let holds = active(conn)?;
    match lot_hold(gtin, lot, &holds) {
        Some(h) => Err(Refusal::new(
            ReasonCode::OnHold,
            format!(
                "GTIN {gtin} lot {} is on hold: {}",
                lot.unwrap_or_default(),
                describe(h)
            ),
        )
        .into()),
        None => Ok(()),
    }
}

/// Refuses a scanned pack that is held: the unit when the station knows it, else its lot.
pub(crate) fn refuse_held_scan(
    conn: &Conn,
    existing: Option<&UnitView>,
    scanned: &Scanned,
) -> Result<(), Failure> {
    match (existing, scanned) {
        (Some(u), _) => refuse_held_unit(conn, u),
        (None, Scanned::Sgtin { sgtin, lot, .. }) => {
            refuse_held_lot(conn, sgtin.gtin.as_str(), lot.as_deref())
        }
        (None, Scanned::Sscc { .. }) => Ok(()),
    }
}

/// Refuses placing `item` into `target` when either is held or holds a held unit: a held unit
/// is not packed or moved, and a held container (or one holding a held unit) takes nothing in.
pub(crate) fn refuse_held_placement(
    conn: &Conn,
    item: &UnitView,
    target: &UnitView,
) -> Result<(), Failure> {
    refuse_held_unit(conn, item)?;
    refuse_held_unit(conn, target)
}

/// Refuses an undo that would put a held unit back into a container (or put anything into a
/// held one), or forget a unit created by the undone command that has a hold of its own: an
/// undo is no way around a hold.
pub(crate) fn refuse_held_undo(conn: &Conn, changes: &[Change]) -> Result<(), Failure> {
    let holds = active(conn)?;
    for c in changes {
        let Some(before) = &c.before else {
            // The undo forgets a unit this command created: not one that has a hold of its own.
            if let Some(h) = holds.iter().find(|h| h.scope.unit_id() == Some(c.id)) {
                return Err(Refusal::new(
                    ReasonCode::OnHold,
                    format!(
                        "{} is on hold and the undo would forget it: {}",
                        c.key,
                        describe(h)
                    ),
                )
                .into());
            }
            continue;
        };
        let Some(parent) = before.parent else {
            continue;
        };
        if c.after.parent == Some(parent) {
            continue;
        }
        if let (Some(item), Some(target)) = (
            store::unit_by_id(conn, c.id)?,
            store::unit_by_id(conn, parent)?,
        ) {
            refuse_held_placement(conn, &item, &target)?;
        }
    }
    Ok(())
}

/// Marks the rows of one tree (`root` first, then `all` below it, as `nodes`) that an active
/// hold covers, with the hold's id.
pub(crate) fn mark_tree(
    conn: &Conn,
    root: &UnitView,
    all: &[UnitView],
    nodes: &mut [TreeNode],
) -> Result<(), StoreError> {
    let holds = active(conn)?;
    if holds.is_empty() {
        return Ok(());
    }
    let chain = store::ancestors(conn, root)?;
    let mut by_id: HashMap<i64, Option<i64>> = HashMap::new();
    by_id.insert(root.id, covering_hold(root, &chain, &holds).map(|h| h.id));
    // `all` has parents before their children.
    let mut order: Vec<&UnitView> = all.iter().collect();
    order.sort_by_key(|u| std::cmp::Reverse(u.level));
    let mut pending: Vec<&UnitView> = order;
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|u| {
            let Some(parent) = u.parent_id.and_then(|p| by_id.get(&p).copied()) else {
                return true;
            };
            let own = holds.iter().find(|h| h.covers_directly(u)).map(|h| h.id);
            by_id.insert(u.id, parent.or(own));
            false
        });
        if pending.len() == before {
            break;
        }
    }
    let keys: HashMap<&str, i64> = std::iter::once(root)
        .chain(all.iter())
        .filter_map(|u| {
            by_id
                .get(&u.id)
                .copied()
                .flatten()
                .map(|h| (u.key.as_str(), h))
        })
        .collect();
    for n in nodes {
        if let Some(&h) = keys.get(n.key.as_str()) {
            n.held = true;
            n.hold_id = Some(h);
        }
    }
    Ok(())
}

impl Station {
    /// Refuses a unit that is held or holds a held unit (`ON_HOLD`): it cannot be packed,
    /// moved, closed or shipped. An associated function, not a method: it runs inside a
    /// command's transaction, which holds the station's store.
    pub(crate) fn refuse_held(conn: &Conn, unit: &UnitView) -> Result<(), Failure> {
        refuse_held_unit(conn, unit)
    }
}

/// Refuses `undo` when the user's last action is a hold or a release (`UNDO_NOT_POSSIBLE`):
/// both are signed QA decisions with their own way back — a hold is lifted by `release` (a
/// QA signature and a reason), a release is reversed by a new `hold` — and an undo must not
/// skip over them to an older action.
pub(crate) fn refuse_undo_of_hold(conn: &Conn, username: &str) -> Result<(), Failure> {
    match store::last_command(conn, username)? {
        Some((id, kind)) if kind == "hold" || kind == "release" => {
            let way_back = if kind == "hold" {
                "lift it with release (QA signature and a reason)"
            } else {
                "place a new hold instead"
            };
            Err(Refusal::new(
                ReasonCode::UndoNotPossible,
                format!("your last action is {kind} #{id}, a signed QA decision: {way_back}"),
            )
            .into())
        }
        _ => Ok(()),
    }
}

/// The hold part of a look-up: marks the answer's unit `held` with its hold, and returns
/// `data.hold`: `null`, or the hold covering the unit (`held: true`), or — for a container
/// that is not held itself — the held unit inside it (`held: false`, `inside`).
pub(crate) fn lookup_hold(
    conn: &Conn,
    unit: &UnitView,
    answer: &mut super::Response,
) -> Result<serde_json::Value, StoreError> {
    let Some(by) = held(conn, unit)? else {
        return Ok(serde_json::Value::Null);
    };
    let itself = by.unit.id == unit.id;
    if itself && let Some(info) = answer.unit.as_mut() {
        info.held = true;
        info.hold = Some(by.hold.clone());
    }
    let mut v = serde_json::to_value(&by.hold).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("held".into(), serde_json::json!(itself));
        o.insert("detail".into(), serde_json::json!(describe(&by.hold)));
        if !itself {
            o.insert("inside".into(), serde_json::json!(by.unit.key));
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HoldReason;
    use crate::station::{Request, SignatureInput};
    use crate::ui::demo;

    fn admin() -> Option<SignatureInput> {
        Some(SignatureInput {
            user: "admin".into(),
            password: "admin-pass-1".into(),
            reason: None,
        })
    }

    fn hold(station: &mut Station, scan: Option<String>, lot: Option<&str>) {
        let r = station.execute(Request::Hold {
            scan,
            gtin: lot.map(|_| demo::GTIN.to_owned()),
            lot: lot.map(str::to_owned),
            reason: HoldReason::Investigation,
            comment: None,
            signature: admin(),
        });
        assert!(r.ok, "{r:?}");
    }

    fn unit(station: &Station, scan: &str) -> UnitView {
        station.resolve(station.store.conn(), scan).unwrap()
    }

    #[test]
    fn who_is_held_a_unit_what_holds_it_an_ancestors_subtree_and_a_lot_also_unseen() {
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        assert!(demo::half_built_pallet(&mut station).ok);
        // A pack of case 1 drawn from a seed (packs 1..=20 are in case 1, 21..=40 in case 2).
        let seed: u64 = 0x5eed_0014;
        let n = u32::try_from(seed.wrapping_mul(6_364_136_223_846_793_005) >> 59).unwrap() % 20 + 1;
        let pack = demo::pack_scan(n);
        hold(&mut station, Some(pack.clone()), None);
        let conn = station.store.conn();
        let p = unit(&station, &pack);
        let (case1, case2, pallet) = (
            unit(&station, &demo::case_sscc(1)),
            unit(&station, &demo::case_sscc(2)),
            unit(&station, &demo::pallet_sscc(1)),
        );
        let by = held(conn, &p).unwrap().expect("the pack itself");
        assert_eq!(by.unit.key, p.key);
        assert!(
            covered(conn, &case1).unwrap().is_none(),
            "the case is not held"
        );
        for container in [&case1, &pallet] {
            let by = held(conn, container).unwrap().expect("holds a held pack");
            assert_eq!(by.unit.key, p.key);
            let refused = refuse_held_unit(conn, container).unwrap_err();
            assert!(
                matches!(&refused, Failure::Refused(r) if r.code == ReasonCode::OnHold && r.detail.contains("take it out first")),
                "{refused:?}"
            );
        }
        assert!(held(conn, &case2).unwrap().is_none());

        // A container hold covers everything below it.
        hold(&mut station, Some(demo::case_sscc(2)), None);
        let conn = station.store.conn();
        let in_case2 = unit(&station, &demo::pack_scan(20 + n));
        let by = covered(conn, &in_case2).unwrap().expect("held by its case");
        assert_eq!(by.scope.kind(), "container");
        let tree = station.tree(Some(&demo::pallet_sscc(1))).unwrap();
        let held_rows: Vec<&str> = tree
            .nodes
            .iter()
            .filter(|r| r.held)
            .map(|r| r.key.as_str())
            .collect();
        // Case 2 and its 20 packs, and the one pack of case 1.
        assert_eq!(held_rows.len(), 22, "{held_rows:?}");
        assert!(held_rows.contains(&p.key.as_str()));
        assert!(!held_rows.contains(&case1.key.as_str()));

        // A lot hold covers every pack of the lot, also one the station has not seen yet.
        assert!(refuse_held_lot(conn, demo::GTIN, Some(demo::LOT)).is_ok());
        hold(&mut station, None, Some(demo::LOT));
        let conn = station.store.conn();
        assert!(refuse_held_lot(conn, demo::GTIN, Some(demo::LOT)).is_err());
        assert!(refuse_held_lot(conn, demo::GTIN, Some("OTHER")).is_ok());
        let in_case3 = unit(&station, &demo::pack_scan(41));
        assert_eq!(
            covered(conn, &in_case3).unwrap().map(|h| h.scope.kind()),
            Some("lot")
        );
        let r = station.execute(Request::Scan {
            data: demo::pack_scan(900),
        });
        assert_eq!(r.code, ReasonCode::OnHold, "{r:?}");
        let not_packed = store::unit_by_key(station.store.conn(), "(01)09506000134352(21)TR00900")
            .unwrap()
            .is_none_or(|u| u.parent_id.is_none());
        assert!(not_packed, "nothing packed");
    }
}
