//! The link to QU4RTET: its own read API (`docs/sync.md`, "Taking a hierarchy in").

use super::*;

/// One event as QU4RTET returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stored {
    /// QU4RTET's own key of the stored event (a second copy of an event has its own).
    pub(super) id: String,
    /// When QU4RTET recorded it (UTC ms).
    pub(super) record_ms: i64,
    /// A copy of an event carrying an error declaration (QU4RTET applied it as an event).
    pub(super) declared_copy: bool,
    pub(super) facts: EventFacts,
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
pub(super) fn stored_events(doc: &serde_json::Value) -> Result<Vec<Stored>, String> {
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
pub(super) fn in_applied_order(mut stored: Vec<Stored>) -> Vec<EventFacts> {
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
