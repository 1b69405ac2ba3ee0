//! Issue 15 (a GUI a packer can trust), part A: one test per finding, through the real app on a
//! real station worker and SQLite file, scans typed through the keyboard wedge.

use crate::harness::gui::{
    BENCH, app_with, code, first_run, harness_in as harness, scan, screen, settle, shows, type_into,
};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use packbench::station::{Request, Station};
use packbench::ui::app::Screen;
use packbench::ui::{PackbenchApp, demo};

/// The app on the half-built pallet of the demo: a pallet with two full cases, case 3 with 12
/// packs, `admin` logged in.
fn half_pallet(dir: &std::path::Path) -> Harness<'static, PackbenchApp> {
    let mut station = Station::open(dir).unwrap();
    let r = demo::half_built_pallet(&mut station);
    assert!(r.ok, "{r:?}");
    let mut h = screen(app_with(station, "en-US"), BENCH);
    settle(&mut h);
    h
}

fn message(h: &Harness<'static, PackbenchApp>) -> Option<&'static str> {
    h.state()
        .verdict
        .as_ref()
        .and_then(|v| v.message.as_ref())
        .map(|m| m.id)
}

fn pack_key(n: u32) -> String {
    format!("(01){}(21)TR{n:05}", demo::GTIN)
}

/// Finding 1: a burst split across two frames by a slow frame (200 ms) stays one scan; a scan
/// that lost its head is refused at once, in the dialog, loudly.
#[test]
fn a_slow_frame_never_splits_a_scan_and_a_cut_scan_is_refused_in_the_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    scan(&mut h, "PBCMD:RETIRE");
    assert!(h.state().flow.is_some(), "decommission waits for the unit");
    let whole = demo::pack_scan(3);
    let (head, tail) = whole.split_at(24);
    let t0 = h.ctx.input(|i| i.time);
    for ch in head.chars() {
        h.input_mut().events.push(egui::Event::Text(ch.to_string()));
    }
    h.step();
    // The next frame comes 200 ms later with the rest of the burst.
    h.input_mut().time = Some(t0 + 0.2);
    for ch in tail.chars() {
        h.input_mut().events.push(egui::Event::Text(ch.to_string()));
    }
    h.input_mut().events.push(egui::Event::Key {
        key: egui::Key::Enter,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    settle(&mut h);
    let retire = h
        .state()
        .retire
        .clone()
        .expect("the retire dialog has the unit");
    assert_eq!(retire.scan, whole, "the whole scan, not its tail");
    assert!(shows(&h, &whole), "the dialog names the unit");

    // The tail alone (what the issue saw): refused at once, the dialog keeps its unit.
    scan(&mut h, tail);
    assert_eq!(code(&h), Some("INVALID_SCAN"));
    assert_eq!(
        h.state().retire.as_ref().map(|r| r.scan.as_str()),
        Some(whole.as_str())
    );
    // In a flow too: the flow still waits for a unit.
    scan(&mut h, "PBCMD:CANCEL");
    scan(&mut h, "PBCMD:REPLACE");
    scan(&mut h, tail);
    assert_eq!(code(&h), Some("INVALID_SCAN"));
    assert!(
        h.state()
            .flow
            .as_ref()
            .is_some_and(|f| f.request().is_none() && f.collected().is_empty())
    );
    scan(&mut h, "PBCMD:CANCEL");
}

/// Finding 2: on the Look-up screen a scan only looks up, in Remove and in Move mode.
#[test]
fn the_lookup_screen_only_looks_up_whatever_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    for mode in ["PBCMD:REMOVE", "PBCMD:MOVE"] {
        scan(&mut h, mode);
        h.get_by_label("Look-up").click();
        settle(&mut h);
        assert_eq!(h.state().screen, Screen::Lookup);
        assert!(shows(
            &h,
            "A scan on this screen only looks the unit up: nothing is packed, removed or moved."
        ));
        scan(&mut h, &demo::pack_scan(45));
        assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
        assert!(h.state().confirm.is_none(), "{mode}: no move question");
        let lookup = h.state().lookup.clone().expect("looked up");
        assert_eq!(lookup["unit"]["key"], pack_key(45));
        assert_eq!(lookup["parents"][0]["key"], demo::case_sscc(3));
        let case3 = h
            .state()
            .snapshot
            .current
            .iter()
            .find(|c| c.level == "case")
            .cloned();
        assert_eq!(
            case3.map(|c| c.count),
            Some(12),
            "{mode}: nothing taken out"
        );
        h.state_mut().screen = Screen::Station;
        settle(&mut h);
    }
}

/// Finding 3: the live tree keeps the pallet (and its cases) while a case fills.
#[test]
fn the_live_tree_keeps_the_pallet_while_a_case_fills() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    for n in 53..=56 {
        scan(&mut h, &demo::pack_scan(n));
        assert_eq!(code(&h), Some("OK"));
        let nodes = &h.state().snapshot.tree.nodes;
        let pallet = nodes.iter().find(|n| n.level == "pallet");
        assert_eq!(
            pallet.map(|p| (p.key.as_str(), p.count)),
            Some((demo::pallet_sscc(1).as_str(), 2)),
            "pack {n}: the pallet with two cases stays in the tree"
        );
        assert!(
            nodes
                .iter()
                .any(|c| c.key == demo::case_sscc(3) && c.count == n - 40)
        );
    }
}

