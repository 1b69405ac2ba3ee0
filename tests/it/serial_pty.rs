//! Serial scanners against a real pseudo-terminal pair: the test writes to the master side as
//! a scanner would, the worker reads the slave side like any serial port.
#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use packbench::devices::DeviceError;
use packbench::devices::scan::{DeviceEvent, DeviceStatus, EventSink, ScanSource};
use packbench::devices::serial::{ScannerConfig, SerialWorker, Terminator};
use packbench::gs1::scanner::{GsArrival, ScannerProfile};
use packbench::station::Request;
use serialport::{SerialPort, TTYPort};

const TIMEOUT: Duration = Duration::from_secs(10);

/// A pty pair: (master the test writes to, slave kept open, slave path).
fn pty() -> (TTYPort, TTYPort, PathBuf) {
    let (master, slave) = TTYPort::pair().expect("open a pseudo-terminal pair");
    let path = PathBuf::from(slave.name().expect("slave has a name"));
    (master, slave, path)
}

fn config(port: &Path) -> ScannerConfig {
    let mut config = ScannerConfig::new("bench-1", &port.display().to_string());
    config.serial.max_line_bytes = 64;
    config.serial.idle_timeout_ms = 200;
    config.serial.reopen_min_ms = 20;
    config.serial.reopen_max_ms = 200;
    config
}

/// The next message that is not a status change.
fn next(events: &Receiver<DeviceEvent>) -> DeviceEvent {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left).expect("a device message in time") {
            DeviceEvent::Status { .. } => {}
            event => return event,
        }
    }
}

fn next_scan(events: &Receiver<DeviceEvent>) -> String {
    match next(events) {
        DeviceEvent::Scan(scan) => {
            assert!(
                matches!(scan.source, ScanSource::Serial { ref name, .. } if name == "bench-1")
            );
            scan.data
        }
        other => panic!("expected a scan, got {other:?}"),
    }
}

fn next_error(events: &Receiver<DeviceEvent>) -> DeviceError {
    match next(events) {
        DeviceEvent::Error { error, .. } => error,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn wait_status(events: &Receiver<DeviceEvent>, wanted: DeviceStatus) -> Vec<DeviceEvent> {
    let deadline = Instant::now() + TIMEOUT;
    let mut others = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(DeviceEvent::Status { status, .. }) if status == wanted => return others,
            Ok(event) => others.push(event),
            Err(err) => panic!("no {wanted:?} in time ({err}); got {others:?}"),
        }
    }
}

fn write(master: &mut TTYPort, bytes: &[u8]) {
    master.write_all(bytes).expect("write to the pty");
    master.flush().expect("flush the pty");
}

const SCAN: &str = "]d201095060001343521727123110LOT42\u{1d}21SN0001";

#[test]
fn lines_split_writes_garbage_and_missing_terminators() {
    let (mut master, _slave, path) = pty();
    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config(&path), sink).expect("worker starts");
    wait_status(&events, DeviceStatus::Open);

    // A whole line with GS and an AIM prefix.
    write(&mut master, format!("{SCAN}\r\n").as_bytes());
    assert_eq!(next_scan(&events), SCAN);

    // The same line in three writes, split inside the GS1 data and inside CR LF.
    write(&mut master, &SCAN.as_bytes()[..10]);
    std::thread::sleep(Duration::from_millis(30));
    write(&mut master, &SCAN.as_bytes()[10..]);
    write(&mut master, b"\r");
    std::thread::sleep(Duration::from_millis(30));
    write(&mut master, b"\n");
    assert_eq!(next_scan(&events), SCAN);

    // Garbage, invalid UTF-8 and an over-long line: each a clear error, the stream goes on.
    write(&mut master, b"\x00\x13\x7f\r\n");
    assert!(matches!(next_error(&events), DeviceError::Garbage { .. }));
    write(&mut master, b"\xc3\x28\xa0\r\n");
    assert_eq!(
        next_error(&events),
        DeviceError::InvalidUtf8 {
            hex: "c328a0".to_owned()
        }
    );
    write(&mut master, &[b'7'; 200]);
    write(&mut master, b"\r\n");
    assert!(matches!(
        next_error(&events),
        DeviceError::LineTooLong { limit: 64, .. }
    ));
    write(&mut master, b"(00)095060000000000015\n");
    assert_eq!(next_scan(&events), "(00)095060000000000015");

    // A scanner that never sends a terminator: reported after the idle time.
    write(&mut master, b"0109506000134352");
    match next_error(&events) {
        DeviceError::NoTerminator { partial, idle_ms } => {
            assert_eq!(partial, "0109506000134352");
            assert_eq!(idle_ms, 200);
        }
        other => panic!("expected NoTerminator, got {other:?}"),
    }
    write(&mut master, format!("{SCAN}\n").as_bytes());
    assert_eq!(next_scan(&events), SCAN);

    worker.stop();
    let rest: Vec<DeviceEvent> = events.try_iter().collect();
    assert!(
        rest.iter().any(|e| matches!(
            e,
            DeviceEvent::Status {
                status: DeviceStatus::Stopped,
                ..
            }
        )),
        "{rest:?}"
    );
}

