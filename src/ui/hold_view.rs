//! Hold / quarantine on the Look-up screen: what the look-up says about a hold, the buttons
//! "Put on hold…" and "Release…", and their modal dialog (reason from the controlled list,
//! comment, the signer's user name and password). The station decides who may sign: a
//! supervisor or QA places a hold, only QA releases one (`station/hold_cmd.rs`).

use super::app::PackbenchApp;
use crate::domain::HoldReason;
use crate::station::{Request, Response, SignatureInput};
use serde_json::Value;

/// What the dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldAction {
    /// Put the unit (or its whole lot) on hold.
    Hold,
    /// Release the hold with this id.
    Release {
        /// The hold's id.
        hold: i64,
    },
}

/// The hold or release dialog, while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldDialog {
    /// Hold or release.
    pub action: HoldAction,
    /// The unit looked up (key).
    pub key: String,
    /// The unit's GTIN and lot, when it is a pack with a lot (the whole lot can be held).
    pub lot: Option<(String, String)>,
    /// Hold the whole lot rather than the unit.
    pub whole_lot: bool,
    /// Why (hold).
    pub reason: HoldReason,
    /// The comment (hold) or the reason (release).
    pub text: String,
    /// The signer's user name.
    pub user: String,
    /// The signer's password.
    pub password: String,
    /// Sent; waiting for the station's answer.
    pub sent: bool,
}

/// The Fluent id of a hold reason.
pub fn reason_id(reason: HoldReason) -> String {
    format!("hold-reason-{}", reason.code().replace('_', "-"))
}

impl PackbenchApp {
    /// Opens the hold dialog for the unit of a look-up answer.
    pub fn open_hold(&mut self, lookup: &Value) {
        let unit = &lookup["unit"];
        let lot = match (unit["gtin"].as_str(), unit["lot"].as_str()) {
            (Some(g), Some(l)) => Some((g.to_owned(), l.to_owned())),
            _ => None,
        };
        self.hold = Some(HoldDialog {
            action: HoldAction::Hold,
            key: unit["key"].as_str().unwrap_or_default().to_owned(),
            lot,
            whole_lot: false,
            reason: HoldReason::SuspectProduct,
            text: String::new(),
            user: String::new(),
            password: String::new(),
            sent: false,
        });
    }

    /// Opens the release dialog for hold `hold` of the unit `key`.
    pub fn open_release(&mut self, key: &str, hold: i64) {
        self.hold = Some(HoldDialog {
            action: HoldAction::Release { hold },
            key: key.to_owned(),
            lot: None,
            whole_lot: false,
            reason: HoldReason::Other,
            text: String::new(),
            user: String::new(),
            password: String::new(),
            sent: false,
        });
    }

