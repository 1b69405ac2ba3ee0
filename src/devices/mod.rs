//! Scan sources (`DESIGN.md` §7): everything that turns the outside world into scans.
//!
//! - [`decode`]: barcode images → codes, with rxing as the decoder. It finds every code in a
//!   frame (one label, or the whole top layer of an open case), so the camera worker and the
//!   `packbench decode` command share one path.
//! - [`layer`]: a camera "layer read" — all codes of one frame compared with what a container
//!   should hold (seen and recorded, seen but not recorded, recorded but not seen).

pub mod decode;
pub mod layer;
