//! The workstation GUI (egui/eframe): commands in, view models out. The station runs on its own
//! thread ([`worker`]); the UI sends [`crate::station::Request`]s and draws the
//! [`worker::Snapshot`] the worker publishes after every command. The screens draw from a
//! [`state::AppState`] of typed view models and return [`ui_command::UiCommand`]s, applied once
//! per frame; what a scan means is decided in one place, [`scan_route`]. No SQL, file or device
//! I/O happens in the frame loop.
//!
//! Start: `packbench` with no arguments. On first start (no users in the database) the window
//! asks for the administrator's name and password and then sets up the training data of
//! [`demo`], so every flow can be tried at once.

mod alert_view;
pub mod app;
pub mod auto_pack;
mod camera_layer;
pub mod closeout_view;
pub mod demo;
mod desk;
mod device_fields;
mod devices_panel;
pub mod devices_settings;
pub mod devices_state;
mod devices_wizard;
mod dialogs;
pub mod files;
pub mod fill_grid;
pub mod flows;
pub mod fonts;
pub mod history_view;
pub mod hold_view;
pub mod i18n;
pub mod labels_view;
pub mod menu_bar;
mod owner_gln_view;
pub mod recall_view;
pub mod returns_view;
pub mod scan_route;
mod screens;
pub mod settings;
pub mod settings_view;
pub mod sheet;
pub mod sound;
pub mod state;
mod station_view;
pub mod status;
pub mod supervisor_view;
mod training;
pub mod tree_view;
pub mod ui_command;
pub mod users_view;
pub mod wedge;
pub mod worker;

pub use app::PackbenchApp;

use crate::station::Station;
use std::path::Path;

/// The environment variable that picks the start-up language (e.g. `vi`); default English.
pub const LOCALE_ENV: &str = "PACKBENCH_LANG";

impl eframe::App for PackbenchApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        PackbenchApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The sync worker finishes its exchange in flight and stops before the window goes.
        self.sync.stop();
    }
}

/// Starts an app on the station in `data_dir` (fonts and theme installed on `ctx`), with the
/// settings file of `config_dir` (none: not persisted) and the repository sync of `data_dir`.
/// `locale` overrides the language of the settings.
pub fn start(
    ctx: &egui::Context,
    data_dir: &Path,
    config_dir: Option<&Path>,
    locale: Option<&str>,
) -> Result<PackbenchApp, String> {
    fonts::install(ctx);
    let mut station = Station::open(data_dir).map_err(|e| e.to_string())?;
    if std::env::var(demo::DEMO_ENV).is_ok_and(|v| v == "half-pallet") {
        let r = demo::half_built_pallet(&mut station);
        if !r.ok {
            return Err(format!(
                "demo preload: {} {}",
                r.code,
                r.detail.unwrap_or_default()
            ));
        }
    }
    crate::sync::connect_repository(&mut station, data_dir);
    let waker_ctx = ctx.clone();
    let worker =
        worker::WorkerHandle::spawn(station, Box::new(move || waker_ctx.request_repaint()))
            .map_err(|e| e.to_string())?;
    let mut app = PackbenchApp::new(Some(worker), locale.unwrap_or("en-US"));
    if let Some(dir) = config_dir {
        app.use_settings_file(settings::SettingsFile::in_dir(dir));
    }
    if let Some(l) = locale {
        app.override_locale(l);
    }
    app.attach_data_dir(data_dir);
    Ok(app)
}

/// Opens the window and runs until it is closed.
pub fn run(data_dir: &Path, config_dir: Option<&Path>) -> Result<(), String> {
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let locale = std::env::var(LOCALE_ENV).ok();
    let config_dir = config_dir.map(Path::to_path_buf);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("packbench")
            .with_inner_size([1366.0, 768.0])
            .with_min_inner_size([1024.0, 640.0]),
        ..Default::default()
    };
    let dir = data_dir.to_path_buf();
    eframe::run_native(
        "packbench",
        options,
        Box::new(move |cc| {
            let app = start(&cc.egui_ctx, &dir, config_dir.as_deref(), locale.as_deref())?;
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| e.to_string())
}
