//! The returns desk and the recall / trace screen (issue 18) on the real app with a real
//! station worker: open "Returns" (the station goes into returns mode), scan returned packs
//! through the wedge, see green "verified" or red with the reason in the packer's language;
//! open "Recall & trace", find a lot, trace a pack, hold the whole lot with a signature.

use crate::harness::gui::{BENCH, app_with, click, code, scan, screen, settle, shows, type_into};
use crate::harness::station::{SETUP, pack_scan, sscc};
use crate::harness::vrs::Responder;
use packbench::station::{Mode, Request, Station};
use packbench::sync::{Auth, VrsConfig, VrsLink};
use packbench::ui::app::Screen;

/// The standard set-up with a case of three packs (`tag` 1–3) and a pallet of it, the packer
/// logged in, the returns desk linked to a responder that knows packs 1–3.
fn station(dir: &std::path::Path, tag: &str) -> (Station, Responder) {
    let mut s = Station::open(dir).unwrap();
    let mut lines: Vec<String> = SETUP.lines().map(str::to_owned).collect();
    lines.push(format!(
        r#"{{"cmd":"scan","data":"(00){}"}}"#,
        sscc(700_001)
    ));
    for n in 1..=3 {
        lines.push(format!(
            r#"{{"cmd":"scan","data":"{}"}}"#,
            pack_scan(tag, n)
        ));
    }
    lines.push(r#"{"cmd":"new_container","level":"pallet"}"#.to_owned());
    lines.push(format!(
        r#"{{"cmd":"scan","data":"(00){}"}}"#,
        sscc(700_900)
    ));
    lines.push(format!(
        r#"{{"cmd":"scan","data":"(00){}"}}"#,
        sscc(700_001)
    ));
    for line in lines {
        let r = s.execute(serde_json::from_str(&line).unwrap());
        assert!(r.ok, "{line}: {r:?}");
    }
    let vrs = Responder::start();
    for n in 1..=3 {
        vrs.knows("09506000134352", &format!("{tag}{n:04}"), "LOT42", "271231");
    }
    let mut cfg = VrsConfig::new(&vrs.url, "0614141000005", Auth::None);
    cfg.retries = 0;
    s.set_verification_link(Some(Box::new(VrsLink::new(&cfg).unwrap())));
    (s, vrs)
}

#[test]
fn returns_desk_shows_green_or_red_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _vrs) = station(dir.path(), "G0000001");
    let mut h = screen(app_with(s, "en-US"), BENCH);
    settle(&mut h);
    click(&mut h, "Returns");
    settle(&mut h);
    assert_eq!(h.state().screen, Screen::Returns);
    assert_eq!(h.state().snapshot.mode, Mode::Returns);
    assert!(shows(&h, "Returns desk"));

    scan(&mut h, &pack_scan("G0000001", 1));
    assert_eq!(code(&h), Some("RETURN_VERIFIED"), "{:?}", h.state().verdict);
    assert!(shows(
        &h,
        "Verified by the manufacturer: this pack may be resold."
    ));

    // Wrong expiry on the pack: red, the reason in words, the pack on hold.
    scan(
        &mut h,
        "(01)09506000134352(17)271130(10)LOT42(21)G00000010002",
    );
    assert_eq!(code(&h), Some("RETURN_NOT_VERIFIED"));
    assert!(shows(
        &h,
        "Not verified: do not resell. The pack is on hold. The expiry date does not match the manufacturer's record."
    ));
    // The same pack again: caught here, on hold.
    scan(&mut h, &pack_scan("G0000001", 2));
    assert_eq!(code(&h), Some("RETURN_ON_HOLD"));
    assert_eq!(h.state().returns.recent.len(), 3);

    // Leaving the desk puts the station back to packing.
    click(&mut h, "Station");
    settle(&mut h);
    assert_eq!(h.state().snapshot.mode, Mode::Pack);
}

#[test]
fn returns_desk_speaks_the_packers_language() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _vrs) = station(dir.path(), "G0000002");
    let mut h = screen(app_with(s, "vi"), BENCH);
    settle(&mut h);
    let returns = h.state().i18n.tr("nav-returns");
    click(&mut h, &returns);
    settle(&mut h);
    scan(
        &mut h,
        "(01)09506000134352(17)271231(10)LOT99(21)G00000020001",
    );
    assert_eq!(code(&h), Some("RETURN_NOT_VERIFIED"));
    let expected = "Không xác minh được: không được bán lại. Hộp đã bị giữ lại. Số lô không khớp với hồ sơ của nhà sản xuất.";
    assert!(shows(&h, expected));
}

#[test]
fn recall_finds_the_lot_traces_a_pack_and_holds_the_lot() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _vrs) = station(dir.path(), "G0000003");
    let mut h = screen(app_with(s, "en-US"), BENCH);
    settle(&mut h);
    click(&mut h, "Recall & trace");
    assert_eq!(h.state().screen, Screen::Recall);
    type_into(&mut h, "GTIN", "09506000134352");
    type_into(&mut h, "Batch / lot", "LOT42");
    click(&mut h, "Find the lot");
    settle(&mut h);
    let report = h.state().recall.report.clone().expect("a recall");
    assert_eq!(report.counts.in_stock, 3);
    assert_eq!(
        report.containers_to_pull,
        vec![format!("(00){}", sscc(700_900))]
    );
    assert!(shows(
        &h,
        "Lot LOT42 of 09506000134352: 3 units, 3 in stock, 0 on hold, 0 shipped, 0 retired"
    ));

    type_into(&mut h, "Pack, case or pallet", &pack_scan("G0000003", 2));
    click(&mut h, "Trace it");
    settle(&mut h);
    let trace = h.state().recall.trace.clone().expect("a trace");
    assert_eq!(trace.root.key, format!("(00){}", sscc(700_900)));
    assert_eq!(trace.root.count(), 5);
    assert!(shows(&h, "Trace of (01)09506000134352(21)G00000030002"));

    click(&mut h, "Hold the whole lot…");
    let dialog = h.state().hold.clone().expect("the hold dialog");
    assert!(dialog.whole_lot);
    type_into(&mut h, "Supervisor or QA user name", "sup");
    type_into(&mut h, "Signer password", "sup-pass-1");
    click(&mut h, "Put on hold");
    settle(&mut h);
    assert!(
        h.state().hold.is_none(),
        "the dialog closed: {:?}",
        h.state().verdict
    );
    h.state_mut().send(Request::Recall {
        gtin: Some("09506000134352".into()),
        lot: Some("LOT42".into()),
        scan: None,
        units: true,
    });
    settle(&mut h);
    let report = h.state().recall.report.clone().unwrap();
    assert!(report.lot_on_hold);
    assert_eq!(report.counts.on_hold, 3);
    assert!(shows(&h, "Whole lot on hold"));
}
