//! Validation of values against their AI's format, and of whole messages against the
//! pairing rules (requires / excludes / repeated AIs).

use super::ai::{self, AiEntry, Cset};
use super::error::Gs1Error;
use super::linters;
use super::message::Element;

/// Checks `value` against the format of `ai` (lengths, character sets, linters).
pub fn validate_value(entry: &AiEntry, ai: &str, value: &str) -> Result<(), Gs1Error> {
    if value.is_empty() {
        return Err(Gs1Error::EmptyValue { ai: ai.to_owned() });
    }
    // Anything outside ASCII is outside every GS1 character set; report it first so that
    // all later checks can work on bytes.
    if let Some((char_pos, found)) = value.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        let cset = component_cset_at(entry, char_pos);
        return Err(cset_error(cset, ai, char_pos, found));
    }
    let bytes = value.as_bytes();
    let (min, max) = (entry.min_length(), entry.max_length());
    if bytes.len() < min {
        return Err(Gs1Error::TooShort {
            ai: ai.to_owned(),
            expected: min,
            found: bytes.len(),
        });
    }
    if bytes.len() > max {
        return Err(Gs1Error::TooLong {
            ai: ai.to_owned(),
            expected: max,
            found: bytes.len(),
        });
    }
    let mut pos = 0;
    for comp in entry.components {
        let remaining = bytes.len() - pos;
        if remaining == 0 && comp.optional {
            break;
        }
        let take = if comp.is_fixed() {
            usize::from(comp.max_len)
        } else {
            remaining.min(usize::from(comp.max_len))
        };
        if remaining < take || take < usize::from(comp.min_len) {
            return Err(Gs1Error::TooShort {
                ai: ai.to_owned(),
                expected: pos + usize::from(comp.min_len),
                found: bytes.len(),
            });
        }
        let part = &bytes[pos..pos + take];
        check_cset(comp.cset, ai, part, pos)?;
        for &linter in comp.linters {
            linters::lint(linter, ai, part, pos)?;
        }
        pos += take;
    }
    if pos < bytes.len() {
        return Err(Gs1Error::TooLong {
            ai: ai.to_owned(),
            expected: pos,
            found: bytes.len(),
        });
    }
    Ok(())
}

fn component_cset_at(entry: &AiEntry, char_pos: usize) -> Cset {
    let mut start = 0;
    for comp in entry.components {
        start += usize::from(comp.max_len);
        if char_pos < start {
            return comp.cset;
        }
    }
    entry.components.last().map_or(Cset::Cset82, |c| c.cset)
}

fn cset_error(cset: Cset, ai: &str, position: usize, found: char) -> Gs1Error {
    let ai = ai.to_owned();
    match cset {
        Cset::Numeric => Gs1Error::NonDigit {
            ai,
            position,
            found,
        },
        Cset::Cset82 => Gs1Error::Cset82 {
            ai,
            position,
            found,
        },
        Cset::Cset39 => Gs1Error::Cset39 {
            ai,
            position,
            found,
        },
        Cset::Cset64 => Gs1Error::Cset64 {
            ai,
            position,
            found,
        },
    }
}

fn check_cset(cset: Cset, ai: &str, part: &[u8], offset: usize) -> Result<(), Gs1Error> {
    let mut body = part;
    if cset == Cset::Cset64 {
        // Up to two `=` pads at the end, and only on a length that is a multiple of three.
        let pads = part.iter().rev().take_while(|&&b| b == b'=').count();
        if pads > 2 || (pads > 0 && !part.len().is_multiple_of(3)) {
            return Err(cset_error(cset, ai, offset + part.len() - pads, '='));
        }
        body = &part[..part.len() - pads];
        if let Some(p) = body.iter().position(|&b| b == b'=') {
            return Err(cset_error(cset, ai, offset + p, '='));
        }
    }
    match body.iter().position(|&b| !cset.contains(b)) {
        Some(p) => Err(cset_error(cset, ai, offset + p, char::from(body[p]))),
        None => Ok(()),
    }
}

/// Checks the message-level rules in order: repeated AIs with different values, mutually
/// exclusive AIs, then required AIs.
pub fn check_message(elements: &[Element]) -> Result<(), Gs1Error> {
    for (i, a) in elements.iter().enumerate() {
        if let Some(b) = elements[i + 1..]
            .iter()
            .find(|b| b.ai == a.ai && b.value != a.value)
        {
            return Err(Gs1Error::DuplicateConflict {
                ai: a.ai.clone(),
                first: a.value.clone(),
                second: b.value.clone(),
            });
        }
    }
    let entries: Vec<Option<&AiEntry>> = elements.iter().map(|e| ai::lookup(&e.ai)).collect();
    for (element, entry) in elements.iter().zip(&entries) {
        let Some(entry) = entry else { continue };
        for pattern in entry.excludes {
            let clash = elements
                .iter()
                .find(|o| o.ai != element.ai && ai::pattern_matches(pattern, &o.ai));
            if let Some(other) = clash {
                return Err(Gs1Error::Exclusive {
                    ai: element.ai.clone(),
                    other: other.ai.clone(),
                });
            }
        }
    }
    for (element, entry) in elements.iter().zip(&entries) {
        let Some(entry) = entry else { continue };
        for rule in entry.requires {
            let satisfied = rule.iter().any(|group| {
                group
                    .iter()
                    .all(|pattern| elements.iter().any(|o| ai::pattern_matches(pattern, &o.ai)))
            });
            if !satisfied {
                return Err(Gs1Error::MissingRequired {
                    ai: element.ai.clone(),
                    required: describe_rule(rule),
                });
            }
        }
    }
    Ok(())
}

