//! One frame: the wedge first (so scans never reach a text field), then the screens, laid out
//! for a 1366×768 touch screen. The screens draw from the [`AppState`] borrowed here and push
//! [`UiCommand`]s; the app applies them in the next `logic`.

use super::{AppState, PackbenchApp, Screen};
use crate::ui::ui_command::UiCommand;
use crate::ui::{dialogs, flows, screens, station_view, tree_view};

/// The typed view models of the app, borrowed field by field (so that a screen's own text
/// field can be borrowed mutably beside it).
macro_rules! view {
    ($app:expr) => {
        AppState {
            i18n: &$app.i18n,
            snapshot: &$app.snapshot,
            screen: $app.screen,
            verdict: $app.verdict.as_ref(),
            batch: $app.batch.as_ref(),
            modal_open: $app.flow.is_some()
                || $app.signature.is_some()
                || $app.confirm.is_some()
                || $app.retire.is_some(),
            verify_move_foreign: $app.verify_move_foreign,
        }
    };
}

impl PackbenchApp {
    /// Draws one whole frame (wedge first, so scans never reach a text field).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        self.wedge_input(ui.ctx());
        let mut out = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| {
            crate::ui::menu_bar::menu_ui(ui, &view!(self), &mut out);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        // Remove and Move tint the whole screen: nobody takes them for Pack.
        let tint = self
            .snapshot
            .user
            .as_ref()
            .and_then(|_| station_view::mode_tint(self.snapshot.mode));
        let mut panel = egui::CentralPanel::default();
        if let Some(tint) = tint {
            panel = panel.frame(
                egui::Frame::central_panel(&ui.ctx().global_style())
                    .fill(tint)
                    .stroke(egui::Stroke::new(6.0, egui::Color32::from_rgb(190, 0, 0))),
            );
        }
        panel.show(ui, |ui| {
            if let Some(notice) = &self.notice {
                screens::notice_ui(ui, &view!(self), notice, &mut out);
            }
            if !self.is_ready() {
                ui.label(self.i18n.tr("app-starting"));
            } else if self.snapshot.first_run {
                self.first_run_ui(ui);
            } else if self.snapshot.user.is_none() {
                self.login_ui(ui);
            } else {
                match self.screen {
                    Screen::Station => self.station_ui(ui, &mut out),
                    Screen::Lookup => self.lookup_ui(ui, &mut out),
                    Screen::Settings => self.settings_ui(ui),
                    Screen::Users => self.users_ui(ui),
                    Screen::Camera => {
                        if let Some(batch) =
                            self.batch.as_ref().filter(|b| b.screen == Screen::Camera)
                        {
                            station_view::batch_ui(ui, &view!(self), batch, &mut out);
                        }
                        self.camera_ui(ui);
                    }
                    Screen::Returns => self.returns_screen_ui(ui),
                    Screen::Recall => self.recall_screen_ui(ui),
                    Screen::Supervisor => self.supervisor_screen_ui(ui),
                }
            }
        });
        self.dialogs_ui(ui.ctx(), &mut out);
        self.wizard_ui(ui.ctx());
        self.push_commands(out);
    }

    /// The station screen: the mode, alerts and work order on top; left the verdict (never
    /// covered by the action bar) and the fill, right the live tree with the full height.
    fn station_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiCommand>) {
        // The command buttons and the manual scan field stay in view at the bottom, whatever
        // the verdict, label and tree above them need.
        egui::Panel::bottom("station-actions").show(ui, |ui| {
            ui.add_space(4.0);
            station_view::actions_ui(ui, &view!(self), &mut self.forms.manual_scan, out);
        });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let s = view!(self);
                station_view::mode_banner_ui(ui, &s);
                station_view::alerts_ui(ui, &s, out);
                station_view::work_order_ui(ui, &s, out);
                station_view::training_ui(ui, &s, out);
                ui.separator();
                self.station_columns_ui(ui, out);
            });
    }

    /// Left: the verdict, what is being filled and the label; right: the live tree, using the
    /// full height.
    fn station_columns_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiCommand>) {
        let half = (ui.available_width() / 2.0).floor();
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            let top_down = egui::Layout::top_down(egui::Align::Min);
            ui.allocate_ui_with_layout(egui::vec2(half, height), top_down, |ui| {
                // The verdict first, outside the scrolling part: always in view, never behind
                // the action bar.
                if station_view::verdict_ui(ui, &view!(self)) {
                    self.verdict_drawn();
                }
                if let Some(batch) = self.batch.as_ref().filter(|b| b.screen == Screen::Station) {
                    station_view::batch_ui(ui, &view!(self), batch, out);
                }
                // Scrolls by touch drag as well as by the wheel.
                egui::ScrollArea::vertical()
                    .id_salt("station-left")
                    .auto_shrink([false, false])
                    .scroll_source(egui::scroll_area::ScrollSource::ALL)
                    .show(ui, |ui| {
                        let s = view!(self);
                        if s.snapshot.verify.is_some() {
                            station_view::verify_ui(ui, &s, out);
                        } else {
                            station_view::fill_ui(ui, &s, out);
                        }
                        self.labels_ui(ui);
                        self.label_preview_ui(ui);
                    });
            });
            let rest = egui::vec2(ui.available_width(), height);
            ui.allocate_ui_with_layout(rest, top_down, |ui| {
                station_view::tree_header_ui(ui, &view!(self), &mut self.tree.search, out);
                tree_view::TreeState::tree_ui(&mut self.tree, ui, &self.snapshot.tree, &self.i18n);
            });
        });
    }

    /// The Look-up screen: a scan here only looks up.
    fn lookup_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiCommand>) {
        let data = self.lookup.clone();
        screens::lookup_head_ui(ui, &view!(self), data.as_ref(), out);
        if let Some(data) = &data {
            self.lookup_hold_ui(ui, data);
            screens::lookup_history_ui(ui, &view!(self), data, out);
        }
    }

    /// The open dialogs, modal and centred.
    fn dialogs_ui(&mut self, ctx: &egui::Context, out: &mut Vec<UiCommand>) {
        if let Some(flow) = &mut self.flow {
            out.extend(flows::flow_ui(ctx, &self.i18n, flow));
        }
        self.hold_dialog_ui(ctx);
        self.closeout_ui(ctx);
        self.parked_ui(ctx);
        if let Some(dialog) = &mut self.signature {
            out.extend(dialogs::signature_ui(ctx, &self.i18n, dialog));
        }
        if let Some(confirm) = &self.confirm {
            out.extend(dialogs::confirm_ui(ctx, &self.i18n, confirm));
        }
        if let Some(dialog) = &mut self.retire {
            out.extend(dialogs::retire_ui(ctx, &self.i18n, dialog));
        }
    }
}
