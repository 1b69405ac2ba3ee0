//! The returns desk's verification service (VRS, issue 18): settings (`vrs.json` and the
//! secret in `vrs-credentials.json`, mode 0600, as for the repository) and the HTTP link that
//! sends the GS1 US Lightweight Messaging Standard request
//! `GET {base}/verify/gtin/{gtin}/lot/{lot}/ser/{serial}?exp=…&linkType=verificationService&context=dscsaSaleableReturn&reqGLN=…&corrUUID=…`
//! with the repository's HTTP client (TLS roots, timeouts, redaction of secrets), retrying
//! transient failures a bounded number of times. The station reads the answer.

use super::config::{
    Auth, ConfigError, RepositoryConfig, RepositoryKind, read_optional, save_with_credentials,
};
use super::error::SyncError;
use super::http::Http;
use crate::domain::ExpFormat;
use crate::station::{Station, VerificationLink, VrsExchange, VrsLinkError, VrsQuery};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the verification service settings in the data directory.
pub const VRS_CONFIG_FILE: &str = "vrs.json";
/// File name of its credentials (mode 0600).
pub const VRS_CREDENTIALS_FILE: &str = "vrs-credentials.json";

/// What a path segment or query value may hold unencoded (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where the returns desk asks, and as whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrsConfig {
    /// Base URL of the service, before `/verify/…` (e.g. `https://vrs.example.com/api`).
    pub url: String,
    /// The requestor GLN (`reqGLN`): the site's own GLN, as registered with the service.
    pub requestor_gln: String,
    /// Credentials (stored separately, mode 0600).
    #[serde(skip)]
    pub auth: Auth,
    /// An extra PEM CA file trusted besides the system's roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Timeout of one exchange.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Retries of a transient failure (unreachable, timeout, 5xx, 429, 408) before the check
    /// is queued.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Wait before the first retry; doubles per retry.
    #[serde(default = "default_backoff_ms")]
    pub backoff_ms: u64,
    /// How `exp` is written: `yymmdd` (the standard) or `yyyymmdd` (quartet-vrs 2.0.3).
    #[serde(default)]
    pub exp_format: ExpFormat,
}

fn default_timeout_ms() -> u64 {
    10_000
}
fn default_retries() -> u32 {
    2
}
fn default_backoff_ms() -> u64 {
    500
}

impl VrsConfig {
    /// Settings with defaults for everything but URL, requestor GLN and credentials.
    pub fn new(url: &str, requestor_gln: &str, auth: Auth) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            requestor_gln: requestor_gln.to_owned(),
            auth,
            ca_file: None,
            timeout_ms: default_timeout_ms(),
            retries: default_retries(),
            backoff_ms: default_backoff_ms(),
            exp_format: ExpFormat::default(),
        }
    }

    /// Refuses settings that cannot work: a GLN that is not 13 digits with a valid check
    /// digit, a URL that is not HTTP(S) or carries credentials.
    pub fn check(&self) -> Result<(), String> {
        let gln = &self.requestor_gln;
        if gln.len() != 13 || !crate::gs1::check_digit::has_valid_check_digit(gln) {
            return Err(format!(
                "requestor GLN '{gln}' is not a 13-digit GLN with a valid check digit"
            ));
        }
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            return Err(format!("URL '{}' is not http:// or https://", self.url));
        }
        if let Some(d) = super::redact::url_credentials_refusal(&self.url) {
            return Err(d);
        }
        Ok(())
    }

    /// Loads the settings of a data directory; `Ok(None)` when none are configured.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, ConfigError> {
        let path = data_dir.join(VRS_CONFIG_FILE);
        let Some(text) = read_optional(&path)? else {
            return Ok(None);
        };
        let mut config: Self = serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        config
            .check()
            .map_err(|detail| ConfigError::Invalid { path, detail })?;
        let cred_path = data_dir.join(VRS_CREDENTIALS_FILE);
        if let Some(t) = read_optional(&cred_path)? {
            // A parser's message may quote the file: never a credential in a message.
            config.auth = serde_json::from_str(&t).map_err(|_| ConfigError::Invalid {
                path: cred_path,
                detail: "not valid credentials".to_owned(),
            })?;
        }
        Ok(Some(config))
    }

    /// Writes the settings and the credentials (mode 0600, replaced atomically).
    pub fn save(&self, data_dir: &Path) -> Result<(), ConfigError> {
        let path = data_dir.join(VRS_CONFIG_FILE);
        self.check().map_err(|detail| ConfigError::Invalid {
            path: path.clone(),
            detail,
        })?;
        save_with_credentials(
            data_dir,
            VRS_CONFIG_FILE,
            self,
            VRS_CREDENTIALS_FILE,
            &self.auth,
        )
    }
}

