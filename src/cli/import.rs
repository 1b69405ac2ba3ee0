//! `packbench import products|work-orders|serials FILE`: master data from files, for sites
//! without a repository. Every row is parsed before anything is imported (a bad row stops the
//! whole file, exit 2); then an administrator logs in and each row goes through the station's
//! own admin command, so validation and the audit trail are the same as at the bench.

use crate::station::{Request, Station};
use crate::sync::import::{ImportKind, requests_from_text};
use std::path::{Path, PathBuf};

/// `packbench import ...` arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: ImportKind,
    /// The CSV (header line first) or JSON file.
    pub file: PathBuf,
    /// The file is JSON, not CSV.
    #[arg(long)]
    pub json: bool,
    /// For a serial list that does not name its work order.
    #[arg(long, value_name = "ID")]
    pub work_order: Option<String>,
    /// The administrator's user name.
    #[arg(long)]
    pub user: String,
    /// Environment variable holding the administrator's password.
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

/// Runs `packbench import`; returns the exit status.
pub fn run(dir: &Path, args: &ImportArgs) -> Result<u8, String> {
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let requests = requests_from_text(args.kind, &text, args.json, args.work_order.as_deref())
        .map_err(|e| format!("{}: {e} (nothing imported)", args.file.display()))?;
    apply_requests(dir, requests, &args.user, &args.password_env)
}