    /// The hold part of the look-up: whether the unit is held (why, by whom, since when),
    /// whether it holds a held unit, and the buttons.
    pub(crate) fn lookup_hold_ui(&mut self, ui: &mut egui::Ui, data: &Value) {
        let hold = &data["hold"];
        let key = data["unit"]["key"].as_str().unwrap_or_default().to_owned();
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(self.i18n.tr("lookup-hold")).strong());
            if hold["held"] == true {
                ui.label(badge(&self.i18n.tr("hold-badge")));
                let reason = hold["reason"]
                    .as_str()
                    .and_then(|r| r.parse::<HoldReason>().ok())
                    .map(|r| self.i18n.tr(&reason_id(r)))
                    .unwrap_or_default();
                ui.label(reason);
                if let Some(c) = hold["comment"].as_str() {
                    ui.label(format!("“{c}”"));
                }
                ui.label(format!(
                    "{} {} · {}",
                    self.i18n.tr("hold-placed-by"),
                    hold["placed_by"].as_str().unwrap_or_default(),
                    super::history_view::local_time(hold["placed_ms"].as_i64().unwrap_or_default())
                ));
                ui.label(self.i18n.tr(&format!(
                    "hold-scope-{}",
                    hold["scope"].as_str().unwrap_or("unit")
                )));
            } else if let Some(inside) = hold["inside"].as_str() {
                ui.label(badge(&self.i18n.tr("hold-badge")));
                ui.label(self.i18n.tr("lookup-hold-inside"));
                ui.monospace(inside);
            } else {
                ui.label(self.i18n.tr("lookup-hold-none"));
            }
        });
        ui.horizontal(|ui| {
            let active = data["unit"]["status"] == "active";
            if active && ui.button(self.i18n.tr("hold-open")).clicked() {
                self.open_hold(data);
            }
            if hold["held"] == true
                && let Some(id) = hold["id"].as_i64()
                && ui.button(self.i18n.tr("release-open")).clicked()
            {
                self.open_release(&key, id);
            }
        });
    }

    /// The modal hold / release dialog, when open.
    pub(crate) fn hold_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.hold.take() else {
            return;
        };
        let release = matches!(dialog.action, HoldAction::Release { .. });
        let mut submit = false;
        let mut cancel = false;
        egui::Modal::new(egui::Id::unique("hold-dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            let title = if release {
                "release-title"
            } else {
                "hold-title"
            };
            ui.heading(self.i18n.tr(title));
            ui.monospace(&dialog.key);
            if !release {
                ui.horizontal_wrapped(|ui| {
                    let unit = self.i18n.tr("hold-scope-this");
                    if ui
                        .add(egui::Button::new(unit).selected(!dialog.whole_lot))
                        .clicked()
                    {
                        dialog.whole_lot = false;
                    }
                    if let Some((_, lot)) = &dialog.lot {
                        let caption = format!("{} {lot}", self.i18n.tr("hold-scope-whole-lot"));
                        if ui
                            .add(egui::Button::new(caption).selected(dialog.whole_lot))
                            .clicked()
                        {
                            dialog.whole_lot = true;
                        }
                    }
                });
                ui.label(self.i18n.tr("hold-reason"));
                ui.horizontal_wrapped(|ui| {
                    for reason in HoldReason::ALL {
                        if ui
                            .add(
                                egui::Button::new(self.i18n.tr(&reason_id(reason)))
                                    .selected(dialog.reason == reason)
                                    .min_size(egui::vec2(130.0, 40.0)),
                            )
                            .clicked()
                        {
                            dialog.reason = reason;
                        }
                    }
                });
            }
            let widths = [260.0, 280.0];
            let text_label = if release {
                "release-reason"
            } else {
                "hold-comment"
            };
            super::screens::labelled_field(
                ui,
                &self.i18n.tr(text_label),
                &mut dialog.text,
                false,
                widths,
            );
            let signer = if release {
                "release-signer"
            } else {
                "hold-signer"
            };
            super::screens::labelled_field(
                ui,
                &self.i18n.tr(signer),
                &mut dialog.user,
                false,
                widths,
            );
            super::screens::labelled_field(
                ui,
                &self.i18n.tr("hold-password"),
                &mut dialog.password,
                true,
                widths,
            );
            ui.label(self.i18n.tr("sign-legal"));
            ui.horizontal(|ui| {
                let big = egui::vec2(160.0, 44.0);
                let go = if release {
                    "release-submit"
                } else {
                    "hold-submit"
                };
                submit = ui
                    .add_enabled(
                        !dialog.sent,
                        egui::Button::new(self.i18n.tr(go)).min_size(big),
                    )
                    .clicked();
                cancel = ui
                    .add(egui::Button::new(self.i18n.tr("cmd-cancel")).min_size(big))
                    .clicked();
            });
        });
        if cancel {
            return;
        }
        if submit {
            let signature = Some(SignatureInput {
                user: dialog.user.trim().to_owned(),
                password: dialog.password.clone(),
                reason: None,
            });
            let text = dialog.text.trim().to_owned();
            let request = match dialog.action {
                HoldAction::Release { hold } => Request::Release {
                    hold: Some(hold),
                    scan: None,
                    gtin: None,
                    lot: None,
                    reason: text,
                    signature,
                },
                HoldAction::Hold => {
                    let (scan, gtin, lot) = match (&dialog.lot, dialog.whole_lot) {
                        (Some((g, l)), true) => (None, Some(g.clone()), Some(l.clone())),
                        _ => (Some(dialog.key.clone()), None, None),
                    };
                    Request::Hold {
                        scan,
                        gtin,
                        lot,
                        reason: dialog.reason,
                        comment: (!text.is_empty()).then_some(text),
                        signature,
                    }
                }
            };
            dialog.sent = true;
            self.send(request);
        }
        self.hold = Some(dialog);
    }

    /// The station's answer to the dialog's request: done closes it and shows the unit again;
    /// refused keeps it open for another try (the password is cleared).
    pub(crate) fn on_hold_answer(&mut self, request: &Request, response: &Response) {
        if !matches!(request, Request::Hold { .. } | Request::Release { .. }) {
            return;
        }
        let Some(dialog) = self.hold.as_mut() else {
            return;
        };
        dialog.sent = false;
        dialog.password.clear();
        if response.ok {
            let key = dialog.key.clone();
            self.hold = None;
            self.send(Request::Lookup { scan: key });
        }
    }
}

/// The red "on hold" badge (also drawn in the live tree).
pub fn badge(text: &str) -> egui::RichText {
    egui::RichText::new(text)
        .strong()
        .color(egui::Color32::WHITE)
        .background_color(egui::Color32::from_rgb(190, 30, 30))
}
