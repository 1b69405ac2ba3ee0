//! EPCIS 2.0 XML writer (namespace `urn:epcglobal:epcis:xsd:2`), and the small XML builder the
//! 1.2 writer shares. Vocabulary values are written as CBV 2.0 web URIs
//! (`https://ref.gs1.org/cbv/BizStep-packing`); extension fields as namespaced elements after the
//! standard fields.
//!
//! ```
//! use packbench::epcis::{document_xml, Action, Event, EventKind};
//! let mut event = Event::new(EventKind::Object, Action::Add, 1_714_557_600_000, "+07:00");
//! event.epcs.push("urn:epc:id:sscc:4012345.0000000333".into());
//! event.biz_step = Some("commissioning".into());
//! let doc = document_xml(&[event], 1_714_557_601_000);
//! assert!(doc.contains("<bizStep>https://ref.gs1.org/cbv/BizStep-commissioning</bizStep>"));
//! assert!(doc.contains("<eventTime>2024-05-01T17:00:00.000+07:00</eventTime>"));
//! ```

use quick_xml::escape::escape;

use super::jsonld::context_namespaces;
use super::model::{Event, EventKind};
use super::timestamp;
use super::vocab::{self, Vocabulary};

/// Namespace of EPCIS 2.0 XML documents.
pub(crate) const EPCIS2_NAMESPACE: &str = "urn:epcglobal:epcis:xsd:2";

/// A minimal indenting XML writer.
pub(crate) struct XmlOut {
    buffer: String,
    depth: usize,
}

impl XmlOut {
    pub(crate) fn new() -> Self {
        Self {
            buffer: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.buffer.push_str("  ");
        }
    }

    fn start_tag(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.buffer.push('<');
        self.buffer.push_str(tag);
        for (name, value) in attributes {
            self.buffer.push(' ');
            self.buffer.push_str(name);
            self.buffer.push_str("=\"");
            self.buffer.push_str(&escape(*value));
            self.buffer.push('"');
        }
    }

    /// `<tag attr="..">` and a newline; children follow.
    pub(crate) fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.start_tag(tag, attributes);
        self.buffer.push_str(">\n");
        self.depth += 1;
    }

    /// `</tag>`.
    pub(crate) fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.buffer.push_str("</");
        self.buffer.push_str(tag);
        self.buffer.push_str(">\n");
    }

    /// `<tag attr="..">text</tag>`, or `<tag/>` for empty text.
    pub(crate) fn leaf_with(&mut self, tag: &str, attributes: &[(&str, &str)], text: &str) {
        self.start_tag(tag, attributes);
        if text.is_empty() {
            self.buffer.push_str("/>\n");
        } else {
            self.buffer.push('>');
            self.buffer.push_str(&escape(text));
            self.buffer.push_str("</");
            self.buffer.push_str(tag);
            self.buffer.push_str(">\n");
        }
    }

    /// `<tag>text</tag>`.
    pub(crate) fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_with(tag, &[], text);
    }

    /// `<list><item>..</item>...</list>` (an empty list as `<list/>`).
    pub(crate) fn list(&mut self, tag: &str, item_tag: &str, items: &[String]) {
        if items.is_empty() {
            self.leaf(tag, "");
            return;
        }
        self.open(tag, &[]);
        for item in items {
            self.leaf(item_tag, item);
        }
        self.close(tag);
    }

    pub(crate) fn finish(self) -> String {
        self.buffer
    }
}

/// Which XML binding a shared writer part produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// EPCIS 2.0: CBV web URIs.
    Epcis20,
    /// EPCIS 1.2: CBV URNs.
    Epcis12,
}

impl Flavor {
    /// A vocabulary value in this binding's form.
    pub(crate) fn vocabulary(self, vocabulary: &Vocabulary, value: &str) -> String {
        match self {
            Self::Epcis20 => vocabulary.web_uri(value),
            Self::Epcis12 => vocabulary.urn(value),
        }
    }
}

/// Root element attributes: namespace declarations for `epcis` and every extension prefix.
pub(crate) fn root_attributes(
    events: &[Event],
    epcis_namespace: &'static str,
    schema_version: &'static str,
    creation_date: &str,
) -> Vec<(String, String)> {
    let mut attributes = vec![("xmlns:epcis".to_owned(), epcis_namespace.to_owned())];
    for (prefix, uri) in context_namespaces(events) {
        attributes.push((format!("xmlns:{prefix}"), uri));
    }
    attributes.push(("schemaVersion".to_owned(), schema_version.to_owned()));
    attributes.push(("creationDate".to_owned(), creation_date.to_owned()));
    attributes
}

