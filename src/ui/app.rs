//! The application and its frame loop: drains the station worker, turns keyboard bursts into
//! scans ([`super::scan_route`] decides what each means), and applies the screens'
//! [`UiCommand`]s once per frame. The screens draw from an [`AppState`] borrowed for the frame;
//! the answers become typed view models once, in `answers`.

use super::i18n::I18n;
use super::tree_view::TreeState;
use super::ui_command::UiCommand;
use super::wedge::{WedgeAssembler, WedgeProfile};
use super::worker::{Snapshot, WorkerCommand, WorkerHandle};
use crate::domain::Severity;
use crate::station::Request;
use std::time::{Duration, Instant};

mod answers;
mod commands;
mod desk;
mod devices;
mod flow_actions;
mod frame;
mod keyboard;
mod labels;
mod models;
mod settings;
mod start;
mod supervisor;
mod sync;

pub use super::scan_route::COMMAND_PREFIX;
pub use super::state::{
    AppState, BatchView, Confirmation, Forms, RetireDialog, Screen, SignatureDialog, Verdict,
    VerdictMessage,
};
pub(super) use commands::command_mode;
pub use start::start;

/// The in-flight tag of a Find (answered by `WorkerMessage::Found`, not by an answer).
const FIND_TAG: u64 = u64::MAX;

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
    /// The station's question (move, switch, resume), when open.
    pub confirm: Option<Confirmation>,
    /// The last batch's answer ("Pack all seen", hands-free packing), per code.
    pub batch: Option<BatchView>,
    /// What the screens asked for this frame (applied in `logic`).
    commands: Vec<UiCommand>,
    /// A unit Find asked the station for, revealed when its tree arrives.
    found: Option<String>,
    /// Decommission/reject dialog, when open.
    pub retire: Option<RetireDialog>,
    /// Hold / release dialog (Look-up screen), when open.
    pub hold: Option<super::hold_view::HoldDialog>,
    /// The last look-up answer as the station sent it (the protocol's JSON, for tests and
    /// support; the screen draws [`Self::lookup_view`]).
    pub lookup: Option<serde_json::Value>,
    /// The last look-up, typed once when it arrived (what the Look-up screen draws).
    pub lookup_view: Option<super::lookup_view::LookupView>,
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
    sound: super::sound::Sounds,
    /// Scanners and camera: settings, workers, the last layer read.
    pub devices: super::devices_state::Devices,
    /// The "Close work order…" window, when open.
    pub closeout: Option<super::closeout_view::CloseoutView>,
    /// Files being saved (manifest, command sheet, report) and where they went.
    pub files: super::files::FileJobs,
    /// The Users screen's new-user form and its last answer.
    pub users: super::users_view::UsersPanel,
    /// Training codes on their way (next pack, sample pictures).
    pub training: super::training::Training,
    /// The returns desk screen (`desk.rs`).
    pub returns: super::returns_view::ReturnsState,
    /// The recall and trace screen (`desk.rs`).
    pub recall: super::recall_view::RecallState,
    pub(crate) returns_mode_sent: Option<bool>,
    pub(crate) returns_csv_pending: bool,
    /// The supervisor's shift view (`app/supervisor.rs`).
    pub supervisor: super::supervisor_view::SupervisorState,
    pub(crate) supervisor_refresh: supervisor::SupervisorRefresh,
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
            confirm: None,
            batch: None,
            commands: Vec::new(),
            found: None,
            retire: None,
            hold: None,
            lookup: None,
            lookup_view: None,
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
            sound: super::sound::Sounds::default(),
            devices: super::devices_state::Devices::default(),
            closeout: None,
            files: super::files::FileJobs::default(),
            users: super::users_view::UsersPanel::default(),
            training: super::training::Training::default(),
            returns: super::returns_view::ReturnsState::default(),
            recall: super::recall_view::RecallState::default(),
            returns_mode_sent: None,
            returns_csv_pending: false,
            supervisor: super::supervisor_view::SupervisorState::default(),
            supervisor_refresh: supervisor::SupervisorRefresh::default(),
        }
    }

    /// Whether the first snapshot arrived (the worker is up).
    pub fn is_ready(&self) -> bool {
        self.snapshot_seen
    }

    /// Whether the station has answered every command sent and published its snapshot since.
    pub(crate) fn station_idle(&self) -> bool {
        self.in_flight.is_empty()
            && self.queue.is_empty()
            && self.commands.is_empty()
            && !self.awaiting_snapshot
    }

    /// Whether a rework flow, a confirmation or a signature dialog waits for the packer.
    pub(crate) fn waits_for_packer(&self) -> bool {
        self.flow.is_some()
            || self.signature.is_some()
            || self.confirm.is_some()
            || self.retire.is_some()
    }

    /// The typed view models the screens draw this frame.
    pub fn view(&self) -> AppState<'_> {
        AppState {
            i18n: &self.i18n,
            snapshot: &self.snapshot,
            screen: self.screen,
            verdict: self.verdict.as_ref(),
            batch: self.batch.as_ref(),
            modal_open: self.waits_for_packer(),
            verify_move_foreign: self.verify_move_foreign,
            settings: &self.settings,
            settings_file: self.settings_file.as_ref(),
            sync: &self.sync,
            devices: &self.devices,
            labels: &self.labels,
            lookup: self.lookup_view.as_ref(),
            last_scan_to_verdict: self.last_scan_to_verdict,
        }
    }

    /// Queues what a screen asked for (applied in the next `logic`).
    pub fn push_commands(&mut self, commands: impl IntoIterator<Item = UiCommand>) {
        self.commands.extend(commands);
    }

    /// Whether commands are still on their way to or from the worker.
    pub fn is_busy(&self) -> bool {
        !self.station_idle()
            || self.sync.is_saving()
            || self.devices.is_busy()
            || self.files.is_busy()
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

    /// Handles one scan from any source (wedge, manual entry, training panel, camera): what it
    /// means is decided by [`super::scan_route::route`], in one place.
    pub fn scan(&mut self, data: &str) {
        use super::scan_route::{ScanContext, ScanRoute, route};
        let ctx =
            ScanContext {
                logged_in: self.snapshot.user.is_some(),
                screen: self.screen,
                wizard_waiting: self.devices.wizard.as_ref().is_some_and(|w| {
                    w.target == super::devices_state::WizardTarget::Wedge && !w.saved
                }),
                flow_waiting: self
                    .flow
                    .as_ref()
                    .is_some_and(super::flows::Flow::wants_scan),
                retire_open: self.retire.is_some(),
                question_open: self.signature.is_some()
                    || self.confirm.is_some()
                    || self.flow.as_ref().is_some_and(|f| !f.wants_scan()),
            };
        match route(&ctx, data) {
            ScanRoute::Command(command) => self.command_barcode(&command),
            ScanRoute::Wizard => {
                self.devices.wizard_takes_wedge_scan(data);
            }
            ScanRoute::Refuse { code, detail } => {
                self.record_screen_refusal(code, data, detail.as_deref());
                let unit = super::scan_route::key_of(data).or_else(|| Some(data.to_owned()));
                self.show_verdict(Severity::Refused, code, unit, detail);
            }
            ScanRoute::Flow => {
                self.flow_scan(data);
            }
            ScanRoute::RetireUnit => {
                if let Some(dialog) = &mut self.retire {
                    dialog.scan = data.to_owned();
                }
            }
            ScanRoute::Station(request) => self.send(request),
        }
    }

    /// Drains the worker (time-boxed), runs auto-logout, and sends queued commands.
    pub fn logic(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.apply(ctx, command);
        }
        let budget = Instant::now() + Duration::from_millis(10);
        while Instant::now() < budget {
            let Some(msg) = self.worker.as_ref().and_then(WorkerHandle::try_recv) else {
                break;
            };
            self.on_message(msg);
        }
        self.devices_logic(ctx);
        self.returns_logic();
        self.auto_logout(ctx);
        self.labels_logic(ctx);
        self.sync_logic(ctx);
        self.settings_logic(ctx);
        self.supervisor_logic(ctx);
        if let Some(notice) = self.files.logic(ctx, &self.i18n) {
            self.notice = Some(notice);
        }
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

    /// Called by the station screen when the verdict banner was drawn: measures scan → screen.
    pub fn verdict_drawn(&mut self) {
        if let Some(t) = self.verdict_arrived.take() {
            self.last_scan_to_verdict = Some(t.elapsed());
        }
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
