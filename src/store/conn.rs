//! The connection handle the typed queries run on, and the write transaction of one command.
//!
//! Reads take a [`Conn`]; writes take a [`Tx`], so a write can only happen inside a transaction
//! that the caller commits as a whole (a station command: state, events, outbox, signature and
//! audit together). A `Tx` dereferences to its `Conn`, so every read also works inside it and
//! sees the transaction's own writes.

use super::StoreError;
use super::audit_key::{AuditKey, KeyState};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::ops::Deref;

/// An open connection to the packbench database, as the typed queries of [`crate::store`]
/// see it. Get one from [`super::Store::conn`], or from a [`Tx`] (which dereferences to it).
#[derive(Debug)]
pub struct Conn {
    sqlite: Connection,
    audit_key: KeyState,
}

impl Conn {
    pub(super) fn new(sqlite: Connection, audit_key: KeyState) -> Self {
        Self { sqlite, audit_key }
    }

    /// The audit trail's key, or why the trail cannot be extended or checked
    /// ([`StoreError::AuditUnusable`]).
    pub fn audit_key(&self) -> Result<&AuditKey, StoreError> {
        match &self.audit_key {
            KeyState::Ready(k) => Ok(k),
            KeyState::Unusable(why) => Err(StoreError::AuditUnusable(why.clone())),
        }
    }

    /// The SQLite connection, for the queries of this module.
    pub(super) fn sql(&self) -> &Connection {
        &self.sqlite
    }

    /// The SQLite connection itself, for tests and benchmarks that inspect the file, fill it in
    /// bulk or damage it on purpose. Library code outside `store/` never calls this (the
    /// layering test `tests/layering.rs` fails if it does): it asks the typed queries.
    pub fn raw_sqlite(&self) -> &Connection {
        &self.sqlite
    }
}

/// The write transaction of one command (`BEGIN IMMEDIATE`). Dropped without
/// [`commit`](Tx::commit), it rolls back: nothing of a failed command reaches the file.
#[derive(Debug)]
pub struct Tx<'a> {
    conn: &'a Conn,
    sqlite: Transaction<'a>,
}

impl<'a> Tx<'a> {
    /// Starts the transaction. The caller holds the store mutably for `'a`, so no second
    /// transaction can start on the same connection meanwhile.
    pub(super) fn begin(conn: &'a Conn) -> Result<Self, StoreError> {
        // IMMEDIATE: the write lock is taken at once, so a second writer waits instead of
        // failing half-way.
        let sqlite = Transaction::new_unchecked(&conn.sqlite, TransactionBehavior::Immediate)?;
        Ok(Self { conn, sqlite })
    }

    /// Commits everything written in this transaction; on return it is on disk.
    pub fn commit(self) -> Result<(), StoreError> {
        self.sqlite.commit()?;
        Ok(())
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        self.conn
    }
}
