//! The station screen's parts: the mode banner, alerts, work order, the container being filled
//! with a big fill counter, the verdict banner, the contents check, a batch's answer per code,
//! and the buttons that mirror the command barcodes. Each draws from [`AppState`] and pushes the
//! [`UiCommand`]s chosen; the app lays them out (`app/frame.rs`).

use super::state::{AppState, BatchView};
use super::ui_command::UiCommand;
use crate::domain::{ReasonCode, Severity};
use crate::station::{Mode, Request, VerifyClass};

/// Banner colours: (background, text).
pub fn severity_colors(severity: Severity) -> (egui::Color32, egui::Color32) {
    match severity {
        Severity::Ok => (egui::Color32::from_rgb(0, 122, 51), egui::Color32::WHITE),
        Severity::Warning => (egui::Color32::from_rgb(255, 176, 0), egui::Color32::BLACK),
        Severity::Refused => (egui::Color32::from_rgb(190, 0, 0), egui::Color32::WHITE),
        Severity::Alert => (egui::Color32::from_rgb(110, 0, 90), egui::Color32::WHITE),
    }
}

/// The tint of the whole screen in a mode that takes units out or moves them (none in Pack).
pub fn mode_tint(mode: Mode) -> Option<egui::Color32> {
    match mode {
        Mode::Remove => Some(egui::Color32::from_rgb(255, 214, 214)),
        Mode::Move => Some(egui::Color32::from_rgb(255, 236, 200)),
        _ => None,
    }
}

/// A large label naming the mode, unless it is Pack: nobody takes Remove for Pack.
pub fn mode_banner_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let mode = s.snapshot.mode;
    if mode == Mode::Pack || s.snapshot.user.is_none() {
        return;
    }
    let (bg, fg) = match mode {
        Mode::Remove => (egui::Color32::from_rgb(190, 0, 0), egui::Color32::WHITE),
        Mode::Move => (egui::Color32::from_rgb(200, 110, 0), egui::Color32::WHITE),
        _ => (egui::Color32::from_rgb(40, 90, 160), egui::Color32::WHITE),
    };
    egui::Frame::new()
        .fill(bg)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.add(
                egui::Label::new(
                    egui::RichText::new(s.i18n.tr(&format!("mode-banner-{mode}")))
                        .color(fg)
                        .size(28.0)
                        .strong(),
                )
                .wrap(),
            );
        });
}

/// The counterfeit alerts nobody acknowledged: each with its instruction and Acknowledge.
pub fn alerts_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    // The banner in the packer's language, its instruction wrapped (issue 15, finding 7).
    if let Some(id) = super::alert_view::alerts_ui(ui, s.i18n, &s.snapshot.alerts) {
        out.push(UiCommand::Station(Request::AcknowledgeAlert { id }));
    }
}

/// The work order on one line (wraps on a narrow screen), or the orders to pick from.
pub fn work_order_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    let Some(wo) = &s.snapshot.work_order else {
        ui.horizontal_wrapped(|ui| {
            ui.label(s.i18n.tr("wo-none"));
            for id in &s.snapshot.work_orders {
                if ui
                    .add(
                        egui::Button::new(
                            s.i18n.tr_args("wo-select", &[("id", id.clone().into())]),
                        )
                        .min_size(egui::vec2(0.0, 48.0)),
                    )
                    .clicked()
                {
                    out.push(UiCommand::Station(Request::SelectWorkOrder {
                        id: id.clone(),
                    }));
                }
            }
        });
        return;
    };
    ui.horizontal_wrapped(|ui| {
        let mode = s.i18n.tr(&format!("mode-{}", s.snapshot.mode));
        for (id, value) in [
            ("wo-order", wo.id.clone()),
            ("wo-product", format!("{} ({})", wo.product, wo.gtin)),
            ("wo-batch", wo.lot.clone().unwrap_or_else(|| "-".to_owned())),
            (
                "wo-expiry",
                wo.expiry.clone().unwrap_or_else(|| "-".to_owned()),
            ),
            ("wo-spec", wo.spec.clone()),
            ("wo-mode", mode),
        ] {
            ui.label(s.i18n.tr(id));
            ui.strong(value);
            ui.add_space(8.0);
        }
    });
}

