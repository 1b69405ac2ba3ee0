//! The event model: the part of EPCIS 2.0 the station produces (ObjectEvent and AggregationEvent
//! with the CBV fields, error declarations and namespaced extension fields).

use super::error::EpcisError;
use super::timestamp;
use super::vocab::{self, Vocabulary};

/// Namespace URI of packbench's own EPCIS extension fields (`pb:reason`, `pb:signature`, ...).
pub const PACKBENCH_NAMESPACE: &str = "https://ns.packbench.dev/epcis/1/";
/// Prefix bound to [`PACKBENCH_NAMESPACE`] in every document packbench writes.
pub const PACKBENCH_PREFIX: &str = "pb";

/// The EPCIS event types the station emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `ObjectEvent`: something happened to the objects in `epcs`.
    Object,
    /// `AggregationEvent`: `epcs` were put into / taken out of / seen in `parent_id`.
    Aggregation,
}

impl EventKind {
    /// The EPCIS type name, e.g. `ObjectEvent`.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Object => "ObjectEvent",
            Self::Aggregation => "AggregationEvent",
        }
    }

    /// The kind named by an EPCIS type name.
    pub fn from_type_name(name: &str) -> Result<Self, EpcisError> {
        match name {
            "ObjectEvent" => Ok(Self::Object),
            "AggregationEvent" => Ok(Self::Aggregation),
            other => Err(EpcisError::UnsupportedEventType(other.to_owned())),
        }
    }
}

/// The EPCIS `action` of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Objects created / children added.
    Add,
    /// Objects observed; nothing created or removed.
    Observe,
    /// Objects ended / children removed.
    Delete,
}

impl Action {
    /// `ADD`, `OBSERVE` or `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "ADD",
            Self::Observe => "OBSERVE",
            Self::Delete => "DELETE",
        }
    }

    /// Parses `ADD`, `OBSERVE` or `DELETE`.
    pub fn parse(text: &str) -> Result<Self, EpcisError> {
        match text {
            "ADD" => Ok(Self::Add),
            "OBSERVE" => Ok(Self::Observe),
            "DELETE" => Ok(Self::Delete),
            other => Err(EpcisError::UnknownAction(other.to_owned())),
        }
    }
}

/// EPCIS 2.0 `persistentDisposition`: dispositions that stay until unset (CBV short names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PersistentDisposition {
    /// Dispositions set by this event, e.g. `completeness_verified`.
    pub set: Vec<String>,
    /// Dispositions cleared by this event.
    pub unset: Vec<String>,
}

/// One entry of `bizTransactionList`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BizTransaction {
    /// CBV short name of the type, e.g. `prodorder` (or a full URI for non-CBV types).
    pub kind: String,
    /// The transaction's identifier (a URI), e.g. `urn:epcglobal:cbv:bt:4012345000009:WO-1`.
    pub id: String,
}

/// EPCIS `errorDeclaration`: this event is declared erroneous.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorDeclaration {
    /// When the error was declared, UTC milliseconds since the Unix epoch.
    pub declaration_time_ms: i64,
    /// Offset to write `declarationTime` in (`+07:00`); `None` writes UTC (`Z`).
    pub declaration_time_zone: Option<String>,
    /// CBV short name of the reason: `incorrect_data` or `did_not_occur` (or a URI).
    pub reason: Option<String>,
    /// Event IDs of the events that correct this one.
    pub corrective_event_ids: Vec<String>,
}

/// A namespaced extension field of an event, e.g. `pb:reason` = `damaged`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extension {
    /// The namespace URI, e.g. [`PACKBENCH_NAMESPACE`].
    pub namespace_uri: String,
    /// The prefix the writers bind to the namespace, e.g. `pb`.
    pub prefix: String,
    /// The local name, e.g. `reason`.
    pub name: String,
    /// The value (text).
    pub value: String,
}

