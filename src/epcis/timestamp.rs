//! Timestamps: RFC 3339 with milliseconds for the writers, the reverse for the reader, and the
//! lenient UTC normalisation the event hash algorithm applies to every `...Time` field.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::error::EpcisError;

/// Parses `+HH:MM` / `-HH:MM` (or `Z`, meaning UTC).
pub(crate) fn parse_offset(offset: &str) -> Result<UtcOffset, EpcisError> {
    let invalid = || EpcisError::InvalidTimeZoneOffset(offset.to_owned());
    if offset == "Z" {
        return Ok(UtcOffset::UTC);
    }
    let bytes = offset.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' || !matches!(bytes[0], b'+' | b'-') {
        return Err(invalid());
    }
    let hours: i8 = offset[1..3].parse().map_err(|_| invalid())?;
    let minutes: i8 = offset[4..6].parse().map_err(|_| invalid())?;
    if !offset[1..3].bytes().all(|b| b.is_ascii_digit())
        || !offset[4..6].bytes().all(|b| b.is_ascii_digit())
        || hours > 14
        || minutes > 59
    {
        return Err(invalid());
    }
    let sign = if bytes[0] == b'-' { -1 } else { 1 };
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).map_err(|_| invalid())
}

/// `ms` (UTC milliseconds since the epoch) as RFC 3339 with milliseconds in `offset`
/// (`+07:00` gives `...T17:00:00.000+07:00`; `Z` gives `...T10:00:00.000Z`).
pub(crate) fn format_ms(ms: i64, offset: &str) -> Result<String, EpcisError> {
    let utc_offset = parse_offset(offset)?;
    let nanos = i128::from(ms) * 1_000_000;
    let moment = OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| EpcisError::TimeOutOfRange(ms))?
        .to_offset(utc_offset);
    if !(0..=9999).contains(&moment.year()) {
        return Err(EpcisError::TimeOutOfRange(ms));
    }
    let suffix = if offset == "Z" {
        "Z".to_owned()
    } else {
        offset.to_owned()
    };
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{suffix}",
        moment.year(),
        u8::from(moment.month()),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second(),
        moment.millisecond()
    ))
}

/// Like [`format_ms`], falling back to UTC when the offset is unusable (writers never fail;
/// [`crate::epcis::Event::validate`] reports the problem).
pub(crate) fn format_ms_lenient(ms: i64, offset: &str) -> String {
    format_ms(ms, offset)
        .or_else(|_| format_ms(ms, "Z"))
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}

/// `ms` as the station's local time for people, e.g. `2026-12-03 17:00:05 +07:00` (UTC when
/// the offset is unusable).
///
/// ```
/// assert_eq!(packbench::epcis::local_time(0, "+07:00"), "1970-01-01 07:00:00 +07:00");
/// ```
pub fn local_time(ms: i64, offset: &str) -> String {
    let text = format_ms_lenient(ms, offset);
    // `YYYY-MM-DDThh:mm:ss.mmm±hh:mm` → `YYYY-MM-DD hh:mm:ss ±hh:mm`.
    match (text.get(..10), text.get(11..19), text.get(23..)) {
        (Some(d), Some(t), Some(z)) => format!("{d} {t} {}", if z == "Z" { "UTC" } else { z }),
        _ => text,
    }
}

/// Parses an RFC 3339 timestamp into UTC milliseconds (sub-millisecond digits are dropped) and
/// the offset as written (`Z` or `+HH:MM`).
pub(crate) fn parse_rfc3339(text: &str) -> Result<(i64, String), EpcisError> {
    let invalid = || EpcisError::InvalidTimestamp(text.to_owned());
    let moment = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| invalid())?;
    let ms = i64::try_from(moment.unix_timestamp_nanos().div_euclid(1_000_000))
        .map_err(|_| invalid())?;
    let offset = if text.ends_with('Z') || text.ends_with('z') {
        "Z".to_owned()
    } else {
        text.get(text.len().saturating_sub(6)..)
            .unwrap_or_default()
            .to_owned()
    };
    Ok((ms, offset))
}

/// The event hash algorithm's form of a timestamp: UTC, milliseconds rounded half-to-even from
/// the microseconds, `Z` suffix, e.g. `2023-02-02T11:04:03.1415Z` → `2023-02-02T11:04:03.142Z`.
/// Accepts `YYYY-MM-DD` with an optional `T`/space time `HH:MM[:SS[.fraction]]` and an
/// optional `Z` / `±HH[:MM]` / `±HHMM` offset (none means UTC). `None` when it is no timestamp.
pub(crate) fn canonical_utc(text: &str) -> Option<String> {
    let (date, rest) = split_date(text)?;
    let (time, micro, rest) = if rest.is_empty() {
        (Time::MIDNIGHT, 0, rest)
    } else {
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        split_time(rest)?
    };
    let offset = parse_loose_offset(rest)?;
    let mut moment = PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .to_offset(UtcOffset::UTC);
    let mut millis = micro / 1000;
    let remainder = micro % 1000;
    if remainder > 500 || (remainder == 500 && millis % 2 == 1) {
        millis += 1;
    }
    if millis == 1000 {
        moment = moment.checked_add(time::Duration::SECOND)?;
        millis = 0;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        moment.year(),
        u8::from(moment.month()),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second()
    ))
}

