//! The counterfeit alert banner: sticky until acknowledged, in the packer's language — the
//! title, what to do (the reason's translated message, e.g. "Unknown serial number: possible
//! counterfeit. Set the pack aside.") and the unit scanned — wrapping onto as many lines as it
//! needs, so the instruction is never cut or hidden. The core's English detail is not shown
//! here (it is in the audit trail for support).

use super::i18n::{I18n, reason_id};
use crate::store::AlertInfo;

/// Purple banner, white text (the alert severity's colours).
const BG: egui::Color32 = egui::Color32::from_rgb(110, 0, 90);

/// The Fluent id of an alert's instruction: its reason code's message (the code as stored).
pub fn instruction_id(code: &str) -> String {
    format!("reason-{}", code.to_ascii_lowercase().replace('_', "-"))
}

/// Draws every open alert; returns the id of the alert acknowledged, if one was.
pub fn alerts_ui(ui: &mut egui::Ui, i18n: &I18n, alerts: &[AlertInfo]) -> Option<i64> {
    let mut acknowledged = None;
    for alert in alerts {
        egui::Frame::new()
            .fill(BG)
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let button_w = 220.0;
                    let text_w = (ui.available_width() - button_w - 12.0).max(200.0);
                    ui.vertical(|ui| {
                        ui.set_width(text_w);
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(i18n.tr("alert-title"))
                                    .color(egui::Color32::WHITE)
                                    .heading(),
                            )
                            .wrap(),
                        );
                        let id = instruction_id(&alert.code);
                        let instruction = if i18n.has(&id) {
                            i18n.tr(&id)
                        } else {
                            i18n.tr(&reason_id(crate::domain::ReasonCode::UnknownSerial))
                        };
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(instruction)
                                    .color(egui::Color32::WHITE)
                                    .size(20.0),
                            )
                            .wrap(),
                        );
                        if !alert.key.is_empty() && alert.key != "-" {
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(&alert.key)
                                        .color(egui::Color32::WHITE)
                                        .monospace(),
                                )
                                .wrap(),
                            );
                        }
                    });
                    if ui
                        .add(
                            egui::Button::new(i18n.tr("alert-acknowledge"))
                                .min_size(egui::vec2(button_w, 56.0)),
                        )
                        .clicked()
                    {
                        acknowledged = Some(alert.id);
                    }
                });
            });
    }
    acknowledged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instruction_is_the_reason_in_every_language() {
        assert_eq!(instruction_id("UNKNOWN_SERIAL"), "reason-unknown-serial");
        let vi = I18n::new("vi").unwrap();
        assert!(vi.tr("reason-unknown-serial").contains("hàng giả"));
    }
}
