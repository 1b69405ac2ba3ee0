//! Round trip through an image: every template's PNG and PDF rendering decodes (rxing, the
//! decoder of the station's image path) back to exactly the label's data; seeded random labels (GTINs, batches
//! of every length and CSET 82 character, expiries, counts 1..9999, with and without content)
//! lay out as symbols that are each valid GS1 on their own, or are refused only when no valid
//! symbol can hold their data.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.
use packbench::labels::{Content, LabelData, Template, layout, pdf, raster};
use std::collections::BTreeSet;

fn case_label() -> LabelData {
    LabelData {
        sscc: "095060000000000015".parse().unwrap(),
        level: "case".to_owned(),
        content: Some(Content {
            gtin: "09506000134352".parse().unwrap(),
            count: 20,
            lot: Some("LOT42".parse().unwrap()),
            expiry: Some("271231".parse().unwrap()),
        }),
        product_name: Some("Demo 20 mg — Hà Nội".to_owned()),
        work_order: Some("WO-1".to_owned()),
        station: Some("Bench 3".to_owned()),
        date: "2026-11-25".to_owned(),
        note: Some("SHORT 7/20".to_owned()),
    }
}

fn pallet_label() -> LabelData {
    LabelData {
        sscc: packbench::gs1::Sscc::new("9506000", 1, 9_876_543).unwrap(),
        level: "pallet".to_owned(),
        content: Some(Content {
            gtin: "19506000134359".parse().unwrap(),
            count: 40,
            lot: Some("B/1_x".parse().unwrap()),
            expiry: None,
        }),
        product_name: None,
        work_order: None,
        station: None,
        date: "2026-11-25".to_owned(),
        note: None,
    }
}

fn bare_label() -> LabelData {
    LabelData {
        content: None,
        ..case_label()
    }
}

/// Every GS1-128 symbol rxing (the decoder behind the station's image path) finds in a label
/// image, as element strings (GS for FNC1: read with `AssumeGs1`, as `devices::decode` does).
pub fn decode(img: &image::GrayImage) -> BTreeSet<String> {
    let mut hints = rxing::DecodeHints {
        AssumeGs1: Some(true),
        ..rxing::DecodeHints::default()
    };
    let results = rxing::helpers::detect_multiple_in_luma_with_hints(
        img.as_raw().clone(),
        img.width(),
        img.height(),
        &mut hints,
    )
    .unwrap();
    results
        .iter()
        .filter(|r| *r.getBarcodeFormat() == rxing::BarcodeFormat::CODE_128)
        .map(|r| {
            let text = r.getText();
            let text = text
                .strip_prefix("]C1")
                .unwrap_or_else(|| panic!("{text:?} is not GS1-128"));
            // rxing (like older ZXing) reads a check character of value 102 in code set B as
            // an FNC1 and appends a GS at the end; zxing-cpp does not, and GS1 parsers ignore a
            // trailing separator. Not a property of the symbol: drop it.
            text.strip_suffix('\u{1d}').unwrap_or(text).to_owned()
        })
        .collect()
}

fn expected(label: &packbench::labels::Layout) -> BTreeSet<String> {
    label
        .symbols()
        .iter()
        .map(|s| s.element_string().to_owned())
        .collect()
}

#[test]
fn png_of_every_template_decodes_to_the_label_data() {
    for data in [case_label(), pallet_label(), bare_label()] {
        for template in Template::ALL {
            for dpi in [203, 300] {
                let label = layout(&data, template, dpi).unwrap();
                let png = raster::render_png(&label).unwrap();
                let img = image::load_from_memory(&png).unwrap().to_luma8();
                let found = decode(&img);
                let want = expected(&label);
                assert!(!want.is_empty());
                assert_eq!(found, want, "{} at {dpi} dpi", template.as_str());
                assert_label_data(&data, &found, &text_only_ais(&label));
            }
        }
    }
}

fn pdftoppm_available() -> bool {
    std::process::Command::new("pdftoppm")
        .arg("-v")
        .output()
        .is_ok()
}

