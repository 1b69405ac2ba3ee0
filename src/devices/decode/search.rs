//! The search: whole-image pass, region location, parallel crop decoding, retries.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use image::GrayImage;
use serde::Serialize;

use super::ladder::{FIRST, Step, retry_steps};
use super::locate::{Region, locate};
use super::prepare::{Treatment, apply, crop, halve, map_back};
use super::reader::{Binariser, FormatSet, Pass, Prepared, decode_prepared};
use super::sweep::{bands, blank_quad, bounds, extent, rows_of, sort_reading_order};
use super::validate::is_valid_gs1;
use super::{DecodeOptions, DecodedCode};

/// Rounds of the whole-frame sweep at most (each after painting over what the last found).
const SWEEP_ROUNDS: usize = 3;

/// A blob's edge density relative to the threshold below which it is probably print.
pub(super) const WEAK: f32 = 1.3;

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
    }
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
                    // A blob whose edges run mostly one way is a linear code or a line of
                    // print: the linear readers, which cost little on a crop, come first.
                    let linear = region.isotropy < 0.5 && self.formats.wants_others();
                    steps.push(Step {
                        treatment: Treatment::Plain,
                        binariser: Binariser::Hybrid,
                        pass: Pass {
                            others: linear,
                            ..FIRST
                        },
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
    ///
    /// `halved` sweeps a copy at half the size (big symbols in a big frame: a quarter of the
    /// work).
    fn sweep(&self, bands: &[Region], radius: u32, pass: Pass, halved: bool) {
        let work = |band: &Region| {
            if self.done() {
                return;
            }
            let crop_image = crop(self.image, band);
            let (source, scale) = if halved {
                (halve(&crop_image), 0.5)
            } else {
                (crop_image, 1.0)
            };
            let (mut prepared, _) = apply(&source, Treatment::Boost(radius));
            let back = [1.0 / scale, 0.0, 0.0, 0.0, 1.0 / scale, 0.0];
            let step = Step {
                treatment: Treatment::Boost(radius),
                binariser: Binariser::Hybrid,
                pass,
            };
            // rxing's Data Matrix detector reports at most one symbol per scan line: while a
            // round finds something, paint it over and look again (a few rounds at most).
            let mut painted = 0;
            // The rows to look at again: the whole band first, then the rows of what the last
            // round found (the only rows where a symbol can have been hidden).
            let mut rows = (0, prepared.height);
            for round in 0..SWEEP_ROUNDS {
                let quads: Vec<Vec<(f32, f32)>> = self
                    .lock()
                    .codes
                    .iter()
                    .filter(|code| code.corners.len() == 4)
                    .skip(painted)
                    .map(|code| {
                        code.corners
                            .iter()
                            .map(|&(x, y)| {
                                ((x - band.x as f32) * scale, (y - band.y as f32) * scale)
                            })
                            .collect()
                    })
                    .collect();
                painted += quads.len();
                for quad in &quads {
                    blank_quad(&mut prepared, quad);
                }
                if round > 0 {
                    match rows_of(&quads, prepared.height) {
                        Some(next) => rows = next,
                        None => break,
                    }
                }
                if self.done() {
                    break;
                }
                let added = if rows == (0, prepared.height) {
                    self.attempt_prepared(&prepared, &back, band, step)
                } else {
                    let width = prepared.width as usize;
                    let strip = Prepared {
                        luma: prepared.luma[rows.0 as usize * width..rows.1 as usize * width]
                            .to_vec(),
                        width: prepared.width,
                        height: rows.1 - rows.0,
                    };
                    // Strip rows → prepared rows → band pixels.
                    let mut strip_back = back;
                    strip_back[5] = rows.0 as f32 / scale;
                    self.attempt_prepared(&strip, &strip_back, band, step)
                };
                if added == 0 {
                    break;
                }
            }
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

/// Runs the full search over `image` at its own size; see the module documentation of
/// `decode`. Returns the codes (sorted in reading order) and what the search did.
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
        // The linear readers look at the middle rows only here: a linear code elsewhere is a
        // blob of its own, read with them at its first attempt.
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
        // Never give up early: unless every expected code is in, the whole frame once more
        // with its local contrast boosted (grey ink on grey board, uneven light) through the
        // multi-symbol detectors, as the region search may have missed codes altogether. In a
        // big frame (a case layer) this sweep comes before the retries: it reads most of what
        // the first attempts missed at once, and the retries are left with what it did not.
        let sweep = || {
            let started = Instant::now();
            if !search.done() {
                // Symbols of 140 px and more (modules of 5 px and more) read as well at half
                // the size, in a quarter of the time.
                let mut sides: Vec<f32> = search
                    .lock()
                    .codes
                    .iter()
                    .filter(|code| code.corners.len() == 4)
                    .map(|code| extent(&code.corners))
                    .collect();
                sides.sort_by(f32::total_cmp);
                let halved = sides.len() >= 3 && sides[sides.len() / 2] >= 140.0;
                let shorter = if halved {
                    width.min(height) / 2
                } else {
                    width.min(height)
                };
                let module_guess = (shorter / 60).clamp(6, 24);
                let pass = Pass {
                    try_harder: true,
                    others: small,
                    ..FIRST
                };
                search.sweep(
                    &bands(width, height, typical_side, small),
                    module_guess,
                    pass,
                    halved,
                );
            }
            search.lock().stats.sweep_ms += ms_between(started, Instant::now());
        };
        if !small {
            sweep();
        }
        // After the sweep, a failed region of one pack's size (or a window grown around a
        // fragment) that holds a code read since is that pack's print, not another symbol.
        let failed: Vec<Region> = match typical_side {
            Some(side) if !small => {
                let found = search.lock();
                failed
                    .into_iter()
                    .filter(|region| {
                        region.width.max(region.height) > side * 6 / 5 + 1
                            || !found
                                .codes
                                .iter()
                                .any(|code| region.contains(code.centre()))
                    })
                    .collect()
            }
            _ => failed,
        };
        let retry_started = Instant::now();
        let retried = search.decode_regions(&failed, true);
        search.lock().stats.retry_ms = ms_between(retry_started, Instant::now());
        // A small picture (a label, a few packs) whose codes were found and where nothing
        // that looks like a 2D symbol is left unread is settled: the sweep would only cost time.
        let settled = {
            let found = search.lock();
            !found.codes.is_empty()
                && !failed.iter().zip(&retried).any(|(region, read)| {
                    !read
                        && region.strength >= WEAK
                        && region.isotropy >= 0.5
                        && !found.covers(region)
                })
        };
        if small && !settled {
            sweep();
        }
        let nothing_yet = search.lock().codes.is_empty();
        if nothing_yet && small {
            // Nothing anywhere: the linear readers over every row (a long linear code seen at a
            // slant falls apart into blobs none of which holds it whole), then the whole image
            // through the retry ladder.
            let linear = Pass {
                data_matrix: false,
                qr: false,
                others: true,
                linear_thorough: true,
                ..FIRST
            };
            if search.formats.wants_others() {
                // As it is, then averaged along upright bars and along lying ones (noise on a
                // faint code breaks every single row; rxing turns the picture for lying bars).
                let radius = (height / 60).clamp(3, 12);
                for treatment in [
                    Treatment::Plain,
                    Treatment::AlongBars(true, radius),
                    Treatment::AlongBars(false, radius),
                ] {
                    let step = Step {
                        treatment,
                        binariser: Binariser::Hybrid,
                        pass: linear,
                    };
                    if search.attempt(image, &whole, step) > 0 {
                        break;
                    }
                }
            }
            if search.lock().codes.is_empty() {
                search.decode_regions(&[whole], true);
            }
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
