//! The returns desk screen (issue 18): scan a returned pack (or case) — the station is in
//! `returns` mode while the screen is open, so a scan is a `verify_return` — and see a big
//! green "verified, may be resold" or red with the reason in the packer's language; the last
//! checks below, the queue waiting for the verification service, Retry and Save CSV.
//!
//! Drawn from plain data ([`ReturnsState`], filled from the station's answers) and returns
//! what the user asked for ([`ReturnsAction`]); the app sends the requests.

use super::i18n::I18n;
use crate::domain::{ReasonCode, Severity, VrsFailure};
use crate::station::Request;

/// One check as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    /// The pack.
    pub key: String,
    /// Its verdict.
    pub code: ReasonCode,
    /// The service's failure reason.
    pub failure: Option<VrsFailure>,
    /// The station's own reason (`inactive:…`, `on_hold`, `unknown`).
    pub local: Option<String>,
    /// The correlation UUID.
    pub corr_uuid: String,
    /// The container it came back in.
    pub returned_in: Option<String>,
}

/// What the returns screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnsState {
    /// The manual entry field.
    pub entry: String,
    /// The verdict of the last scan: its code and its checks.
    pub last: Option<(ReasonCode, Vec<CheckRow>)>,
    /// The recent checks, newest first.
    pub recent: Vec<CheckRow>,
    /// Checks waiting for the service.
    pub waiting: u64,
}

/// What the user asked for on the returns screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnsAction {
    /// Verify what was typed in.
    Verify(String),
    /// Ask the service again about the queued checks.
    Retry,
    /// Reload the list.
    Refresh,
    /// Save the returns file (CSV).
    SaveCsv,
}

/// What a returns answer carries (`verify_return`, a scan in returns mode, `returns_retry`,
/// `returns`), typed from the answer once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnsAnswer {
    /// The checks it lists (`None`: it lists none).
    pub checks: Option<Vec<CheckRow>>,
    /// Checks still waiting for the service after a retry.
    pub left: Option<u64>,
    /// Checks waiting for the service (the list).
    pub waiting: Option<u64>,
}

impl ReturnsState {
    /// Takes in a station answer that concerns the returns desk (`answer`: `None` when the
    /// answer carries no data).
    pub fn on_answer(
        &mut self,
        request: &Request,
        code: ReasonCode,
        answer: Option<ReturnsAnswer>,
        mode_returns: bool,
    ) {
        let Some(answer) = answer else {
            if matches!(request, Request::VerifyReturn { .. })
                || (mode_returns && matches!(request, Request::Scan { .. }))
            {
                self.last = Some((code, Vec::new()));
            }
            return;
        };
        match request {
            Request::VerifyReturn { .. } | Request::Scan { .. } | Request::ReturnsRetry
                if answer.checks.is_some() =>
            {
                let new = answer.checks.unwrap_or_default();
                if !matches!(request, Request::ReturnsRetry) || !new.is_empty() {
                    self.last = Some((code, new.clone()));
                }
                for r in new.into_iter().rev() {
                    self.recent.retain(|o| o.corr_uuid != r.corr_uuid);
                    self.recent.insert(0, r);
                }
                self.recent.truncate(200);
                if let Some(left) = answer.left {
                    self.waiting = left;
                }
            }
            Request::Returns { .. } => {
                self.recent = answer.checks.unwrap_or_default();
                self.waiting = answer.waiting.unwrap_or(0);
            }
            _ => {}
        }
    }
}

/// The words for a check's outcome: the reason code's message and, when the service gave one,
/// its failure reason (or the station's own reason).
pub fn outcome_text(i18n: &I18n, row: &CheckRow) -> String {
    let mut text = i18n.reason(row.code);
    if let Some(f) = &row.failure {
        let reason = match f {
            VrsFailure::Other(code) => {
                i18n.tr_args(f.message_id(), &[("code", code.clone().into())])
            }
            _ => i18n.tr(f.message_id()),
        };
        text = format!("{text} {reason}");
    }
    text
}

fn colours(code: ReasonCode) -> (egui::Color32, egui::Color32) {
    match code.severity() {
        Severity::Ok => (egui::Color32::from_rgb(27, 122, 52), egui::Color32::WHITE),
        Severity::Warning => (egui::Color32::from_rgb(255, 193, 7), egui::Color32::BLACK),
        Severity::Refused | Severity::Alert => {
            (egui::Color32::from_rgb(183, 28, 28), egui::Color32::WHITE)
        }
    }
}

/// Draws the returns screen.
pub fn returns_ui(
    ui: &mut egui::Ui,
    i18n: &I18n,
    state: &mut ReturnsState,
) -> Option<ReturnsAction> {
    let mut action = None;
    ui.heading(i18n.tr("returns-title"));
    ui.label(i18n.tr("returns-hint"));
    ui.horizontal(|ui| {
        let l = ui.label(i18n.tr("returns-entry"));
        let field = ui
            .add(egui::TextEdit::singleline(&mut state.entry).desired_width(420.0))
            .labelled_by(l.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button(i18n.tr("returns-verify")).clicked() || enter)
            && !state.entry.trim().is_empty()
        {
            action = Some(ReturnsAction::Verify(state.entry.trim().to_owned()));
            state.entry.clear();
        }
    });
    if let Some((code, checks)) = &state.last {
        let (bg, fg) = colours(*code);
        egui::Frame::new()
            .fill(bg)
            .inner_margin(16.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                let headline = match checks.as_slice() {
                    [one] => outcome_text(i18n, one),
                    _ => i18n.reason(*code),
                };
                ui.label(egui::RichText::new(headline).size(26.0).color(fg).strong());
                if checks.len() > 1 {
                    let verified = checks
                        .iter()
                        .filter(|c| c.code == ReasonCode::ReturnVerified)
                        .count();
                    ui.label(
                        egui::RichText::new(i18n.tr_args(
                            "returns-case-summary",
                            &[
                                ("packs", checks.len().into()),
                                ("verified", verified.into()),
                            ],
                        ))
                        .color(fg),
                    );
                }
                if let [one] = checks.as_slice() {
                    ui.label(egui::RichText::new(&one.key).monospace().color(fg));
                }
            });
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.label(i18n.tr_args("returns-waiting", &[("count", state.waiting.into())]));
        if ui.button(i18n.tr("returns-retry")).clicked() {
            action = Some(ReturnsAction::Retry);
        }
        if ui.button(i18n.tr("returns-refresh")).clicked() {
            action = Some(ReturnsAction::Refresh);
        }
        if ui.button(i18n.tr("returns-save-csv")).clicked() {
            action = Some(ReturnsAction::SaveCsv);
        }
    });
    ui.separator();
    ui.label(egui::RichText::new(i18n.tr("returns-recent")).strong());
    egui::ScrollArea::vertical()
        .id_salt("returns-recent")
        .show(ui, |ui| {
            egui::Grid::new("returns-grid")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for row in &state.recent {
                        let (bg, _) = colours(row.code);
                        ui.label(egui::RichText::new(&row.key).monospace());
                        ui.label(egui::RichText::new(outcome_text(i18n, row)).color(bg));
                        ui.end_row();
                    }
                });
        });
    action
}
