//! The stale check (`docs/architecture.md` §15): before a change, and before the sync sends a
//! change made offline, the repository is asked whether another bench changed the hierarchy
//! since the station knew it. A unit the station does not know is taken in first.

use super::adopt::key_of_epc;
use super::{Failure, Mode, Request, Station};
use crate::domain::{ReasonCode, Refusal};
use crate::store;
use std::collections::HashMap;

impl Station {
    /// Before a request that reworks or looks at units: a scanned unit the station does not
    /// know is taken in from the repository first (when one is configured), and before a
    /// change the repository is asked for the events naming the units involved (and their
    /// containers up to the top): one the station does not know means another bench changed
    /// the hierarchy (`STALE_HIERARCHY`, nothing changed). When the repository cannot be
    /// asked, the change goes ahead and the reason is returned for an amber answer.
    pub(crate) fn before_rework(
        &mut self,
        req: &Request,
        now: i64,
    ) -> Result<Option<String>, Failure> {
        if self.link.is_none() {
            return Ok(None);
        }
        let Some(user) = self.session.user.clone() else {
            return Ok(None); // the handler answers NOT_LOGGED_IN
        };
        let (scans, changes): (Vec<&str>, bool) = match req {
            Request::Remove { scan }
            | Request::Unpack { scan }
            | Request::Retire { scan, .. }
            | Request::Replace { damaged: scan, .. }
            | Request::Relabel { old: scan, .. }
            | Request::Close {
                scan: Some(scan), ..
            } => (vec![scan.as_str()], true),
            Request::Move { scan, to, .. } => (
                std::iter::once(scan.as_str())
                    .chain(to.as_deref())
                    .collect(),
                true,
            ),
            Request::Lookup { scan }
            | Request::Manifest { scan }
            | Request::Tree { scan: Some(scan) }
            | Request::Hold {
                scan: Some(scan), ..
            } => (vec![scan.as_str()], false),
            Request::Scan { data } => match self.session.mode {
                Mode::Remove | Mode::Move => (vec![data.as_str()], true),
                Mode::Lookup => (vec![data.as_str()], false),
                Mode::Pack | Mode::Receive | Mode::Returns => return Ok(None),
            },
            _ => return Ok(None),
        };
        let mut epcs: Vec<String> = Vec::new();
        for data in scans {
            let Ok(scanned) = self.identify(data) else {
                continue; // the handler refuses the scan itself
            };
            let Ok((epc, _)) = self.epc_and_level(&scanned) else {
                continue;
            };
            let unit = match store::unit_by_key(self.store.conn(), scanned.key())? {
                Some(u) => u,
                None => {
                    self.adopt_from_repository(&user, &epc, now)?;
                    match store::unit_by_key(self.store.conn(), scanned.key())? {
                        Some(u) => u,
                        None => continue,
                    }
                }
            };
            if changes {
                for a in store::ancestors(self.store.conn(), &unit)? {
                    epcs.push(a.epc);
                }
                epcs.push(unit.epc);
            }
        }
        if epcs.is_empty() {
            return Ok(None);
        }
        let Some(link) = self.link.as_deref() else {
            return Ok(None);
        };
        match check_stale(self.store.conn(), link, &epcs)? {
            StaleCheck::Unchanged => Ok(None),
            StaleCheck::Unreachable(why) => Ok(Some(why)),
            StaleCheck::Changed { epc, detail } => Err(Refusal::new(
                ReasonCode::StaleHierarchy,
                format!("{detail}: take the hierarchy in again (adopt) first"),
            )
            .about(key_of_epc(&epc))
            .into()),
        }
    }
}

/// What the repository says about units the station is about to change (or has changed
/// offline): see [`check_stale`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleCheck {
    /// No event the station does not know.
    Unchanged,
    /// An event made elsewhere: the EPC it names and a description of it.
    Changed {
        /// The unit it is about.
        epc: String,
        /// Which event, for the message.
        detail: String,
    },
    /// The repository could not be asked.
    Unreachable(String),
}

/// Asks the repository for the events naming `epcs` and looks for one made elsewhere since
/// the station knew the unit: for a unit taken in from elsewhere, any event it does not know
/// (every event about it then was read); for a unit made here, one after the first event the
/// station wrote about it (what the line recorded before is its history, not a change). A unit
/// the station never published, or does not know, has nothing to be stale against. Used before
/// a change and, by the sync worker, before it sends a change made offline.
pub fn check_stale(
    conn: &store::Conn,
    link: &dyn super::RepositoryLink,
    epcs: &[String],
) -> Result<StaleCheck, store::StoreError> {
    let mut since: HashMap<&str, Option<i64>> = HashMap::new();
    for epc in epcs {
        let Some(unit) = store::unit_by_key(conn, &key_of_epc(epc))? else {
            continue;
        };
        let threshold = if store::adoption_of(conn, unit.id)?.is_some() {
            Some(None)
        } else {
            store::first_local_event_ms(conn, epc)?.map(Some)
        };
        if let Some(t) = threshold {
            since.insert(epc.as_str(), t);
        }
    }
    if since.is_empty() {
        return Ok(StaleCheck::Unchanged);
    }
    let mut asked: Vec<String> = since.keys().map(|e| (*e).to_owned()).collect();
    asked.sort();
    let events = match link.events_naming(&asked) {
        Ok(events) => events,
        Err(e) => return Ok(StaleCheck::Unreachable(e.to_string())),
    };
    for e in &events {
        let Some(named) = e.all_epcs().find(|x| {
            since
                .get(*x)
                .is_some_and(|t| t.is_none_or(|t| e.event_time_ms > t))
        }) else {
            continue;
        };
        if let Some(id) = &e.event_id
            && !store::event_known(conn, id)?
        {
            return Ok(StaleCheck::Changed {
                epc: named.to_owned(),
                detail: format!(
                    "the repository has a newer {} about {named} ({id}) made elsewhere",
                    e.kind.type_name()
                ),
            });
        }
    }
    Ok(StaleCheck::Unchanged)
}
