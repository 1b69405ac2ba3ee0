//! The application state and its frame loop: drains the station worker, turns keyboard bursts
//! into scans, and runs the UI's commands once per frame. Drawing lives in the `*_view` modules.

use super::i18n::I18n;
use super::tree_view::TreeState;
use super::wedge::{WedgeAssembler, WedgeProfile};
use super::worker::{Snapshot, WorkerCommand, WorkerHandle, WorkerMessage};
use crate::auth::Role;
use crate::domain::{ReasonCode, RemovalReason, RetireKind, Severity};
use crate::station::{Request, Response, SignatureInput};
use std::time::{Duration, Instant};

/// The prefix of command barcodes (`PBCMD:CLOSE`, ...), see [`super::sheet`].
pub const COMMAND_PREFIX: &str = "PBCMD:";

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The station screen.
    Station,
    /// Look-up results.
    Lookup,
    /// Settings.
    Settings,
    /// User administration.
    Users,
    /// The camera panel (live preview, layer reads, image files).
    Camera,
    /// The returns desk (saleable-returns verification).
    Returns,
    /// Recall of a lot and trace of a unit.
    Recall,
}

/// The last verdict, shown in the banner.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Severity (colour and sound).
    pub severity: Severity,
    /// Reason code.
    pub code: ReasonCode,
    /// The unit acted on.
    pub unit: Option<String>,
    /// English detail from the core (shown small, for support).
    pub detail: Option<String>,
}

/// A supervisor signature being collected for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureDialog {
    /// The command to send again with the signature.
    pub request: Request,
    /// Fluent id of the meaning of the signature.
    pub meaning_id: &'static str,
    /// Signer's user name.
    pub user: String,
    /// Signer's password.
    pub password: String,
    /// Reason.
    pub reason: String,
}

/// A decommission / reject being prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetireDialog {
    /// The unit.
    pub scan: String,
    /// What to do.
    pub kind: RetireKind,
    /// Why.
    pub reason: RemovalReason,
}

/// Text fields of the forms.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    /// Log-in user name.
    pub login_user: String,
    /// Log-in password.
    pub login_password: String,
    /// First run: administrator user name.
    pub admin_user: String,
    /// First run: administrator printed name.
    pub admin_name: String,
    /// First run: password.
    pub admin_password: String,
    /// First run: password again.
    pub admin_password2: String,
    /// Manual scan entry.
    pub manual_scan: String,
    /// New user: name, printed name, role, password.
    pub new_user: (String, String, Role, String),
    /// Setting being edited: read point SGLN.
    pub read_point: String,
    /// Setting being edited: printer target (filled from the station on first show).
    pub printer: Option<String>,
    /// Setting being edited: the owner's GLN (filled from the station on first show).
    pub owner_gln: Option<String>,
}

/// The whole app.
pub struct PackbenchApp {
    /// Translations in use.
    pub i18n: I18n,
    worker: Option<WorkerHandle>,
    /// The latest view model from the worker.
    pub snapshot: Snapshot,
    snapshot_seen: bool,
    /// An answer came; the snapshot that follows it has not yet.
    awaiting_snapshot: bool,
    /// The banner.
    pub verdict: Option<Verdict>,
    /// The screen shown.
    pub screen: Screen,
    /// Keyboard-wedge assembler.
    pub wedge: WedgeAssembler,
    /// Tree expansion and scrolling.
    pub tree: TreeState,
    /// Form fields.
    pub forms: Forms,
    /// Signature dialog, when open.
    pub signature: Option<SignatureDialog>,
    /// Move confirmation dialog, when open (the unit's key).
    pub confirm_move: Option<String>,
    /// What the confirmation is about: a move (`IN_OTHER_CONTAINER`, `CONFIRM_REQUIRED`),
    /// putting the container being filled aside (`CONFIRM_SWITCH`), or resuming a container
    /// that changed while aside (`CHANGED_WHILE_SUSPENDED`).
    pub confirm_about: ReasonCode,
    /// Decommission/reject dialog, when open.
    pub retire: Option<RetireDialog>,
    /// Hold / release dialog (Look-up screen), when open.
    pub hold: Option<super::hold_view::HoldDialog>,
    /// The last look-up answer.
    pub lookup: Option<serde_json::Value>,
    /// EPCIS files chosen in the open dialog, on their way.
    epcis_files: Option<std::sync::mpsc::Receiver<Vec<String>>>,
    /// The workstation's settings (saved through [`Self::settings_file`] on change).
    pub settings: super::settings::AppSettings,
    /// Where the settings are saved (`None`: not persisted, e.g. in tests that do not ask).
    pub settings_file: Option<super::settings::SettingsStore>,
    /// The settings as last saved (a change is saved on the next frame).
    pub(crate) settings_saved: Option<super::settings::AppSettings>,
    /// The section shown on the settings screen.
    pub settings_section: super::settings_view::SettingsSection,
    /// The rework flow in progress (replace, relabel, unpack, retire, reprint, verify).
    pub flow: Option<super::flows::Flow>,
    /// A contents check's confirm also moves the units of other containers into the one checked.
    pub verify_move_foreign: bool,
    /// Label printing: the last label, its preview and the printer's answer.
    pub labels: super::labels_view::LabelPanel,
    /// Repository sync (status bar) and the settings form of the connection.
    pub sync: super::status::SyncPanel,
    /// Messages for the user that are not verdicts (e.g. a file written).
    pub notice: Option<String>,
    next_tag: u64,
    in_flight: Vec<(u64, Instant)>,
    /// Time from the last scan being sent to its verdict being drawn.
    pub last_scan_to_verdict: Option<Duration>,
    verdict_arrived: Option<Instant>,
    last_input_s: f64,
    queue: Vec<Request>,
    /// The language comes from `PACKBENCH_LANG`, not from the settings.
    pub(crate) locale_override: bool,
    /// The last training pack scanned from the training panel.
    pub training_next: u32,
    sound: super::sound::Sounds,
    /// Scanners and camera: settings, workers, the last layer read.
    pub devices: super::devices_state::Devices,
    /// The "Close work order…" window, when open.
    pub closeout: Option<super::closeout_view::CloseoutView>,
    /// The returns desk screen (`desk.rs`).
    pub returns: super::returns_view::ReturnsState,
    /// The recall and trace screen (`desk.rs`).
    pub recall: super::recall_view::RecallState,
    pub(crate) returns_mode_sent: Option<bool>,
    pub(crate) returns_csv_pending: bool,
}

