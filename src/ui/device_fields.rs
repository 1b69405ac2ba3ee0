//! Two device fields, edited on a [`DeviceEdit`] (a copy of what [`Devices`] holds, returned to
//! the app as a command when it changed): the camera choice of the settings (typed
//! text is kept while it is edited and applied with "Use this camera" or Enter; a choice that
//! does not parse is said next to the field, never silently reverted) and the camera screen's
//! "Image file" path field, shown when the system has no file dialog.

use super::devices_settings::DeviceSettings;
use super::devices_state::Devices;
use super::i18n::I18n;
use crate::devices::camera::CameraChoice;

use super::fonts::TARGET_PX as TARGET;

/// What the device screens edit: the device settings and the typed fields, a copy of what
/// [`Devices`] holds.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceEdit {
    /// The device settings.
    pub settings: DeviceSettings,
    /// The camera choice as typed (`None`: not edited).
    pub camera_text: Option<String>,
    /// The typed camera choice is not one packbench understands.
    pub camera_text_invalid: bool,
    /// The camera screen's "Image file" path field (`None`: hidden).
    pub image_path: Option<String>,
}

impl DeviceEdit {
    /// A copy of what `devices` holds.
    pub fn of(devices: &Devices) -> Self {
        Self {
            settings: devices.settings.clone(),
            camera_text: devices.camera_text.clone(),
            camera_text_invalid: devices.camera_text_invalid,
            image_path: devices.image_path.clone(),
        }
    }

    /// Writes the edit back into `devices`; `true` when the settings changed (the workers
    /// then restart).
    pub fn apply_to(self, devices: &mut Devices) -> bool {
        devices.camera_text = self.camera_text;
        devices.camera_text_invalid = self.camera_text_invalid;
        devices.image_path = self.image_path;
        if devices.settings == self.settings {
            return false;
        }
        devices.settings = self.settings;
        devices.restart();
        true
    }
}

/// The camera choice field of "Scanners & camera": `none`, `webcam N WxH` or `folder PATH`.
/// Returns whether the choice in force changed (the caller restarts the devices).
pub fn camera_choice_ui(devices: &mut DeviceEdit, i18n: &I18n, ui: &mut egui::Ui) -> bool {
    // "none" is not shown as text to type over: the field starts empty, the format as a hint.
    let shown = |c: &CameraChoice| match c {
        CameraChoice::None => String::new(),
        other => other.to_string(),
    };
    let mut text = devices
        .camera_text
        .clone()
        .unwrap_or_else(|| shown(&devices.settings.camera));
    let mut apply = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(i18n.tr("devices-camera-choice"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("folder /path/to/pictures")
                    .desired_width(360.0)
                    .min_size(egui::vec2(360.0, TARGET)),
            )
            .labelled_by(label.id);
        if r.changed() {
            devices.camera_text_invalid = false;
        }
        apply |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        apply |= ui
            .add(
                egui::Button::new(i18n.tr("devices-camera-apply"))
                    .min_size(egui::vec2(120.0, TARGET)),
            )
            .clicked();
    });
    let mut changed = false;
    if apply {
        match text.parse::<CameraChoice>() {
            Ok(choice) => {
                changed = choice != devices.settings.camera;
                devices.settings.camera = choice;
                devices.camera_text_invalid = false;
                devices.camera_text = None;
                text = shown(&devices.settings.camera);
            }
            Err(_) => devices.camera_text_invalid = true,
        }
    }
    if devices.camera_text_invalid {
        ui.colored_label(
            egui::Color32::from_rgb(190, 0, 0),
            i18n.tr_args("devices-camera-invalid", &[("text", text.clone().into())]),
        );
    }
    let in_force = match &devices.settings.camera {
        CameraChoice::None => i18n.tr("devices-camera-off"),
        other => other.to_string(),
    };
    ui.label(i18n.tr_args("devices-camera-in-force", &[("camera", in_force.into())]));
    // Keep what is typed until it is applied (a choice made with a button replaces it).
    devices.camera_text = (text != shown(&devices.settings.camera)).then_some(text);
    changed
}

/// The camera screen's own path field (shown when no file dialog can be shown): type the path
/// of a picture and open it. Returns the path to decode when "Open" was pressed.
pub fn image_path_ui(devices: &mut DeviceEdit, i18n: &I18n, ui: &mut egui::Ui) -> Option<String> {
    let mut path = devices.image_path.clone()?;
    let mut open = false;
    ui.label(i18n.tr("camera-no-dialog"));
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(i18n.tr("camera-image-path"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut path)
                    .desired_width(420.0)
                    .min_size(egui::vec2(420.0, TARGET)),
            )
            .labelled_by(label.id);
        open |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        open |= ui
            .add(
                egui::Button::new(i18n.tr("camera-image-open")).min_size(egui::vec2(120.0, TARGET)),
            )
            .clicked();
    });
    devices.image_path = Some(path.clone());
    let path = path.trim().to_owned();
    (open && !path.is_empty()).then_some(path)
}
