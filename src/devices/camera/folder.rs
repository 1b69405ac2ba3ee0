//! A camera that plays a folder of image files at a given frame rate, so the whole camera path
//! (worker, frame dropping, layer read, batch into the station) runs without a webcam.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Frame, FrameSource};
use crate::devices::decode::load_gray;
use crate::devices::error::DeviceError;

/// Plays PNG/JPEG files of a folder in name order, paced at `fps`.
#[derive(Debug)]
pub struct FolderFrames {
    name: String,
    files: Vec<PathBuf>,
    period: Duration,
    looping: bool,
    next: usize,
    next_id: u64,
    started: Option<Instant>,
}

impl FolderFrames {
    /// The images in `dir` whose file name starts with `prefix` (`""` = all), played at `fps`
    /// frames per second (`0.0` = as fast as they load).
    pub fn open(dir: &Path, prefix: &str, fps: f64) -> Result<Self, DeviceError> {
        let name = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|err| DeviceError::CameraOpen {
            camera: name.clone(),
            reason: err.to_string(),
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let lower = file_name.to_ascii_lowercase();
                file_name.starts_with(prefix)
                    && (lower.ends_with(".png")
                        || lower.ends_with(".jpg")
                        || lower.ends_with(".jpeg"))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(DeviceError::CameraOpen {
                camera: name,
                reason: format!("no PNG or JPEG files starting with {prefix:?}"),
            });
        }
        let period = if fps > 0.0 {
            Duration::from_secs_f64(1.0 / fps)
        } else {
            Duration::ZERO
        };
        Ok(Self {
            name,
            files,
            period,
            looping: false,
            next: 0,
            next_id: 0,
            started: None,
        })
    }

    /// Plays the folder again and again instead of ending after the last file.
    pub fn looping(mut self, looping: bool) -> Self {
        self.looping = looping;
        self
    }

    /// The files played, in order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
}

impl FrameSource for FolderFrames {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
        if self.next >= self.files.len() {
            if !self.looping {
                return Ok(None);
            }
            self.next = 0;
        }
        let started = *self.started.get_or_insert_with(Instant::now);
        // Frame n is due at n periods after the first; a slow load does not shift the rest.
        let due = started
            + self
                .period
                .saturating_mul(u32::try_from(self.next_id).unwrap_or(u32::MAX));
        let wait = due.saturating_duration_since(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        let path = &self.files[self.next];
        self.next += 1;
        let id = self.next_id;
        self.next_id += 1;
        let image = load_gray(path).map_err(|err| DeviceError::FrameUnreadable {
            camera: self.name.clone(),
            frame: path.display().to_string(),
            reason: err.to_string(),
        })?;
        Ok(Some(Frame {
            id,
            image,
            captured: Instant::now(),
        }))
    }
}
