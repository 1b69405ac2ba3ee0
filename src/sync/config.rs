//! Repository settings: where to sync, how to authenticate, TLS roots.
//!
//! The non-secret part lives in `sync.json` in the data directory; the secret (token or
//! password) in `sync-credentials.json` beside it, created with mode 0600 on Unix so only the
//! user can read it. `Debug` never prints a secret, so logging a configuration is safe.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the repository settings in the data directory.
pub const CONFIG_FILE: &str = "sync.json";
/// File name of the credentials in the data directory (mode 0600).
pub const CREDENTIALS_FILE: &str = "sync-credentials.json";

/// Which kind of repository the station talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum RepositoryKind {
    /// EPCIS 2.0 REST (`POST /capture` with JSON-LD, capture jobs).
    Epcis20,
    /// EPCIS 1.2 XML over HTTP POST as QU4RTET takes it.
    Qu4rtet,
}

impl RepositoryKind {
    /// Whether this kind of repository honours `errorDeclaration`: an EPCIS 2.0 repository
    /// treats a declared event as void; QU4RTET (EPCIS 1.2 as it processes it) applies the
    /// copy as one more event. It decides what an undo sends (`docs/sync.md`, Corrections)
    /// and which undos are possible at all.
    ///
    /// ```
    /// use packbench::sync::RepositoryKind;
    /// assert!(RepositoryKind::Epcis20.honours_error_declarations());
    /// assert!(!RepositoryKind::Qu4rtet.honours_error_declarations());
    /// ```
    pub fn honours_error_declarations(self) -> bool {
        match self {
            Self::Epcis20 => true,
            Self::Qu4rtet => false,
        }
    }
}

/// How the station authenticates. The secret is never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "scheme", rename_all = "snake_case")]
pub enum Auth {
    /// No authentication.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token.
        token: String,
    },
    /// `Authorization: Token <token>` (Django REST framework, QU4RTET).
    Token {
        /// The token.
        token: String,
    },
    /// HTTP Basic.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer { .. } => f.write_str("Bearer(<redacted>)"),
            Self::Token { .. } => f.write_str("Token(<redacted>)"),
            Self::Basic { user, .. } => write!(f, "Basic({user}, <redacted>)"),
        }
    }
}

impl Auth {
    /// The `Authorization` header value, if any.
    pub fn header_value(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Bearer { token } => Some(format!("Bearer {token}")),
            Self::Token { token } => Some(format!("Token {token}")),
            Self::Basic { user, password } => Some(format!(
                "Basic {}",
                base64_encode(format!("{user}:{password}").as_bytes())
            )),
        }
    }
}

/// Everything the sync worker needs to reach the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryConfig {
    /// The kind of repository.
    pub kind: RepositoryKind,
    /// Base URL, e.g. `https://epcis.example.com/api` or `http://127.0.0.1:8765`.
    pub url: String,
    /// Credentials (stored separately, mode 0600).
    #[serde(skip)]
    pub auth: Auth,
    /// An extra PEM CA file trusted besides the system's roots (a site's own CA).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Timeout of one HTTP exchange.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Most events in one document (whole station commands only; the server's own limit,
    /// when it announces one, is used if smaller).
    #[serde(default = "default_batch_events")]
    pub batch_events: usize,
    /// First retry delay after a failure; doubles per attempt (with jitter).
    #[serde(default = "default_backoff_ms")]
    pub backoff_initial_ms: u64,
    /// Longest retry delay.
    #[serde(default = "default_backoff_max_ms")]
    pub backoff_max_ms: u64,
    /// QU4RTET: the capture rule name.
    #[serde(default = "default_rule")]
    pub qu4rtet_rule: String,
}

fn default_timeout_ms() -> u64 {
    30_000
}
fn default_batch_events() -> usize {
    500
}
fn default_backoff_ms() -> u64 {
    1_000
}
fn default_backoff_max_ms() -> u64 {
    300_000
}
fn default_rule() -> String {
    "EPCIS".to_owned()
}

impl RepositoryConfig {
    /// A configuration with defaults for everything but kind, URL and credentials.
    pub fn new(kind: RepositoryKind, url: &str, auth: Auth) -> Self {
        Self {
            kind,
            url: url.trim_end_matches('/').to_owned(),
            auth,
            ca_file: None,
            timeout_ms: default_timeout_ms(),
            batch_events: default_batch_events(),
            backoff_initial_ms: default_backoff_ms(),
            backoff_max_ms: default_backoff_max_ms(),
            qu4rtet_rule: default_rule(),
        }
    }

