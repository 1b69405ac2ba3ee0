//! The settings screen, one section at a time: station identity, sounds, language, session
//! (auto-logout), keyboard scanner timing, repository connection, printer and label template,
//! and the "Scanners & camera" section that the devices GUI fills in
//! ([`PackbenchApp::devices_settings_ui`]). Workstation settings are saved to the settings file
//! on every change; station settings (SGLN, printer, template) go to the station (administrator
//! only); the repository connection is saved on its own Save button.

use super::app::PackbenchApp;
use super::settings::SettingsFile;
use super::status::AuthKind;
use crate::labels::Template;
use crate::labels::printer::PrinterTarget;
use crate::station::Request;
use crate::sync::RepositoryKind;

/// The sections of the settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingsSection {
    /// Station name and SGLN.
    #[default]
    Station,
    /// Mute.
    Sounds,
    /// Language.
    Language,
    /// Auto-logout.
    Session,
    /// Keyboard-wedge timing.
    Scanner,
    /// Repository connection.
    Repository,
    /// Printer target and label template.
    Printer,
    /// Serial scanners and camera: drawn by [`PackbenchApp::devices_settings_ui`].
    Devices,
}

impl SettingsSection {
    /// Every section, in menu order.
    pub const ALL: [Self; 8] = [
        Self::Station,
        Self::Sounds,
        Self::Language,
        Self::Session,
        Self::Scanner,
        Self::Repository,
        Self::Printer,
        Self::Devices,
    ];

    /// The Fluent id of its title.
    pub fn title_id(self) -> &'static str {
        match self {
            Self::Station => "settings-section-station",
            Self::Sounds => "settings-section-sounds",
            Self::Language => "settings-language",
            Self::Session => "settings-section-session",
            Self::Scanner => "settings-section-scanner",
            Self::Repository => "settings-section-repository",
            Self::Printer => "settings-section-printer",
            Self::Devices => "settings-section-devices",
        }
    }
}

fn labelled_text(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    password: bool,
) -> egui::Response {
    super::screens::labelled_field(ui, label, value, password, [240.0, 360.0])
}

