//! What the screens draw: one [`AppState`] of typed view models. The worker publishes the
//! station's [`Snapshot`]; the app turns every answer into typed values once ([`Verdict`],
//! [`Confirmation`], [`BatchView`], the look-up, the returns and recall reports, ...) so that no
//! drawing code reads the wire format. Screens draw
//! from `&AppState` (editing only their own dialog's fields) and return
//! [`super::ui_command::UiCommand`]s, which the app applies in `logic`.

use super::devices_state::Devices;
use super::i18n::I18n;
use super::labels_view::LabelPanel;
use super::lookup_view::LookupView;
use super::settings::{AppSettings, SettingsStore};
use super::status::SyncPanel;
use super::worker::Snapshot;
use crate::auth::Role;
use crate::domain::{ReasonCode, RemovalReason, RetireKind, Severity};
use crate::station::Request;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The station screen.
    Station,
    /// Look-up results (a scan here only looks up, whatever the mode).
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
    /// The shift at a glance (supervisors, QA and administrators; a scan here only looks up).
    Supervisor,
}

impl Screen {
    /// The screen of a lower-case name (`station`, `lookup`, `settings`, `users`, `camera`,
    /// `returns`, `recall`, `supervisor`), e.g. for [`super::demo::SCREEN_ENV`].
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "station" => Self::Station,
            "lookup" => Self::Lookup,
            "settings" => Self::Settings,
            "users" => Self::Users,
            "camera" => Self::Camera,
            "returns" => Self::Returns,
            "recall" => Self::Recall,
            "supervisor" => Self::Supervisor,
            _ => return None,
        })
    }
}

/// A message the UI shows with a verdict: a Fluent id and its arguments (translated when drawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictMessage {
    /// Fluent id.
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, String)>,
}

impl VerdictMessage {
    /// A message without arguments.
    pub fn plain(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// The message in the language of `i18n`.
    pub fn text(&self, i18n: &I18n) -> String {
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, v.clone().into()))
            .collect();
        i18n.tr_args(self.id, &args)
    }
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
    /// What happened, in words (a case completed, an undo, ...), instead of a bare "OK".
    pub message: Option<VerdictMessage>,
}

/// A supervisor signature being collected for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureDialog {
    /// The command to send again with the signature.
    pub request: Request,
    /// Fluent id of the meaning of the signature.
    pub meaning_id: &'static str,
    /// The unit or container the signed action is about.
    pub unit: Option<String>,
    /// Signer's user name.
    pub user: String,
    /// Signer's password.
    pub password: String,
    /// Reason.
    pub reason: String,
    /// The station refused the last signature (the dialog stays open for another try).
    pub refused: Option<ReasonCode>,
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

/// A question the station asked (confirm or cancel), spelled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// What it is about: a move (`IN_OTHER_CONTAINER`, `CONFIRM_REQUIRED`), putting the container
    /// being filled aside (`CONFIRM_SWITCH`), resuming a container that changed while aside
    /// (`CHANGED_WHILE_SUSPENDED`).
    pub about: ReasonCode,
    /// The unit (a move) or the keys and counts (a switch: "(00)…22 3/20 → (00)…39").
    pub subject: String,
    /// A move: where the unit is now.
    pub from: Option<String>,
    /// A move: where it goes (the container being filled).
    pub to: Option<String>,
}

/// One code of a batch ("Pack all seen", hands-free packing) and the station's verdict on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLine {
    /// The code as read.
    pub scan: String,
    /// Whether it was packed.
    pub ok: bool,
    /// The reason code (`OK`, or why it was refused).
    pub code: ReasonCode,
}

/// A batch's answer, per code, shown on the screen where the batch ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchView {
    /// Codes packed.
    pub accepted: usize,
    /// Codes refused.
    pub refused: usize,
    /// Every code with its verdict, in the order sent.
    pub lines: Vec<BatchLine>,
    /// The screen the batch ran on.
    pub screen: Screen,
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

/// Everything the screens draw, borrowed from the app for one frame: the typed view models,
/// read-only. A screen draws from it and returns [`super::ui_command::UiCommand`]s.
#[derive(Debug, Clone, Copy)]
pub struct AppState<'a> {
    /// Translations in use.
    pub i18n: &'a I18n,
    /// The latest view model from the worker.
    pub snapshot: &'a Snapshot,
    /// The screen shown.
    pub screen: Screen,
    /// The banner.
    pub verdict: Option<&'a Verdict>,
    /// The last batch's answer, per code.
    pub batch: Option<&'a BatchView>,
    /// A modal dialog is open (the screen underneath is drawn but takes no taps).
    pub modal_open: bool,
    /// A contents check's confirm also moves the units of other containers into the one checked.
    pub verify_move_foreign: bool,
    /// The workstation's settings.
    pub settings: &'a AppSettings,
    /// Where the settings are saved (`None`: not persisted).
    pub settings_file: Option<&'a SettingsStore>,
    /// Repository sync: its status and the connection in effect.
    pub sync: &'a SyncPanel,
    /// Scanners and camera: their state, the last layer read, the calibration wizard.
    pub devices: &'a Devices,
    /// The last label and its printing.
    pub labels: &'a LabelPanel,
    /// The last look-up.
    pub lookup: Option<&'a LookupView>,
    /// Time from the last scan being sent to its verdict being drawn.
    pub last_scan_to_verdict: Option<std::time::Duration>,
}
