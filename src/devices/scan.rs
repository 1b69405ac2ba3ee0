//! The one stream of device messages: scans from every source, camera layer reads, status
//! changes and errors, each tagged with its source.
//!
//! Workers (one named thread per serial port, one capture and one decode thread per camera)
//! send [`DeviceEvent`]s through an [`EventSink`]; the GUI or a headless runner drains the
//! [`std::sync::mpsc::Receiver`] and turns scans into station commands with
//! [`DeviceEvent::station_request`].

use std::fmt;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::camera::LayerEvent;
use super::error::DeviceError;
use crate::station::Request;

/// Where a scan came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ScanSource {
    /// A serial / USB-CDC scanner, by its configured name and port.
    Serial {
        /// The scanner's configured name.
        name: String,
        /// The port, e.g. `/dev/ttyACM0` or `COM3`.
        port: String,
    },
    /// A keyboard-wedge scanner typing into the GUI.
    Keyboard,
    /// A camera (a layer read or a single code from a frame).
    Camera {
        /// The camera's configured name.
        name: String,
    },
    /// An image file decoded on request.
    File {
        /// The file's path as given.
        path: String,
    },
}

impl fmt::Display for ScanSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Serial { name, port } => write!(f, "serial scanner {name} ({port})"),
            Self::Keyboard => f.write_str("keyboard"),
            Self::Camera { name } => write!(f, "camera {name}"),
            Self::File { path } => write!(f, "file {path}"),
        }
    }
}

/// One scan, normalised by the source's scanner profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// Where it came from.
    pub source: ScanSource,
    /// What the symbol holds (profile applied), ready for the station.
    pub data: String,
    /// What arrived, before the profile (for the calibration wizard and diagnostics).
    pub raw: String,
    /// When it arrived (monotonic, for latency measurements).
    pub received: Instant,
    /// When it arrived, Unix milliseconds (for logs and display).
    pub received_ms: i64,
}

/// The state of a device, reported when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    /// The device is open and delivering.
    Open,
    /// The device vanished (cable pulled); the worker retries with backoff.
    Lost,
    /// The worker stopped (asked to, or the source ended).
    Stopped,
}

/// One message of the device stream.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceEvent {
    /// A scan.
    Scan(Scan),
    /// A camera layer read: every code of one frame.
    Layer(LayerEvent),
    /// A device changed state.
    Status {
        /// The device.
        source: ScanSource,
        /// Its new state.
        status: DeviceStatus,
    },
    /// Something went wrong; the stream goes on.
    Error {
        /// The device.
        source: ScanSource,
        /// What happened.
        error: DeviceError,
    },
}

impl DeviceEvent {
    /// The station command this message asks for: a scan → `Scan`, a layer read with codes →
    /// `ScanBatch` (pack all); status and errors → none.
    pub fn station_request(&self) -> Option<Request> {
        match self {
            Self::Scan(scan) => Some(Request::Scan {
                data: scan.data.clone(),
            }),
            Self::Layer(layer) if !layer.read.codes.is_empty() => Some(layer.batch_request()),
            _ => None,
        }
    }
}

/// The sending end of the device stream, shared by all workers. Wakes the GUI after each
/// message when given a waker (`ctx.request_repaint()`).
#[derive(Clone)]
pub struct EventSink {
    sender: Sender<DeviceEvent>,
    wake: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl fmt::Debug for EventSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSink")
            .field("wake", &self.wake.is_some())
            .finish_non_exhaustive()
    }
}

impl EventSink {
    /// A new stream: the sink for the workers and the receiver for the consumer.
    pub fn channel() -> (Self, Receiver<DeviceEvent>) {
        let (sender, receiver) = channel();
        (Self { sender, wake: None }, receiver)
    }

    /// The same sink, calling `wake` after every message (e.g. egui's `request_repaint`).
    pub fn with_waker(mut self, wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        self.wake = Some(wake);
        self
    }

    /// Sends one message; returns false once the receiver is gone (workers then stop).
    pub fn send(&self, event: DeviceEvent) -> bool {
        let delivered = self.sender.send(event).is_ok();
        if let Some(wake) = &self.wake {
            wake();
        }
        delivered
    }

    /// Sends an error of `source`.
    pub fn error(&self, source: &ScanSource, error: DeviceError) -> bool {
        self.send(DeviceEvent::Error {
            source: source.clone(),
            error,
        })
    }

    /// Sends a status change of `source`.
    pub fn status(&self, source: &ScanSource, status: DeviceStatus) -> bool {
        self.send(DeviceEvent::Status {
            source: source.clone(),
            status,
        })
    }
}

/// Now as Unix milliseconds (0 if the clock is before 1970).
pub(crate) fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
