//! Scanner profiles: how one configured scanner delivers data, and how to undo it.
//!
//! Real scanners do not always send what the symbol holds (`docs/architecture.md` §2, keyboard-wedge
//! reality): the group separator arrives as a real GS, as a substitute (`^]`, `<GS>`, a
//! configured character) or not at all; a prefix or suffix is added; the AIM symbology
//! identifier is on or off; a keyboard wedge types through a host keyboard layout that does
//! not match. A [`ScannerProfile`] describes one scanner; [`ScannerProfile::normalise`] turns
//! what it delivered into what the symbol holds, ready for [`crate::gs1::parse`].
//! [`calibrate`] infers the profile from one scan of a known test symbol.
//!
//! ```
//! use packbench::gs1::scanner::{GsArrival, KeyboardLayout, ScannerProfile};
//! let profile = ScannerProfile {
//!     gs: GsArrival::Substitute("^]".to_owned()),
//!     prefix: "#".to_owned(),
//!     keyboard: KeyboardLayout::German,
//!     ..ScannerProfile::default()
//! };
//! // A German host typed `§` for `#`, `+` for `]`, `ß` for `-` and `&+` for `^]`.
//! let scan = profile.normalise("§+d2010950600013435210LOTß42&+21SN0001")?;
//! assert_eq!(scan, "]d2010950600013435210LOT-42\u{1d}21SN0001");
//! # Ok::<(), packbench::gs1::scanner::ProfileError>(())
//! ```

mod calibrate;
mod keyboard;

pub use calibrate::{
    Advice, CALIBRATION_SYMBOL, CALIBRATION_SYMBOL_HRI, Calibration, CalibrationError, calibrate,
};
pub use keyboard::KeyboardLayout;

use serde::{Deserialize, Serialize};

use super::message::GS;

/// How a scanner delivers the group separator (FNC1 after a variable-length field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GsArrival {
    /// As the real GS byte (ASCII 29).
    #[default]
    Real,
    /// As a substitute character or sequence (e.g. `^]`, `<GS>`, `@`), replaced by GS.
    Substitute(String),
    /// Not at all: variable-length fields run into each other. Scans can only be read when
    /// the parser can split them unambiguously; the scanner should be reconfigured.
    Dropped,
}

/// How one scanner delivers data. Stored in the settings per configured scanner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScannerProfile {
    /// How GS arrives.
    pub gs: GsArrival,
    /// Characters the scanner puts before every scan (removed); empty = none.
    pub prefix: String,
    /// Characters the scanner puts after every scan, before the line terminator (removed).
    pub suffix: String,
    /// Whether the scanner sends the AIM symbology identifier (`]d2`, `]C1`, ...).
    pub aim: bool,
    /// The host keyboard layout a keyboard wedge types through (undone first).
    pub keyboard: KeyboardLayout,
    /// Caps Lock was on while a keyboard wedge typed: letters arrive with their case swapped.
    pub case_inverted: bool,
}

/// Why a scan does not fit its scanner's profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// Nothing left once prefix and suffix are removed.
    #[error("empty scan {scan:?}")]
    Empty {
        /// What arrived.
        scan: String,
    },
    /// The configured prefix is missing.
    #[error("scan {scan:?} does not start with the scanner's prefix {prefix:?}")]
    MissingPrefix {
        /// The configured prefix.
        prefix: String,
        /// What arrived (after undoing the keyboard layout).
        scan: String,
    },
    /// The configured suffix is missing.
    #[error("scan {scan:?} does not end with the scanner's suffix {suffix:?}")]
    MissingSuffix {
        /// The configured suffix.
        suffix: String,
        /// What arrived (after undoing the keyboard layout).
        scan: String,
    },
}

impl ScannerProfile {
    /// Turns what the scanner delivered (one line, terminator removed) into what the symbol
    /// holds: keyboard layout and Caps Lock undone, prefix and suffix removed, GS substitutes
    /// replaced by GS. The AIM identifier, when present, is kept for the parser.
    pub fn normalise(&self, delivered: &str) -> Result<String, ProfileError> {
        let text = self.undo_keyboard(delivered);
        let without_prefix =
            text.strip_prefix(self.prefix.as_str())
                .ok_or_else(|| ProfileError::MissingPrefix {
                    prefix: self.prefix.clone(),
                    scan: text.clone(),
                })?;
        let body = without_prefix
            .strip_suffix(self.suffix.as_str())
            .ok_or_else(|| ProfileError::MissingSuffix {
                suffix: self.suffix.clone(),
                scan: text.clone(),
            })?;
        if body.is_empty() {
            return Err(ProfileError::Empty { scan: text.clone() });
        }
        Ok(match &self.gs {
            GsArrival::Substitute(sub) if !sub.is_empty() => {
                body.replace(sub.as_str(), &GS.to_string())
            }
            _ => body.to_owned(),
        })
    }
}

