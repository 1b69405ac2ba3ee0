//! The app's side of the rework flows ([`crate::ui::flows`]): a scan given to the open flow,
//! Confirm, the flows opened from a button with what is already known, and the signature
//! dialog's signed command.

use super::PackbenchApp;
use crate::station::{Request, SignatureInput};
use crate::ui::flows::{Flow, ReprintReason};

impl PackbenchApp {
    /// Gives a scan to the open flow; `true` when the flow took it.
    pub(crate) fn flow_scan(&mut self, scan: &str) -> bool {
        match &mut self.flow {
            Some(Flow::Retire) => {
                self.flow = None;
                self.open_retire(scan.to_owned());
                true
            }
            Some(flow @ Flow::Verify { .. }) => {
                flow.take_scan(scan);
                self.flow_confirm()
            }
            Some(flow) => flow.take_scan(scan),
            None => false,
        }
    }

    /// Sends the open flow's command if it is complete (Confirm); `true` when one was sent.
    pub(crate) fn flow_confirm(&mut self) -> bool {
        let Some(request) = self.flow.as_ref().and_then(Flow::request) else {
            return false;
        };
        self.flow = None;
        self.send(request);
        true
    }

    /// Opens the unpack confirmation for a container already known (e.g. the last scan).
    pub fn open_unpack(&mut self, container: String) {
        self.flow = Some(Flow::Unpack {
            container: Some(container),
        });
    }

    /// Opens the contents check: proposes the container being filled (lowest level); a scan
    /// names another.
    pub fn open_verify(&mut self) {
        self.flow = Some(Flow::Verify {
            container: self.snapshot.current.first().map(|c| c.key.clone()),
        });
    }

    /// Confirms the contents check in progress (the station asks for the signature).
    pub fn verify_confirm(&mut self) {
        self.send(Request::VerifyConfirm {
            move_foreign: self.verify_move_foreign,
            signature: None,
        });
    }

    /// Opens the reprint dialog for a label already known (e.g. the label just printed).
    pub fn open_reprint(&mut self, sscc: Option<String>) {
        self.flow = Some(Flow::Reprint {
            sscc,
            reason: ReprintReason::Damaged,
        });
    }

    /// Sends the signed command of the open signature dialog. The dialog stays open until the
    /// station answers: a wrong signature leaves it open for another try.
    pub fn sign(&mut self) {
        let Some(dialog) = &mut self.signature else {
            return;
        };
        let signature = Some(SignatureInput {
            user: dialog.user.trim().to_owned(),
            password: std::mem::take(&mut dialog.password),
            reason: (!dialog.reason.trim().is_empty()).then(|| dialog.reason.clone()),
        });
        dialog.refused = None;
        let request = match dialog.request.clone() {
            Request::Close { scan, .. } => Request::Close { scan, signature },
            Request::Replace {
                damaged,
                replacement,
                reason,
                destroy,
                ..
            } => Request::Replace {
                damaged,
                replacement,
                reason,
                destroy,
                signature,
            },
            Request::Retire {
                scan,
                kind,
                reason,
                comment,
                ..
            } => Request::Retire {
                scan,
                kind,
                reason,
                comment,
                signature,
            },
            Request::Undo { .. } => Request::Undo { signature },
            Request::VerifyConfirm { move_foreign, .. } => Request::VerifyConfirm {
                move_foreign,
                signature,
            },
            other => other,
        };
        self.send(request);
    }
}