/// The training panel: demo scans as buttons (a newcomer without a scanner can try every
/// flow). The case button uses a case label nobody used yet (the worker finds it), so it never
/// puts another user's case on the bench; "Next pack" asks the station for a serial it never
/// handled (`UnusedSerials`, see [`super::training`]), so a serial is never repeated.
pub fn training_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    use super::demo;
    let Some(next) = s.snapshot.training else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(s.i18n.tr("training-title"));
        if ui.button(s.i18n.tr("training-case")).clicked() {
            out.push(UiCommand::Scan(demo::case_sscc(next.case)));
        }
        if ui.button(s.i18n.tr("training-pack")).clicked() {
            out.push(UiCommand::TrainingNextPack);
        }
        if ui.button(s.i18n.tr("training-wrong")).clicked() {
            out.push(UiCommand::Scan(demo::wrong_product_scan()));
        }
        if ui.button(s.i18n.tr("training-unknown")).clicked() {
            out.push(UiCommand::Scan(demo::unknown_serial_scan()));
        }
    });
}

/// The verdict banner: the verdict, what happened in words, the unit. Always drawn where the
/// action bar cannot cover it. Answers whether a verdict was drawn.
pub fn verdict_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> bool {
    let Some(v) = s.verdict else {
        ui.label(egui::RichText::new(s.i18n.tr("verdict-ready")).size(28.0));
        return false;
    };
    let (bg, fg) = severity_colors(v.severity);
    egui::Frame::new()
        .fill(bg)
        .inner_margin(12.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            let head = match v.severity {
                Severity::Ok => "verdict-ok",
                Severity::Warning => "verdict-warning",
                Severity::Refused => "verdict-refused",
                Severity::Alert => "verdict-alert",
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(s.i18n.tr(head))
                        .color(fg)
                        .size(40.0)
                        .strong(),
                );
                if let Some(m) = &v.message {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(m.text(s.i18n))
                                .color(fg)
                                .size(24.0)
                                .strong(),
                        )
                        .wrap(),
                    );
                }
            });
            if v.code != ReasonCode::Ok {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(s.i18n.reason(v.code))
                            .color(fg)
                            .size(24.0),
                    )
                    .wrap(),
                );
            }
            if let Some(unit) = &v.unit {
                ui.label(egui::RichText::new(unit).color(fg).monospace());
            }
        });
    if let Some(detail) = &v.detail {
        ui.collapsing(s.i18n.tr("verdict-detail"), |ui| ui.label(detail));
    }
    true
}

/// What is being filled: each container with its fill, the case's big counter.
pub fn fill_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    if s.snapshot.current.is_empty() {
        ui.label(egui::RichText::new(s.i18n.tr("fill-none")).size(22.0));
    }
    for c in &s.snapshot.current {
        let level = s.i18n.tr(&format!("level-{}", c.level));
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{level}  {}", c.key));
            if ui.button(s.i18n.tr("cmd-suspend")).clicked() {
                out.push(UiCommand::Station(Request::Suspend {
                    scan: Some(c.key.clone()),
                    note: None,
                    remainder_label: false,
                }));
            }
        });
        let fill = match c.capacity {
            Some(cap) => s.i18n.tr_args(
                "station-fill",
                &[("count", c.count.into()), ("capacity", cap.into())],
            ),
            None => c.count.to_string(),
        };
        ui.label(
            egui::RichText::new(fill)
                .size(if c.level == "case" { 56.0 } else { 30.0 })
                .strong(),
        );
    }
    suspended_ui(ui, s);
}

