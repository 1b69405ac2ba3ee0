//! The devices' side of the app state: the camera and serial workers started from
//! [`DeviceSettings`], the device stream drained in `logic`, and the camera preview texture.
//! The layer view model the camera panel draws (each code marked recorded / not recorded in the
//! container being filled) lives in `camera_layer` and is re-exported here.
//!
//! Everything slow runs on named threads: capture and decode (camera worker), serial ports,
//! image files (open dialog + decode), camera listing. The frame loop only drains channels,
//! downsizes the newest frame for the preview and compares short lists.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use image::GrayImage;

use super::auto_pack::AutoPack;
use super::camera_layer::seen_codes;
pub use super::camera_layer::{CodeMark, LayerView, OverlayCode, mark_layer, recorded_children};
use super::devices_settings::DeviceSettings;
use super::worker::Snapshot;
use crate::devices::DeviceError;
use crate::devices::camera::{CameraConfig, CameraDescriptor, CameraWorker, list_cameras};
use crate::devices::decode::{DecodeOptions, decode_image, load_gray};
use crate::devices::layer::{LayerCheck, LayerRead, LayerReader};
use crate::devices::scan::{DeviceEvent, DeviceStatus, EventSink, ScanSource};
use crate::devices::serial::SerialWorker;
use crate::gs1::scanner::{CALIBRATION_SYMBOL, Calibration, CalibrationError, calibrate};

/// The longest side of the preview texture (the full frame is decoded, not this).
pub const PREVIEW_MAX_SIDE: u32 = 640;

/// Which scanner the calibration wizard listens to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardTarget {
    /// The keyboard wedge.
    Wedge,
    /// Serial scanner number `n` of the settings.
    Serial(usize),
}

/// The calibration wizard's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Wizard {
    /// The scanner calibrated.
    pub target: WizardTarget,
    /// What arrived, once something did.
    pub received: Option<String>,
    /// The outcome for what arrived.
    pub outcome: Option<Result<Calibration, CalibrationError>>,
    /// The profile was saved into the settings.
    pub saved: bool,
}

/// A device's state for the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceLine {
    /// The device.
    pub source: ScanSource,
    /// Open, lost or stopped (`None` until it reports).
    pub status: Option<DeviceStatus>,
    /// The last error, until the device reports open again.
    pub error: Option<DeviceError>,
}

struct FileDecoded {
    path: String,
    image: GrayImage,
    read: LayerRead,
    /// Why the file could not be read (it then shows as an empty frame).
    error: Option<String>,
}

/// The devices' runtime state, owned by the app.
pub struct Devices {
    /// The settings in force (change them, then call [`Devices::restart`]).
    pub settings: DeviceSettings,
    sink: EventSink,
    events: Receiver<DeviceEvent>,
    camera: Option<CameraWorker>,
    serial: Vec<SerialWorker>,
    restart_due: bool,
    /// The last frame read, with overlay marks.
    pub layer: Option<LayerView>,
    /// The last completeness check ("Verify layer").
    pub check: Option<LayerCheck>,
    /// The preview texture (newest frame, downsized).
    pub preview: Option<egui::TextureHandle>,
    preview_frame: Option<u64>,
    pub(super) frame_size: (u32, u32),
    files_tx: Sender<FileDecoded>,
    files_rx: Receiver<FileDecoded>,
    no_dialog_tx: Sender<()>,
    no_dialog_rx: Receiver<()>,
    /// The built-in "Image file" path field, shown when no file dialog can be shown (`None`:
    /// hidden).
    pub image_path: Option<String>,
    /// The camera choice as typed in the settings (`None`: not edited, show the one in force).
    pub camera_text: Option<String>,
    /// The typed camera choice is not one packbench understands.
    pub camera_text_invalid: bool,
    /// Every device's state, for the status bar and the settings.
    pub lines: Vec<DeviceLine>,
    /// Frames per second the camera delivered recently.
    pub camera_fps: f64,
    fps_window: (Instant, u64),
    /// The calibration wizard, when open.
    pub wizard: Option<Wizard>,
    /// The test symbol's texture (made when the wizard opens).
    pub wizard_symbol: Option<egui::TextureHandle>,
    /// Serial ports the system lists (refreshed from the settings section).
    pub ports: Vec<String>,
    /// Image files being decoded.
    pub files_pending: usize,
    /// Webcams found by the last look-up.
    pub cameras: Vec<CameraDescriptor>,
    cameras_rx: Option<Receiver<Vec<CameraDescriptor>>>,
    /// Hands-free packing of steady camera layers (when the settings turn it on).
    pub auto_pack: AutoPack,
    /// Codes packed hands-free since the camera started.
    pub auto_packed: usize,
}

