//! GS1 Digital Link URIs: parsing (`https://any.domain/stem/01/{gtin}/10/{lot}?17=...`)
//! and building, both ways between URIs and element strings.
//!
//! ```
//! use packbench::gs1::{parse, ParseOptions};
//! let uri = "https://id.gs1.org/01/09506000134352/10/LOT42/21/SN0001?17=271231";
//! let msg = parse(uri, &ParseOptions::default()).unwrap();
//! assert_eq!(msg.hri(), "(01)09506000134352(10)LOT42(21)SN0001(17)271231");
//! assert_eq!(msg.digital_link("https://id.gs1.org").as_deref(), Some(uri));
//! ```

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::ai::{self, AiEntry};
use super::error::Gs1Error;
use super::message::Element;
use super::validate;

/// Characters left as they are in URI path segments and query values: RFC 3986 unreserved.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Parses a Digital Link URI into validated elements: primary key, key qualifiers (path
/// order), then data attributes (query order). Message rules are checked by the caller.
pub fn parse(uri: &str, accept_zero_suppressed_gtin: bool) -> Result<Vec<Element>, Gs1Error> {
    let (scheme, rest) = uri.split_once("://").ok_or_else(|| Gs1Error::BadUri {
        detail: "missing scheme".to_owned(),
    })?;
    if !matches!(scheme, "http" | "https" | "HTTP" | "HTTPS") {
        return Err(Gs1Error::BadScheme {
            scheme: scheme.to_owned(),
        });
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (authority_and_path, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match authority_and_path.find('/') {
        Some(i) => authority_and_path.split_at(i),
        None => (authority_and_path, ""),
    };
    if authority.is_empty() {
        return Err(Gs1Error::BadUri {
            detail: "missing host".to_owned(),
        });
    }
    if path.len() > 1 && path.ends_with('/') {
        return Err(Gs1Error::TrailingSlash);
    }
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (key_index, key_entry) = find_primary_key(&segments, path)?;
    let key_ai = segments[key_index];
    let mut elements = Vec::new();
    let mut key_value = decode(segments[key_index + 1])?;
    if key_ai == "01" && matches!(key_value.len(), 8 | 12 | 13) {
        if !accept_zero_suppressed_gtin {
            return Err(Gs1Error::ZeroSuppressedGtin { found: key_value });
        }
        key_value = format!("{key_value:0>14}");
    }
    elements.push(Element::new(key_ai, key_value));
    let qualifiers: Vec<&str> = segments[key_index + 2..]
        .iter()
        .step_by(2)
        .copied()
        .collect();
    check_qualifiers(key_ai, key_entry, &qualifiers)?;
    for pair in segments[key_index + 2..].chunks(2) {
        if let [q, v] = pair {
            if elements.iter().any(|e| e.ai == *q) {
                return Err(Gs1Error::DuplicateAi {
                    ai: (*q).to_owned(),
                });
            }
            elements.push(Element::new(*q, decode(v)?));
        }
    }
    for param in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
            continue; // not an AI: other query parameters are ignored
        }
        let entry = ai::lookup(name).ok_or_else(|| Gs1Error::UnknownAi {
            ai: name.to_owned(),
            position: 0,
        })?;
        if elements.iter().any(|e| e.ai == name) {
            return Err(Gs1Error::DuplicateAi {
                ai: name.to_owned(),
            });
        }
        if key_entry.has_dl_qualifier(name) {
            return Err(Gs1Error::QualifierAsAttribute {
                key: key_ai.to_owned(),
                ai: name.to_owned(),
            });
        }
        if !entry.dl_data_attribute {
            return Err(Gs1Error::NotDlAttribute {
                ai: name.to_owned(),
            });
        }
        elements.push(Element::new(name, decode_query(value)?));
    }
    for e in &elements {
        let entry = ai::lookup(&e.ai).ok_or_else(|| Gs1Error::UnknownAi {
            ai: e.ai.clone(),
            position: 0,
        })?;
        validate::validate_value(entry, &e.ai, &e.value)?;
    }
    Ok(elements)
}

/// Pairs path segments from the end until the primary key; returns its segment index.
fn find_primary_key(segments: &[&str], path: &str) -> Result<(usize, &'static AiEntry), Gs1Error> {
    let mut end = segments.len();
    while end >= 2 {
        let candidate = segments[end - 2];
        let numeric = candidate.len() >= 2 && candidate.bytes().all(|b| b.is_ascii_digit());
        match ai::lookup(candidate) {
            Some(entry) if entry.dl_primary_key.is_some() => return Ok((end - 2, entry)),
            Some(_) => end -= 2,
            None if numeric && candidate.len() <= 4 && end == segments.len() => {
                return Err(Gs1Error::UnknownAi {
                    ai: candidate.to_owned(),
                    position: 0,
                });
            }
            None => break,
        }
    }
    Err(Gs1Error::NoPrimaryKey {
        path: path.to_owned(),
    })
}

