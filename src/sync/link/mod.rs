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
    // The returns desk's verification service is configured beside the repository.
    super::connect_vrs(station, data_dir);
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

mod qu4rtet_read;

pub use qu4rtet_read::Qu4rtetLink;

#[cfg(test)]
mod tests;