impl std::fmt::Debug for Devices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Devices")
            .field("settings", &self.settings)
            .field("camera", &self.camera.is_some())
            .field("serial", &self.serial.len())
            .finish_non_exhaustive()
    }
}

impl Default for Devices {
    fn default() -> Self {
        Self::new(DeviceSettings::default())
    }
}

impl Devices {
    /// Devices for `settings`; workers start on the next `logic` (which has the waker).
    pub fn new(settings: DeviceSettings) -> Self {
        let (sink, events) = EventSink::channel();
        let (files_tx, files_rx) = channel();
        let (no_dialog_tx, no_dialog_rx) = channel();
        Self {
            sink,
            events,
            camera: None,
            serial: Vec::new(),
            restart_due: true,
            layer: None,
            check: None,
            preview: None,
            preview_frame: None,
            frame_size: (0, 0),
            files_tx,
            files_rx,
            no_dialog_tx,
            no_dialog_rx,
            image_path: None,
            camera_text: None,
            camera_text_invalid: false,
            lines: Vec::new(),
            camera_fps: 0.0,
            fps_window: (Instant::now(), 0),
            wizard: None,
            wizard_symbol: None,
            ports: Vec::new(),
            files_pending: 0,
            cameras: Vec::new(),
            cameras_rx: None,
            auto_pack: AutoPack::new(settings.auto_pack_frames),
            auto_packed: 0,
            settings,
        }
    }

    /// Stops and restarts the workers with the current settings (on the next `logic`).
    pub fn restart(&mut self) {
        self.restart_due = true;
    }

    /// Whether a camera worker runs.
    pub fn camera_running(&self) -> bool {
        self.camera.is_some()
    }

    fn stop_workers(&mut self) {
        if let Some(camera) = self.camera.take() {
            camera.stop();
        }
        for worker in self.serial.drain(..) {
            worker.stop();
        }
        self.lines.clear();
        self.preview_frame = None;
    }

    fn start_workers(&mut self, ctx: &egui::Context) {
        self.stop_workers();
        self.auto_pack = AutoPack::new(self.settings.auto_pack_frames);
        self.auto_packed = 0;
        let waker_ctx = ctx.clone();
        let sink = self
            .sink
            .clone()
            .with_waker(Arc::new(move || waker_ctx.request_repaint()));
        if self.settings.serial_open {
            for config in &self.settings.serial {
                let source = ScanSource::Serial {
                    name: config.name.clone(),
                    port: config.serial.port.clone(),
                };
                self.lines.push(DeviceLine {
                    source,
                    status: None,
                    error: None,
                });
                if let Ok(worker) = SerialWorker::spawn(config.clone(), sink.clone()) {
                    self.serial.push(worker);
                }
            }
        }
        let choice = self.settings.camera.clone();
        let source = ScanSource::Camera {
            name: choice.name(),
        };
        match choice.source() {
            Ok(Some(frames)) => {
                let config = CameraConfig {
                    name: choice.name(),
                    reader: LayerReader::reading(
                        self.settings.camera_reads(),
                        self.settings.layer_packs,
                        Some(1000),
                    ),
                    roi: None,
                    decode_interval_ms: self.settings.decode_interval_ms,
                };
                self.lines.push(DeviceLine {
                    source,
                    status: None,
                    error: None,
                });
                self.camera = CameraWorker::spawn(frames, config, sink).ok();
            }
            Ok(None) => {}
            Err(error) => self.lines.push(DeviceLine {
                source,
                status: None,
                error: Some(error),
            }),
        }
    }

    fn line_mut(&mut self, source: &ScanSource) -> Option<&mut DeviceLine> {
        self.lines.iter_mut().find(|l| &l.source == source)
    }

    /// Decodes image files on a named thread; each result shows like a camera frame.
    pub fn decode_files(&mut self, paths: Vec<std::path::PathBuf>) {
        let tx = self.files_tx.clone();
        self.files_pending += paths.len();
        let _ = std::thread::Builder::new()
            .name("decode-files".to_owned())
            .spawn(move || decode_paths(paths, &tx));
    }

