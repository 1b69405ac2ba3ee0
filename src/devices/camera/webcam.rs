//! Webcams through nokhwa (V4L2 on Linux, Media Foundation on Windows), with the `webcam`
//! feature. Without it, listing finds no camera and opening one says the build lacks support.
//!
//! [`list_cameras`] enumerates (index, name, resolutions); [`WebcamFrames::open`] opens one at a
//! chosen resolution; [`webcam_source`] wraps it in [`Reconnecting`] so that an unplugged
//! camera is reopened when it comes back. Errors name what happened: no camera at that index,
//! camera busy (open elsewhere), camera unplugged.

use serde::{Deserialize, Serialize};

use super::reconnect::Reconnecting;
use super::{FrameSource, Resolution};

/// A camera the system lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraDescriptor {
    /// Its index (on Linux the `N` of `/dev/videoN`).
    pub index: u32,
    /// Its name, e.g. `HD Pro Webcam C920`.
    pub name: String,
    /// The resolutions it offers, largest first (empty when it could not be asked, e.g. busy).
    pub resolutions: Vec<Resolution>,
}

/// The name of webcam `index` in messages and scan sources.
pub fn webcam_name(index: u32) -> String {
    format!("webcam {index}")
}

/// A webcam that reopens itself after being unplugged. Opening happens on the first frame
/// asked for (on the capture thread); errors arrive through the device stream.
pub fn webcam_source(index: u32, resolution: Option<Resolution>) -> Reconnecting {
    Reconnecting::new(
        webcam_name(index),
        Box::new(move || {
            WebcamFrames::open(index, resolution).map(|w| Box::new(w) as Box<dyn FrameSource>)
        }),
    )
}

#[cfg(feature = "webcam")]
pub use imp::{WebcamFrames, list_cameras};

#[cfg(not(feature = "webcam"))]
pub use none::{WebcamFrames, list_cameras};

#[cfg(feature = "webcam")]
mod imp {
    use std::time::Instant;

    use nokhwa::Camera;
    use nokhwa::utils::{
        ApiBackend, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
        Resolution as NokhwaResolution,
    };

    use super::super::pixels::{PixelFormat, to_gray};
    use super::super::{Frame, FrameSource, Resolution};
    use super::{CameraDescriptor, webcam_name};
    use crate::devices::error::DeviceError;

    /// The formats packbench turns grey itself (no decoding inside nokhwa).
    const FORMATS: [FrameFormat; 6] = [
        FrameFormat::MJPEG,
        FrameFormat::YUYV,
        FrameFormat::NV12,
        FrameFormat::GRAY,
        FrameFormat::RAWRGB,
        FrameFormat::RAWBGR,
    ];

    fn pixel_format(format: FrameFormat) -> PixelFormat {
        match format {
            FrameFormat::MJPEG => PixelFormat::Mjpeg,
            FrameFormat::YUYV => PixelFormat::Yuyv,
            FrameFormat::NV12 => PixelFormat::Nv12,
            FrameFormat::GRAY => PixelFormat::Gray,
            FrameFormat::RAWRGB => PixelFormat::Rgb,
            FrameFormat::RAWBGR => PixelFormat::Bgr,
        }
    }

    /// Lists the cameras the system offers (an empty list when there are none). Asking a
    /// camera for its resolutions opens it briefly: call this off the GUI thread.
    pub fn list_cameras() -> Result<Vec<CameraDescriptor>, DeviceError> {
        let infos = nokhwa::query(ApiBackend::Auto).map_err(|err| DeviceError::CameraOpen {
            camera: "camera list".to_owned(),
            reason: err.to_string(),
        })?;
        let mut cameras = Vec::new();
        for info in infos {
            let CameraIndex::Index(index) = info.index().clone() else {
                continue;
            };
            let resolutions = resolutions_of(index).unwrap_or_default();
            cameras.push(CameraDescriptor {
                index,
                name: info.human_name(),
                resolutions,
            });
        }
        cameras.sort_by_key(|c| c.index);
        Ok(cameras)
    }

    fn resolutions_of(index: u32) -> Option<Vec<Resolution>> {
        let request = RequestedFormat::with_formats(RequestedFormatType::None, &FORMATS);
        let mut camera = Camera::new(CameraIndex::Index(index), request).ok()?;
        let mut resolutions: Vec<Resolution> = camera
            .compatible_camera_formats()
            .ok()?
            .into_iter()
            .map(|f| Resolution {
                width: f.width(),
                height: f.height(),
            })
            .collect();
        resolutions.sort_by_key(|r| std::cmp::Reverse((r.width * r.height, r.width)));
        resolutions.dedup();
        Some(resolutions)
    }

    /// Maps an opening failure: "busy" when the system says so, else a plain open error.
    fn open_error(camera: &str, reason: String) -> DeviceError {
        let lower = reason.to_ascii_lowercase();
        if lower.contains("busy") || lower.contains("in use") || lower.contains("0xc00d3704") {
            DeviceError::CameraBusy {
                camera: camera.to_owned(),
                reason,
            }
        } else {
            DeviceError::CameraOpen {
                camera: camera.to_owned(),
                reason,
            }
        }
    }

    /// One open webcam, streaming.
    pub struct WebcamFrames {
        name: String,
        camera: Camera,
        next_id: u64,
    }

