//! Which camera the station uses, as kept in the settings: none, a webcam by index and
//! resolution, or a folder of images played as frames (tests, demos, a camera that drops
//! pictures into a folder).
//!
//! ```
//! use packbench::devices::camera::CameraChoice;
//! let choice: CameraChoice = "folder /tmp/frames".parse().unwrap();
//! assert_eq!(choice.to_string(), "folder /tmp/frames");
//! let choice: CameraChoice = "webcam 0 1280x720".parse().unwrap();
//! assert_eq!(choice.to_string(), "webcam 0 1280x720");
//! ```

use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::webcam::webcam_source;
use super::{FolderFrames, FrameSource, Resolution};
use crate::devices::error::DeviceError;

/// The camera in use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CameraChoice {
    /// No camera.
    #[default]
    None,
    /// A webcam.
    Webcam {
        /// Its index (see `list_cameras`).
        index: u32,
        /// The resolution asked for (`None` = the camera's choice).
        resolution: Option<Resolution>,
    },
    /// A folder of PNG/JPEG files played in name order, looping.
    Folder {
        /// The folder.
        path: PathBuf,
        /// Frames per second (0 = as fast as they load).
        fps: f64,
    },
}

/// A camera choice that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("camera choice {0:?} is not `none`, `webcam INDEX [WIDTHxHEIGHT]` or `folder PATH`")]
pub struct CameraChoiceError(pub String);

impl FromStr for CameraChoice {
    type Err = CameraChoiceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let bad = || CameraChoiceError(s.to_owned());
        if text.is_empty() || text == "none" {
            return Ok(Self::None);
        }
        if let Some(path) = text.strip_prefix("folder ") {
            let path = path.trim();
            if path.is_empty() {
                return Err(bad());
            }
            return Ok(Self::Folder {
                path: PathBuf::from(path),
                fps: 2.0,
            });
        }
        let rest = text.strip_prefix("webcam").ok_or_else(bad)?;
        let mut parts = rest.split_whitespace();
        let index = match parts.next() {
            None => 0,
            Some(index) => index.parse().map_err(|_| bad())?,
        };
        let resolution = match parts.next() {
            None => None,
            Some(size) => {
                let (w, h) = size.split_once(['x', '×']).ok_or_else(bad)?;
                Some(Resolution {
                    width: w.parse().map_err(|_| bad())?,
                    height: h.parse().map_err(|_| bad())?,
                })
            }
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Self::Webcam { index, resolution })
    }
}

impl std::fmt::Display for CameraChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("none"),
            Self::Webcam {
                index,
                resolution: None,
            } => write!(f, "webcam {index}"),
            Self::Webcam {
                index,
                resolution: Some(r),
            } => write!(f, "webcam {index} {}x{}", r.width, r.height),
            Self::Folder { path, .. } => write!(f, "folder {}", path.display()),
        }
    }
}

impl CameraChoice {
    /// The frame source for this choice (`Ok(None)` for no camera). A webcam opens lazily on
    /// its capture thread and reconnects after an unplug; a folder must exist now.
    pub fn source(&self) -> Result<Option<Box<dyn FrameSource>>, DeviceError> {
        Ok(match self {
            Self::None => None,
            Self::Webcam { index, resolution } => {
                Some(Box::new(webcam_source(*index, *resolution)))
            }
            Self::Folder { path, fps } => {
                Some(Box::new(FolderFrames::open(path, "", *fps)?.looping(true)))
            }
        })
    }

    /// The camera's name in scan sources and messages.
    pub fn name(&self) -> String {
        match self {
            Self::None => String::new(),
            Self::Webcam { index, .. } => super::webcam_name(*index),
            Self::Folder { path, .. } => path.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for text in ["none", "webcam 2", "webcam 0 1920x1080", "folder /a b/c"] {
            let choice: CameraChoice = text.parse().expect(text);
            assert_eq!(choice.to_string(), text);
        }
        assert_eq!(
            "webcam".parse::<CameraChoice>(),
            Ok(CameraChoice::Webcam {
                index: 0,
                resolution: None
            })
        );
        for bad in [
            "webcam x",
            "webcam 0 1280",
            "folder ",
            "camera 1",
            "webcam 0 1x1 z",
        ] {
            assert_eq!(
                bad.parse::<CameraChoice>(),
                Err(CameraChoiceError(bad.to_owned()))
            );
        }
    }

    #[test]
    fn serde_round_trip() {
        let choice = CameraChoice::Webcam {
            index: 1,
            resolution: Some(Resolution {
                width: 1280,
                height: 720,
            }),
        };
        let json = serde_json::to_string(&choice).expect("json");
        assert_eq!(
            json,
            r#"{"kind":"webcam","index":1,"resolution":{"width":1280,"height":720}}"#
        );
        assert_eq!(
            serde_json::from_str::<CameraChoice>(&json).expect("back"),
            choice
        );
    }

    #[test]
    fn a_missing_folder_is_an_open_error() {
        let choice: CameraChoice = "folder /nonexistent/packbench-frames"
            .parse()
            .expect("parse");
        let err = choice.source().err().expect("error");
        assert_eq!(err.code(), "CAMERA_OPEN");
        assert!(CameraChoice::None.source().expect("none").is_none());
    }
}