/// Finding 4: a batch answers per code on the screen where it ran; no stale question.
#[test]
fn a_batch_answers_per_code_where_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    h.state_mut().screen = Screen::Camera;
    // Two new packs, one of case 1 (another container), one unknown serial.
    let data = vec![
        demo::pack_scan(60),
        demo::pack_scan(61),
        demo::pack_scan(2),
        demo::unknown_serial_scan(),
    ];
    h.state_mut().send(Request::ScanBatch { data });
    settle(&mut h);
    let batch = h.state().batch.clone().expect("the batch's answer");
    assert_eq!((batch.accepted, batch.refused), (2, 2));
    assert_eq!(batch.screen, Screen::Camera);
    let codes: Vec<&str> = batch.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["OK", "OK", "IN_OTHER_CONTAINER", "UNKNOWN_SERIAL"]);
    assert!(shows(&h, "2 packed, 2 refused."), "on the camera screen");
    assert!(shows(
        &h,
        "Unknown serial number: possible counterfeit. Set the pack aside."
    ));
    assert!(
        h.state().confirm.is_none(),
        "a batch asks nothing to confirm"
    );
    assert_eq!(message(&h), Some("event-batch"));
}

/// Finding 9: important events say what happened; Remove mode is unmistakable.
#[test]
fn events_say_what_happened_and_remove_mode_is_unmistakable() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    for n in 53..=60 {
        scan(&mut h, &demo::pack_scan(n));
    }
    assert_eq!(message(&h), Some("event-closed"), "{:?}", h.state().verdict);
    assert!(shows(
        &h,
        &format!("Case {} is complete: closed with 20.", demo::case_sscc(3))
    ));
    scan(&mut h, "PBCMD:UNDO");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(message(&h), Some("event-undo"));
    assert!(shows(&h, "Undone: the last action was reversed."));
    scan(&mut h, &demo::unknown_serial_scan());
    h.get_by_role_and_label(Role::Button, "Acknowledge").click();
    settle(&mut h);
    assert_eq!(message(&h), Some("event-acknowledged"));
    scan(&mut h, "PBCMD:NEWPALLET");
    assert_eq!(message(&h), Some("event-new-container-next"));
    // Remove mode: a large label and the whole frame tinted; the removal says from where.
    scan(&mut h, "PBCMD:REMOVE");
    assert!(shows(
        &h,
        "REMOVE MODE: a scanned unit is taken OUT of its container"
    ));
    scan(&mut h, &demo::pack_scan(41));
    assert_eq!(
        message(&h),
        Some("event-removed"),
        "{:?}",
        h.state().verdict
    );
    assert!(shows(
        &h,
        &format!(
            "Taken out: {} is no longer in {}.",
            pack_key(41),
            demo::case_sscc(3)
        )
    ));
    scan(&mut h, "PBCMD:PACK");
    assert!(!shows(
        &h,
        "REMOVE MODE: a scanned unit is taken OUT of its container"
    ));
}

