//! The "Close work order…" window: the order's reconciliation as the station answers it
//! (`reconcile`), its open and put-aside containers and short cases, the choice to
//! decommission the leftover serials in the same step, the supervisor's signature
//! (`close_work_order`), and "Save report (PDF)…" for the batch record.

use super::i18n::I18n;
use super::ui_command::UiCommand;
use crate::domain::{OrderCloseout, OrderStatus, ReasonCode, SerialBreakdown, Severity};
use crate::station::{Request, SignatureInput};

/// The close-out window's state (open while `Some` in the app's `closeout`).
#[derive(Debug, Clone, Default)]
pub struct CloseoutView {
    /// The order.
    pub work_order: String,
    /// The close-out as the station last answered it.
    pub closeout: Option<OrderCloseout>,
    /// The last verdict about it (a refusal names what stops the close).
    pub verdict: Option<(Severity, ReasonCode, Option<String>)>,
    /// Decommission the leftover serials in the same signed step.
    pub decommission_leftovers: bool,
    /// The signing supervisor's user name.
    pub user: String,
    /// Their password (cleared once sent).
    pub password: String,
    /// The reason recorded with the signature.
    pub reason: String,
}

impl CloseoutView {
    /// The close-out report of what is shown, made at `generated_ms`.
    pub fn report_pdf(&self, generated_ms: i64) -> Option<Vec<u8>> {
        let c = self.closeout.as_ref()?;
        Some(crate::report::closeout::render(c, generated_ms))
    }
}

/// A text field under its label (the field labelled by it for screen readers and tests).
fn stacked_field(ui: &mut egui::Ui, label: &str, value: &mut String, password: bool) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .password(password)
            .desired_width(400.0),
    )
    .labelled_by(l.id);
}

/// One figure of a level's totals (a row of the levels table).
type Figure = fn(&crate::domain::LevelTotals) -> u64;

const CATEGORIES: [&str; 7] = [
    "closeout-packed",
    "closeout-decommissioned",
    "closeout-destroyed",
    "closeout-sampled",
    "closeout-rejected",
    "closeout-loose-scanned",
    "closeout-never-scanned",
];

/// Draws the close-out window (its own fields edited in place).
pub fn closeout_ui(ctx: &egui::Context, i18n: &I18n, view: &mut CloseoutView) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let title = i18n.tr_args("closeout-title", &[("id", view.work_order.clone().into())]);
    // Figures on the left, the signature and the buttons on the right: both stay in view
    // on a 1366x768 bench screen.
    let screen = ctx.content_rect();
    let height = (screen.height() - 130.0).max(240.0);
    let width = (screen.width() - 60.0).clamp(600.0, 1180.0);
    egui::Window::new(title)
        .collapsible(false)
        .fixed_size([width, height])
        .anchor(egui::Align2::CENTER_TOP, [0.0, 40.0])
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(width - 470.0);
                    egui::ScrollArea::vertical()
                        .id_salt("closeout-scroll")
                        .max_width(width - 470.0)
                        .max_height(height)
                        .show(ui, |ui| closeout_body_ui(ui, i18n, view));
                });
                ui.separator();
                ui.vertical(|ui| {
                    ui.set_width(450.0);
                    out = closeout_actions_ui(ui, i18n, view);
                });
            });
        });
    out
}

