//! The command-line surface (`DESIGN.md` §8). `main.rs` only calls [`run`].

pub mod decode;
pub mod export;
pub mod label;
pub mod parse;
pub mod station;
pub mod sync;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: the input was rejected (with a machine-readable reason in JSON mode).
pub const EXIT_REJECTED: u8 = 1;
/// Exit status: usage or environment error.
pub const EXIT_USAGE: u8 = 2;

/// packbench: serialization and aggregation workstation.
#[derive(Debug, Parser)]
#[command(name = "packbench", version, about, long_about = None)]
pub struct Cli {
    /// Directory holding the local database and configuration
    /// (default: the user's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do; without a subcommand the GUI opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse one scan (raw with GS/AIM, bracketed, or Digital Link) and show what it holds.
    Parse(parse::ParseArgs),
    /// Decode every barcode in image files.
    Decode(decode::DecodeArgs),
    /// Run the station without a window: JSON-lines automation protocol on stdin/stdout.
    Station {
        /// Required: no window, protocol on stdin/stdout (see docs/automation.md).
        #[arg(long)]
        headless: bool,
    },
    /// Write the local EPCIS events as one EPCIS document.
    Export {
        /// Document format.
        #[arg(long, value_enum, default_value = "jsonld")]
        format: export::ExportFormat,
        /// Only events at or after this time (RFC 3339 or Unix ms).
        #[arg(long)]
        since: Option<String>,
        /// Write to a file instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print the recursive contents of a container (JSON).
    Manifest {
        /// The container's scan (raw, bracketed or Digital Link).
        scan: String,
    },
    /// Push the outbox to the repository, show sync status, pull SSCC ranges.
    Sync(sync::SyncArgs),
    /// Render a GS1 logistic label (ZPL, PDF, PNG) to a file or send it to a printer.
    Label(label::LabelArgs),
    /// Audit trail tools.
    Audit {
        /// What to do.
        #[command(subcommand)]
        action: AuditAction,
    },
}

/// `packbench audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Verify the hash chain: exit 0 if intact, 1 with the first broken record.
    Verify,
}

/// The data directory: `--data-dir`, or the platform's user data directory.
pub fn data_dir(cli: &Cli) -> Result<PathBuf, String> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    directories::ProjectDirs::from("", "", "packbench")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| "no home directory: pass --data-dir".to_owned())
}

fn now_ms() -> i64 {
    let mut clock = crate::station::system_clock();
    clock()
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run_command(&cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("packbench: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run_command(cli: &Cli) -> Result<ExitCode, String> {
    let Some(command) = &cli.command else {
        crate::ui::run(&data_dir(cli)?)?;
        return Ok(ExitCode::from(EXIT_OK));
    };
    match command {
        Command::Parse(args) => Ok(parse::run(args)),
        Command::Station { headless } => {
            if !headless {
                return Err("only --headless is available for now".to_owned());
            }
            let mut station =
                crate::station::Station::open(&data_dir(cli)?).map_err(|e| e.to_string())?;
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut output = std::io::stdout().lock();
            station::serve(&mut station, &mut input, &mut output).map_err(|e| e.to_string())?;
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Export {
            format,
            since,
            output,
        } => {
            let since = since
                .as_deref()
                .map(export::parse_since)
                .transpose()?
                .unwrap_or(i64::MIN);
            let store =
                crate::store::Store::open_dir(&data_dir(cli)?).map_err(|e| e.to_string())?;
            let events = export::stored_events(&store, since).map_err(|e| e.to_string())?;
            let doc = export::document(*format, &events, now_ms());
            match output {
                Some(path) => {
                    std::fs::write(path, doc).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(doc.as_bytes())
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(|e| e.to_string())?;
                }
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Manifest { scan } => {
            let station =
                crate::station::Station::open(&data_dir(cli)?).map_err(|e| e.to_string())?;
            let response = station.manifest_of(scan);
            println!(
                "{}",
                serde_json::to_string_pretty(&response).map_err(|e| e.to_string())?
            );
            Ok(ExitCode::from(if response.ok {
                EXIT_OK
            } else {
                EXIT_REJECTED
            }))
        }
        Command::Sync(args) => Ok(ExitCode::from(sync::run(&data_dir(cli)?, args)?)),
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let store =
                crate::store::Store::open_dir(&data_dir(cli)?).map_err(|e| e.to_string())?;
            match crate::auth::verify_audit(store.conn()).map_err(|e| e.to_string())? {
                Ok(n) => {
                    println!("audit trail intact: {n} records");
                    Ok(ExitCode::from(EXIT_OK))
                }
                Err(broken) => {
                    println!("audit trail BROKEN at {broken}");
                    Ok(ExitCode::from(EXIT_REJECTED))
                }
            }
        }
        Command::Label(args) => {
            let stdout = std::io::stdout();
            Ok(ExitCode::from(label::run(args, &mut stdout.lock())?))
        }
        Command::Decode(args) => {
            let stdout = std::io::stdout();
            Ok(ExitCode::from(decode::run(args, &mut stdout.lock())))
        }
    }
}
