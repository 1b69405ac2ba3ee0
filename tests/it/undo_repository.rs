//! Undo against both kinds of repository: every undoable command, undone, must leave the
//! repository in the station's state (`docs/sync.md`, Corrections).
//!
//! A table of commands × repository kinds (the EPCIS 2.0 test server, which honours error
//! declarations, and the real QU4RTET, which applies every event as it comes), each run two
//! ways: synced after every command (as the GUI's sync worker does) and offline (one sync at
//! the end, so the undone rows are withdrawn). After the last sync no row is parked or held, a
//! second sync sends nothing, and for every unit the repository's parent and status are the
//! station's: QU4RTET's own entries (`parent_id`, `decommissioned`), and for EPCIS 2.0 a replay
//! of `GET /events` that honours error declarations (`sync::unit_state`). Where a command
//! retired units and its events already reached QU4RTET, the undo must be refused with
//! `"UNDO_NOT_POSSIBLE"` and nothing changed. The packaging line (the test) commissions the
//! packs in the repository first.

use crate::harness::qu4rtet;
use crate::harness::repo::server::Server;
use crate::harness::station::*;
use packbench::epcis::{Action, Event, EventKind, event_hash_id};
use packbench::station::Station;
use packbench::store::Store;
use packbench::sync::{
    Auth, Backoff, DrainOptions, DrainReport, Qu4rtet, RepositoryConfig, RepositoryKind, Rest20,
    connect, drain, outbox_status, query_events, unit_state, unit_state_from_events,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The repository of one run.
enum Repo {
    /// The EPCIS 2.0 test server (kept alive for the run).
    Epcis20(Server, RepositoryConfig),
    /// The real QU4RTET.
    Qu4rtet(RepositoryConfig),
}

/// What the repository says about a unit: its parent (as an EPC) and whether it is active.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RepoUnit {
    parent: Option<String>,
    active: bool,
}

impl Repo {
    fn start(kind: RepositoryKind) -> Option<Self> {
        Some(match kind {
            RepositoryKind::Epcis20 => {
                let server = Server::start(1_000, None);
                let mut cfg =
                    RepositoryConfig::new(RepositoryKind::Epcis20, &server.url, Auth::None);
                cfg.timeout_ms = 10_000;
                cfg.batch_events = 50;
                Self::Epcis20(server, cfg)
            }
            RepositoryKind::Qu4rtet => Self::Qu4rtet(qu4rtet::config()?),
        })
    }

    fn config(&self) -> &RepositoryConfig {
        match self {
            Self::Epcis20(_, c) | Self::Qu4rtet(c) => c,
        }
    }

    fn kind(&self) -> RepositoryKind {
        self.config().kind
    }

    /// The packaging line commissions the packs (upstream of the bench, a minute earlier).
    fn commission(&self, epcs: &[String]) {
        let mut e = Event::new(EventKind::Object, Action::Add, now() - 60_000, "+00:00");
        e.epcs = epcs.to_vec();
        e.biz_step = Some("commissioning".into());
        e.disposition = Some("active".into());
        e.read_point = Some("urn:epc:id:sgln:9506000.00000.9".into());
        e.event_id = Some(event_hash_id(&e));
        let mut repo = connect(self.config()).unwrap();
        let outcome = repo.push(&[e], now()).unwrap();
        assert_eq!(outcome, packbench::sync::PushOutcome::Delivered);
    }

    /// What a consumer of the EPCIS 2.0 repository that ignores error declarations makes of a
    /// unit: every event applied as it comes, a declaration's copy as one more event.
    fn unit_ignoring_declarations(&self, epc: &str) -> Option<RepoUnit> {
        let Self::Epcis20(_, cfg) = self else {
            return self.unit(epc);
        };
        let rest = Rest20::new(cfg).unwrap();
        let plain = |params: &[(&str, &str)]| -> Vec<Event> {
            let mut events = query_events(rest.http(), params, 100).unwrap().events;
            for e in &mut events {
                e.error_declaration = None;
            }
            events
        };
        let mut events = plain(&[("MATCH_anyEPC", epc)]);
        if events.is_empty() {
            return None;
        }
        if let Some(parent) = unit_state_from_events(epc, &events).parent {
            for e in plain(&[("MATCH_parentID", &parent)]) {
                if !events.contains(&e) {
                    events.push(e);
                }
            }
        }
        let s = unit_state_from_events(epc, &events);
        Some(RepoUnit {
            parent: s.parent,
            active: s.active,
        })
    }