    /// Asks for image files with the system's open dialog (on a named thread) and decodes them;
    /// without a file-dialog service the camera screen shows its own path field instead.
    pub fn open_images_dialog(&mut self, ctx: &egui::Context) {
        let tx = self.files_tx.clone();
        let no_dialog = self.no_dialog_tx.clone();
        let ctx = ctx.clone();
        let _ = std::thread::Builder::new()
            .name("open-images".to_owned())
            .spawn(move || {
                match super::files::pick_files("PNG / JPEG", &["png", "jpg", "jpeg"]) {
                    super::files::PickOutcome::Chosen(paths) => decode_paths(paths, &tx),
                    super::files::PickOutcome::NoDialog => {
                        let _ = no_dialog.send(());
                    }
                    super::files::PickOutcome::Cancelled => {}
                }
                ctx.request_repaint();
            });
    }

    /// Draws `data` (raw element strings) as a layer of DataMatrix symbols, 5 per row, on a
    /// named thread and decodes the picture like an image file called `name` (kept in memory:
    /// nothing is left in the temporary folder).
    pub fn render_and_decode(&mut self, data: Vec<String>, name: &str) {
        let tx = self.files_tx.clone();
        let name = name.to_owned();
        let spawned = std::thread::Builder::new()
            .name("sample-picture".to_owned())
            .spawn(move || {
                let loaded =
                    crate::devices::render::layer(&data, 5, 4, 36).map_err(|e| e.to_string());
                let _ = tx.send(decode_loaded(name, loaded));
            });
        if spawned.is_ok() {
            self.files_pending += 1;
        }
    }

    /// Whether an open dialog came back unshown since the last call (no file-dialog service).
    pub(super) fn take_no_dialog(&mut self) -> bool {
        let mut any = false;
        while self.no_dialog_rx.try_recv().is_ok() {
            any = true;
        }
        any
    }

    /// Lists the webcams on a named thread (asking a camera for its resolutions opens it).
    pub fn look_for_cameras(&mut self, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("list-cameras".to_owned())
            .spawn(move || {
                let _ = tx.send(list_cameras().unwrap_or_default());
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.cameras_rx = Some(rx);
        }
    }

    /// Whether image files are still being decoded.
    pub fn is_busy(&self) -> bool {
        self.files_pending > 0
    }

    fn show_preview(&mut self, ctx: &egui::Context, image: &GrayImage) {
        self.frame_size = image.dimensions();
        let (w, h) = image.dimensions();
        let scale = f64::from(PREVIEW_MAX_SIDE) / f64::from(w.max(h).max(1));
        let small = if scale < 1.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small, positive
            let (sw, sh) = (
                (f64::from(w) * scale).round().max(1.0) as u32,
                (f64::from(h) * scale).round().max(1.0) as u32,
            );
            image::imageops::thumbnail(image, sw, sh)
        } else {
            image.clone()
        };
        let color = egui::ColorImage::from_gray(
            [small.width() as usize, small.height() as usize],
            small.as_raw(),
        );
        match &mut self.preview {
            Some(texture) => texture.set(color, egui::TextureOptions::LINEAR),
            None => {
                self.preview =
                    Some(ctx.load_texture("camera-preview", color, egui::TextureOptions::LINEAR));
            }
        }
    }

    fn count_frame(&mut self) {
        let (since, frames) = &mut self.fps_window;
        *frames += 1;
        let elapsed = since.elapsed().as_secs_f64();
        if elapsed >= 1.0 {
            self.camera_fps = *frames as f64 / elapsed;
            self.fps_window = (Instant::now(), 0);
        }
    }
}

/// Decodes each image (every symbology), sending one result per file (an unreadable file
/// gives an empty frame).
fn decode_paths(paths: Vec<std::path::PathBuf>, tx: &Sender<FileDecoded>) {
    for path in paths {
        let loaded = load_gray(&path).map_err(|e| e.to_string());
        if tx
            .send(decode_loaded(path.display().to_string(), loaded))
            .is_err()
        {
            return;
        }
    }
}

/// Decodes one picture (or says why it could not be loaded) like a camera frame.
fn decode_loaded(path: String, loaded: Result<GrayImage, String>) -> FileDecoded {
    let (image, error) = match loaded {
        Ok(image) => (image, None),
        Err(e) => (GrayImage::new(1, 1), Some(e)),
    };
    let started = Instant::now();
    let codes = decode_image(&image, &DecodeOptions::default());
    let read = LayerRead::new(&image, codes, started.elapsed().as_secs_f64() * 1000.0);
    FileDecoded {
        path,
        image,
        read,
        error,
    }
}

/// What the device stream brought for the app in one `logic`: scans to handle like any other,
/// and image files that could not be read (path, why).
#[derive(Debug, Default)]
pub struct DevicePoll {
    /// Scans from serial scanners, in order.
    pub scans: Vec<String>,
    /// Image files that could not be read.
    pub unreadable: Vec<(String, String)>,
}

