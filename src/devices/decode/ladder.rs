//! The retry ladder: what a region that gave nothing at first is tried with next.

use super::locate::Region;
use super::prepare::Treatment;
use super::reader::{Bars, Binariser, FormatSet, Pass};
use super::search::WEAK;

/// One step of the retry ladder.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub treatment: Treatment,
    pub binariser: Binariser,
    pub pass: Pass,
}

pub(super) const FIRST: Pass = Pass {
    data_matrix: true,
    fallback: false,
    qr: true,
    others: false,
    try_harder: false,
    linear_thorough: false,
    bars: Bars::Any,
};

/// The retry ladder for a region, cheapest and most often useful first.
///
/// A blob whose edges run mostly one way (`isotropy` < 0.5: an upright linear code, or a line
/// of printed text) gets only the linear readers; 2D symbols have edges both ways even when
/// turned, and get the full ladder.
pub(super) fn retry_steps(region: &Region, formats: &FormatSet) -> Vec<Step> {
    let side = region.width.max(region.height);
    let linear = region.isotropy < 0.5;
    // The linear readers scan rows and columns: a linear code turned further than about 35°
    // (isotropy 0.75) is beyond them, so a squarer blob is not worth their time. Closer to
    // upright its bars run the way the blob's edges say: only the lines across them are
    // scanned (rows for upright bars, columns for lying ones; not both).
    let bars = if region.upright {
        Bars::Upright
    } else {
        Bars::Lying
    };
    let hard = Pass {
        others: region.isotropy < 0.75,
        try_harder: true,
        linear_thorough: true,
        fallback: true,
        bars,
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
    let cheap = [
        step(Treatment::Plain, Binariser::Local, thorough),
        step(Treatment::Plain, Binariser::GlobalHistogram, thorough),
        step(Treatment::Invert, Binariser::Local, thorough),
        step(Treatment::Blur(1.0), Binariser::Local, thorough),
    ];
    let mut steps = vec![
        cheap[0],
        // Dots of a dotted (inkjet, dot-peen) Data Matrix melted into modules: second, as it
        // reads most dotted symbols and little else (on the generator's classes, 82 of 124
        // dotted symbols read by a retry, nothing else).
        step(Treatment::Blur(2.0), Binariser::GlobalHistogram, thorough),
        cheap[1],
        cheap[2],
        cheap[3],
    ];
    if side < 400 {
        steps.push(step(Treatment::Scale(2.0), Binariser::Local, thorough));
    }
    if side > 120 {
        steps.push(step(Treatment::Scale(0.5), Binariser::Local, thorough));
    }
    steps.extend([
        step(Treatment::Thicken(1), Binariser::Local, thorough),
        step(Treatment::Rotate(30.0), Binariser::Local, thorough),
    ]);
    // Seen at a slant: undo a foreshortening across or down (halving the long way keeps big
    // symbols cheap; small ones are doubled the short way instead). A blob longer than 5:2 is
    // not a square symbol seen at a slant (one foreshortened that far is past reading), but a
    // line of print.
    if (0.4..=2.5).contains(&region.aspect) {
        steps.extend([
            step(stretch(side, true), Binariser::Local, thorough),
            step(stretch(side, false), Binariser::Local, thorough),
            // Foreshortened unevenly (finder patterns of different sizes): the ink's
            // quadrilateral warped upright.
            step(Treatment::Rectify, Binariser::Local, thorough),
        ]);
    }
    steps.extend([
        step(
            Treatment::Plain,
            Binariser::Adaptive((side / 12).clamp(4, 40)),
            thorough,
        ),
        step(Treatment::Plain, Binariser::Local, hard),
    ]);
    if region.strength < WEAK || !(1.0 / 4.5..=4.5).contains(&region.aspect) {
        // Barely busier than the threshold, or longer than the longest 2D symbol (a
        // rectangular Data Matrix of 8 × 32 modules): most such blobs are print or texture
        // (lines of type), so only the cheap retries and the final thorough pass.
        steps = cheap.to_vec();
        steps.push(step(Treatment::Plain, Binariser::Local, hard));
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
        // Narrow bars doubled across them only: half the pixels of a doubling both ways, and
        // the same bars.
        let across_bars = if region.upright {
            Treatment::Stretch(2.0, 1.0)
        } else {
            Treatment::Stretch(1.0, 2.0)
        };
        // Noise averaged along the bars.
        let smoothed = Treatment::AlongBars(
            region.upright,
            (region.width.min(region.height) / 16).clamp(2, 8),
        );
        return vec![
            step(Treatment::Plain, Binariser::Local, linear_only),
            step(across_bars, Binariser::Local, linear_only),
            step(smoothed, Binariser::Local, linear_only),
            // Bars narrowing along the code (seen at a slant): the bars' quadrilateral
            // warped upright (the warp keeps the way they run).
            step(Treatment::Rectify, Binariser::Local, linear_only),
        ];
    }
    steps
}

/// A window at a gap in a layer's lattice: a thorough look with both binarisers.
pub(super) fn gap_steps() -> Vec<Step> {
    let thorough = Pass {
        try_harder: true,
        ..FIRST
    };
    [Binariser::Local, Binariser::GlobalHistogram]
        .map(|binariser| Step {
            treatment: Treatment::Plain,
            binariser,
            pass: thorough,
        })
        .to_vec()
}

/// The linear readers over every line of a whole picture `height` rows tall where nothing was
/// read: as it is, then averaged along upright bars and along lying ones (noise on a faint code
/// breaks every single row; each scanned across its bars only), then with the ink's
/// quadrilateral warped upright (bars narrowing along a code seen at a slant).
pub(super) fn whole_linear_steps(height: u32) -> [Step; 4] {
    let linear = Pass {
        data_matrix: false,
        qr: false,
        others: true,
        linear_thorough: true,
        ..FIRST
    };
    let radius = (height / 60).clamp(3, 12);
    [
        (Treatment::Plain, Bars::Any),
        (Treatment::AlongBars(true, radius), Bars::Upright),
        (Treatment::AlongBars(false, radius), Bars::Lying),
        (Treatment::Rectify, Bars::Any),
    ]
    .map(|(treatment, bars)| Step {
        treatment,
        binariser: Binariser::Local,
        pass: Pass { bars, ..linear },
    })
}

/// Whether a picture where nothing read goes through the linear readers over every line before
/// the retry ladder as a whole: only where one of its blobs looks like a linear code (edges
/// mostly one way); a 2D symbol makes none, and its picture saves the linear passes' time.
pub(super) fn linear_first(regions: &[Region]) -> bool {
    regions.iter().any(|region| region.isotropy < 0.5)
}

/// A stretch that halves the region across (`across`) or down, or, for a small region,
/// doubles it the other way.
fn stretch(side: u32, across: bool) -> Treatment {
    match (side > 160, across) {
        (true, true) => Treatment::Stretch(0.5, 1.0),
        (true, false) => Treatment::Stretch(1.0, 0.5),
        (false, true) => Treatment::Stretch(1.0, 2.0),
        (false, false) => Treatment::Stretch(2.0, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::decode::Symbology;

    fn blob(width: u32, height: u32, strength: f32, isotropy: f32) -> Region {
        Region {
            x: 0,
            y: 0,
            width,
            height,
            aspect: width as f32 / height as f32,
            strength,
            isotropy,
            upright: width >= height,
        }
    }

    #[test]
    fn a_blob_longer_than_any_2d_symbol_gets_the_short_ladder() {
        let formats = FormatSet::new(&Symbology::PHARMA);
        let square = retry_steps(&blob(150, 150, 2.0, 0.9), &formats);
        // An 8 × 32 Data Matrix is 4:1: still the whole ladder.
        let rectangular = retry_steps(&blob(160, 40, 2.0, 0.9), &formats);
        // A line of type, 9:1 either way.
        let type_line = retry_steps(&blob(270, 30, 2.0, 0.9), &formats);
        let type_column = retry_steps(&blob(30, 270, 2.0, 0.9), &formats);
        let faint = retry_steps(&blob(150, 150, 1.0, 0.9), &formats);
        assert!(square.len() > 10, "{}", square.len());
        assert!(rectangular.len() > 8, "{}", rectangular.len());
        assert_eq!(type_line.len(), 5);
        assert_eq!(type_column.len(), 5);
        assert_eq!(faint.len(), 5);
        // The short ladder still ends with the thorough pass with every fallback.
        let last = type_line.last().map(|step| step.pass);
        assert!(last.is_some_and(|pass| pass.try_harder && pass.fallback));
    }

    #[test]
    fn the_linear_readers_go_first_only_where_a_blob_looks_linear() {
        assert!(!linear_first(&[]));
        assert!(!linear_first(&[
            blob(120, 120, 1.5, 0.9),
            blob(80, 60, 2.0, 0.6)
        ]));
        assert!(linear_first(&[
            blob(120, 120, 1.5, 0.9),
            blob(300, 60, 1.2, 0.3)
        ]));
    }

    #[test]
    fn a_linear_looking_blob_gets_the_linear_readers_only() {
        let formats = FormatSet::new(&Symbology::PHARMA);
        let steps = retry_steps(&blob(300, 60, 2.0, 0.2), &formats);
        assert_eq!(steps.len(), 4);
        assert!(
            steps
                .iter()
                .all(|step| !step.pass.data_matrix && !step.pass.qr && step.pass.others)
        );
        // Across the bars only, the way the blob's edges say: rows where more edges are met
        // along rows (upright bars), columns where more are met down columns.
        assert!(
            steps
                .iter()
                .take(3)
                .all(|step| step.pass.bars == Bars::Upright)
        );
        let tall = retry_steps(&blob(60, 300, 2.0, 0.2), &formats);
        assert!(
            tall.iter()
                .take(3)
                .all(|step| step.pass.bars == Bars::Lying)
        );
        // The edges decide, not the blob's shape: a squarish blob of lying bars, and a wide
        // one (a short code turned a quarter next to its print).
        for shape in [(200, 160), (300, 60)] {
            let lying = Region {
                upright: false,
                ..blob(shape.0, shape.1, 2.0, 0.2)
            };
            let steps = retry_steps(&lying, &formats);
            assert!(steps.iter().all(|step| step.pass.bars == Bars::Lying));
            assert!(matches!(steps[1].treatment, Treatment::Stretch(x, y) if x < y));
            assert!(matches!(steps[2].treatment, Treatment::AlongBars(false, _)));
        }
        // A 2D blob's final thorough pass runs the linear readers across the bars its edges
        // show too (a code turned up to about 35°), only the way they run.
        let turned = retry_steps(&blob(150, 150, 2.0, 0.6), &formats);
        let last = turned.last().map(|step| step.pass);
        assert!(last.is_some_and(|pass| pass.others && pass.bars == Bars::Upright));
        let lying = Region {
            upright: false,
            ..blob(150, 150, 2.0, 0.6)
        };
        let last = retry_steps(&lying, &formats).last().map(|step| step.pass);
        assert!(last.is_some_and(|pass| pass.others && pass.bars == Bars::Lying));
        // The warp keeps the way too.
        assert!(
            steps
                .last()
                .is_some_and(|step| step.pass.bars == Bars::Upright)
        );
        let only_2d = FormatSet::new(&[Symbology::DataMatrix]);
        assert!(retry_steps(&blob(300, 60, 2.0, 0.2), &only_2d).is_empty());
    }
}
