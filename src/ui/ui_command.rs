//! What a screen asks the app to do. Screens draw from [`super::state::AppState`] and return
//! these; the app applies them once per frame in `logic` (the only place that changes the app's
//! state or talks to the station worker).

use super::state::Screen;
use crate::station::Request;

/// One thing a screen asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiCommand {
    /// A scan from the manual field or the training panel: its meaning is decided by
    /// [`super::scan_route::route`], as for the scanner's.
    Scan(String),
    /// The action of a command barcode (`CLOSE`, `PACK`, `CONFIRM`, ...), from its button.
    Command(String),
    /// One station request, sent as it is.
    Station(Request),
    /// Shows another screen.
    Show(Screen),
    /// Shows the tree of the container holding this unit (`None`: the one being filled).
    FocusTree(Option<String>),
    /// Finds a unit: in the tree shown, else the station is asked where it is.
    Find(String),
    /// Finds a row in the tree shown only (while typing).
    FindInTree(String),
    /// Signs the open signature dialog with what was typed.
    Sign,
    /// Sends the decommission / reject of the open retire dialog.
    Retire,
    /// Sends the open flow's command (its Confirm button).
    FlowConfirm,
    /// Closes the open flow without doing anything.
    FlowCancel,
    /// Expands every row of the tree.
    ExpandAll,
    /// Collapses every container below the root.
    CollapseAll,
    /// Switches the language (saved in the settings).
    SetLocale(String),
    /// Hides the notice line.
    DismissNotice,
    /// Hides the batch answer.
    DismissBatch,
    /// Turns "also move the units of other containers" of a contents check on or off.
    SetVerifyMoveForeign(bool),
    /// The system's open dialog for EPCIS files.
    OpenEpcis,
    /// The work order's close-out window.
    OpenCloseout,
    /// Writes the command-barcode sheet (PDF).
    SaveCommandSheet,
    /// The training panel's "Next pack": asks the station for a serial it never handled
    /// (`UnusedSerials`) and scans it.
    TrainingNextPack,
    /// Creates the first administrator (first run).
    FirstRun {
        /// User name.
        user: String,
        /// Printed name.
        full_name: String,
        /// Password.
        password: String,
    },
}
