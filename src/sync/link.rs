//! The station's link to the site repository ([`RepositoryLink`], `docs/sync.md` "Taking a
//! hierarchy in"): the events a unit and everything below it took part in, read from either
//! repository kind, so that `epcis::replay` gives the repository's own view of the hierarchy.
//!
//! - **EPCIS 2.0 REST** ([`Epcis20Link`]): `GET /events` level by level. First
//!   `MATCH_anyEPC=<unit>`; then, for every container met, its children (the `childEPCs` of the
//!   AggregationEvents whose `parentID` it is) in list-valued `MATCH_anyEPC` queries (the openapi
//!   declares the parameter `style: pipeDelimited`, so one request asks about many EPCs; a
//!   server that refuses lists is asked one EPC at a time from then on); every page is read
//!   (`Link: rel="next"`). Then `MATCH_parentID=<the unit's parents>` with
//!   `eventType=AggregationEvent`, for an "unpack all" that took the unit out without naming it.
//!   Events come back as the repository holds them, error declarations included, so replay
//!   leaves out what was declared erroneous.
//! - **QU4RTET** ([`Qu4rtetLink`]): its read API, `GET /epcis/events-by-entry-id/<EPC>/` (JSON),
//!   for the unit, then for each child found in its AggregationEvents, down the tree, then for
//!   its parents. QU4RTET applies an error declaration's copy as one more event, in the order
//!   it receives documents, so the link hands such a copy to replay as a plain event placed
//!   after everything QU4RTET recorded before it: replay then gives QU4RTET's own state.
//!
//! Timeouts are short ([`LINK_TIMEOUT_MS`]): the station asks while a packer waits. An
//! unreachable repository, a timeout, 5xx and refused credentials are
//! [`LinkError::Unreachable`]; an answer that is not what the protocol says is
//! [`LinkError::BadAnswer`]; a unit the repository has never heard of is `Ok(empty)`. No message
//! carries a credential.

use super::config::{Auth, CREDENTIALS_FILE, ConfigError, RepositoryConfig, RepositoryKind};
use super::error::{SyncError, shorten};
use super::http::Http;
use super::query::{DEFAULT_PER_PAGE, for_each_page};
use crate::epcis::{EventFacts, FactAction, FactKind, facts_from_jsonld};
use crate::station::{LinkError, RepositoryLink, Station};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Longest wait for one HTTP exchange of the link (the configured timeout if shorter).
pub const LINK_TIMEOUT_MS: u64 = 5_000;

/// Longest value of one list-valued query parameter, percent-encoded (URLs stay well under the
/// 8 KiB request line most servers accept).
const MAX_LIST_CHARS: usize = 3_000;

/// The link of the repository configured in a data directory (`sync.json` and its
/// credentials), `Ok(None)` when none is configured.
pub fn repository_link(data_dir: &Path) -> Result<Option<Box<dyn RepositoryLink>>, SyncError> {
    let config = RepositoryConfig::load(data_dir).map_err(|e| SyncError::Config {
        detail: match e {
            // A parser's message may quote the file: never a credential in a message.
            ConfigError::Invalid { path, .. } if path.ends_with(CREDENTIALS_FILE) => {
                format!("{}: not valid credentials", path.display())
            }
            e => e.to_string(),
        },
    })?;
    config.as_ref().map(link_for).transpose()
}

/// Connects a station to the repository configured in `data_dir`, if any, for taking
/// hierarchies in (the headless station and the GUI call it at start). A configuration that
/// cannot be used is reported on stderr, without any credential, and the station runs without
/// the link.
pub fn connect_repository(station: &mut Station, data_dir: &Path) {
    match repository_link(data_dir) {
        Ok(link) => station.set_repository_link(link),
        Err(e) => eprintln!(
            "packbench: warning: {e}; the station runs without its repository link (nothing \
             can be taken in from the repository)"
        ),
    }
}