impl Extension {
    /// A packbench extension field (`pb:<name>`).
    pub fn packbench(name: &str, value: &str) -> Self {
        Self {
            namespace_uri: PACKBENCH_NAMESPACE.to_owned(),
            prefix: PACKBENCH_PREFIX.to_owned(),
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// One EPCIS 2.0 event as the station records it. Vocabulary fields hold CBV short names
/// (`packing`, `in_progress`, `prodorder`); the writers turn them into the form each format wants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// ObjectEvent or AggregationEvent.
    pub kind: EventKind,
    /// UTC milliseconds since the Unix epoch (the pure core has no clock: the caller passes it).
    pub event_time_ms: i64,
    /// The local offset at the bench, `+HH:MM` / `-HH:MM`, e.g. `+07:00`.
    pub event_time_zone_offset: String,
    /// The event ID: the caller sets it to [`crate::epcis::event_hash_id`] or a `urn:uuid:`.
    pub event_id: Option<String>,
    /// ADD, OBSERVE or DELETE.
    pub action: Action,
    /// AggregationEvent `parentID` (`urn:epc:id:sscc:...`); `None` for ObjectEvents.
    pub parent_id: Option<String>,
    /// ObjectEvent `epcList`, or AggregationEvent `childEPCs` (empty DELETE = all children).
    pub epcs: Vec<String>,
    /// CBV business step short name, e.g. `commissioning`, `packing`, `unpacking`.
    pub biz_step: Option<String>,
    /// CBV disposition short name, e.g. `active`, `in_progress`, `inactive`.
    pub disposition: Option<String>,
    /// EPCIS 2.0 persistent disposition (not representable in EPCIS 1.2).
    pub persistent_disposition: Option<PersistentDisposition>,
    /// `readPoint` id, an SGLN EPC URI.
    pub read_point: Option<String>,
    /// `bizLocation` id, an SGLN EPC URI.
    pub biz_location: Option<String>,
    /// `bizTransactionList`, e.g. the work order as a `prodorder`.
    pub biz_transactions: Vec<BizTransaction>,
    /// Set when this event is re-sent to declare it erroneous.
    pub error_declaration: Option<ErrorDeclaration>,
    /// Namespaced extension fields (reason codes, signatures); the event hash covers them.
    pub extensions: Vec<Extension>,
}

impl Event {
    /// A new event of `kind` with `action` at `event_time_ms` / `offset`; every optional field
    /// empty.
    pub fn new(kind: EventKind, action: Action, event_time_ms: i64, offset: &str) -> Self {
        Self {
            kind,
            event_time_ms,
            event_time_zone_offset: offset.to_owned(),
            event_id: None,
            action,
            parent_id: None,
            epcs: Vec::new(),
            biz_step: None,
            disposition: None,
            persistent_disposition: None,
            read_point: None,
            biz_location: None,
            biz_transactions: Vec::new(),
            error_declaration: None,
            extensions: Vec::new(),
        }
    }

    /// Checks what the writers cannot repair, so that the documents they write are valid: a
    /// valid time and offset; for AggregationEvents a parent on ADD/DELETE, children on
    /// ADD/OBSERVE and no persistentDisposition; extension names that make valid XML and JSON-LD.
    pub fn validate(&self) -> Result<(), EpcisError> {
        timestamp::format_ms(self.event_time_ms, &self.event_time_zone_offset)?;
        if let Some(declaration) = &self.error_declaration {
            timestamp::format_ms(
                declaration.declaration_time_ms,
                declaration.declaration_time_zone.as_deref().unwrap_or("Z"),
            )?;
        }
        if self.kind == EventKind::Aggregation {
            match self.action {
                Action::Add | Action::Delete if self.parent_id.is_none() => {
                    return Err(EpcisError::MissingParent(self.action.as_str()));
                }
                Action::Add | Action::Observe if self.epcs.is_empty() => {
                    return Err(EpcisError::MissingChildren(self.action.as_str()));
                }
                _ => {}
            }
            if self.persistent_disposition.is_some() {
                return Err(EpcisError::PersistentDispositionOnAggregation);
            }
        }
        self.validate_vocabulary()?;
        self.validate_uris()?;
        validate_extensions(std::slice::from_ref(self))?;
        Ok(())
    }

    fn validate_vocabulary(&self) -> Result<(), EpcisError> {
        check_vocabulary("bizStep", &vocab::BIZ_STEP, self.biz_step.as_deref())?;
        check_vocabulary(
            "disposition",
            &vocab::DISPOSITION,
            self.disposition.as_deref(),
        )?;
        if let Some(pd) = &self.persistent_disposition {
            for value in pd.set.iter().chain(&pd.unset) {
                check_vocabulary("persistentDisposition", &vocab::DISPOSITION, Some(value))?;
            }
        }
        for transaction in &self.biz_transactions {
            if !transaction.kind.is_empty() {
                check_vocabulary(
                    "bizTransaction type",
                    &vocab::BIZ_TRANSACTION_TYPE,
                    Some(&transaction.kind),
                )?;
            }
        }
        if let Some(declaration) = &self.error_declaration {
            check_vocabulary(
                "error reason",
                &vocab::ERROR_REASON,
                declaration.reason.as_deref(),
            )?;
        }
        Ok(())
    }

    fn validate_uris(&self) -> Result<(), EpcisError> {
        let epc_field = match self.kind {
            EventKind::Object => "epcList",
            EventKind::Aggregation => "childEPCs",
        };
        for epc in &self.epcs {
            check_uri(epc_field, epc)?;
        }
        let singles = [
            ("eventID", &self.event_id),
            ("parentID", &self.parent_id),
            ("readPoint", &self.read_point),
            ("bizLocation", &self.biz_location),
        ];
        for (field, value) in singles {
            if let Some(value) = value {
                check_uri(field, value)?;
            }
        }
        for transaction in &self.biz_transactions {
            check_uri("bizTransaction", &transaction.id)?;
        }
        if let Some(declaration) = &self.error_declaration {
            for id in &declaration.corrective_event_ids {
                check_uri("correctiveEventIDs", id)?;
            }
        }
        Ok(())
    }
}

/// A CBV short name of `vocabulary` or an absolute URI.
fn check_vocabulary(
    field: &'static str,
    vocabulary: &Vocabulary,
    value: Option<&str>,
) -> Result<(), EpcisError> {
    match value {
        Some(value) if !vocabulary.is_term(value) && !is_absolute_uri(value) => {
            Err(EpcisError::UnknownVocabulary {
                field,
                value: value.to_owned(),
            })
        }
        _ => Ok(()),
    }
}

fn check_uri(field: &'static str, value: &str) -> Result<(), EpcisError> {
    if is_absolute_uri(value) {
        Ok(())
    } else {
        Err(EpcisError::NotAUri {
            field,
            value: value.to_owned(),
        })
    }
}

/// `scheme:rest` with an RFC 3986 scheme and no whitespace or control characters.
pub(crate) fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !value.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        })
}

