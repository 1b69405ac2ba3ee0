//! Cameras: frame sources and the worker that turns frames into layer reads.
//!
//! A [`FrameSource`] delivers frames (a webcam through nokhwa with the `webcam` feature,
//! [`webcam_source`], reopened after an unplug by [`Reconnecting`]; or [`FolderFrames`] playing
//! image files; [`CameraChoice`] picks one from the settings). [`CameraWorker`] runs two named threads: capture
//! keeps only the **newest** frame in a one-slot mailbox (a frame not yet decoded when the next
//! arrives is dropped and counted, so results never lag behind reality), and decode runs a
//! [`LayerReader`] on whatever is newest and sends a [`LayerEvent`] into the device stream.
//! The app turns a layer into a `ScanBatch` (pack all, [`LayerEvent::batch_request`]) or a
//! completeness check against the container's recorded contents ([`completeness`]).

mod choice;
mod folder;
mod layer_check;
mod pixels;
mod reconnect;
mod webcam;

pub use choice::CameraChoice;
pub use folder::FolderFrames;
pub use layer_check::{StableLayer, completeness, unit_key};
pub use pixels::{PixelError, PixelFormat, to_gray};
pub use reconnect::{Backoff, Opener, Reconnecting};
pub use webcam::{
    CameraDescriptor, WEBCAM_BUILT, WebcamFrames, list_cameras, webcam_name, webcam_source,
};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use image::GrayImage;

use super::error::DeviceError;
use super::layer::{LayerRead, LayerReader};
use super::scan::{DeviceEvent, DeviceStatus, EventSink, ScanSource};
use crate::station::Request;

/// One camera frame, grey.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Sequence number from the source, starting at 0.
    pub id: u64,
    /// The pixels.
    pub image: GrayImage,
    /// When it was captured.
    pub captured: Instant,
}

/// Something that delivers frames: a webcam, a folder of images.
pub trait FrameSource: Send {
    /// The camera's name (device or folder), for messages.
    fn name(&self) -> String;
    /// Blocks until the next frame; `Ok(None)` when the source has ended. An error is
    /// reported and the worker asks again.
    fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError>;
}

/// A frame size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Resolution {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}×{}", self.width, self.height)
    }
}

/// A region of interest in frame pixels: only this part of the frame is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Roi {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// How a camera worker reads frames.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraConfig {
    /// The camera's name in scan sources.
    pub name: String,
    /// The decoder for each frame (expected pack count, time budget).
    pub reader: LayerReader,
    /// Only decode this part of the frame.
    pub roi: Option<Roi>,
    /// At most one decode per this many milliseconds (0 = as fast as frames decode): frames
    /// arriving in between only replace the pending one, so the rate never adds lag.
    pub decode_interval_ms: u64,
}

/// Every code of one frame, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerEvent {
    /// The camera's name.
    pub camera: String,
    /// The frame's sequence number.
    pub frame_id: u64,
    /// The codes and decode time (corner points are in full-frame pixels, ROI included).
    pub read: LayerRead,
    /// Frames dropped so far because a newer one arrived before they were decoded.
    pub dropped_frames: u64,
    /// From capture to the end of decoding, in milliseconds.
    pub latency_ms: f64,
}

impl LayerEvent {
    /// The station command packing every code of the frame (scanner text with AIM
    /// identifiers, so the station knows the symbology).
    pub fn batch_request(&self) -> Request {
        Request::ScanBatch {
            data: self.read.codes.iter().map(|c| c.scanner_text()).collect(),
        }
    }
}

/// Counters of a camera worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CameraStats {
    /// Frames delivered by the source.
    pub captured: u64,
    /// Frames decoded.
    pub decoded: u64,
    /// Frames dropped because a newer one arrived first.
    pub dropped: u64,
}

#[derive(Default)]
struct Slot {
    pending: Option<Arc<Frame>>,
    newest: Option<Arc<Frame>>,
    ended: bool,
    stats: CameraStats,
}

struct Shared {
    slot: Mutex<Slot>,
    wake: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        // A poisoned lock means a worker panicked mid-update of plain counters: still usable.
        self.slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running camera: a capture thread and a decode thread.
pub struct CameraWorker {
    shared: Arc<Shared>,
    capture: JoinHandle<()>,
    decode: JoinHandle<()>,
}

impl std::fmt::Debug for CameraWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraWorker")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl CameraWorker {
    /// Starts `camera:<name>:capture` and `camera:<name>:decode` for `source`.
    pub fn spawn(
        source: Box<dyn FrameSource>,
        config: CameraConfig,
        sink: EventSink,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            slot: Mutex::new(Slot::default()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let source_tag = ScanSource::Camera {
            name: config.name.clone(),
        };
        let capture = {
            let shared = Arc::clone(&shared);
            let sink = sink.clone();
            let tag = source_tag.clone();
            std::thread::Builder::new()
                .name(format!("camera:{}:capture", config.name))
                .spawn(move || capture_loop(source, &shared, &sink, &tag))?
        };
        let decode = {
            let worker_shared = Arc::clone(&shared);
            let name = config.name.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("camera:{name}:decode"))
                .spawn(move || decode_loop(&config, &worker_shared, &sink, &source_tag));
            match spawned {
                Ok(handle) => handle,
                Err(err) => {
                    stop_shared(&shared);
                    let _ = capture.join();
                    return Err(err);
                }
            }
        };
        Ok(Self {
            shared,
            capture,
            decode,
        })
    }