impl ScannerProfile {
    /// Undoes what the host keyboard did to a keyboard wedge's typing: the layout mismatch and
    /// Caps Lock. Prefix, suffix and GS are left as they are.
    pub fn undo_keyboard(&self, typed: &str) -> String {
        let text = self.keyboard.to_us(typed);
        if self.case_inverted {
            swap_case(&text)
        } else {
            text
        }
    }
}

/// Swaps the case of ASCII letters (what Caps Lock does to a keyboard wedge).
fn swap_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::{ParseOptions, parse};

    const SYMBOL: &str = "]d201095060001343521727123110LOT42\u{1d}21SN0001";

    #[test]
    fn default_profile_passes_data_through() {
        assert_eq!(ScannerProfile::default().normalise(SYMBOL).unwrap(), SYMBOL);
    }

    #[test]
    fn substitute_prefix_suffix() {
        let profile = ScannerProfile {
            gs: GsArrival::Substitute("<GS>".to_owned()),
            prefix: "@@".to_owned(),
            suffix: "\t".to_owned(),
            aim: true,
            ..ScannerProfile::default()
        };
        let delivered = format!("@@{}\t", SYMBOL.replace('\u{1d}', "<GS>"));
        assert_eq!(profile.normalise(&delivered).unwrap(), SYMBOL);
    }

    #[test]
    fn german_layout_and_caps_lock() {
        let profile = ScannerProfile {
            gs: GsArrival::Substitute("^".to_owned()),
            keyboard: KeyboardLayout::German,
            case_inverted: true,
            ..ScannerProfile::default()
        };
        // The scanner meant `]d2...LOT42^21SN0001`; Caps Lock swapped the letters' case and the
        // German layout turned `]` into `+` and `^` into `&`.
        let meant = SYMBOL.replace('\u{1d}', "^");
        let delivered = KeyboardLayout::German.from_us(&swap_case(&meant));
        assert!(delivered.starts_with("+D2"));
        let normalised = profile.normalise(&delivered).unwrap();
        assert_eq!(normalised, SYMBOL);
        let message = parse(&normalised, &ParseOptions::default()).unwrap();
        assert_eq!(
            message.hri(),
            "(01)09506000134352(17)271231(10)LOT42(21)SN0001"
        );
    }

    #[test]
    fn missing_prefix_or_suffix_is_an_error_naming_the_scan() {
        let profile = ScannerProfile {
            prefix: "P".to_owned(),
            suffix: "S".to_owned(),
            ..ScannerProfile::default()
        };
        assert_eq!(
            profile.normalise("X123S"),
            Err(ProfileError::MissingPrefix {
                prefix: "P".to_owned(),
                scan: "X123S".to_owned()
            })
        );
        assert_eq!(
            profile.normalise("P123"),
            Err(ProfileError::MissingSuffix {
                suffix: "S".to_owned(),
                scan: "P123".to_owned()
            })
        );
        assert_eq!(
            profile.normalise("PS"),
            Err(ProfileError::Empty {
                scan: "PS".to_owned()
            })
        );
    }

    #[test]
    fn dropped_gs_is_left_for_the_parser_to_refuse_or_warn() {
        let profile = ScannerProfile {
            gs: GsArrival::Dropped,
            ..ScannerProfile::default()
        };
        let delivered = SYMBOL.replace('\u{1d}', "");
        assert_eq!(profile.normalise(&delivered).unwrap(), delivered);
    }

    #[test]
    fn profile_round_trips_through_json() {
        let profile = ScannerProfile {
            gs: GsArrival::Substitute("^]".to_owned()),
            prefix: "A".to_owned(),
            suffix: "B".to_owned(),
            aim: true,
            keyboard: KeyboardLayout::French,
            case_inverted: false,
        };
        let json = serde_json::to_string(&profile).unwrap();
        assert_eq!(
            serde_json::from_str::<ScannerProfile>(&json).unwrap(),
            profile
        );
        // Missing fields take their defaults (older settings keep loading).
        assert_eq!(
            serde_json::from_str::<ScannerProfile>("{}").unwrap(),
            ScannerProfile::default()
        );
    }
}
