//! Calibration: infer a scanner's profile from one scan of a known test symbol.
//!
//! The wizard shows [`CALIBRATION_SYMBOL`] as a GS1 DataMatrix; the user scans it; the app
//! passes what arrived to [`calibrate`]. The symbol's lot holds the letters that keyboard
//! layouts move (`Q A Z W Y M`) in both cases and the punctuation they move (`- / .`), and a GS
//! follows it, so one scan tells the layout, Caps Lock, how GS arrives, prefix, suffix and AIM.
//!
//! ```
//! use packbench::gs1::scanner::{calibrate, CALIBRATION_SYMBOL, GsArrival, CalibrationError};
//! // A scanner that sends AIM and a real GS needs nothing.
//! let ok = calibrate(&format!("]d2{CALIBRATION_SYMBOL}\r"))?;
//! assert_eq!(ok.profile.gs, GsArrival::Real);
//! assert!(ok.profile.aim && ok.advice.is_empty());
//! // One that drops GS must be reconfigured.
//! let dropped = calibrate(&CALIBRATION_SYMBOL.replace('\u{1d}', ""));
//! assert_eq!(dropped.unwrap_err(), CalibrationError::GsDropped);
//! # Ok::<(), CalibrationError>(())
//! ```

use super::keyboard::KeyboardLayout;
use super::{GsArrival, ScannerProfile, swap_case};
use crate::gs1::message::GS;

/// The calibration test symbol's element string (GS1 DataMatrix, without AIM identifier):
/// GTIN, a lot with layout-sensitive characters, GS, a serial.
pub const CALIBRATION_SYMBOL: &str = "010950600013435210QAZWYMqazwym-/.\u{1d}21PB.CAL-1";

/// The calibration symbol in bracketed form (printed under the symbol).
pub const CALIBRATION_SYMBOL_HRI: &str = "(01)09506000134352(10)QAZWYMqazwym-/.(21)PB.CAL-1";

/// The GTIN inside the calibration symbol: found → the right symbol was scanned.
const CALIBRATION_GTIN: &str = "09506000134352";

/// The GS1 character set 82: what a single-character GS substitute must not be.
fn in_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

/// An inferred profile and what the user should still change on the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calibration {
    /// The profile that reads this scanner correctly.
    pub profile: ScannerProfile,
    /// Settings worth changing even though the profile compensates.
    pub advice: Vec<Advice>,
}

/// A scanner setting worth changing (the profile compensates for now).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Advice {
    /// AIM identifiers are off.
    #[error(
        "the scanner does not send AIM symbology identifiers: enable them so the station can tell a GS1 DataMatrix from a plain one"
    )]
    EnableAim,
    /// A keyboard wedge types for a US keyboard on a host with another layout.
    #[error(
        "the scanner types for a US keyboard but this computer uses the {} layout: set the scanner's keyboard country to {} (until then scans containing {} cannot be read)",
        layout.name(), layout.name(), untypable(*layout)
    )]
    KeyboardCountry {
        /// The host's layout.
        layout: KeyboardLayout,
    },
    /// Caps Lock was on while the keyboard wedge typed.
    #[error("Caps Lock is on: letters arrive with their case swapped; turn Caps Lock off")]
    CapsLock,
}

fn untypable(layout: KeyboardLayout) -> String {
    layout
        .untypable()
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Advice {
    /// Stable identifier (the GUI maps it to a translated message).
    pub fn code(&self) -> &'static str {
        match self {
            Self::EnableAim => "ENABLE_AIM",
            Self::KeyboardCountry { .. } => "KEYBOARD_COUNTRY",
            Self::CapsLock => "CAPS_LOCK",
        }
    }
}

