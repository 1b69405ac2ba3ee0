//! The recall and trace screen (issue 18). Recall: a GTIN + lot (or a scanned pack) → every
//! unit of the lot the station knows, grouped by top container, with counts per status, the
//! containers to pull, Save CSV / Save PDF, and "Hold the whole lot…" (the signed hold
//! dialog). Trace: a scanned unit → its tree from the top container down to every pack, each
//! unit's moves (who, when in local time, from → to, signature), Save PDF.
//!
//! Drawn from plain data ([`RecallState`]) and returns what the user asked for
//! ([`RecallAction`]); the app sends the requests and saves the files.

use super::i18n::I18n;
use crate::domain::{RecallReport, RecallStatus, TraceNode, TraceReport};

/// What the recall screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecallState {
    /// GTIN field.
    pub gtin: String,
    /// Lot field.
    pub lot: String,
    /// A scanned (or typed) unit for a trace or a recall of its lot.
    pub unit: String,
    /// The last recall.
    pub report: Option<RecallReport>,
    /// The last trace.
    pub trace: Option<TraceReport>,
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecallAction {
    /// Recall by GTIN and lot.
    Recall {
        /// GTIN.
        gtin: String,
        /// Lot.
        lot: String,
    },
    /// Recall the lot of a unit.
    RecallOf(String),
    /// Trace a unit.
    Trace(String),
    /// Open the signed hold dialog for the whole lot.
    HoldLot {
        /// GTIN.
        gtin: String,
        /// Lot.
        lot: String,
    },
    /// Save the recall as CSV.
    SaveCsv,
    /// Save the recall as PDF.
    SavePdf,
    /// Save the trace as PDF.
    SaveTracePdf,
}

impl RecallState {
    /// Takes in a recall report (the fields show its GTIN and lot).
    pub fn on_recall(&mut self, report: RecallReport) {
        self.gtin.clone_from(&report.gtin);
        self.lot.clone_from(&report.lot);
        self.report = Some(report);
    }
}

fn status_text(i18n: &I18n, s: RecallStatus) -> String {
    i18n.tr(match s {
        RecallStatus::InStock => "recall-in-stock",
        RecallStatus::OnHold => "recall-on-hold",
        RecallStatus::Shipped => "recall-shipped",
        RecallStatus::Retired => "recall-retired",
    })
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(width))
        .labelled_by(l.id);
}

