//! SSCC labels: allocation from SSCC ranges, the GS1 logistic label (layout templates), renderers
//! (ZPL II, PNG, PDF) and the printer transport (raw TCP 9100 or a file/device path, on a named
//! worker thread with timeouts and retries).
//!
//! The encoding and layout parts are pure; allocation uses the store; the printer worker does
//! the network and file I/O.
//!
//! ```
//! use packbench::labels::{LabelData, Template, layout, zpl};
//! let data = LabelData {
//!     sscc: "095060000000000015".parse().unwrap(),
//!     level: "case".to_owned(),
//!     content: None,
//!     product_name: None,
//!     work_order: None,
//!     station: None,
//!     date: "2026-11-25".to_owned(),
//!     note: None,
//! };
//! let label = layout(&data, Template::In4x6, 203).unwrap();
//! assert!(zpl::render(&label).contains("^FD>;>800095060000000000015^FS"));
//! ```

pub mod alloc;
pub mod code128;
pub mod label;
pub mod layout;
pub mod pdf;
pub mod printer;
pub mod raster;
pub mod symbols;
pub mod zpl;

pub use label::{Content, LabelData};
pub use layout::{Item, Layout, LayoutError, NarrowBars, Template, layout};
pub use symbols::TextOnly;
