//! `packbench sync`: push the outbox to the repository (once, or until interrupted), show its
//! status, configure the repository, retry parked commands (an audited administrator action),
//! ask the repository about a unit (EPCIS 2.0 `GET /events`), and pull SSCC ranges.

use crate::store::Store;
use crate::sync::{
    Auth, Backoff, DrainOptions, RepositoryConfig, RepositoryKind, SyncError, connect, drain,
    outbox_status, requeue_parked,
};
use std::path::Path;

/// `packbench sync <action>`: the administrator's subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum SyncAction {
    /// Print the outbox status (JSON): counts, the head row's error, parked commands with the
    /// repository's message, SSCCs left.
    Status,
    /// Ask the repository (EPCIS 2.0, `GET /events`, every page) what it knows about a unit:
    /// last aggregation parent, children, disposition, business step (JSON); or, with
    /// `--products`, pull the products of QU4RTET's master data into the station; or, with
    /// `--serials`, pull a lot's commissioned serials (EPCIS 2.0 commissioning events) onto a
    /// work order's serial list (both need an administrator: `--user`, password in
    /// `--password-env`).
    Pull {
        /// The unit's EPC URI (`urn:epc:id:sgtin:...`, `urn:epc:id:sscc:...`).
        #[arg(
            long,
            required_unless_present_any = ["products", "serials"],
            conflicts_with_all = ["products", "serials"]
        )]
        epc: Option<String>,
        /// Pull products (GTIN, name, company prefix length) from the repository's master data
        /// (QU4RTET `/masterdata/`) into the station.
        #[arg(long, requires = "user", conflicts_with = "serials")]
        products: bool,
        /// Pull the serials of lot `--lot` of `--gtin` from the repository's commissioning
        /// events (EPCIS 2.0) onto the serial list of work order `--work-order`.
        #[arg(long, requires_all = ["user", "gtin", "lot", "work_order"])]
        serials: bool,
        /// With `--serials`: the product's GTIN.
        #[arg(long, requires = "serials")]
        gtin: Option<String>,
        /// With `--serials`: the lot (ILMD lot number of the commissioning events).
        #[arg(long, requires = "serials")]
        lot: Option<String>,
        /// With `--serials`: the work order whose serial list receives the serials.
        #[arg(long, requires = "serials")]
        work_order: Option<String>,
        /// With `--products` or `--serials`: the administrator's user name.
        #[arg(long)]
        user: Option<String>,
        /// With `--products` or `--serials`: environment variable holding the administrator's
        /// password.
        #[arg(long, value_name = "VAR", default_value = "PACKBENCH_PASSWORD")]
        password_env: String,
        /// Also print the events read.
        #[arg(long)]
        events: bool,
        /// Events per page asked for.
        #[arg(long, default_value_t = crate::sync::DEFAULT_PER_PAGE)]
        per_page: usize,
    },
    /// Queue parked commands again (all, or one) once the cause is fixed. Needs an
    /// administrator: `--user`, password in the environment variable `--password-env`.
    /// Audited (`sync_retry_parked`).
    RetryParked {
        /// Only this command.
        id: Option<i64>,
        /// The administrator's user name.
        #[arg(long)]
        user: String,
        /// Environment variable holding the administrator's password.
        #[arg(long, value_name = "VAR", default_value = "PACKBENCH_PASSWORD")]
        password_env: String,
        /// Why (recorded in the audit trail).
        #[arg(long)]
        reason: Option<String>,
        /// Push right away (as `sync --once`) after queueing.
        #[arg(long)]
        push: bool,
    },
}

/// `packbench sync ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    /// An administrator's subcommand; without one, push the outbox.
    #[command(subcommand)]
    pub action: Option<SyncAction>,
    /// Push what is queued once and exit (0 = outbox drained, 1 = rows left or parked).
    #[arg(long)]
    pub once: bool,
    /// Print the outbox status (JSON) and exit.
    #[arg(long)]
    pub status: bool,
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

fn print_json(value: &serde_json::Value) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn status(store: &Store) -> Result<u8, String> {
    let status = outbox_status(store.conn()).map_err(|e| e.to_string())?;
    let ssccs = crate::labels::alloc::stock(store.conn()).map_err(|e| e.to_string())?;
    print_json(&serde_json::json!({ "outbox": status, "ssccs": ssccs }))?;
    Ok(super::EXIT_OK)
}

fn load_config(dir: &Path) -> Result<RepositoryConfig, String> {
    RepositoryConfig::load(dir)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "no repository configured in {} (use --configure)",
                dir.display()
            )
        })
}

