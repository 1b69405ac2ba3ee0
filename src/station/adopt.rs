//! Taking a hierarchy in from the site repository or an EPCIS file (adopt), taking it in again
//! (refresh), and the stale check before a change (`docs/architecture.md` §15).
//!
//! Adopting writes the units the events describe — parent links, status, GTIN, lot, expiry —
//! with where they came from, in one transaction with an audit record. It records no EPCIS
//! event: it takes in what the repository already says. A unit the station already knows takes
//! the repository's state too (a refresh), unless the station has changes to it that the
//! repository has not received yet (`UNSENT_CHANGES`): those must be synced first.

use super::{Failure, Outcome, Response, Station};
use crate::auth::{AuditEntry, User, append_audit};
use crate::domain::{ContainerState, Level, ReasonCode, Refusal, UnitStatus, UnitView};
use crate::epcis::{EventFacts, FactStatus, Hierarchy, UnitFacts, replay};
use crate::gs1::{Sgtin, Sscc};
use crate::store::{self, Adoption, NewUnit};
use std::collections::{HashMap, HashSet};

/// At most this many units that left a hierarchy are followed to where they went (a refresh).
const FOLLOW_MAX: usize = 500;

/// Where adopted units come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The site repository (through the station's [`super::RepositoryLink`]).
    Repository,
    /// EPCIS documents read from files.
    File,
}

impl Origin {
    /// Stable name, as stored and shown (`repository`, `file`; units made here are `local`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Repository => "repository",
            Self::File => "file",
        }
    }
}

/// What the station would store for one unit the events name.
struct Planned<'h> {
    facts: &'h UnitFacts,
    key: String,
    level: Level,
    gtin: Option<String>,
}

fn status_of(s: FactStatus) -> UnitStatus {
    match s {
        FactStatus::Active | FactStatus::Uncommissioned => UnitStatus::Active,
        FactStatus::Decommissioned => UnitStatus::Decommissioned,
        FactStatus::Destroyed => UnitStatus::Destroyed,
        FactStatus::Sampled => UnitStatus::Sampled,
    }
}

fn unsent(key: &str) -> Refusal {
    Refusal::new(
        ReasonCode::UnsentChanges,
        format!("{key} has changes the repository has not received yet: sync first"),
    )
}

fn unreachable(e: &super::LinkError) -> Refusal {
    Refusal::new(ReasonCode::RepositoryUnreachable, e.to_string())
}

/// Events of two reads of one repository, each once.
fn merge_events(into: &mut Vec<EventFacts>, more: Vec<EventFacts>) {
    let mut seen: HashSet<(Option<String>, bool, i64)> = into
        .iter()
        .map(|e| {
            (
                e.event_id.clone(),
                e.error_declaration.is_some(),
                e.event_time_ms,
            )
        })
        .collect();
    for e in more {
        let k = (
            e.event_id.clone(),
            e.error_declaration.is_some(),
            e.event_time_ms,
        );
        if e.event_id.is_none() || seen.insert(k) {
            into.push(e);
        }
    }
}

impl Station {
    /// `adopt`: takes in (or refreshes) the whole hierarchy of the scanned unit from the
    /// repository: the top of its hierarchy and everything below it.
    pub(crate) fn adopt_request(&mut self, data: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let scanned = self.identify(data)?;
        let (epc, _) = self.epc_and_level(&scanned)?;
        self.adopt_from_repository(&user, &epc, now)
    }