/// Draws the recall and trace screen.
pub fn recall_ui(ui: &mut egui::Ui, i18n: &I18n, state: &mut RecallState) -> Option<RecallAction> {
    let mut action = None;
    ui.heading(i18n.tr("recall-title"));
    ui.horizontal_wrapped(|ui| {
        field(ui, &i18n.tr("recall-gtin"), &mut state.gtin, 160.0);
        field(ui, &i18n.tr("recall-lot"), &mut state.lot, 120.0);
        if ui.button(i18n.tr("recall-find")).clicked() {
            action = Some(RecallAction::Recall {
                gtin: state.gtin.trim().to_owned(),
                lot: state.lot.trim().to_owned(),
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        field(ui, &i18n.tr("recall-unit"), &mut state.unit, 360.0);
        let unit = state.unit.trim().to_owned();
        if ui.button(i18n.tr("recall-of-unit")).clicked() && !unit.is_empty() {
            action = Some(RecallAction::RecallOf(unit.clone()));
        }
        if ui.button(i18n.tr("trace-unit")).clicked() && !unit.is_empty() {
            action = Some(RecallAction::Trace(unit));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("recall")
        .show(ui, |ui| {
            if let Some(r) = &state.report
                && let Some(a) = report_ui(ui, i18n, r)
            {
                action = Some(a);
            }
            if let Some(t) = &state.trace {
                ui.separator();
                ui.heading(i18n.tr_args("trace-heading", &[("unit", t.scanned.clone().into())]));
                if !t.path_up.is_empty() {
                    ui.label(
                        i18n.tr_args("trace-inside", &[("path", t.path_up.join(" / ").into())]),
                    );
                }
                if ui.button(i18n.tr("trace-save-pdf")).clicked() {
                    action = Some(RecallAction::SaveTracePdf);
                }
                node_ui(ui, i18n, &t.root, 0);
            }
        });
    action
}

fn report_ui(ui: &mut egui::Ui, i18n: &I18n, r: &RecallReport) -> Option<RecallAction> {
    let mut action = None;
    ui.label(
        egui::RichText::new(i18n.tr_args(
            "recall-summary",
            &[
                ("lot", r.lot.clone().into()),
                ("gtin", r.gtin.clone().into()),
                ("total", r.counts.total().into()),
                ("stock", r.counts.in_stock.into()),
                ("held", r.counts.on_hold.into()),
                ("shipped", r.counts.shipped.into()),
                ("retired", r.counts.retired.into()),
            ],
        ))
        .strong(),
    );
    if r.lot_on_hold {
        ui.label(super::hold_view::badge(&i18n.tr("recall-lot-held")));
    }
    ui.label(i18n.tr_args(
        "recall-pull",
        &[("count", r.containers_to_pull.len().into())],
    ));
    ui.horizontal_wrapped(|ui| {
        if !r.lot_on_hold && ui.button(i18n.tr("recall-hold-lot")).clicked() {
            action = Some(RecallAction::HoldLot {
                gtin: r.gtin.clone(),
                lot: r.lot.clone(),
            });
        }
        if ui.button(i18n.tr("recall-save-csv")).clicked() {
            action = Some(RecallAction::SaveCsv);
        }
        if ui.button(i18n.tr("recall-save-pdf")).clicked() {
            action = Some(RecallAction::SavePdf);
        }
    });
    egui::Grid::new("recall-groups")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.label(egui::RichText::new(i18n.tr("recall-col-container")).strong());
            ui.label(egui::RichText::new(i18n.tr("recall-col-units")).strong());
            ui.label(egui::RichText::new(i18n.tr("recall-col-status")).strong());
            ui.label(egui::RichText::new(i18n.tr("recall-col-last")).strong());
            ui.end_row();
            for g in &r.groups {
                let name = match (&g.top, &g.top_level) {
                    (Some(k), Some(l)) => format!("{l} {k}"),
                    _ => i18n.tr("recall-loose"),
                };
                let name = egui::RichText::new(name).monospace();
                ui.label(if g.pull { name.strong() } else { name });
                ui.label(g.counts.total().to_string());
                let mut parts = Vec::new();
                for (s, n) in [
                    (RecallStatus::InStock, g.counts.in_stock),
                    (RecallStatus::OnHold, g.counts.on_hold),
                    (RecallStatus::Shipped, g.counts.shipped),
                    (RecallStatus::Retired, g.counts.retired),
                ] {
                    if n > 0 {
                        parts.push(format!("{} {n}", status_text(i18n, s)));
                    }
                }
                ui.label(parts.join(", "));
                ui.label(
                    g.last_event
                        .as_ref()
                        .map(|e| {
                            format!(
                                "{} {}",
                                e.biz_step.clone().unwrap_or_else(|| e.event.clone()),
                                e.local_time
                            )
                        })
                        .unwrap_or_default(),
                );
                ui.end_row();
            }
        });
    action
}

fn node_ui(ui: &mut egui::Ui, i18n: &I18n, n: &TraceNode, depth: usize) {
    let mut title = format!("{} {} · {}", n.level, n.key, n.status);
    if n.held {
        title.push_str(&format!(" · {}", i18n.tr("hold-badge")));
    }
    egui::CollapsingHeader::new(title)
        .id_salt(("trace", &n.key))
        .default_open(depth < 2)
        .show(ui, |ui| {
            for m in &n.history {
                let mut line = format!("{}  {}  {}  {}", m.local_time, m.user, m.command, m.what);
                if m.from.is_some() || m.to.is_some() {
                    line.push_str(&format!(
                        "  {} → {}",
                        m.from.as_deref().unwrap_or("-"),
                        m.to.as_deref().unwrap_or("-")
                    ));
                }
                if let Some(s) = &m.signature {
                    line.push_str(&format!("  {s}"));
                }
                ui.label(egui::RichText::new(line).small());
            }
            for c in &n.children {
                node_ui(ui, i18n, c, depth + 1);
            }
        });
}
