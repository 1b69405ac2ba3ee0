//! The one place where the station's answers (`Response.data`, JSON at the protocol edge) are
//! read: each answer the screens show becomes a typed view model here, once, when it arrives.
//! No screen indexes JSON (`tests/it/layering.rs` checks).

use crate::domain::{OrderCloseout, ReasonCode, RecallReport, TraceReport, VrsFailure};
use crate::station::Response;
use crate::ui::history_view::HistoryEntry;
use crate::ui::hold_view::HoldInfo;
use crate::ui::lookup_view::{LookupView, Origin};
use crate::ui::returns_view::{CheckRow, ReturnsAnswer};
use crate::ui::state::{BatchLine, BatchView, Screen};
use serde_json::Value;

fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A value as text: a string as it is, null as nothing, anything else as JSON.
pub(super) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn reason_code(v: &Value, otherwise: ReasonCode) -> ReasonCode {
    v.as_str()
        .and_then(|c| ReasonCode::ALL.iter().find(|r| r.as_str() == c))
        .copied()
        .unwrap_or(otherwise)
}

/// An answer's data as indented JSON (a manifest saved as a file).
pub(super) fn pretty(data: &Value) -> Option<String> {
    serde_json::to_string_pretty(data).ok()
}

/// The per-code verdicts of a `scan_batch` answer.
pub(super) fn batch_view(response: &Response, screen: Screen) -> BatchView {
    let data = response.data.as_ref();
    let count = |name: &str| {
        data.and_then(|d| d.get(name))
            .and_then(Value::as_u64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    let lines = data
        .and_then(|d| d.get("results"))
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| BatchLine {
                    scan: string(&r["scan"]).unwrap_or_default(),
                    ok: r["ok"].as_bool().unwrap_or(false),
                    code: reason_code(&r["code"], ReasonCode::BadRequest),
                })
                .collect()
        })
        .unwrap_or_default();
    BatchView {
        accepted: count("accepted"),
        refused: count("refused"),
        lines,
        screen,
    }
}

/// What the switch or resume confirmation shows under its question: keys and counts only
/// ("(00)…22 3/20 → (00)…39", or "(00)…22 2 → 1" for a container that changed while aside).
pub(super) fn confirmation_text(response: &Response) -> String {
    let d = response.data.clone().unwrap_or_default();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if response.code == ReasonCode::ConfirmSwitch {
        format!(
            "{} {}/{} → {}",
            text(&d["put_aside"]),
            text(&d["count"]),
            text(&d["capacity"]),
            text(&d["take"])
        )
    } else {
        let key = response.container.as_ref().map(|c| c.key.clone());
        format!(
            "{} {} → {}",
            key.unwrap_or_default(),
            text(&d["was"]),
            text(&d["now"])
        )
    }
}

/// A move's from and to (`IN_OTHER_CONTAINER`, `CONFIRM_REQUIRED`), empty ones left out.
pub(super) fn move_route(response: &Response) -> (Option<String>, Option<String>) {
    let data = response.data.clone().unwrap_or_default();
    (
        Some(text(&data["from"])).filter(|s| !s.is_empty()),
        Some(text(&data["to"])).filter(|s| !s.is_empty()),
    )
}

/// Whether an answer is a look-up (it carries the unit's history).
pub(super) fn is_lookup(response: &Response) -> bool {
    response
        .data
        .as_ref()
        .is_some_and(|d| d.get("history").is_some())
}

/// The first top container of a hierarchy taken in (`None`: the answer took nothing in).
pub(super) fn adopted_top(response: &Response) -> Option<Option<String>> {
    let data = response.data.as_ref()?;
    data.get("tops")?;
    Some(data["tops"][0].as_str().map(str::to_owned))
}

