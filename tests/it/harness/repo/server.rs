//! EPCIS 2.0 capture server (test double of the openapi contract): `OPTIONS /capture` with
//! `GS1-EPCIS-Capture-Limit`, `POST /capture` validated against the official JSON schema,
//! `202` + `Location`, capture jobs that report `running: true` once before finishing,
//! `409` when an event hash ID (with the same error-declaration flag) is already captured,
//! rollback of the whole document on any error, and `GET /events`.

use super::http1::{read_request, write_response};

/// The official EPCIS 2.0 JSON Schema (`tests/data/epcis/`), compiled with format checks on.
pub fn epcis_json_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/epcis/EPCIS-JSON-Schema.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the EPCIS JSON Schema compiles")
}
use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct State {
    /// Captured events in order: (eventID, is correction, event JSON).
    pub events: Vec<(String, bool, serde_json::Value)>,
    keys: HashSet<(String, bool)>,
    jobs: HashMap<u64, (u32, bool, serde_json::Value)>,
    next_job: u64,
    pub documents: usize,
    pub duplicates: usize,
    pub schema_errors: Vec<String>,
    /// eventIDs whose documents the server refuses with 400 (a content rejection).
    pub refuse_epcs: HashSet<String>,
    pub bearer: Option<String>,
    /// `GET /events` pages served.
    pub queries: usize,
    /// Refuse list-valued query parameters with 400 (a server that takes one EPC per query).
    pub single_values_only: bool,
    /// Time spent handling captures (parse, schema validation, storing), for the benchmark.
    pub capture_ns: u128,
    /// Time spent answering `GET /events`, for the benchmark.
    pub query_ns: u128,
}

pub struct Server {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start(capture_limit: usize, bearer: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            bearer: bearer.map(str::to_owned),
            ..State::default()
        }));
        let validator = Arc::new(epcis_json_validator());
        let shared = Arc::clone(&state);
        std::thread::Builder::new()
            .name("epcis2-server".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let state = Arc::clone(&shared);
                    let validator = Arc::clone(&validator);
                    let _ = std::thread::Builder::new()
                        .name("epcis2-conn".into())
                        .spawn(move || {
                            serve(stream, &state, &validator, capture_limit);
                        });
                }
            })
            .unwrap();
        Self { url, state }
    }

    /// (eventID, correction) of every captured event, in capture order.
    pub fn keys(&self) -> Vec<(String, bool)> {
        self.state
            .lock()
            .unwrap()
            .events
            .iter()
            .map(|(i, c, _)| (i.clone(), *c))
            .collect()
    }
}

fn problem(status: u16, title: &str) -> Vec<u8> {
    serde_json::json!({"type": format!("epcisException:{title}"), "title": title, "status": status})
        .to_string()
        .into_bytes()
}

fn serve(stream: TcpStream, state: &Mutex<State>, validator: &jsonschema::Validator, limit: usize) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    while let Some(req) = read_request(&mut reader) {
        let close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let mut hdrs = vec![("content-type", "application/json".to_owned())];
        if close {
            hdrs.push(("connection", "close".to_owned()));
        }
        let expected = state.lock().unwrap().bearer.clone();
        let authorized = expected
            .as_ref()
            .is_none_or(|t| req.header("authorization") == Some(&format!("Bearer {t}")));
        let (status, body) = if !authorized {
            (401, problem(401, "Unauthorized"))
        } else {
            handle(&req, state, validator, limit, &mut hdrs)
        };
        if write_response(&mut writer, status, &hdrs, &body).is_err() || close {
            return;
        }
    }
}

