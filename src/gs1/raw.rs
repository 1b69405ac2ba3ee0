//! Parsing of raw element strings as scanners transmit them: AIs and values back to back,
//! a GS (ASCII 29) after each value of an AI without predefined length.

use super::ai;
use super::error::Gs1Error;
use super::message::Element;
use super::validate;

const GS_BYTE: u8 = 0x1d;

/// Splits and validates a raw element string (GS separators already normalised).
pub fn parse_raw(data: &str) -> Result<Vec<Element>, Gs1Error> {
    let bytes = data.as_bytes();
    let mut pos = 0;
    // FNC1 in first position is sometimes transmitted as a leading GS.
    if bytes.first() == Some(&GS_BYTE) {
        pos = 1;
    }
    if bytes.len() < pos + 2 || !bytes[pos..pos + 2].iter().all(u8::is_ascii_digit) {
        return Err(Gs1Error::NotGs1 {
            reason: "the data does not start with an Application Identifier".to_owned(),
        });
    }
    let mut elements: Vec<Element> = Vec::new();
    while pos < bytes.len() {
        if bytes[pos] == GS_BYTE {
            return Err(Gs1Error::BadSyntax {
                position: pos,
                detail: "empty element between two GS separators".to_owned(),
            });
        }
        let Some((ai_len, entry)) = ai::lookup_prefix(&bytes[pos..]) else {
            return Err(unknown_ai(bytes, pos, elements.last()));
        };
        let ai = &data[pos..pos + ai_len];
        let value_start = pos + ai_len;
        let field_end = bytes[value_start..]
            .iter()
            .position(|&b| b == GS_BYTE)
            .map_or(bytes.len(), |p| value_start + p);
        let value_end = match entry.fixed_length().filter(|_| entry.predefined_length) {
            Some(n) => char_boundary(data, (value_start + n).min(field_end)),
            None => field_end,
        };
        let value = &data[value_start..value_end];
        if value.is_empty() {
            return Err(Gs1Error::EmptyValue { ai: ai.to_owned() });
        }
        validate::validate_value(entry, ai, value)?;
        elements.push(Element::new(ai, value));
        pos = value_end;
        // One GS ends a variable-length value; after a predefined-length value it is
        // superfluous but tolerated. A GS at the very end is tolerated too.
        if bytes.get(pos) == Some(&GS_BYTE) {
            pos += 1;
        }
    }
    Ok(elements)
}

/// The first char boundary at or after `i`.
fn char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The error for data at `pos` that does not start with an assigned AI.
fn unknown_ai(bytes: &[u8], pos: usize, previous: Option<&Element>) -> Gs1Error {
    let rest = &bytes[pos..];
    let field = rest.split(|&b| b == GS_BYTE).next().unwrap_or(rest);
    let digits: String = field
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    // Leftover characters after a predefined-length value that cannot even form an AI
    // mean that value was too long (e.g. a GTIN with 15 digits).
    if let Some(prev) = previous.filter(|p| p.is_predefined_length())
        && (field.len() < 2 || (digits.len() == field.len() && ai::is_incomplete_ai(&digits)))
    {
        {
            let expected = prev.value.len();
            return Gs1Error::TooLong {
                ai: prev.ai.clone(),
                expected,
                found: expected + field.len(),
            };
        }
    }
    let shown = if digits.len() >= 2 {
        digits
    } else {
        String::from_utf8_lossy(&field[..field.len().min(4)]).into_owned()
    };
    Gs1Error::UnknownAi {
        ai: shown,
        position: pos,
    }
}

/// AIs that a lost GS most often hides in pharma and logistics data.
const LIKELY_SWALLOWED: &[&str] = &[
    "00", "01", "02", "10", "11", "15", "16", "17", "21", "30", "37", "240", "241", "7003", "710",
    "711", "712", "713", "714", "715", "716", "717",
];