#[test]
fn pdf_of_every_template_rasterised_decodes_to_the_label_data() {
    assert!(
        pdftoppm_available(),
        "pdftoppm (Debian poppler-utils) is needed: scripts/test installs it"
    );
    let dir = tempfile::tempdir().unwrap();
    for data in [case_label(), pallet_label()] {
        for template in Template::ALL {
            let label = layout(&data, template, 203).unwrap();
            let path = dir.path().join(format!("{}.pdf", template.as_str()));
            std::fs::write(&path, pdf::render(&label)).unwrap();
            let out_prefix = dir.path().join(template.as_str());
            let status = std::process::Command::new("pdftoppm")
                .args(["-r", "300", "-gray", "-png", "-singlefile"])
                .arg(&path)
                .arg(&out_prefix)
                .status()
                .unwrap();
            assert!(status.success());
            let img = image::open(out_prefix.with_extension("png"))
                .unwrap()
                .to_luma8();
            let found = decode(&img);
            assert_eq!(found, expected(&label), "{}", template.as_str());
        }
    }
}

/// Every symbol parses as GS1 on its own (packbench's parser, pairing rules included), and
/// together they carry the label's data: the SSCC, and the content GTIN, count, batch, expiry.
fn assert_label_data(data: &LabelData, symbols: &BTreeSet<String>, text_only: &[&str]) {
    let mut elements = std::collections::BTreeMap::new();
    for s in symbols {
        let msg = packbench::gs1::parse(&format!("]C1{s}"), &Default::default())
            .unwrap_or_else(|e| panic!("symbol {s:?} is not valid GS1 on its own: {e}"));
        for e in &msg.elements {
            let old = elements.insert(e.ai.clone(), e.value.clone());
            assert!(
                old.is_none_or(|o| o == e.value),
                "({}) differs across symbols",
                e.ai
            );
        }
    }
    assert_eq!(
        elements.get("00").map(String::as_str),
        Some(data.sscc.as_str())
    );
    let want = |ai: &str| elements.get(ai).map(String::as_str);
    // A field the layout reports as text only is in no symbol; every other one is.
    fn barcoded<'a>(text_only: &[&str], ai: &str, v: Option<&'a str>) -> Option<&'a str> {
        v.filter(|_| !text_only.contains(&ai))
    }
    match &data.content {
        None => assert_eq!(elements.len(), 1, "{elements:?}"),
        Some(c) => {
            assert_eq!(want("02"), Some(c.gtin.as_str()));
            assert_eq!(want("37"), Some(c.count.to_string().as_str()));
            assert_eq!(
                want("10"),
                barcoded(text_only, "10", c.lot.as_ref().map(|l| l.as_str()))
            );
            assert_eq!(
                want("17"),
                barcoded(text_only, "17", c.expiry.as_ref().map(|e| e.as_yymmdd()))
            );
        }
    }
}

/// The printer resolutions labels are laid out for in the tests and the zxing-cpp check.
const DPIS: [u32; 3] = [203, 300, 600];

/// A small deterministic generator (xorshift64*); a failing seed replays with
/// `PACKBENCH_TEST_SEED`.
pub struct Rng(u64);

