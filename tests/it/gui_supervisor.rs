//! Issue 15, the supervisor view: a data directory seeded across a morning (cases filled and
//! put aside, refusals, a counterfeit alert, a hold), the real app on it, and the "Shift" tab
//! shows the figures the station recorded — packs, cases and pallets per hour, refusals by
//! reason in the reader's language (a scan the screen refused itself included), open alerts,
//! containers put aside and on hold, the sync backlog. A packer sees no Shift tab. Image
//! snapshots in English and Vietnamese (`UPDATE_SNAPSHOTS=1 TZ=UTC cargo test --test it
//! gui_supervisor`).

use crate::gui_snapshots::{snapshot, steady};
use crate::harness::gui::{BENCH, app_with, click, scan, screen, settle, shows, wait_for};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::domain::HoldReason;
use packbench::station::{Request, SignatureInput, Station};
use packbench::store::Store;
use packbench::ui::app::Screen;
use packbench::ui::{PackbenchApp, demo};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

const HOUR: i64 = 3_600_000;
/// 2026-11-25T07:46:00Z; each hour's work is done from :46 on.
const T0: i64 = 1_795_589_160_000;

/// Packs of case 1 (filled: it closes), case 2 (put aside), case 3 (filling).
const CASE_1: u32 = demo::CASE_CAPACITY;
const CASE_2: u32 = 12;
const CASE_3: u32 = 8;

fn run(station: &mut Station, request: Request) -> packbench::station::Response {
    station.execute(request)
}

fn scan_req(data: String) -> Request {
    Request::Scan { data }
}

/// The seeded station and the clock (at 13:20Z when the app starts).
fn seeded_station(dir: &std::path::Path) -> (Station, Arc<AtomicI64>) {
    let clock = Arc::new(AtomicI64::new(T0));
    let t = Arc::clone(&clock);
    let mut s = Station::with_clock(
        Store::open_dir(dir).unwrap(),
        Box::new(move || t.fetch_add(1000, Ordering::SeqCst) + 1000),
    )
    .unwrap();
    assert!(demo::first_run(&mut s, "admin", "Ada Admin", "admin-pass-1").ok);
    let mut pack = 0;
    let mut fill = |s: &mut Station, case: u32, packs: u32| {
        assert!(run(s, scan_req(demo::case_sscc(case))).ok);
        for _ in 0..packs {
            pack += 1;
            let r = run(s, scan_req(demo::pack_scan(pack)));
            assert!(r.ok, "{r:?}");
        }
    };
    // 08:46: case 1 filled.
    clock.store(T0 + HOUR, Ordering::SeqCst);
    fill(&mut s, 1, CASE_1);
    // 09:46: case 2 put aside partly filled.
    clock.store(T0 + 2 * HOUR, Ordering::SeqCst);
    fill(&mut s, 2, CASE_2);
    assert!(
        run(
            &mut s,
            Request::Suspend {
                scan: None,
                note: Some("end of shift".into()),
                remainder_label: false,
            }
        )
        .ok
    );
    // 10:46: case 3 filling; a wrong product, a counterfeit alert; a pack of case 1 held.
    clock.store(T0 + 3 * HOUR, Ordering::SeqCst);
    fill(&mut s, 3, CASE_3);
    assert_eq!(
        run(&mut s, scan_req(demo::wrong_product_scan()))
            .code
            .as_str(),
        "WRONG_PRODUCT"
    );
    assert_eq!(
        run(&mut s, scan_req(demo::unknown_serial_scan()))
            .code
            .as_str(),
        "UNKNOWN_SERIAL"
    );
    let held = run(
        &mut s,
        Request::Hold {
            scan: Some(demo::pack_scan(2)),
            gtin: None,
            lot: None,
            reason: HoldReason::SuspectProduct,
            comment: None,
            signature: Some(SignatureInput {
                user: "admin".into(),
                password: "admin-pass-1".into(),
                reason: None,
            }),
        },
    );
    assert!(held.ok, "{held:?}");
    clock.store(T0 + 5 * HOUR + 34 * 60_000, Ordering::SeqCst);
    (s, clock)
}

/// The app on the seeded station in `locale`, a cut scan refused by the screen itself, and
/// the Shift tab open with its summary.
fn shift_screen(dir: &std::path::Path, locale: &str) -> Harness<'static, PackbenchApp> {
    let (station, _clock) = seeded_station(dir);
    let mut h = screen(app_with(station, locale), BENCH);
    settle(&mut h);
    assert!(h.state().snapshot.user.is_some());
    // The tail of a scan that lost its first characters: refused on the screen.
    scan(&mut h, &demo::pack_scan(40)[24..]);
    assert_eq!(
        h.state().verdict.as_ref().map(|v| v.code.as_str()),
        Some("INVALID_SCAN")
    );
    let tab = h.state().i18n.tr("nav-supervisor");
    click(&mut h, &tab);
    assert_eq!(h.state().screen, Screen::Supervisor);
    wait_for(&mut h, "the shift summary", |app| {
        app.supervisor
            .summary
            .as_ref()
            .is_some_and(|s| s.refusals_total == 3)
    });
    h
}

