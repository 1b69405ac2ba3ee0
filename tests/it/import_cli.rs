//! `packbench import products|work-orders|serials FILE`: real files in a temp dir, a real data
//! directory set up through the headless station, the real binary.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_packbench");

/// An administrator and a packer, nothing else.
fn setup(dir: &Path) {
    crate::harness::station::run_lines(
        dir,
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}
{"cmd":"create_user","user":"pat","full_name":"Pat Packer","role":"packer","password":"pat-pass-1"}"#,
    );
}

/// Runs `packbench import ...`; returns (exit code, stdout JSON or Null, stderr).
fn import(dir: &Path, args: &[&str], user: &str, password: &str) -> (i32, Value, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .arg("import")
        .args(args)
        .args(["--user", user, "--password-env", "PB_IMPORT_PW"])
        .env("PB_IMPORT_PW", password)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn products_work_orders_and_serials_from_files_then_refusals_per_row() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    setup(data.path());
    let products = write(
        files.path(),
        "products.csv",
        "gtin,name,company_prefix_length\n09506000134352,\"Demo, 20 mg\",7\n09506000134369,Other,7\n",
    );
    let (code, v, err) = import(
        data.path(),
        &["products", &products],
        "admin",
        "admin-pass-1",
    );
    assert_eq!(code, 0, "{v} {err}");
    assert_eq!(v["imported"], 2);
    assert_eq!(v["refused"], serde_json::json!([]));

    let orders = write(
        files.path(),
        "orders.json",
        r#"[{"id":"WO-1","gtin":"09506000134352","lot":"L1","expiry":"271231","levels":[{"level":"case","capacity":3}]},
            {"id":"WO-2","gtin":"09506000199999","levels":[{"level":"case","capacity":3}]}]"#,
    );
    let (code, v, err) = import(
        data.path(),
        &["work-orders", &orders, "--json"],
        "admin",
        "admin-pass-1",
    );
    // WO-2's product is unknown (and its GTIN check digit wrong): the station refuses that row.
    assert_eq!(code, 1, "{v} {err}");
    assert_eq!(v["imported"], 1);
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{v}");
    assert_eq!(refused[0]["row"], 2);
    assert_eq!(refused[0]["target"], "WO-2");
    assert!(refused[0]["code"].is_string(), "{v}");

    let serials = write(files.path(), "serials.csv", "serial\nSN0001\nSN0002\n");
    let (code, v, err) = import(
        data.path(),
        &["serials", &serials, "--work-order", "WO-1"],
        "admin",
        "admin-pass-1",
    );
    assert_eq!(code, 0, "{v} {err}");
    assert_eq!(v["imported"], 1);

    // The station logged every admin action in the audit trail, which is intact.
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn a_bad_row_names_line_column_value_and_nothing_is_imported() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    setup(data.path());
    let bad = write(
        files.path(),
        "orders.csv",
        "id,gtin,lot,expiry,case_capacity\nWO-1,09506000134352,L1,271231,3\nWO-2,09506000134352,L2,271231,three\n",
    );
    let (code, v, err) = import(data.path(), &["work-orders", &bad], "admin", "admin-pass-1");
    assert_eq!(code, 2, "{v} {err}");
    assert!(err.contains("line 3") && err.contains("case_capacity") && err.contains("three"));
    assert!(err.contains("nothing imported"), "{err}");
    assert_eq!(v, Value::Null);
    // Nothing was imported, not even the good row before the bad one.
    let db = rusqlite::Connection::open(data.path().join(packbench::store::DB_FILE_NAME)).unwrap();
    let n: i64 = db
        .query_row("SELECT count(*) FROM work_orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn only_an_administrator_imports() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    setup(data.path());
    let products = write(
        files.path(),
        "p.csv",
        "gtin,name,company_prefix_length\n09506000134352,Demo,7\n",
    );
    let (code, _, err) = import(data.path(), &["products", &products], "pat", "pat-pass-1");
    assert_eq!(code, 2);
    assert!(err.contains("pat is not an administrator"), "{err}");
    let (code, _, err) = import(data.path(), &["products", &products], "admin", "wrong");
    assert_eq!(code, 2);
    assert!(err.contains("login of admin refused"), "{err}");
}