fn check_qualifiers(key: &str, entry: &AiEntry, qualifiers: &[&str]) -> Result<(), Gs1Error> {
    let Some(&first) = qualifiers.first() else {
        return Ok(());
    };
    let sequences = entry.dl_primary_key.unwrap_or(&[]);
    if sequences.is_empty() {
        return Err(Gs1Error::NoQualifierAllowed {
            key: key.to_owned(),
            qualifier: first.to_owned(),
        });
    }
    if let Some(q) = qualifiers.iter().find(|q| !entry.has_dl_qualifier(q)) {
        return Err(Gs1Error::InvalidQualifier {
            key: key.to_owned(),
            qualifier: (*q).to_owned(),
        });
    }
    let found = qualifiers.join(",");
    let alternatives = sequences
        .iter()
        .map(|s| s.join(","))
        .collect::<Vec<_>>()
        .join(" | ");
    let positions = |seq: &[&str]| -> Option<Vec<usize>> {
        qualifiers
            .iter()
            .map(|q| seq.iter().position(|s| s == q))
            .collect()
    };
    let mut contained = false;
    for seq in sequences {
        if let Some(pos) = positions(seq) {
            contained = true;
            if pos.windows(2).all(|w| w[0] < w[1]) {
                return Ok(());
            }
        }
    }
    if contained {
        Err(Gs1Error::QualifierOrder {
            key: key.to_owned(),
            found,
            expected: alternatives,
        })
    } else {
        Err(Gs1Error::QualifierMix {
            key: key.to_owned(),
            found,
            expected: alternatives,
        })
    }
}

/// A query value: `application/x-www-form-urlencoded`, so `+` stands for a space (and `%2B`
/// for a plus), then strict percent decoding. Path segments keep `+` literal ([`decode`]).
fn decode_query(value: &str) -> Result<String, Gs1Error> {
    decode_with(value, true)
}

/// A path segment: strict percent decoding, `+` is a plus.
fn decode(segment: &str) -> Result<String, Gs1Error> {
    decode_with(segment, false)
}

/// Strict percent decoding: every `%` must start a two-hex-digit escape, and the result
/// must be UTF-8; with `plus_is_space`, a `+` is a space. Errors name the text as written.
fn decode_with(segment: &str, plus_is_space: bool) -> Result<String, Gs1Error> {
    let bytes = segment.as_bytes();
    let bad = || Gs1Error::BadPercentEscape {
        found: segment.to_owned(),
    };
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
        {
            return Err(bad());
        }
    }
    let spaced;
    let text = if plus_is_space && segment.contains('+') {
        spaced = segment.replace('+', "%20");
        spaced.as_str()
    } else {
        segment
    };
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad())
}

