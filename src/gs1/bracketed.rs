//! Parsing of the bracketed human-readable form `(01)09506000134352(21)SN0001`.
//!
//! Every unescaped `(` starts an AI of 2 to 4 digits closed by `)`; a `(` inside a value
//! is written `\(` (backslash is not in any GS1 character set, so the escape is unambiguous).

use super::ai;
use super::error::Gs1Error;
use super::message::Element;
use super::validate;

/// Splits and validates a bracketed element string.
pub fn parse_bracketed(data: &str) -> Result<Vec<Element>, Gs1Error> {
    let bytes = data.as_bytes();
    let mut pos = 0;
    let mut fields: Vec<(String, String, usize)> = Vec::new();
    while pos < bytes.len() {
        if bytes[pos] != b'(' {
            return Err(Gs1Error::BadSyntax {
                position: pos,
                detail: "expected '(' to start an AI".to_owned(),
            });
        }
        let ai_start = pos + 1;
        let digits = bytes[ai_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let close = ai_start + digits;
        match bytes.get(close) {
            Some(b')') => {}
            Some(_) => {
                return Err(Gs1Error::BadSyntax {
                    position: close,
                    detail: "an AI must consist of digits".to_owned(),
                });
            }
            None => {
                return Err(Gs1Error::BadSyntax {
                    position: pos,
                    detail: "unterminated AI: missing ')'".to_owned(),
                });
            }
        }
        if !(2..=4).contains(&digits) {
            return Err(Gs1Error::BadSyntax {
                position: ai_start,
                detail: format!("an AI has 2 to 4 digits, found {digits}"),
            });
        }
        let ai = &data[ai_start..close];
        let mut value = String::new();
        let mut i = close + 1;
        while i < bytes.len() && bytes[i] != b'(' {
            if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'(') {
                value.push('(');
                i += 2;
                continue;
            }
            let Some(c) = data[i..].chars().next() else {
                break;
            };
            value.push(c);
            i += c.len_utf8();
        }
        fields.push((ai.to_owned(), value, pos));
        pos = i;
    }
    if fields.is_empty() {
        return Err(Gs1Error::EmptyInput);
    }
    let mut elements = Vec::with_capacity(fields.len());
    for (ai, value, position) in fields {
        let entry = ai::lookup(&ai).ok_or_else(|| Gs1Error::UnknownAi {
            ai: ai.clone(),
            position,
        })?;
        validate::validate_value(entry, &ai, &value)?;
        elements.push(Element { ai, value });
    }
    Ok(elements)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_unescapes() {
        let els = parse_bracketed("(01)09506000134352(21)A\\(B)").unwrap();
        assert_eq!(els[1].value, "A(B)");
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "(1A)123",
            "(01)09506000134352(10",
            "(1)12345",
            "(12345)1",
            "01",
        ] {
            assert_eq!(
                parse_bracketed(bad).map_err(|e| e.code()),
                Err("BAD_SYNTAX"),
                "{bad}"
            );
        }
        assert_eq!(
            parse_bracketed("(01)09506000134352(10)(17)271231").map_err(|e| e.code()),
            Err("EMPTY_VALUE")
        );
        assert_eq!(
            parse_bracketed("(89)ABC").map_err(|e| e.code()),
            Err("UNKNOWN_AI")
        );
    }
}
