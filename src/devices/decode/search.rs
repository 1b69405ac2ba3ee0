//! The search: whole-image pass, region location, parallel crop decoding, retries.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use image::GrayImage;
use serde::Serialize;

use super::locate::{Region, locate};
use super::prepare::{Treatment, apply, crop, map_back};
use super::reader::{Binariser, FormatSet, Pass, Prepared, decode_prepared};
use super::sweep::{bands, blank_quad};
use super::validate::is_valid_gs1;
use super::{DecodeOptions, DecodedCode};

/// Images up to this many pixels get a whole-image rxing pass before regions are searched.
const WHOLE_PASS_MAX_PIXELS: u32 = 1_000_000;

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
    /// Milliseconds spent on the whole-frame sweep (local contrast boosted, in bands).
    pub sweep_ms: f64,
}

/// One step of the retry ladder.
#[derive(Debug, Clone, Copy)]
struct Step {
    treatment: Treatment,
    binariser: Binariser,
    pass: Pass,
}

const FIRST: Pass = Pass {
    data_matrix: true,
    data_matrix_fallback: false,
    qr: true,
    others: false,
    try_harder: false,
};

/// The retry ladder for a region, cheapest and most often useful first.
///
/// A blob whose edges run mostly one way (`isotropy` < 0.5: an upright linear code, or a line
/// of printed text) gets only the linear readers; 2D symbols have edges both ways even when
/// turned, and get the full ladder.
fn retry_steps(region: &Region, formats: &FormatSet) -> Vec<Step> {
    let side = region.width.max(region.height);
    let linear = region.isotropy < 0.5;
    // The linear readers scan rows and columns: a linear code turned further than about 35°
    // (isotropy 0.75) is beyond them, so a squarer blob is not worth their time.
    let hard = Pass {
        others: region.isotropy < 0.75,
        try_harder: true,
        data_matrix_fallback: true,
        ..FIRST
    };
    let step = |treatment, binariser, pass| Step {
        treatment,
        binariser,
        pass,
    };
    let thorough = Pass {
        try_harder: true,
        ..FIRST
    };
    let mut steps = vec![
        step(Treatment::Plain, Binariser::Hybrid, thorough),
        step(Treatment::Plain, Binariser::GlobalHistogram, thorough),
        step(Treatment::Invert, Binariser::Hybrid, thorough),
        step(Treatment::Blur(1.0), Binariser::Hybrid, thorough),
    ];
    if side < 400 {
        steps.push(step(Treatment::Scale(2.0), Binariser::Hybrid, thorough));
    }
    if side > 120 {
        steps.push(step(Treatment::Scale(0.5), Binariser::Hybrid, thorough));
    }
    steps.extend([
        step(Treatment::Thicken(1), Binariser::Hybrid, thorough),
        step(Treatment::Rotate(30.0), Binariser::Hybrid, thorough),
        step(Treatment::Blur(2.0), Binariser::GlobalHistogram, thorough),
        step(
            Treatment::Plain,
            Binariser::Adaptive((side / 12).clamp(4, 40)),
            thorough,
        ),
        step(Treatment::Plain, Binariser::Hybrid, hard),
    ]);
    if region.strength < 1.3 {
        // Barely busier than the threshold: most such blobs are print or texture, so only the
        // cheap retries and the final thorough pass.
        steps.truncate(4);
        steps.push(step(Treatment::Plain, Binariser::Hybrid, hard));
    }
    if linear {
        if !formats.wants_others() {
            return Vec::new();
        }
        let linear_only = Pass {
            data_matrix: false,
            qr: false,
            ..hard
        };
        return vec![
            step(Treatment::Plain, Binariser::Hybrid, linear_only),
            step(Treatment::Scale(2.0), Binariser::Hybrid, linear_only),
            step(Treatment::Blur(1.0), Binariser::Hybrid, linear_only),
        ];
    }
    steps
}

/// Codes found so far, de-duplicated by text.
#[derive(Default)]
struct Found {
    codes: Vec<DecodedCode>,
    rejected_texts: Vec<String>,
    stats: DecodeStats,
}

