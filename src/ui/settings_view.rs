//! The settings screen, one section at a time: station identity, sounds, language, session
//! (auto-logout), keyboard scanner timing, repository connection, printer and label template,
//! and the "Scanners & camera" section that the devices GUI fills in
//! ([`super::devices_panel::devices_settings_ui`]). Workstation settings are saved to the settings file
//! on every change; station settings (SGLN, printer, template) go to the station (administrator
//! only); the repository connection is saved on its own Save button.

use super::settings::AppSettings;
use super::state::{AppState, Forms};
use super::status::AuthKind;
use super::ui_command::UiCommand;
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
    /// Serial scanners and camera: drawn by [`super::devices_panel::devices_settings_ui`].
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

/// The settings screen: the section list, and the section shown. The workstation's settings
/// and the repository form are edited on copies, returned as commands when they changed; the
/// station's settings (read point, printer, owner GLN) are sent when saved.
pub fn settings_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    section: &mut SettingsSection,
    forms: &mut Forms,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let mut settings = s.settings.clone();
    ui.heading(s.i18n.tr("settings-title"));
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(260.0);
            for shown in SettingsSection::ALL {
                if ui
                    .add(
                        egui::Button::new(s.i18n.tr(shown.title_id()))
                            .selected(*section == shown)
                            .min_size(egui::vec2(250.0, 40.0)),
                    )
                    .clicked()
                {
                    *section = shown;
                }
            }
        });
        ui.separator();
        // A section taller than the window (the devices' on a 768-line screen) scrolls.
        egui::ScrollArea::vertical()
            .id_salt("settings-section")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.vertical(|ui| {
                    ui.heading(s.i18n.tr(section.title_id()));
                    match *section {
                        SettingsSection::Station => {
                            out.extend(station_settings_ui(ui, s, &mut settings, forms));
                        }
                        SettingsSection::Sounds => {
                            ui.checkbox(&mut settings.muted, s.i18n.tr("settings-mute"));
                        }
                        SettingsSection::Language => out.extend(super::screens::language_ui(ui, s)),
                        SettingsSection::Session => {
                            ui.horizontal(|ui| {
                                let l = ui.label(s.i18n.tr("settings-auto-logout"));
                                ui.add(
                                    egui::Slider::new(&mut settings.auto_logout_min, 0..=120)
                                        .suffix(" min"),
                                )
                                .labelled_by(l.id);
                            });
                            ui.label(s.i18n.tr("settings-auto-logout-hint"));
                        }
                        SettingsSection::Scanner => {
                            ui.horizontal(|ui| {
                                let l = ui.label(s.i18n.tr("settings-wedge-gap"));
                                ui.add(
                                    egui::Slider::new(&mut settings.wedge_max_gap_ms, 10..=200)
                                        .suffix(" ms"),
                                )
                                .labelled_by(l.id);
                            });
                            ui.label(s.i18n.tr("settings-wedge-hint"));
                        }
                        SettingsSection::Repository => out.extend(repository_settings_ui(ui, s)),
                        SettingsSection::Printer => out.extend(printer_settings_ui(ui, s, forms)),
                        SettingsSection::Devices => {
                            out.extend(super::devices_panel::devices_settings_ui(ui, s));
                        }
                    }
                    if let Some(store) = s.settings_file {
                        ui.separator();
                        ui.label(s.i18n.tr_args(
                            "settings-file",
                            &[("path", store.file().path().display().to_string().into())],
                        ));
                    }
                });
            });
    });
    if settings != *s.settings {
        out.push(UiCommand::EditSettings(Box::new(settings)));
    }
    out
}

fn is_admin(s: &AppState<'_>) -> bool {
    s.snapshot
        .user
        .as_ref()
        .is_some_and(|u| u.role.can_administer())
}

fn station_settings_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    settings: &mut AppSettings,
    forms: &mut Forms,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    labelled_text(
        ui,
        &s.i18n.tr("settings-station-name"),
        &mut settings.station_name,
        false,
    );
    let admin = is_admin(s);
    ui.add_enabled_ui(admin, |ui| {
        labelled_text(
            ui,
            &s.i18n.tr("settings-read-point"),
            &mut forms.read_point,
            false,
        );
        if ui
            .add(egui::Button::new(s.i18n.tr("settings-save")).min_size(BIG))
            .clicked()
            && !forms.read_point.trim().is_empty()
        {
            out.push(UiCommand::Station(Request::SetSetting {
                key: "read_point".to_owned(),
                value: forms.read_point.trim().to_owned(),
            }));
        }
    });
    ui.separator();
    out.extend(super::owner_gln_view::owner_gln_ui(
        ui,
        s,
        &mut forms.owner_gln,
        admin,
    ));
    if !admin {
        ui.label(s.i18n.tr("settings-admin-only"));
    }
    out
}