impl std::fmt::Debug for PackbenchApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackbenchApp")
            .field("screen", &self.screen)
            .field("verdict", &self.verdict)
            .finish_non_exhaustive()
    }
}

impl PackbenchApp {
    /// An app on a running worker (or none: the error is then shown instead of the station).
    pub fn new(worker: Option<WorkerHandle>, locale: &str) -> Self {
        let settings = super::settings::AppSettings {
            locale: if super::i18n::sources(locale).is_some() {
                locale.to_owned()
            } else {
                "en-US".to_owned()
            },
            ..super::settings::AppSettings::default()
        };
        Self {
            i18n: I18n::new(locale).unwrap_or_else(|_| I18n::english()),
            worker,
            snapshot: Snapshot::default(),
            snapshot_seen: false,
            awaiting_snapshot: false,
            verdict: None,
            screen: Screen::Station,
            wedge: WedgeAssembler::new(WedgeProfile::default()),
            tree: TreeState::default(),
            forms: Forms {
                admin_user: "admin".to_owned(),
                ..Forms::default()
            },
            signature: None,
            confirm_move: None,
            confirm_about: ReasonCode::InOtherContainer,
            retire: None,
            hold: None,
            lookup: None,
            epcis_files: None,
            settings_saved: Some(settings.clone()),
            settings,
            settings_file: None,
            settings_section: super::settings_view::SettingsSection::default(),
            flow: None,
            verify_move_foreign: false,
            labels: super::labels_view::LabelPanel::default(),
            sync: super::status::SyncPanel::default(),
            notice: None,
            next_tag: 1,
            in_flight: Vec::new(),
            last_scan_to_verdict: None,
            verdict_arrived: None,
            last_input_s: 0.0,
            queue: Vec::new(),
            locale_override: false,
            training_next: 0,
            sound: super::sound::Sounds::default(),
            devices: super::devices_state::Devices::default(),
            closeout: None,
            returns: super::returns_view::ReturnsState::default(),
            recall: super::recall_view::RecallState::default(),
            returns_mode_sent: None,
            returns_csv_pending: false,
        }
    }

    /// Whether the first snapshot arrived (the worker is up).
    pub fn is_ready(&self) -> bool {
        self.snapshot_seen
    }

    /// Whether the station has answered every command sent and published its snapshot since.
    pub(crate) fn station_idle(&self) -> bool {
        self.in_flight.is_empty() && self.queue.is_empty() && !self.awaiting_snapshot
    }

    /// Whether a rework flow, a confirmation or a signature dialog waits for the packer.
    pub(crate) fn waits_for_packer(&self) -> bool {
        self.flow.is_some()
            || self.signature.is_some()
            || self.confirm_move.is_some()
            || self.retire.is_some()
    }

    /// Whether commands are still on their way to or from the worker.
    pub fn is_busy(&self) -> bool {
        !self.station_idle() || self.sync.is_saving() || self.devices.is_busy()
    }

