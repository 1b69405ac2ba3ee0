//! The returns desk and the recall screen (issue 18) in the frame: each drawn from its own
//! state and returning [`UiCommand`]s for what its buttons ask (the requests, the files to
//! save, the hold dialog).

use super::recall_view::{RecallAction, RecallState, recall_ui};
use super::returns_view::{ReturnsAction, ReturnsState, returns_ui};
use super::state::AppState;
use super::ui_command::UiCommand;
use crate::station::Request;

/// The returns desk screen (the app keeps the station in returns mode while it shows).
pub(super) fn returns_screen_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    state: &mut ReturnsState,
) -> Vec<UiCommand> {
    returns_ui(ui, s.i18n, state)
        .map(|action| match action {
            ReturnsAction::Verify(scan) => UiCommand::Station(Request::VerifyReturn { scan }),
            ReturnsAction::Retry => UiCommand::Station(Request::ReturnsRetry),
            ReturnsAction::Refresh => UiCommand::Station(Request::Returns { limit: None }),
            ReturnsAction::SaveCsv => UiCommand::SaveReturnsCsv,
        })
        .into_iter()
        .collect()
}

/// The recall and trace screen.
pub(super) fn recall_screen_ui(
    ui: &mut egui::Ui,
    s: &AppState<'_>,
    state: &mut RecallState,
) -> Vec<UiCommand> {
    let Some(action) = recall_ui(ui, s.i18n, state) else {
        return Vec::new();
    };
    vec![match action {
        RecallAction::Recall { gtin, lot } => UiCommand::Station(Request::Recall {
            gtin: Some(gtin),
            lot: Some(lot),
            scan: None,
            units: true,
        }),
        RecallAction::RecallOf(scan) => UiCommand::Station(Request::Recall {
            gtin: None,
            lot: None,
            scan: Some(scan),
            units: true,
        }),
        RecallAction::Trace(scan) => UiCommand::Station(Request::Trace { scan }),
        RecallAction::HoldLot { gtin, lot } => UiCommand::OpenHoldLot { gtin, lot },
        RecallAction::SaveCsv => UiCommand::SaveRecall(super::ui_command::ReportFile::RecallCsv),
        RecallAction::SavePdf => UiCommand::SaveRecall(super::ui_command::ReportFile::RecallPdf),
        RecallAction::SaveTracePdf => {
            UiCommand::SaveRecall(super::ui_command::ReportFile::TracePdf)
        }
    }]
}
