//! The "Scanners & camera" settings: the keyboard-wedge profile, the serial scanners, the
//! camera and how often it decodes. One struct the settings file embeds as it is.
//!
//! ```
//! use packbench::ui::devices_settings::DeviceSettings;
//! let settings: DeviceSettings = serde_json::from_str(r#"{"camera":{"kind":"none"}}"#).unwrap();
//! assert_eq!(settings, DeviceSettings::default());
//! ```

use serde::{Deserialize, Serialize};

use crate::devices::camera::CameraChoice;
use crate::devices::decode::Symbology;
use crate::devices::serial::ScannerConfig;
use crate::gs1::scanner::ScannerProfile;

/// Baud rates offered in the settings (USB-CDC scanners ignore the rate).
pub const BAUD_RATES: [u32; 6] = [9600, 19200, 38400, 57600, 115_200, 4800];

/// Everything about scanners and the camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceSettings {
    /// The keyboard-wedge scanner's profile (from the calibration wizard).
    pub wedge: ScannerProfile,
    /// Serial / USB-CDC scanners (one worker each while `serial_open`).
    pub serial: Vec<ScannerConfig>,
    /// Whether the serial scanners are open.
    pub serial_open: bool,
    /// The camera.
    pub camera: CameraChoice,
    /// Decode at most one camera frame per this many milliseconds.
    pub decode_interval_ms: u64,
    /// Packs in one layer (the decoder stops when it has found them all); `None` = unknown.
    pub layer_packs: Option<usize>,
    /// What the camera reads on a layer of packs (default: Data Matrix, the pack code; fewer
    /// is faster). Packs marked with a GS1 QR or a Digital Link need QR Code here.
    pub camera_symbologies: Vec<Symbology>,
    /// Hands-free: a camera layer that stays the same for `auto_pack_frames` decoded frames is
    /// packed into the open container without a button or command barcode.
    pub auto_pack: bool,
    /// Decoded frames in a row that must show the same codes before a layer is packed.
    pub auto_pack_frames: u32,
}

impl Default for DeviceSettings {
    fn default() -> Self {
        Self {
            wedge: ScannerProfile::default(),
            serial: Vec::new(),
            serial_open: true,
            camera: CameraChoice::None,
            decode_interval_ms: 250,
            layer_packs: None,
            camera_symbologies: vec![Symbology::DataMatrix],
            auto_pack: false,
            auto_pack_frames: 3,
        }
    }
}

impl DeviceSettings {
    /// The symbologies a camera may be set to read: those of pharmaceutical packs and labels.
    pub const CAMERA_SYMBOLOGIES: [Symbology; 5] = Symbology::PHARMA;

    /// The camera's symbologies as the decoder takes them: the chosen ones among
    /// [`Self::CAMERA_SYMBOLOGIES`], or Data Matrix when none is left (a camera that reads
    /// nothing would only look broken).
    pub fn camera_reads(&self) -> Vec<Symbology> {
        let chosen: Vec<Symbology> = Self::CAMERA_SYMBOLOGIES
            .into_iter()
            .filter(|s| self.camera_symbologies.contains(s))
            .collect();
        if chosen.is_empty() {
            vec![Symbology::DataMatrix]
        } else {
            chosen
        }
    }

    /// Decodes per second at most, for display.
    pub fn decode_rate(&self) -> f64 {
        if self.decode_interval_ms == 0 {
            f64::INFINITY
        } else {
            1000.0 / self.decode_interval_ms as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let mut settings = DeviceSettings {
            camera: "folder /tmp/frames".parse().unwrap_or_default(),
            decode_interval_ms: 100,
            layer_packs: Some(24),
            camera_symbologies: vec![Symbology::DataMatrix, Symbology::QrCode],
            auto_pack: true,
            auto_pack_frames: 5,
            ..DeviceSettings::default()
        };
        settings
            .serial
            .push(ScannerConfig::new("bench-1", "/dev/ttyACM0"));
        let json = serde_json::to_string(&settings).unwrap_or_default();
        let back: DeviceSettings = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, settings);
        assert!((back.decode_rate() - 10.0).abs() < 1e-9);
        assert!(json.contains(r#""camera_symbologies":["data_matrix","qr_code"]"#));
    }

    #[test]
    fn the_camera_reads_what_is_chosen_and_never_nothing() {
        let mut settings = DeviceSettings::default();
        assert_eq!(settings.camera_reads(), vec![Symbology::DataMatrix]);
        settings.camera_symbologies = vec![Symbology::Ean13, Symbology::QrCode];
        assert_eq!(settings.camera_reads(), vec![Symbology::QrCode]);
        settings.camera_symbologies.clear();
        assert_eq!(settings.camera_reads(), vec![Symbology::DataMatrix]);
        let old: DeviceSettings =
            serde_json::from_str(r#"{"decode_interval_ms":300}"#).unwrap_or_default();
        assert_eq!(old.camera_symbologies, vec![Symbology::DataMatrix]);
    }
}