fn digits(text: &str, count: usize) -> Option<(u32, &str)> {
    let head = text.get(..count)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[count..]))
}

fn split_date(text: &str) -> Option<(Date, &str)> {
    let (year, rest) = digits(text, 4)?;
    let (month, rest) = digits(rest.strip_prefix('-')?, 2)?;
    let (day, rest) = digits(rest.strip_prefix('-')?, 2)?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    Some((date, rest))
}

fn split_time(text: &str) -> Option<(Time, u32, &str)> {
    let (hour, rest) = digits(text, 2)?;
    let (minute, mut rest) = digits(rest.strip_prefix(':')?, 2)?;
    let mut second = 0;
    let mut micro = 0;
    if let Some(after) = rest.strip_prefix(':') {
        let (s, after) = digits(after, 2)?;
        second = s;
        rest = after;
        if let Some(fraction) = rest.strip_prefix(['.', ',']) {
            let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            let mut six: String = fraction[..len].chars().take(6).collect();
            while six.len() < 6 {
                six.push('0');
            }
            micro = six.parse().ok()?;
            rest = &fraction[len..];
        }
    }
    let time = Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some((time, micro, rest))
}

fn parse_loose_offset(text: &str) -> Option<UtcOffset> {
    match text {
        "" | "Z" | "z" => return Some(UtcOffset::UTC),
        _ => {}
    }
    let sign: i8 = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    let (hours, minutes) = match body.len() {
        2 => (digits(body, 2)?.0, 0),
        4 => (digits(body, 2)?.0, digits(&body[2..], 2)?.0),
        5 if body.as_bytes()[2] == b':' => (digits(body, 2)?.0, digits(&body[3..], 2)?.0),
        _ => return None,
    };
    UtcOffset::from_hms(
        sign * i8::try_from(hours).ok()?,
        sign * i8::try_from(minutes).ok()?,
        0,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_given_offset() {
        // 2024-05-01T10:00:00.123Z
        let ms = 1_714_557_600_123;
        assert_eq!(format_ms(ms, "Z").unwrap(), "2024-05-01T10:00:00.123Z");
        assert_eq!(
            format_ms(ms, "+07:00").unwrap(),
            "2024-05-01T17:00:00.123+07:00"
        );
        assert_eq!(
            format_ms(ms, "-03:30").unwrap(),
            "2024-05-01T06:30:00.123-03:30"
        );
        assert_eq!(format_ms(-1, "Z").unwrap(), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            format_ms(ms, "+7:00"),
            Err(EpcisError::InvalidTimeZoneOffset("+7:00".into()))
        );
        assert_eq!(
            format_ms(i64::MAX, "Z"),
            Err(EpcisError::TimeOutOfRange(i64::MAX))
        );
    }

    #[test]
    fn parses_what_it_formats() {
        let ms = 1_714_557_600_123;
        for offset in ["Z", "+07:00", "-03:30", "+00:00"] {
            let text = format_ms(ms, offset).unwrap();
            assert_eq!(parse_rfc3339(&text).unwrap(), (ms, offset.to_owned()));
        }
        assert!(parse_rfc3339("2024-05-01 10:00").is_err());
    }

    #[test]
    fn canonical_form_rounds_half_to_even() {
        assert_eq!(
            canonical_utc("2023-02-02T11:04:03.1415Z").unwrap(),
            "2023-02-02T11:04:03.142Z"
        );
        assert_eq!(
            canonical_utc("2023-02-02T11:04:03.1425Z").unwrap(),
            "2023-02-02T11:04:03.142Z"
        );
        assert_eq!(
            canonical_utc("2023-02-02T11:04:03.1414Z").unwrap(),
            "2023-02-02T11:04:03.141Z"
        );
        assert_eq!(
            canonical_utc("2019-10-21T14:58:56+02:00").unwrap(),
            "2019-10-21T12:58:56.000Z"
        );
        assert_eq!(
            canonical_utc("2019-10-21T00:05:00-06:00").unwrap(),
            "2019-10-21T06:05:00.000Z"
        );
        assert_eq!(
            canonical_utc("2019-10-21T23:59:59.9999Z").unwrap(),
            "2019-10-22T00:00:00.000Z"
        );
        assert_eq!(
            canonical_utc("2019-10-21").unwrap(),
            "2019-10-21T00:00:00.000Z"
        );
        assert_eq!(canonical_utc("geo:50.9,6.9"), None);
        assert_eq!(canonical_utc("2019-13-21T00:00:00Z"), None);
    }
}
