//! The pieces of an EPC URI body: company prefix, references, numeric parts and
//! percent-escaped character parts.

use super::Detail;
use crate::gs1::check_digit::with_check_digit;

pub(super) const MISSING_DOT: Detail = "missing a '.'-separated part";
pub(super) const NOT_IN_THIS_FORM: Detail = "this scheme does not exist in this form";

/// `a.b.rest`: the first two parts and everything after the second `.`.
pub(super) fn split3(body: &str) -> Result<(&str, &str, &str), Detail> {
    let (first, rest) = body.split_once('.').ok_or(MISSING_DOT)?;
    let (second, rest) = rest.split_once('.').ok_or(MISSING_DOT)?;
    Ok((first, second, rest))
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// A GS1 Company Prefix: 6 to 12 digits.
pub(super) fn company_prefix(prefix: &str) -> Result<(), Detail> {
    if (6..=12).contains(&prefix.len()) && all_digits(prefix) {
        Ok(())
    } else {
        Err("the company prefix must be 6 to 12 digits")
    }
}

pub(super) fn prefix_len(prefix: &str) -> Result<u8, Detail> {
    company_prefix(prefix)?;
    u8::try_from(prefix.len()).map_err(|_| "the company prefix must be 6 to 12 digits")
}

/// A company prefix and the reference after it, digits only, `total` digits together.
pub(super) fn joined(prefix: &str, reference: &str, total: usize) -> Result<String, Detail> {
    check_joined(prefix, reference, total)?;
    let mut digits = String::with_capacity(total + 1);
    digits.push_str(prefix);
    digits.push_str(reference);
    Ok(digits)
}

/// [`joined`]'s checks alone.
fn check_joined(prefix: &str, reference: &str, total: usize) -> Result<(), Detail> {
    company_prefix(prefix)?;
    if !all_digits(reference) {
        return Err("the reference after the company prefix must be digits");
    }
    if prefix.len() + reference.len() != total {
        return Err("the company prefix and the reference have the wrong number of digits");
    }
    Ok(())
}

/// `<company prefix>.<reference>` (digits, `total` together).
pub(super) fn prefix_and_ref(text: &str, total: usize) -> Result<(&str, &str), Detail> {
    let (prefix, reference) = text.split_once('.').ok_or(MISSING_DOT)?;
    check_joined(prefix, reference, total)?;
    Ok((prefix, reference))
}

/// The GTIN-14 of `<company prefix>.<indicator><item reference>`.
pub(super) fn gtin(prefix: &str, item: &str) -> Result<String, Detail> {
    check_joined(prefix, item, 13)?;
    // 13 digits together and at most 12 in the prefix: the item part has the indicator.
    let mut digits = String::with_capacity(14);
    digits.push_str(&item[..1]);
    digits.push_str(prefix);
    digits.push_str(&item[1..]);
    checked(&digits)
}

/// `digits` with their check digit appended.
pub(super) fn checked(digits: &str) -> Result<String, Detail> {
    with_check_digit(digits).ok_or("a GS1 key must be digits")
}

/// A part that must be `min..=max` plain digits (no percent escapes).
pub(super) fn digits(text: &str, min: usize, max: usize) -> Result<&str, Detail> {
    if (min..=max).contains(&text.len()) && all_digits(text) {
        Ok(text)
    } else {
        Err("a numeric part has the wrong length or a non-digit")
    }
}

/// The characters a URI part may stand for.
#[derive(Clone, Copy)]
pub(super) enum Chars {
    /// GS1 AI encodable character set 82.
    Cset82,
    /// The component/part reference set: digits, capitals, `#`, `-`, `/`.
    Cpi,
}

impl Chars {
    /// May stand in the URI as itself.
    fn literal(self, c: u8) -> bool {
        match self {
            Self::Cset82 => c.is_ascii_alphanumeric() || b"!')(*+,.:;=_-".contains(&c),
            Self::Cpi => c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-',
        }
    }

    /// May stand in the URI percent-escaped.
    fn escaped(self, c: u8) -> bool {
        match self {
            Self::Cset82 => c.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&c),
            Self::Cpi => c.is_ascii_digit() || c.is_ascii_uppercase() || b"#-/".contains(&c),
        }
    }
}

/// Decodes a part of `min..=max` characters of `chars` (a `%XX` escape counts as one).
pub(super) fn component(
    text: &str,
    min: usize,
    max: usize,
    chars: Chars,
) -> Result<String, Detail> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or("a '%' escape needs two hex digits")?;
            let code = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("a '%' escape needs two hex digits")?;
            if !chars.escaped(code) {
                return Err("a percent escape of a character this part may not hold");
            }
            out.push(char::from(code));
            i += 3;
        } else {
            if !chars.literal(b) {
                return Err("a character EPC URIs do not allow (or that must be percent-escaped)");
            }
            out.push(char::from(b));
            i += 1;
        }
    }
    if (min..=max).contains(&out.len()) {
        Ok(out)
    } else {
        Err("a part is empty or too long")
    }
}
