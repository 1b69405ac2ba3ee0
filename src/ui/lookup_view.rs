//! The Look-up screen: what a scan does here (it only looks up), the look-up commands, the
//! unit's facts (status, parents, contents, origin), its hold and its history. Drawn from the
//! typed [`LookupView`] (made from the answer once, when it arrived) and returning
//! [`UiCommand`]s.

use super::history_view::{HistoryEntry, history_ui, local_time};
use super::hold_view::HoldInfo;
use super::state::{AppState, Screen};
use super::ui_command::UiCommand;
use crate::station::Request;

/// Where a unit came from: made here, or taken in from the repository or a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// `local`, `repository`, `file`, ...
    pub kind: String,
    /// Where it was taken in from.
    pub source: Option<String>,
    /// When it was taken in (Unix milliseconds).
    pub adopted_ms: Option<i64>,
    /// When it was last refreshed.
    pub refreshed_ms: Option<i64>,
}

/// A look-up answer, as the screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupView {
    /// The unit's key.
    pub key: String,
    /// Its status (`active`, `decommissioned`, ...).
    pub status: String,
    /// It is a container (it has a state; its manifest can be exported).
    pub is_container: bool,
    /// Its GTIN and lot, when it is a pack with a lot (the whole lot can be held).
    pub gtin_lot: Option<(String, String)>,
    /// The containers above it, nearest first.
    pub parents: Vec<String>,
    /// How many units it holds directly.
    pub children_total: u64,
    /// Where it came from.
    pub origin: Origin,
    /// Its hold.
    pub hold: HoldInfo,
    /// What happened to it, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// Draws the Look-up screen.
pub fn lookup_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    head_ui(ui, s, &mut out);
    if let Some(view) = s.lookup {
        facts_ui(ui, s, view);
        out.extend(super::hold_view::lookup_hold_ui(ui, s.i18n, view));
        actions_ui(ui, s, view, &mut out);
        ui.heading(s.i18n.tr("lookup-history"));
        history_ui(ui, s.i18n, &view.history);
    }
    out
}

/// What a scan does here (it only looks up) and the look-up commands.
fn head_ui(ui: &mut egui::Ui, s: &AppState<'_>, out: &mut Vec<UiCommand>) {
    ui.heading(s.i18n.tr("lookup-title"));
    ui.label(
        egui::RichText::new(s.i18n.tr("lookup-scan-only"))
            .size(20.0)
            .strong(),
    );
    ui.label(s.i18n.tr("lookup-hint"));
    ui.horizontal_wrapped(|ui| {
        for (cmd, id) in super::sheet::LOOKUP_COMMANDS {
            if ui.button(s.i18n.tr(id)).clicked() {
                out.push(UiCommand::Command((*cmd).to_owned()));
                out.push(UiCommand::Show(Screen::Station));
            }
        }
        if ui.button(s.i18n.tr("lookup-open-epcis")).clicked() {
            out.push(UiCommand::OpenEpcis);
        }
        if s.snapshot.work_order.is_some() && ui.button(s.i18n.tr("closeout-open")).clicked() {
            out.push(UiCommand::OpenCloseout);
        }
    });
}

/// The unit's facts.
fn facts_ui(ui: &mut egui::Ui, s: &AppState<'_>, view: &LookupView) {
    egui::Grid::new("lookup-unit")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(s.i18n.tr("lookup-unit"));
            ui.monospace(&view.key);
            ui.end_row();
            ui.label(s.i18n.tr("lookup-status"));
            ui.label(s.i18n.tr(&format!("status-{}", view.status)));
            ui.end_row();
            ui.label(s.i18n.tr("lookup-parents"));
            ui.vertical(|ui| {
                for p in &view.parents {
                    ui.monospace(p);
                }
            });
            ui.end_row();
            ui.label(s.i18n.tr("lookup-children"));
            ui.label(view.children_total.to_string());
            ui.end_row();
            // Where the unit came from: made here, or taken in from the repository or a
            // file, and when.
            let origin = &view.origin;
            ui.label(s.i18n.tr("lookup-origin"));
            ui.vertical(|ui| {
                ui.label(s.i18n.tr(&format!("origin-{}", origin.kind)));
                if let Some(source) = &origin.source {
                    ui.monospace(source);
                }
                if let Some(t) = origin.adopted_ms {
                    ui.label(format!(
                        "{} {}",
                        s.i18n.tr("lookup-adopted-at"),
                        local_time(t)
                    ));
                }
                if let Some(t) = origin
                    .refreshed_ms
                    .filter(|t| Some(*t) != origin.adopted_ms)
                {
                    ui.label(format!(
                        "{} {}",
                        s.i18n.tr("lookup-refreshed-at"),
                        local_time(t)
                    ));
                }
            });
            ui.end_row();
        });
}

/// The actions on the unit.
fn actions_ui(ui: &mut egui::Ui, s: &AppState<'_>, view: &LookupView, out: &mut Vec<UiCommand>) {
    let key = &view.key;
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.i18n.tr("lookup-show-tree")).clicked() {
            out.push(UiCommand::FocusTree(Some(key.clone())));
            out.push(UiCommand::Show(Screen::Station));
        }
        if view.is_container && ui.button(s.i18n.tr("lookup-export-manifest")).clicked() {
            out.push(UiCommand::Station(Request::Manifest { scan: key.clone() }));
        }
        // Take the unit's hierarchy in again from the repository (refresh).
        if ui.button(s.i18n.tr("lookup-refresh")).clicked() {
            out.push(UiCommand::Station(Request::Adopt { scan: key.clone() }));
        }
    });
}
