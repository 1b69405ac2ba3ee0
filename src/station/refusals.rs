//! Refusals as evidence (issue 15): every red answer — a scan or command refused, a counterfeit
//! alert — is recorded where it is produced, with when, who, the mode, the command, the reason
//! code, what was scanned and the detail. The answers themselves do not change: a refusal that
//! cannot be recorded (a database the station may not write, a full disk) is still answered
//! with its own code, and its detail says that it was not recorded.
//!
//! The stored text is bounded ([`MAX_SCAN_CHARS`], [`MAX_DETAIL_CHARS`]) and never holds a
//! secret: the passwords a command carries (log-in, a new user's, a signature's) are cut out
//! of the scan and the detail before anything is written. Refused by whom: the `station`,
//! the `screen` (a scan the GUI refused before it reached the station, sent with
//! [`Request::RecordRefusal`]) or the `protocol` (a malformed automation line: only its code
//! and command name are kept, its text may hold anything).

use super::{Failure, Mode, Outcome, Request, Response, Station};
use crate::auth::User;
use crate::domain::{ReasonCode, Refusal, Severity};
use crate::store::{NewRefusal, StoreError, insert_refusal};
use crate::sync::REDACTED;
use std::borrow::Cow;

/// The longest scanned text kept (characters); longer text is cut and ends with `…`.
pub const MAX_SCAN_CHARS: usize = 256;
/// The longest detail kept (characters).
pub const MAX_DETAIL_CHARS: usize = 512;

/// Who refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Station,
    Screen,
    Protocol,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Self::Station => "station",
            Self::Screen => "screen",
            Self::Protocol => "protocol",
        }
    }
}

/// What a refusal of a command is recorded with, taken before the command runs (the command
/// itself is consumed by it).
#[derive(Debug, Clone)]
pub(crate) struct RefusalContext {
    command: Cow<'static, str>,
    username: String,
    mode: Mode,
    scan: Option<String>,
    secrets: Vec<String>,
}

impl RefusalContext {
    /// The context of `req` given by `user` in `mode`.
    pub(crate) fn of(req: &Request, user: Option<&User>, mode: Mode) -> Self {
        let username = match req {
            // Who tried to log in (nobody is logged in after a refused log-in).
            Request::Login { user, .. } | Request::InitAdmin { user, .. } => user.clone(),
            _ => user.map_or_else(|| "-".to_owned(), |u| u.username.clone()),
        };
        Self {
            command: Cow::Borrowed(command_name(req)),
            username,
            mode,
            scan: scan_of(req).map(str::to_owned),
            secrets: secrets_of(req),
        }
    }

    fn redact(&self, text: &str, max: usize) -> String {
        let mut out = text.to_owned();
        for s in self.secrets.iter().filter(|s| !s.is_empty()) {
            out = out.replace(s.as_str(), REDACTED);
        }
        bounded(&out, max)
    }
}

/// Whether an answer is a refusal to record: red (refused, or an alert), never a storage
/// failure (nothing could be written anyway). Amber questions (confirm a move, a signature is
/// needed) and green answers are not refusals.
pub fn is_refusal(r: &Response) -> bool {
    !r.ok
        && matches!(r.severity, Severity::Refused | Severity::Alert)
        && r.code != ReasonCode::StorageError
}

