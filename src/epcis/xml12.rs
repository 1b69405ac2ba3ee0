//! EPCIS 1.2 XML writer (namespace `urn:epcglobal:epcis:xsd:1`) for partners and repositories of
//! the previous generation. Vocabulary values are CBV URNs (`urn:epcglobal:cbv:bizstep:packing`);
//! `eventID` and `errorDeclaration` go into `baseExtension`.
//!
//! EPCIS 1.2 has no `persistentDisposition`: it is left out of 1.2 documents (a 1.2 receiver
//! could not interpret an extension carrying it either). Everything else the station emits has
//! a 1.2 form.
//!
//! ```
//! use packbench::epcis::{document_xml12, Action, Event, EventKind};
//! let mut event = Event::new(EventKind::Aggregation, Action::Delete, 1_714_557_600_000, "+07:00");
//! event.parent_id = Some("urn:epc:id:sscc:4012345.0000000333".into());
//! event.biz_step = Some("unpacking".into());
//! let doc = document_xml12(&[event], 1_714_557_601_000);
//! assert!(doc.contains("<bizStep>urn:epcglobal:cbv:bizstep:unpacking</bizStep>"));
//! assert!(doc.contains("<childEPCs/>"));
//! ```

use super::model::{Event, EventKind};
use super::timestamp;
use super::xml::{self, Flavor, XmlOut};

/// Namespace of EPCIS 1.2 XML documents.
const EPCIS12_NAMESPACE: &str = "urn:epcglobal:epcis:xsd:1";

fn write_event(out: &mut XmlOut, event: &Event) {
    let tag = event.kind.type_name();
    out.open(tag, &[]);
    out.leaf(
        "eventTime",
        &timestamp::format_ms_lenient(event.event_time_ms, &event.event_time_zone_offset),
    );
    out.leaf("eventTimeZoneOffset", &event.event_time_zone_offset);
    if event.event_id.is_some() || event.error_declaration.is_some() {
        out.open("baseExtension", &[]);
        if let Some(id) = &event.event_id {
            out.leaf("eventID", id);
        }
        xml::write_error_declaration(out, event, Flavor::Epcis12);
        out.close("baseExtension");
    }
    match event.kind {
        EventKind::Object => out.list("epcList", "epc", &event.epcs),
        EventKind::Aggregation => {
            if let Some(parent) = &event.parent_id {
                out.leaf("parentID", parent);
            }
            out.list("childEPCs", "epc", &event.epcs);
        }
    }
    xml::write_common_fields(out, event, Flavor::Epcis12);
    xml::write_extensions(out, event);
    out.close(tag);
}

/// An EPCIS 1.2 XML `EPCISDocument` holding `events`, created at `creation_time_ms` (UTC
/// milliseconds). `persistent_disposition` is not written (EPCIS 1.2 has no such field).
pub fn document_xml12(events: &[Event], creation_time_ms: i64) -> String {
    xml::write_document(
        events,
        creation_time_ms,
        EPCIS12_NAMESPACE,
        "1.2",
        write_event,
    )
}
