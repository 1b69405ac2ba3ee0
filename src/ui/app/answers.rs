//! The station's answers, turned into typed view models once: the verdict (with what happened in
//! words), the question to confirm (unit, from, to), the signature dialog (kept open after a
//! wrong signature), a batch's per-code results (on the screen where it ran).

use super::{
    Confirmation, FIND_TAG, PackbenchApp, Screen, SignatureDialog, Verdict, VerdictMessage, models,
};
use crate::domain::Severity;
use crate::domain::{ReasonCode, RetireKind};
use crate::station::{Mode, Request, Response, SignatureInput};
use crate::ui::state::BatchView;
use crate::ui::worker::WorkerMessage;

/// The codes of a refused signature: the dialog stays open for another try.
const SIGNATURE_REFUSALS: [ReasonCode; 4] = [
    ReasonCode::SignatureInvalid,
    ReasonCode::BadCredentials,
    ReasonCode::AccountLocked,
    ReasonCode::NotAuthorized,
];

/// The signature a signed command carries.
pub(super) fn signature_of(request: &Request) -> Option<&SignatureInput> {
    match request {
        Request::Close { signature, .. }
        | Request::Replace { signature, .. }
        | Request::Retire { signature, .. }
        | Request::Undo { signature }
        | Request::VerifyConfirm { signature, .. } => signature.as_ref(),
        _ => None,
    }
}

/// The unit or container a signed command is about.
fn subject_of(request: &Request, response: &Response) -> Option<String> {
    match request {
        Request::Close { scan: Some(s), .. } | Request::Retire { scan: s, .. } => Some(s.clone()),
        Request::Replace { damaged, .. } => Some(damaged.clone()),
        _ => None,
    }
    .or_else(|| response.unit.as_ref().map(|u| u.key.clone()))
    .or_else(|| response.container.as_ref().map(|c| c.key.clone()))
}

impl PackbenchApp {
    /// Handles one worker message (public for the benchmark and tests).
    pub fn on_message(&mut self, msg: WorkerMessage) {
        match msg {
            WorkerMessage::Snapshot(s) => {
                let tree_changed = s.tree != self.snapshot.tree;
                self.snapshot = *s;
                self.snapshot_seen = true;
                self.awaiting_snapshot = false;
                if tree_changed {
                    self.tree.invalidate();
                    if let Some(key) = self.verdict.as_ref().and_then(|v| v.unit.clone()) {
                        self.tree.reveal_key(&self.snapshot.tree, &key);
                    }
                }
                if let Some(key) = self.found.take() {
                    self.tree.reveal_key(&self.snapshot.tree, &key);
                }
                if self.snapshot.read_point.is_some() && self.forms.read_point.is_empty() {
                    self.forms.read_point = self.snapshot.read_point.clone().unwrap_or_default();
                }
            }
            WorkerMessage::LabelPreview { key, image } => self.labels.set_preview(key, image),
            WorkerMessage::Found { needle, key } => {
                self.in_flight.retain(|(t, _)| *t != FIND_TAG);
                self.on_found(needle, key);
            }
            WorkerMessage::Answer {
                tag,
                request,
                response,
            } => {
                let sent = self
                    .in_flight
                    .iter()
                    .find(|(t, _)| *t == tag)
                    .map(|(_, s)| *s);
                self.in_flight.retain(|(t, _)| *t != tag);
                self.awaiting_snapshot = true;
                self.on_answer(&request, &response);
                // "Last verdict" measures a scan, from sending it to its verdict on screen;
                // buttons and background commands do not count.
                self.verdict_arrived = sent.filter(|_| matches!(request, Request::Scan { .. }));
            }
        }
    }

    pub(crate) fn show_response(&mut self, r: &Response) {
        let unit = r
            .unit
            .as_ref()
            .map(|u| u.key.clone())
            .or_else(|| r.container.as_ref().map(|c| c.key.clone()));
        self.show_verdict(r.severity, r.code, unit, r.detail.clone());
    }

    pub(crate) fn show_verdict(
        &mut self,
        severity: Severity,
        code: ReasonCode,
        unit: Option<String>,
        detail: Option<String>,
    ) {
        if let Some(key) = &unit {
            self.tree.reveal_key(&self.snapshot.tree, key);
        }
        self.verdict = Some(Verdict {
            severity,
            code,
            unit,
            detail,
            message: None,
        });
        if !self.settings.muted {
            self.sound.play(severity);
        }
    }

