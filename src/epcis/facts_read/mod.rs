//! Reading [`EventFacts`] out of EPCIS documents: EPCIS 2.0 JSON-LD (a document or a query
//! answer), EPCIS 2.0 XML and EPCIS 1.2 XML, told apart by their first character and root
//! element. Pure.
//!
//! Every event is checked before anything is returned, and the first fault is answered as a
//! [`FactsError`] naming the event (1-based, in document order) and the field:
//! - `type`: a known EPCIS event type;
//! - `eventTime`: RFC 3339 with an offset; `eventTimeZoneOffset`: `+HH:MM` / `-HH:MM`;
//! - `action`: ADD, OBSERVE or DELETE where the type has one (not on TransformationEvent);
//!   `parentID` on AggregationEvent ADD/DELETE and on AssociationEvent;
//! - EPCs (`epcList`, `childEPCs`, `parentID`, `inputEPCList`, `outputEPCList`): EPC pure
//!   identity URIs (`urn:epc:id:...`, read by [`crate::gs1::epc_uri`]), GS1 Digital Link URIs
//!   naming one instance, or other absolute URIs; classes and patterns are refused;
//! - `bizStep`, `disposition`: a CBV term (short name, web URI, or 1.2 URN) or a URI outside
//!   the CBV; a CBV URI naming no term is refused;
//! - `errorDeclaration`: a `declarationTime`, an optional CBV or URI `reason`, URI
//!   `correctiveEventIDs`, and an `eventID` to say which event it declares erroneous;
//! - `eventID`: a URI; a CBV 2.0 hash ID (`ni:///sha-256;...`) must be the event's own,
//!   recomputed by the same code as [`super::hash_ids_from_jsonld`] /
//!   [`super::hash_ids_from_xml`];
//! - ILMD: `cbvmda:lotNumber` a GS1 lot (AI 10), `cbvmda:itemExpirationDate` a date
//!   `YYYY-MM-DD`, kept as YYMMDD.
//!
//! All syntaxes go through the generic event tree of the hash algorithm ([`super::tree`]): 1.2
//! `extension` / `baseExtension` wrappers are already gone there, and JSON-LD vocabulary short
//! names are already expanded. Digital Link EPCs are turned into EPC URIs when a known GS1
//! company prefix tells where the company prefix ends ([`read_document`]), and are kept in
//! their canonical Digital Link form otherwise.
//!
//! ```
//! use packbench::epcis::{facts_from_document, FactAction, FactKind};
//! let doc = r#"{"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
//!   "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
//!   "epcisBody": {"eventList": [{"type": "AggregationEvent",
//!     "eventTime": "2024-05-01T10:00:00.000Z", "eventTimeZoneOffset": "+00:00",
//!     "parentID": "urn:epc:id:sscc:0614141.1234567890",
//!     "childEPCs": ["https://id.gs1.org/01/00614141107346/21/2017"],
//!     "action": "ADD", "bizStep": "packing"}]}}"#;
//! let facts = facts_from_document(doc).unwrap();
//! assert_eq!(facts[0].kind, FactKind::Aggregation);
//! assert_eq!(facts[0].action, Some(FactAction::Add));
//! assert_eq!(facts[0].biz_step.as_deref(), Some("packing"));
//! // No company prefix known: the Digital Link stays a Digital Link.
//! assert_eq!(facts[0].epcs, ["https://id.gs1.org/01/00614141107346/21/2017"]);
//!
//! let bad = doc.replace("\"ADD\"", "\"ADDED\"");
//! let err = facts_from_document(&bad).unwrap_err();
//! assert_eq!((err.event, err.field.as_str()), (Some(1), "action"));
//! ```

use serde_json::Value;

use super::digital_link::{canonical_gs1_uri, looks_like_digital_link};
use super::facts::{DeclaredError, EventFacts, FactAction, FactKind};
use super::hash::{hash_id_of_prehash, prehash_of_node};
use super::model::is_absolute_uri;
use super::timestamp;
use super::tree::{self, Node};
use super::tree_json;
use super::vocab::{self, Vocabulary};
use crate::gs1::epc_uri::{EpcUri, EpcUriForm};
use crate::gs1::{Gtin, Lot, SerialNumber, Sgtin, Sscc};

