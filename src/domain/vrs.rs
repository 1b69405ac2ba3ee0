//! Saleable-returns verification (US DSCSA) as the GS1 US Lightweight Messaging Standard for
//! Verification of Product Identifiers (1.1) words it: the failure reasons a responder gives and
//! the strict reading of its answer.
//!
//! Pure: the answer's text and the correlation UUID the station sent come in; a typed
//! [`VrsAnswer`] or a [`VrsAnswerError`] naming what was wrong comes out.
//!
//! ```
//! use packbench::domain::{VrsFailure, parse_vrs_answer};
//! let corr = "0f3c7a52-57b4-4e1c-9b4e-2d0f5f3a9c11";
//! let body = format!(r#"{{"verificationTimestamp": "2026-12-03T10:00:00.000Z",
//!   "responderGLN": "9506000000015",
//!   "data": {{"verified": false, "verificationFailureReason": "No_match_GTIN_Serial_Lot"}},
//!   "corrUUID": "{corr}"}}"#);
//! let answer = parse_vrs_answer(&body, corr).unwrap();
//! assert!(!answer.verified);
//! assert_eq!(answer.failure, Some(VrsFailure::NoMatchGtinSerialLot));
//! assert!(parse_vrs_answer(&body, "another-uuid").is_err());
//! ```

use serde::Serialize;

/// Why a responder did not verify a product identifier (`verificationFailureReason`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum VrsFailure {
    /// `No_match_GTIN_Serial`: the manufacturer has no pack of this GTIN and serial.
    NoMatchGtinSerial,
    /// `No_match_GTIN_Serial_Lot`: the pack exists with another lot.
    NoMatchGtinSerialLot,
    /// `No_match_GTIN_Serial_Expiry`: the pack exists with another expiry date.
    NoMatchGtinSerialExpiry,
    /// `No_match_GTIN_Serial_Lot_Expiry`: the pack exists with another lot and expiry date.
    NoMatchGtinSerialLotExpiry,
    /// `GTIN_not_found`: no responder knows the GTIN.
    GtinNotFound,
    /// `GTIN_not_registered`: the GTIN is not registered with the router.
    GtinNotRegistered,
    /// `No_reason_provided`.
    NoReasonProvided,
    /// A reason code this station does not know (shown as the responder wrote it).
    Other(String),
}

impl VrsFailure {
    /// Every known reason (for translations and tests).
    pub const KNOWN: [VrsFailure; 7] = [
        Self::NoMatchGtinSerial,
        Self::NoMatchGtinSerialLot,
        Self::NoMatchGtinSerialExpiry,
        Self::NoMatchGtinSerialLotExpiry,
        Self::GtinNotFound,
        Self::GtinNotRegistered,
        Self::NoReasonProvided,
    ];

    /// The code as the standard writes it.
    pub fn code(&self) -> &str {
        match self {
            Self::NoMatchGtinSerial => "No_match_GTIN_Serial",
            Self::NoMatchGtinSerialLot => "No_match_GTIN_Serial_Lot",
            Self::NoMatchGtinSerialExpiry => "No_match_GTIN_Serial_Expiry",
            Self::NoMatchGtinSerialLotExpiry => "No_match_GTIN_Serial_Lot_Expiry",
            Self::GtinNotFound => "GTIN_not_found",
            Self::GtinNotRegistered => "GTIN_not_registered",
            Self::NoReasonProvided => "No_reason_provided",
            Self::Other(code) => code,
        }
    }

    /// The reason of a code (an unknown code is kept as [`VrsFailure::Other`]).
    pub fn from_code(code: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|k| k.code() == code)
            .unwrap_or_else(|| Self::Other(code.to_owned()))
    }

    /// The message id of the reason in `returns.ftl` (`vrs-failure-…`).
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::NoMatchGtinSerial => "vrs-failure-no-match-gtin-serial",
            Self::NoMatchGtinSerialLot => "vrs-failure-no-match-gtin-serial-lot",
            Self::NoMatchGtinSerialExpiry => "vrs-failure-no-match-gtin-serial-expiry",
            Self::NoMatchGtinSerialLotExpiry => "vrs-failure-no-match-gtin-serial-lot-expiry",
            Self::GtinNotFound => "vrs-failure-gtin-not-found",
            Self::GtinNotRegistered => "vrs-failure-gtin-not-registered",
            Self::NoReasonProvided => "vrs-failure-no-reason-provided",
            Self::Other(_) => "vrs-failure-other",
        }
    }
}

