//! The supervisor's view of the shift (issue 15): packs, cases and pallets completed per hour as
//! small bar charts (drawn with egui's painter), the refusals by reason in the reader's
//! language, the open counterfeit alerts, the containers put aside or on hold, and the sync
//! backlog — all from one `shift_summary` answer ([`ShiftSummary`]), refreshed while the screen
//! is shown (`app/supervisor.rs`).
//!
//! Drawn from plain data ([`SupervisorState`]); returns what the user asked for
//! ([`SupervisorAction`]). Each chart carries its figures as its accessible label, so a screen
//! reader (and a test) reads what the bars show.

use super::i18n::I18n;
use crate::domain::{HoldReason, ReasonCode};
use crate::station::ShiftSummary;
use egui::{Color32, FontId, Rect, Sense, Stroke, pos2, vec2};

/// The bars' colours: packs, cases, pallets.
const COLOURS: [Color32; 3] = [
    Color32::from_rgb(30, 90, 170),
    Color32::from_rgb(20, 130, 60),
    Color32::from_rgb(190, 100, 0),
];
/// The height of a chart.
const CHART_HEIGHT: f32 = 150.0;
/// How many rows each list shows (the rest is counted).
const LIST_ROWS: usize = 6;

/// What the supervisor screen shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SupervisorState {
    /// The last summary.
    pub summary: Option<ShiftSummary>,
    /// The last refusal of the request (nothing shown is then newer than the summary).
    pub failed: Option<(ReasonCode, Option<String>)>,
}

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisorAction {
    /// Read the summary again now.
    Refresh,
}

impl SupervisorState {
    /// Takes in the answer to a `shift_summary`, typed once by the app (`None`: the station
    /// refused it or its data did not read as a summary; `code` and `detail` say why).
    pub fn on_summary(
        &mut self,
        summary: Option<ShiftSummary>,
        code: ReasonCode,
        detail: Option<String>,
    ) {
        match summary {
            Some(s) => {
                self.summary = Some(s);
                self.failed = None;
            }
            None => self.failed = Some((code, detail)),
        }
    }
}

/// The reason code of a stored code string (`None` for one this build does not know).
fn reason_code(code: &str) -> Option<ReasonCode> {
    ReasonCode::ALL.iter().copied().find(|c| c.as_str() == code)
}

/// A reason in the reader's language (the code itself when this build does not know it).
fn reason_text(i18n: &I18n, code: &str) -> String {
    reason_code(code).map_or_else(|| code.to_owned(), |c| i18n.reason(c))
}

/// Draws the supervisor screen.
pub fn supervisor_ui(
    ui: &mut egui::Ui,
    i18n: &I18n,
    state: &SupervisorState,
) -> Option<SupervisorAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading(i18n.tr("supervisor-title"));
        if let Some(s) = &state.summary {
            let (from, until) = (
                super::history_view::local_time(s.from_ms),
                super::history_view::local_time(s.until_ms - 1),
            );
            ui.label(i18n.tr_args(
                "supervisor-window",
                &[
                    ("from", hour_minute(&from).into()),
                    ("until", hour_minute(&until).into()),
                    ("hours", s.hours.len().into()),
                ],
            ));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(i18n.tr("supervisor-refresh")).clicked() {
                action = Some(SupervisorAction::Refresh);
            }
        });
    });
    if let Some((code, detail)) = &state.failed {
        ui.colored_label(
            Color32::from_rgb(190, 0, 0),
            i18n.tr_args(
                "supervisor-failed",
                &[("reason", i18n.reason(*code).into())],
            ),
        );
        if let Some(d) = detail {
            ui.label(egui::RichText::new(d).small());
        }
    }
    let Some(s) = &state.summary else {
        ui.label(i18n.tr("supervisor-loading"));
        return action;
    };
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("supervisor")
        .auto_shrink([false, false])
        .scroll_source(egui::scroll_area::ScrollSource::ALL)
        .show(ui, |ui| {
            charts_ui(ui, i18n, s);
            ui.separator();
            lists_ui(ui, i18n, s);
        });
    action
}

