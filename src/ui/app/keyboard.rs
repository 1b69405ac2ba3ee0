//! The keyboard wedge in the frame loop: this frame's key events go through the
//! [`crate::ui::wedge::WedgeAssembler`] before any widget sees them; finished scans are handled
//! as scans, typed input is given back to the widgets in its original order. A burst is cut only
//! by silence the wedge saw (a frame without input), never by a slow frame.

use super::PackbenchApp;
use crate::ui::wedge::{WedgeInput, WedgeOutput};
use std::time::Duration;

impl PackbenchApp {
    /// Feeds this frame's keyboard events through the wedge: finished scans are taken out and
    /// handled, typed input goes on to the widgets (called before any widget runs).
    pub fn wedge_input(&mut self, ctx: &egui::Context) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // egui time is >= 0
        let now_ms = (ctx.input(|i| i.time) * 1000.0) as u64;
        let events = ctx.input_mut(|i| std::mem::take(&mut i.events));
        let has_input = events.iter().any(|e| wedge_input(e).is_some());
        let mut keep = Vec::with_capacity(events.len());
        let mut outputs = self.wedge.begin_frame(now_ms, has_input);
        for event in events {
            match wedge_input(&event) {
                Some(input) => {
                    // Output order is preserved: typed input is put back where it was.
                    for out in self.wedge.push_in_frame(input) {
                        outputs.push(out);
                    }
                    for out in outputs.drain(..) {
                        match out {
                            WedgeOutput::Scan(s) => self.scan(&s),
                            WedgeOutput::Pass(p) => keep.push(to_event(p)),
                        }
                    }
                }
                None => keep.push(event),
            }
        }
        for out in outputs {
            match out {
                WedgeOutput::Scan(s) => self.scan(&s),
                WedgeOutput::Pass(p) => keep.push(to_event(p)),
            }
        }
        ctx.input_mut(|i| i.events = keep);
        if self.wedge.is_holding() {
            ctx.request_repaint_after(Duration::from_millis(self.wedge.profile().max_gap_ms + 1));
        }
    }
}

/// The wedge's part of a key event (text and the terminator keys), if any.
fn wedge_input(event: &egui::Event) -> Option<WedgeInput> {
    match event {
        egui::Event::Text(t) => Some(WedgeInput::Text(t.clone())),
        egui::Event::Key {
            key: egui::Key::Enter,
            pressed: true,
            ..
        } => Some(WedgeInput::Enter),
        egui::Event::Key {
            key: egui::Key::Tab,
            pressed: true,
            ..
        } => Some(WedgeInput::Tab),
        egui::Event::Key {
            key: egui::Key::F8,
            pressed: true,
            ..
        } => Some(WedgeInput::Gs),
        _ => None,
    }
}

fn to_event(input: WedgeInput) -> egui::Event {
    let key = |key| egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    match input {
        WedgeInput::Text(t) => egui::Event::Text(t),
        WedgeInput::Enter => key(egui::Key::Enter),
        WedgeInput::Tab => key(egui::Key::Tab),
        WedgeInput::Gs => key(egui::Key::F8),
    }
}
