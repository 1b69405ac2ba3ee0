//! Serial / USB-CDC scanners: one named worker thread per configured port.
//!
//! The worker owns its port. It assembles lines ([`LineAssembler`]), applies the scanner's
//! [`ScannerProfile`], and sends each scan — or a clear error — into the device stream. A port
//! that vanishes (cable pulled) is reported once and reopened with backoff when it comes back;
//! bad lines (garbage, over-long, invalid UTF-8, no terminator) are reported and the stream
//! goes on. Nothing here can stop another device.
//!
//! ```no_run
//! use packbench::devices::scan::EventSink;
//! use packbench::devices::serial::{ScannerConfig, SerialWorker};
//! let (sink, events) = EventSink::channel();
//! let worker = SerialWorker::spawn(ScannerConfig::new("bench-1", "/dev/ttyACM0"), sink)?;
//! for event in events.iter().take(1) {
//!     println!("{event:?}");
//! }
//! worker.stop();
//! # Ok::<(), std::io::Error>(())
//! ```

mod lines;

pub use lines::{LineAssembler, Terminator};

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::error::DeviceError;
use super::scan::{DeviceEvent, DeviceStatus, EventSink, Scan, ScanSource, unix_ms};
use crate::gs1::scanner::ScannerProfile;

/// Parity of a serial line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parity {
    /// No parity bit (most USB-CDC scanners).
    #[default]
    None,
    /// Odd parity.
    Odd,
    /// Even parity (older RS-232 scanners with 7 data bits).
    Even,
}

/// How to talk to one serial scanner. Stored in the settings' port list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SerialSettings {
    /// The port: `/dev/ttyACM0`, `/dev/serial/by-id/...` (stable across replugging), `COM3`.
    pub port: String,
    /// Baud rate (ignored by USB-CDC devices).
    pub baud: u32,
    /// Data bits: 7 or 8.
    pub data_bits: u8,
    /// Parity.
    pub parity: Parity,
    /// Stop bits: 1 or 2.
    pub stop_bits: u8,
    /// What ends a scan.
    pub terminator: Terminator,
    /// Longest accepted line in bytes (a GS1 DataMatrix holds at most ~2,300 bytes).
    pub max_line_bytes: usize,
    /// A partial line with no new byte for this long is reported and dropped.
    pub idle_timeout_ms: u64,
    /// First wait before reopening a lost port; doubles up to `reopen_max_ms`.
    pub reopen_min_ms: u64,
    /// Longest wait between reopen attempts.
    pub reopen_max_ms: u64,
}

impl Default for SerialSettings {
    fn default() -> Self {
        Self {
            port: String::new(),
            baud: 9600,
            data_bits: 8,
            parity: Parity::None,
            stop_bits: 1,
            terminator: Terminator::Any,
            max_line_bytes: 4096,
            idle_timeout_ms: 500,
            reopen_min_ms: 250,
            reopen_max_ms: 5000,
        }
    }
}

/// One configured scanner: a name, its port and its profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScannerConfig {
    /// The name shown to the user and in scan sources ("bench-1").
    pub name: String,
    /// The serial line.
    pub serial: SerialSettings,
    /// How the scanner delivers data.
    pub profile: ScannerProfile,
}

impl ScannerConfig {
    /// A scanner on `port` with default line settings and profile.
    pub fn new(name: &str, port: &str) -> Self {
        Self {
            name: name.to_owned(),
            serial: SerialSettings {
                port: port.to_owned(),
                ..SerialSettings::default()
            },
            profile: ScannerProfile::default(),
        }
    }
}

/// The serial ports the system reports (for the settings screen's port list).
pub fn available_ports() -> Vec<String> {
    serialport::available_ports()
        .map(|ports| ports.into_iter().map(|p| p.port_name).collect())
        .unwrap_or_default()
}

/// A running serial scanner worker. Dropping it without [`SerialWorker::stop`] leaves the
/// thread to end by itself once the device stream's receiver is gone.
#[derive(Debug)]
pub struct SerialWorker {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl SerialWorker {
    /// Starts the worker thread (`serial:<name>`) for `config`, sending into `sink`. Fails
    /// only if the thread cannot be created; an absent port is reported in the stream.
    pub fn spawn(config: ScannerConfig, sink: EventSink) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(format!("serial:{}", config.name))
            .spawn(move || run(&config, &sink, &flag))?;
        Ok(Self { stop, thread })
    }

    /// Asks the worker to stop and waits for it (at most one read timeout or backoff slice).
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        // A panicking worker has nothing left to clean up; its panic is not ours to re-raise.
        let _ = self.thread.join();
    }
}

