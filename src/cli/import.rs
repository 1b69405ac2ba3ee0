//! `packbench import products|work-orders|serials FILE`: master data from files, for sites
//! without a repository. Every row is parsed before anything is imported (a bad row stops the
//! whole file, exit 2); then an administrator logs in and each row goes through the station's
//! own admin command, so validation and the audit trail are the same as at the bench.
//!
//! `packbench import epcis FILE...`: hierarchies from EPCIS documents (2.0 JSON-LD, 2.0 XML,
//! 1.2 XML) through the station's `import_epcis` command under the user's login: every file is
//! checked before anything is adopted (a bad file: exit 2 naming the file, the event and the
//! field; nothing imported).

use crate::station::{Request, Station};
use crate::sync::import::{ImportKind, requests_from_text};
use clap::ValueEnum as _;
use std::path::{Path, PathBuf};

/// What the files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportWhat {
    /// Products (one file).
    Products,
    /// Work orders (one file).
    WorkOrders,
    /// Commissioned serial numbers of one work order (one file).
    Serials,
    /// EPCIS documents (2.0 JSON-LD, 2.0 XML, 1.2 XML): the hierarchies they describe are
    /// adopted (origin `file`).
    Epcis,
}

/// `packbench import ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// What the files hold.
    #[arg(value_enum)]
    pub kind: ImportWhat,
    /// The CSV (header line first) or JSON file; for `epcis`, one or more EPCIS documents.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// The file is JSON, not CSV.
    #[arg(long)]
    pub json: bool,
    /// For a serial list that does not name its work order.
    #[arg(long, value_name = "ID")]
    pub work_order: Option<String>,
    /// The user's name (an administrator for master data).
    #[arg(long)]
    pub user: String,
    /// Environment variable holding the user's password.
    #[arg(long, value_name = "VAR", default_value = "PACKBENCH_PASSWORD")]
    pub password_env: String,
}

/// What one request names, for the summary.
fn target(req: &Request) -> String {
    match req {
        Request::AddProduct { gtin, .. } => gtin.clone(),
        Request::CreateWorkOrder { id, .. } => id.clone(),
        Request::ImportSerials {
            work_order,
            serials,
        } => format!("{work_order} ({} serials)", serials.len()),
        other => format!("{other:?}"),
    }
}

/// Logs the administrator `user` in (password from the environment variable `password_env`),
/// executes every request through the station, logs out, and prints a JSON summary:
/// `{"imported": n, "refused": [{"row", "target", "code", "message", "detail"}]}`.
/// Returns exit 0 when all were accepted, 1 when some were refused; `Err` (exit 2) when the
/// administrator could not log in (nothing imported).
pub fn apply_requests(
    dir: &Path,
    requests: Vec<Request>,
    user: &str,
    password_env: &str,
) -> Result<u8, String> {
    let (summary, code) = apply_requests_summary(dir, requests, user, password_env)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
    );
    Ok(code)
}

/// As [`apply_requests`], but returns the summary (`{"imported", "refused"}`) and the exit
/// status instead of printing.
pub fn apply_requests_summary(
    dir: &Path,
    requests: Vec<Request>,
    user: &str,
    password_env: &str,
) -> Result<(serde_json::Value, u8), String> {
    let mut station = logged_in(dir, user, password_env)?;
    if !station.user().is_some_and(|u| u.role.can_administer()) {
        let _ = station.execute(Request::Logout);
        return Err(format!("{user} is not an administrator"));
    }
    let total = requests.len();
    let mut refused = Vec::new();
    for (n, req) in requests.into_iter().enumerate() {
        let what = target(&req);
        let r = station.execute(req);
        if !r.ok {
            refused.push(serde_json::json!({
                "row": n + 1,
                "target": what,
                "code": r.code,
                "message": r.message,
                "detail": r.detail,
            }));
        }
    }
    let _ = station.execute(Request::Logout);
    let code = if refused.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_REJECTED
    };
    let summary = serde_json::json!({
        "imported": total - refused.len(),
        "refused": refused,
    });
    Ok((summary, code))
}

/// Logs `user` in (password from the environment variable `password_env`) and opens the
/// station of `dir`.
fn logged_in(dir: &Path, user: &str, password_env: &str) -> Result<Station, String> {
    let password = std::env::var(password_env)
        .map_err(|_| format!("environment variable {password_env} is not set"))?;
    let mut station = Station::open(dir).map_err(|e| e.to_string())?;
    let login = station.execute(Request::Login {
        user: user.to_owned(),
        password,
    });
    if !login.ok {
        return Err(format!(
            "login of {user} refused: {}{}",
            login.message,
            login.detail.map(|d| format!(" ({d})")).unwrap_or_default()
        ));
    }
    Ok(station)
}

/// Imports EPCIS files through the station's `import_epcis` under `user`'s login and returns
/// the summary: `{"files": [{"name", "flavor", "events"}], "events_read", "events" (after
/// taking an event repeated in two files once), "units", "created", "updated", "unchanged",
/// "skipped", "tops", "origin": "file", "source"}`. `Err` when the login or the import is
/// refused (a bad file named with its event and field; nothing imported).
pub fn import_epcis_summary(
    dir: &Path,
    files: &[PathBuf],
    user: &str,
    password_env: &str,
) -> Result<serde_json::Value, String> {
    let mut station = logged_in(dir, user, password_env)?;
    let r = station.execute(Request::ImportEpcis {
        paths: files.iter().map(|f| f.display().to_string()).collect(),
    });
    let _ = station.execute(Request::Logout);
    if !r.ok {
        return Err(format!(
            "import refused ({}): {}",
            r.code,
            r.detail.unwrap_or(r.message)
        ));
    }
    Ok(r.data.unwrap_or(serde_json::Value::Null))
}

/// Runs `packbench import`; returns the exit status.
pub fn run(dir: &Path, args: &ImportArgs) -> Result<u8, String> {
    let kind = match args.kind {
        ImportWhat::Epcis => {
            let summary = import_epcis_summary(dir, &args.files, &args.user, &args.password_env)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
            );
            return Ok(super::EXIT_OK);
        }
        ImportWhat::Products => ImportKind::Products,
        ImportWhat::WorkOrders => ImportKind::WorkOrders,
        ImportWhat::Serials => ImportKind::Serials,
    };
    let [file] = args.files.as_slice() else {
        return Err(format!(
            "import {}: one file at a time ({} given)",
            args.kind
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned()),
            args.files.len()
        ));
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let requests = requests_from_text(kind, &text, args.json, args.work_order.as_deref())
        .map_err(|e| format!("{}: {e} (nothing imported)", file.display()))?;
    apply_requests(dir, requests, &args.user, &args.password_env)
}
