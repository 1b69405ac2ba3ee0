//! Fuzz target: the headless protocol (`packbench station --headless`) on a real station in a
//! temporary data directory. Structure-aware: the input is decoded (`arbitrary`) into a
//! sequence of lines — well-formed commands with fuzzed fields, JSON with fuzzed keys and
//! values, raw bytes — so most inputs reach the station rather than the JSON parser. Every
//! line must get exactly one answer, nothing may panic, and at the end the audit trail and
//! the state must verify intact (`audit verify`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

/// One protocol line, as the fuzzer builds it.
#[derive(Debug, Arbitrary)]
enum Line {
    /// A known command with fuzzed string fields.
    Command {
        cmd: Cmd,
        a: String,
        b: String,
        flag: bool,
    },
    /// A JSON object with any keys and string values.
    Object(Vec<(String, String)>),
    /// Any bytes.
    Raw(Vec<u8>),
}

#[derive(Debug, Arbitrary, Clone, Copy)]
enum Cmd {
    Login,
    Logout,
    Scan,
    Mode,
    Close,
    Remove,
    Unpack,
    Move,
    Confirm,
    Cancel,
    Retire,
    Undo,
    SetSetting,
    Lookup,
    Status,
    Tree,
    VerifyStart,
    VerifyConfirm,
}

const SETUP: &str = include_str!("../../tests/scenarios/_setup.jsonl");

fn render(line: &Line) -> Vec<u8> {
    use serde_json::json;
    let v = match line {
        Line::Raw(bytes) => return bytes.iter().copied().filter(|&b| b != b'\n').collect(),
        Line::Object(pairs) => {
            let map: serde_json::Map<String, serde_json::Value> =
                pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            serde_json::Value::Object(map)
        }
        Line::Command { cmd, a, b, flag } => match cmd {
            Cmd::Login => json!({"cmd": "login", "user": a, "password": b}),
            Cmd::Logout => json!({"cmd": "logout"}),
            Cmd::Scan => json!({"cmd": "scan", "data": a}),
            Cmd::Mode => json!({"cmd": "mode", "mode": a}),
            Cmd::Close => json!({"cmd": "close", "signature": {"user": "sup", "password": b}}),
            Cmd::Remove => json!({"cmd": "remove", "scan": a}),
            Cmd::Unpack => json!({"cmd": "unpack", "scan": a}),
            Cmd::Move => json!({"cmd": "move", "scan": a, "to": b, "confirm": flag}),
            Cmd::Confirm => json!({"cmd": "confirm"}),
            Cmd::Cancel => json!({"cmd": "cancel"}),
            Cmd::Retire => json!({"cmd": "retire", "scan": a, "kind": b, "reason": "damaged",
                                  "signature": {"user": "sup", "password": "sup-pass-1"}}),
            Cmd::Undo => {
                json!({"cmd": "undo", "signature": {"user": "sup", "password": "sup-pass-1"}})
            }
            Cmd::SetSetting => json!({"cmd": "set_setting", "key": a, "value": b}),
            Cmd::Lookup => json!({"cmd": "lookup", "scan": a}),
            Cmd::Status => json!({"cmd": "status"}),
            Cmd::Tree => json!({"cmd": "tree", "scan": a}),
            Cmd::VerifyStart => json!({"cmd": "verify_start", "container": a}),
            Cmd::VerifyConfirm => json!({"cmd": "verify_confirm", "move_foreign": flag,
                                         "signature": {"user": "sup", "password": "sup-pass-1"}}),
        },
    };
    v.to_string().into_bytes()
}

/// The setup's lines that build the station's data (users, products, the work order,
/// settings): run once into a template data directory that every input starts from a copy of.
/// The last lines (log-in, work order selection) hold session state and run per input.
const SESSION_LINES: usize = 2;

fn template() -> &'static std::path::Path {
    static TEMPLATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let lines: Vec<&str> = SETUP.lines().filter(|l| !l.trim().is_empty()).collect();
            let data = lines[..lines.len() - SESSION_LINES].join("\n") + "\n";
            let mut station = packbench::station::Station::open(dir.path()).expect("station");
            let mut out = Vec::new();
            packbench::cli::station::serve(&mut station, &mut data.as_bytes(), &mut out)
                .expect("serve");
            let answers = String::from_utf8(out).expect("answers");
            assert!(
                answers
                    .lines()
                    .all(|a| a.contains("\"code\":\"OK\"") || a.contains("\"code\": \"OK\"")),
                "the setup failed: {answers}"
            );
            drop(station);
            dir
        })
        .path()
}

/// A fresh data directory holding a copy of the template's files.
fn fresh_station_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(template()).expect("template") {
        let entry = entry.expect("template entry");
        if entry.file_type().expect("file type").is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
    }
    dir
}

fuzz_target!(|lines: Vec<Line>| {
    let dir = fresh_station_dir();
    let mut station = packbench::station::Station::open(dir.path()).expect("station");
    let session: Vec<&str> = SETUP.lines().filter(|l| !l.trim().is_empty()).collect();
    let session = &session[session.len() - SESSION_LINES..];
    let mut input = Vec::new();
    for line in session {
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    let mut expected = session.len();
    for line in lines.iter().take(64) {
        let bytes = render(line);
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            expected += 1;
        }
        input.extend_from_slice(&bytes);
        input.push(b'\n');
    }
    let mut out = Vec::new();
    packbench::cli::station::serve(&mut station, &mut input.as_slice(), &mut out).expect("serve");
    assert_eq!(
        out.iter().filter(|&&b| b == b'\n').count(),
        expected,
        "one answer per line"
    );
    drop(station);
    let store = packbench::store::Store::open_dir(dir.path()).expect("reopen");
    let report = packbench::station::verify_all(store.conn(), store.path()).expect("verify");
    assert!(report.intact(), "{report:?}");
});
