//! Bytes from a serial port → lines. Pure: the worker feeds what `read` returned and the time.
//!
//! ```
//! use packbench::devices::serial::{LineAssembler, Terminator};
//! let mut lines = LineAssembler::new(Terminator::CrLf, 256);
//! assert!(lines.push(b"]d20109506000134352\x1d21S", 0).is_empty());
//! let out = lines.push(b"N1\r\n", 5);
//! assert_eq!(out, [Ok("]d20109506000134352\u{1d}21SN1".to_owned())]);
//! ```

use serde::{Deserialize, Serialize};

use crate::devices::error::DeviceError;

/// What ends a scan on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terminator {
    /// CR (`\r`).
    Cr,
    /// LF (`\n`).
    Lf,
    /// CR LF.
    CrLf,
    /// Any of CR, LF, CR LF (empty lines are skipped). The forgiving default.
    #[default]
    Any,
    /// A custom byte sequence (e.g. ETX `\x03`, or `#END`).
    Custom(Vec<u8>),
}

impl Terminator {
    /// The length of the terminator at the end of `buf`, if `buf` ends with one.
    fn ends(&self, buf: &[u8]) -> Option<usize> {
        let last = *buf.last()?;
        match self {
            Self::Cr => (last == b'\r').then_some(1),
            Self::Lf => (last == b'\n').then_some(1),
            Self::CrLf => buf.ends_with(b"\r\n").then_some(2),
            Self::Any => (last == b'\r' || last == b'\n').then_some(1),
            Self::Custom(seq) if !seq.is_empty() => buf.ends_with(seq).then_some(seq.len()),
            Self::Custom(_) => None,
        }
    }
}

/// Control characters a barcode can legitimately carry: EOT, HT, FS, GS, RS (ISO/IEC 15434
/// envelopes, GS1 separators, tab suffixes).
fn allowed_control(byte: u8) -> bool {
    matches!(byte, 0x04 | 0x09 | 0x1c | 0x1d | 0x1e)
}

/// Assembles lines from chunks of bytes as they arrive (writes may be split anywhere).
#[derive(Debug, Clone)]
pub struct LineAssembler {
    terminator: Terminator,
    max_line_bytes: usize,
    buf: Vec<u8>,
    /// Discarding an over-long line until the next terminator.
    discarding: bool,
    last_byte_ms: u64,
}

impl LineAssembler {
    /// An assembler for lines ending in `terminator`, at most `max_line_bytes` long.
    pub fn new(terminator: Terminator, max_line_bytes: usize) -> Self {
        Self {
            terminator,
            max_line_bytes: max_line_bytes.max(1),
            buf: Vec::new(),
            discarding: false,
            last_byte_ms: 0,
        }
    }

    /// Feeds bytes that arrived at `now_ms`; returns the lines (or errors) they completed.
    pub fn push(&mut self, bytes: &[u8], now_ms: u64) -> Vec<Result<String, DeviceError>> {
        let mut out = Vec::new();
        if !bytes.is_empty() {
            self.last_byte_ms = now_ms;
        }
        for &byte in bytes {
            self.buf.push(byte);
            if let Some(len) = self.terminator.ends(&self.buf) {
                self.buf.truncate(self.buf.len() - len);
                let line = std::mem::take(&mut self.buf);
                if std::mem::take(&mut self.discarding) {
                    continue;
                }
                if line.len() > self.max_line_bytes {
                    out.push(Err(self.too_long(&line)));
                    continue;
                }
                if let Some(result) = finish_line(&line) {
                    out.push(result);
                }
                continue;
            }
            if self.discarding {
                // Keep only what could be the start of a terminator.
                let keep = self.buf.len().min(terminator_len(&self.terminator));
                self.buf.drain(..self.buf.len() - keep);
            } else if self.buf.len() > self.max_line_bytes + terminator_len(&self.terminator) {
                out.push(Err(self.too_long(&self.buf)));
                self.buf.clear();
                self.discarding = true;
            }
        }
        out
    }

