//! The "Close work order…" window on the real app, a real station worker and a real SQLite
//! file: open it, see the figures, be refused while a case is open, close the case, sign with
//! the leftovers decommissioned, and the order is closed and packing is refused. A snapshot
//! of the window with its figures.

use crate::harness::gui::small_harness;
use crate::harness::gui::{click, code, first_run, harness, scan, settle, shows, sign, type_into};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use packbench::domain::OrderStatus;
use packbench::ui::{PackbenchApp, demo};

/// A message in the app's language (the harness runs in English).
fn tr(id: &str) -> String {
    packbench::ui::i18n::I18n::english().tr(id)
}

/// The training order with a full case of 20 and a second case holding 2 packs (open).
fn packed(h: &mut Harness<'static, PackbenchApp>) {
    first_run(h);
    scan(h, &demo::case_sscc(1));
    for n in 1..=20 {
        scan(h, &demo::pack_scan(n));
    }
    scan(h, &demo::case_sscc(2));
    for n in 21..=22 {
        scan(h, &demo::pack_scan(n));
    }
    assert_eq!(code(h), Some("OK"));
}

/// Ticks a checkbox.
fn tick(h: &mut Harness<'static, PackbenchApp>, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

/// Look-up screen, "Close work order…".
fn open_window(h: &mut Harness<'static, PackbenchApp>) {
    h.state_mut().screen = packbench::ui::app::Screen::Lookup;
    h.run_steps(2);
    click(h, &tr("closeout-open"));
    settle(h);
    let view = h.state().closeout.as_ref().expect("window open");
    assert!(view.closeout.is_some(), "figures answered");
}

#[test]
fn close_out_through_the_window_then_packing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    packed(&mut h);
    open_window(&mut h);
    {
        let c = h
            .state()
            .closeout
            .as_ref()
            .unwrap()
            .closeout
            .clone()
            .unwrap();
        let r = &c.reconciliation;
        assert_eq!(r.serials.total, 1000);
        assert_eq!(r.serials.packed.count, 22);
        assert_eq!(r.serials.never_scanned.count, 978);
        assert_eq!(r.open[0].key, demo::case_sscc(2));
    }
    // The figures and the open case are on screen.
    assert!(shows(&h, &tr("closeout-serials-list")));
    assert!(shows(&h, "22"));
    assert!(shows(&h, "978"));
    assert!(shows(&h, "1000"));
    assert!(shows(&h, &tr("closeout-adds-up")));
    assert!(shows(&h, &tr("closeout-open-containers")));

    // Signing while the case is open: refused, the case named.
    type_into(&mut h, &tr("closeout-sign-user"), "admin");
    type_into(&mut h, &tr("closeout-sign-password"), "admin-pass-1");
    click(&mut h, &tr("closeout-sign"));
    let view = h.state().closeout.as_ref().unwrap();
    let (_, refused, detail) = view.verdict.clone().expect("a verdict");
    assert_eq!(refused.as_str(), "CONTAINERS_OPEN");
    assert!(detail.unwrap_or_default().contains(&demo::case_sscc(2)));
    assert!(view.password.is_empty(), "a typed password is not kept");
    assert!(shows(&h, &h.state().i18n.reason(refused)));

    // Close the case short (command barcode, supervisor signature), then sign the close-out
    // with the leftovers decommissioned.
    click(&mut h, &tr("closeout-dismiss"));
    assert!(h.state().closeout.is_none());
    scan(&mut h, "PBCMD:CLOSE");
    assert_eq!(code(&h), Some("SIGNATURE_REQUIRED"));
    sign(&mut h, "end of shift");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    open_window(&mut h);
    assert!(shows(&h, &tr("closeout-none-open")));
    tick(&mut h, &tr("closeout-decommission"));
    assert!(h.state().closeout.as_ref().unwrap().decommission_leftovers);
    let meaning = h.state().i18n.tr_args(
        "closeout-meaning-leftovers",
        &[("id", demo::WORK_ORDER.into()), ("count", 978.into())],
    );
    assert!(shows(&h, &meaning), "{meaning}");
    type_into(&mut h, &tr("closeout-sign-user"), "admin");
    type_into(&mut h, &tr("closeout-sign-password"), "admin-pass-1");
    type_into(&mut h, &tr("closeout-sign-reason"), "batch complete");
    click(&mut h, &tr("closeout-sign"));
    let view = h.state().closeout.as_ref().unwrap();
    assert_eq!(view.verdict.as_ref().map(|v| v.1.as_str()), Some("OK"));
    let c = view.closeout.clone().unwrap();
    assert_eq!(c.status, OrderStatus::Closed);
    let closing = c.closing.clone().unwrap();
    assert_eq!(closing.decommissioned.count, 978);
    assert_eq!(closing.signature.username, "admin");
    assert_eq!(closing.signature.reason.as_deref(), Some("batch complete"));
    assert!(shows(&h, &tr("closeout-status-closed")));
    // The report of what is shown is a PDF (the button hands it to the save dialog).
    let pdf = view.report_pdf(1_795_600_800_000).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));

    // Closed: a pack scan is refused, naming the order.
    click(&mut h, &tr("closeout-dismiss"));
    // On the station screen (a scan on the Look-up screen only looks up).
    h.state_mut().screen = packbench::ui::app::Screen::Station;
    scan(&mut h, &demo::pack_scan(23));
    assert_eq!(code(&h), Some("ORDER_CLOSED"));
    let detail = h.state().verdict.as_ref().and_then(|v| v.detail.clone());
    assert!(detail.unwrap_or_default().contains(demo::WORK_ORDER));
}

#[test]
fn close_out_window_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = small_harness(dir.path());
    packed(&mut h);
    open_window(&mut h);
    tick(&mut h, &tr("closeout-decommission"));
    crate::gui_snapshots::steady(&mut h);
    crate::gui_snapshots::snapshot(&mut h, "closeout_window");
}
