//! What a scan means, decided in one place: a command barcode, the calibration wizard's sample,
//! a unit for the open dialog or flow, a look-up (on the Look-up screen, whatever the mode), or a
//! scan for the station in its mode. Every scan is parsed here the moment it arrives: one that is
//! not valid GS1 is refused at once, loudly, in every dialog — never taken as a unit and
//! refused only after "Continue".
//!
//! Pure logic, no egui types.
//!
//! ```
//! use packbench::ui::scan_route::{route, ScanContext, ScanRoute};
//! use packbench::ui::state::Screen;
//! use packbench::domain::ReasonCode;
//! let lookup = ScanContext { screen: Screen::Lookup, ..ScanContext::default() };
//! let pack = "(01)09506000134352(17)301231(10)TRAIN01(21)TR00041";
//! assert!(matches!(route(&lookup, pack), ScanRoute::Station(packbench::station::Request::Lookup { .. })));
//! // The tail of a scan that lost its first characters is no unit: refused at once.
//! let cut = "1231(10)TRAIN01(21)TR00041";
//! assert!(matches!(route(&lookup, cut), ScanRoute::Refuse { code: ReasonCode::InvalidScan, .. }));
//! ```

use super::state::Screen;
use crate::devices::camera::unit_key;
use crate::domain::ReasonCode;
use crate::gs1::ParseOptions;
use crate::station::Request;

/// The prefix of command barcodes (`PBCMD:CLOSE`, ...), see [`super::sheet`].
pub const COMMAND_PREFIX: &str = "PBCMD:";

/// What the app is doing when a scan arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanContext {
    /// Someone is logged in.
    pub logged_in: bool,
    /// The screen shown.
    pub screen: Screen,
    /// The scanner calibration wizard waits for its sample.
    pub wizard_waiting: bool,
    /// A rework flow waits for a unit.
    pub flow_waiting: bool,
    /// The decommission / reject dialog is open (a scan names its unit).
    pub retire_open: bool,
    /// A confirmation or signature dialog is open (it is answered, not scanned into).
    pub question_open: bool,
}

impl Default for ScanContext {
    fn default() -> Self {
        Self {
            logged_in: true,
            screen: Screen::Station,
            wizard_waiting: false,
            flow_waiting: false,
            retire_open: false,
            question_open: false,
        }
    }
}

/// What to do with a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanRoute {
    /// A command barcode (the text after `PBCMD:`).
    Command(String),
    /// The calibration wizard takes the raw scan.
    Wizard,
    /// Refused here: nothing is sent.
    Refuse {
        /// Why.
        code: ReasonCode,
        /// The parser's words, for support.
        detail: Option<String>,
    },
    /// The open flow takes the unit (its key was checked).
    Flow,
    /// The open retire dialog takes the unit.
    RetireUnit,
    /// The station gets this request.
    Station(Request),
}

/// Why a scan is no unit, or `None` when it names one (SSCC, or GTIN + serial).
pub fn unit_problem(data: &str) -> Option<(ReasonCode, String)> {
    match crate::gs1::parse(data, &ParseOptions::default()) {
        Err(e) => Some((ReasonCode::InvalidScan, format!("{}: {e}", e.code()))),
        Ok(msg) if msg.unit_key().is_some() => None,
        Ok(msg) if msg.gtin().is_some() => Some((
            ReasonCode::NotSerialised,
            format!("{} has a GTIN but no serial number (21)", msg.hri()),
        )),
        Ok(msg) => Some((
            ReasonCode::NotAUnit,
            format!(
                "{} holds no SSCC (00) nor GTIN + serial (01)(21)",
                msg.hri()
            ),
        )),
    }
}

