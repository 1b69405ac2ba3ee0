//! The test data the repository carries (`tests/data/`, each folder with its source and
//! licence) and the official validators built from it: the EPCIS JSON Schema and, through
//! `xmllint`, the EPCIS 2.0 and 1.2 XSDs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A file or folder under `tests/data/`.
pub fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// The EPCIS 2.0 XML schema.
pub fn xsd_20() -> PathBuf {
    path("epcis/XSD/EPCglobal-epcis-2_0.xsd")
}

/// The EPCIS 1.2 XML schema.
pub fn xsd_12() -> PathBuf {
    path("epcis/EPCIS-1.2/XSD/EPCglobal-epcis-1_2.xsd")
}

pub use super::repo::server::epcis_json_validator;

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

/// The barcode pictures of `tests/data/images/` (made by its `gen_images.py`).
pub fn images() -> PathBuf {
    path("images")
}

/// One row of `tests/data/images/manifest.tsv`: a picture and the codes in it.
pub struct ImageRow {
    /// The file name.
    pub file: String,
    /// The AIM symbology identifier every code of the picture carries (`]d2`, `]C1`, `]Q1` ...).
    pub aim_id: String,
    /// Each code's raw text (GS as the byte 0x1D), in row-major layout order.
    pub raw: Vec<String>,
    /// Each code's bracketed form (the same order).
    pub hri: Vec<String>,
}

impl ImageRow {
    /// The codes as a set (a decoder reports them in its own order).
    pub fn raw_set(&self) -> BTreeSet<String> {
        self.raw.iter().cloned().collect()
    }
}

/// Every row of the image manifest. A corpus with fewer than 60 pictures fails: a test that
/// reads a truncated manifest must not pass on the rows that are left.
pub fn image_manifest() -> Vec<ImageRow> {
    let text = std::fs::read_to_string(images().join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("manifest.tsv has no column {name}"))
    };
    let (file, aim, raw, hri) = (
        column("file"),
        column("symbology_id"),
        column("expected_raw"),
        column("expected_hri"),
    );
    let rows: Vec<ImageRow> = lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            ImageRow {
                file: cols[file].to_owned(),
                aim_id: cols[aim].to_owned(),
                raw: cols[raw]
                    .split(" | ")
                    .map(|s| s.replace("\\x1d", "\u{1d}"))
                    .collect(),
                hri: cols[hri].split(" | ").map(str::to_owned).collect(),
            }
        })
        .collect();
    assert!(rows.len() >= 60, "only {} rows in manifest.tsv", rows.len());
    rows
}

/// The manifest row of one picture.
pub fn image_row(file: &str) -> ImageRow {
    image_manifest()
        .into_iter()
        .find(|row| row.file == file)
        .unwrap_or_else(|| panic!("{file} is not in manifest.tsv"))
}
