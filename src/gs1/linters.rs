//! The GS1 Barcode Syntax Tests ("linters"): content checks applied to one component of
//! an AI's value after its length and character set were checked.
//!
//! ```
//! use packbench::gs1::linters::{check_digit, is_valid_date};
//! assert_eq!(check_digit(b"0950600013435"), Some(b'2'));
//! assert!(is_valid_date(b"280229", true));  // 2028 is a leap year
//! assert!(!is_valid_date(b"270229", true));
//! assert!(is_valid_date(b"270100", true));  // day 00 = end of month
//! ```

use super::ai::Linter;
use super::check_digit::verify_check_digit;
use super::codes::{ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPES};
use super::error::Gs1Error;

/// The GS1 mod-10 check digit, re-exported from [`super::check_digit`] where it lives, for the
/// callers that know it as a linter.
pub use super::check_digit::check_digit;

/// Reference year for the GS1 sliding century window of two-digit years (General
/// Specifications 7.12). The pure core has no clock; the window only matters for leap years
/// and for [`year_from_yy`], and a fixed reference keeps results reproducible.
pub const CENTURY_REFERENCE_YEAR: i32 = 2026;

/// The full year of a two-digit year, by the GS1 sliding window around
/// [`CENTURY_REFERENCE_YEAR`]: more than 50 years ahead means the previous century.
pub fn year_from_yy(yy: u8) -> i32 {
    let reference_yy = CENTURY_REFERENCE_YEAR % 100;
    let century = CENTURY_REFERENCE_YEAR - reference_yy;
    let diff = i32::from(yy) - reference_yy;
    if diff >= 51 {
        century - 100 + i32::from(yy)
    } else if diff <= -50 {
        century + 100 + i32::from(yy)
    } else {
        century + i32::from(yy)
    }
}

/// Days in `month` (1-12) of `year`; 0 for an invalid month.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether a YYMMDD date is valid; `day_zero_allowed` for the `yymmd0` rule.
pub fn is_valid_date(yymmdd: &[u8], day_zero_allowed: bool) -> bool {
    date_problem(yymmdd, 2, day_zero_allowed).is_none()
}

fn two_digits(d: &[u8]) -> u8 {
    match d {
        [a, b, ..] => (a - b'0') * 10 + (b - b'0'),
        _ => 0,
    }
}

/// Checks a date of `year_digits` (2 or 4) year digits followed by MMDD; `Some(what)` when bad.
fn date_problem(data: &[u8], year_digits: usize, day_zero_allowed: bool) -> Option<&'static str> {
    if data.len() != year_digits + 4 {
        return Some("wrong length");
    }
    if !data.iter().all(u8::is_ascii_digit) {
        return Some("not all digits");
    }
    let year = if year_digits == 2 {
        year_from_yy(two_digits(data))
    } else {
        i32::from(two_digits(data)) * 100 + i32::from(two_digits(&data[2..]))
    };
    let month = two_digits(&data[year_digits..]);
    let day = two_digits(&data[year_digits + 2..]);
    if !(1..=12).contains(&month) {
        return Some("month must be 01 to 12");
    }
    if day == 0 && !day_zero_allowed {
        return Some("day 00 is not allowed here");
    }
    if day > days_in_month(year, month) {
        return Some("no such day in that month");
    }
    None
}

fn time_problem(data: &[u8], max: u8, what: &'static str) -> Option<&'static str> {
    if data.len() != 2 || !data.iter().all(u8::is_ascii_digit) || two_digits(data) > max {
        Some(what)
    } else {
        None
    }
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Context of one linter run: which AI, and where the component starts in the value.
struct Ctx<'a> {
    ai: &'a str,
    offset: usize,
    data: &'a [u8],
}

impl Ctx<'_> {
    fn bad_value(&self, position: usize, detail: &'static str) -> Gs1Error {
        Gs1Error::BadValue {
            ai: self.ai.to_owned(),
            position: self.offset + position,
            found: text(self.data),
            detail,
        }
    }

    fn not_in_list(&self, list: &'static str) -> Gs1Error {
        Gs1Error::NotInCodeList {
            ai: self.ai.to_owned(),
            position: self.offset,
            found: text(self.data),
            list,
        }
    }

    fn non_digit(&self, position: usize) -> Gs1Error {
        Gs1Error::NonDigit {
            ai: self.ai.to_owned(),
            position: self.offset + position,
            found: char::from(self.data.get(position).copied().unwrap_or(b'?')),
        }
    }

    fn bad_date(&self, detail: &'static str) -> Gs1Error {
        Gs1Error::BadDate {
            ai: self.ai.to_owned(),
            position: self.offset,
            found: text(self.data),
            detail,
        }
    }

    fn bad_time(&self, position: usize, found: &[u8], detail: &'static str) -> Gs1Error {
        Gs1Error::BadTime {
            ai: self.ai.to_owned(),
            position: self.offset + position,
            found: text(found),
            detail,
        }
    }

    fn all_digits(&self) -> Result<(), Gs1Error> {
        match self.data.iter().position(|b| !b.is_ascii_digit()) {
            Some(p) => Err(self.non_digit(p)),
            None => Ok(()),
        }
    }
}

