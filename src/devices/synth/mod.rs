//! Test pictures drawn from parameters and a seed: single codes and whole case layers under
//! the conditions a bench camera meets (low contrast, uneven light, glare, blur, noise, JPEG,
//! tilt, small modules, dotted marking, occlusion, printed clutter), for the decoder's tests
//! and its benchmark.
//!
//! Nothing here is tuned to a fixed picture: [`Params::draw`] draws a condition class's
//! parameters from a seed, [`generate`] paints the scene from the parameters and the same
//! seed, and each picture lists the codes it holds ([`Scene::codes`]), so a decoder's reads
//! can be checked (found, missed, or reported but not in the picture). The same seed always
//! gives the same picture. The codes are encoded with rxing's writers; their content is valid
//! GS1 data under the GS1 example company prefixes (GTINs 09506000…, SSCCs …0614141…).
//!
//! ```
//! use packbench::devices::synth::{Condition, Params, generate};
//! let params = Params::draw(Condition::LowContrast, 7);
//! let scene = generate(&params, 7);
//! assert_eq!(scene.codes.len(), 1);
//! assert_eq!((scene.image.width(), scene.image.height()), (640, 480));
//! ```

mod content;
mod paint;
mod scene;

use image::GrayImage;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub use content::CodeKind;

/// A named class of picture conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    /// Crisp code on a label, any rotation, little noise.
    Clean,
    /// Grey ink on grey board: 10–30 % contrast, uneven light.
    LowContrast,
    /// Out of focus (Gaussian) or a moving hand (motion blur).
    Blur,
    /// Glare spots from foil or a lamp over the code.
    Glare,
    /// A cheap webcam: JPEG quality 30–95 and sensor noise.
    Jpeg,
    /// Turned and seen at an angle: strong perspective.
    Tilt,
    /// Modules of 2–3 px.
    SmallModules,
    /// Dotted (inkjet / dot-peen) Data Matrix.
    Dotted,
    /// A patch (tape, thumb, tear) over part of the code.
    Occluded,
    /// Printed text and rules around the code on carton and label.
    Clutter,
    /// A case layer of 12–24 packs at 640×480 or 1280×960.
    LayerSd,
    /// A case layer of 24–36 packs at 1920×1080.
    LayerHd,
    /// A case layer of 24–48 packs at 3840×2160.
    Layer4k,
}

impl Condition {
    /// Every class, singles first.
    pub const ALL: [Self; 13] = [
        Self::Clean,
        Self::LowContrast,
        Self::Blur,
        Self::Glare,
        Self::Jpeg,
        Self::Tilt,
        Self::SmallModules,
        Self::Dotted,
        Self::Occluded,
        Self::Clutter,
        Self::LayerSd,
        Self::LayerHd,
        Self::Layer4k,
    ];

    /// The class's short name (`low-contrast`, `layer-hd`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::LowContrast => "low-contrast",
            Self::Blur => "blur",
            Self::Glare => "glare",
            Self::Jpeg => "jpeg",
            Self::Tilt => "tilt",
            Self::SmallModules => "small-modules",
            Self::Dotted => "dotted",
            Self::Occluded => "occluded",
            Self::Clutter => "clutter",
            Self::LayerSd => "layer-sd",
            Self::LayerHd => "layer-hd",
            Self::Layer4k => "layer-4k",
        }
    }

    /// Whether pictures of this class are whole case layers (many codes).
    pub fn is_layer(self) -> bool {
        matches!(self, Self::LayerSd | Self::LayerHd | Self::Layer4k)
    }
}

/// Everything a picture is drawn from (besides the seed, which moves content, placement and
/// texture). Levels are grey values 0–255.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The class these parameters were drawn for.
    pub condition: Condition,
    /// Frame size in pixels.
    pub canvas: (u32, u32),
    /// Number of codes (1 for a single label; 12–48 for a layer).
    pub codes: usize,
    /// The kinds of code to draw, picked at random per code.
    pub kinds: Vec<CodeKind>,
    /// Pixels per module (X for GS1-128) before perspective.
    pub module_px: f32,
    /// Ink contrast: (paper − ink) / paper, 0.1–1.
    pub contrast: f32,
    /// Paper (label or carton) level.
    pub paper: f32,
    /// Largest turn of a code in degrees (either way).
    pub rotation: f32,
    /// Corner jitter of each code as a fraction of its side (perspective).
    pub perspective: f32,
    /// Brightness lost across the frame.
    pub light: f32,
    /// Brightness lost at the corners.
    pub vignette: f32,
    /// Number of glare spots over codes and their amplitude (fraction of the way to white).
    pub glare: (u32, f32),
    /// Gaussian blur sigma in px.
    pub blur: f32,
    /// Motion-blur length in px.
    pub motion: f32,
    /// Sensor noise sigma in grey levels.
    pub noise: f32,
    /// JPEG quality, if compressed.
    pub jpeg: Option<u8>,
    /// Dot diameter as a fraction of the module for dotted marking.
    pub dot: Option<f32>,
    /// Fraction of the symbol covered by a patch.
    pub occlusion: f32,
    /// Printed text and rules around the codes.
    pub clutter: bool,
}

/// One code in a generated picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedCode {
    /// What was drawn.
    pub kind: CodeKind,
    /// What a reader must report: the raw element string (GS as `\u{1d}`) or the URI.
    pub text: String,
    /// The symbol's corners in the frame, in pixels.
    pub corners: [(f32, f32); 4],
}

/// A generated picture and the codes it holds.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The frame, as a camera delivers it (grey).
    pub image: GrayImage,
    /// The codes drawn into it.
    pub codes: Vec<ExpectedCode>,
}

fn range(rng: &mut StdRng, lo: f32, hi: f32) -> f32 {
    if hi > lo {
        rng.random_range(lo..=hi)
    } else {
        lo
    }
}

