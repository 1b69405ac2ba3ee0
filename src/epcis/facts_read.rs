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

/// One event tree being read.
struct EventReader<'a> {
    n: usize,
    node: &'a Node,
    prefixes: &'a [String],
}

impl EventReader<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> FactsError {
        FactsError {
            event: Some(self.n),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The one child named `name` of `parent` (`field` names it in errors), if any.
    fn single<'n>(
        &self,
        parent: &'n Node,
        name: &str,
        field: &str,
    ) -> Result<Option<&'n Node>, FactsError> {
        let mut found = parent.children.iter().filter(|c| c.name == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(self.err(field, "given more than once"));
        }
        Ok(first)
    }

    /// The text of the one child `name` of `parent`; empty text counts as missing.
    fn text<'n>(
        &self,
        parent: &'n Node,
        name: &str,
        field: &str,
    ) -> Result<Option<&'n str>, FactsError> {
        Ok(self
            .single(parent, name, field)?
            .map(|n| n.text.as_str())
            .filter(|t| !t.is_empty()))
    }

    fn facts(&self) -> Result<EventFacts, FactsError> {
        let node = self.node;
        let kind = match FactKind::from_type_name(&node.name) {
            Some(kind) => kind,
            None if node.name.is_empty() => return Err(self.err("type", "missing")),
            None => {
                return Err(self.err(
                    "type",
                    format!("`{}` is not an EPCIS event type", node.name),
                ));
            }
        };
        let event_time = self
            .text(node, "eventTime", "eventTime")?
            .ok_or_else(|| self.err("eventTime", "missing"))?;
        let (event_time_ms, _) = timestamp::parse_rfc3339(event_time).map_err(|_| {
            self.err(
                "eventTime",
                format!("`{event_time}` is not an RFC 3339 date-time with an offset"),
            )
        })?;
        let offset = self
            .text(node, "eventTimeZoneOffset", "eventTimeZoneOffset")?
            .ok_or_else(|| self.err("eventTimeZoneOffset", "missing"))?;
        if offset == "Z" || timestamp::parse_offset(offset).is_err() {
            return Err(self.err(
                "eventTimeZoneOffset",
                format!("`{offset}` is not +HH:MM or -HH:MM"),
            ));
        }
        let action = self.action(kind)?;
        let mut facts = EventFacts::new(kind, action, event_time_ms);
        facts.event_id = self.event_id()?;
        facts.parent = self
            .text(node, "parentID", "parentID")?
            .map(|p| self.epc("parentID", p))
            .transpose()?;
        let needs_parent = match kind {
            FactKind::Aggregation => matches!(action, Some(FactAction::Add | FactAction::Delete)),
            FactKind::Association => true,
            _ => false,
        };
        if needs_parent && facts.parent.is_none() {
            return Err(self.err(
                "parentID",
                format!(
                    "missing: an {} {} needs one",
                    kind.type_name(),
                    node_action_text(action)
                ),
            ));
        }
        let lists: &[&str] = match kind {
            FactKind::Object | FactKind::Transaction => &["epcList"],
            FactKind::Aggregation | FactKind::Association => &["childEPCs"],
            FactKind::Transformation => &["inputEPCList", "outputEPCList"],
        };
        for list in lists {
            if let Some(holder) = self.single(node, list, list)? {
                for epc in &holder.children {
                    if epc.name != "epc" {
                        return Err(self.err(list, format!("unexpected element `{}`", epc.name)));
                    }
                    facts.epcs.push(self.epc(list, &epc.text)?);
                }
            }
        }
        facts.biz_step = self
            .text(node, "bizStep", "bizStep")?
            .map(|v| self.vocabulary("bizStep", &vocab::BIZ_STEP, v))
            .transpose()?;
        facts.disposition = self
            .text(node, "disposition", "disposition")?
            .map(|v| self.vocabulary("disposition", &vocab::DISPOSITION, v))
            .transpose()?;
        if let Some(ilmd) = self.single(node, "ilmd", "ilmd")? {
            self.ilmd(ilmd, &mut facts)?;
        }
        if let Some(declaration) = self.single(node, "errorDeclaration", "errorDeclaration")? {
            if facts.event_id.is_none() {
                return Err(self.err(
                    "eventID",
                    "missing: an error declaration names the erroneous event by its eventID",
                ));
            }
            facts.error_declaration = Some(self.declaration(declaration)?);
        }
        if let Some(id) = &facts.event_id
            && id.starts_with(HASH_ID_PREFIX)
        {
            let computed = hash_id_of_prehash(&prehash_of_node(node));
            if !computed.eq_ignore_ascii_case(id) {
                return Err(self.err(
                    "eventID",
                    format!(
                        "the hash ID `{id}` does not match the event's content (computed `{computed}`)"
                    ),
                ));
            }
        }
        Ok(facts)
    }

    fn action(&self, kind: FactKind) -> Result<Option<FactAction>, FactsError> {
        let text = self.text(self.node, "action", "action")?;
        match (kind, text) {
            (FactKind::Transformation, None) => Ok(None),
            (FactKind::Transformation, Some(a)) => Err(self.err(
                "action",
                format!("a TransformationEvent has no action (found `{a}`)"),
            )),
            (_, None) => Err(self.err(
                "action",
                format!(
                    "missing: an {} needs ADD, OBSERVE or DELETE",
                    kind.type_name()
                ),
            )),
            (_, Some(a)) => FactAction::parse(a)
                .map(Some)
                .ok_or_else(|| self.err("action", format!("`{a}` is not ADD, OBSERVE or DELETE"))),
        }
    }

    fn event_id(&self) -> Result<Option<String>, FactsError> {
        let Some(id) = self.text(self.node, "eventID", "eventID")? else {
            return Ok(None);
        };
        if !is_absolute_uri(id) {
            return Err(self.err("eventID", format!("`{id}` is not an absolute URI")));
        }
        Ok(Some(id.to_owned()))
    }

    /// One EPC: an EPC URI as it is, a Digital Link as an EPC URI where a known company prefix
    /// allows (else canonical), any other absolute URI as it is.
    fn epc(&self, field: &str, value: &str) -> Result<String, FactsError> {
        if value.starts_with("urn:epc:") {
            return match value.parse::<EpcUri>() {
                Ok(epc) if epc.form == EpcUriForm::Id => Ok(value.to_owned()),
                Ok(_) => Err(self.err(
                    field,
                    format!("`{value}` names a class or pattern, not one object"),
                )),
                Err(e) => Err(self.err(field, e.to_string())),
            };
        }
        if (value.starts_with("https://") || value.starts_with("http://"))
            && looks_like_digital_link(value)
        {
            let canonical = canonical_gs1_uri(value).ok_or_else(|| {
                self.err(
                    field,
                    format!("`{value}` is not a valid GS1 Digital Link URI"),
                )
            })?;
            let segments: Vec<&str> = canonical
                .trim_start_matches("https://id.gs1.org/")
                .split('/')
                .collect();
            if matches!(
                segments.as_slice(),
                ["01", _] | ["01", _, "10", _] | ["8006", _]
            ) {
                return Err(self.err(
                    field,
                    format!("`{value}` names a product or lot, not one object"),
                ));
            }
            return Ok(digital_link_to_epc(&canonical, self.prefixes).unwrap_or(canonical));
        }
        if is_absolute_uri(value) {
            Ok(value.to_owned())
        } else {
            Err(self.err(field, format!("`{value}` is not an EPC URI nor any URI")))
        }
    }

    /// A CBV term as its bare word; a URI outside the CBV as it is.
    fn vocabulary(
        &self,
        field: &str,
        vocabulary: &Vocabulary,
        value: &str,
    ) -> Result<String, FactsError> {
        let short = vocabulary.short_name(value);
        if vocabulary.is_term(&short) {
            return Ok(short);
        }
        if value.starts_with(vocab::CBV_WEB) || value.starts_with(CBV_URN) {
            return Err(self.err(field, format!("`{value}` is no term of the CBV {field}s")));
        }
        if is_absolute_uri(value) {
            Ok(value.to_owned())
        } else {
            Err(self.err(
                field,
                format!("`{value}` is neither a CBV {field} nor a URI"),
            ))
        }
    }

    fn ilmd(&self, ilmd: &Node, facts: &mut EventFacts) -> Result<(), FactsError> {
        for child in &ilmd.children {
            match master_data_name(&child.name) {
                Some("lotNumber") => {
                    let field = "ilmd.cbvmda:lotNumber";
                    if facts.lot.is_some() {
                        return Err(self.err(field, "given more than once"));
                    }
                    let lot = child.text.parse::<Lot>().map_err(|e| {
                        self.err(field, format!("`{}` is not a GS1 lot: {e}", child.text))
                    })?;
                    facts.lot = Some(lot.as_str().to_owned());
                }
                Some("itemExpirationDate") => {
                    let field = "ilmd.cbvmda:itemExpirationDate";
                    if facts.expiry.is_some() {
                        return Err(self.err(field, "given more than once"));
                    }
                    facts.expiry = Some(yymmdd(&child.text).ok_or_else(|| {
                        self.err(field, format!("`{}` is not a date YYYY-MM-DD", child.text))
                    })?);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn declaration(&self, node: &Node) -> Result<DeclaredError, FactsError> {
        let time_field = "errorDeclaration.declarationTime";
        let time = self
            .text(node, "declarationTime", time_field)?
            .ok_or_else(|| self.err(time_field, "missing"))?;
        let (declaration_time_ms, _) = timestamp::parse_rfc3339(time).map_err(|_| {
            self.err(
                time_field,
                format!("`{time}` is not an RFC 3339 date-time with an offset"),
            )
        })?;
        let reason_field = "errorDeclaration.reason";
        let reason = self
            .text(node, "reason", reason_field)?
            .map(|r| self.vocabulary(reason_field, &vocab::ERROR_REASON, r))
            .transpose()?;
        // JSON-LD: one `correctiveEventIDs` leaf per ID; XML: a list of `correctiveEventID`.
        let ids_field = "errorDeclaration.correctiveEventIDs";
        let mut corrective_event_ids = Vec::new();
        for list in node
            .children
            .iter()
            .filter(|c| c.name == "correctiveEventIDs")
        {
            let items: Vec<&str> = if list.children.is_empty() {
                vec![list.text.as_str()]
            } else {
                list.children.iter().map(|c| c.text.as_str()).collect()
            };
            for id in items.into_iter().filter(|t| !t.is_empty()) {
                if !is_absolute_uri(id) {
                    return Err(self.err(ids_field, format!("`{id}` is not an absolute URI")));
                }
                corrective_event_ids.push(id.to_owned());
            }
        }
        Ok(DeclaredError {
            declaration_time_ms,
            reason,
            corrective_event_ids,
        })
    }
}

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
mod tests {
    use super::*;
    use crate::epcis::{
        Action, ErrorDeclaration, Event, EventKind, document_jsonld, document_xml, document_xml12,
        event_hash_id, replay,
    };

    const SSCC: &str = "urn:epc:id:sscc:0614141.1234567890";
    const PACK: &str = "urn:epc:id:sgtin:0614141.107346.2017";
    const T0: i64 = 1_714_557_600_000;

    fn packing() -> Event {
        let mut e = Event::new(EventKind::Aggregation, Action::Add, T0, "+02:00");
        e.parent_id = Some(SSCC.into());
        e.epcs.push(PACK.into());
        e.biz_step = Some("packing".into());
        e.disposition = Some("in_progress".into());
        e.event_id = Some(event_hash_id(&e));
        e
    }

    fn declared(original: &Event) -> Event {
        let mut d = original.clone();
        d.error_declaration = Some(ErrorDeclaration {
            declaration_time_ms: T0 + 60_000,
            declaration_time_zone: None,
            reason: Some("did_not_occur".into()),
            corrective_event_ids: vec![],
        });
        d
    }

    /// A commissioning ObjectEvent with ILMD, in each syntax, written by hand.
    fn commissioning_json(ilmd: &str) -> String {
        format!(
            r#"{{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
  "epcisBody": {{"eventList": [{{"type": "ObjectEvent",
    "eventTime": "2024-05-01T10:00:00.000Z", "eventTimeZoneOffset": "+00:00",
    "epcList": ["{PACK}"], "action": "ADD", "bizStep": "commissioning",
    "disposition": "active", "ilmd": {ilmd}}}]}}}}"#
        )
    }

    fn xml_doc(namespace: &str, event: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="{namespace}" xmlns:cbvmda="urn:epcglobal:cbv:mda"
  schemaVersion="1.2" creationDate="2024-05-01T10:00:00Z">
  <EPCISBody><EventList>{event}</EventList></EPCISBody>
</epcis:EPCISDocument>"#
        )
    }

    #[test]
    fn the_three_syntaxes_of_the_same_events_read_alike() {
        let events = vec![packing(), declared(&packing())];
        let json = facts_from_document(&document_jsonld(&events, T0)).unwrap();
        let xml20 = read_document(&document_xml(&events, T0), &[]).unwrap();
        let xml12 = read_document(&document_xml12(&events, T0), &[]).unwrap();
        assert_eq!(xml20.flavor, EpcisFlavor::Xml20);
        assert_eq!(xml12.flavor, EpcisFlavor::Xml12);
        assert_eq!(json, xml20.facts);
        assert_eq!(json, xml12.facts);
        assert_eq!(json[0].parent.as_deref(), Some(SSCC));
        assert_eq!(json[0].epcs, [PACK]);
        assert_eq!(json[0].biz_step.as_deref(), Some("packing"));
        assert_eq!(json[0].disposition.as_deref(), Some("in_progress"));
        let declaration = json[1].error_declaration.as_ref().unwrap();
        assert_eq!(declaration.reason.as_deref(), Some("did_not_occur"));
        assert_eq!(declaration.declaration_time_ms, T0 + 60_000);
        // The declaration voids the packing: the pack is named by nothing any more.
        assert!(replay(&json).units.is_empty());
    }

    #[test]
    fn a_query_answer_is_read_like_a_document() {
        let doc = document_jsonld(&[packing()], T0);
        let mut value: Value = serde_json::from_str(&doc).unwrap();
        let list = value["epcisBody"]["eventList"].take();
        value["type"] = "EPCISQueryDocument".into();
        value["epcisBody"] = serde_json::json!({"queryResults": {
            "queryName": "SimpleEventQuery", "resultsBody": {"eventList": list}}});
        let facts = facts_from_jsonld(&value.to_string()).unwrap();
        assert_eq!(facts, facts_from_jsonld(&doc).unwrap());
    }

    #[test]
    fn ilmd_lot_and_expiry_in_each_syntax() {
        let json = commissioning_json(
            r#"{"cbvmda:lotNumber": "LOT-7", "cbvmda:itemExpirationDate": "2027-12-31"}"#,
        );
        let facts = facts_from_document(&json).unwrap();
        assert_eq!(facts[0].lot.as_deref(), Some("LOT-7"));
        assert_eq!(facts[0].expiry.as_deref(), Some("271231"));
        let event20 = format!(
            "<ObjectEvent><eventTime>2024-05-01T10:00:00Z</eventTime>\
             <eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>{PACK}</epc></epcList>\
             <action>ADD</action><bizStep>https://ref.gs1.org/cbv/BizStep-commissioning</bizStep>\
             <ilmd><cbvmda:lotNumber>LOT-7</cbvmda:lotNumber>\
             <cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></ObjectEvent>"
        );
        let xml20 = facts_from_xml(&xml_doc("urn:epcglobal:epcis:xsd:2", &event20)).unwrap();
        assert_eq!(xml20[0].lot.as_deref(), Some("LOT-7"));
        assert_eq!(xml20[0].expiry.as_deref(), Some("271231"));
        let event12 = format!(
            "<ObjectEvent><eventTime>2024-05-01T10:00:00Z</eventTime>\
             <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>\
             <baseExtension><eventID>urn:uuid:6f6f6f6f-0000-4000-8000-000000000001</eventID></baseExtension>\
             <epcList><epc>{PACK}</epc></epcList>\
             <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\
             <extension><ilmd><cbvmda:lotNumber>LOT-7</cbvmda:lotNumber>\
             <cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></extension>\
             </ObjectEvent>"
        );
        let xml12 = read_document(&xml_doc("urn:epcglobal:epcis:xsd:1", &event12), &[]).unwrap();
        assert_eq!(xml12.flavor, EpcisFlavor::Xml12);
        let f = &xml12.facts[0];
        assert_eq!(
            (f.lot.as_deref(), f.expiry.as_deref()),
            (Some("LOT-7"), Some("271231"))
        );
        assert_eq!(
            f.event_id.as_deref(),
            Some("urn:uuid:6f6f6f6f-0000-4000-8000-000000000001")
        );
        assert_eq!(f.biz_step.as_deref(), Some("commissioning"));
        for (ilmd, field) in [
            (
                r#"{"cbvmda:itemExpirationDate": "2027-02-30"}"#,
                "ilmd.cbvmda:itemExpirationDate",
            ),
            (r#"{"cbvmda:lotNumber": "L OT"}"#, "ilmd.cbvmda:lotNumber"),
        ] {
            let err = facts_from_document(&commissioning_json(ilmd)).unwrap_err();
            assert_eq!((err.event, err.field.as_str()), (Some(1), field), "{err}");
        }
    }

    #[test]
    fn digital_links_become_epc_uris_when_the_company_prefix_is_known() {
        let sscc_dl = canonical_gs1_uri(SSCC).unwrap();
        let pack_dl = canonical_gs1_uri(PACK).unwrap();
        let mut e = packing();
        e.event_id = None;
        e.parent_id = Some(sscc_dl.clone());
        e.epcs = vec![pack_dl.replace("https://id.gs1.org", "https://example.com/dl")];
        let doc = document_jsonld(&[e], T0);
        let kept = facts_from_document(&doc).unwrap();
        assert_eq!(kept[0].parent.as_deref(), Some(sscc_dl.as_str()));
        assert_eq!(kept[0].epcs, [pack_dl.as_str()]);
        let class = doc.replace(&sscc_dl, &pack_dl.replace("/21/2017", ""));
        let err = facts_from_document(&class).unwrap_err();
        assert_eq!(
            (err.event, err.field.as_str()),
            (Some(1), "parentID"),
            "{err}"
        );
        let known = read_document(&doc, &["061414".into(), "0614141".into()]).unwrap();
        assert_eq!(known.facts[0].parent.as_deref(), Some(SSCC));
        assert_eq!(known.facts[0].epcs, [PACK]);
    }

    /// `doc` with the first occurrence of `from` replaced; the answer must name `field` of
    /// event `n`.
    fn refused(doc: &str, from: &str, to: &str, n: Option<usize>, field: &str) {
        assert!(doc.contains(from), "{from} not in the document");
        let bad = doc.replacen(from, to, 1);
        let err = facts_from_document(&bad).unwrap_err();
        assert_eq!((err.event, err.field.as_str()), (n, field), "{err}");
        assert!(err.to_string().contains(field), "{err}");
    }

    #[test]
    fn every_fault_names_the_event_and_the_field() {
        let mut second = packing();
        second.event_time_ms += 1_000;
        second.event_id = None;
        second.disposition = Some("container_closed".into());
        let json = document_jsonld(&[packing(), second.clone()], T0);
        let xml = document_xml(&[packing(), second.clone()], T0);
        let xml12 = document_xml12(&[packing(), second], T0);
        refused(&json, "AggregationEvent", "PackingEvent", Some(1), "type");
        refused(&json, r#""type": "AggregationEvent","#, "", Some(1), "type");
        refused(
            &json,
            "12:00:00.000+02:00",
            "12:00:00",
            Some(1),
            "eventTime",
        );
        refused(
            &json,
            r#""eventTimeZoneOffset": "+02:00""#,
            r#""eventTimeZoneOffset": "+2""#,
            Some(1),
            "eventTimeZoneOffset",
        );
        refused(
            &json,
            r#""eventTimeZoneOffset": "+02:00""#,
            r#""eventTimeZoneOffset": "Z""#,
            Some(1),
            "eventTimeZoneOffset",
        );
        refused(&json, r#""action": "ADD","#, "", Some(1), "action");
        refused(
            &json,
            r#""parentID": "urn:epc:id:sscc:0614141.1234567890","#,
            "",
            Some(1),
            "parentID",
        );
        refused(
            &json,
            "sscc:0614141.1234567890",
            "sscc:0614141.123456789",
            Some(1),
            "parentID",
        );
        refused(
            &json,
            "urn:epc:id:sgtin:0614141.107346.2017",
            "urn:epc:idpat:sgtin:0614141.107346.*",
            Some(1),
            "childEPCs",
        );
        refused(
            &json,
            "urn:epc:id:sgtin:0614141.107346.2017",
            "urn:epc:id:sgtin:0614141.10734.2017",
            Some(1),
            "childEPCs",
        );
        refused(
            &json,
            "urn:epc:id:sgtin:0614141.107346.2017",
            "pack 2017",
            Some(1),
            "childEPCs",
        );
        refused(
            &json,
            r#""bizStep": "packing""#,
            r#""bizStep": "packed""#,
            Some(1),
            "bizStep",
        );
        refused(
            &json,
            r#""disposition": "in_progress""#,
            r#""disposition": "https://ref.gs1.org/cbv/Disp-busy""#,
            Some(1),
            "disposition",
        );
        refused(
            &json,
            r#""childEPCs": ["#,
            r#""childEPCs": 7, "x": ["#,
            Some(1),
            "childEPCs",
        );
        // The second event (no eventID of its own) is named by its index.
        refused(
            &json,
            "\"container_closed\"",
            "\"closed\"",
            Some(2),
            "disposition",
        );
        refused(
            &xml,
            "<action>ADD</action>",
            "<action>ADDED</action>",
            Some(1),
            "action",
        );
        refused(
            &xml,
            "<eventTimeZoneOffset>+02:00</eventTimeZoneOffset>",
            "",
            Some(1),
            "eventTimeZoneOffset",
        );
        refused(
            &xml,
            "BizStep-packing",
            "BizStep-packink",
            Some(1),
            "bizStep",
        );
        refused(
            &xml12,
            "urn:epcglobal:cbv:disp:in_progress",
            "urn:epcglobal:cbv:disp:in progress",
            Some(1),
            "disposition",
        );
        refused(
            &xml12,
            "<action>ADD</action>",
            "<action>ADD</action><action>ADD</action>",
            Some(1),
            "action",
        );
        refused(&json, "{", "[", None, "document");
        refused(
            &xml,
            "urn:epcglobal:epcis:xsd:2",
            "urn:example:other",
            None,
            "document",
        );
        refused(
            &json,
            r#""type": "EPCISDocument""#,
            r#""type": "Document""#,
            None,
            "type",
        );
    }

    #[test]
    fn a_malformed_error_declaration_is_refused() {
        let doc = document_jsonld(&[packing(), declared(&packing())], T0);
        let time = "\"declarationTime\": \"2024-05-01T10:01:00.000Z\"";
        refused(
            &doc,
            time,
            "\"declarationTime\": \"yesterday\"",
            Some(2),
            "errorDeclaration.declarationTime",
        );
        refused(
            &doc,
            time,
            "\"x\": 1",
            Some(2),
            "errorDeclaration.declarationTime",
        );
        refused(
            &doc,
            "\"reason\": \"did_not_occur\"",
            "\"reason\": \"oops\"",
            Some(2),
            "errorDeclaration.reason",
        );
        refused(
            &doc,
            "\"reason\": \"did_not_occur\"",
            "\"reason\": \"did_not_occur\", \"correctiveEventIDs\": [\"not a uri\"]",
            Some(2),
            "errorDeclaration.correctiveEventIDs",
        );
        let mut anonymous = declared(&packing());
        anonymous.event_id = None;
        let err = facts_from_document(&document_jsonld(&[anonymous], T0)).unwrap_err();
        assert_eq!(
            (err.event, err.field.as_str()),
            (Some(1), "eventID"),
            "{err}"
        );
    }

    #[test]
    fn a_hash_id_must_be_the_events_own() {
        let good = packing();
        let mut forged = packing();
        forged.epcs = vec!["urn:epc:id:sgtin:0614141.107346.2018".into()];
        // forged keeps the hash ID of `good`, which named another pack.
        for doc in [
            document_jsonld(&[good.clone(), forged.clone()], T0),
            document_xml(&[good.clone(), forged.clone()], T0),
            document_xml12(&[good.clone(), forged.clone()], T0),
        ] {
            let err = facts_from_document(&doc).unwrap_err();
            assert_eq!(
                (err.event, err.field.as_str()),
                (Some(2), "eventID"),
                "{err}"
            );
            assert!(err.message.contains("does not match"), "{err}");
        }
        // Upper-case hex is the same ID.
        let mut upper = good.clone();
        let id = upper.event_id.take().unwrap();
        let (head, hex) = id.split_once(';').unwrap();
        upper.event_id = Some(format!(
            "{head};{}",
            hex.replace("?ver=CBV2.0", "").to_uppercase() + "?ver=CBV2.0"
        ));
        facts_from_document(&document_jsonld(&[upper], T0)).unwrap();
    }

    #[test]
    fn transformation_events_have_no_action_and_list_inputs_and_outputs() {
        let doc = r#"{"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
  "epcisBody": {"eventList": [{"type": "TransformationEvent",
    "eventTime": "2024-05-01T10:00:00.000Z", "eventTimeZoneOffset": "+00:00",
    "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
    "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"]}]}}"#;
        let facts = facts_from_document(doc).unwrap();
        assert_eq!(facts[0].action, None);
        assert_eq!(facts[0].epcs.len(), 2);
        refused(
            doc,
            "\"outputEPCList\"",
            "\"action\": \"ADD\", \"outputEPCList\"",
            Some(1),
            "action",
        );
    }

    #[test]
    fn expiry_dates() {
        assert_eq!(yymmdd("2027-12-31").as_deref(), Some("271231"));
        assert_eq!(yymmdd("2028-02-29+01:00").as_deref(), Some("280229"));
        assert_eq!(yymmdd("2027-02-29"), None);
        assert_eq!(yymmdd("27-12-31"), None);
        assert_eq!(yymmdd("2027-12-3x"), None);
        assert_eq!(yymmdd("2027-12-31T00"), None);
    }
}
