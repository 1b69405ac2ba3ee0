//! The status bar (database, repository sync, devices, SSCC stock, last verdict time) and the
//! repository sync worker the GUI runs when a repository is configured: started on its own named
//! thread by [`crate::sync::SyncWorker`], woken when the station queues events, stopped when the
//! app ends (the worker stops when dropped). With no repository the bar says so.

use super::app::PackbenchApp;
use crate::domain::Severity;
use crate::sync::{Auth, RepositoryConfig, RepositoryKind, SyncStatus, SyncWorker};
use std::path::{Path, PathBuf};

/// How often the sync worker looks at the outbox by itself (it is also woken after commits).
const SYNC_IDLE_POLL_MS: u64 = 5_000;

/// Which kind of credentials the repository form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthKind {
    /// None.
    #[default]
    None,
    /// `Bearer` token.
    Bearer,
    /// `Token` (QU4RTET / Django REST framework).
    Token,
    /// HTTP Basic (user + password).
    Basic,
}

/// The repository connection being edited on the settings screen. The secret is never
/// filled from the stored one: an empty secret field keeps what is stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepositoryForm {
    /// Kind; `None` = no repository.
    pub kind: Option<RepositoryKind>,
    /// Base URL.
    pub url: String,
    /// Credentials kind.
    pub auth: AuthKind,
    /// User (Basic).
    pub user: String,
    /// A new secret (token or password); empty keeps the stored one.
    pub new_secret: String,
}

/// The sync side of the app.
#[derive(Debug, Default)]
pub struct SyncPanel {
    data_dir: Option<PathBuf>,
    worker: Option<SyncWorker>,
    /// The stored configuration (secret included: never shown, never logged — `Debug` hides it).
    config: Option<RepositoryConfig>,
    /// The latest status of the worker.
    pub status: Option<SyncStatus>,
    /// The settings form.
    pub form: RepositoryForm,
    /// A problem with the stored settings or starting the worker (shown in the settings and
    /// the status bar).
    pub error: Option<String>,
    last_queued: i64,
    saving: Option<std::sync::mpsc::Receiver<SaveOutcome>>,
    /// The list of commands the repository refused (parked) is open.
    pub show_parked: bool,
}

/// What the repository-settings thread did.
#[derive(Debug)]
struct SaveOutcome {
    /// The configuration in effect now.
    config: Option<RepositoryConfig>,
    /// The worker running for it.
    worker: Option<SyncWorker>,
    /// Why the new settings could not be saved (the old ones stay in effect).
    error: Option<String>,
}

/// Writes (or removes) the repository settings and starts the worker for the settings in
/// effect afterwards (on the repository-settings thread).
fn apply_repository(
    dir: &Path,
    config: Option<RepositoryConfig>,
    old: Option<RepositoryConfig>,
) -> SaveOutcome {
    let (in_effect, error) = match config {
        None => {
            for f in [crate::sync::CONFIG_FILE, crate::sync::CREDENTIALS_FILE] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            (None, None)
        }
        Some(c) => match c.save(dir) {
            Ok(()) => (Some(c), None),
            Err(e) => (old, Some(e.to_string())),
        },
    };
    let (worker, error) = match &in_effect {
        None => (None, error),
        Some(c) => match SyncWorker::start(dir, c.clone(), SYNC_IDLE_POLL_MS) {
            Ok(w) => (Some(w), error),
            Err(e) => (None, error.or_else(|| Some(e.to_string()))),
        },
    };
    SaveOutcome {
        config: in_effect,
        worker,
        error,
    }
}

impl SyncPanel {
    /// Whether saved repository settings are still being applied.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// Whether a sync worker runs.
    pub fn is_running(&self) -> bool {
        self.worker.is_some()
    }

    /// The data directory of the station (database, repository settings).
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    fn fill_form(&mut self) {
        let Some(c) = &self.config else {
            self.form = RepositoryForm::default();
            return;
        };
        self.form = RepositoryForm {
            kind: Some(c.kind),
            url: c.url.clone(),
            auth: match &c.auth {
                Auth::None => AuthKind::None,
                Auth::Bearer { .. } => AuthKind::Bearer,
                Auth::Token { .. } => AuthKind::Token,
                Auth::Basic { .. } => AuthKind::Basic,
            },
            user: match &c.auth {
                Auth::Basic { user, .. } => user.clone(),
                _ => String::new(),
            },
            new_secret: String::new(),
        };
    }

    /// Whether a secret is stored for the configured repository.
    pub fn has_secret(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.auth != Auth::None)
    }

    fn restart(&mut self) {
        if let Some(w) = self.worker.take() {
            w.stop();
        }
        let (Some(dir), Some(config)) = (&self.data_dir, &self.config) else {
            return;
        };
        match SyncWorker::start(dir, config.clone(), SYNC_IDLE_POLL_MS) {
            Ok(w) => self.worker = Some(w),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Stops the worker (it also stops when the app is dropped).
    pub fn stop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.stop();
        }
    }
}

