//! Sync benchmark: events/s draining an outbox backlog, against the EPCIS 2.0 test server (the
//! schema-validating contract double of the tests) and, when `QU4RTET_URL` is set, against
//! QU4RTET.
//!
//! `cargo bench --bench sync`: 10,000 events against the 2.0 server, 600 against QU4RTET
//! (about 3 ms per EPC there; the figure is extrapolated per event, not per backlog). Under
//! `cargo test` it runs a tiny smoke version.

// A benchmark harness: a failed setup step must stop the run loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

/// The tests' EPCIS 2.0 capture server (a schema-validating double of the openapi contract).
// The bench starts the server only; the tests use the rest of it.
#[allow(dead_code)]
#[path = "../tests/it/harness/repo/mod.rs"]
mod repo;

use packbench::epcis::{Action, Event, EventKind, document_jsonld, event_hash_id};
use packbench::store::{
    EventRole, Store, StoredEvent, insert_command, insert_event, insert_outbox,
};
use packbench::sync::{
    Auth, Backoff, DrainOptions, RepositoryConfig, RepositoryKind, connect, drain,
};
use std::path::Path;
use std::time::Instant;

const EVENTS_PER_COMMAND: usize = 2;

/// A tag that makes this run's serials differ from an earlier run's (QU4RTET keeps them).
fn unique_tag() -> String {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        / 1000;
    format!("T{:08}", micros % 100_000_000)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A backlog of `events` commissioning events (2 per station command), written like the
/// station writes them (one-event JSON-LD bodies, hash IDs, an outbox row per command).
fn backlog(dir: &Path, events: usize, tag: &str) {
    let mut store = Store::open_dir(dir).unwrap();
    let tx = store.begin().unwrap();
    let t0 = now() - 3_600_000;
    for c in 0..events.div_ceil(EVENTS_PER_COMMAND) {
        let cmd = insert_command(&tx, "scan", "bench", t0, None, None, "{}", None).unwrap();
        for seq in 0..EVENTS_PER_COMMAND {
            let i = c * EVENTS_PER_COMMAND + seq;
            let t = t0 + i as i64;
            let mut e = Event::new(EventKind::Object, Action::Add, t, "+00:00");
            let epc = format!("urn:epc:id:sgtin:9506000.013435.{tag}{i:06}");
            e.epcs.push(epc.clone());
            e.biz_step = Some("commissioning".into());
            e.disposition = Some("active".into());
            e.read_point = Some("urn:epc:id:sgln:9506000.00000.1".into());
            let hash = event_hash_id(&e);
            e.event_id = Some(hash.clone());
            let body = document_jsonld(&[e], t);
            insert_event(
                &tx,
                &StoredEvent {
                    command_id: cmd,
                    seq: seq as u32,
                    hash_id: &hash,
                    role: EventRole::Event,
                    event_time_ms: t,
                    body: &body,
                    epcs: &[epc],
                },
            )
            .unwrap();
        }
        insert_outbox(&tx, cmd, t0).unwrap();
    }
    tx.commit().unwrap();
}

fn run(name: &str, config: &RepositoryConfig, events: usize, tag: &str) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    backlog(dir.path(), events, tag);
    let mut store = Store::open_dir(dir.path()).unwrap();
    let mut repo = connect(config).unwrap();
    let options = DrainOptions {
        backoff: Backoff {
            initial_ms: 10,
            max_ms: 100,
        },
        max_events: config.batch_events,
        respect_backoff: false,
    };
    let start = Instant::now();
    let report = drain(&mut store, repo.as_mut(), options, &mut now, &mut |_| {}).unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(report.stopped_by, None, "{name}: {report:?}");
    assert_eq!(
        report.delivered_events,
        events.div_ceil(EVENTS_PER_COMMAND) * EVENTS_PER_COMMAND
    );
    let rate = report.delivered_events as f64 / secs;
    println!(
        "sync {name}: {} events in {} documents, {secs:.2} s = {rate:.0} events/s",
        report.delivered_events, report.documents
    );
    (rate, secs)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let events = if full { 10_000 } else { 200 };
    let server = repo::server::Server::start(500, Some("bench"));
    let mut cfg = RepositoryConfig::new(
        RepositoryKind::Epcis20,
        &server.url,
        Auth::Bearer {
            token: "bench".into(),
        },
    );
    cfg.batch_events = 500;
    let (_, secs) = run(
        "EPCIS 2.0 test server (schema-validated)",
        &cfg,
        events,
        "B",
    );
    let server_secs = server.state.lock().unwrap().capture_ns as f64 / 1e9;
    let client_secs = (secs - server_secs).max(1e-9);
    println!(
        "sync EPCIS 2.0: server busy {server_secs:.2} s (JSON schema validation); client side {client_secs:.2} s = {:.0} events/s",
        events as f64 / client_secs
    );
    assert!(server.state.lock().unwrap().schema_errors.is_empty());
    assert_eq!(server.keys().len(), events);

    match std::env::var("QU4RTET_URL") {
        Ok(url) => {
            let token = std::env::var("QU4RTET_TOKEN")
                .unwrap_or_else(|_| "0123456789abcdef0123456789abcdef01234567".to_owned());
            let mut q = RepositoryConfig::new(RepositoryKind::Qu4rtet, &url, Auth::Token { token });
            q.batch_events = 200;
            q.timeout_ms = 300_000;
            let n = if full { 600 } else { 20 };
            let tag = unique_tag();
            let (rate, _) = run("QU4RTET (EPCIS 1.2)", &q, n, &tag);
            println!(
                "sync QU4RTET: a 10,000-event backlog would take about {:.0} s at this rate",
                10_000.0 / rate
            );
        }
        Err(_) => println!("sync QU4RTET: skipped (QU4RTET_URL not set)"),
    }
}
