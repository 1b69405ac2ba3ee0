//! The GUI topics' part of the harness: the real app on a real station worker in a kittest
//! harness, and the steps a packer takes (scan through the wedge, type, click, sign).

use super::station::DEADLINE;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use packbench::station::Station;
use packbench::ui::settings::SettingsFile;
use packbench::ui::worker::WorkerHandle;
use packbench::ui::{PackbenchApp, fonts};
use std::path::Path;

/// A muted app on a worker running `station`.
pub fn app_with(station: Station, locale: &str) -> PackbenchApp {
    let worker = WorkerHandle::spawn(station, Box::new(|| {})).unwrap();
    let mut app = PackbenchApp::new(Some(worker), locale);
    app.settings.muted = true;
    app
}

/// A muted app on a new station worker of `dir`.
fn app_on(dir: &Path, locale: &str) -> PackbenchApp {
    app_with(Station::open(dir).unwrap(), locale)
}

/// The 1366×768 bench screen.
pub const BENCH: [f32; 2] = [1366.0, 768.0];
/// A taller screen, for the camera panel with its preview.
pub const TALL: [f32; 2] = [1366.0, 900.0];

/// `app` on a screen of `size`, one frame per step 1 ms apart in egui time: a queued scan is
/// then a scanner-speed burst (the wedge's default gap is 50 ms).
pub fn screen(app: PackbenchApp, size: [f32; 2]) -> Harness<'static, PackbenchApp> {
    Harness::builder()
        .with_size(size)
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

fn bench_screen(app: PackbenchApp) -> Harness<'static, PackbenchApp> {
    screen(app, BENCH)
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
    harness_in(dir, "en-US")
}

/// The app in `locale` on the 1366×768 bench screen, without a data directory attached.
pub fn harness_in(dir: &Path, locale: &str) -> Harness<'static, PackbenchApp> {
    bench_screen(app_on(dir, locale))
}

pub fn harness(dir: &Path) -> Harness<'static, PackbenchApp> {
    harness_with(dir, "en-US", None)
}

/// Steps until `done` holds and nothing is in flight (the worker and the decode threads run
/// meanwhile); fails after [`DEADLINE`].
pub fn wait_for(
    h: &mut Harness<'static, PackbenchApp>,
    what: &str,
    done: impl Fn(&PackbenchApp) -> bool,
) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while std::time::Instant::now() < deadline {
        h.step();
        if done(h.state()) && !h.state().is_busy() {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("no {what} within {DEADLINE:?}");
}

/// Steps until the worker has answered everything and published its snapshot; fails after
/// [`DEADLINE`].
pub fn settle(h: &mut Harness<'static, PackbenchApp>) {
    let mut quiet = 0;
    let deadline = std::time::Instant::now() + DEADLINE;
    while std::time::Instant::now() < deadline {
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
    panic!("the app did not settle within {DEADLINE:?}");
}

/// A scanner burst through the keyboard wedge: one key event per character and Enter.
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

/// Clicks the last button labelled `label`; one that is not shown is looked for in the menu
/// bar's "More" (the screens a bench uses rarely live there).
pub fn click(h: &mut Harness<'static, PackbenchApp>, label: &str) {
    if h.query_all_by_role_and_label(Role::Button, label)
        .next()
        .is_none()
    {
        open_more(h);
    }
    h.get_all_by_role_and_label(Role::Button, label)
        .last()
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .click();
    settle(h);
}

/// Opens the menu bar's "More" menu.
pub fn open_more(h: &mut Harness<'static, PackbenchApp>) {
    let more = packbench::ui::menu_bar::more_title(&h.state().i18n);
    let found = match h.query_all_by_role_and_label(Role::Button, &more).next() {
        Some(button) => {
            button.click();
            true
        }
        None => false,
    };
    if found {
        h.run_steps(2);
    }
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

pub fn sign(h: &mut Harness<'static, PackbenchApp>, reason: &str) {
    assert!(h.state().signature.is_some(), "signature dialog open");
    type_into(h, "Supervisor user name", "admin");
    type_into(h, "Supervisor password", "admin-pass-1");
    type_into(h, "Reason", reason);
    click(h, "Sign");
}
