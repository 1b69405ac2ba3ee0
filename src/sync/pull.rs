//! Pulling from the repository: products from QU4RTET's master data, SSCC serial ranges from
//! its serialbox pools. A serialbox range is added through the station's SSCC range command
//! (the one an administrator uses for a range added by hand: same checks, same overlap test,
//! same audit record) as one `sscc_ranges` row (source `pool`), so the label allocator hands
//! its SSCCs out exactly like a local range (one store, one allocation path, never reused) and
//! the bench can label cases offline.
//!
//! An allocation whose answer is lost wastes that range on the server (serialbox never hands a
//! number out twice); it never produces a duplicate SSCC, which is what matters.

use super::error::{SyncError, shorten};
use super::http::Http;
use crate::gs1::Sscc;
use crate::labels::alloc::{AllocError, SsccRange};
use crate::station::Station;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// Largest range taken in one allocation.
const MAX_ALLOCATION: u64 = 100_000;

fn get_json(http: &Http, path: &str) -> Result<serde_json::Value, SyncError> {
    let reply = http.send("GET", path, &[("Accept", "application/json")], None)?;
    if reply.status != 200 {
        return Err(SyncError::Server {
            url: http.url(path),
            status: reply.status,
            message: shorten(&reply.body, 300),
        });
    }
    serde_json::from_str(&reply.body).map_err(|e| SyncError::Protocol {
        url: http.url(path),
        detail: format!("not JSON: {e}"),
    })
}

/// A serial range received from the repository's pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PoolAllocation {
    /// The `sscc_ranges` row it became.
    pub range_id: i64,
    /// SSCCs in it.
    pub count: u64,
    /// Its first SSCC (18 digits).
    pub first: String,
    /// Its last SSCC.
    pub last: String,
    /// SSCCs left in all ranges now.
    pub remaining: u64,
}

fn alloc_error(e: AllocError) -> SyncError {
    match e {
        AllocError::Store(s) => SyncError::from(s),
        other => SyncError::Config {
            detail: other.to_string(),
        },
    }
}

/// Allocates `count` serial references from a serialbox pool and adds them as one SSCC range
/// (company prefix + extension digit + serial reference, check digits computed) that the label
/// allocator hands out. The range goes through the station's range command
/// ([`Station::add_pool_sscc_range`]), recorded under [`super::outbox::SYNC_AUDIT_USER`].
pub fn allocate_ssccs(
    http: &Http,
    station: &mut Station,
    pool: &str,
    count: u64,
    company_prefix: &str,
    extension_digit: u8,
) -> Result<PoolAllocation, SyncError> {
    if count == 0 || count > MAX_ALLOCATION {
        return Err(SyncError::Config {
            detail: format!("SSCC allocation of {count}: must be 1 to {MAX_ALLOCATION}"),
        });
    }
    // A prefix that cannot make SSCCs must fail before the server hands numbers out.
    Sscc::new(company_prefix, extension_digit, 0).map_err(|e| SyncError::Config {
        detail: format!("SSCC company prefix {company_prefix}: {e}"),
    })?;
    let path = format!(
        "/serialbox/allocate/{}/{count}/?format=json",
        utf8_percent_encode(pool, NON_ALPHANUMERIC)
    );
    let v = get_json(http, &path)?;
    let protocol = |detail: String| SyncError::Protocol {
        url: http.url(&path),
        detail,
    };
    if v.get("fulfilled").and_then(serde_json::Value::as_bool) != Some(true) {
        return Err(protocol(format!(
            "allocation not fulfilled: {}",
            shorten(&v.to_string(), 200)
        )));
    }
    // Sequential regions answer "[first, last]" as a string.
    let numbers = v
        .get("numbers")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let range: Vec<u64> = serde_json::from_str::<Vec<u64>>(numbers).map_err(|e| {
        protocol(format!(
            "numbers '{numbers}' is not a [first, last] range: {e}"
        ))
    })?;
    let (Some(&first), Some(&last), 2) = (range.first(), range.get(1), range.len()) else {
        return Err(protocol(format!(
            "numbers '{numbers}' is not a [first, last] range"
        )));
    };
    if last < first || last - first + 1 > count {
        return Err(protocol(format!(
            "range {first}..{last} does not match {count} numbers"
        )));
    }
    let sscc_of = |serial: u64| {
        Sscc::new(company_prefix, extension_digit, serial).map_err(|e| SyncError::Config {
            detail: format!("SSCC from serial {serial}: {e}"),
        })
    };
    let (first_sscc, last_sscc) = (sscc_of(first)?, sscc_of(last)?);
    let added = station
        .add_pool_sscc_range(
            &SsccRange {
                company_prefix: company_prefix.to_owned(),
                extension_digit,
                first,
                last,
                source: "pool".to_owned(),
                origin: Some(pool.to_owned()),
            },
            super::outbox::SYNC_AUDIT_USER,
        )
        .map_err(alloc_error)?;
    Ok(PoolAllocation {
        range_id: added.range_id,
        count: last - first + 1,
        first: first_sscc.as_str().to_owned(),
        last: last_sscc.as_str().to_owned(),
        remaining: added.remaining,
    })
}

/// A product as the repository knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MasterProduct {
    /// GTIN-14.
    pub gtin: String,
    /// Product name.
    pub name: String,
    /// Length of the GS1 company prefix.
    pub company_prefix_length: u8,
}

/// Every page of a DRF list.
fn all_pages(http: &Http, first: &str) -> Result<Vec<serde_json::Value>, SyncError> {
    let mut out = Vec::new();
    let mut next = Some(first.to_owned());
    let mut pages = 0;
    while let Some(path) = next.take() {
        pages += 1;
        if pages > 10_000 {
            break;
        }
        let v = get_json(http, &path)?;
        match v {
            serde_json::Value::Array(items) => out.extend(items),
            other => {
                if let Some(items) = other.get("results").and_then(serde_json::Value::as_array) {
                    out.extend(items.iter().cloned());
                }
                next = other
                    .get("next")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
            }
        }
    }
    Ok(out)
}

/// Products from QU4RTET's master data: trade items (GTIN-14, regulated product name) with
/// the company prefix of their company.
pub fn pull_qu4rtet_products(http: &Http) -> Result<Vec<MasterProduct>, SyncError> {
    let companies = all_pages(http, "/masterdata/companies/?format=json")?;
    let prefix_of = |id: &serde_json::Value| -> Option<usize> {
        companies
            .iter()
            .find(|c| c.get("id") == Some(id))
            .and_then(|c| c.get("gs1_company_prefix"))
            .and_then(serde_json::Value::as_str)
            .map(str::len)
    };
    let mut out = Vec::new();
    for item in all_pages(http, "/masterdata/trade-items/?format=json")? {
        let gtin = item
            .get("GTIN14")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let Some(len) = item.get("company").and_then(prefix_of) else {
            continue;
        };
        if gtin.len() != 14 || !(6..=12).contains(&len) {
            continue;
        }
        let name = item
            .get("regulated_product_name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(gtin);
        out.push(MasterProduct {
            gtin: gtin.to_owned(),
            name: name.to_owned(),
            company_prefix_length: u8::try_from(len).unwrap_or(0),
        });
    }
    Ok(out)
}
