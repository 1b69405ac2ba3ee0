//! Property tests of the event hash and the JSON-LD round trip over generated station events:
//! the hash does not depend on the order of EPCs or of extension fields (as the CBV 2.0
//! algorithm says), is the same from JSON-LD and XML, and the JSON-LD writer/reader round-trips.

use crate::harness::fixtures;

use fixtures::arbitrary_event as event;
use packbench::epcis::{
    Extension, document_jsonld, document_xml, event_hash_id, events_from_jsonld,
    hash_ids_from_jsonld, hash_ids_from_xml,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn hash_ignores_epc_order(event in event(), seed in any::<u64>()) {
        let mut shuffled = event.clone();
        let n = shuffled.epcs.len();
        if n > 1 {
            shuffled.epcs.rotate_left(usize::try_from(seed % n as u64).unwrap_or(0));
            shuffled.epcs.swap(0, n - 1);
        }
        prop_assert_eq!(event_hash_id(&shuffled), event_hash_id(&event));
    }

    #[test]
    fn hash_ignores_extension_order(event in event()) {
        let mut reversed = event.clone();
        reversed.extensions.reverse();
        prop_assert_eq!(event_hash_id(&reversed), event_hash_id(&event));
    }

    #[test]
    fn hash_changes_with_an_extension_value(event in event(), value in "[a-z]{1,10}") {
        let mut changed = event.clone();
        changed.extensions.push(Extension::packbench("zz_extra", &value));
        prop_assert_ne!(event_hash_id(&changed), event_hash_id(&event));
    }

    #[test]
    fn jsonld_and_xml_hash_alike(events in proptest::collection::vec(event(), 1..4)) {
        let expected: Vec<String> = events.iter().map(event_hash_id).collect();
        prop_assert_eq!(hash_ids_from_jsonld(&document_jsonld(&events, 0)).unwrap(), expected.clone());
        prop_assert_eq!(hash_ids_from_xml(&document_xml(&events, 0)).unwrap(), expected);
    }

    #[test]
    fn jsonld_round_trips(events in proptest::collection::vec(event(), 0..4)) {
        let doc = document_jsonld(&events, 1_714_557_600_000);
        prop_assert_eq!(events_from_jsonld(&doc).unwrap(), events);
    }
}
