//! The camera panel, image decoding, the folder camera and the calibration wizard driven
//! through the real app (egui_kittest) on a real station worker and SQLite file. Overlay
//! colours are asserted on the panel's view model, not on pixels.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::gui::{TALL, app_with, scan as wedge_scan, screen, settle, wait_for};
use crate::harness::station::{DEADLINE, trained_station};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::devices::camera::CameraChoice;
use packbench::devices::scan::DeviceStatus;
use packbench::gs1::scanner::{CALIBRATION_SYMBOL, GsArrival, KeyboardLayout};
use packbench::station::{Request, Station};
use packbench::ui::app::Screen;
use packbench::ui::devices_state::{CodeMark, WizardTarget};
use packbench::ui::settings::SettingsFile;
use packbench::ui::{PackbenchApp, demo};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples");

/// An app logged in as the administrator with the training order selected.
fn harness(dir: &Path, locale: &str) -> Harness<'static, PackbenchApp> {
    screen(app_with(trained_station(dir), locale), TALL)
}

/// Clicks a button and runs three frames (a window opened by the click is measured on its
/// first frame and shown on the next). Unlike `crate::harness::gui::click` it does not wait for the
/// app to settle: a running camera keeps it busy.
fn click(h: &mut Harness<'static, PackbenchApp>, label: &str) {
    // Settings and the other rare screens sit under the menu bar's "More".
    if h.query_all_by_role_and_label(Role::Button, label)
        .next()
        .is_none()
    {
        crate::harness::gui::open_more(h);
    }
    h.get_by_role_and_label(Role::Button, label).click();
    h.run_steps(3);
}

fn marks(app: &PackbenchApp) -> (usize, usize, usize) {
    let layer = app.devices.layer.as_ref().expect("a layer");
    (
        layer.count(CodeMark::Recorded),
        layer.count(CodeMark::NotRecorded),
        layer.missing.len(),
    )
}

#[test]
fn sample_images_pack_a_case_with_green_and_red_overlays() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    settle(&mut h);
    click(&mut h, "Camera");
    assert_eq!(h.state().screen, Screen::Camera);

    // The partial sample: 18 training packs and one uncommissioned serial. No case is open,
    // so nothing is recorded: every code is red.
    click(&mut h, "Decode sample image 2");
    wait_for(&mut h, "sample 2", |app| app.devices.layer.is_some());
    assert_eq!(marks(h.state()), (0, 19, 0));

    // Open a case, pack all seen: 18 accepted, the unknown serial raises the alert.
    wedge_scan(&mut h, &demo::case_sscc(1));
    assert_eq!(
        h.state().verdict.as_ref().map(|v| v.code.as_str()),
        Some("OK")
    );
    click(&mut h, "Pack all seen");
    wait_for(&mut h, "the batch", |app| {
        app.snapshot.current.first().is_some_and(|c| c.count == 18)
    });
    assert_eq!(marks(h.state()), (18, 1, 0));
    let red: Vec<String> = h
        .state()
        .devices
        .layer
        .as_ref()
        .unwrap()
        .codes
        .iter()
        .filter(|c| c.mark == CodeMark::NotRecorded)
        .map(|c| c.key.clone())
        .collect();
    assert_eq!(red, ["(01)09506000134352(21)XX99999"]);

    // The full case picture: 18 green, TR00019 and TR00020 red (not packed yet).
    click(&mut h, "Decode sample image 1");
    wait_for(&mut h, "sample 1", |app| {
        app.devices
            .layer
            .as_ref()
            .is_some_and(|l| l.read.codes.len() == 20)
    });
    assert_eq!(marks(h.state()), (18, 2, 0));
    click(&mut h, "Verify layer");
    let check = h.state().devices.check.clone().expect("checked");
    assert!(!check.is_complete());
    assert_eq!(check.seen_not_recorded.len(), 2);
    assert!(h.query_by_label_contains("Layer NOT complete").is_some());

    // Pack the full picture: TR00019 and TR00020 go in and the case closes at 20.
    click(&mut h, "Pack all seen");
    wait_for(&mut h, "the case to close", |app| {
        app.snapshot
            .current
            .first()
            .is_none_or(|c| c.key != demo::case_sscc(1))
    });
}

