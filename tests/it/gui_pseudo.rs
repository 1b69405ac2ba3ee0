//! Hard-coded text finder: the whole app is driven in the pseudo-locale `en-XA` (every
//! translated message comes out as `[Ŧŕåñšļåţéð~~]`), through every screen, settings section and
//! dialog; any visible label or button without the pseudo markers is text that bypassed the
//! translations. Data (GS1 keys, numbers, names typed by the user, language names) is allowed.

use crate::harness::gui::{click, first_run, harness_with, scan, settle, type_into};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::devices::decode::Symbology;
use packbench::ui::app::Screen;
use packbench::ui::i18n::{I18n, LOCALES, PSEUDO_LOCALE};
use packbench::ui::settings_view::SettingsSection;
use packbench::ui::{PackbenchApp, demo};

/// Text that is data, not a message: GS1 keys, numbers, units, names, language names.
fn is_data(t: &str) -> bool {
    t.starts_with('[')
        || t.starts_with('(')
        || t.starts_with("urn:")
        || t == "packbench"
        || t == "Ada Admin"
        || t.starts_with("Ada Admin · [")
        // A signature as recorded (name, user, meaning): the record, shown as signed.
        || t.starts_with("Ada Admin (admin): ")
        || t.starts_with("TRAINING-")
        || t == demo::LOT
        || t.starts_with("case:")
        || t == "admin"
        || (t.len() > 18 && t.as_bytes()[4] == b'-' && matches!(t.as_bytes()[10], b'T' | b' ')) // a time
        || t.starts_with("Demo 20 mg")
        || t.starts_with('/')
        || !t.chars().any(char::is_alphabetic)
        || t.ends_with(" ms")
        || t.ends_with(" min")
        || t.trim_start_matches(|c: char| c.is_ascii_digit()).trim() == "ms"
        || t.trim_start_matches(|c: char| c.is_ascii_digit()).trim() == "min"
        || LOCALES.iter().any(|(_, n)| *n == t)
        // Symbology names are proper names ("GS1 DataMatrix"), as on the packs.
        || Symbology::ALL
            .iter()
            .any(|s| s.name(true) == t || s.name(false) == t)
}

fn check(h: &Harness<'static, PackbenchApp>, screen: &str) -> usize {
    let mut seen = 0;
    let mut bad = Vec::new();
    for role in [Role::Label, Role::Button, Role::CheckBox, Role::Window] {
        for node in h.query_all_by_role(role) {
            let text = node
                .value()
                .or_else(|| node.accesskit_node().label())
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            seen += 1;
            if !is_data(&text) {
                bad.push(text);
            }
        }
    }
    assert!(bad.is_empty(), "{screen}: hard-coded text {bad:?}");
    seen
}

fn pbcmd(h: &mut Harness<'static, PackbenchApp>, command: &str) {
    scan(h, &format!("PBCMD:{command}"));
}

#[test]
fn every_screen_and_dialog_is_translated() {
    let dir = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let file = packbench::ui::settings::SettingsFile::in_dir(config.path());
    let xa = I18n::new(PSEUDO_LOCALE).unwrap();
    let mut h = harness_with(dir.path(), PSEUDO_LOCALE, Some(file));
    h.state_mut().set_locale(PSEUDO_LOCALE);
    settle(&mut h);
    assert!(check(&h, "first run") > 5);
    first_run(&mut h);
    assert!(h.state().snapshot.user.is_some(), "{:?}", h.state().verdict);

    // Station: empty, then with a case, a verdict, a label waiting to be verified.
    assert!(check(&h, "station") > 20);
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::pack_scan(1));
    scan(&mut h, &demo::pack_scan(2));
    check(&h, "station with a verdict");
    scan(&mut h, &demo::wrong_product_scan());
    check(&h, "station with a refusal");
    pbcmd(&mut h, "PRINT");
    h.run_steps(3);
    check(&h, "station with a label waiting");
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::unknown_serial_scan());
    check(&h, "counterfeit alert");
    click(&mut h, &xa.tr("alert-acknowledge"));

    // Every flow window and dialog.
    for command in ["REPLACE", "RELABEL", "UNPACK", "REPRINT", "RETIRE"] {
        pbcmd(&mut h, command);
        check(&h, command);
        scan(&mut h, &demo::pack_scan(1));
        check(&h, &format!("{command} after a scan"));
        pbcmd(&mut h, "CANCEL");
    }
    pbcmd(&mut h, "CLOSE");
    assert!(h.state().signature.is_some());
    check(&h, "signature dialog");
    pbcmd(&mut h, "CANCEL");
    pbcmd(&mut h, "MOVE");
    scan(&mut h, &demo::case_sscc(2));
    pbcmd(&mut h, "NEWCASE");
    pbcmd(&mut h, "PACK");
    scan(&mut h, &demo::case_sscc(2));
    pbcmd(&mut h, "MOVE");
    scan(&mut h, &demo::pack_scan(1));
    check(&h, "move confirmation");
    pbcmd(&mut h, "CANCEL");
    pbcmd(&mut h, "PACK");

    // Look-up with history.
    pbcmd(&mut h, "LOOKUP");
    scan(&mut h, &demo::pack_scan(2));
    assert_eq!(h.state().screen, Screen::Lookup);
    assert!(check(&h, "look-up") > 10);
    // Hold / quarantine: the dialog, a held unit's look-up (badge, release), the release dialog.
    click(&mut h, &xa.tr("hold-open"));
    check(&h, "hold dialog");
    click(&mut h, &xa.tr("cmd-cancel"));
    h.state_mut().send(packbench::station::Request::Hold {
        scan: Some(demo::pack_scan(2)),
        gtin: None,
        lot: None,
        reason: packbench::domain::HoldReason::Recall,
        comment: None,
        signature: Some(packbench::station::SignatureInput {
            user: "admin".into(),
            password: "admin-pass-1".into(),
            reason: None,
        }),
    });
    settle(&mut h);
    pbcmd(&mut h, "LOOKUP");
    scan(&mut h, &demo::pack_scan(2));
    check(&h, "look-up of a held unit");
    click(&mut h, &xa.tr("release-open"));
    check(&h, "release dialog");
    click(&mut h, &xa.tr("cmd-cancel"));
    pbcmd(&mut h, "PACK");

    // Settings, every section; users.
    h.state_mut().screen = Screen::Settings;
    h.run_steps(2);
    for section in SettingsSection::ALL {
        h.state_mut().settings_section = section;
        h.run_steps(2);
        check(&h, &format!("settings {section:?}"));
    }
    h.state_mut().settings_section = SettingsSection::Repository;
    h.run_steps(1);
    click(&mut h, &xa.tr("settings-repo-qu4rtet"));
    click(&mut h, &xa.tr("settings-auth-basic"));
    type_into(&mut h, &xa.tr("settings-repo-url"), "ftp://nowhere");
    click(&mut h, &xa.tr("settings-save"));
    check(&h, "settings repository with an error");
    h.state_mut().screen = Screen::Users;
    h.run_steps(2);
    check(&h, "users");

    // Log out: the log-in screen.
    click(&mut h, &xa.tr("nav-logout"));
    check(&h, "log-in");
}
