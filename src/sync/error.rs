//! Sync errors: transient ones are retried with backoff, the rest need the administrator.

/// Why a sync step failed. A rejection of a document by the repository is not an error but a
/// [`super::PushOutcome::Rejected`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Connection refused, reset or closed, DNS failure, TLS failure.
    #[error("{url}: repository unreachable: {detail}")]
    Unreachable {
        /// The URL.
        url: String,
        /// What the transport said.
        detail: String,
    },
    /// No answer in time.
    #[error("{url}: no answer in time")]
    Timeout {
        /// The URL.
        url: String,
    },
    /// The repository answered with a status that means "try again later" (5xx, 429, 408) or
    /// that needs the administrator without being the document's fault (401, 403, 404).
    #[error("{url}: HTTP {status}: {message}")]
    Server {
        /// The URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// The server's message (shortened).
        message: String,
    },
    /// The repository answered something the contract does not allow.
    #[error("{url}: unexpected answer: {detail}")]
    Protocol {
        /// The URL.
        url: String,
        /// What was wrong.
        detail: String,
    },
    /// The station's repository settings are unusable.
    #[error("repository settings: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
    },
    /// The local database failed.
    #[error("local database: {0}")]
    Store(String),
}

impl From<crate::store::StoreError> for SyncError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Store(e.to_string())
    }
}

/// At most `max` characters of a server message, on one line.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut s: String = one_line.chars().take(max).collect();
        s.push('…');
        s
    }
}
