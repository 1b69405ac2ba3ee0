//! The rework flows driven by scans: replace a damaged unit (scan old, scan new), relabel a
//! container (scan old label, scan new label), unpack a whole container (with a confirmation
//! step), decommission / reject / destroy / sample (scan, then the reason picker of the retire
//! dialog), reprint a label with a reason, and start a contents check (the container being
//! filled, or the one scanned: a scan starts it at once). Each flow collects its scans, shows what it will
//! do, and sends one station [`Request`] on Confirm (button or the `PBCMD:CONFIRM` barcode);
//! the station asks for a supervisor signature where the rules demand it.

use super::i18n::I18n;
use super::ui_command::UiCommand;
use crate::domain::RemovalReason;
use crate::station::Request;

/// Why a label is printed again (audited with the reprint; the code is stored, not the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReprintReason {
    /// The label is torn, smeared or unreadable.
    Damaged,
    /// The printer jammed or printed nothing usable.
    PrinterJam,
    /// The label was lost before it was applied.
    Lost,
    /// Anything else.
    Other,
}

impl ReprintReason {
    /// Every reason, in picker order.
    pub const ALL: [Self; 4] = [Self::Damaged, Self::PrinterJam, Self::Lost, Self::Other];

    /// The stable code recorded in the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::Damaged => "label_damaged",
            Self::PrinterJam => "printer_jam",
            Self::Lost => "label_lost",
            Self::Other => "other",
        }
    }

    /// The Fluent id of its caption.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Damaged => "reprint-reason-damaged",
            Self::PrinterJam => "reprint-reason-jam",
            Self::Lost => "reprint-reason-lost",
            Self::Other => "reprint-reason-other",
        }
    }
}

/// A multi-step flow in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// Replace a damaged unit in its container.
    Replace {
        /// The damaged unit (first scan).
        damaged: Option<String>,
        /// Its replacement (second scan).
        replacement: Option<String>,
        /// Why the damaged unit leaves.
        reason: RemovalReason,
        /// Destroy it instead of decommissioning it.
        destroy: bool,
    },
    /// Give a container a new SSCC label.
    Relabel {
        /// The old label (first scan).
        old: Option<String>,
        /// The new label (second scan).
        new: Option<String>,
    },
    /// Empty a whole container (asks for confirmation).
    Unpack {
        /// The container.
        container: Option<String>,
    },
    /// Decommission / reject / destroy / sample: waits for the unit, then opens the retire
    /// dialog with its reason picker.
    Retire,
    /// Print a label again, with a reason.
    Reprint {
        /// The label's SSCC.
        sscc: Option<String>,
        /// Why.
        reason: ReprintReason,
    },
    /// Check a container's contents: the container being filled (Confirm) or the one scanned
    /// (the scan starts the check at once).
    Verify {
        /// The container.
        container: Option<String>,
    },
}