    impl std::fmt::Debug for WebcamFrames {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("WebcamFrames")
                .field("name", &self.name)
                .finish_non_exhaustive()
        }
    }

    impl WebcamFrames {
        /// Opens webcam `index` at `resolution` (the camera's own choice when `None` or not
        /// offered) and starts streaming.
        pub fn open(index: u32, resolution: Option<Resolution>) -> Result<Self, DeviceError> {
            let name = webcam_name(index);
            let infos = nokhwa::query(ApiBackend::Auto).map_err(|err| DeviceError::CameraOpen {
                camera: name.clone(),
                reason: err.to_string(),
            })?;
            let listed = infos
                .iter()
                .any(|info| info.index() == &CameraIndex::Index(index));
            if !listed {
                return Err(DeviceError::NoCamera {
                    index,
                    available: infos.len(),
                });
            }
            let kind = match resolution {
                Some(r) => {
                    RequestedFormatType::HighestResolution(NokhwaResolution::new(r.width, r.height))
                }
                None => RequestedFormatType::AbsoluteHighestFrameRate,
            };
            let request = RequestedFormat::with_formats(kind, &FORMATS);
            let camera = match Camera::new(CameraIndex::Index(index), request) {
                Ok(camera) => camera,
                // The resolution is not offered: take the camera's own choice.
                Err(_) if resolution.is_some() => Camera::new(
                    CameraIndex::Index(index),
                    RequestedFormat::with_formats(RequestedFormatType::None, &FORMATS),
                )
                .map_err(|err| open_error(&name, err.to_string()))?,
                Err(err) => return Err(open_error(&name, err.to_string())),
            };
            let mut frames = Self {
                name,
                camera,
                next_id: 0,
            };
            frames
                .camera
                .open_stream()
                .map_err(|err| open_error(&frames.name, err.to_string()))?;
            Ok(frames)
        }

        /// The resolution and frame rate the camera delivers.
        pub fn format(&self) -> (Resolution, u32) {
            let format = self.camera.camera_format();
            (
                Resolution {
                    width: format.width(),
                    height: format.height(),
                },
                format.frame_rate(),
            )
        }
    }

    impl FrameSource for WebcamFrames {
        fn name(&self) -> String {
            self.name.clone()
        }

        fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
            let buffer = self
                .camera
                .frame()
                .map_err(|err| DeviceError::CameraUnplugged {
                    camera: self.name.clone(),
                    reason: err.to_string(),
                })?;
            let captured = Instant::now();
            let id = self.next_id;
            self.next_id += 1;
            let resolution = buffer.resolution();
            let image = to_gray(
                pixel_format(buffer.source_frame_format()),
                resolution.width(),
                resolution.height(),
                buffer.buffer(),
            )
            .map_err(|err| DeviceError::FrameUnreadable {
                camera: self.name.clone(),
                frame: id.to_string(),
                reason: err.to_string(),
            })?;
            Ok(Some(Frame {
                id,
                image,
                captured,
            }))
        }
    }

    impl Drop for WebcamFrames {
        fn drop(&mut self) {
            // Release the device for other programs; a vanished device cannot be stopped.
            let _ = self.camera.stop_stream();
        }
    }
}

#[cfg(not(feature = "webcam"))]
mod none {
    use super::super::{Frame, FrameSource, Resolution};
    use super::{CameraDescriptor, webcam_name};
    use crate::devices::error::DeviceError;

    /// Without the `webcam` feature there are no cameras to list.
    pub fn list_cameras() -> Result<Vec<CameraDescriptor>, DeviceError> {
        Ok(Vec::new())
    }

    /// Without the `webcam` feature no webcam opens.
    #[derive(Debug)]
    pub struct WebcamFrames {
        name: String,
    }

    impl WebcamFrames {
        /// Always fails: this build has no webcam support.
        pub fn open(index: u32, _resolution: Option<Resolution>) -> Result<Self, DeviceError> {
            Err(DeviceError::WebcamNotBuilt {
                camera: webcam_name(index),
            })
        }
    }

    impl FrameSource for WebcamFrames {
        fn name(&self) -> String {
            self.name.clone()
        }

        fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
            Ok(None)
        }
    }
}

/// Whether this build can open webcams.
pub const WEBCAM_BUILT: bool = cfg!(feature = "webcam");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::error::DeviceError;

    #[test]
    fn listing_without_cameras_is_not_an_error() {
        // This machine (and CI) has no webcam: the list is empty, not an error.
        let cameras = list_cameras().expect("list");
        for camera in &cameras {
            assert!(!camera.name.is_empty());
        }
    }

    #[test]
    fn a_missing_index_says_no_camera() {
        let available = list_cameras().expect("list").len();
        let err = WebcamFrames::open(97, None).expect_err("no camera 97");
        if WEBCAM_BUILT {
            assert_eq!(
                err,
                DeviceError::NoCamera {
                    index: 97,
                    available
                }
            );
            assert_eq!(
                err.to_string(),
                format!("no camera at index 97 ({available} found)")
            );
        } else {
            assert_eq!(err.code(), "WEBCAM_NOT_BUILT");
        }
    }

    #[test]
    fn a_webcam_source_reports_and_retries() {
        let mut source = webcam_source(98, None).with_backoff(super::super::Backoff {
            initial: std::time::Duration::from_millis(1),
            max: std::time::Duration::from_millis(2),
        });
        assert_eq!(source.name(), "webcam 98");
        for _ in 0..3 {
            let err = source.next_frame().expect_err("no camera 98");
            assert!(matches!(
                err,
                DeviceError::NoCamera { index: 98, .. } | DeviceError::WebcamNotBuilt { .. }
            ));
        }
        assert_eq!(source.times_opened(), 0);
    }
}