    pub(super) fn on_answer(&mut self, request: &Request, response: &Response) {
        if self.supervisor_answer(request, response)
            || self.users.on_answer(request, response, &self.i18n)
            || self.training_answer(request, response)
        {
            return;
        }
        self.on_hold_answer(request, response);
        self.closeout_answer(request, response);
        self.desk_answer(request, response);
        match request {
            Request::Login { .. } if response.ok => {
                self.forms.login_password.clear();
                self.screen = Screen::Station;
            }
            Request::Logout => {
                self.logged_out();
                return;
            }
            Request::Lookup { .. } | Request::Scan { .. }
                if response.ok && models::is_lookup(response) =>
            {
                self.lookup_view = response.data.as_ref().map(models::lookup_view);
                self.lookup = response.data.clone();
                self.screen = Screen::Lookup;
            }
            // A hierarchy taken in (receive mode, or a rework scan of a unit from elsewhere):
            // the live tree shows it.
            Request::Adopt { .. } | Request::ImportEpcis { .. } | Request::Scan { .. }
                if response.ok && models::adopted_top(response).is_some() =>
            {
                self.focus_tree(models::adopted_top(response).flatten());
                self.screen = Screen::Station;
            }
            Request::PrintStatus { .. } => {
                // A background poll: only a failed job speaks up (in the label panel).
                self.on_label_answer(request, response);
                return;
            }
            Request::PrintLabel { .. } | Request::ReprintLabel { .. } => {
                self.on_label_answer(request, response);
            }
            Request::Manifest { .. } if response.ok => {
                if let Some(json) = response.data.as_ref().and_then(models::pretty) {
                    self.files.save_manifest(json);
                }
            }
            Request::ScanBatch { .. } => {
                // Per code, on the screen where the batch ran; never a question to confirm
                // (a batch moves nothing: a pack of another container is only refused).
                self.batch = Some(models::batch_view(response, self.screen));
                self.show_response(response);
                if let Some(v) = &mut self.verdict {
                    v.message = Some(batch_message(self.batch.as_ref()));
                }
                return;
            }
            _ => {}
        }
        if self.signature_answer(request, response) {
            return;
        }
        self.question_answer(request, response);
        if response.ok
            && matches!(
                request,
                Request::VerifyConfirm { .. } | Request::VerifyCancel
            )
        {
            self.verify_move_foreign = false;
        }
        if response.code == ReasonCode::Ok && matches!(request, Request::Confirm) {
            self.confirm = None;
        }
        self.show_response(response);
        if response.ok
            && let Some(v) = &mut self.verdict
        {
            v.message = event_message(&self.i18n, self.snapshot.mode, request, response);
        }
    }

    /// Nothing half-done survives a log-out (auto-logout included): no open flow, no signature
    /// dialog holding a typed password, no label preview or search text of the previous user.
    fn logged_out(&mut self) {
        self.screen = Screen::Station;
        self.lookup = None;
        self.lookup_view = None;
        self.verdict = None;
        self.flow = None;
        self.signature = None;
        self.retire = None;
        self.hold = None;
        self.confirm = None;
        self.batch = None;
        self.verify_move_foreign = false;
        self.forms.manual_scan.clear();
        self.tree.search.clear();
        self.tree.highlight = None;
        self.labels = super::super::labels_view::LabelPanel::default();
    }

    /// A signed command's answer, or the station asking for a signature: `true` when handled.
    fn signature_answer(&mut self, request: &Request, response: &Response) -> bool {
        if response.code == ReasonCode::SignatureRequired {
            if let Some(meaning_id) = super::meaning_of(request) {
                self.signature = Some(SignatureDialog {
                    request: request.clone(),
                    meaning_id,
                    // A close without a scan closes the container being filled.
                    unit: subject_of(request, response).or_else(|| {
                        matches!(request, Request::Close { scan: None, .. })
                            .then(|| self.snapshot.current.first().map(|c| c.key.clone()))
                            .flatten()
                    }),
                    user: String::new(),
                    password: String::new(),
                    reason: String::new(),
                    refused: None,
                });
            }
            self.show_response(response);
            return true;
        }
        if signature_of(request).is_some()
            && let Some(dialog) = &mut self.signature
        {
            if SIGNATURE_REFUSALS.contains(&response.code) {
                // Another try: the dialog stays, the password is typed again.
                dialog.password.clear();
                dialog.refused = Some(response.code);
            } else {
                self.signature = None;
            }
        }
        false
    }