impl Rng {
    fn seeded(topic: &str) -> Self {
        let seed = std::env::var("PACKBENCH_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{topic}: PACKBENCH_TEST_SEED={seed}");
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// GS1 AI encodable character set 82.
const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// A random label: the i-th has a batch of length `i % 21` (0 = none), so every length from
/// 1 to 20 comes up; every CSET 82 character comes up across a run.
fn random_label(rng: &mut Rng, i: usize) -> LabelData {
    let prefix = format!("{}{}", 1 + rng.below(9), rng.digits(6));
    let sscc =
        packbench::gs1::Sscc::new(&prefix, rng.below(10) as u8, rng.below(1_000_000_000)).unwrap();
    let content = (rng.below(6) != 0).then(|| {
        let cset: Vec<char> = CSET82.chars().collect();
        let lot_len = i % 21;
        let lot: String = (0..lot_len)
            .map(|_| cset[rng.below(cset.len() as u64) as usize])
            .collect();
        // Counts of every width: 1-9, 10-99, 100-999, 1000-9999.
        let count = match rng.below(4) {
            0 => 1 + rng.below(9),
            1 => 10 + rng.below(90),
            2 => 100 + rng.below(900),
            _ => 1000 + rng.below(9000),
        } as u32;
        let expiry = (rng.below(2) == 0).then(|| {
            let (m, d) = (1 + rng.below(12), rng.below(29));
            format!("{:02}{m:02}{d:02}", rng.below(100))
                .parse()
                .unwrap()
        });
        Content {
            gtin: packbench::gs1::Gtin::from_digits_without_check(&rng.digits(13)).unwrap(),
            count,
            lot: (lot_len > 0).then(|| lot.parse().unwrap()),
            expiry,
        }
    });
    LabelData {
        sscc,
        level: "case".to_owned(),
        content,
        product_name: Some("Random product".to_owned()),
        work_order: Some(format!("WO-{i}")),
        station: None,
        date: "2026-12-03".to_owned(),
        note: i.is_multiple_of(3).then(|| format!("SHORT {}/20", i % 20)),
    }
}

/// The AIs of the content fields a layout left to the text block.
fn text_only_ais(label: &packbench::labels::Layout) -> Vec<&'static str> {
    label
        .text_only
        .iter()
        .map(|t| {
            if t.field.starts_with("(10)") {
                "10"
            } else {
                "17"
            }
        })
        .collect()
}

/// A field is left to the text block only when it must be: its smallest symbol valid on its
/// own — (00)(02)(37) and it — does not fit GS1-128 (48 data characters) or the label at 2 dots
/// a module. Built here by hand, not by the layout's own grouping.
fn assert_text_only_is_necessary(data: &LabelData, ai: &str, template: Template, dpi: u32) {
    let c = data.content.as_ref().unwrap();
    let (sscc, gtin) = (data.sscc.as_str(), c.gtin.as_str());
    let group = match ai {
        "17" => format!(
            "00{sscc}02{gtin}17{}37{}",
            c.expiry.as_ref().unwrap().as_yymmdd(),
            c.count
        ),
        _ => format!(
            "00{sscc}02{gtin}37{}\u{1d}10{}",
            c.count,
            c.lot.as_ref().unwrap().as_str()
        ),
    };
    packbench::gs1::parse(&format!("]C1{group}"), &Default::default()).unwrap();
    // At 2 dots a module the 20-dot quiet zones lie within the 4 mm margins: the bars alone
    // must fit the width between the margins.
    let (w_mm, _) = template.size_mm();
    let dots = |mm: f64| (mm * f64::from(dpi) / 25.4).round() as u32;
    let usable = dots(w_mm) - 2 * dots(4.0);
    assert!(dots(4.0) >= 20);
    let impossible = match packbench::labels::code128::encode_gs1(&group) {
        Err(_) => group.chars().filter(|c| *c != '\u{1d}').count() > 48,
        Ok(symbol) => symbol.modules().len() as u32 * 2 > usable,
    };
    assert!(
        impossible,
        "({ai}) left out of the barcodes, yet {group:?} fits"
    );
}

#[test]
fn random_labels_are_valid_gs1_symbol_by_symbol() {
    let mut rng = Rng::seeded("labels_render");
    let (mut labels, mut text_only) = (0, 0);
    for i in 0..210 {
        let data = random_label(&mut rng, i);
        for template in Template::ALL {
            for dpi in DPIS {
                let label = layout(&data, template, dpi)
                    .unwrap_or_else(|e| panic!("{data:?} on {template:?} at {dpi}: {e}"));
                labels += 1;
                let ais = text_only_ais(&label);
                for ai in &ais {
                    text_only += 1;
                    assert_text_only_is_necessary(&data, ai, template, dpi);
                }
                assert_label_data(&data, &expected(&label), &ais);
            }
        }
    }
    eprintln!("labels laid out: {labels}, fields left to the text block: {text_only}");
}

#[test]
fn random_labels_decode_back_from_png() {
    let mut rng = Rng::seeded("labels_render png");
    let mut decoded = 0;
    let mut missed = Vec::new();
    for i in 0..40 {
        let data = random_label(&mut rng, i);
        let template = Template::ALL[i % Template::ALL.len()];
        let dpi = [203, 300][i % 2];
        let Ok(label) = layout(&data, template, dpi) else {
            continue;
        };
        let png = raster::render_png(&label).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let found = decode(&img);
        // The project's own image decoder (rxing) now and then reads nothing at all of a label
        // that zxing-cpp reads (the committed zxing-cpp verdicts): a decoder matter (issue 17),
        // counted and bounded here. What it does read must be exactly the label's symbols.
        if found.is_empty() {
            missed.push(i);
            continue;
        }
        assert_eq!(found, expected(&label), "label {i}: {data:?}");
        assert_label_data(&data, &found, &text_only_ais(&label));
        decoded += 1;
    }
    assert!(missed.len() <= 4, "labels read as nothing: {missed:?}");
    assert!(
        decoded >= 20,
        "only {decoded} labels could be laid out and read"
    );
}