fn closeout_body_ui(ui: &mut egui::Ui, i18n: &I18n, view: &mut CloseoutView) {
    // A table to read, not to touch: compact rows.
    ui.spacing_mut().interact_size.y = 18.0;
    ui.spacing_mut().item_spacing.y = 3.0;
    let Some(c) = view.closeout.clone() else {
        ui.label(i18n.tr("closeout-loading"));
        return;
    };
    let status = match c.status {
        OrderStatus::Open => "closeout-status-open",
        OrderStatus::Closed => "closeout-status-closed",
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(i18n.tr("closeout-status"));
        ui.strong(i18n.tr(status));
        ui.add_space(8.0);
        ui.label(format!(
            "{} · {} · {}",
            c.product.as_deref().unwrap_or(&c.gtin),
            c.lot.as_deref().unwrap_or("-"),
            c.expiry.as_deref().unwrap_or("-")
        ));
    });
    let r = &c.reconciliation;
    let caption = match r.basis {
        crate::domain::Basis::SerialList => "closeout-serials-list",
        crate::domain::Basis::OrderUnits => "closeout-serials-order",
    };
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            breakdown_ui(ui, i18n, "closeout-figures", caption, &r.serials);
        });
        ui.add_space(24.0);
        ui.vertical(|ui| match &r.not_listed {
            Some(outside) => breakdown_ui(
                ui,
                i18n,
                "closeout-figures-outside",
                "closeout-not-listed",
                outside,
            ),
            None => levels_ui(ui, i18n, &c),
        });
    });
    if r.not_listed.is_some() {
        levels_ui(ui, i18n, &c);
    }
    match r.check() {
        Ok(()) => ui.label(i18n.tr("closeout-adds-up")),
        Err(e) => ui.colored_label(
            egui::Color32::from_rgb(190, 0, 0),
            i18n.tr_args(
                "closeout-not-adding-up",
                &[("detail", e.to_string().into())],
            ),
        ),
    };
    ui.separator();
    let unfinished: Vec<_> = r.open.iter().chain(&r.suspended).collect();
    if unfinished.is_empty() {
        ui.label(i18n.tr("closeout-none-open"));
    } else {
        ui.colored_label(
            egui::Color32::from_rgb(190, 0, 0),
            i18n.tr("closeout-open-containers"),
        );
        for line in unfinished {
            let state = match line.state {
                crate::domain::ContainerState::Suspended => i18n.tr("closeout-suspended"),
                s => i18n.tr(&format!("state-{}", s.as_str())),
            };
            ui.monospace(format!(
                "{}  {} {}  {}/{}",
                line.key,
                i18n.tr(&format!("level-{}", line.level.as_str())),
                state,
                line.count,
                line.capacity.unwrap_or_default()
            ));
        }
    }
    ui.label(i18n.tr_args("closeout-short", &[("count", r.short.len().into())]));
    for s in &r.short {
        let signer = s.signature.as_ref().map_or_else(
            || i18n.tr("closeout-short-unsigned"),
            |sig| {
                i18n.tr_args(
                    "closeout-short-signed",
                    &[("name", sig.full_name.clone().into())],
                )
            },
        );
        ui.monospace(format!("{}  {}/{}  {signer}", s.key, s.count, s.capacity));
    }
    if let Some(closing) = &c.closing {
        ui.separator();
        ui.strong(i18n.tr_args(
            "closeout-closed-by",
            &[
                ("name", closing.signature.full_name.clone().into()),
                (
                    "time",
                    super::history_view::local_time(closing.signature.time_ms).into(),
                ),
            ],
        ));
        ui.label(i18n.tr_args(
            "closeout-decommissioned-at-close",
            &[("count", closing.decommissioned.count.into())],
        ));
        if closing.changed_since {
            ui.label(i18n.tr("closeout-changed"));
        }
    }
}

fn breakdown_ui(ui: &mut egui::Ui, i18n: &I18n, grid: &str, caption: &str, b: &SerialBreakdown) {
    ui.strong(i18n.tr(caption));
    egui::Grid::new(grid).striped(true).show(ui, |ui| {
        for ((_, list), id) in b.categories().iter().zip(CATEGORIES) {
            ui.label(i18n.tr(id));
            ui.monospace(list.count.to_string());
            ui.end_row();
        }
        ui.strong(i18n.tr("closeout-total"));
        ui.strong(b.total.to_string());
        ui.end_row();
    });
}

