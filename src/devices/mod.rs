//! Scan sources (`docs/architecture.md` §10): everything that turns the outside world into scans, delivered
//! as one stream of [`scan::DeviceEvent`]s, each tagged with its source.
//!
//! - [`scan`]: the stream — scans, layer reads, status changes and errors — and its sink.
//! - [`serial`]: serial / USB-CDC scanners, one named worker thread per port, reconnecting.
//! - [`camera`]: frame sources (a folder of images; a webcam with the `camera` feature), the
//!   worker that drops stale frames and reads layers, completeness checks.
//! - [`decode`]: barcode images → codes, with rxing as the decoder. It finds every code in a
//!   frame (one label, or the whole top layer of an open case), so the camera worker and the
//!   `packbench decode` command share one path.
//! - [`render`]: GS1 DataMatrix symbols and layers drawn with rxing (test symbol, samples).
//! - [`layer`]: a camera "layer read" — all codes of one frame compared with what a container
//!   should hold (seen and recorded, seen but not recorded, recorded but not seen).
//!
//! Scanner profiles and calibration are pure and live in [`crate::gs1::scanner`].

pub mod camera;
pub mod decode;
pub mod error;
pub mod layer;
pub mod render;
pub mod scan;
pub mod serial;
pub mod synth;

pub use error::DeviceError;
