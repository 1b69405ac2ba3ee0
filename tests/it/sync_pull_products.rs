//! `packbench sync pull --products`: QU4RTET's master data into the station, against a real
//! QU4RTET (`scripts/qu4rtet`; without it the QU4RTET test fails unless switched off on purpose,
//! see `harness::qu4rtet`). An EPCIS 2.0 repository has no master-data API: that is said
//! plainly (exit 2).

use crate::harness::qu4rtet;
use packbench::sync::Qu4rtet;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_packbench");

fn setup(dir: &Path) {
    crate::harness::station::run_lines(
        dir,
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}"#,
    );
}

fn packbench(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("PB_PULL_PW", "admin-pass-1")
        .env("PB_PULL_TOKEN", "not-a-real-token")
        .output()
        .unwrap()
}

/// A GTIN-14 with its check digit from 13 digits.
fn gtin14(first13: &str) -> String {
    let sum: u32 = first13
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{first13}{}", (10 - sum % 10) % 10)
}

#[test]
fn an_epcis20_repository_has_no_master_data_api() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = packbench(
        dir.path(),
        &[
            "sync",
            "--configure",
            "epcis20",
            "--url",
            "http://127.0.0.1:9",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let out = packbench(
        dir.path(),
        &[
            "sync",
            "pull",
            "--products",
            "--user",
            "admin",
            "--password-env",
            "PB_PULL_PW",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no master-data API"), "{err}");
}

#[test]
fn products_from_qu4rtet_master_data_reach_the_station() {
    let Some(url) = qu4rtet::url() else { return };
    let token = qu4rtet::token();
    // The workstation's token may only read master data; QU4RTET's superuser writes it.
    let admin = qu4rtet::admin_config(&url);
    let q = Qu4rtet::new(&admin).unwrap();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros()
        % 100_000;
    let post = |path: &str, body: Value| -> Value {
        let r = q
            .http()
            .send(
                "POST",
                path,
                &[("Content-Type", "application/json")],
                Some(body.to_string().as_bytes()),
            )
            .unwrap();
        assert_eq!(r.status, 201, "{path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap()
    };
    let company = post(
        "/masterdata/companies/?format=json",
        serde_json::json!({"name": format!("Pull test {stamp}"), "gs1_company_prefix": "9506002"}),
    );
    let gtin = gtin14(&format!("09506002{stamp:05}"));
    let name = format!("Pulled product {stamp}");
    post(
        "/masterdata/trade-items/?format=json",
        serde_json::json!({"GTIN14": gtin, "company": company["id"],
                           "regulated_product_name": name}),
    );

    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "sync",
            "--configure",
            "qu4rtet",
            "--url",
            &url,
            "--token-env",
            "PB_PULL_QTOKEN",
        ])
        .env("PB_PULL_QTOKEN", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = packbench(
        dir.path(),
        &[
            "sync",
            "pull",
            "--products",
            "--user",
            "admin",
            "--password-env",
            "PB_PULL_PW",
        ],
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{out:?} {summary}"
    );
    assert!(summary["imported"].as_u64().unwrap() >= 1, "{summary}");
    // Other runs may have left products the station refuses; ours is not among them.
    assert!(
        !summary["refused"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["target"] == gtin.as_str()),
        "{summary}"
    );
    let db = rusqlite::Connection::open(dir.path().join(packbench::store::DB_FILE_NAME)).unwrap();
    let (stored_name, len): (String, i64) = db
        .query_row(
            "SELECT name, company_prefix_len FROM products WHERE gtin = ?1",
            [&gtin],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored_name, name);
    assert_eq!(len, 7);
    // Pulling again updates in place: nothing is refused for our product.
    let again = packbench(
        dir.path(),
        &[
            "sync",
            "pull",
            "--products",
            "--user",
            "admin",
            "--password-env",
            "PB_PULL_PW",
        ],
    );
    let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        !summary["refused"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["target"] == gtin.as_str()),
        "{summary}"
    );
}
