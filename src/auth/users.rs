//! User accounts, roles and log-in with lockout.

use super::password::{hash_password, verify_password};
use crate::store::StoreError;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Failed attempts after which an account is locked.
pub const LOCKOUT_AFTER_FAILURES: u32 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// What a user may do. Written as `packer`, `supervisor`, `administrator` in the database
/// and the automation protocol; [`std::str::FromStr`] also takes `admin`.
///
/// ```
/// use packbench::auth::Role;
/// assert_eq!("supervisor".parse::<Role>(), Ok(Role::Supervisor));
/// assert_eq!(Role::Administrator.to_string(), "administrator");
/// assert_eq!(
///     "king".parse::<Role>().unwrap_err().to_string(),
///     "unknown role 'king' (expected packer, supervisor or administrator)"
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
    /// Everything, plus users, products, work orders and settings.
    Administrator,
}

impl Role {
    /// Every role, least rights first.
    pub const ALL: [Role; 3] = [Self::Packer, Self::Supervisor, Self::Administrator];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Packer => "packer",
            Self::Supervisor => "supervisor",
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

    /// Whether this role may administer users, products, orders and settings.
    pub fn can_administer(self) -> bool {
        self == Self::Administrator
    }
}

/// A role name that is none of the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{input}' (expected packer, supervisor or administrator)")]
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

impl From<rusqlite::Error> for AuthError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(e))
    }
}

/// Number of user accounts.
pub fn user_count(conn: &Connection) -> Result<i64, AuthError> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
}

/// Creates a user. Passwords need at least 8 characters.
pub fn create_user(
    conn: &Connection,
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
    if password.chars().count() < 8 {
        return Err(AuthError::Invalid(
            "the password needs at least 8 characters".into(),
        ));
    }
    let hash = hash_password(password).map_err(|e| AuthError::Invalid(e.to_string()))?;
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO users (username, full_name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![username, full_name.trim(), role.as_str(), hash, now_ms],
    )?;
    if inserted == 0 {
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
pub fn list_users(conn: &Connection) -> Result<Vec<User>, AuthError> {
    let mut st = conn.prepare("SELECT username, full_name, role FROM users ORDER BY username")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (username, full_name, role) = row?;
        let role = Role::parse(&role).ok_or(StoreError::BadValue {
            what: "users.role",
            value: role,
        })?;
        out.push(User {
            username,
            full_name,
            role,
        });
    }
    Ok(out)
}

/// Checks a user name and password, counting failures and locking the account after
/// [`LOCKOUT_AFTER_FAILURES`]. Writes the failure counter, so call it inside a transaction that
/// is committed whether or not the check passes.
pub fn authenticate(
    conn: &Connection,
    username: &str,
    password: &str,
    now_ms: i64,
) -> Result<User, AuthError> {
    let row = conn
        .query_row(
            "SELECT full_name, role, password_hash, failed_attempts, locked_until_ms, active FROM users WHERE username = ?1",
            [username],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((full_name, role, hash, failed, locked_until, active)) = row else {
        // Spend the same time as a real check so user names cannot be probed by timing.
        let _ = verify_password(
            password,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g",
        );
        return Err(AuthError::BadCredentials {
            username: username.to_owned(),
        });
    };
    if locked_until > now_ms {
        return Err(AuthError::Locked {
            username: username.to_owned(),
            until_ms: locked_until,
        });
    }
    if !active {
        return Err(AuthError::Inactive {
            username: username.to_owned(),
        });
    }
    if !verify_password(password, &hash) {
        let failed = failed + 1;
        let lock = if failed >= LOCKOUT_AFTER_FAILURES {
            now_ms + LOCKOUT_MS
        } else {
            0
        };
        conn.execute(
            "UPDATE users SET failed_attempts = ?2, locked_until_ms = ?3 WHERE username = ?1",
            params![username, if lock > 0 { 0 } else { failed }, lock],
        )?;
        if lock > 0 {
            return Err(AuthError::Locked {
                username: username.to_owned(),
                until_ms: lock,
            });
        }
        return Err(AuthError::BadCredentials {
            username: username.to_owned(),
        });
    }
    if failed > 0 {
        conn.execute(
            "UPDATE users SET failed_attempts = 0 WHERE username = ?1",
            [username],
        )?;
    }
    let role = Role::parse(&role).ok_or(StoreError::BadValue {
        what: "users.role",
        value: role,
    })?;
    Ok(User {
        username: username.to_owned(),
        full_name,
        role,
    })
}
