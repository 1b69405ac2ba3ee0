//! SSCC labels in the GUI: Print and Reprint (reprint asks for a reason, audited by the
//! station), a preview of the label (rendered on the station worker), the printer's answer
//! polled in the background (a printer that is off shows a clear error and a Retry button —
//! the frame never waits for it), and the scan-to-verify prompt while a printed label waits
//! to be scanned back.

use super::app::PackbenchApp;
use crate::domain::Severity;
use crate::station::{Request, Response};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the printer did with the last label.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PrinterState {
    /// Nothing printed yet.
    #[default]
    Idle,
    /// No printer is configured: the label exists (preview) but went nowhere.
    NoPrinter,
    /// The job is with the printer worker.
    Sending,
    /// The printer took the job.
    Printed,
    /// The printer did not take it (off, unreachable, paper out): the message names it.
    Failed(String),
}

/// The last label and its printing.
#[derive(Default)]
pub struct LabelPanel {
    /// The last label printed (bracketed key).
    pub last_key: Option<String>,
    /// What the printer did.
    pub printer: PrinterState,
    preview_key: Option<String>,
    preview_image: Option<Arc<egui::ColorImage>>,
    texture: Option<egui::TextureHandle>,
    next_poll: Option<Instant>,
    /// The preview is shown large, in a window over the screen.
    pub zoomed: bool,
}

impl std::fmt::Debug for LabelPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabelPanel")
            .field("last_key", &self.last_key)
            .field("printer", &self.printer)
            .finish_non_exhaustive()
    }
}

impl LabelPanel {
    /// The last printed label's key (for a reprint).
    pub fn last_key(&self) -> Option<String> {
        self.last_key.clone()
    }

    /// Takes a preview rendered by the worker (uploaded to the GPU on the next frame).
    pub fn set_preview(&mut self, key: String, image: Arc<egui::ColorImage>) {
        self.preview_key = Some(key);
        self.preview_image = Some(image);
        self.texture = None;
    }

    /// Whether a preview is there to show.
    pub fn has_preview(&self) -> bool {
        self.preview_image.is_some()
    }

    /// The key of the label the preview shows.
    pub fn preview_key(&self) -> Option<&str> {
        self.preview_key.as_deref()
    }
}

const POLL: Duration = Duration::from_millis(400);

impl PackbenchApp {
    /// The command of the Print button / `PBCMD:PRINT`: the label of the lowest container
    /// being filled, or a fresh SSCC for a new one.
    pub fn print_request(&self) -> Request {
        Request::PrintLabel {
            level: None,
            scan: self.snapshot.current.first().map(|c| c.key.clone()),
        }
    }

