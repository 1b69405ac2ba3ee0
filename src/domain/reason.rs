//! Stable reason codes: every verdict the station gives carries one.
//!
//! The codes are part of the automation protocol and the GUI maps each to a Fluent message id, so
//! they never change once released. English messages here are for logs and the headless protocol.

use serde::Serialize;

/// How a verdict is shown to the packer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Green: done and on disk.
    Ok,
    /// Amber: nothing wrong was recorded, but look (duplicate scan, expiry soon, confirm needed).
    Warning,
    /// Red: refused, nothing changed.
    Refused,
    /// Red and sticky: a possible counterfeit; recorded as an alert until acknowledged.
    Alert,
}

macro_rules! reason_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident, $msg:literal; )*) => {
        /// A stable machine-readable verdict code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ReasonCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ReasonCode {
            /// Every code, for documentation and i18n completeness tests.
            pub const ALL: &'static [ReasonCode] = &[ $( ReasonCode::$variant, )* ];

            /// The stable code string, e.g. `WRONG_PRODUCT`.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $code, )* }
            }

            /// The default severity of the code.
            pub fn severity(self) -> Severity {
                match self { $( Self::$variant => Severity::$severity, )* }
            }

            /// A plain English message (the GUI uses translated Fluent messages instead).
            pub fn message(self) -> &'static str {
                match self { $( Self::$variant => $msg, )* }
            }
        }
    };
}