#[test]
fn verify_layer_lists_recorded_but_not_seen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    settle(&mut h);
    // The sample case is drawn from the serials never used (TR00001–20 on a new station)
    // and kept while any of it is unused.
    click(&mut h, "Camera");
    click(&mut h, "Decode sample image 2");
    wait_for(&mut h, "sample 2", |app| app.devices.layer.is_some());
    wedge_scan(&mut h, &demo::case_sscc(1));
    for n in 1..=19 {
        wedge_scan(&mut h, &demo::pack_scan(n));
    }
    click(&mut h, "Decode sample image 2");
    wait_for(&mut h, "sample 2 again", |app| {
        app.devices
            .layer
            .as_ref()
            .is_some_and(|l| l.count(CodeMark::Recorded) == 18)
    });
    // 18 seen and recorded, XX99999 red, TR00019 recorded but not in the picture.
    assert_eq!(marks(h.state()), (18, 1, 1));
    assert_eq!(
        h.state().devices.layer.as_ref().unwrap().missing,
        ["(01)09506000134352(21)TR00019"]
    );
    assert!(h.query_by_label("(01)09506000134352(21)TR00019").is_some());
    // The command barcode does the same as the button.
    wedge_scan(&mut h, "PBCMD:VERIFYLAYER");
    let check = h.state().devices.check.clone().expect("checked");
    assert_eq!(check.recorded_not_seen, ["(01)09506000134352(21)TR00019"]);
}

#[test]
fn a_folder_camera_feeds_the_panel_and_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    settle(&mut h);
    h.state_mut().devices.settings.camera = CameraChoice::Folder {
        path: SAMPLES.into(),
        fps: 4.0,
    };
    h.state_mut().devices.settings.decode_interval_ms = 0;
    h.state_mut().devices.restart();
    click(&mut h, "Camera");
    wait_for(&mut h, "a camera frame", |app| {
        app.devices
            .layer
            .as_ref()
            .is_some_and(|l| l.source == SAMPLES)
            && app.devices.preview.is_some()
    });
    let line = h.state().devices.lines[0].clone();
    assert_eq!(line.status, Some(DeviceStatus::Open));
    assert!(line.error.is_none());
    let status = h.state().devices_status_text();
    assert!(
        status.starts_with(&format!("Camera {SAMPLES}: ")),
        "{status}"
    );
    assert!(status.ends_with("keyboard scanner"), "{status}");
    // Off again: the worker stops.
    h.state_mut().devices.settings.camera = CameraChoice::None;
    h.state_mut().devices.restart();
    h.run_steps(2);
    assert!(!h.state().devices.camera_running());
    // A folder that does not exist is a clear error in the status bar.
    h.state_mut().devices.settings.camera = CameraChoice::Folder {
        path: "/nonexistent/packbench".into(),
        fps: 1.0,
    };
    h.state_mut().devices.restart();
    h.run_steps(2);
    let status = h.state().devices_status_text();
    assert!(status.contains("cannot open the camera"), "{status}");
}

#[test]
fn the_calibration_wizard_reads_the_wedge_and_saves_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    settle(&mut h);
    click(&mut h, "Settings");
    click(&mut h, "Scanners & camera");
    click(&mut h, "Calibrate the keyboard scanner…");
    assert_eq!(
        h.state().devices.wizard.as_ref().map(|w| w.target.clone()),
        Some(WizardTarget::Wedge)
    );
    assert!(h.query_by_label("Waiting for the scan…").is_some());
    // A scanner that drops GS: told which setting to change.
    wedge_scan(
        &mut h,
        &format!("]d2{}", CALIBRATION_SYMBOL.replace('\u{1d}', "")),
    );
    assert!(
        h.query_by_label_contains("drops the group separator: enable FNC1/GS transmission")
            .is_some()
    );
    assert!(h.state().verdict.is_none(), "the wizard took the scan");
    click(&mut h, "Scan again");
    // A scanner that sends GS as ^] and AIM identifiers: readable; saved.
    wedge_scan(
        &mut h,
        &format!("]d2{}", CALIBRATION_SYMBOL.replace('\u{1d}', "^]")),
    );
    assert!(
        h.query_by_label("The scanner can be read. Detected:")
            .is_some()
    );
    click(&mut h, "Save profile");
    let wedge = &h.state().devices.settings.wedge;
    assert!(wedge.aim);
    assert_eq!(wedge.gs, GsArrival::Real);
    assert!(h.query_by_label("Profile saved.").is_some());
    click(&mut h, "Close");
    assert!(h.state().devices.wizard.is_none());
}

