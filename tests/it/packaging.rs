//! What the installers rely on, checked on the real binary: `--version`, the man page against
//! `--help`, the data/config/log directories, the log file, the package metadata's files, and an
//! upgrade from an older database schema.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_packbench");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary with a clean environment for the directory variables.
fn packbench() -> Command {
    let mut c = Command::new(BIN);
    for var in [
        "PACKBENCH_DATA_DIR",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
    ] {
        c.env_remove(var);
    }
    c
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run packbench")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// A headless session: the answers, one per input line.
fn session(dir: &Path, lines: &[&str]) -> Vec<Value> {
    use std::io::Write;
    let mut child = packbench()
        .args(["station", "--headless", "--data-dir"])
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = lines.join("\n");
    input.push('\n');
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(answers.len(), lines.len(), "{answers:?}");
    answers
}

#[test]
fn version_shows_build_facts() {
    let long = stdout(&run(packbench().arg("--version")));
    let short = stdout(&run(packbench().arg("-V")));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        long.starts_with(&format!("packbench {version}\n")),
        "{long}"
    );
    let field = |name: &str| -> String {
        long.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name} in {long}"))
            .trim()
            .to_owned()
    };
    let commit = field("commit");
    let date = field("date");
    let target = field("target");
    let profile = field("profile");
    // The default features: `webcam` (nokhwa) is on by default.
    assert_eq!(field("features"), "webcam", "the default build's features");
    // The commit is git's short hash of HEAD when built from a git checkout.
    if let Ok(git) = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(ROOT)
        .output()
        && git.status.success()
    {
        let head = String::from_utf8_lossy(&git.stdout).trim().to_owned();
        assert!(
            commit == head || commit == format!("{head}-dirty"),
            "{commit} vs HEAD {head} (rebuild after committing)"
        );
    } else {
        assert!(!commit.is_empty());
    }
    assert_eq!(date.len(), 10, "{date}");
    assert!(
        time::Date::parse(
            &date,
            time::macros::format_description!("[year]-[month]-[day]")
        )
        .is_ok(),
        "{date}"
    );
    assert!(target.contains(std::env::consts::ARCH), "{target}");
    assert!(target.contains(std::env::consts::OS), "{target}");
    let expected_profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    assert_eq!(profile, expected_profile);
    assert_eq!(
        short.trim(),
        format!("packbench {version} ({commit} {date} {target} {profile})")
    );
}

/// The subcommand names in the `Commands:` section of a clap help text.
fn help_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn man_page_describes_every_subcommand_and_option_of_help() {
    let man = std::fs::read_to_string(format!("{ROOT}/installer/linux/packbench.1")).unwrap();
    // Roff escapes '-' as '\-'; compare on the plain text.
    let plain = man.replace("\\-", "-");
    let help = stdout(&run(packbench().arg("--help")));
    let commands = help_commands(&help);
    assert!(
        commands.len() >= 8 && commands.iter().any(|c| c == "station"),
        "{help}"
    );
    for command in &commands {
        let described = plain.lines().any(|l| {
            (l.starts_with(".TP") || l.starts_with(".B")) && {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.get(1).map(|w| w.trim_matches('"')) == Some(command.as_str())
            }
        });
        assert!(described, "man page has no entry for `{command}`");
        // Each command's own options appear in the man page too.
        if command == "help" {
            continue;
        }
        let sub = stdout(&run(packbench().args([command.as_str(), "--help"])));
        for word in sub.split_whitespace() {
            let option = word.trim_end_matches([',', '.']);
            if option.starts_with("--") && option.len() > 2 && !option.contains('=') {
                let option = option.split('[').next().unwrap_or(option);
                assert!(
                    plain.contains(option),
                    "man page lacks `{option}` of `{command}`"
                );
            }
        }
    }
    for option in ["--data-dir", "--version", "--help", "-V"] {
        assert!(help.contains(option) && plain.contains(option), "{option}");
    }
    assert!(plain.contains(env!("CARGO_PKG_VERSION")), "version in .TH");
}

