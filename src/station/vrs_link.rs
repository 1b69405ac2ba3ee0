//! The station's view of the verification service (VRS) that answers saleable-returns checks
//! (GS1 US Lightweight Messaging Standard, issue 18). The `sync` layer implements it over
//! HTTP with the repository's client (timeouts, retries, redaction); the station never speaks
//! HTTP itself, and reads the answer with [`crate::domain::parse_vrs_answer`].

/// What the station asks about one pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VrsQuery {
    /// GTIN-14.
    pub gtin: String,
    /// Lot as read from the pack.
    pub lot: String,
    /// Serial number.
    pub serial: String,
    /// Expiry `YYMMDD` as read from the pack.
    pub expiry: String,
    /// The correlation UUID of this check.
    pub corr_uuid: String,
}

/// One exchange with the service: the URL sent (no credential in it) and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VrsExchange {
    /// The request URL.
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// The body as received (secrets cut out).
    pub body: String,
    /// Attempts it took (transient failures retried).
    pub attempts: u32,
}

/// Why the service gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VrsLinkError {
    /// Unreachable, timed out or answered "try later" (5xx, 429, 408) on every attempt: the
    /// check is queued and retried later.
    #[error("{url}: the verification service cannot be reached: {detail}")]
    Unreachable {
        /// The request URL.
        url: String,
        /// What the last attempt met.
        detail: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The settings are unusable (bad URL, unreadable CA file).
    #[error("verification service settings: {0}")]
    Config(String),
}

/// A connection to the verification service. Calls block (with the client's timeouts and a
/// bounded number of retries): the station calls them outside its transactions.
pub trait VerificationLink: Send {
    /// The service (its URL, never a credential).
    fn describe(&self) -> String;

    /// The requestor GLN the station identifies itself with (`reqGLN`).
    fn requestor_gln(&self) -> String;

    /// The URL a query is sent to (what the check records before it is sent).
    fn request_url(&self, query: &VrsQuery) -> String;

    /// Asks about one pack.
    fn verify(&self, query: &VrsQuery) -> Result<VrsExchange, VrsLinkError>;
}
