//! Command barcodes (`PBCMD:…`, printed on the sheet of [`crate::ui::sheet`]) and the buttons
//! that do the same: each becomes a station request, a dialog, or a camera action. A packer
//! never needs the mouse.

use super::PackbenchApp;
use crate::domain::{ReasonCode, Severity};
use crate::station::{Mode, Request};

/// The scan mode a command barcode switches to (`PACK`, `REMOVE`, `MOVE`, `LOOKUP`, `RECEIVE`).
pub(crate) fn command_mode(command: &str) -> Option<Mode> {
    match command {
        "PACK" => Some(Mode::Pack),
        "REMOVE" => Some(Mode::Remove),
        "MOVE" => Some(Mode::Move),
        "LOOKUP" => Some(Mode::Lookup),
        "RECEIVE" => Some(Mode::Receive),
        "RETURNS" => Some(Mode::Returns),
        _ => None,
    }
}

impl PackbenchApp {
    /// A command barcode (or the same action from a button).
    pub fn command_barcode(&mut self, command: &str) {
        let request = match command {
            "CLOSE" => Request::Close {
                scan: None,
                signature: None,
            },
            "NEWCASE" => Request::NewContainer {
                level: "case".to_owned(),
                sscc: None,
            },
            "NEWPALLET" => Request::NewContainer {
                level: "pallet".to_owned(),
                sscc: None,
            },
            "UNDO" => Request::Undo { signature: None },
            "SUSPEND" => Request::Suspend {
                scan: None,
                note: None,
                remainder_label: false,
            },
            "PACKALL" => {
                self.pack_all_seen();
                return;
            }
            "VERIFYLAYER" => {
                self.verify_layer();
                return;
            }
            "HANDSFREE" => {
                self.toggle_hands_free();
                return;
            }
            "CONFIRM" => {
                if self.flow_confirm() {
                    return;
                }
                self.confirm = None;
                if self.snapshot.verify.is_some() {
                    self.verify_confirm();
                    return;
                }
                Request::Confirm
            }
            "VERIFY" => {
                self.open_verify();
                return;
            }
            "PRINT" => self.print_request(),
            "REPRINT" => {
                self.open_reprint(self.labels.last_key());
                return;
            }
            "CANCEL" => {
                let had_dialog = self.signature.take().is_some()
                    | self.retire.take().is_some()
                    | self.flow.take().is_some();
                self.confirm = None;
                if had_dialog {
                    return;
                }
                if self.snapshot.verify.is_some() {
                    Request::VerifyCancel
                } else {
                    Request::Cancel
                }
            }
            other => {
                if let Some(mode) = command_mode(other) {
                    if mode == Mode::Returns {
                        self.screen = super::Screen::Returns;
                    }
                    self.send(Request::Mode { mode });
                } else if let Some(flow) = crate::ui::flows::flow_for_command(other) {
                    self.flow = Some(flow);
                } else {
                    self.show_verdict(Severity::Refused, ReasonCode::UnknownCommand, None, None);
                }
                return;
            }
        };
        self.send(request);
    }
}
