//! The rework flows, labels and settings of the workstation GUI, driven through egui_kittest on
//! the real app with a real station worker on a real SQLite file: widgets found by their
//! accessible labels, results asserted on what the station answers (look-ups, its snapshot) and
//! on the real settings file.

use crate::harness::gui::{
    click, code, first_run, harness, harness_with, scan, settle, shows, sign, type_into,
};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use packbench::station::Request;
use packbench::ui::labels_view::PrinterState;
use packbench::ui::settings::{AppSettings, SettingsFile};
use packbench::ui::{PackbenchApp, demo};

/// The station's own look-up of a unit (sent through the app, answered by the worker).
fn lookup(h: &mut Harness<'static, PackbenchApp>, scan: &str) -> serde_json::Value {
    h.state_mut().lookup = None;
    h.state_mut().send(Request::Lookup {
        scan: scan.to_owned(),
    });
    settle(h);
    h.state().lookup.clone().expect("look-up answered")
}

pub(crate) fn case_count(h: &Harness<'static, PackbenchApp>) -> Option<(String, u32)> {
    h.state()
        .snapshot
        .current
        .iter()
        .find(|c| c.level == "case")
        .map(|c| (c.key.clone(), c.count))
}

#[test]
fn replace_relabel_unpack_and_decommission_through_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    for n in 1..=3 {
        scan(&mut h, &demo::pack_scan(n));
        assert_eq!(code(&h), Some("OK"));
    }

    // Replace damaged: button, scan old, scan new, confirm, supervisor signature.
    click(&mut h, "Replace damaged…");
    assert!(shows(&h, "Scan the damaged unit."));
    scan(&mut h, &demo::pack_scan(1));
    assert!(shows(&h, "Scan the replacement unit."));
    scan(&mut h, &demo::pack_scan(50));
    assert!(shows(&h, "Check, then confirm."));
    click(&mut h, "Confirm");
    assert_eq!(code(&h), Some("SIGNATURE_REQUIRED"));
    assert!(shows(&h, "I approve replacing the damaged unit."));
    sign(&mut h, "crushed blister");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    let old = lookup(&mut h, &demo::pack_scan(1));
    assert_eq!(old["unit"]["status"], "decommissioned");
    let new = lookup(&mut h, &demo::pack_scan(50));
    assert_eq!(new["parents"][0]["key"], demo::case_sscc(1).as_str());
    h.state_mut().screen = packbench::ui::app::Screen::Station;

    // Relabel by command barcodes only: old label, new label, Confirm.
    scan(&mut h, "PBCMD:RELABEL");
    scan(&mut h, &demo::case_sscc(1));
    scan(&mut h, &demo::case_sscc(900));
    scan(&mut h, "PBCMD:CONFIRM");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(case_count(&h), Some((demo::case_sscc(900), 3)));

    // Unpack: a confirmation step first; Cancel changes nothing, Confirm empties it.
    click(&mut h, "Unpack container…");
    scan(&mut h, &demo::case_sscc(900));
    assert!(shows(&h, "Take every unit out of this container?"));
    click(&mut h, "Cancel");
    assert!(h.state().flow.is_none());
    assert_eq!(case_count(&h), Some((demo::case_sscc(900), 3)));
    scan(&mut h, "PBCMD:UNPACK");
    scan(&mut h, &demo::case_sscc(900));
    click(&mut h, "Confirm");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    let case = lookup(&mut h, &demo::case_sscc(900));
    assert_eq!(case["children_total"], 0);
    h.state_mut().screen = packbench::ui::app::Screen::Station;

    // Decommission with the reason picker and a signature.
    scan(&mut h, "PBCMD:RETIRE");
    scan(&mut h, &demo::pack_scan(2));
    assert!(h.state().retire.is_some());
    click(&mut h, "Expired");
    click(&mut h, "Continue (signature)");
    assert_eq!(code(&h), Some("SIGNATURE_REQUIRED"));
    sign(&mut h, "expired stock");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    let pack = lookup(&mut h, &demo::pack_scan(2));
    assert_eq!(pack["unit"]["status"], "decommissioned");

    // A log-out closes whatever was half done.
    h.state_mut().screen = packbench::ui::app::Screen::Station;
    scan(&mut h, "PBCMD:REPLACE");
    scan(&mut h, &demo::pack_scan(3));
    assert!(h.state().flow.is_some());
    // The dialog is modal (Log out beside it takes no tap): the auto-logout's request.
    h.state_mut().send(Request::Logout);
    settle(&mut h);
    assert!(h.state().snapshot.user.is_none());
    assert!(h.state().flow.is_none());
}