fn pull(dir: &Path, epc: &str, with_events: bool, per_page: usize) -> Result<u8, String> {
    let config = load_config(dir)?;
    if config.kind != RepositoryKind::Epcis20 {
        return Err("sync pull --epc asks an EPCIS 2.0 repository (GET /events)".to_owned());
    }
    let repo = crate::sync::Rest20::new(&config).map_err(|e| e.to_string())?;
    let state = crate::sync::unit_state(repo.http(), epc, per_page).map_err(|e| e.to_string())?;
    let mut out = serde_json::json!({ "state": state });
    if with_events {
        let all = crate::sync::query_events(repo.http(), &[("MATCH_anyEPC", epc)], per_page)
            .map_err(|e| e.to_string())?;
        let mut doc: serde_json::Value =
            serde_json::from_str(&crate::epcis::document_jsonld(&all.events, now_ms()))
                .map_err(|e| e.to_string())?;
        out["events"] = doc["epcisBody"]["eventList"].take();
    }
    print_json(&out)?;
    Ok(if state.events == 0 {
        super::EXIT_REJECTED
    } else {
        super::EXIT_OK
    })
}

/// Products from the repository's master data, each through the station's `add_product`.
fn pull_products(dir: &Path, user: &str, password_env: &str) -> Result<u8, String> {
    let config = load_config(dir)?;
    if config.kind != RepositoryKind::Qu4rtet {
        return Err(
            "an EPCIS 2.0 repository has no master-data API: import products from a \
             file instead (packbench import products FILE)"
                .to_owned(),
        );
    }
    let q = crate::sync::Qu4rtet::new(&config).map_err(|e| e.to_string())?;
    let products = crate::sync::pull_qu4rtet_products(q.http()).map_err(|e| e.to_string())?;
    if products.is_empty() {
        return Err(format!(
            "the repository at {} holds no products",
            config.url
        ));
    }
    let requests = products
        .into_iter()
        .map(|p| crate::station::Request::AddProduct {
            gtin: p.gtin,
            name: p.name,
            company_prefix_length: p.company_prefix_length,
            level: None,
        })
        .collect();
    super::import::apply_requests(dir, requests, user, password_env)
}

/// What `sync pull --serials` asks for.
struct SerialsPull<'a> {
    gtin: &'a str,
    lot: &'a str,
    work_order: &'a str,
    per_page: usize,
}

/// A lot's commissioned serials from the repository's events onto a work order's serial list.
fn pull_serials(
    dir: &Path,
    pull: &SerialsPull<'_>,
    user: &str,
    password_env: &str,
) -> Result<u8, String> {
    let config = load_config(dir)?;
    if config.kind != RepositoryKind::Epcis20 {
        return Err(
            "sync pull --serials reads EPCIS 2.0 commissioning events; it is not supported \
             for a QU4RTET (EPCIS 1.2) repository here: import a serial list file instead \
             (packbench import serials FILE)"
                .to_owned(),
        );
    }
    let gtin: crate::gs1::Gtin = pull
        .gtin
        .parse()
        .map_err(|e| format!("--gtin {}: {e}", pull.gtin))?;
    let product = {
        let store = Store::open_dir(dir).map_err(|e| e.to_string())?;
        crate::store::load_product(store.conn(), gtin.as_str()).map_err(|e| e.to_string())?
    }
    .ok_or_else(|| format!("product {} is not known to the station", gtin.as_str()))?;
    let pattern =
        crate::sync::sgtin_pattern(&gtin, product.company_prefix_len).map_err(|e| e.to_string())?;
    let repo = crate::sync::Rest20::new(&config).map_err(|e| e.to_string())?;
    let (events, pages) = crate::sync::query_raw_events(
        repo.http(),
        &[
            ("eventType", "ObjectEvent"),
            ("EQ_bizStep", "commissioning"),
            ("MATCH_epc", &pattern),
        ],
        pull.per_page,
    )
    .map_err(|e| e.to_string())?;
    let found = crate::sync::commissioned_serials(&events, &gtin, pull.lot);
    if found.serials.is_empty() {
        return Err(format!(
            "the repository at {} holds no commissioned serials of {} lot {}",
            config.url,
            gtin.as_str(),
            pull.lot
        ));
    }
    let serials = found.serials.len();
    let requests = vec![crate::station::Request::ImportSerials {
        work_order: pull.work_order.to_owned(),
        serials: found.serials,
    }];
    let (mut summary, code) =
        super::import::apply_requests_summary(dir, requests, user, password_env)?;
    summary["pages"] = pages.into();
    summary["events_read"] = events.len().into();
    summary["lot_events"] = found.events.into();
    summary["serials"] = serials.into();
    print_json(&summary)?;
    Ok(code)
}