    /// The newest frame captured (for the GUI's preview; never older than what was decoded).
    pub fn newest_frame(&self) -> Option<Arc<Frame>> {
        self.shared.lock().newest.clone()
    }

    /// Counters so far.
    pub fn stats(&self) -> CameraStats {
        self.shared.lock().stats
    }

    /// Whether both threads have ended (the source ended and the last frame was decoded).
    pub fn is_finished(&self) -> bool {
        self.capture.is_finished() && self.decode.is_finished()
    }

    /// Stops both threads and waits for them; returns the final counters. A capture blocked
    /// in the source returns after its current frame.
    pub fn stop(self) -> CameraStats {
        stop_shared(&self.shared);
        let _ = self.capture.join();
        let _ = self.decode.join();
        self.shared.lock().stats
    }
}

fn stop_shared(shared: &Shared) {
    shared.stop.store(true, Ordering::Relaxed);
    shared.wake.notify_all();
}

fn capture_loop(
    mut source: Box<dyn FrameSource>,
    shared: &Shared,
    sink: &EventSink,
    tag: &ScanSource,
) {
    let mut open = false;
    while !shared.stop.load(Ordering::Relaxed) {
        match source.next_frame() {
            Ok(Some(frame)) => {
                if !open {
                    // Open once frames flow: a webcam opens lazily, and again after a loss.
                    open = true;
                    sink.status(tag, DeviceStatus::Open);
                }
                let frame = Arc::new(frame);
                let mut slot = shared.lock();
                slot.stats.captured += 1;
                if slot.pending.replace(Arc::clone(&frame)).is_some() {
                    slot.stats.dropped += 1;
                }
                slot.newest = Some(frame);
                drop(slot);
                shared.wake.notify_all();
            }
            Ok(None) => break,
            Err(err) => {
                let lost = matches!(err, DeviceError::CameraUnplugged { .. });
                if !sink.error(tag, err) {
                    break;
                }
                if lost {
                    open = false;
                    sink.status(tag, DeviceStatus::Lost);
                }
            }
        }
    }
    shared.lock().ended = true;
    shared.wake.notify_all();
}

fn decode_loop(config: &CameraConfig, shared: &Shared, sink: &EventSink, tag: &ScanSource) {
    loop {
        let (frame, dropped) = {
            let mut slot = shared.lock();
            loop {
                if shared.stop.load(Ordering::Relaxed) {
                    break (None, 0);
                }
                if let Some(frame) = slot.pending.take() {
                    break (Some(frame), slot.stats.dropped);
                }
                if slot.ended {
                    break (None, 0);
                }
                slot = shared
                    .wake
                    .wait(slot)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        };
        let Some(frame) = frame else { break };
        let started = Instant::now();
        let read = read_frame(&config.reader, &frame.image, config.roi);
        shared.lock().stats.decoded += 1;
        let event = LayerEvent {
            camera: config.name.clone(),
            frame_id: frame.id,
            read,
            dropped_frames: dropped,
            latency_ms: frame.captured.elapsed().as_secs_f64() * 1000.0,
        };
        if !sink.send(DeviceEvent::Layer(event)) {
            break;
        }
        pause_until(
            shared,
            started + std::time::Duration::from_millis(config.decode_interval_ms),
        );
    }
    sink.status(tag, DeviceStatus::Stopped);
}

/// Waits until `until` unless the worker is stopped meanwhile.
fn pause_until(shared: &Shared, until: Instant) {
    let mut slot = shared.lock();
    while !shared.stop.load(Ordering::Relaxed) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        slot = shared
            .wake
            .wait_timeout(slot, left)
            .map(|(slot, _)| slot)
            .unwrap_or_else(|poisoned| poisoned.into_inner().0);
    }
}

/// Decodes a frame, or only its region of interest (corners moved back to frame pixels).
fn read_frame(reader: &LayerReader, image: &GrayImage, roi: Option<Roi>) -> LayerRead {
    let Some(roi) = roi else {
        return reader.read(image);
    };
    let x = roi.x.min(image.width());
    let y = roi.y.min(image.height());
    let width = roi.width.min(image.width() - x);
    let height = roi.height.min(image.height() - y);
    let crop = image::imageops::crop_imm(image, x, y, width, height).to_image();
    let mut read = reader.read(&crop);
    for code in &mut read.codes {
        for corner in &mut code.corners {
            corner.0 += x as f32;
            corner.1 += y as f32;
        }
    }
    read
}
