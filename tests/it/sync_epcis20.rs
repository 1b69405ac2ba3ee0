//! Sync against an EPCIS 2.0 capture server that follows the openapi contract and validates
//! every document against the official JSON schema; fault tests through a proxy on 127.0.0.1.
//! After every test the repository holds each local event exactly once (by hash ID and
//! error-declaration flag) and the outbox is empty.

use crate::harness::repo::proxy::{Fault, Proxy};
use crate::harness::repo::server::Server;
use crate::harness::station::*;
use packbench::store::Store;
use packbench::sync::{
    Auth, Backoff, DrainOptions, DrainReport, RepositoryConfig, RepositoryKind, Rest20, SyncWorker,
    connect, drain, outbox_status, query_events, requeue_parked, unit_state,
};
use std::path::Path;

const TOKEN: &str = "test-bearer-token";

/// The client's timeout: far above what any answer of the test server takes, however busy the
/// machine. The fault that makes the client time out is a proxy that never answers (it
/// holds the connection until the client gives up), so no test depends on the server being
/// fast or on the client giving up soon.
const CLIENT_TIMEOUT_MS: u64 = 10_000;

fn config(url: &str) -> RepositoryConfig {
    let mut c = RepositoryConfig::new(
        RepositoryKind::Epcis20,
        url,
        Auth::Bearer {
            token: TOKEN.into(),
        },
    );
    c.timeout_ms = CLIENT_TIMEOUT_MS;
    c.batch_events = 50;
    c
}

fn options(max_events: usize) -> DrainOptions {
    DrainOptions {
        backoff: Backoff {
            initial_ms: 1,
            max_ms: 4,
        },
        max_events,
        respect_backoff: false,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn drain_once(dir: &Path, cfg: &RepositoryConfig) -> DrainReport {
    let mut store = Store::open_dir(dir).unwrap();
    let mut repo = connect(cfg).unwrap();
    drain(
        &mut store,
        repo.as_mut(),
        options(cfg.batch_events),
        &mut now,
        &mut |_| {},
    )
    .unwrap()
}

/// Polls `done` (which also says where things stand) until it holds; fails after [`DEADLINE`].
fn wait_until(what: &str, mut done: impl FnMut() -> (bool, String)) {
    let deadline = std::time::Instant::now() + DEADLINE;
    loop {
        let (ok, state) = done();
        if ok {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {what} within {DEADLINE:?}: {state}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Drains until the outbox has nothing queued (bounded).
fn drain_until_empty(dir: &Path, cfg: &RepositoryConfig) -> Vec<DrainReport> {
    let mut reports = Vec::new();
    for _ in 0..50 {
        reports.push(drain_once(dir, cfg));
        if counts(dir).0 == 0 {
            return reports;
        }
    }
    panic!("outbox not drained after 50 rounds: {reports:#?}");
}

fn station_with_pallets(tag: &str, pallets: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run_lines(
        dir.path(),
        &format!("{SETUP}\n{}", pallet_lines(tag, 100, pallets)),
    );
    dir
}

fn assert_exactly_once(dir: &Path, server: &Server) {
    let local = local_event_keys(dir);
    let remote = server.keys();
    assert_eq!(
        remote, local,
        "repository must hold every local event exactly once, in order"
    );
    let mut unique = remote.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), remote.len(), "duplicates in the repository");
    let (queued, _, parked) = counts(dir);
    assert_eq!((queued, parked), (0, 0), "outbox not empty");
    assert!(server.state.lock().unwrap().schema_errors.is_empty());
}

#[test]
fn pallets_with_a_correction_sync_exactly_once_in_valid_documents() {
    let server = Server::start(40, Some(TOKEN));
    let dir = station_with_pallets("A", 3);
    // An undone case close: the error declaration has the original eventID and must not be
    // swallowed by idempotency. The close is synced first (an undo of a close that never left
    // withdraws both instead, see `undo_repository`).
    let session = |lines: &[String]| {
        let setup: Vec<&str> = SETUP
            .lines()
            .filter(|l| l.contains("\"login\"") || l.contains("select_work_order"))
            .collect();
        format!("{}\n{}", setup.join("\n"), lines.join("\n"))
    };
    let close = [
        format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(900)),
        format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("A", 100)),
        format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("A", 101)),
        format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("A", 102)),
    ];
    run_lines(dir.path(), &session(&close));
    let first = drain_once(dir.path(), &config(&server.url));
    assert_eq!(first.stopped_by, None);
    let undo = [
        r#"{"cmd":"undo"}"#.to_owned(),
        format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("A", 102)),
    ];
    run_lines(dir.path(), &session(&undo));
    let local = local_event_keys(dir.path());
    assert!(
        local.iter().any(|(_, c)| *c),
        "the undo recorded a correction"
    );
    let (queued, _, _) = counts(dir.path());
    let report = drain_once(dir.path(), &config(&server.url));
    assert_eq!(report.stopped_by, None);
    assert_eq!(report.delivered_rows as i64, queued);
    assert_eq!(
        first.delivered_events + report.delivered_events,
        local.len()
    );
    // Bounded documents of whole commands: the capture limit (40) was respected.
    assert!(first.documents + report.documents >= local.len().div_ceil(40));
    assert_exactly_once(dir.path(), &server);
    let corrections = server.keys().iter().filter(|(_, c)| *c).count();
    assert_eq!(corrections, local.iter().filter(|(_, c)| *c).count());
    assert!(corrections > 0);
    // A second drain has nothing to do.
    assert_eq!(drain_once(dir.path(), &config(&server.url)).documents, 0);
}

