//! EPCIS events as the station writes them (one per station action), and arbitrary events for
//! property tests: the EPCIS topics' fixtures.

use packbench::epcis::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PersistentDisposition,
};
use proptest::prelude::*;

/// 2024-05-01T10:00:00.000Z
pub const T0_MS: i64 = 1_714_557_600_000;
pub const CASE_SSCC: &str = "urn:epc:id:sscc:4012345.0000000333";
pub const STATION_SGLN: &str = "urn:epc:id:sgln:4012345.00001.7";
pub const SITE_SGLN: &str = "urn:epc:id:sgln:4012345.00001.0";
pub const WORK_ORDER: &str = "urn:epcglobal:cbv:bt:4012345000009:WO-2024-0042";

pub fn pack(serial: u32) -> String {
    format!("urn:epc:id:sgtin:4012345.011111.{serial}")
}

/// An event with the station's readPoint, bizLocation and work order.
pub fn station_event(kind: EventKind, action: Action, offset_ms: i64) -> Event {
    let mut event = Event::new(kind, action, T0_MS + offset_ms, "+07:00");
    event.read_point = Some(STATION_SGLN.to_owned());
    event.biz_location = Some(SITE_SGLN.to_owned());
    event.biz_transactions.push(BizTransaction {
        kind: "prodorder".to_owned(),
        id: WORK_ORDER.to_owned(),
    });
    event
}

pub fn commissioning_sscc() -> Event {
    let mut event = station_event(EventKind::Object, Action::Add, 0);
    event.epcs = vec![CASE_SSCC.to_owned()];
    event.biz_step = Some("commissioning".to_owned());
    event.disposition = Some("active".to_owned());
    event
}

pub fn packing_case() -> Event {
    let mut event = station_event(EventKind::Aggregation, Action::Add, 1_000);
    event.parent_id = Some(CASE_SSCC.to_owned());
    event.epcs = (1..=3).map(pack).collect();
    event.biz_step = Some("packing".to_owned());
    event.disposition = Some("in_progress".to_owned());
    event
}

pub fn completeness_verified() -> Event {
    let mut event = station_event(EventKind::Object, Action::Observe, 2_000);
    event.epcs = vec![CASE_SSCC.to_owned()];
    event.biz_step = Some("inspecting".to_owned());
    event.persistent_disposition = Some(PersistentDisposition {
        set: vec!["completeness_verified".to_owned()],
        unset: Vec::new(),
    });
    event
}

pub fn unpacking_some() -> Event {
    let mut event = station_event(EventKind::Aggregation, Action::Delete, 3_000);
    event.parent_id = Some(CASE_SSCC.to_owned());
    event.epcs = vec![pack(2)];
    event.biz_step = Some("unpacking".to_owned());
    event
}

pub fn unpacking_all() -> Event {
    let mut event = station_event(EventKind::Aggregation, Action::Delete, 4_000);
    event.parent_id = Some(CASE_SSCC.to_owned());
    event.biz_step = Some("unpacking".to_owned());
    event
}

pub fn decommissioning() -> Event {
    let mut event = station_event(EventKind::Object, Action::Delete, 5_000);
    event.epcs = vec![pack(2)];
    event.biz_step = Some("decommissioning".to_owned());
    event.disposition = Some("inactive".to_owned());
    event
        .extensions
        .push(Extension::packbench("reason", "damaged"));
    event.extensions.push(Extension::packbench(
        "signature",
        "user=supervisor1;name=Nguyen Van A;meaning=approved decommissioning;time=2024-05-01T17:00:05.000+07:00",
    ));
    event
}

pub fn destroying() -> Event {
    let mut event = station_event(EventKind::Object, Action::Delete, 6_000);
    event.epcs = vec![pack(3)];
    event.biz_step = Some("destroying".to_owned());
    event.disposition = Some("destroyed".to_owned());
    event
}

pub fn inspecting_damaged() -> Event {
    let mut event = station_event(EventKind::Object, Action::Observe, 7_000);
    event.epcs = vec![pack(1)];
    event.biz_step = Some("inspecting".to_owned());
    event.disposition = Some("damaged".to_owned());
    event
}

/// The packing event re-sent with an error declaration, pointing at its correction.
pub fn error_declaration() -> Event {
    let mut event = packing_case();
    event.event_id = Some("urn:uuid:6f1c2a9e-4c5b-4c53-9a43-0f5e8d1e2b11".to_owned());
    event.error_declaration = Some(ErrorDeclaration {
        declaration_time_ms: T0_MS + 60_000,
        declaration_time_zone: Some("+07:00".to_owned()),
        reason: Some("incorrect_data".to_owned()),
        corrective_event_ids: vec!["urn:uuid:0c0e8d5e-55a4-4a4e-8d0f-3c1b8f0e7a21".to_owned()],
    });
    event
}

/// Every kind of event the station writes, named.
pub fn station_events() -> Vec<(&'static str, Event)> {
    vec![
        ("commissioning ObjectEvent ADD (SSCC)", commissioning_sscc()),
        ("AggregationEvent ADD packing", packing_case()),
        (
            "ObjectEvent OBSERVE inspecting, completeness_verified",
            completeness_verified(),
        ),
        (
            "AggregationEvent DELETE unpacking (children)",
            unpacking_some(),
        ),
        (
            "AggregationEvent DELETE unpacking (empty childEPCs)",
            unpacking_all(),
        ),
        (
            "ObjectEvent DELETE decommissioning with pb:reason",
            decommissioning(),
        ),
        ("ObjectEvent DELETE destroying", destroying()),
        (
            "ObjectEvent OBSERVE inspecting damaged",
            inspecting_damaged(),
        ),
        (
            "errorDeclaration with correctiveEventIDs",
            error_declaration(),
        ),
    ]
}

/// Just the events.
pub fn all_events() -> Vec<Event> {
    station_events()
        .into_iter()
        .map(|(_, event)| event)
        .collect()
}

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

/// Any station-like event the model can express that passes `Event::validate`.
pub fn arbitrary_event() -> impl Strategy<Value = Event> {
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
                    event.parent_id = Some(CASE_SSCC.to_owned());
                }
                // The schema wants the EPCs of one list unique (`uniqueItems`).
                let mut seen = std::collections::HashSet::new();
                event.epcs = epcs
                    .into_iter()
                    .filter(|e| seen.insert(e.clone()))
                    .collect();
                if aggregation && action != Action::Delete && event.epcs.is_empty() {
                    event.epcs.push(pack(1));
                }
                event.biz_step = step.map(|i| STEPS[i].to_owned());
                event.disposition = disposition.map(|i| DISPOSITIONS[i].to_owned());
                // The JSON Schema allows persistentDisposition on ObjectEvents only.
                event.persistent_disposition =
                    pd.filter(|_| !aggregation)
                        .map(|set| PersistentDisposition {
                            set: set
                                .into_iter()
                                .map(|i| DISPOSITIONS[i].to_owned())
                                .collect(),
                            unset: vec!["completeness_verified".to_owned()],
                        });
                event.read_point = Some(STATION_SGLN.to_owned());
                if work_order {
                    event.biz_transactions.push(BizTransaction {
                        kind: "prodorder".to_owned(),
                        id: WORK_ORDER.to_owned(),
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
