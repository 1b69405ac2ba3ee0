//! Command barcodes (`PBCMD:…`, printed on the sheet of [`crate::ui::sheet`]) and the buttons
//! that do the same: each becomes a station request, a dialog, or a camera action. A packer
//! never needs the mouse. Also where the screens' [`UiCommand`]s are applied, once per frame in `logic`.

use super::{FIND_TAG, PackbenchApp, RetireDialog, VerdictMessage};
use crate::devices::serial::available_ports;
use crate::domain::{ReasonCode, RemovalReason, RetireKind, Severity};
use crate::station::{Mode, Request};
use crate::ui::hold_view::HoldDialog;
use crate::ui::i18n::I18n;
use crate::ui::ui_command::UiCommand;
use crate::ui::worker::WorkerCommand;
use std::time::Instant;

/// The scan mode a command barcode switches to (`PACK`, `REMOVE`, `MOVE`, `LOOKUP`, `RECEIVE`).
pub(crate) fn command_mode(command: &str) -> Option<Mode> {
    match command {
        "PACK" => Some(Mode::Pack),
        "REMOVE" => Some(Mode::Remove),
        "MOVE" => Some(Mode::Move),
        "LOOKUP" => Some(Mode::Lookup),
        "RECEIVE" => Some(Mode::Receive),
        "RETURNS" => Some(Mode::Returns),
        _ => None,
    }
}

impl PackbenchApp {
    /// A command barcode (or the same action from a button).
    pub fn command_barcode(&mut self, command: &str) {
        let request = match command {
            "CLOSE" => Request::Close {
                scan: None,
                signature: None,
            },
            "NEWCASE" => Request::NewContainer {
                level: "case".to_owned(),
                sscc: None,
            },
            "NEWPALLET" => Request::NewContainer {
                level: "pallet".to_owned(),
                sscc: None,
            },
            "UNDO" => Request::Undo { signature: None },
            "SUSPEND" => Request::Suspend {
                scan: None,
                note: None,
                remainder_label: false,
            },
            "PACKALL" => {
                self.pack_all_seen();
                return;
            }
            "VERIFYLAYER" => {
                self.verify_layer();
                return;
            }
            "HANDSFREE" => {
                self.toggle_hands_free();
                return;
            }
            "CONFIRM" => {
                if self.flow_confirm() {
                    return;
                }
                self.confirm = None;
                if self.snapshot.verify.is_some() {
                    self.verify_confirm();
                    return;
                }
                Request::Confirm
            }
            "VERIFY" => {
                self.open_verify();
                return;
            }
            "PRINT" => self.print_request(),
            "REPRINT" => {
                self.open_reprint(self.labels.last_key());
                return;
            }
            "CANCEL" => {
                let had_dialog = self.signature.take().is_some()
                    | self.retire.take().is_some()
                    | self.flow.take().is_some();
                self.confirm = None;
                if had_dialog {
                    return;
                }
                if self.snapshot.verify.is_some() {
                    Request::VerifyCancel
                } else {
                    Request::Cancel
                }
            }
            other => {
                if let Some(mode) = command_mode(other) {
                    if mode == Mode::Returns {
                        self.screen = super::Screen::Returns;
                    }
                    self.send(Request::Mode { mode });
                } else if let Some(flow) = crate::ui::flows::flow_for_command(other) {
                    self.flow = Some(flow);
                } else {
                    self.show_verdict(Severity::Refused, ReasonCode::UnknownCommand, None, None);
                }
                return;
            }
        };
        self.send(request);
    }

