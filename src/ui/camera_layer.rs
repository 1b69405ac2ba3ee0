//! The layer view model of the camera panel: each code of the last frame marked recorded / not
//! recorded in the container being filled, what is recorded but was not seen, and what the app
//! does with a layer ("Pack all seen", "Verify layer", hands-free packing).

use super::auto_pack::{AutoPack, SeenCode};
use super::devices_state::Devices;
use super::i18n::I18n;
use super::worker::Snapshot;
use crate::devices::camera::unit_key;
use crate::devices::decode::{FrameIssue, Symbology};
use crate::devices::layer::{LayerRead, check_layer};
use crate::station::{Request, TreeSnapshot};

/// How a code in the frame relates to the container being filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMark {
    /// Recorded in the container (green).
    Recorded,
    /// Not recorded in the container (red).
    NotRecorded,
}

/// One code of the frame, for the overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayCode {
    /// What a scanner would send (AIM identifier + data).
    pub scan: String,
    /// The unit's key, or the data when it is no unit.
    pub key: String,
    /// Corner points in frame pixels.
    pub corners: Vec<(f32, f32)>,
    /// Green or red.
    pub mark: CodeMark,
}

/// The last frame read (camera frame or image file), as the panel draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerView {
    /// The camera's name or the file's path.
    pub source: String,
    /// Frame size in pixels.
    pub frame_size: (u32, u32),
    /// The codes read.
    pub read: LayerRead,
    /// The codes with their marks (recomputed when the container changes).
    pub codes: Vec<OverlayCode>,
    /// Recorded in the container but not seen.
    pub missing: Vec<String>,
    /// The container compared with.
    pub container: Option<String>,
    /// Whether the frame came from the camera (not from an image file).
    pub from_camera: bool,
}

impl LayerView {
    /// The station command packing every code seen.
    pub fn batch_request(&self) -> Request {
        Request::ScanBatch {
            data: self.read.codes.iter().map(|c| c.scanner_text()).collect(),
        }
    }

    /// Codes marked `mark`.
    pub fn count(&self, mark: CodeMark) -> usize {
        self.codes.iter().filter(|c| c.mark == mark).count()
    }
}

/// The layer's codes as hands-free packing sees them.
pub(super) fn seen_codes(layer: &LayerView) -> Vec<SeenCode> {
    layer
        .codes
        .iter()
        .map(|c| SeenCode {
            key: c.key.clone(),
            scan: c.scan.clone(),
            recorded: c.mark == CodeMark::Recorded,
        })
        .collect()
}

/// The keys of the direct children of `container` in `tree` (its recorded contents).
pub fn recorded_children(tree: &TreeSnapshot, container: &str) -> Vec<String> {
    let Some(at) = tree.nodes.iter().position(|n| n.key == container) else {
        return Vec::new();
    };
    let depth = tree.nodes[at].depth;
    tree.nodes[at + 1..]
        .iter()
        .take_while(|n| n.depth > depth)
        .filter(|n| n.depth == depth + 1)
        .map(|n| n.key.clone())
        .collect()
}

/// Marks the codes of `read` against `recorded` (unit keys).
pub fn mark_layer(read: &LayerRead, recorded: &[String]) -> (Vec<OverlayCode>, Vec<String>) {
    let codes: Vec<OverlayCode> = read
        .codes
        .iter()
        .map(|code| {
            let scan = code.scanner_text();
            let key = unit_key(&scan).unwrap_or_else(|| code.text.clone());
            let mark = if recorded.contains(&key) {
                CodeMark::Recorded
            } else {
                CodeMark::NotRecorded
            };
            OverlayCode {
                scan,
                key,
                corners: code.corners.clone(),
                mark,
            }
        })
        .collect();
    let seen: Vec<String> = codes.iter().map(|c| c.key.clone()).collect();
    let missing = check_layer(&seen, recorded).recorded_not_seen;
    (codes, missing)
}

impl Devices {
    /// Shows a frame read (camera frame or image file), marked against the container being
    /// filled in `snapshot`.
    pub(super) fn set_layer(
        &mut self,
        source: String,
        read: LayerRead,
        from_camera: bool,
        snapshot: &Snapshot,
    ) {
        self.layer = Some(LayerView {
            source,
            frame_size: self.frame_size,
            read,
            codes: Vec::new(),
            missing: Vec::new(),
            container: None,
            from_camera,
        });
        self.refresh_marks(snapshot);
    }