fn secret_of(form: &RepositoryForm, old: Option<&Auth>) -> Auth {
    let keep = |f: &dyn Fn(&Auth) -> Option<String>| {
        if form.new_secret.is_empty() {
            old.and_then(f).unwrap_or_default()
        } else {
            form.new_secret.clone()
        }
    };
    let token = |a: &Auth| match a {
        Auth::Bearer { token } | Auth::Token { token } => Some(token.clone()),
        _ => None,
    };
    match form.auth {
        AuthKind::None => Auth::None,
        AuthKind::Bearer => Auth::Bearer {
            token: keep(&token),
        },
        AuthKind::Token => Auth::Token {
            token: keep(&token),
        },
        AuthKind::Basic => Auth::Basic {
            user: form.user.trim().to_owned(),
            password: keep(&|a| match a {
                Auth::Basic { password, .. } => Some(password.clone()),
                _ => None,
            }),
        },
    }
}

impl PackbenchApp {
    /// Connects the app to its data directory: loads the repository settings and, when a
    /// repository is configured, starts the sync worker.
    pub fn attach_data_dir(&mut self, data_dir: &Path) {
        self.sync.data_dir = Some(data_dir.to_path_buf());
        match RepositoryConfig::load(data_dir) {
            Ok(config) => self.sync.config = config,
            Err(e) => self.sync.error = Some(e.to_string()),
        }
        self.sync.fill_form();
        self.sync.restart();
    }