    /// Asks the station for print outcomes while a job is out (never waits in the frame).
    pub(crate) fn labels_logic(&mut self, ctx: &egui::Context) {
        if self.labels.printer != PrinterState::Sending {
            return;
        }
        let now = Instant::now();
        if self.labels.next_poll.is_none_or(|t| now >= t) {
            self.labels.next_poll = Some(now + POLL);
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
                self.labels.last_key = data["key"].as_str().map(str::to_owned);
                let queued = data["print"]["queued"].as_bool().unwrap_or(false);
                self.labels.printer = if queued {
                    PrinterState::Sending
                } else {
                    PrinterState::NoPrinter
                };
                self.labels.next_poll = Some(Instant::now() + Duration::from_millis(50));
            }
            Request::PrintStatus { .. } => {
                for job in data["jobs"].as_array().into_iter().flatten() {
                    self.labels.printer = if job["ok"].as_bool() == Some(true) {
                        PrinterState::Printed
                    } else {
                        PrinterState::Failed(job["error"].as_str().unwrap_or_default().to_owned())
                    };
                }
                if data["pending"].as_u64() == Some(0)
                    && self.labels.printer == PrinterState::Sending
                {
                    self.labels.printer = PrinterState::Printed;
                }
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
                reason: super::flows::ReprintReason::PrinterJam.code().to_owned(),
            });
        }
    }

    /// The label state on the station screen: the verify prompt and the printer's answer.
    pub(crate) fn labels_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(key) = self.snapshot.label_awaiting_scan.clone() {
            let (bg, fg) = super::station_view::severity_colors(Severity::Warning);
            egui::Frame::new()
                .fill(bg)
                .inner_margin(10.0)
                .corner_radius(6.0)
                .show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    ui.label(
                        egui::RichText::new(self.i18n.tr("label-verify-prompt"))
                            .color(fg)
                            .size(24.0)
                            .strong(),
                    );
                    ui.label(egui::RichText::new(key).color(fg).monospace().size(18.0));
                });
        }
        match self.labels.printer.clone() {
            PrinterState::Idle => {}
            PrinterState::NoPrinter => {
                ui.label(self.i18n.tr("label-no-printer"));
            }
            PrinterState::Sending => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.i18n.tr("label-sending"));
                });
            }
            PrinterState::Printed => {
                ui.label(self.i18n.tr("label-printed"));
            }
            PrinterState::Failed(error) => {
                let (bg, fg) = super::station_view::severity_colors(Severity::Refused);
                egui::Frame::new()
                    .fill(bg)
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_min_width(ui.available_width());
                        // Retry first: on a 1366×768 screen the banner's lower part may be
                        // scrolled away, the button must never be.
                        ui.horizontal_top(|ui| {
                            if ui
                                .add(
                                    egui::Button::new(self.i18n.tr("label-retry"))
                                        .min_size(egui::vec2(140.0, 44.0)),
                                )
                                .clicked()
                            {
                                self.retry_print();
                            }
                            ui.vertical(|ui| {
                                ui.label(
                                    egui::RichText::new(self.i18n.tr("label-print-failed"))
                                        .color(fg)
                                        .size(18.0)
                                        .strong(),
                                );
                                ui.label(egui::RichText::new(error).color(fg).small());
                            });
                        });
                    });
            }
        }
    }

    /// The preview of the last label (collapsed by default: it is big).
    pub(crate) fn label_preview_ui(&mut self, ui: &mut egui::Ui) {
        let Some(image) = self.labels.preview_image.clone() else {
            return;
        };
        let texture = self
            .labels
            .texture
            .get_or_insert_with(|| {
                ui.ctx()
                    .load_texture("label-preview", (*image).clone(), Default::default())
            })
            .clone();
        let title = self.i18n.tr("label-preview");
        // Beside the verdict: big enough to recognise the label (the whole column's width, at
        // most 420 px high); a tap shows it at nearly the screen's height to read it.
        ui.label(egui::RichText::new(&title).strong());
        let size = texture.size_vec2();
        let scale = (ui.available_width() / size.x.max(1.0)).min(420.0 / size.y.max(1.0));
        let thumb = ui
            .add(
                egui::Image::new(&texture)
                    .fit_to_exact_size(size * scale)
                    .alt_text(&title)
                    .sense(egui::Sense::click()),
            )
            .on_hover_text(self.i18n.tr("label-preview-zoom"));
        if thumb.clicked()
            || ui
                .add(
                    egui::Button::new(self.i18n.tr("label-preview-zoom"))
                        .min_size(egui::vec2(200.0, 48.0)),
                )
                .clicked()
        {
            self.labels.zoomed = true;
        }
        if !self.labels.zoomed {
            return;
        }
        let screen = ui.ctx().content_rect();
        let zoom =
            (screen.height() * 0.78 / size.y.max(1.0)).min(screen.width() * 0.8 / size.x.max(1.0));
        let mut open = true;
        egui::Window::new(&title)
            .collapsible(false)
            .fixed_size(size * zoom + egui::vec2(0.0, 64.0))
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                ui.add(
                    egui::Image::new(&texture)
                        .fit_to_exact_size(size * zoom)
                        .alt_text(&title),
                );
                if ui
                    .add(
                        egui::Button::new(self.i18n.tr("label-preview-close"))
                            .min_size(egui::vec2(200.0, 48.0)),
                    )
                    .clicked()
                {
                    open = false;
                }
            });
        self.labels.zoomed = open;
    }
}