/// The work order's containers put aside: each with its fill, who and when; scanning one's
/// label resumes it.
fn suspended_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    if s.snapshot.suspended.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(
        egui::RichText::new(s.i18n.tr_args(
            "suspended-title",
            &[("count", s.snapshot.suspended.len().into())],
        ))
        .strong(),
    );
    ui.label(s.i18n.tr("suspended-hint"));
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    for c in &s.snapshot.suspended {
        let level = s.i18n.tr(&format!("level-{}", c.level));
        let fill = match c.capacity {
            Some(cap) => format!("{}/{cap}", c.count),
            None => c.count.to_string(),
        };
        let age = c
            .since_ms
            .map_or_else(String::new, |t| age_text(now_ms - t));
        let who = s.i18n.tr_args(
            "suspended-by",
            &[
                ("who", c.by.clone().unwrap_or_default().into()),
                ("age", age.into()),
            ],
        );
        ui.monospace(format!("{level} {}  {fill}  {who}", c.key));
    }
}

/// The head of the contents check in progress: what is being checked. Drawn outside the left
/// column's scrolling part; its Confirm and Cancel take the action bar's place
/// ([`verify_actions_ui`]), so they are in view whatever the verdict and counts need (on a
/// 1366×768 screen they had slid behind the action bar).
pub fn verify_head_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let Some(v) = &s.snapshot.verify else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.heading(s.i18n.tr("verify-title"));
        let level = s.i18n.tr(&format!("level-{}", v.level));
        ui.label(egui::RichText::new(format!("{level}  {}", v.container)).monospace());
    });
}

/// The action bar during a contents check: only what applies to it (moving foreign units,
/// Confirm, Cancel); the packing actions come back when the check ends.
fn verify_actions_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    let Some(v) = &s.snapshot.verify else {
        return;
    };
    let big = egui::vec2(200.0, 48.0);
    if ui
        .add(
            egui::Button::new(egui::RichText::new(s.i18n.tr("verify-confirm")).strong())
                .min_size(big),
        )
        .clicked()
    {
        out.push(UiCommand::Command("CONFIRM".to_owned()));
    }
    if ui
        .add(egui::Button::new(s.i18n.tr("cmd-cancel")).min_size(big))
        .clicked()
    {
        out.push(UiCommand::Station(Request::VerifyCancel));
    }
    if v.counts.foreign > 0 {
        let mut move_foreign = s.verify_move_foreign;
        if ui
            .checkbox(&mut move_foreign, s.i18n.tr("verify-move-foreign"))
            .changed()
        {
            out.push(UiCommand::SetVerifyMoveForeign(move_foreign));
        }
    }
}

/// The contents check's counts, below [`verify_head_ui`] and outside the scrolling part.
pub fn verify_counts_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let Some(v) = &s.snapshot.verify else {
        return;
    };
    let c = v.counts;
    ui.horizontal_wrapped(|ui| {
        for (id, n, class) in [
            ("verify-expected", c.expected, None),
            ("verify-mark-seen", c.seen, Some(VerifyClass::Seen)),
            ("verify-mark-missing", c.missing, Some(VerifyClass::Missing)),
            ("verify-mark-extra", c.extra, Some(VerifyClass::Extra)),
            ("verify-mark-foreign", c.foreign, Some(VerifyClass::Foreign)),
            (
                "verify-mark-wrong-lot",
                c.wrong_lot,
                Some(VerifyClass::WrongLot),
            ),
        ] {
            let text = egui::RichText::new(format!("{} {n}", s.i18n.tr(id)))
                .size(19.0)
                .strong();
            let text = match class {
                Some(class) if n > 0 => text.color(super::tree_view::mark_color(class.as_str())),
                _ => text,
            };
            ui.label(text);
            ui.add_space(2.0);
        }
    });
    ui.separator();
}