/// The link of a repository configuration.
pub fn link_for(config: &RepositoryConfig) -> Result<Box<dyn RepositoryLink>, SyncError> {
    Ok(match config.kind {
        RepositoryKind::Epcis20 => Box::new(Epcis20Link::new(config)?),
        RepositoryKind::Qu4rtet => Box::new(Qu4rtetLink::new(config)?),
    })
}

/// The configuration with the link's short timeout.
fn short(config: &RepositoryConfig) -> RepositoryConfig {
    let mut c = config.clone();
    c.timeout_ms = c.timeout_ms.clamp(1, LINK_TIMEOUT_MS);
    c
}

/// The URL without user information (`https://user:pw@host` → `https://host`).
fn public_url(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    match url[start..end].rfind('@') {
        Some(at) => format!("{}{}", &url[..start], &url[start + at + 1..]),
        None => url.to_owned(),
    }
}

/// Takes every credential out of a message.
#[derive(Clone, Default)]
struct Redactor {
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    fn new(config: &RepositoryConfig) -> Self {
        let mut secrets = Vec::new();
        match &config.auth {
            Auth::None => {}
            Auth::Bearer { token } | Auth::Token { token } => secrets.push(token.clone()),
            Auth::Basic { password, .. } => secrets.push(password.clone()),
        }
        secrets.extend(config.auth.header_value());
        if let Some(start) = config.url.find("://").map(|i| i + 3) {
            let end = config.url[start..]
                .find('/')
                .map_or(config.url.len(), |i| start + i);
            if let Some(at) = config.url[start..end].rfind('@') {
                secrets.push(config.url[start..start + at].to_owned());
            }
        }
        secrets.retain(|s| !s.is_empty());
        // The longest first, so a header value goes before the token inside it.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { secrets }
    }

    fn clean(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            out = out.replace(s.as_str(), "<redacted>");
        }
        out
    }

    /// The link error of a sync error.
    fn error(&self, e: &SyncError) -> LinkError {
        let text = self.clean(&e.to_string());
        match e {
            SyncError::Server {
                status: 401 | 403 | 407,
                ..
            } => LinkError::Unreachable(format!("{text} (the repository refused the credentials)")),
            SyncError::Server { status, .. } if *status >= 500 || matches!(status, 408 | 429) => {
                LinkError::Unreachable(text)
            }
            SyncError::Unreachable { .. }
            | SyncError::Timeout { .. }
            | SyncError::Config { .. } => LinkError::Unreachable(text),
            SyncError::Server { .. } | SyncError::Protocol { .. } | SyncError::Store(_) => {
                LinkError::BadAnswer(text)
            }
        }
    }
}

/// Events gathered from several answers, each once: by eventID and whether it is an error
/// declaration (an event without an ID by its whole content).
#[derive(Default)]
struct Gathered {
    facts: Vec<EventFacts>,
    keys: HashSet<String>,
}

impl Gathered {
    fn add(&mut self, f: EventFacts) {
        let key = match &f.event_id {
            Some(id) => format!("{}{id}", u8::from(f.error_declaration.is_some())),
            None => format!("{f:?}"),
        };
        if self.keys.insert(key) {
            self.facts.push(f);
        }
    }
}

/// The children of `parents` in the AggregationEvents among `facts` (any action: a unit once
/// packed into one of them may still be there), in first-seen order.
fn children_of(facts: &[EventFacts], parents: &HashSet<&str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for f in facts {
        if f.kind == FactKind::Aggregation
            && f.parent.as_deref().is_some_and(|p| parents.contains(p))
        {
            for c in &f.epcs {
                if seen.insert(c.as_str()) {
                    out.push(c.clone());
                }
            }
        }
    }
    out
}

/// The parents of `epc` in the AggregationEvents among `facts`.
fn parents_of(facts: &[EventFacts], epc: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in facts {
        if f.kind == FactKind::Aggregation
            && f.epcs.iter().any(|c| c == epc)
            && let Some(p) = &f.parent
            && p != epc
            && !out.contains(p)
        {
            out.push(p.clone());
        }
    }
    out
}

