//! What the search has found so far, what it tells about the regions left, and what the
//! search did.

use serde::Serialize;

use super::locate::Region;
use super::sweep::{bounds, extent, median_extent};
use super::{DecodedCode, Symbology};

/// The median side of the 2D symbols read from which a frame is swept at half its size.
const HALVES_FROM: f32 = 90.0;

/// Codes found so far, de-duplicated by text.
#[derive(Default)]
pub(super) struct Found {
    pub codes: Vec<DecodedCode>,
    /// Texts read by workers of the running phase, not yet among `codes`.
    pub pending: Vec<String>,
    pub rejected_texts: Vec<String>,
    pub stats: DecodeStats,
}

impl Found {
    /// Whether `region` is mostly covered by codes already found (nothing new to see there).
    pub fn covers(&self, region: &Region) -> bool {
        covers(&self.codes, region)
    }

    /// The failed regions of a `width` × `height` picture worth the retry ladder, and whether
    /// one was left for the whole-picture sweep instead.
    ///
    /// In a big frame a blob covering a quarter of it is the case or the background, not a
    /// symbol. In a small picture where codes were read, such a blob (print merged with a
    /// label's code) is left to the sweep, which sees the whole picture once with the codes
    /// painted over: the ladder would read the whole picture a dozen times. And where 2D
    /// symbols were read, a blob with under a quarter of the smallest one's box cannot hold a
    /// symbol printed alike: it is print (a word around a label's code); so is a line of
    /// print (`is_a_line_of_print`) wherever codes were read. What is left of a
    /// small picture whose codes read is taken as weak (the short ladder, and no call for the
    /// sweep on its own): the picture is clear enough to read, and a symbol still unread in it
    /// is one the cheap retries and the final thorough pass read (measured: no code lost on
    /// three seeds' single and layer classes, labels in dense print 26 → 19–22 ms).
    pub fn worth_retrying(
        &self,
        failed: Vec<Region>,
        width: u32,
        height: u32,
        small: bool,
    ) -> (Vec<Region>, bool) {
        let quarter = u64::from(width) * u64::from(height) / 4;
        let read = !self.codes.is_empty();
        let mut left_to_sweep = false;
        let failed = failed
            .into_iter()
            .filter(|region| {
                let area = u64::from(region.width) * u64::from(region.height);
                if !small {
                    return area < quarter;
                }
                if !self.codes.is_empty() && area >= quarter {
                    left_to_sweep |= !self.covers(region);
                    return false;
                }
                !(self.is_a_word(region) || read && is_a_line_of_print(region))
            })
            .map(|region| {
                if small && read {
                    Region {
                        strength: region.strength.min(1.0),
                        ..region
                    }
                } else {
                    region
                }
            })
            .collect();
        (failed, left_to_sweep)
    }

    /// The typical side of the regions that yielded a code (`decoded` says which of `regions`
    /// did): the median of those holding one code read. A region over several packs (or the
    /// whole frame) tells no symbol's size; taken as one, it would grow every failed region
    /// to the whole frame and leave nothing to retry.
    pub fn typical_side(&self, regions: &[Region], decoded: &[bool]) -> Option<u32> {
        let mut sides: Vec<u32> = regions
            .iter()
            .zip(decoded)
            .filter(|(region, decoded)| {
                **decoded
                    && self
                        .codes
                        .iter()
                        .filter(|code| region.contains(code.centre()))
                        .count()
                        == 1
            })
            .map(|(region, _)| region.width.max(region.height))
            .collect();
        sides.sort_unstable();
        sides.get(sides.len() / 2).copied()
    }

    /// Whether `region` is too small to hold a symbol printed like the 2D codes read: under a
    /// quarter of the smallest one's box (a word of the print around a label's code).
    pub fn is_a_word(&self, region: &Region) -> bool {
        let area = region.width as f32 * region.height as f32;
        self.smallest_symbol()
            .is_some_and(|side| area * 4.0 < side * side)
    }

    /// The side of the smallest 2D symbol read (its box's longer side), if any was.
    pub fn smallest_symbol(&self) -> Option<f32> {
        self.codes
            .iter()
            .filter(|code| code.corners.len() == 4)
            .map(|code| extent(&code.corners))
            .reduce(f32::min)
    }