/// A batch's answer ("Pack all seen", hands-free packing): how many were packed and refused,
/// and each code with its verdict.
pub fn batch_ui(ui: &mut egui::Ui, s: &AppState<'_>, batch: &BatchView, out: &mut Vec<UiCommand>) {
    let severity = if batch.refused == 0 {
        Severity::Ok
    } else if batch.accepted == 0 {
        Severity::Refused
    } else {
        Severity::Warning
    };
    let (bg, fg) = severity_colors(severity);
    egui::Frame::new()
        .fill(bg)
        .inner_margin(10.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(s.i18n.tr_args(
                        "event-batch",
                        &[
                            ("accepted", batch.accepted.into()),
                            ("refused", batch.refused.into()),
                        ],
                    ))
                    .color(fg)
                    .size(24.0)
                    .strong(),
                );
                if ui.button(s.i18n.tr("notice-dismiss")).clicked() {
                    out.push(UiCommand::DismissBatch);
                }
            });
        });
    egui::ScrollArea::vertical()
        .id_salt("batch-lines")
        .max_height(160.0)
        .show(ui, |ui| {
            egui::Grid::new("batch")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for line in &batch.lines {
                        let key = super::scan_route::key_of(&line.scan)
                            .unwrap_or_else(|| line.scan.clone());
                        ui.monospace(key);
                        let text = if line.ok && line.code == ReasonCode::Ok {
                            s.i18n.tr("batch-packed")
                        } else {
                            s.i18n.reason(line.code)
                        };
                        let color = if line.ok {
                            egui::Color32::from_rgb(0, 122, 51)
                        } else {
                            egui::Color32::from_rgb(190, 0, 0)
                        };
                        ui.colored_label(color, text);
                        ui.end_row();
                    }
                });
        });
}

/// The action bar: the command buttons, Look-up of the last unit, the manual scan field.
pub fn actions_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    manual_scan: &mut String,
    out: &mut Vec<UiCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        if s.snapshot.verify.is_some() {
            verify_actions_ui(ui, s, out);
            return;
        }
        for (cmd, id) in super::sheet::COMMANDS {
            let selected = super::app::command_mode(cmd) == Some(s.snapshot.mode);
            if ui
                .add(
                    egui::Button::new(s.i18n.tr(id))
                        .selected(selected)
                        .min_size(egui::vec2(96.0, 48.0)),
                )
                .clicked()
            {
                out.push(UiCommand::Command((*cmd).to_owned()));
            }
        }
        // Retire and unpack ask for the unit's scan (the flows): never the last scan by
        // accident.
        if let Some(key) = s.verdict.and_then(|v| v.unit.clone())
            && ui
                .add(egui::Button::new(s.i18n.tr("action-lookup")).min_size(egui::vec2(96.0, 48.0)))
                .clicked()
        {
            out.push(UiCommand::Station(Request::Lookup { scan: key }));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(s.i18n.tr("scan-manual"));
        let r = ui
            .add(
                egui::TextEdit::singleline(manual_scan)
                    .id_salt("manual-scan")
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button(s.i18n.tr("scan-submit")).clicked() || enter)
            && !manual_scan.trim().is_empty()
        {
            out.push(UiCommand::Scan(std::mem::take(manual_scan)));
        }
    });
}

/// The tree's header: title, expand / collapse, the contents check, Find.
pub fn tree_header_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    search: &mut String,
    out: &mut Vec<UiCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(s.i18n.tr("tree-title"));
        if ui.button(s.i18n.tr("tree-expand-all")).clicked() {
            out.push(UiCommand::ExpandAll);
        }
        if ui.button(s.i18n.tr("tree-collapse-all")).clicked() {
            out.push(UiCommand::CollapseAll);
        }
        // The contents check of the container being filled or of one scanned next.
        if s.snapshot.verify.is_none() && s.snapshot.user.is_some() {
            for (cmd, id) in super::sheet::TREE_COMMANDS {
                if ui.button(s.i18n.tr(id)).clicked() {
                    out.push(UiCommand::Command((*cmd).to_owned()));
                }
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(s.i18n.tr("tree-search"));
        let r = ui
            .add(egui::TextEdit::singleline(search).desired_width(260.0))
            .labelled_by(label.id);
        // Typing finds in the tree shown; Enter (or Find) also asks the station.
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(s.i18n.tr("tree-find")).clicked() || enter {
            out.push(UiCommand::Find(search.clone()));
        } else if r.changed() {
            out.push(UiCommand::FindInTree(search.clone()));
        }
    });
}

/// A duration as the put-aside list shows it: "5 min", "3 h", "2 d".
fn age_text(ms: i64) -> String {
    let min = ms.max(0) / 60_000;
    if min < 60 {
        format!("{min} min")
    } else if min < 48 * 60 {
        format!("{} h", min / 60)
    } else {
        format!("{} d", min / (24 * 60))
    }
}
