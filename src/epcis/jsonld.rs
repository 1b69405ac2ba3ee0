//! EPCIS 2.0 JSON-LD: the document writer and the reader for packbench's own documents.
//!
//! Vocabulary fields are written as CBV short names (`"bizStep": "packing"`), which the EPCIS
//! JSON-LD context expands; extension fields as `"pb:reason": "damaged"` with the prefix declared
//! in the `@context`.
//!
//! ```
//! use packbench::epcis::{document_jsonld, events_from_jsonld, Action, Event, EventKind};
//! let mut event = Event::new(EventKind::Aggregation, Action::Add, 1_714_557_600_000, "+07:00");
//! event.parent_id = Some("urn:epc:id:sscc:4012345.0000000333".into());
//! event.epcs.push("urn:epc:id:sgtin:4012345.011111.9876".into());
//! event.biz_step = Some("packing".into());
//! let doc = document_jsonld(std::slice::from_ref(&event), 1_714_557_601_000);
//! assert!(doc.contains(r#""bizStep": "packing""#));
//! assert_eq!(events_from_jsonld(&doc).unwrap(), vec![event]);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::error::EpcisError;
use super::model::{
    self, Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension,
    PACKBENCH_NAMESPACE, PACKBENCH_PREFIX, PersistentDisposition,
};
use super::timestamp;
use super::tree_json::{self, Namespaces};
use super::vocab;

/// The official EPCIS 2.0 JSON-LD context.
pub const EPCIS_CONTEXT_URL: &str =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

#[derive(Serialize)]
struct JsonId<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct JsonBizTransaction<'a> {
    #[serde(rename = "type", skip_serializing_if = "str::is_empty")]
    kind: &'a str,
    #[serde(rename = "bizTransaction")]
    id: &'a str,
}

#[derive(Serialize)]
struct JsonPersistentDisposition<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    set: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unset: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonErrorDeclaration<'a> {
    declaration_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(rename = "correctiveEventIDs", skip_serializing_if = "<[_]>::is_empty")]
    corrective_event_ids: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEvent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    event_time: String,
    event_time_zone_offset: &'a str,
    #[serde(rename = "eventID", skip_serializing_if = "Option::is_none")]
    event_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_declaration: Option<JsonErrorDeclaration<'a>>,
    #[serde(rename = "parentID", skip_serializing_if = "Option::is_none")]
    parent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epc_list: Option<&'a [String]>,
    #[serde(rename = "childEPCs", skip_serializing_if = "Option::is_none")]
    child_epcs: Option<&'a [String]>,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_step: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposition: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    persistent_disposition: Option<JsonPersistentDisposition<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_point: Option<JsonId<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_location: Option<JsonId<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    biz_transaction_list: Vec<JsonBizTransaction<'a>>,
    #[serde(flatten)]
    extensions: BTreeMap<String, Value>,
}

fn json_event(event: &Event) -> JsonEvent<'_> {
    let (epc_list, child_epcs) = match event.kind {
        EventKind::Object => (Some(event.epcs.as_slice()), None),
        EventKind::Aggregation => (None, Some(event.epcs.as_slice())),
    };
    let mut extensions: BTreeMap<String, Value> = BTreeMap::new();
    for extension in &event.extensions {
        let key = format!("{}:{}", extension.prefix, extension.name);
        let value = Value::String(extension.value.clone());
        match extensions.get_mut(&key) {
            Some(Value::Array(values)) => values.push(value),
            Some(previous) => *previous = Value::Array(vec![previous.clone(), value]),
            None => {
                extensions.insert(key, value);
            }
        }
    }
    JsonEvent {
        kind: event.kind.type_name(),
        event_time: timestamp::format_ms_lenient(
            event.event_time_ms,
            &event.event_time_zone_offset,
        ),
        event_time_zone_offset: &event.event_time_zone_offset,
        event_id: event.event_id.as_deref(),
        error_declaration: event.error_declaration.as_ref().map(|declaration| {
            JsonErrorDeclaration {
                declaration_time: timestamp::format_ms_lenient(
                    declaration.declaration_time_ms,
                    declaration.declaration_time_zone.as_deref().unwrap_or("Z"),
                ),
                reason: declaration.reason.as_deref(),
                corrective_event_ids: &declaration.corrective_event_ids,
            }
        }),
        parent_id: event.parent_id.as_deref(),
        epc_list,
        child_epcs,
        action: event.action.as_str(),
        biz_step: event.biz_step.as_deref(),
        disposition: event.disposition.as_deref(),
        persistent_disposition: event.persistent_disposition.as_ref().map(|pd| {
            JsonPersistentDisposition {
                set: &pd.set,
                unset: &pd.unset,
            }
        }),
        read_point: event.read_point.as_deref().map(|id| JsonId { id }),
        biz_location: event.biz_location.as_deref().map(|id| JsonId { id }),
        biz_transaction_list: event
            .biz_transactions
            .iter()
            .map(|bt| JsonBizTransaction {
                kind: &bt.kind,
                id: &bt.id,
            })
            .collect(),
        extensions,
    }
}