fn retry_parked(
    store: &mut Store,
    id: Option<i64>,
    user: &str,
    password_env: &str,
    reason: Option<&str>,
) -> Result<u8, String> {
    let password = env_secret(password_env)?;
    let now = now_ms();
    let admin = {
        let tx = store.begin().map_err(|e| e.to_string())?;
        let result = crate::auth::authenticate(&tx, user, &password, now);
        // The failure counter is written whether or not the check passed.
        tx.commit().map_err(|e| e.to_string())?;
        match result {
            Ok(user) => user,
            Err(e) => {
                eprintln!("packbench: {e}");
                return Ok(super::EXIT_REJECTED);
            }
        }
    };
    if !admin.role.can_administer() {
        eprintln!("packbench: {user} is not an administrator");
        return Ok(super::EXIT_REJECTED);
    }
    let n = requeue_parked(store, id, &admin.username, reason, now).map_err(|e| e.to_string())?;
    println!("{}", serde_json::json!({ "requeued": n }));
    Ok(if n == 0 && id.is_some() {
        super::EXIT_REJECTED
    } else {
        super::EXIT_OK
    })
}

/// Runs `packbench sync`; returns the exit status.
pub fn run(dir: &Path, args: &SyncArgs) -> Result<u8, String> {
    if let Some(kind) = args.configure {
        println!("{}", configure(dir, args, kind)?);
        return Ok(super::EXIT_OK);
    }
    if let Some(SyncAction::Pull {
        epc,
        events,
        per_page,
        products,
        serials,
        gtin,
        lot,
        work_order,
        user,
        password_env,
    }) = &args.action
    {
        if *serials {
            let user = user.as_deref().ok_or("--serials needs --user")?;
            let pull = SerialsPull {
                gtin: gtin.as_deref().ok_or("--serials needs --gtin")?,
                lot: lot.as_deref().ok_or("--serials needs --lot")?,
                work_order: work_order
                    .as_deref()
                    .ok_or("--serials needs --work-order")?,
                per_page: *per_page,
            };
            return pull_serials(dir, &pull, user, password_env);
        }
        if *products {
            let user = user.as_deref().ok_or("--products needs --user")?;
            return pull_products(dir, user, password_env);
        }
        let epc = epc
            .as_deref()
            .ok_or("sync pull needs --epc, --products or --serials")?;
        return pull(dir, epc, *events, *per_page);
    }
    let mut store = Store::open_dir(dir).map_err(|e| e.to_string())?;
    let mut once = args.once;
    match &args.action {
        Some(SyncAction::Status) => return status(&store),
        Some(SyncAction::RetryParked {
            id,
            user,
            password_env,
            reason,
            push,
        }) => {
            let code = retry_parked(&mut store, *id, user, password_env, reason.as_deref())?;
            if !*push || code != super::EXIT_OK {
                return Ok(code);
            }
            once = true;
        }
        Some(SyncAction::Pull { .. }) | None => {}
    }
    if args.status {
        return status(&store);
    }
    let config = load_config(dir)?;
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
        // The range goes through the station's command, like a range added by hand.
        let mut station =
            crate::station::Station::with_clock(store, crate::station::system_clock())
                .map_err(|e| e.to_string())?;
        let added = crate::sync::allocate_ssccs(
            q.http(),
            &mut station,
            pool,
            count,
            prefix,
            args.extension_digit,
        )
        .map_err(|e| e.to_string())?;
        println!(
            "{}",
            serde_json::json!({"added": added.count, "first": added.first, "last": added.last, "remaining": added.remaining})
        );
        return Ok(super::EXIT_OK);
    }
    let options = DrainOptions {
        backoff: Backoff {
            initial_ms: config.backoff_initial_ms,
            max_ms: config.backoff_max_ms,
        },
        max_events: config.batch_events,
        respect_backoff: !once,
    };
    let mut repo = connect(&config).map_err(|e| e.to_string())?;
    loop {
        let report = drain(&mut store, repo.as_mut(), options, &mut now_ms, &mut |_| {})
            .map_err(|e: SyncError| e.to_string())?;
        let status = outbox_status(store.conn()).map_err(|e| e.to_string())?;
        println!(
            "{}",
            serde_json::json!({"report": report, "queued": status.queued, "sent": status.sent, "parked": status.parked, "held": status.held, "withdrawn": status.withdrawn})
        );
        if once {
            return Ok(if status.queued == 0 && status.parked == 0 {
                super::EXIT_OK
            } else {
                super::EXIT_REJECTED
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(1_000));
    }
}