/// The HTTP link to a verification service.
#[derive(Debug)]
pub struct VrsLink {
    http: Http,
    config: VrsConfig,
}

impl VrsLink {
    /// Builds the link (TLS roots, timeout) from settings.
    pub fn new(config: &VrsConfig) -> Result<Self, SyncError> {
        config
            .check()
            .map_err(|detail| SyncError::Config { detail })?;
        let mut http_config =
            RepositoryConfig::new(RepositoryKind::Epcis20, &config.url, config.auth.clone());
        http_config.ca_file.clone_from(&config.ca_file);
        http_config.timeout_ms = config.timeout_ms;
        Ok(Self {
            http: Http::new(&http_config)?,
            config: config.clone(),
        })
    }
}

impl VerificationLink for VrsLink {
    fn describe(&self) -> String {
        self.config.url.clone()
    }

    fn requestor_gln(&self) -> String {
        self.config.requestor_gln.clone()
    }

    fn request_url(&self, q: &VrsQuery) -> String {
        let enc = |s: &str| utf8_percent_encode(s, UNRESERVED).to_string();
        format!(
            "{}/verify/gtin/{}/lot/{}/ser/{}?exp={}&linkType=verificationService&context=dscsaSaleableReturn&reqGLN={}&corrUUID={}",
            self.config.url,
            enc(&q.gtin),
            enc(&q.lot),
            enc(&q.serial),
            enc(&self.config.exp_format.exp(&q.expiry)),
            enc(&self.config.requestor_gln),
            enc(&q.corr_uuid)
        )
    }

    fn verify(&self, q: &VrsQuery) -> Result<VrsExchange, VrsLinkError> {
        let url = self.request_url(q);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let detail = match self
                .http
                .send("GET", &url, &[("Accept", "application/json")], None)
            {
                Ok(reply) if matches!(reply.status, 408 | 429 | 500..=599) => {
                    format!(
                        "HTTP {}: {}",
                        reply.status,
                        super::error::shorten(&reply.body, 200)
                    )
                }
                Ok(reply) => {
                    return Ok(VrsExchange {
                        url,
                        status: reply.status,
                        body: reply.body,
                        attempts,
                    });
                }
                Err(SyncError::Config { detail }) => return Err(VrsLinkError::Config(detail)),
                Err(e) => e.to_string(),
            };
            if attempts > self.config.retries {
                return Err(VrsLinkError::Unreachable {
                    url,
                    detail,
                    attempts,
                });
            }
            let wait = self
                .config
                .backoff_ms
                .saturating_mul(1 << (attempts - 1).min(10));
            std::thread::sleep(Duration::from_millis(wait.min(30_000)));
        }
    }
}

/// The verification link configured in a data directory, `Ok(None)` when none is.
pub fn vrs_link(data_dir: &Path) -> Result<Option<Box<dyn VerificationLink>>, SyncError> {
    let config = VrsConfig::load(data_dir).map_err(|e| SyncError::Config {
        detail: e.to_string(),
    })?;
    Ok(match config {
        Some(c) => Some(Box::new(VrsLink::new(&c)?)),
        None => None,
    })
}

/// Connects a station's returns desk to the service configured in `data_dir`, if any. A
/// configuration that cannot be used is reported on stderr, without any credential.
pub fn connect_vrs(station: &mut Station, data_dir: &Path) {
    match vrs_link(data_dir) {
        Ok(link) => station.set_verification_link(link),
        Err(e) => eprintln!(
            "packbench: warning: {e}; the returns desk runs without its verification service"
        ),
    }
}
