//! `packbench station --headless`: the JSON-lines automation protocol on stdin/stdout.
//!
//! One JSON object per input line (`{"cmd": "...", ...}`), one JSON object per output line.
//! Malformed JSON, unknown commands, over-long lines and invalid UTF-8 get an error line and the
//! session goes on. Every answer is flushed before the next line is read.

use super::request_check;
use crate::auth::Role;
use crate::domain::ReasonCode;
use crate::station::{Mode, Request, Response, Station};
use std::io::{BufRead, Write};

/// Longest accepted input line (bytes, without the newline).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One input line as read.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A complete line (without its terminator).
    Text(Vec<u8>),
    /// A line longer than the limit (its bytes were discarded).
    TooLong(usize),
}

/// Reads one line of at most `max` bytes, discarding the rest of longer lines without keeping
/// them in memory. `None` at end of input.
pub fn read_line(input: &mut impl BufRead, max: usize) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match (any, total > max) {
                (false, _) => None,
                (true, true) => Some(Line::TooLong(total)),
                (true, false) => Some(Line::Text(buf)),
            });
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len();
        if total <= max {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let used = done.unwrap_or(part.len());
        input.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(if total > max {
                Line::TooLong(total)
            } else {
                Line::Text(buf)
            }));
        }
    }
}

/// Turns one input line into a request, or the error answer for it.
pub fn parse_request(line: &[u8]) -> Result<Request, Box<Response>> {
    let text = std::str::from_utf8(line).map_err(|e| {
        Box::new(Response::with_code(
            ReasonCode::BadRequest,
            Some(format!(
                "the line is not valid UTF-8 (byte {})",
                e.valid_up_to()
            )),
        ))
    })?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Box::new(Response::with_code(
            ReasonCode::BadRequest,
            Some(format!("not JSON: {e}")),
        ))
    })?;
    if let Some(detail) = request_check::duplicate_key(text) {
        return Err(Box::new(Response::with_code(
            ReasonCode::BadRequest,
            Some(detail),
        )));
    }
    let Some(cmd) = value.get("cmd").and_then(|c| c.as_str()).map(str::to_owned) else {
        return Err(Box::new(Response::with_code(
            ReasonCode::BadRequest,
            Some("expected a JSON object with a string field \"cmd\"".to_owned()),
        )));
    };
    if !request_check::known_command(&cmd) {
        return Err(Box::new(Response::with_code(
            ReasonCode::UnknownCommand,
            Some(format!("unknown command '{cmd}'")),
        )));
    }
    if let Some(detail) = unknown_name(&cmd, &value) {
        return Err(Box::new(Response::with_code(
            ReasonCode::InvalidArgument,
            Some(detail),
        )));
    }
    if let Some(detail) = request_check::field_of_fieldless(&cmd, &value) {
        return Err(Box::new(Response::with_code(
            ReasonCode::BadRequest,
            Some(detail),
        )));
    }
    serde_json::from_value::<Request>(value.clone()).map_err(|e| {
        let msg = e.to_string();
        Box::new(match request_check::unknown_value(&value, &msg) {
            Some(detail) => Response::with_code(
                ReasonCode::InvalidArgument,
                Some(format!("{cmd}: {detail}")),
            ),
            None => Response::with_code(ReasonCode::BadRequest, Some(format!("{cmd}: {msg}"))),
        })
    })
}

/// The error naming an unknown scan mode or role in a request. The station has always refused
/// those as INVALID_ARGUMENT (a value it does not know), not as a malformed request.
fn unknown_name(cmd: &str, value: &serde_json::Value) -> Option<String> {
    let text = |field: &str| value.get(field).and_then(serde_json::Value::as_str);
    match cmd {
        "mode" => text("mode")?.parse::<Mode>().err().map(|e| e.to_string()),
        "create_user" => text("role")?.parse::<Role>().err().map(|e| e.to_string()),
        _ => None,
    }
}

