//! The CBV 2.0 event hash implementation against the reference test vectors in
//! `tests/data/epcis-hash/` (from the reference implementation's repository): every
//! example document (JSON-LD and XML) must give exactly its `.hashes`, and every
//! `expected_equal` file (several representations of one event) exactly one hash.

// Test helpers outside `#[test]` functions: a missing or unreadable fixture must fail the test.

use std::fs;
use std::path::{Path, PathBuf};

use packbench::epcis::{
    hash_ids_from_jsonld, hash_ids_from_xml, prehashes_from_jsonld, prehashes_from_xml,
};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/epcis-hash");

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(VECTORS).join(dir))
        .unwrap_or_else(|e| panic!("test vectors missing in {VECTORS}/{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

fn hashes_of(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let result = match path.extension().and_then(|e| e.to_str()) {
        Some("xml") => hash_ids_from_xml(&text),
        _ => hash_ids_from_jsonld(&text),
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn prehashes_of(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let result = match path.extension().and_then(|e| e.to_str()) {
        Some("xml") => prehashes_from_xml(&text),
        _ => prehashes_from_jsonld(&text),
    };
    result.unwrap()
}

#[test]
fn every_example_document_reproduces_its_expected_hashes() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for hashes_file in files_in("examples")
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "hashes"))
    {
        let expected = lines(&hashes_file);
        assert!(!expected.is_empty(), "{} is empty", hashes_file.display());
        let prehashes_file = hashes_file.with_extension("prehashes");
        for extension in ["jsonld", "xml"] {
            let source = hashes_file.with_extension(extension);
            if !source.exists() {
                continue;
            }
            checked += 1;
            let actual = hashes_of(&source);
            if actual != expected {
                let mut report = format!(
                    "{}: expected {expected:?}\n  got {actual:?}",
                    source.display()
                );
                if prehashes_file.exists() {
                    let expected_pre = lines(&prehashes_file);
                    for (i, pre) in prehashes_of(&source).iter().enumerate() {
                        if expected_pre.get(i) != Some(pre) {
                            report.push_str(&format!(
                                "\n  event {i} pre-hash differs:\n    expected {}\n    got      {pre}",
                                expected_pre.get(i).map_or("<none>", String::as_str)
                            ));
                        }
                    }
                }
                failures.push(report);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} documents differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 39 documents at the time of writing (22 JSON-LD, 17 XML); all of them must be checked.
    assert!(checked >= 39, "only {checked} example documents found");
}

#[test]
fn every_expected_equal_file_hashes_to_one_id() {
    let mut checked = 0;
    for file in files_in("expected_equal") {
        let hashes = hashes_of(&file);
        assert!(
            hashes.len() >= 2,
            "{}: only {} events",
            file.display(),
            hashes.len()
        );
        let first = &hashes[0];
        for (i, hash) in hashes.iter().enumerate() {
            assert_eq!(
                hash,
                first,
                "{}: event {i} hashes differently\n  pre-hash 0: {}\n  pre-hash {i}: {}",
                file.display(),
                prehashes_of(&file)[0],
                prehashes_of(&file)[i]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 11, "expected the 11 expected_equal files");
}
