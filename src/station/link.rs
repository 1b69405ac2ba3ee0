//! The station's view of the site repository (`docs/architecture.md` §15): what it needs to
//! take a hierarchy in (adopt), to see whether another bench changed it (stale check), and to
//! know how a correction must be sent. The `sync` layer implements it for each repository kind;
//! the station never speaks HTTP itself.

use crate::epcis::EventFacts;

/// Why the repository could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Unreachable, timed out, refused the credentials, or answered 5xx.
    #[error("the repository cannot be reached: {0}")]
    Unreachable(String),
    /// It answered something that is not what the protocol says.
    #[error("the repository's answer cannot be read: {0}")]
    BadAnswer(String),
}

/// A connection to the site repository, as the station uses it. Calls block (with the
/// client's timeouts): the station calls them before it opens its transaction.
pub trait RepositoryLink: Send {
    /// The repository for messages and adoption records (its URL, never a credential).
    fn describe(&self) -> String;

    /// Every event the repository holds about the unit and everything below it: enough to
    /// replay (`epcis::replay`) the unit's status and parent and its whole subtree, with the
    /// packs' commissioning ILMD (lot, expiry) where the repository has it. Empty when the
    /// repository knows nothing of the unit.
    fn hierarchy_events(&self, epc: &str) -> Result<Vec<EventFacts>, LinkError>;

    /// Every event the repository holds that names one of `epcs` (as parent or child). The
    /// station compares their IDs with the events it knows to find changes made elsewhere.
    fn events_naming(&self, epcs: &[String]) -> Result<Vec<EventFacts>, LinkError>;

    /// Whether the repository honours `errorDeclaration` (EPCIS 2.0: yes; QU4RTET, EPCIS 1.2
    /// as it processes it: no, it applies the copy as one more event).
    fn honours_error_declarations(&self) -> bool;
}
