//! One frame: the wedge first (so scans never reach a text field), then the screens, laid out
//! for a 1366×768 touch screen. The screens draw from the [`AppState`] borrowed here and push
//! [`UiCommand`]s; the app applies them in the next `logic`.

use super::{AppState, PackbenchApp, Screen};
use crate::ui::ui_command::UiCommand;
use crate::ui::{
    closeout_view, desk, devices_panel, dialogs, flows, hold_view, labels_view, lookup_view,
    screens, settings_view, station_view, status_bar, tree_view,
};

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
            settings: &$app.settings,
            settings_file: $app.settings_file.as_ref(),
            sync: &$app.sync,
            devices: &$app.devices,
            labels: &$app.labels,
            lookup: $app.lookup_view.as_ref(),
            last_scan_to_verdict: $app.last_scan_to_verdict,
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
        egui::Panel::bottom("status").show(ui, |ui| {
            out.extend(status_bar::status_bar_ui(ui, &view!(self)));
        });
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
                out.extend(screens::first_run_ui(ui, &view!(self), &mut self.forms));
            } else if self.snapshot.user.is_none() {
                out.extend(screens::login_ui(ui, &view!(self), &mut self.forms));
            } else {
                self.screen_ui(ui, &mut out);
            }
        });
        self.dialogs_ui(ui.ctx(), &mut out);
        out.extend(devices_panel::wizard_ui(ui.ctx(), &view!(self)));
        if !out.is_empty() {
            // Applied in the next `logic`: make sure it comes.
            ui.ctx().request_repaint();
        }
        self.push_commands(out);
    }

    /// The screen chosen in the menu.
    fn screen_ui(&mut self, ui: &mut egui::Ui, out: &mut Vec<UiCommand>) {
        match self.screen {
            Screen::Station => self.station_ui(ui, out),
            Screen::Lookup => out.extend(lookup_view::lookup_ui(ui, &view!(self))),
            Screen::Settings => out.extend(settings_view::settings_ui(
                ui,
                &view!(self),
                &mut self.settings_section,
                &mut self.forms,
            )),
            Screen::Users => out.extend(screens::users_ui(ui, &view!(self), &mut self.users)),
            Screen::Camera => {
                if let Some(batch) = self.batch.as_ref().filter(|b| b.screen == Screen::Camera) {
                    station_view::batch_ui(ui, &view!(self), batch, out);
                }
                out.extend(devices_panel::camera_ui(ui, &view!(self)));
            }
            Screen::Returns => {
                out.extend(desk::returns_screen_ui(ui, &view!(self), &mut self.returns));
            }
            Screen::Recall => {
                out.extend(desk::recall_screen_ui(ui, &view!(self), &mut self.recall));
            }
            Screen::Supervisor => self.supervisor_screen_ui(ui),
        }
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
                // The label waiting for its scan and a printer's failure with its Retry: in
                // view too (behind the action bar, a tap on Retry hit Print label).
                out.extend(labels_view::labels_ui(ui, &view!(self)));
                station_view::verify_head_ui(ui, &view!(self));
                station_view::verify_counts_ui(ui, &view!(self));
                // Scrolls by touch drag as well as by the wheel.
                egui::ScrollArea::vertical()
                    .id_salt("station-left")
                    .auto_shrink([false, false])
                    .scroll_source(egui::scroll_area::ScrollSource::ALL)
                    .show(ui, |ui| {
                        let s = view!(self);
                        if s.snapshot.verify.is_some() {
                            ui.label(s.i18n.tr("verify-hint"));
                        } else {
                            station_view::fill_ui(ui, &s, out);
                        }
                        out.extend(labels_view::label_preview_ui(ui, &s));
                    });
            });
            let rest = egui::vec2(ui.available_width(), height);
            ui.allocate_ui_with_layout(rest, top_down, |ui| {
                station_view::tree_header_ui(ui, &view!(self), &mut self.tree.search, out);
                tree_view::TreeState::tree_ui(&mut self.tree, ui, &self.snapshot.tree, &self.i18n);
            });
        });
    }

    /// The open dialogs, modal and centred.
    fn dialogs_ui(&mut self, ctx: &egui::Context, out: &mut Vec<UiCommand>) {
        if let Some(flow) = &mut self.flow {
            out.extend(flows::flow_ui(ctx, &self.i18n, flow));
        }
        if let Some(dialog) = &mut self.hold {
            out.extend(hold_view::hold_dialog_ui(ctx, &self.i18n, dialog));
        }
        if let Some(view) = &mut self.closeout {
            out.extend(closeout_view::closeout_ui(ctx, &self.i18n, view));
        }
        out.extend(status_bar::parked_ui(ctx, &view!(self)));
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