/// The link to an EPCIS 2.0 REST repository (see the module documentation).
#[derive(Debug)]
pub struct Epcis20Link {
    http: Http,
    url: String,
    redact: Redactor,
    per_page: usize,
    /// Whether the server takes list-valued `MATCH_*` parameters (until it refuses one).
    lists: AtomicBool,
}

impl Epcis20Link {
    /// A link for the configured repository (with the link's short timeout).
    pub fn new(config: &RepositoryConfig) -> Result<Self, SyncError> {
        Ok(Self {
            http: Http::new(&short(config))?,
            url: public_url(&config.url),
            redact: Redactor::new(config),
            per_page: DEFAULT_PER_PAGE,
            lists: AtomicBool::new(true),
        })
    }

    /// Every event of `GET /events` with `extra` and `name` = one of `values`, each once.
    fn query_list(
        &self,
        name: &str,
        values: &[String],
        extra: &[(&str, &str)],
    ) -> Result<Vec<EventFacts>, LinkError> {
        let mut out = Vec::new();
        let mut rest = values;
        while !rest.is_empty() {
            let take = if self.lists.load(Ordering::Relaxed) {
                list_chunk(rest)
            } else {
                1
            };
            let (chunk, tail) = rest.split_at(take.min(rest.len()));
            match self.query_one(name, &chunk.join("|"), extra) {
                Ok(mut facts) => {
                    out.append(&mut facts);
                    rest = tail;
                }
                // A server that does not take lists: from now on one value per request.
                Err(SyncError::Server { status: 400, .. }) if chunk.len() > 1 => {
                    self.lists.store(false, Ordering::Relaxed);
                }
                Err(e) => return Err(self.redact.error(&e)),
            }
        }
        Ok(out)
    }

    fn query_one(
        &self,
        name: &str,
        value: &str,
        extra: &[(&str, &str)],
    ) -> Result<Vec<EventFacts>, SyncError> {
        let mut params = vec![(name, value)];
        params.extend_from_slice(extra);
        let mut out = Vec::new();
        for_each_page(&self.http, &params, self.per_page, |url, body| {
            let mut facts = facts_from_jsonld(body).map_err(|e| SyncError::Protocol {
                url: url.to_owned(),
                detail: shorten(&e.to_string(), 300),
            })?;
            out.append(&mut facts);
            Ok(())
        })?;
        Ok(out)
    }
}

/// How many of `values` go in one list-valued parameter (at least one).
fn list_chunk(values: &[String]) -> usize {
    let mut chars = 0;
    for (i, v) in values.iter().enumerate() {
        // Each character outside the unreserved set is sent as %XX; the separator as %7C.
        let encoded: usize = v
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    1
                } else {
                    3
                }
            })
            .sum::<usize>()
            + 3;
        if i > 0 && chars + encoded > MAX_LIST_CHARS {
            return i;
        }
        chars += encoded;
    }
    values.len()
}

impl RepositoryLink for Epcis20Link {
    fn describe(&self) -> String {
        format!("EPCIS 2.0 REST at {}", self.url)
    }

    fn hierarchy_events(&self, epc: &str) -> Result<Vec<EventFacts>, LinkError> {
        let mut gathered = Gathered::default();
        let mut asked: HashSet<String> = HashSet::new();
        let mut level = vec![epc.to_owned()];
        while !level.is_empty() {
            asked.extend(level.iter().cloned());
            let answer = self.query_list("MATCH_anyEPC", &level, &[])?;
            let parents: HashSet<&str> = level.iter().map(String::as_str).collect();
            let next: Vec<String> = children_of(&answer, &parents)
                .into_iter()
                .filter(|c| !asked.contains(c))
                .collect();
            for f in answer {
                gathered.add(f);
            }
            level = next;
        }
        if gathered.facts.is_empty() {
            return Ok(Vec::new());
        }
        let parents = parents_of(&gathered.facts, epc);
        if !parents.is_empty() {
            let theirs = self.query_list(
                "MATCH_parentID",
                &parents,
                &[("eventType", "AggregationEvent")],
            )?;
            for f in theirs {
                gathered.add(f);
            }
        }
        Ok(gathered.facts)
    }

