//! `packbench export`, `packbench manifest`, `packbench audit verify`.

use crate::epcis::{Event, document_jsonld, document_xml, document_xml12, events_from_jsonld};
use crate::store::{Store, StoreError};

/// EPCIS document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// EPCIS 2.0 JSON-LD.
    Jsonld,
    /// EPCIS 2.0 XML.
    Xml,
    /// EPCIS 1.2 XML.
    Xml12,
}

/// Parses `--since`: RFC 3339 (`2026-11-25T10:00:00Z`) or Unix milliseconds.
pub fn parse_since(text: &str) -> Result<i64, String> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("'{text}' is neither RFC 3339 nor Unix milliseconds: {e}"))?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).map_err(|e| e.to_string())
}

/// All stored events since a time (errors declarations included), in commit order.
pub fn stored_events(store: &Store, since_ms: i64) -> Result<Vec<Event>, StoreError> {
    let bodies = crate::store::event_bodies_since(store.conn(), since_ms)?;
    let mut out = Vec::with_capacity(bodies.len());
    for body in bodies {
        let mut evs = events_from_jsonld(&body).map_err(|e| StoreError::BadValue {
            what: "events.body",
            value: e.to_string(),
        })?;
        out.append(&mut evs);
    }
    Ok(out)
}

/// Writes the document of a format.
pub fn document(format: ExportFormat, events: &[Event], now_ms: i64) -> String {
    match format {
        ExportFormat::Jsonld => document_jsonld(events, now_ms),
        ExportFormat::Xml => document_xml(events, now_ms),
        ExportFormat::Xml12 => document_xml12(events, now_ms),
    }
}
