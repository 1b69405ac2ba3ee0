//! Canonical GS1 Digital Link form of GS1 identifiers, as the CBV 2.0 event hash algorithm wants
//! them: EPC URIs (`urn:epc:id:sgtin:...`), EPC class URIs (`urn:epc:class:lgtin:...`), EPC ID
//! pattern URIs (`urn:epc:idpat:sgtin:...:*`) and GS1 Digital Link URIs on any host all become
//! `https://id.gs1.org/<AI>/<key>...`, at the finest identification level, without query string.
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

use crate::gs1::check_digit::with_check_digit;

const CANONICAL_HOST: &str = "https://id.gs1.org";

/// The canonical GS1 Digital Link URI of a GS1 identifier URI, or `None` when `uri` is not one.
pub fn canonical_gs1_uri(uri: &str) -> Option<String> {
    if !uri.contains('.') {
        return None;
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:id:") {
        return epc_id(rest);
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:class:lgtin:") {
        let (gtin, lot) = gtin_and_tail(rest)?;
        return (component_len(lot, false)? <= 20)
            .then(|| format!("{CANONICAL_HOST}/01/{gtin}/10/{}", dl_escape(lot)));
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:idpat:") {
        return epc_pattern(rest);
    }
    if uri.starts_with("http://") || uri.starts_with("https://") {
        return digital_link(uri);
    }
    None
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Characters GS1 Digital Link wants percent-encoded that EPC URIs may carry literally.
fn dl_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '!' => out.push_str("%21"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '*' => out.push_str("%2A"),
            '+' => out.push_str("%2B"),
            ',' => out.push_str("%2C"),
            ':' => out.push_str("%3A"),
            _ => out.push(c),
        }
    }
    out
}

/// Number of characters of an EPC URI component (a `%XX` escape counts as one), or `None` when
/// it holds a character EPC URIs do not allow. `cpi` selects the narrower CPI character set.
fn component_len(text: &str, cpi: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut count = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = *bytes.get(i + 1)?;
            let lo = (*bytes.get(i + 2)?).to_ascii_uppercase();
            let ok = if cpi {
                matches!((hi, lo), (b'2', b'3' | b'D' | b'F') | (b'3', b'0'..=b'9') | (b'4', b'1'..=b'9' | b'A'..=b'F') | (b'5', b'0'..=b'9' | b'A'))
            } else {
                matches!(
                    (hi, lo),
                    (b'2', b'1' | b'2' | b'5'..=b'9' | b'A'..=b'F')
                        | (b'3', b'0'..=b'9' | b'A'..=b'F')
                        | (b'4', b'1'..=b'9' | b'A'..=b'F')
                        | (b'5', b'0'..=b'9' | b'A' | b'F')
                        | (b'6', b'1'..=b'9' | b'A'..=b'F')
                        | (b'7', b'0'..=b'9' | b'A')
                )
            };
            if !ok {
                return None;
            }
            i += 3;
        } else {
            let c = bytes[i];
            let ok = if cpi {
                c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-'
            } else {
                c.is_ascii_alphanumeric() || b"!')(*+,.:;=_-".contains(&c)
            };
            if !ok {
                return None;
            }
            i += 1;
        }
        count += 1;
    }
    Some(count)
}

/// Splits `<company prefix>.<digits>` where the two together have `total` digits.
fn prefix_and_ref(text: &str, total: usize) -> Option<(&str, &str)> {
    let (prefix, reference) = text.split_once('.')?;
    ((6..=12).contains(&prefix.len())
        && all_digits(prefix)
        && all_digits(reference)
        && prefix.len() + reference.len() == total)
        .then_some((prefix, reference))
}

/// `<company prefix>.<indicator+item ref>` → GTIN-14 with check digit.
fn gtin(text: &str) -> Option<String> {
    let (prefix, item) = prefix_and_ref(text, 13)?;
    with_check_digit(&format!("{}{prefix}{}", &item[..1], &item[1..]))
}

/// `<prefix>.<item>.<tail>` → (GTIN-14, tail).
fn gtin_and_tail(text: &str) -> Option<(String, &str)> {
    let first = text.find('.')?;
    let second = first + 1 + text[first + 1..].find('.')?;
    Some((gtin(&text[..second])?, &text[second + 1..]))
}

/// `<prefix>.<ref>` (total `total` digits, the ref may be empty) followed by `.<tail>`.
fn key_and_tail(text: &str, total: usize) -> Option<(String, &str)> {
    let first = text.find('.')?;
    let second = first + 1 + text[first + 1..].find('.')?;
    let (prefix, reference) = prefix_and_ref(&text[..second], total)?;
    Some((format!("{prefix}{reference}"), &text[second + 1..]))
}

/// `body` with its check digit; callers pass digits only (checked by [`prefix_and_ref`]).
fn with_check(body: &str) -> String {
    with_check_digit(body).unwrap_or_default()
}

