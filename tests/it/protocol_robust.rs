//! Issue 16, a protocol that never dies: inputs that used to panic, unknown values named as
//! such, unknown fields and duplicate keys refused everywhere, a failed log-in that logs the
//! previous user out, lockout audited as its own actions; and the property that any sequence
//! of valid commands leaves a trail that `audit verify` finds intact, with the state equal to
//! the trail's replay.

use crate::harness::station::{BIN, SETUP, pack_scan, sscc};
use packbench::station::Station;
use proptest::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs lines through the real binary; the session must end normally (exit 0).
fn session(dir: &Path, input: &str) -> Vec<Value> {
    let mut child = Command::new(BIN)
        .args(["station", "--headless", "--data-dir"])
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn answers_after_setup(lines: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{SETUP}\n{}\n", lines.join("\n"));
    let all = session(dir.path(), &input);
    let n = SETUP.lines().count();
    assert!(all[..n].iter().all(|a| a["ok"] == true), "{all:?}");
    assert_eq!(all.len(), n + lines.len(), "every line gets an answer");
    all[n..].to_vec()
}

#[test]
fn multibyte_time_zone_offsets_are_refused_not_fatal() {
    let answers = answers_after_setup(&[
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#,
        r#"{"cmd":"set_setting","key":"time_zone_offset","value":"+1:é0"}"#,
        r#"{"cmd":"set_setting","key":"time_zone_offset","value":"é6€"}"#,
        r#"{"cmd":"set_setting","key":"time_zone_offset","value":"+15:00"}"#,
        r#"{"cmd":"set_setting","key":"time_zone_offset","value":"-03:30"}"#,
        r#"{"cmd":"status"}"#,
    ]);
    let codes: Vec<&str> = answers
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "OK",
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            "OK",
            "OK"
        ]
    );
    assert!(answers[1]["detail"].as_str().unwrap().contains("+01:00"));
}

