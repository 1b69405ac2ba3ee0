//! The repository sync worker the GUI runs when a repository is configured: started on its own named
//! thread by [`crate::sync::SyncWorker`], woken when the station queues events, stopped when the
//! app ends (the worker stops when dropped). The status bar (`status_bar`) draws its state; with no repository the bar says so.

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

impl SyncPanel {
    /// Connects to the station's data directory: loads the repository settings and, when a
    /// repository is configured, starts the sync worker.
    pub fn attach(&mut self, data_dir: &Path) {
        self.data_dir = Some(data_dir.to_path_buf());
        match RepositoryConfig::load(data_dir) {
            Ok(config) => self.config = config,
            Err(e) => self.error = Some(e.to_string()),
        }
        self.fill_form();
        self.restart();
    }

    /// Saves the repository form and restarts the sync worker, on a named thread (stopping the
    /// old worker may wait for an exchange in flight; the frame never does). `false` with
    /// [`SyncPanel::error`] set when the form is refused before anything is written; the
    /// outcome of the save arrives later ([`SyncPanel::is_saving`]).
    pub fn save(&mut self, i18n: &super::i18n::I18n) -> bool {
        let Some(dir) = self.data_dir.clone() else {
            return false;
        };
        if self.is_saving() {
            return false;
        }
        let form = self.form.clone();
        let config = match form.kind {
            None => None,
            Some(kind) => {
                let url = form.url.trim();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    self.error = Some(i18n.tr("settings-repo-bad-url"));
                    return false;
                }
                let auth = secret_of(&form, self.config.as_ref().map(|c| &c.auth));
                let mut config = self
                    .config
                    .clone()
                    .filter(|c| c.kind == kind)
                    .unwrap_or_else(|| RepositoryConfig::new(kind, url, Auth::None));
                config.url = url.trim_end_matches('/').to_owned();
                config.auth = auth;
                Some(config)
            }
        };
        let old_worker = self.worker.take();
        let old_config = self.config.clone();
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
                self.saving = Some(rx);
                self.error = None;
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }

    /// Takes the outcome of a save when it arrived: `Some(true)` when the new settings are in
    /// effect, `Some(false)` when they could not be saved ([`SyncPanel::error`] says why).
    fn take_saved(&mut self) -> Option<bool> {
        let outcome = self.saving.as_ref()?.try_recv().ok()?;
        self.saving = None;
        self.config = outcome.config;
        self.worker = outcome.worker;
        if self.worker.is_none() {
            self.status = None;
        }
        match outcome.error {
            None => {
                self.error = None;
                self.form.new_secret.clear();
                Some(true)
            }
            Some(e) => {
                self.error = Some(e);
                Some(false)
            }
        }
    }

    /// Refreshes the sync status and wakes the worker when the station queued new events
    /// (`queued`: the station's outbox); `true` when a save just took effect.
    pub fn logic(&mut self, ctx: &egui::Context, queued: i64) -> bool {
        let mut saved = false;
        if self.is_saving() {
            saved = self.take_saved() == Some(true);
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let Some(worker) = &self.worker else {
            return saved;
        };
        let status = worker.status();
        if queued > self.last_queued {
            worker.wake();
        }
        self.last_queued = queued;
        if status.progress.is_some() || status.outbox.queued > 0 {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        self.status = Some(status);
        saved
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
