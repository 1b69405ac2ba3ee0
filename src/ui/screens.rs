//! The notice line, and the log-in, first-run and users forms: drawn from [`AppState`] (the
//! forms edit their own text fields) and returning [`UiCommand`]s. The menu bar is in
//! [`super::menu_bar`].

use super::i18n::LOCALES;
use super::state::{AppState, Forms};
use super::ui_command::UiCommand;
use super::users_view::UsersPanel;
use crate::station::Request;

fn labelled_text(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    password: bool,
) -> egui::Response {
    labelled_field(ui, label, value, password, [220.0, 320.0])
}

/// A text field with its label beside it (`widths`: label, field), the field labelled by it for
/// screen readers and tests.
pub(super) fn labelled_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    password: bool,
    [label_width, field_width]: [f32; 2],
) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.add_sized([label_width, 32.0], egui::Label::new(label));
        ui.add(
            egui::TextEdit::singleline(value)
                .password(password)
                .desired_width(field_width),
        )
        .labelled_by(l.id)
    })
    .inner
}

/// The log-in form.
pub(super) fn login_ui(ui: &mut egui::Ui, s: &AppState<'_>, forms: &mut Forms) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.heading(s.i18n.tr("login-title"));
    let user = labelled_text(ui, &s.i18n.tr("login-user"), &mut forms.login_user, false);
    if ui.memory(|m| m.focused().is_none()) {
        user.request_focus();
    }
    let r = labelled_text(
        ui,
        &s.i18n.tr("login-password"),
        &mut forms.login_password,
        true,
    );
    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if ui.button(s.i18n.tr("login-submit")).clicked() || enter {
        out.push(UiCommand::Station(Request::Login {
            user: forms.login_user.trim().to_owned(),
            password: forms.login_password.clone(),
        }));
    }
    if let Some(v) = s.verdict {
        ui.colored_label(egui::Color32::from_rgb(190, 0, 0), s.i18n.reason(v.code));
    }
    out.extend(language_ui(ui, s));
    out
}

/// The first-run form: the first administrator.
pub(super) fn first_run_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    forms: &mut Forms,
) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.heading(s.i18n.tr("first-run-title"));
    ui.label(s.i18n.tr("first-run-intro"));
    labelled_text(
        ui,
        &s.i18n.tr("first-run-user"),
        &mut forms.admin_user,
        false,
    );
    labelled_text(
        ui,
        &s.i18n.tr("first-run-name"),
        &mut forms.admin_name,
        false,
    );
    labelled_text(
        ui,
        &s.i18n.tr("first-run-password"),
        &mut forms.admin_password,
        true,
    );
    labelled_text(
        ui,
        &s.i18n.tr("first-run-password2"),
        &mut forms.admin_password2,
        true,
    );
    let matches = forms.admin_password == forms.admin_password2;
    let long = forms.admin_password.chars().count() >= 8;
    if !matches {
        ui.label(s.i18n.tr("first-run-mismatch"));
    } else if !long && !forms.admin_password.is_empty() {
        ui.label(s.i18n.tr("first-run-short"));
    }
    let ok = matches
        && long
        && !forms.admin_user.trim().is_empty()
        && !forms.admin_name.trim().is_empty();
    if ui
        .add_enabled(ok, egui::Button::new(s.i18n.tr("first-run-submit")))
        .clicked()
    {
        out.push(UiCommand::FirstRun {
            user: forms.admin_user.trim().to_owned(),
            full_name: forms.admin_name.trim().to_owned(),
            password: forms.admin_password.clone(),
        });
        forms.admin_password.clear();
        forms.admin_password2.clear();
    }
    out.extend(language_ui(ui, s));
    out
}

/// The language choice.
pub(super) fn language_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        for (id, name) in LOCALES {
            if ui.selectable_label(s.i18n.locale() == *id, *name).clicked() {
                out.push(UiCommand::SetLocale((*id).to_owned()));
            }
        }
    });
    out
}

/// The Users screen.
pub(super) fn users_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    users: &mut UsersPanel,
) -> Vec<UiCommand> {
    users
        .ui(ui, s.i18n, &s.snapshot.users)
        .map(UiCommand::Station)
        .into_iter()
        .collect()
}

/// The notice line (a file written, a setting saved), with Dismiss.
pub(super) fn notice_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    notice: &str,
    out: &mut Vec<UiCommand>,
) {
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(255, 236, 179))
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(notice).color(egui::Color32::BLACK));
                if ui.button(s.i18n.tr("notice-dismiss")).clicked() {
                    out.push(UiCommand::DismissNotice);
                }
            });
        });
}

/// A UTC time in RFC 3339 (empty when out of range).
pub(crate) fn utc_time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        })
        .unwrap_or_default()
}
