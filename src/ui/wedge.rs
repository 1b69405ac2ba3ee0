//! Keyboard-wedge scan assembly: tells a scanner's fast burst of keystrokes (ending in Enter or
//! Tab) from a person typing, wherever the keyboard focus is.
//!
//! Pure logic, no egui types: the app feeds every text event and terminator key with a timestamp
//! and gets back either a finished scan or the input to pass on to the widgets (held back for at
//! most `max_gap_ms`, so typing in a text field is delayed by a few milliseconds, never lost and
//! never taken for a scan).
//!
//! The GUI gets its key events in batches, one batch per frame, with no time of their own: a
//! slow frame (a big tree, a label preview) delivers the rest of a burst late, all at once. So
//! the frame loop uses [`WedgeAssembler::begin_frame`] and [`WedgeAssembler::push_in_frame`]: a
//! burst is cut only by silence the wedge *saw* — a frame that came with no input while the
//! gap grew past `max_gap_ms` — never by the time a frame took to draw.
//!
//! ```
//! use packbench::ui::wedge::{WedgeAssembler, WedgeInput, WedgeOutput, WedgeProfile};
//! let mut wedge = WedgeAssembler::new(WedgeProfile::default());
//! let mut out = Vec::new();
//! for (i, ch) in "]d20109506000134352^]21SN1".chars().enumerate() {
//!     out.extend(wedge.push(WedgeInput::Text(ch.to_string()), i as u64 * 5));
//! }
//! out.extend(wedge.push(WedgeInput::Enter, 150));
//! assert_eq!(out, vec![WedgeOutput::Scan("]d20109506000134352\u{1d}21SN1".to_owned())]);
//! ```

use crate::gs1::scanner::{GsArrival, ScannerProfile};

/// How a scanner's keyboard output looks (one profile per scanner model / configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WedgeProfile {
    /// Longest pause between two keystrokes of one scan, in milliseconds.
    pub max_gap_ms: u64,
    /// Fewest characters a scan has (shorter bursts are typing).
    pub min_len: usize,
    /// Texts that common scanners send instead of the GS (FNC1) character, e.g. `^]` or `<GS>`
    /// (replaced besides the scanner's own substitute).
    pub gs_substitutes: Vec<String>,
    /// The scanner's calibrated profile (settings, calibration wizard): the host keyboard layout
    /// and Caps Lock are undone first, then its prefix and suffix are removed where present and
    /// its GS substitute is replaced.
    pub scanner: ScannerProfile,
}

impl Default for WedgeProfile {
    fn default() -> Self {
        Self {
            max_gap_ms: 50,
            min_len: 4,
            gs_substitutes: vec!["^]".to_owned(), "<GS>".to_owned(), "{GS}".to_owned()],
            scanner: ScannerProfile::default(),
        }
    }
}

/// One keyboard input, as the app sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeInput {
    /// Text of one key event (one character from a scanner; several when pasted).
    Text(String),
    /// The Enter key.
    Enter,
    /// The Tab key.
    Tab,
    /// A key the profile maps to GS (e.g. F8).
    Gs,
}

/// What the app does with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeOutput {
    /// A finished scan, normalised (GS substitutes replaced, prefix/suffix removed).
    Scan(String),
    /// Not a scan: give this input to the widgets as it came.
    Pass(WedgeInput),
}

/// Assembles scans from timed keyboard input.
#[derive(Debug, Clone)]
pub struct WedgeAssembler {
    profile: WedgeProfile,
    held: Vec<WedgeInput>,
    buffer: String,
    last_ms: u64,
    /// The time of the frame being fed ([`Self::begin_frame`]).
    frame_ms: u64,
}

impl WedgeAssembler {
    /// An assembler with a profile.
    pub fn new(profile: WedgeProfile) -> Self {
        Self {
            profile,
            held: Vec::new(),
            buffer: String::new(),
            last_ms: 0,
            frame_ms: 0,
        }
    }

    /// The profile in use.
    pub fn profile(&self) -> &WedgeProfile {
        &self.profile
    }

    /// Replaces the profile (pending input is released first).
    pub fn set_profile(&mut self, profile: WedgeProfile) -> Vec<WedgeOutput> {
        let out = self.release();
        self.profile = profile;
        out
    }

    /// Whether input is held back (the app must call [`Self::tick`] again within `max_gap_ms`).
    pub fn is_holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Releases held input when the burst went quiet for longer than `max_gap_ms`.
    pub fn tick(&mut self, now_ms: u64) -> Vec<WedgeOutput> {
        if self.is_holding() && now_ms.saturating_sub(self.last_ms) > self.profile.max_gap_ms {
            self.release()
        } else {
            Vec::new()
        }
    }

    /// Starts a frame at `now_ms` whose batch holds input (`has_input`) or not. Only a frame
    /// without input releases held input (the silence was seen); a frame with input continues
    /// the burst, however long the frame before it took.
    pub fn begin_frame(&mut self, now_ms: u64, has_input: bool) -> Vec<WedgeOutput> {
        self.frame_ms = now_ms;
        if has_input {
            Vec::new()
        } else {
            self.tick(now_ms)
        }
    }