impl Flow {
    /// The Fluent id of the flow's title.
    pub fn title_id(&self) -> &'static str {
        match self {
            Self::Replace { .. } => "flow-replace-title",
            Self::Relabel { .. } => "flow-relabel-title",
            Self::Unpack { .. } => "flow-unpack-title",
            Self::Retire => "flow-retire-title",
            Self::Reprint { .. } => "flow-reprint-title",
            Self::Verify { .. } => "flow-verify-title",
        }
    }

    /// The Fluent id of what the packer must do next.
    pub fn prompt_id(&self) -> &'static str {
        match self {
            Self::Replace { damaged: None, .. } => "flow-scan-damaged",
            Self::Replace {
                replacement: None, ..
            } => "flow-scan-replacement",
            Self::Relabel { old: None, .. } => "flow-scan-old-label",
            Self::Relabel { new: None, .. } => "flow-scan-new-label",
            Self::Unpack { container: None } => "flow-scan-container",
            Self::Retire => "flow-scan-unit",
            Self::Reprint { sscc: None, .. } => "flow-scan-label",
            Self::Verify { container: None } => "flow-scan-container-verify",
            Self::Unpack { .. } => "flow-unpack-question",
            _ => "flow-confirm-hint",
        }
    }

    /// Whether the flow waits for a scan (a complete flow waits for Confirm or Cancel; a
    /// contents check takes a scan naming another container at any time).
    pub fn wants_scan(&self) -> bool {
        matches!(self, Self::Retire | Self::Verify { .. }) || self.request().is_none()
    }

    /// Takes a scan; `false` when the flow already has everything.
    pub fn take_scan(&mut self, scan: &str) -> bool {
        let slot = match self {
            Self::Replace {
                damaged: d @ None, ..
            } => d,
            Self::Replace {
                replacement: r @ None,
                ..
            } => r,
            Self::Relabel { old: o @ None, .. } => o,
            Self::Relabel { new: n @ None, .. } => n,
            Self::Unpack {
                container: c @ None,
            } => c,
            Self::Reprint { sscc: s @ None, .. } => s,
            // A scan names the container to check, whatever was proposed.
            Self::Verify { container } => container,
            _ => return false,
        };
        *slot = Some(scan.to_owned());
        true
    }

    /// The station command once every scan is in (`None` while one is missing).
    pub fn request(&self) -> Option<Request> {
        match self {
            Self::Replace {
                damaged: Some(damaged),
                replacement: Some(replacement),
                reason,
                destroy,
            } => Some(Request::Replace {
                damaged: damaged.clone(),
                replacement: replacement.clone(),
                reason: Some(*reason),
                destroy: *destroy,
                signature: None,
            }),
            Self::Relabel {
                old: Some(old),
                new: Some(new),
            } => Some(Request::Relabel {
                old: old.clone(),
                new: new.clone(),
            }),
            Self::Unpack {
                container: Some(scan),
            } => Some(Request::Unpack { scan: scan.clone() }),
            Self::Reprint {
                sscc: Some(scan),
                reason,
            } => Some(Request::ReprintLabel {
                scan: scan.clone(),
                reason: reason.code().to_owned(),
            }),
            Self::Verify {
                container: Some(scan),
            } => Some(Request::VerifyStart {
                container: scan.clone(),
            }),
            _ => None,
        }
    }

    /// The scans collected so far, with the Fluent id of their caption.
    pub fn collected(&self) -> Vec<(&'static str, &str)> {
        let pairs: [(&'static str, &Option<String>); 2] = match self {
            Self::Replace {
                damaged,
                replacement,
                ..
            } => [("flow-damaged", damaged), ("flow-replacement", replacement)],
            Self::Relabel { old, new } => [("flow-old-label", old), ("flow-new-label", new)],
            Self::Unpack { container } => [("flow-container", container), ("", &None)],
            Self::Reprint { sscc, .. } => [("flow-label", sscc), ("", &None)],
            Self::Verify { container } => [("flow-container", container), ("", &None)],
            Self::Retire => [("", &None), ("", &None)],
        };
        pairs
            .into_iter()
            .filter_map(|(id, v)| v.as_deref().map(|v| (id, v)))
            .collect()
    }
}

/// The flow a command barcode starts, if it is one of the flow commands.
pub fn flow_for_command(command: &str) -> Option<Flow> {
    Some(match command {
        "REPLACE" => Flow::Replace {
            damaged: None,
            replacement: None,
            reason: RemovalReason::Damaged,
            destroy: false,
        },
        "RELABEL" => Flow::Relabel {
            old: None,
            new: None,
        },
        "UNPACK" => Flow::Unpack { container: None },
        "RETIRE" => Flow::Retire,
        "REPRINT" => Flow::Reprint {
            sscc: None,
            reason: ReprintReason::Damaged,
        },
        "VERIFY" => Flow::Verify { container: None },
        _ => return None,
    })
}

