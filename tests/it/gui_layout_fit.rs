//! Text that fits in every language (issue 15): the real app is driven through every screen,
//! settings section and dialog at 1366×768 in each shipped locale and the pseudo-locale, and
//! each frame is checked for
//! - text cut short: a galley egui elided ("…", e.g. a dialog title narrower than its window),
//!   or text running past the side of its clip rectangle or of the screen;
//! - text on text: two labelled widgets of one layer whose visible rectangles overlap (neither
//!   containing the other);
//! - small touch targets: a button, check box or text field less than 48 px high (gloves);
//! - a menu bar of more than one row: every tab, "More" and Log out on the top row, inside
//!   the screen (the supervisor's screen and the open "More" menu are checked like the rest).
//!
//! The shapes come from the frame's output, the widget rectangles from egui's record of the
//! frame (`WidgetRects`: the rectangle and its visible part, with the accessibility role and
//! label of each widget), so nothing here depends on pixels.

use crate::harness::gui::{click, first_run, harness_with, open_more, scan, settle, wait_for};
use egui::accesskit::Role;
use egui::epaint::{ClippedShape, Shape};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use packbench::ui::app::Screen;
use packbench::ui::i18n::{I18n, PSEUDO_LOCALE};
use packbench::ui::settings_view::SettingsSection;
use packbench::ui::{PackbenchApp, demo};

/// The bench screen.
const SCREEN: egui::Rect =
    egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1366.0, 768.0));
/// The smallest touch target.
const TARGET_PX: f32 = 48.0;

fn text_shapes<'a>(
    shape: &'a Shape,
    clip: egui::Rect,
    out: &mut Vec<(egui::Rect, &'a egui::epaint::TextShape)>,
) {
    match shape {
        Shape::Vec(shapes) => {
            for s in shapes {
                text_shapes(s, clip, out);
            }
        }
        Shape::Text(t) => out.push((clip, t)),
        _ => {}
    }
}

