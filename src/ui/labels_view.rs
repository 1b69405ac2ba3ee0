//! SSCC labels in the GUI: Print and Reprint (reprint asks for a reason, audited by the
//! station), a preview of the label (rendered on the station worker), the printer's answer
//! polled in the background (a printer that is off shows a clear error and a Retry button —
//! the frame never waits for it), and the scan-to-verify prompt while a printed label waits
//! to be scanned back.

use super::state::AppState;
use super::ui_command::UiCommand;
use crate::domain::Severity;
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

/// How often the printer's answer is asked for while a job is out.
pub const POLL: Duration = Duration::from_millis(400);

impl LabelPanel {
    /// The preview's texture (uploaded in `logic`, drawn by the station screen).
    pub fn preview_texture(&self) -> Option<&egui::TextureHandle> {
        self.texture.as_ref()
    }

    /// Uploads a new preview to the GPU (called in `logic`).
    pub fn upload_preview(&mut self, ctx: &egui::Context) {
        if self.texture.is_none()
            && let Some(image) = &self.preview_image
        {
            self.texture =
                Some(ctx.load_texture("label-preview", (**image).clone(), Default::default()));
        }
    }

    /// Whether it is time to ask the printer again (a job is out); the next poll is then due
    /// one [`POLL`] later.
    pub fn poll_due(&mut self, now: Instant) -> bool {
        if self.printer != PrinterState::Sending {
            return false;
        }
        if self.next_poll.is_none_or(|t| now >= t) {
            self.next_poll = Some(now + POLL);
            return true;
        }
        false
    }

    /// A label was printed or reprinted: its key, and whether a printer took the job.
    pub fn printed(&mut self, key: Option<String>, queued: bool) {
        self.last_key = key;
        self.printer = if queued {
            PrinterState::Sending
        } else {
            PrinterState::NoPrinter
        };
        self.next_poll = Some(Instant::now() + Duration::from_millis(50));
    }

    /// The printer's answers: each finished job's error (`None`: printed); `idle`: nothing is
    /// pending any more.
    pub fn jobs_done(&mut self, jobs: Vec<Option<String>>, idle: bool) {
        for error in jobs {
            self.printer = match error {
                None => PrinterState::Printed,
                Some(e) => PrinterState::Failed(e),
            };
        }
        if idle && self.printer == PrinterState::Sending {
            self.printer = PrinterState::Printed;
        }
    }
}

/// The label state on the station screen: the verify prompt and the printer's answer.
pub fn labels_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    if let Some(key) = s.snapshot.label_awaiting_scan.clone() {
        let (bg, fg) = super::station_view::severity_colors(Severity::Warning);
        egui::Frame::new()
            .fill(bg)
            .inner_margin(10.0)
            .corner_radius(6.0)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                ui.label(
                    egui::RichText::new(s.i18n.tr("label-verify-prompt"))
                        .color(fg)
                        .size(24.0)
                        .strong(),
                );
                ui.label(egui::RichText::new(key).color(fg).monospace().size(18.0));
            });
    }
    match s.labels.printer.clone() {
        PrinterState::Idle => {}
        PrinterState::NoPrinter => {
            ui.label(s.i18n.tr("label-no-printer"));
        }
        PrinterState::Sending => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(s.i18n.tr("label-sending"));
            });
        }
        PrinterState::Printed => {
            ui.label(s.i18n.tr("label-printed"));
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
                                egui::Button::new(s.i18n.tr("label-retry"))
                                    .min_size(egui::vec2(140.0, 44.0)),
                            )
                            .clicked()
                        {
                            out.push(UiCommand::RetryPrint);
                        }
                        ui.vertical(|ui| {
                            ui.label(
                                egui::RichText::new(s.i18n.tr("label-print-failed"))
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
    out
}

/// The preview of the last label: beside the verdict, a tap shows it large.
pub fn label_preview_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let Some(texture) = s.labels.preview_texture() else {
        return out;
    };
    let title = s.i18n.tr("label-preview");
    // Beside the verdict: big enough to recognise the label (the whole column's width, at
    // most 420 px high); a tap shows it at nearly the screen's height to read it.
    ui.label(egui::RichText::new(&title).strong());
    let size = texture.size_vec2();
    let scale = (ui.available_width() / size.x.max(1.0)).min(420.0 / size.y.max(1.0));
    let thumb = ui
        .add(
            egui::Image::new(texture)
                .fit_to_exact_size(size * scale)
                .alt_text(&title)
                .sense(egui::Sense::click()),
        )
        .on_hover_text(s.i18n.tr("label-preview-zoom"));
    if thumb.clicked()
        || ui
            .add(
                egui::Button::new(s.i18n.tr("label-preview-zoom"))
                    .min_size(egui::vec2(200.0, 48.0)),
            )
            .clicked()
    {
        out.push(UiCommand::ZoomLabel(true));
    }
    if !s.labels.zoomed {
        return out;
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
                egui::Image::new(texture)
                    .fit_to_exact_size(size * zoom)
                    .alt_text(&title),
            );
            if ui
                .add(
                    egui::Button::new(s.i18n.tr("label-preview-close"))
                        .min_size(egui::vec2(200.0, 48.0)),
                )
                .clicked()
            {
                open = false;
            }
        });
    if !open {
        out.push(UiCommand::ZoomLabel(false));
    }
    out
}