/// Why a document's events cannot be taken: which event (1-based, document order; `None` for
/// the document as a whole), which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct FactsError {
    /// The event, counted from 1 in the document's event list.
    pub event: Option<usize>,
    /// The field (`eventTime`, `childEPCs`, `errorDeclaration.declarationTime`, ...), or
    /// `document` for the document as a whole.
    pub field: String,
    /// What is wrong, naming the value.
    pub message: String,
}

impl FactsError {
    fn document(message: impl Into<String>) -> Self {
        Self {
            event: None,
            field: "document".to_owned(),
            message: message.into(),
        }
    }

    fn describe(&self) -> String {
        match self.event {
            Some(n) => format!("event {n}, {}: {}", self.field, self.message),
            None => format!("{}: {}", self.field, self.message),
        }
    }
}

/// The syntax an EPCIS document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpcisFlavor {
    /// EPCIS 2.0 JSON-LD (`EPCISDocument` or `EPCISQueryDocument`).
    JsonLd20,
    /// EPCIS 2.0 XML (namespace `urn:epcglobal:epcis:xsd:2`).
    Xml20,
    /// EPCIS 1.2 XML (namespace `urn:epcglobal:epcis:xsd:1`).
    Xml12,
}

impl EpcisFlavor {
    /// A short stable name: `jsonld-2.0`, `xml-2.0`, `xml-1.2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JsonLd20 => "jsonld-2.0",
            Self::Xml20 => "xml-2.0",
            Self::Xml12 => "xml-1.2",
        }
    }
}

/// The events of one document, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsDocument {
    /// The document's syntax.
    pub flavor: EpcisFlavor,
    /// Its events, in document order.
    pub facts: Vec<EventFacts>,
}

/// Reads any EPCIS document (2.0 JSON-LD, 2.0 XML, 1.2 XML), keeping Digital Link EPCs as
/// Digital Links (see [`read_document`]).
pub fn facts_from_document(text: &str) -> Result<Vec<EventFacts>, FactsError> {
    read_document(text, &[]).map(|d| d.facts)
}

/// Reads an EPCIS 2.0 JSON-LD document or query answer (events under `epcisBody.eventList`
/// or `epcisBody.queryResults.resultsBody.eventList`).
pub fn facts_from_jsonld(doc: &str) -> Result<Vec<EventFacts>, FactsError> {
    read_jsonld(doc, &[]).map(|d| d.facts)
}

/// Reads an EPCIS 1.2 or 2.0 XML document or query answer.
pub fn facts_from_xml(doc: &str) -> Result<Vec<EventFacts>, FactsError> {
    read_xml(doc, &[]).map(|d| d.facts)
}

/// Reads any EPCIS document, telling its syntax from its first character (`{` JSON, `<`
/// XML) and its root element. `company_prefixes` are GS1 company prefixes (digits) the caller
/// knows: a Digital Link SGTIN or SSCC whose key starts with one of them (after the indicator
/// or extension digit; the longest wins) becomes an EPC URI; other Digital Links stay in their
/// canonical form (`https://id.gs1.org/...`).
pub fn read_document(text: &str, company_prefixes: &[String]) -> Result<FactsDocument, FactsError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    match body.chars().next() {
        Some('{') => read_jsonld(body, company_prefixes),
        Some('<') => read_xml(body, company_prefixes),
        _ => Err(FactsError::document(
            "neither JSON nor XML: an EPCIS document starts with `{` or `<`",
        )),
    }
}

