//! Products and work orders.

use super::{Level, PackagingSpec};
use serde::Serialize;

/// A product: one GTIN at one packaging level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    /// GTIN-14.
    pub gtin: String,
    /// Name shown to the packer.
    pub name: String,
    /// Length of the GS1 company prefix inside the GTIN (6..=12), needed for EPC URIs.
    pub company_prefix_len: u8,
    /// Packaging level of units carrying this GTIN.
    pub level: Level,
}

/// A work order: what the bench packs now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkOrder {
    /// Order id (e.g. the ERP production order number).
    pub id: String,
    /// GTIN-14 of the pack-level product.
    pub gtin: String,
    /// Batch/lot the packs must carry, when the order specifies it.
    pub lot: Option<String>,
    /// Expiry YYMMDD the packs must carry, when the order specifies it.
    pub expiry: Option<String>,
    /// Capacities per container level.
    pub spec: PackagingSpec,
    /// Whether a commissioned serial list was loaded (unknown serials are then counterfeit alerts).
    pub has_serial_list: bool,
    /// Whether a container that closes at capacity is followed at once by a new one (a new SSCC
    /// allocated, its label printed, and the answer says so). Off by default: the packer scans
    /// or creates the next container.
    pub auto_open_next: bool,
}