    /// Feeds one input of the frame begun by [`Self::begin_frame`] (no gap inside a batch).
    pub fn push_in_frame(&mut self, input: WedgeInput) -> Vec<WedgeOutput> {
        self.accept(input, self.frame_ms)
    }

    /// Feeds one input that has its own time `now_ms` (a device that stamps each key); answers
    /// what to do, in order.
    pub fn push(&mut self, input: WedgeInput, now_ms: u64) -> Vec<WedgeOutput> {
        let mut out = self.tick(now_ms);
        out.extend(self.accept(input, now_ms));
        out
    }

    fn accept(&mut self, input: WedgeInput, now_ms: u64) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        match input {
            WedgeInput::Text(text) => {
                // Pasted or composed text (several characters in one event) is never a scan
                // unless a burst is already running.
                if text.chars().count() > 1 && !self.is_holding() {
                    out.push(WedgeOutput::Pass(WedgeInput::Text(text)));
                } else {
                    self.buffer.push_str(&text);
                    self.held.push(WedgeInput::Text(text));
                    self.last_ms = now_ms;
                }
            }
            WedgeInput::Gs if self.is_holding() => {
                self.buffer.push('\u{1d}');
                self.held.push(WedgeInput::Gs);
                self.last_ms = now_ms;
            }
            WedgeInput::Enter | WedgeInput::Tab if self.is_holding() => {
                if self.buffer.chars().count() >= self.profile.min_len {
                    let scan = self.normalise();
                    self.held.clear();
                    self.buffer.clear();
                    out.push(WedgeOutput::Scan(scan));
                } else {
                    out.extend(self.release());
                    out.push(WedgeOutput::Pass(input));
                }
            }
            other => out.push(WedgeOutput::Pass(other)),
        }
        out
    }

    fn release(&mut self) -> Vec<WedgeOutput> {
        self.buffer.clear();
        self.held.drain(..).map(WedgeOutput::Pass).collect()
    }

    fn normalise(&self) -> String {
        let scanner = &self.profile.scanner;
        let typed = scanner.undo_keyboard(&self.buffer);
        // A burst without the configured prefix or suffix is kept whole: the parser then says
        // what is wrong with it, rather than the wedge dropping characters.
        let mut scan = typed.as_str();
        if let Some(rest) = scan.strip_prefix(scanner.prefix.as_str()) {
            scan = rest;
        }
        if let Some(rest) = scan.strip_suffix(scanner.suffix.as_str()) {
            scan = rest;
        }
        let mut scan = scan.to_owned();
        let own = match &scanner.gs {
            GsArrival::Substitute(sub) => Some(sub),
            GsArrival::Real | GsArrival::Dropped => None,
        };
        for sub in own
            .into_iter()
            .chain(&self.profile.gs_substitutes)
            .filter(|s| !s.is_empty())
        {
            scan = scan.replace(sub.as_str(), "\u{1d}");
        }
        scan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(w: &mut WedgeAssembler, text: &str, start_ms: u64, gap_ms: u64) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        let mut t = start_ms;
        for ch in text.chars() {
            out.extend(w.push(WedgeInput::Text(ch.to_string()), t));
            t += gap_ms;
        }
        out
    }

    #[test]
    fn fast_burst_with_enter_is_one_scan() {
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let mut out = burst(&mut w, "(00)095060000000000015", 1000, 8);
        assert!(out.is_empty(), "held while the burst runs: {out:?}");
        out.extend(w.push(WedgeInput::Enter, 1200));
        assert_eq!(
            out,
            vec![WedgeOutput::Scan("(00)095060000000000015".to_owned())]
        );
        assert!(!w.is_holding());
    }

    #[test]
    fn tab_also_ends_a_scan_and_gs_key_becomes_gs() {
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let mut out = burst(&mut w, "0109506000134352", 0, 5);
        out.extend(w.push(WedgeInput::Gs, 90));
        out.extend(burst(&mut w, "21AB", 95, 5));
        out.extend(w.push(WedgeInput::Tab, 120));
        assert_eq!(
            out,
            vec![WedgeOutput::Scan("0109506000134352\u{1d}21AB".to_owned())]
        );
    }

    #[test]
    fn slow_typing_is_passed_on_in_order() {
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let mut out = burst(&mut w, "admin", 0, 200);
        out.extend(w.tick(2000));
        out.extend(w.push(WedgeInput::Enter, 2200));
        let expected: Vec<WedgeOutput> = "admin"
            .chars()
            .map(|c| WedgeOutput::Pass(WedgeInput::Text(c.to_string())))
            .chain([WedgeOutput::Pass(WedgeInput::Enter)])
            .collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn short_fast_burst_is_typing() {
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let mut out = burst(&mut w, "ok", 0, 5);
        out.extend(w.push(WedgeInput::Enter, 12));
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|o| matches!(o, WedgeOutput::Pass(_))));
    }

    #[test]
    fn pause_mid_burst_splits_it() {
        let mut w = WedgeAssembler::new(WedgeProfile {
            max_gap_ms: 30,
            ..WedgeProfile::default()
        });
        let mut out = burst(&mut w, "ABCDEF", 0, 5);
        // 100 ms of silence: the first part was typing.
        out.extend(burst(&mut w, "GHIJ", 125, 5));
        out.extend(w.push(WedgeInput::Enter, 150));
        assert_eq!(out.len(), 7, "{out:?}");
        assert_eq!(out.last(), Some(&WedgeOutput::Scan("GHIJ".to_owned())));
    }

    #[test]
    fn substitutes_prefix_and_suffix_are_normalised() {
        let mut w = WedgeAssembler::new(WedgeProfile {
            scanner: ScannerProfile {
                prefix: "#".to_owned(),
                suffix: "$".to_owned(),
                ..ScannerProfile::default()
            },
            ..WedgeProfile::default()
        });
        let mut out = burst(&mut w, "#0109506000134352<GS>21X^]10L$", 0, 3);
        out.extend(w.push(WedgeInput::Enter, 100));
        assert_eq!(
            out,
            vec![WedgeOutput::Scan(
                "0109506000134352\u{1d}21X\u{1d}10L".to_owned()
            )]
        );
    }

    #[test]
    fn the_host_keyboard_layout_and_caps_lock_are_undone_first() {
        use crate::gs1::scanner::KeyboardLayout;
        let scanner = ScannerProfile {
            gs: GsArrival::Substitute("@".to_owned()),
            keyboard: KeyboardLayout::German,
            case_inverted: true,
            ..ScannerProfile::default()
        };
        let meant = "]d20109506000134352@21Xy-9z@10LOT";
        let typed = scanner.keyboard.from_us(&swap_case_for_test(meant));
        assert_ne!(
            typed,
            swap_case_for_test(meant),
            "the layout changes the typing"
        );
        let mut w = WedgeAssembler::new(WedgeProfile {
            scanner,
            ..WedgeProfile::default()
        });
        let mut out = burst(&mut w, &typed, 0, 3);
        out.extend(w.push(WedgeInput::Enter, 3 * typed.chars().count() as u64));
        assert_eq!(
            out,
            vec![WedgeOutput::Scan(
                "]d20109506000134352\u{1d}21Xy-9z\u{1d}10LOT".to_owned()
            )]
        );
    }

    fn swap_case_for_test(text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }

    #[test]
    fn a_burst_without_the_prefix_is_kept_whole() {
        let mut w = WedgeAssembler::new(WedgeProfile {
            scanner: ScannerProfile {
                prefix: "#".to_owned(),
                ..ScannerProfile::default()
            },
            ..WedgeProfile::default()
        });
        let mut out = burst(&mut w, "0109506000134352", 0, 3);
        out.extend(w.push(WedgeInput::Enter, 50));
        assert_eq!(out, vec![WedgeOutput::Scan("0109506000134352".to_owned())]);
    }

    /// Issue 15, finding 1: a slow frame delivers the rest of a burst 200 ms late; the burst
    /// stays whole (only a frame without input may cut it).
    #[test]
    fn a_slow_frame_does_not_split_a_burst() {
        let scan = "(01)09506000134352(17)301231(10)TRAIN01(21)TR00041";
        let (head, tail) = scan.split_at(24);
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let mut out = w.begin_frame(1000, true);
        for ch in head.chars() {
            out.extend(w.push_in_frame(WedgeInput::Text(ch.to_string())));
        }
        out.extend(w.begin_frame(1200, true));
        for ch in tail.chars() {
            out.extend(w.push_in_frame(WedgeInput::Text(ch.to_string())));
        }
        out.extend(w.push_in_frame(WedgeInput::Enter));
        assert_eq!(out, vec![WedgeOutput::Scan(scan.to_owned())]);
        // Typing: a frame without input, past the gap, gives the keys to the widgets.
        let mut out = w.begin_frame(2000, true);
        out.extend(w.push_in_frame(WedgeInput::Text("a".to_owned())));
        out.extend(w.begin_frame(2030, false));
        assert!(out.is_empty(), "within the gap: still held");
        out.extend(w.begin_frame(2100, false));
        assert_eq!(
            out,
            vec![WedgeOutput::Pass(WedgeInput::Text("a".to_owned()))]
        );
    }

    #[test]
    fn pasted_text_and_lone_keys_pass_through() {
        let mut w = WedgeAssembler::new(WedgeProfile::default());
        let out = w.push(WedgeInput::Text("pasted text".to_owned()), 0);
        assert_eq!(
            out,
            vec![WedgeOutput::Pass(WedgeInput::Text(
                "pasted text".to_owned()
            ))]
        );
        assert_eq!(
            w.push(WedgeInput::Enter, 10),
            vec![WedgeOutput::Pass(WedgeInput::Enter)]
        );
        assert_eq!(
            w.push(WedgeInput::Gs, 20),
            vec![WedgeOutput::Pass(WedgeInput::Gs)]
        );
    }
}
