//! What `packbench --version` prints: the version and how this binary was built (set by
//! `build.rs`).

/// The crate version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit (short hash, `-dirty` with uncommitted changes; `unknown` outside git).
pub const COMMIT: &str = env!("PACKBENCH_BUILD_COMMIT");
/// The build date (UTC, `YYYY-MM-DD`; from `SOURCE_DATE_EPOCH` when set).
pub const DATE: &str = env!("PACKBENCH_BUILD_DATE");
/// The target triple, e.g. `x86_64-unknown-linux-gnu`.
pub const TARGET: &str = env!("PACKBENCH_BUILD_TARGET");
/// The cargo profile (`debug` or `release`).
pub const PROFILE: &str = env!("PACKBENCH_BUILD_PROFILE");
/// The enabled cargo features, comma-separated, or `none`.
pub const FEATURES: &str = env!("PACKBENCH_BUILD_FEATURES");

/// `-V`: one line after the program name.
pub const SHORT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("PACKBENCH_BUILD_COMMIT"),
    " ",
    env!("PACKBENCH_BUILD_DATE"),
    " ",
    env!("PACKBENCH_BUILD_TARGET"),
    " ",
    env!("PACKBENCH_BUILD_PROFILE"),
    ")"
);

/// `--version`: the version line, then one `key: value` line per build fact.
pub const LONG: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit:   ",
    env!("PACKBENCH_BUILD_COMMIT"),
    "\ndate:     ",
    env!("PACKBENCH_BUILD_DATE"),
    "\ntarget:   ",
    env!("PACKBENCH_BUILD_TARGET"),
    "\nprofile:  ",
    env!("PACKBENCH_BUILD_PROFILE"),
    "\nfeatures: ",
    env!("PACKBENCH_BUILD_FEATURES"),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_line_holds_every_fact_but_features() {
        for part in [VERSION, COMMIT, DATE, TARGET, PROFILE] {
            assert!(SHORT.contains(part), "{part} missing in {SHORT}");
        }
        assert!(LONG.starts_with(VERSION));
        assert!(LONG.ends_with(&format!("features: {FEATURES}")));
    }

    #[test]
    fn date_is_iso() {
        let b = DATE.as_bytes();
        assert_eq!(b.len(), 10, "{DATE}");
        assert!(b[4] == b'-' && b[7] == b'-', "{DATE}");
        assert!(DATE.replace('-', "").bytes().all(|c| c.is_ascii_digit()));
    }
}
