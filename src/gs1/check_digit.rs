//! The GS1 mod-10 check digit (General Specifications 7.9.1), shared by every key that ends in
//! one: GTIN, SSCC, GLN, GRAI, GDTI, GSRN, GSIN, ... The digits of the data are weighted 3, 1,
//! 3, 1, ... from the right; the check digit brings the sum up to a multiple of ten.
//!
//! ```
//! use packbench::gs1::check_digit::{check_digit, has_valid_check_digit, with_check_digit};
//! assert_eq!(check_digit(b"0950600013435"), Some(b'2'));
//! assert_eq!(with_check_digit("0950600013435").as_deref(), Some("09506000134352"));
//! assert!(has_valid_check_digit("09506000134352"));
//! assert!(!has_valid_check_digit("09506000134353"));
//! assert_eq!(check_digit(b"09506A"), None);
//! ```

use super::error::Gs1Error;

/// The check digit (as an ASCII digit) of `body`, the data without its check digit; `None` if a
/// byte is not an ASCII digit. An empty body gives `'0'`.
pub fn check_digit(body: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in body.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let weight = if i % 2 == 0 { 3 } else { 1 };
        sum += weight * u32::from(b - b'0');
    }
    // `sum % 10` is below 10, so the digit fits a byte.
    let check = u8::try_from((10 - sum % 10) % 10).unwrap_or(0);
    Some(b'0' + check)
}

/// `body` with its check digit appended; `None` if `body` holds a non-digit.
pub fn with_check_digit(body: &str) -> Option<String> {
    let check = check_digit(body.as_bytes())?;
    let mut key = String::with_capacity(body.len() + 1);
    key.push_str(body);
    key.push(char::from(check));
    Some(key)
}

/// Whether `digits` are all ASCII digits (at least two) and end in their check digit.
pub fn has_valid_check_digit(digits: &str) -> bool {
    match digits.as_bytes().split_last() {
        Some((&found, body)) if !body.is_empty() => check_digit(body) == Some(found),
        _ => false,
    }
}

/// Verifies the check digit in the last position of `digits`, which the caller has checked are
/// all ASCII digits. `ai` names the AI or key in the error; `offset` is where `digits` starts
/// in the value, so that the error's position points at the check digit in the value.
pub(crate) fn verify_check_digit(ai: &str, digits: &[u8], offset: usize) -> Result<(), Gs1Error> {
    let Some((&found, body)) = digits.split_last() else {
        return Err(Gs1Error::EmptyValue { ai: ai.to_owned() });
    };
    let expected = check_digit(body).unwrap_or(b'?');
    if expected == found {
        Ok(())
    } else {
        Err(Gs1Error::CheckDigit {
            ai: ai.to_owned(),
            position: offset + body.len(),
            expected: char::from(expected),
            found: char::from(found),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_keys() {
        // GTIN-13, GTIN-14, SSCC, GLN and the examples of the General Specifications.
        assert_eq!(check_digit(b"950600013435"), Some(b'2'));
        assert_eq!(check_digit(b"0401234511111"), Some(b'8'));
        assert_eq!(check_digit(b"10614141234567890"), Some(b'8'));
        assert_eq!(check_digit(b"04012345000000111"), Some(b'2'));
        assert_eq!(check_digit(b"401234500005"), Some(b'4'));
        assert_eq!(check_digit(b"629104150021"), Some(b'3'));
        assert_eq!(check_digit(b""), Some(b'0'));
        assert_eq!(check_digit(b"0000000"), Some(b'0'));
    }

    #[test]
    fn rejects_non_digits() {
        assert_eq!(check_digit(b"12a4"), None);
        assert_eq!(check_digit(b" 1"), None);
        assert_eq!(with_check_digit("12-4"), None);
        assert!(!has_valid_check_digit("0950600013435X"));
        assert!(!has_valid_check_digit("0"));
        assert!(!has_valid_check_digit(""));
    }

    #[test]
    fn verify_names_the_position() {
        assert_eq!(verify_check_digit("01", b"09506000134352", 0), Ok(()));
        assert_eq!(
            verify_check_digit("8003", b"09506000134353", 2),
            Err(Gs1Error::CheckDigit {
                ai: "8003".to_owned(),
                position: 15,
                expected: '2',
                found: '3',
            })
        );
        assert_eq!(
            verify_check_digit("00", b"", 0),
            Err(Gs1Error::EmptyValue {
                ai: "00".to_owned()
            })
        );
    }

    proptest! {
        #[test]
        fn a_computed_digit_verifies(body in "[0-9]{1,30}") {
            let key = with_check_digit(&body).unwrap();
            prop_assert!(has_valid_check_digit(&key));
            prop_assert_eq!(verify_check_digit("01", key.as_bytes(), 0), Ok(()));
        }

        #[test]
        fn any_other_digit_fails(body in "[0-9]{1,30}", delta in 1u8..10) {
            let check = check_digit(body.as_bytes()).unwrap();
            let wrong = b'0' + (check - b'0' + delta) % 10;
            let key = format!("{body}{}", char::from(wrong));
            prop_assert!(!has_valid_check_digit(&key));
        }

        #[test]
        fn a_single_digit_change_is_caught(body in "[0-9]{2,30}", at in any::<prop::sample::Index>(), delta in 1u8..10) {
            let key = with_check_digit(&body).unwrap();
            let mut bytes = key.into_bytes();
            let i = at.index(bytes.len());
            bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(!has_valid_check_digit(&changed));
        }
    }
}
