//! The app's side of the workstation settings: the settings file loaded and applied at start,
//! and a change saved once per frame (a dragged slider once it is let go).

use super::PackbenchApp;
use crate::ui::settings::SettingsFile;

impl PackbenchApp {
    /// Loads the settings file, applies it, and saves there on every later change. A corrupt
    /// file is kept aside and the defaults are used; the message is shown to the user.
    pub fn use_settings_file(&mut self, file: SettingsFile) {
        let (settings, error) = file.load();
        if let Some(e) = error {
            self.notice = Some(
                self.i18n
                    .tr_args("settings-file-bad", &[("detail", e.to_string().into())]),
            );
        }
        let muted = self.settings.muted || settings.muted;
        self.settings = settings;
        self.settings.muted = muted;
        self.apply_settings();
        self.devices.settings = self.settings.devices.clone();
        self.devices.restart();
        self.settings_saved = Some(self.settings.clone());
        match crate::ui::settings::SettingsStore::start(file) {
            Ok(store) => self.settings_file = Some(store),
            Err(e) => {
                self.notice = Some(
                    self.i18n
                        .tr_args("settings-save-failed", &[("detail", e.to_string().into())]),
                );
            }
        }
    }

    pub(crate) fn apply_settings(&mut self) {
        // The pseudo-locale (tests) and a `PACKBENCH_LANG` override are never replaced by the
        // saved language.
        if self.i18n.locale() != self.settings.locale
            && self.i18n.locale() != crate::ui::i18n::PSEUDO_LOCALE
            && !self.locale_override
        {
            self.set_locale(&self.settings.locale.clone());
        }
        // The keyboard wedge: its timing, and the calibrated profile of the wedge scanner.
        let mut profile = self.wedge.profile().clone();
        profile.max_gap_ms = self.settings.wedge_max_gap_ms;
        profile.scanner.clone_from(&self.settings.devices.wedge);
        if &profile != self.wedge.profile() {
            let _ = self.wedge.set_profile(profile);
        }
    }

    /// Queues a save of the settings when they changed, once the pointer is up (a dragged
    /// slider is saved when let go); reports a save that failed (called once per frame).
    pub(crate) fn settings_logic(&mut self, ctx: &egui::Context) {
        if let Some(e) = self.settings_file.as_ref().and_then(|f| f.failed()) {
            self.notice = Some(
                self.i18n
                    .tr_args("settings-save-failed", &[("detail", e.to_string().into())]),
            );
        }
        if self.devices.settings != self.settings.devices {
            self.settings.devices = self.devices.settings.clone();
        }
        if self.settings_saved.as_ref() == Some(&self.settings) {
            return;
        }
        self.apply_settings();
        if ctx.input(|i| i.pointer.any_down()) {
            return;
        }
        if let Some(store) = &self.settings_file {
            store.save(&self.settings);
        }
        self.settings_saved = Some(self.settings.clone());
    }
}
