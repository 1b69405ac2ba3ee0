//! packbench: a workstation for pharmaceutical serialization and aggregation at a manual
//! packing or rework bench.
//!
//! The library holds everything; the `packbench` binary is a thin command-line wrapper, so
//! that the CLI, the GUI and the tests drive the same code.
//!
//! Layers (see `docs/architecture.md` §3):
//! - [`gs1`], [`domain`], [`epcis`]: the pure core — no I/O, no GUI, no threads.
//! - [`store`], [`auth`], [`station`]: SQLite persistence, users and audit, the application service.
//! - [`devices`]: scan sources — serial scanners, cameras and image decoding as one stream of scans.
//! - [`labels`], [`sync`]: SSCC labels and printing; the repository sync worker.
//! - [`report`]: printable documents for the batch record (the close-out report, PDF).
//! - [`cli`]: the command-line surface; [`ui`]: the workstation window.

pub mod auth;
pub mod cli;
pub mod devices;
pub mod domain;
pub mod epcis;
pub mod gs1;
pub mod labels;
pub mod report;
pub mod station;
pub mod store;
pub mod sync;
pub mod ui;
