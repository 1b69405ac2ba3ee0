//! The real QU4RTET repository (an open-source EPCIS 1.2 pharma repository) that `scripts/test`
//! starts with `scripts/qu4rtet` and announces in `QU4RTET_URL` / `QU4RTET_TOKEN`.
//!
//! A QU4RTET test without QU4RTET fails: a test whose real part is missing has proven nothing.
//! Skipping is a decision, said explicitly with `PACKBENCH_SKIP_QU4RTET=1`, and `scripts/test`
//! prints that it was taken.

use packbench::sync::{Auth, RepositoryConfig, RepositoryKind};

/// The switch that skips the QU4RTET tests on purpose.
pub const SKIP_SWITCH: &str = "PACKBENCH_SKIP_QU4RTET";

/// The repository's URL, `None` when the QU4RTET tests are switched off; panics when QU4RTET
/// was neither started nor switched off.
pub fn url() -> Option<String> {
    if let Ok(url) = std::env::var("QU4RTET_URL") {
        return Some(url);
    }
    if std::env::var(SKIP_SWITCH).as_deref() == Ok("1") {
        return None;
    }
    panic!(
        "QU4RTET_URL is not set: run the tests with scripts/test (it starts QU4RTET through \
         scripts/qu4rtet), or set {SKIP_SWITCH}=1 to skip the QU4RTET tests on purpose"
    );
}

/// The workstation's token (`scripts/qu4rtet` seeds a fixed test token).
pub fn token() -> String {
    std::env::var("QU4RTET_TOKEN")
        .unwrap_or_else(|_| "0123456789abcdef0123456789abcdef01234567".to_owned())
}

/// The station's connection to QU4RTET, `None` when the QU4RTET tests are switched off.
pub fn config() -> Option<RepositoryConfig> {
    let url = url()?;
    let mut c = RepositoryConfig::new(
        RepositoryKind::Qu4rtet,
        &url,
        Auth::Token { token: token() },
    );
    // QU4RTET is slow on large documents (about 3 ms per EPC) on a busy 2-core machine.
    c.timeout_ms = 120_000;
    c.batch_events = 50;
    Some(c)
}

/// QU4RTET's superuser (it writes master data; the workstation's token may only read it).
pub fn admin_config(url: &str) -> RepositoryConfig {
    RepositoryConfig::new(
        RepositoryKind::Qu4rtet,
        url,
        Auth::Basic {
            user: std::env::var("QU4RTET_ADMIN_USER").unwrap_or_else(|_| "admin".to_owned()),
            password: std::env::var("QU4RTET_ADMIN_PASSWORD")
                .unwrap_or_else(|_| "admin-pass".to_owned()),
        },
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The packaging line commissions packs (upstream of the bench): QU4RTET refuses to pack an
/// EPC it never saw commissioned.
pub fn commission(q: &packbench::sync::Qu4rtet, epcs: &[String]) {
    use packbench::epcis::{Action, Event, EventKind, document_xml12, event_hash_id};
    let mut e = Event::new(EventKind::Object, Action::Add, now() - 60_000, "+00:00");
    e.epcs = epcs.to_vec();
    e.biz_step = Some("commissioning".into());
    e.disposition = Some("active".into());
    e.read_point = Some("urn:epc:id:sgln:9506000.00000.9".into());
    e.event_id = Some(event_hash_id(&e));
    let r = q
        .http()
        .send(
            "POST",
            "/capture/quartet-capture/?rule=EPCIS&run-immediately=true",
            &[("Content-Type", "application/xml")],
            Some(document_xml12(&[e], now()).as_bytes()),
        )
        .unwrap();
    assert!(
        r.status < 300,
        "commissioning refused: {} {}",
        r.status,
        r.body
    );
}

/// QU4RTET's ledger entry of an EPC — (its id, its parent's id, decommissioned) — or `None`
/// when QU4RTET has none.
pub fn entry(q: &packbench::sync::Qu4rtet, epc: &str) -> Option<(String, Option<String>, bool)> {
    let r = q
        .http()
        .send(
            "GET",
            &format!("/epcis/entries/?search={epc}&format=json"),
            &[],
            None,
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let hit = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["identifier"] == epc)?
        .clone();
    let id = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    Some((
        id(&hit["id"]),
        (!hit["parent_id"].is_null()).then(|| id(&hit["parent_id"])),
        hit["decommissioned"].as_bool().unwrap_or(false),
    ))
}

/// Drains the outbox of `dir` once into the repository of `cfg` (no backoff waits).
pub fn sync_all(dir: &std::path::Path, cfg: &RepositoryConfig) -> packbench::sync::DrainReport {
    use packbench::sync::{Backoff, DrainOptions, connect, drain};
    let mut store = packbench::store::Store::open_dir(dir).unwrap();
    let mut repo = connect(cfg).unwrap();
    let options = DrainOptions {
        backoff: Backoff {
            initial_ms: 1,
            max_ms: 4,
        },
        max_events: cfg.batch_events,
        respect_backoff: false,
    };
    drain(&mut store, repo.as_mut(), options, &mut now, &mut |_| {}).unwrap()
}
