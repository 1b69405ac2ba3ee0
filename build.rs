//! Build information for `packbench --version`: git commit, build date, target, profile and
//! features, passed to the crate as `PACKBENCH_BUILD_*` environment variables.
//!
//! Works without git (a source tarball): the commit is then `unknown`. The build date is taken
//! from `SOURCE_DATE_EPOCH` when set (reproducible builds), else from the clock.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `YYYY-MM-DD` of a Unix time (UTC), without a date crate.
fn civil_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-env-changed=PACKBENCH_BUILD_COMMIT");

    // The commit: an explicit override (packagers building from a tarball), else git.
    let commit = std::env::var("PACKBENCH_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            let hash = git(&["rev-parse", "--short=10", "HEAD"])?;
            // Rebuild when HEAD moves or the index changes (commit, checkout, add).
            for name in ["HEAD", "index"] {
                if let Some(p) = git(&["rev-parse", "--path-format=absolute", "--git-path", name]) {
                    println!("cargo:rerun-if-changed={p}");
                }
            }
            if let Some(p) = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]) {
                println!("cargo:rerun-if-changed={p}/refs/heads");
            }
            // Dirty: tracked files that differ from HEAD. Without the optional index lock git
            // compares contents and does not write the index back (a refreshed index is a
            // newer file, which would run this script, and rebuild the crate, once more).
            let dirty = git(&[
                "--no-optional-locks",
                "status",
                "--porcelain",
                "--untracked-files=no",
            ])
            .is_some();
            Some(if dirty { format!("{hash}-dirty") } else { hash })
        })
        .unwrap_or_else(|| "unknown".to_owned());

    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });

    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(|f| f.to_ascii_lowercase().replace('_', "-"))
        })
        .filter(|f| f != "default")
        .collect();
    features.sort();
    let features = if features.is_empty() {
        "none".to_owned()
    } else {
        features.join(",")
    };

    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_owned());
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".to_owned());

    println!("cargo:rustc-env=PACKBENCH_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=PACKBENCH_BUILD_DATE={}", civil_date(epoch));
    println!("cargo:rustc-env=PACKBENCH_BUILD_TARGET={target}");
    println!("cargo:rustc-env=PACKBENCH_BUILD_PROFILE={profile}");
    println!("cargo:rustc-env=PACKBENCH_BUILD_FEATURES={features}");
}