    /// How many 2D symbols were read.
    pub fn symbols_read(&self) -> usize {
        self.codes
            .iter()
            .filter(|code| !code.symbology.is_linear())
            .count()
    }

    /// Whether the sweep can look at the frame at half its size: where three 2D symbols or more
    /// of 90 px and more (the median) were read, the half-size sweep reads what the full-size one
    /// did (with the component crops, the retries and the lattice after it, at full size), in a
    /// quarter of the detector's time. Measured from 140 px down: the same codes on six seeds of
    /// every layer class, every hardest layer and the second generator's pictures; means of
    /// 1920×1080 layers 35–41 → 32–40 ms, of 640×480 and 1280×960 layers 19–34 → 18–33 ms.
    pub fn halves_well(&self) -> bool {
        median_extent(&self.codes).is_some_and(|(side, count)| count >= 3 && side >= HALVES_FROM)
    }

    /// What the sweep looks for (Data Matrix, QR, the linear readers). A case layer holds
    /// packs of one kind: in a big frame where 2D codes were read, or a small picture where
    /// four or more were, it looks for more of the kinds read only (a Data Matrix layer is not
    /// searched for QR and linear codes, a tenth of a frame's time). A label is searched for
    /// everything, the linear readers included.
    pub fn kinds_to_sweep(&self, small: bool) -> (bool, bool, bool) {
        let count = |symbology| {
            self.codes
                .iter()
                .filter(|code| code.symbology == symbology)
                .count()
        };
        let (data_matrix, qr) = (count(Symbology::DataMatrix), count(Symbology::QrCode));
        let layer = !small || data_matrix + qr >= 4;
        (
            !layer || data_matrix > 0 || qr == 0,
            !layer || qr > 0 || data_matrix == 0,
            small && !layer,
        )
    }

    pub fn add(&mut self, code: DecodedCode) -> bool {
        if self.codes.iter().any(|known| known.text == code.text) {
            return false;
        }
        self.codes.push(code);
        true
    }
}

/// Whether a blob is a line of print: longer than 4.5 : 1 (longer than the longest 2D symbol,
/// a rectangular Data Matrix of 8 × 32 modules, with its quiet zone) with edges both ways
/// (isotropy 0.5 or more). A linear code that long lies within 27° of a row or a column, and
/// then its edges run mostly one way (a turn of θ from upright gives an isotropy of tan θ; a
/// code turned further is no longer that long a blob).
fn is_a_line_of_print(region: &Region) -> bool {
    region.isotropy >= 0.5 && !(1.0 / 4.5..=4.5).contains(&region.aspect)
}

/// Whether `region` is mostly covered by `codes` (nothing new to see there).
pub(super) fn covers(codes: &[DecodedCode], region: &Region) -> bool {
    let area = f64::from(region.width) * f64::from(region.height);
    codes.iter().any(|code| {
        let (mut x0, mut y0, mut x1, mut y1) = bounds(&code.corners);
        // Linear codes report points along one scan line: give the box the bars' height.
        if code.symbology.is_linear() {
            let pad = ((x1 - x0).max(y1 - y0) * 0.3 - (x1 - x0).min(y1 - y0)).max(0.0);
            if x1 - x0 > y1 - y0 {
                y0 -= pad;
                y1 += pad;
            } else {
                x0 -= pad;
                x1 += pad;
            }
        }
        let overlap_w =
            (x1.min((region.x + region.width) as f32) - x0.max(region.x as f32)).max(0.0);
        let overlap_h =
            (y1.min((region.y + region.height) as f32) - y0.max(region.y as f32)).max(0.0);
        f64::from(overlap_w * overlap_h) * 2.0 > area
            || region.contains(code.centre()) && area < f64::from((x1 - x0) * (y1 - y0)) * 4.0
    })
}