/// Runs `linter` on `data`, one component of the value of `ai` that starts at `offset`.
///
/// `data` is ASCII (the character set was checked before).
pub fn lint(linter: Linter, ai: &str, data: &[u8], offset: usize) -> Result<(), Gs1Error> {
    let cx = Ctx { ai, offset, data };
    match linter {
        Linter::Csum => csum(&cx),
        Linter::CsumAlpha => csum_alpha(&cx),
        Linter::GcpPos1 => gcp(&cx, 0),
        Linter::GcpPos2 => gcp(&cx, 1),
        Linter::YyMmD0 => date_problem(data, 2, true).map_or(Ok(()), |d| Err(cx.bad_date(d))),
        Linter::YyMmDd => date_problem(data, 2, false).map_or(Ok(()), |d| Err(cx.bad_date(d))),
        Linter::YyyyMmD0 => date_problem(data, 4, true).map_or(Ok(()), |d| Err(cx.bad_date(d))),
        Linter::YyyyMmDd => date_problem(data, 4, false).map_or(Ok(()), |d| Err(cx.bad_date(d))),
        Linter::HhMi => {
            if data.len() != 4 {
                return Err(cx.bad_time(0, data, "time must be HHMI"));
            }
            if let Some(d) = time_problem(&data[..2], 23, "hour must be 00 to 23") {
                return Err(cx.bad_time(0, &data[..2], d));
            }
            match time_problem(&data[2..], 59, "minute must be 00 to 59") {
                Some(d) => Err(cx.bad_time(2, &data[2..], d)),
                None => Ok(()),
            }
        }
        Linter::Hh => time_problem(data, 23, "hour must be 00 to 23")
            .map_or(Ok(()), |d| Err(cx.bad_time(0, data, d))),
        Linter::Mi => time_problem(data, 59, "minute must be 00 to 59")
            .map_or(Ok(()), |d| Err(cx.bad_time(0, data, d))),
        Linter::Ss => time_problem(data, 59, "second must be 00 to 59")
            .map_or(Ok(()), |d| Err(cx.bad_time(0, data, d))),
        Linter::Iso3166 => iso3166(&cx, false),
        Linter::Iso3166999 => iso3166(&cx, true),
        Linter::Iso3166Alpha2 => {
            if is_iso3166_alpha2(data) {
                Ok(())
            } else {
                Err(Gs1Error::NotIso3166 {
                    ai: ai.to_owned(),
                    position: offset,
                    found: text(data),
                })
            }
        }
        Linter::Iso4217 => {
            if three_digit_code(data).is_some_and(|v| ISO4217_NUMERIC.binary_search(&v).is_ok()) {
                Ok(())
            } else {
                Err(Gs1Error::NotIso4217 {
                    ai: ai.to_owned(),
                    position: offset,
                    found: text(data),
                })
            }
        }
        Linter::Iso5218 => match data {
            [b'0' | b'1' | b'2' | b'9'] => Ok(()),
            _ => Err(cx.not_in_list("ISO/IEC 5218 sex code")),
        },
        Linter::Iban => iban(&cx),
        Linter::PcEnc => pcenc(&cx),
        Linter::CouponCode => super::coupon::coupon_code(ai, data, offset),
        Linter::CouponPosOffer => super::coupon::coupon_pos_offer(ai, data, offset),
        Linter::Latitude => coordinate(&cx, 1_800_000_000, "latitude must be at most 1800000000"),
        Linter::Longitude => coordinate(&cx, 3_600_000_000, "longitude must be at most 3600000000"),
        Linter::YesNo => match data {
            [b'0' | b'1'] => Ok(()),
            _ => Err(cx.not_in_list("yes/no flag (0 or 1)")),
        },
        Linter::Hyphen => {
            if !data.is_empty() && data.iter().all(|&b| b == b'-') {
                Ok(())
            } else {
                Err(cx.bad_value(0, "must be a hyphen"))
            }
        }
        Linter::ImporterIdx => match data {
            [b] if b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' => Ok(()),
            _ => Err(cx.not_in_list("importer index")),
        },
        Linter::PackageType => {
            if std::str::from_utf8(data).is_ok_and(|s| PACKAGE_TYPES.binary_search(&s).is_ok()) {
                Ok(())
            } else {
                Err(cx.not_in_list("package type code"))
            }
        }
        Linter::MediaType => match data {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                let v = two_digits(data);
                if (1..=10).contains(&v) || (80..=99).contains(&v) {
                    Ok(())
                } else {
                    Err(cx.not_in_list("AIDC media type"))
                }
            }
            _ => Err(cx.not_in_list("AIDC media type")),
        },
        Linter::PosInSeqSlash => pos_in_seq(&cx),
        Linter::NonZero => {
            cx.all_digits()?;
            if data.iter().all(|&b| b == b'0') {
                Err(cx.bad_value(0, "must not be zero"))
            } else {
                Ok(())
            }
        }
        Linter::Zero => {
            if !data.is_empty() && data.iter().all(|&b| b == b'0') {
                Ok(())
            } else {
                Err(cx.bad_value(0, "must be zero"))
            }
        }
        Linter::Winding => match data {
            [b'0' | b'1' | b'9'] => Ok(()),
            _ => Err(cx.not_in_list("winding direction (0, 1 or 9)")),
        },
        Linter::PieceOfTotal => piece_of_total(&cx),
        Linter::NoZeroPrefix => {
            if data.first() == Some(&b'0') {
                return Err(cx.bad_value(0, "must not start with 0"));
            }
            cx.all_digits()
        }
        Linter::HasNonDigit => {
            if data.iter().all(u8::is_ascii_digit) {
                Err(cx.bad_value(0, "must contain a non-digit character"))
            } else {
                Ok(())
            }
        }
    }
}