#[cfg(target_os = "linux")]
#[test]
fn standard_places_follow_xdg_and_overrides_win() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let paths = |cmd: &mut Command| -> Value {
        let out = run(cmd.args(["paths", "--json"]));
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let xdg = paths(
        packbench()
            .env("HOME", r.join("home"))
            .env("XDG_DATA_HOME", r.join("data"))
            .env("XDG_CONFIG_HOME", r.join("config"))
            .env("XDG_STATE_HOME", r.join("state")),
    );
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    assert_eq!(xdg["data"], s(&r.join("data/packbench")));
    assert_eq!(xdg["config"], s(&r.join("config/packbench")));
    assert_eq!(xdg["logs"], s(&r.join("state/packbench/logs")));
    assert_eq!(
        xdg["database"],
        s(&r.join("data/packbench/packbench.sqlite"))
    );
    // Without XDG variables: the defaults under HOME (what cli::data_dir always gave).
    let home = paths(packbench().env("HOME", r.join("home")));
    assert_eq!(home["data"], s(&r.join("home/.local/share/packbench")));
    assert_eq!(home["config"], s(&r.join("home/.config/packbench")));
    assert_eq!(home["logs"], s(&r.join("home/.local/state/packbench/logs")));
    // The environment variable, then --data-dir over it.
    let env = paths(
        packbench()
            .env("HOME", r.join("home"))
            .env("PACKBENCH_DATA_DIR", r.join("bench")),
    );
    assert_eq!(env["data"], s(&r.join("bench")));
    assert_eq!(env["logs"], s(&r.join("bench/logs")));
    let arg = paths(
        packbench()
            .env("PACKBENCH_DATA_DIR", r.join("bench"))
            .arg("--data-dir")
            .arg(r.join("arg")),
    );
    assert_eq!(arg["data"], s(&r.join("arg")));
    // Nothing was created by asking.
    assert!(!r.join("data").exists() && !r.join("bench").exists());
}

