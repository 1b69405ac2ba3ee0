//! `packbench decode`: output forms and exit statuses.

// Test helpers outside #[test] functions fail loudly on broken fixtures, as tests should.

use std::process::Command;

use crate::harness::data::image_row;

const IMAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/images");

fn packbench(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_packbench"))
        .args(args)
        .output()
        .expect("packbench runs");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).expect("utf-8 output"),
    )
}

#[test]
fn json_lists_every_code_with_its_details() {
    let gs1 = format!("{IMAGES}/dm_sq_22x22_px2.png");
    let qr = format!("{IMAGES}/qr_digital_link_1_px5.png");
    let (status, stdout) = packbench(&["decode", "--json", &gs1, &qr]);
    assert_eq!(status, 0, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    let images = json.as_array().expect("array of images");
    assert_eq!(images.len(), 2);
    let dm = &images[0]["codes"][0];
    let expected = image_row("dm_sq_22x22_px2.png");
    assert_eq!(dm["raw"], expected.raw[0].as_str());
    assert_eq!(dm["aim_id"], "]d2");
    assert_eq!(dm["symbology"], "GS1 DataMatrix");
    assert_eq!(dm["is_gs1"], true);
    assert_eq!(dm["corners"].as_array().map(Vec::len), Some(4));
    assert_eq!(dm["hri"], expected.hri[0].as_str());
    assert!(images[0]["decode_ms"].as_f64().is_some());
    let link = &images[1]["codes"][0];
    assert_eq!(link["aim_id"], "]Q1");
    assert_eq!(link["is_gs1"], false);
    assert!(
        link["raw"]
            .as_str()
            .is_some_and(|raw| raw.starts_with("https://id.gs1.org/01/"))
    );
}

#[test]
fn text_output_shows_gs_visibly() {
    let path = format!("{IMAGES}/gs1128_gtin_lot_exp_x2.png");
    let (status, stdout) = packbench(&["decode", &path]);
    assert_eq!(status, 0, "{stdout}");
    let expected = image_row("gs1128_gtin_lot_exp_x2.png");
    let shown = expected.raw[0].replace('\u{1d}', "<GS>");
    assert!(expected.raw[0].contains('\u{1d}'), "the picture holds a GS");
    assert!(stdout.contains(&format!("]C1 GS1-128 {shown}")), "{stdout}");
    assert!(stdout.contains("corners:"), "{stdout}");
    assert!(
        stdout.contains(&format!("hri: {}", expected.hri[0])),
        "{stdout}"
    );
}

#[test]
fn image_without_codes_exits_1_and_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(120, 80, image::Luma([255]))
        .save(&blank)
        .expect("blank PNG written");
    let good = format!("{IMAGES}/dm_sq_10x10_px8.png");
    let blank = blank.to_string_lossy().into_owned();
    let (status, stdout) = packbench(&["decode", &good, &blank]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("blank.png: 0 code(s)"), "{stdout}");

    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not an image").expect("file written");
    let text = text.to_string_lossy().into_owned();
    let (status, stdout) = packbench(&["decode", "--json", &good, &text]);
    assert_eq!(status, 2, "{stdout}");
    assert!(stdout.contains("not a PNG or JPEG image"), "{stdout}");
    let missing = dir
        .path()
        .join("missing.png")
        .to_string_lossy()
        .into_owned();
    assert_eq!(packbench(&["decode", &missing]).0, 2);
    assert_eq!(packbench(&["decode"]).0, 2);
}