    /// Marks the last layer's codes against the container being filled (its recorded
    /// contents in the live tree).
    pub fn refresh_marks(&mut self, snapshot: &Snapshot) {
        let container = snapshot.current.first().map(|c| c.key.clone());
        let recorded = container
            .as_deref()
            .map(|key| recorded_children(&snapshot.tree, key))
            .unwrap_or_default();
        if let Some(layer) = &mut self.layer {
            let (codes, missing) = mark_layer(&layer.read, &recorded);
            layer.codes = codes;
            layer.missing = missing;
            layer.container = container;
        }
    }

    /// "Verify layer": the last frame against the container's recorded contents.
    pub fn verify_layer(&mut self, snapshot: &Snapshot) {
        self.refresh_marks(snapshot);
        self.check = self.layer.as_ref().map(|layer| {
            let seen: Vec<String> = layer.codes.iter().map(|c| c.key.clone()).collect();
            let recorded = layer
                .container
                .as_deref()
                .map(|key| recorded_children(&snapshot.tree, key))
                .unwrap_or_default();
            check_layer(&seen, &recorded)
        });
    }

    /// Turns hands-free packing on or off; `true` when it is now on.
    pub fn toggle_hands_free(&mut self) -> bool {
        let on = !self.settings.auto_pack;
        self.settings.auto_pack = on;
        self.auto_pack = AutoPack::new(self.settings.auto_pack_frames);
        on
    }
}

/// Why the last frame read nothing although it looks like it holds codes, in the packer's
/// language (`None` when codes were read or nothing code-like is in view). A camera frame that
/// looks fine names the symbologies the camera reads (`camera_reads`): packs marked with
/// another kind read nothing until it is chosen in the settings.
pub fn frame_hint(i18n: &I18n, layer: &LayerView, camera_reads: &[Symbology]) -> Option<String> {
    let diagnosis = layer.read.diagnosis.as_ref()?;
    let Some(issue) = diagnosis.issue else {
        if !(layer.from_camera && diagnosis.looks_like_codes) {
            return None;
        }
        let kinds: Vec<&str> = camera_reads.iter().map(|s| s.name(true)).collect();
        return Some(format!(
            "{} {}",
            i18n.tr("camera-diagnosis"),
            i18n.tr_args(
                "camera-diagnosis-other-kind",
                &[
                    ("kinds", kinds.join(", ").into()),
                    (
                        "where",
                        format!(
                            "{} > {}",
                            i18n.tr("settings-title"),
                            i18n.tr("settings-section-devices")
                        )
                        .into()
                    ),
                ]
            )
        ));
    };
    let id = match issue {
        FrameIssue::TooDark => "camera-diagnosis-too-dark",
        FrameIssue::LowContrast => "camera-diagnosis-low-contrast",
        FrameIssue::TooBlurred => "camera-diagnosis-too-blurred",
        FrameIssue::CodesTooSmall => "camera-diagnosis-too-small",
    };
    Some(format!("{} {}", i18n.tr("camera-diagnosis"), i18n.tr(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::synth::{CodeKind, Condition, Params, generate};

    #[test]
    fn a_clear_camera_frame_of_another_kind_names_what_the_camera_reads() {
        // A clear layer of GS1 QR packs, read by a camera set to Data Matrix: nothing.
        let params = Params {
            kinds: vec![CodeKind::Gs1Qr],
            codes: 12,
            ..Params::draw(Condition::LayerSd, 7)
        };
        let scene = generate(&params, 7);
        let read = LayerRead::new(&scene.image, Vec::new(), 5.0);
        assert!(read.diagnosis.as_ref().is_some_and(|d| d.issue.is_none()));
        let mut layer = LayerView {
            source: "folder /frames".to_owned(),
            frame_size: scene.image.dimensions(),
            read,
            codes: Vec::new(),
            missing: Vec::new(),
            container: None,
            from_camera: true,
        };
        let i18n = I18n::new("fr").unwrap_or_else(|e| panic!("{e}"));
        let hint = frame_hint(&i18n, &layer, &[Symbology::DataMatrix]).unwrap_or_default();
        assert!(hint.contains("GS1 DataMatrix"), "{hint}");
        assert!(hint.contains("Paramètres > Scanners et caméra"), "{hint}");
        // An image file is read for every symbology: nothing to choose.
        layer.from_camera = false;
        assert_eq!(frame_hint(&i18n, &layer, &[Symbology::DataMatrix]), None);
    }
}