    /// Switches the language at run time (the user's choice: saved in the settings).
    pub fn set_locale(&mut self, locale: &str) {
        if let Ok(i) = I18n::new(locale) {
            self.i18n = i;
            self.locale_override = false;
            if locale != super::i18n::PSEUDO_LOCALE {
                self.settings.locale = locale.to_owned();
            }
        }
    }

    /// Uses `locale` for this session only (`PACKBENCH_LANG`): the saved language stays as it
    /// is until the user picks one in the app. An unknown locale is ignored.
    pub fn override_locale(&mut self, locale: &str) {
        if let Ok(i) = I18n::new(locale) {
            self.i18n = i;
            self.locale_override = true;
        }
    }

    /// Queues a station command (sent at the end of the frame).
    pub fn send(&mut self, request: Request) {
        self.queue.push(request);
    }

    /// Sends the first-run setup.
    pub fn first_run(&mut self, user: String, full_name: String, password: String) {
        self.dispatch(WorkerCommand::FirstRun {
            user,
            full_name,
            password,
        });
        self.in_flight.push((0, Instant::now()));
    }

    fn dispatch(&mut self, command: WorkerCommand) {
        let sent = self.worker.as_ref().is_some_and(|w| w.send(command));
        if !sent {
            self.show_response(&super::worker::worker_gone());
        }
    }

    /// Handles one scan from any source (wedge, manual entry, training panel, camera).
    pub fn scan(&mut self, data: &str) {
        let data = data.trim_end_matches(['\r', '\n']);
        if let Some(command) = data.strip_prefix(COMMAND_PREFIX) {
            self.command_barcode(command);
            return;
        }
        if self.wizard_takes_wedge_scan(data) {
            return;
        }
        if self.snapshot.user.is_none() {
            self.show_verdict(Severity::Refused, ReasonCode::NotLoggedIn, None, None);
            return;
        }
        if self.flow_scan(data) {
            return;
        }
        self.send(Request::Scan {
            data: data.to_owned(),
        });
    }

