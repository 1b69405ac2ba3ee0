//! Typed errors of the GS1 core: one variant per rule, each naming the AI, the position
//! and what was expected versus found. [`Gs1Error::code`] gives a stable machine code.

use thiserror::Error;

/// Everything that can be wrong with GS1 data, keys and URIs.
///
/// Positions (`position`) are 0-based character offsets: within the AI's value for value
/// errors, within the (normalised) input for syntax errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Gs1Error {
    /// The input was empty (after removing a symbology identifier and line endings).
    #[error("empty input: no data to parse")]
    EmptyInput,
    /// The data is not GS1 data (no element string, no bracketed form, no Digital Link URI).
    #[error("not GS1 data: {reason}")]
    NotGs1 {
        /// Why the data is not GS1 data.
        reason: String,
    },
    /// Malformed element string or bracketed form.
    #[error("bad syntax at position {position}: {detail}")]
    BadSyntax {
        /// Offset in the input.
        position: usize,
        /// What is wrong.
        detail: String,
    },
    /// The AI is not assigned in the GS1 General Specifications.
    #[error("unknown AI ({ai}) at position {position}")]
    UnknownAi {
        /// The unknown AI (or the characters where an AI was expected).
        ai: String,
        /// Offset in the input.
        position: usize,
    },
    /// The AI has no value.
    #[error("AI ({ai}) has no value")]
    EmptyValue {
        /// The AI.
        ai: String,
    },
    /// The value is shorter than the AI's format allows.
    #[error("AI ({ai}): value too short, expected at least {expected} characters, found {found}")]
    TooShort {
        /// The AI.
        ai: String,
        /// Minimum length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// The value is longer than the AI's format allows.
    #[error("AI ({ai}): value too long, expected at most {expected} characters, found {found}")]
    TooLong {
        /// The AI.
        ai: String,
        /// Maximum length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// A non-digit character in a numeric component.
    #[error("AI ({ai}): expected a digit at position {position}, found {found:?}")]
    NonDigit {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// A character outside GS1 character set 82.
    #[error("AI ({ai}): character {found:?} at position {position} is not in CSET 82")]
    Cset82 {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// A character outside GS1 character set 39.
    #[error("AI ({ai}): character {found:?} at position {position} is not in CSET 39")]
    Cset39 {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// A character outside GS1 character set 64 (or bad `=` padding).
    #[error("AI ({ai}): character {found:?} at position {position} is not valid CSET 64")]
    Cset64 {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// Wrong mod-10 check digit.
    #[error(
        "AI ({ai}): check digit at position {position} should be {expected:?}, found {found:?}"
    )]
    CheckDigit {
        /// The AI (or key name, e.g. `GTIN`).
        ai: String,
        /// Offset of the check digit in the value.
        position: usize,
        /// The correct check digit.
        expected: char,
        /// The check digit in the data.
        found: char,
    },
    /// Wrong check character pair (AIs 8013, 8014).
    #[error(
        "AI ({ai}): check character pair at position {position} should be {expected:?}, found {found:?}"
    )]
    CheckPair {
        /// The AI.
        ai: String,
        /// Offset of the pair in the value.
        position: usize,
        /// The correct pair.
        expected: String,
        /// The pair in the data.
        found: String,
    },
    /// An impossible date (month 13, 30 February, day 00 where not allowed, ...).
    #[error("AI ({ai}): invalid date {found:?} at position {position} ({detail})")]
    BadDate {
        /// The AI.
        ai: String,
        /// Offset of the date in the value.
        position: usize,
        /// The date as found.
        found: String,
        /// Which part is wrong.
        detail: &'static str,
    },
    /// An impossible time (hour 24, minute 60, ...).
    #[error("AI ({ai}): invalid time {found:?} at position {position} ({detail})")]
    BadTime {
        /// The AI.
        ai: String,
        /// Offset of the time in the value.
        position: usize,
        /// The time as found.
        found: String,
        /// Which part is wrong.
        detail: &'static str,
    },
    /// Not an ISO 3166 country code.
    #[error("AI ({ai}): {found:?} at position {position} is not an ISO 3166 country code")]
    NotIso3166 {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The code as found.
        found: String,
    },
    /// Not an ISO 4217 currency code.
    #[error("AI ({ai}): {found:?} at position {position} is not an ISO 4217 currency code")]
    NotIso4217 {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The code as found.
        found: String,
    },
    /// Not a valid IBAN.
    #[error("AI ({ai}): invalid IBAN {found:?}: {detail}")]
    BadIban {
        /// The AI.
        ai: String,
        /// The IBAN as found.
        found: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// Not a valid coupon code (AIs 8110, 8112).
    #[error("AI ({ai}): invalid coupon code at position {position}: {detail}")]
    BadCoupon {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// A value not in the code list the AI requires (package type, media type, ...).
    #[error("AI ({ai}): {found:?} at position {position} is not a valid {list}")]
    NotInCodeList {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The value as found.
        found: String,
        /// The code list (e.g. `package type`).
        list: &'static str,
    },
    /// A value that breaks one of the other content rules of the AI.
    #[error("AI ({ai}): {found:?} at position {position}: {detail}")]
    BadValue {
        /// The AI.
        ai: String,
        /// Offset in the value.
        position: usize,
        /// The component as found.
        found: String,
        /// The rule that failed.
        detail: &'static str,
    },
    /// The same AI occurs twice with different values.
    #[error("AI ({ai}) occurs twice with different values: {first:?} and {second:?}")]
    DuplicateConflict {
        /// The AI.
        ai: String,
        /// First value.
        first: String,
        /// Second value.
        second: String,
    },
    /// Two AIs that must not appear together.
    #[error("AI ({ai}) must not appear together with AI ({other})")]
    Exclusive {
        /// The AI whose rule is broken.
        ai: String,
        /// The AI it excludes.
        other: String,
    },
    /// An AI lacks the AIs it requires.
    #[error("AI ({ai}) requires {required}")]
    MissingRequired {
        /// The AI whose rule is broken.
        ai: String,
        /// The requirement, e.g. `(01) or (03) or (8006)`.
        required: String,
    },
    /// Digital Link: the URI scheme is not `http`/`https` in one case.
    #[error("Digital Link: bad URI scheme {scheme:?} (expected http or https)")]
    BadScheme {
        /// The scheme as found.
        scheme: String,
    },
    /// Digital Link: malformed URI.
    #[error("Digital Link: malformed URI: {detail}")]
    BadUri {
        /// What is wrong.
        detail: String,
    },
    /// Digital Link: the path ends with `/`.
    #[error("Digital Link: the path must not end with '/'")]
    TrailingSlash,
    /// Digital Link: no primary key (e.g. `/01/...`) in the path.
    #[error("Digital Link: no GS1 primary key found in the path {path:?}")]
    NoPrimaryKey {
        /// The path.
        path: String,
    },
    /// Digital Link: key qualifiers in the wrong order.
    #[error(
        "Digital Link: qualifiers {found} of key ({key}) are out of order (expected order {expected})"
    )]
    QualifierOrder {
        /// The primary key AI.
        key: String,
        /// The qualifiers as found.
        found: String,
        /// The required order.
        expected: String,
    },
    /// Digital Link: qualifiers from different alternative sequences.
    #[error(
        "Digital Link: qualifiers {found} of key ({key}) mix alternative sequences ({expected})"
    )]
    QualifierMix {
        /// The primary key AI.
        key: String,
        /// The qualifiers as found.
        found: String,
        /// The alternatives.
        expected: String,
    },
    /// Digital Link: the key takes no qualifiers.
    #[error("Digital Link: key ({key}) takes no qualifiers, found ({qualifier})")]
    NoQualifierAllowed {
        /// The primary key AI.
        key: String,
        /// The qualifier found.
        qualifier: String,
    },
    /// Digital Link: an AI in the path that is not a qualifier of the key.
    #[error("Digital Link: ({qualifier}) is not a qualifier of key ({key})")]
    InvalidQualifier {
        /// The primary key AI.
        key: String,
        /// The AI found in the path.
        qualifier: String,
    },
    /// Digital Link: a key qualifier given as a query attribute.
    #[error("Digital Link: ({ai}) is a qualifier of key ({key}) and must be in the path")]
    QualifierAsAttribute {
        /// The primary key AI.
        key: String,
        /// The qualifier given in the query.
        ai: String,
    },
    /// Digital Link: an AI that may not be a data attribute.
    #[error("Digital Link: AI ({ai}) is not allowed as a data attribute")]
    NotDlAttribute {
        /// The AI.
        ai: String,
    },
    /// Digital Link: the same AI twice (path and query, or twice in the query).
    #[error("Digital Link: AI ({ai}) occurs more than once")]
    DuplicateAi {
        /// The AI.
        ai: String,
    },
    /// Digital Link: a GTIN with leading zeros removed (8, 12 or 13 digits).
    #[error("Digital Link: GTIN {found:?} must have 14 digits (zero-suppressed GTIN)")]
    ZeroSuppressedGtin {
        /// The GTIN as found.
        found: String,
    },
    /// Digital Link: a bad percent escape.
    #[error("Digital Link: bad percent escape in {found:?}")]
    BadPercentEscape {
        /// The segment as found.
        found: String,
    },
    /// A key (GTIN, SSCC, GLN) of the wrong length.
    #[error("{key}: expected {expected} digits, found {found}")]
    BadKeyLength {
        /// Key name.
        key: &'static str,
        /// Allowed lengths, e.g. `8, 12, 13 or 14`.
        expected: &'static str,
        /// Actual length.
        found: usize,
    },
    /// A GS1 Company Prefix length outside 6..=12 (or too long for the key).
    #[error("{key}: company prefix length {found} is not valid (expected 6 to 12)")]
    BadCompanyPrefixLength {
        /// Key name.
        key: &'static str,
        /// The length given.
        found: usize,
    },
    /// A serial reference that does not fit the SSCC.
    #[error("SSCC: serial reference {found} needs more than {digits} digits")]
    SerialReferenceTooLarge {
        /// The serial reference given.
        found: u64,
        /// Digits available.
        digits: usize,
    },
    /// A malformed EPC pure identity URI.
    #[error("EPC URI {uri:?}: {detail}")]
    BadEpcUri {
        /// The URI.
        uri: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// Text that is not a unit key (`(00)<SSCC>` or `(01)<GTIN>(21)<serial>`).
    #[error("unit key {key:?}: {detail}")]
    BadUnitKey {
        /// The text given.
        key: String,
        /// What is wrong.
        detail: &'static str,
    },
}

