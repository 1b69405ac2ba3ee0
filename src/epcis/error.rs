//! Errors of the EPCIS module: reading documents and checking events.

/// What can go wrong reading an EPCIS document or checking an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpcisError {
    /// The JSON text does not parse.
    #[error("EPCIS JSON does not parse: {0}")]
    Json(String),
    /// The XML text does not parse.
    #[error("EPCIS XML does not parse: {0}")]
    Xml(String),
    /// The document has no event list where EPCIS puts one.
    #[error("EPCIS document has no event list")]
    NoEventList,
    /// An event has a type this module does not model (only ObjectEvent and AggregationEvent).
    #[error("unsupported EPCIS event type `{0}`")]
    UnsupportedEventType(String),
    /// A required field is missing from an event.
    #[error("EPCIS event lacks `{0}`")]
    MissingField(&'static str),
    /// A field has the wrong JSON type or an unusable value.
    #[error("EPCIS field `{field}` has an invalid value `{value}`")]
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// The offending value, as text.
        value: String,
    },
    /// An action other than ADD, OBSERVE or DELETE.
    #[error("unknown EPCIS action `{0}`")]
    UnknownAction(String),
    /// A timestamp that is not RFC 3339 (`2024-05-01T10:00:00.000+07:00`).
    #[error("invalid EPCIS timestamp `{0}`")]
    InvalidTimestamp(String),
    /// A time zone offset that is not `+HH:MM` / `-HH:MM`.
    #[error("invalid time zone offset `{0}` (expected +HH:MM or -HH:MM)")]
    InvalidTimeZoneOffset(String),
    /// An event time outside the range RFC 3339 can express.
    #[error("event time {0} ms is out of range")]
    TimeOutOfRange(i64),
    /// An extension prefix that is not an XML name or clashes with a reserved prefix.
    #[error("invalid extension prefix `{0}`")]
    InvalidExtensionPrefix(String),
    /// An extension name that is not an XML name.
    #[error("invalid extension name `{0}`")]
    InvalidExtensionName(String),
    /// The same prefix is bound to two different namespaces.
    #[error("extension prefix `{prefix}` is bound to both `{first}` and `{second}`")]
    ConflictingExtensionPrefix {
        /// The prefix.
        prefix: String,
        /// The namespace seen first.
        first: String,
        /// The other namespace.
        second: String,
    },
    /// An extension value that names no namespace URI.
    #[error("extension `{0}` has an empty namespace URI")]
    EmptyExtensionNamespace(String),
    /// A vocabulary field holding neither a CBV short name nor a URI.
    #[error("`{value}` is not a CBV {field} nor a URI")]
    UnknownVocabulary {
        /// The field, e.g. `bizStep`.
        field: &'static str,
        /// The offending value.
        value: String,
    },
    /// An identifier field that is not an absolute URI (`urn:epc:id:...`, `https://...`).
    #[error("`{value}` in {field} is not an absolute URI")]
    NotAUri {
        /// The field, e.g. `epcList`.
        field: &'static str,
        /// The offending value.
        value: String,
    },
    /// An AggregationEvent ADD or OBSERVE without children (only DELETE may have an empty
    /// childEPCs, meaning "all children").
    #[error("AggregationEvent {0} needs at least one child EPC")]
    MissingChildren(&'static str),
    /// persistentDisposition on an AggregationEvent: the EPCIS 2.0 JSON Schema does not allow it
    /// there (the station sets it on ObjectEvents).
    #[error("AggregationEvent cannot carry persistentDisposition")]
    PersistentDispositionOnAggregation,
    /// An AggregationEvent ADD or DELETE without parentID.
    #[error("AggregationEvent {0} needs a parentID")]
    MissingParent(&'static str),
}