/// One event as a JSON-LD object (as it appears in the event list).
pub(crate) fn event_to_json(event: &Event) -> Value {
    serde_json::to_value(json_event(event)).unwrap_or(Value::Null)
}

/// The prefix bindings the documents of `events` declare: `pb` plus every extension's own.
pub(crate) fn context_namespaces(events: &[Event]) -> Namespaces {
    let mut namespaces = vec![(PACKBENCH_PREFIX.to_owned(), PACKBENCH_NAMESPACE.to_owned())];
    for (prefix, uri) in model::extension_namespaces(events) {
        if !namespaces.iter().any(|(p, _)| *p == prefix) {
            namespaces.push((prefix, uri));
        }
    }
    namespaces
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonBody<'a> {
    event_list: Vec<JsonEvent<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDocument<'a> {
    #[serde(rename = "@context")]
    context: (&'static str, BTreeMap<String, String>),
    #[serde(rename = "type")]
    kind: &'static str,
    schema_version: &'static str,
    creation_date: String,
    epcis_body: JsonBody<'a>,
}

/// An EPCIS 2.0 JSON-LD `EPCISDocument` holding `events`, created at `creation_time_ms` (UTC
/// milliseconds). Vocabulary fields are written as CBV short names.
pub fn document_jsonld(events: &[Event], creation_time_ms: i64) -> String {
    let document = JsonDocument {
        context: (
            EPCIS_CONTEXT_URL,
            context_namespaces(events).into_iter().collect(),
        ),
        kind: "EPCISDocument",
        schema_version: "2.0",
        creation_date: timestamp::format_ms_lenient(creation_time_ms, "Z"),
        epcis_body: JsonBody {
            event_list: events.iter().map(json_event).collect(),
        },
    };
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

fn invalid(field: &'static str, value: &Value) -> EpcisError {
    EpcisError::InvalidField {
        field,
        value: value.to_string(),
    }
}

fn string_field(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, EpcisError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(invalid(field, other)),
    }
}

fn required_string(map: &Map<String, Value>, field: &'static str) -> Result<String, EpcisError> {
    string_field(map, field)?.ok_or(EpcisError::MissingField(field))
}

fn string_list(map: &Map<String, Value>, field: &'static str) -> Result<Vec<String>, EpcisError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(field, item))
            })
            .collect(),
        Some(other) => Err(invalid(field, other)),
    }
}

fn id_field(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, EpcisError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(required_string(inner, "id")?)),
        Some(other) => Err(invalid(field, other)),
    }
}

fn object_field<'a>(
    map: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a Map<String, Value>>, EpcisError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(other) => Err(invalid(field, other)),
    }
}

fn short(values: Vec<String>, vocabulary: &vocab::Vocabulary) -> Vec<String> {
    values
        .into_iter()
        .map(|v| vocabulary.short_name(&v))
        .collect()
}

