//! Station events as DESIGN.md §2 describes them, shared by the EPCIS integration tests.

#![allow(dead_code)] // each test crate uses a different subset

use packbench::epcis::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PersistentDisposition,
};

/// 2024-05-01T10:00:00.000Z
pub const T0_MS: i64 = 1_714_557_600_000;
pub const CASE_SSCC: &str = "urn:epc:id:sscc:4012345.0000000333";
pub const OTHER_SSCC: &str = "urn:epc:id:sscc:4012345.0000000444";
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
