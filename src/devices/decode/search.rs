//! The search: whole-image pass, region location, parallel crop decoding, retries.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use image::GrayImage;

use super::components::unread_symbols;
use super::found::{DecodeStats, Found, covers};
use super::label::{is_bars, is_read};
use super::ladder::{FIRST, Step, gap_steps, linear_first, retry_steps, whole_linear_steps};
use super::lattice::{lattice_gaps, left_to_retry};
use super::locate::{Region, locate};
use super::prepare::{Back, Treatment, apply, crop, map_back};
use super::reader::{Binariser, FormatSet, Pass, Prepared, decode_prepared};
use super::sweep::{bands, sort_reading_order};
use super::validate::is_valid_gs1;
use super::{DecodeOptions, DecodedCode};

/// Rounds of the whole-frame sweep at most in a small picture that is not a case layer (each
/// after painting over what the last found). A case layer gets one round, then a look at each
/// symbol-sized dark component where nothing was read (`components`): the same codes as three
/// rounds on the generator's layers (six seeds' layer classes, 5,268 codes, and every hardest
/// layer), 1920×1080 layer median 44–54 → 34–38 ms; on 640×480 layers (where four codes or
/// more were read at first) 7 codes more of 1,343 and medians 20–26 → 19–23 ms.
const SWEEP_ROUNDS: usize = 3;

/// A blob's edge density relative to the threshold below which it is probably print.
pub(super) const WEAK: f32 = 1.3;

/// Images up to this many pixels get a whole-image rxing pass before regions are searched.
const WHOLE_PASS_MAX_PIXELS: u32 = 1_000_000;

pub(super) struct Search<'a> {
    pub(super) image: &'a GrayImage,
    options: &'a DecodeOptions,
    formats: FormatSet,
    deadline: Option<Instant>,
    found: Mutex<Found>,
}