const BIG: egui::Vec2 = egui::vec2(150.0, 40.0);

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
        match super::settings::SettingsStore::start(file) {
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
            && self.i18n.locale() != super::i18n::PSEUDO_LOCALE
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

    /// The settings screen.
    pub(crate) fn settings_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("settings-title"));
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(260.0);
                for section in SettingsSection::ALL {
                    if ui
                        .add(
                            egui::Button::new(self.i18n.tr(section.title_id()))
                                .selected(self.settings_section == section)
                                .min_size(egui::vec2(250.0, 40.0)),
                        )
                        .clicked()
                    {
                        self.settings_section = section;
                    }
                }
            });
            ui.separator();
            ui.vertical(|ui| {
                ui.heading(self.i18n.tr(self.settings_section.title_id()));
                match self.settings_section {
                    SettingsSection::Station => self.station_settings_ui(ui),
                    SettingsSection::Sounds => {
                        ui.checkbox(&mut self.settings.muted, self.i18n.tr("settings-mute"));
                    }
                    SettingsSection::Language => self.language_ui(ui),
                    SettingsSection::Session => {
                        ui.horizontal(|ui| {
                            let l = ui.label(self.i18n.tr("settings-auto-logout"));
                            ui.add(
                                egui::Slider::new(&mut self.settings.auto_logout_min, 0..=120)
                                    .suffix(" min"),
                            )
                            .labelled_by(l.id);
                        });
                        ui.label(self.i18n.tr("settings-auto-logout-hint"));
                    }
                    SettingsSection::Scanner => {
                        ui.horizontal(|ui| {
                            let l = ui.label(self.i18n.tr("settings-wedge-gap"));
                            ui.add(
                                egui::Slider::new(&mut self.settings.wedge_max_gap_ms, 10..=200)
                                    .suffix(" ms"),
                            )
                            .labelled_by(l.id);
                        });
                        ui.label(self.i18n.tr("settings-wedge-hint"));
                    }
                    SettingsSection::Repository => self.repository_settings_ui(ui),
                    SettingsSection::Printer => self.printer_settings_ui(ui),
                    SettingsSection::Devices => self.devices_settings_ui(ui),
                }
                if let Some(store) = &self.settings_file {
                    ui.separator();
                    ui.label(self.i18n.tr_args(
                        "settings-file",
                        &[("path", store.file().path().display().to_string().into())],
                    ));
                }
            });
        });
    }

    fn is_admin(&self) -> bool {
        self.snapshot
            .user
            .as_ref()
            .is_some_and(|u| u.role.can_administer())
    }

    fn station_settings_ui(&mut self, ui: &mut egui::Ui) {
        labelled_text(
            ui,
            &self.i18n.tr("settings-station-name"),
            &mut self.settings.station_name,
            false,
        );
        let admin = self.is_admin();
        ui.add_enabled_ui(admin, |ui| {
            labelled_text(
                ui,
                &self.i18n.tr("settings-read-point"),
                &mut self.forms.read_point,
                false,
            );
            if ui
                .add(egui::Button::new(self.i18n.tr("settings-save")).min_size(BIG))
                .clicked()
                && !self.forms.read_point.trim().is_empty()
            {
                self.send(Request::SetSetting {
                    key: "read_point".to_owned(),
                    value: self.forms.read_point.trim().to_owned(),
                });
            }
        });
        ui.separator();
        self.owner_gln_ui(ui, admin);
        if !admin {
            ui.label(self.i18n.tr("settings-admin-only"));
        }
    }

    fn repository_settings_ui(&mut self, ui: &mut egui::Ui) {
        let admin = self.is_admin();
        let mut save = false;
        ui.add_enabled_ui(admin, |ui| {
            let form = &mut self.sync.form;
            ui.horizontal_wrapped(|ui| {
                for (kind, id) in [
                    (None, "settings-repo-none"),
                    (Some(RepositoryKind::Epcis20), "settings-repo-epcis20"),
                    (Some(RepositoryKind::Qu4rtet), "settings-repo-qu4rtet"),
                ] {
                    if ui
                        .add(
                            egui::Button::new(self.i18n.tr(id))
                                .selected(form.kind == kind)
                                .min_size(BIG),
                        )
                        .clicked()
                    {
                        form.kind = kind;
                    }
                }
            });
            if form.kind.is_some() {
                labelled_text(ui, &self.i18n.tr("settings-repo-url"), &mut form.url, false);
                ui.horizontal_wrapped(|ui| {
                    ui.label(self.i18n.tr("settings-repo-auth"));
                    for (kind, id) in [
                        (AuthKind::None, "settings-auth-none"),
                        (AuthKind::Bearer, "settings-auth-bearer"),
                        (AuthKind::Token, "settings-auth-token"),
                        (AuthKind::Basic, "settings-auth-basic"),
                    ] {
                        if ui
                            .selectable_label(form.auth == kind, self.i18n.tr(id))
                            .clicked()
                        {
                            form.auth = kind;
                        }
                    }
                });
                if form.auth == AuthKind::Basic {
                    labelled_text(
                        ui,
                        &self.i18n.tr("settings-repo-user"),
                        &mut form.user,
                        false,
                    );
                }
                if form.auth != AuthKind::None {
                    labelled_text(
                        ui,
                        &self.i18n.tr("settings-repo-secret"),
                        &mut form.new_secret,
                        true,
                    );
                }
            }
            save = ui
                .add(egui::Button::new(self.i18n.tr("settings-save")).min_size(BIG))
                .clicked();
        });
        if self.sync.has_secret() {
            ui.label(self.i18n.tr("settings-repo-secret-stored"));
        }
        if !admin {
            ui.label(self.i18n.tr("settings-admin-only"));
        }
        if save {
            self.save_repository();
        }
        if self.sync.is_saving() {
            ui.spinner();
        }
        if let Some(e) = &self.sync.error {
            ui.colored_label(egui::Color32::from_rgb(190, 0, 0), e);
        }
        let state = if self.sync.is_running() {
            "status-sync-online"
        } else {
            "status-sync-offline"
        };
        ui.label(
            self.i18n
                .tr_args(state, &[("queued", self.snapshot.outbox.0.into())]),
        );
    }

    fn printer_settings_ui(&mut self, ui: &mut egui::Ui) {
        let admin = self.is_admin();
        if self.forms.printer.is_none() {
            self.forms.printer = Some(
                self.snapshot
                    .printer
                    .clone()
                    .unwrap_or_else(|| "none".to_owned()),
            );
        }
        let mut printer = self.forms.printer.clone().unwrap_or_default();
        let current_template = self
            .snapshot
            .label_template
            .clone()
            .unwrap_or_else(|| Template::In4x6.as_str().to_owned());
        ui.add_enabled_ui(admin, |ui| {
            labelled_text(ui, &self.i18n.tr("settings-printer"), &mut printer, false);
            ui.label(self.i18n.tr("settings-printer-hint"));
            let valid = printer.trim() == "none" || PrinterTarget::parse(printer.trim()).is_some();
            if !valid {
                ui.colored_label(
                    egui::Color32::from_rgb(190, 0, 0),
                    self.i18n.tr("settings-printer-invalid"),
                );
            }
            if ui
                .add_enabled(
                    valid,
                    egui::Button::new(self.i18n.tr("settings-save")).min_size(BIG),
                )
                .clicked()
            {
                self.send(Request::SetSetting {
                    key: "printer".to_owned(),
                    value: printer.trim().to_owned(),
                });
            }
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.label(self.i18n.tr("settings-label-template"));
                for t in Template::ALL {
                    let (w, h) = t.size_mm();
                    let caption = self.i18n.tr_args(
                        &format!("settings-template-{}", t.as_str()),
                        &[("w", w.into()), ("h", h.into())],
                    );
                    if ui
                        .add(
                            egui::Button::new(caption)
                                .selected(current_template == t.as_str())
                                .min_size(BIG),
                        )
                        .clicked()
                    {
                        self.send(Request::SetSetting {
                            key: "label_template".to_owned(),
                            value: t.as_str().to_owned(),
                        });
                    }
                }
            });
        });
        self.forms.printer = Some(printer);
        if !admin {
            ui.label(self.i18n.tr("settings-admin-only"));
        }
    }
}
