//! The workstation GUI driven through egui_kittest: the real app, a real station worker on a
//! real SQLite file; widgets found by their accessible labels; state asserted on the app.

use crate::harness::gui::{code, first_run, harness_in as harness, scan, settle, shows, type_into};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::ui::{PackbenchApp, demo};

#[test]
fn packer_flows_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    first_run(&mut h);
    let s = &h.state().snapshot;
    assert_eq!(s.user.as_ref().map(|u| u.username.as_str()), Some("admin"));
    assert_eq!(
        s.work_order.as_ref().map(|w| w.id.as_str()),
        Some(demo::WORK_ORDER)
    );

    // Log out and in again through the log-in screen.
    h.get_by_role_and_label(Role::Button, "Log out").click();
    settle(&mut h);
    assert!(h.state().snapshot.user.is_none());
    type_into(&mut h, "User name", "admin");
    h.run_steps(1);
    type_into(&mut h, "Password", "admin-pass-1");
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Log in").click();
    settle(&mut h);
    assert_eq!(
        h.state().snapshot.user.as_ref().map(|u| u.role.as_str()),
        Some("administrator")
    );
    if h.state().snapshot.work_order.is_none() {
        h.get_by_role_and_label(Role::Button, "Select TRAINING-001")
            .click();
        settle(&mut h);
    }
    assert!(h.state().snapshot.work_order.is_some());

    // Build a case: the case closes itself at 20.
    scan(&mut h, &demo::case_sscc(1));
    assert_eq!(code(&h), Some("OK"));
    for n in 1..=19 {
        scan(&mut h, &demo::pack_scan(n));
        assert_eq!(code(&h), Some("OK"), "pack {n}");
    }
    assert!(
        shows(&h, "19/20"),
        "big fill counter: {:?} {:?}",
        h.state().snapshot.current,
        h.query_all_by_role(Role::Label)
            .map(|n| n.value())
            .collect::<Vec<_>>()
    );
    scan(&mut h, &demo::pack_scan(20));
    let tree = &h.state().snapshot.tree;
    assert_eq!(tree.nodes.len(), 21);
    assert_eq!(tree.nodes[0].state, Some("closed"));
    assert_eq!(tree.nodes[0].count, 20);

    // No open case is red, a pack of a closed case amber (move offered), a wrong product red,
    // an unknown serial a sticky alert.
    scan(&mut h, &demo::pack_scan(21));
    assert_eq!(code(&h), Some("NO_OPEN_CONTAINER"));
    scan(&mut h, &demo::case_sscc(2));
    scan(&mut h, &demo::pack_scan(5));
    assert_eq!(code(&h), Some("IN_OTHER_CONTAINER"));
    scan(&mut h, "PBCMD:CANCEL");
    scan(&mut h, &demo::wrong_product_scan());
    assert_eq!(code(&h), Some("WRONG_PRODUCT"));
    assert!(shows(&h, "Wrong product for this work order."));
    scan(&mut h, &demo::unknown_serial_scan());
    assert_eq!(code(&h), Some("UNKNOWN_SERIAL"));
    assert_eq!(h.state().snapshot.alerts.len(), 1);
    h.get_by_role_and_label(Role::Button, "Acknowledge").click();
    settle(&mut h);
    assert!(h.state().snapshot.alerts.is_empty());

    // Build a pallet from the closed case.
    scan(&mut h, "PBCMD:NEWPALLET");
    scan(&mut h, &demo::pallet_sscc(1));
    assert_eq!(code(&h), Some("OK"));
    scan(&mut h, &demo::case_sscc(1));
    assert_eq!(code(&h), Some("OK"));
    assert!(
        h.state()
            .snapshot
            .tree
            .nodes
            .iter()
            .any(|n| n.level == "pallet" && n.count == 1)
    );

    // Case 2: two packs; remove one (scan the child only).
    scan(&mut h, &demo::case_sscc(2));
    scan(&mut h, &demo::pack_scan(21));
    scan(&mut h, &demo::pack_scan(22));
    scan(&mut h, "PBCMD:REMOVE");
    assert_eq!(h.state().snapshot.mode.as_str(), "remove");
    scan(&mut h, &demo::pack_scan(21));
    assert_eq!(code(&h), Some("OK"));

    // Move pack 22 into case 3, with confirmation.
    scan(&mut h, "PBCMD:PACK");
    scan(&mut h, &demo::case_sscc(3));
    // Case 2 is open with 1/20: the station asks before it puts it aside.
    assert_eq!(code(&h), Some("CONFIRM_SWITCH"));
    scan(&mut h, "PBCMD:CONFIRM");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    scan(&mut h, "PBCMD:MOVE");
    scan(&mut h, &demo::pack_scan(22));
    assert_eq!(code(&h), Some("CONFIRM_REQUIRED"));
    assert!(h.state().confirm.is_some());
    assert!(shows(
        &h,
        "This unit is in another container. Move it into the current one?"
    ));
    h.get_all_by_role_and_label(Role::Button, "Confirm")
        .last()
        .unwrap()
        .click();
    settle(&mut h);
    assert_eq!(code(&h), Some("OK"));
    assert!(h.state().confirm.is_none());
    let case3 = h
        .state()
        .snapshot
        .current
        .iter()
        .find(|c| c.level == "case")
        .unwrap();
    assert_eq!(
        (case3.key.as_str(), case3.count),
        (demo::case_sscc(3).as_str(), 1)
    );

    // A short case: refused without, accepted with a supervisor signature.
    scan(&mut h, "PBCMD:PACK");
    scan(&mut h, "PBCMD:CLOSE");
    assert_eq!(code(&h), Some("SIGNATURE_REQUIRED"));
    assert!(h.state().signature.is_some());
    assert!(shows(
        &h,
        "I approve closing this container below its capacity."
    ));
    type_into(&mut h, "Supervisor user name", "admin");
    h.run_steps(1);
    type_into(&mut h, "Supervisor password", "wrong-password");
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Sign").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("SIGNATURE_INVALID"));
    scan(&mut h, "PBCMD:CLOSE");
    type_into(&mut h, "Supervisor user name", "admin");
    h.run_steps(1);
    type_into(&mut h, "Supervisor password", "admin-pass-1");
    h.run_steps(1);
    type_into(&mut h, "Reason", "end of batch");
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Sign").click();
    settle(&mut h);
    assert_eq!(code(&h), Some("OK"));
    assert!(h.state().snapshot.current.iter().all(|c| c.level != "case"));

    // Look-up: scan a pack in look-up mode; its parents go up to the pallet.
    scan(&mut h, "PBCMD:LOOKUP");
    scan(&mut h, &demo::pack_scan(5));
    let lookup = h.state().lookup.clone().expect("look-up shown");
    let parents: Vec<&str> = lookup["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        parents,
        vec![demo::case_sscc(1).as_str(), demo::pallet_sscc(1).as_str()]
    );
    assert!(shows(&h, "History"));
    assert!(!lookup["history"].as_array().unwrap().is_empty());
}

