//! The per-event cost of recomputing an event hash ID from its stored body, the way
//! `audit verify` does for every event (issue 16): the body (an EPCIS 2.0 JSON-LD document of
//! one event, as the station stores it) is parsed and its hash ID recomputed.
//!
//! The three events of the `verify` benchmark's database are timed one by one: a case
//! commissioned (ObjectEvent ADD, one SSCC), a case of 20 packs closed (AggregationEvent ADD,
//! 20 SGTINs) and the case inspected (ObjectEvent OBSERVE); then their mix as the 1-million-unit
//! database holds it (one of each per case), on one thread; then that mix read through a
//! `serde_json::Value` (`hash_ids_from_json`, for callers that already hold one).
//!
//! `cargo bench --bench event_hash` runs 20,000 rounds; under `cargo test` 200. Figures are
//! printed, never asserted.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use packbench::epcis::{
    Action, Event, EventKind, Extension, PersistentDisposition, check_stored_jsonld,
    document_jsonld, event_hash_id, hash_ids_from_json,
};
use std::hint::black_box;
use std::time::Instant;

const T0: i64 = 1_795_600_800_000;
const ANCHOR: &str = "1234:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn event(kind: EventKind, action: Action, time_ms: i64) -> Event {
    let mut e = Event::new(kind, action, time_ms, "+01:00");
    e.read_point = Some("urn:epc:id:sgln:9506000.00000.1".to_owned());
    e.biz_location = Some("urn:epc:id:sgln:9506000.00000.0".to_owned());
    e
}

/// The stored body of `e` (with the trail's head and its own hash ID, as `Cmd::commit` writes
/// it) and that hash ID.
fn stored(mut e: Event) -> (String, String) {
    e.extensions.push(Extension::packbench(
        packbench::station::AUDIT_ANCHOR_FIELD,
        ANCHOR,
    ));
    let id = event_hash_id(&e);
    e.event_id = Some(id.clone());
    (
        document_jsonld(std::slice::from_ref(&e), e.event_time_ms),
        id,
    )
}

fn bodies() -> Vec<(&'static str, String, String)> {
    let case = "urn:epc:id:sscc:9506000.1000000042".to_owned();
    let mut commission = event(EventKind::Object, Action::Add, T0);
    commission.epcs = vec![case.clone()];
    commission.biz_step = Some("commissioning".into());
    commission.disposition = Some("active".into());
    let mut aggregate = event(EventKind::Aggregation, Action::Add, T0 + 20);
    aggregate.parent_id = Some(case.clone());
    aggregate.epcs = (0..20)
        .map(|p| format!("urn:epc:id:sgtin:9506000.013435.S{:09}", 840 + p))
        .collect();
    aggregate.biz_step = Some("packing".into());
    aggregate.disposition = Some("in_progress".into());
    let mut observe = event(EventKind::Object, Action::Observe, T0 + 21);
    observe.epcs = vec![case];
    observe.biz_step = Some("inspecting".into());
    observe.persistent_disposition = Some(PersistentDisposition {
        set: vec!["completeness_verified".into()],
        unset: Vec::new(),
    });
    [
        ("commission (1 SSCC)", commission),
        ("aggregation (20 SGTINs)", aggregate),
        ("observe (1 SSCC)", observe),
    ]
    .into_iter()
    .map(|(name, e)| {
        let (body, id) = stored(e);
        (name, body, id)
    })
    .collect()
}

/// What `audit verify` does per event: parse the body, recompute its hash ID, read its
/// eventID and the trail's head it carries.
fn recompute(body: &str) -> String {
    let anchor = format!("pb:{}", packbench::station::AUDIT_ANCHOR_FIELD);
    check_stored_jsonld(body, &["eventID", &anchor])
        .unwrap()
        .hash_ids
        .swap_remove(0)
}

/// The same through a `serde_json::Value` (what callers that already hold one use).
fn recompute_from_value(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    hash_ids_from_json(&value).unwrap().swap_remove(0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds: u32 = if full { 20_000 } else { 200 };
    let bodies = bodies();
    for (name, body, id) in &bodies {
        assert_eq!(&recompute(body), id, "{name}: the body must hash to its ID");
        assert_eq!(
            &recompute_from_value(body),
            id,
            "{name}: the same from a Value"
        );
    }
    for (name, body, _) in &bodies {
        let t = Instant::now();
        for _ in 0..rounds {
            black_box(recompute(black_box(body)));
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
        println!(
            "{name}: {us:.2} µs per event ({} bytes of body)",
            body.len()
        );
    }
    let t = Instant::now();
    for _ in 0..rounds {
        for (_, body, _) in &bodies {
            black_box(recompute(black_box(body)));
        }
    }
    let per_event = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds) / 3.0;
    println!(
        "the verify database's mix (one of each per case): {per_event:.2} µs per event, \
         {:.2} s of one core for its 150,000 events",
        per_event * 150_000.0 / 1e6
    );
    let t = Instant::now();
    for _ in 0..rounds {
        for (_, body, _) in &bodies {
            black_box(recompute_from_value(black_box(body)));
        }
    }
    let per_event = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds) / 3.0;
    println!("the same mix parsed into a serde_json::Value first: {per_event:.2} µs per event");
}