fn handle(
    req: &super::http1::Request,
    state: &Mutex<State>,
    validator: &jsonschema::Validator,
    limit: usize,
    hdrs: &mut Vec<(&'static str, String)>,
) -> (u16, Vec<u8>) {
    match (req.method.as_str(), req.path.as_str()) {
        ("OPTIONS", "/capture") => {
            hdrs.push(("GS1-EPCIS-Capture-Limit", limit.to_string()));
            hdrs.push(("Allow", "OPTIONS, GET, POST".to_owned()));
            (204, Vec::new())
        }
        ("POST", "/capture") => {
            let start = std::time::Instant::now();
            let out = capture(req, state, validator, limit, hdrs);
            state.lock().unwrap().capture_ns += start.elapsed().as_nanos();
            out
        }
        ("GET", p) if p == "/events" || p.starts_with("/events?") => {
            let start = std::time::Instant::now();
            let out = query(p, state, hdrs);
            state.lock().unwrap().query_ns += start.elapsed().as_nanos();
            out
        }
        ("GET", p) if p.starts_with("/capture/") => {
            let id: u64 = p["/capture/".len()..].parse().unwrap_or(u64::MAX);
            let mut s = state.lock().unwrap();
            match s.jobs.get_mut(&id) {
                Some((polls, success, errors)) => {
                    *polls += 1;
                    let running = *polls == 1;
                    let job = serde_json::json!({
                        "captureID": id.to_string(), "running": running,
                        "success": running || *success, "captureErrorBehaviour": "rollback",
                        "errors": if running { serde_json::json!([]) } else { errors.clone() },
                    });
                    (200, job.to_string().into_bytes())
                }
                None => (404, problem(404, "NoSuchResourceException")),
            }
        }
        _ => (404, problem(404, "NoSuchResourceException")),
    }
}

/// Percent-decodes a query string value.
fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn epc_strings<'a>(e: &'a serde_json::Value, fields: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for f in fields {
        match &e[*f] {
            serde_json::Value::String(s) => out.push(s.as_str()),
            serde_json::Value::Array(items) => out.extend(items.iter().filter_map(|v| v.as_str())),
            _ => {}
        }
    }
    out
}

/// CBV business step short name of a bare word, a CBV 2.0 URI or a CBV 1.x URN.
fn biz_step_word(step: &str) -> &str {
    step.strip_prefix("https://ref.gs1.org/cbv/BizStep-")
        .or_else(|| step.strip_prefix("urn:epcglobal:cbv:bizstep:"))
        .unwrap_or(step)
}

/// An EPC against a `MATCH_epc` value: an EPC URI (exact) or an EPC pattern URI
/// (`urn:epc:idpat:sgtin:9506000.013435.*`, `*` matching any one component).
fn epc_matches(epc: &str, pattern: &str) -> bool {
    let Some(rest) = pattern.strip_prefix("urn:epc:idpat:") else {
        return epc == pattern;
    };
    let Some(id) = epc.strip_prefix("urn:epc:id:") else {
        return false;
    };
    let (Some((ps, pat)), Some((is, idv))) = (rest.split_once(':'), id.split_once(':')) else {
        return false;
    };
    let (pat, idv): (Vec<&str>, Vec<&str>) = (pat.split('.').collect(), idv.split('.').collect());
    ps == is && pat.len() == idv.len() && pat.iter().zip(&idv).all(|(p, v)| *p == "*" || p == v)
}

