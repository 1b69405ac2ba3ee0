//! Fonts that render every shipped language (see `assets/fonts/README.md`): Noto Sans first
//! (Latin with Vietnamese stacked diacritics), Droid Sans Fallback for Chinese, egui's built-in
//! fonts last (symbols).

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const DROID_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");

/// The font definitions of the app.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans".to_owned(),
        Arc::new(FontData::from_static(NOTO_SANS)),
    );
    fonts.font_data.insert(
        "droid-fallback".to_owned(),
        Arc::new(FontData::from_static(DROID_FALLBACK)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        if family == FontFamily::Proportional {
            list.insert(0, "noto-sans".to_owned());
            list.insert(1, "droid-fallback".to_owned());
        } else {
            // Keys stay monospace; names in other scripts still render.
            list.push("noto-sans".to_owned());
            list.push("droid-fallback".to_owned());
        }
    }
    fonts
}

/// The smallest touch target, in points (gloves).
pub const TARGET_PX: f32 = 48.0;

/// Installs the fonts and the bench theme (large text, high contrast, big touch targets).
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        use egui::{FontId, TextStyle};
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(14.0)),
            (TextStyle::Body, FontId::proportional(18.0)),
            (TextStyle::Button, FontId::proportional(20.0)),
            (TextStyle::Heading, FontId::proportional(26.0)),
            (TextStyle::Monospace, FontId::monospace(16.0)),
        ]
        .into();
        // Every target at least 48 px high (gloves): buttons, text fields and check boxes take
        // their height from `interact_size`; the check box itself and the tree's +/- icons
        // from the icon sizes.
        style.spacing.interact_size = egui::vec2(48.0, TARGET_PX);
        style.spacing.icon_width = 30.0;
        style.spacing.icon_width_inner = 18.0;
        style.spacing.icon_spacing = 10.0;
        style.spacing.combo_height = 400.0;
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.visuals.widgets.noninteractive.fg_stroke.color = egui::Color32::BLACK;
        style.visuals.widgets.inactive.fg_stroke.color = egui::Color32::BLACK;
        style.visuals.widgets.inactive.bg_stroke =
            egui::Stroke::new(1.5, egui::Color32::from_gray(60));
    });
}