/// Why no usable profile could be inferred; each says which scanner setting to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrationError {
    /// Nothing arrived.
    #[error("nothing arrived from the scanner: check the cable/port and scan the test symbol")]
    NothingReceived,
    /// Something arrived, but not the test symbol.
    #[error("{received:?} is not the calibration symbol: scan the symbol the app shows")]
    WrongSymbol {
        /// What arrived.
        received: String,
    },
    /// The test symbol arrived changed beyond what a profile can undo (truncated, or a
    /// keyboard layout this app does not know).
    #[error(
        "{received:?} is the calibration symbol but arrived changed: check the scanner's keyboard country and data-editing settings, or reset it to factory defaults"
    )]
    Garbled {
        /// What arrived.
        received: String,
    },
    /// The scanner drops the group separator.
    #[error(
        "this scanner drops the group separator: enable FNC1/GS transmission (send GS as ASCII 29, or as a substitute such as ^])"
    )]
    GsDropped,
    /// GS arrives as one character that can also be data.
    #[error(
        "the scanner sends the group separator as {substitute:?}, which can also occur in GS1 data: configure a GS substitute outside the GS1 character set (e.g. ASCII 29, ^] or ~)"
    )]
    AmbiguousSubstitute {
        /// The substitute.
        substitute: String,
    },
    /// The symbol arrived more than once in one scan (a double read), or with a prefix or
    /// suffix too long to be one: a profile made from it would eat real data.
    #[error(
        "{received:?} holds the calibration symbol more than once or with a {affix_chars}-character prefix or suffix: scan the symbol once (turn off the scanner's multiple-read or continuous mode) and try again"
    )]
    DoubleRead {
        /// What arrived.
        received: String,
        /// The length of the longest prefix or suffix found.
        affix_chars: usize,
    },
}

/// The longest prefix or suffix a scanner is believed to add (programmed affixes are a few
/// characters: a source code, STX/ETX, a line terminator).
pub const MAX_AFFIX_CHARS: usize = 16;

/// Infers the profile of a scanner from what it delivered for [`CALIBRATION_SYMBOL`].
/// Trailing CR/LF (line terminators) are ignored.
pub fn calibrate(received: &str) -> Result<Calibration, CalibrationError> {
    calibrate_with(CALIBRATION_SYMBOL, received)
}

/// [`calibrate`] against another test symbol: an element string with exactly one GS, whose
/// GTIN (AI 01) comes first.
pub fn calibrate_with(symbol: &str, received: &str) -> Result<Calibration, CalibrationError> {
    let received = received.trim_end_matches(['\r', '\n']);
    if received.is_empty() {
        return Err(CalibrationError::NothingReceived);
    }
    let Some((head, tail)) = symbol.split_once(GS) else {
        return Err(CalibrationError::Garbled {
            received: received.to_owned(),
        });
    };
    let gtin = symbol.get(2..16).unwrap_or(CALIBRATION_GTIN);
    let mut recognised = false;
    for layout in KeyboardLayout::ALL {
        for caps in [false, true] {
            let mut meant = layout.to_us(received);
            if caps {
                meant = swap_case(&meant);
            }
            recognised |= meant.contains(gtin);
            if let Some(found) = explain(&meant, head, tail) {
                let affix_chars = found
                    .prefix
                    .chars()
                    .count()
                    .max(found.suffix.chars().count());
                let repeated = [&found.prefix, &found.suffix]
                    .iter()
                    .any(|a| a.contains(gtin) || a.contains("]d2") || a.contains(tail));
                if repeated || affix_chars > MAX_AFFIX_CHARS {
                    return Err(CalibrationError::DoubleRead {
                        received: received.to_owned(),
                        affix_chars,
                    });
                }
                return finish(found, layout, caps);
            }
        }
    }
    if recognised {
        Err(CalibrationError::Garbled {
            received: received.to_owned(),
        })
    } else {
        Err(CalibrationError::WrongSymbol {
            received: received.to_owned(),
        })
    }
}

/// What one reading of the received text shows.
struct Found {
    prefix: String,
    aim: bool,
    separator: String,
    suffix: String,
}

/// Finds `head`, a separator and `tail` in `meant`; what precedes is prefix (+ AIM), what
/// follows is suffix.
fn explain(meant: &str, head: &str, tail: &str) -> Option<Found> {
    let start = meant.find(head)?;
    let before = &meant[..start];
    let rest = &meant[start + head.len()..];
    let gap = rest.find(tail)?;
    let (prefix, aim) = match before.strip_suffix("]d2") {
        Some(prefix) => (prefix, true),
        None => (before, false),
    };
    Some(Found {
        prefix: prefix.to_owned(),
        aim,
        separator: rest[..gap].to_owned(),
        suffix: rest[gap + tail.len()..].to_owned(),
    })
}