/// `GET /events`: `eventType`, `MATCH_anyEPC` and `MATCH_parentID` (one EPC or a
/// pipe-delimited list, `a|b`, as the openapi's `style: pipeDelimited` says), `MATCH_epc` (EPCs
/// and EPC patterns), `EQ_bizStep` (bare word or CBV URI), `perPage`
/// (default 30, as the openapi says) and `nextPageToken`; the next page's URL goes in a
/// `Link: <...>; rel="next"` header. Answers an EPCISQueryDocument (schema-checked by the
/// tests that read it).
fn query(
    path: &str,
    state: &Mutex<State>,
    hdrs: &mut Vec<(&'static str, String)>,
) -> (u16, Vec<u8>) {
    let query = path.split_once('?').map_or("", |(_, q)| q);
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (n.to_owned(), decode(v))
        })
        .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let known = [
        "eventType",
        "MATCH_anyEPC",
        "MATCH_epc",
        "MATCH_parentID",
        "EQ_bizStep",
        "perPage",
        "nextPageToken",
    ];
    if let Some((n, _)) = params.iter().find(|(n, _)| !known.contains(&n.as_str())) {
        return (400, problem(400, &format!("QueryParameterException: {n}")));
    }
    let per_page: usize = match get("perPage").map(str::parse) {
        None => 30,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => return (400, problem(400, "QueryParameterException: perPage")),
    };
    let start: usize = match get("nextPageToken").map(str::parse) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return (400, problem(400, "QueryParameterException: nextPageToken")),
    };
    // List-valued parameters are pipe-delimited (`style: pipeDelimited` in the openapi).
    let list = |name: &str| get(name).map(|v| v.split('|').collect::<HashSet<&str>>());
    let (any_epc, parent_ids) = (list("MATCH_anyEPC"), list("MATCH_parentID"));
    let mut s = state.lock().unwrap();
    s.queries += 1;
    if s.single_values_only
        && [&any_epc, &parent_ids]
            .iter()
            .any(|l| l.as_ref().is_some_and(|l| l.len() > 1))
    {
        return (400, problem(400, "QueryParameterException: one value only"));
    }
    let matching: Vec<serde_json::Value> = s
        .events
        .iter()
        .map(|(_, _, e)| e)
        .filter(|e| {
            any_epc.as_ref().is_none_or(|wanted| {
                epc_strings(
                    e,
                    &[
                        "epcList",
                        "childEPCs",
                        "parentID",
                        "inputEPCList",
                        "outputEPCList",
                    ],
                )
                .iter()
                .any(|epc| wanted.contains(epc))
            }) && get("MATCH_epc").is_none_or(|pat| {
                pat.split(',').any(|pat| {
                    epc_strings(e, &["epcList", "childEPCs"])
                        .iter()
                        .any(|epc| epc_matches(epc, pat))
                })
            }) && parent_ids.as_ref().is_none_or(|wanted| {
                epc_strings(e, &["parentID"])
                    .iter()
                    .any(|p| wanted.contains(p))
            }) && get("EQ_bizStep").is_none_or(|b| {
                b.split(',')
                    .any(|b| e["bizStep"].as_str().map(biz_step_word) == Some(biz_step_word(b)))
            }) && get("eventType")
                .is_none_or(|t| t.split(',').any(|t| e["type"].as_str() == Some(t)))
        })
        .cloned()
        .collect();
    let page: Vec<_> = matching
        .iter()
        .skip(start)
        .take(per_page)
        .cloned()
        .collect();
    if start + per_page < matching.len() {
        let rest: Vec<String> = params
            .iter()
            .filter(|(n, _)| n != "nextPageToken")
            .map(|(n, v)| {
                let enc: String = v
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                format!("{n}={enc}")
            })
            .collect();
        hdrs.push((
            "Link",
            format!(
                "</events?{}&nextPageToken={}>; rel=\"next\"",
                rest.join("&"),
                start + per_page
            ),
        ));
    }
    let doc = serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {"pb": packbench::epcis::PACKBENCH_NAMESPACE}],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-01T00:00:00Z",
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery",
            "resultsBody": {"eventList": page}}},
    });
    (200, doc.to_string().into_bytes())
}

fn capture(
    req: &super::http1::Request,
    state: &Mutex<State>,
    validator: &jsonschema::Validator,
    limit: usize,
    hdrs: &mut Vec<(&'static str, String)>,
) -> (u16, Vec<u8>) {
    if req.header("gs1-capture-error-behaviour") != Some("rollback") {
        return (400, problem(400, "ValidationException: rollback expected"));
    }
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&req.body) else {
        return (400, problem(400, "ValidationException: not JSON"));
    };
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    let mut s = state.lock().unwrap();
    if !errors.is_empty() {
        s.schema_errors.extend(errors.clone());
        return (
            400,
            problem(400, &format!("ValidationException: {}", errors.join("; "))),
        );
    }
    let events = doc["epcisBody"]["eventList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if events.len() > limit {
        return (413, problem(413, "CaptureLimitExceededException"));
    }
    let mut keys = Vec::new();
    for e in &events {
        let id = e["eventID"].as_str().unwrap_or_default().to_owned();
        let correction = e.get("errorDeclaration").is_some();
        let epcs = e["epcList"]
            .as_array()
            .into_iter()
            .chain(e["childEPCs"].as_array())
            .flatten();
        if epcs
            .filter_map(|v| v.as_str())
            .any(|epc| s.refuse_epcs.contains(epc))
        {
            return (400, problem(400, "ValidationException: refused EPC"));
        }
        keys.push((id, correction));
    }
    let id = s.next_job;
    s.next_job += 1;
    if keys.iter().any(|k| s.keys.contains(k)) {
        // Rollback: nothing of this document is stored.
        s.duplicates += 1;
        return (
            409,
            problem(409, "ResourceAlreadyExistsException: duplicate event hash"),
        );
    }
    for ((eid, c), e) in keys.into_iter().zip(events) {
        s.keys.insert((eid.clone(), c));
        s.events.push((eid, c, e));
    }
    s.documents += 1;
    s.jobs.insert(id, (0, true, serde_json::json!([])));
    hdrs.push(("Location", format!("/capture/{id}")));
    (202, Vec::new())
}
