//! Joining stored EPCIS 2.0 JSON-LD documents (as [`super::document_jsonld`] writes them, one
//! per stored event) into one capture document without parsing and re-serialising the events.
//!
//! The sync worker sends thousands of stored events per second; turning each stored body back
//! into an [`super::Event`] and writing it out again would cost more than the network. Each
//! body is checked to be well-formed JSON (a non-allocating pass), its `@context` prefix
//! bindings are merged (a prefix bound to two namespaces is refused), and the text of its event
//! list is copied verbatim, so the events (and their hash IDs) are byte-for-byte those stored.
//!
//! ```
//! use packbench::epcis::{document_jsonld, events_from_jsonld, splice_jsonld, Action, Event, EventKind};
//! let mut a = Event::new(EventKind::Object, Action::Add, 1_714_557_600_000, "+07:00");
//! a.epcs.push("urn:epc:id:sgtin:4012345.011111.1".into());
//! let mut b = a.clone();
//! b.epcs[0] = "urn:epc:id:sgtin:4012345.011111.2".into();
//! let stored = [document_jsonld(&[a.clone()], 1), document_jsonld(&[b.clone()], 2)];
//! let doc = splice_jsonld(&[stored[0].as_str(), stored[1].as_str()], 3).unwrap();
//! assert_eq!(events_from_jsonld(&doc).unwrap(), vec![a, b]);
//! ```

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde_json::Value;

use super::error::EpcisError;
use super::jsonld::EPCIS_CONTEXT_URL;
use super::timestamp;

/// The `@context` value text and the event list text (without brackets) of one document.
fn parts(doc: &str) -> Result<(&str, &str), EpcisError> {
    let not_ours = || EpcisError::Json("not a document written by packbench".to_owned());
    let body_at = doc.find("\"epcisBody\"").ok_or(EpcisError::NoEventList)?;
    let header = &doc[..body_at];
    let context_at = header.find("\"@context\"").ok_or_else(not_ours)?;
    let after_key = header[context_at + "\"@context\"".len()..]
        .trim_start()
        .strip_prefix(':')
        .ok_or_else(not_ours)?;
    let context_end = after_key.find("\"type\"").ok_or_else(not_ours)?;
    let context = after_key[..context_end]
        .trim_end()
        .strip_suffix(',')
        .ok_or_else(not_ours)?
        .trim();
    let body = &doc[body_at..];
    let list_at = body.find("\"eventList\"").ok_or(EpcisError::NoEventList)?;
    let list = body[list_at + "\"eventList\"".len()..]
        .trim_start()
        .strip_prefix(':')
        .and_then(|s| s.trim_start().strip_prefix('['))
        .ok_or(EpcisError::NoEventList)?;
    // The document ends with the event list, then the body and the document close.
    let events = list
        .trim_end()
        .strip_suffix('}')
        .map(str::trim_end)
        .and_then(|s| s.strip_suffix('}'))
        .map(str::trim_end)
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(not_ours)?
        .trim();
    if !(events.is_empty() || events.starts_with('{') && events.ends_with('}')) {
        return Err(not_ours());
    }
    Ok((context, events))
}