    fn events_naming(&self, epcs: &[String]) -> Result<Vec<EventFacts>, LinkError> {
        let mut gathered = Gathered::default();
        for f in self.query_list("MATCH_anyEPC", epcs, &[])? {
            gathered.add(f);
        }
        Ok(gathered.facts)
    }

    fn honours_error_declarations(&self) -> bool {
        true
    }
}

/// One event as QU4RTET returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    /// QU4RTET's own key of the stored event (a second copy of an event has its own).
    id: String,
    /// When QU4RTET recorded it (UTC ms).
    record_ms: i64,
    /// A copy of an event carrying an error declaration (QU4RTET applied it as an event).
    declared_copy: bool,
    facts: EventFacts,
}

/// The link to QU4RTET (see the module documentation).
#[derive(Debug)]
pub struct Qu4rtetLink {
    http: Http,
    url: String,
    redact: Redactor,
}

impl Qu4rtetLink {
    /// A link for the configured QU4RTET (with the link's short timeout).
    pub fn new(config: &RepositoryConfig) -> Result<Self, SyncError> {
        Ok(Self {
            http: Http::new(&short(config))?,
            url: public_url(&config.url),
            redact: Redactor::new(config),
        })
    }

    /// The events QU4RTET links to an EPC; `None` when it has no entry for it.
    fn entry_events(&self, epc: &str) -> Result<Option<Vec<Stored>>, LinkError> {
        let path = format!(
            "/epcis/events-by-entry-id/{}/?format=json",
            utf8_percent_encode(epc, NON_ALPHANUMERIC)
        );
        let url = self.http.url(&path);
        let reply = self
            .http
            .send("GET", &path, &[("Accept", "application/json")], None)
            .map_err(|e| self.redact.error(&e))?;
        let json: Option<serde_json::Value> = serde_json::from_str(&reply.body).ok();
        match reply.status {
            200 => {}
            // QU4RTET's "no such entry" is a 404 with a JSON `detail`; any other 404 is not
            // QU4RTET's read API at all.
            404 if json.as_ref().is_some_and(|v| v.get("detail").is_some()) => return Ok(None),
            status => {
                return Err(self.redact.error(&SyncError::Server {
                    url,
                    status,
                    message: shorten(&reply.body, 300),
                }));
            }
        }
        let json = json.ok_or_else(|| {
            self.redact.error(&SyncError::Protocol {
                url: url.clone(),
                detail: "not JSON".to_owned(),
            })
        })?;
        stored_events(&json)
            .map(Some)
            .map_err(|detail| self.redact.error(&SyncError::Protocol { url, detail }))
    }
}

/// The events of an `events-by-entry-id` answer (`{"events": [{"objectEvent": {...}}, ...]}`).
fn stored_events(doc: &serde_json::Value) -> Result<Vec<Stored>, String> {
    let list = doc
        .get("events")
        .and_then(serde_json::Value::as_array)
        .ok_or("no `events` list")?;
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let obj = item.as_object().ok_or("an event is not an object")?;
        for (type_key, body) in obj {
            out.push(stored_event(type_key, body)?);
        }
    }
    Ok(out)
}

/// QU4RTET's `objectEvent` ... keys.
fn kind_of(type_key: &str) -> Option<FactKind> {
    Some(match type_key {
        "objectEvent" => FactKind::Object,
        "aggregationEvent" => FactKind::Aggregation,
        "transactionEvent" => FactKind::Transaction,
        "transformationEvent" => FactKind::Transformation,
        _ => return None,
    })
}

