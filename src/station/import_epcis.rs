//! `import_epcis`: hierarchies taken in from EPCIS files (a line's batch file, the EPCIS data
//! that came with a returned shipment), `docs/sync.md` "EPCIS files".
//!
//! Every file is read and every event checked ([`crate::epcis::read_document`]: syntax, event
//! fields, hash IDs) before anything is adopted; the first bad file refuses the whole import
//! (`INVALID_ARGUMENT` naming the file, the event and the field; nothing imported). Then the
//! events of all files, an event found in two files taken once, are adopted together with
//! origin `file` and the file names as the source, in one transaction with an audit record
//! ([`Station::adopt_facts`]).

use super::{Origin, Outcome, Response, Station};
use crate::domain::{ReasonCode, Refusal};
use crate::epcis::{EpcisFlavor, EventFacts, read_document};
use std::collections::HashMap;
use std::path::Path;

/// One file read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EpcisFile {
    /// The file name (without its folder).
    pub name: String,
    /// Its syntax.
    pub flavor: EpcisFlavor,
    /// Its events, in document order.
    pub facts: Vec<EventFacts>,
}

/// Why a file cannot be imported, naming the file and, when it is one event, the event and the
/// field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadFile {
    /// The path as given.
    pub path: String,
    /// The event (1-based), when the fault is in one.
    pub event: Option<usize>,
    /// The field, or `document` / `file`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl BadFile {
    fn detail(&self) -> String {
        match self.event {
            Some(n) => format!(
                "{}: event {n}, {}: {} (nothing imported)",
                self.path, self.field, self.message
            ),
            None => format!(
                "{}: {}: {} (nothing imported)",
                self.path, self.field, self.message
            ),
        }
    }
}

/// Reads and checks every file, in order; the first bad one is the answer.
pub(crate) fn read_epcis_files(
    paths: &[String],
    company_prefixes: &[String],
) -> Result<Vec<EpcisFile>, BadFile> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| BadFile {
                path: path.clone(),
                event: None,
                field: "file".to_owned(),
                message: format!("cannot be read: {e}"),
            })?;
            let doc = read_document(&text, company_prefixes).map_err(|e| BadFile {
                path: path.clone(),
                event: e.event,
                field: e.field,
                message: e.message,
            })?;
            Ok(EpcisFile {
                name: Path::new(path)
                    .file_name()
                    .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned()),
                flavor: doc.flavor,
                facts: doc.facts,
            })
        })
        .collect()
}

/// The events of every file, in file order; an event with an eventID that an earlier file
/// already gave, field for field, is taken once (a shipment's file repeating the line's).
pub(crate) fn merged_facts(files: &[EpcisFile]) -> Vec<EventFacts> {
    let mut seen: HashMap<&str, Vec<&EventFacts>> = HashMap::new();
    let mut out = Vec::with_capacity(files.iter().map(|f| f.facts.len()).sum());
    for f in files.iter().flat_map(|f| &f.facts) {
        if let Some(id) = f.event_id.as_deref() {
            let same = seen.entry(id).or_default();
            if same.contains(&f) {
                continue;
            }
            same.push(f);
        }
        out.push(f.clone());
    }
    out
}

impl Station {
    /// GS1 company prefixes the station knows (its products', its SSCC ranges'): Digital Link
    /// EPCs under one of them become EPC URIs.
    fn known_company_prefixes(&self) -> Result<Vec<String>, crate::store::StoreError> {
        let mut prefixes: Vec<String> = self
            .products
            .values()
            .filter_map(|p| {
                p.gtin
                    .get(1..1 + usize::from(p.company_prefix_len))
                    .map(str::to_owned)
            })
            .collect();
        prefixes.extend(
            crate::store::ranges(self.store.conn())?
                .into_iter()
                .map(|r| r.company_prefix),
        );
        prefixes.sort();
        prefixes.dedup();
        Ok(prefixes)
    }

    /// `import_epcis`: see the module documentation.
    pub(crate) fn import_epcis(&mut self, paths: &[String], now: i64) -> Outcome {
        self.require_user()?;
        if paths.is_empty() {
            return Err(Refusal::new(ReasonCode::InvalidArgument, "no EPCIS file given").into());
        }
        let prefixes = self.known_company_prefixes()?;
        let files = match read_epcis_files(paths, &prefixes) {
            Ok(files) => files,
            Err(bad) => {
                return Ok(
                    Response::with_code(ReasonCode::InvalidArgument, Some(bad.detail())).data(
                        serde_json::json!({
                            "file": bad.path,
                            "event": bad.event,
                            "field": bad.field,
                            "message": bad.message,
                        }),
                    ),
                );
            }
        };
        let facts = merged_facts(&files);
        let source = files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut response = self.adopt_facts(&facts, Origin::File, &source, now)?;
        let listed: Vec<serde_json::Value> = files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "name": f.name,
                    "flavor": f.flavor.as_str(),
                    "events": f.facts.len(),
                })
            })
            .collect();
        let read: usize = files.iter().map(|f| f.facts.len()).sum();
        if let Some(serde_json::Value::Object(data)) = response.data.as_mut() {
            data.insert("files".to_owned(), listed.into());
            data.insert("events_read".to_owned(), read.into());
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epcis::{Action, Event, EventKind, document_jsonld, document_xml12, event_hash_id};

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn packing(serial: &str) -> Event {
        let mut e = Event::new(
            EventKind::Aggregation,
            Action::Add,
            1_714_557_600_000,
            "+01:00",
        );
        e.parent_id = Some("urn:epc:id:sscc:9506000.0000000001".into());
        e.epcs
            .push(format!("urn:epc:id:sgtin:9506000.013435.{serial}"));
        e.biz_step = Some("packing".into());
        e.event_id = Some(event_hash_id(&e));
        e
    }

    #[test]
    fn files_are_read_in_order_and_a_repeated_event_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "line.jsonld",
            &document_jsonld(&[packing("A1"), packing("A2")], 0),
        );
        let b = write(
            dir.path(),
            "return.xml",
            &document_xml12(&[packing("A2"), packing("B1")], 0),
        );
        let files = read_epcis_files(&[a, b], &[]).unwrap();
        assert_eq!(files[0].name, "line.jsonld");
        assert_eq!(files[0].flavor, EpcisFlavor::JsonLd20);
        assert_eq!(files[1].flavor, EpcisFlavor::Xml12);
        let merged = merged_facts(&files);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[2].epcs, ["urn:epc:id:sgtin:9506000.013435.B1"]);
    }

    #[test]
    fn a_bad_file_names_itself_the_event_and_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(
            dir.path(),
            "good.jsonld",
            &document_jsonld(&[packing("A1")], 0),
        );
        let text = document_jsonld(&[packing("A1"), packing("A2")], 0);
        let bad = write(
            dir.path(),
            "bad.jsonld",
            &text.replacen("\"packing\"", "\"pakcing\"", 2),
        );
        let err = read_epcis_files(&[good.clone(), bad.clone()], &[]).unwrap_err();
        assert_eq!(err.path, bad);
        assert_eq!((err.event, err.field.as_str()), (Some(1), "bizStep"));
        assert!(
            err.detail().contains("nothing imported"),
            "{}",
            err.detail()
        );
        let missing = dir
            .path()
            .join("missing.xml")
            .to_string_lossy()
            .into_owned();
        let err = read_epcis_files(&[good, missing.clone()], &[]).unwrap_err();
        assert_eq!(
            (err.path, err.event, err.field.as_str()),
            (missing, None, "file")
        );
    }
}