/// Decides what a scan means.
pub fn route(ctx: &ScanContext, data: &str) -> ScanRoute {
    let data = data.trim_end_matches(['\r', '\n']);
    if let Some(command) = data.strip_prefix(COMMAND_PREFIX) {
        return ScanRoute::Command(command.to_owned());
    }
    if ctx.wizard_waiting {
        return ScanRoute::Wizard;
    }
    if !ctx.logged_in {
        return ScanRoute::Refuse {
            code: ReasonCode::NotLoggedIn,
            detail: None,
        };
    }
    if let Some((code, detail)) = unit_problem(data) {
        // Every route below wants a unit: refused here, before any dialog or mode acts.
        return ScanRoute::Refuse {
            code,
            detail: Some(detail),
        };
    }
    if ctx.flow_waiting {
        return ScanRoute::Flow;
    }
    if ctx.retire_open {
        return ScanRoute::RetireUnit;
    }
    if ctx.question_open {
        return ScanRoute::Refuse {
            code: ReasonCode::ConfirmRequired,
            detail: None,
        };
    }
    // The screens that show no verdict of a packing scan look up (and the answer shows on the
    // Look-up screen): nothing acts unseen behind the shift view, settings, users or recall.
    if matches!(
        ctx.screen,
        Screen::Lookup | Screen::Supervisor | Screen::Settings | Screen::Users | Screen::Recall
    ) {
        return ScanRoute::Station(Request::Lookup {
            scan: data.to_owned(),
        });
    }
    ScanRoute::Station(Request::Scan {
        data: data.to_owned(),
    })
}

/// The unit key of a scan, when it names one (for the dialogs that show it).
pub fn key_of(data: &str) -> Option<String> {
    unit_key(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_without_a_packing_verdict_only_look_up() {
        for screen in [
            Screen::Lookup,
            Screen::Supervisor,
            Screen::Settings,
            Screen::Users,
            Screen::Recall,
        ] {
            let ctx = ScanContext {
                screen,
                ..ScanContext::default()
            };
            assert_eq!(
                route(&ctx, PACK),
                ScanRoute::Station(Request::Lookup {
                    scan: PACK.to_owned()
                }),
                "{screen:?}"
            );
        }
        let station = ScanContext::default();
        assert!(matches!(
            route(&station, PACK),
            ScanRoute::Station(Request::Scan { .. })
        ));
    }

    const PACK: &str = "(01)09506000134352(17)301231(10)TRAIN01(21)TR00041";

    #[test]
    fn commands_come_first_and_need_no_login() {
        let ctx = ScanContext {
            logged_in: false,
            ..ScanContext::default()
        };
        assert_eq!(
            route(&ctx, "PBCMD:CLOSE\r"),
            ScanRoute::Command("CLOSE".into())
        );
        assert!(matches!(
            route(&ctx, PACK),
            ScanRoute::Refuse {
                code: ReasonCode::NotLoggedIn,
                ..
            }
        ));
    }

    #[test]
    fn every_dialog_refuses_a_cut_scan_at_once() {
        let cut = &PACK[24..];
        for ctx in [
            ScanContext::default(),
            ScanContext {
                flow_waiting: true,
                ..ScanContext::default()
            },
            ScanContext {
                retire_open: true,
                ..ScanContext::default()
            },
            ScanContext {
                screen: Screen::Lookup,
                ..ScanContext::default()
            },
        ] {
            assert!(
                matches!(
                    route(&ctx, cut),
                    ScanRoute::Refuse {
                        code: ReasonCode::InvalidScan,
                        ..
                    }
                ),
                "{ctx:?}"
            );
        }
        assert!(matches!(
            route(&ScanContext::default(), "(01)09506000134352"),
            ScanRoute::Refuse {
                code: ReasonCode::NotSerialised,
                ..
            }
        ));
    }

    #[test]
    fn the_lookup_screen_only_looks_up_and_dialogs_take_their_unit() {
        let lookup = ScanContext {
            screen: Screen::Lookup,
            ..ScanContext::default()
        };
        assert_eq!(
            route(&lookup, PACK),
            ScanRoute::Station(Request::Lookup { scan: PACK.into() })
        );
        let flow = ScanContext {
            flow_waiting: true,
            screen: Screen::Lookup,
            ..ScanContext::default()
        };
        assert_eq!(route(&flow, PACK), ScanRoute::Flow);
        let question = ScanContext {
            question_open: true,
            ..ScanContext::default()
        };
        assert!(matches!(
            route(&question, PACK),
            ScanRoute::Refuse {
                code: ReasonCode::ConfirmRequired,
                ..
            }
        ));
        assert_eq!(
            route(&ScanContext::default(), PACK),
            ScanRoute::Station(Request::Scan { data: PACK.into() })
        );
    }
}