/// [`read_document`] for JSON-LD only.
pub fn read_jsonld(doc: &str, company_prefixes: &[String]) -> Result<FactsDocument, FactsError> {
    let value: Value = serde_json::from_str(doc)
        .map_err(|e| FactsError::document(format!("the JSON does not parse: {e}")))?;
    match value.get("type").and_then(Value::as_str) {
        Some("EPCISDocument" | "EPCISQueryDocument") => {}
        Some(other) => {
            return Err(FactsError {
                event: None,
                field: "type".to_owned(),
                message: format!(
                    "`{other}` is not an EPCIS document type (EPCISDocument, EPCISQueryDocument)"
                ),
            });
        }
        None => {
            return Err(FactsError {
                event: None,
                field: "type".to_owned(),
                message: "missing: EPCISDocument or EPCISQueryDocument".to_owned(),
            });
        }
    }
    let list = json_event_list(&value)?;
    for (i, event) in list.iter().enumerate() {
        check_json_shape(i + 1, event)?;
    }
    let nodes = tree_json::event_nodes_from_json(&value)
        .map_err(|e| FactsError::document(e.to_string()))?;
    Ok(FactsDocument {
        flavor: EpcisFlavor::JsonLd20,
        facts: facts_of_nodes(&nodes, company_prefixes)?,
    })
}

/// [`read_document`] for XML only.
pub fn read_xml(doc: &str, company_prefixes: &[String]) -> Result<FactsDocument, FactsError> {
    let root = tree::parse_xml(doc).map_err(|e| FactsError::document(e.to_string()))?;
    let flavor = match root.name.as_str() {
        "{urn:epcglobal:epcis:xsd:2}EPCISDocument"
        | "{urn:epcglobal:epcis-query:xsd:2}EPCISQueryDocument" => EpcisFlavor::Xml20,
        "{urn:epcglobal:epcis:xsd:1}EPCISDocument"
        | "{urn:epcglobal:epcis-query:xsd:1}EPCISQueryDocument" => EpcisFlavor::Xml12,
        other => {
            return Err(FactsError::document(format!(
                "the root element `{other}` is no EPCIS 1.2 or 2.0 document"
            )));
        }
    };
    let nodes =
        tree::event_nodes_of_root(&root).map_err(|e| FactsError::document(e.to_string()))?;
    Ok(FactsDocument {
        flavor,
        facts: facts_of_nodes(&nodes, company_prefixes)?,
    })
}

/// The event list of a JSON-LD document, where [`tree_json::event_nodes_from_json`] looks.
fn json_event_list(doc: &Value) -> Result<Vec<&Value>, FactsError> {
    let missing = || FactsError {
        event: None,
        field: "epcisBody".to_owned(),
        message: "no event list (epcisBody.eventList or \
                  epcisBody.queryResults.resultsBody.eventList)"
            .to_owned(),
    };
    let body = doc.get("epcisBody").ok_or_else(missing)?;
    let list = if let Some(list) = body.get("eventList") {
        list
    } else if let Some(results) = body.get("queryResults") {
        results
            .get("resultsBody")
            .and_then(|b| b.get("eventList"))
            .ok_or_else(missing)?
    } else if let Some(event) = body.get("event") {
        return Ok(vec![event]);
    } else {
        return Err(missing());
    };
    match list {
        Value::Array(items) => Ok(items.iter().collect()),
        _ => Err(FactsError {
            event: None,
            field: "eventList".to_owned(),
            message: "not a JSON array".to_owned(),
        }),
    }
}

/// JSON types the tree would smooth over: single fields must be strings, lists arrays of
/// strings, structures objects.
fn check_json_shape(n: usize, event: &Value) -> Result<(), FactsError> {
    let err = |field: &str, message: &str| FactsError {
        event: Some(n),
        field: field.to_owned(),
        message: message.to_owned(),
    };
    let Value::Object(map) = event else {
        return Err(err("eventList", "an event must be a JSON object"));
    };
    for field in [
        "type",
        "eventTime",
        "eventTimeZoneOffset",
        "eventID",
        "parentID",
        "action",
        "bizStep",
        "disposition",
    ] {
        if let Some(v) = map.get(field)
            && !v.is_string()
        {
            return Err(err(field, &format!("must be a JSON string, not {v}")));
        }
    }
    for field in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] {
        if let Some(v) = map.get(field)
            && !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        {
            return Err(err(field, "must be a JSON array of strings"));
        }
    }
    if let Some(v) = map.get("ilmd")
        && !v.is_object()
    {
        return Err(err("ilmd", "must be a JSON object"));
    }
    if let Some(v) = map.get("errorDeclaration") {
        let Value::Object(declaration) = v else {
            return Err(err("errorDeclaration", "must be a JSON object"));
        };
        for field in ["declarationTime", "reason"] {
            if let Some(v) = declaration.get(field)
                && !v.is_string()
            {
                return Err(err(
                    &format!("errorDeclaration.{field}"),
                    "must be a JSON string",
                ));
            }
        }
        if let Some(v) = declaration.get("correctiveEventIDs")
            && !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        {
            return Err(err(
                "errorDeclaration.correctiveEventIDs",
                "must be a JSON array of strings",
            ));
        }
    }
    Ok(())
}

