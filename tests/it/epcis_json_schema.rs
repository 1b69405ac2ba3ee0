//! Every EPCIS 2.0 JSON-LD document the station writes validates against the official EPCIS 2.0
//! JSON Schema (`tests/data/epcis/EPCIS-JSON-Schema.json`), and the validator really
//! rejects broken documents.

// Test helpers outside `#[test]` functions: a missing fixture must fail the test.

use crate::harness::fixtures;

use jsonschema::Validator;
use packbench::epcis::{document_jsonld, event_hash_id};
use serde_json::Value;

const OFFICIAL_EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/epcis/JSON/Example_9.6.3-AggregationEvent.jsonld"
);

fn validator() -> Validator {
    crate::harness::data::epcis_json_validator()
}

fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn the_validator_accepts_an_official_example() {
    let validator = validator();
    let example: Value =
        serde_json::from_str(&std::fs::read_to_string(OFFICIAL_EXAMPLE).unwrap()).unwrap();
    assert_eq!(errors(&validator, &example), Vec::<String>::new());
}

#[test]
fn each_station_event_in_its_own_document_is_valid() {
    let validator = validator();
    for (name, mut event) in fixtures::station_events() {
        assert_eq!(event.validate(), Ok(()), "{name}");
        if event.event_id.is_none() {
            event.event_id = Some(event_hash_id(&event));
        }
        let doc: Value = serde_json::from_str(&document_jsonld(&[event], fixtures::T0_MS)).unwrap();
        assert_eq!(
            errors(&validator, &doc),
            Vec::<String>::new(),
            "{name}: {doc:#}"
        );
    }
}

#[test]
fn a_document_with_every_station_event_is_valid() {
    let validator = validator();
    let doc: Value =
        serde_json::from_str(&document_jsonld(&fixtures::all_events(), fixtures::T0_MS)).unwrap();
    assert_eq!(errors(&validator, &doc), Vec::<String>::new());
    assert_eq!(doc["epcisBody"]["eventList"].as_array().unwrap().len(), 9);
}

#[test]
fn broken_documents_are_rejected() {
    let validator = validator();
    let good: Value =
        serde_json::from_str(&document_jsonld(&fixtures::all_events(), fixtures::T0_MS)).unwrap();
    assert!(validator.is_valid(&good));

    let mut no_action = good.clone();
    no_action["epcisBody"]["eventList"][0]
        .as_object_mut()
        .unwrap()
        .remove("action");
    assert!(
        !validator.is_valid(&no_action),
        "an ObjectEvent without action"
    );

    let mut bad_action = good.clone();
    bad_action["epcisBody"]["eventList"][1]["action"] = Value::from("PACK");
    assert!(!validator.is_valid(&bad_action), "action PACK");

    let mut bad_time = good.clone();
    bad_time["epcisBody"]["eventList"][2]["eventTime"] = Value::from("yesterday");
    assert!(!validator.is_valid(&bad_time), "eventTime yesterday");

    let mut bad_step = good.clone();
    bad_step["epcisBody"]["eventList"][3]["bizStep"] = Value::from("not a step");
    assert!(!validator.is_valid(&bad_step), "bizStep with a space");

    let mut no_context = good;
    no_context.as_object_mut().unwrap().remove("@context");
    assert!(!validator.is_valid(&no_context), "no @context");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Not only the station's fixtures: any event the model expresses makes a valid document.
    #[test]
    fn generated_events_make_valid_documents(
        events in proptest::collection::vec(fixtures::arbitrary_event(), 1..4),
    ) {
        for event in &events {
            proptest::prop_assert_eq!(event.validate(), Ok(()));
        }
        let validator = validator();
        let doc: Value = serde_json::from_str(&document_jsonld(&events, fixtures::T0_MS)).unwrap();
        proptest::prop_assert_eq!(errors(&validator, &doc), Vec::<String>::new());
    }
}
