//! The frame around the screens (menu bar, status bar), log-in, first run, the dialogs
//! (signature, move confirmation, decommission/reject), look-up, settings, users, training codes.

use super::app::{PackbenchApp, Screen};
use super::demo;
use super::i18n::LOCALES;
use crate::auth::Role;
use crate::domain::{ReasonCode, RemovalReason, RetireKind};
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
    /// Draws one whole frame (wedge first, so scans never reach a text field).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        self.wedge_input(ui.ctx());
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            self.notice_ui(ui);
            if !self.is_ready() {
                ui.label(self.i18n.tr("app-starting"));
            } else if self.snapshot.first_run {
                self.first_run_ui(ui);
            } else if self.snapshot.user.is_none() {
                self.login_ui(ui);
            } else {
                match self.screen {
                    Screen::Station => self.station_ui(ui),
                    Screen::Lookup => self.lookup_ui(ui),
                    Screen::Settings => self.settings_ui(ui),
                    Screen::Users => self.users_ui(ui),
                    Screen::Camera => self.camera_ui(ui),
                    Screen::Returns => self.returns_screen_ui(ui),
                    Screen::Recall => self.recall_screen_ui(ui),
                }
            }
        });
        self.dialogs_ui(ui.ctx());
        self.wizard_ui(ui.ctx());
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("packbench");
            let logged_in = self.snapshot.user.is_some();
            if logged_in {
                for (screen, id) in [
                    (Screen::Station, "nav-station"),
                    (Screen::Lookup, "nav-lookup"),
                    (Screen::Camera, "nav-camera"),
                    (Screen::Returns, "nav-returns"),
                    (Screen::Recall, "nav-recall"),
                    (Screen::Settings, "nav-settings"),
                ] {
                    if ui
                        .selectable_label(self.screen == screen, self.i18n.tr(id))
                        .clicked()
                    {
                        self.screen = screen;
                        self.desk_screen_changed();
                    }
                }
                let admin = self
                    .snapshot
                    .user
                    .as_ref()
                    .is_some_and(|u| u.role.can_administer());
                if admin
                    && ui
                        .selectable_label(self.screen == Screen::Users, self.i18n.tr("nav-users"))
                        .clicked()
                {
                    self.screen = Screen::Users;
                }
                if ui.button(self.i18n.tr("nav-command-sheet")).clicked() {
                    let captions: Vec<(String, String)> = super::sheet::sheet_commands()
                        .map(|(_, id)| (self.i18n.tr(id), super::i18n::I18n::english().tr(id)))
                        .collect();
                    super::files::save_sheet(super::sheet::pdf(
                        &self.i18n.tr("sheet-title"),
                        &captions,
                    ));
                }
            }
            // Who is logged in, then Log out (wraps on a narrow screen instead of overlapping).
            if let Some(user) = self.snapshot.user.clone() {
                ui.separator();
                let role = self.i18n.tr(&format!("role-{}", user.role));
                ui.label(format!("{} · {role}", user.full_name));
                if ui.button(self.i18n.tr("nav-logout")).clicked() {
                    self.send(Request::Logout);
                }
            }
        });
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui) {
        let Some(notice) = self.notice.clone() else {
            return;
        };
        egui::Frame::new()
            .fill(egui::Color32::from_rgb(255, 236, 179))
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(notice).color(egui::Color32::BLACK));
                    if ui.button(self.i18n.tr("notice-dismiss")).clicked() {
                        self.notice = None;
                    }
                });
            });
    }

    fn login_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("login-title"));
        labelled_text(
            ui,
            &self.i18n.tr("login-user"),
            &mut self.forms.login_user,
            false,
        );
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

    fn first_run_ui(&mut self, ui: &mut egui::Ui) {
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
        } else if !long {
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

    fn lookup_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("lookup-title"));
        ui.label(self.i18n.tr("lookup-hint"));
        ui.horizontal(|ui| {
            for (cmd, id) in super::sheet::LOOKUP_COMMANDS {
                if ui.button(self.i18n.tr(id)).clicked() {
                    self.command_barcode(cmd);
                    self.screen = Screen::Station;
                }
            }
            if ui.button(self.i18n.tr("lookup-open-epcis")).clicked() {
                self.open_epcis_dialog(ui.ctx());
            }
            if self.snapshot.work_order.is_some()
                && ui.button(self.i18n.tr("closeout-open")).clicked()
            {
                self.open_closeout();
            }
        });
        let Some(data) = self.lookup.clone() else {
            return;
        };
        let unit = &data["unit"];
        let key = unit["key"].as_str().unwrap_or_default().to_owned();
        egui::Grid::new("lookup-unit")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(self.i18n.tr("lookup-unit"));
                ui.monospace(&key);
                ui.end_row();
                ui.label(self.i18n.tr("lookup-status"));
                ui.label(self.i18n.tr(&format!(
                    "status-{}",
                    unit["status"].as_str().unwrap_or("active")
                )));
                ui.end_row();
                ui.label(self.i18n.tr("lookup-parents"));
                ui.vertical(|ui| {
                    for p in data["parents"].as_array().into_iter().flatten() {
                        ui.monospace(p["key"].as_str().unwrap_or_default());
                    }
                });
                ui.end_row();
                ui.label(self.i18n.tr("lookup-children"));
                ui.label(data["children_total"].to_string());
                ui.end_row();
                // Where the unit came from: made here, or taken in from the repository or a
                // file, and when.
                let origin = &data["origin"];
                let kind = origin["origin"].as_str().unwrap_or("local");
                ui.label(self.i18n.tr("lookup-origin"));
                ui.vertical(|ui| {
                    ui.label(self.i18n.tr(&format!("origin-{kind}")));
                    if let Some(source) = origin["source"].as_str() {
                        ui.monospace(source);
                    }
                    if let Some(t) = origin["adopted_ms"].as_i64() {
                        ui.label(format!(
                            "{} {}",
                            self.i18n.tr("lookup-adopted-at"),
                            utc_time(t)
                        ));
                    }
                    if let Some(t) = origin["refreshed_ms"]
                        .as_i64()
                        .filter(|t| Some(*t) != origin["adopted_ms"].as_i64())
                    {
                        ui.label(format!(
                            "{} {}",
                            self.i18n.tr("lookup-refreshed-at"),
                            utc_time(t)
                        ));
                    }
                });
                ui.end_row();
            });
        self.lookup_hold_ui(ui, &data);
        ui.horizontal(|ui| {
            if ui.button(self.i18n.tr("lookup-show-tree")).clicked() {
                self.focus_tree(Some(key.clone()));
                self.screen = Screen::Station;
            }
            if unit["state"].is_string()
                && ui.button(self.i18n.tr("lookup-export-manifest")).clicked()
            {
                self.send(Request::Manifest { scan: key.clone() });
            }
            // Take the unit's hierarchy in again from the repository (refresh).
            if ui.button(self.i18n.tr("lookup-refresh")).clicked() {
                self.send(Request::Adopt { scan: key.clone() });
            }
        });
        ui.heading(self.i18n.tr("lookup-history"));
        egui::ScrollArea::vertical()
            .id_salt("history")
            .show(ui, |ui| {
                egui::Grid::new("history")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for h in data["history"].as_array().into_iter().flatten() {
                            let t = h["time_ms"].as_i64().unwrap_or_default();
                            ui.monospace(utc_time(t));
                            ui.label(h["user"].as_str().unwrap_or_default());
                            // Known commands in words; any other is a technical code.
                            let command = h["command"].as_str().unwrap_or_default();
                            let id = format!("history-{}", command.replace('_', "-"));
                            if self.i18n.has(&id) {
                                ui.label(self.i18n.tr(&id));
                            } else {
                                ui.monospace(command);
                            }
                            ui.label(h["signature"].as_str().unwrap_or_default());
                            ui.end_row();
                        }
                    });
            });
    }

    fn users_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("users-title"));
        egui::Grid::new("users").striped(true).show(ui, |ui| {
            for (user, name, role) in &self.snapshot.users {
                ui.monospace(user);
                ui.label(name);
                ui.label(self.i18n.tr(&format!("role-{role}")));
                ui.end_row();
            }
        });
        ui.separator();
        let (mut u, mut n, mut r, mut p) = std::mem::take(&mut self.forms.new_user);
        labelled_text(ui, &self.i18n.tr("login-user"), &mut u, false);
        labelled_text(ui, &self.i18n.tr("first-run-name"), &mut n, false);
        ui.horizontal(|ui| {
            for role in Role::ALL {
                if ui
                    .selectable_label(r == role, self.i18n.tr(&format!("role-{role}")))
                    .clicked()
                {
                    r = role;
                }
            }
        });
        labelled_text(ui, &self.i18n.tr("login-password"), &mut p, true);
        if ui.button(self.i18n.tr("users-create")).clicked() {
            self.send(Request::CreateUser {
                user: u.trim().to_owned(),
                full_name: n.trim().to_owned(),
                role: r,
                password: p.clone(),
            });
            p.clear();
        }
        self.forms.new_user = (u, n, r, p);
    }

    /// The training panel: demo scans as buttons (a newcomer without a scanner can try every flow).
    pub fn training_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(self.i18n.tr("training-title"));
            if ui.button(self.i18n.tr("training-case")).clicked() {
                self.scan(&demo::case_sscc(
                    self.training_next / demo::CASE_CAPACITY + 1,
                ));
            }
            if ui.button(self.i18n.tr("training-pack")).clicked() {
                self.training_next += 1;
                self.scan(&demo::pack_scan(self.training_next));
            }
            if ui.button(self.i18n.tr("training-wrong")).clicked() {
                self.scan(&demo::wrong_product_scan());
            }
            if ui.button(self.i18n.tr("training-unknown")).clicked() {
                self.scan(&demo::unknown_serial_scan());
            }
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        self.flow_ui(ctx);
        self.hold_dialog_ui(ctx);
        self.closeout_ui(ctx);
        self.parked_ui(ctx);
        if let Some(mut dialog) = self.signature.take() {
            let mut sign = false;
            let mut cancel = false;
            egui::Window::new(self.i18n.tr("sign-title"))
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.label(self.i18n.tr("sign-meaning"));
                    ui.label(
                        egui::RichText::new(self.i18n.tr(dialog.meaning_id))
                            .strong()
                            .size(22.0),
                    );
                    labelled_text(ui, &self.i18n.tr("sign-user"), &mut dialog.user, false);
                    labelled_text(
                        ui,
                        &self.i18n.tr("sign-password"),
                        &mut dialog.password,
                        true,
                    );
                    labelled_text(ui, &self.i18n.tr("sign-reason"), &mut dialog.reason, false);
                    ui.label(self.i18n.tr("sign-legal"));
                    ui.horizontal(|ui| {
                        sign = ui.button(self.i18n.tr("sign-submit")).clicked();
                        cancel = ui.button(self.i18n.tr("cmd-cancel")).clicked();
                    });
                });
            if !cancel {
                self.signature = Some(dialog);
            }
            if sign {
                self.sign();
            }
        }
        if let Some(key) = self.confirm_move.clone() {
            let (title, question) = match self.confirm_about {
                ReasonCode::ConfirmSwitch | ReasonCode::ChangedWhileSuspended => (
                    self.i18n.tr("switch-title"),
                    self.i18n.tr(&super::i18n::reason_id(self.confirm_about)),
                ),
                _ => (self.i18n.tr("move-title"), self.i18n.tr("move-question")),
            };
            egui::Window::new(title)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    ui.label(question);
                    ui.monospace(&key);
                    ui.horizontal(|ui| {
                        if ui.button(self.i18n.tr("cmd-confirm")).clicked() {
                            self.command_barcode("CONFIRM");
                        }
                        if ui.button(self.i18n.tr("cmd-cancel")).clicked() {
                            self.command_barcode("CANCEL");
                        }
                    });
                });
        }
        if let Some(mut dialog) = self.retire.take() {
            let mut go = false;
            let mut cancel = false;
            egui::Window::new(self.i18n.tr("retire-title"))
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.monospace(&dialog.scan);
                    ui.horizontal_wrapped(|ui| {
                        for (kind, id) in [
                            (RetireKind::Decommission, "retire-decommission"),
                            (RetireKind::Reject, "retire-reject"),
                            (RetireKind::Destroy, "retire-destroy"),
                            (RetireKind::Sample, "retire-sample"),
                        ] {
                            if ui
                                .add(
                                    egui::Button::new(self.i18n.tr(id))
                                        .selected(dialog.kind == kind)
                                        .min_size(egui::vec2(130.0, 44.0)),
                                )
                                .clicked()
                            {
                                dialog.kind = kind;
                            }
                        }
                    });
                    ui.label(self.i18n.tr("retire-reason"));
                    ui.horizontal_wrapped(|ui| {
                        for reason in [
                            RemovalReason::Damaged,
                            RemovalReason::QaSample,
                            RemovalReason::Destroyed,
                            RemovalReason::Stolen,
                            RemovalReason::Rejected,
                            RemovalReason::Expired,
                            RemovalReason::Other,
                        ] {
                            let caption = self
                                .i18n
                                .tr(&format!("removal-{}", reason.code().replace('_', "-")));
                            if ui
                                .add(
                                    egui::Button::new(caption)
                                        .selected(dialog.reason == reason)
                                        .min_size(egui::vec2(130.0, 44.0)),
                                )
                                .clicked()
                            {
                                dialog.reason = reason;
                            }
                        }
                    });
                    ui.horizontal(|ui| {
                        let big = egui::vec2(160.0, 48.0);
                        go = ui
                            .add(egui::Button::new(self.i18n.tr("retire-submit")).min_size(big))
                            .clicked();
                        cancel = ui
                            .add(egui::Button::new(self.i18n.tr("cmd-cancel")).min_size(big))
                            .clicked();
                    });
                });
            if go {
                self.send(Request::Retire {
                    scan: dialog.scan,
                    kind: dialog.kind,
                    reason: dialog.reason,
                    comment: None,
                    signature: None,
                });
            } else if !cancel {
                self.retire = Some(dialog);
            }
        }
    }
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
