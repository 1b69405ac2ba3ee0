//! Drawing the devices: the camera panel (live preview with each code's corners outlined green
//! = recorded in the container, red = not in it, the recorded-but-not-seen list, "Pack all
//! seen" and "Verify layer", image files and the bundled samples), the calibration wizard, the
//! "Scanners & camera" settings section and the status bar's devices slot.

use super::device_fields::DeviceEdit;
use super::devices_settings::{BAUD_RATES, DeviceSettings};
use super::devices_state::{CodeMark, Devices, WizardTarget};
use super::i18n::I18n;
use super::state::AppState;
use super::ui_command::UiCommand;
use crate::devices::camera::{CameraChoice, Resolution, WEBCAM_BUILT};
use crate::devices::scan::{DeviceStatus, ScanSource};
use crate::devices::serial::ScannerConfig;
use crate::gs1::scanner::{CALIBRATION_SYMBOL_HRI, GsArrival};

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

/// The camera screen.
pub fn camera_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let mut edit = DeviceEdit::of(s.devices);
    ui.heading(s.i18n.tr("camera-title"));
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.i18n.tr("camera-open-images")).clicked() {
            out.push(UiCommand::OpenImages);
        }
        for (n, (name, _)) in SAMPLES.iter().enumerate() {
            let label = s.i18n.tr_args("camera-sample", &[("n", (n + 1).into())]);
            if ui.button(label).on_hover_text(*name).clicked() {
                out.push(UiCommand::TrainingSample(n));
            }
        }
    });
    if let Some(path) = super::device_fields::image_path_ui(&mut edit, s.i18n, ui) {
        out.push(UiCommand::DecodeImage(path));
    }
    ui.horizontal_wrapped(|ui| {
        let can_pack = s
            .devices
            .layer
            .as_ref()
            .is_some_and(|l| !l.read.codes.is_empty());
        if ui
            .add_enabled(can_pack, egui::Button::new(s.i18n.tr("camera-pack-all")))
            .clicked()
        {
            out.push(UiCommand::Command("PACKALL".to_owned()));
        }
        if ui
            .add_enabled(
                s.devices.layer.is_some(),
                egui::Button::new(s.i18n.tr("camera-verify")),
            )
            .clicked()
        {
            out.push(UiCommand::Command("VERIFYLAYER".to_owned()));
        }
    });
    if s.devices.settings.auto_pack && s.devices.camera_running() {
        ui.label(s.i18n.tr_args(
            "camera-auto-pack-on",
            &[
                ("frames", s.devices.auto_pack.steady_frames().into()),
                ("count", s.devices.auto_packed.into()),
            ],
        ));
    }
    layer_check_ui(ui, s);
    if !s.devices.camera_running() && s.devices.layer.is_none() {
        ui.label(s.i18n.tr("camera-none"));
    }
    ui.horizontal_top(|ui| {
        preview_ui(ui, s);
        ui.vertical(|ui| layer_lists_ui(ui, s));
    });
    if edit != DeviceEdit::of(s.devices) {
        out.push(UiCommand::EditDevices(Box::new(edit)));
    }
    out
}

