//! The command-line surface (`DESIGN.md` §8). `main.rs` only calls [`run`].

pub mod decode;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub mod parse;

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
    /// Directory holding the local database and configuration.
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
    match cli.command {
        None => {
            // The GUI arrives with its own issue; until then show the help.
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            ExitCode::from(EXIT_OK)
        }
        Some(Command::Parse(args)) => parse::run(&args),
        Some(Command::Decode(args)) => {
            let stdout = std::io::stdout();
            ExitCode::from(decode::run(&args, &mut stdout.lock()))
        }
    }
}
