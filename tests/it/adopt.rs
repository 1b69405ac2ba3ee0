//! Two benches on one repository (issue 13), end to end as a site runs them: the real binary
//! (`packbench station --headless`, `packbench sync --configure`, `packbench sync --once`),
//! two data directories, and a real repository of each kind — the EPCIS 2.0 test server and
//! the real QU4RTET. The line commissions the packs (with lot and expiry in the ILMD); bench A
//! packs a pallet and syncs; bench B takes it in by scanning one of its packs, reworks it and
//! syncs after every command; A finds its copy stale, takes it in again, and works on. In
//! the end the repository's own view of every unit (QU4RTET's ledger; the EPCIS 2.0 replay)
//! equals both stations', nothing is parked or held, and a further sync sends nothing.
//!
//! Also: `NOT_IN_REPOSITORY`, `UNSENT_CHANGES`, `STALE_HIERARCHY`, and `UNVERIFIED_OFFLINE`
//! when the repository is down.

use crate::harness::qu4rtet;
use crate::harness::repo::server::Server;
use crate::harness::station::{BIN, Headless, SETUP, pack_epc, pack_scan, sscc, sscc_epc};
use crate::harness::truth::{Truth, truth};
use packbench::sync::{Auth, Http, RepositoryConfig, RepositoryKind};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const TOKEN: &str = "bench-token-13";
const TOKEN_ENV: &str = "PB_TEST_REPO_TOKEN";
const SIGN: &str = r#"{"user":"sup","password":"sup-pass-1"}"#;

