//! A small verification service (VRS) of our own on 127.0.0.1, speaking the GS1 US
//! Lightweight Messaging Standard's verify request: it knows a set of packs (GTIN, serial →
//! lot, expiry `YYMMDD`) and answers like a manufacturer's responder would. A script of faults
//! (HTTP 503, a wrong corrUUID, a body that is no JSON) is played first, one per request, so
//! the station's retries, its offline queue and its strict reading can be tested. Every
//! request it received is kept.

use super::repo::http1::{read_request, write_response};
use std::collections::{HashMap, VecDeque};
use std::io::BufReader;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// The responder's GLN in every answer.
pub const RESPONDER_GLN: &str = "9506000000015";

/// One scripted misbehaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer 503.
    Unavailable,
    /// Answer with another request's corrUUID.
    WrongCorrelation,
    /// Answer a body that is not JSON.
    Garbage,
}

#[derive(Default)]
struct State {
    packs: HashMap<(String, String), (String, String)>,
    faults: VecDeque<Fault>,
    requests: Vec<String>,
}

pub struct Responder {
    pub url: String,
    state: Arc<Mutex<State>>,
}

fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn answer(state: &Mutex<State>, path: &str) -> (u16, String) {
    let mut st = state.lock().unwrap();
    st.requests.push(path.to_owned());
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let parts: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    let corr = decode(query_value(query, "corrUUID").unwrap_or(""));
    let fault = st.faults.pop_front();
    match fault {
        Some(Fault::Unavailable) => return (503, "try later".to_owned()),
        Some(Fault::Garbage) => return (200, "<html>oops</html>".to_owned()),
        _ => {}
    }
    let corr = if fault == Some(Fault::WrongCorrelation) {
        "00000000-0000-4000-8000-000000000000".to_owned()
    } else {
        corr
    };
    // /verify/gtin/{gtin}/lot/{lot}/ser/{serial}
    let [_, "verify", "gtin", gtin, "lot", lot, "ser", serial] = parts.as_slice() else {
        if let ["verify", "gtin", gtin, "lot", lot, "ser", serial] = parts.as_slice() {
            return verdict(&st, &corr, gtin, lot, serial, query);
        }
        return (404, format!("no route {route}"));
    };
    verdict(&st, &corr, gtin, lot, serial, query)
}

fn verdict(
    st: &State,
    corr: &str,
    gtin: &str,
    lot: &str,
    serial: &str,
    query: &str,
) -> (u16, String) {
    if query_value(query, "context") != Some("dscsaSaleableReturn")
        || query_value(query, "linkType") != Some("verificationService")
        || query_value(query, "reqGLN").is_none_or(|g| g.len() != 13)
    {
        return (400, "bad query".to_owned());
    }
    let exp = query_value(query, "exp").unwrap_or("");
    let (gtin, lot, serial) = (decode(gtin), decode(lot), decode(serial));
    let known_gtin = st.packs.keys().any(|(g, _)| *g == gtin);
    let reason = match st.packs.get(&(gtin.clone(), serial)) {
        _ if !known_gtin => Some("GTIN_not_found"),
        None => Some("No_match_GTIN_Serial"),
        Some((l, e)) => match (*l == lot, e == exp) {
            (true, true) => None,
            (false, true) => Some("No_match_GTIN_Serial_Lot"),
            (true, false) => Some("No_match_GTIN_Serial_Expiry"),
            (false, false) => Some("No_match_GTIN_Serial_Lot_Expiry"),
        },
    };
    let data = match reason {
        None => serde_json::json!({"verified": true}),
        Some(r) => serde_json::json!({"verified": false, "verificationFailureReason": r}),
    };
    (
        200,
        serde_json::json!({
            "verificationTimestamp": "2026-12-03T10:00:00.000Z",
            "responderGLN": RESPONDER_GLN,
            "data": data,
            "corrUUID": corr,
        })
        .to_string(),
    )
}

impl Responder {
    /// Starts the responder on a free port of 127.0.0.1; it stops with the test process.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::Builder::new()
            .name("test-vrs".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&shared);
                    std::thread::Builder::new()
                        .name("test-vrs-conn".into())
                        .spawn(move || {
                            let mut writer = stream.try_clone().unwrap();
                            let mut reader = BufReader::new(stream);
                            while let Some(req) = read_request(&mut reader) {
                                let (status, body) = answer(&shared, &req.path);
                                let headers = [("content-type", "application/json".to_owned())];
                                if write_response(&mut writer, status, &headers, body.as_bytes())
                                    .is_err()
                                {
                                    break;
                                }
                            }
                        })
                        .unwrap();
                }
            })
            .unwrap();
        Self { url, state }
    }

    /// The manufacturer commissioned this pack.
    pub fn knows(&self, gtin: &str, serial: &str, lot: &str, expiry: &str) {
        self.state.lock().unwrap().packs.insert(
            (gtin.to_owned(), serial.to_owned()),
            (lot.to_owned(), expiry.to_owned()),
        );
    }

    /// Plays these faults first, one per request.
    pub fn faults(&self, faults: &[Fault]) {
        self.state.lock().unwrap().faults.extend(faults);
    }

    /// The request paths received so far.
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }
}