fn epc_id(rest: &str) -> Option<String> {
    let (scheme, body) = rest.split_once(':')?;
    let host = CANONICAL_HOST;
    match scheme {
        "sgtin" => {
            let (gtin, serial) = gtin_and_tail(body)?;
            let len = component_len(serial, false)?;
            ((1..=20).contains(&len)).then(|| format!("{host}/01/{gtin}/21/{}", dl_escape(serial)))
        }
        "sscc" => {
            let (prefix, serial_ref) = prefix_and_ref(body, 17)?;
            let raw = format!("{}{prefix}{}", &serial_ref[..1], &serial_ref[1..]);
            Some(format!("{host}/00/{}", with_check(&raw)))
        }
        "sgln" => {
            let (gln, extension) = key_and_tail(body, 12)?;
            let len = component_len(extension, false)?;
            if !(1..=20).contains(&len) {
                return None;
            }
            let gln = with_check(&gln);
            Some(if extension == "0" {
                format!("{host}/414/{gln}")
            } else {
                format!("{host}/414/{gln}/254/{}", dl_escape(extension))
            })
        }
        "grai" => {
            let (key, serial) = key_and_tail(body, 12)?;
            let len = component_len(serial, false)?;
            ((1..=16).contains(&len)).then(|| {
                format!(
                    "{host}/8003/{}{}",
                    with_check(&format!("0{key}")),
                    dl_escape(serial)
                )
            })
        }
        "giai" => {
            let (prefix, asset) = body.split_once('.')?;
            let len = component_len(asset, false)?;
            ((6..=12).contains(&prefix.len())
                && all_digits(prefix)
                && (1..=30 - prefix.len()).contains(&len))
            .then(|| format!("{host}/8004/{prefix}{}", dl_escape(asset)))
        }
        "gsrn" | "gsrnp" => {
            let (prefix, reference) = prefix_and_ref(body, 17)?;
            let ai = if scheme == "gsrn" { "8018" } else { "8017" };
            Some(format!(
                "{host}/{ai}/{}",
                with_check(&format!("{prefix}{reference}"))
            ))
        }
        "gdti" => {
            let (key, serial) = key_and_tail(body, 12)?;
            let len = component_len(serial, false)?;
            (len <= 19).then(|| format!("{host}/253/{}{}", with_check(&key), dl_escape(serial)))
        }
        "cpi" => {
            let first = body.find('.')?;
            let last = body.rfind('.')?;
            let (prefix, reference, serial) = (
                &body[..first],
                body.get(first + 1..last)?,
                &body[last + 1..],
            );
            let len = component_len(reference, true)?;
            ((6..=12).contains(&prefix.len())
                && all_digits(prefix)
                && (1..=30 - prefix.len()).contains(&len)
                && (1..=12).contains(&serial.len())
                && all_digits(serial))
            .then(|| {
                format!(
                    "{host}/8010/{}/8011/{serial}",
                    dl_escape(&format!("{prefix}{reference}"))
                )
            })
        }
        "sgcn" => {
            let (key, serial) = key_and_tail(body, 12)?;
            ((1..=12).contains(&serial.len()) && all_digits(serial))
                .then(|| format!("{host}/255/{}{serial}", with_check(&key)))
        }
        "ginc" => {
            let (prefix, reference) = body.split_once('.')?;
            let len = component_len(reference, false)?;
            ((6..=12).contains(&prefix.len())
                && all_digits(prefix)
                && (1..=30 - prefix.len()).contains(&len))
            .then(|| format!("{host}/401/{prefix}{}", dl_escape(reference)))
        }
        "gsin" => {
            let (prefix, reference) = prefix_and_ref(body, 16)?;
            Some(format!(
                "{host}/402/{}",
                with_check(&format!("{prefix}{reference}"))
            ))
        }
        "itip" => {
            let parts: Vec<&str> = body.splitn(5, '.').collect();
            let [prefix, item, piece, total, serial] = parts.as_slice() else {
                return None;
            };
            let gtin = gtin(&format!("{prefix}.{item}"))?;
            let len = component_len(serial, false)?;
            (piece.len() == 2
                && total.len() == 2
                && all_digits(piece)
                && all_digits(total)
                && (1..=20).contains(&len))
            .then(|| format!("{host}/8006/{gtin}{piece}{total}/21/{}", dl_escape(serial)))
        }
        "upui" => {
            let (gtin, tpx) = gtin_and_tail(body)?;
            let len = component_len(tpx, false)?;
            ((1..=28).contains(&len)).then(|| format!("{host}/01/{gtin}/235/{}", dl_escape(tpx)))
        }
        "pgln" => {
            let (prefix, reference) = prefix_and_ref(body, 12)?;
            Some(format!(
                "{host}/417/{}",
                with_check(&format!("{prefix}{reference}"))
            ))
        }
        _ => None,
    }
}

fn epc_pattern(rest: &str) -> Option<String> {
    let (scheme, body) = rest.split_once(':')?;
    let body = body.strip_suffix(".*")?;
    let host = CANONICAL_HOST;
    match scheme {
        "sgtin" | "upui" => Some(format!("{host}/01/{}", gtin(body)?)),
        "grai" => {
            let (prefix, reference) = prefix_and_ref(body, 12)?;
            Some(format!(
                "{host}/8003/{}",
                with_check(&format!("0{prefix}{reference}"))
            ))
        }
        "gdti" | "sgcn" => {
            let (prefix, reference) = prefix_and_ref(body, 12)?;
            let ai = if scheme == "gdti" { "253" } else { "255" };
            Some(format!(
                "{host}/{ai}/{}",
                with_check(&format!("{prefix}{reference}"))
            ))
        }
        "cpi" => {
            let (prefix, reference) = body.split_once('.')?;
            let len = component_len(reference, true)?;
            ((6..=12).contains(&prefix.len())
                && all_digits(prefix)
                && (1..=30 - prefix.len()).contains(&len))
            .then(|| format!("{host}/8010/{}", dl_escape(&format!("{prefix}{reference}"))))
        }
        "itip" => {
            let parts: Vec<&str> = body.splitn(4, '.').collect();
            let [prefix, item, piece, total] = parts.as_slice() else {
                return None;
            };
            let gtin = gtin(&format!("{prefix}.{item}"))?;
            (piece.len() == 2 && total.len() == 2 && all_digits(piece) && all_digits(total))
                .then(|| format!("{host}/8006/{gtin}{piece}{total}"))
        }
        _ => None,
    }
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
fn looks_like_digital_link(uri: &str) -> bool {
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