/// UTC milliseconds of an RFC 3339 time as QU4RTET writes it (`2026-01-01T00:00:02+00:00`,
/// microseconds optional).
fn time_ms(text: &str) -> Option<i64> {
    let t =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

/// A CBV value's bare word (`urn:epcglobal:cbv:bizstep:packing` → `packing`).
fn cbv_word(value: &str) -> String {
    const PREFIXES: [&str; 6] = [
        "urn:epcglobal:cbv:bizstep:",
        "urn:epcglobal:cbv:disp:",
        "urn:epcglobal:cbv:er:",
        "https://ref.gs1.org/cbv/BizStep-",
        "https://ref.gs1.org/cbv/Disp-",
        "https://ref.gs1.org/cbv/ER-",
    ];
    PREFIXES
        .iter()
        .find_map(|p| value.strip_prefix(p))
        .unwrap_or(value)
        .to_owned()
}

/// An ILMD value by its local name (QU4RTET keeps `lotNumber`; a prefix or namespace may come
/// with it).
fn ilmd_value<'a>(ilmd: &'a serde_json::Value, local: &str) -> Option<&'a str> {
    let obj = ilmd.as_object()?;
    obj.iter().find_map(|(k, v)| {
        let name = k.rsplit([':', '#', '}']).next().unwrap_or(k);
        (name == local).then(|| v.as_str()).flatten()
    })
}

/// `YYYY-MM-DD` (or `YYMMDD`) as YYMMDD.
fn yymmdd(date: &str) -> Option<String> {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    match (date.len(), digits.len()) {
        (10, 8) => Some(digits[2..].to_owned()),
        (6, 6) => Some(digits),
        _ => None,
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn stored_event(type_key: &str, body: &serde_json::Value) -> Result<Stored, String> {
    let kind = kind_of(type_key).ok_or_else(|| format!("unknown event type {type_key}"))?;
    let text = |k: &str| body.get(k).and_then(serde_json::Value::as_str);
    let event_time = text("eventTime").ok_or("an event without eventTime")?;
    let event_ms = time_ms(event_time).ok_or_else(|| format!("bad eventTime {event_time}"))?;
    let record_ms = text("recordTime").and_then(time_ms).unwrap_or(event_ms);
    let id = match body.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) if !v.is_null() => v.to_string(),
        _ => return Err("an event without QU4RTET's id".to_owned()),
    };
    let action = match text("action") {
        Some(a) => Some(FactAction::parse(a).ok_or_else(|| format!("bad action {a}"))?),
        None if kind == FactKind::Transformation => None,
        None => return Err(format!("a {type_key} without action")),
    };
    let mut facts = EventFacts::new(kind, action, event_ms);
    facts.event_id = text("eventID").map(str::to_owned);
    facts.parent = text("parentID").map(str::to_owned);
    facts.epcs = match kind {
        FactKind::Aggregation => strings(&body["childEPCs"]),
        FactKind::Transformation => {
            let mut all = strings(&body["inputEPCList"]);
            all.extend(strings(&body["outputEPCList"]));
            all
        }
        _ => strings(&body["epcList"]),
    };
    facts.biz_step = text("bizStep").map(cbv_word);
    facts.disposition = text("disposition").map(cbv_word);
    if let Some(ilmd) = body.get("ilmd") {
        facts.lot = ilmd_value(ilmd, "lotNumber").map(str::to_owned);
        facts.expiry = ilmd_value(ilmd, "itemExpirationDate").and_then(yymmdd);
    }
    // QU4RTET applied a declaration's copy as one more event (see `in_applied_order`); the
    // declaration itself is not handed on.
    let declared_copy = body.get("errorDeclaration").is_some_and(|d| !d.is_null());
    Ok(Stored {
        id,
        record_ms,
        declared_copy,
        facts,
    })
}

/// QU4RTET's events, each once (by QU4RTET's own key), in first-seen order.
#[derive(Default)]
struct Kept {
    list: Vec<Stored>,
    ids: HashSet<String>,
}

impl Kept {
    fn extend(&mut self, events: Vec<Stored>) {
        for s in events {
            if self.ids.insert(s.id.clone()) {
                self.list.push(s);
            }
        }
    }
}