    /// Drains the worker (time-boxed), runs auto-logout, and sends queued commands.
    pub fn logic(&mut self, ctx: &egui::Context) {
        let budget = Instant::now() + Duration::from_millis(10);
        while Instant::now() < budget {
            let Some(msg) = self.worker.as_ref().and_then(WorkerHandle::try_recv) else {
                break;
            };
            self.on_message(msg);
        }
        self.devices_logic(ctx);
        self.auto_logout(ctx);
        self.labels_logic(ctx);
        self.sync_logic(ctx);
        self.settings_logic(ctx);
        if let Some(rx) = &self.epcis_files
            && let Ok(paths) = rx.try_recv()
        {
            self.epcis_files = None;
            self.import_epcis_files(paths);
        }
        self.flush();
        if self.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(20));
        }
    }

    fn flush(&mut self) {
        for request in std::mem::take(&mut self.queue) {
            let tag = self.next_tag;
            self.next_tag += 1;
            self.in_flight.push((tag, Instant::now()));
            self.dispatch(WorkerCommand::Execute { tag, request });
        }
    }

    fn auto_logout(&mut self, ctx: &egui::Context) {
        let (now, any_input) = ctx.input(|i| (i.time, !i.events.is_empty()));
        if any_input || self.snapshot.user.is_none() {
            self.last_input_s = now;
            return;
        }
        let limit = f64::from(self.settings.auto_logout_min) * 60.0;
        if limit > 0.0 && now - self.last_input_s > limit {
            self.last_input_s = now;
            self.send(Request::Logout);
        }
    }

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
                if self.snapshot.read_point.is_some() && self.forms.read_point.is_empty() {
                    self.forms.read_point = self.snapshot.read_point.clone().unwrap_or_default();
                }
            }
            WorkerMessage::LabelPreview { key, image } => self.labels.set_preview(key, image),
            WorkerMessage::Answer {
                tag,
                request,
                response,
            } => {
                self.in_flight.retain(|(t, _)| *t != tag);
                self.awaiting_snapshot = true;
                self.on_answer(&request, &response);
            }
        }
    }

    fn on_answer(&mut self, request: &Request, response: &Response) {
        self.on_hold_answer(request, response);
        self.closeout_answer(request, response);
        self.desk_answer(request, response);
        match request {
            Request::Login { .. } if response.ok => {
                self.forms.login_password.clear();
                self.screen = Screen::Station;
            }
            Request::Logout => {
                self.screen = Screen::Station;
                self.lookup = None;
                self.verdict = None;
                // Nothing half-done survives a log-out (auto-logout included): no open flow,
                // no signature dialog holding a typed password.
                self.flow = None;
                self.signature = None;
                self.retire = None;
                self.hold = None;
                self.confirm_move = None;
                self.verify_move_foreign = false;
                return;
            }
            Request::Lookup { .. } | Request::Scan { .. }
                if response.ok
                    && response
                        .data
                        .as_ref()
                        .is_some_and(|d| d.get("history").is_some()) =>
            {
                self.lookup = response.data.clone();
                self.screen = Screen::Lookup;
            }
            // A hierarchy taken in (receive mode, or a rework scan of a unit from elsewhere):
            // the live tree shows it.
            Request::Adopt { .. } | Request::ImportEpcis { .. } | Request::Scan { .. }
                if response.ok
                    && response
                        .data
                        .as_ref()
                        .is_some_and(|d| d.get("tops").is_some()) =>
            {
                let top = response
                    .data
                    .as_ref()
                    .and_then(|d| d["tops"][0].as_str())
                    .map(str::to_owned);
                self.focus_tree(top);
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
                if let Some(data) = &response.data {
                    super::files::save_manifest(data);
                }
            }
            _ => {}
        }
        match response.code {
            ReasonCode::SignatureRequired => {
                if let Some(meaning_id) = meaning_of(request) {
                    self.signature = Some(SignatureDialog {
                        request: request.clone(),
                        meaning_id,
                        user: String::new(),
                        password: String::new(),
                        reason: String::new(),
                    });
                }
            }
            ReasonCode::ConfirmSwitch | ReasonCode::ChangedWhileSuspended => {
                // Keys and counts only (the question is the translated reason message).
                self.confirm_about = response.code;
                self.confirm_move = Some(super::station_view::confirmation_text(response));
            }
            ReasonCode::InOtherContainer | ReasonCode::ConfirmRequired => {
                self.confirm_about = response.code;
                let key = response.unit.as_ref().map(|u| u.key.clone());
                self.confirm_move = key.or_else(|| match request {
                    Request::Scan { data } => Some(data.clone()),
                    _ => None,
                });
            }
            _ => {}
        }
        if response.ok
            && matches!(
                request,
                Request::VerifyConfirm { .. } | Request::VerifyCancel
            )
        {
            self.verify_move_foreign = false;
        }
        if response.code == ReasonCode::Ok && matches!(request, Request::Confirm) {
            self.confirm_move = None;
        }
        self.show_response(response);
    }

    fn show_response(&mut self, r: &Response) {
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
        });
        self.verdict_arrived = Some(Instant::now());
        if !self.settings.muted {
            self.sound.play(severity);
        }
    }

    /// Sends the signed command of the open signature dialog.
    pub fn sign(&mut self) {
        let Some(dialog) = self.signature.take() else {
            return;
        };
        let signature = Some(SignatureInput {
            user: dialog.user,
            password: dialog.password,
            reason: (!dialog.reason.trim().is_empty()).then_some(dialog.reason),
        });
        let request = match dialog.request {
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

    /// Called by the station screen when the verdict banner was drawn: measures scan → screen.
    pub fn verdict_drawn(&mut self) {
        if let Some(t) = self.verdict_arrived.take() {
            self.last_scan_to_verdict = Some(t.elapsed());
        }
    }

    /// Opens the decommission / reject dialog for a unit.
    pub fn open_retire(&mut self, scan: String) {
        self.retire = Some(RetireDialog {
            scan,
            kind: RetireKind::Decommission,
            reason: RemovalReason::Damaged,
        });
    }

    /// "Open EPCIS file…": the system's open dialog, then the chosen files are taken in.
    pub fn open_epcis_dialog(&mut self, ctx: &egui::Context) {
        self.epcis_files = Some(super::files::pick_epcis_files(ctx));
    }

    /// Takes in the hierarchies of EPCIS files (the open dialog's choice): the station reads
    /// and checks every file before it adopts anything; the tree then shows what came in.
    pub fn import_epcis_files(&mut self, paths: Vec<String>) {
        if !paths.is_empty() {
            self.send(Request::ImportEpcis { paths });
        }
    }

    /// Shows the tree of the container holding `scan` (the worker follows it).
    pub fn focus_tree(&mut self, scan: Option<String>) {
        self.dispatch(WorkerCommand::FocusTree { scan });
    }
}

/// The Fluent id of the meaning of a signature for a command.
pub fn meaning_of(request: &Request) -> Option<&'static str> {
    Some(match request {
        Request::Close { .. } => "sign-meaning-short-close",
        Request::Replace { .. } => "sign-meaning-replace",
        Request::Retire { .. } => "sign-meaning-retire",
        Request::Undo { .. } => "sign-meaning-undo",
        Request::VerifyConfirm { .. } => "sign-meaning-verify",
        _ => return None,
    })
}
