//! Sync to the repository (`docs/architecture.md` §7): the outbox is pushed in commit order, one document
//! per station command or a bounded batch of whole commands, to an EPCIS 2.0 REST repository or
//! to QU4RTET (EPCIS 1.2 XML); master data and SSCC ranges are pulled.
//!
//! Delivery is at-least-once with idempotency by event hash ID, so the repository ends up with
//! every event exactly once: a document whose answer was lost is sent again, and the repository
//! client recognises "already there" (409 for EPCIS 2.0; a rule failure whose events QU4RTET
//! already holds) as delivered. Transient failures (unreachable, timeout, 5xx, 401/403/429) are
//! retried with exponential backoff and jitter; content rejections are parked with the server's
//! message (see [`outbox`] for why later rows of other containers keep flowing).
//!
//! The station takes hierarchies in from the repository through the link of either kind
//! ([`repository_link`], [`Epcis20Link`], [`Qu4rtetLink`]; `docs/sync.md` "Taking a hierarchy
//! in").
//!
//! ```
//! use packbench::sync::Backoff;
//! let b = Backoff { initial_ms: 1_000, max_ms: 60_000 };
//! let d = b.delay_ms(3); // third attempt: 4 s, jittered to 2..=4 s
//! assert!((2_000..=4_000).contains(&d));
//! ```

mod config;
mod error;
mod http;
pub mod import;
mod link;
pub mod outbox;
mod pull;
mod qu4rtet;
mod query;
mod redact;
mod repository;
mod rest20;
mod serials;
mod vrs;
mod worker;

pub use config::{
    Auth, CONFIG_FILE, CREDENTIALS_FILE, ConfigError, RepositoryConfig, RepositoryKind,
};
pub use error::SyncError;
pub use http::{Http, Reply};
pub use link::{
    Epcis20Link, LINK_TIMEOUT_MS, Qu4rtetLink, connect_repository, link_for, repository_link,
};
pub use outbox::{OutboxStatus, ParkedRow, outbox_status, requeue_parked};
pub use pull::{MasterProduct, PoolAllocation, allocate_ssccs, pull_qu4rtet_products};
pub use qu4rtet::Qu4rtet;
pub use query::{
    DEFAULT_PER_PAGE, QueryResult, UnitState, next_link, query_events, query_raw_events,
    unit_state, unit_state_from_events,
};
pub use redact::{REDACTED, Redactor, url_credentials_refusal};
pub use repository::{PushOutcome, Repository, connect};
pub use rest20::Rest20;
pub use serials::{
    CommissionedSerials, commissioned_serials, event_lot, sgtin_pattern, sgtin_serial,
};
pub use vrs::{VRS_CONFIG_FILE, VRS_CREDENTIALS_FILE, VrsConfig, VrsLink, connect_vrs, vrs_link};
pub use worker::{Backoff, DrainOptions, DrainReport, Progress, SyncStatus, SyncWorker, drain};