    /// Reads the unit's hierarchy from the repository and adopts it.
    pub(crate) fn adopt_from_repository(&mut self, user: &User, epc: &str, now: i64) -> Outcome {
        let Some(link) = self.link.as_ref() else {
            return Err(Refusal::new(
                ReasonCode::RepositoryUnreachable,
                "no repository is configured (packbench sync --configure)",
            )
            .into());
        };
        let source = link.describe();
        let mut events = link.hierarchy_events(epc).map_err(|e| unreachable(&e))?;
        let mut epc = epc.to_owned();
        if events.is_empty()
            && let Ok((sscc, len)) = Sscc::from_epc_uri(&epc)
        {
            // The company prefix length of an SSCC is a guess when no setting or product
            // tells it: ask for the other splittings of the same SSCC too.
            for other in (6..=12).filter(|l| *l != len) {
                let Ok(alt) = sscc.epc_uri(other) else {
                    continue;
                };
                let found = link.hierarchy_events(&alt).map_err(|e| unreachable(&e))?;
                if !found.is_empty() {
                    events = found;
                    epc = alt;
                    break;
                }
            }
        }
        let epc = epc.as_str();
        let mut h = replay(&events);
        if !h.units.contains_key(epc) {
            return Err(Refusal::new(
                ReasonCode::NotInRepository,
                format!("{epc} is not in the repository ({source})"),
            )
            .into());
        }
        // Up to the top: each read may show a parent further up (a case's events name the
        // pallet it is on); read from there until the top stays the same.
        let mut asked: HashSet<String> = HashSet::from([epc.to_owned()]);
        let mut top = h.top_of(epc).to_owned();
        for _ in 0..8 {
            if !asked.insert(top.clone()) {
                break;
            }
            let more = link.hierarchy_events(&top).map_err(|e| unreachable(&e))?;
            merge_events(&mut events, more);
            h = replay(&events);
            top = h.top_of(epc).to_owned();
        }
        // Published units the station has below that top which the repository now places
        // elsewhere (moved, retired, unpacked at another bench): read theirs too, so that a
        // refresh follows them to where they are.
        let mut tops = vec![top.clone()];
        if let Some(local_top) = store::unit_by_key(self.store.conn(), &key_of_epc(&top))? {
            let in_tree: HashSet<String> = h.subtree(&top).iter().map(|u| u.epc.clone()).collect();
            let gone: Vec<String> = store::subtree(self.store.conn(), local_top.id)?
                .into_iter()
                .filter(|u| u.published && !in_tree.contains(&u.epc))
                .map(|u| u.epc)
                .collect();
            for g in gone.iter().take(FOLLOW_MAX) {
                let more = link.hierarchy_events(g).map_err(|e| unreachable(&e))?;
                merge_events(&mut events, more);
            }
            if !gone.is_empty() {
                h = replay(&events);
                for g in &gone {
                    let t = h.top_of(g).to_owned();
                    if h.units.contains_key(&t) && !tops.contains(&t) {
                        tops.push(t);
                    }
                }
            }
        }
        // The baseline of the stale check: every event the repository now holds about these
        // units, as the check itself will ask for them.
        let named: Vec<String> = tops
            .iter()
            .flat_map(|t| h.subtree(t))
            .map(|u| u.epc.clone())
            .collect();
        let baseline = link.events_naming(&named).map_err(|e| unreachable(&e))?;
        let mut known = events.clone();
        merge_events(&mut known, baseline);
        self.adopt_hierarchy(user, &h, &known, &tops, Origin::Repository, &source, now)
    }

    /// Adopts every hierarchy the events describe (an EPCIS file).
    pub(crate) fn adopt_facts(
        &mut self,
        facts: &[EventFacts],
        origin: Origin,
        source: &str,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let h = replay(facts);
        let tops: Vec<String> = h.tops().iter().map(|u| u.epc.clone()).collect();
        self.adopt_hierarchy(&user, &h, facts, &tops, origin, source, now)
    }