impl From<VrsFailure> for String {
    fn from(f: VrsFailure) -> Self {
        f.code().to_owned()
    }
}

/// A responder's answer, read strictly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VrsAnswer {
    /// `verificationTimestamp` as the responder wrote it.
    pub timestamp: String,
    /// `responderGLN`; `None` when the responder left it empty on a negative answer (a
    /// responder that could not route the GTIN may not know whose it is).
    pub responder_gln: Option<String>,
    /// `data.verified`.
    pub verified: bool,
    /// `data.verificationFailureReason` (only when not verified).
    pub failure: Option<VrsFailure>,
    /// `data.additionalInfo` (e.g. `recalled`), when given.
    pub additional_info: Option<String>,
}

/// Why an answer cannot be taken: nothing is decided from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VrsAnswerError {
    /// Not a JSON object.
    #[error("the answer is not a JSON object: {0}")]
    NotJson(String),
    /// A required member is missing or has the wrong type.
    #[error("the answer has no valid '{0}'")]
    Missing(&'static str),
    /// `responderGLN` is not a 13-digit GLN with a valid check digit.
    #[error("responderGLN '{0}' is not a GLN")]
    BadGln(String),
    /// `corrUUID` is not the one the station sent.
    #[error("corrUUID '{found}' does not match the request's '{sent}'")]
    CorrelationMismatch {
        /// What the station sent.
        sent: String,
        /// What came back.
        found: String,
    },
    /// A verified answer carries a failure reason, or a negative one none.
    #[error("the answer contradicts itself: {0}")]
    Contradiction(&'static str),
}

/// Reads a responder's answer to the request correlated by `sent_corr_uuid`.
pub fn parse_vrs_answer(body: &str, sent_corr_uuid: &str) -> Result<VrsAnswer, VrsAnswerError> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| {
        let mut s = e.to_string();
        s.truncate(120);
        VrsAnswerError::NotJson(s)
    })?;
    let obj = v
        .as_object()
        .ok_or_else(|| VrsAnswerError::NotJson("not an object".to_owned()))?;
    let corr = obj
        .get("corrUUID")
        .and_then(|c| c.as_str())
        .ok_or(VrsAnswerError::Missing("corrUUID"))?;
    if corr != sent_corr_uuid {
        return Err(VrsAnswerError::CorrelationMismatch {
            sent: sent_corr_uuid.to_owned(),
            found: corr.chars().take(60).collect(),
        });
    }
    let timestamp = obj
        .get("verificationTimestamp")
        .and_then(|t| t.as_str())
        .filter(|t| looks_like_timestamp(t))
        .ok_or(VrsAnswerError::Missing("verificationTimestamp"))?
        .to_owned();
    let data = obj
        .get("data")
        .and_then(|d| d.as_object())
        .ok_or(VrsAnswerError::Missing("data"))?;
    let verified = data
        .get("verified")
        .and_then(serde_json::Value::as_bool)
        .ok_or(VrsAnswerError::Missing("data.verified"))?;
    let failure = match data.get("verificationFailureReason") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            Some(VrsFailure::from_code(s.trim()))
        }
        Some(_) => return Err(VrsAnswerError::Missing("data.verificationFailureReason")),
    };
    match (verified, &failure) {
        (true, Some(_)) => {
            return Err(VrsAnswerError::Contradiction(
                "verified with a verificationFailureReason",
            ));
        }
        (false, None) => {
            return Err(VrsAnswerError::Contradiction(
                "not verified without a verificationFailureReason",
            ));
        }
        _ => {}
    }
    let additional_info = match data.get("additionalInfo") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(VrsAnswerError::Missing("data.additionalInfo")),
    };
    let gln = obj
        .get("responderGLN")
        .and_then(|g| g.as_str())
        .ok_or(VrsAnswerError::Missing("responderGLN"))?;
    let responder_gln = if gln.is_empty() && !verified {
        None
    } else if gln.len() == 13 && crate::gs1::check_digit::has_valid_check_digit(gln) {
        Some(gln.to_owned())
    } else {
        return Err(VrsAnswerError::BadGln(gln.chars().take(40).collect()));
    };
    Ok(VrsAnswer {
        timestamp,
        responder_gln,
        verified,
        failure,
        additional_info,
    })
}

/// `YYYY-MM-DDThh:mm:ss…`: a date, a `T` and a time (the responder's zone and fraction kept).
fn looks_like_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 19
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':'
        && b[16] == b':'
}

