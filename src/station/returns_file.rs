//! The returns file: every returns check as CSV (`packbench returns export`, the Returns
//! screen's "Save returns file (CSV)…").

use super::returns::check_code;
use crate::store::ReturnCheck;

/// The returns file as CSV: one line per check, oldest first.
pub fn returns_csv(checks: &[ReturnCheck]) -> String {
    let mut out = String::from(
        "check,time_utc_ms,user,unit_key,gtin,serial,lot,expiry,returned_in,result,verified,failure_reason,local_reason,corr_uuid,responder_gln,verification_timestamp,http_status,attempts,hold_id,request_url\n",
    );
    for c in checks {
        let cells = [
            c.id.to_string(),
            c.requested_ms.to_string(),
            c.username.clone(),
            c.unit_key.clone(),
            c.gtin.clone(),
            c.serial.clone(),
            c.lot.clone().unwrap_or_default(),
            c.expiry.clone().unwrap_or_default(),
            c.returned_in.clone().unwrap_or_default(),
            check_code(c).as_str().to_owned(),
            c.verified.map(|v| v.to_string()).unwrap_or_default(),
            c.failure_reason.clone().unwrap_or_default(),
            c.local_reason.clone().unwrap_or_default(),
            c.corr_uuid.clone(),
            c.responder_gln.clone().unwrap_or_default(),
            c.verification_timestamp.clone().unwrap_or_default(),
            c.http_status.map(|s| s.to_string()).unwrap_or_default(),
            c.attempts.to_string(),
            c.hold_id.map(|h| h.to_string()).unwrap_or_default(),
            c.request_url.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A CSV cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
/// `@` is defused with a `'` so a spreadsheet does not run it as a formula.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