    /// The station asks to confirm or cancel: the question spelled out (unit, from, to).
    fn question_answer(&mut self, request: &Request, response: &Response) {
        match response.code {
            ReasonCode::ConfirmSwitch | ReasonCode::ChangedWhileSuspended => {
                self.confirm = Some(Confirmation {
                    about: response.code,
                    subject: models::confirmation_text(response),
                    from: None,
                    to: None,
                });
            }
            ReasonCode::InOtherContainer | ReasonCode::ConfirmRequired => {
                let key = response.unit.as_ref().map(|u| u.key.clone());
                let subject = key.or_else(|| match request {
                    Request::Scan { data } => Some(data.clone()),
                    _ => None,
                });
                let (from, to) = models::move_route(response);
                self.confirm = subject.map(|subject| Confirmation {
                    about: response.code,
                    subject,
                    from,
                    to: to.or_else(|| response.container.as_ref().map(|c| c.key.clone())),
                });
            }
            _ => {}
        }
    }
}

/// "12 packed, 8 refused" for a batch.
fn batch_message(batch: Option<&BatchView>) -> VerdictMessage {
    let (accepted, refused) = batch.map_or((0, 0), |b| (b.accepted, b.refused));
    VerdictMessage {
        id: "event-batch",
        args: vec![
            ("accepted", accepted.to_string()),
            ("refused", refused.to_string()),
        ],
    }
}

/// What an important event did, in words (instead of a bare "OK").
fn event_message(
    i18n: &super::I18n,
    mode: Mode,
    request: &Request,
    response: &Response,
) -> Option<VerdictMessage> {
    let unit = response.unit.as_ref().map(|u| u.key.clone());
    let container = response.container.as_ref();
    let key = container.map(|c| c.key.clone()).unwrap_or_default();
    let level = container.map_or_else(String::new, |c| i18n.tr(&format!("level-{}", c.level)));
    let count = container.map_or(0, |c| c.count).to_string();
    let msg =
        |id: &'static str, args: Vec<(&'static str, String)>| Some(VerdictMessage { id, args });
    if response.closed {
        return msg(
            "event-closed",
            vec![("level", level), ("key", key), ("count", count)],
        );
    }
    match request {
        Request::Undo { .. } => msg("event-undo", Vec::new()),
        Request::AcknowledgeAlert { .. } => msg("event-acknowledged", Vec::new()),
        Request::NewContainer { level: l, .. } => {
            let level = i18n.tr(&format!("level-{l}"));
            if key.is_empty() {
                msg("event-new-container-next", vec![("level", level)])
            } else {
                msg("event-new-container", vec![("level", level), ("key", key)])
            }
        }
        Request::Unpack { scan } => msg(
            "event-unpacked",
            vec![(
                "key",
                container.map_or_else(|| scan.clone(), |c| c.key.clone()),
            )],
        ),
        Request::Retire { scan, kind, .. } => {
            let kind_id = match kind {
                RetireKind::Decommission => "retire-decommission",
                RetireKind::Reject => "retire-reject",
                RetireKind::Destroy => "retire-destroy",
                RetireKind::Sample => "retire-sample",
            };
            msg(
                "event-retired",
                vec![
                    ("action", i18n.tr(kind_id)),
                    ("key", unit.unwrap_or_else(|| scan.clone())),
                ],
            )
        }
        Request::Suspend { .. } => msg("event-suspended", vec![("key", key)]),
        Request::Confirm if unit.is_some() => msg(
            "event-moved",
            vec![("key", unit.unwrap_or_default()), ("to", key)],
        ),
        Request::Scan { .. } if mode == Mode::Remove => msg(
            "event-removed",
            vec![("key", unit.unwrap_or_default()), ("from", key)],
        ),
        Request::Scan { .. } if mode == Mode::Move && unit.is_some() => msg(
            "event-moved",
            vec![("key", unit.unwrap_or_default()), ("to", key)],
        ),
        _ => None,
    }
}