/// The facts in the order QU4RTET applied them (the order it recorded them): an error
/// declaration's copy, which QU4RTET applied as one more event when it received it, is placed
/// (by its event time) after every event recorded before it, so `replay`, which orders by event
/// time, applies it where QU4RTET did. Other events keep their event time.
fn in_applied_order(mut stored: Vec<Stored>) -> Vec<EventFacts> {
    stored.sort_by_key(|s| s.record_ms);
    let mut latest = i64::MIN;
    let mut out = Vec::with_capacity(stored.len());
    for s in stored {
        let mut f = s.facts;
        if s.declared_copy {
            f.event_time_ms = f.event_time_ms.max(latest);
        }
        latest = latest.max(f.event_time_ms);
        out.push(f);
    }
    out
}

impl RepositoryLink for Qu4rtetLink {
    fn describe(&self) -> String {
        format!("QU4RTET (EPCIS 1.2) at {}", self.url)
    }

    fn hierarchy_events(&self, epc: &str) -> Result<Vec<EventFacts>, LinkError> {
        let Some(first) = self.entry_events(epc)? else {
            return Ok(Vec::new());
        };
        let mut kept = Kept::default();
        let mut asked: HashSet<String> = HashSet::from([epc.to_owned()]);
        let mut queue: VecDeque<(String, Vec<Stored>)> = VecDeque::from([(epc.to_owned(), first)]);
        let mut parents = Vec::new();
        while let Some((unit, events)) = queue.pop_front() {
            let facts: Vec<EventFacts> = events.iter().map(|s| s.facts.clone()).collect();
            if unit == epc {
                parents = parents_of(&facts, epc);
            }
            for child in children_of(&facts, &HashSet::from([unit.as_str()])) {
                if asked.insert(child.clone()) {
                    // A child QU4RTET has no entry for has no events of its own to add.
                    let theirs = self.entry_events(&child)?.unwrap_or_default();
                    queue.push_back((child, theirs));
                }
            }
            kept.extend(events);
        }
        for p in parents {
            kept.extend(self.entry_events(&p)?.unwrap_or_default());
        }
        Ok(in_applied_order(kept.list))
    }

    fn events_naming(&self, epcs: &[String]) -> Result<Vec<EventFacts>, LinkError> {
        let mut kept = Kept::default();
        for epc in epcs {
            kept.extend(self.entry_events(epc)?.unwrap_or_default());
        }
        Ok(in_applied_order(kept.list))
    }

