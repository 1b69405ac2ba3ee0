//! Starting the app: on a station opened in its data directory (its worker thread, the
//! settings file, the repository sync), and the app as eframe runs it.

use super::PackbenchApp;
use crate::station::Station;
use crate::ui::state::Screen;
use std::path::Path;

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
    crate::ui::fonts::install(ctx);
    let mut station = Station::open(data_dir).map_err(|e| e.to_string())?;
    if std::env::var(crate::ui::demo::DEMO_ENV).is_ok_and(|v| v == "half-pallet") {
        let r = crate::ui::demo::half_built_pallet(&mut station);
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
    let worker = crate::ui::worker::WorkerHandle::spawn(
        station,
        Box::new(move || waker_ctx.request_repaint()),
    )
    .map_err(|e| e.to_string())?;
    let mut app = PackbenchApp::new(Some(worker), locale.unwrap_or("en-US"));
    if let Some(dir) = config_dir {
        app.use_settings_file(crate::ui::settings::SettingsFile::in_dir(dir));
    }
    if let Some(l) = locale {
        app.override_locale(l);
    }
    app.attach_data_dir(data_dir);
    if std::env::var_os(crate::ui::demo::DEMO_ENV).is_some()
        && let Some(screen) = std::env::var(crate::ui::demo::SCREEN_ENV)
            .ok()
            .and_then(|name| Screen::from_name(&name))
    {
        app.screen = screen;
    }
    Ok(app)
}
