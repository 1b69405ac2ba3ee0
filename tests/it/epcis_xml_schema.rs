//! EPCIS XML documents the station writes validate against the official XSDs with `xmllint`
//! (Debian package libxml2-utils; `scripts/test` installs it): EPCIS 2.0 XML against
//! `EPCglobal-epcis-2_0.xsd`, EPCIS 1.2 XML against `EPCglobal-epcis-1_2.xsd`. Broken documents
//! must be rejected, so the validation really runs.

// Test helpers outside `#[test]` functions: a missing tool or fixture must fail the test.

use crate::harness::fixtures;

use packbench::epcis::{document_xml, document_xml12, event_hash_id};

use crate::harness::data::{xmllint, xsd_12, xsd_20};

fn with_hash_ids(mut events: Vec<packbench::epcis::Event>) -> Vec<packbench::epcis::Event> {
    for event in &mut events {
        if event.event_id.is_none() {
            event.event_id = Some(event_hash_id(event));
        }
    }
    events
}

#[test]
fn each_station_event_is_valid_epcis_2_0_xml() {
    for (name, event) in fixtures::station_events() {
        let doc = document_xml(&with_hash_ids(vec![event]), fixtures::T0_MS);
        xmllint(&doc, &xsd_20()).unwrap_or_else(|e| panic!("{name}: {e}\n{doc}"));
    }
}

#[test]
fn each_station_event_is_valid_epcis_1_2_xml() {
    for (name, event) in fixtures::station_events() {
        let doc = document_xml12(&with_hash_ids(vec![event]), fixtures::T0_MS);
        xmllint(&doc, &xsd_12()).unwrap_or_else(|e| panic!("{name}: {e}\n{doc}"));
    }
}

#[test]
fn documents_with_every_station_event_are_valid() {
    let events = with_hash_ids(fixtures::all_events());
    xmllint(&document_xml(&events, fixtures::T0_MS), &xsd_20()).unwrap();
    xmllint(&document_xml12(&events, fixtures::T0_MS), &xsd_12()).unwrap();
}

#[test]
fn text_that_needs_escaping_stays_valid() {
    let mut event = fixtures::decommissioning();
    event.extensions[1].value = "<signed> by \"A&B\" 'QA'".to_owned();
    let doc = document_xml(&[event], fixtures::T0_MS);
    assert!(doc.contains("&lt;signed&gt; by &quot;A&amp;B&quot;"));
    xmllint(&doc, &xsd_20()).unwrap();
}

#[test]
fn broken_documents_are_rejected() {
    let events = fixtures::all_events();
    let doc20 = document_xml(&events, fixtures::T0_MS);
    let doc12 = document_xml12(&events, fixtures::T0_MS);

    // An event without its action.
    let no_action = doc20.replacen("<action>ADD</action>", "", 1);
    assert_ne!(no_action, doc20);
    assert!(
        xmllint(&no_action, &xsd_20()).is_err(),
        "2.0 without action"
    );
    let no_action = doc12.replacen("<action>ADD</action>", "", 1);
    assert!(
        xmllint(&no_action, &xsd_12()).is_err(),
        "1.2 without action"
    );

    // An unknown action.
    let bad_action = doc20.replacen("<action>ADD</action>", "<action>PACK</action>", 1);
    assert!(xmllint(&bad_action, &xsd_20()).is_err(), "2.0 action PACK");

    // persistentDisposition does not exist in EPCIS 1.2.
    let with_pd = doc12.replacen(
        "<action>OBSERVE</action>",
        "<action>OBSERVE</action><persistentDisposition/>",
        1,
    );
    assert!(
        xmllint(&with_pd, &xsd_12()).is_err(),
        "1.2 with persistentDisposition"
    );

    // A 2.0 document is not a 1.2 document.
    assert!(
        xmllint(&doc20, &xsd_12()).is_err(),
        "2.0 against the 1.2 schema"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Any event the model expresses makes valid EPCIS 2.0 and 1.2 XML.
    #[test]
    fn generated_events_make_valid_xml(
        events in proptest::collection::vec(fixtures::arbitrary_event(), 1..4),
    ) {
        let events = with_hash_ids(events);
        let doc = document_xml(&events, fixtures::T0_MS);
        proptest::prop_assert!(xmllint(&doc, &xsd_20()).is_ok(), "{}\n{}", xmllint(&doc, &xsd_20()).unwrap_err(), doc);
        let doc = document_xml12(&events, fixtures::T0_MS);
        proptest::prop_assert!(xmllint(&doc, &xsd_12()).is_ok(), "{}\n{}", xmllint(&doc, &xsd_12()).unwrap_err(), doc);
    }
}