/// The dialog of the open flow: what was scanned, what to do next, the reason picker, Confirm
/// and Cancel.
pub fn flow_ui(ctx: &egui::Context, i18n: &I18n, flow: &mut Flow) -> Option<UiCommand> {
    use super::dialogs::{big_button, choice, fact, modal};
    let mut out = None;
    modal(ctx, "flow", &i18n.tr(flow.title_id()), |ui| {
        for (id, value) in flow.collected() {
            fact(ui, &i18n.tr(id), value);
        }
        ui.add(
            egui::Label::new(
                egui::RichText::new(i18n.tr(flow.prompt_id()))
                    .size(24.0)
                    .strong(),
            )
            .wrap(),
        );
        match flow {
            Flow::Replace {
                reason, destroy, ..
            } => {
                ui.label(i18n.tr("retire-reason"));
                ui.horizontal_wrapped(|ui| {
                    for r in [
                        RemovalReason::Damaged,
                        RemovalReason::Expired,
                        RemovalReason::Rejected,
                        RemovalReason::Other,
                    ] {
                        let id = format!("removal-{}", r.code().replace('_', "-"));
                        if choice(ui, i18n.tr(&id), *reason == r).clicked() {
                            *reason = r;
                        }
                    }
                });
                ui.checkbox(destroy, i18n.tr("flow-destroy-damaged"));
            }
            Flow::Reprint { reason, .. } => {
                ui.label(i18n.tr("retire-reason"));
                ui.horizontal_wrapped(|ui| {
                    for r in ReprintReason::ALL {
                        if choice(ui, i18n.tr(r.message_id()), *reason == r).clicked() {
                            *reason = r;
                        }
                    }
                });
            }
            _ => {}
        }
        ui.horizontal_wrapped(|ui| {
            let ready = flow.request().is_some();
            let confirm = ui
                .add_enabled_ui(ready, |ui| big_button(ui, i18n.tr("cmd-confirm")))
                .inner;
            if confirm.clicked() {
                out = Some(UiCommand::FlowConfirm);
            }
            if big_button(ui, i18n.tr("cmd-cancel")).clicked() {
                out = Some(UiCommand::FlowCancel);
            }
        });
        ui.label(i18n.tr("flow-barcode-hint"));
    });
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_collects_two_scans_then_builds_the_request() {
        let mut flow = flow_for_command("REPLACE").unwrap();
        assert_eq!(flow.prompt_id(), "flow-scan-damaged");
        assert!(flow.request().is_none());
        assert!(flow.take_scan("(01)09506000134352(21)A"));
        assert_eq!(flow.prompt_id(), "flow-scan-replacement");
        assert!(flow.take_scan("(01)09506000134352(21)B"));
        assert!(!flow.take_scan("(01)09506000134352(21)C"), "full");
        assert_eq!(
            flow.request(),
            Some(Request::Replace {
                damaged: "(01)09506000134352(21)A".into(),
                replacement: "(01)09506000134352(21)B".into(),
                reason: Some(RemovalReason::Damaged),
                destroy: false,
                signature: None,
            })
        );
    }

    #[test]
    fn relabel_unpack_and_reprint_build_their_requests() {
        let mut relabel = flow_for_command("RELABEL").unwrap();
        relabel.take_scan("(00)095060000000000015");
        assert!(relabel.request().is_none());
        relabel.take_scan("(00)095060000000001012");
        assert_eq!(
            relabel.request(),
            Some(Request::Relabel {
                old: "(00)095060000000000015".into(),
                new: "(00)095060000000001012".into(),
            })
        );
        let mut unpack = flow_for_command("UNPACK").unwrap();
        assert_eq!(unpack.prompt_id(), "flow-scan-container");
        unpack.take_scan("(00)095060000000000015");
        assert_eq!(unpack.prompt_id(), "flow-unpack-question");
        assert!(matches!(unpack.request(), Some(Request::Unpack { .. })));
        let mut reprint = flow_for_command("REPRINT").unwrap();
        reprint.take_scan("(00)095060000000000015");
        assert_eq!(
            reprint.request(),
            Some(Request::ReprintLabel {
                scan: "(00)095060000000000015".into(),
                reason: "label_damaged".into(),
            })
        );
        assert!(flow_for_command("RETIRE").unwrap().request().is_none());
        let mut verify = flow_for_command("VERIFY").unwrap();
        assert_eq!(verify.prompt_id(), "flow-scan-container-verify");
        assert!(verify.request().is_none());
        assert!(verify.take_scan("(00)095060000000000015"));
        assert!(
            verify.take_scan("(00)095060000000000022"),
            "a scan names another"
        );
        assert_eq!(
            verify.request(),
            Some(Request::VerifyStart {
                container: "(00)095060000000000022".into(),
            })
        );
        assert!(flow_for_command("NOPE").is_none());
    }
}
