//! Drawing the devices: the camera panel (live preview with each code's corners outlined green
//! = recorded in the container, red = not in it, the recorded-but-not-seen list, "Pack all
//! seen" and "Verify layer", image files and the bundled samples), the calibration wizard, the
//! "Scanners & camera" settings section and the status bar's devices slot.

use super::app::PackbenchApp;
use super::devices_settings::BAUD_RATES;
use super::devices_state::{CodeMark, WizardTarget};
use crate::devices::camera::{CameraChoice, Resolution, WEBCAM_BUILT};
use crate::devices::scan::{DeviceStatus, ScanSource};
use crate::devices::serial::{ScannerConfig, available_ports};
use crate::gs1::scanner::{CALIBRATION_SYMBOL, CALIBRATION_SYMBOL_HRI, GsArrival};

/// Green outline: recorded in the container.
pub const GREEN: egui::Color32 = egui::Color32::from_rgb(0, 170, 70);
/// Red outline: not recorded in the container.
pub const RED: egui::Color32 = egui::Color32::from_rgb(220, 0, 0);

/// The bundled sample images (`assets/samples/`), embedded so the menu works anywhere.
pub const SAMPLES: &[(&str, &[u8])] = &[
    (
        "training_case_layer.png",
        include_bytes!("../../assets/samples/training_case_layer.png"),
    ),
    (
        "training_case_partial.png",
        include_bytes!("../../assets/samples/training_case_partial.png"),
    ),
];

