//! `packbench sync`: push the outbox to the repository (once, or until interrupted), show its
//! status, configure the repository, retry parked commands, and pull SSCC ranges and products.

use crate::store::Store;
use crate::sync::{
    Auth, Backoff, DrainOptions, RepositoryConfig, RepositoryKind, SyncError, connect, drain,
    outbox_status, requeue_parked,
};
use std::path::Path;

/// `packbench sync ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    /// Push what is queued once and exit (0 = outbox drained, 1 = rows left or parked).
    #[arg(long)]
    pub once: bool,
    /// Print the outbox status (JSON) and exit.
    #[arg(long)]
    pub status: bool,
    /// Put parked commands back in the queue (all, or `--command ID`) before syncing.
    #[arg(long)]
    pub retry_parked: bool,
    /// With `--retry-parked`: only this command.
    #[arg(long, value_name = "ID")]
    pub command: Option<i64>,
    /// Configure the repository: its kind (`epcis20` or `qu4rtet`); needs `--url`.
    #[arg(long, value_enum)]
    pub configure: Option<RepositoryKind>,
    /// With `--configure`: the repository's base URL.
    #[arg(long)]
    pub url: Option<String>,
    /// With `--configure`: read a token from this environment variable (Bearer for EPCIS 2.0,
    /// `Token` for QU4RTET). Secrets never go on the command line.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// With `--configure`: HTTP Basic user; the password comes from `--password-env`.
    #[arg(long)]
    pub basic_user: Option<String>,
    /// With `--basic-user`: environment variable holding the password.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// With `--configure`: an extra PEM CA file to trust besides the system's roots.
    #[arg(long)]
    pub ca_file: Option<std::path::PathBuf>,
    /// Pull `N` SSCCs from the QU4RTET serialbox pool `--pool` into the local SSCC pool.
    #[arg(long, value_name = "N")]
    pub allocate_ssccs: Option<u64>,
    /// With `--allocate-ssccs`: the pool's machine name.
    #[arg(long)]
    pub pool: Option<String>,
    /// With `--allocate-ssccs`: the GS1 company prefix of the SSCCs.
    #[arg(long)]
    pub company_prefix: Option<String>,
    /// With `--allocate-ssccs`: the extension digit (default 0).
    #[arg(long, default_value_t = 0)]
    pub extension_digit: u8,
}

fn env_secret(var: &str) -> Result<String, String> {
    std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))
}

fn configure(dir: &Path, args: &SyncArgs, kind: RepositoryKind) -> Result<String, String> {
    let url = args.url.as_deref().ok_or("--configure needs --url")?;
    let auth = match (&args.token_env, &args.basic_user) {
        (Some(var), None) => {
            let token = env_secret(var)?;
            match kind {
                RepositoryKind::Epcis20 => Auth::Bearer { token },
                RepositoryKind::Qu4rtet => Auth::Token { token },
            }
        }
        (None, Some(user)) => {
            let var = args
                .password_env
                .as_deref()
                .ok_or("--basic-user needs --password-env")?;
            Auth::Basic {
                user: user.clone(),
                password: env_secret(var)?,
            }
        }
        (None, None) => Auth::None,
        (Some(_), Some(_)) => return Err("give --token-env or --basic-user, not both".to_owned()),
    };
    let mut config = RepositoryConfig::new(kind, url, auth);
    config.ca_file.clone_from(&args.ca_file);
    config.save(dir).map_err(|e| e.to_string())?;
    Ok(format!("repository configured: {kind:?} at {}", config.url))
}

fn now_ms() -> i64 {
    let mut clock = crate::station::system_clock();
    clock()
}

/// Runs `packbench sync`; returns the exit status.
pub fn run(dir: &Path, args: &SyncArgs) -> Result<u8, String> {
    if let Some(kind) = args.configure {
        println!("{}", configure(dir, args, kind)?);
        return Ok(super::EXIT_OK);
    }
    let mut store = Store::open_dir(dir).map_err(|e| e.to_string())?;
    if args.status {
        let status = outbox_status(store.conn()).map_err(|e| e.to_string())?;
        let free = crate::sync::free_ssccs(&store).map_err(|e| e.to_string())?;
        let json = serde_json::json!({ "outbox": status, "free_ssccs": free });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
        return Ok(super::EXIT_OK);
    }
    if args.retry_parked {
        let n = requeue_parked(store.conn(), args.command).map_err(|e| e.to_string())?;
        eprintln!("{n} parked command(s) queued again");
    }
    let config = RepositoryConfig::load(dir)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "no repository configured in {} (use --configure)",
                dir.display()
            )
        })?;
    if let Some(count) = args.allocate_ssccs {
        let pool = args
            .pool
            .as_deref()
            .ok_or("--allocate-ssccs needs --pool")?;
        let prefix = args
            .company_prefix
            .as_deref()
            .ok_or("--allocate-ssccs needs --company-prefix")?;
        let q = crate::sync::Qu4rtet::new(&config).map_err(|e| e.to_string())?;
        let ssccs = crate::sync::allocate_ssccs(
            q.http(),
            &mut store,
            pool,
            count,
            prefix,
            args.extension_digit,
            now_ms(),
        )
        .map_err(|e| e.to_string())?;
        println!("{} SSCCs added to the local pool", ssccs.len());
        return Ok(super::EXIT_OK);
    }
    let options = DrainOptions {
        backoff: Backoff {
            initial_ms: config.backoff_initial_ms,
            max_ms: config.backoff_max_ms,
        },
        max_events: config.batch_events,
        respect_backoff: !args.once,
    };
    let mut repo = connect(&config).map_err(|e| e.to_string())?;
    loop {
        let report = drain(&mut store, repo.as_mut(), options, &mut now_ms, &mut |_| {})
            .map_err(|e: SyncError| e.to_string())?;
        let status = outbox_status(store.conn()).map_err(|e| e.to_string())?;
        println!(
            "{}",
            serde_json::json!({"report": report, "queued": status.queued, "sent": status.sent, "parked": status.parked, "held": status.held})
        );
        if args.once {
            return Ok(if status.queued == 0 && status.parked == 0 {
                super::EXIT_OK
            } else {
                super::EXIT_REJECTED
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(1_000));
    }
}
