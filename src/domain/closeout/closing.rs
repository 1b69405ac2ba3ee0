//! Closing a work order: the rule that decides whether it may close, and the record of a
//! close (the signature, the leftovers decommissioned, the reconciliation signed).

use super::{ContainerLine, KeyList, Reconciliation};
use crate::domain::{ReasonCode, Refusal};
use serde::{Deserialize, Serialize};

/// How many keys a refusal names before it says "and N more".
const NAMED_IN_DETAIL: usize = 5;

/// A recorded electronic signature (who, when, what it means).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    /// The signer's user name.
    pub username: String,
    /// The signer's printed name.
    pub full_name: String,
    /// When (Unix ms).
    pub time_ms: i64,
    /// What the signature means.
    pub meaning: String,
    /// The reason given.
    pub reason: Option<String>,
    /// The kind of command signed (`close_short`, `verify_contents`, `close_work_order`, ...).
    pub command: String,
}

/// Whether an order may close (`docs/automation.md`, "Closing a work order"): no container of
/// it may be open or suspended (`CONTAINERS_OPEN`, naming them: close, fill or retire each
/// first), its figures must add up, and no serial may be left active in no container unless
/// the close decommissions them (`ORDER_NOT_RECONCILED`, naming them).
pub fn check_closeable(
    order_id: &str,
    r: &Reconciliation,
    decommission_leftovers: bool,
) -> Result<(), Refusal> {
    let unfinished: Vec<&ContainerLine> = r.open.iter().chain(&r.suspended).collect();
    if !unfinished.is_empty() {
        let named: Vec<String> = unfinished
            .iter()
            .map(|c| {
                let fill = c
                    .capacity
                    .map_or_else(|| c.count.to_string(), |cap| format!("{}/{cap}", c.count));
                format!(
                    "{} ({} {}, {fill})",
                    c.key,
                    c.level.as_str(),
                    c.state.as_str()
                )
            })
            .collect();
        return Err(Refusal::new(
            ReasonCode::ContainersOpen,
            format!(
                "work order {order_id} has {} container(s) open or suspended: {}; close, \
                 fill or retire each first",
                unfinished.len(),
                name_some(&named)
            ),
        ));
    }
    r.check().map_err(|e| {
        Refusal::new(
            ReasonCode::OrderNotReconciled,
            format!("work order {order_id}: the figures do not add up: {e}"),
        )
    })?;
    let leftovers = r.leftovers();
    if !leftovers.is_empty() && !decommission_leftovers {
        return Err(Refusal::new(
            ReasonCode::OrderNotReconciled,
            format!(
                "work order {order_id} has {} serial(s) active in no container: {}; pack or \
                 retire them, or close with decommission_leftovers",
                leftovers.len(),
                name_some(&leftovers)
            ),
        ));
    }
    Ok(())
}

/// The first few items, then how many more.
fn name_some(items: &[String]) -> String {
    let shown = items
        .iter()
        .take(NAMED_IN_DETAIL)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match items.len().saturating_sub(NAMED_IN_DETAIL) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Whether a work order still takes packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Packing goes on.
    Open,
    /// Closed out: no more packs.
    Closed,
}

/// How an order was closed: the signature, the leftovers decommissioned in the same step, and
/// the reconciliation as it was signed (the batch record's figures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderClosing {
    /// The supervisor's signature.
    pub signature: SignatureRecord,
    /// Who was logged in when it was closed.
    pub closed_by: String,
    /// Serials decommissioned by the close itself.
    pub decommissioned: KeyList,
    /// The reconciliation signed.
    pub as_signed: Reconciliation,
    /// Whether the order's units changed since (rework after the close).
    pub changed_since: bool,
}

/// Everything the close-out shows and prints: the order, its reconciliation now and, once
/// closed, how it was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCloseout {
    /// Order id.
    pub work_order: String,
    /// GTIN of the pack-level product.
    pub gtin: String,
    /// Product name.
    pub product: Option<String>,
    /// Batch.
    pub lot: Option<String>,
    /// Expiry YYMMDD.
    pub expiry: Option<String>,
    /// Packaging spec (`case:20,pallet:4`).
    pub spec: String,
    /// Open or closed.
    pub status: OrderStatus,
    /// The station (its read point), when set.
    pub station: Option<String>,
    /// The reconciliation now.
    pub reconciliation: Reconciliation,
    /// How it was closed (closed orders only).
    pub closing: Option<OrderClosing>,
}