#[test]
fn the_shift_tab_shows_what_the_station_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = shift_screen(dir.path(), "en-US");
    let s = h.state().supervisor.summary.clone().unwrap();
    assert_eq!(s.hours.len(), 8);
    assert_eq!(
        (s.totals.packs, s.totals.cases, s.totals.pallets),
        (u64::from(CASE_1 + CASE_2 + CASE_3), 1, 0)
    );
    let hour = |t: i64| {
        s.hours
            .iter()
            .find(|h| h.start_ms <= t && t < h.start_ms + HOUR)
            .unwrap()
            .completed
    };
    assert_eq!(hour(T0 + HOUR + 60_000).packs, u64::from(CASE_1));
    assert_eq!(hour(T0 + HOUR + 60_000).cases, 1);
    assert_eq!(hour(T0 + 2 * HOUR + 60_000).packs, u64::from(CASE_2));
    assert_eq!(hour(T0 + 3 * HOUR + 60_000).packs, u64::from(CASE_3));
    // The screen says it, in words and in the charts' labels.
    for text in [
        format!("Packs: {}", CASE_1 + CASE_2 + CASE_3),
        "Cases: 1".to_owned(),
        "Pallets: 0".to_owned(),
        "Refusals: 3".to_owned(),
        "1 × Wrong product for this work order.".to_owned(),
        "1 × This is not valid GS1 barcode data.".to_owned(),
        "Open alerts: 1".to_owned(),
        "Put aside: 1".to_owned(),
        "On hold: 1".to_owned(),
        "Suspect product".to_owned(),
    ] {
        assert!(shows(&h, &text), "{text:?} is not shown");
    }
    let chart = h
        .query_all_by_role(Role::Label)
        .filter_map(|n| n.value().or_else(|| n.accesskit_node().label()))
        .find(|l| l.starts_with("Packs per hour"))
        .unwrap();
    assert!(chart.contains(&format!(" {CASE_1}")), "{chart}");
    let queued = h.state().snapshot.outbox.0;
    assert!(queued > 0);
    assert!(shows(&h, &format!("Waiting to be sent: {queued}")));

    // A pack scanned meanwhile at the bench shows up without a tap.
    h.state_mut().send(Request::Scan {
        data: demo::pack_scan(CASE_1 + CASE_2 + CASE_3 + 1),
    });
    let packs = u64::from(CASE_1 + CASE_2 + CASE_3 + 1);
    wait_for(&mut h, "the new pack in the summary", |app| {
        app.supervisor
            .summary
            .as_ref()
            .is_some_and(|s| s.totals.packs == packs)
    });
    // A scan on this screen only looks up.
    scan(&mut h, &demo::pack_scan(3));
    assert_eq!(h.state().screen, Screen::Lookup);
}

#[test]
fn a_packer_has_no_shift_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (mut station, _clock) = seeded_station(dir.path());
    let created = station.execute(Request::CreateUser {
        user: "pat".into(),
        full_name: "Pat Packer".into(),
        role: packbench::auth::Role::Packer,
        password: "pat-pass-1".into(),
    });
    assert!(created.ok, "{created:?}");
    assert!(
        station
            .execute(Request::Login {
                user: "pat".into(),
                password: "pat-pass-1".into(),
            })
            .ok
    );
    let mut h = screen(app_with(station, "en-US"), BENCH);
    settle(&mut h);
    assert!(
        h.query_all_by_role_and_label(Role::Button, "Shift")
            .next()
            .is_none()
    );
    // Even shown by hand, the screen reads nothing for a packer.
    h.state_mut().screen = Screen::Supervisor;
    settle(&mut h);
    h.run_steps(3);
    assert!(h.state().supervisor.summary.is_none());
}

fn shift_snapshot(locale: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = shift_screen(dir.path(), locale);
    h.state_mut().verdict = None;
    steady(&mut h);
    snapshot(&mut h, name);
}

#[test]
fn shift_screen_in_english() {
    shift_snapshot("en-US", "supervisor_en");
}

#[test]
fn shift_screen_in_vietnamese() {
    shift_snapshot("vi", "supervisor_vi");
}