impl Search<'_> {
    pub(super) fn done(&self) -> bool {
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            return true;
        }
        match self.options.expected_codes {
            Some(expected) => {
                let found = self.lock();
                found.codes.len() + found.pending.len() >= expected
            }
            None => false,
        }
    }

    /// Whether the options give a count of codes (a case layer in the camera's layer mode) that
    /// the codes read fall short of.
    pub(super) fn short_of_count(&self) -> bool {
        self.options
            .expected_codes
            .is_some_and(|expected| self.lock().codes.len() < expected)
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Found> {
        // A worker that panicked mid-update cannot leave `Found` inconsistent (pushes only).
        self.found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs one step on a crop of `region`; returns how many new codes it added.
    fn attempt(&self, crop_image: &GrayImage, region: &Region, step: Step) -> usize {
        let Some((prepared, back)) = apply(crop_image, step.treatment) else {
            return 0;
        };
        let codes = self.read(&prepared, &back, region, step);
        let mut found = self.lock();
        codes
            .into_iter()
            .map(|code| found.add(code))
            .filter(|&added| added)
            .count()
    }

    /// Decodes an already prepared crop of `region` (`back` maps its pixels to the crop's):
    /// the reads that pass validation, in image pixels; nothing is added to what was found.
    pub(super) fn read(
        &self,
        prepared: &Prepared,
        back: &Back,
        region: &Region,
        step: Step,
    ) -> Vec<DecodedCode> {
        let codes = decode_prepared(prepared, step.binariser, &self.formats, step.pass);
        let mut found = self.lock();
        found.stats.attempts += 1;
        let mut valid = Vec::new();
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
            valid.push(code);
        }
        valid
    }

    /// Notes codes a worker found, for [`Self::done`] (they join the found ones in a fixed
    /// order once every worker is through).
    pub(super) fn note_pending(&self, codes: &[DecodedCode]) {
        let mut found = self.lock();
        for code in codes {
            if !found.codes.iter().any(|known| known.text == code.text)
                && !found.pending.contains(&code.text)
            {
                found.pending.push(code.text.clone());
            }
        }
    }

    /// Adds each worker's finds in the order of its slot; returns whether each slot held a
    /// read, and how many codes were new in all.
    pub(super) fn merge(&self, slots: Vec<Mutex<Vec<DecodedCode>>>) -> (Vec<bool>, usize) {
        let mut found = self.lock();
        found.pending.clear();
        let mut added = 0;
        let read = slots
            .into_iter()
            .map(|slot| {
                let codes = slot
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let any = !codes.is_empty();
                added += codes
                    .into_iter()
                    .map(|code| found.add(code))
                    .filter(|&added| added)
                    .count();
                any
            })
            .collect();
        (read, added)
    }

    /// Decodes each region (first attempt, then retries) on `threads` scoped workers; returns
    /// whether each region yielded a code.
    ///
    /// A worker judges a region against the codes known when the phase began and its own reads
    /// only, never against what another worker happens to have found by then, and the reads
    /// join the found ones in region order: a picture gives the same codes on any number of
    /// threads.
    fn decode_regions(&self, regions: &[Region], retries: bool) -> Vec<bool> {
        self.decode_regions_with(regions, retries, &|region: &Region| {
            if retries {
                retry_steps(region, &self.formats)
            } else {
                // A blob whose edges run mostly one way is a linear code or a line of print:
                // the linear readers, which cost little on a crop, come first.
                let linear = region.isotropy < 0.5 && self.formats.wants_others();
                vec![Step {
                    treatment: Treatment::Plain,
                    binariser: Binariser::Local,
                    pass: Pass {
                        others: linear,
                        ..FIRST
                    },
                }]
            }
        })
    }

    /// [`Self::decode_regions`] with the steps `steps` gives each region; `retries` counts
    /// what they read as found by a retry.
    fn decode_regions_with(
        &self,
        regions: &[Region],
        retries: bool,
        steps: &(dyn Fn(&Region) -> Vec<Step> + Sync),
    ) -> Vec<bool> {
        let known = self.lock().codes.clone();
        let slots: Vec<Mutex<Vec<DecodedCode>>> =
            regions.iter().map(|_| Mutex::new(Vec::new())).collect();
        let work = |index: usize| {
            let Some(region) = regions.get(index) else {
                return;
            };
            if self.done() || covers(&known, region) {
                return;
            }
            let crop_image = crop(self.image, region);
            for step in steps(region) {
                if self.done() {
                    break;
                }
                let Some((prepared, back)) = apply(&crop_image, step.treatment) else {
                    continue;
                };
                let new: Vec<DecodedCode> = self
                    .read(&prepared, &back, region, step)
                    .into_iter()
                    .filter(|code| !known.iter().any(|known| known.text == code.text))
                    .collect();
                if !new.is_empty() {
                    self.note_pending(&new);
                    if let Ok(mut slot) = slots[index].lock() {
                        *slot = new;
                    }
                    break;
                }
            }
        };
        self.on_workers(regions.len(), "decode", &work);
        let (read, added) = self.merge(slots);
        if retries {
            self.lock().stats.found_by_retry += added;
        }
        read
    }

    /// Runs `work` for every index below `count` on up to `thread_count` scoped workers named
    /// `name-N`; returns when all are done.
    pub(super) fn on_workers(&self, count: usize, name: &str, work: &(dyn Fn(usize) + Sync)) {
        let threads = self.thread_count().min(count).max(1);
        let next = AtomicUsize::new(0);
        let worker = || {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    break;
                }
                work(index);
            }
        };
        std::thread::scope(|scope| {
            for index in 1..threads {
                // If the thread cannot be started the remaining workers (at least the calling
                // thread) still take every index from the shared counter.
                let _ = std::thread::Builder::new()
                    .name(format!("{name}-{index}"))
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
            upright: true,
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
    // A small picture's whole-picture pass and the region location do not depend on each
    // other: with a second thread they run side by side.
    let whole_pass = || {
        if small {
            // The linear readers look at the middle rows only here: a linear code elsewhere is
            // a blob of its own, read with them at its first attempt.
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
                    binariser: Binariser::Local,
                    pass,
                },
            );
        }
    };
    let regions = if small && search.thread_count() > 1 {
        std::thread::scope(|scope| {
            let located = std::thread::Builder::new()
                .name("locate".into())
                .spawn_scoped(scope, || locate(image));
            whole_pass();
            match located.map(|handle| handle.join()) {
                Ok(Ok(regions)) => regions,
                // The thread could not start (or failed): locate here.
                _ => locate(image),
            }
        })
    } else {
        whole_pass();
        locate(image)
    };
    let open = regions.clone();
    // Where the whole-picture pass read a label's 2D code, the print around it (words) gets
    // no attempt of its own: the retries drop it too, unless it is grown to a symbol's size
    // as a fragment of one (a layer's codes read by their own regions). Where the label is
    // read (`label::is_read`), every blob but one of bars is print.
    let smallest = search.lock().smallest_symbol().unwrap_or(0.0);
    let label_read = small && is_read(&search, &open);
    let words: Vec<bool> = {
        let found = search.lock();
        open.iter()
            .map(|region| {
                small && found.is_a_word(region) || label_read && !is_bars(region, smallest)
            })
            .collect()
    };
    let attempted: Vec<Region> = open
        .iter()
        .zip(&words)
        .filter(|(_, word)| !**word)
        .map(|(region, _)| *region)
        .collect();
    let mut attempts = search.decode_regions(&attempted, false).into_iter();
    let first: Vec<bool> = words
        .iter()
        .map(|word| !word && attempts.next().unwrap_or(false))
        .collect();
    search.lock().stats.first_ms = ms_between(started, Instant::now());
    if options.retries {
        // Codes of one layer have one size: a failed region much smaller than the decoded
        // ones is probably a fragment of a symbol with large plain areas, so look at a
        // symbol-sized window around it.
        let typical_side = search.lock().typical_side(&open, &first);
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
        let (mut failed, mut left_to_sweep) =
            search.lock().worth_retrying(failed, width, height, small);
        if label_read {
            // Print, not symbols: only blobs of bars are retried, and nothing calls for the sweep.
            failed.retain(|region| is_bars(region, smallest));
            left_to_sweep = false;
        }
        // Never give up early: unless every expected code is in, the whole frame once more
        // with its local contrast boosted (grey ink on grey board, uneven light) through the
        // multi-symbol detectors, as the region search may have missed codes altogether. In a
        // case layer this sweep comes before the retries: it reads most of what the first
        // attempts missed at once, and the retries are left with what it did not.
        let sweep = |rounds: usize| {
            let started = Instant::now();
            if !search.done() {
                let halved = search.lock().halves_well();
                let shorter = if halved {
                    width.min(height) / 2
                } else {
                    width.min(height)
                };
                let module_guess = module_guess(shorter);
                let (data_matrix, qr, others) = search.lock().kinds_to_sweep(small);
                let pass = Pass {
                    try_harder: true,
                    others,
                    data_matrix,
                    qr,
                    ..FIRST
                };
                search.sweep(
                    &bands(width, height, typical_side, small),
                    module_guess,
                    pass,
                    halved,
                    rounds,
                );
            }
            search.lock().stats.sweep_ms += ms_between(started, Instant::now());
        };
        // A case layer (a big frame, or a small picture where four 2D codes or more were
        // read) is swept once, then each unread symbol-sized component gets a crop of its own,
        // before the retries.
        let layer = !small || search.lock().symbols_read() >= 4;
        if layer {
            sweep(1);
            let started = Instant::now();
            if !search.done() {
                let radius = module_guess(width.min(height));
                let codes = search.lock().codes.clone();
                let crops = unread_symbols(image, &codes, radius);
                let step = Step {
                    treatment: Treatment::Boost(radius),
                    binariser: Binariser::Local,
                    pass: FIRST,
                };
                search.decode_regions_with(&crops, true, &|_: &Region| vec![step]);
            }
            search.lock().stats.sweep_ms += ms_between(started, Instant::now());
        }
        // After the sweep, a failed region that holds codes read since is a pack's print or
        // packs run together (`lattice::left_to_retry`), not another symbol.
        let failed: Vec<Region> = match typical_side {
            Some(side) if layer => {
                let found = search.lock();
                failed
                    .into_iter()
                    .filter(|region| left_to_retry(region, &found.codes, side))
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
                && !left_to_sweep
                && !failed.iter().zip(&retried).any(|(region, read)| {
                    !read
                        && region.strength >= WEAK
                        && region.isotropy >= 0.5
                        && !found.covers(region)
                })
        };
        if !layer && !settled {
            sweep(SWEEP_ROUNDS);
        }
        // Packs stand in rows and columns: where a row and a column of the codes read cross
        // without a code, a window of two symbols' size gets a thorough look of its own (a
        // code crowded by print, which the blobs and the sweep did not single out).
        let gaps = {
            let found = search.lock();
            lattice_gaps(&found.codes, width, height)
        };
        if !gaps.is_empty() {
            let started = Instant::now();
            search.decode_regions_with(&gaps, true, &|_: &Region| gap_steps());
            search.lock().stats.lattice_ms = ms_between(started, Instant::now());
        }
        let nothing_yet = search.lock().codes.is_empty();
        if nothing_yet && small {
            // Nothing anywhere: the whole image through the retry ladder (a symbol whose blob
            // held a fragment of it only) and the linear readers over every line (a long
            // linear code seen at a slant falls apart into blobs none of which holds it whole),
            // each costing 10–30 ms on 640×480, in the order the blobs suggest.
            let started = Instant::now();
            let linear = || {
                if search.formats.wants_others() {
                    for step in whole_linear_steps(height) {
                        if search.attempt(image, &whole, step) > 0 {
                            break;
                        }
                    }
                }
            };
            let ladder = || {
                search.decode_regions(&[whole], true);
            };
            let passes: [&dyn Fn(); 2] = if linear_first(&regions) {
                [&linear, &ladder]
            } else {
                [&ladder, &linear]
            };
            for pass in passes {
                if !search.lock().codes.is_empty() {
                    break;
                }
                pass();
            }
            search.lock().stats.whole_ms = ms_between(started, Instant::now());
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

/// Joins to `codes` (found by a first search that began at `started`) what `search` finds
/// with the time budget that is left, adding its counters to `stats`; nothing more is
/// searched once the budget is spent.
pub(super) fn search_again(
    (mut codes, mut stats): (Vec<DecodedCode>, DecodeStats),
    options: &DecodeOptions,
    started: Instant,
    search: impl FnOnce(&DecodeOptions) -> (Vec<DecodedCode>, DecodeStats),
) -> (Vec<DecodedCode>, DecodeStats) {
    let spent = started.elapsed().as_millis() as u64;
    let remaining = match options.time_budget_ms {
        Some(budget) if budget <= spent => return (codes, stats),
        Some(budget) => Some(budget - spent),
        None => None,
    };
    let again = DecodeOptions {
        time_budget_ms: remaining,
        ..options.clone()
    };
    let (more, more_stats) = search(&again);
    for code in more {
        if !codes.iter().any(|known| known.text == code.text) {
            codes.push(code);
        }
    }
    stats.add(&more_stats);
    sort_reading_order(&mut codes);
    (codes, stats)
}

/// The boost's radius for a frame whose shorter side is `shorter` pixels: a module's guess
/// size, a sixtieth of it (6–24 px).
pub(super) fn module_guess(shorter: u32) -> u32 {
    (shorter / 60).clamp(6, 24)
}

fn ms_between(from: Instant, to: Instant) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}