/// Prefixes the writers use for themselves.
const RESERVED_PREFIXES: &[&str] = &["epcis", "xsi", "xml", "xmlns", "cbv", "gs1", "cbvmda"];

/// Checks every extension of `events` and that each prefix names one namespace.
pub(crate) fn validate_extensions(events: &[Event]) -> Result<(), EpcisError> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for extension in events.iter().flat_map(|event| &event.extensions) {
        if !is_ncname(&extension.prefix) || RESERVED_PREFIXES.contains(&extension.prefix.as_str()) {
            return Err(EpcisError::InvalidExtensionPrefix(extension.prefix.clone()));
        }
        if !is_ncname(&extension.name) {
            return Err(EpcisError::InvalidExtensionName(extension.name.clone()));
        }
        if extension.namespace_uri.is_empty() {
            return Err(EpcisError::EmptyExtensionNamespace(extension.name.clone()));
        }
        match seen.iter().find(|(prefix, _)| *prefix == extension.prefix) {
            Some((_, uri)) if *uri != extension.namespace_uri => {
                return Err(EpcisError::ConflictingExtensionPrefix {
                    prefix: extension.prefix.clone(),
                    first: (*uri).to_owned(),
                    second: extension.namespace_uri.clone(),
                });
            }
            Some(_) => {}
            None => seen.push((&extension.prefix, &extension.namespace_uri)),
        }
    }
    Ok(())
}

/// The distinct (prefix, namespace) pairs of all extensions, in first-seen order.
pub(crate) fn extension_namespaces(events: &[Event]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for extension in events.iter().flat_map(|event| &event.extensions) {
        if !out.iter().any(|(prefix, _)| *prefix == extension.prefix) {
            out.push((extension.prefix.clone(), extension.namespace_uri.clone()));
        }
    }
    out
}