    fn too_long(&self, line: &[u8]) -> DeviceError {
        DeviceError::LineTooLong {
            limit: self.max_line_bytes,
            head: escape(&String::from_utf8_lossy(&line[..line.len().min(32)])),
        }
    }

    /// Called when nothing arrived for a while: a partial line older than `idle_ms` is
    /// reported and dropped (a scanner that never sends a terminator).
    pub fn idle(&mut self, now_ms: u64, idle_ms: u64) -> Option<DeviceError> {
        if self.buf.is_empty() || now_ms.saturating_sub(self.last_byte_ms) < idle_ms {
            return None;
        }
        let partial = std::mem::take(&mut self.buf);
        if std::mem::take(&mut self.discarding) {
            return None;
        }
        Some(DeviceError::NoTerminator {
            partial: escape(&String::from_utf8_lossy(&partial)),
            idle_ms,
        })
    }

    /// Forgets a partial line (the port was lost).
    pub fn reset(&mut self) {
        self.buf.clear();
        self.discarding = false;
    }

    /// Whether part of a line is waiting for its terminator.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty()
    }
}

fn terminator_len(terminator: &Terminator) -> usize {
    match terminator {
        Terminator::CrLf => 2,
        Terminator::Custom(seq) => seq.len(),
        _ => 1,
    }
}

/// Checks one complete line: empty → skipped; invalid UTF-8 or stray control bytes → error.
fn finish_line(line: &[u8]) -> Option<Result<String, DeviceError>> {
    // Stray CR/LF around a line (a CR LF scanner on a CR or LF setting) are not data.
    let trimmed = trim_newlines(line);
    if trimmed.is_empty() {
        return None;
    }
    let Ok(text) = std::str::from_utf8(trimmed) else {
        return Some(Err(DeviceError::InvalidUtf8 {
            hex: hex::encode(trimmed),
        }));
    };
    if text
        .bytes()
        .any(|b| (b < 0x20 || b == 0x7f) && !allowed_control(b))
    {
        return Some(Err(DeviceError::Garbage { line: escape(text) }));
    }
    Some(Ok(text.to_owned()))
}

fn trim_newlines(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| *b != b'\r' && *b != b'\n')
        .map_or(start, |p| p + 1);
    &line[start..end]
}

