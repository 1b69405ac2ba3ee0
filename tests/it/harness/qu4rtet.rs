//! The real QU4RTET repository (an open-source EPCIS 1.2 pharma repository) that `scripts/test`
//! starts with `scripts/qu4rtet` and announces in `QU4RTET_URL` / `QU4RTET_TOKEN`.
//!
//! A QU4RTET test without QU4RTET fails: a test whose real part is missing has proven nothing.
//! Skipping is a decision, said explicitly with `PACKBENCH_SKIP_QU4RTET=1`, and `scripts/test`
//! prints that it was taken.

use packbench::sync::{Auth, RepositoryConfig, RepositoryKind};

/// The switch that skips the QU4RTET tests on purpose.
pub const SKIP_SWITCH: &str = "PACKBENCH_SKIP_QU4RTET";

/// The repository's URL, `None` when the QU4RTET tests are switched off; panics when QU4RTET
/// was neither started nor switched off.
pub fn url() -> Option<String> {
    if let Ok(url) = std::env::var("QU4RTET_URL") {
        return Some(url);
    }
    if std::env::var(SKIP_SWITCH).as_deref() == Ok("1") {
        return None;
    }
    panic!(
        "QU4RTET_URL is not set: run the tests with scripts/test (it starts QU4RTET through \
         scripts/qu4rtet), or set {SKIP_SWITCH}=1 to skip the QU4RTET tests on purpose"
    );
}

/// The workstation's token (`scripts/qu4rtet` seeds a fixed test token).
pub fn token() -> String {
    std::env::var("QU4RTET_TOKEN")
        .unwrap_or_else(|_| "0123456789abcdef0123456789abcdef01234567".to_owned())
}

/// The station's connection to QU4RTET, `None` when the QU4RTET tests are switched off.
pub fn config() -> Option<RepositoryConfig> {
    let url = url()?;
    let mut c = RepositoryConfig::new(
        RepositoryKind::Qu4rtet,
        &url,
        Auth::Token { token: token() },
    );
    // QU4RTET is slow on large documents (about 3 ms per EPC) on a busy 2-core machine.
    c.timeout_ms = 120_000;
    c.batch_events = 50;
    Some(c)
}

/// QU4RTET's superuser (it writes master data; the workstation's token may only read it).
pub fn admin_config(url: &str) -> RepositoryConfig {
    RepositoryConfig::new(
        RepositoryKind::Qu4rtet,
        url,
        Auth::Basic {
            user: std::env::var("QU4RTET_ADMIN_USER").unwrap_or_else(|_| "admin".to_owned()),
            password: std::env::var("QU4RTET_ADMIN_PASSWORD")
                .unwrap_or_else(|_| "admin-pass".to_owned()),
        },
    )
}
