//! The entry point: turns whatever a scanner, camera or person produced into a validated
//! [`Gs1Message`]. Accepts raw element strings (with or without an AIM symbology
//! identifier, with GS or a configured GS substitute), the bracketed form and GS1 Digital
//! Link URIs.

use super::bracketed;
use super::digital_link;
use super::error::Gs1Error;
use super::message::{GS, Gs1Message, Gs1Warning, InputForm};
use super::raw;
use super::symbology;
use super::validate;

pub use symbology::Symbology;

/// How scans are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Strings that stand for GS (FNC1) in raw data, as keyboard wedges deliver it, e.g.
    /// `"^]"`, `"<GS>"`, `"{GS}"`. A real GS (ASCII 29) is always accepted.
    /// Default: the 4-character escape `\x1d`.
    pub gs_substitutes: Vec<String>,
    /// Accept data that is not GS1 (returns a message with `non_gs1_data` and no elements)
    /// instead of the `NOT_GS1` error. Default: false.
    pub allow_non_gs1: bool,
    /// Accept a GTIN-8/12/13 in a Digital Link path and left-pad it to 14 digits instead of
    /// the `ZERO_SUPPRESSED_GTIN` error. Default: false (strict).
    pub accept_zero_suppressed_gtin: bool,
    /// Warn when a variable-length value ends with what reads as another element string
    /// (a lost GS). Default: true.
    pub detect_missing_separator: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            gs_substitutes: vec!["\\x1d".to_owned()],
            allow_non_gs1: false,
            accept_zero_suppressed_gtin: false,
            detect_missing_separator: true,
        }
    }
}

impl ParseOptions {
    /// Default options plus extra GS substitutes.
    pub fn with_gs_substitutes<I, S>(substitutes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut opts = ParseOptions::default();
        opts.gs_substitutes
            .extend(substitutes.into_iter().map(Into::into));
        opts
    }
}

/// Parses one scan: raw element string (optionally with AIM identifier), bracketed form or
/// Digital Link URI. Trailing CR/LF (scanner suffixes) are ignored.
pub fn parse(scan: &str, opts: &ParseOptions) -> Result<Gs1Message, Gs1Error> {
    let scan = scan.trim_end_matches(['\r', '\n']);
    let (symbology, data) = split_symbology(scan);
    if data.is_empty() {
        return Err(Gs1Error::EmptyInput);
    }
    match &symbology {
        Some(s) if s.carries_element_strings() => parse_raw_scan(data, symbology, opts),
        Some(Symbology::Ean13) | Some(Symbology::Ean8) => parse_ean(data, symbology),
        Some(s) => {
            if is_uri_like(data) {
                parse_dl(data, symbology, opts)
            } else {
                non_gs1(
                    data,
                    symbology.clone(),
                    opts,
                    format!("{} carries plain data, not GS1 element strings", s.name()),
                )
            }
        }
        None if data.starts_with('(') => {
            let elements = bracketed::parse_bracketed(data)?;
            validate::check_message(&elements)?;
            Ok(message(None, elements, InputForm::Bracketed))
        }
        None if is_uri_like(data) => parse_dl(data, None, opts),
        None => match parse_raw_scan(data, None, opts) {
            Err(Gs1Error::NotGs1 { reason }) => non_gs1(data, None, opts, reason),
            other => other,
        },
    }
}

fn message(
    symbology: Option<Symbology>,
    elements: Vec<super::message::Element>,
    form: InputForm,
) -> Gs1Message {
    Gs1Message {
        symbology,
        elements,
        form,
        non_gs1_data: None,
        warnings: Vec::new(),
    }
}

fn non_gs1(
    data: &str,
    symbology: Option<Symbology>,
    opts: &ParseOptions,
    reason: String,
) -> Result<Gs1Message, Gs1Error> {
    if !opts.allow_non_gs1 {
        return Err(Gs1Error::NotGs1 { reason });
    }
    let mut msg = message(symbology, Vec::new(), InputForm::NonGs1);
    msg.non_gs1_data = Some(data.to_owned());
    Ok(msg)
}

/// Splits a leading AIM symbology identifier (`]d2`) off the scan.
fn split_symbology(scan: &str) -> (Option<Symbology>, &str) {
    if let Some(s) = scan.get(..3).and_then(Symbology::from_aim) {
        return (Some(s), &scan[3..]);
    }
    (None, scan)
}

