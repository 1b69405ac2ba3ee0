//! The app's side of repository sync: attaching the data directory, saving the connection, and
//! the worker's status refreshed once per frame.

use super::PackbenchApp;
use std::path::Path;

impl PackbenchApp {
    /// Connects the app to its data directory: loads the repository settings and, when a
    /// repository is configured, starts the sync worker.
    pub fn attach_data_dir(&mut self, data_dir: &Path) {
        self.sync.attach(data_dir);
    }

    /// Saves the repository form and restarts the sync worker (see
    /// [`crate::ui::status::SyncPanel::save`]).
    pub fn save_repository(&mut self) -> bool {
        self.sync.save(&self.i18n)
    }

    /// Refreshes the sync status and wakes the worker when the station queued new events.
    pub(crate) fn sync_logic(&mut self, ctx: &egui::Context) {
        if self.sync.logic(ctx, self.snapshot.outbox.0) {
            self.notice = Some(self.i18n.tr("settings-repo-saved"));
        }
    }
}