/// One history entry of a look-up.
fn history_entry(e: &Value) -> HistoryEntry {
    HistoryEntry {
        command: string(&e["command"]).unwrap_or_default(),
        time_ms: e["time_ms"].as_i64().unwrap_or_default(),
        user: string(&e["user"]).unwrap_or_default(),
        from: string(&e["from"]),
        to: string(&e["to"]),
        count: e["count"].as_u64(),
        signer: string(&e["signer"]),
        meaning: string(&e["meaning"]),
        reason: string(&e["reason"]).filter(|r| !r.is_empty()),
        error_declaration: e["error_declaration"].as_bool() == Some(true),
    }
}

/// The look-up answer as the Look-up screen shows it.
pub(super) fn lookup_view(data: &Value) -> LookupView {
    let unit = &data["unit"];
    let hold = &data["hold"];
    let origin = &data["origin"];
    let held = hold["held"] == true;
    LookupView {
        key: string(&unit["key"]).unwrap_or_default(),
        status: string(&unit["status"]).unwrap_or_else(|| "active".to_owned()),
        is_container: unit["state"].is_string(),
        gtin_lot: match (unit["gtin"].as_str(), unit["lot"].as_str()) {
            (Some(g), Some(l)) => Some((g.to_owned(), l.to_owned())),
            _ => None,
        },
        parents: data["parents"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| string(&p["key"]).unwrap_or_default())
            .collect(),
        children_total: data["children_total"].as_u64().unwrap_or_default(),
        origin: Origin {
            kind: string(&origin["origin"]).unwrap_or_else(|| "local".to_owned()),
            source: string(&origin["source"]),
            adopted_ms: origin["adopted_ms"].as_i64(),
            refreshed_ms: origin["refreshed_ms"].as_i64(),
        },
        hold: HoldInfo {
            held,
            id: hold["id"].as_i64().filter(|_| held),
            reason: hold["reason"].as_str().and_then(|r| r.parse().ok()),
            comment: string(&hold["comment"]),
            placed_by: string(&hold["placed_by"]).unwrap_or_default(),
            placed_ms: hold["placed_ms"].as_i64().unwrap_or_default(),
            scope: string(&hold["scope"]).unwrap_or_else(|| "unit".to_owned()),
            inside: string(&hold["inside"]),
        },
        history: data["history"]
            .as_array()
            .into_iter()
            .flatten()
            .map(history_entry)
            .collect(),
    }
}

/// What a print or reprint answer says: the label's key and whether a printer took the job.
pub(super) fn printed(data: &Value) -> (Option<String>, bool) {
    (
        string(&data["key"]),
        data["print"]["queued"].as_bool().unwrap_or(false),
    )
}

/// What a print-status answer says: each finished job's error (`None`: printed), and whether
/// nothing is pending any more.
pub(super) fn print_jobs(data: &Value) -> (Vec<Option<String>>, bool) {
    let jobs = data["jobs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|job| {
            (job["ok"].as_bool() != Some(true)).then(|| string(&job["error"]).unwrap_or_default())
        })
        .collect();
    (jobs, data["pending"].as_u64() == Some(0))
}

