//! A frame source that survives unplugging: when the camera it opened stops delivering
//! ([`DeviceError::CameraUnplugged`]) it drops it and opens it again, waiting longer after each
//! failed attempt (backoff), until the camera is back. Frame ids run on across reopenings.

use std::time::Duration;

use super::{Frame, FrameSource};
use crate::devices::error::DeviceError;

/// Opens the underlying source (called again after every loss).
pub type Opener = Box<dyn FnMut() -> Result<Box<dyn FrameSource>, DeviceError> + Send>;

/// Waits between reopening attempts: `initial`, doubled after each failure up to `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait before the first attempt after a loss.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    /// 250 ms doubling up to 2 s: a replugged camera is back within two seconds, and a stopping
    /// worker never waits longer than that.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(2),
        }
    }
}

/// A [`FrameSource`] that reopens its camera after it was lost.
pub struct Reconnecting {
    name: String,
    open: Opener,
    source: Option<Box<dyn FrameSource>>,
    backoff: Backoff,
    /// The wait before the next attempt; `None` right after a successful frame.
    wait: Option<Duration>,
    next_id: u64,
    opened: u64,
}

impl std::fmt::Debug for Reconnecting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconnecting")
            .field("name", &self.name)
            .field("open", &self.source.is_some())
            .field("opened", &self.opened)
            .finish_non_exhaustive()
    }
}

impl Reconnecting {
    /// A source named `name` that opens the camera with `open` on the first frame asked for
    /// (so opening happens on the capture thread, never on the GUI's).
    pub fn new(name: impl Into<String>, open: Opener) -> Self {
        Self {
            name: name.into(),
            open,
            source: None,
            backoff: Backoff::default(),
            wait: None,
            next_id: 0,
            opened: 0,
        }
    }

    /// Uses `backoff` between attempts.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// How many times the camera was opened (1 = never lost).
    pub fn times_opened(&self) -> u64 {
        self.opened
    }

    fn failed(&mut self) {
        self.wait = Some(match self.wait {
            None => self.backoff.initial,
            Some(wait) => wait.saturating_mul(2).min(self.backoff.max),
        });
    }
}

impl FrameSource for Reconnecting {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
        if self.source.is_none() {
            if let Some(wait) = self.wait {
                std::thread::sleep(wait);
            }
            match (self.open)() {
                Ok(source) => {
                    self.source = Some(source);
                    self.opened += 1;
                }
                Err(err) => {
                    self.failed();
                    return Err(err);
                }
            }
        }
        let Some(source) = self.source.as_mut() else {
            return Ok(None);
        };
        match source.next_frame() {
            Ok(Some(mut frame)) => {
                self.wait = None;
                frame.id = self.next_id;
                self.next_id += 1;
                Ok(Some(frame))
            }
            Ok(None) => Ok(None),
            Err(err @ DeviceError::CameraUnplugged { .. }) => {
                self.source = None;
                self.failed();
                Err(err)
            }
            Err(err) => Err(err),
        }
    }
}