#[test]
fn faults_lose_nothing_and_duplicate_nothing() {
    let server = Server::start(1_000, Some(TOKEN));
    let proxy = Proxy::start(&server.url);
    let dir = station_with_pallets("B", 4);
    let mut cfg = config(&proxy.url);
    cfg.batch_events = 8;
    // OPTIONS, then POSTs and job polls: each fault hits the next request.
    proxy.push_for("OPTIONS", &[Fault::Drop]);
    proxy.push_for(
        "POST",
        &[
            Fault::Drop,
            Fault::Status(503),
            Fault::Status(500),
            Fault::Stall,
            Fault::LoseResponse,
        ],
    );
    proxy.push_for("GET", &[Fault::LoseResponse, Fault::Drop]);
    let mut rounds = 0;
    while counts(dir.path()).0 > 0 {
        rounds += 1;
        assert!(rounds < 60, "not drained");
        if proxy.pending_faults() == 0 && rounds % 3 == 0 {
            // More faults while the backlog drains: lose the answer of a capture (the server
            // applied it) and of a job poll.
            proxy.push_for("POST", &[Fault::LoseResponse]);
        }
        let report = drain_once(dir.path(), &cfg);
        if report.stopped_by.is_some() {
            let st = outbox_status(Store::open_dir(dir.path()).unwrap().conn()).unwrap();
            assert!(
                st.last_error.is_some(),
                "the failure is recorded on the head row"
            );
        }
    }
    assert_eq!(
        proxy.pending_faults(),
        0,
        "every injected fault was hit: {:?} {:?}",
        proxy.faults.lock().unwrap(),
        proxy.seen.lock().unwrap()
    );
    assert_exactly_once(dir.path(), &server);
    assert!(
        server.state.lock().unwrap().duplicates > 0,
        "a lost response was re-sent and recognised as already captured"
    );
}

#[test]
fn repository_down_at_start_keeps_everything_queued_then_delivers() {
    let server = Server::start(1_000, Some(TOKEN));
    let proxy = Proxy::start(&server.url);
    *proxy.down.lock().unwrap() = true;
    let dir = station_with_pallets("C", 1);
    let cfg = config(&proxy.url);
    let before = counts(dir.path());
    let report = drain_once(dir.path(), &cfg);
    assert!(report.stopped_by.is_some());
    assert_eq!(counts(dir.path()), before);
    let st = outbox_status(Store::open_dir(dir.path()).unwrap().conn()).unwrap();
    assert_eq!(st.head_attempts, 1);
    assert!(st.last_error.unwrap().contains("unreachable"));
    *proxy.down.lock().unwrap() = false;
    drain_until_empty(dir.path(), &cfg);
    assert_exactly_once(dir.path(), &server);
}