#[test]
fn the_profile_is_applied_and_scans_become_station_requests() {
    let (mut master, _slave, path) = pty();
    let mut config = config(&path);
    config.serial.terminator = Terminator::Custom(vec![0x03]);
    config.profile = ScannerProfile {
        gs: GsArrival::Substitute("^]".to_owned()),
        prefix: "S1:".to_owned(),
        aim: true,
        ..ScannerProfile::default()
    };
    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config, sink).expect("worker starts");
    wait_status(&events, DeviceStatus::Open);
    write(
        &mut master,
        format!("S1:{}\x03", SCAN.replace('\u{1d}', "^]")).as_bytes(),
    );
    let event = next(&events);
    match &event {
        DeviceEvent::Scan(scan) => {
            assert_eq!(scan.data, SCAN);
            assert_eq!(scan.raw, "S1:]d201095060001343521727123110LOT42^]21SN0001");
        }
        other => panic!("expected a scan, got {other:?}"),
    }
    assert_eq!(
        event.station_request(),
        Some(Request::Scan {
            data: SCAN.to_owned()
        })
    );
    // Missing prefix: a profile error naming the scan.
    write(&mut master, b"XX:0109506000134352\x03");
    assert_eq!(next_error(&events).code(), "PROFILE_MISMATCH");
    worker.stop();
}

#[test]
fn a_port_pulled_and_plugged_back_is_reopened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("ttyScanner");
    let (mut master, slave, path) = pty();
    std::os::unix::fs::symlink(&path, &link).expect("symlink");

    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config(&link), sink).expect("worker starts");
    wait_status(&events, DeviceStatus::Open);
    write(&mut master, b"(00)095060000000000015\n");
    assert_eq!(next_scan(&events), "(00)095060000000000015");

    // Cable pulled: the pty disappears.
    drop(master);
    drop(slave);
    std::fs::remove_file(&link).expect("remove link");
    let before_lost = wait_status(&events, DeviceStatus::Lost);
    assert!(
        before_lost.iter().any(|e| matches!(
            e,
            DeviceEvent::Error {
                error: DeviceError::PortLost { .. },
                ..
            }
        )),
        "{before_lost:?}"
    );
    // While it is away the worker retries quietly (no error per retry).
    std::thread::sleep(Duration::from_millis(500));
    let quiet: Vec<DeviceEvent> = events.try_iter().collect();
    assert!(quiet.is_empty(), "{quiet:?}");

    // Plugged back (a new device node under the same name).
    let (mut master, _slave, path) = pty();
    std::os::unix::fs::symlink(&path, &link).expect("symlink again");
    wait_status(&events, DeviceStatus::Open);
    write(&mut master, format!("{SCAN}\r").as_bytes());
    assert_eq!(next_scan(&events), SCAN);
    worker.stop();
}

#[test]
fn an_absent_port_is_reported_once_and_the_worker_stops_on_request() {
    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config(Path::new("/dev/packbench-no-such-port")), sink)
        .expect("worker starts");
    match next(&events) {
        DeviceEvent::Error {
            error: DeviceError::PortOpen { port, .. },
            ..
        } => assert_eq!(port, "/dev/packbench-no-such-port"),
        other => panic!("expected PortOpen, got {other:?}"),
    }
    std::thread::sleep(Duration::from_millis(300));
    worker.stop();
    let rest: Vec<DeviceEvent> = events.try_iter().collect();
    assert!(
        matches!(
            rest.as_slice(),
            [DeviceEvent::Status {
                status: DeviceStatus::Stopped,
                ..
            }]
        ),
        "{rest:?}"
    );
}

/// `packbench station --headless --serial PTY`: scans typed into the pseudo-terminal run as
/// station commands next to the JSON lines on stdin, answered with their source.
#[test]
fn the_headless_station_takes_scans_from_a_serial_port() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().expect("temp dir");
    let (mut master, _slave, path) = pty();
    let mut child = Command::new(env!("CARGO_BIN_EXE_packbench"))
        .args(["station", "--headless", "--data-dir"])
        .arg(dir.path())
        .arg("--serial")
        .arg(format!("{}:9600", path.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = std::sync::mpsc::channel::<serde_json::Value>();
    std::thread::Builder::new()
        .name("stdout".into())
        .spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let value = serde_json::from_str(&line).expect("a JSON line");
                if tx.send(value).is_err() {
                    return;
                }
            }
        })
        .expect("thread");
    let next = || lines.recv_timeout(TIMEOUT).expect("an answer in time");
    let setup = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/_setup.jsonl"
    ))
    .expect("setup");
    stdin.write_all(setup.as_bytes()).expect("setup lines");
    stdin
        .write_all(b"{\"cmd\":\"scan\",\"data\":\"(00)095060000000000015\"}\n")
        .expect("case");
    let expected = setup.lines().filter(|l| !l.trim().is_empty()).count() + 1;
    let mut answers = 0;
    let mut open = false;
    while answers < expected || !open {
        let v = next();
        if v["status"] == "open" {
            assert!(
                v["device"].as_str().is_some_and(|d| d.contains("serial-1")),
                "{v}"
            );
            open = true;
        } else if v.get("ok").is_some() {
            assert_eq!(v["ok"], true, "{v}");
            answers += 1;
        }
    }
    // Two packs from the scanner (AIM + real GS, CR-terminated), one of another product.
    master
        .write_all(b"]d201095060001343521727123110LOT42\x1d21SN0001\r")
        .expect("write");
    master
        .write_all(b"]d201095060001343691727123110LOT42\x1d21SN0002\r")
        .expect("write");
    let first = next();
    assert_eq!(first["code"], "OK", "{first}");
    assert!(
        first["source"]
            .as_str()
            .is_some_and(|s| s.contains("serial-1")),
        "{first}"
    );
    let second = next();
    assert_eq!(second["code"], "WRONG_PRODUCT", "{second}");
    // Stdin still works meanwhile, and ending it ends the session.
    stdin.write_all(b"{\"cmd\":\"status\"}\n").expect("status");
    let status = next();
    assert_eq!(status["ok"], true, "{status}");
    drop(stdin);
    let exit = child.wait().expect("exit");
    assert!(exit.success(), "{exit:?}");
}