/// Finding 8: the verdict and its message are above the action bar, and the left column
/// scrolls by dragging.
#[test]
fn the_verdict_is_never_behind_the_action_bar() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    scan(&mut h, &demo::wrong_product_scan());
    assert_eq!(code(&h), Some("WRONG_PRODUCT"));
    let message = h.get_by_label("Wrong product for this work order.").rect();
    let bar_top = h
        .get_all_by_role_and_label(Role::Button, "Close container")
        .next()
        .map(|b| b.rect().top())
        .unwrap();
    assert!(
        message.bottom() < bar_top,
        "{message:?} above the action bar at {bar_top}"
    );
    assert!(message.bottom() < BENCH[1]);
}

/// Finding 10: dialogs are modal and centred with large fields; Move says from where to where;
/// the signature dialog names unit and action; a wrong signature keeps it open.
#[test]
fn dialogs_are_modal_spell_out_the_action_and_survive_a_wrong_signature() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = half_pallet(dir.path());
    // Move: a pack of case 1 into case 3.
    scan(&mut h, "PBCMD:MOVE");
    scan(&mut h, &demo::pack_scan(2));
    let confirm = h.state().confirm.clone().expect("the move question");
    assert_eq!(confirm.from.as_deref(), Some(demo::case_sscc(1).as_str()));
    assert_eq!(confirm.to.as_deref(), Some(demo::case_sscc(3).as_str()));
    assert!(shows(&h, &demo::case_sscc(1)) && shows(&h, "From:") && shows(&h, "To:"));
    // Modal: a tap on a mode button beside the dialog does nothing.
    h.get_all_by_role_and_label(Role::Button, "Pack mode")
        .next()
        .unwrap()
        .click();
    settle(&mut h);
    assert_eq!(h.state().snapshot.mode.as_str(), "move");
    let button = h
        .get_all_by_role_and_label(Role::Button, "Confirm")
        .last()
        .unwrap()
        .rect();
    assert!(button.height() >= 48.0, "{button:?}");
    let centre = button.center().x;
    assert!(
        (centre - BENCH[0] / 2.0).abs() < BENCH[0] * 0.3,
        "centred: {button:?}"
    );
    h.get_all_by_role_and_label(Role::Button, "Cancel")
        .last()
        .unwrap()
        .click();
    settle(&mut h);
    assert!(h.state().confirm.is_none());

    // A short close: the signature dialog names the action and the case; a wrong password
    // keeps it open with the refusal said in it; the right one closes the case.
    scan(&mut h, "PBCMD:PACK");
    scan(&mut h, "PBCMD:CLOSE");
    assert_eq!(code(&h), Some("SIGNATURE_REQUIRED"));
    assert!(shows(
        &h,
        "I approve closing this container below its capacity."
    ));
    assert!(shows(&h, &demo::case_sscc(3)));
    let field = h.get_by_label("Supervisor password").rect();
    assert!(
        field.height() >= 48.0 && field.width() >= 300.0,
        "{field:?}"
    );
    type_into(&mut h, "Supervisor user name", "admin");
    type_into(&mut h, "Supervisor password", "wrong-password");
    h.get_by_role_and_label(Role::Button, "Sign").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("SIGNATURE_INVALID"));
    let dialog = h
        .state()
        .signature
        .clone()
        .expect("still open for another try");
    assert_eq!(dialog.user, "admin");
    assert!(dialog.password.is_empty());
    type_into(&mut h, "Supervisor password", "admin-pass-1");
    type_into(&mut h, "Reason", "end of batch");
    h.get_by_role_and_label(Role::Button, "Sign").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert!(h.state().signature.is_none());
    assert_eq!(message(&h), Some("event-closed"));
}

