//! The EPCIS readers take documents from outside (repositories, partners, files): whatever they
//! get, they return a result or an error and never panic. (Stands in for a fuzz target until the
//! project has a fuzzing setup.)

use crate::harness::fixtures;

use packbench::epcis::{
    EpcisError, canonical_gs1_uri, document_jsonld, document_xml, document_xml12,
    events_from_jsonld, hash_ids_from_jsonld, hash_ids_from_xml,
};
use proptest::prelude::*;

fn read_everything(text: &str) {
    let _ = events_from_jsonld(text);
    let _ = hash_ids_from_jsonld(text);
    let _ = hash_ids_from_xml(text);
    let _ = canonical_gs1_uri(text);
}

/// A valid document with `cut` bytes removed at `at` (on a char boundary).
fn damaged(doc: &str, at: usize, cut: usize) -> String {
    let mut start = at % (doc.len() + 1);
    while !doc.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + cut).min(doc.len());
    while !doc.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{}", &doc[..start], &doc[end..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        read_everything(&text);
    }

    #[test]
    fn gs1_uri_like_text_never_panics(
        scheme in prop_oneof![
            Just("urn:epc:id:sgtin:"), Just("urn:epc:id:sscc:"), Just("urn:epc:id:sgln:"),
            Just("urn:epc:id:grai:"), Just("urn:epc:id:giai:"), Just("urn:epc:id:gdti:"),
            Just("urn:epc:id:cpi:"), Just("urn:epc:id:itip:"), Just("urn:epc:idpat:sgtin:"),
            Just("urn:epc:class:lgtin:"), Just("https://id.gs1.org/01/"), Just("https://x.example/253/"),
        ],
        body in "[0-9.é%A-Za-z/*]{0,40}",
    ) {
        let _ = canonical_gs1_uri(&format!("{scheme}{body}"));
    }

    #[test]
    fn damaged_documents_never_panic(at in any::<usize>(), cut in 0usize..40) {
        let events = fixtures::all_events();
        for doc in [
            document_jsonld(&events, 0),
            document_xml(&events, 0),
            document_xml12(&events, 0),
        ] {
            read_everything(&damaged(&doc, at, cut));
        }
    }
}

#[test]
fn deeply_nested_xml_is_refused_not_overflowed() {
    let doc = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    assert!(matches!(hash_ids_from_xml(&doc), Err(EpcisError::Xml(_))));
}

#[test]
fn deeply_nested_json_is_refused_not_overflowed() {
    let doc = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        hash_ids_from_jsonld(&doc),
        Err(EpcisError::Json(_))
    ));
    assert!(matches!(events_from_jsonld(&doc), Err(EpcisError::Json(_))));
}