/// An XML NCName restricted to ASCII (letters, digits, `_`, `-`, `.`; not starting with a digit,
/// `-` or `.`).
fn is_ncname(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_ascii_alphabetic() || first == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in [EventKind::Object, EventKind::Aggregation] {
            assert_eq!(EventKind::from_type_name(kind.type_name()), Ok(kind));
        }
        for action in [Action::Add, Action::Observe, Action::Delete] {
            assert_eq!(Action::parse(action.as_str()), Ok(action));
        }
        assert_eq!(
            EventKind::from_type_name("TransformationEvent"),
            Err(EpcisError::UnsupportedEventType(
                "TransformationEvent".into()
            ))
        );
        assert_eq!(
            Action::parse("add"),
            Err(EpcisError::UnknownAction("add".into()))
        );
    }

    #[test]
    fn validation_rules() {
        let mut event = Event::new(EventKind::Aggregation, Action::Add, 0, "+07:00");
        assert_eq!(event.validate(), Err(EpcisError::MissingParent("ADD")));
        event.parent_id = Some("urn:epc:id:sscc:4012345.0000000001".into());
        assert_eq!(event.validate(), Err(EpcisError::MissingChildren("ADD")));
        event.epcs.push("urn:epc:id:sgtin:4012345.011111.1".into());
        assert_eq!(event.validate(), Ok(()));
        event.persistent_disposition = Some(PersistentDisposition::default());
        assert_eq!(
            event.validate(),
            Err(EpcisError::PersistentDispositionOnAggregation)
        );
        event.persistent_disposition = None;
        event.event_time_zone_offset = "7".into();
        assert_eq!(
            event.validate(),
            Err(EpcisError::InvalidTimeZoneOffset("7".into()))
        );
        event.event_time_zone_offset = "+07:00".into();
        event
            .extensions
            .push(Extension::packbench("reason", "damaged"));
        assert_eq!(event.validate(), Ok(()));
        event.extensions.push(Extension {
            namespace_uri: "https://other.example/".into(),
            prefix: "pb".into(),
            name: "x".into(),
            value: String::new(),
        });
        assert!(matches!(
            event.validate(),
            Err(EpcisError::ConflictingExtensionPrefix { .. })
        ));
        event.extensions.pop();
        event.extensions.push(Extension::packbench("1bad", "x"));
        assert_eq!(
            event.validate(),
            Err(EpcisError::InvalidExtensionName("1bad".into()))
        );
        event.extensions.pop();
        event.extensions.push(Extension {
            prefix: "epcis".into(),
            ..Extension::packbench("x", "y")
        });
        assert_eq!(
            event.validate(),
            Err(EpcisError::InvalidExtensionPrefix("epcis".into()))
        );
    }

    #[test]
    fn vocabulary_and_uri_rules() {
        let mut event = Event::new(EventKind::Object, Action::Delete, 0, "+07:00");
        event.epcs.push("urn:epc:id:sgtin:4012345.011111.1".into());
        event.biz_step = Some("sampling".into());
        event.disposition = Some("end-of-life".into());
        assert_eq!(
            event.validate(),
            Err(EpcisError::UnknownVocabulary {
                field: "disposition",
                value: "end-of-life".into()
            })
        );
        event.disposition = Some("https://ns.example.com/disp/end-of-life".into());
        assert_eq!(event.validate(), Ok(()));
        event.epcs.push("04012345111118".into());
        assert_eq!(
            event.validate(),
            Err(EpcisError::NotAUri {
                field: "epcList",
                value: "04012345111118".into()
            })
        );
        event.epcs.pop();
        event.read_point = Some("urn:epc:id:sgln:4012345.00001.0 ".into());
        assert!(matches!(
            event.validate(),
            Err(EpcisError::NotAUri {
                field: "readPoint",
                ..
            })
        ));
        event.read_point = None;
        event.biz_transactions.push(BizTransaction {
            kind: "workorder".into(),
            id: "urn:x:1".into(),
        });
        assert!(matches!(
            event.validate(),
            Err(EpcisError::UnknownVocabulary { .. })
        ));
        event.biz_transactions[0].kind = "prodorder".into();
        assert_eq!(event.validate(), Ok(()));
    }

    #[test]
    fn aggregation_parent_rules() {
        let mut event = Event::new(EventKind::Aggregation, Action::Delete, 0, "+00:00");
        assert_eq!(event.validate(), Err(EpcisError::MissingParent("DELETE")));
        event.parent_id = Some("urn:epc:id:sscc:4012345.0000000001".into());
        assert_eq!(
            event.validate(),
            Ok(()),
            "DELETE with no children = all children"
        );
        let mut event = Event::new(EventKind::Aggregation, Action::Observe, 0, "+00:00");
        assert_eq!(
            event.validate(),
            Err(EpcisError::MissingChildren("OBSERVE"))
        );
        event.epcs.push("urn:epc:id:sgtin:4012345.011111.1".into());
        assert_eq!(event.validate(), Ok(()), "OBSERVE needs no parent");
    }
}