    /// The station's key, level and GTIN of an EPC, or `None` for an EPC that is neither an
    /// SGTIN nor an SSCC (not a unit the station handles).
    fn plan_unit<'h>(
        &self,
        facts: &'h UnitFacts,
        kids: &HashMap<&str, Vec<&'h UnitFacts>>,
        memo: &mut HashMap<String, Option<Level>>,
    ) -> Option<Planned<'h>> {
        let level = self.level_of(&facts.epc, kids, memo, 0)?;
        if let Ok((sgtin, _)) = Sgtin::from_epc_uri(&facts.epc) {
            return Some(Planned {
                facts,
                key: sgtin.unit_key(),
                level,
                gtin: Some(sgtin.gtin.as_str().to_owned()),
            });
        }
        let (sscc, _) = Sscc::from_epc_uri(&facts.epc).ok()?;
        Some(Planned {
            facts,
            key: sscc.unit_key(),
            level,
            gtin: None,
        })
    }

    /// An SGTIN is at its product's level (a pack when the product is unknown); an SSCC is
    /// one level above its highest child, a case when it has none.
    fn level_of(
        &self,
        epc: &str,
        kids: &HashMap<&str, Vec<&UnitFacts>>,
        memo: &mut HashMap<String, Option<Level>>,
        depth: usize,
    ) -> Option<Level> {
        if let Some(l) = memo.get(epc) {
            return *l;
        }
        let level = if let Ok((sgtin, _)) = Sgtin::from_epc_uri(epc) {
            Some(
                self.products
                    .get(sgtin.gtin.as_str())
                    .map_or(Level::Pack, |p| p.level),
            )
        } else if Sscc::from_epc_uri(epc).is_ok() {
            let highest = if depth > 8 {
                None // deeper than any packaging hierarchy: a cycle in the data
            } else {
                kids.get(epc).and_then(|ks| {
                    ks.iter()
                        .filter_map(|k| self.level_of(&k.epc, kids, memo, depth + 1))
                        .max()
                })
            };
            Some(match highest {
                None | Some(Level::Pack) => Level::Case,
                Some(Level::Case) => Level::Pallet,
                Some(Level::Pallet | Level::Container) => Level::Container,
            })
        } else {
            None
        };
        memo.insert(epc.to_owned(), level);
        level
    }

    /// Writes the hierarchies under `tops` (see the module documentation).
    #[allow(clippy::too_many_arguments)] // each argument is a distinct part of the record
    fn adopt_hierarchy(
        &mut self,
        user: &User,
        h: &Hierarchy,
        events: &[EventFacts],
        tops: &[String],
        origin: Origin,
        source: &str,
        now: i64,
    ) -> Outcome {
        let mut kids: HashMap<&str, Vec<&UnitFacts>> = HashMap::new();
        for u in h.units.values() {
            if let Some(p) = &u.parent {
                kids.entry(p.as_str()).or_default().push(u);
            }
        }
        let mut memo = HashMap::new();
        let mut plan: Vec<Planned<'_>> = Vec::new();
        let mut planned: HashSet<&str> = HashSet::new();
        let mut skipped = 0usize;
        // One pass for all tops: a file of many loose packs has as many tops as packs.
        for u in h.subtrees(tops) {
            if !planned.insert(u.epc.as_str()) {
                continue;
            }
            match self.plan_unit(u, &kids, &mut memo) {
                Some(p) => plan.push(p),
                None => skipped += 1,
            }
        }
        if plan.is_empty() {
            return Err(Refusal::new(
                ReasonCode::NotInRepository,
                format!("the events name no pack, case or pallet ({source})"),
            )
            .into());
        }
        let tx = self.store.begin()?;
        let mut ids: HashMap<&str, i64> = HashMap::new();
        let mut new_ids: HashSet<i64> = HashSet::new();
        let (mut created, mut updated, mut unchanged) = (0usize, 0usize, 0usize);
        // Units the station knows below these tops that the events now place elsewhere.
        let mut moved_out: Vec<UnitView> = Vec::new();
        for p in &plan {
            let unit = match store::unit_by_key(&tx, &p.key)? {
                Some(u) => {
                    for k in store::children(&tx, u.id)? {
                        if k.published && !planned.contains(k.epc.as_str()) {
                            moved_out.push(k);
                        }
                    }
                    u
                }
                None => {
                    let id = store::insert_unit(
                        &tx,
                        &NewUnit {
                            key: &p.key,
                            epc: &p.facts.epc,
                            level: p.level,
                            gtin: p.gtin.as_deref(),
                            lot: p.facts.lot.as_deref(),
                            expiry: p.facts.expiry.as_deref(),
                            state: (p.level >= Level::Case).then_some(ContainerState::Closed),
                            capacity: None,
                            work_order: None,
                            listed: false,
                            time_ms: now,
                        },
                    )?;
                    created += 1;
                    new_ids.insert(id);
                    store::unit_by_id(&tx, id)?.ok_or_else(|| {
                        Failure::Store(store::StoreError::BadValue {
                            what: "units.id",
                            value: id.to_string(),
                        })
                    })?
                }
            };
            ids.insert(p.facts.epc.as_str(), unit.id);
            let parent_id = match &p.facts.parent {
                Some(pe) => match ids.get(pe.as_str()) {
                    Some(id) => Some(*id),
                    None => store::unit_by_key(&tx, &key_of_epc(pe))?.map(|u| u.id),
                },
                None => None,
            };
            let mut next = unit.clone();
            next.parent_id = parent_id;
            next.published = parent_id.is_some();
            next.status = status_of(p.facts.status);
            if next == unit {
                if !new_ids.contains(&unit.id) {
                    unchanged += 1;
                }
                continue;
            }
            if !new_ids.contains(&unit.id) {
                if store::has_unsent_events(&tx, &unit.epc)? {
                    return Err(unsent(&unit.key).into());
                }
                updated += 1;
            }
            store::update_unit(&tx, &next, now)?;
        }
        for mut k in moved_out {
            if store::has_unsent_events(&tx, &k.epc)? {
                return Err(unsent(&k.key).into());
            }
            let theirs = h.units.get(&k.epc);
            k.parent_id = None;
            k.published = false;
            if let Some(f) = theirs {
                k.status = status_of(f.status);
            }
            store::update_unit(&tx, &k, now)?;
            updated += 1;
        }
        // Container fill and state from the children as they now are.
        for p in plan.iter().filter(|p| p.level >= Level::Case) {
            let Some(id) = ids.get(p.facts.epc.as_str()) else {
                continue;
            };
            let Some(mut c) = store::unit_by_id(&tx, *id)? else {
                continue;
            };
            let children = store::children(&tx, c.id)?;
            let count = u32::try_from(children.len()).unwrap_or(u32::MAX);
            let state = if !children.is_empty() && children.iter().all(|k| k.published) {
                ContainerState::Closed
            } else {
                ContainerState::Open
            };
            if c.child_count != count || c.state != Some(state) {
                c.child_count = count;
                c.state = Some(state);
                store::update_unit(&tx, &c, now)?;
            }
        }
        for p in &plan {
            let Some(id) = ids.get(p.facts.epc.as_str()) else {
                continue;
            };
            let prior = store::adoption_of(&tx, *id)?;
            if prior.is_none() && !new_ids.contains(id) {
                continue; // a unit made at this station stays `local`; its events become known
            }
            let event_ids =
                serde_json::to_string(&p.facts.event_ids).unwrap_or_else(|_| "[]".to_owned());
            store::upsert_adoption(
                &tx,
                *id,
                &Adoption {
                    origin: prior
                        .as_ref()
                        .map_or_else(|| origin.as_str().to_owned(), |a| a.origin.clone()),
                    source: source.to_owned(),
                    adopted_ms: prior.as_ref().map_or(now, |a| a.adopted_ms),
                    refreshed_ms: now,
                    last_event_ms: (p.facts.last_event_ms != i64::MIN)
                        .then_some(p.facts.last_event_ms),
                    event_ids,
                },
            )?;
        }
        store::add_known_events(&tx, events.iter().filter_map(|e| e.event_id.as_deref()))?;
        let top_keys: Vec<String> = tops.iter().map(|t| key_of_epc(t)).collect();
        let summary = serde_json::json!({
            "origin": origin.as_str(),
            "source": source,
            "tops": top_keys,
            "units": plan.len(),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "skipped": skipped,
            "events": events.len(),
        });
        append_audit(
            &tx,
            &AuditEntry {
                time_ms: now,
                username: user.username.clone(),
                action: "adopt".to_owned(),
                target: top_keys.first().cloned(),
                new_value: Some(summary.to_string()),
                reason: Some(format!("{} {source}", origin.as_str())),
                ..AuditEntry::default()
            },
        )?;
        tx.commit()?;
        let mut r = Response::ok().data(summary);
        if let Some(first) = top_keys.first()
            && let Some(u) = store::unit_by_key(self.store.conn(), first)?
        {
            r = if u.is_container() {
                r.container(&u)
            } else {
                r.unit(&u)
            };
        }
        Ok(r)
    }
}

/// The station's key of an SGTIN or SSCC EPC URI (the URI itself otherwise).
pub(super) fn key_of_epc(epc: &str) -> String {
    if let Ok((s, _)) = Sgtin::from_epc_uri(epc) {
        return s.unit_key();
    }
    if let Ok((s, _)) = Sscc::from_epc_uri(epc) {
        return s.unit_key();
    }
    epc.to_owned()
}
