//! Pulling from an EPCIS 2.0 repository: `GET /events` queries (every page, following the
//! `Link: <...>; rel="next"` header the openapi prescribes) and a unit's state as the repository
//! sees it — its last aggregation parent, disposition, business step, children — replayed from
//! the events that name it.
//!
//! An "unpack all" (AggregationEvent DELETE with an empty child list) does not name the
//! children, so after the unit's own events the events of its last parent are read as well.
//!
//! ```
//! use packbench::epcis::{Action, Event, EventKind};
//! use packbench::sync::unit_state_from_events;
//! let case = "urn:epc:id:sscc:9506000.0000000017";
//! let pack = "urn:epc:id:sgtin:9506000.013435.A1";
//! let mut add = Event::new(EventKind::Aggregation, Action::Add, 1_000, "+00:00");
//! add.parent_id = Some(case.into());
//! add.epcs.push(pack.into());
//! add.disposition = Some("in_progress".into());
//! let mut unpack = Event::new(EventKind::Aggregation, Action::Delete, 2_000, "+00:00");
//! unpack.parent_id = Some(case.into());
//! let state = unit_state_from_events(pack, &[add.clone()]);
//! assert_eq!(state.parent.as_deref(), Some(case));
//! let state = unit_state_from_events(pack, &[unpack, add]);
//! assert_eq!(state.parent, None);
//! ```

use super::error::{SyncError, shorten};
use super::http::Http;
use crate::epcis::{Action, Event, EventKind, events_from_query_jsonld};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters escaped in a query string value (everything but unreserved characters).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Most pages read for one query (a runaway `Link` chain stops here with an error).
const MAX_PAGES: usize = 10_000;

/// Events per page asked for.
pub const DEFAULT_PER_PAGE: usize = 500;

/// The events of one query, all pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryResult {
    /// The events, in the order the repository sent them.
    pub events: Vec<Event>,
    /// Events of types packbench does not model (skipped).
    pub skipped: usize,
    /// Pages read.
    pub pages: usize,
}

/// A unit as the repository knows it, replayed from its events in event-time order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UnitState {
    /// The unit (EPC URI).
    pub epc: String,
    /// Its last aggregation parent, if it is in a container.
    pub parent: Option<String>,
    /// Its children, if it is a container (as of the last event).
    pub children: Vec<String>,
    /// The last disposition an event gave it (CBV short name).
    pub disposition: Option<String>,
    /// The business step of its last event.
    pub biz_step: Option<String>,
    /// It was commissioned (ObjectEvent ADD) and not decommissioned since (ObjectEvent DELETE).
    pub active: bool,
    /// Time of its last event (UTC ms).
    pub last_event_ms: Option<i64>,
    /// Events that name it (plus "unpack all" events of its parent that took it out).
    pub events: usize,
    /// Events read that packbench does not model (skipped).
    pub skipped_events: usize,
}

/// The `rel="next"` target of a `Link` header, if any.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

/// Runs `GET /events` with `params` and hands every page's (URL, body) to `page`; returns the
/// pages read.
pub(super) fn for_each_page(
    http: &Http,
    params: &[(&str, &str)],
    per_page: usize,
    mut page: impl FnMut(&str, &str) -> Result<(), SyncError>,
) -> Result<usize, SyncError> {
    let mut path = format!("/events?perPage={}", per_page.max(1));
    for (name, value) in params {
        path.push('&');
        path.push_str(name);
        path.push('=');
        path.push_str(&utf8_percent_encode(value, QUERY_VALUE).to_string());
    }
    // The first page is relative to the base URL (which may have a path, `https://host/api`);
    // the server's `next` links are resolved as it wrote them.
    let mut next = Some(http.url(&path));
    let mut pages = 0;
    while let Some(path) = next.take() {
        if pages >= MAX_PAGES {
            return Err(SyncError::Protocol {
                url: http.url(&path),
                detail: format!("more than {MAX_PAGES} pages"),
            });
        }
        let url = http.resolve_location(&path);
        let reply = http.send(
            "GET",
            &url,
            &[
                ("Accept", "application/ld+json, application/json"),
                ("GS1-EPCIS-Version", "2.0.0"),
            ],
            None,
        )?;
        if reply.status != 200 {
            return Err(SyncError::Server {
                url,
                status: reply.status,
                message: shorten(&reply.body, 300),
            });
        }
        page(&url, &reply.body)?;
        pages += 1;
        next = reply.header("link").and_then(next_link);
    }
    Ok(pages)
}

/// Runs `GET /events` with `params` (EPCIS query parameters such as `MATCH_anyEPC`) and reads
/// every page.
pub fn query_events(
    http: &Http,
    params: &[(&str, &str)],
    per_page: usize,
) -> Result<QueryResult, SyncError> {
    let mut out = QueryResult::default();
    out.pages = for_each_page(http, params, per_page, |url, body| {
        let (mut events, skipped) =
            events_from_query_jsonld(body).map_err(|e| SyncError::Protocol {
                url: url.to_owned(),
                detail: e.to_string(),
            })?;
        out.events.append(&mut events);
        out.skipped += skipped;
        Ok(())
    })?;
    Ok(out)
}

