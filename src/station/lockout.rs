//! Audit records of account lockout (21 CFR Part 11 §11.300(d)): the lock itself (who, when,
//! after how many failed attempts, until when) and every log-in or signature refused because
//! of it are audit actions of their own, not just a failed log-in.

use crate::auth::{AuditEntry, AuthError, append_audit};
use crate::store::{StoreError, Tx};

/// Audit action: this failed attempt locked the account.
pub const ACCOUNT_LOCKED: &str = "account_locked";
/// Audit action: a log-in refused because the account is locked.
pub const LOGIN_REFUSED_LOCKED: &str = "login_refused_locked";
/// Audit action: a signature refused because the signer's account is locked.
pub const SIGNATURE_REFUSED_LOCKED: &str = "signature_refused_locked";

/// What was attempted when authentication failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// A log-in.
    Login,
    /// A supervisor signature (its meaning).
    Signature,
}

/// Appends the lockout record for an authentication failure, if it is one: `account_locked`
/// when this attempt locked the account, a refusal because of the lock otherwise. Other
/// failures append nothing here (the caller records `login_failed` / `signature_failed`).
pub(crate) fn audit_lockout(
    tx: &Tx<'_>,
    now: i64,
    error: &AuthError,
    attempt: Attempt,
) -> Result<(), StoreError> {
    let AuthError::Locked {
        username,
        until_ms,
        locked_now,
    } = error
    else {
        return Ok(());
    };
    let (action, value) = match locked_now {
        Some(failures) => (
            ACCOUNT_LOCKED,
            serde_json::json!({"failures": failures, "until_ms": until_ms}),
        ),
        None => (
            match attempt {
                Attempt::Login => LOGIN_REFUSED_LOCKED,
                Attempt::Signature => SIGNATURE_REFUSED_LOCKED,
            },
            serde_json::json!({"until_ms": until_ms}),
        ),
    };
    append_audit(
        tx,
        &AuditEntry {
            time_ms: now,
            username: username.clone(),
            action: action.to_owned(),
            target: Some(username.clone()),
            new_value: Some(value.to_string()),
            ..AuditEntry::default()
        },
    )?;
    Ok(())
}