/// Looks for element strings swallowed by variable-length values (a lost GS): a value whose
/// tail parses as complete, valid element strings starting with an AI the message lacks.
/// Returns the index of the swallowing element and the swallowed elements, bracketed.
///
/// When several tails qualify, the likeliest wins: tails of commonly used AIs first, then
/// tails with more predefined-length elements (their length confirms the split), then the
/// longest tail.
pub fn swallowed_elements(elements: &[Element]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, e) in elements.iter().enumerate() {
        // Only variable-length text values can swallow data unnoticed, and only in their last
        // (variable) component: the components before it (e.g. the 13 digits of a GDTI in AI
        // 253) end where their length says, so a lost GS cannot hide inside them.
        let Some(entry) = ai::lookup(&e.ai) else {
            continue;
        };
        let swallows = entry.fixed_length().is_none()
            && entry
                .components
                .last()
                .is_some_and(|c| !c.is_fixed() && c.cset != ai::Cset::Numeric);
        if !swallows {
            continue;
        }
        let leading: usize = entry
            .components
            .iter()
            .rev()
            .skip(1)
            .map(|c| usize::from(c.min_len))
            .sum();
        let bytes = e.value.as_bytes();
        let mut best: Option<((bool, usize, usize), Vec<Element>)> = None;
        for start in leading.max(1)..bytes.len().saturating_sub(2) {
            // Cheap filter first: the tail must start with an AI the message lacks.
            let starts_new_ai = ai::lookup_prefix(&bytes[start..]).is_some_and(|(len, _)| {
                let tail_ai = &e.value[start..start + len];
                elements.iter().all(|m| m.ai != tail_ai)
            });
            if !starts_new_ai {
                continue;
            }
            let Ok(tail) = parse_raw(&e.value[start..]) else {
                continue;
            };
            let likely = tail
                .iter()
                .all(|t| LIKELY_SWALLOWED.contains(&t.ai.as_str()));
            let predefined = tail.iter().filter(|t| t.is_predefined_length()).count();
            let score = (likely, predefined, bytes.len() - start);
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, tail));
            }
        }
        if let Some((_, tail)) = best {
            let shown = tail
                .iter()
                .map(|t| format!("({}){}", t.ai, t.value))
                .collect();
            found.push((index, shown));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(data: &str) -> Result<Vec<(String, String)>, &'static str> {
        parse_raw(data)
            .map(|els| els.into_iter().map(|e| (e.ai, e.value)).collect())
            .map_err(|e| e.code())
    }

    #[test]
    fn no_swallowed_element_inside_a_fixed_leading_component() {
        // The GDTI's 13 digits hold "98..." but that is its document type, not a lost GS.
        let els = parse_raw("25395041983870936B0e7rR2").unwrap();
        assert!(swallowed_elements(&els).is_empty());
        // In the variable serial part a lost GS still shows.
        let els = parse_raw("2539506000134352ABC10LOT42").unwrap();
        assert_eq!(swallowed_elements(&els), vec![(0, "(10)LOT42".to_owned())]);
    }

    #[test]
    fn splits_predefined_and_variable_fields() {
        let els = codes("01095060001343521727123110LOT42\u{1d}21SN0001").unwrap();
        assert_eq!(els.len(), 4);
        assert_eq!(els[2], ("10".into(), "LOT42".into()));
        assert_eq!(els[3], ("21".into(), "SN0001".into()));
    }

    #[test]
    fn errors() {
        assert_eq!(codes("01095060001343520"), Err("TOO_LONG"));
        assert_eq!(codes("0109506000134352231234"), Err("UNKNOWN_AI"));
        assert_eq!(codes("0109506000134352172712"), Err("TOO_SHORT"));
        assert_eq!(codes("0109506000134352\u{1d}\u{1d}21X"), Err("BAD_SYNTAX"));
        assert_eq!(codes("HELLO"), Err("NOT_GS1"));
        assert_eq!(codes("0109506000134352\u{1d}21"), Err("EMPTY_VALUE"));
        assert_eq!(codes("010950600013435Ö"), Err("NON_DIGIT"));
    }

    #[test]
    fn finds_swallowed_serial() {
        let els = parse_raw("01095060001343521727123110LOT4221SN0001").unwrap();
        let found = swallowed_elements(&els);
        assert_eq!(found, vec![(2, "(21)SN0001".to_owned())]);
        let els = parse_raw("010950600013435210LOT4217271231").unwrap();
        assert_eq!(swallowed_elements(&els), vec![(1, "(17)271231".to_owned())]);
        let fine = parse_raw("01095060001343521727123110LOT42\u{1d}21SN0001").unwrap();
        assert!(swallowed_elements(&fine).is_empty());
    }
}
