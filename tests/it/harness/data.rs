//! The test data the repository carries (`tests/data/`, each folder with its source and
//! licence) and the official validators built from it: the EPCIS JSON Schema and, through
//! `xmllint`, the EPCIS 2.0 and 1.2 XSDs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A file or folder under `tests/data/`.
pub fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// A text file under `tests/data/`; a missing one fails the test with its path.
pub fn read(relative: &str) -> String {
    let file = path(relative);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The EPCIS 2.0 XML schema.
pub fn xsd_20() -> PathBuf {
    path("epcis/XSD/EPCglobal-epcis-2_0.xsd")
}

/// The EPCIS 1.2 XML schema.
pub fn xsd_12() -> PathBuf {
    path("epcis/EPCIS-1.2/XSD/EPCglobal-epcis-1_2.xsd")
}

/// The official EPCIS 2.0 JSON Schema, compiled with format checks on.
pub fn epcis_json_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&read("epcis/EPCIS-JSON-Schema.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the EPCIS JSON Schema compiles")
}

/// Runs `xmllint --schema` on `doc`: `Ok(())` when valid, else xmllint's complaint. No network:
/// every schema the XSD includes is in `tests/data/`.
pub fn xmllint(doc: &str, xsd: &Path) -> Result<(), String> {
    assert!(xsd.exists(), "missing {}", xsd.display());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("document.xml");
    std::fs::write(&file, doc).unwrap();
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run xmllint ({e}); install libxml2-utils (scripts/test does it)")
        });
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
