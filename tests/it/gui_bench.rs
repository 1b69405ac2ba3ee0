//! The bench never guesses, in the GUI (issue 14): the switch confirmation, putting a case
//! aside from the station screen, the list of containers put aside, and resuming by scanning
//! the label — on the real app with a real station worker on a real SQLite file.

use crate::gui_flows::case_count as current_case;
use crate::harness::gui::{click, code, first_run, harness, scan, shows};
use packbench::ui::demo;

#[test]
fn a_second_case_label_asks_then_puts_the_first_aside_and_a_scan_resumes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    first_run(&mut h);
    scan(&mut h, &demo::case_sscc(1));
    for n in 1..=2 {
        scan(&mut h, &demo::pack_scan(n));
        assert_eq!(code(&h), Some("OK"));
    }
    // Another case label while case 1 holds 2/20: the station asks, nothing changes yet.
    scan(&mut h, &demo::case_sscc(2));
    assert_eq!(code(&h), Some("CONFIRM_SWITCH"));
    assert!(h.state().confirm.is_some(), "{:?}", h.state().verdict);
    assert!(shows(
        &h,
        "Another container of this level is being filled. Confirm to put it aside, or cancel."
    ));
    assert_eq!(current_case(&h), Some((demo::case_sscc(1), 2)));
    // Cancel: still case 1, and the next pack goes into it.
    click(&mut h, "Cancel");
    assert!(h.state().confirm.is_none());
    scan(&mut h, &demo::pack_scan(3));
    assert_eq!(current_case(&h), Some((demo::case_sscc(1), 3)));
    // Again, and confirm by the command barcode: case 1 is put aside, case 2 is current.
    scan(&mut h, &demo::case_sscc(2));
    assert_eq!(code(&h), Some("CONFIRM_SWITCH"));
    scan(&mut h, "PBCMD:CONFIRM");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(current_case(&h), Some((demo::case_sscc(2), 0)));
    let aside = &h.state().snapshot.suspended;
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].key, demo::case_sscc(1));
    assert_eq!(aside[0].count, 3);
    assert!(shows(&h, "1 put aside"));
    assert!(shows(&h, "Scan a label to take it up again."));

    // The "Put aside" button beside the case being filled.
    scan(&mut h, &demo::pack_scan(4));
    click(&mut h, "Put aside");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(current_case(&h), None);
    assert!(shows(&h, "2 put aside"));
    // A pack now has nowhere to go: refused, not put into a case nobody chose.
    scan(&mut h, &demo::pack_scan(5));
    assert_eq!(code(&h), Some("NO_OPEN_CONTAINER"));

    // Scanning case 1's label resumes it with its 3 packs.
    scan(&mut h, &demo::case_sscc(1));
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    assert_eq!(current_case(&h), Some((demo::case_sscc(1), 3)));
    assert_eq!(h.state().snapshot.suspended.len(), 1);
    scan(&mut h, &demo::pack_scan(5));
    assert_eq!(current_case(&h), Some((demo::case_sscc(1), 4)));
}