impl PackbenchApp {
    /// The camera screen.
    pub fn camera_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading(self.i18n.tr("camera-title"));
        ui.horizontal_wrapped(|ui| {
            if ui.button(self.i18n.tr("camera-open-images")).clicked() {
                self.devices.open_images_dialog(ui.ctx());
            }
            for (n, (name, _)) in SAMPLES.iter().enumerate() {
                let label = self.i18n.tr_args("camera-sample", &[("n", (n + 1).into())]);
                if ui.button(label).on_hover_text(*name).clicked() {
                    self.training_sample(n);
                }
            }
        });
        if let Some(path) = super::device_fields::image_path_ui(&mut self.devices, &self.i18n, ui) {
            self.devices.decode_files(vec![path.into()]);
        }
        ui.horizontal_wrapped(|ui| {
            let can_pack = self
                .devices
                .layer
                .as_ref()
                .is_some_and(|l| !l.read.codes.is_empty());
            if ui
                .add_enabled(can_pack, egui::Button::new(self.i18n.tr("camera-pack-all")))
                .clicked()
            {
                self.pack_all_seen();
            }
            if ui
                .add_enabled(
                    self.devices.layer.is_some(),
                    egui::Button::new(self.i18n.tr("camera-verify")),
                )
                .clicked()
            {
                self.verify_layer();
            }
        });
        if self.devices.settings.auto_pack && self.devices.camera_running() {
            ui.label(self.i18n.tr_args(
                "camera-auto-pack-on",
                &[
                    ("frames", self.devices.auto_pack.steady_frames().into()),
                    ("count", self.devices.auto_packed.into()),
                ],
            ));
        }
        self.layer_check_ui(ui);
        if !self.devices.camera_running() && self.devices.layer.is_none() {
            ui.label(self.i18n.tr("camera-none"));
        }
        ui.horizontal_top(|ui| {
            self.preview_ui(ui);
            ui.vertical(|ui| self.layer_lists_ui(ui));
        });
    }

    /// Decodes bundled sample `n` (written to a temporary file, then the image-file path).
    pub fn decode_sample(&mut self, n: usize) {
        let Some((name, bytes)) = SAMPLES.get(n) else {
            return;
        };
        let path = std::env::temp_dir().join(format!("packbench-{name}"));
        if std::fs::write(&path, bytes).is_ok() {
            self.devices.decode_files(vec![path]);
        }
    }

    fn layer_check_ui(&mut self, ui: &mut egui::Ui) {
        let Some(check) = self.devices.check.clone() else {
            return;
        };
        let (text, colour) = if check.is_complete() {
            (
                self.i18n.tr_args(
                    "camera-complete",
                    &[("count", check.seen_recorded.len().into())],
                ),
                GREEN,
            )
        } else {
            (
                self.i18n.tr_args(
                    "camera-incomplete",
                    &[
                        ("missing", check.recorded_not_seen.len().into()),
                        ("foreign", check.seen_not_recorded.len().into()),
                    ],
                ),
                RED,
            )
        };
        ui.label(egui::RichText::new(text).color(colour).size(22.0).strong());
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui) {
        let Some(texture) = self.devices.preview.clone() else {
            return;
        };
        let size = texture.size_vec2();
        // Fit the screen: at most two thirds of the width and the height left.
        let max_w = (ui.available_width() * 0.65).max(200.0);
        let max_h = ui.available_height().max(150.0);
        let scale = (max_w / size.x).min(max_h / size.y).min(1.5);
        let (rect, _) = ui.allocate_exact_size(size * scale, egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.image(
            texture.id(),
            rect,
            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
            egui::Color32::WHITE,
        );
        let Some(layer) = &self.devices.layer else {
            return;
        };
        let (fw, fh) = layer.frame_size;
        if fw == 0 || fh == 0 {
            return;
        }
        let sx = rect.width() / fw as f32;
        let sy = rect.height() / fh as f32;
        for code in &layer.codes {
            let colour = match code.mark {
                CodeMark::Recorded => GREEN,
                CodeMark::NotRecorded => RED,
            };
            let points: Vec<egui::Pos2> = code
                .corners
                .iter()
                .map(|(x, y)| egui::pos2(rect.min.x + x * sx, rect.min.y + y * sy))
                .collect();
            if points.len() >= 3 {
                painter.add(egui::Shape::closed_line(
                    points,
                    egui::Stroke::new(3.0, colour),
                ));
            } else if let [a, b] = points[..] {
                painter.line_segment([a, b], egui::Stroke::new(3.0, colour));
            }
        }
    }

    fn layer_lists_ui(&mut self, ui: &mut egui::Ui) {
        let Some(layer) = self.devices.layer.clone() else {
            return;
        };
        ui.label(self.i18n.tr_args(
            "camera-read",
            &[
                ("count", layer.read.codes.len().into()),
                ("ms", layer.read.decode_ms.round().into()),
            ],
        ));
        if let Some(hint) = self.frame_hint() {
            ui.colored_label(RED, hint);
        }
        ui.small(&layer.source);
        match &layer.container {
            Some(key) => ui.label(
                self.i18n
                    .tr_args("camera-container", &[("container", key.clone().into())]),
            ),
            None => ui.label(self.i18n.tr("camera-no-container")),
        };
        ui.colored_label(
            GREEN,
            self.i18n.tr_args(
                "camera-recorded",
                &[("count", layer.count(CodeMark::Recorded).into())],
            ),
        );
        ui.colored_label(
            RED,
            self.i18n.tr_args(
                "camera-not-recorded",
                &[("count", layer.count(CodeMark::NotRecorded).into())],
            ),
        );
        ui.label(
            self.i18n
                .tr_args("camera-missing", &[("count", layer.missing.len().into())]),
        );
        egui::ScrollArea::vertical()
            .id_salt("camera-missing")
            .max_height(240.0)
            .show(ui, |ui| {
                for key in &layer.missing {
                    ui.monospace(key);
                }
            });
    }

    /// The calibration wizard window (when open).
    pub fn wizard_ui(&mut self, ctx: &egui::Context) {
        let Some(wizard) = self.devices.wizard.clone() else {
            return;
        };
        if self.devices.wizard_symbol.is_none()
            && let Ok(img) = crate::devices::render::datamatrix(CALIBRATION_SYMBOL, 8)
        {
            let color = egui::ColorImage::from_gray(
                [img.width() as usize, img.height() as usize],
                img.as_raw(),
            );
            self.devices.wizard_symbol =
                Some(ctx.load_texture("calibration-symbol", color, egui::TextureOptions::NEAREST));
        }
        let mut close = false;
        let mut save = false;
        let mut again = false;
        egui::Window::new(self.i18n.tr("wizard-title"))
            .collapsible(false)
            .show(ctx, |ui| {
                let scanner = match wizard.target {
                    WizardTarget::Wedge => self.i18n.tr("wizard-wedge"),
                    WizardTarget::Serial(n) => self
                        .devices
                        .settings
                        .serial
                        .get(n)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                };
                ui.label(
                    self.i18n
                        .tr_args("wizard-instructions", &[("scanner", scanner.into())]),
                );
                if let Some(texture) = &self.devices.wizard_symbol {
                    ui.image((texture.id(), texture.size_vec2()));
                }
                ui.monospace(CALIBRATION_SYMBOL_HRI);
                match &wizard.outcome {
                    None => {
                        ui.label(self.i18n.tr("wizard-waiting"));
                    }
                    Some(Ok(calibration)) => {
                        ui.colored_label(GREEN, self.i18n.tr("wizard-ok"));
                        let p = &calibration.profile;
                        let gs = match &p.gs {
                            GsArrival::Real => self.i18n.tr("wizard-gs-real"),
                            GsArrival::Substitute(s) => self
                                .i18n
                                .tr_args("wizard-gs-substitute", &[("sub", s.clone().into())]),
                            GsArrival::Dropped => self.i18n.tr("wizard-gs-dropped"),
                        };
                        ui.label(gs);
                        ui.label(if p.aim {
                            self.i18n.tr("wizard-aim-on")
                        } else {
                            self.i18n.tr("wizard-aim-off")
                        });
                        if !p.prefix.is_empty() || !p.suffix.is_empty() {
                            ui.label(self.i18n.tr_args(
                                "wizard-affixes",
                                &[
                                    ("prefix", format!("{:?}", p.prefix).into()),
                                    ("suffix", format!("{:?}", p.suffix).into()),
                                ],
                            ));
                        }
                        ui.label(
                            self.i18n.tr_args(
                                "wizard-keyboard",
                                &[("layout", p.keyboard.name().into())],
                            ),
                        );
                        for advice in &calibration.advice {
                            let id = format!(
                                "wizard-advice-{}",
                                advice.code().to_ascii_lowercase().replace('_', "-")
                            );
                            ui.colored_label(
                                egui::Color32::from_rgb(200, 120, 0),
                                self.i18n
                                    .tr_args(&id, &[("layout", p.keyboard.name().into())]),
                            );
                        }
                        if wizard.saved {
                            ui.label(self.i18n.tr("wizard-saved"));
                        }
                    }
                    Some(Err(error)) => {
                        let id = wizard_error_id(error);
                        ui.colored_label(RED, self.i18n.tr(id));
                    }
                }
                ui.horizontal(|ui| {
                    let ok = matches!(wizard.outcome, Some(Ok(_))) && !wizard.saved;
                    save = ui
                        .add_enabled(ok, egui::Button::new(self.i18n.tr("wizard-save")))
                        .clicked();
                    again = ui.button(self.i18n.tr("wizard-again")).clicked();
                    close = ui.button(self.i18n.tr("wizard-close")).clicked();
                });
            });
        if save {
            self.save_wizard_profile();
        }
        if again {
            self.open_wizard(wizard.target);
        } else if close {
            self.devices.wizard = None;
        }
    }

    /// The "Scanners & camera" section of the settings screen.
    pub fn devices_settings_ui(&mut self, ui: &mut egui::Ui) {
        ui.separator();
        ui.heading(self.i18n.tr("devices-title"));
        let before = self.devices.settings.clone();
        if ui.button(self.i18n.tr("devices-calibrate-wedge")).clicked() {
            self.open_wizard(WizardTarget::Wedge);
        }
        // Serial scanners.
        ui.label(self.i18n.tr("devices-serial"));
        if ui.button(self.i18n.tr("devices-refresh-ports")).clicked() {
            self.devices.ports = available_ports();
        }
        ui.horizontal_wrapped(|ui| {
            for port in self.devices.ports.clone() {
                let taken = self
                    .devices
                    .settings
                    .serial
                    .iter()
                    .any(|c| c.serial.port == port);
                if ui
                    .add_enabled(
                        !taken,
                        egui::Button::new(
                            self.i18n
                                .tr_args("devices-add-port", &[("port", port.clone().into())]),
                        ),
                    )
                    .clicked()
                {
                    let n = self.devices.settings.serial.len() + 1;
                    self.devices
                        .settings
                        .serial
                        .push(ScannerConfig::new(&format!("scanner-{n}"), &port));
                }
            }
        });
        let mut remove = None;
        let mut calibrate = None;
        for n in 0..self.devices.settings.serial.len() {
            ui.horizontal(|ui| {
                let config = &mut self.devices.settings.serial[n];
                ui.monospace(&config.serial.port);
                let label = ui.label(self.i18n.tr("devices-baud"));
                egui::ComboBox::from_id_salt(("baud", n))
                    .selected_text(config.serial.baud.to_string())
                    .show_ui(ui, |ui| {
                        for baud in BAUD_RATES {
                            ui.selectable_value(&mut config.serial.baud, baud, baud.to_string());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if ui.button(self.i18n.tr("devices-calibrate")).clicked() {
                    calibrate = Some(n);
                }
                if ui.button(self.i18n.tr("devices-remove")).clicked() {
                    remove = Some(n);
                }
            });
        }
        if let Some(n) = remove {
            self.devices.settings.serial.remove(n);
        }
        if let Some(n) = calibrate {
            self.open_wizard(WizardTarget::Serial(n));
        }
        ui.checkbox(
            &mut self.devices.settings.serial_open,
            self.i18n.tr("devices-serial-open"),
        );
        // Camera.
        ui.label(self.i18n.tr("devices-camera"));
        super::device_fields::camera_choice_ui(&mut self.devices, &self.i18n, ui);
        ui.small(self.i18n.tr("devices-camera-hint"));
        if !WEBCAM_BUILT {
            ui.small(self.i18n.tr("devices-webcam-not-built"));
        }
        let camera_before = self.devices.settings.camera.clone();
        ui.horizontal_wrapped(|ui| {
            if ui.button(self.i18n.tr("devices-camera-off")).clicked() {
                self.devices.settings.camera = CameraChoice::None;
            }
            if ui.button(self.i18n.tr("devices-webcam-0")).clicked() {
                self.devices.settings.camera = CameraChoice::Webcam {
                    index: 0,
                    resolution: Some(Resolution {
                        width: 1280,
                        height: 720,
                    }),
                };
            }
            if ui
                .button(self.i18n.tr("devices-look-for-cameras"))
                .clicked()
            {
                self.devices.look_for_cameras(ui.ctx());
            }
        });
        for camera in self.devices.cameras.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}: {}", camera.index, camera.name));
                // The largest few sizes are enough to choose from.
                for resolution in camera.resolutions.iter().take(4) {
                    if ui.button(resolution.to_string()).clicked() {
                        self.devices.settings.camera = CameraChoice::Webcam {
                            index: camera.index,
                            resolution: Some(*resolution),
                        };
                    }
                }
            });
        }
        if self.devices.settings.camera != camera_before {
            // A camera chosen with a button replaces what was typed.
            self.devices.camera_text = None;
        }
        ui.horizontal(|ui| {
            let label = ui.label(self.i18n.tr("devices-decode-interval"));
            ui.add(
                egui::Slider::new(&mut self.devices.settings.decode_interval_ms, 0..=2000)
                    .suffix(" ms"),
            )
            .labelled_by(label.id);
        });
        ui.checkbox(
            &mut self.devices.settings.auto_pack,
            self.i18n.tr("devices-auto-pack"),
        );
        ui.add_enabled_ui(self.devices.settings.auto_pack, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(self.i18n.tr("devices-auto-pack-frames"));
                ui.add(egui::Slider::new(
                    &mut self.devices.settings.auto_pack_frames,
                    1..=10,
                ))
                .labelled_by(label.id);
            });
        });
        if self.devices.settings != before {
            self.devices.restart();
        }
        for line in self.devices.lines.clone() {
            ui.label(self.device_line_text(&line.source, line.status, line.error.as_ref()));
        }
    }

    fn device_line_text(
        &self,
        source: &ScanSource,
        status: Option<DeviceStatus>,
        error: Option<&crate::devices::DeviceError>,
    ) -> String {
        let name = match source {
            ScanSource::Serial { port, .. } => self
                .i18n
                .tr_args("devices-serial-name", &[("port", port.clone().into())]),
            ScanSource::Camera { name } => self
                .i18n
                .tr_args("devices-camera-name", &[("name", name.clone().into())]),
            other => other.to_string(),
        };
        let state = match (error, status) {
            (Some(error), _) => self.i18n.tr(&format!(
                "device-error-{}",
                error.code().to_ascii_lowercase().replace('_', "-")
            )),
            (None, Some(DeviceStatus::Open)) => match source {
                ScanSource::Camera { .. } if self.devices.camera_fps > 0.0 => {
                    let (w, h) = self.devices.layer.as_ref().map_or((0, 0), |l| l.frame_size);
                    self.i18n.tr_args(
                        "devices-camera-running",
                        &[
                            ("size", format!("{w}×{h}").into()),
                            ("fps", self.devices.camera_fps.round().into()),
                        ],
                    )
                }
                _ => self.i18n.tr("devices-connected"),
            },
            (None, Some(DeviceStatus::Lost)) => self.i18n.tr("devices-lost"),
            (None, Some(DeviceStatus::Stopped)) => self.i18n.tr("devices-stopped"),
            (None, None) => self.i18n.tr("devices-connecting"),
        };
        format!("{name}: {state}")
    }

    /// The status bar's devices slot: every device's state, and the wedge.
    pub fn devices_status_text(&self) -> String {
        let mut parts: Vec<String> = self
            .devices
            .lines
            .iter()
            .map(|l| self.device_line_text(&l.source, l.status, l.error.as_ref()))
            .collect();
        parts.push(self.i18n.tr("devices-wedge"));
        if self.devices.settings.auto_pack {
            parts.push(self.i18n.tr("devices-hands-free"));
        }
        parts.join(" | ")
    }
}

/// The Fluent id of a calibration failure (says which scanner setting to change).
pub fn wizard_error_id(error: &crate::gs1::scanner::CalibrationError) -> &'static str {
    use crate::gs1::scanner::CalibrationError as E;
    match error {
        E::NothingReceived => "wizard-error-nothing",
        E::WrongSymbol { .. } => "wizard-error-wrong-symbol",
        E::Garbled { .. } => "wizard-error-garbled",
        E::GsDropped => "wizard-error-gs-dropped",
        E::AmbiguousSubstitute { .. } => "wizard-error-ambiguous",
        E::DoubleRead { .. } => "wizard-error-double-read",
    }
}
