//! The commands a station executes (the automation protocol's `cmd` values).

use super::Mode;
use crate::auth::Role;
use serde::Deserialize;

/// A supervisor's electronic signature given with a command (21 CFR Part 11: user id + password,
/// the meaning is fixed by the command, a reason may be given).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// The signer's user name.
    pub user: String,
    /// The signer's password.
    pub password: String,
    /// Why (free text), recorded with the signature.
    #[serde(default)]
    pub reason: Option<String>,
}

/// One container level of a work order's packaging spec.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelInput {
    /// `case`, `pallet` or `container`.
    pub level: String,
    /// Children per container.
    pub capacity: u32,
}

/// A command. Every variant is one line `{"cmd": "<name>", ...}` of the automation protocol.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Creates the first administrator of a new database (refused once any user exists).
    InitAdmin {
        /// User name.
        user: String,
        /// Printed name.
        full_name: String,
        /// Password (8+ characters).
        password: String,
    },
    /// Logs a user in (replaces the current session user).
    Login {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// Logs out.
    Logout,
    /// Creates a user (administrator only).
    CreateUser {
        /// User name.
        user: String,
        /// Printed name.
        full_name: String,
        /// `packer`, `supervisor`, `qa` or `administrator`.
        role: Role,
        /// Password (8+ characters).
        password: String,
    },
    /// Adds or updates a product (administrator only).
    AddProduct {
        /// GTIN (8, 12, 13 or 14 digits).
        gtin: String,
        /// Name.
        name: String,
        /// Length of the GS1 company prefix in the GTIN (6..=12).
        company_prefix_length: u8,
        /// Packaging level of this GTIN (`pack` or `case`); default `pack`.
        #[serde(default)]
        level: Option<String>,
    },
    /// Creates a work order (administrator only).
    CreateWorkOrder {
        /// Order id.
        id: String,
        /// GTIN of the pack-level product (must exist).
        gtin: String,
        /// Batch the packs must carry.
        #[serde(default)]
        lot: Option<String>,
        /// Expiry YYMMDD the packs must carry.
        #[serde(default)]
        expiry: Option<String>,
        /// Container levels, lowest first, e.g. `[{"level":"case","capacity":20}]`.
        levels: Vec<LevelInput>,
        /// Open the next container automatically when one closes at capacity (a new SSCC is
        /// allocated and its label printed); default off.
        #[serde(default)]
        auto_open_next: bool,
    },
    /// Sets a work order's options (administrator only).
    SetWorkOrderOption {
        /// Order id.
        id: String,
        /// Open the next container automatically when one closes at capacity.
        auto_open_next: bool,
    },
    /// Loads the commissioned serial numbers of a work order (unknown serials then raise alerts).
    ImportSerials {
        /// Order id.
        work_order: String,
        /// Serial numbers (AI 21 values).
        serials: Vec<String>,
    },
    /// Selects the work order to pack.
    SelectWorkOrder {
        /// Order id.
        id: String,
    },
    /// Sets a station setting (administrator only): `read_point`, `biz_location`,
    /// `expiry_warn_days`, `sscc_company_prefix_length`.
    SetSetting {
        /// Setting name.
        key: String,
        /// Value.
        value: String,
    },
    /// One scan, handled according to the current mode (pack, remove, move, lookup).
    Scan {
        /// Raw scanner data, bracketed form or Digital Link URI.
        data: String,
    },
    /// Many pack scans at once (a camera layer read), applied in one transaction; each scan gets
    /// its own verdict in `data.results`.
    ScanBatch {
        /// The scans.
        data: Vec<String>,
    },
    /// Switches the scan mode: `pack`, `remove`, `move`, `lookup`.
    Mode {
        /// The mode.
        mode: Mode,
    },
    /// The next new SSCC opens a container of this level (`case`, `pallet`, `container`).
    NewContainer {
        /// The level.
        level: String,
        /// Open this SSCC right away instead of waiting for a scan.
        #[serde(default)]
        sscc: Option<String>,
    },
    /// Closes a container (the current one of the lowest open level unless `scan` names one).
    /// A short container needs a supervisor signature.
    Close {
        /// The container to close.
        #[serde(default)]
        scan: Option<String>,
        /// Signature for a short close.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Takes a unit out of its container.
    Remove {
        /// The unit.
        scan: String,
    },
    /// Empties a whole container.
    Unpack {
        /// The container.
        scan: String,
    },
    /// Moves a unit into another container (the current one of the right level unless `to`).
    Move {
        /// The unit.
        scan: String,
        /// The target container.
        #[serde(default)]
        to: Option<String>,
        /// Confirm at once (otherwise the answer asks for `confirm`).
        #[serde(default)]
        confirm: bool,
    },
    /// Puts a partly filled container aside (the current one of the lowest level being filled
    /// unless `scan` names one): it accepts nothing until it is scanned again or resumed.
    Suspend {
        /// The container (default: the one being filled at the lowest level).
        #[serde(default)]
        scan: Option<String>,
        /// Why (end of shift, waiting for material, ...).
        #[serde(default)]
        note: Option<String>,
        /// Print a remainder label (its real count) for it.
        #[serde(default)]
        remainder_label: bool,
    },
    /// Takes a suspended (or open) container up again as the current one of its level, its
    /// contents checked against what it held when it was put aside.
    Resume {
        /// The container's label.
        scan: String,
    },
    /// Lists the suspended containers of a work order (default: the selected one; all when
    /// none is selected).
    Suspended {
        /// Order id.
        #[serde(default)]
        work_order: Option<String>,
    },
    /// Confirms the pending step (a move, putting a container aside, resuming a changed one).
    Confirm,
    /// Cancels the pending step.
    Cancel,
    /// Replaces a damaged unit in its container (supervisor signature).
    Replace {
        /// The damaged unit.
        damaged: String,
        /// Its replacement.
        replacement: String,
        /// Reason code of the damaged unit (default `damaged`).
        #[serde(default)]
        reason: Option<crate::domain::RemovalReason>,
        /// Destroy the damaged unit instead of decommissioning it.
        #[serde(default)]
        destroy: bool,
        /// Supervisor signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Gives a container a new SSCC label.
    Relabel {
        /// The old label.
        old: String,
        /// The new label (an unused SSCC).
        new: String,
    },
    /// Decommissions, destroys, samples or rejects a unit (with its contents); supervisor signature.
    Retire {
        /// The unit.
        scan: String,
        /// What to do.
        kind: crate::domain::RetireKind,
        /// Why.
        reason: crate::domain::RemovalReason,
        /// Free-text comment.
        #[serde(default)]
        comment: Option<String>,
        /// Supervisor signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Puts a unit, a container (with everything in it) or a whole lot (GTIN + lot, also units
    /// not seen yet) on hold (quarantine); a supervisor or QA signature.
    Hold {
        /// The unit or container (scan data or key); or give `gtin` and `lot`.
        #[serde(default)]
        scan: Option<String>,
        /// The GTIN of a lot to hold.
        #[serde(default)]
        gtin: Option<String>,
        /// The lot to hold (with `gtin`).
        #[serde(default)]
        lot: Option<String>,
        /// Why.
        reason: crate::domain::HoldReason,
        /// Free-text comment.
        #[serde(default)]
        comment: Option<String>,
        /// Supervisor or QA signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Lifts a hold; a QA signature and a reason.
    Release {
        /// The hold's id (from `holds`); or name what it holds with `scan` or `gtin` + `lot`.
        #[serde(default)]
        hold: Option<i64>,
        /// The unit or container held.
        #[serde(default)]
        scan: Option<String>,
        /// The GTIN of the lot held.
        #[serde(default)]
        gtin: Option<String>,
        /// The lot held.
        #[serde(default)]
        lot: Option<String>,
        /// Why it is released.
        reason: String,
        /// QA signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Lists the active holds.
    Holds,
    /// Undoes the user's last action (a signed action needs a signature again).
    Undo {
        /// Signature, when the action undone was signed.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Starts a contents check of a container (`docs/automation.md`, "Verify contents"): every
    /// scan until `verify_confirm` or `verify_cancel` is recorded against the container's
    /// children, never packed.
    VerifyStart {
        /// The container: its scan data or key.
        container: String,
    },
    /// The contents check so far: expected vs seen, classified.
    VerifyStatus,
    /// Ends the contents check without changing anything.
    VerifyCancel,
    /// Ends the contents check and corrects the container's record (supervisor signature): the
    /// missing leave it, the extra join it; the check and its findings become EPCIS events.
    VerifyConfirm {
        /// Also move the units recorded in another container into this one (the packer
        /// confirmed they belong here); otherwise they are reported and must be taken out.
        #[serde(default)]
        move_foreign: bool,
        /// Supervisor signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Adds a range of SSCCs to allocate from (administrator only).
    AddSsccRange {
        /// GS1 company prefix.
        company_prefix: String,
        /// Extension digit (0-9).
        extension_digit: u8,
        /// First serial reference.
        first: u64,
        /// Last serial reference (inclusive).
        last: u64,
        /// `local` (default) or `pool` (from the repository).
        #[serde(default)]
        source: Option<String>,
    },
    /// Prints an SSCC label: for an existing container (`scan`, with its actual content) or for a
    /// new one (a fresh SSCC of `level`, allocated now). The label must then be scanned back.
    PrintLabel {
        /// Level of the new container (default: the order's lowest).
        #[serde(default)]
        level: Option<String>,
        /// An existing container to label.
        #[serde(default)]
        scan: Option<String>,
    },
    /// Prints a label again (lost, damaged, printer jam); the reason is audited.
    ReprintLabel {
        /// The SSCC of the label.
        scan: String,
        /// Why.
        reason: String,
    },
    /// Matches a printed label against its scan (a scan in pack mode does the same).
    VerifyLabel {
        /// The scanned label.
        scan: String,
    },
    /// Voids a printed label that will never be applied (the SSCC is never reused); audited.
    VoidLabel {
        /// The SSCC of the label.
        scan: String,
        /// Why.
        reason: String,
    },
    /// Outcomes of print jobs sent to the printer (waits up to `wait_ms` for pending ones).
    PrintStatus {
        /// How long to wait for an outcome.
        #[serde(default)]
        wait_ms: Option<u64>,
    },
    /// Returns desk (issue 18): verifies a returned pack, or every pack of a returned
    /// container, locally first and then at the configured verification service (VRS).
    VerifyReturn {
        /// The returned pack's DataMatrix (GTIN, serial, lot, expiry) or a container's label.
        scan: String,
    },
    /// Asks the verification service again about the checks it could not answer (queued or
    /// unreadable), oldest first; stops at the first that is still unreachable.
    ReturnsRetry,
    /// The returns checks recorded, newest first.
    Returns {
        /// At most this many (default 200).
        #[serde(default)]
        limit: Option<usize>,
    },
    /// A unit up to its top container and down to every pack, with each unit's moves.
    Trace {
        /// The unit.
        scan: String,
    },
    /// Every unit of a lot the station knows, grouped by top container, with its status.
    Recall {
        /// GTIN (with `lot`).
        #[serde(default)]
        gtin: Option<String>,
        /// Lot (with `gtin`).
        #[serde(default)]
        lot: Option<String>,
        /// Or: a pack of the lot.
        #[serde(default)]
        scan: Option<String>,
        /// List every unit, not only the counts per container.
        #[serde(default)]
        units: bool,
    },
    /// Status, parent chain, children and history of a unit.
    Lookup {
        /// The unit.
        scan: String,
    },
    /// Recursive contents of a container with counts per GTIN and lot.
    Manifest {
        /// The container.
        scan: String,
    },
    /// Acknowledges a counterfeit alert (supervisor).
    AcknowledgeAlert {
        /// Alert id.
        id: i64,
    },
    /// Station status: user, work order, mode, open containers, outbox counts, open alerts.
    Status,
    /// Takes the unit's whole hierarchy (from the top of it down) in from the site repository,
    /// or takes it in again (refresh): `NOT_IN_REPOSITORY`, `REPOSITORY_UNREACHABLE`,
    /// `UNSENT_CHANGES` when the station has changes the repository has not received.
    Adopt {
        /// Any unit of the hierarchy.
        scan: String,
    },
    /// Takes in the hierarchies of EPCIS files (2.0 JSON-LD, 2.0 XML, 1.2 XML): every file is
    /// read and checked first, a bad one refuses the import (`INVALID_ARGUMENT` naming the
    /// file, the event and the field; nothing imported); then all their events are adopted at
    /// once with origin `file`.
    ImportEpcis {
        /// The files.
        paths: Vec<String>,
    },
    /// The close-out of a work order (read-only; `docs/automation.md`, "Closing a work
    /// order"): its serials packed, retired or still loose, totals per level, open, suspended
    /// and short containers, and how it was closed.
    Reconcile {
        /// The order (default: the selected one).
        #[serde(default)]
        work_order: Option<String>,
    },
    /// Closes a work order (supervisor signature): refused while containers of it are open or
    /// suspended (`CONTAINERS_OPEN`) or serials of it are active in no container
    /// (`ORDER_NOT_RECONCILED`) unless they are decommissioned in the same step. A closed
    /// order takes no more packs (`ORDER_CLOSED`).
    CloseWorkOrder {
        /// The order (default: the selected one).
        #[serde(default)]
        work_order: Option<String>,
        /// Decommission every serial of the order left active in no container, in the same
        /// signed step.
        #[serde(default)]
        decommission_leftovers: bool,
        /// Supervisor signature.
        #[serde(default)]
        signature: Option<SignatureInput>,
    },
    /// Scans of serials the station has never handled, from the selected work order's serial
    /// list, oldest first (`data.scans`): what training and sample pictures use, so that they
    /// never reuse a serial typed in by hand or packed before.
    UnusedSerials {
        /// How many (at most 1,000).
        count: u32,
    },
    /// The tree (pre-order rows) of the topmost container above `scan`, or above the container
    /// being filled when `scan` is absent.
    Tree {
        /// Any unit inside the tree.
        #[serde(default)]
        scan: Option<String>,
    },
    /// The shift at a glance (supervisors, QA and administrators; read-only, issue 15): packs,
    /// cases and pallets completed per hour, refusals by reason, open alerts, containers put
    /// aside or on hold, the sync backlog (`station/shift.rs`).
    ShiftSummary {
        /// Hours to cover: whole local hours ending with the current one (1..=168; default 8).
        #[serde(default)]
        hours: Option<u32>,
        /// The end of the window (Unix ms; default now).
        #[serde(default)]
        until_ms: Option<i64>,
    },
    /// Records a refusal the screen made itself before a scan reached the station (a scan that
    /// is not a unit, a scan while a question waits), so that the evidence of every refusal is
    /// in one place (`station/refusals.rs`).
    RecordRefusal {
        /// The reason code the packer was given (a refusal, not an alert).
        code: String,
        /// What was scanned.
        #[serde(default)]
        scan: Option<String>,
        /// The screen's detail.
        #[serde(default)]
        detail: Option<String>,
    },
}
