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

use crate::harness::station::{DEADLINE, Headless, headless_command};

/// A pty pair: (master the test writes to, slave kept open, slave path).
fn pty() -> (TTYPort, TTYPort, PathBuf) {
    let (master, slave) = TTYPort::pair().expect("open a pseudo-terminal pair");
    let path = PathBuf::from(slave.name().expect("slave has a name"));
    (master, slave, path)
}

/// A scanner `name` on `port` whose partial lines never time out during a test: a line the
/// test writes in parts is never mistaken for one without a terminator, however the writes
/// are scheduled. (The idle timeout itself has its own test.)
fn config(port: &Path, name: &str) -> ScannerConfig {
    let mut config = ScannerConfig::new(name, &port.display().to_string());
    config.serial.max_line_bytes = 64;
    config.serial.idle_timeout_ms = 600_000;
    config.serial.reopen_min_ms = 20;
    config.serial.reopen_max_ms = 200;
    config
}

/// The next message that is not a status change.
fn next(events: &Receiver<DeviceEvent>) -> DeviceEvent {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left).expect("a device message in time") {
            DeviceEvent::Status { .. } => {}
            event => return event,
        }
    }
}

fn next_scan_from(events: &Receiver<DeviceEvent>, scanner: &str) -> String {
    match next(events) {
        DeviceEvent::Scan(scan) => {
            assert!(
                matches!(scan.source, ScanSource::Serial { ref name, .. } if name == scanner),
                "{:?}",
                scan.source
            );
            scan.data
        }
        other => panic!("expected a scan, got {other:?}"),
    }
}

fn next_scan(events: &Receiver<DeviceEvent>) -> String {
    next_scan_from(events, "bench-1")
}

