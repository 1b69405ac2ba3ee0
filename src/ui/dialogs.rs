//! The modal dialogs: centred over a dimmed screen that takes no taps, one action each, large
//! fields and buttons (targets ≥ 48 px, for gloves), the title wrapping instead of being cut,
//! and what will happen spelled out (unit, from, to, reason) before Confirm. Each draws from
//! its own dialog state and answers the [`UiCommand`] chosen.

use super::i18n::I18n;
use super::state::{Confirmation, RetireDialog, SignatureDialog};
use super::ui_command::UiCommand;
use crate::domain::{ReasonCode, RemovalReason, RetireKind};

/// The smallest touch target, in points.
pub const TARGET: f32 = 48.0;
/// A dialog's big buttons.
pub const BIG: egui::Vec2 = egui::vec2(180.0, 56.0);

/// A modal dialog titled `title`: centred, about 60 % of the screen wide (at least 640 points
/// where the screen allows it).
pub fn modal<R>(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    content: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    // At least 640 points where the screen allows it: the titles of every language fit
    // (issue 15 part B, the layout-fit test), the buttons of the retire and flow dialogs too.
    let screen = ctx.content_rect().width();
    let least = 640.0_f32.min(screen - 48.0).max(420.0);
    let width = (screen * 0.6).clamp(least, 900.0);
    egui::Modal::new(egui::Id::unique(id))
        .show(ctx, |ui| {
            ui.set_width(width);
            ui.add(egui::Label::new(egui::RichText::new(title).size(26.0).strong()).wrap());
            ui.separator();
            content(ui)
        })
        .inner
}

/// A big button.
pub fn big_button(ui: &mut egui::Ui, text: String) -> egui::Response {
    ui.add(egui::Button::new(egui::RichText::new(text).size(20.0)).min_size(BIG))
}

/// A big selectable choice (kind, reason).
pub fn choice(ui: &mut egui::Ui, text: String, selected: bool) -> egui::Response {
    ui.add(
        egui::Button::new(egui::RichText::new(text).size(18.0))
            .selected(selected)
            .min_size(egui::vec2(150.0, TARGET)),
    )
}

/// A large text field under its label (labelled for screen readers and tests).
pub fn big_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    password: bool,
) -> egui::Response {
    let l = ui.label(egui::RichText::new(label).size(18.0));
    ui.add(
        egui::TextEdit::singleline(value)
            .password(password)
            .font(egui::FontId::proportional(22.0))
            .min_size(egui::vec2(0.0, TARGET))
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id)
}

/// A "caption: value" line, the value large and monospace.
pub fn fact(ui: &mut egui::Ui, caption: &str, value: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(caption).size(18.0));
        ui.label(egui::RichText::new(value).size(20.0).monospace().strong());
    });
}

/// The signature dialog: what is signed (action, unit, reason), who signs; a refused signature
/// is said in the dialog, which stays open for another try.
pub fn signature_ui(
    ctx: &egui::Context,
    i18n: &I18n,
    dialog: &mut SignatureDialog,
) -> Option<UiCommand> {
    let mut out = None;
    modal(ctx, "signature", &i18n.tr("sign-title"), |ui| {
        ui.label(egui::RichText::new(i18n.tr("sign-meaning")).size(18.0));
        ui.add(
            egui::Label::new(
                egui::RichText::new(i18n.tr(dialog.meaning_id))
                    .size(22.0)
                    .strong(),
            )
            .wrap(),
        );
        if let Some(unit) = &dialog.unit {
            fact(ui, &i18n.tr("sign-unit"), unit);
        }
        if let Some(code) = dialog.refused {
            ui.label(
                egui::RichText::new(i18n.reason(code))
                    .size(20.0)
                    .strong()
                    .color(egui::Color32::from_rgb(190, 0, 0)),
            );
        }
        big_field(ui, &i18n.tr("sign-user"), &mut dialog.user, false);
        let password = big_field(ui, &i18n.tr("sign-password"), &mut dialog.password, true);
        big_field(ui, &i18n.tr("sign-reason"), &mut dialog.reason, false);
        ui.label(i18n.tr("sign-legal"));
        let enter = password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal_wrapped(|ui| {
            if big_button(ui, i18n.tr("sign-submit")).clicked() || enter {
                out = Some(UiCommand::Sign);
            }
            if big_button(ui, i18n.tr("cmd-cancel")).clicked() {
                out = Some(UiCommand::Command("CANCEL".to_owned()));
            }
        });
    });
    out
}

/// The station's question: a move says the unit, from where and to where; a switch or a
/// resume says the containers and counts.
pub fn confirm_ui(ctx: &egui::Context, i18n: &I18n, c: &Confirmation) -> Option<UiCommand> {
    let (title, question) = match c.about {
        ReasonCode::ConfirmSwitch | ReasonCode::ChangedWhileSuspended => (
            i18n.tr("switch-title"),
            i18n.tr(&super::i18n::reason_id(c.about)),
        ),
        _ => (i18n.tr("move-title"), i18n.tr("move-question")),
    };
    let mut out = None;
    modal(ctx, "confirm", &title, |ui| {
        ui.add(egui::Label::new(egui::RichText::new(question).size(20.0)).wrap());
        match (&c.from, &c.to) {
            (from, Some(to)) => {
                fact(ui, &i18n.tr("move-unit"), &c.subject);
                if let Some(from) = from {
                    fact(ui, &i18n.tr("move-from"), from);
                }
                fact(ui, &i18n.tr("move-to"), to);
            }
            _ => {
                ui.label(egui::RichText::new(&c.subject).size(20.0).monospace());
            }
        }
        ui.horizontal_wrapped(|ui| {
            if big_button(ui, i18n.tr("cmd-confirm")).clicked() {
                out = Some(UiCommand::Command("CONFIRM".to_owned()));
            }
            if big_button(ui, i18n.tr("cmd-cancel")).clicked() {
                out = Some(UiCommand::Command("CANCEL".to_owned()));
            }
        });
    });
    out
}

/// Decommission / reject / destroy / sample: the unit (a new scan replaces it), what and why.
pub fn retire_ui(ctx: &egui::Context, i18n: &I18n, dialog: &mut RetireDialog) -> Option<UiCommand> {
    let mut out = None;
    modal(ctx, "retire", &i18n.tr("retire-title"), |ui| {
        fact(ui, &i18n.tr("sign-unit"), &dialog.scan);
        ui.horizontal_wrapped(|ui| {
            for (kind, id) in [
                (RetireKind::Decommission, "retire-decommission"),
                (RetireKind::Reject, "retire-reject"),
                (RetireKind::Destroy, "retire-destroy"),
                (RetireKind::Sample, "retire-sample"),
            ] {
                if choice(ui, i18n.tr(id), dialog.kind == kind).clicked() {
                    dialog.kind = kind;
                }
            }
        });
        ui.label(egui::RichText::new(i18n.tr("retire-reason")).size(18.0));
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
                let caption = i18n.tr(&format!("removal-{}", reason.code().replace('_', "-")));
                if choice(ui, caption, dialog.reason == reason).clicked() {
                    dialog.reason = reason;
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            if big_button(ui, i18n.tr("retire-submit")).clicked() {
                out = Some(UiCommand::Retire);
            }
            if big_button(ui, i18n.tr("cmd-cancel")).clicked() {
                out = Some(UiCommand::Command("CANCEL".to_owned()));
            }
        });
    });
    out
}