/// Runs `GET /events` with `params` and returns the raw JSON of every event of every page
/// (for fields the [`Event`] model does not carry, such as ILMD), with the pages read.
pub fn query_raw_events(
    http: &Http,
    params: &[(&str, &str)],
    per_page: usize,
) -> Result<(Vec<serde_json::Value>, usize), SyncError> {
    let mut events = Vec::new();
    let pages = for_each_page(http, params, per_page, |url, body| {
        let mut doc: serde_json::Value =
            serde_json::from_str(body).map_err(|e| SyncError::Protocol {
                url: url.to_owned(),
                detail: e.to_string(),
            })?;
        match doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].take() {
            serde_json::Value::Array(list) => events.extend(list),
            serde_json::Value::Null => {}
            _ => {
                return Err(SyncError::Protocol {
                    url: url.to_owned(),
                    detail: "eventList is not an array".to_owned(),
                });
            }
        }
        Ok(())
    })?;
    Ok((events, pages))
}

fn names(event: &Event, epc: &str) -> bool {
    event.parent_id.as_deref() == Some(epc) || event.epcs.iter().any(|e| e == epc)
}

/// Replays `events` (any order; sorted by event time here, ties kept in the given order) for
/// one unit. Events that do not name it only matter as "unpack all" of its parent. Error
/// declarations are honoured: an event declared erroneous (an event with the same eventID
/// carries an `errorDeclaration`) did not occur, and neither the event nor its declaration is
/// replayed.
pub fn unit_state_from_events(epc: &str, events: &[Event]) -> UnitState {
    let declared: std::collections::HashSet<&str> = events
        .iter()
        .filter(|e| e.error_declaration.is_some())
        .filter_map(|e| e.event_id.as_deref())
        .collect();
    let mut ordered: Vec<&Event> = events
        .iter()
        .filter(|e| {
            e.error_declaration.is_none()
                && e.event_id
                    .as_deref()
                    .is_none_or(|id| !declared.contains(id))
        })
        .collect();
    ordered.sort_by_key(|e| e.event_time_ms);
    let mut state = UnitState {
        epc: epc.to_owned(),
        ..UnitState::default()
    };
    for event in ordered {
        let as_child = event.epcs.iter().any(|e| e == epc);
        let as_parent = event.parent_id.as_deref() == Some(epc);
        let mut unpacked_whole = false;
        if event.kind == EventKind::Aggregation {
            if as_child {
                match event.action {
                    Action::Add | Action::Observe => state.parent.clone_from(&event.parent_id),
                    Action::Delete => {
                        if state.parent == event.parent_id {
                            state.parent = None;
                        }
                    }
                }
            } else if event.action == Action::Delete
                && event.epcs.is_empty()
                && event.parent_id.is_some()
                && state.parent == event.parent_id
            {
                // The parent was unpacked whole.
                state.parent = None;
                unpacked_whole = true;
            }
            if as_parent {
                match event.action {
                    Action::Add | Action::Observe => {
                        for child in &event.epcs {
                            if !state.children.contains(child) {
                                state.children.push(child.clone());
                            }
                        }
                    }
                    Action::Delete if event.epcs.is_empty() => state.children.clear(),
                    Action::Delete => state.children.retain(|c| !event.epcs.contains(c)),
                }
            }
        }
        if !names(event, epc) && !unpacked_whole {
            continue;
        }
        if event.kind == EventKind::Object && as_child {
            match event.action {
                Action::Add => state.active = true,
                Action::Delete => state.active = false,
                Action::Observe => {}
            }
        }
        if let Some(d) = &event.disposition {
            state.disposition = Some(d.clone());
        }
        state.biz_step.clone_from(&event.biz_step);
        state.last_event_ms = Some(event.event_time_ms);
        state.events += 1;
    }
    state
}

