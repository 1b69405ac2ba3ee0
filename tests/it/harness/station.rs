//! A real station in a temporary data directory, driven as automation drives it: the set-up
//! every topic starts from (users, a product, a work order), pack and SSCC keys, pallets built
//! by JSON lines, and what the database then holds.

use packbench::gs1::Sscc;
use packbench::station::Station;
use packbench::store::Store;
use packbench::ui::demo;
use std::path::Path;

/// The station of `dir` after the first run: administrator `admin` (password `admin-pass-1`)
/// logged in, the training order selected.
pub fn trained_station(dir: &Path) -> Station {
    let mut station = Station::open(dir).unwrap();
    let r = demo::first_run(&mut station, "admin", "Ada Admin", "admin-pass-1");
    assert!(r.ok, "{r:?}");
    station
}

pub const SETUP: &str = r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}
{"cmd":"create_user","user":"sup","full_name":"Sam Supervisor","role":"supervisor","password":"sup-pass-1"}
{"cmd":"create_user","user":"pat","full_name":"Pat Packer","role":"packer","password":"pat-pass-1"}
{"cmd":"add_product","gtin":"09506000134352","name":"Demo 20 mg tablets","company_prefix_length":7}
{"cmd":"create_work_order","id":"WO-1","gtin":"09506000134352","lot":"LOT42","expiry":"271231","levels":[{"level":"case","capacity":3},{"level":"pallet","capacity":2}]}
{"cmd":"set_setting","key":"read_point","value":"urn:epc:id:sgln:9506000.00000.1"}
{"cmd":"set_setting","key":"biz_location","value":"urn:epc:id:sgln:9506000.00000.0"}
{"cmd":"set_setting","key":"sscc_company_prefix_length","value":"7"}
{"cmd":"login","user":"pat","password":"pat-pass-1"}
{"cmd":"select_work_order","id":"WO-1"}"#;

/// Runs JSON lines against the station of a data dir; panics on any refusal.
pub fn run_lines(dir: &Path, lines: &str) {
    let mut station = Station::open(dir).unwrap();
    let mut out = Vec::new();
    packbench::cli::station::serve(&mut station, &mut lines.as_bytes(), &mut out).unwrap();
    for (i, line) in String::from_utf8(out).unwrap().lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["ok"], true, "line {i} refused: {line}\ninput:\n{lines}");
    }
}

pub fn pack_scan(tag: &str, n: u32) -> String {
    format!("(01)09506000134352(17)271231(10)LOT42(21){tag}{n:04}")
}

pub fn pack_epc(tag: &str, n: u32) -> String {
    format!("urn:epc:id:sgtin:9506000.013435.{tag}{n:04}")
}

pub fn sscc(serial: u64) -> String {
    Sscc::new("9506000", 0, serial).unwrap().as_str().to_owned()
}

pub fn sscc_epc(serial: u64) -> String {
    let s = sscc(serial);
    format!("urn:epc:id:sscc:9506000.{}{}", &s[0..1], &s[8..17])
}

/// Builds `pallets` pallets of 2 cases of 3 packs each. Pack serials `{tag}0001...`, case SSCC
/// serial references from `sscc_base`, pallets after the cases. Returns the commands.
pub fn pallet_lines(tag: &str, sscc_base: u64, pallets: u32) -> String {
    let mut lines = Vec::new();
    let mut pack = 0;
    let mut case_ref = sscc_base;
    for p in 0..pallets {
        let mut cases = Vec::new();
        for _ in 0..2 {
            lines.push(format!(
                r#"{{"cmd":"scan","data":"(00){}"}}"#,
                sscc(case_ref)
            ));
            cases.push(case_ref);
            case_ref += 1;
            for _ in 0..3 {
                pack += 1;
                lines.push(format!(
                    r#"{{"cmd":"scan","data":"{}"}}"#,
                    pack_scan(tag, pack)
                ));
            }
        }
        let pallet_ref = sscc_base + 1_000 + u64::from(p);
        lines.push(r#"{"cmd":"new_container","level":"pallet"}"#.to_owned());
        lines.push(format!(
            r#"{{"cmd":"scan","data":"(00){}"}}"#,
            sscc(pallet_ref)
        ));
        for c in cases {
            lines.push(format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(c)));
        }
    }
    lines.join("\n")
}

/// Events of every outbox row, as the repository should end up with them: (eventID, is
/// correction) per event.
pub fn local_event_keys(dir: &Path) -> Vec<(String, bool)> {
    let store = Store::open_dir(dir).unwrap();
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare("SELECT hash_id, correction FROM events ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

pub fn counts(dir: &Path) -> (i64, i64, i64) {
    let store = Store::open_dir(dir).unwrap();
    packbench::store::outbox_counts(store.conn()).unwrap()
}

pub fn unique_tag() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("T{:08}", (t / 1000) % 100_000_000)
}
