//! The layers of `docs/architecture.md` §3, checked on the sources:
//!
//! - `store/` owns the database: no `rusqlite` and no SQL statement anywhere else under `src/`,
//!   and nobody else reaches for the raw connection the store keeps for tests
//!   (`Conn::raw_sqlite`).
//! - The pure core (`gs1/`, `domain/`, `epcis/`) has no GUI, database, serial, camera, file,
//!   network, process, environment, thread or clock code.
//! - The screens (`ui/` outside `ui/app.rs` and `ui/app/`) draw from the `AppState` and return
//!   `UiCommand`s: none names `PackbenchApp` (no `impl PackbenchApp`, no import; the module
//!   root only re-exports it), and none reads the wire format — no JSON indexing
//!   (`data["unit"]`), `.get("…")`, `serde_json::Value` or `from_value`: the answers become typed
//!   view models once, in `ui/app/models.rs`. The station worker thread (`ui/worker.rs`) is no
//!   screen.
//!
//! Comments are ignored (a doc comment may name what the code must not use). There are no
//! exceptions: the core writes text with `std::fmt::Write`, never `std::io::Write`, and is
//! given times as milliseconds instead of reading a clock. A hit is a layering fault to fix by
//! moving the code, not a word to allow here. Grouped imports (`use std::{fs, io}`) count too.

use std::path::{Path, PathBuf};

/// Forbidden in the pure core (with any `SystemTime`).
const IMPURE: &[&str] = &[
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
    "SystemTime",
    "Instant::now",
];

/// Modules of `std` the core must not import, for grouped imports (`use std::{fs, io}`).
const IMPURE_STD_MODULES: &[&str] = &["fs", "net", "thread", "process", "io", "env"];

/// The pure core.
const CORE: &[&str] = &["src/gs1", "src/domain", "src/epcis"];

/// How an SQL statement begins (string literals are checked; `UPDATE` needs a `SET` too, so
/// that prose and EPCIS action names such as `"DELETE"` are not statements).
const SQL_STARTS: &[&str] = &[
    "SELECT ",
    "INSERT INTO",
    "INSERT OR ",
    "DELETE FROM",
    "WITH RECURSIVE",
    "PRAGMA ",
    "CREATE TABLE",
    "CREATE INDEX",
    "ALTER TABLE",
    "DROP TABLE",
];

/// One source file with its comments blanked out.
struct Source {
    path: PathBuf,
    /// The text with every comment replaced by spaces (line breaks kept, so lines still count).
    code: String,
    /// Each string literal's content and the line it starts on.
    strings: Vec<(usize, String)>,
}

impl Source {
    fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path).expect("read source");
        let (code, strings) = strip_comments(&text);
        Self {
            path: path.to_path_buf(),
            code,
            strings,
        }
    }

    /// `file:line` of a byte offset in the code.
    fn place(&self, offset: usize, root: &Path) -> String {
        let line = self.code[..offset].matches('\n').count() + 1;
        self.place_line(line, root)
    }

    fn place_line(&self, line: usize, root: &Path) -> String {
        let shown = self.path.strip_prefix(root).unwrap_or(&self.path);
        format!("{}:{line}", shown.display())
    }

    /// Offsets of every occurrence of `word` in the code.
    fn hits<'a>(&'a self, word: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.code.match_indices(word).map(|(i, _)| i)
    }
}

/// Removes `//` and (nested) `/* */` comments, keeping string and char literals intact (a `//`
/// inside a string is not a comment); also collects the string literals.
fn strip_comments(text: &str) -> (String, Vec<(usize, String)>) {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut strings = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                code.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    code.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    code.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    code.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && starts_token(&chars[..i])
            && matches!(next, Some('"' | '#'))
            && raw_string_hashes(&chars[i + 1..]).is_some()
        {
            // A raw string: r"..." or r#"..."# (also br"...": the `b` was copied as code).
            let hashes = raw_string_hashes(&chars[i + 1..]).unwrap_or(0);
            let start_line = line;
            let open = 1 + hashes + 1;
            code.extend(&chars[i..i + open]);
            i += open;
            let mut content = String::new();
            while i < chars.len() {
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|h| *h == '#') {
                    code.extend(&chars[i..(i + 1 + hashes).min(chars.len())]);
                    i += 1 + hashes;
                    break;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                content.push(chars[i]);
                code.push(chars[i]);
                i += 1;
            }
            strings.push((start_line, content));
        } else if c == '"' {
            let start_line = line;
            code.push(c);
            i += 1;
            let mut content = String::new();
            while i < chars.len() {
                let s = chars[i];
                if s == '\\' {
                    content.push(s);
                    code.push(s);
                    if let Some(&e) = chars.get(i + 1) {
                        if e == '\n' {
                            line += 1;
                        }
                        content.push(e);
                        code.push(e);
                    }
                    i += 2;
                    continue;
                }
                if s == '"' {
                    code.push(s);
                    i += 1;
                    break;
                }
                if s == '\n' {
                    line += 1;
                }
                content.push(s);
                code.push(s);
                i += 1;
            }
            strings.push((start_line, content));
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime ('a): only a literal is skipped whole.
            let len = if next == Some('\\') {
                // Skip the escaped character itself ('\'' is a quote).
                chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&q| q == '\''))
                    .map(|p| p + 4)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(3)
            } else {
                None
            };
            let len = len.unwrap_or(1).min(chars.len() - i);
            code.extend(&chars[i..i + len]);
            i += len;
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    (code, strings)
}

