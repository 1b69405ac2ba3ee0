//! Saleable-returns checks (issue 18): one row per returned pack the returns desk checked,
//! with the request it sent to the verification service (VRS), the correlation UUID, every
//! attempt's outcome and the answer as received. Rows are never deleted; a queued check (the
//! service could not be reached) is retried later and keeps its correlation UUID.

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, Row, params};

/// Where a check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// Decided by the station alone (retired, on hold or unknown here): no request was sent.
    Local,
    /// The service could not be reached: waiting to be retried.
    Queued,
    /// The service answered and the answer was read.
    Answered,
    /// The service answered something the station cannot take (HTTP error, unreadable or
    /// uncorrelated answer): nothing was decided; it can be retried.
    Error,
}

impl CheckState {
    /// Stable name (database, protocol, CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Queued => "queued",
            Self::Answered => "answered",
            Self::Error => "error",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Local, Self::Queued, Self::Answered, Self::Error]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A check to record.
#[derive(Debug, Clone)]
pub struct NewReturnCheck<'a> {
    /// The correlation UUID sent (or reserved) for it.
    pub corr_uuid: &'a str,
    /// Bracketed key of the pack, `(01)…(21)…`.
    pub unit_key: &'a str,
    /// GTIN-14.
    pub gtin: &'a str,
    /// Serial number.
    pub serial: &'a str,
    /// Lot as read from the pack (or the station's record when the case was scanned).
    pub lot: Option<&'a str>,
    /// Expiry `YYMMDD` as read.
    pub expiry: Option<&'a str>,
    /// The station's unit row, when it knows the pack.
    pub unit_id: Option<i64>,
    /// The returned container it came in, when a case was scanned.
    pub returned_in: Option<&'a str>,
    /// The returns user.
    pub username: &'a str,
    /// When.
    pub requested_ms: i64,
    /// Its first state.
    pub state: CheckState,
    /// Why the station decided it alone (`inactive:<status>`, `on_hold`, `unknown`).
    pub local_reason: Option<&'a str>,
    /// The request URL it will send (none when decided locally).
    pub request_url: Option<&'a str>,
}

/// A check as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReturnCheck {
    /// Row id.
    pub id: i64,
    /// Correlation UUID.
    pub corr_uuid: String,
    /// Bracketed key.
    pub unit_key: String,
    /// GTIN-14.
    pub gtin: String,
    /// Serial.
    pub serial: String,
    /// Lot.
    pub lot: Option<String>,
    /// Expiry `YYMMDD`.
    pub expiry: Option<String>,
    /// Unit row id.
    #[serde(skip)]
    pub unit_id: Option<i64>,
    /// Returned in this container.
    pub returned_in: Option<String>,
    /// Returns user.
    pub username: String,
    /// When it was first checked (UTC ms).
    pub requested_ms: i64,
    /// State.
    pub state: CheckState,
    /// Local decision.
    pub local_reason: Option<String>,
    /// The request URL last sent (no credential is ever part of it).
    pub request_url: Option<String>,
    /// Attempts made.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the answer came (UTC ms).
    pub answered_ms: Option<i64>,
    /// HTTP status of the last answer.
    pub http_status: Option<i64>,
    /// The last answer's body as received.
    pub answer: Option<String>,
    /// `data.verified`, once answered.
    pub verified: Option<bool>,
    /// `verificationFailureReason`.
    pub failure_reason: Option<String>,
    /// `responderGLN`.
    pub responder_gln: Option<String>,
    /// `verificationTimestamp`.
    pub verification_timestamp: Option<String>,
    /// The hold placed because of it.
    pub hold_id: Option<i64>,
}

const COLUMNS: &str = "id, corr_uuid, unit_key, gtin, serial, lot, expiry, unit_id, returned_in, username, requested_ms, state, local_reason, request_url, attempts, last_error, answered_ms, http_status, answer, verified, failure_reason, responder_gln, verification_timestamp, hold_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReturnCheck> {
    let state: String = r.get(11)?;
    Ok(ReturnCheck {
        id: r.get(0)?,
        corr_uuid: r.get(1)?,
        unit_key: r.get(2)?,
        gtin: r.get(3)?,
        serial: r.get(4)?,
        lot: r.get(5)?,
        expiry: r.get(6)?,
        unit_id: r.get(7)?,
        returned_in: r.get(8)?,
        username: r.get(9)?,
        requested_ms: r.get(10)?,
        state: CheckState::parse(&state)
            .ok_or_else(|| super::bad_column("return_checks.state", &state))?,
        local_reason: r.get(12)?,
        request_url: r.get(13)?,
        attempts: r.get(14)?,
        last_error: r.get(15)?,
        answered_ms: r.get(16)?,
        http_status: r.get(17)?,
        answer: r.get(18)?,
        verified: r.get(19)?,
        failure_reason: r.get(20)?,
        responder_gln: r.get(21)?,
        verification_timestamp: r.get(22)?,
        hold_id: r.get(23)?,
    })
}

