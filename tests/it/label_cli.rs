//! `packbench label`: a label rendered from the command line to a PNG file decodes (the station's
//! decoder) back to exactly its data; ZPL sent to `--printer tcp://...` reaches a TCP listener with the expected
//! GS1-128 data (FNC1 in the right places); a squeezed barcode is reported as narrower than the
//! GS1 minimum X-dimension.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_packbench");

fn label(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).arg("label").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CONTENT: &[&str] = &[
    "--sscc",
    "(00)095060000000000015",
    "--gtin",
    "09506000134352",
    "--count",
    "20",
    "--lot",
    "LOT42",
    "--expiry",
    "271231",
    "--date",
    "2026-11-25",
];

#[test]
fn png_file_decodes_to_the_label_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.png");
    let mut args = CONTENT.to_vec();
    args.extend(["--template", "a6", "--format", "png", "--out"]);
    args.push(out.to_str().unwrap());
    let (code, stdout, stderr) = label(&args);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    // Only the content symbols, which carry the SSCC too, are squeezed below the GS1 minimum.
    for w in summary["warnings"].as_array().unwrap() {
        assert!(w["hri"].as_str().unwrap().contains("(02)"), "{w}");
    }
    let want: BTreeSet<String> = summary["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert!(want.contains("00095060000000000015"), "{want:?}");
    let img = image::open(&out).unwrap().to_luma8();
    let found = crate::labels_render::decode(&img);
    assert_eq!(found, want);
    assert!(
        found.contains("000950600000000000150209506000134352172712313720"),
        "{found:?}"
    );
    assert!(
        found.contains("0009506000000000001502095060001343523720\u{1d}10LOT42"),
        "{found:?}"
    );
}

#[test]
fn zpl_goes_to_a_tcp_printer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let receiver = std::thread::Builder::new()
        .name("fake-printer".into())
        .spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut job = String::new();
            s.read_to_string(&mut job).unwrap();
            job
        })
        .unwrap();
    let printer = format!("tcp://{addr}");
    let mut args = CONTENT.to_vec();
    args.extend(["--printer", printer.as_str()]);
    let (code, stdout, stderr) = label(&args);
    assert_eq!(code, 0, "{stderr}");
    let job = receiver.join().unwrap();
    assert!(
        job.starts_with("^XA") && job.trim_end().ends_with("^XZ"),
        "{job}"
    );
    assert!(job.contains("^BC"), "{job}");
    // The SSCC symbol: FNC1 first (`>;>8`), then AI 00 and its 18 digits.
    assert!(job.contains("^FD>;>800095060000000000015^FS"), "{job}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["attempts"], 1);
}

#[test]
fn squeezed_bars_are_reported_below_the_gs1_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.zpl");
    let (code, stdout, stderr) = label(&[
        "--sscc",
        "095060000000000015",
        "--gtin",
        "09506000134352",
        "--count",
        "20",
        "--template",
        "a6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let warnings = summary["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{summary}");
    assert_eq!(
        warnings[0]["hri"],
        "(00)095060000000000015(02)09506000134352(37)20"
    );
    assert!(warnings[0]["x_mm"].as_f64().unwrap() < 0.495);
    assert!(
        stderr.contains("narrower than the GS1 minimum X-dimension"),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("^BC"));
}

#[test]
fn a_batch_no_valid_symbol_can_hold_is_text_only_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.zpl");
    let (code, stdout, stderr) = label(&[
        "--sscc",
        "095060000000000015",
        "--gtin",
        "09506000134352",
        "--count",
        "20",
        "--lot",
        "ABCDEFGHIJKLMNOPQRST",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        summary["symbols"],
        serde_json::json!([
            "0009506000000000001502095060001343523720",
            "00095060000000000015"
        ])
    );
    assert_eq!(summary["text_only"][0]["field"], "(10)ABCDEFGHIJKLMNOPQRST");
    assert!(
        stderr.contains(
            "(10)ABCDEFGHIJKLMNOPQRST is printed as text only, in no barcode: the barcode (00)095060000000000015(02)09506000134352(37)20(10)ABCDEFGHIJKLMNOPQRST needs 62 data characters, GS1-128 holds 48"
        ),
        "{stderr}"
    );
    let zpl = std::fs::read_to_string(&out).unwrap();
    assert!(
        zpl.contains("ABCDEFGHIJKLMNOPQRST"),
        "the batch is in the text block"
    );
}

#[test]
fn bad_input_is_rejected_with_status_1() {
    let (code, _, stderr) = label(&["--sscc", "095060000000000016"]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, _) = label(&["--sscc", "095060000000000015", "--template", "a4"]);
    assert_eq!(code, 1);
}
