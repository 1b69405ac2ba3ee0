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
pub mod device_fields;
mod devices_panel;
pub mod devices_settings;
pub mod devices_state;
mod dialogs;
pub mod files;
pub mod fill_grid;
pub mod flows;
pub mod fonts;
pub mod history_view;
pub mod hold_view;
pub mod i18n;
pub mod labels_view;
pub mod lookup_view;
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
mod status_bar;
pub mod supervisor_view;
mod training;
pub mod tree_view;
pub mod ui_command;
pub mod users_view;
pub mod wedge;
pub mod worker;

pub use app::{PackbenchApp, start};

use std::path::Path;

/// The environment variable that picks the start-up language (e.g. `vi`); default English.
pub const LOCALE_ENV: &str = "PACKBENCH_LANG";

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