/// The problems of the last frame, each naming the text concerned.
fn problems(h: &Harness<'static, PackbenchApp>) -> Vec<String> {
    let mut found = Vec::new();
    // Cut text.
    let mut texts = Vec::new();
    for ClippedShape {
        clip_rect, shape, ..
    } in &h.output().shapes
    {
        text_shapes(shape, *clip_rect, &mut texts);
    }
    for (clip, t) in texts {
        let text = t.galley.text().trim().to_owned();
        if text.is_empty() {
            continue;
        }
        let r = t.visual_bounding_rect();
        let visible = clip.intersect(SCREEN);
        // Scrolled out of sight (above or below its scroll area) is not cut.
        if r.max.y <= visible.min.y + 1.0 || r.min.y >= visible.max.y - 1.0 {
            continue;
        }
        if t.galley.elided {
            found.push(format!("cut short (…): {text:?}"));
        } else if r.max.x > visible.max.x + 1.5 || r.min.x < visible.min.x - 1.5 {
            found.push(format!(
                "cut at the side ({:.0}..{:.0} shown of {:.0}..{:.0}): {text:?}",
                visible.min.x, visible.max.x, r.min.x, r.max.x
            ));
        }
    }
    // Overlaps and small targets, from the widgets of the frame.
    let widgets = h.ctx.viewport(|vp| vp.prev_pass.widgets.clone());
    for (_, layer) in widgets.layers() {
        let labelled: Vec<(egui::Rect, egui::Rect, String, Role)> = layer
            .iter()
            .filter_map(|w| {
                let info = widgets.info(w.id)?;
                let label = info
                    .label
                    .clone()
                    .or_else(|| info.current_text_value.clone())
                    .unwrap_or_default();
                let r = w.interact_rect;
                (r.is_positive() && !label.trim().is_empty() && info.role != Role::Window)
                    .then_some((r, w.rect, label, info.role))
            })
            .collect();
        for (i, (a, whole_rect, la, role)) in labelled.iter().enumerate() {
            let clickable = matches!(
                role,
                Role::Button | Role::CheckBox | Role::TextInput | Role::ComboBox
            );
            // A target cut by its scroll area is not small; only a whole one is measured.
            let whole = whole_rect == a;
            if clickable && whole && a.height() < TARGET_PX - 0.5 {
                found.push(format!("small target ({:.0} px high): {la:?}", a.height()));
            }
            for (b, _, lb, _) in &labelled[i + 1..] {
                let overlap = a.intersect(*b);
                if overlap.width() > 2.0
                    && overlap.height() > 2.0
                    && !a.contains_rect(*b)
                    && !b.contains_rect(*a)
                {
                    found.push(format!("overlap: {la:?} / {lb:?}"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Whether the menu bar is one row inside the screen: every tab, "More" and Log out on the
/// first row of the top bar, none past the right edge (the problems found).
fn menu_row_problems(h: &Harness<'static, PackbenchApp>, t: &I18n) -> Vec<String> {
    let mut labels: Vec<String> = ["nav-station", "nav-lookup", "nav-camera", "nav-supervisor"]
        .iter()
        .map(|id| t.tr(id))
        .collect();
    labels.push(packbench::ui::menu_bar::more_title(t));
    labels.push(t.tr("nav-logout"));
    // The accessibility tree names every tab, whatever its role (tabs are toggle buttons).
    let mut found: Vec<(String, egui::Rect)> = Vec::new();
    for label in &labels {
        for node in h.query_all_by_label(label) {
            let r = node.rect();
            if r.max.y < 120.0 {
                found.push((label.clone(), r));
            }
        }
    }
    let mut out = Vec::new();
    for label in &labels {
        if !found.iter().any(|(l, _)| l == label) {
            out.push(format!("menu bar: {label:?} is not in the top row"));
        }
    }
    let top = found
        .iter()
        .map(|(_, r)| r.min.y)
        .fold(f32::INFINITY, f32::min);
    for (label, r) in &found {
        if r.min.y > top + 2.0 {
            out.push(format!("menu bar: {label:?} wraps to a second row"));
        }
        if r.max.x > SCREEN.max.x + 0.5 {
            out.push(format!("menu bar: {label:?} past the right edge"));
        }
    }
    out
}

struct Tour {
    h: Harness<'static, PackbenchApp>,
    t: I18n,
    report: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Tour {
    fn new(locale: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness_with(dir.path(), locale, None);
        h.state_mut().set_locale(locale);
        settle(&mut h);
        Self {
            t: I18n::new(locale).unwrap(),
            h,
            report: Vec::new(),
            _dir: dir,
        }
    }

    fn check(&mut self, what: &str) {
        self.h.run_steps(2);
        for p in problems(&self.h) {
            self.report.push(format!("{what}: {p}"));
        }
    }

    fn cmd(&mut self, command: &str) {
        scan(&mut self.h, &format!("PBCMD:{command}"));
    }

    fn scan(&mut self, data: &str) {
        scan(&mut self.h, data);
    }

    /// The menu bar is one row.
    fn menu_row(&mut self, what: &str) {
        self.h.run_steps(2);
        for p in menu_row_problems(&self.h, &self.t) {
            self.report.push(format!("{what}: {p}"));
        }
    }

    fn click(&mut self, id: &str) {
        let label = self.t.tr(id);
        click(&mut self.h, &label);
    }
}

/// Every screen and dialog in `locale`; fails with every problem found.
fn tour(locale: &str) {
    let mut t = Tour::new(locale);
    t.check("first run");
    first_run(&mut t.h);
    assert!(t.h.state().snapshot.user.is_some(), "{locale}: logged in");
    t.check("station, empty");
    t.menu_row("station, empty");
    t.scan(&demo::case_sscc(1));
    for n in 1..=5 {
        t.scan(&demo::pack_scan(n));
    }
    t.check("station, a case filling");
    t.scan(&demo::wrong_product_scan());
    t.check("station, a refusal");
    t.scan(&demo::unknown_serial_scan());
    t.check("station, counterfeit alert");
    t.click("alert-acknowledge");
    for command in ["REMOVE", "MOVE", "PACK"] {
        t.cmd(command);
        t.check(&format!("station, mode {command}"));
    }
    for command in [
        "REPLACE", "RELABEL", "UNPACK", "REPRINT", "RETIRE", "VERIFY",
    ] {
        t.cmd(command);
        t.check(&format!("dialog {command}"));
        t.scan(&demo::pack_scan(1));
        t.check(&format!("dialog {command} after a scan"));
        t.cmd("CANCEL");
    }
    t.cmd("CLOSE");
    t.check("signature dialog");
    t.cmd("CANCEL");
    t.scan(&demo::case_sscc(2));
    t.check("switch confirmation");
    t.cmd("CANCEL");
    t.cmd("LOOKUP");
    t.scan(&demo::pack_scan(2));
    assert_eq!(t.h.state().screen, Screen::Lookup, "{locale}");
    t.check("look-up");
    t.click("hold-open");
    t.check("hold dialog");
    t.click("cmd-cancel");
    t.click("closeout-open");
    t.check("close-out window");
    t.h.state_mut().closeout = None;
    t.cmd("PACK");
    t.h.state_mut().screen = Screen::Camera;
    t.check("camera");
    t.h.state_mut().screen = Screen::Settings;
    for section in SettingsSection::ALL {
        t.h.state_mut().settings_section = section;
        t.check(&format!("settings {section:?}"));
    }
    t.h.state_mut().screen = Screen::Users;
    t.check("users");
    t.menu_row("users");
    // The supervisor's shift view, with the refusals, the alert and the case filling above.
    t.h.state_mut().screen = Screen::Supervisor;
    wait_for(&mut t.h, "the shift summary", |app| {
        app.supervisor.summary.is_some()
    });
    t.check("shift");
    t.menu_row("shift");
    open_more(&mut t.h);
    t.check("menu More");
    t.h.key_press(egui::Key::Escape);
    settle(&mut t.h);
    t.click("nav-logout");
    t.check("log-in");
    let report = t.report.join("\n");
    assert!(
        t.report.is_empty(),
        "{locale}: {} problems\n{report}",
        t.report.len()
    );
}

#[test]
fn everything_fits_in_english() {
    tour("en-US");
}

#[test]
fn everything_fits_in_vietnamese() {
    tour("vi");
}

#[test]
fn everything_fits_in_german() {
    tour("de");
}

#[test]
fn everything_fits_in_french() {
    tour("fr");
}

#[test]
fn everything_fits_in_spanish() {
    tour("es");
}

#[test]
fn everything_fits_in_chinese() {
    tour("zh-CN");
}

#[test]
fn everything_fits_in_the_pseudo_locale() {
    tour(PSEUDO_LOCALE);
}
