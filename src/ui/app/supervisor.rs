//! The app's side of the supervisor screen (issue 15): it asks the station for the shift summary
//! when the screen opens, soon after any answer while it is shown (a pack, a refusal, an alert
//! changes the figures) and at least every [`REFRESH_EVERY`]; it takes the summary in without
//! touching the verdict banner. It also records the refusals the screen makes itself (a scan
//! that is no unit), so that the station holds the evidence of every refusal.
//! Kept apart from the app's core so its hooks stay one line each.

use super::PackbenchApp;
use crate::domain::ReasonCode;
use crate::station::{Request, Response};
use crate::ui::menu_bar::sees_shift;
use crate::ui::state::Screen;
use crate::ui::supervisor_view::{SupervisorAction, supervisor_ui};
use std::time::{Duration, Instant};

/// The longest the shown summary goes without being read again.
pub const REFRESH_EVERY: Duration = Duration::from_secs(15);
/// The shortest time between two reads after answers (a burst of scans reads it once).
pub const REFRESH_AFTER_CHANGE: Duration = Duration::from_millis(500);

/// When the summary was read and whether something changed since.
#[derive(Debug, Clone, Default)]
pub struct SupervisorRefresh {
    /// When the last `shift_summary` was sent.
    sent: Option<Instant>,
    /// Its answer has not come yet.
    waiting: bool,
    /// An answer came since (the figures may have changed).
    stale: bool,
    /// The screen was shown in the last frame.
    shown: bool,
}

impl PackbenchApp {
    /// The supervisor screen.
    pub(crate) fn supervisor_screen_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(SupervisorAction::Refresh) = supervisor_ui(ui, &self.i18n, &self.supervisor) {
            self.request_shift_summary();
        }
    }

    fn request_shift_summary(&mut self) {
        self.supervisor_refresh.sent = Some(Instant::now());
        self.supervisor_refresh.waiting = true;
        self.supervisor_refresh.stale = false;
        self.send(Request::ShiftSummary {
            hours: None,
            until_ms: None,
        });
    }

    /// Reads the summary again when it is due (called once per frame in `logic`).
    pub(crate) fn supervisor_logic(&mut self, ctx: &egui::Context) {
        let may_see = self
            .snapshot
            .user
            .as_ref()
            .is_some_and(|u| sees_shift(u.role));
        let shown = self.screen == Screen::Supervisor && may_see;
        let opened = shown && !self.supervisor_refresh.shown;
        self.supervisor_refresh.shown = shown;
        if !may_see {
            self.supervisor = crate::ui::supervisor_view::SupervisorState::default();
        }
        if !shown {
            return;
        }
        let r = &self.supervisor_refresh;
        let since = r.sent.map_or(Duration::MAX, |t| t.elapsed());
        let due = opened
            || (!r.waiting
                && (since >= REFRESH_EVERY || (r.stale && since >= REFRESH_AFTER_CHANGE)));
        if due {
            self.request_shift_summary();
        } else if !r.waiting {
            let wait = if r.stale {
                REFRESH_AFTER_CHANGE.saturating_sub(since)
            } else {
                REFRESH_EVERY.saturating_sub(since)
            };
            ctx.request_repaint_after(wait);
        }
    }

    /// Takes in an answer that concerns the supervisor screen. `true`: the answer is the
    /// screen's own (the summary, a refusal recorded) and is not shown as a verdict.
    pub(crate) fn supervisor_answer(&mut self, request: &Request, response: &Response) -> bool {
        match request {
            Request::ShiftSummary { .. } => {
                self.supervisor_refresh.waiting = false;
                self.supervisor.on_summary(
                    super::models::shift_summary(response),
                    response.code,
                    response.detail.clone(),
                );
                true
            }
            Request::RecordRefusal { .. } => {
                self.supervisor_refresh.stale = true;
                if !response.ok {
                    // The packer was told why the scan was refused; the record is missing.
                    self.notice = Some(
                        self.i18n.tr_args(
                            "supervisor-refusal-not-recorded",
                            &[(
                                "detail",
                                response
                                    .detail
                                    .clone()
                                    .unwrap_or_else(|| response.code.as_str().to_owned())
                                    .into(),
                            )],
                        ),
                    );
                }
                true
            }
            _ => {
                self.supervisor_refresh.stale = true;
                false
            }
        }
    }

    /// Records a refusal the screen made itself (a red one: a question still waiting for its
    /// answer is amber, not a refusal).
    pub(crate) fn record_screen_refusal(
        &mut self,
        code: ReasonCode,
        scan: &str,
        detail: Option<&str>,
    ) {
        if code.severity() != crate::domain::Severity::Refused {
            return;
        }
        self.send(Request::RecordRefusal {
            code: code.as_str().to_owned(),
            scan: Some(scan.to_owned()),
            detail: detail.map(str::to_owned),
        });
    }
}
