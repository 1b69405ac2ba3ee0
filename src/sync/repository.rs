//! The repository abstraction: what the sync worker needs from any repository kind.

use super::error::SyncError;
use super::outbox::PendingRow;
use crate::epcis::Event;

/// What the repository did with one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Captured now.
    Delivered,
    /// Every event was already there (an earlier attempt reached the repository but its answer
    /// was lost): delivered as well, and counted once.
    AlreadyPresent,
    /// The repository refused the document for its content (4xx, rule failure): retrying the
    /// same document cannot help. Nothing of it was stored (rollback).
    Rejected {
        /// The repository's message, for the administrator.
        message: String,
    },
}

/// A repository the station pushes EPCIS events to.
///
/// Implementations must be idempotent in effect: pushing a document whose events are already
/// captured answers [`PushOutcome::AlreadyPresent`], never a rejection and never a second copy.
pub trait Repository: Send {
    /// Short description for status displays (kind and URL, never credentials).
    fn describe(&self) -> String;

    /// The largest number of events the repository takes in one document, if it says.
    fn capture_limit(&mut self) -> Result<Option<usize>, SyncError>;

    /// Captures one document holding `events` (whole station commands, in commit order).
    /// `Err` means the outcome is unknown or the repository is unavailable: retry later.
    fn push(&mut self, events: &[Event], now_ms: i64) -> Result<PushOutcome, SyncError>;

    /// Captures one document holding the events of whole outbox rows, in order. The default
    /// parses the stored events and calls [`Repository::push`]; a client that can send the
    /// stored JSON-LD as it is (EPCIS 2.0) overrides it and never re-serialises an event.
    fn push_rows(&mut self, rows: &[PendingRow], now_ms: i64) -> Result<PushOutcome, SyncError> {
        let mut events = Vec::new();
        for row in rows {
            events.append(&mut row.events()?);
        }
        self.push(&events, now_ms)
    }

    /// The repository as the station reads it ([`crate::station::RepositoryLink`]), for the
    /// check of a change made offline before it is sent; `None` when it cannot be read.
    fn link(&self) -> Option<Box<dyn crate::station::RepositoryLink>> {
        None
    }

    /// Whether the repository itself refuses a second copy of an event (by hash ID). When it
    /// does not (QU4RTET), the worker asks [`Repository::all_present`] before re-sending a
    /// command whose earlier attempt has an unknown outcome.
    fn deduplicates(&self) -> bool {
        true
    }

    /// Whether the repository honours `errorDeclaration` (see
    /// [`super::RepositoryKind::honours_error_declarations`]). When it does not, it is never
    /// sent the error-declaration copies of an undo, only its compensating events.
    fn honours_error_declarations(&self) -> bool {
        true
    }

    /// Whether the repository already holds every one of `events` (same eventID, same
    /// error-declaration flag).
    fn all_present(&mut self, events: &[Event]) -> Result<bool, SyncError> {
        let _ = events;
        Ok(false)
    }
}

/// Builds the repository client of a configuration.
pub fn connect(config: &super::RepositoryConfig) -> Result<Box<dyn Repository>, SyncError> {
    Ok(match config.kind {
        super::RepositoryKind::Epcis20 => Box::new(super::rest20::Rest20::new(config)?),
        super::RepositoryKind::Qu4rtet => Box::new(super::qu4rtet::Qu4rtet::new(config)?),
    })
}