fn layer_check_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let Some(check) = &s.devices.check else {
        return;
    };
    let (text, colour) = if check.is_complete() {
        (
            s.i18n.tr_args(
                "camera-complete",
                &[("count", check.seen_recorded.len().into())],
            ),
            GREEN,
        )
    } else {
        (
            s.i18n.tr_args(
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

fn preview_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let Some(texture) = &s.devices.preview else {
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
    let Some(layer) = &s.devices.layer else {
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

fn layer_lists_ui(ui: &mut egui::Ui, s: &AppState<'_>) {
    let Some(layer) = &s.devices.layer else {
        return;
    };
    ui.label(s.i18n.tr_args(
        "camera-read",
        &[
            ("count", layer.read.codes.len().into()),
            ("ms", layer.read.decode_ms.round().into()),
        ],
    ));
    let reads = s.devices.settings.camera_reads();
    if let Some(hint) = super::camera_layer::frame_hint(s.i18n, layer, &reads) {
        ui.colored_label(RED, hint);
    }
    ui.small(&layer.source);
    match &layer.container {
        Some(key) => ui.label(
            s.i18n
                .tr_args("camera-container", &[("container", key.clone().into())]),
        ),
        None => ui.label(s.i18n.tr("camera-no-container")),
    };
    ui.colored_label(
        GREEN,
        s.i18n.tr_args(
            "camera-recorded",
            &[("count", layer.count(CodeMark::Recorded).into())],
        ),
    );
    ui.colored_label(
        RED,
        s.i18n.tr_args(
            "camera-not-recorded",
            &[("count", layer.count(CodeMark::NotRecorded).into())],
        ),
    );
    ui.label(
        s.i18n
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
pub fn wizard_ui(ctx: &egui::Context, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let Some(wizard) = &s.devices.wizard else {
        return out;
    };
    let mut close = false;
    let mut save = false;
    let mut again = false;
    egui::Window::new(s.i18n.tr("wizard-title"))
        .collapsible(false)
        .show(ctx, |ui| {
            let scanner = match wizard.target {
                WizardTarget::Wedge => s.i18n.tr("wizard-wedge"),
                WizardTarget::Serial(n) => s
                    .devices
                    .settings
                    .serial
                    .get(n)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            };
            ui.label(
                s.i18n
                    .tr_args("wizard-instructions", &[("scanner", scanner.into())]),
            );
            if let Some(texture) = &s.devices.wizard_symbol {
                ui.image((texture.id(), texture.size_vec2()));
            }
            ui.monospace(CALIBRATION_SYMBOL_HRI);
            match &wizard.outcome {
                None => {
                    ui.label(s.i18n.tr("wizard-waiting"));
                }
                Some(Ok(calibration)) => {
                    ui.colored_label(GREEN, s.i18n.tr("wizard-ok"));
                    let p = &calibration.profile;
                    let gs = match &p.gs {
                        GsArrival::Real => s.i18n.tr("wizard-gs-real"),
                        GsArrival::Substitute(sub) => s
                            .i18n
                            .tr_args("wizard-gs-substitute", &[("sub", sub.clone().into())]),
                        GsArrival::Dropped => s.i18n.tr("wizard-gs-dropped"),
                    };
                    ui.label(gs);
                    ui.label(if p.aim {
                        s.i18n.tr("wizard-aim-on")
                    } else {
                        s.i18n.tr("wizard-aim-off")
                    });
                    if !p.prefix.is_empty() || !p.suffix.is_empty() {
                        ui.label(s.i18n.tr_args(
                            "wizard-affixes",
                            &[
                                ("prefix", format!("{:?}", p.prefix).into()),
                                ("suffix", format!("{:?}", p.suffix).into()),
                            ],
                        ));
                    }
                    ui.label(
                        s.i18n
                            .tr_args("wizard-keyboard", &[("layout", p.keyboard.name().into())]),
                    );
                    for advice in &calibration.advice {
                        let id = format!(
                            "wizard-advice-{}",
                            advice.code().to_ascii_lowercase().replace('_', "-")
                        );
                        ui.colored_label(
                            egui::Color32::from_rgb(200, 120, 0),
                            s.i18n.tr_args(&id, &[("layout", p.keyboard.name().into())]),
                        );
                    }
                    if wizard.saved {
                        ui.label(s.i18n.tr("wizard-saved"));
                    }
                }
                Some(Err(error)) => {
                    let id = wizard_error_id(error);
                    ui.colored_label(RED, s.i18n.tr(id));
                }
            }
            ui.horizontal(|ui| {
                let ok = matches!(wizard.outcome, Some(Ok(_))) && !wizard.saved;
                save = ui
                    .add_enabled(ok, egui::Button::new(s.i18n.tr("wizard-save")))
                    .clicked();
                again = ui.button(s.i18n.tr("wizard-again")).clicked();
                close = ui.button(s.i18n.tr("wizard-close")).clicked();
            });
        });
    if save {
        out.push(UiCommand::SaveWizardProfile);
    }
    if again {
        out.push(UiCommand::OpenWizard(wizard.target.clone()));
    } else if close {
        out.push(UiCommand::CloseWizard);
    }
    out
}

/// The "Scanners & camera" section of the settings screen (edited on a copy, returned as a
/// command when it changed).
pub fn devices_settings_ui(ui: &mut egui::Ui, s: &AppState<'_>) -> Vec<UiCommand> {
    let mut out = Vec::new();
    let mut edit = DeviceEdit::of(s.devices);
    let devices = &mut edit;
    ui.separator();
    ui.heading(s.i18n.tr("devices-title"));
    if ui.button(s.i18n.tr("devices-calibrate-wedge")).clicked() {
        out.push(UiCommand::OpenWizard(WizardTarget::Wedge));
    }
    // Serial scanners.
    ui.label(s.i18n.tr("devices-serial"));
    if ui.button(s.i18n.tr("devices-refresh-ports")).clicked() {
        out.push(UiCommand::RefreshPorts);
    }
    ui.horizontal_wrapped(|ui| {
        for port in &s.devices.ports {
            let taken = devices
                .settings
                .serial
                .iter()
                .any(|c| &c.serial.port == port);
            if ui
                .add_enabled(
                    !taken,
                    egui::Button::new(
                        s.i18n
                            .tr_args("devices-add-port", &[("port", port.clone().into())]),
                    ),
                )
                .clicked()
            {
                let n = devices.settings.serial.len() + 1;
                devices
                    .settings
                    .serial
                    .push(ScannerConfig::new(&format!("scanner-{n}"), port));
            }
        }
    });
    let mut remove = None;
    let mut calibrate = None;
    for n in 0..devices.settings.serial.len() {
        ui.horizontal(|ui| {
            let config = &mut devices.settings.serial[n];
            ui.monospace(&config.serial.port);
            let label = ui.label(s.i18n.tr("devices-baud"));
            egui::ComboBox::from_id_salt(("baud", n))
                .selected_text(config.serial.baud.to_string())
                .show_ui(ui, |ui| {
                    for baud in BAUD_RATES {
                        ui.selectable_value(&mut config.serial.baud, baud, baud.to_string());
                    }
                })
                .response
                .labelled_by(label.id);
            if ui.button(s.i18n.tr("devices-calibrate")).clicked() {
                calibrate = Some(n);
            }
            if ui.button(s.i18n.tr("devices-remove")).clicked() {
                remove = Some(n);
            }
        });
    }
    if let Some(n) = remove {
        devices.settings.serial.remove(n);
    }
    if let Some(n) = calibrate {
        out.push(UiCommand::OpenWizard(WizardTarget::Serial(n)));
    }
    ui.checkbox(
        &mut devices.settings.serial_open,
        s.i18n.tr("devices-serial-open"),
    );
    // Camera.
    ui.label(s.i18n.tr("devices-camera"));
    super::device_fields::camera_choice_ui(devices, s.i18n, ui);
    ui.small(s.i18n.tr("devices-camera-hint"));
    if !WEBCAM_BUILT {
        ui.small(s.i18n.tr("devices-webcam-not-built"));
    }
    let camera_before = devices.settings.camera.clone();
    ui.horizontal_wrapped(|ui| {
        if ui.button(s.i18n.tr("devices-camera-off")).clicked() {
            devices.settings.camera = CameraChoice::None;
        }
        if ui.button(s.i18n.tr("devices-webcam-0")).clicked() {
            devices.settings.camera = CameraChoice::Webcam {
                index: 0,
                resolution: Some(Resolution {
                    width: 1280,
                    height: 720,
                }),
            };
        }
        if ui.button(s.i18n.tr("devices-look-for-cameras")).clicked() {
            out.push(UiCommand::LookForCameras);
        }
    });
    for camera in &s.devices.cameras {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}: {}", camera.index, camera.name));
            // The largest few sizes are enough to choose from.
            for resolution in camera.resolutions.iter().take(4) {
                if ui.button(resolution.to_string()).clicked() {
                    devices.settings.camera = CameraChoice::Webcam {
                        index: camera.index,
                        resolution: Some(*resolution),
                    };
                }
            }
        });
    }
    if devices.settings.camera != camera_before {
        // A camera chosen with a button replaces what was typed.
        devices.camera_text = None;
    }
    ui.horizontal(|ui| {
        let label = ui.label(s.i18n.tr("devices-decode-interval"));
        ui.add(egui::Slider::new(&mut devices.settings.decode_interval_ms, 0..=2000).suffix(" ms"))
            .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(s.i18n.tr("devices-camera-reads"));
        for symbology in DeviceSettings::CAMERA_SYMBOLOGIES {
            let chosen = devices.settings.camera_symbologies.contains(&symbology);
            let mut on = chosen;
            ui.checkbox(&mut on, symbology.name(true));
            if on && !chosen {
                devices.settings.camera_symbologies.push(symbology);
            } else if !on && chosen && devices.settings.camera_symbologies.len() > 1 {
                devices
                    .settings
                    .camera_symbologies
                    .retain(|s| *s != symbology);
            }
        }
    });
    ui.checkbox(
        &mut devices.settings.auto_pack,
        s.i18n.tr("devices-auto-pack"),
    );
    ui.add_enabled_ui(devices.settings.auto_pack, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label(s.i18n.tr("devices-auto-pack-frames"));
            ui.add(egui::Slider::new(
                &mut devices.settings.auto_pack_frames,
                1..=10,
            ))
            .labelled_by(label.id);
        });
    });
    for line in &s.devices.lines {
        ui.label(device_line_text(
            s.i18n,
            s.devices,
            &line.source,
            line.status,
            line.error.as_ref(),
        ));
    }
    if edit != DeviceEdit::of(s.devices) {
        out.push(UiCommand::EditDevices(Box::new(edit)));
    }
    out
}

fn device_line_text(
    i18n: &I18n,
    devices: &Devices,
    source: &ScanSource,
    status: Option<DeviceStatus>,
    error: Option<&crate::devices::DeviceError>,
) -> String {
    let name = match source {
        ScanSource::Serial { port, .. } => {
            i18n.tr_args("devices-serial-name", &[("port", port.clone().into())])
        }
        ScanSource::Camera { name } => {
            i18n.tr_args("devices-camera-name", &[("name", name.clone().into())])
        }
        other => other.to_string(),
    };
    let state = match (error, status) {
        (Some(error), _) => i18n.tr(&format!(
            "device-error-{}",
            error.code().to_ascii_lowercase().replace('_', "-")
        )),
        (None, Some(DeviceStatus::Open)) => match source {
            ScanSource::Camera { .. } if devices.camera_fps > 0.0 => {
                let (w, h) = devices.layer.as_ref().map_or((0, 0), |l| l.frame_size);
                i18n.tr_args(
                    "devices-camera-running",
                    &[
                        ("size", format!("{w}×{h}").into()),
                        ("fps", devices.camera_fps.round().into()),
                    ],
                )
            }
            _ => i18n.tr("devices-connected"),
        },
        (None, Some(DeviceStatus::Lost)) => i18n.tr("devices-lost"),
        (None, Some(DeviceStatus::Stopped)) => i18n.tr("devices-stopped"),
        (None, None) => i18n.tr("devices-connecting"),
    };
    format!("{name}: {state}")
}

/// The status bar's devices slot: every device's state, and the wedge.
pub fn devices_status_text(i18n: &I18n, devices: &Devices) -> String {
    let mut parts: Vec<String> = devices
        .lines
        .iter()
        .map(|l| device_line_text(i18n, devices, &l.source, l.status, l.error.as_ref()))
        .collect();
    parts.push(i18n.tr("devices-wedge"));
    if devices.settings.auto_pack {
        parts.push(i18n.tr("devices-hands-free"));
    }
    parts.join(" | ")
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
