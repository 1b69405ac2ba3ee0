//! Shared helpers of the GUI tests: the real app on a real station worker in a kittest harness.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // each test crate uses a subset

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::station::Station;
use packbench::ui::settings::SettingsFile;
use packbench::ui::worker::WorkerHandle;
use packbench::ui::{PackbenchApp, fonts};
use std::path::Path;

/// A muted app on a new station worker of `dir`.
fn app_on(dir: &Path, locale: &str) -> PackbenchApp {
    let station = Station::open(dir).unwrap();
    let worker = WorkerHandle::spawn(station, Box::new(|| {})).unwrap();
    let mut app = PackbenchApp::new(Some(worker), locale);
    app.settings.muted = true;
    app
}

/// `app` on the 1366×768 bench screen, one frame per step 1 ms apart (scanner-speed bursts).
fn bench_screen(app: PackbenchApp) -> Harness<'static, PackbenchApp> {
    Harness::builder()
        .with_size([1366.0, 768.0])
        .with_step_dt(0.001)
        .with_context_setup(fonts::install)
        .build_ui_state(
            |ui, app: &mut PackbenchApp| {
                app.logic(ui.ctx());
                app.frame_ui(ui);
            },
            app,
        )
}

/// The app on a new station worker of `dir` (muted), with an optional settings file.
pub fn harness_with(
    dir: &Path,
    locale: &str,
    settings: Option<SettingsFile>,
) -> Harness<'static, PackbenchApp> {
    let mut app = app_on(dir, locale);
    if let Some(file) = settings {
        app.use_settings_file(file);
    }
    app.attach_data_dir(dir);
    bench_screen(app)
}

/// The app on the 1366×768 bench screen without a data directory attached (so the
/// status bar shows no temporary path): for image snapshots.
pub fn small_harness(dir: &Path) -> Harness<'static, PackbenchApp> {
    bench_screen(app_on(dir, "en-US"))
}

pub fn harness(dir: &Path) -> Harness<'static, PackbenchApp> {
    harness_with(dir, "en-US", None)
}

pub fn settle(h: &mut Harness<'static, PackbenchApp>) {
    let mut quiet = 0;
    for _ in 0..3000 {
        h.step();
        if h.state().is_ready() && !h.state().is_busy() {
            quiet += 1;
            if quiet > 3 {
                return;
            }
        } else {
            quiet = 0;
        }
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
    panic!("the app did not settle");
}

pub fn scan(h: &mut Harness<'static, PackbenchApp>, data: &str) {
    for ch in data.chars() {
        h.event(egui::Event::Text(ch.to_string()));
    }
    h.key_press(egui::Key::Enter);
    settle(h);
}

pub fn type_into(h: &mut Harness<'static, PackbenchApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run_steps(1);
}

pub fn click(h: &mut Harness<'static, PackbenchApp>, label: &str) {
    h.get_all_by_role_and_label(Role::Button, label)
        .last()
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .click();
    settle(h);
}

pub fn shows(h: &Harness<'static, PackbenchApp>, text: &str) -> bool {
    h.query_all_by_role(Role::Label).any(|n| {
        n.value().as_deref() == Some(text) || n.accesskit_node().label().as_deref() == Some(text)
    })
}

pub fn code(h: &Harness<'static, PackbenchApp>) -> Option<&'static str> {
    h.state().verdict.as_ref().map(|v| v.code.as_str())
}

/// The first-run dialog filled in (labels in the app's own language): administrator `admin`
/// with password `admin-pass-1`, then the training order is selected.
pub fn first_run(h: &mut Harness<'static, PackbenchApp>) {
    settle(h);
    assert!(h.state().snapshot.first_run);
    let t = |h: &Harness<'static, PackbenchApp>, id: &str| h.state().i18n.tr(id);
    let (name, pw, pw2, go) = (
        t(h, "first-run-name"),
        t(h, "first-run-password"),
        t(h, "first-run-password2"),
        t(h, "first-run-submit"),
    );
    type_into(h, &name, "Ada Admin");
    type_into(h, &pw, "admin-pass-1");
    type_into(h, &pw2, "admin-pass-1");
    click(h, &go);
    settle(h);
}

/// Text of a message in the app's current language.
pub fn tr(h: &Harness<'static, PackbenchApp>, id: &str) -> String {
    h.state().i18n.tr(id)
}

pub fn sign(h: &mut Harness<'static, PackbenchApp>, reason: &str) {
    assert!(h.state().signature.is_some(), "signature dialog open");
    type_into(h, "Supervisor user name", "admin");
    type_into(h, "Supervisor password", "admin-pass-1");
    type_into(h, "Reason", reason);
    click(h, "Sign");
}