/// How long one read waits; also the granularity of stop and idle checks.
const READ_TIMEOUT: Duration = Duration::from_millis(50);

fn open(settings: &SerialSettings) -> Result<Box<dyn serialport::SerialPort>, String> {
    let data_bits = match settings.data_bits {
        5 => serialport::DataBits::Five,
        6 => serialport::DataBits::Six,
        7 => serialport::DataBits::Seven,
        _ => serialport::DataBits::Eight,
    };
    let parity = match settings.parity {
        Parity::None => serialport::Parity::None,
        Parity::Odd => serialport::Parity::Odd,
        Parity::Even => serialport::Parity::Even,
    };
    let stop_bits = if settings.stop_bits == 2 {
        serialport::StopBits::Two
    } else {
        serialport::StopBits::One
    };
    serialport::new(&settings.port, settings.baud)
        .data_bits(data_bits)
        .parity(parity)
        .stop_bits(stop_bits)
        .flow_control(serialport::FlowControl::None)
        .timeout(READ_TIMEOUT)
        .open()
        .map_err(|err| err.to_string())
}

/// The worker: open, read until lost, reopen with backoff, until stopped or unheard.
fn run(config: &ScannerConfig, sink: &EventSink, stop: &AtomicBool) {
    let settings = &config.serial;
    let source = ScanSource::Serial {
        name: config.name.clone(),
        port: settings.port.clone(),
    };
    let started = Instant::now();
    let now_ms = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut lines = LineAssembler::new(settings.terminator.clone(), settings.max_line_bytes);
    let mut backoff_ms = settings.reopen_min_ms.max(1);
    // Report an open failure once per outage, not once per retry.
    let mut outage_reported = false;
    let mut buf = [0u8; 1024];
    while !stop.load(Ordering::Relaxed) {
        let mut port = match open(settings) {
            Ok(port) => port,
            Err(reason) => {
                if !outage_reported {
                    outage_reported = true;
                    let port = settings.port.clone();
                    if !sink.error(&source, DeviceError::PortOpen { port, reason }) {
                        return;
                    }
                }
                sleep_unless_stopped(backoff_ms, stop);
                backoff_ms = (backoff_ms * 2).min(settings.reopen_max_ms.max(1));
                continue;
            }
        };
        backoff_ms = settings.reopen_min_ms.max(1);
        lines.reset();
        if !sink.status(&source, DeviceStatus::Open) {
            return;
        }
        let lost = loop {
            if stop.load(Ordering::Relaxed) {
                break None;
            }
            match port.read(&mut buf) {
                Ok(0) => break Some("end of file (device closed)".to_owned()),
                Ok(n) => {
                    let raw_lines = lines.push(&buf[..n], now_ms());
                    for line in raw_lines {
                        if !deliver(config, &source, sink, line) {
                            return;
                        }
                    }
                }
                Err(err) if err.kind() == ErrorKind::TimedOut => {
                    if let Some(err) = lines.idle(now_ms(), settings.idle_timeout_ms)
                        && !sink.error(&source, err)
                    {
                        return;
                    }
                }
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => break Some(err.to_string()),
            }
        };
        drop(port);
        let Some(reason) = lost else { break };
        let port = settings.port.clone();
        if !sink.error(&source, DeviceError::PortLost { port, reason })
            || !sink.status(&source, DeviceStatus::Lost)
        {
            return;
        }
        // The open failure that follows is part of this outage: already reported.
        outage_reported = true;
        sleep_unless_stopped(backoff_ms, stop);
    }
    sink.status(&source, DeviceStatus::Stopped);
}

/// Sends one assembled line (or its error) as a scan through the profile.
fn deliver(
    config: &ScannerConfig,
    source: &ScanSource,
    sink: &EventSink,
    line: Result<String, DeviceError>,
) -> bool {
    let raw = match line {
        Ok(raw) => raw,
        Err(err) => return sink.error(source, err),
    };
    match config.profile.normalise(&raw) {
        Ok(data) => sink.send(DeviceEvent::Scan(Scan {
            source: source.clone(),
            data,
            raw,
            received: Instant::now(),
            received_ms: unix_ms(),
        })),
        Err(err) => sink.error(source, DeviceError::Profile(err)),
    }
}

fn sleep_unless_stopped(ms: u64, stop: &AtomicBool) {
    let until = Instant::now() + Duration::from_millis(ms);
    while !stop.load(Ordering::Relaxed) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(READ_TIMEOUT));
    }
}