#[test]
fn print_verify_reprint_with_reason_and_a_printer_that_is_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    click(&mut h, "Print label");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(h.state().labels.last_key, Some(demo::case_sscc(1)));
    assert_eq!(h.state().labels.printer, PrinterState::NoPrinter);
    assert_eq!(
        h.state().snapshot.label_awaiting_scan,
        Some(demo::case_sscc(1))
    );
    assert!(shows(&h, "Scan the label to verify it:"));
    assert!(h.state().labels.has_preview(), "preview rendered");

    // Reprint asks for a reason (picker), then the label waits for its scan again.
    click(&mut h, "Reprint label…");
    click(&mut h, "Printer jam");
    click(&mut h, "Confirm");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    scan(&mut h, &demo::case_sscc(1));
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(h.state().snapshot.label_awaiting_scan, None);

    // A printer that is off: a clear error and a Retry button, the frame never waits.
    h.state_mut().screen = packbench::ui::app::Screen::Settings;
    h.step();
    click(&mut h, "Printer and labels");
    assert_eq!(h.state().forms.printer.as_deref(), Some("none"));
    h.get_by_label("Printer").focus();
    h.run_steps(1);
    h.key_press(egui::Key::End);
    for _ in 0..4 {
        h.key_press(egui::Key::Backspace);
    }
    type_into(&mut h, "Printer", "tcp:127.0.0.1:1");
    assert_eq!(h.state().forms.printer.as_deref(), Some("tcp:127.0.0.1:1"));
    click(&mut h, "Save");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(
        h.state().snapshot.printer.as_deref(),
        Some("tcp:127.0.0.1:1")
    );
    h.state_mut().screen = packbench::ui::app::Screen::Station;
    scan(&mut h, "PBCMD:PRINT");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(h.state().labels.printer, PrinterState::Sending);
    let started = std::time::Instant::now();
    while matches!(h.state().labels.printer, PrinterState::Sending) {
        assert!(started.elapsed().as_secs() < 30, "no print outcome");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        matches!(&h.state().labels.printer, PrinterState::Failed(e) if e.contains("127.0.0.1:1")),
        "{:?}",
        h.state().labels.printer
    );
    h.step();
    assert!(shows(
        &h,
        "The printer did not print the label. Check that it is on, has labels and is connected."
    ));
    h.state_mut().verdict = None;
    h.run_steps(2);
    click(&mut h, "Retry");
    // The label went to the printer worker again (a reprint, audited with the printer fault).
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_ne!(
        h.state().labels.printer,
        PrinterState::NoPrinter,
        "sent to the printer"
    );
}