fn csum(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    if cx.data.is_empty() {
        return Err(cx.bad_value(0, "too short for a check digit"));
    }
    cx.all_digits()?;
    verify_check_digit(cx.ai, cx.data, cx.offset)
}

const CSET82_ORDER: &[u8] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET32: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const PRIMES: &[u32] = &[
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193,
    197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307,
    311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421,
    431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
];

/// The GS1 check character pair (mod 1021 over CSET 82 values weighted by primes) of `body`.
pub fn check_pair(body: &[u8]) -> Option<[u8; 2]> {
    if body.len() > PRIMES.len() {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in body.iter().enumerate() {
        let value = CSET82_ORDER.iter().position(|c| c == b)?;
        let prime = PRIMES.get(body.len() - 1 - i)?;
        sum += u32::try_from(value).ok()? * prime;
    }
    sum %= 1021;
    let hi = *CSET32.get(usize::try_from(sum >> 5).ok()?)?;
    let lo = *CSET32.get(usize::try_from(sum & 31).ok()?)?;
    Some([hi, lo])
}

fn csum_alpha(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    let len = cx.data.len();
    if len < 2 {
        return Err(cx.bad_value(0, "too short for a check character pair"));
    }
    let (body, found) = cx.data.split_at(len - 2);
    let Some(expected) = check_pair(body) else {
        return Err(cx.bad_value(0, "too long for a check character pair"));
    };
    if found == expected {
        Ok(())
    } else {
        Err(Gs1Error::CheckPair {
            ai: cx.ai.to_owned(),
            position: cx.offset + len - 2,
            expected: text(&expected),
            found: text(found),
        })
    }
}

fn gcp(cx: &Ctx<'_>, start: usize) -> Result<(), Gs1Error> {
    const GCP_MIN_LENGTH: usize = 4;
    match cx.data.get(start..start + GCP_MIN_LENGTH) {
        Some(prefix) if prefix.iter().all(u8::is_ascii_digit) => Ok(()),
        Some(_) => Err(cx.bad_value(start, "a GS1 Company Prefix must start with 4 digits")),
        None => Err(cx.bad_value(start, "too short for a GS1 Company Prefix")),
    }
}

fn three_digit_code(data: &[u8]) -> Option<u16> {
    match data {
        [a, b, c] if data.iter().all(u8::is_ascii_digit) => {
            Some(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
        }
        _ => None,
    }
}

fn iso3166(cx: &Ctx<'_>, allow_999: bool) -> Result<(), Gs1Error> {
    let code = three_digit_code(cx.data);
    let ok =
        code.is_some_and(|v| (allow_999 && v == 999) || ISO3166_NUMERIC.binary_search(&v).is_ok());
    if ok {
        Ok(())
    } else {
        Err(Gs1Error::NotIso3166 {
            ai: cx.ai.to_owned(),
            position: cx.offset,
            found: text(cx.data),
        })
    }
}

fn is_iso3166_alpha2(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok_and(|s| ISO3166_ALPHA2.binary_search(&s).is_ok())
}

fn iban(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    let err = |detail| Gs1Error::BadIban {
        ai: cx.ai.to_owned(),
        found: text(cx.data),
        detail,
    };
    let data = cx.data;
    if data.len() < 4 {
        return Err(err("too short"));
    }
    if !is_iso3166_alpha2(&data[..2]) {
        return Err(err("does not start with an ISO 3166 alpha-2 country code"));
    }
    if data.len() > 34 {
        return Err(err("longer than 34 characters"));
    }
    if data.len() <= 10 {
        return Err(err("too short"));
    }
    // ISO 13616: move the first four characters to the end, letters count as 10..35,
    // and the number must be 1 modulo 97.
    let mut rem = 0u32;
    for &b in data[4..].iter().chain(&data[..4]) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return Err(err("only digits and upper-case letters are allowed")),
        };
        rem = if v < 10 { rem * 10 + v } else { rem * 100 + v } % 97;
    }
    if rem == 1 {
        Ok(())
    } else {
        Err(err("wrong check digits"))
    }
}

