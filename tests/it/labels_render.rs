//! Round trip through an image: every template's PNG and PDF rendering decodes (rxing) back to
//! exactly the label's data.

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
    }
}

fn pallet_label() -> LabelData {
    LabelData {
        sscc: packbench::gs1::Sscc::new("9506000", 1, 9_876_543).unwrap(),
        level: "pallet".to_owned(),
        content: Some(Content {
            gtin: "19506000134359".parse().unwrap(),
            count: 40,
            lot: Some("B-2026/11_x".parse().unwrap()),
            expiry: None,
        }),
        product_name: None,
        work_order: None,
        station: None,
        date: "2026-11-25".to_owned(),
    }
}

fn bare_label() -> LabelData {
    LabelData {
        content: None,
        ..case_label()
    }
}

/// Every barcode rxing finds in a grayscale image, as element strings (GS for FNC1).
fn decode(width: u32, height: u32, luma: Vec<u8>) -> BTreeSet<String> {
    let results = rxing::helpers::detect_multiple_in_luma(luma, width, height).unwrap();
    results
        .iter()
        .filter(|r| *r.getBarcodeFormat() == rxing::BarcodeFormat::CODE_128)
        .map(|r| r.getText().to_owned())
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
                let found = decode(img.width(), img.height(), img.into_raw());
                let want = expected(&label);
                assert!(!want.is_empty());
                assert_eq!(found, want, "{} at {dpi} dpi", template.as_str());
                // The label's data: the SSCC symbol, and the content fields across symbols.
                let sscc = format!("00{}", data.sscc.as_str());
                assert!(found.contains(&sscc));
                if let Some(c) = &data.content {
                    let all: String = found.iter().cloned().collect();
                    assert!(all.contains(&format!("02{}", c.gtin.as_str())));
                    assert!(all.contains(&format!("37{}", c.count)));
                }
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
            let found = decode(img.width(), img.height(), img.into_raw());
            assert_eq!(found, expected(&label), "{}", template.as_str());
        }
    }
}
