//! Printer transport: ZPL jobs sent raw over TCP (port 9100) or written to a file or device path,
//! on a named worker thread with connect/write timeouts and retries, so that a printer that is
//! off never freezes the caller. Results come back on a channel.

use std::io::Write as _;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

/// Where jobs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterTarget {
    /// Raw TCP (`host:port`, usually port 9100).
    Tcp(String),
    /// A file or device path (`/dev/usb/lp0`, a spool file); appended to.
    Path(PathBuf),
}

impl PrinterTarget {
    /// Parses `tcp:HOST:PORT` or `file:PATH`.
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(addr) = s.strip_prefix("tcp:") {
            return (!addr.is_empty()).then(|| Self::Tcp(addr.to_owned()));
        }
        s.strip_prefix("file:")
            .filter(|p| !p.is_empty())
            .map(|p| Self::Path(PathBuf::from(p)))
    }
}

/// Why a job could not be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The printer address does not resolve.
    #[error("printer address {addr} does not resolve: {detail}")]
    BadAddress {
        /// The address.
        addr: String,
        /// Why.
        detail: String,
    },
    /// The printer did not accept the connection in time (off, unplugged, wrong address).
    #[error("printer {addr} unreachable: {detail}")]
    Unreachable {
        /// The address.
        addr: String,
        /// Why.
        detail: String,
    },
    /// Sending the job failed half-way.
    #[error("sending to printer {addr} failed: {detail}")]
    Send {
        /// The address.
        addr: String,
        /// Why.
        detail: String,
    },
    /// The file or device could not be written.
    #[error("cannot write {path}: {detail}")]
    Write {
        /// The path.
        path: String,
        /// Why.
        detail: String,
    },
    /// The worker thread is gone.
    #[error("the printer worker stopped")]
    WorkerGone,
}

/// Timeouts and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintPolicy {
    /// Connect timeout.
    pub connect_timeout_ms: u64,
    /// Write timeout.
    pub write_timeout_ms: u64,
    /// Attempts per job (1 = no retry).
    pub attempts: u32,
    /// Pause between attempts.
    pub retry_delay_ms: u64,
}

impl Default for PrintPolicy {
    fn default() -> Self {
        Self {
            connect_timeout_ms: 3000,
            write_timeout_ms: 5000,
            attempts: 3,
            retry_delay_ms: 1000,
        }
    }
}

/// Sends one job once.
pub fn send_once(
    target: &PrinterTarget,
    job: &[u8],
    policy: &PrintPolicy,
) -> Result<(), PrintError> {
    match target {
        PrinterTarget::Tcp(addr) => {
            let sock = addr
                .to_socket_addrs()
                .map_err(|e| PrintError::BadAddress {
                    addr: addr.clone(),
                    detail: e.to_string(),
                })?
                .next()
                .ok_or_else(|| PrintError::BadAddress {
                    addr: addr.clone(),
                    detail: "no address".to_owned(),
                })?;
            let mut stream =
                TcpStream::connect_timeout(&sock, Duration::from_millis(policy.connect_timeout_ms))
                    .map_err(|e| PrintError::Unreachable {
                        addr: addr.clone(),
                        detail: e.to_string(),
                    })?;
            let send = |e: std::io::Error| PrintError::Send {
                addr: addr.clone(),
                detail: e.to_string(),
            };
            stream
                .set_write_timeout(Some(Duration::from_millis(policy.write_timeout_ms)))
                .map_err(send)?;
            stream.write_all(job).map_err(send)?;
            stream.flush().map_err(send)?;
            stream.shutdown(std::net::Shutdown::Write).map_err(send)
        }
        PrinterTarget::Path(path) => {
            let write = |e: std::io::Error| PrintError::Write {
                path: path.display().to_string(),
                detail: e.to_string(),
            };
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(write)?;
            f.write_all(job).map_err(write)?;
            f.flush().map_err(write)
        }
    }
}

/// Sends a job with the policy's retries; returns the attempts used.
pub fn send(target: &PrinterTarget, job: &[u8], policy: &PrintPolicy) -> Result<u32, PrintError> {
    let mut attempt = 1;
    loop {
        match send_once(target, job, policy) {
            Ok(()) => return Ok(attempt),
            Err(e) if attempt >= policy.attempts.max(1) => return Err(e),
            Err(_) => {
                std::thread::sleep(Duration::from_millis(policy.retry_delay_ms));
                attempt += 1;
            }
        }
    }
}

/// A job for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// Caller's id (e.g. the label row).
    pub id: i64,
    /// The SSCC printed (for messages).
    pub sscc: String,
    /// The bytes (ZPL).
    pub data: Vec<u8>,
}

/// The result of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOutcome {
    /// The job's id.
    pub id: i64,
    /// The SSCC.
    pub sscc: String,
    /// Attempts used, or the last error (the job can be sent again: `reprint`/`retry`).
    pub result: Result<u32, PrintError>,
}

/// The printer worker: a named thread that sends jobs in order.
#[derive(Debug)]
pub struct PrinterWorker {
    jobs: Sender<PrintJob>,
    outcomes: Receiver<PrintOutcome>,
}

impl PrinterWorker {
    /// Starts the worker for one printer.
    pub fn start(target: PrinterTarget, policy: PrintPolicy) -> std::io::Result<Self> {
        let (jobs, job_rx) = channel::<PrintJob>();
        let (out_tx, outcomes) = channel();
        std::thread::Builder::new()
            .name("label-printer".to_owned())
            .spawn(move || {
                for job in job_rx {
                    let result = send(&target, &job.data, &policy);
                    let outcome = PrintOutcome {
                        id: job.id,
                        sscc: job.sscc,
                        result,
                    };
                    if out_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Self { jobs, outcomes })
    }

    /// Queues a job (never blocks).
    pub fn submit(&self, job: PrintJob) -> Result<(), PrintError> {
        self.jobs.send(job).map_err(|_| PrintError::WorkerGone)
    }

    /// Outcomes that arrived so far (never blocks).
    pub fn drain(&self) -> Vec<PrintOutcome> {
        self.outcomes.try_iter().collect()
    }

    /// Waits for the next outcome up to `timeout`.
    pub fn wait(&self, timeout: Duration) -> Option<PrintOutcome> {
        self.outcomes.recv_timeout(timeout).ok()
    }
}