/// The fields after the event-type-specific EPC lists and before the extensions:
/// action, bizStep, disposition, readPoint, bizLocation, bizTransactionList.
pub(crate) fn write_common_fields(out: &mut XmlOut, event: &Event, flavor: Flavor) {
    out.leaf("action", event.action.as_str());
    if let Some(step) = &event.biz_step {
        out.leaf("bizStep", &flavor.vocabulary(&vocab::BIZ_STEP, step));
    }
    if let Some(disposition) = &event.disposition {
        out.leaf(
            "disposition",
            &flavor.vocabulary(&vocab::DISPOSITION, disposition),
        );
    }
    for (tag, id) in [
        ("readPoint", &event.read_point),
        ("bizLocation", &event.biz_location),
    ] {
        if let Some(id) = id {
            out.open(tag, &[]);
            out.leaf("id", id);
            out.close(tag);
        }
    }
    if !event.biz_transactions.is_empty() {
        out.open("bizTransactionList", &[]);
        for transaction in &event.biz_transactions {
            let kind = flavor.vocabulary(&vocab::BIZ_TRANSACTION_TYPE, &transaction.kind);
            if kind.is_empty() {
                out.leaf("bizTransaction", &transaction.id);
            } else {
                out.leaf_with("bizTransaction", &[("type", &kind)], &transaction.id);
            }
        }
        out.close("bizTransactionList");
    }
}

/// The error declaration block (same shape in both bindings).
pub(crate) fn write_error_declaration(out: &mut XmlOut, event: &Event, flavor: Flavor) {
    let Some(declaration) = &event.error_declaration else {
        return;
    };
    out.open("errorDeclaration", &[]);
    out.leaf(
        "declarationTime",
        &timestamp::format_ms_lenient(
            declaration.declaration_time_ms,
            declaration.declaration_time_zone.as_deref().unwrap_or("Z"),
        ),
    );
    if let Some(reason) = &declaration.reason {
        out.leaf("reason", &flavor.vocabulary(&vocab::ERROR_REASON, reason));
    }
    if !declaration.corrective_event_ids.is_empty() {
        out.list(
            "correctiveEventIDs",
            "correctiveEventID",
            &declaration.corrective_event_ids,
        );
    }
    out.close("errorDeclaration");
}

/// Extension fields as `<prefix:name>value</prefix:name>`.
pub(crate) fn write_extensions(out: &mut XmlOut, event: &Event) {
    for extension in &event.extensions {
        out.leaf(
            &format!("{}:{}", extension.prefix, extension.name),
            &extension.value,
        );
    }
}

fn write_event(out: &mut XmlOut, event: &Event) {
    let tag = event.kind.type_name();
    out.open(tag, &[]);
    out.leaf(
        "eventTime",
        &timestamp::format_ms_lenient(event.event_time_ms, &event.event_time_zone_offset),
    );
    out.leaf("eventTimeZoneOffset", &event.event_time_zone_offset);
    if let Some(id) = &event.event_id {
        out.leaf("eventID", id);
    }
    write_error_declaration(out, event, Flavor::Epcis20);
    match event.kind {
        EventKind::Object => out.list("epcList", "epc", &event.epcs),
        EventKind::Aggregation => {
            if let Some(parent) = &event.parent_id {
                out.leaf("parentID", parent);
            }
            out.list("childEPCs", "epc", &event.epcs);
        }
    }
    write_common_fields(out, event, Flavor::Epcis20);
    if let Some(pd) = &event.persistent_disposition {
        if pd.set.is_empty() && pd.unset.is_empty() {
            out.leaf("persistentDisposition", "");
        } else {
            out.open("persistentDisposition", &[]);
            for value in &pd.unset {
                out.leaf("unset", &vocab::DISPOSITION.web_uri(value));
            }
            for value in &pd.set {
                out.leaf("set", &vocab::DISPOSITION.web_uri(value));
            }
            out.close("persistentDisposition");
        }
    }
    write_extensions(out, event);
    out.close(tag);
}

/// An EPCIS 2.0 XML `EPCISDocument` holding `events`, created at `creation_time_ms` (UTC
/// milliseconds).
pub fn document_xml(events: &[Event], creation_time_ms: i64) -> String {
    write_document(
        events,
        creation_time_ms,
        EPCIS2_NAMESPACE,
        "2.0",
        write_event,
    )
}

/// The `EPCISDocument` envelope shared by the 2.0 and 1.2 writers: root attributes for
/// `namespace`/`version`, then every event written by `write_event` inside
/// `EPCISBody/EventList`.
pub(crate) fn write_document(
    events: &[Event],
    creation_time_ms: i64,
    namespace: &'static str,
    version: &'static str,
    write_event: fn(&mut XmlOut, &Event),
) -> String {
    let mut out = XmlOut::new();
    let creation_date = timestamp::format_ms_lenient(creation_time_ms, "Z");
    let attributes = root_attributes(events, namespace, version, &creation_date);
    let borrowed: Vec<(&str, &str)> = attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    out.open("epcis:EPCISDocument", &borrowed);
    out.open("EPCISBody", &[]);
    out.open("EventList", &[]);
    for event in events {
        write_event(&mut out, event);
    }
    out.close("EventList");
    out.close("EPCISBody");
    out.close("epcis:EPCISDocument");
    out.finish()
}