#[test]
fn the_camera_panel_and_wizard_are_translated() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), packbench::ui::i18n::PSEUDO_LOCALE);
    settle(&mut h);
    let xa = packbench::ui::i18n::I18n::new(packbench::ui::i18n::PSEUDO_LOCALE).unwrap();
    click(&mut h, &xa.tr("nav-camera"));
    click(&mut h, &xa.tr_args("camera-sample", &[("n", 2.into())]));
    wait_for(&mut h, "sample 2", |app| app.devices.layer.is_some());
    click(&mut h, &xa.tr("camera-verify"));
    h.state_mut().open_wizard(WizardTarget::Wedge);
    h.run_steps(2);
    // Data (keys, paths, numbers, user names) is not translated.
    let allowed = |t: &str| {
        t.starts_with('[')
            || t.starts_with('(')
            || t.starts_with('/')
            || t.starts_with("urn:")
            || t.starts_with("Ada Admin")
            || t == "packbench"
            || !t.chars().any(char::is_alphabetic)
    };
    for role in [Role::Label, Role::Button] {
        for node in h.query_all_by_role(role) {
            let text = node
                .value()
                .or_else(|| node.accesskit_node().label())
                .unwrap_or_default();
            assert!(allowed(&text), "hard-coded text {text:?}");
        }
    }
}

/// What a scanner typing `meant` through a German host layout with Caps Lock on produces.
fn german_caps(meant: &str) -> String {
    let swapped: String = meant
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    KeyboardLayout::German.from_us(&swapped)
}

/// An app on the station of `dir` that keeps its settings in `dir/config`, as after a start.
fn harness_with_settings(dir: &Path) -> Harness<'static, PackbenchApp> {
    let mut station = Station::open(dir).unwrap();
    for req in [
        Request::Login {
            user: "admin".to_owned(),
            password: "admin-pass-1".to_owned(),
        },
        Request::SelectWorkOrder {
            id: demo::WORK_ORDER.to_owned(),
        },
    ] {
        let r = station.execute(req);
        assert!(r.ok, "{r:?}");
    }
    let mut app = app_with(station, "en-US");
    app.use_settings_file(SettingsFile::in_dir(&dir.join("config")));
    screen(app, TALL)
}

#[test]
fn a_calibrated_keyboard_layout_is_undone_on_every_wedge_scan_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    drop(trained_station(dir.path()));
    let verdict = |h: &Harness<'static, PackbenchApp>| {
        h.state()
            .verdict
            .as_ref()
            .map(|v| (v.code.as_str().to_owned(), v.detail.clone()))
    };
    let mut h = harness_with_settings(dir.path());
    settle(&mut h);
    // Before calibration the layout garbles the case label: refused.
    wedge_scan(&mut h, &german_caps(&demo::case_sscc(1)));
    assert_ne!(verdict(&h).map(|v| v.0), Some("OK".to_owned()));

    click(&mut h, "Settings");
    click(&mut h, "Scanners & camera");
    click(&mut h, "Calibrate the keyboard scanner…");
    wedge_scan(
        &mut h,
        &german_caps(&format!(
            "]d2{}",
            CALIBRATION_SYMBOL.replace('\u{1d}', "<GS>")
        )),
    );
    click(&mut h, "Save profile");
    let wedge = h.state().devices.settings.wedge.clone();
    assert_eq!(wedge.keyboard, KeyboardLayout::German);
    assert!(wedge.case_inverted);
    assert!(wedge.aim);
    click(&mut h, "Close");
    click(&mut h, "Station");

    // Now the same typing is read as meant.
    wedge_scan(&mut h, &german_caps(&demo::case_sscc(1)));
    assert_eq!(
        verdict(&h).map(|v| v.0),
        Some("OK".to_owned()),
        "{:?}",
        verdict(&h)
    );
    wedge_scan(&mut h, &german_caps(&demo::pack_scan(1)));
    assert_eq!(
        verdict(&h).map(|v| v.0),
        Some("OK".to_owned()),
        "{:?}",
        verdict(&h)
    );
    // Saved once the frame loop has seen the change.
    h.run_steps(3);
    wait_for(&mut h, "the settings file", |_| {
        std::fs::read_to_string(dir.path().join("config/settings.json"))
            .is_ok_and(|t| t.contains("german"))
    });
    drop(h);

    // A restart reads the profile from the settings file and applies it to the wedge.
    let mut h = harness_with_settings(dir.path());
    settle(&mut h);
    assert_eq!(h.state().devices.settings.wedge, wedge);
    wedge_scan(&mut h, &german_caps(&demo::pack_scan(2)));
    assert_eq!(
        verdict(&h).map(|v| v.0),
        Some("OK".to_owned()),
        "{:?}",
        verdict(&h)
    );
    assert_eq!(h.state().snapshot.current.first().map(|c| c.count), Some(2));
}

