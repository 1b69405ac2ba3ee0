//! Distinct verdict sounds, synthesised in code (no audio crate, no ALSA headers at build time):
//! a short high beep for OK, two mid beeps for a warning, a low buzz for a refusal and a
//! repeated high-low siren for a counterfeit alert. Played by handing a WAV to the system's
//! player (`paplay` or `aplay` on Linux) on a named thread; without a player the bench is silent
//! and the banner still shows the verdict.

use crate::domain::Severity;

const RATE: u32 = 16_000;

/// (frequency Hz, duration ms) segments; frequency 0 is silence.
fn pattern(severity: Severity) -> &'static [(u32, u32)] {
    match severity {
        Severity::Ok => &[(1760, 90)],
        Severity::Warning => &[(880, 110), (0, 70), (880, 110)],
        Severity::Refused => &[(220, 450)],
        Severity::Alert => &[
            (1320, 160),
            (660, 160),
            (1320, 160),
            (660, 160),
            (1320, 160),
        ],
    }
}

/// The 16-bit mono WAV file of a verdict's sound.
pub fn wav(severity: Severity) -> Vec<u8> {
    let mut samples: Vec<i16> = Vec::new();
    for &(freq, ms) in pattern(severity) {
        let n = RATE * ms / 1000;
        for i in 0..n {
            let t = f64::from(i) / f64::from(RATE);
            // A square-ish wave cuts through bench noise better than a sine.
            let phase = (t * f64::from(freq)).fract();
            let v = if freq == 0 {
                0
            } else if phase < 0.5 {
                9000
            } else {
                -9000
            };
            // 5 ms ramps avoid clicks.
            let ramp = (i.min(n - i) as f64 / (f64::from(RATE) * 0.005)).min(1.0);
            #[allow(clippy::cast_possible_truncation)] // |v * ramp| <= 9000
            samples.push((f64::from(v) * ramp) as i16);
        }
    }
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(0);
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Plays verdict sounds without blocking the UI.
#[derive(Debug, Default)]
pub struct Sounds {
    disabled: bool,
}

impl Sounds {
    /// Sounds that never play (tests, benchmarks).
    pub fn silent() -> Self {
        Self { disabled: true }
    }

    /// Plays the sound of a verdict (fire and forget).
    pub fn play(&self, severity: Severity) {
        if self.disabled || cfg!(test) {
            return;
        }
        let bytes = wav(severity);
        let _ = std::thread::Builder::new()
            .name("sound".to_owned())
            .spawn(move || {
                use std::io::Write;
                use std::process::{Command, Stdio};
                for player in [&["paplay"][..], &["aplay", "-q", "-"][..]] {
                    let child = Command::new(player[0])
                        .args(&player[1..])
                        .stdin(Stdio::piped())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn();
                    if let Ok(mut child) = child {
                        if let Some(mut stdin) = child.stdin.take() {
                            let _ = stdin.write_all(&bytes);
                        }
                        if child.wait().is_ok_and(|s| s.success()) {
                            return;
                        }
                    }
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_verdict_has_its_own_valid_wav() {
        let all = [
            Severity::Ok,
            Severity::Warning,
            Severity::Refused,
            Severity::Alert,
        ];
        let wavs: Vec<Vec<u8>> = all.iter().map(|s| wav(*s)).collect();
        for w in &wavs {
            assert_eq!(&w[..4], b"RIFF");
            let data_len = u32::from_le_bytes([w[40], w[41], w[42], w[43]]) as usize;
            assert_eq!(w.len(), 44 + data_len);
        }
        for i in 0..wavs.len() {
            for j in i + 1..wavs.len() {
                assert_ne!(wavs[i], wavs[j]);
            }
        }
        // The alert is the longest: it must be noticed.
        assert!(wavs[3].len() > wavs[2].len() && wavs[2].len() > wavs[0].len());
    }
}