impl Devices {
    /// The devices' part of `logic`: (re)start workers, drain the device stream, refresh the
    /// preview and the overlay marks (against the container being filled in `snapshot`).
    pub fn poll(&mut self, ctx: &egui::Context, snapshot: &Snapshot) -> DevicePoll {
        let mut poll = DevicePoll::default();
        if self.restart_due {
            self.restart_due = false;
            self.start_workers(ctx);
        }
        let budget = Instant::now() + std::time::Duration::from_millis(5);
        while Instant::now() < budget {
            let Ok(event) = self.events.try_recv() else {
                break;
            };
            if let Some(scan) = self.on_event(event, snapshot) {
                poll.scans.push(scan);
            }
        }
        if self.take_no_dialog() {
            self.image_path.get_or_insert_with(String::new);
        }
        if let Some(rx) = &self.cameras_rx
            && let Ok(cameras) = rx.try_recv()
        {
            self.cameras = cameras;
            self.cameras_rx = None;
        }
        while let Ok(file) = self.files_rx.try_recv() {
            self.files_pending = self.files_pending.saturating_sub(1);
            if let Some(error) = &file.error {
                poll.unreadable.push((file.path.clone(), error.clone()));
            }
            self.show_preview(ctx, &file.image);
            self.set_layer(file.path, file.read, false, snapshot);
        }
        let newest = self.camera.as_ref().and_then(CameraWorker::newest_frame);
        if let Some(frame) = newest
            && self.preview_frame != Some(frame.id)
        {
            self.preview_frame = Some(frame.id);
            self.count_frame();
            self.show_preview(ctx, &frame.image);
        }
        if self.wizard.is_some()
            && self.wizard_symbol.is_none()
            && let Ok(img) = crate::devices::render::datamatrix(CALIBRATION_SYMBOL, 8)
        {
            let color = egui::ColorImage::from_gray(
                [img.width() as usize, img.height() as usize],
                img.as_raw(),
            );
            self.wizard_symbol =
                Some(ctx.load_texture("calibration-symbol", color, egui::TextureOptions::NEAREST));
        }
        self.refresh_marks(snapshot);
        poll
    }

    /// One device event; a scan for the station comes back (a serial scan the calibration
    /// wizard listens for is taken by the wizard).
    fn on_event(&mut self, event: DeviceEvent, snapshot: &Snapshot) -> Option<String> {
        match event {
            DeviceEvent::Scan(scan) => {
                if let Some(wizard) = &mut self.wizard
                    && let (WizardTarget::Serial(n), ScanSource::Serial { name, .. }) =
                        (&wizard.target, &scan.source)
                    && self.settings.serial.get(*n).map(|c| &c.name) == Some(name)
                {
                    wizard.received = Some(scan.raw.clone());
                    wizard.outcome = Some(calibrate(&scan.raw));
                    return None;
                }
                return Some(scan.data);
            }
            DeviceEvent::Layer(layer) => {
                // A camera's frames all have the size of its newest one.
                if let Some(frame) = self.camera.as_ref().and_then(CameraWorker::newest_frame) {
                    self.frame_size = frame.image.dimensions();
                }
                self.set_layer(layer.camera, layer.read, true, snapshot);
                if self.settings.auto_pack
                    && let Some(layer) = &self.layer
                {
                    self.auto_pack.observe(&seen_codes(layer));
                }
            }
            DeviceEvent::Status { source, status } => {
                if let Some(line) = self.line_mut(&source) {
                    line.status = Some(status);
                    if status == DeviceStatus::Open {
                        line.error = None;
                    }
                }
            }
            DeviceEvent::Error { source, error } => {
                if let Some(line) = self.line_mut(&source) {
                    line.error = Some(error);
                }
            }
        }
        None
    }

    /// Opens the calibration wizard for a scanner.
    pub fn open_wizard(&mut self, target: WizardTarget) {
        self.wizard = Some(Wizard {
            target,
            received: None,
            outcome: None,
            saved: false,
        });
    }

    /// A keyboard-wedge scan while the wizard listens to the wedge: taken by the wizard
    /// (`true`).
    pub fn wizard_takes_wedge_scan(&mut self, data: &str) -> bool {
        let Some(wizard) = &mut self.wizard else {
            return false;
        };
        if wizard.target != WizardTarget::Wedge || wizard.saved {
            return false;
        }
        wizard.received = Some(data.to_owned());
        wizard.outcome = Some(calibrate(data));
        true
    }
}