/// Finding 11: after a log-out and a log-in the bench shows what is being filled; the training
/// case button opens a new case, never another user's; the previous user's search is gone.
#[test]
fn after_a_new_login_the_bench_shows_what_is_filling() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    first_run(&mut h);
    scan(&mut h, "PBCMD:NEWPALLET");
    scan(&mut h, &demo::pallet_sscc(1));
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(1));
    // Case 1 closed short by a supervisor: it is used.
    scan(&mut h, "PBCMD:CLOSE");
    crate::harness::gui::sign(&mut h, "end of shift");
    assert_eq!(code(&h), Some("OK"));
    scan(&mut h, &demo::case_sscc(2));
    scan(&mut h, &demo::pack_scan(2));
    type_into(&mut h, "Find", "TR00002");
    h.get_by_role_and_label(Role::Button, "Log out").click();
    settle(&mut h);
    assert!(
        h.state().tree.search.is_empty(),
        "the search text is cleared"
    );
    type_into(&mut h, "User name", "admin");
    type_into(&mut h, "Password", "admin-pass-1");
    h.get_by_role_and_label(Role::Button, "Log in").click();
    settle(&mut h);
    h.get_by_role_and_label(Role::Button, "Select TRAINING-001")
        .click();
    settle(&mut h);
    let filling: Vec<(String, Option<u32>)> = h
        .state()
        .snapshot
        .current
        .iter()
        .map(|c| (c.key.clone(), (c.level == "case").then_some(c.count)))
        .collect();
    assert_eq!(
        filling,
        [(demo::case_sscc(2), Some(1)), (demo::pallet_sscc(1), None)],
        "the case and the pallet being filled"
    );
    assert!(!shows(&h, "Scan a case or pallet label to start."));
    assert!(shows(&h, "1/20"));
    // The training buttons skip what is used: a new case (3), the next pack serial (3).
    scan(&mut h, "PBCMD:CLOSE");
    crate::harness::gui::sign(&mut h, "end of shift");
    h.get_by_role_and_label(Role::Button, "Case label").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    let case = h
        .state()
        .snapshot
        .current
        .iter()
        .find(|c| c.level == "case")
        .cloned();
    assert_eq!(
        case.map(|c| (c.key, c.count)),
        Some((demo::case_sscc(3), 0))
    );
    h.get_by_role_and_label(Role::Button, "Next pack").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(
        h.state().verdict.as_ref().and_then(|v| v.unit.clone()),
        Some(pack_key(3))
    );
}

/// Finding 13: Find looks for a unit outside the tree shown at the station.
#[test]
fn find_searches_the_station_for_a_unit_not_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(7));
    scan(&mut h, "PBCMD:CLOSE");
    crate::harness::gui::sign(&mut h, "sample");
    scan(&mut h, &demo::case_sscc(2));
    scan(&mut h, &demo::pack_scan(8));
    // Case 1 is closed and out of the bench's tree now.
    h.state_mut().focus_tree(None);
    settle(&mut h);
    assert!(
        !h.state()
            .snapshot
            .tree
            .nodes
            .iter()
            .any(|n| n.key == pack_key(7))
    );
    type_into(&mut h, "Find", "TR00007");
    h.get_by_role_and_label(Role::Button, "Search the station")
        .click();
    settle(&mut h);
    assert!(
        h.state()
            .snapshot
            .tree
            .nodes
            .iter()
            .any(|n| n.key == pack_key(7))
    );
    assert_eq!(
        h.state().tree.highlight.as_deref(),
        Some(pack_key(7).as_str())
    );
    // Nothing known: said so.
    type_into(&mut h, "Find", "NOPE42");
    h.get_by_role_and_label(Role::Button, "Search the station")
        .click();
    settle(&mut h);
    assert_eq!(message(&h), Some("find-none"));
    assert!(shows(
        &h,
        "No unit matching “TR00007NOPE42” is known at this station."
    ));
}