fn pcenc(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    let data = cx.data;
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'%' {
            let ok = data
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return Err(cx.bad_value(i, "invalid percent-encoding sequence"));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

fn coordinate(cx: &Ctx<'_>, max: u64, detail: &'static str) -> Result<(), Gs1Error> {
    if cx.data.len() != 10 {
        return Err(cx.bad_value(0, "a coordinate has 10 digits"));
    }
    cx.all_digits()?;
    let value = cx
        .data
        .iter()
        .fold(0u64, |acc, &b| acc * 10 + u64::from(b - b'0'));
    if value > max {
        Err(cx.bad_value(0, detail))
    } else {
        Ok(())
    }
}

fn piece_of_total(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    cx.all_digits()?;
    let data = cx.data;
    if data.is_empty() || !data.len().is_multiple_of(2) {
        return Err(cx.bad_value(0, "piece and total must have the same length"));
    }
    let (piece, total) = data.split_at(data.len() / 2);
    if piece.iter().all(|&b| b == b'0') {
        return Err(cx.bad_value(0, "piece number must not be zero"));
    }
    if total.iter().all(|&b| b == b'0') {
        return Err(cx.bad_value(piece.len(), "total number of pieces must not be zero"));
    }
    // Equal length digit strings compare like numbers.
    if piece > total {
        return Err(cx.bad_value(0, "piece number exceeds the total"));
    }
    Ok(())
}

fn pos_in_seq(cx: &Ctx<'_>) -> Result<(), Gs1Error> {
    let data = cx.data;
    let malformed = || cx.bad_value(0, "position in sequence must be N/M");
    let slash = data.iter().position(|&b| b == b'/').ok_or_else(malformed)?;
    let (pos, end) = (&data[..slash], &data[slash + 1..]);
    if pos.is_empty()
        || end.is_empty()
        || !pos.iter().all(u8::is_ascii_digit)
        || !end.iter().all(u8::is_ascii_digit)
    {
        return Err(malformed());
    }
    if pos.first() == Some(&b'0') {
        return Err(cx.bad_value(0, "position must not start with 0"));
    }
    if end.first() == Some(&b'0') {
        return Err(cx.bad_value(slash + 1, "sequence end must not start with 0"));
    }
    if pos.len() > end.len() || (pos.len() == end.len() && pos > end) {
        return Err(cx.bad_value(0, "position exceeds the end of the sequence"));
    }
    Ok(())
}
