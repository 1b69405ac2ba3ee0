//! Files only the owner may read: the database, its WAL and shared memory, the audit key and
//! anchor, the logs (issue 16: argon2 hashes must not be world-readable). On Unix the data
//! directory is 0700 and its files 0600; elsewhere the platform's per-user folders already
//! belong to the user.

use std::path::Path;

/// Makes `dir` the owner's alone on Unix (group and other permissions taken off).
pub fn restrict_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            // Narrowed, never widened: the owner's bits stay as they are.
            match std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700)) {
                // A directory another account owns (a site's shared data directory) stays as
                // its owner set it.
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                other => other?,
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates `path` empty with mode 0600 if it does not exist, and takes every group and other
/// permission off an existing file (and the `-wal` / `-shm` files beside a database).
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
        }
        let mut names = vec![path.to_path_buf()];
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            names.push(name.into());
        }
        for name in names {
            if let Ok(meta) = std::fs::metadata(&name) {
                let mode = meta.permissions().mode() & 0o777;
                // Narrowed, never widened: a file its owner made read-only stays read-only.
                if mode & 0o077 != 0 {
                    match std::fs::set_permissions(
                        &name,
                        std::fs::Permissions::from_mode(mode & 0o700),
                    ) {
                        // A file another account owns (a site that shares the database on
                        // purpose) stays as its owner set it.
                        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                        other => other?,
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to a new file `path` readable and writable by the owner only (0600 on
/// Unix), failing if it exists.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
