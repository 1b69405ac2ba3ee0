//! The notice line, the Look-up screen (drawn from [`AppState`], returning
//! [`UiCommand`]s), and the log-in, first-run and users forms.

use super::app::PackbenchApp;
use super::i18n::LOCALES;
use super::state::{AppState, Screen};
use super::ui_command::UiCommand;
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

impl PackbenchApp {
    pub(crate) fn login_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("login-title"));
        let user = labelled_text(
            ui,
            &self.i18n.tr("login-user"),
            &mut self.forms.login_user,
            false,
        );
        if ui.memory(|m| m.focused().is_none()) {
            user.request_focus();
        }
        let r = labelled_text(
            ui,
            &self.i18n.tr("login-password"),
            &mut self.forms.login_password,
            true,
        );
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(self.i18n.tr("login-submit")).clicked() || enter {
            self.send(Request::Login {
                user: self.forms.login_user.trim().to_owned(),
                password: self.forms.login_password.clone(),
            });
        }
        if let Some(v) = &self.verdict {
            ui.colored_label(egui::Color32::from_rgb(190, 0, 0), self.i18n.reason(v.code));
        }
        self.language_ui(ui);
    }

    pub(crate) fn first_run_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("first-run-title"));
        ui.label(self.i18n.tr("first-run-intro"));
        labelled_text(
            ui,
            &self.i18n.tr("first-run-user"),
            &mut self.forms.admin_user,
            false,
        );
        labelled_text(
            ui,
            &self.i18n.tr("first-run-name"),
            &mut self.forms.admin_name,
            false,
        );
        labelled_text(
            ui,
            &self.i18n.tr("first-run-password"),
            &mut self.forms.admin_password,
            true,
        );
        labelled_text(
            ui,
            &self.i18n.tr("first-run-password2"),
            &mut self.forms.admin_password2,
            true,
        );
        let matches = self.forms.admin_password == self.forms.admin_password2;
        let long = self.forms.admin_password.chars().count() >= 8;
        if !matches {
            ui.label(self.i18n.tr("first-run-mismatch"));
        } else if !long && !self.forms.admin_password.is_empty() {
            ui.label(self.i18n.tr("first-run-short"));
        }
        let ok = matches
            && long
            && !self.forms.admin_user.trim().is_empty()
            && !self.forms.admin_name.trim().is_empty();
        if ui
            .add_enabled(ok, egui::Button::new(self.i18n.tr("first-run-submit")))
            .clicked()
        {
            let f = &self.forms;
            let (u, n, p) = (
                f.admin_user.trim().to_owned(),
                f.admin_name.trim().to_owned(),
                f.admin_password.clone(),
            );
            self.forms.admin_password.clear();
            self.forms.admin_password2.clear();
            self.first_run(u, n, p);
        }
        self.language_ui(ui);
    }

    pub(crate) fn language_ui(&mut self, ui: &mut egui::Ui) {
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            for (id, name) in LOCALES {
                if ui
                    .selectable_label(self.i18n.locale() == *id, *name)
                    .clicked()
                {
                    self.set_locale(id);
                }
            }
        });
    }

    pub(crate) fn users_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(r) = self.users.ui(ui, &self.i18n, &self.snapshot.users) {
            self.send(r);
        }
    }
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

/// The Look-up screen's head: what a scan does here (it only looks up), the look-up commands,
/// and the unit's facts when one was looked up.
pub(super) fn lookup_head_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    data: Option<&serde_json::Value>,
    out: &mut Vec<UiCommand>,
) {
    ui.heading(s.i18n.tr("lookup-title"));
    ui.label(
        egui::RichText::new(s.i18n.tr("lookup-scan-only"))
            .size(20.0)
            .strong(),
    );
    ui.label(s.i18n.tr("lookup-hint"));
    ui.horizontal_wrapped(|ui| {
        for (cmd, id) in super::sheet::LOOKUP_COMMANDS {
            if ui.button(s.i18n.tr(id)).clicked() {
                out.push(UiCommand::Command((*cmd).to_owned()));
                out.push(UiCommand::Show(Screen::Station));
            }
        }
        if ui.button(s.i18n.tr("lookup-open-epcis")).clicked() {
            out.push(UiCommand::OpenEpcis);
        }
        if s.snapshot.work_order.is_some() && ui.button(s.i18n.tr("closeout-open")).clicked() {
            out.push(UiCommand::OpenCloseout);
        }
    });
    let Some(data) = data else {
        return;
    };
    let unit = &data["unit"];
    let key = unit["key"].as_str().unwrap_or_default();
    egui::Grid::new("lookup-unit")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(s.i18n.tr("lookup-unit"));
            ui.monospace(key);
            ui.end_row();
            ui.label(s.i18n.tr("lookup-status"));
            ui.label(s.i18n.tr(&format!(
                "status-{}",
                unit["status"].as_str().unwrap_or("active")
            )));
            ui.end_row();
            ui.label(s.i18n.tr("lookup-parents"));
            ui.vertical(|ui| {
                for p in data["parents"].as_array().into_iter().flatten() {
                    ui.monospace(p["key"].as_str().unwrap_or_default());
                }
            });
            ui.end_row();
            ui.label(s.i18n.tr("lookup-children"));
            ui.label(data["children_total"].to_string());
            ui.end_row();
            // Where the unit came from: made here, or taken in from the repository or a
            // file, and when.
            let origin = &data["origin"];
            let kind = origin["origin"].as_str().unwrap_or("local");
            ui.label(s.i18n.tr("lookup-origin"));
            ui.vertical(|ui| {
                ui.label(s.i18n.tr(&format!("origin-{kind}")));
                if let Some(source) = origin["source"].as_str() {
                    ui.monospace(source);
                }
                if let Some(t) = origin["adopted_ms"].as_i64() {
                    ui.label(format!(
                        "{} {}",
                        s.i18n.tr("lookup-adopted-at"),
                        super::history_view::local_time(t)
                    ));
                }
                if let Some(t) = origin["refreshed_ms"]
                    .as_i64()
                    .filter(|t| Some(*t) != origin["adopted_ms"].as_i64())
                {
                    ui.label(format!(
                        "{} {}",
                        s.i18n.tr("lookup-refreshed-at"),
                        super::history_view::local_time(t)
                    ));
                }
            });
            ui.end_row();
        });
}

/// The Look-up screen's actions on the unit and its history.
pub(super) fn lookup_history_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    data: &serde_json::Value,
    out: &mut Vec<UiCommand>,
) {
    let unit = &data["unit"];
    let key = unit["key"].as_str().unwrap_or_default().to_owned();
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.i18n.tr("lookup-show-tree")).clicked() {
            out.push(UiCommand::FocusTree(Some(key.clone())));
            out.push(UiCommand::Show(Screen::Station));
        }
        if unit["state"].is_string() && ui.button(s.i18n.tr("lookup-export-manifest")).clicked() {
            out.push(UiCommand::Station(Request::Manifest { scan: key.clone() }));
        }
        // Take the unit's hierarchy in again from the repository (refresh).
        if ui.button(s.i18n.tr("lookup-refresh")).clicked() {
            out.push(UiCommand::Station(Request::Adopt { scan: key.clone() }));
        }
    });
    ui.heading(s.i18n.tr("lookup-history"));
    let history = data["history"].as_array().cloned().unwrap_or_default();
    super::history_view::history_ui(ui, s.i18n, &history);
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
