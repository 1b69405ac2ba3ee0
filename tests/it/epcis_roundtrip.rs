//! Round trips and cross-syntax stability: `events_from_jsonld(document_jsonld(events))` gives the
//! events back, and every event hashes to the same ID from our JSON-LD, our EPCIS 2.0 XML and our
//! EPCIS 1.2 XML (parsed back through the generic hash path) and from the `Event` itself.

use crate::harness::fixtures;

use packbench::epcis::{
    EpcisError, Event, document_jsonld, document_xml, document_xml12, event_hash_id,
    events_from_jsonld, hash_ids_from_jsonld, hash_ids_from_xml,
};

#[test]
fn jsonld_round_trip_gives_the_events_back() {
    let events = fixtures::all_events();
    let doc = document_jsonld(&events, fixtures::T0_MS);
    assert_eq!(events_from_jsonld(&doc), Ok(events));
}

#[test]
fn jsonld_round_trip_keeps_hash_ids_and_duplicate_extension_names() {
    let mut event = fixtures::decommissioning();
    event
        .extensions
        .push(packbench::epcis::Extension::packbench(
            "signature",
            "second signer",
        ));
    event.event_id = Some(event_hash_id(&event));
    let doc = document_jsonld(std::slice::from_ref(&event), fixtures::T0_MS);
    let back = events_from_jsonld(&doc).unwrap();
    assert_eq!(back, vec![event.clone()]);
    assert_eq!(event_hash_id(&back[0]), event.event_id.clone().unwrap());
}

#[test]
fn every_syntax_gives_the_same_hash_ids() {
    let events = fixtures::all_events();
    let expected: Vec<String> = events.iter().map(event_hash_id).collect();
    let from_jsonld = hash_ids_from_jsonld(&document_jsonld(&events, fixtures::T0_MS)).unwrap();
    let from_xml = hash_ids_from_xml(&document_xml(&events, fixtures::T0_MS)).unwrap();
    assert_eq!(from_jsonld, expected);
    assert_eq!(from_xml, expected);
    // EPCIS 1.2 cannot carry persistentDisposition; every other event hashes alike there too.
    let from_xml12 = hash_ids_from_xml(&document_xml12(&events, fixtures::T0_MS)).unwrap();
    for ((event, from_12), expected) in events.iter().zip(&from_xml12).zip(&expected) {
        if event.persistent_disposition.is_none() {
            assert_eq!(from_12, expected, "{event:?}");
        } else {
            assert_ne!(
                from_12, expected,
                "1.2 drops persistentDisposition, so the hash differs"
            );
        }
    }
}

#[test]
fn hash_ids_differ_between_events_and_ignore_ids_and_error_declarations() {
    let events = fixtures::all_events();
    let ids: Vec<String> = events.iter().map(event_hash_id).collect();
    for id in &ids {
        assert!(
            id.starts_with("ni:///sha-256;") && id.ends_with("?ver=CBV2.0"),
            "{id}"
        );
        assert_eq!(id.len(), "ni:///sha-256;".len() + 64 + "?ver=CBV2.0".len());
    }
    // The error declaration event is the packing event re-sent: same hash (CBV 2.0 excludes
    // eventID and errorDeclaration), all others distinct.
    assert_eq!(
        event_hash_id(&fixtures::error_declaration()),
        event_hash_id(&fixtures::packing_case())
    );
    let mut distinct = ids[..8].to_vec();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 8);
}

#[test]
fn hash_follows_the_reference_pre_hash_layout() {
    let event = fixtures::decommissioning();
    let prehash = packbench::epcis::event_prehash(&event);
    assert_eq!(
        prehash,
        "eventType=ObjectEvent\
         eventTime=2024-05-01T10:00:05.000Z\
         eventTimeZoneOffset=+07:00\
         epcListepc=https://id.gs1.org/01/04012345111118/21/2\
         action=DELETE\
         bizStep=https://ref.gs1.org/cbv/BizStep-decommissioning\
         disposition=https://ref.gs1.org/cbv/Disp-inactive\
         readPointid=https://id.gs1.org/414/4012345000016/254/7\
         bizLocationid=https://id.gs1.org/414/4012345000016\
         bizTransactionListtype=https://ref.gs1.org/cbv/BTT-prodorder\
         bizTransaction=urn:epcglobal:cbv:bt:4012345000009:WO-2024-0042\
         {https://ns.packbench.dev/epcis/1/}reason=damaged\
         {https://ns.packbench.dev/epcis/1/}signature=user=supervisor1;name=Nguyen Van A;meaning=approved decommissioning;time=2024-05-01T17:00:05.000+07:00"
    );
    assert_eq!(
        event_hash_id(&event),
        packbench::epcis::hash_id_of_prehash(&prehash)
    );
}

#[test]
fn the_reader_reports_what_is_wrong() {
    assert!(matches!(events_from_jsonld("{"), Err(EpcisError::Json(_))));
    assert_eq!(
        events_from_jsonld(r#"{"epcisBody": {}}"#),
        Err(EpcisError::NoEventList)
    );
    let doc = document_jsonld(&[fixtures::commissioning_sscc()], fixtures::T0_MS);
    let transformed = doc.replace("\"ObjectEvent\"", "\"TransformationEvent\"");
    assert_eq!(
        events_from_jsonld(&transformed),
        Err(EpcisError::UnsupportedEventType(
            "TransformationEvent".into()
        ))
    );
    let no_action = doc.replace("\"action\": \"ADD\",", "");
    assert_eq!(
        events_from_jsonld(&no_action),
        Err(EpcisError::MissingField("action"))
    );
    let bad_time = doc.replace("2024-05-01T17:00:00.000+07:00", "2024-05-01 17:00");
    assert_eq!(
        events_from_jsonld(&bad_time),
        Err(EpcisError::InvalidTimestamp("2024-05-01 17:00".into()))
    );
    let bad_action = doc.replace("\"ADD\"", "\"PACK\"");
    assert_eq!(
        events_from_jsonld(&bad_action),
        Err(EpcisError::UnknownAction("PACK".into()))
    );
}

#[test]
fn the_reader_accepts_uri_forms_of_the_vocabulary() {
    let doc = document_jsonld(&[fixtures::packing_case()], fixtures::T0_MS)
        .replace("\"packing\"", "\"https://ref.gs1.org/cbv/BizStep-packing\"")
        .replace("\"in_progress\"", "\"urn:epcglobal:cbv:disp:in_progress\"");
    let events: Vec<Event> = events_from_jsonld(&doc).unwrap();
    assert_eq!(events, vec![fixtures::packing_case()]);
}
