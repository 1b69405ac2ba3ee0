//! The app's side of the returns desk and the recall screen (issue 18): the two screens drawn
//! from their states, the requests their actions send, the files they save, and the answers
//! they take in. Kept apart from the app's core so its hooks stay one line each.

use super::app::{PackbenchApp, Screen};
use super::recall_view::{RecallAction, recall_ui};
use super::returns_view::{ReturnsAction, returns_ui};
use crate::domain::HoldReason;
use crate::station::{Mode, Request, Response};

fn now_ms() -> i64 {
    let mut clock = crate::station::system_clock();
    clock()
}

impl PackbenchApp {
    /// The returns desk screen.
    pub(crate) fn returns_screen_ui(&mut self, ui: &mut egui::Ui) {
        if self.snapshot.mode != Mode::Returns {
            // The screen is the returns mode: a scan here is a returned pack.
            self.set_returns_mode(true);
        }
        let action = returns_ui(ui, &self.i18n, &mut self.returns);
        match action {
            Some(ReturnsAction::Verify(scan)) => self.send(Request::VerifyReturn { scan }),
            Some(ReturnsAction::Retry) => self.send(Request::ReturnsRetry),
            Some(ReturnsAction::Refresh) => self.send(Request::Returns { limit: None }),
            Some(ReturnsAction::SaveCsv) => {
                self.returns_csv_pending = true;
                self.send(Request::Returns {
                    limit: Some(usize::MAX),
                });
            }
            None => {}
        }
    }

    /// The recall and trace screen.
    pub(crate) fn recall_screen_ui(&mut self, ui: &mut egui::Ui) {
        let action = recall_ui(ui, &self.i18n, &mut self.recall);
        match action {
            Some(RecallAction::Recall { gtin, lot }) => self.send(Request::Recall {
                gtin: Some(gtin),
                lot: Some(lot),
                scan: None,
                units: true,
            }),
            Some(RecallAction::RecallOf(scan)) => self.send(Request::Recall {
                gtin: None,
                lot: None,
                scan: Some(scan),
                units: true,
            }),
            Some(RecallAction::Trace(scan)) => self.send(Request::Trace { scan }),
            Some(RecallAction::HoldLot { gtin, lot }) => {
                self.hold = Some(super::hold_view::HoldDialog {
                    action: super::hold_view::HoldAction::Hold,
                    key: format!("(01){gtin}(10){lot}"),
                    lot: Some((gtin, lot)),
                    whole_lot: true,
                    reason: HoldReason::Recall,
                    text: String::new(),
                    user: String::new(),
                    password: String::new(),
                    sent: false,
                });
            }
            Some(RecallAction::SaveCsv) => {
                if let Some(r) = &self.recall.report {
                    self.files.save_report(
                        format!("recall-{}-{}.csv", r.gtin, safe(&r.lot)),
                        crate::station::recall_csv(r).into_bytes(),
                    );
                }
            }
            Some(RecallAction::SavePdf) => {
                if let Some(r) = &self.recall.report {
                    self.files.save_report(
                        format!("recall-{}-{}.pdf", r.gtin, safe(&r.lot)),
                        crate::report::recall::render_recall(r, now_ms()),
                    );
                }
            }
            Some(RecallAction::SaveTracePdf) => {
                if let Some(t) = &self.recall.trace {
                    self.files.save_report(
                        format!("trace-{}.pdf", safe(&t.scanned)),
                        crate::report::recall::render_trace(t, now_ms()),
                    );
                }
            }
            None => {}
        }
    }

    /// Puts the station into returns mode (or back to packing) as the screen opens or closes.
    pub(crate) fn set_returns_mode(&mut self, on: bool) {
        let mode = if on { Mode::Returns } else { Mode::Pack };
        if self.returns_mode_sent != Some(on) {
            self.returns_mode_sent = Some(on);
            self.send(Request::Mode { mode });
            if on {
                self.send(Request::Returns { limit: None });
            }
        }
    }

    /// After the screen changed: leaving the returns desk puts the station back to packing.
    pub(crate) fn desk_screen_changed(&mut self) {
        if self.screen != Screen::Returns && self.snapshot.mode == Mode::Returns {
            self.set_returns_mode(false);
        }
        if self.screen == Screen::Returns {
            self.returns_mode_sent = None;
        }
    }

    /// Takes in an answer that concerns the returns desk or the recall screen.
    pub(crate) fn desk_answer(&mut self, request: &Request, response: &Response) {
        let returns_mode = self.snapshot.mode == Mode::Returns;
        self.returns.on_answer(request, response, returns_mode);
        self.recall.on_answer(request, response);
        if self.returns_csv_pending
            && let Request::Returns { .. } = request
        {
            self.returns_csv_pending = false;
            if let Some(csv) = returns_csv_of(response) {
                self.files.save_report("returns.csv", csv.into_bytes());
            }
        }
    }
}

/// The returns file of a `returns` answer (its checks, oldest first).
fn returns_csv_of(response: &Response) -> Option<String> {
    let checks = response.data.as_ref()?["checks"].as_array()?;
    let mut rows: Vec<crate::store::ReturnCheck> = Vec::new();
    for c in checks.iter().rev() {
        rows.push(crate::store::ReturnCheck {
            id: c["id"].as_i64().unwrap_or_default(),
            corr_uuid: text(c, "corr_uuid").unwrap_or_default(),
            unit_key: text(c, "unit_key").unwrap_or_default(),
            gtin: text(c, "gtin").unwrap_or_default(),
            serial: text(c, "serial").unwrap_or_default(),
            lot: text(c, "lot"),
            expiry: text(c, "expiry"),
            unit_id: None,
            returned_in: text(c, "returned_in"),
            username: text(c, "username").unwrap_or_default(),
            requested_ms: c["requested_ms"].as_i64().unwrap_or_default(),
            state: match c["state"].as_str() {
                Some("local") => crate::store::CheckState::Local,
                Some("answered") => crate::store::CheckState::Answered,
                Some("error") => crate::store::CheckState::Error,
                _ => crate::store::CheckState::Queued,
            },
            local_reason: text(c, "local_reason"),
            request_url: text(c, "request_url"),
            attempts: c["attempts"].as_i64().unwrap_or_default(),
            last_error: text(c, "last_error"),
            answered_ms: c["answered_ms"].as_i64(),
            http_status: c["http_status"].as_i64(),
            answer: text(c, "answer"),
            verified: c["verified"].as_bool(),
            failure_reason: text(c, "failure_reason"),
            responder_gln: text(c, "responder_gln"),
            verification_timestamp: text(c, "verification_timestamp"),
            hold_id: c["hold_id"].as_i64(),
        });
    }
    Some(crate::station::returns_csv(&rows))
}

fn text(v: &serde_json::Value, k: &str) -> Option<String> {
    v[k].as_str().map(str::to_owned)
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
