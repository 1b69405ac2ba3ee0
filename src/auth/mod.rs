//! Users, roles, password hashing (argon2id), lockout, electronic signatures in the sense of
//! 21 CFR Part 11, and the hash-chained audit trail.
//!
//! Roles are enforced here, in the core: the GUI only hides what the core would refuse anyway.

mod audit;
mod password;
mod users;

pub use audit::{
    AuditBreak, AuditEntry, append as append_audit, verify as verify_audit,
    verify_mapping as verify_audit_mapping, verify_visiting as verify_audit_visiting,
};
pub use password::{hash_password, verify_password};
pub use users::{
    AuthError, LOCKOUT_AFTER_FAILURES, LOCKOUT_MS, Role, User, authenticate, create_user,
    list_users, user_count,
};
pub use users::{MIN_PASSWORD_CHARS, UnknownRole};
