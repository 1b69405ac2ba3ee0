//! Canonical GS1 Digital Link form of GS1 identifiers, as the CBV 2.0 event hash algorithm wants
//! them: EPC URIs (`urn:epc:id:sgtin:...`), EPC class URIs (`urn:epc:class:lgtin:...`), EPC ID
//! pattern URIs (`urn:epc:idpat:sgtin:...:*`) and GS1 Digital Link URIs on any host all become
//! `https://id.gs1.org/<AI>/<key>...`, at the finest identification level, without query string.
//! EPC URIs are read by [`crate::gs1::epc_uri`], the one EPC URI parser.
//!
//! ```
//! use packbench::epcis::canonical_gs1_uri;
//! assert_eq!(
//!     canonical_gs1_uri("urn:epc:id:sscc:4012345.0000000333").as_deref(),
//!     Some("https://id.gs1.org/00/040123450000003338")
//! );
//! assert_eq!(
//!     canonical_gs1_uri("urn:epc:id:sgtin:4012345.011111.9876").as_deref(),
//!     Some("https://id.gs1.org/01/04012345111118/21/9876")
//! );
//! assert_eq!(canonical_gs1_uri("urn:uuid:1234"), None);
//! ```

use crate::gs1::epc_uri::EpcUri;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

const CANONICAL_HOST: &str = "https://id.gs1.org";

/// The canonical GS1 Digital Link URI of a GS1 identifier URI, or `None` when `uri` is not one.
pub fn canonical_gs1_uri(uri: &str) -> Option<String> {
    if !uri.contains('.') {
        return None;
    }
    if uri.starts_with("urn:epc:") {
        return uri.parse::<EpcUri>().ok().map(|epc| epc_digital_link(&epc));
    }
    if uri.starts_with("http://") || uri.starts_with("https://") {
        return digital_link(uri);
    }
    None
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Characters a value keeps in a canonical Digital Link path segment (as the CBV 2.0 reference
/// implementation writes them): letters, digits and `'-.;=_`; any other is `%XX`.
const DL_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'\'')
    .remove(b'-')
    .remove(b'.')
    .remove(b';')
    .remove(b'=')
    .remove(b'_');

/// `https://id.gs1.org/<AI>/<value>/...` of the element strings an EPC URI stands for.
fn epc_digital_link(epc: &EpcUri) -> String {
    let length: usize = epc
        .elements
        .iter()
        .map(|e| e.ai.len() + e.value.len() + 2)
        .sum();
    let mut uri = String::with_capacity(CANONICAL_HOST.len() + length + 8);
    uri.push_str(CANONICAL_HOST);
    for element in &epc.elements {
        uri.push('/');
        uri.push_str(&element.ai);
        uri.push('/');
        uri.extend(utf8_percent_encode(&element.value, DL_VALUE));
    }
    uri
}

/// Primary keys (AI and short name) a GS1 Digital Link URI may start its path with.
const DL_KEYS: &[(&str, &str)] = &[
    ("01", "gtin"),
    ("8006", "itip"),
    ("8010", "cpid"),
    ("414", "gln"),
    ("417", "party"),
    ("8017", "gsrnp"),
    ("8018", "gsrn"),
    ("255", "gcn"),
    ("00", "sscc"),
    ("253", "gdti"),
    ("401", "ginc"),
    ("402", "gsin"),
    ("8003", "grai"),
    ("8004", "giai"),
];

/// Order in which a non-canonical host is replaced (the first AI segment found wins).
const REHOST_ORDER: &[&str] = &[
    "00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8017",
    "8018",
];

/// Short names of qualifiers and their AIs.
const DL_QUALIFIERS: &[(&str, &str)] = &[("cpv", "22"), ("lot", "10"), ("ser", "21")];

/// Characters allowed in a canonical DL value (GS1 AI encodable character set 82 minus the
/// characters that need percent-encoding; `%` itself is not accepted).
fn dl_chars(text: &str, max: usize) -> bool {
    text.len() <= max
        && text.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'"' | b'\'' | b'-' | b'.' | b';' | b'<' | b'=' | b'>' | b'?' | b'_'
                )
        })
}

fn digits_exact(text: &str, len: usize) -> bool {
    text.len() == len && all_digits(text)
}

fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// Whether the path (after the scheme and host) holds `/<key>/dddd<more>` before any `?`/`#`.
pub(crate) fn looks_like_digital_link(uri: &str) -> bool {
    let head = uri.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = head.split('/').collect();
    segments.windows(2).skip(1).any(|pair| {
        DL_KEYS
            .iter()
            .any(|(ai, name)| pair[0] == *ai || pair[0] == *name)
            && leading_digits(pair[1]) >= 4
            && pair[1].len() > 4
    })
}

