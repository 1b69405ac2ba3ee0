//! Property tests of the event hash and the JSON-LD round trip over generated station events:
//! the hash does not depend on the order of EPCs or of extension fields (as the CBV 2.0
//! algorithm says), is the same from JSON-LD and XML, and the JSON-LD writer/reader round-trips.

mod common;

use packbench::epcis::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PersistentDisposition,
    document_jsonld, document_xml, event_hash_id, events_from_jsonld, hash_ids_from_jsonld,
    hash_ids_from_xml,
};
use proptest::prelude::*;

const STEPS: &[&str] = &[
    "commissioning",
    "packing",
    "unpacking",
    "inspecting",
    "decommissioning",
    "destroying",
    "sampling",
];
const DISPOSITIONS: &[&str] = &["active", "in_progress", "inactive", "destroyed", "damaged"];
const OFFSETS: &[&str] = &["+00:00", "+07:00", "-05:30", "+14:00", "-12:00"];

fn epc() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1_000_000).prop_map(|s| format!("urn:epc:id:sgtin:4012345.011111.{s}")),
        "[A-Za-z0-9]{1,20}".prop_map(|s| format!("urn:epc:id:sgtin:4012345.022222.{s}")),
        (0u64..10_000_000_000).prop_map(|s| format!("urn:epc:id:sscc:4012345.{s:010}")),
    ]
}

fn extension() -> impl Strategy<Value = Extension> {
    (
        prop_oneof![
            Just("reason"),
            Just("signature"),
            Just("operator"),
            Just("note")
        ],
        // Printable text (XML 1.0 cannot carry control characters), possibly numeric-looking.
        "[ -~]{0,30}",
    )
        .prop_map(|(name, value)| Extension::packbench(name, &value))
}

fn event() -> impl Strategy<Value = Event> {
    (
        (
            any::<bool>(),
            0usize..3,
            0i64..4_102_444_800_000,
            0usize..OFFSETS.len(),
        ),
        proptest::collection::vec(epc(), 0..6),
        (
            proptest::option::of(0usize..STEPS.len()),
            proptest::option::of(0usize..DISPOSITIONS.len()),
        ),
        proptest::option::of(proptest::collection::vec(0usize..DISPOSITIONS.len(), 0..2)),
        proptest::collection::vec(extension(), 0..4),
        proptest::option::of((0i64..4_102_444_800_000, any::<bool>())),
        any::<bool>(),
    )
        .prop_map(
            |(
                (aggregation, action, time, offset),
                epcs,
                (step, disposition),
                pd,
                extensions,
                declaration,
                work_order,
            )| {
                let kind = if aggregation {
                    EventKind::Aggregation
                } else {
                    EventKind::Object
                };
                let action = [Action::Add, Action::Observe, Action::Delete][action];
                let mut event = Event::new(kind, action, time, OFFSETS[offset]);
                if aggregation {
                    event.parent_id = Some(common::CASE_SSCC.to_owned());
                }
                event.epcs = epcs;
                event.biz_step = step.map(|i| STEPS[i].to_owned());
                event.disposition = disposition.map(|i| DISPOSITIONS[i].to_owned());
                event.persistent_disposition = pd.map(|set| PersistentDisposition {
                    set: set
                        .into_iter()
                        .map(|i| DISPOSITIONS[i].to_owned())
                        .collect(),
                    unset: vec!["completeness_verified".to_owned()],
                });
                event.read_point = Some(common::STATION_SGLN.to_owned());
                if work_order {
                    event.biz_transactions.push(BizTransaction {
                        kind: "prodorder".to_owned(),
                        id: common::WORK_ORDER.to_owned(),
                    });
                }
                // JSON objects are unordered: the reader returns extensions ordered by name.
                let mut extensions = extensions;
                extensions.sort_by(|a, b| a.name.cmp(&b.name));
                event.extensions = extensions;
                event.error_declaration = declaration.map(|(ms, local)| ErrorDeclaration {
                    declaration_time_ms: ms,
                    declaration_time_zone: local.then(|| "+07:00".to_owned()),
                    reason: Some("did_not_occur".to_owned()),
                    corrective_event_ids: vec![
                        "urn:uuid:0c0e8d5e-55a4-4a4e-8d0f-3c1b8f0e7a21".to_owned(),
                    ],
                });
                event
            },
        )
}

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
