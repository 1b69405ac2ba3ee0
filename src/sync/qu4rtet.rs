//! EPCIS 1.2 XML over HTTP POST, as QU4RTET (an open-source pharma repository) takes it:
//! `POST /capture/quartet-capture/?rule=EPCIS&run-immediately=true`, `Authorization: Token ...`
//! or HTTP Basic. A rule failure is HTTP 500 with `{"detail": "Error in rule ..."}` and the whole
//! document rolled back.
//!
//! QU4RTET does not de-duplicate: a document it already applied (an earlier answer was lost)
//! fails as "already commissioned/aggregated". So after any rule failure the client asks
//! QU4RTET's own read API whether every event of the document is there, by eventID (the CBV
//! hash, written into the 1.2 `baseExtension`) and by whether it is an error declaration. All
//! present = delivered; otherwise it is a real rejection and the document is parked. The
//! message text is never trusted for this decision.

use super::config::RepositoryConfig;
use super::error::{SyncError, shorten};
use super::http::Http;
use super::repository::{PushOutcome, Repository};
use crate::epcis::{Action, Event, EventKind, document_xml12};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// QU4RTET client.
#[derive(Debug)]
pub struct Qu4rtet {
    http: Http,
    url: String,
    /// The configuration, for the repository link ([`Repository::link`]).
    config: RepositoryConfig,
    rule: String,
}

impl Qu4rtet {
    /// A client for the configured repository.
    pub fn new(config: &RepositoryConfig) -> Result<Self, SyncError> {
        Ok(Self {
            http: Http::new(config)?,
            url: config.url.clone(),
            config: config.clone(),
            rule: config.qu4rtet_rule.clone(),
        })
    }

