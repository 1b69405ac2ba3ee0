//! The owner GLN on the settings screen (station identity, issue 14 §4): the field an
//! administrator sets, and where the GLN the events' work-order business transactions carry
//! comes from — the setting, the business location's SGLN, or nothing (then the events carry
//! no business transaction, and the screen says so).

use super::state::AppState;
use super::ui_command::UiCommand;
use crate::station::{OWNER_GLN_SETTING, OwnerGln, Request};

const BUTTON: egui::Vec2 = egui::vec2(150.0, 40.0);

/// The owner GLN field (`field`: what is typed, filled from the station on first show), its
/// Save button (administrators; an empty field clears the setting) and the line saying which
/// GLN the events carry.
pub(super) fn owner_gln_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    field: &mut Option<String>,
    admin: bool,
) -> Vec<UiCommand> {
    let owner = &s.snapshot.owner_gln;
    let label = s.i18n.tr("settings-owner-gln");
    let save = s.i18n.tr("settings-save-owner-gln");
    let form = field.get_or_insert_with(|| match owner {
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
    let (text, missing) = match owner {
        OwnerGln::Setting { gln } => (
            s.i18n.tr_args(
                "settings-owner-gln-from-setting",
                &[("gln", gln.clone().into())],
            ),
            false,
        ),
        OwnerGln::BizLocation { gln, biz_location } => (
            s.i18n.tr_args(
                "settings-owner-gln-from-location",
                &[
                    ("gln", gln.clone().into()),
                    ("location", biz_location.clone().into()),
                ],
            ),
            false,
        ),
        OwnerGln::Missing => (s.i18n.tr("settings-owner-gln-missing"), true),
    };
    if missing {
        ui.colored_label(ui.visuals().warn_fg_color, text);
    } else {
        ui.label(text);
    }
    send.map(|value| {
        UiCommand::Station(Request::SetSetting {
            key: OWNER_GLN_SETTING.to_owned(),
            value,
        })
    })
    .into_iter()
    .collect()
}
