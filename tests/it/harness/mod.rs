//! The one harness of the integration tests. Every topic starts from the same parts:
//! - [`station`]: a real station in a temporary data directory, the standard set-up, pallets
//!   built by JSON lines, and the real binary as a live headless child ([`station::Headless`]);
//! - [`gui`]: the real app on that station in a kittest harness;
//! - [`qu4rtet`]: the real QU4RTET repository that `scripts/test` starts;
//! - [`repo`]: repository test doubles on 127.0.0.1 (an EPCIS 2.0 capture server, a fault proxy);
//! - [`fixtures`]: EPCIS events as the station writes them;
//! - [`epcis_files`]: EPCIS files (2.0 JSON-LD, 2.0 XML, 1.2 XML) of a pallet, from a seed;
//! - [`data`]: the files under `tests/data/` and the official validators built from them;
//! - [`truth`]: what a repository itself says about a unit (QU4RTET's ledger, EPCIS 2.0 replay);
//! - [`vrs`]: a verification service (VRS) of our own on 127.0.0.1 for the returns desk.

pub mod data;
pub mod epcis_files;
pub mod fixtures;
pub mod gui;
pub mod qu4rtet;
pub mod repo;
pub mod station;
pub mod truth;
pub mod vrs;