    /// The HTTP client (for pulls).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// Whether QU4RTET holds every event (same eventID, same error-declaration flag).
    pub fn holds_all(&self, events: &[Event]) -> Result<bool, SyncError> {
        let mut cache: std::collections::HashMap<String, Vec<(String, bool)>> =
            std::collections::HashMap::new();
        for event in events {
            let Some(id) = &event.event_id else {
                return Ok(false);
            };
            let entry = match event.kind {
                EventKind::Aggregation => event.parent_id.clone(),
                EventKind::Object => event.epcs.first().cloned(),
            };
            let Some(entry) = entry else {
                return Ok(false);
            };
            if !cache.contains_key(&entry) {
                let stored = self.events_of_entry(&entry)?;
                cache.insert(entry.clone(), stored);
            }
            let correction = event.error_declaration.is_some();
            let found = cache
                .get(&entry)
                .is_some_and(|list| list.iter().any(|(i, c)| i == id && *c == correction));
            if !found {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// (eventID, is error declaration) of every event QU4RTET links to an EPC, one per stored
    /// event (a second copy of an event shows up twice).
    pub fn events_of_entry(&self, epc: &str) -> Result<Vec<(String, bool)>, SyncError> {
        let path = format!(
            "/epcis/events-by-entry-id/{}/?format=json",
            utf8_percent_encode(epc, NON_ALPHANUMERIC)
        );
        let reply = self
            .http
            .send("GET", &path, &[("Accept", "application/json")], None)?;
        if reply.status == 404 {
            return Ok(Vec::new());
        }
        if reply.status != 200 {
            return Err(SyncError::Server {
                url: self.http.url(&path),
                status: reply.status,
                message: shorten(&reply.body, 300),
            });
        }
        let v: serde_json::Value =
            serde_json::from_str(&reply.body).map_err(|e| SyncError::Protocol {
                url: self.http.url(&path),
                detail: format!("not JSON: {e}"),
            })?;
        let mut out = Vec::new();
        // QU4RTET may list one stored event twice for an entry (linked as child and as top);
        // its own id tells them apart from a real second copy.
        let mut seen = std::collections::HashSet::new();
        for item in v
            .get("events")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(obj) = item.as_object() else {
                continue;
            };
            for body in obj.values() {
                let stored_id = body.get("id").map(ToString::to_string).unwrap_or_default();
                if !seen.insert(stored_id) {
                    continue;
                }
                if let Some(id) = body.get("eventID").and_then(serde_json::Value::as_str) {
                    let correction = body.get("errorDeclaration").is_some_and(|d| !d.is_null());
                    out.push((id.to_owned(), correction));
                }
            }
        }
        Ok(out)
    }
}

impl Repository for Qu4rtet {
    fn link(&self) -> Option<Box<dyn crate::station::RepositoryLink>> {
        super::link::link_for(&self.config).ok()
    }

    fn describe(&self) -> String {
        format!("QU4RTET (EPCIS 1.2) at {}", self.url)
    }

    fn deduplicates(&self) -> bool {
        false
    }

    fn honours_error_declarations(&self) -> bool {
        super::RepositoryKind::Qu4rtet.honours_error_declarations()
    }

    fn all_present(&mut self, events: &[Event]) -> Result<bool, SyncError> {
        self.holds_all(events)
    }

    fn capture_limit(&mut self) -> Result<Option<usize>, SyncError> {
        // No announced limit; it is slow on big documents (~3 ms per EPC), so the configured
        // batch size applies.
        Ok(None)
    }

    /// QU4RTET decommissions recursively from the parent links in its database, which do not
    /// yet hold the aggregation changes of the same document: a relabel (children moved to the
    /// new SSCC, then the old SSCC decommissioned) would decommission the moved children. So an
    /// ObjectEvent DELETE that follows aggregation events starts a new document, sent after
    /// the earlier part is applied. A part that already arrived (an earlier attempt stopped
    /// half-way) is recognised as such, like a whole document.
    fn push(&mut self, events: &[Event], now_ms: i64) -> Result<PushOutcome, SyncError> {
        let parts = qu4rtet_parts(events);
        if parts.len() == 1 {
            return self.push_document(events, now_ms);
        }
        let mut delivered = false;
        for part in parts {
            match self.push_document(part, now_ms)? {
                PushOutcome::Delivered => delivered = true,
                PushOutcome::AlreadyPresent => {}
                rejected @ PushOutcome::Rejected { .. } => return Ok(rejected),
            }
        }
        Ok(if delivered {
            PushOutcome::Delivered
        } else {
            PushOutcome::AlreadyPresent
        })
    }
}

/// The documents a list of events goes to QU4RTET in (see `push`).
fn qu4rtet_parts(events: &[Event]) -> Vec<&[Event]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut aggregated = false;
    for (i, e) in events.iter().enumerate() {
        if e.kind == EventKind::Object && e.action == Action::Delete && aggregated {
            parts.push(&events[start..i]);
            start = i;
            aggregated = false;
        }
        if e.kind == EventKind::Aggregation {
            aggregated = true;
        }
    }
    parts.push(&events[start..]);
    parts
}

impl Qu4rtet {
    /// One capture document.
    fn push_document(&mut self, events: &[Event], now_ms: i64) -> Result<PushOutcome, SyncError> {
        let doc = document_xml12(events, now_ms);
        let path = format!(
            "/capture/quartet-capture/?rule={}&run-immediately=true",
            utf8_percent_encode(&self.rule, NON_ALPHANUMERIC)
        );
        let url = self.http.url(&path);
        let reply = self.http.send(
            "POST",
            &url,
            &[
                ("Content-Type", "application/xml"),
                ("Accept", "application/json"),
            ],
            Some(doc.as_bytes()),
        )?;
        if (200..300).contains(&reply.status) {
            return Ok(PushOutcome::Delivered);
        }
        let detail = serde_json::from_str::<serde_json::Value>(&reply.body)
            .ok()
            .and_then(|v| {
                v.get("detail")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            });
        match (reply.status, detail) {
            (500, Some(detail)) if detail.starts_with("Error in rule") => {
                if self.holds_all(events)? {
                    Ok(PushOutcome::AlreadyPresent)
                } else {
                    Ok(PushOutcome::Rejected {
                        message: shorten(&detail, 500),
                    })
                }
            }
            (400 | 413 | 415 | 422, detail) => Ok(PushOutcome::Rejected {
                message: format!(
                    "HTTP {}: {}",
                    reply.status,
                    detail.unwrap_or_else(|| shorten(&reply.body, 300))
                ),
            }),
            (status, _) => Err(SyncError::Server {
                url,
                status,
                message: shorten(&reply.body, 300),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, action: Action) -> Event {
        Event::new(kind, action, 1_714_557_600_000, "+00:00")
    }

    #[test]
    fn a_decommissioning_after_aggregation_changes_goes_in_its_own_document() {
        use Action::{Add, Delete};
        use EventKind::{Aggregation, Object};
        // A relabel: commission the new SSCC, move the children, decommission the old one.
        let relabel = [
            ev(Object, Add),
            ev(Aggregation, Delete),
            ev(Aggregation, Add),
            ev(Object, Delete),
        ];
        let parts = qu4rtet_parts(&relabel);
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [3, 1]);
        // Nothing to split: a decommissioning alone, or aggregation only.
        assert_eq!(qu4rtet_parts(&[ev(Object, Delete)]).len(), 1);
        assert_eq!(
            qu4rtet_parts(&[ev(Aggregation, Add), ev(Object, Add)]).len(),
            1
        );
    }
}
