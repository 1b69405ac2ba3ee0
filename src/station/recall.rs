//! Recall and trace (issue 18): `recall` lists every unit of a GTIN + lot the station knows
//! (packed here or taken in), grouped by top container, with its status and the containers to
//! pull; `trace` shows a unit's hierarchy from its top container down to every pack with the
//! history of each move. Both only read. Holding a whole lot is the `hold` command with
//! `gtin` + `lot` (one signed step).

use super::{Outcome, Response, Station};
use crate::domain::{
    HoldScope, LastEvent, ReasonCode, RecallCounts, RecallGroup, RecallReport, RecallStatus,
    RecallUnit, Refusal, TraceMove, TraceNode, TraceReport, UnitView,
};
use crate::store::{self, Conn, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The short form of a CBV URI (`urn:epcglobal:cbv:bizstep:packing` → `packing`).
fn short(v: &str) -> String {
    v.rsplit([':', '/', '#']).next().unwrap_or(v).to_owned()
}

/// A stored event's type, action and business step.
fn event_parts(body: &str) -> (String, Option<String>, serde_json::Value) {
    let mut v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    // The station stores each event as a one-event EPCIS document.
    if v["type"] == "EPCISDocument" {
        v = v["epcisBody"]["eventList"][0].take();
    }
    let kind = v["type"].as_str().unwrap_or("Event");
    let what = match v["action"].as_str() {
        Some(a) => format!("{kind} {a}"),
        None => kind.to_owned(),
    };
    let biz = v["bizStep"].as_str().map(short);
    (what, biz, v)
}

fn last_event(conn: &Conn, epc: &str, tz: &str) -> Result<Option<LastEvent>, StoreError> {
    Ok(store::last_event_of(conn, epc)?.map(|(time_ms, body)| {
        let (event, biz_step, _) = event_parts(&body);
        LastEvent {
            event,
            biz_step,
            time_ms,
            local_time: crate::epcis::local_time(time_ms, tz),
        }
    }))
}

/// Everything the station knows of a lot, grouped by top container. `with_units` lists every
/// unit (for the CSV and PDF); without it only the counts are given.
pub fn recall_report(
    conn: &Conn,
    gtin: &str,
    lot: &str,
    tz: &str,
    with_units: bool,
    made_ms: i64,
) -> Result<RecallReport, StoreError> {
    let holds: Vec<_> = store::active_holds(conn)?
        .into_iter()
        .map(|r| r.hold)
        .collect();
    let held_ids: HashSet<i64> = holds.iter().filter_map(|h| h.scope.unit_id()).collect();
    let lot_on_hold = holds
        .iter()
        .any(|h| matches!(&h.scope, HoldScope::Lot { gtin: g, lot: l } if g == gtin && l == lot));
    let mut groups: BTreeMap<(bool, String), RecallGroup> = BTreeMap::new();
    let mut tops: HashMap<String, String> = HashMap::new();
    let mut counts = RecallCounts::default();
    let mut loose = 0;
    for u in store::lot_units(conn, gtin, lot)? {
        let covered = lot_on_hold
            || held_ids.contains(&u.id)
            || u.chain.iter().any(|(id, ..)| held_ids.contains(id));
        let status = if u.status != "active" {
            RecallStatus::Retired
        } else if covered {
            RecallStatus::OnHold
        } else {
            RecallStatus::InStock
        };
        // Units in no container are one group (key "").
        let (top_key, top_level) = match u.chain.last() {
            Some((_, k, e, l)) => {
                tops.entry(k.clone()).or_insert_with(|| e.clone());
                (k.clone(), Some(l.clone()))
            }
            None => {
                loose += 1;
                (String::new(), None)
            }
        };
        let group = groups
            .entry((top_level.is_none(), top_key.clone()))
            .or_insert_with(|| RecallGroup {
                top: top_level.as_ref().map(|_| top_key.clone()),
                top_level: top_level.clone(),
                counts: RecallCounts::default(),
                last_event: None,
                pull: false,
                units: Vec::new(),
            });
        group.counts.add(status);
        if with_units {
            group.units.push(RecallUnit {
                key: u.key.clone(),
                level: u.level.clone(),
                status,
                unit_status: u.status.clone(),
                container: u.chain.first().map(|(_, k, ..)| k.clone()),
            });
        }
    }
    // A group whose top container was last seen being shipped: its active, unheld units count
    // as shipped.
    for ((_, key), g) in &mut groups {
        if let Some(epc) = tops.get(key) {
            g.last_event = last_event(conn, epc, tz)?;
        }
        let shipped = g
            .last_event
            .as_ref()
            .is_some_and(|e| e.biz_step.as_deref() == Some("shipping"));
        if shipped {
            g.counts.shipped += g.counts.in_stock;
            g.counts.in_stock = 0;
            for unit in &mut g.units {
                if unit.status == RecallStatus::InStock {
                    unit.status = RecallStatus::Shipped;
                }
            }
        }
        g.pull = g.counts.in_stock + g.counts.on_hold > 0;
        counts.in_stock += g.counts.in_stock;
        counts.on_hold += g.counts.on_hold;
        counts.shipped += g.counts.shipped;
        counts.retired += g.counts.retired;
    }
    let groups: Vec<RecallGroup> = groups.into_values().collect();
    let containers_to_pull = groups
        .iter()
        .filter(|g| g.pull)
        .filter_map(|g| g.top.clone())
        .collect();
    Ok(RecallReport {
        gtin: gtin.to_owned(),
        lot: lot.to_owned(),
        counts,
        groups,
        containers_to_pull,
        loose,
        lot_on_hold,
        made_ms,
    })
}

/// The moves of one unit, oldest first: a DELETE and an ADD of the same command are one move
/// from → to.
fn history(
    conn: &Conn,
    epc: &str,
    keys: &HashMap<String, String>,
    tz: &str,
) -> Result<Vec<TraceMove>, StoreError> {
    // A container outside the traced tree (where a unit came from) is named by its key too.
    let name = |e: &str| {
        keys.get(e).cloned().unwrap_or_else(|| {
            crate::gs1::Sscc::from_epc_uri(e)
                .map(|(s, _)| s.unit_key())
                .or_else(|_| crate::gs1::Sgtin::from_epc_uri(e).map(|(s, _)| s.unit_key()))
                .unwrap_or_else(|_| e.to_owned())
        })
    };
    let mut out: Vec<TraceMove> = Vec::new();
    for ev in store::epc_history(conn, epc)? {
        let (what, biz, v) = event_parts(&ev.body);
        let parent = v["parentID"].as_str();
        if parent == Some(epc) {
            // Events of the unit as a container: its children's moves, shown on them.
            continue;
        }
        let action = v["action"].as_str().unwrap_or("");
        let is_aggregation = v["type"] == "AggregationEvent";
        let (from, to) = match (is_aggregation, action) {
            (true, "ADD") => (None, parent.map(name)),
            (true, "DELETE") => (parent.map(name), None),
            _ => (None, None),
        };
        let what = match &biz {
            Some(b) => format!("{what} ({b})"),
            None => what,
        };
        if let Some(prev) = out.last_mut()
            && to.is_some()
            && prev.to.is_none()
            && prev.from.is_some()
            && prev.user == ev.username
            && prev.command == ev.command
            && (ev.time_ms - prev.time_ms).abs() < 1_000
        {
            prev.to = to;
            prev.what = format!("{} → {what}", prev.what);
            continue;
        }
        out.push(TraceMove {
            time_ms: ev.time_ms,
            local_time: crate::epcis::local_time(ev.time_ms, tz),
            user: ev.username,
            command: ev.command,
            what,
            from,
            to,
            signature: ev.signature,
        });
    }
    Ok(out)
}

fn refusal(f: super::Failure) -> Refusal {
    match f {
        super::Failure::Refused(r) => r,
        super::Failure::Store(e) => Refusal::new(ReasonCode::StorageError, e.to_string()),
    }
}

impl Station {
    /// The recall of a lot (by `gtin` + `lot`, or a scan) with every unit listed: for the
    /// command line's CSV and PDF.
    pub fn recall_of(
        &self,
        gtin: Option<&str>,
        lot: Option<&str>,
        scan: Option<&str>,
        now: i64,
    ) -> Result<RecallReport, Refusal> {
        let (gtin, lot) = self.recall_lot(gtin, lot, scan).map_err(refusal)?;
        let r = recall_report(
            self.store.conn(),
            &gtin,
            &lot,
            &self.settings.tz_offset,
            true,
            now,
        )
        .map_err(|e| refusal(e.into()))?;
        if r.counts.total() == 0 {
            return Err(Refusal::new(
                ReasonCode::UnknownUnit,
                format!("the station knows no unit of lot {lot} of GTIN {gtin}"),
            ));
        }
        Ok(r)
    }

    /// The trace of a scanned unit: for the command line's PDF.
    pub fn trace_of(&self, scan: &str, now: i64) -> Result<TraceReport, Refusal> {
        self.trace_report(scan, now).map_err(refusal)
    }

    /// `recall`: every unit of a lot (named by `gtin` + `lot`, or by scanning one pack).
    pub(crate) fn recall_request(
        &self,
        gtin: Option<&str>,
        lot: Option<&str>,
        scan: Option<&str>,
        with_units: bool,
        now: i64,
    ) -> Outcome {
        self.require_user()?;
        let (gtin, lot) = self.recall_lot(gtin, lot, scan)?;
        let report = recall_report(
            self.store.conn(),
            &gtin,
            &lot,
            &self.settings.tz_offset,
            with_units,
            now,
        )?;
        if report.counts.total() == 0 {
            return Err(Refusal::new(
                ReasonCode::UnknownUnit,
                format!("the station knows no unit of lot {lot} of GTIN {gtin}"),
            )
            .into());
        }
        Ok(Response::ok().data(serde_json::to_value(&report).unwrap_or_default()))
    }

    /// The GTIN and lot a recall names.
    pub(crate) fn recall_lot(
        &self,
        gtin: Option<&str>,
        lot: Option<&str>,
        scan: Option<&str>,
    ) -> Result<(String, String), super::Failure> {
        let invalid = |d: String| Refusal::new(ReasonCode::InvalidArgument, d);
        match (gtin, lot, scan) {
            (Some(g), Some(l), None) => {
                let g: crate::gs1::Gtin =
                    g.parse().map_err(|e| invalid(format!("gtin '{g}': {e}")))?;
                let l: crate::gs1::Lot =
                    l.parse().map_err(|e| invalid(format!("lot '{l}': {e}")))?;
                Ok((g.as_str().to_owned(), l.as_str().to_owned()))
            }
            (None, None, Some(scan)) => {
                let scanned = self.identify(scan)?;
                let unit = store::unit_by_key(self.store.conn(), scanned.key())?;
                let from_scan = match &scanned {
                    super::scan::Scanned::Sgtin { sgtin, lot, .. } => {
                        lot.clone().map(|l| (sgtin.gtin.as_str().to_owned(), l))
                    }
                    super::scan::Scanned::Sscc { .. } => None,
                };
                let from_unit = unit.and_then(|u| Some((u.gtin?, u.lot?)));
                from_scan.or(from_unit).ok_or_else(|| {
                    invalid(format!(
                        "{} names no lot: scan a pack's full DataMatrix or give gtin and lot",
                        scanned.key()
                    ))
                    .into()
                })
            }
            _ => Err(invalid("name a lot either by gtin and lot or by a scan".to_owned()).into()),
        }
    }

    /// `trace`: a unit up to its top container and down to every pack, with their moves.
    pub(crate) fn trace_request(&self, scan: &str, now: i64) -> Outcome {
        self.require_user()?;
        let report = self.trace_report(scan, now)?;
        Ok(Response::ok().data(serde_json::to_value(&report).unwrap_or_default()))
    }

    /// The trace of a scanned unit.
    pub(crate) fn trace_report(&self, scan: &str, now: i64) -> Result<TraceReport, super::Failure> {
        let conn = self.store.conn();
        let unit = self.resolve(conn, scan)?;
        let chain = store::ancestors(conn, &unit)?;
        let top = chain.last().cloned().unwrap_or_else(|| unit.clone());
        let mut all: Vec<UnitView> = vec![top.clone()];
        all.extend(store::subtree(conn, top.id)?);
        let keys: HashMap<String, String> =
            all.iter().map(|u| (u.epc.clone(), u.key.clone())).collect();
        let holds: Vec<_> = store::active_holds(conn)?
            .into_iter()
            .map(|r| r.hold)
            .collect();
        let tz = self.settings.tz_offset.clone();
        let mut by_parent: HashMap<i64, Vec<&UnitView>> = HashMap::new();
        for u in all.iter().skip(1) {
            if let Some(p) = u.parent_id {
                by_parent.entry(p).or_default().push(u);
            }
        }
        for list in by_parent.values_mut() {
            list.sort_by_key(|u| u.id);
        }
        let ctx = NodeContext {
            conn,
            by_parent: &by_parent,
            keys: &keys,
            holds: &holds,
            tz: &tz,
        };
        let root = build_node(&ctx, &top, 0)?;
        Ok(TraceReport {
            scanned: unit.key.clone(),
            path_up: chain.iter().map(|c| c.key.clone()).collect(),
            root,
            made_ms: now,
        })
    }
}

/// What building a trace's nodes reads.
struct NodeContext<'a> {
    conn: &'a Conn,
    by_parent: &'a HashMap<i64, Vec<&'a UnitView>>,
    keys: &'a HashMap<String, String>,
    holds: &'a [crate::domain::Hold],
    tz: &'a str,
}

