//! The status bar (database, repository sync, devices, SSCC stock, station, read point, last
//! scan-to-verdict time) and the list of commands the repository refused: drawn from
//! [`AppState`], returning [`UiCommand`]s.

use super::state::AppState;
use super::ui_command::UiCommand;
use crate::domain::Severity;

/// The bottom bar.
pub fn status_bar_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    ui.horizontal_wrapped(|ui| {
        match s.sync.data_dir() {
            Some(dir) => {
                let path = dir.display().to_string();
                ui.label(s.i18n.tr_args("status-db", &[("path", path.into())]));
            }
            None => {
                ui.label(s.i18n.tr("status-db-ok"));
            }
        }
        ui.separator();
        sync_status_ui(ui, s, &mut out);
        ui.separator();
        ui.label(super::devices_panel::devices_status_text(s.i18n, s.devices));
        if let Some(left) = s.snapshot.sscc_low_stock {
            ui.separator();
            let (bg, fg) = super::station_view::severity_colors(Severity::Warning);
            egui::Frame::new()
                .fill(bg)
                .inner_margin(4.0)
                .show(ui, |ui| {
                    ui.label(
                        egui::RichText::new(
                            s.i18n.tr_args("status-sscc-low", &[("left", left.into())]),
                        )
                        .color(fg),
                    );
                });
        }
        if !s.settings.station_name.is_empty() {
            ui.separator();
            ui.label(&s.settings.station_name);
        }
        if let Some(rp) = &s.snapshot.read_point {
            ui.separator();
            ui.label(rp);
        }
        if let Some(d) = s.last_scan_to_verdict {
            ui.separator();
            ui.label(s.i18n.tr_args(
                "status-latency",
                &[("ms", (d.as_secs_f64() * 1000.0).round().into())],
            ));
        }
    });
    out
}

fn sync_status_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    let Some(status) = &s.sync.status else {
        let (queued, _, _) = s.snapshot.outbox;
        let id = if s.sync.error.is_some() {
            "status-sync-error"
        } else {
            "status-sync-offline"
        };
        ui.label(s.i18n.tr_args(id, &[("queued", queued.into())]));
        return;
    };
    let o = &status.outbox;
    ui.label(s.i18n.tr_args(
        "status-sync",
        &[
            ("queued", o.queued.into()),
            ("sent", o.sent.into()),
            ("failed", o.parked.into()),
        ],
    ));
    if let Some(p) = status.progress.as_ref().filter(|p| p.total_events > 0) {
        #[allow(clippy::cast_precision_loss)] // counts far below 2^24
        let fraction = p.done_events as f32 / p.total_events as f32;
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(140.0)
                .text(format!("{}/{}", p.done_events, p.total_events)),
        );
    }
    if o.parked > 0 {
        // Commands the repository refused (e.g. another bench changed the hierarchy
        // first): never applied silently, listed for the supervisor.
        let red = super::station_view::severity_colors(Severity::Refused).0;
        let caption = s
            .i18n
            .tr_args("status-sync-parked", &[("count", o.parked.into())]);
        if ui
            .add(egui::Button::new(egui::RichText::new(caption).color(red)))
            .clicked()
        {
            out.push(UiCommand::ShowParked(!s.sync.show_parked));
        }
    }
    let error = status.last_error.clone().or_else(|| o.last_error.clone());
    if let Some(e) = error {
        let red = super::station_view::severity_colors(Severity::Refused).0;
        ui.colored_label(red, s.i18n.tr("status-sync-failing"))
            .on_hover_text(e);
    } else if status.online {
        ui.label(s.i18n.tr("status-sync-online"));
    }
}

/// The commands the repository refused, with its message, for the supervisor.
pub fn parked_ui(ctx: &egui::Context, s: &AppState<'_>) -> Vec<UiCommand> {
    if !s.sync.show_parked {
        return Vec::new();
    }
    let rows = s
        .sync
        .status
        .as_ref()
        .map(|st| st.outbox.parked_rows.as_slice())
        .unwrap_or_default();
    let mut open = true;
    egui::Window::new(s.i18n.tr("parked-title"))
        .open(&mut open)
        .collapsible(false)
        .default_width(760.0)
        .show(ctx, |ui| {
            ui.label(s.i18n.tr("parked-help"));
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    egui::Grid::new("parked-rows")
                        .striped(true)
                        .num_columns(4)
                        .show(ui, |ui| {
                            for r in rows {
                                ui.monospace(super::screens::utc_time(r.time_ms));
                                ui.label(&r.username);
                                ui.label(format!("{} #{}", r.kind, r.command_id));
                                ui.label(&r.error);
                                ui.end_row();
                            }
                        });
                });
        });
    if open {
        Vec::new()
    } else {
        vec![UiCommand::ShowParked(false)]
    }
}
