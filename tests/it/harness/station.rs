//! A real station in a temporary data directory, driven as automation drives it: the set-up
//! every topic starts from (users, a product, a work order), pack and SSCC keys, pallets built
//! by JSON lines, what the database then holds, and the real binary as a live headless child.

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

/// Events of every outbox row that is to be sent (not withdrawn by an undo), as an EPCIS 2.0
/// repository should end up with them: (eventID, is correction) per event.
pub fn local_event_keys(dir: &Path) -> Vec<(String, bool)> {
    let store = Store::open_dir(dir).unwrap();
    let mut st = store
        .conn()
        .raw_sqlite()
        .prepare(
            "SELECT e.hash_id, e.correction FROM events e JOIN outbox o ON o.command_id = e.command_id
             WHERE o.state != 'withdrawn' ORDER BY e.id",
        )
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

/// The packbench binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_packbench");

/// How long the tests wait for one answer, one exit or one event. It only bounds a hang: a
/// test waits for the thing itself and never depends on it coming sooner.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// `packbench station --headless --data-dir DIR`, not yet started.
pub fn headless_command(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(BIN);
    command
        .args(["station", "--headless", "--data-dir"])
        .arg(dir);
    command
}

/// Sets `path`'s permission bits.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether this process runs as root (root writes whatever the permissions say): the owner of
/// a file it has just created.
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

/// A live headless station (a child process): JSON lines in, each answer awaited with
/// [`DEADLINE`]. Its stderr is kept for failure messages; dropping it kills the child.
pub struct Headless {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    lines: std::sync::mpsc::Receiver<serde_json::Value>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Headless {
    /// Starts a station on `dir`.
    pub fn start(dir: &Path) -> Self {
        Self::spawn(headless_command(dir))
    }

    /// Starts a station on `dir` (inside `parent`) that may read its database but not write
    /// it: the kernel refuses write access to the file; for root, whom permissions do not
    /// stop, the station runs as `nobody`, who may read the database, the audit key and the
    /// WAL files (made 0600 like the database, issue 16) and create the WAL beside them.
    pub fn read_only(parent: &Path, dir: &Path) -> Self {
        let db = dir.join(packbench::store::DB_FILE_NAME);
        let mut command = if running_as_root() {
            chmod(parent, 0o755);
            chmod(dir, 0o777);
            chmod(&db, 0o644);
            for name in ["audit.key", "packbench.sqlite-wal", "packbench.sqlite-shm"] {
                if dir.join(name).exists() {
                    chmod(&dir.join(name), 0o644);
                }
            }
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
            c
        } else {
            chmod(&db, 0o444);
            std::process::Command::new(BIN)
        };
        command
            .args(["station", "--headless", "--data-dir"])
            .arg(dir);
        Self::spawn(command)
    }

    /// Starts `command` (a headless station, possibly behind a wrapper) with piped stdio.
    pub fn spawn(mut command: std::process::Command) -> Self {
        use std::io::{BufRead, Read};
        use std::process::Stdio;
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("headless-stdout".into())
            .spawn(move || {
                for line in std::io::BufReader::new(stdout).lines() {
                    let Ok(line) = line else { return };
                    let value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                    if tx.send(value).is_err() {
                        return;
                    }
                }
            })
            .unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let keep = std::sync::Arc::clone(&stderr);
        std::thread::Builder::new()
            .name("headless-stderr".into())
            .spawn(move || {
                let mut text = String::new();
                let _ = err.read_to_string(&mut text);
                keep.lock().unwrap().push_str(&text);
            })
            .unwrap();
        Self {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends one line (a newline is added).
    pub fn send(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("the station stopped reading ({e}): {}", self.stderr()));
    }

    /// The next line the station writes (an answer, or a device status line).
    pub fn next(&self) -> serde_json::Value {
        self.lines.recv_timeout(DEADLINE).unwrap_or_else(|e| {
            panic!(
                "no line from the station within {DEADLINE:?} ({e}); stderr: {}",
                self.stderr()
            )
        })
    }

    /// Sends one command and waits for its answer.
    pub fn ask(&mut self, line: &str) -> serde_json::Value {
        self.send(line);
        self.next()
    }

    /// Sends lines that must all be answered `ok`.
    pub fn ok_lines(&mut self, lines: &str) {
        for line in lines.lines().filter(|l| !l.trim().is_empty()) {
            let answer = self.ask(line);
            assert_eq!(answer["ok"], true, "{line} refused: {answer}");
        }
    }

    /// What the child wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Ends the input and waits for the child to exit.
    pub fn finish(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the station did not exit within {DEADLINE:?} after the end of its input"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Kills the child (SIGKILL) without warning and reaps it.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        // A test that failed half-way leaves no station running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