/// A unit's history, with where it sits now when that is not published yet: a move into a
/// container still being filled has published only its DELETE (the ADD is sent when the
/// container closes), so the move's destination is the unit's parent now.
fn placed_history(ctx: &NodeContext<'_>, u: &UnitView) -> Result<Vec<TraceMove>, StoreError> {
    let mut steps = history(ctx.conn, &u.epc, ctx.keys, ctx.tz)?;
    if let Some(parent) = u.parent_id.filter(|_| !u.published)
        && let Some(last) = steps.last_mut()
        && last.command == "move"
        && last.to.is_none()
        && last.from.is_some()
    {
        last.to = store::unit_by_id(ctx.conn, parent)?.map(|p| p.key);
    }
    Ok(steps)
}

/// A unit's node with everything below it (at most eight levels down).
fn build_node(ctx: &NodeContext<'_>, u: &UnitView, depth: usize) -> Result<TraceNode, StoreError> {
    let up = store::ancestors(ctx.conn, u)?;
    let held = crate::domain::covering_hold(u, &up, ctx.holds).is_some();
    let mut children = Vec::new();
    if depth < 8 {
        for c in ctx
            .by_parent
            .get(&u.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            children.push(build_node(ctx, c, depth + 1)?);
        }
    }
    Ok(TraceNode {
        key: u.key.clone(),
        epc: u.epc.clone(),
        level: u.level.as_str().to_owned(),
        status: u.status.as_str().to_owned(),
        lot: u.lot.clone(),
        held,
        history: placed_history(ctx, u)?,
        children,
    })
}

/// The recall as CSV: one line per unit (the report must list its units).
pub fn recall_csv(r: &RecallReport) -> String {
    use super::returns_file::csv_cell;
    let mut out = String::from(
        "gtin,lot,unit_key,level,status,unit_status,container,top_container,top_level,pull,last_event,last_event_time\n",
    );
    for g in &r.groups {
        let last = g.last_event.as_ref();
        for u in &g.units {
            let cells = [
                r.gtin.clone(),
                r.lot.clone(),
                u.key.clone(),
                u.level.clone(),
                u.status.as_str().to_owned(),
                u.unit_status.clone(),
                u.container.clone().unwrap_or_default(),
                g.top.clone().unwrap_or_default(),
                g.top_level.clone().unwrap_or_default(),
                g.pull.to_string(),
                last.map(|e| {
                    format!(
                        "{}{}",
                        e.event,
                        e.biz_step
                            .as_ref()
                            .map(|b| format!(" ({b})"))
                            .unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
                last.map(|e| e.local_time.clone()).unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    out
}
