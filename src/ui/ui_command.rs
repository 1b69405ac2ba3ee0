//! What a screen asks the app to do. Screens draw from [`super::state::AppState`] and return
//! these; the app applies them once per frame in `logic` (the only place that changes the app's
//! state or talks to the station worker).

use super::device_fields::DeviceEdit;
use super::devices_state::WizardTarget;
use super::settings::AppSettings;
use super::state::Screen;
use super::status::RepositoryForm;
use crate::station::Request;

/// A report the recall screen saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFile {
    /// The recall as CSV.
    RecallCsv,
    /// The recall as PDF.
    RecallPdf,
    /// The trace as PDF.
    TracePdf,
}

/// One thing a screen asks for.
#[derive(Debug, Clone, PartialEq)]
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
    /// The camera screen's "Decode sample image n+1": the training case drawn in a picture
    /// (serials never used here), then decoded.
    TrainingSample(usize),
    /// Opens or closes the list of commands the repository refused.
    ShowParked(bool),
    /// The repository form as edited on the settings screen.
    EditRepository(Box<RepositoryForm>),
    /// Saves the repository form and restarts the sync worker.
    SaveRepository,
    /// The workstation settings as edited on the settings screen (station name, sounds,
    /// auto-logout, wedge timing; saved to the settings file by `logic`).
    EditSettings(Box<AppSettings>),
    /// The device settings and fields as edited (the workers restart when the settings
    /// changed).
    EditDevices(Box<DeviceEdit>),
    /// Sends the last label to the printer again (after a printer failure).
    RetryPrint,
    /// Shows the label preview large (`true`) or beside the verdict.
    ZoomLabel(bool),
    /// Opens the hold dialog for the unit looked up.
    OpenHold,
    /// Opens the hold dialog for a whole lot (recall screen).
    OpenHoldLot {
        /// GTIN.
        gtin: String,
        /// Lot.
        lot: String,
    },
    /// Opens the release dialog of a hold.
    OpenRelease {
        /// The unit looked up.
        key: String,
        /// The hold's id.
        hold: i64,
    },
    /// Closes the hold / release dialog.
    CloseHold,
    /// Closes the close-out window.
    CloseCloseout,
    /// Saves the close-out report (PDF).
    SaveCloseoutReport,
    /// Saves the returns file (the whole list is asked for first).
    SaveReturnsCsv,
    /// Saves the recall or trace shown.
    SaveRecall(ReportFile),
    /// The system's open dialog for image files (the camera screen's own path field when
    /// there is none).
    OpenImages,
    /// Decodes an image file like a camera frame.
    DecodeImage(String),
    /// Opens the calibration wizard for a scanner (again: it listens afresh).
    OpenWizard(WizardTarget),
    /// Closes the calibration wizard.
    CloseWizard,
    /// Saves the wizard's inferred profile into the device settings.
    SaveWizardProfile,
    /// Lists the serial ports again.
    RefreshPorts,
    /// Looks for webcams (on a named thread).
    LookForCameras,
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