/// What the search did, for benchmarks and diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DecodeStats {
    /// Candidate regions located.
    pub regions: usize,
    /// Regions that yielded at least one code.
    pub regions_decoded: usize,
    /// rxing attempts made (one binariser over one prepared image).
    pub attempts: usize,
    /// Codes found only by a retry (not by the first attempt on their region).
    pub found_by_retry: usize,
    /// Distinct reads dropped because they failed GS1 validation
    /// ([`DecodeOptions::gs1_only`](super::DecodeOptions::gs1_only)).
    pub rejected: usize,
    /// Milliseconds spent locating regions and on their first attempts (with the whole-image
    /// pass of small images).
    pub first_ms: f64,
    /// Milliseconds spent on retries of regions that gave nothing at first.
    pub retry_ms: f64,
    /// Milliseconds spent on the whole-frame sweep (local contrast boosted, in bands) and, in a
    /// case layer, on the crops about the symbol-sized components it left unread.
    pub sweep_ms: f64,
    /// Milliseconds spent on the windows where a row and a column of the codes read cross
    /// without a code (the lattice gaps).
    pub lattice_ms: f64,
    /// Milliseconds spent on a small picture as a whole where nothing else read (the retry
    /// ladder, then the linear readers over every line).
    pub whole_ms: f64,
}