fn finish(
    found: Found,
    layout: KeyboardLayout,
    caps: bool,
) -> Result<Calibration, CalibrationError> {
    let gs = match found.separator.as_str() {
        "" => return Err(CalibrationError::GsDropped),
        "\u{1d}" => GsArrival::Real,
        one if one.chars().count() == 1 && one.chars().all(in_cset82) => {
            return Err(CalibrationError::AmbiguousSubstitute {
                substitute: one.to_owned(),
            });
        }
        other => GsArrival::Substitute(other.to_owned()),
    };
    let mut advice = Vec::new();
    if !found.aim {
        advice.push(Advice::EnableAim);
    }
    if layout != KeyboardLayout::Us {
        advice.push(Advice::KeyboardCountry { layout });
    }
    if caps {
        advice.push(Advice::CapsLock);
    }
    Ok(Calibration {
        profile: ScannerProfile {
            gs,
            prefix: found.prefix,
            suffix: found.suffix,
            aim: found.aim,
            keyboard: layout,
            case_inverted: caps,
        },
        advice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::{ParseOptions, parse};

    /// What a scanner with `profile` delivers for `symbol` (the inverse of normalising).
    fn deliver(profile: &ScannerProfile, symbol: &str) -> String {
        let mut meant = String::new();
        meant.push_str(&profile.prefix);
        if profile.aim {
            meant.push_str("]d2");
        }
        let body = match &profile.gs {
            GsArrival::Real => symbol.to_owned(),
            GsArrival::Substitute(sub) => symbol.replace(GS, sub),
            GsArrival::Dropped => symbol.replace(GS, ""),
        };
        meant.push_str(&body);
        meant.push_str(&profile.suffix);
        if profile.case_inverted {
            meant = swap_case(&meant);
        }
        profile.keyboard.from_us(&meant)
    }

    fn profiles() -> Vec<ScannerProfile> {
        let mut all = Vec::new();
        for gs in [
            GsArrival::Real,
            GsArrival::Substitute("^]".to_owned()),
            GsArrival::Substitute("<GS>".to_owned()),
            GsArrival::Substitute("~".to_owned()),
            GsArrival::Substitute("\u{1c}".to_owned()),
        ] {
            for (prefix, suffix) in [("", ""), ("#", ""), ("", "\t"), ("SCN:", "|END")] {
                for aim in [true, false] {
                    for keyboard in KeyboardLayout::ALL {
                        for case_inverted in [false, true] {
                            all.push(ScannerProfile {
                                gs: gs.clone(),
                                prefix: prefix.to_owned(),
                                suffix: suffix.to_owned(),
                                aim,
                                keyboard,
                                case_inverted,
                            });
                        }
                    }
                }
            }
        }
        all
    }

    /// Whether `text` can be typed through the profile's layout (no dead keys).
    fn typable(profile: &ScannerProfile, text: &str) -> bool {
        !text
            .chars()
            .any(|c| profile.keyboard.untypable().contains(&c))
    }

    #[test]
    fn every_profile_is_recovered_and_then_reads_real_scans() {
        let scan = "]d201095060001343521727123110LOT-Y/Z\u{1d}21Sn.Q-W";
        let mut checked = 0;
        for profile in profiles() {
            let mut meant = format!("{}{}", profile.prefix, profile.suffix);
            if let GsArrival::Substitute(sub) = &profile.gs {
                meant.push_str(sub);
            }
            if !typable(&profile, &meant) {
                continue;
            }
            let delivered = deliver(&profile, CALIBRATION_SYMBOL);
            let calibration = calibrate(&format!("{delivered}\r\n"))
                .unwrap_or_else(|err| panic!("{profile:?}: {err}"));
            assert_eq!(calibration.profile, profile, "delivered {delivered:?}");
            // The inferred profile turns a real scan back into what the symbol holds.
            let real = deliver(&profile, &scan[3..]);
            let normalised = calibration.profile.normalise(&real).unwrap();
            let expected = if profile.aim {
                scan.to_owned()
            } else {
                scan[3..].to_owned()
            };
            assert_eq!(normalised, expected, "{profile:?}");
            let message = parse(&normalised, &ParseOptions::default()).unwrap();
            assert_eq!(message.gtin().unwrap().as_str(), "09506000134352");
            checked += 1;
        }
        assert!(checked > 200, "only {checked} profiles checked");
    }

    #[test]
    fn advice_follows_what_was_found() {
        let plain = calibrate(CALIBRATION_SYMBOL).unwrap();
        assert_eq!(plain.advice, [Advice::EnableAim]);
        let german = ScannerProfile {
            aim: true,
            keyboard: KeyboardLayout::German,
            case_inverted: true,
            gs: GsArrival::Substitute("^]".to_owned()),
            ..ScannerProfile::default()
        };
        let calibration = calibrate(&deliver(&german, CALIBRATION_SYMBOL)).unwrap();
        assert_eq!(
            calibration.advice,
            [
                Advice::KeyboardCountry {
                    layout: KeyboardLayout::German
                },
                Advice::CapsLock
            ]
        );
        let text = calibration.advice[0].to_string();
        assert!(text.contains("German") && text.contains("'+'"), "{text}");
        assert_eq!(calibration.advice[1].code(), "CAPS_LOCK");
    }

    #[test]
    fn dropped_gs_says_which_setting_to_change() {
        for layout in KeyboardLayout::ALL {
            let profile = ScannerProfile {
                gs: GsArrival::Dropped,
                aim: true,
                keyboard: layout,
                ..ScannerProfile::default()
            };
            let err = calibrate(&deliver(&profile, CALIBRATION_SYMBOL)).unwrap_err();
            assert_eq!(err, CalibrationError::GsDropped);
            assert!(err.to_string().contains("enable FNC1"));
        }
    }

    #[test]
    fn a_substitute_that_can_be_data_is_refused() {
        for sub in ["@", "#", "$"] {
            let delivered = CALIBRATION_SYMBOL.replace(GS, sub);
            // `@ # $` are outside CSET 82: accepted.
            assert!(calibrate(&delivered).is_ok(), "{sub}");
        }
        for sub in ["A", "-", "%", "_"] {
            let delivered = CALIBRATION_SYMBOL.replace(GS, sub);
            assert_eq!(
                calibrate(&delivered).unwrap_err(),
                CalibrationError::AmbiguousSubstitute {
                    substitute: sub.to_owned()
                },
                "{sub}"
            );
        }
    }

    #[test]
    fn wrong_symbol_empty_and_garbled() {
        assert_eq!(calibrate(""), Err(CalibrationError::NothingReceived));
        assert_eq!(calibrate("\r\n"), Err(CalibrationError::NothingReceived));
        assert_eq!(
            calibrate("]d201095060001343521727123110LOT42\u{1d}21SN0001"),
            Err(CalibrationError::Garbled {
                received: "]d201095060001343521727123110LOT42\u{1d}21SN0001".to_owned()
            })
        );
        assert_eq!(
            calibrate("]C100095060000000000015"),
            Err(CalibrationError::WrongSymbol {
                received: "]C100095060000000000015".to_owned()
            })
        );
        // Truncated after the lot: the symbol is recognised, but not all of it arrived.
        let truncated = &CALIBRATION_SYMBOL[..30];
        assert!(matches!(
            calibrate(truncated),
            Err(CalibrationError::Garbled { .. })
        ));
    }

    #[test]
    fn the_symbol_is_valid_gs1_and_matches_its_hri() {
        let message = parse(CALIBRATION_SYMBOL, &ParseOptions::default()).unwrap();
        assert_eq!(message.hri(), CALIBRATION_SYMBOL_HRI);
        assert_eq!(message.raw(), CALIBRATION_SYMBOL);
    }

    #[test]
    fn a_double_read_is_refused_not_taken_for_a_prefix() {
        let once = format!("]d2{CALIBRATION_SYMBOL}");
        let twice = format!("{once}{once}\r");
        assert!(matches!(
            calibrate(&twice),
            Err(CalibrationError::DoubleRead { affix_chars, .. }) if affix_chars == once.chars().count()
        ));
        // A partial first read in front of a whole one: 50 characters are no prefix.
        let partial = format!("{}{once}", &once[..20]);
        assert!(matches!(
            calibrate(&partial),
            Err(CalibrationError::DoubleRead { .. })
        ));
        // A short programmed prefix and suffix still calibrate.
        let ok = calibrate(&format!("S1]d2{CALIBRATION_SYMBOL}#\r")).unwrap();
        assert_eq!(
            (ok.profile.prefix.as_str(), ok.profile.suffix.as_str()),
            ("S1", "#")
        );
    }
}