fn next_error(events: &Receiver<DeviceEvent>) -> DeviceError {
    match next(events) {
        DeviceEvent::Error { error, .. } => error,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn wait_status(events: &Receiver<DeviceEvent>, wanted: DeviceStatus) -> Vec<DeviceEvent> {
    let deadline = Instant::now() + DEADLINE;
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

/// Bytes the worker thread of scanner `name` has read from its port so far (its `rchar` in
/// `/proc`): how the test sees that the worker took part of a line off the wire.
#[cfg(target_os = "linux")]
fn bytes_read_by(name: &str) -> u64 {
    // A thread's comm is its name cut to 15 bytes.
    let comm: String = format!("serial:{name}").chars().take(15).collect();
    for task in std::fs::read_dir("/proc/self/task").expect("/proc/self/task") {
        let task = task.expect("a task").path();
        if std::fs::read_to_string(task.join("comm")).is_ok_and(|c| c.trim_end() == comm) {
            let io = std::fs::read_to_string(task.join("io")).expect("the task's io counters");
            return io
                .lines()
                .find_map(|l| l.strip_prefix("rchar:"))
                .expect("rchar")
                .trim()
                .parse()
                .expect("a number");
        }
    }
    panic!("no thread {comm}");
}

/// Writes one part of a line and returns once the worker has read it, after checking that
/// nothing was delivered for it: the next part then reaches the worker in a later read.
#[cfg(target_os = "linux")]
fn write_part(master: &mut TTYPort, scanner: &str, part: &[u8], events: &Receiver<DeviceEvent>) {
    let before = bytes_read_by(scanner);
    write(master, part);
    let deadline = Instant::now() + DEADLINE;
    while bytes_read_by(scanner) < before + part.len() as u64 {
        assert!(
            Instant::now() < deadline,
            "the worker did not read {} bytes within {DEADLINE:?}",
            part.len()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    // (A delivery racing this check would still come before the whole line's scan, which
    // the caller then awaits.)
    if let Ok(early) = events.try_recv() {
        panic!("delivered before the line was complete: {early:?}");
    }
}

const SCAN: &str = "]d201095060001343521727123110LOT42\u{1d}21SN0001";

/// A line written in parts (split inside the GS1 data and inside CR LF), each part sent only
/// after the worker has read the one before and delivered nothing for it: one scan.
#[cfg(target_os = "linux")]
#[test]
fn a_line_split_across_reads_is_one_scan() {
    for (name, terminator) in [("split-1", Terminator::CrLf), ("split-2", Terminator::Any)] {
        let (mut master, _slave, path) = pty();
        let mut config = config(&path, name);
        config.serial.terminator = terminator.clone();
        let (sink, events) = EventSink::channel();
        let worker = SerialWorker::spawn(config, sink).expect("worker starts");
        wait_status(&events, DeviceStatus::Open);

        // A whole line with GS and an AIM prefix.
        write(&mut master, format!("{SCAN}\r\n").as_bytes());
        assert_eq!(next_scan_from(&events, name), SCAN, "{terminator:?}");

        write_part(&mut master, name, &SCAN.as_bytes()[..10], &events);
        write_part(&mut master, name, &SCAN.as_bytes()[10..], &events);
        if terminator == Terminator::CrLf {
            // CR alone does not end a CR LF line.
            write_part(&mut master, name, b"\r", &events);
            write(&mut master, b"\n");
        } else {
            // CR ends the line; the LF after it is an empty line, skipped (the next message
            // is the next line's scan).
            write(&mut master, b"\r");
            assert_eq!(next_scan_from(&events, name), SCAN, "{terminator:?}");
            write_part(&mut master, name, b"\n", &events);
            write(&mut master, b"(00)095060000000000015\r");
            assert_eq!(next_scan_from(&events, name), "(00)095060000000000015");
            write(&mut master, format!("{SCAN}\r").as_bytes());
        }
        assert_eq!(next_scan_from(&events, name), SCAN, "{terminator:?}");
        worker.stop();
    }
}

#[test]
fn garbage_invalid_utf8_and_over_long_lines_are_errors_and_the_stream_goes_on() {
    let (mut master, _slave, path) = pty();
    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config(&path, "bench-1"), sink).expect("worker starts");
    wait_status(&events, DeviceStatus::Open);

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

/// A scanner that never sends a terminator: its partial line is reported once nothing came for
/// the idle time. The test waits for the report itself; the only timing it asserts is the
/// lower bound, which no machine speed can break.
#[test]
fn a_line_without_terminator_is_reported_after_the_idle_time() {
    let (mut master, _slave, path) = pty();
    let mut config = config(&path, "bench-1");
    config.serial.idle_timeout_ms = 200;
    let (sink, events) = EventSink::channel();
    let worker = SerialWorker::spawn(config, sink).expect("worker starts");
    wait_status(&events, DeviceStatus::Open);
    let written = Instant::now();
    write(&mut master, b"0109506000134352");
    match next_error(&events) {
        DeviceError::NoTerminator { partial, idle_ms } => {
            assert_eq!(partial, "0109506000134352");
            assert_eq!(idle_ms, 200);
            assert!(
                written.elapsed() >= Duration::from_millis(200),
                "reported after {:?}",
                written.elapsed()
            );
        }
        other => panic!("expected NoTerminator, got {other:?}"),
    }
    // The next line is whole again.
    write(&mut master, format!("{SCAN}\n").as_bytes());
    assert_eq!(next_scan(&events), SCAN);
    worker.stop();
}

#[test]
fn the_profile_is_applied_and_scans_become_station_requests() {
    let (mut master, _slave, path) = pty();
    let mut config = config(&path, "bench-1");
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
    let worker = SerialWorker::spawn(config(&link, "bench-1"), sink).expect("worker starts");
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
    let worker = SerialWorker::spawn(
        config(Path::new("/dev/packbench-no-such-port"), "bench-1"),
        sink,
    )
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
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut master, _slave, path) = pty();
    let mut command = headless_command(dir.path());
    command
        .arg("--serial")
        .arg(format!("{}:9600", path.display()));
    let mut station = Headless::spawn(command);
    let setup = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/_setup.jsonl"
    ))
    .expect("setup");
    for line in setup.lines().filter(|l| !l.trim().is_empty()) {
        station.send(line);
    }
    station.send(r#"{"cmd":"scan","data":"(00)095060000000000015"}"#);
    let expected = setup.lines().filter(|l| !l.trim().is_empty()).count() + 1;
    let mut answers = 0;
    let mut open = false;
    while answers < expected || !open {
        let v = station.next();
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
    let first = station.next();
    assert_eq!(first["code"], "OK", "{first}");
    assert!(
        first["source"]
            .as_str()
            .is_some_and(|s| s.contains("serial-1")),
        "{first}"
    );
    let second = station.next();
    assert_eq!(second["code"], "WRONG_PRODUCT", "{second}");
    // Stdin still works meanwhile, and ending it ends the session.
    let status = station.ask(r#"{"cmd":"status"}"#);
    assert_eq!(status["ok"], true, "{status}");
    let exit = station.finish();
    assert!(exit.success(), "{exit:?}");
}
