//! The menu bar, in one row at 1366×768 in every language (issue 15): the packer's own screens
//! (Station, Look-up, Camera) one tap away, the supervisor's shift view beside them for those
//! who may see it, and the screens a bench uses rarely (returns desk, recall, settings, users,
//! the command-barcode sheet) under one "More" menu (a painted arrow beside it) whose entries are as tall as any target
//! (48 px, gloves). Who is logged in and Log out sit at the right end.

use super::fonts::TARGET_PX;
use super::state::{AppState, Screen};
use super::ui_command::UiCommand;
use crate::auth::Role;
use crate::station::Request;

/// The screens always in the bar, for everyone.
pub const MAIN_SCREENS: [(Screen, &str); 3] = [
    (Screen::Station, "nav-station"),
    (Screen::Lookup, "nav-lookup"),
    (Screen::Camera, "nav-camera"),
];

/// Whether a role sees the supervisor's shift view (supervisors, QA and administrators).
pub fn sees_shift(role: Role) -> bool {
    role.can_sign()
}

/// The screens under "More" for a role, in the order listed.
pub fn more_screens(role: Role) -> Vec<(Screen, &'static str)> {
    let mut screens = vec![
        (Screen::Returns, "nav-returns"),
        (Screen::Recall, "nav-recall"),
        (Screen::Settings, "nav-settings"),
    ];
    if role.can_administer() {
        screens.push((Screen::Users, "nav-users"));
    }
    screens
}

/// The "More" button's text (and accessible label) in the language of `i18n`; a painted
/// arrow beside it says that it opens a menu (no font of the app has an arrow glyph).
pub fn more_title(i18n: &super::i18n::I18n) -> String {
    i18n.tr("nav-more")
}

/// A downward triangle painted in the button's text colour (an atom without text, so the
/// button's label stays the word alone).
fn down_arrow() -> egui::Atom<'static> {
    egui::AtomKind::closure(|ui, _args| {
        let size = egui::Vec2::splat(ui.spacing().icon_width * 0.6);
        egui::IntoSizedResult {
            intrinsic_size: size,
            sized: egui::SizedAtomKind::Paint {
                paint: std::sync::Arc::new(|ui: &egui::Ui, args: egui::AtomPaintArgs| {
                    let r = egui::Rect::from_center_size(
                        args.rect.center(),
                        egui::vec2(args.rect.width() * 0.7, args.rect.height() * 0.45),
                    );
                    let points = vec![r.left_top(), r.right_top(), r.center_bottom()];
                    ui.painter().add(egui::Shape::convex_polygon(
                        points,
                        args.fallback_text_color,
                        egui::Stroke::NONE,
                    ));
                }),
                size,
            },
        }
    })
    .into()
}

/// The width of the entries of the "More" menu.
const MORE_WIDTH: f32 = 320.0;

/// Draws the menu bar in one row.
pub fn menu_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        ui.heading("packbench");
        let Some(user) = &s.snapshot.user else {
            return;
        };
        let mut tabs: Vec<(Screen, &str)> = MAIN_SCREENS.to_vec();
        if sees_shift(user.role) {
            tabs.push((Screen::Supervisor, "nav-supervisor"));
        }
        for (screen, id) in tabs {
            if ui
                .add(egui::Button::selectable(s.screen == screen, s.i18n.tr(id)))
                .clicked()
            {
                out.push(UiCommand::Show(screen));
            }
        }
        more_ui(ui, s, user.role, out);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(s.i18n.tr("nav-logout")).clicked() {
                out.push(UiCommand::Station(Request::Logout));
            }
            let role = s.i18n.tr(&format!("role-{}", user.role));
            ui.add(egui::Label::new(format!("{} · {role}", user.full_name)).truncate());
        });
    });
}

/// "More": the rarely used screens and the command-barcode sheet; shown selected while one of
/// its screens is open.
fn more_ui(ui: &mut egui::Ui, s: &AppState<'_>, role: Role, out: &mut Vec<UiCommand>) {
    let screens = more_screens(role);
    let inside = screens.iter().any(|(screen, _)| *screen == s.screen);
    let button = egui::Button::selectable(inside, more_title(s.i18n)).right_text(down_arrow());
    egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        ui.set_min_width(MORE_WIDTH);
        let entry = |ui: &mut egui::Ui, selected: bool, text: String| {
            ui.add(
                egui::Button::selectable(selected, text)
                    .min_size(egui::vec2(MORE_WIDTH, TARGET_PX)),
            )
            .clicked()
        };
        for (screen, id) in &screens {
            if entry(ui, s.screen == *screen, s.i18n.tr(id)) {
                out.push(UiCommand::Show(*screen));
                ui.close();
            }
        }
        ui.separator();
        if entry(ui, false, s.i18n.tr("nav-command-sheet")) {
            out.push(UiCommand::SaveCommandSheet);
            ui.close();
        }
    });
}