impl DecodeStats {
    /// Adds the counters and times of a second search (a big frame's own-size search after
    /// its halved one).
    pub(crate) fn add(&mut self, other: &Self) {
        self.regions += other.regions;
        self.regions_decoded += other.regions_decoded;
        self.attempts += other.attempts;
        self.found_by_retry += other.found_by_retry;
        self.rejected += other.rejected;
        self.first_ms += other.first_ms;
        self.retry_ms += other.retry_ms;
        self.sweep_ms += other.sweep_ms;
        self.lattice_ms += other.lattice_ms;
        self.whole_ms += other.whole_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(symbology: Symbology, index: usize) -> DecodedCode {
        DecodedCode {
            text: format!("{symbology:?}{index}"),
            symbology,
            aim_id: String::new(),
            corners: vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
            is_gs1: true,
        }
    }

    fn blob(x: u32, y: u32, width: u32, height: u32, strength: f32) -> Region {
        Region {
            x,
            y,
            width,
            height,
            aspect: width as f32 / height as f32,
            strength,
            isotropy: 0.9,
            upright: true,
        }
    }

    #[test]
    fn around_a_read_label_words_go_and_the_rest_is_weak() {
        // A 640×480 label picture whose 100-pixel Data Matrix at (0, 0) was read.
        let mut found = Found::default();
        let mut code = read(Symbology::DataMatrix, 0);
        code.corners = vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)];
        found.add(code);
        let word = blob(300, 20, 60, 30, 2.5); // 1,800 px² < 100² / 4
        let block = blob(300, 200, 120, 90, 2.5); // a block of lines as big as a symbol
        let merged = blob(0, 0, 400, 300, 2.0); // over a quarter of the picture, not the code's
        let (kept, left_to_sweep) = found.worth_retrying(vec![word, block, merged], 640, 480, true);
        assert_eq!(kept.len(), 1);
        assert_eq!((kept[0].x, kept[0].y), (300, 200));
        assert!(kept[0].strength <= 1.0);
        assert!(left_to_sweep);
        // Nothing read yet: everything is retried as it is.
        let empty = Found::default();
        let (kept, left_to_sweep) = empty.worth_retrying(vec![word, block], 640, 480, true);
        assert_eq!(kept.len(), 2);
        assert!(kept.iter().all(|region| region.strength == 2.5) && !left_to_sweep);
        // A big frame keeps blobs under a quarter of it, with their strength.
        let (kept, _) = found.worth_retrying(vec![word, block, merged], 1920, 1080, false);
        assert_eq!(kept.len(), 3);
        assert!(kept.iter().all(|region| region.strength >= 2.0));
    }

    #[test]
    fn around_a_read_code_lines_of_print_go_and_linear_codes_stay() {
        let mut found = Found::default();
        let mut code = read(Symbology::QrCode, 0);
        code.corners = vec![(0.0, 0.0), (40.0, 0.0), (40.0, 40.0), (0.0, 40.0)];
        let line = Region {
            aspect: 8.0,
            isotropy: 0.7,
            ..blob(100, 200, 320, 40, 2.0)
        };
        let standing = Region {
            aspect: 1.0 / 6.0,
            isotropy: 0.55,
            ..blob(500, 100, 30, 180, 2.0)
        };
        let bars = Region {
            aspect: 8.0,
            isotropy: 0.1,
            ..blob(100, 400, 320, 40, 2.0)
        };
        let slanted = Region {
            aspect: 1.5,
            isotropy: 0.6,
            ..blob(100, 300, 150, 100, 2.0)
        };
        let regions = vec![line, standing, bars, slanted];
        let (kept, _) = found.worth_retrying(regions.clone(), 640, 480, true);
        assert_eq!(kept.len(), 4, "nothing read yet: every blob is retried");
        found.add(code);
        let (kept, _) = found.worth_retrying(regions, 640, 480, true);
        let kept: Vec<(u32, u32)> = kept.iter().map(|region| (region.x, region.y)).collect();
        assert_eq!(
            kept,
            vec![(100, 400), (100, 300)],
            "the bars and the squarer blob stay"
        );
        assert!(is_a_line_of_print(&line) && is_a_line_of_print(&standing));
    }

    #[test]
    fn the_typical_side_comes_from_regions_holding_one_code() {
        let mut found = Found::default();
        for (index, x) in [20.0f32, 320.0, 620.0].into_iter().enumerate() {
            let mut code = read(Symbology::DataMatrix, index);
            code.corners = vec![(x, 20.0), (x + 100.0, 20.0), (x + 100.0, 120.0), (x, 120.0)];
            found.add(code);
        }
        let pack = |x: u32, side: u32| blob(x, 0, side, side, 2.0);
        let frame = blob(0, 0, 1920, 1080, 1.2);
        // Packs of 140, 150 and 160 px, each round one code; the frame holds all three.
        let regions = [
            frame,
            pack(0, 140),
            pack(300, 150),
            pack(600, 160),
            pack(900, 150),
        ];
        let decoded = [true, true, true, true, false];
        assert_eq!(found.typical_side(&regions, &decoded), Some(150));
        // Only the frame decoded: no size to go by (not the frame's).
        assert_eq!(
            found.typical_side(&regions, &[true, false, false, false, false]),
            None
        );
    }

    #[test]
    fn a_second_search_adds_every_counter_and_time() {
        let one = DecodeStats {
            regions: 3,
            regions_decoded: 2,
            attempts: 7,
            found_by_retry: 1,
            rejected: 1,
            first_ms: 1.0,
            retry_ms: 2.0,
            sweep_ms: 3.0,
            lattice_ms: 4.0,
            whole_ms: 5.0,
        };
        let mut sum = one.clone();
        sum.add(&one);
        assert_eq!(
            sum,
            DecodeStats {
                regions: 6,
                regions_decoded: 4,
                attempts: 14,
                found_by_retry: 2,
                rejected: 2,
                first_ms: 2.0,
                retry_ms: 4.0,
                sweep_ms: 6.0,
                lattice_ms: 8.0,
                whole_ms: 10.0,
            }
        );
    }

    #[test]
    fn a_layer_is_swept_for_the_kinds_read() {
        let mut found = Found::default();
        assert_eq!(found.kinds_to_sweep(false), (true, true, false));
        assert_eq!(found.kinds_to_sweep(true), (true, true, true));
        found.add(read(Symbology::DataMatrix, 0));
        assert_eq!(found.kinds_to_sweep(false), (true, false, false));
        // One label's code: still everything.
        assert_eq!(found.kinds_to_sweep(true), (true, true, true));
        for index in 1..4 {
            found.add(read(Symbology::DataMatrix, index));
        }
        // Four packs in a small picture: a layer.
        assert_eq!(found.kinds_to_sweep(true), (true, false, false));
        found.add(read(Symbology::QrCode, 0));
        assert_eq!(found.kinds_to_sweep(false), (true, true, false));
        let mut qr_only = Found::default();
        qr_only.add(read(Symbology::QrCode, 0));
        assert_eq!(qr_only.kinds_to_sweep(false), (false, true, false));
        // A linear code says nothing about the packs: both.
        let mut linear = Found::default();
        linear.add(read(Symbology::Code128, 0));
        assert_eq!(linear.kinds_to_sweep(false), (true, true, false));
    }
}
