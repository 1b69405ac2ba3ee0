//! `packbench station --headless --serial PATH[:BAUD]`: the automation protocol of
//! [`super::station`] with serial scanners as a second input. Scans from a port run as `scan`
//! commands; their answers carry `"source"`. Device state changes and errors are lines of
//! their own (`{"device": ..., "status": "open"}` / `{"device": ..., "error": CODE, ...}`).
//! The session ends when stdin ends.

use std::io::{BufRead, Write};
use std::sync::mpsc::channel;

use super::station::{Line, MAX_LINE_BYTES, answer, read_line};
use crate::devices::scan::{DeviceEvent, DeviceStatus, EventSink};
use crate::devices::serial::{ScannerConfig, SerialWorker};
use crate::station::{Request, Station};

/// A `--serial` argument that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--serial {0:?}: expected PATH or PATH:BAUD (e.g. /dev/ttyACM0:9600)")]
pub struct SerialArgError(pub String);

/// Parses `PATH[:BAUD]` into scanner `n`'s configuration (named `serial-<n>`).
///
/// ```
/// use packbench::cli::station_serial::serial_arg;
/// let c = serial_arg("/dev/ttyUSB0:115200", 1).unwrap();
/// assert_eq!((c.serial.port.as_str(), c.serial.baud), ("/dev/ttyUSB0", 115200));
/// assert_eq!(serial_arg("COM3", 2).unwrap().serial.baud, 9600);
/// assert!(serial_arg("/dev/ttyS0:fast", 1).is_err());
/// ```
pub fn serial_arg(arg: &str, n: usize) -> Result<ScannerConfig, SerialArgError> {
    let bad = || SerialArgError(arg.to_owned());
    let (port, baud) = match arg.rsplit_once(':') {
        Some((port, baud)) if !baud.is_empty() && baud.bytes().all(|b| b.is_ascii_digit()) => {
            (port, Some(baud.parse::<u32>().map_err(|_| bad())?))
        }
        Some((_, baud)) if !baud.contains(['/', '\\']) => return Err(bad()),
        _ => (arg, None),
    };
    if port.is_empty() {
        return Err(bad());
    }
    let mut config = ScannerConfig::new(&format!("serial-{n}"), port);
    if let Some(baud) = baud {
        config.serial.baud = baud;
    }
    Ok(config)
}

enum Input {
    Line(Line),
    Device(DeviceEvent),
    End,
}

fn status_name(status: DeviceStatus) -> &'static str {
    match status {
        DeviceStatus::Open => "open",
        DeviceStatus::Lost => "lost",
        DeviceStatus::Stopped => "stopped",
    }
}

/// Runs the protocol with serial scanners until stdin ends. Returns Err only when stdout is
/// gone or a thread cannot be started.
pub fn serve_with_serial(
    station: &mut Station,
    mut input: impl BufRead + Send + 'static,
    output: &mut impl Write,
    scanners: Vec<ScannerConfig>,
) -> std::io::Result<()> {
    let (tx, rx) = channel::<Input>();
    let lines_tx = tx.clone();
    std::thread::Builder::new()
        .name("stdin".to_owned())
        .spawn(move || {
            while let Ok(Some(line)) = read_line(&mut input, MAX_LINE_BYTES) {
                if lines_tx.send(Input::Line(line)).is_err() {
                    return;
                }
            }
            let _ = lines_tx.send(Input::End);
        })?;
    let (sink, events) = EventSink::channel();
    std::thread::Builder::new()
        .name("serial-events".to_owned())
        .spawn(move || {
            for event in events {
                if tx.send(Input::Device(event)).is_err() {
                    return;
                }
            }
        })?;
    let mut workers = Vec::new();
    for config in scanners {
        workers.push(SerialWorker::spawn(config, sink.clone())?);
    }
    drop(sink);
    let result = (|| {
        while let Ok(message) = rx.recv() {
            let value = match message {
                Input::End => break,
                Input::Line(line) => match answer(station, line) {
                    Some(response) => serde_json::to_value(&response),
                    None => continue,
                },
                Input::Device(DeviceEvent::Scan(scan)) => {
                    let response = station.execute(Request::Scan { data: scan.data });
                    serde_json::to_value(&response).map(|mut v| {
                        if let Some(map) = v.as_object_mut() {
                            map.insert("source".to_owned(), scan.source.to_string().into());
                        }
                        v
                    })
                }
                Input::Device(DeviceEvent::Status { source, status }) => Ok(serde_json::json!({
                    "device": source.to_string(),
                    "status": status_name(status),
                })),
                Input::Device(DeviceEvent::Error { source, error }) => Ok(serde_json::json!({
                    "device": source.to_string(),
                    "error": error.code(),
                    "message": error.to_string(),
                })),
                Input::Device(DeviceEvent::Layer(_)) => continue,
            };
            let json = value.map_or_else(
                |e| format!(r#"{{"ok":false,"code":"STORAGE_ERROR","message":"{e}"}}"#),
                |v| v.to_string(),
            );
            output.write_all(json.as_bytes())?;
            output.write_all(b"\n")?;
            output.flush()?;
        }
        Ok(())
    })();
    for worker in workers {
        worker.stop();
    }
    result
}
