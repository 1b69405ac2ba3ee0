//! SQLite persistence: the one owner of the database. Schema and versioned migrations, opening
//! with safety checks, and typed queries by topic; no SQL and no SQLite type lives outside this
//! module (`tests/layering.rs` checks).
//!
//! Reads take a [`Conn`] ([`Store::conn`]); writes take a [`Tx`] ([`Store::begin`]), which
//! dereferences to its `Conn`. Every station command runs in one `BEGIN IMMEDIATE` transaction
//! that writes the new state, the EPCIS events, the outbox row, the signature and the audit
//! record together; with `journal_mode=WAL` and `synchronous=FULL` a committed transaction
//! survives a crash or power cut.
//!
//! A file that is not a packbench database, is corrupt, or comes from a newer version is refused
//! with a clear error and never modified.
//!
//! ```
//! use packbench::store::{Store, set_setting, setting};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = Store::open_dir(dir.path()).unwrap();
//! let tx = store.begin().unwrap();
//! set_setting(&tx, "time_zone_offset", "+01:00").unwrap();
//! tx.commit().unwrap();
//! assert_eq!(setting(store.conn(), "time_zone_offset").unwrap().as_deref(), Some("+01:00"));
//! ```

mod adoptions;
mod alerts;
mod audit;
mod audit_key;
mod bench;
mod catalog;
mod closeout;
mod commands;
mod conn;
mod events;
mod evidence;
mod holds;
mod open;
mod outbox;
mod pipeline;
mod private;
mod recall;
mod returns;
mod schema;
mod shift;
mod sscc;
mod units;
mod users;

pub use adoptions::{
    Adoption, add_known_events, adoption_of, event_known, first_local_event_ms, has_unsent_events,
    upsert_adoption,
};
pub use alerts::{
    AlertInfo, NewAlert, acknowledge_alert, insert_alert, open_alert_count, open_alerts,
};
pub use audit::{
    AuditBatch, AuditEntry, AuditEntryRef, AuditRecord, AuditRecordRef, TargetAudit, audit_head,
    insert_audit_record, last_audit_link, target_history, visit_audit_batches, visit_audit_records,
};
pub use audit_key::{
    AUDIT_KEY_FILE, AuditKey, audit_key_path, canonical as audit_canonical, hex_is,
    set_audit_key_dir,
};
pub use bench::{
    Suspension, current_containers, delete_suspension, insert_suspension, set_auto_open_next,
    set_current_container, suspended_containers, suspension, update_suspension_contents,
};
pub use catalog::{
    format_spec, insert_work_order, load_product, load_work_order, parse_spec, products,
    set_has_serial_list, set_setting, setting, upsert_product, work_order_ids,
};
pub use closeout::{
    ClosedOrder, closed_order, latest_signature_on, order_units, record_order_closed,
    undo_reaches_closed_order, work_order_closed, work_order_of_unit,
};
pub use commands::{
    CommandRecord, NewSignature, insert_command, insert_signature, last_command,
    last_undoable_command, mark_undone,
};
pub use conn::{Conn, Tx};
pub use events::{
    EpcEvent, EventRole, StoredEvent, command_epcs, command_events, command_events_with_roles,
    epc_history, event_bodies_since, insert_event, last_event_time,
};
pub use evidence::{
    ANCHOR_FILE, Anchor, CommandBatch, EventRow, SignatureRow, UnitState, adopted_units,
    anchor_path, append_anchor, audit_hash_at, in_read_snapshot, outbox_command_ids, read_anchors,
    signature_rows, visit_command_batches, visit_events, visit_unit_states,
};
pub use holds::{
    HoldRecord, HoldRelease, NewHold, active_holds, hold_by_id, insert_hold, release_hold,
};
pub use open::{DB_FILE_NAME, SqliteError, Store, StoreError};
pub use outbox::{
    OutboxRow, ParkedRow, QueuedRow, claim_row, clear_unverified, count_attempt, insert_outbox,
    is_unverified, mark_failed, mark_latest_unverified, mark_sent, outbox_counts, outbox_row,
    park_row, parked_command_ids, parked_count, parked_epcs, parked_rows, queue_head,
    queued_events, queued_rows, recover_sending, release_row, requeue_row, withdraw_row,
    withdrawn_count,
};
pub(crate) use pipeline::ordered_map;
pub use private::{create_private_file, restrict_dir, write_new_private};
pub use recall::{LotUnit, last_event_of, lot_units};
pub use returns::{
    CheckAttempt, CheckState, NewReturnCheck, ReturnCheck, insert_return_check,
    record_check_attempt, retryable_checks, retryable_count, return_check, return_checks,
    set_check_hold,
};
pub use schema::{APPLICATION_ID, MIGRATIONS, current_version};
pub use shift::{
    HOUR_MS, NewRefusal, RefusalRow, completed_per_hour, insert_refusal, recent_refusals,
    refusal_counts,
};
pub use sscc::{
    LabelRow, LabelState, NewLabel, NewRange, OpenRange, RangeStock, advance_range, ensure_label,
    insert_label, insert_range, label_awaiting_scan, label_by_sscc, label_printed_unverified,
    mark_label_printed, mark_label_verified, oldest_open_range, overlapping_range, ranges,
    sscc_taken, ssccs_remaining, void_label,
};
pub use units::{
    NewUnit, ancestors, children, delete_unit, insert_unit, lot_in_subtree, open_containers,
    subtree, unhandled_listed, unit_by_id, unit_by_key, unit_key_containing, units_of_lot,
    update_unit,
};
pub use users::{
    Credentials, NewUser, UserRow, credentials, insert_user, reset_failed_attempts,
    set_failed_attempts, user_count, users,
};

/// A column value that does not parse (e.g. an unknown status string), as the error a row
/// mapping returns.
fn bad_column(what: &'static str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(StoreError::BadValue {
            what,
            value: value.to_owned(),
        }),
    )
}

/// Column `i` of a row as text borrowed from SQLite (an error when NULL or not text, as
/// `row.get::<String>` would be).
fn text_ref<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    opt_text_ref(row, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        String::new(),
        rusqlite::types::Type::Null,
    ))
}

/// Column `i` of a row as text borrowed from SQLite, or `None` when NULL.
fn opt_text_ref<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}