reason_codes! {
    /// Success.
    Ok = "OK", Ok, "Done.";
    /// The scan is not valid GS1 data (the detail names the GS1 error).
    InvalidScan = "INVALID_SCAN", Refused, "This is not valid GS1 barcode data.";
    /// The scan is valid but carries no identifier the station can use.
    NotAUnit = "NOT_A_UNIT", Refused, "This barcode does not identify a pack, case or pallet.";
    /// Nobody is logged in.
    NotLoggedIn = "NOT_LOGGED_IN", Refused, "Log in first.";
    /// The user's role does not allow the action.
    NotAuthorized = "NOT_AUTHORIZED", Refused, "Your role does not allow this action.";
    /// Wrong user name or password.
    BadCredentials = "BAD_CREDENTIALS", Refused, "Wrong user name or password.";
    /// Too many failed log-ins.
    AccountLocked = "ACCOUNT_LOCKED", Refused, "This account is locked after too many failed attempts.";
    /// The action needs a supervisor's electronic signature.
    SignatureRequired = "SIGNATURE_REQUIRED", Warning, "A supervisor must sign this action.";
    /// The signature given is not valid (wrong password, role, or meaning).
    SignatureInvalid = "SIGNATURE_INVALID", Refused, "The signature is not valid.";
    /// No work order is selected.
    NoWorkOrder = "NO_WORK_ORDER", Refused, "Select a work order first.";
    /// The work order does not exist.
    UnknownWorkOrder = "UNKNOWN_WORK_ORDER", Refused, "No such work order.";
    /// The product (GTIN) is not the work order's.
    WrongProduct = "WRONG_PRODUCT", Refused, "Wrong product for this work order.";
    /// The batch/lot is not the work order's.
    WrongLot = "WRONG_LOT", Refused, "Wrong batch for this work order.";
    /// The expiry date is not the work order's.
    WrongExpiry = "WRONG_EXPIRY", Refused, "Wrong expiry date for this work order.";
    /// A pack without a serial number.
    NotSerialised = "NOT_SERIALISED", Refused, "This pack has no serial number.";
    /// The expiry date has passed.
    Expired = "EXPIRED", Refused, "This product has expired.";
    /// The expiry date is within the warning window (the scan was accepted).
    ExpirySoon = "EXPIRY_SOON", Warning, "Accepted, but this product expires soon.";
    /// The serial is not on the commissioned serial list: possible counterfeit.
    UnknownSerial = "UNKNOWN_SERIAL", Alert, "Unknown serial number: possible counterfeit. Set the pack aside.";
    /// The unit is decommissioned, destroyed, sampled or rejected.
    Inactive = "INACTIVE", Refused, "This unit is no longer active.";
    /// A destroyed or decommissioned unit was seen again: possible counterfeit.
    InactiveSeenAgain = "INACTIVE_SEEN_AGAIN", Alert, "This unit was destroyed or decommissioned: possible counterfeit. Set it aside.";
    /// The unit cannot go into a container of that level.
    WrongLevel = "WRONG_LEVEL", Refused, "This unit cannot go into that container.";
    /// Packing would put a container inside itself.
    Cycle = "CYCLE", Refused, "A container cannot go inside itself.";
    /// Duplicate scan: the unit is already in this container (harmless).
    AlreadyInThisContainer = "ALREADY_IN_THIS_CONTAINER", Warning, "Already in this container: nothing to do.";
    /// The unit sits in another container; a move needs confirmation.
    InOtherContainer = "IN_OTHER_CONTAINER", Warning, "This unit is in another container. Confirm to move it here.";
    /// No container is open to pack into.
    NoOpenContainer = "NO_OPEN_CONTAINER", Refused, "No open container: scan or create a case or pallet label first.";
    /// The container is closed.
    ContainerClosed = "CONTAINER_CLOSED", Refused, "This container is closed.";
    /// The container is full.
    ContainerFull = "CONTAINER_FULL", Refused, "This container is full.";
    /// The container holds nothing.
    ContainerEmpty = "CONTAINER_EMPTY", Refused, "This container is empty.";
    /// The container was put aside partly filled: it accepts nothing until it is resumed.
    ContainerSuspended = "CONTAINER_SUSPENDED", Refused, "This container was put aside: scan its label to resume it first.";
    /// Another container of the same level is being filled: putting it aside needs confirmation.
    ConfirmSwitch = "CONFIRM_SWITCH", Warning, "Another container of this level is being filled. Confirm to put it aside, or cancel.";
    /// The container changed while it was put aside: check it, then confirm to resume it.
    ChangedWhileSuspended = "CHANGED_WHILE_SUSPENDED", Warning, "This container changed while it was put aside. Check its contents, then confirm to resume it.";
    /// The unit is not in any container.
    NotInContainer = "NOT_IN_CONTAINER", Refused, "This unit is not in a container.";
    /// The scanned unit is not known to the station.
    UnknownUnit = "UNKNOWN_UNIT", Refused, "Unknown unit.";
    /// The unit is not a container.
    NotAContainer = "NOT_A_CONTAINER", Refused, "This is not a case or pallet.";
    /// The container is already in use (relabel target).
    AlreadyExists = "ALREADY_EXISTS", Refused, "This identifier is already in use.";
    /// A step is waiting for confirmation.
    ConfirmRequired = "CONFIRM_REQUIRED", Warning, "Confirm or cancel first.";
    /// Confirm or cancel was scanned with nothing pending.
    NothingToConfirm = "NOTHING_TO_CONFIRM", Refused, "Nothing to confirm.";
    /// Undo with nothing to undo.
    NothingToUndo = "NOTHING_TO_UNDO", Refused, "Nothing to undo.";
    /// The last action cannot be undone any more (something changed since).
    UndoConflict = "UNDO_CONFLICT", Refused, "The last action can no longer be undone.";
    /// The site repository could not be asked (offline, unreachable, or none configured).
    RepositoryUnreachable = "REPOSITORY_UNREACHABLE", Refused, "The repository cannot be reached: nothing was taken in.";
    /// The repository knows nothing of the scanned unit.
    NotInRepository = "NOT_IN_REPOSITORY", Refused, "The repository does not know this unit.";
    /// The station has changes to the unit the repository has not received: sync first.
    UnsentChanges = "UNSENT_CHANGES", Refused, "This unit has changes not yet sent to the repository: sync first.";
    /// Another bench changed the hierarchy in the repository since this station took it in.
    StaleHierarchy = "STALE_HIERARCHY", Refused, "The repository has newer changes to this hierarchy: refresh first.";
    /// Done, but the repository could not be asked whether another bench changed the hierarchy.
    UnverifiedOffline = "UNVERIFIED_OFFLINE", Warning, "Done offline: the repository could not be checked for newer changes.";
    /// The last action retired units, the repository may already have recorded that, and it
    /// does not honour error declarations: no event can reverse it there.
    UndoNotPossible = "UNDO_NOT_POSSIBLE", Refused, "The repository has recorded this action; it cannot be reversed there.";
    /// Every SSCC range is used up (add a range or pull one from the repository).
    SsccExhausted = "SSCC_EXHAUSTED", Refused, "No SSCC left: add an SSCC range.";
    /// Done, but few SSCCs are left (below the `sscc_low_stock` setting): add or pull a range.
    SsccLowStock = "SSCC_LOW_STOCK", Warning, "Done. Few SSCCs are left: add or pull a new range soon.";
    /// A printed label has not been scanned back yet (the container cannot be closed).
    LabelNotVerified = "LABEL_NOT_VERIFIED", Refused, "Scan the printed label first.";
    /// The scan is not the label that was just printed.
    LabelMismatch = "LABEL_MISMATCH", Refused, "This is not the label just printed.";
    /// A contents check recorded a unit the container's record does not hold (it is loose):
    /// it joins the container on confirm.
    VerifyExtra = "VERIFY_EXTRA", Warning, "Recorded: not in this container's record. It will be added on confirm.";
    /// A contents check recorded a unit that the record has in another container.
    VerifyForeign = "VERIFY_FOREIGN", Warning, "Recorded: this unit is recorded in another container.";
    /// A contents check recorded a pack of another batch or product than the container's.
    VerifyWrongLot = "VERIFY_WRONG_LOT", Warning, "Recorded: another batch or product. Take it out: it will not be added.";
    /// Status, confirm or cancel of a contents check while none is in progress.
    NotVerifying = "NOT_VERIFYING", Refused, "No contents check is in progress.";
    /// The work order is closed: it takes no more packs, containers or labels (look-up,
    /// manifest, tree and reports still work).
    OrderClosed = "ORDER_CLOSED", Refused, "This work order is closed: nothing more can be packed for it.";
    /// Closing a work order while containers of it are open or suspended (the detail names them).
    ContainersOpen = "CONTAINERS_OPEN", Refused, "Containers of this work order are still open or put aside: close, fill or retire them first.";
    /// Closing a work order whose serials are not all accounted for (leftovers active in no
    /// container, without decommissioning them; or figures that do not add up).
    OrderNotReconciled = "ORDER_NOT_RECONCILED", Refused, "Not every serial of this work order is packed or retired.";
    /// Returns desk: the verification service verified the pack; it may be resold.
    ReturnVerified = "RETURN_VERIFIED", Ok, "Verified by the manufacturer: this pack may be resold.";
    /// Returns desk: the verification service did not verify the pack (the detail gives its
    /// reason); the pack was put on hold.
    ReturnNotVerified = "RETURN_NOT_VERIFIED", Refused, "Not verified: do not resell. The pack is on hold.";
    /// Returns desk: the station's record says the pack was decommissioned or otherwise
    /// retired; no request was sent.
    ReturnInactive = "RETURN_INACTIVE", Refused, "This pack was taken out of use here: it cannot be resold.";
    /// Returns desk: the pack is on hold here; no request was sent.
    ReturnOnHold = "RETURN_ON_HOLD", Refused, "This pack is on hold here: it cannot be resold until QA releases it.";
    /// Returns desk: the station does not know the pack; no request was sent.
    ReturnUnknown = "RETURN_UNKNOWN", Refused, "This pack is unknown at this station: set it aside for investigation.";
    /// Returns desk: the verification service could not be reached; the check is queued and
    /// retried later.
    ReturnQueued = "RETURN_QUEUED", Warning, "The verification service cannot be reached: the check is queued and will be retried. Keep the pack aside.";
    /// Returns desk: the verification service's answer could not be taken (HTTP error,
    /// unreadable or uncorrelated); nothing was decided.
    VrsBadAnswer = "VRS_BAD_ANSWER", Refused, "The verification service's answer cannot be used: nothing was decided. Keep the pack aside.";
    /// Returns desk: no verification service is configured.
    VrsNotConfigured = "VRS_NOT_CONFIGURED", Refused, "No verification service is configured.";
    /// The request is malformed (automation protocol).
    BadRequest = "BAD_REQUEST", Refused, "Malformed request.";
    /// The request names an unknown command (automation protocol).
    UnknownCommand = "UNKNOWN_COMMAND", Refused, "Unknown command.";
    /// A parameter is invalid.
    InvalidArgument = "INVALID_ARGUMENT", Refused, "Invalid value.";
    /// The unit (or something in it) is on hold (quarantine): it cannot be packed, moved or
    /// shipped until QA releases it. The detail names the unit, the hold's scope, reason and
    /// who placed it.
    OnHold = "ON_HOLD", Refused, "This unit is on hold (quarantine): it cannot be packed, moved or shipped.";
    /// The local database failed; nothing was recorded.
    StorageError = "STORAGE_ERROR", Refused, "The local database failed; nothing was recorded.";
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A refusal: a code plus a detail that names the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct Refusal {
    /// The stable code.
    pub code: ReasonCode,
    /// What exactly was wrong, in English, naming the input (e.g. expected vs found).
    pub detail: String,
    /// The unit it is about (bracketed GS1 key), when there is one: alerts are filed under it.
    pub subject: Option<String>,
}

impl Refusal {
    /// A refusal with a detail.
    pub fn new(code: ReasonCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            subject: None,
        }
    }

    /// Names the unit the refusal is about.
    pub fn about(mut self, key: impl Into<String>) -> Self {
        self.subject = Some(key.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_upper_snake() {
        let mut seen = std::collections::HashSet::new();
        for c in ReasonCode::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch == '_')
            );
            assert!(!c.message().is_empty());
        }
    }
}