    /// Applies one command of a screen.
    pub(super) fn apply(&mut self, ctx: &egui::Context, command: UiCommand) {
        match command {
            UiCommand::Scan(data) => self.scan(&data),
            UiCommand::Command(c) => self.command_barcode(&c),
            UiCommand::Station(request) => self.send(request),
            UiCommand::Show(screen) => {
                self.screen = screen;
                self.desk_screen_changed();
            }
            UiCommand::FocusTree(scan) => self.focus_tree(scan),
            UiCommand::Find(needle) => self.find(&needle),
            UiCommand::FindInTree(needle) => {
                self.tree.find(&self.snapshot.tree, &needle);
            }
            UiCommand::Sign => self.sign(),
            UiCommand::Retire => {
                if let Some(dialog) = self.retire.take() {
                    self.send(Request::Retire {
                        scan: dialog.scan,
                        kind: dialog.kind,
                        reason: dialog.reason,
                        comment: None,
                        signature: None,
                    });
                }
            }
            UiCommand::FlowConfirm => {
                self.flow_confirm();
            }
            UiCommand::FlowCancel => self.flow = None,
            UiCommand::ExpandAll => self.tree.expand_all(&self.snapshot.tree),
            UiCommand::CollapseAll => self.tree.collapse_all(&self.snapshot.tree),
            UiCommand::SetLocale(locale) => self.set_locale(&locale),
            UiCommand::DismissNotice => self.notice = None,
            UiCommand::DismissBatch => self.batch = None,
            UiCommand::SetVerifyMoveForeign(on) => self.verify_move_foreign = on,
            UiCommand::OpenEpcis => self.open_epcis_dialog(ctx),
            UiCommand::OpenCloseout => self.open_closeout(),
            UiCommand::SaveCommandSheet => {
                let captions: Vec<(String, String)> = crate::ui::sheet::sheet_commands()
                    .map(|(_, id)| (self.i18n.tr(id), I18n::english().tr(id)))
                    .collect();
                self.files.save_sheet(crate::ui::sheet::pdf(
                    &self.i18n.tr("sheet-title"),
                    &captions,
                ));
            }
            UiCommand::TrainingNextPack => self.training_next_pack(),
            UiCommand::TrainingSample(n) => self.training_sample(n),
            UiCommand::ShowParked(on) => self.sync.show_parked = on,
            UiCommand::EditRepository(form) => self.sync.form = *form,
            UiCommand::SaveRepository => {
                self.save_repository();
            }
            UiCommand::EditSettings(edited) => {
                // Only what the settings screen edits: the rest (language, devices) has its
                // own commands.
                self.settings.station_name = edited.station_name;
                self.settings.muted = edited.muted;
                self.settings.auto_logout_min = edited.auto_logout_min;
                self.settings.wedge_max_gap_ms = edited.wedge_max_gap_ms;
            }
            UiCommand::EditDevices(edit) => {
                edit.apply_to(&mut self.devices);
            }
            UiCommand::RetryPrint => self.retry_print(),
            UiCommand::ZoomLabel(on) => self.labels.zoomed = on,
            UiCommand::OpenHold => self.open_hold(),
            UiCommand::OpenHoldLot { gtin, lot } => {
                self.hold = Some(HoldDialog::hold_lot(gtin, lot));
            }
            UiCommand::OpenRelease { key, hold } => self.open_release(&key, hold),
            UiCommand::CloseHold => self.hold = None,
            UiCommand::CloseCloseout => self.closeout = None,
            UiCommand::SaveCloseoutReport => self.save_closeout_report(),
            UiCommand::SaveReturnsCsv => self.save_returns_csv(),
            UiCommand::SaveRecall(file) => self.save_recall(file),
            UiCommand::OpenImages => self.devices.open_images_dialog(ctx),
            UiCommand::DecodeImage(path) => self.devices.decode_files(vec![path.into()]),
            UiCommand::OpenWizard(target) => self.open_wizard(target),
            UiCommand::CloseWizard => self.devices.wizard = None,
            UiCommand::SaveWizardProfile => self.save_wizard_profile(),
            UiCommand::RefreshPorts => self.devices.ports = available_ports(),
            UiCommand::LookForCameras => self.devices.look_for_cameras(ctx),
            UiCommand::FirstRun {
                user,
                full_name,
                password,
            } => self.first_run(user, full_name, password),
        }
    }

    /// Find: the row in the tree shown; a unit not in it is looked for at the station (its
    /// tree is shown when the station knows it, the verdict says so when not).
    pub fn find(&mut self, needle: &str) {
        let needle = needle.trim();
        if needle.is_empty() || self.tree.find(&self.snapshot.tree, needle) {
            return;
        }
        self.in_flight.push((FIND_TAG, Instant::now()));
        self.dispatch(WorkerCommand::Find {
            needle: needle.to_owned(),
        });
    }

    pub(super) fn on_found(&mut self, needle: String, key: Option<String>) {
        match key {
            // Shown with the snapshot that follows (its tree holds the unit).
            Some(key) => {
                self.found = Some(key);
                self.awaiting_snapshot = true;
            }
            None => {
                self.show_verdict(Severity::Refused, ReasonCode::UnknownUnit, None, None);
                if let Some(v) = &mut self.verdict {
                    v.message = Some(VerdictMessage {
                        id: "find-none",
                        args: vec![("needle", needle)],
                    });
                }
            }
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
        self.epcis_files = Some(crate::ui::files::pick_epcis_files(ctx));
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