fn merge_context(context: &str, bindings: &mut BTreeMap<String, String>) -> Result<(), EpcisError> {
    let value: Value =
        serde_json::from_str(context).map_err(|e| EpcisError::Json(e.to_string()))?;
    let entries: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for entry in entries {
        match entry {
            Value::String(url) if url == EPCIS_CONTEXT_URL => {}
            Value::Object(map) => {
                for (prefix, binding) in map {
                    let Value::String(uri) = binding else {
                        return Err(EpcisError::InvalidField {
                            field: "@context",
                            value: binding.to_string(),
                        });
                    };
                    match bindings.get(prefix) {
                        Some(first) if first != uri => {
                            return Err(EpcisError::ConflictingExtensionPrefix {
                                prefix: prefix.clone(),
                                first: first.clone(),
                                second: uri.clone(),
                            });
                        }
                        Some(_) => {}
                        None => {
                            bindings.insert(prefix.clone(), uri.clone());
                        }
                    }
                }
            }
            other => {
                return Err(EpcisError::InvalidField {
                    field: "@context",
                    value: other.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// One `EPCISDocument` holding the events of `docs` in order, created at `creation_time_ms`
/// (UTC milliseconds). Every input must be a whole JSON-LD document as
/// [`super::document_jsonld`] writes it; the event objects are copied unchanged.
pub fn splice_jsonld(docs: &[&str], creation_time_ms: i64) -> Result<String, EpcisError> {
    let mut bindings: BTreeMap<String, String> = BTreeMap::new();
    let mut last_context: Option<&str> = None;
    let mut lists: Vec<&str> = Vec::with_capacity(docs.len());
    let mut length = 0;
    for doc in docs {
        // Well-formed JSON, checked without building anything.
        serde_json::from_str::<IgnoredAny>(doc).map_err(|e| EpcisError::Json(e.to_string()))?;
        let (context, events) = parts(doc)?;
        if last_context != Some(context) {
            merge_context(context, &mut bindings)?;
            last_context = Some(context);
        }
        if !events.is_empty() {
            length += events.len() + 2;
            lists.push(events);
        }
    }
    let context = serde_json::to_string(&(EPCIS_CONTEXT_URL, &bindings))
        .map_err(|e| EpcisError::Json(e.to_string()))?;
    let mut out = String::with_capacity(length + context.len() + 200);
    out.push_str("{\"@context\":");
    out.push_str(&context);
    out.push_str(",\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"");
    out.push_str(&timestamp::format_ms_lenient(creation_time_ms, "Z"));
    out.push_str("\",\"epcisBody\":{\"eventList\":[");
    for (i, events) in lists.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(events);
    }
    out.push_str("]}}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epcis::{
        Action, Event, EventKind, Extension, document_jsonld, event_hash_id, events_from_jsonld,
        hash_ids_from_jsonld,
    };

    fn ext(uri: &str, value: &str) -> Extension {
        Extension {
            namespace_uri: uri.to_owned(),
            prefix: "ex".to_owned(),
            name: "n".to_owned(),
            value: value.to_owned(),
        }
    }

    fn event(serial: u32, extension: Option<Extension>) -> Event {
        let mut e = Event::new(EventKind::Object, Action::Add, 1_714_557_600_000, "+07:00");
        e.epcs
            .push(format!("urn:epc:id:sgtin:4012345.011111.{serial}"));
        e.biz_step = Some("commissioning".into());
        e.extensions.extend(extension);
        e.event_id = Some(event_hash_id(&e));
        e
    }

    #[test]
    fn spliced_document_holds_the_same_events_and_hash_ids() {
        let events = vec![
            event(1, None),
            event(2, Some(Extension::packbench("reason", "damaged \"x\" ]}"))),
            event(3, None),
        ];
        let stored: Vec<String> = events
            .iter()
            .map(|e| document_jsonld(std::slice::from_ref(e), 5))
            .collect();
        let refs: Vec<&str> = stored.iter().map(String::as_str).collect();
        let doc = splice_jsonld(&refs, 9).unwrap();
        assert_eq!(events_from_jsonld(&doc).unwrap(), events);
        let ids: Vec<String> = events.iter().filter_map(|e| e.event_id.clone()).collect();
        assert_eq!(hash_ids_from_jsonld(&doc).unwrap(), ids);
        // The same as writing the events afresh, apart from layout.
        let fresh: Value = serde_json::from_str(&document_jsonld(&events, 9)).unwrap();
        let spliced: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(fresh, spliced);
    }

    #[test]
    fn foreign_namespaces_are_merged_and_conflicts_refused() {
        let a = event(1, Some(ext("https://a.example/", "1")));
        let b = event(2, Some(ext("https://b.example/", "2")));
        let c = event(3, Some(ext("https://a.example/", "3")));
        let da = document_jsonld(std::slice::from_ref(&a), 1);
        let db = document_jsonld(&[b], 1);
        let dc = document_jsonld(std::slice::from_ref(&c), 1);
        let doc = splice_jsonld(&[&da, &dc], 2).unwrap();
        assert_eq!(events_from_jsonld(&doc).unwrap(), vec![a, c]);
        assert!(matches!(
            splice_jsonld(&[&da, &db], 2),
            Err(EpcisError::ConflictingExtensionPrefix { prefix, .. }) if prefix == "ex"
        ));
    }

    #[test]
    fn malformed_bodies_are_refused() {
        let good = document_jsonld(&[event(1, None)], 1);
        let truncated = &good[..good.len() - 3];
        assert!(matches!(
            splice_jsonld(&[truncated], 2),
            Err(EpcisError::Json(_))
        ));
        assert_eq!(
            splice_jsonld(&[r#"{"@context": [], "type": "EPCISDocument"}"#], 2),
            Err(EpcisError::NoEventList)
        );
        assert!(splice_jsonld(&[r#"{"epcisBody": {"eventList": []}}"#], 2).is_err());
    }

    #[test]
    fn no_documents_make_an_empty_event_list() {
        let doc = splice_jsonld(&[], 2).unwrap();
        assert_eq!(events_from_jsonld(&doc).unwrap(), Vec::<Event>::new());
    }
}