/// `HH:MM` of a local time `YYYY-MM-DD HH:MM:SS ±hh:mm`.
fn hour_minute(local: &str) -> String {
    local.get(11..16).unwrap_or(local).to_owned()
}

/// The three charts side by side: packs, cases, pallets per hour, each with its total.
fn charts_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    let series: [(&str, u64, Vec<u64>); 3] = [
        (
            "supervisor-packs",
            s.totals.packs,
            s.hours.iter().map(|h| h.completed.packs).collect(),
        ),
        (
            "supervisor-cases",
            s.totals.cases,
            s.hours.iter().map(|h| h.completed.cases).collect(),
        ),
        (
            "supervisor-pallets",
            s.totals.pallets,
            s.hours.iter().map(|h| h.completed.pallets).collect(),
        ),
    ];
    let labels: Vec<&str> = s.hours.iter().map(|h| h.label.as_str()).collect();
    let gap = ui.spacing().item_spacing.x;
    let width = ((ui.available_width() - 2.0 * gap) / 3.0).floor();
    ui.horizontal_top(|ui| {
        for ((id, total, values), colour) in series.into_iter().zip(COLOURS) {
            ui.allocate_ui_with_layout(
                vec2(width, CHART_HEIGHT + 60.0),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    let title = i18n.tr(id);
                    ui.label(
                        egui::RichText::new(format!("{title}: {total}"))
                            .size(24.0)
                            .strong()
                            .color(colour),
                    );
                    bars_ui(ui, i18n, &title, &labels, &values, colour, width);
                },
            );
        }
    });
}

/// One bar chart: a bar per hour, its count above it and the hour below.
fn bars_ui(
    ui: &mut egui::Ui,
    i18n: &I18n,
    title: &str,
    labels: &[&str],
    values: &[u64],
    colour: Color32,
    width: f32,
) {
    let (rect, response) = ui.allocate_exact_size(vec2(width, CHART_HEIGHT), Sense::hover());
    let figures: Vec<String> = labels
        .iter()
        .zip(values)
        .map(|(l, v)| format!("{l} {v}"))
        .collect();
    let described = i18n.tr_args(
        "supervisor-per-hour",
        &[
            ("what", title.to_owned().into()),
            ("hours", figures.join(", ").into()),
        ],
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &described));
    let painter = ui.painter_at(rect);
    painter.rect_stroke(
        rect,
        2.0,
        Stroke::new(1.0, Color32::from_gray(170)),
        egui::StrokeKind::Inside,
    );
    let n = values.len().max(1);
    let slot = rect.width() / n as f32;
    let small = FontId::proportional(14.0);
    // Room for the count above the bars and the hour below them.
    let top = rect.top() + 20.0;
    let base = rect.bottom() - 20.0;
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let ink = ui.visuals().text_color();
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let x = rect.left() + slot * i as f32;
        let h = (base - top) * (*value as f32 / max as f32);
        let bar = Rect::from_min_max(pos2(x + slot * 0.18, base - h), pos2(x + slot * 0.82, base));
        if *value > 0 {
            painter.rect_filled(bar, 2.0, colour);
            painter.text(
                pos2(bar.center().x, bar.top() - 2.0),
                egui::Align2::CENTER_BOTTOM,
                value.to_string(),
                small.clone(),
                ink,
            );
        }
        // Every other hour's label when the bars are narrow.
        if slot >= 44.0 || i % 2 == 0 {
            painter.text(
                pos2(x + slot / 2.0, rect.bottom() - 2.0),
                egui::Align2::CENTER_BOTTOM,
                *label,
                small.clone(),
                ink,
            );
        }
    }
    painter.line_segment(
        [pos2(rect.left(), base), pos2(rect.right(), base)],
        Stroke::new(1.0, Color32::from_gray(120)),
    );
}

