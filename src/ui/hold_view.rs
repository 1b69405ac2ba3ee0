//! Hold / quarantine on the Look-up screen: what the look-up says about a hold, the buttons
//! "Put on hold…" and "Release…", and their modal dialog (reason from the controlled list,
//! comment, the signer's user name and password). The station decides who may sign: a
//! supervisor or QA places a hold, only QA releases one (`station/hold_cmd.rs`).

use super::i18n::I18n;
use super::lookup_view::LookupView;
use super::ui_command::UiCommand;
use crate::domain::HoldReason;
use crate::station::{Request, SignatureInput};

/// What a look-up says about a unit's hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoldInfo {
    /// The unit itself is held.
    pub held: bool,
    /// The hold's id (when held).
    pub id: Option<i64>,
    /// Why.
    pub reason: Option<HoldReason>,
    /// The comment.
    pub comment: Option<String>,
    /// Who placed it.
    pub placed_by: String,
    /// When (Unix milliseconds).
    pub placed_ms: i64,
    /// `unit` or `lot`.
    pub scope: String,
    /// The held unit inside it, when it is not held itself.
    pub inside: Option<String>,
}

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

impl HoldDialog {
    /// A hold of the unit looked up (or its whole lot).
    pub fn hold(view: &LookupView) -> Self {
        Self {
            action: HoldAction::Hold,
            key: view.key.clone(),
            lot: view.gtin_lot.clone(),
            whole_lot: false,
            reason: HoldReason::SuspectProduct,
            text: String::new(),
            user: String::new(),
            password: String::new(),
            sent: false,
        }
    }

    /// A hold of a whole lot (from the recall screen).
    pub fn hold_lot(gtin: String, lot: String) -> Self {
        Self {
            action: HoldAction::Hold,
            key: format!("(01){gtin}(10){lot}"),
            lot: Some((gtin, lot)),
            whole_lot: true,
            reason: HoldReason::Recall,
            text: String::new(),
            user: String::new(),
            password: String::new(),
            sent: false,
        }
    }

    /// The release of hold `hold` of the unit `key`.
    pub fn release(key: &str, hold: i64) -> Self {
        Self {
            action: HoldAction::Release { hold },
            key: key.to_owned(),
            lot: None,
            whole_lot: false,
            reason: HoldReason::Other,
            text: String::new(),
            user: String::new(),
            password: String::new(),
            sent: false,
        }
    }
}

/// The hold part of the look-up: whether the unit is held (why, by whom, since when),
/// whether it holds a held unit, and the buttons.
pub fn lookup_hold_ui(ui: &mut egui::Ui, i18n: &I18n, view: &LookupView) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let hold = &view.hold;
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(i18n.tr("lookup-hold")).strong());
        if hold.held {
            ui.label(badge(&i18n.tr("hold-badge")));
            let reason = hold
                .reason
                .map(|r| i18n.tr(&reason_id(r)))
                .unwrap_or_default();
            ui.label(reason);
            if let Some(c) = &hold.comment {
                ui.label(format!("“{c}”"));
            }
            ui.label(format!(
                "{} {} · {}",
                i18n.tr("hold-placed-by"),
                hold.placed_by,
                super::history_view::local_time(hold.placed_ms)
            ));
            ui.label(i18n.tr(&format!("hold-scope-{}", hold.scope)));
        } else if let Some(inside) = &hold.inside {
            ui.label(badge(&i18n.tr("hold-badge")));
            ui.label(i18n.tr("lookup-hold-inside"));
            ui.monospace(inside);
        } else {
            ui.label(i18n.tr("lookup-hold-none"));
        }
    });
    ui.horizontal(|ui| {
        let active = view.status == "active";
        if active && ui.button(i18n.tr("hold-open")).clicked() {
            out.push(UiCommand::OpenHold);
        }
        if let Some(id) = hold.id
            && ui.button(i18n.tr("release-open")).clicked()
        {
            out.push(UiCommand::OpenRelease {
                key: view.key.clone(),
                hold: id,
            });
        }
    });
    out
}

/// The modal hold / release dialog: its own fields are edited in place; Submit sends the
/// request (the dialog waits for the answer), Cancel closes it.
pub fn hold_dialog_ui(ctx: &egui::Context, i18n: &I18n, dialog: &mut HoldDialog) -> Vec<UiCommand> {
    let mut out = Vec::new();
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
        ui.heading(i18n.tr(title));
        ui.monospace(&dialog.key);
        if !release {
            ui.horizontal_wrapped(|ui| {
                let unit = i18n.tr("hold-scope-this");
                if ui
                    .add(egui::Button::new(unit).selected(!dialog.whole_lot))
                    .clicked()
                {
                    dialog.whole_lot = false;
                }
                if let Some((_, lot)) = &dialog.lot {
                    let caption = format!("{} {lot}", i18n.tr("hold-scope-whole-lot"));
                    if ui
                        .add(egui::Button::new(caption).selected(dialog.whole_lot))
                        .clicked()
                    {
                        dialog.whole_lot = true;
                    }
                }
            });
            ui.label(i18n.tr("hold-reason"));
            ui.horizontal_wrapped(|ui| {
                for reason in HoldReason::ALL {
                    if ui
                        .add(
                            egui::Button::new(i18n.tr(&reason_id(reason)))
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
        super::screens::labelled_field(ui, &i18n.tr(text_label), &mut dialog.text, false, widths);
        let signer = if release {
            "release-signer"
        } else {
            "hold-signer"
        };
        super::screens::labelled_field(ui, &i18n.tr(signer), &mut dialog.user, false, widths);
        super::screens::labelled_field(
            ui,
            &i18n.tr("hold-password"),
            &mut dialog.password,
            true,
            widths,
        );
        ui.label(i18n.tr("sign-legal"));
        ui.horizontal(|ui| {
            let big = egui::vec2(160.0, 44.0);
            let go = if release {
                "release-submit"
            } else {
                "hold-submit"
            };
            submit = ui
                .add_enabled(!dialog.sent, egui::Button::new(i18n.tr(go)).min_size(big))
                .clicked();
            cancel = ui
                .add(egui::Button::new(i18n.tr("cmd-cancel")).min_size(big))
                .clicked();
        });
    });
    if cancel {
        out.push(UiCommand::CloseHold);
        return out;
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
        out.push(UiCommand::Station(request));
    }
    out
}

/// The red "on hold" badge (also drawn in the live tree).
pub fn badge(text: &str) -> egui::RichText {
    egui::RichText::new(text)
        .strong()
        .color(egui::Color32::WHITE)
        .background_color(egui::Color32::from_rgb(190, 30, 30))
}