fn is_uri_like(data: &str) -> bool {
    let lower = |n: usize| data.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// Replaces the configured GS substitutes by a real GS.
pub fn normalise_gs(data: &str, opts: &ParseOptions) -> String {
    let mut out = data.to_owned();
    for sub in opts.gs_substitutes.iter().filter(|s| !s.is_empty()) {
        if out.contains(sub.as_str()) {
            out = out.replace(sub.as_str(), &GS.to_string());
        }
    }
    out
}

fn parse_raw_scan(
    data: &str,
    symbology: Option<Symbology>,
    opts: &ParseOptions,
) -> Result<Gs1Message, Gs1Error> {
    let data = normalise_gs(data, opts);
    let elements = raw::parse_raw(&data)?;
    validate::check_message(&elements)?;
    let warnings = if opts.detect_missing_separator {
        raw::swallowed_elements(&elements)
            .into_iter()
            .filter_map(|(i, swallowed)| {
                elements
                    .get(i)
                    .map(|e| Gs1Warning::SuspectedMissingSeparator {
                        ai: e.ai.clone(),
                        value: e.value.clone(),
                        swallowed,
                    })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut msg = message(symbology, elements, InputForm::Raw);
    msg.warnings = warnings;
    Ok(msg)
}

/// EAN-13/UPC-A (`]E0`, 13 digits) and EAN-8 (`]E4`, 8 digits) carry a GTIN.
fn parse_ean(data: &str, symbology: Option<Symbology>) -> Result<Gs1Message, Gs1Error> {
    let pad = match (&symbology, data.len()) {
        (Some(Symbology::Ean13), 13) => "0",
        (Some(Symbology::Ean13), 12) => "00",
        (Some(Symbology::Ean8), 8) => "000000",
        _ => {
            return Err(Gs1Error::NotGs1 {
                reason: format!(
                    "EAN/UPC data must be a GTIN, found {} characters",
                    data.len()
                ),
            });
        }
    };
    let elements = raw::parse_raw(&format!("01{pad}{data}"))?;
    Ok(message(symbology, elements, InputForm::Raw))
}

fn parse_dl(
    data: &str,
    symbology: Option<Symbology>,
    opts: &ParseOptions,
) -> Result<Gs1Message, Gs1Error> {
    let elements = digital_link::parse(data, opts.accept_zero_suppressed_gtin)?;
    validate::check_message(&elements)?;
    Ok(message(symbology, elements, InputForm::DigitalLink))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs_substitutes() {
        let opts = ParseOptions::with_gs_substitutes(["<GS>", "^]"]);
        let a = parse("010950600013435210LOT42<GS>21SN0001", &opts).unwrap();
        let b = parse("010950600013435210LOT42^]21SN0001", &opts).unwrap();
        let c = parse("010950600013435210LOT42\\x1d21SN0001", &opts).unwrap();
        assert_eq!(a.elements, b.elements);
        assert_eq!(a.elements, c.elements);
        assert_eq!(a.serial().unwrap().as_str(), "SN0001");
    }

    #[test]
    fn symbology_and_line_endings() {
        let m = parse("]d2010950600013435221SN0001\r\n", &ParseOptions::default()).unwrap();
        assert_eq!(m.symbology, Some(Symbology::Gs1DataMatrix));
        assert_eq!(m.hri(), "(01)09506000134352(21)SN0001");
    }

    #[test]
    fn ean13_is_a_gtin() {
        let m = parse("]E09506000134352", &ParseOptions::default()).unwrap();
        assert_eq!(m.gtin().unwrap().as_str(), "09506000134352");
    }

    #[test]
    fn non_gs1_when_allowed() {
        let opts = ParseOptions {
            allow_non_gs1: true,
            ..ParseOptions::default()
        };
        let m = parse("]d1HELLO", &opts).unwrap();
        assert_eq!(m.non_gs1_data.as_deref(), Some("HELLO"));
        assert_eq!(m.form, InputForm::NonGs1);
        let err = parse("]d1HELLO", &ParseOptions::default()).unwrap_err();
        assert_eq!(err.code(), "NOT_GS1");
    }

    #[test]
    fn digital_link_in_plain_qr() {
        let m = parse(
            "]Q1https://id.gs1.org/01/09506000134352",
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(m.form, InputForm::DigitalLink);
        assert_eq!(m.symbology, Some(Symbology::Qr));
    }
}