/// Steps until the camera has delivered a further full steady window (as many newly decoded
/// frames as hands-free needs, the layer steady at the end), so that what the test then
/// asserts was exposed to it. Fails when the frames stop coming: a test that waited for
/// nothing must not pass.
fn new_steady_frames(h: &mut Harness<'static, PackbenchApp>, when: &str) {
    let read = |h: &Harness<'static, PackbenchApp>| {
        h.state()
            .devices
            .layer
            .as_ref()
            .filter(|l| l.from_camera)
            .map(|l| l.read.clone())
    };
    let window = h.state().devices.settings.auto_pack_frames;
    let mut last = read(h);
    let mut new = 0;
    let deadline = Instant::now() + DEADLINE;
    while new < window || !h.state().devices.auto_pack.is_steady() {
        assert!(
            Instant::now() < deadline,
            "{when}: {new} new steady camera frames within {DEADLINE:?}, {window} needed"
        );
        h.step();
        // Each read differs from the one before (its decode time at least); marks recomputed
        // for a new container do not count.
        let now = read(h);
        if now.is_some() && now != last {
            new += 1;
            last = now;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn hands_free_packs_a_steady_camera_layer_once() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    // 18 training packs and one uncommissioned serial, played again and again.
    std::fs::copy(
        format!("{SAMPLES}/training_case_partial.png"),
        frames.join("layer.png"),
    )
    .unwrap();
    let mut h = harness(dir.path(), "en-US");
    settle(&mut h);
    click(&mut h, "Settings");
    click(&mut h, "Scanners & camera");
    h.get_by_role_and_label(
        Role::CheckBox,
        "Pack steady camera layers automatically (hands-free)",
    )
    .click();
    h.run_steps(2);
    assert!(h.state().devices.settings.auto_pack);
    assert_eq!(h.state().devices.settings.auto_pack_frames, 3);
    h.state_mut().devices.settings.camera = CameraChoice::Folder {
        path: frames.clone(),
        fps: 20.0,
    };
    h.state_mut().devices.settings.decode_interval_ms = 0;
    h.state_mut().devices.restart();
    click(&mut h, "Camera");

    // No container is open: nothing is packed, however steady the layer.
    wait_for(&mut h, "a steady layer", |app| {
        app.devices.auto_pack.is_steady()
    });
    assert_eq!(h.state().devices.auto_packed, 0);
    assert!(h.state().snapshot.current.is_empty());

    // A case opened in remove mode: hands-free does nothing outside pack mode.
    wedge_scan(&mut h, "PBCMD:REMOVE");
    assert_eq!(h.state().snapshot.mode.as_str(), "remove");
    h.state_mut().send(Request::NewContainer {
        level: "case".into(),
        sscc: Some(demo::case_sscc(1)),
    });
    settle(&mut h);
    assert_eq!(h.state().snapshot.current.len(), 1);
    new_steady_frames(&mut h, "with the case open in remove mode");
    assert_eq!(h.state().devices.auto_packed, 0);

    // Back in pack mode the layer goes in without a button; the unknown serial raises its alert.
    wedge_scan(&mut h, "PBCMD:PACK");
    wait_for(&mut h, "the hands-free batch", |app| {
        app.snapshot.current.first().is_some_and(|c| c.count == 18)
            && !app.snapshot.alerts.is_empty()
    });
    assert_eq!(h.state().devices.auto_packed, 19);
    assert!(
        h.query_by_label_contains("Hands-free: a layer that stays the same for 3 frames")
            .is_some()
    );

    // The same layer stays under the camera: nothing is sent again, the alert is raised once.
    new_steady_frames(&mut h, "after the hands-free batch");
    h.run_steps(5);
    assert_eq!(h.state().devices.auto_packed, 19);
    assert_eq!(h.state().snapshot.alerts.len(), 1);
    assert_eq!(
        h.state().snapshot.current.first().map(|c| c.count),
        Some(18)
    );
    assert!(h.state().devices_status_text().ends_with("| hands-free"));

    // The command barcode turns it off and on again (no mouse needed).
    wedge_scan(&mut h, "PBCMD:HANDSFREE");
    assert!(!h.state().devices.settings.auto_pack);
    assert_eq!(
        h.state().notice.as_deref(),
        Some("Hands-free packing is off: pack with “Pack all seen”.")
    );
    assert!(!h.state().devices_status_text().contains("hands-free"));
    wedge_scan(&mut h, "PBCMD:HANDSFREE");
    assert!(h.state().devices.settings.auto_pack);
}
