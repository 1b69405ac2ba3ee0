//! The owner GLN on the settings screen (station identity, issue 14 §4): the field an
//! administrator sets, and where the GLN the events' work-order business transactions carry
//! comes from — the setting, the business location's SGLN, or nothing (then the events carry
//! no business transaction, and the screen says so).

use super::app::PackbenchApp;
use crate::station::{OWNER_GLN_SETTING, OwnerGln, Request};

const BUTTON: egui::Vec2 = egui::vec2(150.0, 40.0);

impl PackbenchApp {
    /// The owner GLN field, its Save button (administrators; an empty field clears the
    /// setting) and the line saying which GLN the events carry.
    pub(crate) fn owner_gln_ui(&mut self, ui: &mut egui::Ui, admin: bool) {
        let owner = self.snapshot.owner_gln.clone();
        let label = self.i18n.tr("settings-owner-gln");
        let save = self.i18n.tr("settings-save-owner-gln");
        let form = self.forms.owner_gln.get_or_insert_with(|| match &owner {
            OwnerGln::Setting { gln } => gln.clone(),
            OwnerGln::BizLocation { .. } | OwnerGln::Missing => String::new(),
        });
        let mut send = None;
        ui.add_enabled_ui(admin, |ui| {
            super::screens::labelled_field(ui, &label, form, false, [240.0, 360.0]);
            if ui.add(egui::Button::new(save).min_size(BUTTON)).clicked() {
                send = Some(form.trim().to_owned());
            }
        });
        let (text, missing) = match &owner {
            OwnerGln::Setting { gln } => (
                self.i18n.tr_args(
                    "settings-owner-gln-from-setting",
                    &[("gln", gln.clone().into())],
                ),
                false,
            ),
            OwnerGln::BizLocation { gln, biz_location } => (
                self.i18n.tr_args(
                    "settings-owner-gln-from-location",
                    &[
                        ("gln", gln.clone().into()),
                        ("location", biz_location.clone().into()),
                    ],
                ),
                false,
            ),
            OwnerGln::Missing => (self.i18n.tr("settings-owner-gln-missing"), true),
        };
        if missing {
            ui.colored_label(ui.visuals().warn_fg_color, text);
        } else {
            ui.label(text);
        }
        if let Some(value) = send {
            self.send(Request::SetSetting {
                key: OWNER_GLN_SETTING.to_owned(),
                value,
            });
        }
    }
}