fn digital_link(uri: &str) -> Option<String> {
    if !looks_like_digital_link(uri) {
        return None;
    }
    let mut uri = uri.split('?').next().unwrap_or_default().to_owned();
    for (ai, name) in DL_KEYS
        .iter()
        .map(|(ai, name)| (*ai, *name))
        .chain(DL_QUALIFIERS.iter().map(|(name, ai)| (*ai, *name)))
    {
        uri = uri.replace(&format!("/{name}/"), &format!("/{ai}/"));
    }
    let canonical_prefix = format!("{CANONICAL_HOST}/");
    let is_canonical = uri.strip_prefix(&canonical_prefix).is_some_and(|path| {
        DL_KEYS.iter().any(|(ai, _)| {
            path.strip_prefix(ai)
                .and_then(|p| p.strip_prefix('/'))
                .is_some_and(|value| {
                    let segment = value.split('/').next().unwrap_or_default();
                    leading_digits(segment) >= 4 && segment.len() > 4
                })
        })
    });
    if !is_canonical {
        let at = REHOST_ORDER
            .iter()
            .find_map(|ai| uri.find(&format!("/{ai}/")))?;
        uri = format!("{CANONICAL_HOST}{}", &uri[at..]);
    }
    let path = uri.strip_prefix(&canonical_prefix)?.to_owned();
    let mut segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    // GTIN-8/12/13 → GTIN-14.
    if segments.first().map(String::as_str) == Some("01")
        && let Some(key) = segments.get_mut(1)
    {
        let pad = match leading_digits(key) {
            13 => 1,
            12 => 2,
            8..=11 => 6,
            _ => 0,
        };
        key.insert_str(0, &"0".repeat(pad));
    }
    // Drop a consumer product variant (AI 22) and a lot when a serial follows it.
    if matches!(segments.first().map(String::as_str), Some("01" | "8006")) {
        if segments.len() >= 4 && segments[2] == "22" {
            let rest_len: usize =
                segments[3..].iter().map(String::len).sum::<usize>() + segments.len() - 4;
            if rest_len <= 20 && segments[3..].iter().all(|s| dl_chars(s, 20)) {
                segments.drain(2..4);
            }
        }
        if segments.len() == 6
            && segments[2] == "10"
            && segments[4] == "21"
            && dl_chars(&segments[3], 20)
            && dl_chars(&segments[5], 20)
        {
            segments.drain(2..4);
        }
    }
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let valid = match s.as_slice() {
        ["00", key] => digits_exact(key, 18),
        ["01", key] => digits_exact(key, 14),
        ["01", key, "21" | "10", value] => digits_exact(key, 14) && dl_chars(value, 20),
        ["01", key, "235", value] => digits_exact(key, 14) && dl_chars(value, 28),
        ["253", key] => key_with_tail(key, 13, 17),
        ["255", key] => (13..=25).contains(&key.len()) && all_digits(key),
        ["401", key] | ["8004", key] => dl_chars(key, 30),
        ["402", key] => digits_exact(key, 17),
        ["414", key] | ["417", key] => digits_exact(key, 13),
        ["414", key, "254", value] => digits_exact(key, 13) && dl_chars(value, 20),
        ["8003", key] => key_with_tail(key, 14, 16),
        ["8006", key] | ["8017", key] | ["8018", key] => digits_exact(key, 18),
        ["8006", key, "21" | "10", value] => digits_exact(key, 18) && dl_chars(value, 20),
        ["8010", key] => cpid_chars(key),
        ["8010", key, "8011", serial] => {
            cpid_chars(key) && serial.len() <= 12 && all_digits(serial)
        }
        _ => false,
    };
    valid.then(|| format!("{canonical_prefix}{}", s.join("/")))
}

/// `digits` digits followed by up to `max_tail` DL characters.
fn key_with_tail(key: &str, digits: usize, max_tail: usize) -> bool {
    match (key.get(..digits), key.get(digits..)) {
        (Some(head), Some(tail)) => digits_exact(head, digits) && dl_chars(tail, max_tail),
        _ => false,
    }
}

fn cpid_chars(text: &str) -> bool {
    text.len() <= 30
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || matches!(b, b'#' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(uri: &str) -> Option<String> {
        canonical_gs1_uri(uri)
    }

    #[test]
    fn epc_uris() {
        assert_eq!(
            dl("urn:epc:id:sgtin:4012345.011111.98%22").unwrap(),
            "https://id.gs1.org/01/04012345111118/21/98%22"
        );
        assert_eq!(
            dl("urn:epc:id:sgln:4012345.00011.987").unwrap(),
            "https://id.gs1.org/414/4012345000115/254/987"
        );
        assert_eq!(
            dl("urn:epc:id:sgln:4012345.00005.0").unwrap(),
            "https://id.gs1.org/414/4012345000054"
        );
        assert_eq!(
            dl("urn:epc:id:pgln:4000001.00000").unwrap(),
            "https://id.gs1.org/417/4000001000005"
        );
        assert_eq!(
            dl("urn:epc:id:giai:4000001.111").unwrap(),
            "https://id.gs1.org/8004/4000001111"
        );
        assert_eq!(
            dl("urn:epc:class:lgtin:4012345.012345.Lot987").unwrap(),
            "https://id.gs1.org/01/04012345123456/10/Lot987"
        );
        assert_eq!(
            dl("urn:epc:idpat:sgtin:4012345.044444.*").unwrap(),
            "https://id.gs1.org/01/04012345444445"
        );
        assert_eq!(dl("urn:epc:id:sgtin:4012345.011111.a b"), None);
        assert_eq!(dl("urn:epc:id:sscc:4012345.000000033"), None);
    }

    #[test]
    fn digital_link_uris() {
        assert_eq!(
            dl("https://id.gs1.de/01/04012345999990/21/XYZ-1234").unwrap(),
            "https://id.gs1.org/01/04012345999990/21/XYZ-1234"
        );
        assert_eq!(
            dl("https://example.com/gtin/9780345418913/ser/765tz?x=1").unwrap(),
            "https://id.gs1.org/01/09780345418913/21/765tz"
        );
        assert_eq!(
            dl("https://id.gs1.org/01/09780345418913/22/2A/21/765tz").unwrap(),
            "https://id.gs1.org/01/09780345418913/21/765tz"
        );
        assert_eq!(
            dl("https://id.gs1.org/01/04012345111118/10/L1/21/S1").unwrap(),
            "https://id.gs1.org/01/04012345111118/21/S1"
        );
        assert_eq!(dl("http://transaction.acme.com/po/12345678"), None);
        assert_eq!(dl("https://id.gs1.org/01/0401234511111/21/%22"), None);
    }
}
