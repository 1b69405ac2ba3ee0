//! User accounts, roles and log-in with lockout.

use super::password::{hash_password, verify_password};
use crate::store::{self, Conn, NewUser, StoreError, Tx};
use serde::{Deserialize, Serialize};

/// Failed attempts after which an account is locked.
pub const LOCKOUT_AFTER_FAILURES: u32 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// What a user may do. Written as `packer`, `supervisor`, `qa`, `administrator` in the database
/// and the automation protocol; [`std::str::FromStr`] also takes `admin`.
///
/// ```
/// use packbench::auth::Role;
/// assert_eq!("supervisor".parse::<Role>(), Ok(Role::Supervisor));
/// assert_eq!(Role::Administrator.to_string(), "administrator");
/// assert!(Role::Qa.can_sign() && Role::Qa.can_release_holds() && !Role::Qa.can_administer());
/// assert_eq!(
///     "king".parse::<Role>().unwrap_err().to_string(),
///     "unknown role 'king' (expected packer, supervisor, qa or administrator)"
/// );
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Role {
    /// Scans, packs, unpacks, moves.
    #[default]
    Packer,
    /// Everything a packer does, plus signing short cases, decommissions, rejects, overrides.
    Supervisor,
    /// Quality assurance: signs like a supervisor and is the only role that releases a hold
    /// (quarantine); administers nothing.
    Qa,
    /// Everything, plus users, products, work orders and settings.
    Administrator,
}

impl Role {
    /// Every role, least rights first.
    pub const ALL: [Role; 4] = [
        Self::Packer,
        Self::Supervisor,
        Self::Qa,
        Self::Administrator,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Packer => "packer",
            Self::Supervisor => "supervisor",
            Self::Qa => "qa",
            Self::Administrator => "administrator",
        }
    }

    /// The role of a stable name, `None` for any other text (the [`std::str::FromStr`]
    /// error names it).
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    /// Whether this role may sign supervisor approvals.
    pub fn can_sign(self) -> bool {
        self >= Self::Supervisor
    }

    /// Whether this role may release a hold (quarantine): quality assurance only.
    pub fn can_release_holds(self) -> bool {
        self == Self::Qa
    }

    /// Whether this role may administer users, products, orders and settings.
    pub fn can_administer(self) -> bool {
        self == Self::Administrator
    }
}

/// A role name that is none of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{input}' (expected packer, supervisor, qa or administrator)")]
pub struct UnknownRole {
    /// The text given.
    pub input: String,
}

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Self::Administrator),
            _ => Self::ALL
                .into_iter()
                .find(|role| role.as_str() == s)
                .ok_or_else(|| UnknownRole {
                    input: s.to_owned(),
                }),
        }
    }
}

impl TryFrom<String> for Role {
    type Error = UnknownRole;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Role> for &'static str {
    fn from(role: Role) -> Self {
        role.as_str()
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Log-in name.
    pub username: String,
    /// Printed name (shown on signatures).
    pub full_name: String,
    /// Role.
    pub role: Role,
}

/// Why a log-in or signature failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown user or wrong password (deliberately not told apart).
    #[error("wrong user name or password for '{username}'")]
    BadCredentials {
        /// The name given.
        username: String,
    },
    /// Locked after too many failures.
    #[error("account '{username}' is locked until {until_ms} (too many failed attempts)")]
    Locked {
        /// The account.
        username: String,
        /// Unix ms when it unlocks.
        until_ms: i64,
        /// `Some(failures)` when this very attempt locked the account (after that many failed
        /// attempts in a row); `None` when it was locked already. Audited differently
        /// (`account_locked` vs a refusal because of the lock).
        locked_now: Option<u32>,
    },
    /// The account is deactivated.
    #[error("account '{username}' is deactivated")]
    Inactive {
        /// The account.
        username: String,
    },
    /// The user name already exists.
    #[error("user '{username}' already exists")]
    Exists {
        /// The name.
        username: String,
    },
    /// Bad user data.
    #[error("invalid user data: {0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Number of user accounts.
pub fn user_count(conn: &Conn) -> Result<i64, AuthError> {
    Ok(store::user_count(conn)?)
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Creates a user. Passwords need at least [`MIN_PASSWORD_CHARS`] characters.
pub fn create_user(
    tx: &Tx<'_>,
    username: &str,
    full_name: &str,
    role: Role,
    password: &str,
    now_ms: i64,
) -> Result<User, AuthError> {
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(AuthError::Invalid(format!(
            "user name '{username}' must be 1-64 letters, digits or . _ - @"
        )));
    }
    if full_name.trim().is_empty() {
        return Err(AuthError::Invalid("the printed name is empty".into()));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AuthError::Invalid(
            "the password needs at least 8 characters".into(),
        ));
    }
    let hash = hash_password(password).map_err(|e| AuthError::Invalid(e.to_string()))?;
    let inserted = store::insert_user(
        tx,
        &NewUser {
            username,
            full_name: full_name.trim(),
            role: role.as_str(),
            password_hash: &hash,
            created_ms: now_ms,
        },
    )?;
    if !inserted {
        return Err(AuthError::Exists {
            username: username.to_owned(),
        });
    }
    Ok(User {
        username: username.to_owned(),
        full_name: full_name.trim().to_owned(),
        role,
    })
}

/// All users.
pub fn list_users(conn: &Conn) -> Result<Vec<User>, AuthError> {
    let mut out = Vec::new();
    for row in store::users(conn)? {
        let role = Role::parse(&row.role).ok_or(StoreError::BadValue {
            what: "users.role",
            value: row.role,
        })?;
        out.push(User {
            username: row.username,
            full_name: row.full_name,
            role,
        });
    }
    Ok(out)
}

/// Checks a user name and password, counting failures and locking the account after
/// [`LOCKOUT_AFTER_FAILURES`]. Writes the failure counter, so call it inside a transaction that
/// is committed whether or not the check passes.
pub fn authenticate(
    tx: &Tx<'_>,
    username: &str,
    password: &str,
    now_ms: i64,
) -> Result<User, AuthError> {
    let Some(account) = store::credentials(tx, username)? else {
        // Spend the same time as a real check so user names cannot be probed by timing.
        let _ = verify_password(
            password,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g",
        );
        return Err(AuthError::BadCredentials {
            username: username.to_owned(),
        });
    };
    if account.locked_until_ms > now_ms {
        return Err(AuthError::Locked {
            username: username.to_owned(),
            until_ms: account.locked_until_ms,
            locked_now: None,
        });
    }
    if !account.active {
        return Err(AuthError::Inactive {
            username: username.to_owned(),
        });
    }
    if !verify_password(password, &account.password_hash) {
        let failed = account.failed_attempts + 1;
        let lock = if failed >= LOCKOUT_AFTER_FAILURES {
            now_ms + LOCKOUT_MS
        } else {
            0
        };
        store::set_failed_attempts(tx, username, if lock > 0 { 0 } else { failed }, lock)?;
        if lock > 0 {
            return Err(AuthError::Locked {
                username: username.to_owned(),
                until_ms: lock,
                locked_now: Some(failed),
            });
        }
        return Err(AuthError::BadCredentials {
            username: username.to_owned(),
        });
    }
    if account.failed_attempts > 0 {
        store::reset_failed_attempts(tx, username)?;
    }
    let role = Role::parse(&account.role).ok_or(StoreError::BadValue {
        what: "users.role",
        value: account.role,
    })?;
    Ok(User {
        username: username.to_owned(),
        full_name: account.full_name,
        role,
    })
}
