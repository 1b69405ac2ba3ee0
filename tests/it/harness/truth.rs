//! What a repository itself says about a unit, read through its own interface, to hold the
//! stations' state against: QU4RTET's ledger entry (`/epcis/entries/`: `parent_id`,
//! `decommissioned`, its own processing of the events), and for an EPCIS 2.0 repository the
//! replay of `GET /events` with error declarations honoured (`sync::unit_state`).

use packbench::sync::{Http, RepositoryConfig, RepositoryKind, unit_state};
use serde_json::Value;

/// A unit's parent (EPC URI) and whether it is active, as the repository has it; `None` when
/// the repository knows nothing of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub parent: Option<String>,
    pub active: bool,
}

fn get_json(http: &Http, path: &str) -> Value {
    let reply = http
        .send("GET", path, &[("Accept", "application/json")], None)
        .unwrap();
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn qu4rtet_entry(http: &Http, urn: &str) -> Option<Value> {
    let v = get_json(http, &format!("/epcis/entries/?search={urn}&format=json"));
    let list = match &v {
        Value::Array(a) => a.clone(),
        other => other["results"].as_array().cloned().unwrap_or_default(),
    };
    list.into_iter().find(|e| e["identifier"] == urn)
}

/// The repository's view of `epc`.
pub fn truth(config: &RepositoryConfig, epc: &str) -> Option<Truth> {
    let http = Http::new(config).unwrap();
    match config.kind {
        RepositoryKind::Qu4rtet => {
            let entry = qu4rtet_entry(&http, epc)?;
            let parent = match entry["parent_id"].as_str() {
                None => None,
                Some(id) => {
                    let p = get_json(&http, &format!("/epcis/entries/{id}/?format=json"));
                    Some(p["identifier"].as_str().unwrap().to_owned())
                }
            };
            Some(Truth {
                parent,
                active: entry["decommissioned"] != true,
            })
        }
        RepositoryKind::Epcis20 => {
            let s = unit_state(&http, epc, 100).unwrap();
            (s.events > 0).then_some(Truth {
                parent: s.parent,
                active: s.active,
            })
        }
    }
}