/// `text` cut to `max` characters (ending with `…` when cut).
fn bounded(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// One refusal to write: (code, scan, detail), already redacted and bounded.
type Row = (String, Option<String>, Option<String>);

impl Station {
    /// Records the refusal in `answer` (or, for a batch, each refused code) and, when it cannot
    /// be recorded, says so in the answer's detail; the answer keeps its code.
    pub(crate) fn record_refusals(
        &mut self,
        ctx: &RefusalContext,
        answer: &mut Response,
        now: i64,
    ) {
        if !is_refusal(answer) {
            return;
        }
        let mut rows: Vec<Row> = Vec::new();
        if let Some(results) = answer
            .data
            .as_ref()
            .filter(|_| ctx.command == "scan_batch")
            .and_then(|d| d.get("results"))
            .and_then(serde_json::Value::as_array)
        {
            for line in results.iter().filter(|l| l["ok"] == false) {
                let text = |k: &str| line[k].as_str().map(|t| ctx.redact(t, usize::MAX));
                rows.push((
                    line["code"].as_str().unwrap_or("-").to_owned(),
                    text("scan").map(|s| bounded(&s, MAX_SCAN_CHARS)),
                    text("detail").map(|d| bounded(&d, MAX_DETAIL_CHARS)),
                ));
            }
        }
        if rows.is_empty() {
            rows.push((
                answer.code.as_str().to_owned(),
                ctx.scan.as_deref().map(|s| ctx.redact(s, MAX_SCAN_CHARS)),
                answer
                    .detail
                    .as_deref()
                    .map(|d| ctx.redact(d, MAX_DETAIL_CHARS)),
            ));
        }
        if let Err(e) = self.write_refusals(ctx, Source::Station, &rows, now) {
            not_recorded(answer, &e);
        }
    }

    fn write_refusals(
        &mut self,
        ctx: &RefusalContext,
        source: Source,
        rows: &[Row],
        now: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let tx = self.store.begin()?;
        let mut ids = Vec::with_capacity(rows.len());
        for (code, scan, detail) in rows {
            ids.push(insert_refusal(
                &tx,
                &NewRefusal {
                    time_ms: now,
                    username: &ctx.username,
                    mode: ctx.mode.as_str(),
                    command: &ctx.command,
                    source: source.as_str(),
                    code,
                    scan: scan.as_deref(),
                    detail: detail.as_deref(),
                },
            )?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// `record_refusal`: the screen refused a scan itself; the refusal is recorded as the
    /// screen's (command `scan`). Only a refusal code is taken, never an alert's (alerts are
    /// raised by the station, with their own record) nor `STORAGE_ERROR`.
    pub(crate) fn record_refusal_request(
        &mut self,
        code: &str,
        scan: Option<&str>,
        detail: Option<&str>,
        now: i64,
    ) -> Outcome {
        let known = ReasonCode::ALL.iter().copied().find(|c| c.as_str() == code);
        let Some(code) = known.filter(|c| {
            c.severity() == Severity::Refused
                && *c != ReasonCode::StorageError
                && !Response::with_code(*c, None).ok
        }) else {
            return Err(Failure::Refused(Refusal::new(
                ReasonCode::InvalidArgument,
                format!("record_refusal: field 'code': '{code}' is not a refusal code"),
            )));
        };
        let ctx = RefusalContext {
            command: Cow::Borrowed("scan"),
            username: self
                .session
                .user
                .as_ref()
                .map_or_else(|| "-".to_owned(), |u| u.username.clone()),
            mode: self.session.mode,
            scan: None,
            secrets: Vec::new(),
        };
        let row = (
            code.as_str().to_owned(),
            scan.map(|s| bounded(s, MAX_SCAN_CHARS)),
            detail.map(|d| bounded(d, MAX_DETAIL_CHARS)),
        );
        let ids = self.write_refusals(&ctx, Source::Screen, &[row], now)?;
        Ok(Response::ok().data(serde_json::json!({ "refusal_id": ids.first() })))
    }

    /// The answer to a malformed automation line (`BAD_REQUEST`, `UNKNOWN_COMMAND`,
    /// `INVALID_ARGUMENT` before the command ran), recorded as the protocol's refusal with the
    /// line's command name when it has one (`-` otherwise); the line's text is not kept.
    pub fn refused_line(&mut self, command: Option<&str>, mut answer: Response) -> Response {
        if !is_refusal(&answer) {
            return answer;
        }
        let now = self.now();
        let ctx = RefusalContext {
            command: Cow::Owned(command.map_or_else(|| "-".to_owned(), |c| bounded(c, 64))),
            username: self
                .session
                .user
                .as_ref()
                .map_or_else(|| "-".to_owned(), |u| u.username.clone()),
            mode: self.session.mode,
            scan: None,
            secrets: Vec::new(),
        };
        let row = (answer.code.as_str().to_owned(), None, None);
        let result = self.write_refusals(&ctx, Source::Protocol, &[row], now);
        if let Err(e) = result {
            not_recorded(&mut answer, &e);
        }
        answer
    }
}

/// Says in the answer's detail that its refusal could not be recorded (the answer keeps its
/// code: the packer is told why the scan was refused in any case).
fn not_recorded(answer: &mut Response, e: &StoreError) {
    let note = format!("this refusal could not be recorded: {e}");
    answer.detail = Some(match answer.detail.take() {
        Some(d) => format!("{d}; {note}"),
        None => note,
    });
}

/// The unit or text a command names (what was scanned), if any.
fn scan_of(req: &Request) -> Option<&str> {
    match req {
        Request::Scan { data } => Some(data),
        Request::Remove { scan }
        | Request::Unpack { scan }
        | Request::Move { scan, .. }
        | Request::Resume { scan }
        | Request::Retire { scan, .. }
        | Request::ReprintLabel { scan, .. }
        | Request::VerifyLabel { scan }
        | Request::VoidLabel { scan, .. }
        | Request::VerifyReturn { scan }
        | Request::Trace { scan }
        | Request::Lookup { scan }
        | Request::Manifest { scan }
        | Request::Adopt { scan } => Some(scan),
        Request::Close { scan, .. }
        | Request::Suspend { scan, .. }
        | Request::Hold { scan, .. }
        | Request::Release { scan, .. }
        | Request::PrintLabel { scan, .. }
        | Request::Recall { scan, .. }
        | Request::Tree { scan }
        | Request::RecordRefusal { scan, .. } => scan.as_deref(),
        Request::NewContainer { sscc, .. } => sscc.as_deref(),
        Request::Replace { damaged, .. } => Some(damaged),
        Request::Relabel { old, .. } => Some(old),
        Request::VerifyStart { container } => Some(container),
        _ => None,
    }
}

/// The passwords a command carries.
fn secrets_of(req: &Request) -> Vec<String> {
    let signature = match req {
        Request::Login { password, .. }
        | Request::InitAdmin { password, .. }
        | Request::CreateUser { password, .. } => return vec![password.clone()],
        Request::Close { signature, .. }
        | Request::Replace { signature, .. }
        | Request::Retire { signature, .. }
        | Request::Hold { signature, .. }
        | Request::Release { signature, .. }
        | Request::Undo { signature }
        | Request::VerifyConfirm { signature, .. }
        | Request::CloseWorkOrder { signature, .. } => signature.as_ref(),
        _ => None,
    };
    signature
        .map(|s| vec![s.password.clone()])
        .unwrap_or_default()
}

/// The protocol name of a command (its `cmd`).
fn command_name(req: &Request) -> &'static str {
    match req {
        Request::InitAdmin { .. } => "init_admin",
        Request::Login { .. } => "login",
        Request::Logout => "logout",
        Request::CreateUser { .. } => "create_user",
        Request::AddProduct { .. } => "add_product",
        Request::CreateWorkOrder { .. } => "create_work_order",
        Request::SetWorkOrderOption { .. } => "set_work_order_option",
        Request::ImportSerials { .. } => "import_serials",
        Request::SelectWorkOrder { .. } => "select_work_order",
        Request::SetSetting { .. } => "set_setting",
        Request::Scan { .. } => "scan",
        Request::ScanBatch { .. } => "scan_batch",
        Request::Mode { .. } => "mode",
        Request::NewContainer { .. } => "new_container",
        Request::Close { .. } => "close",
        Request::Remove { .. } => "remove",
        Request::Unpack { .. } => "unpack",
        Request::Move { .. } => "move",
        Request::Suspend { .. } => "suspend",
        Request::Resume { .. } => "resume",
        Request::Suspended { .. } => "suspended",
        Request::Confirm => "confirm",
        Request::Cancel => "cancel",
        Request::Replace { .. } => "replace",
        Request::Relabel { .. } => "relabel",
        Request::Retire { .. } => "retire",
        Request::Hold { .. } => "hold",
        Request::Release { .. } => "release",
        Request::Holds => "holds",
        Request::Undo { .. } => "undo",
        Request::VerifyStart { .. } => "verify_start",
        Request::VerifyStatus => "verify_status",
        Request::VerifyCancel => "verify_cancel",
        Request::VerifyConfirm { .. } => "verify_confirm",
        Request::AddSsccRange { .. } => "add_sscc_range",
        Request::PrintLabel { .. } => "print_label",
        Request::ReprintLabel { .. } => "reprint_label",
        Request::VerifyLabel { .. } => "verify_label",
        Request::VoidLabel { .. } => "void_label",
        Request::PrintStatus { .. } => "print_status",
        Request::VerifyReturn { .. } => "verify_return",
        Request::ReturnsRetry => "returns_retry",
        Request::Returns { .. } => "returns",
        Request::Trace { .. } => "trace",
        Request::Recall { .. } => "recall",
        Request::Lookup { .. } => "lookup",
        Request::Manifest { .. } => "manifest",
        Request::AcknowledgeAlert { .. } => "acknowledge_alert",
        Request::Status => "status",
        Request::Adopt { .. } => "adopt",
        Request::ImportEpcis { .. } => "import_epcis",
        Request::Reconcile { .. } => "reconcile",
        Request::CloseWorkOrder { .. } => "close_work_order",
        Request::UnusedSerials { .. } => "unused_serials",
        Request::Tree { .. } => "tree",
        Request::ShiftSummary { .. } => "shift_summary",
        Request::RecordRefusal { .. } => "record_refusal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_the_protocol_names() {
        for line in [
            r#"{"cmd":"scan","data":"x"}"#,
            r#"{"cmd":"shift_summary"}"#,
            r#"{"cmd":"record_refusal","code":"INVALID_SCAN"}"#,
            r#"{"cmd":"verify_confirm"}"#,
            r#"{"cmd":"close_work_order"}"#,
        ] {
            let req: Request = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            assert_eq!(Some(command_name(&req)), v["cmd"].as_str());
        }
    }

    #[test]
    fn secrets_are_cut_and_text_is_bounded() {
        let req = Request::Login {
            user: "pat".into(),
            password: "hunter2-secret".into(),
        };
        let ctx = RefusalContext::of(&req, None, Mode::Pack);
        assert_eq!(ctx.username, "pat");
        assert_eq!(
            ctx.redact("bad password hunter2-secret for pat", 100),
            format!("bad password {REDACTED} for pat")
        );
        let long = "A".repeat(MAX_SCAN_CHARS + 10);
        let cut = bounded(&long, MAX_SCAN_CHARS);
        assert_eq!(cut.chars().count(), MAX_SCAN_CHARS);
        assert!(cut.ends_with('…'));
    }
}
