//! Pulling from the repository: products from QU4RTET's master data, SSCC serial ranges from
//! its serialbox pools (turned into SSCCs with check digits and kept in the local pool so the
//! bench can label cases offline).
//!
//! An allocation whose answer is lost wastes that range on the server (serialbox never hands a
//! number out twice); it never produces a duplicate SSCC, which is what matters.

use super::error::{SyncError, shorten};
use super::http::Http;
use crate::gs1::Sscc;
use crate::store::Store;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rusqlite::{OptionalExtension, params};

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

/// Allocates `count` serial references from a serialbox pool and stores the SSCCs they make
/// (company prefix + extension digit + serial reference + check digit) in the local pool.
/// Returns the new SSCCs (18 digits).
pub fn allocate_ssccs(
    http: &Http,
    store: &mut Store,
    pool: &str,
    count: u64,
    company_prefix: &str,
    extension_digit: u8,
    now_ms: i64,
) -> Result<Vec<String>, SyncError> {
    if count == 0 || count > MAX_ALLOCATION {
        return Err(SyncError::Config {
            detail: format!("SSCC allocation of {count}: must be 1 to {MAX_ALLOCATION}"),
        });
    }
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
    let mut ssccs = Vec::new();
    for serial in first..=last {
        let sscc =
            Sscc::new(company_prefix, extension_digit, serial).map_err(|e| SyncError::Config {
                detail: format!("SSCC from serial {serial}: {e}"),
            })?;
        ssccs.push(sscc.as_str().to_owned());
    }
    let tx = store.begin()?;
    {
        let mut st = tx.prepare_cached(
            "INSERT OR IGNORE INTO sscc_pool (sscc, source, allocated_ms) VALUES (?1, ?2, ?3)",
        )?;
        for s in &ssccs {
            st.execute(params![s, pool, now_ms])?;
        }
    }
    tx.commit()?;
    Ok(ssccs)
}

/// How many SSCCs of the local pool are still unused.
pub fn free_ssccs(store: &Store) -> Result<i64, SyncError> {
    Ok(store.conn().query_row(
        "SELECT count(*) FROM sscc_pool WHERE used_ms IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Takes the next unused SSCC of the local pool (marking it used), or `None` when empty.
pub fn take_sscc(store: &mut Store, now_ms: i64) -> Result<Option<String>, SyncError> {
    let tx = store.begin()?;
    let next: Option<String> = tx
        .query_row(
            "SELECT sscc FROM sscc_pool WHERE used_ms IS NULL ORDER BY sscc LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(s) = &next {
        tx.execute(
            "UPDATE sscc_pool SET used_ms = ?2 WHERE sscc = ?1",
            params![s, now_ms],
        )?;
    }
    tx.commit()?;
    Ok(next)
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
