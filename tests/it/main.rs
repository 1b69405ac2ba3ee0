//! packbench's integration tests: one test binary (as ripgrep does), a module per topic, one
//! shared harness (`harness/`). One binary links egui, wgpu, rxing and SQLite once instead of
//! once per topic, which keeps the test build short.

// A test binary: an unwrap, expect or panic that fires is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

mod adopt;
mod camera_path;
mod closeout;
mod closeout_report;
mod crash;
mod decode_cli;
mod decode_images;
mod decode_synth;
mod devices_gui;
mod epcis_hash_properties;
mod epcis_hash_vectors;
mod epcis_json_schema;
mod epcis_roundtrip;
mod epcis_untrusted_input;
mod epcis_xml_schema;
mod gs1_cases;
mod gs1_cli;
mod gs1_dictionary;
mod gs1_linters;
mod gs1_props;
mod gui;
mod gui_bench;
mod gui_closeout;
mod gui_flows;
mod gui_hold;
mod gui_layout_fit;
mod gui_pseudo;
mod gui_returns;
mod gui_snapshots;
mod gui_supervisor;
mod gui_trust;
mod gui_trust_b;
mod headless;
mod import_cli;
mod import_epcis;
mod label_cli;
mod labels_print;
mod labels_render;
mod labels_zxing;
mod layering;
mod packaging;
mod protocol_robust;
mod recall_trace;
mod redaction;
mod repo_link;
mod returns_vrs;
mod samples;
mod scenarios;
mod serial_pty;
mod shift_summary;
mod sscc_store;
mod station_epcis;
mod storage_error;
mod store_safety;
mod sync_epcis20;
mod sync_pull_products;
mod sync_pull_serials;
mod sync_qu4rtet;
mod tamper;
mod undo_repository;
mod verify_contents;
