//! Secrets never leak (issue 16): every known secret of the repository settings is cut out of
//! whatever the repository answers before anything stores, prints or logs it, and a URL that
//! carries credentials (`https://user:password@host/`) is refused.
//!
//! ```
//! use packbench::sync::{Auth, Redactor};
//! let r = Redactor::new(&Auth::Bearer { token: "s3cr3t-tok".into() });
//! assert_eq!(r.redact("bad header Bearer s3cr3t-tok"), "bad header Bearer <redacted>");
//! ```

use super::config::Auth;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Cuts known secrets out of text.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is cut whole.
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    /// The secrets of `auth` in every form a server may echo them: as typed, in the header
    /// value (Basic's base64 of `user:password`), and percent- or JSON-escaped.
    pub fn new(auth: &Auth) -> Self {
        let mut raw = Vec::new();
        match auth {
            Auth::None => {}
            Auth::Bearer { token } | Auth::Token { token } => raw.push(token.clone()),
            Auth::Basic { user, password } => {
                raw.push(password.clone());
                raw.push(format!("{user}:{password}"));
            }
        }
        if let Some(header) = auth.header_value()
            && let Some((_, credential)) = header.split_once(' ')
        {
            raw.push(credential.to_owned());
        }
        let mut secrets = Vec::new();
        for s in raw.into_iter().filter(|s| !s.is_empty()) {
            let encoded =
                percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            let json = serde_json::to_string(&s).unwrap_or_default();
            let json = json.trim_matches('"').to_owned();
            secrets.extend([s, encoded, json]);
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Self { secrets }
    }

    /// `text` with every known secret replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out
    }
}

/// Why a repository URL is refused: it carries a user name or password
/// (`https://user:password@host/`), which would be stored in `sync.json`, shown in messages
/// and written to the database. `None` for a URL without credentials.
pub fn url_credentials_refusal(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or(after_scheme);
    authority.contains('@').then(|| {
        "the repository URL carries credentials (user:password@); give the URL without them \
         and pass the secret with --token-env VAR, or --basic-user NAME with --password-env VAR \
         (in the GUI: the token or password fields)"
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn basic_credentials_in_every_form() {
        let r = Redactor::new(&Auth::Basic {
            user: "ws".into(),
            password: "p@ss w\"rd".into(),
        });
        let header = Auth::Basic {
            user: "ws".into(),
            password: "p@ss w\"rd".into(),
        }
        .header_value()
        .unwrap();
        let echoed = format!(
            "Authorization: {header}; body {{\"password\":\"p@ss w\\\"rd\"}} q=p%40ss%20w%22rd"
        );
        let out = r.redact(&echoed);
        assert!(!out.contains("p@ss"), "{out}");
        assert!(!out.contains("p%40ss"), "{out}");
        assert!(!out.contains(header.split_once(' ').unwrap().1), "{out}");
        assert!(out.contains(REDACTED));
    }

    #[test]
    fn urls_with_credentials_are_refused() {
        assert!(url_credentials_refusal("https://u:p@host/api").is_some());
        assert!(url_credentials_refusal("http://u@host").is_some());
        assert!(url_credentials_refusal("https://host/api?mail=a@b").is_none());
        assert!(url_credentials_refusal("http://127.0.0.1:8765").is_none());
    }
}
