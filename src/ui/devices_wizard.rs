//! The calibration wizard's logic: which scanner it listens to, taking that scanner's next
//! scan instead of the station, and saving the inferred profile into the device settings (its
//! window is drawn in `devices_panel`).

use super::app::PackbenchApp;
use super::devices_state::{Wizard, WizardTarget};
use crate::gs1::scanner::calibrate;

impl PackbenchApp {
    /// Opens the calibration wizard for a scanner.
    pub fn open_wizard(&mut self, target: WizardTarget) {
        self.devices.wizard = Some(Wizard {
            target,
            received: None,
            outcome: None,
            saved: false,
        });
    }

    /// A keyboard-wedge scan while the wizard listens to the wedge: taken by the wizard.
    pub fn wizard_takes_wedge_scan(&mut self, data: &str) -> bool {
        let Some(wizard) = &mut self.devices.wizard else {
            return false;
        };
        if wizard.target != WizardTarget::Wedge || wizard.saved {
            return false;
        }
        wizard.received = Some(data.to_owned());
        wizard.outcome = Some(calibrate(data));
        true
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
}