/// The serials of an `unused_serials` answer.
pub(super) fn unused_serials(response: &Response) -> Vec<String> {
    response
        .data
        .as_ref()
        .and_then(|d| d["scans"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// A work order's close-out (`reconcile`, `close_work_order`).
pub(super) fn closeout(response: &Response) -> Option<OrderCloseout> {
    let data = response.data.clone()?;
    serde_json::from_value::<OrderCloseout>(data).ok()
}

/// The shift's summary (`shift_summary`).
pub(super) fn shift_summary(response: &Response) -> Option<crate::station::ShiftSummary> {
    let data = response.data.clone().filter(|_| response.ok)?;
    serde_json::from_value(data).ok()
}

/// A recall report (`recall`).
pub(super) fn recall(response: &Response) -> Option<RecallReport> {
    let data = response.data.clone().filter(|_| response.ok)?;
    serde_json::from_value::<RecallReport>(data).ok()
}

/// A trace report (`trace`).
pub(super) fn trace(response: &Response) -> Option<TraceReport> {
    let data = response.data.clone().filter(|_| response.ok)?;
    serde_json::from_value::<TraceReport>(data).ok()
}

fn check_row(c: &Value) -> CheckRow {
    CheckRow {
        key: string(&c["unit_key"]).unwrap_or_default(),
        code: reason_code(&c["code"], ReasonCode::VrsBadAnswer),
        failure: c["failure_reason"].as_str().map(VrsFailure::from_code),
        local: string(&c["local_reason"]),
        corr_uuid: string(&c["corr_uuid"]).unwrap_or_default(),
        returned_in: string(&c["returned_in"]),
    }
}

/// The checks of a returns answer (`verify_return`, a scan in returns mode, `returns_retry`,
/// `returns`); `None` when the answer carries no data.
pub(super) fn returns_answer(response: &Response) -> Option<ReturnsAnswer> {
    let data = response.data.as_ref()?;
    Some(ReturnsAnswer {
        checks: data.get("checks").map(|checks| {
            checks
                .as_array()
                .into_iter()
                .flatten()
                .map(check_row)
                .collect()
        }),
        left: data["left"].as_u64(),
        waiting: data["waiting"].as_u64(),
    })
}

/// The returns file of a `returns` answer (its checks, oldest first).
pub(super) fn returns_csv(response: &Response) -> Option<String> {
    let checks = response.data.as_ref()?["checks"].as_array()?;
    let text = |v: &Value, k: &str| string(&v[k]);
    let mut rows: Vec<crate::store::ReturnCheck> = Vec::new();
    for c in checks.iter().rev() {
        rows.push(crate::store::ReturnCheck {
            id: c["id"].as_i64().unwrap_or_default(),
            corr_uuid: text(c, "corr_uuid").unwrap_or_default(),
            unit_key: text(c, "unit_key").unwrap_or_default(),
            gtin: text(c, "gtin").unwrap_or_default(),
            serial: text(c, "serial").unwrap_or_default(),
            lot: text(c, "lot"),
            expiry: text(c, "expiry"),
            unit_id: None,
            returned_in: text(c, "returned_in"),
            username: text(c, "username").unwrap_or_default(),
            requested_ms: c["requested_ms"].as_i64().unwrap_or_default(),
            state: match c["state"].as_str() {
                Some("local") => crate::store::CheckState::Local,
                Some("answered") => crate::store::CheckState::Answered,
                Some("error") => crate::store::CheckState::Error,
                _ => crate::store::CheckState::Queued,
            },
            local_reason: text(c, "local_reason"),
            request_url: text(c, "request_url"),
            attempts: c["attempts"].as_i64().unwrap_or_default(),
            last_error: text(c, "last_error"),
            answered_ms: c["answered_ms"].as_i64(),
            http_status: c["http_status"].as_i64(),
            answer: text(c, "answer"),
            verified: c["verified"].as_bool(),
            failure_reason: text(c, "failure_reason"),
            responder_gln: text(c, "responder_gln"),
            verification_timestamp: text(c, "verification_timestamp"),
            hold_id: c["hold_id"].as_i64(),
        });
    }
    Some(crate::station::returns_csv(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::I18n;

    #[test]
    fn a_history_entry_reads_from_to_and_its_signature() {
        let i18n = I18n::english();
        let moved = history_entry(&serde_json::json!({
            "command": "move", "from": "(00)1", "to": "(00)2", "user": "ann",
            "signer": "Ada Admin (admin)", "meaning": "approve undo of a signed action"
        }));
        assert_eq!(moved.title(&i18n), "Moved");
        assert_eq!(moved.route(&i18n).unwrap(), "(00)1 → (00)2");
        assert_eq!(
            moved.signature(&i18n).unwrap(),
            "Signed by Ada Admin (admin): “approve undo of a signed action”"
        );
        let plain = history_entry(&serde_json::json!({"command": "scan"}));
        assert_eq!(plain.route(&i18n), None);
        assert_eq!(plain.signature(&i18n), None);
    }
}