/// The answer to one input line (`None` for a blank line).
/// A refused line is recorded as the protocol's refusal (its code and command name only).
pub fn answer(station: &mut Station, line: Line) -> Option<Response> {
    Some(match line {
        Line::TooLong(n) => station.refused_line(
            None,
            Response::with_code(
                ReasonCode::BadRequest,
                Some(format!("line of {n} bytes is longer than {MAX_LINE_BYTES}")),
            ),
        ),
        Line::Text(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => return None,
        Line::Text(bytes) => match parse_request(&bytes) {
            Ok(req) => station.execute(req),
            Err(r) => station.refused_line(command_of(&bytes).as_deref(), *r),
        },
    })
}

/// The `cmd` a line names, when it is a JSON object with a string `cmd`.
fn command_of(line: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(line).ok()?;
    value.get("cmd")?.as_str().map(str::to_owned)
}

/// Runs the protocol until end of input. Returns Err only when stdout is gone.
pub fn serve(
    station: &mut Station,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> std::io::Result<()> {
    while let Some(line) = read_line(input, MAX_LINE_BYTES)? {
        let Some(response) = answer(station, line) else {
            continue;
        };
        let json = serde_json::to_string(&response).unwrap_or_else(|e| {
            format!(
                r#"{{"ok":false,"code":"STORAGE_ERROR","message":"cannot encode the answer: {e}"}}"#
            )
        });
        output.write_all(json.as_bytes())?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let mut input = std::io::Cursor::new(b"abc\r\n\nxyzxyzxyz\nlast".to_vec());
        assert_eq!(
            read_line(&mut input, 5).unwrap(),
            Some(Line::Text(b"abc".to_vec()))
        );
        assert_eq!(
            read_line(&mut input, 5).unwrap(),
            Some(Line::Text(Vec::new()))
        );
        assert_eq!(read_line(&mut input, 5).unwrap(), Some(Line::TooLong(9)));
        assert_eq!(
            read_line(&mut input, 5).unwrap(),
            Some(Line::Text(b"last".to_vec()))
        );
        assert_eq!(read_line(&mut input, 5).unwrap(), None);
    }

    #[test]
    fn requests() {
        assert!(matches!(
            parse_request(br#"{"cmd":"logout"}"#),
            Ok(Request::Logout)
        ));
        assert_eq!(
            parse_request(b"{").unwrap_err().code,
            ReasonCode::BadRequest
        );
        assert_eq!(
            parse_request(b"\xff\xfe").unwrap_err().code,
            ReasonCode::BadRequest
        );
        assert_eq!(
            parse_request(br#"{"cmd":"fly"}"#).unwrap_err().code,
            ReasonCode::UnknownCommand
        );
        assert_eq!(
            parse_request(br#"{"cmd":"scan"}"#).unwrap_err().code,
            ReasonCode::BadRequest
        );
        assert_eq!(
            parse_request(br#"[1]"#).unwrap_err().code,
            ReasonCode::BadRequest
        );
    }

    #[test]
    fn modes_and_roles_are_typed_at_the_edge() {
        assert_eq!(
            parse_request(br#"{"cmd":"mode","mode":"remove"}"#).unwrap(),
            Request::Mode { mode: Mode::Remove }
        );
        let refused = parse_request(br#"{"cmd":"mode","mode":"fly"}"#).unwrap_err();
        assert_eq!(refused.code, ReasonCode::InvalidArgument);
        assert_eq!(
            refused.detail.as_deref(),
            Some("unknown mode 'fly' (expected pack, remove, move, lookup, receive or returns)")
        );
        assert_eq!(
            parse_request(br#"{"cmd":"mode","mode":7}"#)
                .unwrap_err()
                .code,
            ReasonCode::BadRequest
        );
        let user = |role: &str| {
            format!(
                r#"{{"cmd":"create_user","user":"u","full_name":"U","role":"{role}","password":"p"}}"#
            )
        };
        assert!(matches!(
            parse_request(user("admin").as_bytes()),
            Ok(Request::CreateUser {
                role: Role::Administrator,
                ..
            })
        ));
        let refused = parse_request(user("king").as_bytes()).unwrap_err();
        assert_eq!(refused.code, ReasonCode::InvalidArgument);
        assert_eq!(
            refused.detail.as_deref(),
            Some("unknown role 'king' (expected packer, supervisor, qa or administrator)")
        );
    }
}
