//! Read-only answers: look-up, manifest, status.

use super::{ContainerInfo, Outcome, Response, Station, UnitInfo};
use crate::store;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// At most this many children are listed in a look-up (the manifest lists everything).
const LOOKUP_CHILDREN_MAX: usize = 1000;

impl Station {
    /// Status, parent chain, children and history of a unit.
    pub(crate) fn lookup(&self, scan: &str) -> Outcome {
        self.require_user()?;
        let conn = self.store.conn();
        let unit = self.resolve(conn, scan)?;
        let parents: Vec<ContainerInfo> = store::ancestors(conn, &unit)?
            .iter()
            .map(ContainerInfo::from)
            .collect();
        let kids = store::children(conn, unit.id)?;
        let children: Vec<UnitInfo> = kids
            .iter()
            .take(LOOKUP_CHILDREN_MAX)
            .map(UnitInfo::from)
            .collect();
        let history = super::history::unit_history(conn, &unit)?;
        let origin = match store::adoption_of(conn, unit.id)? {
            Some(a) => json!({
                "origin": a.origin,
                "source": a.source,
                "adopted_ms": a.adopted_ms,
                "refreshed_ms": a.refreshed_ms,
                "last_event_ms": a.last_event_ms,
                "event_ids": serde_json::from_str::<Value>(&a.event_ids).unwrap_or(Value::Null),
            }),
            None => json!({"origin": "local"}),
        };
        let mut r = Response::ok().unit(&unit);
        if unit.is_container() {
            r = r.container(&unit);
        }
        let hold = super::hold::lookup_hold(conn, &unit, &mut r)?;
        Ok(r.data(json!({
            "hold": hold,
            "unit": unit,
            "parents": parents,
            "top": parents.last().map_or(unit.key.clone(), |p| p.key.clone()),
            "children": children,
            "children_total": kids.len(),
            "origin": origin,
            "history": history,
        })))
    }

    /// Recursive contents of a container, with counts per level and per GTIN / lot / expiry.
    pub(crate) fn manifest(&self, scan: &str) -> Outcome {
        self.require_user()?;
        self.manifest_unchecked(scan)
    }

    fn manifest_unchecked(&self, scan: &str) -> Outcome {
        let conn = self.store.conn();
        let top = self.resolve(conn, scan)?;
        if !top.is_container() {
            return Err(crate::domain::Refusal::new(
                crate::domain::ReasonCode::NotAContainer,
                format!("{} is a pack", top.key),
            )
            .into());
        }
        let all = store::subtree(conn, top.id)?;
        let mut keys: BTreeMap<i64, String> = all.iter().map(|u| (u.id, u.key.clone())).collect();
        keys.insert(top.id, top.key.clone());
        let mut by_level: BTreeMap<&str, u64> = BTreeMap::new();
        let mut by_product: BTreeMap<(String, String, String), u64> = BTreeMap::new();
        let mut items = Vec::with_capacity(all.len());
        for u in &all {
            *by_level.entry(u.level.as_str()).or_default() += 1;
            if let Some(g) = &u.gtin {
                *by_product
                    .entry((
                        g.clone(),
                        u.lot.clone().unwrap_or_default(),
                        u.expiry.clone().unwrap_or_default(),
                    ))
                    .or_default() += 1;
            }
            items.push(json!({
                "key": u.key, "epc": u.epc, "level": u.level.as_str(), "status": u.status.as_str(),
                "parent": u.parent_id.and_then(|p| keys.get(&p).cloned()),
            }));
        }
        let products: Vec<Value> = by_product
            .into_iter()
            .map(|((gtin, lot, expiry), count)| json!({"gtin": gtin, "lot": lot, "expiry": expiry, "count": count}))
            .collect();
        Ok(Response::ok().container(&top).data(json!({
            "container": ContainerInfo::from(&top),
            "total": all.len(),
            "by_level": by_level,
            "by_product": products,
            "items": items,
        })))
    }

    /// Station status.
    pub(crate) fn status(&self) -> Outcome {
        let conn = self.store.conn();
        let (queued, sent, parked) = store::outbox_counts(conn)?;
        let open_alerts = store::open_alert_count(conn)?;
        let ssccs = crate::labels::alloc::stock(conn).map_err(super::Failure::from)?;
        let mut current = serde_json::Map::new();
        for (level, id) in &self.session.current {
            if let Some(u) = store::unit_by_id(conn, *id)? {
                current.insert(
                    level.as_str().to_owned(),
                    serde_json::to_value(ContainerInfo::from(&u)).unwrap_or(Value::Null),
                );
            }
        }
        Ok(Response::ok().data(json!({
            "user": self.session.user,
            "work_order": self.session.work_order.as_ref().map(|w| w.id.clone()),
            "mode": self.session.mode.as_str(),
            "current": current,
            "pending_confirmation": self.session.pending.is_some(),
            "outbox": {"queued": queued, "sent": sent, "parked": parked},
            "open_alerts": open_alerts,
            "ssccs": {"remaining": ssccs.remaining, "low_stock_threshold": ssccs.low_stock_threshold, "low": ssccs.low},
            "owner_gln": self.settings.owner,
        })))
    }
}

impl Station {
    /// The manifest for local command-line use (reading the file needs no station log-in).
    pub fn manifest_of(&self, scan: &str) -> Response {
        match self.manifest_unchecked(scan) {
            Ok(r) => r,
            Err(super::Failure::Refused(r)) => r.into(),
            Err(super::Failure::Store(e)) => {
                Response::with_code(crate::domain::ReasonCode::StorageError, Some(e.to_string()))
            }
        }
    }
}