    /// The repository's own view of a unit; `None` when it has never heard of it.
    fn unit(&self, epc: &str) -> Option<RepoUnit> {
        match self {
            Self::Epcis20(_, cfg) => {
                let rest = Rest20::new(cfg).unwrap();
                let s = unit_state(rest.http(), epc, 100).unwrap();
                (s.events > 0 || s.skipped_events > 0).then_some(RepoUnit {
                    parent: s.parent,
                    active: s.active,
                })
            }
            Self::Qu4rtet(cfg) => {
                let q = Qu4rtet::new(cfg).unwrap();
                let (_, parent_id, decommissioned) = qu4rtet_entry(&q, epc)?;
                let parent = parent_id.map(|id| qu4rtet_identifier(&q, &id));
                Some(RepoUnit {
                    parent,
                    active: !decommissioned,
                })
            }
        }
    }
}

/// QU4RTET's entry of an EPC: (id, parent id, decommissioned), `None` when it has none.
fn qu4rtet_entry(q: &Qu4rtet, epc: &str) -> Option<(String, Option<String>, bool)> {
    qu4rtet::entry(q, epc)
}

/// The EPC of a QU4RTET entry id.
fn qu4rtet_identifier(q: &Qu4rtet, id: &str) -> String {
    let r = q
        .http()
        .send(
            "GET",
            &format!("/epcis/entries/{id}/?format=json"),
            &[],
            None,
        )
        .unwrap();
    assert_eq!(r.status, 200, "entry {id}: {}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["identifier"].as_str().unwrap().to_owned()
}

/// SSCC serial references of one run: unique per second slot and run index, so that runs do
/// not collide in a QU4RTET that keeps what earlier test runs sent.
fn sscc_base() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let run = NEXT.fetch_add(1, Ordering::Relaxed) % 100;
    ((now() / 1000) as u64 % 900_000) * 1_000 + run * 10
}

/// A station at the bench, its repository, and how it syncs.
struct Bench {
    dir: tempfile::TempDir,
    station: Station,
    repo: Repo,
    sync_each: bool,
    tag: String,
    base: u64,
    /// Every EPC the run used, so that units the station forgot are checked too.
    epcs: Vec<String>,
    /// EPCs of SSCCs the station commissioned.
    ssccs: Vec<String>,
}

const SIGNATURE: &str = r#"{"user":"sup","password":"sup-pass-1","reason":"test"}"#;

impl Bench {
    fn new(kind: RepositoryKind, sync_each: bool, setup: &str) -> Option<Self> {
        let repo = Repo::start(kind)?;
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        station.set_repository_link(Some(packbench::sync::link_for(repo.config()).unwrap()));
        let tag = format!(
            "{}{}",
            unique_tag(),
            ["E", "Q"][usize::from(kind == RepositoryKind::Qu4rtet)]
        );
        let mut bench = Self {
            dir,
            station,
            repo,
            sync_each,
            tag,
            base: sscc_base(),
            epcs: Vec::new(),
            ssccs: Vec::new(),
        };
        for line in setup.lines() {
            let a = bench.answer(line);
            assert_eq!(a["ok"], true, "{line}: {a}");
        }
        let packs: Vec<String> = (1..=12).map(|n| pack_epc(&bench.tag, n)).collect();
        bench.repo.commission(&packs);
        bench.epcs.extend(packs);
        Some(bench)
    }

    /// The scan of pack `n`.
    fn pack(&self, n: u32) -> String {
        pack_scan(&self.tag, n)
    }

    /// The bracketed SSCC of container `i` of this run.
    fn sscc(&mut self, i: u64) -> String {
        let epc = sscc_epc(self.base + i);
        if !self.epcs.contains(&epc) {
            self.epcs.push(epc.clone());
            self.ssccs.push(epc);
        }
        format!("(00){}", sscc(self.base + i))
    }