    /// Loads `sync.json` (and the credentials) from a data directory; `Ok(None)` when the
    /// station has no repository configured.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, ConfigError> {
        let path = data_dir.join(CONFIG_FILE);
        let Some(text) = read_optional(&path)? else {
            return Ok(None);
        };
        let mut config: Self = serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if let Some(detail) = super::redact::url_credentials_refusal(&config.url) {
            return Err(ConfigError::Invalid { path, detail });
        }
        let cred_path = data_dir.join(CREDENTIALS_FILE);
        if let Some(t) = read_optional(&cred_path)? {
            config.auth = serde_json::from_str(&t).map_err(|e| ConfigError::Invalid {
                path: cred_path,
                detail: e.to_string(),
            })?;
        }
        Ok(Some(config))
    }

    /// Writes `sync.json` and the credentials file (mode 0600, replaced atomically).
    pub fn save(&self, data_dir: &Path) -> Result<(), ConfigError> {
        if let Some(detail) = super::redact::url_credentials_refusal(&self.url) {
            return Err(ConfigError::Invalid {
                path: data_dir.join(CONFIG_FILE),
                detail,
            });
        }
        save_with_credentials(data_dir, CONFIG_FILE, self, CREDENTIALS_FILE, &self.auth)
    }
}

/// A file's text; `Ok(None)` when it does not exist.
pub(super) fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Writes a settings file and its credentials file beside it in `data_dir` (both mode 0600,
/// replaced atomically): the repository's and the verification service's.
pub(super) fn save_with_credentials<T: Serialize>(
    data_dir: &Path,
    config_file: &str,
    config: &T,
    credentials_file: &str,
    auth: &Auth,
) -> Result<(), ConfigError> {
    std::fs::create_dir_all(data_dir).map_err(|e| ConfigError::Io {
        path: data_dir.to_path_buf(),
        detail: e.to_string(),
    })?;
    let path = data_dir.join(config_file);
    let text = serde_json::to_string_pretty(config).map_err(|e| ConfigError::Invalid {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    write_private(&path, &text, true)?;
    let cred_path = data_dir.join(credentials_file);
    let secret = serde_json::to_string(auth).map_err(|e| ConfigError::Invalid {
        path: cred_path.clone(),
        detail: e.to_string(),
    })?;
    write_private(&cred_path, &secret, true)
}

/// Writes a file through a temporary beside it; `private` files get mode 0600 before any
/// byte of the secret is written.
fn write_private(path: &Path, text: &str, private: bool) -> Result<(), ConfigError> {
    use std::io::Write;
    let io = |e: std::io::Error| ConfigError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&tmp).map_err(io)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)
}

/// Why the repository settings could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// File system trouble.
    #[error("{path}: {detail}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The file does not hold valid settings.
    #[error("{path}: invalid repository settings: {detail}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

/// Standard base64 with padding (for HTTP Basic).
fn base64_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_header_is_rfc7617_base64() {
        // RFC 7617's example.
        let auth = Auth::Basic {
            user: "Aladdin".into(),
            password: "open sesame".into(),
        };
        assert_eq!(
            auth.header_value().as_deref(),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        assert_eq!(base64_encode(b"a"), "YQ==");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_encode(b""), "");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let mut c = RepositoryConfig::new(
            RepositoryKind::Qu4rtet,
            "http://127.0.0.1:1/",
            Auth::Token {
                token: "s3cr3t-token".into(),
            },
        );
        assert!(!format!("{c:?}").contains("s3cr3t"));
        c.auth = Auth::Basic {
            user: "ws".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(c.url, "http://127.0.0.1:1");
    }

    #[test]
    fn save_and_load_keep_secret_in_private_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let c = RepositoryConfig::new(
            RepositoryKind::Epcis20,
            "https://repo.test/api",
            Auth::Bearer {
                token: "tok-123".into(),
            },
        );
        c.save(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
        let public = std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap_or_default();
        assert!(!public.contains("tok-123"), "secret leaked into {public}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(CREDENTIALS_FILE))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
        let back = RepositoryConfig::load(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back, Some(c));
        assert_eq!(RepositoryConfig::load(&dir.path().join("none")), Ok(None));
    }
}