/// Records a new check; returns its id.
pub fn insert_return_check(tx: &Tx<'_>, c: &NewReturnCheck<'_>) -> Result<i64, StoreError> {
    tx.sql()
        .prepare_cached(
            "INSERT INTO return_checks (corr_uuid, unit_key, gtin, serial, lot, expiry, unit_id, returned_in, username, requested_ms, state, local_reason, request_url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            c.corr_uuid,
            c.unit_key,
            c.gtin,
            c.serial,
            c.lot,
            c.expiry,
            c.unit_id,
            c.returned_in,
            c.username,
            c.requested_ms,
            c.state.as_str(),
            c.local_reason,
            c.request_url
        ])?;
    Ok(tx.sql().last_insert_rowid())
}

/// The outcome of one attempt to ask the service.
#[derive(Debug, Clone)]
pub struct CheckAttempt<'a> {
    /// The check.
    pub id: i64,
    /// Its new state.
    pub state: CheckState,
    /// The URL sent.
    pub request_url: &'a str,
    /// Why it failed (queued or error).
    pub error: Option<&'a str>,
    /// When (UTC ms).
    pub time_ms: i64,
    /// HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// Body as received, when there was an answer.
    pub answer: Option<&'a str>,
    /// Read answer: verified, failure reason, responder GLN, timestamp.
    pub verdict: Option<(bool, Option<&'a str>, Option<&'a str>, &'a str)>,
}

/// Records an attempt on a check.
pub fn record_check_attempt(tx: &Tx<'_>, a: &CheckAttempt<'_>) -> Result<(), StoreError> {
    let (verified, failure, gln, ts) = match a.verdict {
        Some((v, f, g, t)) => (Some(v), f, g, Some(t)),
        None => (None, None, None, None),
    };
    tx.sql()
        .prepare_cached(
            "UPDATE return_checks SET state = ?2, request_url = ?3, attempts = attempts + 1,
                 last_error = ?4, answered_ms = CASE WHEN ?6 IS NULL THEN answered_ms ELSE ?5 END,
                 http_status = COALESCE(?6, http_status), answer = COALESCE(?7, answer),
                 verified = ?8, failure_reason = ?9, responder_gln = ?10, verification_timestamp = ?11
             WHERE id = ?1",
        )?
        .execute(params![
            a.id,
            a.state.as_str(),
            a.request_url,
            a.error,
            a.time_ms,
            a.http_status,
            a.answer,
            verified,
            failure,
            gln,
            ts
        ])?;
    Ok(())
}

/// Names the hold a failed check placed.
pub fn set_check_hold(tx: &Tx<'_>, id: i64, hold_id: i64) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE return_checks SET hold_id = ?2 WHERE id = ?1")?
        .execute(params![id, hold_id])?;
    Ok(())
}

/// One check by id.
pub fn return_check(conn: &Conn, id: i64) -> Result<Option<ReturnCheck>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM return_checks WHERE id = ?1"
    ))?;
    Ok(st.query_row([id], from_row).optional()?)
}

/// Every check, oldest first (the returns file).
pub fn return_checks(conn: &Conn) -> Result<Vec<ReturnCheck>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached(&format!("SELECT {COLUMNS} FROM return_checks ORDER BY id"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The checks waiting to be retried (queued or in error), oldest first.
pub fn retryable_checks(conn: &Conn, limit: usize) -> Result<Vec<ReturnCheck>, StoreError> {
    let mut st = conn.sql().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM return_checks WHERE state IN ('queued', 'error') ORDER BY id LIMIT ?1"
    ))?;
    let rows = st.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many checks wait to be retried.
pub fn retryable_count(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn.sql().query_row(
        "SELECT count(*) FROM return_checks WHERE state IN ('queued', 'error')",
        [],
        |r| r.get(0),
    )?)
}
