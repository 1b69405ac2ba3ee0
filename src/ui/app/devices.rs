//! The app's side of the devices: the device stream drained once per frame (serial scans are
//! handled like any other scan), hands-free packing, the camera actions, the calibration
//! wizard's profile saved into the settings, and the training codes.

use super::{PackbenchApp, models};
use crate::station::{Mode, Request, Response};
use crate::ui::camera_layer::{LayerView, seen_codes};
use crate::ui::devices_panel::SAMPLES;
use crate::ui::devices_state::WizardTarget;
use crate::ui::training::{TrainingAsk, sample_contents};

impl PackbenchApp {
    /// The devices' part of `logic`: (re)start workers, drain the device stream, refresh the
    /// preview and the overlay marks, pack a steady layer hands-free.
    pub fn devices_logic(&mut self, ctx: &egui::Context) {
        let poll = self.devices.poll(ctx, &self.snapshot);
        for (path, detail) in poll.unreadable {
            self.notice = Some(self.i18n.tr_args(
                "camera-image-unreadable",
                &[("path", path.into()), ("detail", detail.into())],
            ));
        }
        for scan in poll.scans {
            self.scan(&scan);
        }
        self.auto_pack_logic();
    }

    /// Hands-free packing: the steady camera layer's new codes go to the station as one batch,
    /// once a container is open in pack mode, no flow or dialog waits for the packer, and the
    /// station has answered everything before (so that the marks are up to date).
    fn auto_pack_logic(&mut self) {
        if !self.devices.settings.auto_pack
            || self.snapshot.user.is_none()
            || self.snapshot.mode != Mode::Pack
            || !self.devices.auto_pack.is_steady()
            || self.snapshot.current.is_empty()
            || self.waits_for_packer()
            || !self.station_idle()
        {
            return;
        }
        let Some(layer) = self.devices.layer.as_ref().filter(|l| l.from_camera) else {
            return;
        };
        let data = self.devices.auto_pack.take(&seen_codes(layer));
        if !data.is_empty() {
            self.devices.auto_packed += data.len();
            self.send(Request::ScanBatch { data });
        }
    }

    /// "Pack all seen": every code of the last frame into the station as one batch.
    pub fn pack_all_seen(&mut self) {
        let Some(request) = self.devices.layer.as_ref().map(LayerView::batch_request) else {
            return;
        };
        if matches!(&request, Request::ScanBatch { data } if !data.is_empty()) {
            self.send(request);
        }
    }

    /// "Verify layer": the last frame against the container's recorded contents.
    pub fn verify_layer(&mut self) {
        self.devices.verify_layer(&self.snapshot);
    }

    /// Turns hands-free packing on or off (a command barcode: no mouse needed); saved with the
    /// settings and said in the notice line.
    pub fn toggle_hands_free(&mut self) {
        let id = if self.devices.toggle_hands_free() {
            "camera-hands-free-on"
        } else {
            "camera-hands-free-off"
        };
        self.notice = Some(self.i18n.tr(id));
    }

    /// Why the last frame read nothing although it looks like it holds codes.
    pub fn frame_hint(&self) -> Option<String> {
        crate::ui::camera_layer::frame_hint(
            &self.i18n,
            self.devices.layer.as_ref()?,
            &self.devices.settings.camera_reads(),
        )
    }

    /// Decodes bundled sample `n` (written to a temporary file, then the image-file path).
    pub fn decode_sample(&mut self, n: usize) {
        let Some((name, bytes)) = SAMPLES.get(n) else {
            return;
        };
        let path = std::env::temp_dir().join(format!("packbench-{name}"));
        if std::fs::write(&path, bytes).is_ok() {
            self.devices.decode_files(vec![path]);
        }
    }

    /// The status bar's devices slot: every device's state, and the wedge.
    pub fn devices_status_text(&self) -> String {
        crate::ui::devices_panel::devices_status_text(&self.i18n, &self.devices)
    }

    /// Opens the calibration wizard for a scanner.
    pub fn open_wizard(&mut self, target: WizardTarget) {
        self.devices.open_wizard(target);
    }

    /// A keyboard-wedge scan while the wizard listens to the wedge: taken by the wizard.
    pub fn wizard_takes_wedge_scan(&mut self, data: &str) -> bool {
        self.devices.wizard_takes_wedge_scan(data)
    }

    /// Saves the wizard's inferred profile into the device settings (and the wedge).
    pub fn save_wizard_profile(&mut self) {
        let Some(wizard) = &mut self.devices.wizard else {
            return;
        };
        let Some(Ok(calibration)) = &wizard.outcome else {
            return;
        };
        let profile = calibration.profile.clone();
        wizard.saved = true;
        match wizard.target {
            WizardTarget::Wedge => {
                // Applied to the wedge at once, and from the settings file at every start.
                self.devices.settings.wedge = profile;
                self.settings
                    .devices
                    .wedge
                    .clone_from(&self.devices.settings.wedge);
                self.apply_settings();
            }
            WizardTarget::Serial(n) => {
                if let Some(config) = self.devices.settings.serial.get_mut(n) {
                    config.profile = profile;
                    self.devices.restart();
                }
            }
        }
    }

    /// "Next pack" of the training panel: the next serial never used here.
    pub fn training_next_pack(&mut self) {
        self.training.ask(TrainingAsk::NextPack);
        self.send(Request::UnusedSerials { count: 1 });
    }

    /// "Decode sample image n+1": the training case drawn in a picture, then decoded.
    pub fn training_sample(&mut self, n: usize) {
        self.training.ask(TrainingAsk::Sample(n));
        self.send(Request::UnusedSerials {
            count: crate::ui::demo::CASE_CAPACITY,
        });
    }

    /// Takes the answer to an `UnusedSerials` request (true: it was one).
    pub(crate) fn training_answer(&mut self, request: &Request, response: &Response) -> bool {
        if !matches!(request, Request::UnusedSerials { .. }) {
            return false;
        }
        let Some(ask) = self.training.answered() else {
            return true;
        };
        if !response.ok {
            let unit = response.unit.as_ref().map(|u| u.key.clone());
            self.show_verdict(
                response.severity,
                response.code,
                unit,
                response.detail.clone(),
            );
            return true;
        }
        let scans = models::unused_serials(response);
        match ask {
            TrainingAsk::NextPack => match scans.first() {
                Some(scan) => self.scan(scan),
                None => self.notice = Some(self.i18n.tr("training-no-serials")),
            },
            TrainingAsk::Sample(n) => {
                let keep = self.training.sample_case.iter().any(|s| scans.contains(s));
                if !keep {
                    self.training.sample_case = scans;
                }
                if self.training.sample_case.is_empty() {
                    self.notice = Some(self.i18n.tr("training-no-serials"));
                    return true;
                }
                let data = sample_contents(&self.training.sample_case, n);
                // The picture is named after the button that drew it.
                let name = self.i18n.tr_args("camera-sample", &[("n", (n + 1).into())]);
                self.devices.render_and_decode(data, &name);
            }
        }
        true
    }
}
