//! Issue 16, secrets never leak: a repository that echoes the request's headers (the
//! `Authorization` header among them) in its error bodies must not make packbench print,
//! store or audit the token or the Basic password; a URL with credentials is refused.

use crate::harness::repo::http1::{read_request, write_response};
use crate::harness::station::{BIN, SETUP, pallet_lines, run_lines};
use std::io::BufReader;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

const TOKEN: &str = "tok-9f2c1e77-SECRET";
const PASSWORD: &str = "pw-Echo:Me@42";

/// A repository that answers every capture with `status` and a body echoing the request
/// line and headers (and `OPTIONS` with 204).
fn echo_server(status: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::Builder::new()
        .name("echo-repository".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Ok(mut writer) = stream.try_clone() else {
                    continue;
                };
                let mut reader = BufReader::new(stream);
                while let Some(req) = read_request(&mut reader) {
                    if req.method == "OPTIONS" {
                        let _ = write_response(&mut writer, 204, &[], b"");
                        continue;
                    }
                    let mut echo = format!("cannot take {} {}; you sent:", req.method, req.path);
                    for (n, v) in &req.headers {
                        echo.push_str(&format!(" {n}: {v};"));
                    }
                    let body = serde_json::json!({"detail": echo}).to_string();
                    let _ = write_response(
                        &mut writer,
                        status,
                        &[("content-type", "application/json".to_owned())],
                        body.as_bytes(),
                    );
                }
            }
        })
        .unwrap();
    url
}

fn cli(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REPO_TOKEN", TOKEN)
        .env("REPO_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Every file of the data directory (database, WAL, logs, settings), as bytes.
fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn assert_nowhere(dir: &Path, output: &str, secrets: &[&str]) {
    // Checkpointed, so what the database holds is in its main file too.
    rusqlite::Connection::open(dir.join("packbench.sqlite"))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    for s in secrets {
        assert!(!output.contains(s), "{s} printed:\n{output}");
        for (name, bytes) in all_bytes(dir) {
            if name.ends_with("sync-credentials.json") {
                continue;
            }
            let found = bytes.windows(s.len()).any(|w| w == s.as_bytes());
            assert!(!found, "{s} stored in {name}");
        }
    }
}

fn leak_check(status: u16, auth: &[&str], secrets: &[&str]) {
    let url = echo_server(status);
    let dir = tempfile::tempdir().unwrap();
    run_lines(
        dir.path(),
        &format!("{SETUP}\n{}", pallet_lines("R", 100, 1)),
    );
    let mut args = vec!["sync", "--configure", "epcis20", "--url", &url];
    args.extend_from_slice(auth);
    let (code, text) = cli(dir.path(), &args);
    assert_eq!(code, 0, "{text}");
    let mut output = String::new();
    for args in [
        &["sync", "--once"][..],
        &["sync", "status"],
        &["sync", "--status"],
    ] {
        let (_, text) = cli(dir.path(), args);
        output.push_str(&text);
    }
    assert!(
        output.contains("<redacted>"),
        "the echo reached the output: {output}"
    );
    assert_nowhere(dir.path(), &output, secrets);
}

#[test]
fn an_echoed_bearer_token_is_redacted_when_parked() {
    // 400: the row is parked with the repository's message, audited as `sync_park`.
    leak_check(400, &["--token-env", "REPO_TOKEN"], &[TOKEN]);
}

#[test]
fn an_echoed_token_is_redacted_from_transient_errors() {
    // 401: a transient error, kept as the row's last error and printed.
    leak_check(401, &["--token-env", "REPO_TOKEN"], &[TOKEN]);
}

#[test]
fn echoed_basic_credentials_are_redacted() {
    leak_check(
        400,
        &["--basic-user", "bench", "--password-env", "REPO_PASSWORD"],
        &[PASSWORD, "YmVuY2g6cHctRWNobzpNZUA0Mg=="],
    );
}

#[test]
fn urls_with_credentials_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    run_lines(dir.path(), SETUP);
    let (code, text) = cli(
        dir.path(),
        &[
            "sync",
            "--configure",
            "epcis20",
            "--url",
            "https://bench:hunter2secret@repo.invalid/api",
        ],
    );
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("--token-env"), "{text}");
    assert!(!dir.path().join("sync.json").exists());
    assert_nowhere(dir.path(), "", &["hunter2secret"]);
}