#[test]
fn unknown_values_fields_and_duplicate_keys() {
    let scan = pack_scan("P", 1);
    let retire = |kind: &str, reason: &str| {
        format!(r#"{{"cmd":"retire","scan":"{scan}","kind":"{kind}","reason":"{reason}"}}"#)
    };
    let lines = [
        retire("decommission", "bogus"),
        retire("burn", "damaged"),
        r#"{"cmd":"confirm","sigature":{"user":"sup"}}"#.to_owned(),
        r#"{"cmd":"status","verbose":true}"#.to_owned(),
        r#"{"cmd":"scan","data":"(00)1","data":"(00)2"}"#.to_owned(),
        r#"{"cmd":"close","signature":{"user":"sup","user":"admin","password":"x"}}"#.to_owned(),
        r#"{"cmd":"retire_everything"}"#.to_owned(),
        r#"{"cmd":"status"}"#.to_owned(),
    ];
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let a = answers_after_setup(&refs);
    let code = |i: usize| a[i]["code"].as_str().unwrap().to_owned();
    let detail = |i: usize| a[i]["detail"].as_str().unwrap_or_default().to_owned();
    assert_eq!(code(0), "INVALID_ARGUMENT");
    assert!(detail(0).contains("field 'reason'"), "{}", detail(0));
    assert!(
        detail(0).contains("'bogus'") && detail(0).contains("qa_sample"),
        "{}",
        detail(0)
    );
    assert_eq!(code(1), "INVALID_ARGUMENT");
    assert!(
        detail(1).contains("field 'kind'") && detail(1).contains("decommission"),
        "{}",
        detail(1)
    );
    assert_eq!(code(2), "BAD_REQUEST");
    assert!(
        detail(2).contains("sigature") && detail(2).contains("confirm takes no fields"),
        "{}",
        detail(2)
    );
    assert_eq!(code(3), "BAD_REQUEST");
    assert_eq!(code(4), "BAD_REQUEST");
    assert!(
        detail(4).contains("duplicate key \"data\""),
        "{}",
        detail(4)
    );
    assert_eq!(code(5), "BAD_REQUEST");
    assert!(
        detail(5).contains("duplicate key \"user\""),
        "{}",
        detail(5)
    );
    assert_eq!(code(6), "UNKNOWN_COMMAND");
    assert_eq!(code(7), "OK");
}

fn audit_actions(dir: &Path) -> Vec<(String, String, Option<String>)> {
    let store = packbench::store::Store::open_dir(dir).unwrap();
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare("SELECT username, action, new_value FROM audit ORDER BY seq")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_failed_login_logs_the_previous_user_out_and_lockout_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![
        r#"{"cmd":"login","user":"sup","password":"wrong-pass"}"#.to_owned(),
        r#"{"cmd":"status"}"#.to_owned(),
        r#"{"cmd":"scan","data":"(00)095060000000000015"}"#.to_owned(),
    ];
    for _ in 0..4 {
        lines.push(r#"{"cmd":"login","user":"sup","password":"wrong-pass"}"#.to_owned());
    }
    lines.push(r#"{"cmd":"login","user":"sup","password":"sup-pass-1"}"#.to_owned());
    lines.push(r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#.to_owned());
    lines.push(r#"{"cmd":"select_work_order","id":"WO-1"}"#.to_owned());
    lines.push(format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(900)));
    lines.push(format!(
        r#"{{"cmd":"scan","data":"{}"}}"#,
        pack_scan("L", 1)
    ));
    lines.push(r#"{"cmd":"close","signature":{"user":"sup","password":"sup-pass-1"}}"#.to_owned());
    let input = format!("{SETUP}\n{}\n", lines.join("\n"));
    let all = session(dir.path(), &input);
    let a = &all[SETUP.lines().count()..];
    assert_eq!(a[0]["code"], "BAD_CREDENTIALS");
    assert_eq!(a[1]["data"]["user"], Value::Null, "{}", a[1]);
    assert_eq!(a[2]["code"], "NOT_LOGGED_IN");
    assert_eq!(a[6]["code"], "ACCOUNT_LOCKED", "the fifth failure locks");
    assert_eq!(
        a[7]["code"], "ACCOUNT_LOCKED",
        "the right password is refused while locked"
    );
    assert_eq!(a[8]["code"], "OK");
    assert_eq!(a[11]["code"], "OK", "{}", a[11]);
    assert_eq!(a[12]["code"], "SIGNATURE_INVALID", "{}", a[12]);
    let actions = audit_actions(dir.path());
    let find = |action: &str| {
        actions
            .iter()
            .filter(|(_, a, _)| a == action)
            .collect::<Vec<_>>()
    };
    let logout = find("logout");
    assert_eq!(
        logout.len(),
        1,
        "pat was logged out by the failed log-in: {actions:?}"
    );
    assert_eq!(logout[0].0, "pat");
    let locked = find("account_locked");
    assert_eq!(locked.len(), 1, "{actions:?}");
    assert_eq!(locked[0].0, "sup");
    let v: Value = serde_json::from_str(locked[0].2.as_deref().unwrap()).unwrap();
    assert_eq!(v["failures"], 5);
    assert!(v["until_ms"].as_i64().unwrap() > 0);
    assert_eq!(find("login_refused_locked").len(), 1, "{actions:?}");
    assert_eq!(find("signature_refused_locked").len(), 1, "{actions:?}");
}

/// One valid command of a bench's day, drawn by the property test.
#[derive(Debug, Clone)]
enum Step {
    Case(u64),
    Pack(u32),
    Close,
    Remove(u32),
    Undo,
    Pallet(u64),
}

fn step_line(step: &Step) -> String {
    match step {
        Step::Case(n) => format!(r#"{{"cmd":"scan","data":"(00){}"}}"#, sscc(500 + n)),
        Step::Pack(n) => format!(r#"{{"cmd":"scan","data":"{}"}}"#, pack_scan("Q", *n)),
        Step::Close => {
            r#"{"cmd":"close","signature":{"user":"sup","password":"sup-pass-1"}}"#.to_owned()
        }
        Step::Remove(n) => format!(r#"{{"cmd":"remove","scan":"{}"}}"#, pack_scan("Q", *n)),
        Step::Undo => {
            r#"{"cmd":"undo","signature":{"user":"sup","password":"sup-pass-1"}}"#.to_owned()
        }
        Step::Pallet(n) => format!(
            "{{\"cmd\":\"new_container\",\"level\":\"pallet\",\"sscc\":\"(00){}\"}}",
            sscc(800 + n)
        ),
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0u64..6).prop_map(Step::Case),
        4 => (1u32..25).prop_map(Step::Pack),
        1 => Just(Step::Close),
        1 => (1u32..25).prop_map(Step::Remove),
        1 => Just(Step::Undo),
        1 => (0u64..3).prop_map(Step::Pallet),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_sequence_verifies_intact(steps in proptest::collection::vec(step(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        // Every day starts with a case to pack into, so the sequence changes the state.
        let steps: Vec<Step> = std::iter::once(Step::Case(0)).chain(steps).collect();
        let input = format!(
            "{SETUP}\n{}\n",
            steps.iter().map(step_line).collect::<Vec<_>>().join("\n")
        );
        let mut out = Vec::new();
        packbench::cli::station::serve(&mut station, &mut input.as_bytes(), &mut out).unwrap();
        let answers: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let first = &answers[SETUP.lines().count()];
        prop_assert_eq!(&first["code"], "OK", "{}", first);
        drop(station);
        let store = packbench::store::Store::open_dir(dir.path()).unwrap();
        let report = packbench::station::verify_all(store.conn(), store.path()).unwrap();
        prop_assert!(report.intact(), "{report:?}\n{input}");
        // The stored EPCIS events, replayed, put every unit of a closed container where the
        // state table has it (an open container's children are aggregated when it closes).
        let sql = store.conn().raw_sqlite();
        let mut facts = Vec::new();
        let mut st = sql.prepare("SELECT body FROM events ORDER BY id").unwrap();
        for body in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            facts.extend(packbench::epcis::facts_from_jsonld(&body.unwrap()).unwrap());
        }
        let replayed = packbench::epcis::replay(&facts);
        let mut st = sql
            .prepare("SELECT u.epc, p.epc FROM units u JOIN units p ON p.id = u.parent_id WHERE p.state = 'closed'")
            .unwrap();
        let placed: Vec<(String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (epc, parent) in &placed {
            let by_events = replayed.units.get(epc).and_then(|u| u.parent.as_deref());
            prop_assert_eq!(by_events, Some(parent.as_str()), "{}\n{}", epc, input);
        }
    }
}

/// A protocol line as a fuzzer would build it: a known command with arbitrary field values,
/// an object with arbitrary keys, or arbitrary text.
fn any_line() -> impl Strategy<Value = String> {
    let text = "\\PC{0,12}";
    let cmds = prop::sample::select(vec![
        "login",
        "logout",
        "scan",
        "mode",
        "close",
        "remove",
        "unpack",
        "move",
        "confirm",
        "cancel",
        "retire",
        "undo",
        "set_setting",
        "lookup",
        "status",
        "tree",
        "verify_start",
        "verify_confirm",
        "verify_cancel",
        "manifest",
        "new_container",
    ]);
    let fields = prop::sample::select(vec![
        "data",
        "scan",
        "user",
        "password",
        "mode",
        "kind",
        "reason",
        "key",
        "value",
        "level",
        "to",
        "confirm",
        "container",
        "sscc",
        "signature",
    ]);
    prop_oneof![
        (cmds, proptest::collection::vec((fields, text), 0..4)).prop_map(|(cmd, kv)| {
            let mut m = serde_json::Map::new();
            m.insert("cmd".into(), Value::String(cmd.to_owned()));
            for (k, v) in kv {
                m.insert(k.to_owned(), Value::String(v));
            }
            Value::Object(m).to_string()
        }),
        proptest::collection::vec(("\\PC{0,6}", text), 0..4).prop_map(|kv| {
            let m: serde_json::Map<String, Value> =
                kv.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
            Value::Object(m).to_string()
        }),
        "[^\n]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_line_gets_one_answer_and_the_trail_stays_intact(
        lines in proptest::collection::vec(any_line(), 1..30)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        let input = format!("{SETUP}\n{}\n", lines.join("\n"));
        let expected = input
            .lines()
            .filter(|l| !l.bytes().all(|b| b.is_ascii_whitespace()))
            .count();
        let mut out = Vec::new();
        packbench::cli::station::serve(&mut station, &mut input.as_bytes(), &mut out).unwrap();
        prop_assert_eq!(String::from_utf8(out).unwrap().lines().count(), expected);
        drop(station);
        let store = packbench::store::Store::open_dir(dir.path()).unwrap();
        let report = packbench::station::verify_all(store.conn(), store.path()).unwrap();
        prop_assert!(report.intact(), "{:?}\n{}", report, input);
    }
}

/// A command's events take `now`, `now + 1`, ...; the next command starts after the last of
/// them. With a clock that stands still, an undo of the packing that closed a case, then a new
/// pack, must give events whose replay by time puts every pack where the state has it (the
/// undo's reversing DELETE used to come later than the new ADD).
#[test]
fn an_undo_then_a_pack_replay_in_order_with_a_clock_that_stands_still() {
    let dir = tempfile::tempdir().unwrap();
    let store = packbench::store::Store::open_dir(dir.path()).unwrap();
    let mut station = Station::with_clock(store, Box::new(|| 1_780_000_000_000)).unwrap();
    let scan = |s: &str| {
        format!(r#"{{"cmd":"scan","data":"(01)09506000134352(17)271231(10)LOT42(21){s}"}}"#)
    };
    let input = [
        SETUP.to_owned(),
        r#"{"cmd":"scan","data":"(00)095060000000005003"}"#.to_owned(),
        scan("Q0010"),
        scan("Q0009"),
        scan("Q0002"),
        r#"{"cmd":"undo","signature":{"user":"sup","password":"sup-pass-1"}}"#.to_owned(),
        scan("Q0005"),
    ]
    .join("\n");
    let mut out = Vec::new();
    packbench::cli::station::serve(&mut station, &mut input.as_bytes(), &mut out).unwrap();
    for line in String::from_utf8(out).unwrap().lines() {
        let answer: Value = serde_json::from_str(line).unwrap();
        assert_eq!(answer["ok"], true, "{answer}");
    }
    drop(station);
    let store = packbench::store::Store::open_dir(dir.path()).unwrap();
    let sql = store.conn().raw_sqlite();
    let mut facts = Vec::new();
    let mut st = sql.prepare("SELECT body FROM events ORDER BY id").unwrap();
    for body in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        facts.extend(packbench::epcis::facts_from_jsonld(&body.unwrap()).unwrap());
    }
    let replayed = packbench::epcis::replay(&facts);
    let case = "urn:epc:id:sscc:9506000.0000000500";
    for serial in ["Q0010", "Q0009", "Q0005"] {
        let epc = format!("urn:epc:id:sgtin:9506000.013435.{serial}");
        let parent = replayed.units.get(&epc).and_then(|u| u.parent.as_deref());
        assert_eq!(parent, Some(case), "{epc}");
    }
    let q2 = replayed.units.get("urn:epc:id:sgtin:9506000.013435.Q0002");
    assert_eq!(
        q2.and_then(|u| u.parent.as_deref()),
        None,
        "the undone pack is out"
    );
    let times: Vec<i64> = sql
        .prepare("SELECT event_time_ms FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut sorted = times.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        times.len(),
        "no two events share a time: {times:?}"
    );
}