const ALL_KINDS: [CodeKind; 4] = [
    CodeKind::Gs1DataMatrix,
    CodeKind::Gs1Qr,
    CodeKind::Gs1_128,
    CodeKind::QrDigitalLink,
];

impl Params {
    /// Mild defaults for a single label under `condition`; [`Params::draw`] and
    /// [`Params::hardest`] set what the class varies.
    fn base(condition: Condition) -> Self {
        Self {
            condition,
            canvas: (640, 480),
            codes: 1,
            kinds: ALL_KINDS.to_vec(),
            module_px: 5.0,
            contrast: 0.85,
            paper: 225.0,
            rotation: 180.0,
            perspective: 0.02,
            light: 0.05,
            vignette: 0.05,
            glare: (0, 0.0),
            blur: 0.0,
            motion: 0.0,
            noise: 2.0,
            jpeg: None,
            dot: None,
            occlusion: 0.0,
            clutter: false,
        }
    }

    /// Parameters of `condition` drawn at random from `seed` within the class's ranges.
    pub fn draw(condition: Condition, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_c0de);
        Self::within(condition, &mut rng, 0.0)
    }

    /// The hardest parameters of `condition` (every varied setting at its hard end).
    pub fn hardest(condition: Condition) -> Self {
        let mut rng = StdRng::seed_from_u64(1);
        Self::within(condition, &mut rng, 1.0)
    }

    /// Draws within the class's ranges; `hard` = 1 pins every range to its hard end.
    fn within(condition: Condition, rng: &mut StdRng, hard: f32) -> Self {
        fn pick_in(rng: &mut StdRng, hard: f32, easy: f32, difficult: f32) -> f32 {
            if hard >= 1.0 {
                difficult
            } else {
                range(rng, easy.min(difficult), easy.max(difficult))
            }
        }
        macro_rules! pick {
            ($easy:expr, $difficult:expr) => {
                pick_in(rng, hard, $easy, $difficult)
            };
        }
        let mut p = Self::base(condition);
        p.module_px = pick!(7.0, 4.0);
        p.noise = pick!(0.0, 3.0);
        p.contrast = pick!(1.0, 0.7);
        match condition {
            Condition::Clean => {}
            Condition::LowContrast => {
                p.contrast = pick!(0.3, 0.1);
                p.paper = pick!(215.0, 170.0);
                p.light = pick!(0.0, 0.3);
                p.noise = pick!(1.0, 3.0);
            }
            Condition::Blur => {
                p.module_px = pick!(8.0, 5.0);
                let amount = pick!(0.2, 1.0);
                // Half focus blur, half a moving hand.
                if hard >= 1.0 || range(rng, 0.0, 1.0) < 0.5 {
                    p.blur = p.module_px * 0.45 * amount;
                } else {
                    p.motion = p.module_px * 1.2 * amount;
                }
                if hard >= 1.0 {
                    p.motion = p.module_px * 0.6;
                }
            }
            Condition::Glare => {
                p.glare = (pick!(1.0, 3.0).round() as u32, pick!(0.4, 0.85));
            }
            Condition::Jpeg => {
                p.jpeg = Some(pick!(95.0, 30.0).round() as u8);
                p.noise = pick!(2.0, 5.0);
                p.module_px = pick!(6.0, 3.0);
            }
            Condition::Tilt => {
                p.perspective = pick!(0.05, 0.25);
            }
            Condition::SmallModules => {
                p.module_px = pick!(3.0, 2.0);
            }
            Condition::Dotted => {
                p.kinds = vec![CodeKind::Gs1DataMatrix];
                p.dot = Some(pick!(0.9, 0.6));
                p.module_px = pick!(9.0, 5.0);
            }
            Condition::Occluded => {
                p.occlusion = pick!(0.03, 0.08);
            }
            Condition::Clutter => {
                p.clutter = true;
            }
            Condition::LayerSd | Condition::LayerHd | Condition::Layer4k => {
                p.kinds = vec![CodeKind::Gs1DataMatrix];
                p.clutter = true;
                p.rotation = 8.0;
                p.contrast = pick!(0.9, 0.3);
                p.paper = pick!(215.0, 180.0);
                p.light = pick!(0.0, 0.3);
                p.vignette = pick!(0.0, 0.3);
                p.noise = pick!(1.0, 4.0);
                p.blur = pick!(0.0, 0.8);
                p.perspective = pick!(0.0, 0.04);
                let jpeg = pick!(100.0, 70.0).round() as u8;
                p.jpeg = (jpeg < 96).then_some(jpeg);
                let (canvas, codes) = match condition {
                    Condition::LayerSd => {
                        let big = hard >= 1.0 || range(rng, 0.0, 1.0) < 0.5;
                        let canvas = if big { (1280, 960) } else { (640, 480) };
                        let max = if big { 24.0 } else { 16.0 };
                        (canvas, pick!(12.0, max))
                    }
                    Condition::LayerHd => ((1920, 1080), pick!(24.0, 36.0)),
                    _ => ((3840, 2160), pick!(24.0, 48.0)),
                };
                p.canvas = canvas;
                p.codes = codes.round() as usize;
                p.module_px = 0.0; // set from the pack size in the layout
            }
        }
        p
    }
}

/// Paints the picture `params` describe; `seed` moves content, placement and texture.
pub fn generate(params: &Params, seed: u64) -> Scene {
    let mut rng = StdRng::seed_from_u64(seed);
    scene::paint(params, &mut rng)
}

/// A fresh seed from the clock and the process (for a benchmark run; print it to replay).
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut rng = StdRng::seed_from_u64(nanos ^ u64::from(std::process::id()).rotate_left(32));
    rng.random::<u64>() >> 16
}