    fn honours_error_declarations(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epcis::{FactStatus, replay};

    const CASE: &str = "urn:epc:id:sscc:9506000.0000000017";
    const P1: &str = "urn:epc:id:sgtin:9506000.013435.ZZ1";
    const P2: &str = "urn:epc:id:sgtin:9506000.013435.ZZ2";

    /// An `events-by-entry-id` answer as QU4RTET writes it (shape taken from a live QU4RTET).
    fn answer() -> serde_json::Value {
        serde_json::json!({"events": [
            {"objectEvent": {"id": "a1", "eventID": "urn:uuid:c", "eventTime": "2026-01-01T00:00:00+00:00",
                "recordTime": "2026-03-01T10:00:00.100000+00:00", "errorDeclaration": null, "action": "ADD",
                "disposition": "urn:epcglobal:cbv:disp:active", "bizStep": "urn:epcglobal:cbv:bizstep:commissioning",
                "epcList": [P1, P2], "ilmd": {"lotNumber": "LOTZ", "itemExpirationDate": "2027-12-31"}}},
            {"aggregationEvent": {"id": "a2", "eventID": "urn:uuid:a", "eventTime": "2026-01-01T00:00:02+00:00",
                "recordTime": "2026-03-01T10:00:00.200000+00:00", "errorDeclaration": null, "action": "ADD",
                "disposition": "urn:epcglobal:cbv:disp:in_progress", "bizStep": "urn:epcglobal:cbv:bizstep:packing",
                "parentID": CASE, "childEPCs": [P1, P2]}},
            {"aggregationEvent": {"id": "a3", "eventID": "urn:uuid:d", "eventTime": "2026-01-01T00:00:03.123000+00:00",
                "recordTime": "2026-03-01T10:00:01.000000+00:00", "errorDeclaration": null, "action": "DELETE",
                "disposition": null, "bizStep": "urn:epcglobal:cbv:bizstep:unpacking",
                "parentID": CASE, "childEPCs": []}},
            // The station's undo of the ADD, received after the unpack: QU4RTET re-applied it.
            {"aggregationEvent": {"id": "a4", "eventID": "urn:uuid:a", "eventTime": "2026-01-01T00:00:02+00:00",
                "recordTime": "2026-03-01T10:00:02.000000+00:00",
                "errorDeclaration": {"declarationTime": "2026-03-01T10:00:02+00:00",
                    "reason": "urn:epcglobal:cbv:er:did_not_occur", "correctiveEventIDs": []},
                "action": "ADD", "disposition": "urn:epcglobal:cbv:disp:in_progress",
                "bizStep": "urn:epcglobal:cbv:bizstep:packing", "parentID": CASE, "childEPCs": [P1]}}
        ]})
    }

    #[test]
    fn qu4rtet_answer_becomes_facts() {
        let stored = stored_events(&answer()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(stored.len(), 4);
        let c = &stored[0].facts;
        assert_eq!(
            (c.kind, c.action),
            (FactKind::Object, Some(FactAction::Add))
        );
        assert_eq!(c.biz_step.as_deref(), Some("commissioning"));
        assert_eq!(c.lot.as_deref(), Some("LOTZ"));
        assert_eq!(c.expiry.as_deref(), Some("271231"));
        assert_eq!(c.event_time_ms, 1_767_225_600_000);
        let d = &stored[2].facts;
        assert_eq!(d.event_time_ms, 1_767_225_603_123);
        assert_eq!(d.parent.as_deref(), Some(CASE));
        assert!(d.epcs.is_empty() && d.disposition.is_none());
        assert!(stored[3].declared_copy && stored[3].facts.error_declaration.is_none());
        assert!(!stored[1].declared_copy);
    }

    #[test]
    fn a_declared_copy_replays_where_qu4rtet_applied_it() {
        let stored = stored_events(&answer()).unwrap_or_else(|e| unreachable!("{e}"));
        // Whatever order the answers came in, QU4RTET's recording order decides.
        let mut shuffled = stored.clone();
        shuffled.reverse();
        let facts = in_applied_order(shuffled);
        let h = replay(&facts);
        // QU4RTET: unpacked at 3.123 s, then the copy put P1 back (its entry says so too).
        assert_eq!(h.units[P1].parent.as_deref(), Some(CASE));
        assert_eq!(h.units[P2].parent, None);
        assert_eq!(h.units[P1].status, FactStatus::Active);
        assert_eq!(h.declared_erroneous, 0);
        // Without the copy the unpack wins.
        let h = replay(&in_applied_order(stored[..3].to_vec()));
        assert_eq!(h.units[P1].parent, None);
    }

    #[test]
    fn unreadable_qu4rtet_answers_are_refused() {
        assert!(stored_events(&serde_json::json!({"results": []})).is_err());
        let bad_time = serde_json::json!({"events": [{"objectEvent": {"id": "x",
            "eventTime": "yesterday", "action": "ADD", "epcList": []}}]});
        assert!(stored_events(&bad_time).is_err());
        let no_action = serde_json::json!({"events": [{"aggregationEvent": {"id": "x",
            "eventTime": "2026-01-01T00:00:00+00:00", "parentID": CASE, "childEPCs": []}}]});
        assert!(stored_events(&no_action).is_err());
        let unknown = serde_json::json!({"events": [{"quantityEvent": {"id": "x"}}]});
        assert!(stored_events(&unknown).is_err());
    }

    #[test]
    fn children_and_parents_from_aggregations() {
        let facts: Vec<EventFacts> = stored_events(&answer())
            .unwrap_or_else(|e| unreachable!("{e}"))
            .into_iter()
            .map(|s| s.facts)
            .collect();
        assert_eq!(children_of(&facts, &HashSet::from([CASE])), [P1, P2]);
        assert!(children_of(&facts, &HashSet::from([P1])).is_empty());
        assert_eq!(parents_of(&facts, P1), [CASE]);
        assert!(parents_of(&facts, CASE).is_empty());
    }

    #[test]
    fn list_chunks_keep_urls_short() {
        let epcs: Vec<String> = (0..1_000)
            .map(|i| format!("urn:epc:id:sgtin:9506000.013435.S{i:06}"))
            .collect();
        let n = list_chunk(&epcs);
        assert!(n > 10 && n < 1_000, "{n}");
        let one = epcs[0].len() + 2 * epcs[0].matches(':').count() + 3;
        assert!(n * one <= MAX_LIST_CHARS && (n + 1) * one > MAX_LIST_CHARS);
        assert_eq!(list_chunk(&epcs[..3]), 3);
        let huge = vec!["x".repeat(10_000), "y".to_owned()];
        assert_eq!(list_chunk(&huge), 1, "one value always goes");
    }

    #[test]
    fn no_credential_in_descriptions_or_errors() {
        let mut c = RepositoryConfig::new(
            RepositoryKind::Epcis20,
            "https://bench:pw-in-url@repo.test/api",
            Auth::Bearer {
                token: "tok-s3cret".into(),
            },
        );
        assert_eq!(public_url(&c.url), "https://repo.test/api");
        assert_eq!(public_url("http://h:1/x@y"), "http://h:1/x@y");
        let r = Redactor::new(&c);
        let e = r.error(&SyncError::Server {
            url: c.url.clone(),
            status: 401,
            message: "bad token tok-s3cret".into(),
        });
        let text = e.to_string();
        assert!(matches!(e, LinkError::Unreachable(_)), "{e:?}");
        assert!(
            !text.contains("s3cret") && !text.contains("pw-in-url"),
            "{text}"
        );
        assert!(text.contains("refused the credentials"), "{text}");
        c.auth = Auth::Basic {
            user: "ws".into(),
            password: "hunter2".into(),
        };
        let r = Redactor::new(&c);
        let basic = c.auth.header_value().unwrap_or_default();
        let cleaned = r.clean(&format!("{basic} hunter2"));
        assert!(
            !cleaned.contains("hunter2") && !cleaned.contains(&basic[6..]),
            "{cleaned}"
        );
        assert!(format!("{r:?}").starts_with("Redactor("));
        assert!(matches!(
            r.error(&SyncError::Server {
                url: String::new(),
                status: 503,
                message: String::new()
            }),
            LinkError::Unreachable(_)
        ));
        assert!(matches!(
            r.error(&SyncError::Server {
                url: String::new(),
                status: 400,
                message: String::new()
            }),
            LinkError::BadAnswer(_)
        ));
        assert!(matches!(
            r.error(&SyncError::Protocol {
                url: String::new(),
                detail: String::new()
            }),
            LinkError::BadAnswer(_)
        ));
    }

    #[test]
    fn configured_links_and_none() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        assert!(matches!(repository_link(dir.path()), Ok(None)));
        let c = RepositoryConfig::new(RepositoryKind::Qu4rtet, "http://127.0.0.1:9", Auth::None);
        c.save(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
        let link = repository_link(dir.path())
            .unwrap_or_else(|e| unreachable!("{e}"))
            .unwrap_or_else(|| unreachable!("configured"));
        assert_eq!(link.describe(), "QU4RTET (EPCIS 1.2) at http://127.0.0.1:9");
        assert!(!link.honours_error_declarations());
        std::fs::write(
            dir.path().join(CREDENTIALS_FILE),
            r#"{"scheme":"bearer","token":918273645}"#,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let err = repository_link(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("not valid credentials") && !err.contains("918273645"),
            "{err}"
        );
        let c = RepositoryConfig::new(RepositoryKind::Epcis20, "http://127.0.0.1:9", Auth::None);
        let link = link_for(&c).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(link.honours_error_declarations());
        assert!(link.describe().starts_with("EPCIS 2.0 REST at"));
    }
}
