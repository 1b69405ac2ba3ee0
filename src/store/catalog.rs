//! The station's catalogue and configuration: products, work orders (with their packaging
//! spec in its stored form) and settings.

use super::{Conn, StoreError, Tx};
use crate::domain::{Level, LevelError, PackagingSpec, Product, WorkOrder};
use rusqlite::{OptionalExtension, Row, params};

fn product_from_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    let level: String = r.get(3)?;
    Ok(Product {
        gtin: r.get(0)?,
        name: r.get(1)?,
        company_prefix_len: r.get(2)?,
        level: Level::parse(&level).ok_or_else(|| super::bad_column("products.level", &level))?,
    })
}

/// A product by GTIN.
pub fn load_product(conn: &Conn, gtin: &str) -> Result<Option<Product>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT gtin, name, company_prefix_len, level FROM products WHERE gtin = ?1",
    )?;
    Ok(st.query_row([gtin], product_from_row).optional()?)
}

/// A work order by id.
pub fn load_work_order(conn: &Conn, id: &str) -> Result<Option<WorkOrder>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT id, gtin, lot, expiry, spec, has_serial_list, auto_open_next FROM work_orders WHERE id = ?1",
    )?;
    let row = st
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })
        .optional()?;
    let Some((id, gtin, lot, expiry, spec, has_serial_list, auto_open_next)) = row else {
        return Ok(None);
    };
    let spec = parse_spec(&spec).map_err(|_| StoreError::BadValue {
        what: "work_orders.spec",
        value: spec.clone(),
    })?;
    Ok(Some(WorkOrder {
        id,
        gtin,
        lot,
        expiry,
        spec,
        has_serial_list,
        auto_open_next,
    }))
}

/// Every product, by GTIN.
pub fn products(conn: &Conn) -> Result<Vec<Product>, StoreError> {
    let mut st = conn.sql().prepare_cached(
        "SELECT gtin, name, company_prefix_len, level FROM products ORDER BY gtin",
    )?;
    let rows = st.query_map([], product_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds a product, or replaces the name, company prefix length and level of a known GTIN.
pub fn upsert_product(tx: &Tx<'_>, product: &Product) -> Result<(), StoreError> {
    tx.sql().prepare_cached(
        "INSERT INTO products (gtin, name, company_prefix_len, level) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(gtin) DO UPDATE SET name = excluded.name, company_prefix_len = excluded.company_prefix_len, level = excluded.level",
    )?
    .execute(params![
        product.gtin,
        product.name,
        product.company_prefix_len,
        product.level.as_str()
    ])?;
    Ok(())
}

/// Adds a work order (without a serial list yet). `false` when the id exists already (then
/// nothing changed).
pub fn insert_work_order(
    tx: &Tx<'_>,
    order: &WorkOrder,
    created_ms: i64,
) -> Result<bool, StoreError> {
    let inserted = tx
        .sql()
        .prepare_cached(
            "INSERT OR IGNORE INTO work_orders (id, gtin, lot, expiry, spec, created_ms, auto_open_next) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            order.id,
            order.gtin,
            order.lot,
            order.expiry,
            format_spec(&order.spec),
            created_ms,
            order.auto_open_next
        ])?;
    Ok(inserted > 0)
}

/// Records that a work order has a commissioned serial list (unknown serials are then
/// counterfeit alerts).
pub fn set_has_serial_list(tx: &Tx<'_>, work_order: &str) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE work_orders SET has_serial_list = 1 WHERE id = ?1")?
        .execute([work_order])?;
    Ok(())
}

/// The ids of all work orders, sorted.
pub fn work_order_ids(conn: &Conn) -> Result<Vec<String>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT id FROM work_orders ORDER BY id")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Parses the stored spec form `case:20,pallet:40`.
pub fn parse_spec(text: &str) -> Result<PackagingSpec, LevelError> {
    let mut levels = Vec::new();
    for part in text.split(',') {
        let (name, cap) = part.split_once(':').ok_or(LevelError::Empty)?;
        let level = Level::parse(name.trim()).ok_or(LevelError::Empty)?;
        let cap: u32 = cap
            .trim()
            .parse()
            .map_err(|_| LevelError::ZeroCapacity { level })?;
        levels.push((level, cap));
    }
    PackagingSpec::new(&levels)
}

/// Formats a spec for storage (`case:20,pallet:40`).
pub fn format_spec(spec: &PackagingSpec) -> String {
    spec.levels()
        .iter()
        .map(|(l, c)| format!("{}:{c}", l.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// A setting value.
pub fn setting(conn: &Conn, key: &str) -> Result<Option<String>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
    Ok(st.query_row([key], |r| r.get(0)).optional()?)
}

/// Sets a setting (adding or replacing it).
pub fn set_setting(tx: &Tx<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?
        .execute([key, value])?;
    Ok(())
}