/// Control characters as `<GS>`-style or `\xNN` escapes, for messages.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{1d}' => out.push_str("<GS>"),
            '\u{1e}' => out.push_str("<RS>"),
            '\u{04}' => out.push_str("<EOT>"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCAN: &[u8] = b"]d201095060001343521727123110LOT42\x1d21SN0001";

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn every_split_of_a_crlf_line_gives_one_line() {
        let mut wire = SCAN.to_vec();
        wire.extend_from_slice(b"\r\n");
        for terminator in [Terminator::CrLf, Terminator::Any] {
            for cut in 0..=wire.len() {
                let mut lines = LineAssembler::new(terminator.clone(), 128);
                let mut out = lines.push(&wire[..cut], 0);
                out.extend(lines.push(&wire[cut..], 1));
                assert_eq!(out, [Ok(text(SCAN))], "{terminator:?} cut at {cut}");
                assert!(!lines.has_partial());
            }
        }
    }

    #[test]
    fn terminators() {
        let cases: [(Terminator, &[u8]); 5] = [
            (Terminator::Cr, b"A\rB\r"),
            (Terminator::Lf, b"A\nB\n"),
            (Terminator::CrLf, b"A\r\nB\r\n"),
            (Terminator::Any, b"A\r\n\r\nB\n"),
            (Terminator::Custom(b"#END".to_vec()), b"A#ENDB#END"),
        ];
        for (terminator, wire) in cases {
            let mut lines = LineAssembler::new(terminator.clone(), 16);
            let out = lines.push(wire, 0);
            assert_eq!(
                out,
                [Ok("A".to_owned()), Ok("B".to_owned())],
                "{terminator:?}"
            );
        }
        // A CR terminator with a scanner that sends CR LF: the LF is not data.
        let mut lines = LineAssembler::new(Terminator::Cr, 16);
        let out = lines.push(b"A\r\nB\r\n", 0);
        assert_eq!(out, [Ok("A".to_owned()), Ok("B".to_owned())]);
    }

    #[test]
    fn over_long_line_is_reported_once_and_the_stream_goes_on() {
        let mut lines = LineAssembler::new(Terminator::Lf, 10);
        let mut out = lines.push(&[b'x'; 25], 0);
        out.extend(lines.push(&[b'y'; 100], 0));
        out.extend(lines.push(b"\nGOOD\n", 0));
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(
            &out[0],
            Err(DeviceError::LineTooLong { limit: 10, head }) if head.starts_with("xxxxxxxxxx")
        ));
        assert_eq!(out[1], Ok("GOOD".to_owned()));
        // Exactly at the limit is fine.
        let mut lines = LineAssembler::new(Terminator::CrLf, 4);
        assert_eq!(lines.push(b"ABCD\r\n", 0), [Ok("ABCD".to_owned())]);
        // One byte over, terminator in the same write: still refused.
        let mut lines = LineAssembler::new(Terminator::Lf, 4);
        let out = lines.push(b"ABCDE\nOK\n", 0);
        assert!(matches!(
            &out[0],
            Err(DeviceError::LineTooLong { limit: 4, .. })
        ));
        assert_eq!(out[1], Ok("OK".to_owned()));
    }

    #[test]
    fn invalid_utf8_and_garbage_are_errors_between_good_lines() {
        let mut lines = LineAssembler::new(Terminator::Any, 64);
        let out = lines.push(b"ONE\n\xff\xfe\x80\nA\x00B\x07\nTWO\n", 0);
        assert_eq!(
            out,
            [
                Ok("ONE".to_owned()),
                Err(DeviceError::InvalidUtf8 {
                    hex: "fffe80".to_owned()
                }),
                Err(DeviceError::Garbage {
                    line: "A\\x00B\\x07".to_owned()
                }),
                Ok("TWO".to_owned()),
            ]
        );
    }

    #[test]
    fn gs1_control_characters_pass() {
        let mut lines = LineAssembler::new(Terminator::Lf, 64);
        let out = lines.push(b"[)>\x1e06\x1d01X\x1c\t\x04\n", 0);
        assert_eq!(out, [Ok("[)>\u{1e}06\u{1d}01X\u{1c}\t\u{4}".to_owned())]);
        // Non-ASCII UTF-8 is data, not garbage.
        assert_eq!(
            lines.push("Größe\n".as_bytes(), 0),
            [Ok("Größe".to_owned())]
        );
    }

    #[test]
    fn missing_terminator_is_reported_after_the_idle_time() {
        let mut lines = LineAssembler::new(Terminator::Cr, 64);
        assert!(lines.push(b"0109506000134352\x1d", 1000).is_empty());
        assert_eq!(lines.idle(1100, 300), None);
        assert_eq!(
            lines.idle(1300, 300),
            Some(DeviceError::NoTerminator {
                partial: "0109506000134352<GS>".to_owned(),
                idle_ms: 300
            })
        );
        assert!(!lines.has_partial());
        assert_eq!(lines.idle(5000, 300), None);
        assert_eq!(lines.push(b"NEXT\r", 5000), [Ok("NEXT".to_owned())]);
    }

    #[test]
    fn reset_forgets_the_partial_line() {
        let mut lines = LineAssembler::new(Terminator::Lf, 64);
        lines.push(b"half", 0);
        lines.reset();
        assert_eq!(lines.push(b"whole\n", 0), [Ok("whole".to_owned())]);
    }
}
