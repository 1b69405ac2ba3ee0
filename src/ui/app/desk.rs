//! The app's side of the returns desk, the recall screen, the hold dialog and the work order's
//! close-out window: opening them, the files they save, and the answers they take in (typed by
//! [`super::models`]).

use super::{PackbenchApp, Screen, models};
use crate::station::{Mode, Request, Response};
use crate::ui::closeout_view::CloseoutView;
use crate::ui::hold_view::HoldDialog;
use crate::ui::ui_command::ReportFile;

fn now_ms() -> i64 {
    let mut clock = crate::station::system_clock();
    clock()
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

impl PackbenchApp {
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

    /// The returns desk is the returns mode: while it shows (a user logged in), a scan is a
    /// returned pack (called once per frame).
    pub(crate) fn returns_logic(&mut self) {
        if self.screen == Screen::Returns
            && self.snapshot.user.is_some()
            && self.snapshot.mode != Mode::Returns
        {
            self.set_returns_mode(true);
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

    /// "Save CSV" of the returns desk: the whole list is asked for, then saved.
    pub(crate) fn save_returns_csv(&mut self) {
        self.returns_csv_pending = true;
        self.send(Request::Returns {
            limit: Some(usize::MAX),
        });
    }

    /// Saves the recall or trace shown as a file.
    pub(crate) fn save_recall(&mut self, file: ReportFile) {
        match file {
            ReportFile::RecallCsv => {
                if let Some(r) = &self.recall.report {
                    self.files.save_report(
                        format!("recall-{}-{}.csv", r.gtin, safe(&r.lot)),
                        crate::station::recall_csv(r).into_bytes(),
                    );
                }
            }
            ReportFile::RecallPdf => {
                if let Some(r) = &self.recall.report {
                    self.files.save_report(
                        format!("recall-{}-{}.pdf", r.gtin, safe(&r.lot)),
                        crate::report::recall::render_recall(r, now_ms()),
                    );
                }
            }
            ReportFile::TracePdf => {
                if let Some(t) = &self.recall.trace {
                    self.files.save_report(
                        format!("trace-{}.pdf", safe(&t.scanned)),
                        crate::report::recall::render_trace(t, now_ms()),
                    );
                }
            }
        }
    }

    /// Takes in an answer that concerns the returns desk or the recall screen.
    pub(crate) fn desk_answer(&mut self, request: &Request, response: &Response) {
        let returns_mode = self.snapshot.mode == Mode::Returns;
        self.returns.on_answer(
            request,
            response.code,
            models::returns_answer(response),
            returns_mode,
        );
        match request {
            Request::Recall { .. } => {
                if let Some(report) = models::recall(response) {
                    self.recall.on_recall(report);
                }
            }
            Request::Trace { .. } if response.ok && response.data.is_some() => {
                self.recall.trace = models::trace(response);
            }
            _ => {}
        }
        if self.returns_csv_pending
            && let Request::Returns { .. } = request
        {
            self.returns_csv_pending = false;
            if let Some(csv) = models::returns_csv(response) {
                self.files.save_report("returns.csv", csv.into_bytes());
            }
        }
    }

    /// Opens the hold dialog for the unit looked up.
    pub fn open_hold(&mut self) {
        if let Some(view) = &self.lookup_view {
            self.hold = Some(HoldDialog::hold(view));
        }
    }

    /// Opens the release dialog for hold `hold` of the unit `key`.
    pub fn open_release(&mut self, key: &str, hold: i64) {
        self.hold = Some(HoldDialog::release(key, hold));
    }

    /// The station's answer to the hold dialog's request: done closes it and shows the unit
    /// again; refused keeps it open for another try (the password is cleared).
    pub(crate) fn on_hold_answer(&mut self, request: &Request, response: &Response) {
        if !matches!(request, Request::Hold { .. } | Request::Release { .. }) {
            return;
        }
        let Some(dialog) = self.hold.as_mut() else {
            return;
        };
        dialog.sent = false;
        dialog.password.clear();
        if response.ok {
            let key = dialog.key.clone();
            self.hold = None;
            self.send(Request::Lookup { scan: key });
        }
    }

    /// Opens the close-out window for the selected work order and asks for its figures.
    pub fn open_closeout(&mut self) {
        let Some(order) = self.snapshot.work_order.as_ref().map(|w| w.id.clone()) else {
            return;
        };
        self.closeout = Some(CloseoutView {
            work_order: order.clone(),
            ..CloseoutView::default()
        });
        self.send(Request::Reconcile {
            work_order: Some(order),
        });
    }

    /// "Save report (PDF)…" of the close-out window.
    pub(crate) fn save_closeout_report(&mut self) {
        let Some(view) = &self.closeout else {
            return;
        };
        if let Some(pdf) = view.report_pdf(now_ms()) {
            self.files.save_closeout_report(&view.work_order, pdf);
        }
    }

    /// Takes the station's answer to the close-out window's requests.
    pub(crate) fn closeout_answer(&mut self, request: &Request, response: &Response) {
        let Some(view) = self.closeout.as_mut() else {
            return;
        };
        let order = match request {
            Request::Reconcile { work_order } | Request::CloseWorkOrder { work_order, .. } => {
                work_order.as_deref()
            }
            _ => return,
        };
        if order != Some(view.work_order.as_str()) {
            return;
        }
        if let Some(c) = models::closeout(response) {
            view.closeout = Some(c);
        }
        if matches!(request, Request::CloseWorkOrder { .. }) || !response.ok {
            view.verdict = Some((response.severity, response.code, response.detail.clone()));
        }
    }
}