    fn answer(&mut self, line: &str) -> serde_json::Value {
        let mut out = Vec::new();
        packbench::cli::station::serve(&mut self.station, &mut line.as_bytes(), &mut out).unwrap();
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    /// One command (and a sync after it when the bench syncs after every command).
    fn run(&mut self, line: &str) -> serde_json::Value {
        let a = self.answer(line);
        if self.sync_each {
            let report = self.sync();
            assert_eq!(report.stopped_by, None, "{line}: {report:?}");
            assert_eq!(report.parked_rows, 0, "{line}: {report:?}");
        }
        a
    }

    /// One command that must be accepted.
    fn ok(&mut self, line: &str) -> serde_json::Value {
        let a = self.run(line);
        assert_eq!(a["ok"], true, "{line}: {a}");
        a
    }

    fn sync(&self) -> DrainReport {
        let mut store = Store::open_dir(self.dir.path()).unwrap();
        let mut repo = connect(self.repo.config()).unwrap();
        let options = DrainOptions {
            backoff: Backoff {
                initial_ms: 1,
                max_ms: 4,
            },
            max_events: self.repo.config().batch_events,
            respect_backoff: false,
        };
        drain(&mut store, repo.as_mut(), options, &mut now, &mut |_| {}).unwrap()
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The units as the station knows them: EPC → (parent EPC as published, active).
    fn station_units(&self) -> BTreeMap<String, RepoUnit> {
        let store = Store::open_dir(self.path()).unwrap();
        let mut st = store
            .conn()
            .raw_sqlite()
            .prepare(
                "SELECT u.epc, u.status, u.published, p.epc FROM units u
                 LEFT JOIN units p ON p.id = u.parent_id",
            )
            .unwrap();
        st.query_map([], |r| {
            let published: bool = r.get(2)?;
            let parent: Option<String> = r.get(3)?;
            Ok((
                r.get::<_, String>(0)?,
                RepoUnit {
                    parent: if published { parent } else { None },
                    active: r.get::<_, String>(1)? == "active",
                },
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// The last sync, a second one that must send nothing, and the repository equal to the
    /// station for every unit.
    fn assert_repository_equals_station(&self, case: &str) {
        self.assert_synced_clean(case);
        self.assert_units_equal(case, false);
    }

    /// The last sync: nothing left queued, parked or held, and a second sync sends nothing.
    fn assert_synced_clean(&self, case: &str) {
        let report = self.sync();
        assert_eq!(report.stopped_by, None, "{case}: {report:?}");
        let store = Store::open_dir(self.path()).unwrap();
        let status = outbox_status(store.conn()).unwrap();
        drop(store);
        assert_eq!(
            (status.queued, status.parked, status.held),
            (0, 0, 0),
            "{case}: nothing queued, parked or held: {status:?}"
        );
        let again = self.sync();
        assert_eq!(
            (again.documents, again.delivered_rows),
            (0, 0),
            "{case}: a second sync sends nothing: {again:?}"
        );
    }

    /// For every unit of the run, the repository's parent and status are the station's; with
    /// `ignoring_declarations`, as a consumer of an EPCIS 2.0 repository that ignores error
    /// declarations sees it.
    fn assert_units_equal(&self, case: &str, ignoring_declarations: bool) {
        let station = self.station_units();
        for epc in &self.epcs {
            let repo = if ignoring_declarations {
                self.repo.unit_ignoring_declarations(epc)
            } else {
                self.repo.unit(epc)
            };
            match station.get(epc) {
                Some(want) => {
                    let have = repo.unwrap_or(RepoUnit {
                        parent: None,
                        active: false,
                    });
                    assert_eq!(
                        &have,
                        want,
                        "{case}: {epc} in the {:?} repository vs the station{}",
                        self.repo.kind(),
                        if ignoring_declarations {
                            " (error declarations ignored)"
                        } else {
                            ""
                        }
                    );
                }
                None => {
                    // The station forgot it (the undo of its creation): loose in the
                    // repository, and an SSCC it commissioned is not in use there.
                    if let Some(have) = repo {
                        assert_eq!(have.parent, None, "{case}: {epc} forgotten by the station");
                        if self.ssccs.contains(epc) {
                            assert!(!have.active, "{case}: {epc} forgotten but active");
                        }
                    }
                }
            }
        }
    }
}

/// One row of the table: how to get there, the command that is undone, what follows the undo,
/// whether the command needs a signature (so its undo does) and whether it retires units.
struct Case {
    name: &'static str,
    /// Commands after the common start (cases A full and closed, B with two packs), as
    /// templates: `{pN}` is pack N, `{sN}` the SSCC of container N (A = 1, B = 2).
    before: &'static [&'static str],
    command: &'static str,
    after: &'static [&'static str],
    signed: bool,
    retires: bool,
}

const START: &[&str] = &[
    r#"{"cmd":"scan","data":"{s1}"}"#,
    r#"{"cmd":"scan","data":"{p1}"}"#,
    r#"{"cmd":"scan","data":"{p2}"}"#,
    r#"{"cmd":"scan","data":"{p3}"}"#,
    r#"{"cmd":"scan","data":"{s2}"}"#,
    r#"{"cmd":"scan","data":"{p4}"}"#,
    r#"{"cmd":"scan","data":"{p5}"}"#,
];

const CASES: &[Case] = &[
    Case {
        name: "pack that auto-closes a case",
        before: &[],
        command: r#"{"cmd":"scan","data":"{p6}"}"#,
        after: &[r#"{"cmd":"scan","data":"{p6}"}"#],
        signed: false,
        retires: false,
    },
    Case {
        name: "short close",
        before: &[],
        command: r#"{"cmd":"close","scan":"{s2}","signature":{sig}}"#,
        after: &[r#"{"cmd":"scan","data":"{p6}"}"#],
        signed: true,
        retires: false,
    },
    Case {
        name: "pack onto a pallet that auto-closes it",
        before: &[
            r#"{"cmd":"scan","data":"{p6}"}"#,
            r#"{"cmd":"new_container","level":"pallet"}"#,
            r#"{"cmd":"scan","data":"{s3}"}"#,
            r#"{"cmd":"scan","data":"{s1}"}"#,
        ],
        command: r#"{"cmd":"scan","data":"{s2}"}"#,
        after: &[r#"{"cmd":"scan","data":"{s2}"}"#],
        signed: false,
        retires: false,
    },
    Case {
        name: "remove",
        before: &[],
        command: r#"{"cmd":"remove","scan":"{p1}"}"#,
        after: &[r#"{"cmd":"remove","scan":"{p2}"}"#],
        signed: false,
        retires: false,
    },
    Case {
        name: "unpack",
        before: &[],
        command: r#"{"cmd":"unpack","scan":"{s1}"}"#,
        after: &[],
        signed: false,
        retires: false,
    },
    Case {
        name: "move that fills the target",
        before: &[],
        command: r#"{"cmd":"move","scan":"{p1}","to":"{s2}","confirm":true}"#,
        after: &[r#"{"cmd":"move","scan":"{p2}","to":"{s2}","confirm":true}"#],
        signed: false,
        retires: false,
    },
    Case {
        name: "new SSCC (open_container)",
        // B is filled first: a new label while B is open would ask to put B aside.
        before: &[r#"{"cmd":"scan","data":"{p6}"}"#],
        command: r#"{"cmd":"scan","data":"{s4}"}"#,
        after: &[],
        signed: false,
        retires: false,
    },
    Case {
        name: "replace",
        before: &[],
        command: r#"{"cmd":"replace","damaged":"{p2}","replacement":"{p7}","reason":"damaged","signature":{sig}}"#,
        after: &[],
        signed: true,
        retires: true,
    },
    Case {
        name: "relabel",
        before: &[],
        command: r#"{"cmd":"relabel","old":"{s1}","new":"{s5}"}"#,
        after: &[],
        signed: false,
        retires: true,
    },
    Case {
        name: "decommission a case",
        before: &[],
        command: r#"{"cmd":"retire","scan":"{s1}","kind":"decommission","reason":"damaged","signature":{sig}}"#,
        after: &[],
        signed: true,
        retires: true,
    },
    Case {
        name: "destroy a pack",
        before: &[],
        command: r#"{"cmd":"retire","scan":"{p1}","kind":"destroy","reason":"destroyed","signature":{sig}}"#,
        after: &[],
        signed: true,
        retires: true,
    },
    Case {
        name: "sample a pack",
        before: &[],
        command: r#"{"cmd":"retire","scan":"{p2}","kind":"sample","reason":"qa_sample","signature":{sig}}"#,
        after: &[],
        signed: true,
        retires: true,
    },
    Case {
        name: "reject a pack",
        before: &[],
        command: r#"{"cmd":"retire","scan":"{p3}","kind":"reject","reason":"rejected","signature":{sig}}"#,
        after: &[],
        signed: true,
        retires: true,
    },
];

impl Bench {
    /// A command template with its packs, SSCCs and signature filled in.
    fn line(&mut self, template: &str) -> String {
        let mut line = template.replace("{sig}", SIGNATURE);
        for n in (1..=12).rev() {
            line = line.replace(&format!("{{p{n}}}"), &self.pack(n));
        }
        for i in 1..=5 {
            if line.contains(&format!("{{s{i}}}")) {
                let s = self.sscc(i);
                line = line.replace(&format!("{{s{i}}}"), &s);
            }
        }
        line
    }
}

/// Runs every case of the table on one repository kind, synced after every command or once at
/// the end; a failing row does not hide the others: every failure is listed at the end.
fn table(kind: RepositoryKind, sync_each: bool) {
    if kind == RepositoryKind::Qu4rtet && qu4rtet::url().is_none() {
        return;
    }
    let mut failures = Vec::new();
    for case in CASES {
        let label = format!(
            "{} on {kind:?}, {}",
            case.name,
            if sync_each {
                "synced after every command"
            } else {
                "offline"
            }
        );
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_case(case, kind, sync_each, &label);
        }));
        if let Err(panic) = run {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{label}: {message}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn run_case(case: &Case, kind: RepositoryKind, sync_each: bool, label: &str) {
    let Some(mut bench) = Bench::new(kind, sync_each, SETUP) else {
        return;
    };
    for t in START.iter().chain(case.before) {
        let line = bench.line(t);
        bench.ok(&line);
    }
    let command = bench.line(case.command);
    let done = bench.ok(&command);
    let undo = if case.signed {
        format!(r#"{{"cmd":"undo","signature":{SIGNATURE}}}"#)
    } else {
        r#"{"cmd":"undo"}"#.to_owned()
    };
    let before_undo = bench.station_units();
    let answer = bench.run(&undo);
    let impossible = case.retires && sync_each && !kind.honours_error_declarations();
    if impossible {
        assert_eq!(answer["code"], "UNDO_NOT_POSSIBLE", "{label}: {answer}");
        let message = answer["detail"].as_str().unwrap_or_default();
        assert!(
            message.contains("cannot be reversed there"),
            "{label}: the refusal says why: {answer}"
        );
        assert_eq!(
            bench.station_units(),
            before_undo,
            "{label}: nothing changed"
        );
        // The undo changed nothing, here or there; the command itself left the repository
        // equal to the station (a relabel goes to QU4RTET in two documents, so that the old
        // SSCC's decommissioning does not take the moved children with it).
        bench.assert_synced_clean(label);
        bench.assert_repository_equals_station(label);
        return;
    } else {
        assert_eq!(answer["ok"], true, "{label}: {answer} (command: {done})");
        assert_eq!(
            answer["data"]["withdrawn"], !sync_each,
            "{label}: the undone row is withdrawn exactly when it never left: {answer}"
        );
        if sync_each {
            assert!(
                answer["data"]["compensations"].as_u64().unwrap() > 0,
                "{label}: compensating events: {answer}"
            );
        }
        for t in case.after {
            let line = bench.line(t);
            bench.ok(&line);
        }
    }
    bench.assert_repository_equals_station(label);
    // EPCIS 2.0 is sent the error-declaration copies and the compensating events, so that a
    // consumer that ignores the declarations ends in the station's state as well, except for
    // a retirement: no event brings a retired unit back (docs/sync.md, Corrections).
    if kind == RepositoryKind::Epcis20 && !case.retires {
        bench.assert_units_equal(label, true);
    }
}

#[test]
fn every_undo_leaves_the_epcis20_repository_equal_to_the_station_synced_each_command() {
    table(RepositoryKind::Epcis20, true);
}

#[test]
fn every_undo_leaves_the_epcis20_repository_equal_to_the_station_offline() {
    table(RepositoryKind::Epcis20, false);
}

#[test]
fn every_undo_leaves_qu4rtet_equal_to_the_station_synced_each_command() {
    table(RepositoryKind::Qu4rtet, true);
}

#[test]
fn every_undo_leaves_qu4rtet_equal_to_the_station_offline() {
    table(RepositoryKind::Qu4rtet, false);
}

/// The issue's scenario: a pack scan auto-closes a case, the packer undoes it and packs again,
/// two more cases, all three on a pallet, synced after every command. Every event meant for
/// the repository arrives, nothing is parked or held, and the three cases are on the pallet
/// there.
fn issue_scenario(kind: RepositoryKind) {
    let setup = SETUP.replace(
        r#"{"level":"pallet","capacity":2}"#,
        r#"{"level":"pallet","capacity":3}"#,
    );
    let Some(mut b) = Bench::new(kind, true, &setup) else {
        return;
    };
    let (s1, s2, s3, pallet) = (b.sscc(1), b.sscc(2), b.sscc(3), b.sscc(4));
    let scan = |data: &str| format!(r#"{{"cmd":"scan","data":"{data}"}}"#);
    b.ok(&scan(&s1));
    for n in 1..=3 {
        let p = b.pack(n);
        b.ok(&scan(&p));
    }
    let undo = b.ok(r#"{"cmd":"undo"}"#);
    assert_eq!(undo["data"]["withdrawn"], false, "{undo}");
    let p3 = b.pack(3);
    b.ok(&scan(&p3));
    for (case, first) in [(&s2, 4), (&s3, 7)] {
        b.ok(&scan(case));
        for n in first..first + 3 {
            let p = b.pack(n);
            b.ok(&scan(&p));
        }
    }
    b.ok(r#"{"cmd":"new_container","level":"pallet"}"#);
    b.ok(&scan(&pallet));
    for case in [&s1, &s2, &s3] {
        b.ok(&scan(case));
    }
    b.assert_repository_equals_station("the issue's scenario");

    // Every event meant for this repository is there, once.
    let store = Store::open_dir(b.path()).unwrap();
    let roles = if kind.honours_error_declarations() {
        "'event', 'correction', 'compensation'"
    } else {
        "'event', 'compensation'"
    };
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare(&format!(
            "SELECT e.body FROM events e JOIN outbox o ON o.command_id = e.command_id
             WHERE o.state = 'sent' AND e.role IN ({roles}) ORDER BY e.id"
        ))
        .unwrap();
    let events: Vec<Event> = st
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|b| {
            packbench::epcis::events_from_jsonld(&b.unwrap())
                .unwrap()
                .remove(0)
        })
        .collect();
    drop(st);
    drop(store);
    // 3 cases commissioned and closed (ADD + OBSERVE), the undone close compensated (OBSERVE
    // unset + DELETE) and closed again, the pallet commissioned and closed; EPCIS 2.0 also gets
    // the two error-declaration copies.
    let expected = if kind.honours_error_declarations() {
        18
    } else {
        16
    };
    assert_eq!(events.len(), expected, "{events:#?}");
    match &b.repo {
        Repo::Epcis20(server, _) => {
            let keys: Vec<(String, bool)> = events
                .iter()
                .map(|e| (e.event_id.clone().unwrap(), e.error_declaration.is_some()))
                .collect();
            // After the line's commissioning of the packs.
            assert_eq!(server.keys()[1..], keys, "every event once, in order");
            // The copies name the compensating events that reverse them.
            let captured = server.state.lock().unwrap();
            for (_, correction, e) in &captured.events {
                if *correction {
                    let ids = e["errorDeclaration"]["correctiveEventIDs"]
                        .as_array()
                        .unwrap();
                    assert_eq!(ids.len(), 1, "{e}");
                    assert!(
                        keys.iter()
                            .any(|(k, c)| !c && Some(k.as_str()) == ids[0].as_str())
                    );
                }
            }
        }
        Repo::Qu4rtet(cfg) => {
            let q = Qu4rtet::new(cfg).unwrap();
            assert!(q.holds_all(&events).unwrap(), "QU4RTET holds every event");
            // And no error-declaration copy reached it.
            let stored = q.events_of_entry(&sscc_epc(b.base + 1)).unwrap();
            assert!(stored.iter().all(|(_, c)| !c), "{stored:?}");
        }
    }
    let pallet_epc = sscc_epc(b.base + 4);
    for i in 1..=3 {
        let case = b.repo.unit(&sscc_epc(b.base + i)).unwrap();
        assert_eq!(case.parent.as_deref(), Some(pallet_epc.as_str()));
    }
}

#[test]
fn the_issue_scenario_arrives_whole_in_qu4rtet() {
    issue_scenario(RepositoryKind::Qu4rtet);
}

#[test]
fn the_issue_scenario_arrives_whole_in_the_epcis20_repository() {
    issue_scenario(RepositoryKind::Epcis20);
}

/// A row claimed for sending cannot be withdrawn, and a sync that stopped half-way leaves it to
/// the next sync as a row with an uncertain outcome.
#[test]
fn a_row_being_sent_is_not_withdrawn_and_survives_an_interrupted_sync() {
    let Some(mut b) = Bench::new(RepositoryKind::Epcis20, false, SETUP) else {
        return;
    };
    let s1 = b.sscc(1);
    b.ok(&format!(r#"{{"cmd":"scan","data":"{s1}"}}"#));
    // The sync worker claims the row (then, say, the machine loses power mid-push).
    let mut store = Store::open_dir(b.path()).unwrap();
    let batch = packbench::sync::outbox::next_batch(
        store.conn(),
        10,
        10,
        packbench::sync::outbox::roles_for(true),
    )
    .unwrap();
    let ids: Vec<i64> = batch.iter().map(|r| r.command_id).collect();
    assert_eq!(ids.len(), 1);
    assert!(packbench::sync::outbox::claim(&mut store, &ids).unwrap());
    // The undo finds it on its way: compensate, do not withdraw.
    let undo = b.ok(r#"{"cmd":"undo"}"#);
    assert_eq!(undo["data"]["withdrawn"], false, "{undo}");
    assert!(undo["data"]["compensations"].as_u64().unwrap() > 0);
    // The claim is not taken over by a second claim.
    assert!(!packbench::sync::outbox::claim(&mut store, &ids).unwrap());
    drop(store);
    // The next sync finds the row still `sending`: it goes out again (EPCIS 2.0 de-duplicates
    // by hash ID), then the undo's row.
    b.assert_repository_equals_station("interrupted sync");
    let Repo::Epcis20(server, _) = &b.repo else {
        unreachable!()
    };
    // After the line's commissioning of the packs: every event of the station, once.
    assert_eq!(server.keys()[1..], local_event_keys(b.path()));
}

/// Withdrawn rows are audited, counted as withdrawn and not as queued.
#[test]
fn an_undo_before_the_sync_withdraws_both_rows_with_an_audit_record() {
    let Some(mut b) = Bench::new(RepositoryKind::Epcis20, false, SETUP) else {
        return;
    };
    let s1 = b.sscc(1);
    b.ok(&format!(r#"{{"cmd":"scan","data":"{s1}"}}"#));
    let undo = b.ok(r#"{"cmd":"undo"}"#);
    assert_eq!(undo["data"]["withdrawn"], true, "{undo}");
    let store = Store::open_dir(b.path()).unwrap();
    let status = outbox_status(store.conn()).unwrap();
    assert_eq!((status.queued, status.withdrawn), (0, 2), "{status:?}");
    let audited: i64 = store
        .conn()
        .raw_sqlite()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'sync_withdraw' AND new_value = 'withdrawn'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
    drop(store);
    let report = b.sync();
    assert_eq!(
        report.documents, 0,
        "nothing of either command is sent: {report:?}"
    );
    let Repo::Epcis20(server, _) = &b.repo else {
        unreachable!()
    };
    // Only the line's commissioning of the packs is in the repository.
    assert_eq!(server.keys().len(), 1);
    b.assert_repository_equals_station("withdrawn");
}
