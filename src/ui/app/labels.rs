//! The app's side of label printing: the Print command, the printer's answers polled in the
//! background (never waited for in the frame), Retry, and the preview's upload.

use super::PackbenchApp;
use super::models;
use crate::station::{Request, Response};
use crate::ui::labels_view::POLL;
use std::time::Instant;

impl PackbenchApp {
    /// The command of the Print button / `PBCMD:PRINT`: the label of the lowest container
    /// being filled, or a fresh SSCC for a new one.
    pub fn print_request(&self) -> Request {
        Request::PrintLabel {
            level: None,
            scan: self.snapshot.current.first().map(|c| c.key.clone()),
        }
    }

    /// Asks the station for print outcomes while a job is out (never waits in the frame), and
    /// uploads a new preview.
    pub(crate) fn labels_logic(&mut self, ctx: &egui::Context) {
        self.labels.upload_preview(ctx);
        if self.labels.printer != crate::ui::labels_view::PrinterState::Sending {
            return;
        }
        if self.labels.poll_due(Instant::now()) {
            self.send(Request::PrintStatus { wait_ms: None });
        }
        ctx.request_repaint_after(POLL);
    }

    /// Handles the answers of print, reprint and print status.
    pub(crate) fn on_label_answer(&mut self, request: &Request, response: &Response) {
        let Some(data) = response.data.as_ref().filter(|_| response.ok) else {
            return;
        };
        match request {
            Request::PrintLabel { .. } | Request::ReprintLabel { .. } => {
                let (key, queued) = models::printed(data);
                self.labels.printed(key, queued);
            }
            Request::PrintStatus { .. } => {
                let (jobs, idle) = models::print_jobs(data);
                self.labels.jobs_done(jobs, idle);
            }
            _ => {}
        }
    }

    /// Sends the last label to the printer again (Retry after a printer failure; audited as a
    /// reprint because of a printer fault).
    pub fn retry_print(&mut self) {
        if let Some(key) = self.labels.last_key() {
            self.send(Request::ReprintLabel {
                scan: key,
                reason: crate::ui::flows::ReprintReason::PrinterJam
                    .code()
                    .to_owned(),
            });
        }
    }
}