fn levels_ui(ui: &mut egui::Ui, i18n: &I18n, c: &OrderCloseout) {
    ui.strong(i18n.tr("closeout-levels"));
    // One row per figure, one column per level: long words (German) stay in one column
    // instead of widening seven.
    egui::Grid::new("closeout-levels")
        .striped(true)
        .show(ui, |ui| {
            ui.strong(i18n.tr("closeout-col-level"));
            for t in &c.reconciliation.levels {
                ui.strong(i18n.tr(&format!("level-{}", t.level.as_str())));
            }
            ui.end_row();
            let rows: [(&str, Figure); 6] = [
                ("closeout-total", |t| t.total),
                ("closeout-packed", |t| t.packed),
                ("closeout-col-loose", |t| t.loose),
                ("closeout-col-retired", |t| t.retired),
                ("closeout-col-open", |t| t.open + t.suspended),
                ("closeout-col-closed", |t| t.closed),
            ];
            for (id, figure) in rows {
                ui.label(i18n.tr(id));
                for t in &c.reconciliation.levels {
                    ui.monospace(figure(t).to_string());
                }
                ui.end_row();
            }
        });
}

/// The leftovers choice, the signature and the buttons.
fn closeout_actions_ui(ui: &mut egui::Ui, i18n: &I18n, view: &mut CloseoutView) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let open = view
        .closeout
        .as_ref()
        .is_some_and(|c| c.status == OrderStatus::Open);
    let leftovers = view
        .closeout
        .as_ref()
        .map_or(0, |c| c.reconciliation.leftovers().len());
    if let Some((severity, code, detail)) = &view.verdict {
        let (bg, fg) = super::station_view::severity_colors(*severity);
        egui::Frame::new()
            .fill(bg)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.label(egui::RichText::new(i18n.reason(*code)).color(fg).strong());
                if let Some(d) = detail {
                    ui.label(egui::RichText::new(d).color(fg).small());
                }
            });
    }
    if open {
        ui.label(i18n.tr_args("closeout-leftovers", &[("count", leftovers.into())]));
        ui.checkbox(
            &mut view.decommission_leftovers,
            i18n.tr("closeout-decommission"),
        );
        let meaning = if view.decommission_leftovers && leftovers > 0 {
            i18n.tr_args(
                "closeout-meaning-leftovers",
                &[
                    ("id", view.work_order.clone().into()),
                    ("count", leftovers.into()),
                ],
            )
        } else {
            i18n.tr_args(
                "closeout-meaning",
                &[("id", view.work_order.clone().into())],
            )
        };
        ui.strong(meaning);
        stacked_field(ui, &i18n.tr("closeout-sign-user"), &mut view.user, false);
        stacked_field(
            ui,
            &i18n.tr("closeout-sign-password"),
            &mut view.password,
            true,
        );
        stacked_field(
            ui,
            &i18n.tr("closeout-sign-reason"),
            &mut view.reason,
            false,
        );
    }
    ui.horizontal_wrapped(|ui| {
        let big = egui::vec2(150.0, 40.0);
        if open
            && ui
                .add(egui::Button::new(i18n.tr("closeout-sign")).min_size(big))
                .clicked()
        {
            let reason = view.reason.trim().to_owned();
            out.push(UiCommand::Station(Request::CloseWorkOrder {
                work_order: Some(view.work_order.clone()),
                decommission_leftovers: view.decommission_leftovers,
                signature: Some(SignatureInput {
                    user: view.user.trim().to_owned(),
                    password: std::mem::take(&mut view.password),
                    reason: (!reason.is_empty()).then_some(reason),
                }),
            }));
        }
        if ui
            .add_enabled(
                view.closeout.is_some(),
                egui::Button::new(i18n.tr("closeout-report")).min_size(big),
            )
            .clicked()
        {
            out.push(UiCommand::SaveCloseoutReport);
        }
        if ui
            .add(egui::Button::new(i18n.tr("closeout-refresh")).min_size(big))
            .clicked()
        {
            out.push(UiCommand::Station(Request::Reconcile {
                work_order: Some(view.work_order.clone()),
            }));
        }
        if ui
            .add(egui::Button::new(i18n.tr("closeout-dismiss")).min_size(big))
            .clicked()
        {
            out.push(UiCommand::CloseCloseout);
        }
    });
    out
}
