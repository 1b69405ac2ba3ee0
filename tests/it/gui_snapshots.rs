//! A few image snapshots of what is visual (rendered by wgpu; run with `TZ=UTC`): the replace
//! flow's window over the station screen, a printer that is off, and a contents check's marked
//! live tree, the station screen in English and Vietnamese. Refresh with
//! `UPDATE_SNAPSHOTS=1 TZ=UTC cargo test --test it gui_snapshots`; images in `tests/snapshots/`.

use std::sync::Mutex;

use crate::harness::gui::{click, first_run, scan, settle, small_harness};
use egui_kittest::{Harness, SnapshotError};
use packbench::station::Request;
use packbench::ui::labels_view::PrinterState;
use packbench::ui::{PackbenchApp, demo};

/// Removes what changes from run to run (the measured scan-to-verdict time).
pub(crate) fn steady(h: &mut Harness<'static, PackbenchApp>) {
    h.state_mut().last_scan_to_verdict = None;
    h.run_steps(3);
}

/// One render at a time: the software renderer shares the machine's cores.
pub(crate) static RENDER: Mutex<()> = Mutex::new(());

/// Renders and compares with `tests/snapshots/NAME.png`. A render that timed out (wgpu waits
/// at most 10 s for the software renderer, which a busy machine can exceed) is tried again; a
/// mismatch fails at once.
pub(crate) fn snapshot(h: &mut Harness<'static, PackbenchApp>, name: &str) {
    let _one = RENDER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for attempt in 1..=3 {
        match h.try_snapshot(name) {
            Ok(()) => return,
            Err(SnapshotError::RenderError { err }) if attempt < 3 => {
                eprintln!("{name}: render attempt {attempt} failed ({err}); trying again");
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn replace_flow_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = small_harness(dir.path());
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    for n in 1..=3 {
        scan(&mut h, &demo::pack_scan(n));
    }
    click(&mut h, "Replace damaged…");
    scan(&mut h, &demo::pack_scan(2));
    scan(&mut h, &demo::pack_scan(40));
    steady(&mut h);
    snapshot(&mut h, "replace_flow");
}

#[test]
fn printer_off_shows_retry() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = small_harness(dir.path());
    first_run(&mut h);
    h.state_mut().send(Request::SetSetting {
        key: "printer".into(),
        value: "tcp:127.0.0.1:1".into(),
    });
    settle(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(1));
    scan(&mut h, "PBCMD:PRINT");
    let started = std::time::Instant::now();
    while matches!(h.state().labels.printer, PrinterState::Sending) {
        assert!(started.elapsed().as_secs() < 30, "no print outcome");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    steady(&mut h);
    snapshot(&mut h, "printer_off");
}

#[test]
fn verify_contents_marks_the_live_tree() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = small_harness(dir.path());
    crate::verify_contents::gui_case(&mut h);
    scan(&mut h, "PBCMD:VERIFY");
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(1));
    scan(&mut h, &demo::pack_scan(4));
    scan(&mut h, &crate::verify_contents::gui_other_lot_scan());
    steady(&mut h);
    snapshot(&mut h, "verify_contents");
}

#[test]
fn switch_confirmation_over_the_put_aside_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = small_harness(dir.path());
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    for n in 1..=7 {
        scan(&mut h, &demo::pack_scan(n));
    }
    scan(&mut h, "PBCMD:SUSPEND");
    scan(&mut h, &demo::case_sscc(2));
    for n in 8..=10 {
        scan(&mut h, &demo::pack_scan(n));
    }
    // A third case label while case 2 holds 3/20: the station asks before it puts it aside.
    scan(&mut h, &demo::case_sscc(3));
    steady(&mut h);
    snapshot(&mut h, "switch_confirmation");
}

#[test]
fn hold_dialog_over_the_look_up() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed clock: the look-up's history shows the times.
    let mut t = 1_795_600_800_000_i64; // 2026-11-25T10:00:00Z
    let station = packbench::station::Station::with_clock(
        packbench::store::Store::open_dir(dir.path()).unwrap(),
        Box::new(move || {
            t += 1000;
            t
        }),
    )
    .unwrap();
    let mut h = crate::harness::gui::screen(
        crate::harness::gui::app_with(station, "en-US"),
        crate::harness::gui::BENCH,
    );
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(1));
    h.state_mut().send(Request::Lookup {
        scan: demo::pack_scan(1),
    });
    settle(&mut h);
    click(&mut h, "Put on hold…");
    click(&mut h, "Suspect product");
    steady(&mut h);
    snapshot(&mut h, "hold_dialog");
}

/// The station screen with a half-built pallet (two full cases, a third filling) in `locale`.
fn station_snapshot(locale: &str, name: &str) {
    use crate::harness::gui::{BENCH, app_with, screen, settle};
    let dir = tempfile::tempdir().unwrap();
    let mut station = packbench::station::Station::open(dir.path()).unwrap();
    assert!(demo::half_built_pallet(&mut station).ok);
    let mut h = screen(app_with(station, locale), BENCH);
    settle(&mut h);
    assert!(h.state().snapshot.user.is_some(), "logged in");
    assert_eq!(
        h.state().snapshot.current[0].count,
        12,
        "the third case fills"
    );
    steady(&mut h);
    snapshot(&mut h, name);
}

#[test]
fn station_screen_in_english() {
    station_snapshot("en-US", "station_en");
}

#[test]
fn station_screen_in_vietnamese() {
    station_snapshot("vi", "station_vi");
}