/// The four lists side by side: refusals by reason, open alerts, put aside and on hold, sync.
fn lists_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    let gap = ui.spacing().item_spacing.x;
    let width = ((ui.available_width() - 3.0 * gap) / 4.0).floor();
    let column = |ui: &mut egui::Ui, add: &dyn Fn(&mut egui::Ui)| {
        ui.allocate_ui_with_layout(
            vec2(width, 0.0),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(width);
                add(ui);
            },
        );
    };
    ui.horizontal_top(|ui| {
        column(ui, &|ui| refusals_ui(ui, i18n, s));
        column(ui, &|ui| alerts_ui(ui, i18n, s));
        column(ui, &|ui| containers_ui(ui, i18n, s));
        column(ui, &|ui| sync_ui(ui, i18n, s));
    });
}

fn heading(ui: &mut egui::Ui, text: String, alarm: bool) {
    let text = egui::RichText::new(text).size(20.0).strong();
    ui.label(if alarm {
        text.color(Color32::from_rgb(190, 0, 0))
    } else {
        text
    });
}

fn wrapped(ui: &mut egui::Ui, text: String) {
    ui.add(egui::Label::new(text).wrap());
}

fn more_rows(ui: &mut egui::Ui, i18n: &I18n, shown: usize, total: usize) {
    if total > shown {
        ui.label(
            egui::RichText::new(
                i18n.tr_args("supervisor-more", &[("count", (total - shown).into())]),
            )
            .small(),
        );
    }
}

fn refusals_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    heading(
        ui,
        i18n.tr_args("supervisor-refusals", &[("count", s.refusals_total.into())]),
        false,
    );
    if s.refusals.is_empty() {
        ui.label(i18n.tr("supervisor-refusals-none"));
    }
    for r in s.refusals.iter().take(LIST_ROWS) {
        wrapped(ui, format!("{} × {}", r.count, reason_text(i18n, &r.code)));
    }
    more_rows(ui, i18n, LIST_ROWS, s.refusals.len());
}

fn alerts_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    heading(
        ui,
        i18n.tr_args("supervisor-alerts", &[("count", s.alerts.len().into())]),
        !s.alerts.is_empty(),
    );
    if s.alerts.is_empty() {
        ui.label(i18n.tr("supervisor-alerts-none"));
    }
    for a in s.alerts.iter().take(LIST_ROWS) {
        wrapped(ui, reason_text(i18n, &a.code));
        ui.label(egui::RichText::new(&a.key).monospace().small());
    }
    more_rows(ui, i18n, LIST_ROWS, s.alerts.len());
}

fn containers_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    heading(
        ui,
        i18n.tr_args("supervisor-aside", &[("count", s.suspended.len().into())]),
        false,
    );
    for c in s.suspended.iter().take(LIST_ROWS) {
        let fill = match c.capacity {
            Some(cap) => format!("{}/{cap}", c.count),
            None => c.count.to_string(),
        };
        wrapped(
            ui,
            format!("{} {fill}", i18n.tr(&format!("level-{}", c.level))),
        );
        ui.label(egui::RichText::new(&c.key).monospace().small());
    }
    more_rows(ui, i18n, LIST_ROWS, s.suspended.len());
    heading(
        ui,
        i18n.tr_args("supervisor-holds", &[("count", s.holds.len().into())]),
        !s.holds.is_empty(),
    );
    for h in s.holds.iter().take(LIST_ROWS) {
        let reason = h.reason.parse::<HoldReason>().map_or_else(
            |_| h.reason.clone(),
            |r| i18n.tr(&super::hold_view::reason_id(r)),
        );
        wrapped(ui, reason);
        ui.label(egui::RichText::new(&h.what).monospace().small());
    }
    more_rows(ui, i18n, LIST_ROWS, s.holds.len());
}

fn sync_ui(ui: &mut egui::Ui, i18n: &I18n, s: &ShiftSummary) {
    heading(ui, i18n.tr("supervisor-sync"), s.sync.parked > 0);
    wrapped(
        ui,
        i18n.tr_args("supervisor-sync-queued", &[("count", s.sync.queued.into())]),
    );
    wrapped(
        ui,
        i18n.tr_args("supervisor-sync-parked", &[("count", s.sync.parked.into())]),
    );
    wrapped(
        ui,
        i18n.tr_args("supervisor-sync-sent", &[("count", s.sync.sent.into())]),
    );
}
