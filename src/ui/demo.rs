//! The embedded default: what a first start with no configuration sets up, so that a newcomer can
//! try every flow at once — an administrator (named in the first-run dialog), the demo product
//! (GTIN 09506000134352, company prefix length 7), a training work order (20 packs per case,
//! 4 cases per pallet) with 1,000 commissioned serials, the station identity, and generated scan
//! codes for packs and SSCCs (the training panel types them in as scans).
//!
//! ```
//! use packbench::ui::demo;
//! assert_eq!(demo::pack_scan(7), "(01)09506000134352(17)301231(10)TRAIN01(21)TR00007");
//! assert_eq!(demo::case_sscc(1), "(00)095060000000000015");
//! ```

use crate::domain::ReasonCode;
use crate::station::{LevelInput, Request, Response, Station};

/// The demo product.
pub const GTIN: &str = "09506000134352";
/// The training work order.
pub const WORK_ORDER: &str = "TRAINING-001";
/// Its batch.
pub const LOT: &str = "TRAIN01";
/// Its expiry (YYMMDD).
pub const EXPIRY: &str = "301231";
/// Packs per case.
pub const CASE_CAPACITY: u32 = 20;
/// Cases per pallet.
pub const PALLET_CAPACITY: u32 = 4;
/// Commissioned serials `TR00001`..=`TR01000`.
pub const SERIALS: u32 = 1000;
/// The station's read point (SGLN).
pub const READ_POINT: &str = "urn:epc:id:sgln:9506000.00000.1";
/// The site (SGLN).
pub const BIZ_LOCATION: &str = "urn:epc:id:sgln:9506000.00000.0";

/// The scan of training pack `n` (serial `TR{n:05}`).
pub fn pack_scan(n: u32) -> String {
    format!("(01){GTIN}(17){EXPIRY}(10){LOT}(21)TR{n:05}")
}

/// A pack whose serial is not commissioned (the counterfeit alert).
pub fn unknown_serial_scan() -> String {
    format!("(01){GTIN}(17){EXPIRY}(10){LOT}(21)XX99999")
}

/// A pack of another product (refused: wrong product).
pub fn wrong_product_scan() -> String {
    "(01)09506000134369(17)301231(10)TRAIN01(21)OT00001".to_owned()
}

fn sscc(extension: u8, serial_ref: u32) -> String {
    // The demo prefix (7 digits) leaves 9 digits of serial reference.
    let serial_ref = u64::from(serial_ref % 1_000_000_000);
    crate::gs1::Sscc::new("9506000", extension, serial_ref)
        .map(|sscc| sscc.unit_key())
        .unwrap_or_default()
}

/// The SSCC label of training case `n`.
pub fn case_sscc(n: u32) -> String {
    sscc(0, n)
}

/// The SSCC label of training pallet `n`.
pub fn pallet_sscc(n: u32) -> String {
    sscc(1, n)
}

/// Creates the administrator and the training data; the administrator stays logged in with the
/// training order selected. Answers the first refusal, or OK.
pub fn first_run(station: &mut Station, user: &str, full_name: &str, password: &str) -> Response {
    let serials: Vec<String> = (1..=SERIALS).map(|n| format!("TR{n:05}")).collect();
    let steps = [
        Request::InitAdmin {
            user: user.to_owned(),
            full_name: full_name.to_owned(),
            password: password.to_owned(),
        },
        Request::Login {
            user: user.to_owned(),
            password: password.to_owned(),
        },
        Request::AddProduct {
            gtin: GTIN.to_owned(),
            name: "Demo 20 mg tablets".to_owned(),
            company_prefix_length: 7,
            level: None,
        },
        Request::CreateWorkOrder {
            id: WORK_ORDER.to_owned(),
            gtin: GTIN.to_owned(),
            lot: Some(LOT.to_owned()),
            expiry: Some(EXPIRY.to_owned()),
            levels: vec![
                LevelInput {
                    level: "case".to_owned(),
                    capacity: CASE_CAPACITY,
                },
                LevelInput {
                    level: "pallet".to_owned(),
                    capacity: PALLET_CAPACITY,
                },
            ],
            auto_open_next: false,
        },
        Request::ImportSerials {
            work_order: WORK_ORDER.to_owned(),
            serials,
        },
        Request::SetSetting {
            key: "read_point".to_owned(),
            value: READ_POINT.to_owned(),
        },
        Request::SetSetting {
            key: "biz_location".to_owned(),
            value: BIZ_LOCATION.to_owned(),
        },
        Request::SetSetting {
            key: "sscc_company_prefix_length".to_owned(),
            value: "7".to_owned(),
        },
        // Labels for new containers: extension digit 2 (the training labels use 0 and 1).
        Request::AddSsccRange {
            company_prefix: "9506000".to_owned(),
            extension_digit: 2,
            first: 1,
            last: 99_999,
            source: None,
        },
        Request::SelectWorkOrder {
            id: WORK_ORDER.to_owned(),
        },
    ];
    for step in steps {
        let r = station.execute(step);
        if !r.ok {
            return r;
        }
    }
    Response::with_code(ReasonCode::Ok, None)
}

/// The environment variable that preloads a demo state before the window opens (used by
/// `scripts/screenshot.sh`): `half-pallet` = first run with user `admin` / `admin-pass-1`, then a
/// pallet with two full cases and a third case with 12 packs.
pub const DEMO_ENV: &str = "PACKBENCH_DEMO";

/// With [`DEMO_ENV`], the screen the window opens on (a name of
/// [`super::state::Screen::from_name`], e.g. `supervisor`), for `scripts/screenshot.sh`.
pub const SCREEN_ENV: &str = "PACKBENCH_SCREEN";

/// Preloads the `half-pallet` demo state on a fresh database (does nothing on a used one).
pub fn half_built_pallet(station: &mut Station) -> Response {
    if !station.users().is_empty() {
        return Response::with_code(ReasonCode::Ok, None);
    }
    let r = first_run(station, "admin", "Ada Admin", "admin-pass-1");
    if !r.ok {
        return r;
    }
    let mut scans = vec![Request::NewContainer {
        level: "pallet".to_owned(),
        sscc: Some(pallet_sscc(1)),
    }];
    let mut n = 0;
    for case in 1..=3u32 {
        scans.push(Request::NewContainer {
            level: "case".to_owned(),
            sscc: Some(case_sscc(case)),
        });
        let packs = if case == 3 { 12 } else { CASE_CAPACITY };
        for _ in 0..packs {
            n += 1;
            scans.push(Request::Scan { data: pack_scan(n) });
        }
        if case < 3 {
            scans.push(Request::Scan {
                data: case_sscc(case),
            });
        }
    }
    for s in scans {
        let r = station.execute(s);
        if !r.ok {
            return r;
        }
    }
    Response::with_code(ReasonCode::Ok, None)
}