#[test]
fn typing_in_a_field_is_not_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), "en-US");
    first_run(&mut h);
    h.state_mut().verdict = None;
    // Slow typing: 120 ms of egui time between keys.
    h.get_by_label("Scan (type or paste)").focus();
    for ch in demo::case_sscc(1).chars() {
        h.event(egui::Event::Text(ch.to_string()));
        h.run_steps(120);
    }
    settle(&mut h);
    assert!(h.state().verdict.is_none(), "typing is not a scan");
    assert_eq!(h.state().forms.manual_scan, demo::case_sscc(1));
    // A burst while the field has focus is a scan, and the field is untouched.
    scan(&mut h, &demo::case_sscc(2));
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(h.state().forms.manual_scan, demo::case_sscc(1));
}

#[test]
fn pseudo_locale_finds_no_hard_coded_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), packbench::ui::i18n::PSEUDO_LOCALE);
    settle(&mut h);
    // Data (keys, numbers, user and product names, language names) is not translated.
    let allowed = |t: &str| {
        t.starts_with('[')
            || t.starts_with('(')
            || t == "packbench"
            || !t.chars().any(char::is_alphabetic)
            || packbench::ui::i18n::LOCALES.iter().any(|(_, n)| *n == t)
    };
    let check = |h: &Harness<'static, PackbenchApp>, screen: &str| {
        for role in [Role::Label, Role::Button] {
            for node in h.query_all_by_role(role) {
                let text = node
                    .value()
                    .or_else(|| node.accesskit_node().label())
                    .unwrap_or_default();
                assert!(allowed(&text), "{screen}: hard-coded text {text:?}");
            }
        }
    };
    check(&h, "first run");
}

#[test]
fn closed_cases_start_collapsed_and_a_tap_on_the_row_opens_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut station = packbench::station::Station::open(dir.path()).unwrap();
    let r = demo::half_built_pallet(&mut station);
    assert!(r.ok, "{r:?}");
    let mut h = crate::harness::gui::screen(
        crate::harness::gui::app_with(station, "en-US"),
        crate::harness::gui::BENCH,
    );
    settle(&mut h);
    let case1 = demo::case_sscc(1);
    let first_pack = "(01)09506000134352(21)TR00001";
    // The pallet, its two closed cases (collapsed), the case being filled with its 12 packs.
    assert_eq!(h.state().tree.visible_rows(), 1 + 2 + 1 + 12);
    assert!(shows(&h, &case1));
    assert!(!shows(&h, first_pack));
    assert!(shows(&h, "(01)09506000134352(21)TR00041"));
    // A tap anywhere on the row (here on its key) opens the case, a second one closes it.
    h.get_by_label(&case1).click();
    h.run_steps(2);
    assert_eq!(h.state().tree.visible_rows(), 1 + 2 + 20 + 1 + 12);
    assert!(shows(&h, first_pack));
    h.get_by_label(&case1).click();
    h.run_steps(2);
    assert!(!shows(&h, first_pack));
    assert_eq!(h.state().tree.visible_rows(), 16);
}