impl Gs1Error {
    /// Stable machine code, e.g. `"CHECK_DIGIT"`; the reason codes of the test data.
    pub fn code(&self) -> &'static str {
        match self {
            Gs1Error::EmptyInput => "EMPTY_INPUT",
            Gs1Error::NotGs1 { .. } => "NOT_GS1",
            Gs1Error::BadSyntax { .. } => "BAD_SYNTAX",
            Gs1Error::UnknownAi { .. } => "UNKNOWN_AI",
            Gs1Error::EmptyValue { .. } => "EMPTY_VALUE",
            Gs1Error::TooShort { .. } => "TOO_SHORT",
            Gs1Error::TooLong { .. } => "TOO_LONG",
            Gs1Error::NonDigit { .. } => "NON_DIGIT",
            Gs1Error::Cset82 { .. } => "CSET82",
            Gs1Error::Cset39 { .. } => "CSET39",
            Gs1Error::Cset64 { .. } => "CSET64",
            Gs1Error::CheckDigit { .. } => "CHECK_DIGIT",
            Gs1Error::CheckPair { .. } => "CHECK_PAIR",
            Gs1Error::BadDate { .. } => "BAD_DATE",
            Gs1Error::BadTime { .. } => "BAD_TIME",
            Gs1Error::NotIso3166 { .. } => "NOT_ISO3166",
            Gs1Error::NotIso4217 { .. } => "NOT_ISO4217",
            Gs1Error::BadIban { .. } => "BAD_IBAN",
            Gs1Error::BadCoupon { .. } => "BAD_COUPON",
            Gs1Error::NotInCodeList { .. } => "NOT_IN_CODE_LIST",
            Gs1Error::BadValue { .. } => "BAD_VALUE",
            Gs1Error::DuplicateConflict { .. } => "DUP_AI_CONFLICT",
            Gs1Error::Exclusive { .. } => "EXCLUSIVE",
            Gs1Error::MissingRequired { .. } => "MISSING_REQ",
            Gs1Error::BadScheme { .. } => "BAD_SCHEME",
            Gs1Error::BadUri { .. } => "BAD_URI",
            Gs1Error::TrailingSlash => "TRAILING_SLASH",
            Gs1Error::NoPrimaryKey { .. } => "NO_PRIMARY_KEY",
            Gs1Error::QualifierOrder { .. } => "QUALIFIER_ORDER",
            Gs1Error::QualifierMix { .. } => "QUALIFIER_MIX",
            Gs1Error::NoQualifierAllowed { .. } => "NO_QUALIFIER_ALLOWED",
            Gs1Error::InvalidQualifier { .. } => "INVALID_QUALIFIER",
            Gs1Error::QualifierAsAttribute { .. } => "QUALIFIER_AS_ATTRIBUTE",
            Gs1Error::NotDlAttribute { .. } => "NOT_DL_ATTRIBUTE",
            Gs1Error::DuplicateAi { .. } => "DUP_AI",
            Gs1Error::ZeroSuppressedGtin { .. } => "ZERO_SUPPRESSED_GTIN",
            Gs1Error::BadPercentEscape { .. } => "BAD_PERCENT_ESCAPE",
            Gs1Error::BadKeyLength { .. } => "BAD_KEY_LENGTH",
            Gs1Error::BadCompanyPrefixLength { .. } => "BAD_GCP_LENGTH",
            Gs1Error::SerialReferenceTooLarge { .. } => "SERIAL_REFERENCE_TOO_LARGE",
            Gs1Error::BadEpcUri { .. } => "BAD_EPC_URI",
            Gs1Error::BadUnitKey { .. } => "BAD_UNIT_KEY",
        }
    }

    /// The AI the error is about, when there is one.
    pub fn ai(&self) -> Option<&str> {
        match self {
            Gs1Error::UnknownAi { ai, .. }
            | Gs1Error::EmptyValue { ai }
            | Gs1Error::TooShort { ai, .. }
            | Gs1Error::TooLong { ai, .. }
            | Gs1Error::NonDigit { ai, .. }
            | Gs1Error::Cset82 { ai, .. }
            | Gs1Error::Cset39 { ai, .. }
            | Gs1Error::Cset64 { ai, .. }
            | Gs1Error::CheckDigit { ai, .. }
            | Gs1Error::CheckPair { ai, .. }
            | Gs1Error::BadDate { ai, .. }
            | Gs1Error::BadTime { ai, .. }
            | Gs1Error::NotIso3166 { ai, .. }
            | Gs1Error::NotIso4217 { ai, .. }
            | Gs1Error::BadIban { ai, .. }
            | Gs1Error::BadCoupon { ai, .. }
            | Gs1Error::NotInCodeList { ai, .. }
            | Gs1Error::BadValue { ai, .. }
            | Gs1Error::DuplicateConflict { ai, .. }
            | Gs1Error::Exclusive { ai, .. }
            | Gs1Error::MissingRequired { ai, .. }
            | Gs1Error::QualifierAsAttribute { ai, .. }
            | Gs1Error::NotDlAttribute { ai }
            | Gs1Error::DuplicateAi { ai } => Some(ai),
            Gs1Error::QualifierOrder { key, .. }
            | Gs1Error::QualifierMix { key, .. }
            | Gs1Error::NoQualifierAllowed { key, .. }
            | Gs1Error::InvalidQualifier { key, .. } => Some(key),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_ai_position_expected_and_found() {
        let e = Gs1Error::CheckDigit {
            ai: "01".into(),
            position: 13,
            expected: '2',
            found: '3',
        };
        assert_eq!(e.code(), "CHECK_DIGIT");
        assert_eq!(
            e.to_string(),
            "AI (01): check digit at position 13 should be '2', found '3'"
        );
        assert_eq!(e.ai(), Some("01"));
    }
}