/// `(01) or (02)`, `(01) with (21) or (8006) with (21)`.
fn describe_rule(rule: &[&[&str]]) -> String {
    rule.iter()
        .map(|group| {
            group
                .iter()
                .map(|p| format!("({p})"))
                .collect::<Vec<_>>()
                .join(" with ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(ai: &str, value: &str) -> Result<(), &'static str> {
        let entry = ai::lookup(ai).unwrap();
        validate_value(entry, ai, value).map_err(|e| e.code())
    }

    #[test]
    fn values() {
        assert_eq!(v("01", "09506000134352"), Ok(()));
        assert_eq!(v("01", "09506000134353"), Err("CHECK_DIGIT"));
        assert_eq!(v("01", "0950600013435"), Err("TOO_SHORT"));
        assert_eq!(v("01", "0950600013435A"), Err("NON_DIGIT"));
        assert_eq!(v("17", "270100"), Ok(()));
        assert_eq!(v("7006", "270100"), Err("BAD_DATE"));
        assert_eq!(v("10", "LÖT"), Err("CSET82"));
        assert_eq!(v("8010", "9506000#A1"), Ok(()));
        assert_eq!(v("8010", "AB#1"), Err("BAD_VALUE"));
        assert_eq!(v("8010", "ab"), Err("CSET39"));
        assert_eq!(v("8030", "abc="), Err("CSET64"));
        assert_eq!(v("8030", "abcdef"), Ok(()));
        assert_eq!(v("7007", "270101"), Ok(()));
        assert_eq!(v("7007", "270101270"), Err("TOO_SHORT"));
        assert_eq!(v("7007", "270101270102"), Ok(()));
        assert_eq!(v("4330", "001234-"), Ok(()));
        assert_eq!(v("4330", "001234+"), Err("BAD_VALUE"));
        assert_eq!(v("8006", "095060001343520102"), Ok(()));
        assert_eq!(v("8006", "095060001343520302"), Err("BAD_VALUE"));
        assert_eq!(v("8007", "GB82WEST12345698765432"), Ok(()));
        assert_eq!(v("8007", "GB82WEST12345698765433"), Err("BAD_IBAN"));
        assert_eq!(v("3910", "978123"), Ok(()));
        assert_eq!(v("3910", "999123"), Ok(()));
        assert_eq!(v("3910", "001123"), Err("NOT_ISO4217"));
        assert_eq!(v("4307", "DE"), Ok(()));
        assert_eq!(v("4307", "XX"), Err("NOT_ISO3166"));
        assert_eq!(v("7030", "999ABC"), Ok(()));
        assert_eq!(v("7041", "BX"), Ok(()));
        assert_eq!(v("7041", "QQQ"), Err("NOT_IN_CODE_LIST"));
        assert_eq!(v("7258", "1/2"), Ok(()));
        assert_eq!(v("7258", "3/2"), Err("BAD_VALUE"));
        assert_eq!(v("4309", "18000000003600000000"), Ok(()));
        assert_eq!(v("4309", "18000000013600000000"), Err("BAD_VALUE"));
        assert_eq!(v("8008", "2712312359"), Ok(()));
        assert_eq!(v("8008", "27123124"), Err("BAD_TIME"));
        assert_eq!(v("8011", "0123"), Err("BAD_VALUE"));
        assert_eq!(v("8014", "12345678"), Err("CHECK_PAIR"));
        let all_digits = linters::lint(ai::Linter::HasNonDigit, "8014", b"1234", 0);
        assert_eq!(all_digits.map_err(|e| e.code()), Err("BAD_VALUE"));
        assert_eq!(v("4300", "A%2"), Err("BAD_VALUE"));
        assert_eq!(v("7252", "3"), Err("NOT_IN_CODE_LIST"));
        assert_eq!(v("7241", "05"), Ok(()));
        assert_eq!(v("7241", "50"), Err("NOT_IN_CODE_LIST"));
    }

    #[test]
    fn check_pair_matches_the_gs1_example() {
        // GS1 General Specifications example for the GMN check character pair.
        assert_eq!(v("8013", "1987654Ad4X4bL5ttr2310c2K"), Ok(()));
        assert_eq!(v("8013", "1987654Ad4X4bL5ttr2310c3K"), Err("CHECK_PAIR"));
    }

    fn el(ai: &str, value: &str) -> Element {
        Element {
            ai: ai.into(),
            value: value.into(),
        }
    }

    #[test]
    fn message_rules() {
        let ok = [el("01", "09506000134352"), el("21", "X")];
        assert_eq!(check_message(&ok), Ok(()));
        let missing = [el("21", "X")];
        assert_eq!(
            check_message(&missing).unwrap_err().to_string(),
            "AI (21) requires (01) or (03) or (8006)"
        );
        let nested = [el("01", "09506000134352"), el("8040", "123456789012345")];
        assert_eq!(
            check_message(&nested).map_err(|e| e.code()),
            Err("MISSING_REQ")
        );
        let range = [
            el("01", "09506000134352"),
            el("3100", "000001"),
            el("3101", "000001"),
        ];
        assert_eq!(
            check_message(&range).map_err(|e| e.code()),
            Err("EXCLUSIVE")
        );
        let same = [
            el("01", "09506000134352"),
            el("3100", "000001"),
            el("3100", "000001"),
        ];
        assert_eq!(check_message(&same), Ok(()));
    }
}
