//! What can go wrong at a scan source. Every error is a message in the device stream; the
//! worker that reports it goes on.

use crate::gs1::scanner::ProfileError;

/// A device error, naming what arrived or what failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// The port could not be opened (absent, busy, no permission). Retried with backoff.
    #[error("cannot open {port}: {reason}")]
    PortOpen {
        /// The port.
        port: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The port vanished while open (cable pulled). Reopened when it comes back.
    #[error("{port} was lost: {reason}")]
    PortLost {
        /// The port.
        port: String,
        /// The operating system's reason.
        reason: String,
    },
    /// A line grew past the limit without a terminator; it is discarded up to the next one.
    #[error("line longer than {limit} bytes (starts {head:?}): discarded")]
    LineTooLong {
        /// The configured limit.
        limit: usize,
        /// The line's first bytes, lossily decoded.
        head: String,
    },
    /// A line is not valid UTF-8.
    #[error("line is not valid UTF-8 (bytes {hex}): discarded")]
    InvalidUtf8 {
        /// The line's bytes in hex.
        hex: String,
    },
    /// A line holds control characters no barcode sends (line noise, wrong baud rate).
    #[error("line {line:?} holds control characters (wrong baud rate or line noise?): discarded")]
    Garbage {
        /// The line, with control characters escaped.
        line: String,
    },
    /// Data arrived but no terminator followed within the idle time.
    #[error(
        "{partial:?} arrived without a line terminator within {idle_ms} ms: discarded (configure the scanner's suffix/terminator)"
    )]
    NoTerminator {
        /// What arrived.
        partial: String,
        /// The idle time waited.
        idle_ms: u64,
    },
    /// A line does not fit the scanner's profile (prefix/suffix missing, empty).
    #[error("{0}")]
    Profile(ProfileError),
    /// A camera or frame folder could not be opened.
    #[error("cannot open camera {camera}: {reason}")]
    CameraOpen {
        /// The camera (device name or folder).
        camera: String,
        /// Why.
        reason: String,
    },
    /// No camera at the chosen index (none plugged in, or fewer than the index).
    #[error("no camera at index {index} ({available} found)")]
    NoCamera {
        /// The index asked for.
        index: u32,
        /// How many cameras the system lists.
        available: usize,
    },
    /// The camera is open in another program (or another window of this one).
    #[error("camera {camera} is busy (open in another program?): {reason}")]
    CameraBusy {
        /// The camera.
        camera: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The camera stopped delivering (cable pulled). Reopened with backoff when it comes back.
    #[error("camera {camera} was unplugged or stopped: {reason}")]
    CameraUnplugged {
        /// The camera.
        camera: String,
        /// The operating system's reason.
        reason: String,
    },
    /// This build has no webcam support (built without the `webcam` feature).
    #[error("webcam {camera}: this build has no webcam support (feature `webcam`)")]
    WebcamNotBuilt {
        /// The camera asked for.
        camera: String,
    },
    /// One frame could not be read or decoded as an image; the next one is tried.
    #[error("frame {frame} of {camera} is unreadable: {reason}")]
    FrameUnreadable {
        /// The camera.
        camera: String,
        /// The frame (file name or sequence number).
        frame: String,
        /// Why.
        reason: String,
    },
}

impl DeviceError {
    /// Stable identifier (the GUI maps it to a translated message).
    pub fn code(&self) -> &'static str {
        match self {
            Self::PortOpen { .. } => "PORT_OPEN",
            Self::PortLost { .. } => "PORT_LOST",
            Self::LineTooLong { .. } => "LINE_TOO_LONG",
            Self::InvalidUtf8 { .. } => "INVALID_UTF8",
            Self::Garbage { .. } => "GARBAGE",
            Self::NoTerminator { .. } => "NO_TERMINATOR",
            Self::Profile(_) => "PROFILE_MISMATCH",
            Self::CameraOpen { .. } => "CAMERA_OPEN",
            Self::FrameUnreadable { .. } => "FRAME_UNREADABLE",
            Self::NoCamera { .. } => "NO_CAMERA",
            Self::CameraBusy { .. } => "CAMERA_BUSY",
            Self::CameraUnplugged { .. } => "CAMERA_UNPLUGGED",
            Self::WebcamNotBuilt { .. } => "WEBCAM_NOT_BUILT",
        }
    }
}