/// How the `exp` query parameter is written: the standard's `YYMMDD`, or the `YYYYMMDD` that
/// quartet-vrs 2.0.3 compares against (it formats the commissioning ILMD's date that way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpFormat {
    /// `YYMMDD` (GS1 US Lightweight Messaging Standard).
    #[default]
    Yymmdd,
    /// `YYYYMMDD` (quartet-vrs 2.0.3).
    Yyyymmdd,
}

impl ExpFormat {
    /// The `exp` value of a GS1 `YYMMDD` expiry (a day `00` is the month's last day, written as
    /// such by both formats; years 00–49 are 20xx, 50–99 19xx, per the GS1 General
    /// Specifications' sliding window as packbench applies it).
    ///
    /// ```
    /// use packbench::domain::ExpFormat;
    /// assert_eq!(ExpFormat::Yymmdd.exp("271231"), "271231");
    /// assert_eq!(ExpFormat::Yyyymmdd.exp("271231"), "20271231");
    /// assert_eq!(ExpFormat::Yyyymmdd.exp("280200"), "20280229");
    /// ```
    pub fn exp(self, yymmdd: &str) -> String {
        let digits = yymmdd.len() == 6 && yymmdd.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return yymmdd.to_owned();
        }
        let yy: i64 = yymmdd[..2].parse().unwrap_or(0);
        let mm: u32 = yymmdd[2..4].parse().unwrap_or(1);
        let mut dd: u32 = yymmdd[4..].parse().unwrap_or(1);
        let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
        if dd == 0 {
            dd = super::end_of_month_day(year, mm);
        }
        match self {
            Self::Yymmdd => format!("{:02}{mm:02}{dd:02}", year % 100),
            Self::Yyyymmdd => format!("{year:04}{mm:02}{dd:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "c0ffee00-0000-4000-8000-000000000001";

    fn body(data: &str, gln: &str, corr: &str) -> String {
        format!(
            r#"{{"verificationTimestamp":"2026-12-03T10:00:00.123Z","responderGLN":"{gln}","data":{data},"corrUUID":"{corr}"}}"#
        )
    }

    #[test]
    fn a_positive_answer() {
        let a = parse_vrs_answer(&body(r#"{"verified":true}"#, "9506000000015", C), C).unwrap();
        assert!(a.verified);
        assert_eq!(a.failure, None);
        assert_eq!(a.responder_gln.as_deref(), Some("9506000000015"));
    }

    #[test]
    fn every_known_reason_reads_back() {
        for f in VrsFailure::KNOWN {
            let data = format!(
                r#"{{"verified":false,"verificationFailureReason":"{}"}}"#,
                f.code()
            );
            let a = parse_vrs_answer(&body(&data, "", C), C).unwrap();
            assert_eq!(a.failure, Some(f));
            assert_eq!(a.responder_gln, None);
        }
    }

    #[test]
    fn bad_answers_are_named() {
        let cases = [
            ("not json".to_owned(), "not a JSON object"),
            ("[1]".to_owned(), "not a JSON object"),
            (
                body(r#"{"verified":true}"#, "9506000000015", "x"),
                "corrUUID",
            ),
            (
                body(r#"{"verified":"yes"}"#, "9506000000015", C),
                "data.verified",
            ),
            (
                body(r#"{"verified":true}"#, "9506000000016", C),
                "not a GLN",
            ),
            (body(r#"{"verified":true}"#, "", C), "not a GLN"),
            (
                body(
                    r#"{"verified":true,"verificationFailureReason":"GTIN_not_found"}"#,
                    "9506000000015",
                    C,
                ),
                "contradicts",
            ),
            (
                body(r#"{"verified":false}"#, "9506000000015", C),
                "contradicts",
            ),
            (
                format!(
                    r#"{{"responderGLN":"9506000000015","data":{{"verified":true}},"corrUUID":"{C}"}}"#
                ),
                "verificationTimestamp",
            ),
        ];
        for (text, needle) in cases {
            let e = parse_vrs_answer(&text, C).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn an_unknown_reason_is_kept() {
        let data = r#"{"verified":false,"verificationFailureReason":"Product_recalled"}"#;
        let a = parse_vrs_answer(&body(data, "9506000000015", C), C).unwrap();
        assert_eq!(
            a.failure,
            Some(VrsFailure::Other("Product_recalled".into()))
        );
    }
}
