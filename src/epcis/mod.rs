//! GS1 EPCIS 2.0 event model, its JSON-LD / XML writers, EPCIS 1.2 XML, and CBV 2.0 event hash IDs.
//! Pure: no I/O, no GUI, no threads.
//!
//! The station turns every bench action into [`Event`]s (`docs/architecture.md` §8), sets their `event_id` to
//! [`event_hash_id`], and writes them with [`document_jsonld`], [`document_xml`] or
//! [`document_xml12`].
//!
//! ```
//! use packbench::epcis::{
//!     document_jsonld, event_hash_id, Action, BizTransaction, Event, EventKind, Extension,
//! };
//! let mut event = Event::new(EventKind::Object, Action::Delete, 1_714_557_600_000, "+07:00");
//! event.epcs.push("urn:epc:id:sgtin:4012345.011111.9876".into());
//! event.biz_step = Some("decommissioning".into());
//! event.disposition = Some("inactive".into());
//! event.read_point = Some("urn:epc:id:sgln:4012345.00001.0".into());
//! event.biz_transactions.push(BizTransaction {
//!     kind: "prodorder".into(),
//!     id: "urn:epcglobal:cbv:bt:4012345000009:WO-1".into(),
//! });
//! event.extensions.push(Extension::packbench("reason", "damaged"));
//! event.event_id = Some(event_hash_id(&event));
//! let doc = document_jsonld(&[event], 1_714_557_601_000);
//! assert!(doc.contains(r#""pb:reason": "damaged""#));
//! ```

mod digital_link;
mod error;
mod facts;
mod facts_read;
mod hash;
mod json_view;
mod jsonld;
mod model;
mod splice;
mod timestamp;
pub use timestamp::local_time;
mod tree;
mod tree_json;
mod vocab;
mod xml;
mod xml12;

pub use digital_link::canonical_gs1_uri;
pub use error::EpcisError;
pub use facts::{
    DeclaredError, EventFacts, FactAction, FactKind, FactStatus, Hierarchy, UnitFacts, replay,
};
pub use facts_read::{
    EpcisFlavor, FactsDocument, FactsError, facts_from_document, facts_from_jsonld, facts_from_xml,
    read_document, read_jsonld, read_xml,
};
pub use hash::{
    StoredDocumentCheck, check_stored_jsonld, event_hash_id, event_prehash, hash_id_of_prehash,
    hash_ids_from_json, hash_ids_from_jsonld, hash_ids_from_xml, prehashes_from_jsonld,
    prehashes_from_xml,
};
pub use jsonld::{
    EPCIS_CONTEXT_URL, document_jsonld, events_from_jsonld, events_from_query_jsonld,
};
pub use model::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PACKBENCH_NAMESPACE,
    PACKBENCH_PREFIX, PersistentDisposition,
};
pub use splice::splice_jsonld;
pub use xml::document_xml;
pub use xml12::document_xml12;