fn facts_of_nodes(nodes: &[Node], prefixes: &[String]) -> Result<Vec<EventFacts>, FactsError> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            EventReader {
                n: i + 1,
                node,
                prefixes,
            }
            .facts()
        })
        .collect()
}

/// The prefix of CBV 2.0 web URIs and of CBV 1.2 URNs: a value there must be a CBV term.
const CBV_URN: &str = "urn:epcglobal:cbv:";
/// The namespace of CBV master data attributes (ILMD), without its trailing separator.
const CBVMDA: &str = "urn:epcglobal:cbv:mda";
/// The prefix of CBV 2.0 event hash IDs.
const HASH_ID_PREFIX: &str = "ni:///sha-256;";

mod event;

use event::EventReader;

fn node_action_text(action: Option<FactAction>) -> &'static str {
    match action {
        Some(FactAction::Add) => "ADD",
        Some(FactAction::Observe) => "OBSERVE",
        Some(FactAction::Delete) => "DELETE",
        None => "event",
    }
}

/// The local name of a CBV master data attribute (`{urn:epcglobal:cbv:mda}lotNumber` from XML
/// or a JSON-LD context binding `cbvmda`, or the unexpanded JSON-LD key `cbvmda:lotNumber`).
fn master_data_name(name: &str) -> Option<&str> {
    if let Some(rest) = name.strip_prefix('{') {
        let (namespace, local) = rest.split_once('}')?;
        (namespace.trim_end_matches([':', '#', '/']) == CBVMDA).then_some(local)
    } else {
        name.strip_prefix("cbvmda:")
    }
}

/// `YYYY-MM-DD` (an `xsd:date`, with an optional zone) as YYMMDD.
fn yymmdd(text: &str) -> Option<String> {
    if !text.is_ascii() || text.len() < 10 {
        return None;
    }
    let (date, zone) = text.split_at(10);
    if !(zone.is_empty() || zone == "Z" || timestamp::parse_offset(zone).is_ok()) {
        return None;
    }
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |s: &str| -> Option<u16> {
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = number(&date[..4])?;
    let month = time::Month::try_from(u8::try_from(number(&date[5..7])?).ok()?).ok()?;
    let day = u8::try_from(number(&date[8..10])?).ok()?;
    time::Date::from_calendar_date(i32::from(year), month, day).ok()?;
    Some(format!("{}{}{}", &date[2..4], &date[5..7], &date[8..10]))
}

/// A canonical Digital Link SGTIN or SSCC as an EPC URI, when one of `prefixes` starts its key.
fn digital_link_to_epc(canonical: &str, prefixes: &[String]) -> Option<String> {
    let path = canonical.strip_prefix("https://id.gs1.org/")?;
    let segments: Vec<&str> = path.split('/').collect();
    let prefix_len = |key: &str| -> Option<u8> {
        let body = key.get(1..)?;
        prefixes
            .iter()
            .filter(|p| (6..=12).contains(&p.len()) && body.starts_with(p.as_str()))
            .map(String::len)
            .max()
            .and_then(|l| u8::try_from(l).ok())
    };
    match segments.as_slice() {
        ["00", key] => {
            let sscc: Sscc = key.parse().ok()?;
            sscc.epc_uri(prefix_len(key)?).ok()
        }
        ["01", gtin, "21", _] => {
            let elements = crate::gs1::digital_link::parse(canonical, false).ok()?;
            let serial = elements.iter().find(|e| e.ai == "21")?;
            let sgtin = Sgtin {
                gtin: gtin.parse::<Gtin>().ok()?,
                serial: serial.value.parse::<SerialNumber>().ok()?,
            };
            sgtin.epc_uri(prefix_len(gtin)?).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
