//! The command-line surface (`docs/architecture.md` §11). `main.rs` only calls [`run`].

pub mod build_info;
pub mod console;
pub mod decode;
pub mod dirs;
pub mod export;
pub mod import;
pub mod label;
pub mod logfile;
pub mod parse;
pub mod report;
pub mod request_check;
pub mod returns;
pub mod station;
pub mod station_serial;
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
#[command(
    name = "packbench",
    version = build_info::SHORT,
    long_version = build_info::LONG,
    about,
    long_about = None
)]
pub struct Cli {
    /// Directory holding the local database, configuration and logs
    /// (default: $PACKBENCH_DATA_DIR, else the platform's standard places; see `packbench paths`).
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
        /// Also take scans from a serial scanner: PATH or PATH:BAUD (repeatable).
        #[arg(long, value_name = "PATH[:BAUD]")]
        serial: Vec<String>,
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
    /// Import master data (products, work orders, serial lists) from a CSV or JSON file, or
    /// hierarchies from EPCIS files.
    Import(import::ImportArgs),
    /// Show where the database, configuration and logs are kept.
    Paths {
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Render a GS1 logistic label (ZPL, PDF, PNG) to a file or send it to a printer.
    Label(label::LabelArgs),
    /// Printable reports for the batch record (the close-out report of a work order, PDF).
    Report(report::ReportArgs),
    /// The returns desk: its verification service, the returns file (CSV).
    Returns(returns::ReturnsArgs),
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
    /// Verify the keyed audit chain and the state tables against it (events, commands,
    /// signatures, outbox, units, users, anchors): exit 0 if intact, 1 naming every finding.
    Verify {
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// The directories: `--data-dir`, else `PACKBENCH_DATA_DIR`, else the platform's standard
/// places ([`dirs`]).
pub fn dirs(cli: &Cli) -> Result<dirs::Dirs, String> {
    dirs::Dirs::resolve(cli.data_dir.as_deref()).map_err(|e| e.to_string())
}

/// The data directory (database, sync configuration): see [`dirs`].
pub fn data_dir(cli: &Cli) -> Result<PathBuf, String> {
    Ok(dirs(cli)?.data)
}

/// The subcommand's name for the log, or `None` for commands that do not touch the data
/// directory (they log nothing).
fn logged_name(cli: &Cli) -> Option<&'static str> {
    match &cli.command {
        None => Some("gui"),
        Some(Command::Station { .. }) => Some("station"),
        Some(Command::Export { .. }) => Some("export"),
        Some(Command::Manifest { .. }) => Some("manifest"),
        Some(Command::Sync(_)) => Some("sync"),
        Some(Command::Import(_)) => Some("import"),
        Some(Command::Audit { .. }) => Some("audit"),
        Some(Command::Report(_)) => Some("report"),
        Some(Command::Returns(_)) => Some("returns"),
        Some(
            Command::Parse(_) | Command::Decode(_) | Command::Label(_) | Command::Paths { .. },
        ) => None,
    }
}

/// The workstation's config directory (settings file): `PACKBENCH_CONFIG_DIR` if set, else
/// the `config` place of [`dirs`] (`$XDG_CONFIG_HOME/packbench` on Linux,
/// `%APPDATA%\packbench\config` on Windows, `<data dir>/config` under `--data-dir`).
pub fn config_dir(cli: &Cli) -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("PACKBENCH_CONFIG_DIR") {
        return Ok(PathBuf::from(d));
    }
    Ok(dirs(cli)?.config)
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
    let log = logged_name(&cli).and_then(|name| {
        let dirs = dirs(&cli).ok()?;
        let log = logfile::LogFile::new(&dirs.logs);
        log.write(
            logfile::Level::Info,
            &format!(
                "packbench {} {name} start, data {}",
                build_info::SHORT,
                dirs.data.display()
            ),
        );
        Some((log, name))
    });
    match run_command(&cli) {
        Ok(code) => {
            if let Some((log, name)) = &log {
                log.write(logfile::Level::Info, &format!("{name} finished"));
            }
            code
        }
        Err(message) => {
            if let Some((log, name)) = &log {
                log.write(logfile::Level::Error, &format!("{name}: {message}"));
            }
            eprintln!("packbench: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn audit_verify(dir: &std::path::Path, json: bool) -> Result<ExitCode, String> {
    let store = crate::store::Store::open_dir(dir).map_err(|e| e.to_string())?;
    let report =
        crate::station::verify_all(store.conn(), store.path()).map_err(|e| e.to_string())?;
    if json {
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| e.to_string())?
        );
    } else {
        match (&report.chain_break, report.records) {
            (Some(b), _) => println!("audit trail BROKEN at {b}"),
            (None, Some(n)) if report.findings.is_empty() => {
                println!("audit trail intact: {n} records");
            }
            (None, n) => println!(
                "audit trail chain intact ({} records), but the state differs from it:",
                n.unwrap_or(0)
            ),
        }
        for f in &report.findings {
            println!("  {} {}: {}", f.table, f.row, f.problem);
        }
        match &report.last_anchor {
            Some(a) => println!(
                "last anchored point: record {} at {} ({})",
                a.seq, a.time_ms, a.source
            ),
            None => println!("last anchored point: none"),
        }
    }
    if report.intact() {
        // An intact trail verified now is a point later checks hold the chain to.
        crate::station::anchor_head(store.conn(), store.path(), now_ms(), "audit verify")
            .map_err(|e| e.to_string())?;
    }
    Ok(ExitCode::from(if report.intact() {
        EXIT_OK
    } else {
        EXIT_REJECTED
    }))
}

fn print_paths(cli: &Cli, json: bool) -> Result<ExitCode, String> {
    let d = dirs(cli)?;
    let log = logfile::LogFile::new(&d.logs).path();
    if json {
        let value = serde_json::json!({
            "data": d.data,
            "config": d.config,
            "logs": d.logs,
            "database": d.database(),
            "log_file": log,
        });
        println!("{value}");
    } else {
        println!("data:     {}", d.data.display());
        println!("config:   {}", d.config.display());
        println!("logs:     {}", d.logs.display());
        println!("database: {}", d.database().display());
        println!("log file: {}", log.display());
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn run_command(cli: &Cli) -> Result<ExitCode, String> {
    // The audit key lives in the configuration place (the data directory when one is given).
    if let Ok(d) = dirs(cli) {
        crate::store::set_audit_key_dir(d.config);
    }
    let Some(command) = &cli.command else {
        let data = data_dir(cli)?;
        // No config directory: the settings still work, they are just not kept.
        let config = config_dir(cli).ok();
        console::release_for_gui();
        crate::ui::run(&data, config.as_deref())?;
        return Ok(ExitCode::from(EXIT_OK));
    };
    match command {
        Command::Parse(args) => Ok(parse::run(args)),
        Command::Station { headless, serial } => {
            if !headless {
                return Err("only --headless is available for now".to_owned());
            }
            let scanners = serial
                .iter()
                .enumerate()
                .map(|(n, arg)| station_serial::serial_arg(arg, n + 1))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            let dir = data_dir(cli)?;
            let mut station = crate::station::Station::open(&dir).map_err(|e| e.to_string())?;
            crate::sync::connect_repository(&mut station, &dir);
            let mut output = std::io::stdout().lock();
            if scanners.is_empty() {
                let stdin = std::io::stdin();
                let mut input = stdin.lock();
                station::serve(&mut station, &mut input, &mut output)
            } else {
                let input = std::io::BufReader::new(std::io::stdin());
                station_serial::serve_with_serial(&mut station, input, &mut output, scanners)
            }
            .map_err(|e| e.to_string())?;
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
        Command::Import(args) => Ok(ExitCode::from(import::run(&data_dir(cli)?, args)?)),
        Command::Report(args) => Ok(ExitCode::from(report::run(&data_dir(cli)?, args)?)),
        Command::Returns(args) => Ok(ExitCode::from(returns::run(&data_dir(cli)?, args)?)),
        Command::Audit {
            action: AuditAction::Verify { json },
        } => audit_verify(&data_dir(cli)?, *json),
        Command::Paths { json } => print_paths(cli, *json),
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