#[test]
fn station_sessions_and_errors_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    session(dir.path(), &[r#"{"cmd":"status"}"#]);
    let out = run(packbench()
        .args(["export", "--since", "yesterday-ish", "--data-dir"])
        .arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    // Commands without a data directory log nothing.
    run(packbench()
        .args(["parse", "(01)09506000134352", "--data-dir"])
        .arg(dir.path()));
    let log = std::fs::read_to_string(dir.path().join("logs/packbench.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        lines[0].contains(&format!(" INFO packbench {version} "))
            && lines[0].contains("station start"),
        "{}",
        lines[0]
    );
    assert!(lines[1].ends_with(" INFO station finished"), "{}", lines[1]);
    assert!(lines[2].contains("export start"), "{}", lines[2]);
    assert!(
        lines[3].contains(" ERROR export: ") && lines[3].contains("yesterday-ish"),
        "{}",
        lines[3]
    );
}

#[test]
fn deb_assets_and_desktop_entry_exist() {
    let cargo = std::fs::read_to_string(format!("{ROOT}/Cargo.toml")).unwrap();
    let deb = cargo
        .split("[package.metadata.deb]")
        .nth(1)
        .expect("deb metadata");
    let assets: Vec<&str> = deb
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert!(assets.len() >= 10, "{assets:?}");
    for source in assets.iter().filter(|a| !a.starts_with("target/")) {
        assert!(Path::new(ROOT).join(source).is_file(), "{source} missing");
    }
    for script in ["postinst", "postrm"] {
        let text =
            std::fs::read_to_string(format!("{ROOT}/installer/linux/debian/{script}")).unwrap();
        assert!(text.starts_with("#!/bin/sh\n"), "{script}");
    }
    let desktop =
        std::fs::read_to_string(format!("{ROOT}/installer/linux/packbench.desktop")).unwrap();
    for line in [
        "[Desktop Entry]",
        "Type=Application",
        "Exec=packbench",
        "Icon=packbench",
        "Terminal=false",
    ] {
        assert!(desktop.lines().any(|l| l == line), "{line}");
    }
    // The icon exists in every size the package installs, and the PNGs are what they claim.
    for size in [48_u32, 128, 256] {
        let path = format!("{ROOT}/assets/icons/packbench-{size}.png");
        let img = image::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!((img.width(), img.height()), (size, size), "{path}");
    }
    let rules =
        std::fs::read_to_string(format!("{ROOT}/installer/linux/60-packbench-serial.rules"))
            .unwrap();
    assert!(
        rules
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .all(|l| l.contains("SUBSYSTEM==\"tty\"") && l.contains("GROUP=\"dialout\"")),
        "{rules}"
    );
}

/// The tables of schema version 1 (the first release's database).
const V1_TABLES: &[&str] = &[
    "alerts",
    "audit",
    "commands",
    "event_epcs",
    "events",
    "outbox",
    "products",
    "settings",
    "signatures",
    "units",
    "users",
    "work_orders",
];

#[test]
fn database_of_an_older_schema_is_migrated_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let setup = [
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}"#,
        r#"{"cmd":"create_user","user":"pat","full_name":"Pat Packer","role":"packer","password":"pat-pass-1"}"#,
        r#"{"cmd":"add_product","gtin":"09506000134352","name":"Demo 20 mg tablets","company_prefix_length":7}"#,
        r#"{"cmd":"create_work_order","id":"WO-1","gtin":"09506000134352","lot":"LOT42","expiry":"271231","levels":[{"level":"case","capacity":3},{"level":"pallet","capacity":2}]}"#,
        r#"{"cmd":"set_setting","key":"read_point","value":"urn:epc:id:sgln:9506000.00000.1"}"#,
        r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#,
        r#"{"cmd":"select_work_order","id":"WO-1"}"#,
        r#"{"cmd":"scan","data":"(00)095060000000000015"}"#,
        r#"{"cmd":"scan","data":"(01)09506000134352(17)271231(10)LOT42(21)SN0001"}"#,
        r#"{"cmd":"scan","data":"(01)09506000134352(17)271231(10)LOT42(21)SN0002"}"#,
    ];
    let answers = session(dir.path(), &setup);
    assert!(answers.iter().all(|a| a["ok"] == true), "{answers:?}");

    // Turn it into exactly what the first release wrote: undo migrations 14 to 2, and the
    // keyed audit chain (issue 16) back into the keyless one, without its key.
    crate::tamper::to_keyless_chain(dir.path());
    let db = dir.path().join(packbench::store::DB_FILE_NAME);
    let queued_before = {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "DROP TABLE refusals; DROP INDEX commands_by_time;
             DROP TABLE return_checks; DROP INDEX units_by_work_order; ALTER TABLE units DROP COLUMN handled_ms;
             ALTER TABLE work_orders DROP COLUMN closed_ms; ALTER TABLE work_orders DROP COLUMN closed_by;
             ALTER TABLE work_orders DROP COLUMN closeout;
             ALTER TABLE audit DROP COLUMN evidence; DROP TABLE holds; DROP INDEX units_by_lot;
             DROP TABLE current_containers; DROP TABLE suspensions; ALTER TABLE work_orders DROP COLUMN auto_open_next;
             ALTER TABLE outbox DROP COLUMN unverified; ALTER TABLE events DROP COLUMN role; DROP TABLE known_events; DROP TABLE adoptions;
             DROP INDEX sscc_ranges_open; ALTER TABLE outbox DROP COLUMN sent_ms;
             DROP INDEX labels_pending; DROP TABLE labels; DROP TABLE sscc_ranges;
             PRAGMA user_version = 1;",
        )
        .unwrap();
        let mut tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables.sort();
        assert_eq!(tables, V1_TABLES, "a version-1 database");
        c.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let before = std::fs::read(&db).unwrap().len();
    assert!(before > 0);

    // The new binary opens it, migrates it and goes on where it stopped.
    let answers = session(
        dir.path(),
        &[
            r#"{"cmd":"login","user":"pat","password":"pat-pass-1"}"#,
            r#"{"cmd":"select_work_order","id":"WO-1"}"#,
            // The old schema did not record what was being filled: the packer scans the open
            // case to go on (the station never guesses it).
            r#"{"cmd":"scan","data":"(00)095060000000000015"}"#,
            r#"{"cmd":"scan","data":"(01)09506000134352(17)271231(10)LOT42(21)SN0003"}"#,
            r#"{"cmd":"manifest","scan":"(00)095060000000000015"}"#,
        ],
    );
    assert!(answers.iter().all(|a| a["ok"] == true), "{answers:?}");
    assert_eq!(answers[2]["data"]["selected"], true, "{answers:?}");
    let manifest = answers[4].to_string();
    for serial in ["SN0001", "SN0002", "SN0003"] {
        assert!(manifest.contains(serial), "{serial}: {manifest}");
    }
    let c = rusqlite::Connection::open(&db).unwrap();
    let version: i32 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, packbench::store::current_version());
    let new_tables: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'
             AND name IN ('sscc_ranges', 'labels', 'sscc_pool', 'adoptions', 'known_events')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Migration 3 made `sscc_pool`, migration 4 folded it into `sscc_ranges` and dropped it;
    // migration 5 made `adoptions` and `known_events`.
    assert_eq!(new_tables, 4);
    let sent: i64 = c
        .query_row(
            "SELECT count(*) FROM outbox WHERE sent_ms IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(queued_before > 0);
    assert!(
        sent > queued_before,
        "the old outbox rows are still queued, and the new one: {sent} vs {queued_before}"
    );
    drop(c);
    // The audit trail written before the upgrade still verifies after it.
    let out = run(packbench()
        .args(["audit", "verify", "--data-dir"])
        .arg(dir.path()));
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("intact"));
}