/// Pack serial tags and SSCC serial references of this run, from a seed (printed, so a
/// failure can be replayed with `PACKBENCH_TEST_SEED`).
fn seed() -> u64 {
    let seed = std::env::var("PACKBENCH_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("adopt: PACKBENCH_TEST_SEED={seed}");
    seed
}

struct Repo {
    config: RepositoryConfig,
    /// `--configure` value.
    kind: &'static str,
    token: String,
    _server: Option<Server>,
}

fn epcis20() -> Repo {
    let server = Server::start(1_000, Some(TOKEN));
    Repo {
        config: RepositoryConfig::new(
            RepositoryKind::Epcis20,
            &server.url,
            Auth::Bearer {
                token: TOKEN.to_owned(),
            },
        ),
        kind: "epcis20",
        token: TOKEN.to_owned(),
        _server: Some(server),
    }
}

fn quartet() -> Option<Repo> {
    let config = qu4rtet::config()?;
    Some(Repo {
        config,
        kind: "qu4rtet",
        token: qu4rtet::token(),
        _server: None,
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The packaging line commissions packs, with lot and expiry in the ILMD.
fn line_commissions(repo: &Repo, epcs: &[String]) {
    let http = Http::new(&repo.config).unwrap();
    let time = now_ms() - 3_600_000;
    let reply = match repo.config.kind {
        RepositoryKind::Epcis20 => {
            let t = time::OffsetDateTime::from_unix_timestamp(time / 1000)
                .unwrap()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
            let doc = json!({
                "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": t,
                "epcisBody": {"eventList": [{
                    "type": "ObjectEvent",
                    "eventTime": t,
                    "eventTimeZoneOffset": "+00:00",
                    "eventID": format!("urn:uuid:00000000-0000-4000-8000-{:012x}", time),
                    "epcList": epcs,
                    "action": "ADD",
                    "bizStep": "commissioning",
                    "disposition": "active",
                    "ilmd": {
                        "cbvmda:lotNumber": "LOT42",
                        "cbvmda:itemExpirationDate": "2027-12-31"
                    }
                }]}
            });
            http.send(
                "POST",
                "/capture",
                &[
                    ("Content-Type", "application/ld+json"),
                    ("GS1-Capture-Error-Behaviour", "rollback"),
                ],
                Some(doc.to_string().as_bytes()),
            )
            .unwrap()
        }
        RepositoryKind::Qu4rtet => {
            let t = time::OffsetDateTime::from_unix_timestamp(time / 1000)
                .unwrap()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
            let list: String = epcs.iter().map(|e| format!("<epc>{e}</epc>")).collect();
            let doc = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="1.2" creationDate="{t}">
<EPCISBody><EventList><ObjectEvent>
<eventTime>{t}</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
<epcList>{list}</epcList><action>ADD</action>
<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
<disposition>urn:epcglobal:cbv:disp:active</disposition>
<extension><ilmd><cbvmda:lotNumber>LOT42</cbvmda:lotNumber><cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></extension>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"#
            );
            http.send(
                "POST",
                "/capture/quartet-capture/?rule=EPCIS&run-immediately=true",
                &[("Content-Type", "application/xml")],
                Some(doc.as_bytes()),
            )
            .unwrap()
        }
    };
    assert!(
        reply.status < 300,
        "the line's commissioning was refused: {} {}",
        reply.status,
        reply.body
    );
}

fn packbench(dir: &Path, args: &[&str], token: &str) -> (i32, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env(TOKEN_ENV, token)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn configure(dir: &Path, repo: &Repo, url: &str) {
    let (code, out) = packbench(
        dir,
        &[
            "sync",
            "--configure",
            repo.kind,
            "--url",
            url,
            "--token-env",
            TOKEN_ENV,
        ],
        &repo.token,
    );
    assert_eq!(code, 0, "configure: {out}");
}

/// `packbench sync --once`: everything delivered.
fn sync_once(dir: &Path, repo: &Repo) {
    let (code, out) = packbench(dir, &["sync", "--once"], &repo.token);
    if code != 0 {
        let (_, status) = packbench(dir, &["sync", "status"], &repo.token);
        panic!("sync --once left rows: {out}\n{status}");
    }
}

fn sync_status(dir: &Path, repo: &Repo) -> Value {
    let (code, out) = packbench(dir, &["sync", "status"], &repo.token);
    assert_eq!(code, 0, "{out}");
    let start = out.find('{').unwrap();
    serde_json::Deserializer::from_str(&out[start..])
        .into_iter::<Value>()
        .next()
        .unwrap()
        .unwrap()
}

/// A bench: the standard set-up, the packer logged in with the work order selected.
fn bench(dir: &Path) -> Headless {
    let mut h = Headless::start(dir);
    h.ok_lines(SETUP);
    h
}

fn reopen(dir: &Path) -> Headless {
    let mut h = Headless::start(dir);
    h.ok_lines(
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}
{"cmd":"select_work_order","id":"WO-1"}"#,
    );
    h
}

fn scan(h: &mut Headless, data: &str) -> Value {
    h.ask(&json!({"cmd": "scan", "data": data}).to_string())
}

fn expect(answer: &Value, code: &str, what: &str) {
    assert_eq!(answer["code"], code, "{what}: {answer}");
}

/// Every unit of a station: EPC → (parent EPC, active). The parent counts once the membership
/// was published (a pack in a case still being filled is not in the repository yet).
fn station_units(dir: &Path) -> BTreeMap<String, Truth> {
    let store = packbench::store::Store::open_dir(dir).unwrap();
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare(
            "SELECT u.epc, CASE WHEN u.published THEN p.epc END, u.status
             FROM units u LEFT JOIN units p ON p.id = u.parent_id",
        )
        .unwrap();
    st.query_map([], |r| {
        let status: String = r.get(2)?;
        Ok((
            r.get::<_, String>(0)?,
            Truth {
                parent: r.get(1)?,
                active: status == "active",
            },
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The repository agrees with the station on every unit the station holds (a unit the
/// repository never heard of must be one the station never published: loose and active).
fn assert_same_truth(repo: &Repo, dir: &Path, who: &str) {
    for (epc, mine) in station_units(dir) {
        match truth(&repo.config, &epc) {
            Some(theirs) => assert_eq!(
                theirs, mine,
                "{who}: {epc}: the repository ({}) and the station disagree",
                repo.kind
            ),
            None => assert!(
                mine.parent.is_none() && mine.active,
                "{who}: {epc} is unknown to the repository but placed at the station: {mine:?}"
            ),
        }
    }
}

/// Bench A packs a pallet (SSCC `base + 2`) of two cases (`base`, `base + 1`) of three packs
/// (`tag` 1–6) and syncs it.
fn pallet_at_a(repo: &Repo, tag: &str, base: u64) -> tempfile::TempDir {
    let a_dir = tempfile::tempdir().unwrap();
    let a = a_dir.path();
    let mut ha = bench(a);
    for (case, range) in [(base, 1..=3), (base + 1, 4..=6)] {
        expect(&scan(&mut ha, &format!("(00){}", sscc(case))), "OK", "case");
        for n in range {
            expect(&scan(&mut ha, &pack_scan(tag, n)), "OK", "pack");
        }
    }
    ha.ok_lines(r#"{"cmd":"new_container","level":"pallet"}"#);
    expect(
        &scan(&mut ha, &format!("(00){}", sscc(base + 2))),
        "OK",
        "pallet",
    );
    for case in [base, base + 1] {
        expect(
            &scan(&mut ha, &format!("(00){}", sscc(case))),
            "OK",
            "case on pallet",
        );
    }
    drop(ha);
    configure(a, repo, &repo.config.url);
    sync_once(a, repo);
    a_dir
}

/// `each`: bench B syncs after every command (as the GUI's worker does); otherwise once, at
/// the end of its work.
fn two_benches(repo: &Repo, each: bool) {
    let seed = seed();
    let tag = format!("B{:07}", seed % 10_000_000);
    let base = 100_000 + (seed / 7) % 800_000_000;
    let packs: Vec<String> = (1..=9).map(|n| pack_epc(&tag, n)).collect();
    line_commissions(repo, &packs);

    // Bench A packs a pallet of two cases of three and syncs.
    let a_dir = pallet_at_a(repo, &tag, base);
    let a = a_dir.path();

    // Bench B has never seen the pallet: removing one of its packs takes it in first.
    let b_dir = tempfile::tempdir().unwrap();
    let b = b_dir.path();
    let mut hb = bench(b);
    drop(hb);
    configure(b, repo, &repo.config.url);
    hb = reopen(b);
    let unknown = format!("(00){}", sscc(base + 500));
    hb.ok_lines(r#"{"cmd":"mode","mode":"receive"}"#);
    expect(
        &scan(&mut hb, &unknown),
        "NOT_IN_REPOSITORY",
        "an SSCC nobody used",
    );
    hb.ok_lines(r#"{"cmd":"mode","mode":"remove"}"#);
    let r = scan(&mut hb, &pack_scan(&tag, 1));
    expect(&r, "OK", "remove a pack of a pallet built at A");
    if each {
        sync_once(b, repo);
    }
    let look = hb.ask(&json!({"cmd":"lookup","scan": pack_scan(&tag, 2)}).to_string());
    assert_eq!(look["data"]["origin"]["origin"], "repository", "{look}");
    assert_eq!(
        look["data"]["unit"]["lot"], "LOT42",
        "lot from the ILMD: {look}"
    );
    assert_eq!(look["data"]["unit"]["expiry"], "271231", "{look}");
    assert_eq!(
        look["data"]["top"],
        format!("(00){}", sscc(base + 2)),
        "{look}"
    );
    let tree = hb.ask(&json!({"cmd":"tree","scan": format!("(00){}", sscc(base + 2))}).to_string());
    let nodes = tree["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1 + 2 + 5, "{tree}");
    assert_eq!(nodes[0]["origin"], "repository", "{tree}");

    // B moves case 2 onto a new pallet, replaces a damaged pack, decommissions one (signed),
    // syncing after every command as the GUI's worker does.
    hb.ok_lines(
        r#"{"cmd":"mode","mode":"pack"}
{"cmd":"new_container","level":"pallet"}"#,
    );
    expect(
        &scan(&mut hb, &format!("(00){}", sscc(base + 3))),
        "OK",
        "new pallet",
    );
    if each {
        sync_once(b, repo);
    }
    let mv = hb.ask(
        &json!({"cmd":"move","scan": format!("(00){}", sscc(base + 1)), "confirm": true})
            .to_string(),
    );
    expect(&mv, "OK", "move case 2 to the new pallet");
    if each {
        sync_once(b, repo);
    }
    let rp = hb.ask(&format!(
        r#"{{"cmd":"replace","damaged":"{}","replacement":"{}","signature":{SIGN}}}"#,
        pack_scan(&tag, 2),
        pack_scan(&tag, 7)
    ));
    expect(&rp, "OK", "replace");
    if each {
        sync_once(b, repo);
    }
    let rt = hb.ask(&format!(
        r#"{{"cmd":"retire","scan":"{}","kind":"decommission","reason":"damaged","signature":{SIGN}}}"#,
        pack_scan(&tag, 5)
    ));
    expect(&rt, "OK", "decommission");
    if each {
        sync_once(b, repo);
    }

    // B undoes a pack scan that had closed a case (its events were already sent when syncing
    // after every command; otherwise both rows are withdrawn).
    hb.ok_lines(r#"{"cmd":"new_container","level":"case"}"#);
    expect(
        &scan(&mut hb, &format!("(00){}", sscc(base + 4))),
        "OK",
        "case 3",
    );
    if each {
        sync_once(b, repo);
    }
    expect(
        &scan(&mut hb, &pack_scan(&tag, 1)),
        "OK",
        "pack 1 into case 3",
    );
    expect(
        &scan(&mut hb, &pack_scan(&tag, 8)),
        "OK",
        "pack 8 into case 3",
    );
    let full = scan(&mut hb, &pack_scan(&tag, 9));
    assert_eq!(full["closed"], true, "the third pack closes case 3: {full}");
    if each {
        sync_once(b, repo);
    }
    let undo = hb.ask(r#"{"cmd":"undo"}"#);
    expect(&undo, "OK", "undo of the scan that closed case 3");
    if each {
        sync_once(b, repo);
    }

    sync_once(b, repo);

    // A's copy is stale now: a change to the pallet is refused until A takes it in again.
    let mut ha = reopen(a);
    let stale = ha.ask(&json!({"cmd":"remove","scan": pack_scan(&tag, 3)}).to_string());
    expect(&stale, "STALE_HIERARCHY", "A removes from a case B changed");
    let refresh = ha.ask(&json!({"cmd":"adopt","scan": pack_scan(&tag, 3)}).to_string());
    expect(&refresh, "OK", "A takes the pallet in again");
    let again = ha.ask(&json!({"cmd":"remove","scan": pack_scan(&tag, 3)}).to_string());
    expect(&again, "OK", "A removes after the refresh");
    // Not synced yet: taking it in again now would lose A's change.
    let unsent = ha.ask(&json!({"cmd":"adopt","scan": format!("(00){}", sscc(base))}).to_string());
    expect(
        &unsent,
        "UNSENT_CHANGES",
        "refresh with a change not yet sent",
    );
    sync_once(a, repo);

    // B refreshes, and everybody agrees.
    for unit in [pack_scan(&tag, 4), format!("(00){}", sscc(base))] {
        let rb = hb.ask(&json!({"cmd":"adopt","scan": unit}).to_string());
        expect(&rb, "OK", "B takes both pallets in again");
    }
    sync_once(b, repo);
    for (dir, who) in [(a, "A"), (b, "B")] {
        assert_same_truth(repo, dir, who);
        let status = sync_status(dir, repo);
        assert_eq!(status["outbox"]["parked"], 0, "{who}: {status}");
        assert_eq!(status["outbox"]["held"], 0, "{who}: {status}");
        assert_eq!(status["outbox"]["queued"], 0, "{who}: {status}");
    }
    let a_units = station_units(a);
    let b_units = station_units(b);
    for (epc, t) in &a_units {
        if let Some(other) = b_units.get(epc) {
            assert_eq!(t, other, "{epc}: A and B disagree");
        }
    }
    assert_eq!(
        a_units.get(&pack_epc(&tag, 3)).map(|t| t.parent.clone()),
        Some(None),
        "pack 3 removed at A"
    );
    assert_eq!(
        b_units
            .get(&sscc_epc(base + 1))
            .and_then(|t| t.parent.clone()),
        Some(sscc_epc(base + 3)),
        "case 2 moved at B"
    );

    // Offline: the repository cannot be asked; the change goes ahead, amber.
    drop(hb);
    configure(b, repo, "http://127.0.0.1:9");
    let mut hb = reopen(b);
    let off = hb.ask(&json!({"cmd":"remove","scan": pack_scan(&tag, 4)}).to_string());
    expect(
        &off,
        "UNVERIFIED_OFFLINE",
        "remove while the repository is down",
    );
    assert_eq!(off["ok"], true, "{off}");
}

#[test]
fn two_benches_on_an_epcis20_repository() {
    two_benches(&epcis20(), true);
}

#[test]
fn two_benches_on_an_epcis20_repository_syncing_once() {
    two_benches(&epcis20(), false);
}

#[test]
fn two_benches_on_qu4rtet() {
    let Some(repo) = quartet() else { return };
    two_benches(&repo, true);
}

#[test]
fn two_benches_on_qu4rtet_syncing_once() {
    let Some(repo) = quartet() else { return };
    two_benches(&repo, false);
}

/// The packer at bench B takes the pallet in through the GUI (Look-up screen → Receive mode →
/// scan), and the tree and the look-up screen say where it came from.
#[test]
fn a_packer_takes_a_pallet_in_and_sees_where_it_came_from() {
    use crate::harness::gui;
    use packbench::station::{Request, Station};
    let repo = epcis20();
    let seed = seed();
    let tag = format!("G{:07}", seed % 10_000_000);
    let base = 100_000 + (seed / 11) % 800_000_000;
    line_commissions(
        &repo,
        &(1..=6).map(|n| pack_epc(&tag, n)).collect::<Vec<_>>(),
    );
    let _a = pallet_at_a(&repo, &tag, base);

    let b_dir = tempfile::tempdir().unwrap();
    crate::harness::station::run_lines(b_dir.path(), SETUP);
    let mut station = Station::open(b_dir.path()).unwrap();
    station.set_repository_link(Some(packbench::sync::link_for(&repo.config).unwrap()));
    for r in [
        Request::Login {
            user: "pat".into(),
            password: "pat-pass-1".into(),
        },
        Request::SelectWorkOrder { id: "WO-1".into() },
    ] {
        assert!(station.execute(r).ok);
    }
    let mut h = gui::screen(gui::app_with(station, "en-US"), gui::BENCH);
    gui::settle(&mut h);
    gui::click(&mut h, "Look-up");
    gui::click(&mut h, "Receive mode");
    assert_eq!(h.state().snapshot.mode, packbench::station::Mode::Receive);
    let pallet = format!("(00){}", sscc(base + 2));
    gui::scan(&mut h, &pallet);
    assert_eq!(gui::code(&h), Some("OK"));
    gui::wait_for(&mut h, "the pallet's tree", |app| {
        app.snapshot.tree.nodes.first().map(|n| n.key.as_str()) == Some(pallet.as_str())
    });
    let nodes = &h.state().snapshot.tree.nodes;
    assert_eq!(nodes.len(), 1 + 2 + 6, "{nodes:?}");
    assert_eq!(nodes[0].origin.as_deref(), Some("repository"));
    assert!(
        gui::shows(&h, "From the repository"),
        "the tree names the origin"
    );

    gui::click(&mut h, "Look-up mode");
    gui::scan(&mut h, &pack_scan(&tag, 4));
    gui::wait_for(&mut h, "the look-up screen", |app| app.lookup.is_some());
    assert!(
        gui::shows(&h, "From the repository"),
        "the look-up names the origin"
    );
    assert!(
        gui::shows(&h, &format!("EPCIS 2.0 REST at {}", repo.config.url)),
        "and the repository"
    );
}

/// A command the repository refused (here: an EPCIS 2.0 repository refusing a document that
/// names one pack) is not hidden in a count: the status bar offers the list, and the list shows
/// the command, who did it and the repository's own message.
#[test]
fn a_command_the_repository_refused_is_listed_with_its_message() {
    use crate::harness::gui;
    use crate::harness::station::{pallet_lines, run_lines};
    let server = Server::start(1_000, None);
    let seed = seed();
    let tag = format!("R{:07}", seed % 10_000_000);
    let base = 100_000 + (seed / 13) % 800_000_000;
    server
        .state
        .lock()
        .unwrap()
        .refuse_epcs
        .insert(pack_epc(&tag, 2));
    let dir = tempfile::tempdir().unwrap();
    run_lines(
        dir.path(),
        &format!("{SETUP}\n{}", pallet_lines(&tag, base, 1)),
    );
    RepositoryConfig::new(RepositoryKind::Epcis20, &server.url, Auth::None)
        .save(dir.path())
        .unwrap();
    let mut h = gui::harness(dir.path());
    gui::wait_for(&mut h, "a parked command", |app| {
        app.sync
            .status
            .as_ref()
            .is_some_and(|s| s.outbox.parked > 0)
    });
    let error = h.state().sync.status.as_ref().unwrap().outbox.parked_rows[0]
        .error
        .clone();
    assert!(error.contains("refused"), "{error}");
    gui::click(&mut h, "1 refused by the repository");
    assert!(h.state().sync.show_parked, "the list is open");
    let help = h.state().i18n.tr("parked-help");
    assert!(gui::shows(&h, &help), "the list says what to do");
    assert!(gui::shows(&h, &error), "the repository's message is shown");
}

/// A change made offline (amber `UNVERIFIED_OFFLINE`) to a hierarchy another bench changed in
/// the meantime is not applied on top of it: the sync asks the repository first and parks the
/// row with the other bench's event named; the repository never receives it.
#[test]
fn a_change_made_offline_over_a_change_made_elsewhere_is_parked_not_applied() {
    let repo = epcis20();
    let seed = seed();
    let tag = format!("O{:07}", seed % 10_000_000);
    let base = 100_000 + (seed / 17) % 800_000_000;
    line_commissions(
        &repo,
        &(1..=6).map(|n| pack_epc(&tag, n)).collect::<Vec<_>>(),
    );
    let a_dir = pallet_at_a(&repo, &tag, base);
    let a = a_dir.path();

    // B takes the pallet in, then loses the repository.
    let b_dir = tempfile::tempdir().unwrap();
    let b = b_dir.path();
    drop(bench(b));
    configure(b, &repo, &repo.config.url);
    let mut hb = reopen(b);
    let took =
        hb.ask(&json!({"cmd":"adopt","scan": format!("(00){}", sscc(base + 2))}).to_string());
    expect(&took, "OK", "B takes the pallet in");
    drop(hb);
    configure(b, &repo, "http://127.0.0.1:9");
    let mut hb = reopen(b);
    let off = hb.ask(&json!({"cmd":"remove","scan": pack_scan(&tag, 1)}).to_string());
    expect(&off, "UNVERIFIED_OFFLINE", "B removes a pack offline");
    drop(hb);

    // Meanwhile A, online, takes another pack out of the same case and syncs.
    let mut ha = reopen(a);
    let r = ha.ask(&json!({"cmd":"remove","scan": pack_scan(&tag, 2)}).to_string());
    expect(&r, "OK", "A removes a pack");
    drop(ha);
    sync_once(a, &repo);
    let before = repo._server.as_ref().unwrap().keys().len();

    // B is back online: its change is parked with A's event named, and not sent.
    configure(b, &repo, &repo.config.url);
    let (code, out) = packbench(b, &["sync", "--once"], &repo.token);
    assert_eq!(code, 1, "the row is parked: {out}");
    let status = sync_status(b, &repo);
    assert_eq!(status["outbox"]["parked"], 1, "{status}");
    let message = status["outbox"]["parked_rows"][0]["error"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("changed at another bench while this one was offline"),
        "{message}"
    );
    assert_eq!(
        repo._server.as_ref().unwrap().keys().len(),
        before,
        "nothing of B's change reached the repository"
    );
    let t = truth(&repo.config, &pack_epc(&tag, 1)).unwrap();
    assert_eq!(
        t.parent,
        Some(sscc_epc(base)),
        "pack 1 is still in its case there"
    );
}