fn event_from_json(value: &Value, namespaces: &Namespaces) -> Result<Event, EpcisError> {
    let map = value
        .as_object()
        .ok_or_else(|| invalid("eventList", value))?;
    let kind = EventKind::from_type_name(&required_string(map, "type")?)?;
    let event_time = required_string(map, "eventTime")?;
    let (event_time_ms, _) = timestamp::parse_rfc3339(&event_time)?;
    let offset = required_string(map, "eventTimeZoneOffset")?;
    timestamp::parse_offset(&offset)?;
    let action = Action::parse(&required_string(map, "action")?)?;
    let epcs = match kind {
        EventKind::Object => string_list(map, "epcList")?,
        EventKind::Aggregation => string_list(map, "childEPCs")?,
    };
    let persistent_disposition = object_field(map, "persistentDisposition")?
        .map(|pd| -> Result<PersistentDisposition, EpcisError> {
            Ok(PersistentDisposition {
                set: short(string_list(pd, "set")?, &vocab::DISPOSITION),
                unset: short(string_list(pd, "unset")?, &vocab::DISPOSITION),
            })
        })
        .transpose()?;
    let biz_transactions = match map.get("bizTransactionList") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let entry = item
                    .as_object()
                    .ok_or_else(|| invalid("bizTransactionList", item))?;
                Ok(BizTransaction {
                    kind: string_field(entry, "type")?
                        .map(|k| vocab::BIZ_TRANSACTION_TYPE.short_name(&k))
                        .unwrap_or_default(),
                    id: required_string(entry, "bizTransaction")?,
                })
            })
            .collect::<Result<_, EpcisError>>()?,
        Some(other) => return Err(invalid("bizTransactionList", other)),
    };
    let error_declaration = object_field(map, "errorDeclaration")?
        .map(|declaration| -> Result<ErrorDeclaration, EpcisError> {
            let (declaration_time_ms, zone) =
                timestamp::parse_rfc3339(&required_string(declaration, "declarationTime")?)?;
            Ok(ErrorDeclaration {
                declaration_time_ms,
                declaration_time_zone: (zone != "Z").then_some(zone),
                reason: string_field(declaration, "reason")?
                    .map(|r| vocab::ERROR_REASON.short_name(&r)),
                corrective_event_ids: string_list(declaration, "correctiveEventIDs")?,
            })
        })
        .transpose()?;
    let mut extensions = Vec::new();
    for (key, value) in map {
        let Some((prefix, name)) = key.split_once(':') else {
            continue;
        };
        let Some((_, uri)) = namespaces.iter().find(|(p, _)| p == prefix) else {
            continue;
        };
        let values: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in values {
            let text = item.as_str().ok_or_else(|| invalid("extension", item))?;
            extensions.push(Extension {
                namespace_uri: uri.clone(),
                prefix: prefix.to_owned(),
                name: name.to_owned(),
                value: text.to_owned(),
            });
        }
    }
    Ok(Event {
        kind,
        event_time_ms,
        event_time_zone_offset: offset,
        event_id: string_field(map, "eventID")?,
        action,
        parent_id: string_field(map, "parentID")?,
        epcs,
        biz_step: string_field(map, "bizStep")?.map(|s| vocab::BIZ_STEP.short_name(&s)),
        disposition: string_field(map, "disposition")?.map(|s| vocab::DISPOSITION.short_name(&s)),
        persistent_disposition,
        read_point: id_field(map, "readPoint")?,
        biz_location: id_field(map, "bizLocation")?,
        biz_transactions,
        error_declaration,
        extensions,
    })
}

/// Reads the events of an EPCIS 2.0 query answer (`EPCISQueryDocument`, events under
/// `epcisBody.queryResults.resultsBody.eventList`; a plain `EPCISDocument` is read as well).
/// Events of types this module does not model (TransformationEvent, ...) are skipped and
/// counted: the second value is how many.
pub fn events_from_query_jsonld(doc: &str) -> Result<(Vec<Event>, usize), EpcisError> {
    let value: Value = serde_json::from_str(doc).map_err(|e| EpcisError::Json(e.to_string()))?;
    let namespaces = tree_json::namespaces_from_context(value.get("@context"));
    let body = value.get("epcisBody").ok_or(EpcisError::NoEventList)?;
    let list = body
        .get("queryResults")
        .and_then(|r| r.get("resultsBody"))
        .and_then(|b| b.get("eventList"))
        .or_else(|| body.get("eventList"))
        .and_then(Value::as_array)
        .ok_or(EpcisError::NoEventList)?;
    let mut events = Vec::with_capacity(list.len());
    let mut skipped = 0;
    for event in list {
        match event_from_json(event, &namespaces) {
            Ok(e) => events.push(e),
            Err(EpcisError::UnsupportedEventType(_)) => skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok((events, skipped))
}

/// Reads the events of an EPCIS 2.0 JSON-LD document written by [`document_jsonld`] (or any
/// document restricted to ObjectEvents and AggregationEvents with the fields [`Event`] models;
/// other fields are skipped). Short names come back as short names.
pub fn events_from_jsonld(doc: &str) -> Result<Vec<Event>, EpcisError> {
    let value: Value = serde_json::from_str(doc).map_err(|e| EpcisError::Json(e.to_string()))?;
    let namespaces = tree_json::namespaces_from_context(value.get("@context"));
    let list = value
        .get("epcisBody")
        .and_then(|body| body.get("eventList"))
        .and_then(Value::as_array)
        .ok_or(EpcisError::NoEventList)?;
    list.iter()
        .map(|event| event_from_json(event, &namespaces))
        .collect()
}