impl Found {
    /// Whether `region` is mostly covered by codes already found (nothing new to see there).
    fn covers(&self, region: &Region) -> bool {
        let area = f64::from(region.width) * f64::from(region.height);
        self.codes.iter().any(|code| {
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for &(x, y) in &code.corners {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
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

    fn add(&mut self, code: DecodedCode) -> bool {
        if self.codes.iter().any(|known| known.text == code.text) {
            return false;
        }
        self.codes.push(code);
        true
    }
}

struct Search<'a> {
    image: &'a GrayImage,
    options: &'a DecodeOptions,
    formats: FormatSet,
    deadline: Option<Instant>,
    found: Mutex<Found>,
}

impl Search<'_> {
    fn done(&self) -> bool {
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            return true;
        }
        match self.options.expected_codes {
            Some(expected) => self.lock().codes.len() >= expected,
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Found> {
        // A worker that panicked mid-update cannot leave `Found` inconsistent (pushes only).
        self.found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs one step on a crop of `region`; returns how many new codes it added.
    fn attempt(&self, crop_image: &GrayImage, region: &Region, step: Step) -> usize {
        let (prepared, back): (Prepared, [f32; 6]) = apply(crop_image, step.treatment);
        self.attempt_prepared(&prepared, &back, region, step)
    }

    /// Decodes an already prepared crop of `region` (`back` maps its pixels to the crop's).
    fn attempt_prepared(
        &self,
        prepared: &Prepared,
        back: &[f32; 6],
        region: &Region,
        step: Step,
    ) -> usize {
        let codes = decode_prepared(prepared, step.binariser, &self.formats, step.pass);
        let mut found = self.lock();
        found.stats.attempts += 1;
        let mut added = 0;
        for mut code in codes {
            if self.options.gs1_only && !is_valid_gs1(&code) {
                if !found.rejected_texts.contains(&code.text) {
                    found.rejected_texts.push(code.text);
                    found.stats.rejected += 1;
                }
                continue;
            }
            code.corners = code
                .corners
                .iter()
                .map(|&point| map_back(point, back, region))
                .collect();
            if found.add(code) {
                added += 1;
            }
        }
        added
    }

    /// Decodes each region (first attempt, then retries) on `threads` scoped workers; returns
    /// whether each region yielded a code.
    fn decode_regions(&self, regions: &[Region], retries: bool) -> Vec<bool> {
        let next = AtomicUsize::new(0);
        let results: Vec<Mutex<bool>> = regions.iter().map(|_| Mutex::new(false)).collect();
        let work = || {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(region) = regions.get(index) else {
                    break;
                };
                if self.done() {
                    break;
                }
                if self.lock().covers(region) {
                    continue;
                }
                let crop_image = crop(self.image, region);
                let mut steps = Vec::new();
                if !retries {
                    steps.push(Step {
                        treatment: Treatment::Plain,
                        binariser: Binariser::Hybrid,
                        pass: FIRST,
                    });
                } else {
                    steps.extend(retry_steps(region, &self.formats));
                }
                for step in steps {
                    if self.done() || self.lock().covers(region) {
                        break;
                    }
                    let added = self.attempt(&crop_image, region, step);
                    if added > 0 {
                        if retries {
                            self.lock().stats.found_by_retry += added;
                        }
                        if let Ok(mut ok) = results[index].lock() {
                            *ok = true;
                        }
                        break;
                    }
                }
            }
        };
        let threads = self.thread_count().min(regions.len()).max(1);
        std::thread::scope(|scope| {
            for worker in 1..threads {
                // If the thread cannot be started the remaining workers (at least the calling
                // thread) still take every region from the shared queue.
                let _ = std::thread::Builder::new()
                    .name(format!("decode-{worker}"))
                    .spawn_scoped(scope, work);
            }
            work();
        });
        results
            .into_iter()
            .map(|ok| ok.into_inner().unwrap_or(false))
            .collect()
    }

    /// The whole-frame sweep: every band with its local contrast boosted (radius `radius`)
    /// through the multi-symbol detectors, one band per worker. Codes already found are
    /// painted over with flat grey first, so the detectors spend no time on them and see the
    /// symbols behind them (rxing's Data Matrix detector reports one symbol per scan line).
    fn sweep(&self, bands: &[Region], radius: u32, pass: Pass) {
        let work = |band: &Region| {
            if self.done() {
                return;
            }
            let crop_image = crop(self.image, band);
            let (mut prepared, back) = apply(&crop_image, Treatment::Boost(radius));
            let step = Step {
                treatment: Treatment::Boost(radius),
                binariser: Binariser::Hybrid,
                pass,
            };
            let quads: Vec<Vec<(f32, f32)>> = self
                .lock()
                .codes
                .iter()
                .filter(|code| code.corners.len() == 4)
                .map(|code| {
                    code.corners
                        .iter()
                        .map(|&(x, y)| (x - band.x as f32, y - band.y as f32))
                        .collect()
                })
                .collect();
            for quad in &quads {
                blank_quad(&mut prepared, quad);
            }
            self.attempt_prepared(&prepared, &back, band, step);
        };
        let threads = self.thread_count().min(bands.len()).max(1);
        if threads == 1 {
            bands.iter().for_each(work);
            return;
        }
        let next = AtomicUsize::new(0);
        let worker = || {
            while let Some(band) = bands.get(next.fetch_add(1, Ordering::Relaxed)) {
                work(band);
            }
        };
        std::thread::scope(|scope| {
            for index in 1..threads {
                let _ = std::thread::Builder::new()
                    .name(format!("sweep-{index}"))
                    .spawn_scoped(scope, worker);
            }
            worker();
        });
    }

    fn thread_count(&self) -> usize {
        match self.options.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }

    /// The whole image as one region.
    fn whole(&self) -> Region {
        Region {
            x: 0,
            y: 0,
            width: self.image.width(),
            height: self.image.height(),
            aspect: 1.0,
            strength: 0.0,
            isotropy: 1.0,
        }
    }
}

/// Runs the full search; see the module documentation of `decode`.
pub(crate) fn run(image: &GrayImage, options: &DecodeOptions) -> Vec<DecodedCode> {
    run_with_stats(image, options).0
}

/// [`run`] plus what it did.
pub(crate) fn run_with_stats(
    image: &GrayImage,
    options: &DecodeOptions,
) -> (Vec<DecodedCode>, DecodeStats) {
    let started = Instant::now();
    let search = Search {
        image,
        options,
        formats: FormatSet::new(&options.symbologies),
        deadline: options
            .time_budget_ms
            .map(|ms| started + Duration::from_millis(ms)),
        found: Mutex::new(Found::default()),
    };
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return (Vec::new(), DecodeStats::default());
    }
    let small = width.saturating_mul(height) <= WHOLE_PASS_MAX_PIXELS;
    let whole = search.whole();
    if small {
        let pass = Pass {
            others: true,
            try_harder: true,
            ..FIRST
        };
        search.attempt(
            image,
            &whole,
            Step {
                treatment: Treatment::Plain,
                binariser: Binariser::Hybrid,
                pass,
            },
        );
    }

    let regions = locate(image);
    let open = regions.clone();
    let first = search.decode_regions(&open, false);
    search.lock().stats.first_ms = ms_between(started, Instant::now());
    if options.retries {
        // Codes of one layer have one size: a failed region much smaller than the decoded
        // ones is probably a fragment of a symbol with large plain areas, so look at a
        // symbol-sized window around it.
        let mut decoded_sides: Vec<u32> = open
            .iter()
            .zip(&first)
            .filter(|(_, ok)| **ok)
            .map(|(region, _)| region.width.max(region.height))
            .collect();
        decoded_sides.sort_unstable();
        let typical_side = decoded_sides.get(decoded_sides.len() / 2).copied();
        let failed: Vec<Region> = open
            .iter()
            .zip(&first)
            .filter(|(_, ok)| !**ok)
            .map(|(region, _)| match typical_side {
                Some(side) if region.width.max(region.height) * 5 < side * 4 => {
                    Region {
                        // A 2D window with the short ladder: most small blobs are print.
                        isotropy: 1.0,
                        strength: region.strength.min(1.0),
                        ..region.grown_to(side * 6 / 5, width, height)
                    }
                }
                _ => *region,
            })
            .collect();
        // In a big frame a blob covering a quarter of it is the case or the background,
        // not a symbol: not worth the retry ladder.
        let quarter = u64::from(width) * u64::from(height) / 4;
        let failed: Vec<Region> = failed
            .into_iter()
            .filter(|region| small || u64::from(region.width) * u64::from(region.height) < quarter)
            .collect();
        let retry_started = Instant::now();
        let retried = search.decode_regions(&failed, true);
        let sweep_started = Instant::now();
        search.lock().stats.retry_ms = ms_between(retry_started, sweep_started);
        // Never give up early: unless every expected code is in, the whole frame once more
        // with its local contrast boosted (grey ink on grey board, uneven light) through the
        // multi-symbol detectors, as the region search may have missed codes altogether.
        if !search.done() {
            let module_guess = (width.min(height) / 60).clamp(6, 24);
            let pass = Pass {
                try_harder: true,
                others: small,
                ..FIRST
            };
            search.sweep(
                &bands(width, height, typical_side, small),
                module_guess,
                pass,
            );
        }
        search.lock().stats.sweep_ms = ms_between(sweep_started, Instant::now());
        let nothing_yet = search.lock().codes.is_empty();
        if nothing_yet && small {
            // Nothing anywhere: the whole image through the retry ladder.
            search.decode_regions(&[whole], true);
        }
        search.lock().stats.regions_decoded = retried.iter().filter(|ok| **ok).count();
    }
    let mut found = search
        .found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.stats.regions = regions.len();
    found.stats.regions_decoded += first.iter().filter(|ok| **ok).count();
    let mut codes = found.codes;
    sort_reading_order(&mut codes);
    (codes, found.stats)
}

fn ms_between(from: Instant, to: Instant) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}

/// Sorts codes top to bottom in rows, left to right within a row.
fn sort_reading_order(codes: &mut [DecodedCode]) {
    let row_height = codes
        .iter()
        .map(|code| {
            let (min, max) = code
                .corners
                .iter()
                .fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                    (lo.min(p.1), hi.max(p.1))
                });
            (max - min).max(1.0)
        })
        .fold(f32::MAX, f32::min);
    let row_height = if row_height == f32::MAX {
        1.0
    } else {
        row_height
    };
    codes.sort_by(|a, b| {
        let (ax, ay) = a.centre();
        let (bx, by) = b.centre();
        let (row_a, row_b) = ((ay / row_height) as i64, (by / row_height) as i64);
        row_a.cmp(&row_b).then(ax.total_cmp(&bx))
    });
}
