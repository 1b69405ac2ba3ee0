//! The GS1 core is pure (`docs/architecture.md` §3): no GUI, database, serial, network, file or thread
//! code under `src/gs1/`. This test reads the sources and fails on a forbidden import.

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "egui",
    "eframe",
    "rusqlite",
    "serialport",
    "rxing",
    "rfd",
    "std::fs",
    "std::net",
    "std::thread",
    "std::process",
    "std::io",
    "std::env",
    "std::time::SystemTime",
    "Instant::now",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/gs1") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn gs1_core_has_no_io_gui_or_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gs1");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 10, "found only {} files", files.len());
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "forbidden in the pure core:\n{}",
        offences.join("\n")
    );
}