/// Asks the repository about one unit: its own events, then those of its last parent (for an
/// "unpack all" that does not name it).
pub fn unit_state(http: &Http, epc: &str, per_page: usize) -> Result<UnitState, SyncError> {
    let own = query_events(http, &[("MATCH_anyEPC", epc)], per_page)?;
    let mut skipped = own.skipped;
    let mut events = own.events;
    let first = unit_state_from_events(epc, &events);
    if let Some(parent) = &first.parent {
        let theirs = query_events(http, &[("MATCH_parentID", parent)], per_page)?;
        skipped += theirs.skipped;
        for e in theirs.events {
            if !events.contains(&e) {
                events.push(e);
            }
        }
    }
    let mut state = unit_state_from_events(epc, &events);
    state.skipped_events = skipped;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "urn:epc:id:sscc:9506000.0000000017";
    const CASE2: &str = "urn:epc:id:sscc:9506000.0000000024";
    const PACK: &str = "urn:epc:id:sgtin:9506000.013435.A1";

    fn ev(kind: EventKind, action: Action, t: i64, parent: Option<&str>, epcs: &[&str]) -> Event {
        let mut e = Event::new(kind, action, t, "+00:00");
        e.parent_id = parent.map(str::to_owned);
        e.epcs = epcs.iter().map(|s| (*s).to_owned()).collect();
        e
    }

    #[test]
    fn link_header_next_target() {
        assert_eq!(
            next_link(r#"<https://x.example/events?perPage=30&nextPageToken=AB>; rel="next""#)
                .as_deref(),
            Some("https://x.example/events?perPage=30&nextPageToken=AB")
        );
        assert_eq!(
            next_link(r#"</events?a=1>; rel="prev", </events?a=2>; rel=next"#).as_deref(),
            Some("/events?a=2")
        );
        assert_eq!(next_link(r#"</events?a=1>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn commissioned_packed_moved_and_decommissioned() {
        let mut commission = ev(EventKind::Object, Action::Add, 1, None, &[PACK]);
        commission.disposition = Some("active".into());
        commission.biz_step = Some("commissioning".into());
        let mut pack = ev(EventKind::Aggregation, Action::Add, 2, Some(CASE), &[PACK]);
        pack.disposition = Some("in_progress".into());
        pack.biz_step = Some("packing".into());
        let s = unit_state_from_events(PACK, &[pack.clone(), commission.clone()]);
        assert_eq!(s.parent.as_deref(), Some(CASE));
        assert!(s.active);
        assert_eq!(s.disposition.as_deref(), Some("in_progress"));
        assert_eq!(s.events, 2);
        assert_eq!(s.last_event_ms, Some(2));

        let remove = ev(
            EventKind::Aggregation,
            Action::Delete,
            3,
            Some(CASE),
            &[PACK],
        );
        let add2 = ev(EventKind::Aggregation, Action::Add, 4, Some(CASE2), &[PACK]);
        // An unpack-all of the old parent after the move leaves the new parent alone.
        let unpack_old = ev(EventKind::Aggregation, Action::Delete, 5, Some(CASE), &[]);
        let events = [commission.clone(), pack.clone(), remove, add2, unpack_old];
        let s = unit_state_from_events(PACK, &events);
        assert_eq!(s.parent.as_deref(), Some(CASE2));
        assert_eq!(s.events, 4);

        let mut decommission = ev(EventKind::Object, Action::Delete, 6, None, &[PACK]);
        decommission.disposition = Some("inactive".into());
        let mut all = events.to_vec();
        all.push(decommission);
        let s = unit_state_from_events(PACK, &all);
        assert!(!s.active);
        assert_eq!(s.disposition.as_deref(), Some("inactive"));
    }

    #[test]
    fn unpack_all_of_the_parent_clears_it_and_its_children() {
        let pack = ev(
            EventKind::Aggregation,
            Action::Add,
            2,
            Some(CASE),
            &[PACK, "x"],
        );
        let unpack = ev(EventKind::Aggregation, Action::Delete, 3, Some(CASE), &[]);
        let s = unit_state_from_events(PACK, &[pack.clone(), unpack.clone()]);
        assert_eq!(s.parent, None);
        let c = unit_state_from_events(CASE, std::slice::from_ref(&pack));
        assert_eq!(c.children, vec![PACK.to_owned(), "x".to_owned()]);
        let c = unit_state_from_events(CASE, &[pack, unpack]);
        assert!(c.children.is_empty());
        assert_eq!(c.events, 2);
    }

    #[test]
    fn an_event_declared_erroneous_did_not_occur() {
        let mut pack = ev(EventKind::Aggregation, Action::Add, 2, Some(CASE), &[PACK]);
        pack.event_id = Some("ni:///sha-256;aa?ver=CBV2.0".into());
        let mut declared = pack.clone();
        declared.error_declaration = Some(crate::epcis::ErrorDeclaration {
            declaration_time_ms: 5,
            declaration_time_zone: None,
            reason: Some("did_not_occur".into()),
            corrective_event_ids: Vec::new(),
        });
        let s = unit_state_from_events(PACK, &[pack.clone(), declared.clone()]);
        assert_eq!(s.parent, None);
        assert_eq!(s.events, 0);
        // A compensating DELETE after the declaration changes nothing more.
        let undo = ev(
            EventKind::Aggregation,
            Action::Delete,
            6,
            Some(CASE),
            &[PACK],
        );
        let s = unit_state_from_events(PACK, &[pack.clone(), declared, undo.clone()]);
        assert_eq!(s.parent, None);
        // Without the declaration (a repository that ignores it) the DELETE reverses the ADD.
        let s = unit_state_from_events(PACK, &[pack, undo]);
        assert_eq!(s.parent, None);
        assert_eq!(s.events, 2);
    }

    #[test]
    fn unknown_unit_has_no_state() {
        let s = unit_state_from_events(PACK, &[]);
        assert_eq!(s.events, 0);
        assert!(!s.active && s.parent.is_none() && s.disposition.is_none());
    }
}