/// Whether an `r` after `before` starts a token (a raw string), also as `br`: not the end of
/// an identifier such as `for` or `bar`.
fn starts_token(before: &[char]) -> bool {
    let before = match before {
        [rest @ .., 'b'] => rest,
        _ => before,
    };
    !before
        .last()
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// For the text after an `r`: the number of `#` of a raw string opening (`"`, `#"`, `##"`...).
fn raw_string_hashes(after_r: &[char]) -> Option<usize> {
    let hashes = after_r.iter().take_while(|c| **c == '#').count();
    (after_r.get(hashes) == Some(&'"')).then_some(hashes)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a source folder") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every source file under `src/` with whether it belongs to `store/`.
fn sources() -> Vec<(Source, bool)> {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let store = root.join("src/store");
    files.sort();
    files
        .iter()
        .map(|f| (Source::read(f), f.starts_with(&store)))
        .collect()
}

#[track_caller]
fn fail_on(offences: &[String], what: &str) {
    assert!(
        offences.is_empty(),
        "{what} ({} found):\n{}",
        offences.len(),
        offences.join("\n")
    );
}

#[test]
fn only_the_store_uses_sqlite() {
    let root = root();
    let mut offences = Vec::new();
    let mut store_uses = 0;
    for (src, in_store) in sources() {
        for word in ["rusqlite", "raw_sqlite"] {
            for at in src.hits(word) {
                if in_store {
                    store_uses += 1;
                } else {
                    offences.push(format!("{}: {word}", src.place(at, &root)));
                }
            }
        }
    }
    assert!(store_uses > 0, "the scan sees nothing of the store itself");
    fail_on(
        &offences,
        "SQLite used outside src/store/ (ask the store's typed queries instead)",
    );
}

#[test]
fn sql_statements_live_in_the_store() {
    let root = root();
    let mut offences = Vec::new();
    let mut store_statements = 0;
    for (src, in_store) in sources() {
        for (line, text) in &src.strings {
            let text = text.trim_start();
            let statement = SQL_STARTS.iter().any(|s| text.starts_with(s))
                || (text.starts_with("UPDATE ") && text.contains(" SET "));
            if !statement {
                continue;
            }
            if in_store {
                store_statements += 1;
            } else {
                let first: String = text.chars().take(40).collect();
                offences.push(format!("{}: \"{first}...\"", src.place_line(*line, &root)));
            }
        }
    }
    assert!(
        store_statements > 50,
        "the scan finds only {store_statements} statements in src/store/"
    );
    fail_on(&offences, "SQL statements outside src/store/");
}

/// The `std` modules named by a grouped import starting at `open` (the `{` after `std::`).
fn grouped_std_modules(code: &str, open: usize) -> Vec<String> {
    let mut depth = 0;
    let mut names = Vec::new();
    let mut item = String::new();
    let mut at_item_start = true;
    for c in code[open..].chars() {
        match c {
            '{' => {
                depth += 1;
                if depth > 1 {
                    at_item_start = false;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                if at_item_start && !item.is_empty() {
                    names.push(std::mem::take(&mut item));
                }
                at_item_start = true;
                item.clear();
            }
            c if depth == 1 && at_item_start && (c.is_alphanumeric() || c == '_') => item.push(c),
            c if depth == 1 && at_item_start && !item.is_empty() && !c.is_whitespace() => {
                names.push(std::mem::take(&mut item));
                at_item_start = false;
            }
            _ => {}
        }
    }
    if at_item_start && !item.is_empty() {
        names.push(item);
    }
    names
}

#[test]
fn the_pure_core_has_no_io_gui_sql_clock_or_threads() {
    let root = root();
    let mut files = Vec::new();
    for dir in CORE {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 30, "found only {} core files", files.len());
    let mut offences = Vec::new();
    for file in &files {
        let src = Source::read(file);
        for word in IMPURE {
            for at in src.hits(word) {
                offences.push(format!("{}: {word}", src.place(at, &root)));
            }
        }
        for (at, _) in src.code.match_indices("std::{") {
            for name in grouped_std_modules(&src.code, at + "std::".len()) {
                if IMPURE_STD_MODULES.contains(&name.as_str()) {
                    offences.push(format!("{}: std::{{{name}}}", src.place(at, &root)));
                }
            }
        }
    }
    fail_on(&offences, "forbidden in the pure core");
}

#[test]
fn the_comment_stripper_keeps_code_and_strings_apart() {
    let text = "let a = \"// not a comment\"; // rusqlite\n/* std::fs /* nested */ */ let b = '\\'';\nlet c = r#\"SELECT \"x\"\"#; fn f<'a>(s: &'a str) {}\nlet d = br\"PRAGMA \\\";\n";
    let (code, strings) = strip_comments(text);
    assert!(code.contains("\"// not a comment\""));
    assert!(!code.contains("rusqlite"));
    assert!(!code.contains("std::fs"));
    assert!(code.contains("let b = '\\'';"));
    assert!(code.contains("fn f<'a>(s: &'a str)"));
    assert_eq!(code.lines().count(), text.lines().count());
    assert_eq!(
        strings,
        vec![
            (1, "// not a comment".to_owned()),
            (3, "SELECT \"x\"".to_owned()),
            (4, "PRAGMA \\".to_owned())
        ]
    );
    let grouped = "use std::{collections::HashMap, fs, io::{self, Write}};";
    let at = grouped.find('{').unwrap_or(0);
    assert_eq!(
        grouped_std_modules(grouped, at),
        vec!["collections", "fs", "io"]
    );
}

/// Whether `rel` (a path under the repository, `/`-separated) is the app itself.
fn is_app(rel: &str) -> bool {
    rel == "src/ui/app.rs" || rel.starts_with("src/ui/app/")
}

/// The UI files with their path relative to the repository.
fn ui_sources() -> Vec<(String, Source)> {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    files.sort();
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&root).expect("under the root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, Source::read(f))
        })
        .collect()
}

/// The line of the code around `offset`.
fn line_at(code: &str, offset: usize) -> &str {
    let start = code[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = code[offset..].find('\n').map_or(code.len(), |i| offset + i);
    &code[start..end]
}

#[test]
fn screens_do_not_name_the_app() {
    let root = root();
    let mut offences = Vec::new();
    let mut app_impls = 0;
    for (rel, src) in ui_sources() {
        for at in src.hits("PackbenchApp") {
            let line = line_at(&src.code, at).trim();
            if is_app(&rel) {
                app_impls += usize::from(line.starts_with("impl PackbenchApp"));
            } else if !(rel == "src/ui/mod.rs" && line.starts_with("pub use app::")) {
                offences.push(format!("{}: {line}", src.place(at, &root)));
            }
        }
    }
    assert!(
        app_impls > 3,
        "the scan sees no `impl PackbenchApp` in src/ui/app*"
    );
    fail_on(
        &offences,
        "PackbenchApp named outside src/ui/app.rs and src/ui/app/ (draw from AppState, return UiCommands)",
    );
}

/// Offsets of `x["…"]` string-key indexing in `code` (a literal array `["a"]` is no index:
/// an index follows a name, a call or another index).
fn string_indexing(code: &str) -> Vec<usize> {
    let bytes = code.as_bytes();
    let mut hits = Vec::new();
    for (i, _) in code.match_indices("[\"") {
        let follows_value = i > 0
            && matches!(bytes[i - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b')' | b']');
        let closes = code[i + 2..]
            .find('"')
            .is_some_and(|end| code[i + 2 + end + 1..].starts_with(']'));
        if follows_value && closes {
            hits.push(i);
        }
    }
    hits
}

#[test]
fn the_string_index_finder_tells_an_index_from_a_literal() {
    assert_eq!(
        string_indexing(r#"let s = data["unit"]["status"];"#).len(),
        2
    );
    assert_eq!(string_indexing(r#"let k = rows(d)["key"];"#).len(), 1);
    assert!(string_indexing(r#"for p in [&["paplay"][..]] {} let a = ["x"];"#).is_empty());
}

#[test]
fn screens_never_read_the_wire_format() {
    const WIRE: &[&str] = &[
        "serde_json::Value",
        "serde_json::from_value",
        "serde_json::json",
        "use serde_json",
        ".get(\"",
    ];
    let root = root();
    let mut offences = Vec::new();
    let mut checked = 0;
    for (rel, src) in ui_sources() {
        if is_app(&rel) || rel == "src/ui/worker.rs" {
            continue;
        }
        checked += 1;
        // Unit tests may build JSON to feed the typed models.
        let code = src.code.split("#[cfg(test)]").next().unwrap_or_default();
        for word in WIRE {
            for (at, _) in code.match_indices(word) {
                offences.push(format!("{}: {word}", src.place(at, &root)));
            }
        }
        for at in string_indexing(code) {
            let shown: String = code[at..].chars().take(24).collect();
            offences.push(format!("{}: {shown}", src.place(at, &root)));
        }
    }
    assert!(checked > 30, "the scan sees only {checked} screen files");
    fail_on(
        &offences,
        "a screen reads the station's JSON (type the answer once in src/ui/app/models.rs)",
    );
}