#[test]
fn wrong_credentials_are_retried_not_parked() {
    let server = Server::start(1_000, Some(TOKEN));
    let dir = station_with_pallets("D", 1);
    let mut cfg = config(&server.url);
    cfg.auth = Auth::Bearer {
        token: "wrong".into(),
    };
    let report = drain_once(dir.path(), &cfg);
    assert!(report.stopped_by.unwrap().contains("401"));
    assert_eq!(
        counts(dir.path()).2,
        0,
        "nothing parked for an auth problem"
    );
    drain_until_empty(dir.path(), &config(&server.url));
    assert_exactly_once(dir.path(), &server);
}

#[test]
fn a_rejected_command_is_parked_and_other_containers_keep_flowing() {
    let server = Server::start(1_000, Some(TOKEN));
    let dir = station_with_pallets("E", 2);
    // The repository refuses documents naming one pack of pallet 1.
    server
        .state
        .lock()
        .unwrap()
        .refuse_epcs
        .insert(pack_epc("E", 2));
    let cfg = config(&server.url);
    let report = drain_once(dir.path(), &cfg);
    assert_eq!(report.parked_rows, 1);
    let st = outbox_status(Store::open_dir(dir.path()).unwrap().conn()).unwrap();
    assert_eq!(st.parked, 1);
    assert!(st.parked_rows[0].error.contains("refused EPC"), "{st:?}");
    // The pallet holding that case waits (same EPCs); pallet 2 went through.
    assert!(st.held >= 1 && st.queued == st.held, "{st:?}");
    let remote = server.keys();
    let pallet2 = sscc_epc(1_101);
    assert!(
        server
            .state
            .lock()
            .unwrap()
            .events
            .iter()
            .any(|(_, _, e)| e["parentID"] == pallet2.as_str()),
        "pallet 2 ({pallet2}) delivered while pallet 1 is parked: {:#?} {st:?}",
        server
            .state
            .lock()
            .unwrap()
            .events
            .iter()
            .map(|(_, _, e)| (
                e["type"].clone(),
                e["parentID"].clone(),
                e["epcList"].clone()
            ))
            .collect::<Vec<_>>()
    );
    assert!(!remote.is_empty());
    // The administrator fixes the repository side and retries the parked command.
    server.state.lock().unwrap().refuse_epcs.clear();
    let mut store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(
        requeue_parked(
            &mut store,
            None,
            "admin",
            Some("EPC fixed at the repository"),
            now()
        )
        .unwrap(),
        1
    );
    // Parking and un-parking are in the audit chain, with the server's message and the
    // administrator's reason; the chain still verifies.
    let audit: Vec<(String, String, Option<String>, Option<String>)> = store
        .conn()
        .raw_sqlite()
        .prepare("SELECT username, action, target, reason FROM audit WHERE action LIKE 'sync_%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let parked_target = format!("outbox:{}", st.parked_rows[0].command_id);
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(
        (audit[0].0.as_str(), audit[0].1.as_str()),
        ("sync", "sync_park")
    );
    assert_eq!(audit[0].2.as_deref(), Some(parked_target.as_str()));
    assert!(audit[0].3.as_deref().unwrap().contains("refused EPC"));
    assert_eq!(
        (
            audit[1].0.as_str(),
            audit[1].1.as_str(),
            audit[1].3.as_deref()
        ),
        (
            "admin",
            "sync_retry_parked",
            Some("EPC fixed at the repository")
        )
    );
    assert!(packbench::auth::verify_audit(store.conn()).unwrap().is_ok());
    drop(store);
    drain_until_empty(dir.path(), &cfg);
    // Same events, though not in commit order (pallet 2 went first).
    let mut local = local_event_keys(dir.path());
    let mut remote = server.keys();
    local.sort();
    remote.sort();
    assert_eq!(remote, local);
}

#[test]
fn worker_thread_restarted_mid_sync_delivers_exactly_once() {
    let server = Server::start(1_000, Some(TOKEN));
    let proxy = Proxy::start(&server.url);
    let dir = station_with_pallets("F", 5);
    let mut cfg = config(&proxy.url);
    cfg.batch_events = 3;
    cfg.backoff_initial_ms = 5;
    cfg.backoff_max_ms = 20;
    proxy.push_for("POST", &[Fault::LoseResponse]);
    let total = counts(dir.path()).0;
    let worker = SyncWorker::start(dir.path(), cfg.clone(), 5).unwrap();
    wait_until("a third of the outbox sent", || {
        (
            counts(dir.path()).1 >= total / 3,
            format!("{:?}", worker.status()),
        )
    });
    worker.stop();
    // The station restarts: a new worker on a new connection, with one more lost answer.
    proxy.push_for("POST", &[Fault::LoseResponse]);
    let worker = SyncWorker::start(dir.path(), cfg, 5).unwrap();
    wait_until("the outbox drained", || {
        let status = worker.status();
        (
            status.outbox.queued == 0 && status.outbox.sent == total,
            format!("{status:?}"),
        )
    });
    worker.stop();
    assert_exactly_once(dir.path(), &server);
}

#[test]
fn unit_state_is_pulled_with_get_events_across_pages() {
    let server = Server::start(1_000, Some(TOKEN));
    let dir = station_with_pallets("G", 2);
    let cfg = config(&server.url);
    drain_until_empty(dir.path(), &cfg);
    let repo = Rest20::new(&cfg).unwrap();

    // Every event naming case 1 (commissioned, packed, put on the pallet, ...), one per page:
    // the Link header is followed to the end.
    let before = server.state.lock().unwrap().queries;
    let all = query_events(repo.http(), &[("MATCH_anyEPC", &sscc_epc(100))], 1).unwrap();
    let pages = server.state.lock().unwrap().queries - before;
    assert!(all.events.len() >= 3, "{all:?}");
    assert_eq!(all.pages, all.events.len());
    assert_eq!(pages, all.pages);

    let case = sscc_epc(100);
    let pallet = sscc_epc(1_100);
    let pack = unit_state(repo.http(), &pack_epc("G", 1), 1).unwrap();
    assert_eq!(pack.parent.as_deref(), Some(case.as_str()), "{pack:?}");
    let c = unit_state(repo.http(), &case, 2).unwrap();
    assert_eq!(c.parent.as_deref(), Some(pallet.as_str()), "{c:?}");
    assert_eq!(c.children.len(), 3, "{c:?}");
    assert_eq!(c.disposition.as_deref(), Some("in_progress"));

    // Unpack the case at the bench, sync, and ask again: the "unpack all" names no child, so
    // the pack's state comes from its parent's events.
    let lines = [
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned(),
        r#"{"cmd":"select_work_order","id":"WO-1"}"#.to_owned(),
        format!(r#"{{"cmd":"unpack","scan":"(00){}"}}"#, sscc(100)),
    ];
    run_lines(dir.path(), &lines.join("\n"));
    drain_until_empty(dir.path(), &cfg);
    let pack = unit_state(repo.http(), &pack_epc("G", 1), 2).unwrap();
    assert_eq!(pack.parent, None, "{pack:?}");
    assert_eq!(
        pack.events, 2,
        "packed, then unpacked with its case: {pack:?}"
    );
    assert_eq!(pack.biz_step.as_deref(), Some("unpacking"));
    let c = unit_state(repo.http(), &case, 50).unwrap();
    assert!(c.children.is_empty(), "{c:?}");
    // A unit the repository never saw.
    let none = unit_state(repo.http(), &pack_epc("G", 999), 10).unwrap();
    assert_eq!(none.events, 0);
}

#[test]
fn stored_bodies_are_spliced_into_valid_capture_documents() {
    // A capture limit that splits the backlog: every document is schema-checked by the server,
    // and the events arrive byte-for-byte as stored (same eventIDs, same order).
    let server = Server::start(7, Some(TOKEN));
    let dir = station_with_pallets("H", 2);
    let report = drain_once(dir.path(), &config(&server.url));
    assert_eq!(report.stopped_by, None);
    assert!(report.documents >= 2, "{report:?}");
    assert_exactly_once(dir.path(), &server);
    let store = Store::open_dir(dir.path()).unwrap();
    let stored: Vec<serde_json::Value> = store
        .conn()
        .raw_sqlite()
        .prepare("SELECT body FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|b| serde_json::from_str::<serde_json::Value>(&b.unwrap()).unwrap()["epcisBody"]["eventList"][0].clone())
        .collect();
    let remote: Vec<serde_json::Value> = server
        .state
        .lock()
        .unwrap()
        .events
        .iter()
        .map(|(_, _, e)| e.clone())
        .collect();
    assert_eq!(remote, stored);
}

fn cli(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_packbench"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REPO_TOKEN", TOKEN)
        .env("PACKBENCH_PASSWORD", "admin-pass-1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_status_lists_parked_retry_parked_is_audited_and_pull_asks_the_repository() {
    let server = Server::start(1_000, Some(TOKEN));
    let dir = station_with_pallets("J", 1);
    server
        .state
        .lock()
        .unwrap()
        .refuse_epcs
        .insert(pack_epc("J", 2));
    let url = server.url.clone();
    let (code, _, err) = cli(
        dir.path(),
        &[
            "sync",
            "--configure",
            "epcis20",
            "--url",
            &url,
            "--token-env",
            "REPO_TOKEN",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(dir.path(), &["sync", "--once"]);
    assert_eq!(
        code, 1,
        "a parked command leaves the outbox not empty: {err}"
    );
    let (code, status, _) = cli(dir.path(), &["sync", "status"]);
    assert_eq!(code, 0);
    let parked = status["outbox"]["parked_rows"].as_array().unwrap();
    assert_eq!(parked.len(), 1, "{status}");
    assert!(parked[0]["error"].as_str().unwrap().contains("refused EPC"));
    let id = parked[0]["command_id"].as_i64().unwrap().to_string();

    // Wrong credentials are refused; the administrator may retry, and pushes at once.
    server.state.lock().unwrap().refuse_epcs.clear();
    let (code, _, err) = cli(
        dir.path(),
        &["sync", "retry-parked", &id, "--user", "nobody"],
    );
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = cli(
        dir.path(),
        &[
            "sync",
            "retry-parked",
            &id,
            "--user",
            "admin",
            "--reason",
            "fixed",
            "--push",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, status, _) = cli(dir.path(), &["sync", "status"]);
    assert_eq!(status["outbox"]["parked"], 0, "{status}");
    assert_eq!(status["outbox"]["queued"], 0, "{status}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_packbench"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let store = Store::open_dir(dir.path()).unwrap();
    let actions: Vec<String> = store
        .conn()
        .raw_sqlite()
        .prepare(
            "SELECT action || ':' || username FROM audit WHERE action LIKE 'sync_%' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["sync_park:sync", "sync_retry_parked:admin"]);

    // The repository's view of a case, through `sync pull`.
    let case = sscc_epc(100);
    let (code, pulled, err) = cli(dir.path(), &["sync", "pull", "--epc", &case, "--events"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        pulled["state"]["parent"],
        sscc_epc(1_100).as_str(),
        "{pulled}"
    );
    assert_eq!(pulled["state"]["children"].as_array().unwrap().len(), 3);
    assert!(pulled["events"].as_array().unwrap().len() >= 3);
    let (code, _, _) = cli(dir.path(), &["sync", "pull", "--epc", &pack_epc("J", 999)]);
    assert_eq!(code, 1, "unknown to the repository");
}
