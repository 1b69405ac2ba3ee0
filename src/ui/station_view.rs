//! The station screen: work order, the container being filled with a big fill counter, the
//! verdict banner, the live tree, and the buttons that mirror the command barcodes.

use super::app::PackbenchApp;
use crate::domain::{ReasonCode, Severity};
use crate::station::{Request, VerifyClass};

/// Banner colours: (background, text).
pub fn severity_colors(severity: Severity) -> (egui::Color32, egui::Color32) {
    match severity {
        Severity::Ok => (egui::Color32::from_rgb(0, 122, 51), egui::Color32::WHITE),
        Severity::Warning => (egui::Color32::from_rgb(255, 176, 0), egui::Color32::BLACK),
        Severity::Refused => (egui::Color32::from_rgb(190, 0, 0), egui::Color32::WHITE),
        Severity::Alert => (egui::Color32::from_rgb(110, 0, 90), egui::Color32::WHITE),
    }
}

impl PackbenchApp {
    /// The station screen.
    pub fn station_ui(&mut self, ui: &mut egui::Ui) {
        // The command buttons and the manual scan field stay in view at the bottom, whatever
        // the verdict, label and tree above them need.
        egui::Panel::bottom("station-actions").show(ui, |ui| {
            ui.add_space(4.0);
            self.actions_ui(ui);
        });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.station_main_ui(ui));
    }

    fn station_main_ui(&mut self, ui: &mut egui::Ui) {
        self.alerts_ui(ui);
        self.work_order_ui(ui);
        if self
            .snapshot
            .work_order
            .as_ref()
            .is_some_and(|w| w.id == super::demo::WORK_ORDER)
        {
            self.training_ui(ui);
        }
        ui.separator();
        // Left: what is being filled, the verdict and the label; right: the live tree, using
        // the full height (a 1366x768 bench screen shows ~15 tree rows).
        let half = (ui.available_width() / 2.0).floor();
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            let top_down = egui::Layout::top_down(egui::Align::Min);
            ui.allocate_ui_with_layout(egui::vec2(half, height), top_down, |ui| {
                // Scrolls only when a label preview or a long verdict needs the room.
                egui::ScrollArea::vertical()
                    .id_salt("station-left")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if self.snapshot.verify.is_some() {
                            self.verify_ui(ui);
                        } else {
                            self.fill_ui(ui);
                        }
                        self.verdict_ui(ui);
                        self.labels_ui(ui);
                        self.label_preview_ui(ui);
                    });
            });
            let rest = egui::vec2(ui.available_width(), height);
            ui.allocate_ui_with_layout(rest, top_down, |ui| self.tree_panel_ui(ui));
        });
    }

    fn tree_panel_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(self.i18n.tr("tree-title"));
            if ui.button(self.i18n.tr("tree-expand-all")).clicked() {
                self.tree.expand_all(&self.snapshot.tree);
            }
            if ui.button(self.i18n.tr("tree-collapse-all")).clicked() {
                self.tree.collapse_all(&self.snapshot.tree);
            }
            // The contents check of the container being filled or of one scanned next.
            if self.snapshot.verify.is_none() && self.snapshot.user.is_some() {
                for (cmd, id) in super::sheet::TREE_COMMANDS {
                    if ui.button(self.i18n.tr(id)).clicked() {
                        self.command_barcode(cmd);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(self.i18n.tr("tree-search"));
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.tree.search).desired_width(260.0))
                .labelled_by(label.id);
            if r.lost_focus() || r.changed() {
                let needle = self.tree.search.clone();
                self.tree.find(&self.snapshot.tree, &needle);
            }
        });
        let tree = std::mem::take(&mut self.snapshot.tree);
        self.tree.tree_ui(ui, &tree, &self.i18n);
        self.snapshot.tree = tree;
    }

    fn alerts_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(id) = super::alert_view::alerts_ui(ui, &self.i18n, &self.snapshot.alerts) {
            self.send(Request::AcknowledgeAlert { id });
        }
    }

    fn work_order_ui(&mut self, ui: &mut egui::Ui) {
        let Some(wo) = self.snapshot.work_order.clone() else {
            ui.horizontal(|ui| {
                ui.label(self.i18n.tr("wo-none"));
                for id in self.snapshot.work_orders.clone() {
                    if ui
                        .button(self.i18n.tr_args("wo-select", &[("id", id.clone().into())]))
                        .clicked()
                    {
                        self.send(Request::SelectWorkOrder { id });
                    }
                }
            });
            return;
        };
        // One line on a bench screen (wraps on a narrow one): the room goes to the verdict.
        ui.horizontal_wrapped(|ui| {
            let mode = self.i18n.tr(&format!("mode-{}", self.snapshot.mode));
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
                ui.label(self.i18n.tr(id));
                ui.strong(value);
                ui.add_space(8.0);
            }
        });
    }

    fn fill_ui(&mut self, ui: &mut egui::Ui) {
        if self.snapshot.current.is_empty() {
            ui.label(egui::RichText::new(self.i18n.tr("fill-none")).size(22.0));
        }
        for c in self.snapshot.current.clone() {
            let level = self.i18n.tr(&format!("level-{}", c.level));
            ui.horizontal(|ui| {
                ui.label(format!("{level}  {}", c.key));
                if ui.button(self.i18n.tr("cmd-suspend")).clicked() {
                    self.send(Request::Suspend {
                        scan: Some(c.key.clone()),
                        note: None,
                        remainder_label: false,
                    });
                }
            });
            let fill = match c.capacity {
                Some(cap) => self.i18n.tr_args(
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
        self.suspended_ui(ui);
    }

    /// The work order's containers put aside: each with its fill, who and when; scanning one's
    /// label resumes it.
    fn suspended_ui(&mut self, ui: &mut egui::Ui) {
        if self.snapshot.suspended.is_empty() {
            return;
        }
        ui.add_space(6.0);
        ui.label(
            egui::RichText::new(self.i18n.tr_args(
                "suspended-title",
                &[("count", self.snapshot.suspended.len().into())],
            ))
            .strong(),
        );
        ui.label(self.i18n.tr("suspended-hint"));
        for s in self.snapshot.suspended.clone() {
            let level = self.i18n.tr(&format!("level-{}", s.level));
            let fill = match s.capacity {
                Some(cap) => format!("{}/{cap}", s.count),
                None => s.count.to_string(),
            };
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            let age = s
                .since_ms
                .map_or_else(String::new, |t| age_text(now_ms - t));
            let who = self.i18n.tr_args(
                "suspended-by",
                &[
                    ("who", s.by.clone().unwrap_or_default().into()),
                    ("age", age.into()),
                ],
            );
            ui.monospace(format!("{level} {}  {fill}  {who}", s.key));
        }
    }

    /// The contents check in progress: the container, the counts, Confirm and Cancel.
    fn verify_ui(&mut self, ui: &mut egui::Ui) {
        let Some(v) = self.snapshot.verify.clone() else {
            return;
        };
        ui.heading(self.i18n.tr("verify-title"));
        let level = self.i18n.tr(&format!("level-{}", v.level));
        ui.label(egui::RichText::new(format!("{level}  {}", v.container)).monospace());
        ui.label(self.i18n.tr("verify-hint"));
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
                let text = egui::RichText::new(format!("{} {n}", self.i18n.tr(id)))
                    .size(22.0)
                    .strong();
                let text = match class {
                    Some(class) if n > 0 => {
                        text.color(super::tree_view::mark_color(class.as_str()))
                    }
                    _ => text,
                };
                ui.label(text);
                ui.add_space(6.0);
            }
        });
        if c.foreign > 0 {
            ui.checkbox(
                &mut self.verify_move_foreign,
                self.i18n.tr("verify-move-foreign"),
            );
        }
        ui.horizontal(|ui| {
            let big = egui::vec2(160.0, 48.0);
            if ui
                .add(egui::Button::new(self.i18n.tr("verify-confirm")).min_size(big))
                .clicked()
            {
                self.verify_confirm();
            }
            if ui
                .add(egui::Button::new(self.i18n.tr("cmd-cancel")).min_size(big))
                .clicked()
            {
                self.send(Request::VerifyCancel);
            }
        });
        ui.separator();
    }

    fn verdict_ui(&mut self, ui: &mut egui::Ui) {
        let Some(v) = self.verdict.clone() else {
            ui.label(egui::RichText::new(self.i18n.tr("verdict-ready")).size(28.0));
            return;
        };
        let (bg, fg) = severity_colors(v.severity);
        egui::Frame::new()
            .fill(bg)
            .inner_margin(16.0)
            .corner_radius(6.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                let head = match v.severity {
                    Severity::Ok => "verdict-ok",
                    Severity::Warning => "verdict-warning",
                    Severity::Refused => "verdict-refused",
                    Severity::Alert => "verdict-alert",
                };
                ui.label(
                    egui::RichText::new(self.i18n.tr(head))
                        .color(fg)
                        .size(40.0)
                        .strong(),
                );
                if v.code != ReasonCode::Ok {
                    ui.label(
                        egui::RichText::new(self.i18n.reason(v.code))
                            .color(fg)
                            .size(24.0),
                    );
                }
                if let Some(unit) = &v.unit {
                    ui.label(egui::RichText::new(unit).color(fg).monospace());
                }
            });
        if let Some(detail) = &v.detail {
            ui.collapsing(self.i18n.tr("verdict-detail"), |ui| ui.label(detail));
        }
        self.verdict_drawn();
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            for (cmd, id) in super::sheet::COMMANDS {
                let selected = super::commands::command_mode(cmd) == Some(self.snapshot.mode);
                if ui
                    .add(
                        egui::Button::new(self.i18n.tr(id))
                            .selected(selected)
                            .min_size(egui::vec2(110.0, 44.0)),
                    )
                    .clicked()
                {
                    self.command_barcode(cmd);
                }
            }
            // Retire and unpack ask for the unit's scan (the flows): never the last scan by
            // accident.
            if let Some(key) = self.verdict.as_ref().and_then(|v| v.unit.clone())
                && ui
                    .add(
                        egui::Button::new(self.i18n.tr("action-lookup"))
                            .min_size(egui::vec2(110.0, 44.0)),
                    )
                    .clicked()
            {
                self.send(Request::Lookup { scan: key });
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(self.i18n.tr("scan-manual"));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.forms.manual_scan)
                        .id_salt("manual-scan")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(self.i18n.tr("scan-submit")).clicked() || enter)
                && !self.forms.manual_scan.trim().is_empty()
            {
                let data = std::mem::take(&mut self.forms.manual_scan);
                self.scan(&data);
            }
        });
    }
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

/// What the switch or resume confirmation shows under its question: keys and counts only
/// ("(00)…22 3/20 → (00)…39", or "(00)…22 2 → 1" for a container that changed while aside).
pub(super) fn confirmation_text(response: &crate::station::Response) -> String {
    let d = response.data.clone().unwrap_or_default();
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if response.code == ReasonCode::ConfirmSwitch {
        format!(
            "{} {}/{} → {}",
            text(&d["put_aside"]),
            text(&d["count"]),
            text(&d["capacity"]),
            text(&d["take"])
        )
    } else {
        let key = response.container.as_ref().map(|c| c.key.clone());
        format!(
            "{} {} → {}",
            key.unwrap_or_default(),
            text(&d["was"]),
            text(&d["now"])
        )
    }
}
