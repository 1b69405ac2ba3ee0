//! Hold / quarantine through the Look-up screen (issue 14 §2), on the real app with a real
//! station worker: "Put on hold…" with a reason, a comment and a signature (a packer's is
//! refused, a supervisor's accepted), the badge in the look-up and the live tree, a pack scan of
//! the held pack refused, and "Release…" that only QA may sign.

use crate::harness::gui::{click, code, first_run, harness, scan, settle, shows, type_into};
use egui_kittest::Harness;
use packbench::auth::Role;
use packbench::station::Request;
use packbench::ui::app::Screen;
use packbench::ui::{PackbenchApp, demo};

fn lookup(h: &mut Harness<'static, PackbenchApp>, scan: &str) -> serde_json::Value {
    h.state_mut().lookup = None;
    h.state_mut().send(Request::Lookup {
        scan: scan.to_owned(),
    });
    settle(h);
    assert_eq!(h.state().screen, Screen::Lookup);
    h.state().lookup.clone().expect("look-up answered")
}

/// Types the signer into the open dialog (clearing what an earlier try left).
fn signer(h: &mut Harness<'static, PackbenchApp>, label: &str, user: &str, password: &str) {
    h.state_mut()
        .hold
        .as_mut()
        .expect("dialog open")
        .user
        .clear();
    h.run_steps(1);
    type_into(h, label, user);
    type_into(h, "Signer password", password);
}

#[test]
fn hold_and_release_from_the_look_up_screen_with_the_right_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    first_run(&mut h);
    for (user, role, password) in [
        ("sam", Role::Supervisor, "sup-pass-1"),
        ("quinn", Role::Qa, "qa-pass-12"),
        ("pat", Role::Packer, "pat-pass-1"),
    ] {
        h.state_mut().send(Request::CreateUser {
            user: user.to_owned(),
            full_name: user.to_owned(),
            role,
            password: password.to_owned(),
        });
        settle(&mut h);
        assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    }
    scan(&mut h, &demo::case_sscc(1));
    for n in 1..=2 {
        scan(&mut h, &demo::pack_scan(n));
        assert_eq!(code(&h), Some("OK"));
    }
    let pack = demo::pack_scan(1);
    let before = lookup(&mut h, &pack);
    let key = before["unit"]["key"].as_str().unwrap().to_owned();
    assert!(before["hold"].is_null());
    assert!(shows(&h, "Not on hold"));

    click(&mut h, "Put on hold…");
    assert!(h.state().hold.is_some());
    assert!(shows(&h, "Put on hold (quarantine)"));
    click(&mut h, "Investigation");
    type_into(&mut h, "Comment", "complaint 4711");
    // A packer cannot sign a hold: the dialog stays open, the password is cleared.
    signer(&mut h, "Supervisor or QA user name", "pat", "pat-pass-1");
    click(&mut h, "Put on hold");
    assert_eq!(
        code(&h),
        Some("SIGNATURE_INVALID"),
        "{:?}",
        h.state().verdict
    );
    let dialog = h.state().hold.clone().expect("still open");
    assert!(dialog.password.is_empty());
    assert_eq!(dialog.text, "complaint 4711");
    signer(&mut h, "Supervisor or QA user name", "sam", "sup-pass-1");
    click(&mut h, "Put on hold");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    settle(&mut h);
    assert!(h.state().hold.is_none(), "closed when done");
    let held = h.state().lookup.clone().unwrap();
    assert_eq!(held["hold"]["held"], true, "{held}");
    assert_eq!(held["hold"]["reason"], "investigation");
    assert_eq!(held["hold"]["comment"], "complaint 4711");
    assert_eq!(held["hold"]["placed_by"], "sam");
    assert!(shows(&h, "ON HOLD"));
    assert!(shows(&h, "Investigation"));

    // The live tree marks the held pack, and packing it again is refused.
    h.state_mut().screen = Screen::Station;
    settle(&mut h);
    let node = h
        .state()
        .snapshot
        .tree
        .nodes
        .iter()
        .find(|n| n.key == key)
        .cloned()
        .expect("the pack is in the tree");
    assert!(node.held && node.hold_id == held["hold"]["id"].as_i64());
    assert!(shows(&h, "ON HOLD"), "the badge in the tree");
    scan(&mut h, &demo::pack_scan(3));
    assert_eq!(code(&h), Some("ON_HOLD"), "the case holds a held pack");

    // Release: a supervisor's signature is refused, QA's accepted.
    lookup(&mut h, &pack);
    click(&mut h, "Release…");
    type_into(&mut h, "Reason for release", "complaint unfounded");
    signer(&mut h, "QA user name", "sam", "sup-pass-1");
    click(&mut h, "Release");
    assert_eq!(
        code(&h),
        Some("SIGNATURE_INVALID"),
        "{:?}",
        h.state().verdict
    );
    assert!(h.state().hold.is_some());
    signer(&mut h, "QA user name", "quinn", "qa-pass-12");
    click(&mut h, "Release");
    assert_eq!(code(&h), Some("OK"), "{:?}", h.state().verdict);
    settle(&mut h);
    assert!(h.state().hold.is_none());
    let released = h.state().lookup.clone().unwrap();
    assert!(released["hold"].is_null(), "{released}");
    assert!(shows(&h, "Not on hold"));
    h.state_mut().screen = Screen::Station;
    scan(&mut h, &demo::pack_scan(3));
    assert_eq!(code(&h), Some("OK"), "packing goes on after the release");
}
