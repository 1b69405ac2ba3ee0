//! User accounts as stored: name, printed name, role (its stable name), password hash and the
//! lockout counters. Checking passwords and roles belongs to `auth`.

use super::{Conn, StoreError, Tx};
use rusqlite::{OptionalExtension, params};

/// A user account as listed (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// Log-in name.
    pub username: String,
    /// Printed name.
    pub full_name: String,
    /// The role's stable name (`packer`, `supervisor`, `qa`, `administrator`).
    pub role: String,
}

/// What a log-in check needs of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Printed name.
    pub full_name: String,
    /// The role's stable name.
    pub role: String,
    /// The argon2id hash (PHC string).
    pub password_hash: String,
    /// Failed attempts since the last success or lockout.
    pub failed_attempts: u32,
    /// Locked until this time (Unix ms; 0 = not locked).
    pub locked_until_ms: i64,
    /// Whether the account is active.
    pub active: bool,
}

/// A user account to add.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// Log-in name.
    pub username: &'a str,
    /// Printed name.
    pub full_name: &'a str,
    /// The role's stable name.
    pub role: &'a str,
    /// The argon2id hash (PHC string).
    pub password_hash: &'a str,
    /// When.
    pub created_ms: i64,
}

/// Number of user accounts.
pub fn user_count(conn: &Conn) -> Result<i64, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached("SELECT count(*) FROM users")?
        .query_row([], |r| r.get(0))?)
}

/// Adds an account. `false` when the name exists already (then nothing changed).
pub fn insert_user(tx: &Tx<'_>, user: &NewUser<'_>) -> Result<bool, StoreError> {
    let inserted = tx
        .sql()
        .prepare_cached(
            "INSERT OR IGNORE INTO users (username, full_name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            user.username,
            user.full_name,
            user.role,
            user.password_hash,
            user.created_ms
        ])?;
    Ok(inserted > 0)
}

/// All accounts, by log-in name.
pub fn users(conn: &Conn) -> Result<Vec<UserRow>, StoreError> {
    let mut st = conn
        .sql()
        .prepare_cached("SELECT username, full_name, role FROM users ORDER BY username")?;
    let rows = st.query_map([], |r| {
        Ok(UserRow {
            username: r.get(0)?,
            full_name: r.get(1)?,
            role: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The credentials of an account, if it exists.
pub fn credentials(conn: &Conn, username: &str) -> Result<Option<Credentials>, StoreError> {
    Ok(conn
        .sql()
        .prepare_cached(
            "SELECT full_name, role, password_hash, failed_attempts, locked_until_ms, active FROM users WHERE username = ?1",
        )?
        .query_row([username], |r| {
            Ok(Credentials {
                full_name: r.get(0)?,
                role: r.get(1)?,
                password_hash: r.get(2)?,
                failed_attempts: r.get(3)?,
                locked_until_ms: r.get(4)?,
                active: r.get(5)?,
            })
        })
        .optional()?)
}

/// Records a failed log-in: the new failure count and the lockout end (0 = not locked).
pub fn set_failed_attempts(
    tx: &Tx<'_>,
    username: &str,
    failed_attempts: u32,
    locked_until_ms: i64,
) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached(
            "UPDATE users SET failed_attempts = ?2, locked_until_ms = ?3 WHERE username = ?1",
        )?
        .execute(params![username, failed_attempts, locked_until_ms])?;
    Ok(())
}

/// Forgets earlier failed attempts after a successful log-in.
pub fn reset_failed_attempts(tx: &Tx<'_>, username: &str) -> Result<(), StoreError> {
    tx.sql()
        .prepare_cached("UPDATE users SET failed_attempts = 0 WHERE username = ?1")?
        .execute([username])?;
    Ok(())
}