#[test]
fn settings_are_saved_to_a_real_file_and_reloaded() {
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let file = || SettingsFile::in_dir(config.path());
    {
        let mut h = harness_with(data.path(), "en-US", Some(file()));
        first_run(&mut h);
        h.state_mut().screen = packbench::ui::app::Screen::Settings;
        h.step();
        type_into(&mut h, "Station name", "Line 3 bench 2");
        click(&mut h, "Keyboard scanner");
        assert!(shows(
            &h,
            "Keys closer together than this are one scan; slower typing stays typing."
        ));
        click(&mut h, "Language");
        click(&mut h, "Tiếng Việt");
        settle(&mut h);
        assert_eq!(h.state().i18n.locale(), "vi");
        // The writer thread saves the latest settings; wait for it to reach the disk.
        let started = std::time::Instant::now();
        let saved = loop {
            let (saved, err) = file().load();
            assert_eq!(err, None);
            if saved.locale == "vi" || started.elapsed().as_secs() > 10 {
                break saved;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(saved.station_name, "Line 3 bench 2");
        assert_eq!(saved.locale, "vi");
        assert!(saved.muted, "the harness mutes");
    }
    // A new app on the same file starts in Vietnamese with the station name in the status bar.
    let mut h = harness_with(data.path(), "en-US", Some(file()));
    settle(&mut h);
    assert_eq!(h.state().i18n.locale(), "vi");
    assert_eq!(h.state().settings.station_name, "Line 3 bench 2");
    assert!(shows(&h, "Line 3 bench 2"));
    drop(h);

    // PACKBENCH_LANG=de: German for this session only; a later settings change does not save it.
    let mut h = harness_with(data.path(), "en-US", Some(file()));
    h.state_mut().override_locale("de");
    settle(&mut h);
    h.state_mut().settings.station_name = "Line 3 bench 3".into();
    settle(&mut h);
    assert_eq!(h.state().i18n.locale(), "de");
    let started = std::time::Instant::now();
    let saved = loop {
        let (saved, _) = file().load();
        if saved.station_name == "Line 3 bench 3" || started.elapsed().as_secs() > 10 {
            break saved;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(saved.station_name, "Line 3 bench 3");
    assert_eq!(saved.locale, "vi", "the saved language is kept");
    assert_eq!(
        h.state().i18n.locale(),
        "de",
        "the override stays for the session"
    );
    drop(h);

    // A corrupt file: defaults, a clear message, the bad file kept aside.
    std::fs::write(file().path(), "{ \"locale\": ").unwrap();
    let mut h = harness_with(data.path(), "en-US", Some(file()));
    settle(&mut h);
    assert_eq!(h.state().settings.locale, AppSettings::default().locale);
    let notice = h.state().notice.clone().expect("a message");
    assert!(notice.contains("settings.json.bad"), "{notice}");
    assert!(config.path().join("settings.json.bad").exists());
    assert!(shows(&h, &notice));
}

#[test]
fn repository_settings_keep_the_secret_private_and_the_status_bar_says_offline() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path());
    first_run(&mut h);
    let queued = h.state().snapshot.outbox.0;
    assert!(shows(
        &h,
        &format!("Sync: offline – not configured ({queued} queued)")
    ));
    h.state_mut().screen = packbench::ui::app::Screen::Settings;
    h.step();
    click(&mut h, "Repository connection");
    click(&mut h, "QU4RTET (EPCIS 1.2)");
    type_into(&mut h, "Repository URL", "http://127.0.0.1:1/");
    click(&mut h, "User and password");
    type_into(&mut h, "Repository user", "bench");
    type_into(&mut h, "New password or token", "s3cret-pw");
    click(&mut h, "Save");
    assert!(h.state().sync.is_running(), "{:?}", h.state().sync.error);
    assert_eq!(h.state().sync.form.new_secret, "", "never shown back");
    let public = std::fs::read_to_string(data.path().join(packbench::sync::CONFIG_FILE)).unwrap();
    assert!(!public.contains("s3cret-pw"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(data.path().join(packbench::sync::CREDENTIALS_FILE)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let config = packbench::sync::RepositoryConfig::load(data.path())
        .unwrap()
        .unwrap();
    assert_eq!(config.url, "http://127.0.0.1:1");
    assert!(shows(
        &h,
        "A secret is stored (never shown). Leave the field empty to keep it."
    ));
    // The worker runs against an address nobody listens on: the bar shows the counts.
    for _ in 0..50 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(h.state().sync.status.is_some());
    assert!(shows(&h, "Repository settings saved."));

    // Back to no repository: the files go, the worker stops, the bar says offline again.
    click(&mut h, "No repository (offline)");
    click(&mut h, "Save");
    assert!(!h.state().sync.is_running());
    assert!(!data.path().join(packbench::sync::CREDENTIALS_FILE).exists());
    assert_eq!(
        packbench::sync::RepositoryConfig::load(data.path()),
        Ok(None)
    );
    let queued = h.state().snapshot.outbox.0;
    assert!(shows(
        &h,
        &format!("Sync: offline – not configured ({queued} queued)")
    ));
}

#[test]
fn the_owner_gln_is_set_on_the_settings_screen_and_says_where_it_comes_from() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path());
    first_run(&mut h);
    h.state_mut().screen = packbench::ui::app::Screen::Settings;
    settle(&mut h);
    // The training set-up has a business location and no owner GLN: its GLN is used.
    assert!(shows(
        &h,
        "No owner GLN set: events use the business location's GLN 9506000000008 (urn:epc:id:sgln:9506000.00000.0)."
    ));
    let field = "Owner GLN (work orders' business transactions)";
    // A wrong check digit is refused by the station, naming it; nothing changes.
    type_into(&mut h, field, "9506000000016");
    click(&mut h, "Save owner GLN");
    assert_eq!(code(&h), Some("INVALID_ARGUMENT"));
    assert_eq!(
        h.state().snapshot.owner_gln,
        packbench::station::OwnerGln::BizLocation {
            gln: "9506000000008".to_owned(),
            biz_location: "urn:epc:id:sgln:9506000.00000.0".to_owned()
        }
    );
    h.state_mut().forms.owner_gln = Some(String::new());
    h.run_steps(1);
    type_into(&mut h, field, "9506000000015");
    click(&mut h, "Save owner GLN");
    assert_eq!(code(&h), Some("OK"));
    assert!(shows(
        &h,
        "Events name each work order as a business transaction of GLN 9506000000015."
    ));
    assert_eq!(
        h.state().snapshot.owner_gln,
        packbench::station::OwnerGln::Setting {
            gln: "9506000000015".to_owned()
        }
    );
}