    /// Saves the repository form and restarts the sync worker, on a named thread (stopping the
    /// old worker may wait for an exchange in flight; the frame never does). `false` with
    /// [`SyncPanel::error`] set when the form is refused before anything is written; the
    /// outcome of the save arrives later ([`SyncPanel::is_saving`]).
    pub fn save_repository(&mut self) -> bool {
        let Some(dir) = self.sync.data_dir.clone() else {
            return false;
        };
        if self.sync.is_saving() {
            return false;
        }
        let form = self.sync.form.clone();
        let config = match form.kind {
            None => None,
            Some(kind) => {
                let url = form.url.trim();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    self.sync.error = Some(self.i18n.tr("settings-repo-bad-url"));
                    return false;
                }
                let auth = secret_of(&form, self.sync.config.as_ref().map(|c| &c.auth));
                let mut config = self
                    .sync
                    .config
                    .clone()
                    .filter(|c| c.kind == kind)
                    .unwrap_or_else(|| RepositoryConfig::new(kind, url, Auth::None));
                config.url = url.trim_end_matches('/').to_owned();
                config.auth = auth;
                Some(config)
            }
        };
        let old_worker = self.sync.worker.take();
        let old_config = self.sync.config.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("repository-settings".to_owned())
            .spawn(move || {
                if let Some(w) = old_worker {
                    w.stop();
                }
                let _ = tx.send(apply_repository(&dir, config, old_config));
            });
        match spawned {
            Ok(_) => {
                self.sync.saving = Some(rx);
                self.sync.error = None;
                true
            }
            Err(e) => {
                self.sync.error = Some(e.to_string());
                false
            }
        }
    }

    fn repository_saved_logic(&mut self) {
        let Some(rx) = &self.sync.saving else {
            return;
        };
        let Ok(outcome) = rx.try_recv() else {
            return;
        };
        self.sync.saving = None;
        self.sync.config = outcome.config;
        self.sync.worker = outcome.worker;
        if self.sync.worker.is_none() {
            self.sync.status = None;
        }
        match outcome.error {
            None => {
                self.sync.error = None;
                self.sync.form.new_secret.clear();
                self.notice = Some(self.i18n.tr("settings-repo-saved"));
            }
            Some(e) => self.sync.error = Some(e),
        }
    }

    /// Refreshes the sync status and wakes the worker when the station queued new events.
    pub(crate) fn sync_logic(&mut self, ctx: &egui::Context) {
        if self.sync.is_saving() {
            self.repository_saved_logic();
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let Some(worker) = &self.sync.worker else {
            return;
        };
        let status = worker.status();
        let queued = self.snapshot.outbox.0;
        if queued > self.sync.last_queued {
            worker.wake();
        }
        self.sync.last_queued = queued;
        if status.progress.is_some() || status.outbox.queued > 0 {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        self.sync.status = Some(status);
    }

    /// The bottom bar.
    pub(crate) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            match self.sync.data_dir.as_ref() {
                Some(dir) => {
                    let path = dir.display().to_string();
                    ui.label(self.i18n.tr_args("status-db", &[("path", path.into())]));
                }
                None => {
                    ui.label(self.i18n.tr("status-db-ok"));
                }
            }
            ui.separator();
            self.sync_status_ui(ui);
            ui.separator();
            self.devices_status_ui(ui);
            if let Some(left) = self.snapshot.sscc_low_stock {
                ui.separator();
                let (bg, fg) = super::station_view::severity_colors(Severity::Warning);
                egui::Frame::new()
                    .fill(bg)
                    .inner_margin(4.0)
                    .show(ui, |ui| {
                        ui.label(
                            egui::RichText::new(
                                self.i18n
                                    .tr_args("status-sscc-low", &[("left", left.into())]),
                            )
                            .color(fg),
                        );
                    });
            }
            if !self.settings.station_name.is_empty() {
                ui.separator();
                ui.label(&self.settings.station_name);
            }
            if let Some(rp) = &self.snapshot.read_point {
                ui.separator();
                ui.label(rp);
            }
            if let Some(d) = self.last_scan_to_verdict {
                ui.separator();
                ui.label(self.i18n.tr_args(
                    "status-latency",
                    &[("ms", (d.as_secs_f64() * 1000.0).round().into())],
                ));
            }
        });
    }

    fn sync_status_ui(&mut self, ui: &mut egui::Ui) {
        let Some(status) = self.sync.status.clone() else {
            let (queued, _, _) = self.snapshot.outbox;
            let id = if self.sync.error.is_some() {
                "status-sync-error"
            } else {
                "status-sync-offline"
            };
            ui.label(self.i18n.tr_args(id, &[("queued", queued.into())]));
            return;
        };
        let o = &status.outbox;
        ui.label(self.i18n.tr_args(
            "status-sync",
            &[
                ("queued", o.queued.into()),
                ("sent", o.sent.into()),
                ("failed", o.parked.into()),
            ],
        ));
        if let Some(p) = status.progress.filter(|p| p.total_events > 0) {
            #[allow(clippy::cast_precision_loss)] // counts far below 2^24
            let fraction = p.done_events as f32 / p.total_events as f32;
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(140.0)
                    .text(format!("{}/{}", p.done_events, p.total_events)),
            );
        }
        if o.parked > 0 {
            // Commands the repository refused (e.g. another bench changed the hierarchy
            // first): never applied silently, listed for the supervisor.
            let red = super::station_view::severity_colors(Severity::Refused).0;
            let caption = self
                .i18n
                .tr_args("status-sync-parked", &[("count", o.parked.into())]);
            if ui
                .add(egui::Button::new(egui::RichText::new(caption).color(red)))
                .clicked()
            {
                self.sync.show_parked = !self.sync.show_parked;
            }
        }
        let error = status.last_error.clone().or_else(|| o.last_error.clone());
        if let Some(e) = error {
            let red = super::station_view::severity_colors(Severity::Refused).0;
            ui.colored_label(red, self.i18n.tr("status-sync-failing"))
                .on_hover_text(e);
        } else if status.online {
            ui.label(self.i18n.tr("status-sync-online"));
        }
    }

    /// The commands the repository refused, with its message, for the supervisor.
    pub(crate) fn parked_ui(&mut self, ctx: &egui::Context) {
        if !self.sync.show_parked {
            return;
        }
        let rows = self
            .sync
            .status
            .as_ref()
            .map(|s| s.outbox.parked_rows.clone())
            .unwrap_or_default();
        let mut open = true;
        egui::Window::new(self.i18n.tr("parked-title"))
            .open(&mut open)
            .collapsible(false)
            .default_width(760.0)
            .show(ctx, |ui| {
                ui.label(self.i18n.tr("parked-help"));
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        egui::Grid::new("parked-rows")
                            .striped(true)
                            .num_columns(4)
                            .show(ui, |ui| {
                                for r in &rows {
                                    ui.monospace(super::screens::utc_time(r.time_ms));
                                    ui.label(&r.username);
                                    ui.label(format!("{} #{}", r.kind, r.command_id));
                                    ui.label(&r.error);
                                    ui.end_row();
                                }
                            });
                    });
            });
        if !open {
            self.sync.show_parked = false;
        }
    }

    /// The devices slot of the status bar: serial scanners, the camera and the keyboard wedge.
    pub(crate) fn devices_status_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(self.devices_status_text());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_secret_field_keeps_the_stored_secret() {
        let old = Auth::Basic {
            user: "ws".into(),
            password: "hunter2".into(),
        };
        let mut form = RepositoryForm {
            kind: Some(RepositoryKind::Qu4rtet),
            url: "http://127.0.0.1:8000".into(),
            auth: AuthKind::Basic,
            user: "ws2".into(),
            new_secret: String::new(),
        };
        assert_eq!(
            secret_of(&form, Some(&old)),
            Auth::Basic {
                user: "ws2".into(),
                password: "hunter2".into()
            }
        );
        form.new_secret = "new-pass".into();
        form.auth = AuthKind::Token;
        assert_eq!(
            secret_of(&form, Some(&old)),
            Auth::Token {
                token: "new-pass".into()
            }
        );
        form.auth = AuthKind::None;
        assert_eq!(secret_of(&form, Some(&old)), Auth::None);
    }
}
