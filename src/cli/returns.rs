//! `packbench returns ...`: the returns desk from the command line (issue 18) — point the
//! station at its verification service, export the returns file (CSV), and `packbench report
//! recall|trace` (in [`super::report`]) for the recall file.

use crate::sync::{Auth, VrsConfig};
use std::path::{Path, PathBuf};

/// `packbench returns ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ReturnsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ReturnsAction,
}

/// What `packbench returns` does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ReturnsAction {
    /// Point the returns desk at a verification service (VRS, GS1 US Lightweight Messaging):
    /// writes `vrs.json` and the secret to `vrs-credentials.json` (mode 0600).
    Configure {
        /// Base URL, before `/verify/...` (e.g. https://vrs.example.com/api).
        #[arg(long)]
        url: String,
        /// The site's requestor GLN (reqGLN), as registered with the service.
        #[arg(long)]
        requestor_gln: String,
        /// Read a bearer token from this environment variable.
        #[arg(long, value_name = "VAR")]
        bearer_env: Option<String>,
        /// Read a `Token` (Django REST framework, QU4RTET) from this environment variable.
        #[arg(long, value_name = "VAR")]
        token_env: Option<String>,
        /// HTTP Basic user (the password from `--password-env`).
        #[arg(long)]
        user: Option<String>,
        /// Read the HTTP Basic password from this environment variable.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// How `exp` is written: yymmdd (the standard) or yyyymmdd (quartet-vrs 2.0.3).
        #[arg(long, default_value = "yymmdd")]
        exp_format: String,
        /// Timeout of one exchange in ms.
        #[arg(long)]
        timeout_ms: Option<u64>,
        /// Retries of a transient failure before the check is queued.
        #[arg(long)]
        retries: Option<u32>,
        /// An extra PEM CA file to trust.
        #[arg(long)]
        ca_file: Option<PathBuf>,
    },
    /// Write every returns check (the returns file) as CSV.
    Export {
        /// The CSV file to write (stdout without it).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn env_secret(var: &str) -> Result<String, String> {
    std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))
}

/// Runs `packbench returns`; returns the exit status.
pub fn run(data_dir: &Path, args: &ReturnsArgs) -> Result<u8, String> {
    match &args.action {
        ReturnsAction::Configure {
            url,
            requestor_gln,
            bearer_env,
            token_env,
            user,
            password_env,
            exp_format,
            timeout_ms,
            retries,
            ca_file,
        } => {
            let auth = match (bearer_env, token_env, user, password_env) {
                (Some(v), None, None, None) => Auth::Bearer {
                    token: env_secret(v)?,
                },
                (None, Some(v), None, None) => Auth::Token {
                    token: env_secret(v)?,
                },
                (None, None, Some(u), Some(v)) => Auth::Basic {
                    user: u.clone(),
                    password: env_secret(v)?,
                },
                (None, None, None, None) => Auth::None,
                _ => {
                    return Err(
                        "give one of --bearer-env, --token-env, or --user with --password-env"
                            .to_owned(),
                    );
                }
            };
            let mut config = VrsConfig::new(url, requestor_gln, auth);
            config.exp_format = match exp_format.as_str() {
                "yymmdd" => crate::domain::ExpFormat::Yymmdd,
                "yyyymmdd" => crate::domain::ExpFormat::Yyyymmdd,
                other => {
                    return Err(format!(
                        "--exp-format '{other}': expected yymmdd or yyyymmdd"
                    ));
                }
            };
            if let Some(t) = timeout_ms {
                config.timeout_ms = *t;
            }
            if let Some(r) = retries {
                config.retries = *r;
            }
            config.ca_file.clone_from(ca_file);
            config.save(data_dir).map_err(|e| e.to_string())?;
            println!(
                "{}",
                serde_json::json!({"ok": true, "url": config.url, "requestor_gln": config.requestor_gln})
            );
            Ok(super::EXIT_OK)
        }
        ReturnsAction::Export { out } => {
            let store = crate::store::Store::open_dir(data_dir).map_err(|e| e.to_string())?;
            let checks = crate::store::return_checks(store.conn()).map_err(|e| e.to_string())?;
            let csv = crate::station::returns_csv(&checks);
            match out {
                Some(path) => {
                    std::fs::write(path, &csv).map_err(|e| format!("{}: {e}", path.display()))?;
                    println!(
                        "{}",
                        serde_json::json!({"ok": true, "file": path, "checks": checks.len()})
                    );
                }
                None => print!("{csv}"),
            }
            Ok(super::EXIT_OK)
        }
    }
}