fn repository_settings_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let mut form = s.sync.form.clone();
    let admin = is_admin(s);
    let mut save = false;
    ui.add_enabled_ui(admin, |ui| {
        let form = &mut form;
        ui.horizontal_wrapped(|ui| {
            for (kind, id) in [
                (None, "settings-repo-none"),
                (Some(RepositoryKind::Epcis20), "settings-repo-epcis20"),
                (Some(RepositoryKind::Qu4rtet), "settings-repo-qu4rtet"),
            ] {
                if ui
                    .add(
                        egui::Button::new(s.i18n.tr(id))
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
            labelled_text(ui, &s.i18n.tr("settings-repo-url"), &mut form.url, false);
            ui.horizontal_wrapped(|ui| {
                ui.label(s.i18n.tr("settings-repo-auth"));
                for (kind, id) in [
                    (AuthKind::None, "settings-auth-none"),
                    (AuthKind::Bearer, "settings-auth-bearer"),
                    (AuthKind::Token, "settings-auth-token"),
                    (AuthKind::Basic, "settings-auth-basic"),
                ] {
                    if ui
                        .selectable_label(form.auth == kind, s.i18n.tr(id))
                        .clicked()
                    {
                        form.auth = kind;
                    }
                }
            });
            if form.auth == AuthKind::Basic {
                labelled_text(ui, &s.i18n.tr("settings-repo-user"), &mut form.user, false);
            }
            if form.auth != AuthKind::None {
                labelled_text(
                    ui,
                    &s.i18n.tr("settings-repo-secret"),
                    &mut form.new_secret,
                    true,
                );
            }
        }
        save = ui
            .add(egui::Button::new(s.i18n.tr("settings-save")).min_size(BIG))
            .clicked();
    });
    if s.sync.has_secret() {
        ui.label(s.i18n.tr("settings-repo-secret-stored"));
    }
    if !admin {
        ui.label(s.i18n.tr("settings-admin-only"));
    }
    if form != s.sync.form {
        out.push(UiCommand::EditRepository(Box::new(form)));
    }
    if save {
        out.push(UiCommand::SaveRepository);
    }
    if s.sync.is_saving() {
        ui.spinner();
    }
    if let Some(e) = &s.sync.error {
        ui.colored_label(egui::Color32::from_rgb(190, 0, 0), e);
    }
    let state = if s.sync.is_running() {
        "status-sync-online"
    } else {
        "status-sync-offline"
    };
    ui.label(
        s.i18n
            .tr_args(state, &[("queued", s.snapshot.outbox.0.into())]),
    );
    out
}

fn printer_settings_ui(ui: &mut egui::Ui, s: &AppState<'_>, forms: &mut Forms) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let admin = is_admin(s);
    if forms.printer.is_none() {
        forms.printer = Some(
            s.snapshot
                .printer
                .clone()
                .unwrap_or_else(|| "none".to_owned()),
        );
    }
    let mut printer = forms.printer.clone().unwrap_or_default();
    let current_template = s
        .snapshot
        .label_template
        .clone()
        .unwrap_or_else(|| Template::In4x6.as_str().to_owned());
    ui.add_enabled_ui(admin, |ui| {
        labelled_text(ui, &s.i18n.tr("settings-printer"), &mut printer, false);
        ui.label(s.i18n.tr("settings-printer-hint"));
        let valid = printer.trim() == "none" || PrinterTarget::parse(printer.trim()).is_some();
        if !valid {
            ui.colored_label(
                egui::Color32::from_rgb(190, 0, 0),
                s.i18n.tr("settings-printer-invalid"),
            );
        }
        if ui
            .add_enabled(
                valid,
                egui::Button::new(s.i18n.tr("settings-save")).min_size(BIG),
            )
            .clicked()
        {
            out.push(UiCommand::Station(Request::SetSetting {
                key: "printer".to_owned(),
                value: printer.trim().to_owned(),
            }));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            ui.label(s.i18n.tr("settings-label-template"));
            for t in Template::ALL {
                let (w, h) = t.size_mm();
                let caption = s.i18n.tr_args(
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
                    out.push(UiCommand::Station(Request::SetSetting {
                        key: "label_template".to_owned(),
                        value: t.as_str().to_owned(),
                    }));
                }
            }
        });
    });
    forms.printer = Some(printer);
    if !admin {
        ui.label(s.i18n.tr("settings-admin-only"));
    }
    out
}
