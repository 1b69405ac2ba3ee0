//! `packbench parse` end to end: the built binary, its output and exit status.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn packbench(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_packbench"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run packbench");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("wait")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn valid_scan_as_json_with_every_field() {
    let out = packbench(
        &[
            "parse",
            "--json",
            "--gcp-length",
            "7",
            "]d201095060001343521727123110LOT42\\x1d21SN0001",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["symbology"], "]d2");
    assert_eq!(v["elements"][0]["ai"], "01");
    assert_eq!(v["elements"][3]["value"], "SN0001");
    assert_eq!(v["elements"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["hri"], "(01)09506000134352(17)271231(10)LOT42(21)SN0001");
    assert_eq!(v["raw"], "01095060001343521727123110LOT42\u{1d}21SN0001");
    assert!(String::from_utf8_lossy(&out.stdout).contains("LOT42\\u001d21SN0001"));
    assert_eq!(v["keys"]["gtin"], "09506000134352");
    assert_eq!(v["keys"]["serial"], "SN0001");
    assert_eq!(v["keys"]["lot"], "LOT42");
    assert_eq!(v["keys"]["expiry"], "271231");
    assert_eq!(v["epc"]["sgtin"], "urn:epc:id:sgtin:9506000.013435.SN0001");
    assert_eq!(
        v["digital_link"],
        "https://id.gs1.org/01/09506000134352/10/LOT42/21/SN0001?17=271231"
    );
}

#[test]
fn real_gs_byte_and_sscc_epc() {
    let out = packbench(&["parse", "--json", "0109506000134352\u{1d}21SN1"], None);
    assert_eq!(json(&out)["keys"]["serial"], "SN1");
    let out = packbench(
        &[
            "parse",
            "--json",
            "--gcp-length",
            "7",
            "]C100106141412345678908",
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(v["symbology"], "]C1");
    assert_eq!(v["keys"]["sscc"], "106141412345678908");
    assert_eq!(v["epc"]["sscc"], "urn:epc:id:sscc:0614141.1234567890");
    // Without a company prefix length there is no EPC URI.
    let out = packbench(&["parse", "--json", "00106141412345678908"], None);
    assert!(json(&out).get("epc").is_none());
}

#[test]
fn invalid_scan_exits_1_with_a_stable_code() {
    let out = packbench(&["parse", "--json", "(01)09506000134353"], None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"], "CHECK_DIGIT");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("should be '2', found '3'")
    );
    let out = packbench(
        &["parse", "https://id.gs1.org/01/09506000134352/21/X/10/Y"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("QUALIFIER_ORDER"));
}

#[test]
fn stdin_and_human_output() {
    let out = packbench(&["parse", "-"], Some("(01)09506000134352(21)SN0001\n"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("valid"), "{text}");
    assert!(text.contains("(21) SERIAL"), "{text}");
    assert!(text.contains("Digital Link: https://id.gs1.org/01/09506000134352/21/SN0001"));
}

#[test]
fn missing_separator_is_valid_with_a_warning() {
    let out = packbench(
        &["parse", "--json", "01095060001343521727123110LOT4221SN0001"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["warnings"][0]["code"], "OK_BUT_MEANING_CHANGED");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(packbench(&["parse"], None).status.code(), Some(2));
    assert_eq!(
        packbench(&["parse", "--gcp-length", "3", "x"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        packbench(&["parse", "--bogus", "x"], None).status.code(),
        Some(2)
    );
}
