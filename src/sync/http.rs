//! The HTTP client shared by both repository kinds: rustls with the system's root
//! certificates (plus an optional site CA file), timeouts, the `Authorization` header.
//! Nothing here logs a header or a body, and every secret of the settings is cut out of what
//! the repository answers (a server may echo the `Authorization` header in an error body)
//! before anything else sees it.

use super::config::RepositoryConfig;
use super::error::SyncError;
use super::redact::{Redactor, url_credentials_refusal};
use std::sync::Arc;
use std::time::Duration;

/// Largest response body read (capture job answers and master data lists are small).
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// One HTTP answer, read completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// `Location` header, if any.
    pub location: Option<String>,
    /// Headers the clients look at (lower-case name, value).
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy UTF-8).
    pub body: String,
}

impl Reply {
    /// A header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A configured HTTP client for one repository.
#[derive(Debug)]
pub struct Http {
    agent: ureq::Agent,
    base: String,
    authorization: Option<String>,
    redactor: Redactor,
}

impl Http {
    /// Builds the client: TLS roots from the system and `ca_file`, the configured timeout.
    pub fn new(config: &RepositoryConfig) -> Result<Self, SyncError> {
        if let Some(detail) = url_credentials_refusal(&config.url) {
            return Err(SyncError::Config { detail });
        }
        let mut roots: Vec<ureq::tls::Certificate<'static>> = Vec::new();
        // The system's trust store; a machine without one still works over plain HTTP or with
        // an explicit CA file.
        let native = rustls_native_certs::load_native_certs();
        for cert in native.certs {
            roots.push(ureq::tls::Certificate::from_der(cert.as_ref()).to_owned());
        }
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path).map_err(|e| SyncError::Config {
                detail: format!("{}: {e}", path.display()),
            })?;
            let mut found = 0;
            for item in ureq::tls::parse_pem(&pem) {
                if let Ok(ureq::tls::PemItem::Certificate(c)) = item {
                    roots.push(c);
                    found += 1;
                }
            }
            if found == 0 {
                return Err(SyncError::Config {
                    detail: format!("{}: no PEM certificate in the CA file", path.display()),
                });
            }
        }
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(ureq::tls::RootCerts::Specific(Arc::new(roots)))
            .build();
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .max_redirects(0)
            .tls_config(tls)
            .user_agent(concat!("packbench/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            agent: agent_config.into(),
            base: config.url.trim_end_matches('/').to_owned(),
            authorization: config.auth.header_value(),
            redactor: Redactor::new(&config.auth),
        })
    }

    /// The absolute URL of an API path (`/capture`, relative to the base URL) or an absolute
    /// URL unchanged.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}/{}", self.base, path.trim_start_matches('/'))
        }
    }

    /// Resolves a `Location` header: absolute URL, absolute path (against the base's scheme and
    /// authority) or relative path (against the base).
    pub fn resolve_location(&self, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            return location.to_owned();
        }
        if location.starts_with('/') {
            let after_scheme = self.base.find("://").map_or(0, |i| i + 3);
            let origin_end = self.base[after_scheme..]
                .find('/')
                .map_or(self.base.len(), |j| after_scheme + j);
            return format!("{}{location}", &self.base[..origin_end]);
        }
        self.url(location)
    }

    /// One exchange. Transport failures become [`SyncError::Unreachable`] or
    /// [`SyncError::Timeout`]; every HTTP status is returned as a [`Reply`].
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, SyncError> {
        let url = self.url(path);
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(a) = &self.authorization {
            builder = builder.header("Authorization", a);
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body.map(<[u8]>::to_vec).unwrap_or_default())
            .map_err(|e| SyncError::Config {
                detail: self.redactor.redact(&format!("{url}: {e}")),
            })?;
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| transport_error(&url, &e, &self.redactor))?;
        let status = response.status().as_u16();
        let mut kept = Vec::new();
        for (name, value) in response.headers() {
            let name = name.as_str().to_ascii_lowercase();
            if name.starts_with("gs1-")
                || name == "location"
                || name == "content-type"
                || name == "link"
            {
                kept.push((
                    name,
                    self.redactor.redact(value.to_str().unwrap_or_default()),
                ));
            }
        }
        let location = kept
            .iter()
            .find(|(n, _)| n == "location")
            .map(|(_, v)| v.clone());
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| transport_error(&url, &e, &self.redactor))?;
        Ok(Reply {
            status,
            location,
            headers: kept,
            body: self.redactor.redact(&body),
        })
    }
}

fn transport_error(url: &str, e: &ureq::Error, redactor: &Redactor) -> SyncError {
    match e {
        ureq::Error::Timeout(_) => SyncError::Timeout {
            url: url.to_owned(),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => SyncError::Timeout {
            url: url.to_owned(),
        },
        other => SyncError::Unreachable {
            url: url.to_owned(),
            detail: redactor.redact(&other.to_string()),
        },
    }
}