/// Builds the Digital Link URI of `elements` on `base`; `None` without a primary key or
/// when an element can be neither a key qualifier nor a data attribute.
pub fn build(elements: &[Element], base: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    let (key_index, key_entry) = elements
        .iter()
        .enumerate()
        .find_map(|(i, e)| Some((i, ai::lookup(&e.ai).filter(|x| x.dl_primary_key.is_some())?)))?;
    let key = &elements[key_index];
    let sequences = key_entry.dl_primary_key.unwrap_or(&[]);
    let best = sequences
        .iter()
        .max_by_key(|seq| {
            let present = seq
                .iter()
                .filter(|q| elements.iter().any(|e| e.ai == **q))
                .count();
            // Prefer the earlier sequence on a tie.
            (
                present,
                usize::MAX - sequences.iter().position(|s| s == *seq).unwrap_or(0),
            )
        })
        .copied()
        .unwrap_or(&[]);
    let mut used: Vec<&Element> = vec![key];
    let mut uri = format!(
        "{base}/{}/{}",
        key.ai,
        utf8_percent_encode(&key.value, ENCODE)
    );
    for q in best {
        if let Some(e) = elements.iter().find(|e| e.ai == *q) {
            uri.push_str(&format!(
                "/{}/{}",
                e.ai,
                utf8_percent_encode(&e.value, ENCODE)
            ));
            used.push(e);
        }
    }
    let mut separator = '?';
    for e in elements {
        if used.contains(&e) {
            continue;
        }
        let entry = ai::lookup(&e.ai)?;
        if !entry.dl_data_attribute || key_entry.has_dl_qualifier(&e.ai) {
            return None;
        }
        uri.push(separator);
        separator = '&';
        uri.push_str(&format!(
            "{}={}",
            e.ai,
            utf8_percent_encode(&e.value, ENCODE)
        ));
        used.push(e);
    }
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(uri: &str) -> &'static str {
        parse(uri, false).map_or_else(|e| e.code(), |_| "OK")
    }

    #[test]
    fn errors() {
        assert_eq!(
            code("https://a.b/01/09506000134352/21/S/10/L"),
            "QUALIFIER_ORDER"
        );
        assert_eq!(
            code("https://a.b/01/09506000134352/10/L/235/T"),
            "QUALIFIER_MIX"
        );
        assert_eq!(
            code("https://a.b/00/106141412345678908/21/X"),
            "NO_QUALIFIER_ALLOWED"
        );
        assert_eq!(
            code("https://a.b/01/09506000134352/254/X"),
            "INVALID_QUALIFIER"
        );
        assert_eq!(code("https://a.b/01/09506000134352/"), "TRAILING_SLASH");
        assert_eq!(code("https://a.b/some/path"), "NO_PRIMARY_KEY");
        assert_eq!(
            code("https://a.b/01/09506000134352?21=X"),
            "QUALIFIER_AS_ATTRIBUTE"
        );
        assert_eq!(
            code("https://a.b/00/106141412345678908?8200=X"),
            "NOT_DL_ATTRIBUTE"
        );
        assert_eq!(code("https://a.b/01/0950600013435%2"), "BAD_PERCENT_ESCAPE");
        assert_eq!(code("ftp://a.b/01/09506000134352"), "BAD_SCHEME");
        assert_eq!(code("https://a.b/01/09506000134352/89/X"), "UNKNOWN_AI");
    }

    #[test]
    fn a_plus_in_the_query_is_a_space_and_cset82_refuses_it() {
        // application/x-www-form-urlencoded: `+` is a space, `%2B` a plus.
        let err = parse("https://a.b/01/09506000134352?240=AB+C", false).unwrap_err();
        assert_eq!(err.code(), "CSET82");
        assert_eq!(
            err.to_string(),
            "AI (240): character ' ' at position 2 is not in CSET 82"
        );
        let els = parse("https://a.b/01/09506000134352?240=AB%2BC", false).unwrap();
        assert_eq!(els[1], Element::new("240", "AB+C"));
        // A numeric AI: the space is not a digit.
        assert_ne!(
            code("https://a.b/01/09506000134352?17=27+231"),
            "OK",
            "a space in a date"
        );
        // A bad escape is named as written, plus signs and all.
        let err = parse("https://a.b/01/09506000134352?240=A+%2", false).unwrap_err();
        assert_eq!(err.code(), "BAD_PERCENT_ESCAPE");
        assert!(err.to_string().contains("A+%2"), "{err}");
    }

    #[test]
    fn a_plus_in_a_path_segment_stays_a_plus() {
        let els = parse("https://a.b/01/09506000134352/10/AB+C/21/S+1", false).unwrap();
        assert_eq!(els[1], Element::new("10", "AB+C"));
        assert_eq!(els[2], Element::new("21", "S+1"));
        // And both ways: a plus is written %2B, so it comes back a plus in a query too.
        let built = build(
            &[
                Element::new("01", "09506000134352"),
                Element::new("240", "X+Y"),
            ],
            "https://a.b",
        )
        .unwrap();
        assert_eq!(built, "https://a.b/01/09506000134352?240=X%2BY");
        assert_eq!(parse(&built, false).unwrap()[1], Element::new("240", "X+Y"));
    }

    #[test]
    fn zero_suppressed_gtin_is_padded_when_allowed() {
        let els = parse("https://a.b/01/9506000134352", true).unwrap();
        assert_eq!(els[0].value, "09506000134352");
    }

    #[test]
    fn build_picks_qualifiers_and_attributes() {
        let els = vec![
            Element::new("01", "09506000134352"),
            Element::new("17", "271231"),
            Element::new("10", "LOT/42"),
            Element::new("21", "SN 1"),
        ];
        assert_eq!(
            build(&els, "https://id.gs1.org/").as_deref(),
            Some("https://id.gs1.org/01/09506000134352/10/LOT%2F42/21/SN%201?17=271231")
        );
        assert_eq!(build(&[Element::new("10", "X")], "https://a.b"), None);
    }
}
