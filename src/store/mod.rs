//! SQLite persistence: schema and versioned migrations, opening with safety checks, and the
//! queries of the station.
//!
//! Every station command runs in one `BEGIN IMMEDIATE` transaction that writes the new state, the
//! EPCIS events, the outbox row and the audit record together; with `journal_mode=WAL` and
//! `synchronous=FULL` a committed transaction survives a crash or power cut.
//!
//! A file that is not a packbench database, is corrupt, or comes from a newer version is refused
//! with a clear error and never modified.

mod open;
mod queries;
mod schema;

pub use open::{DB_FILE_NAME, Store, StoreError};
pub use queries::{
    CommandRecord, NewUnit, StoredEvent, ancestors, children, command_events, format_spec,
    insert_command, insert_event, insert_outbox, insert_unit, last_undoable_command, load_product,
    load_work_order, mark_undone, open_containers, outbox_counts, parse_spec, setting, subtree,
    unit_by_id, unit_by_key, update_unit,
};
pub use schema::{APPLICATION_ID, MIGRATIONS, current_version};
