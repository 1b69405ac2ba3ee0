//! `packbench parse [--json] [--gcp-length N] SCAN`: parses one scan and prints what it holds.

use std::io::Read;
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use super::{EXIT_OK, EXIT_REJECTED, EXIT_USAGE};
use crate::gs1::{self, Gs1Error, Gs1Message, ParseOptions, ai};

/// Arguments of `packbench parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Length of the GS1 Company Prefix (6-12), for EPC URIs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(6..=12))]
    pub gcp_length: Option<u8>,
    /// Extra text that stands for GS in raw data (repeatable), e.g. `<GS>` or `^]`.
    #[arg(long = "gs-substitute", value_name = "TEXT")]
    pub gs_substitutes: Vec<String>,
    /// Accept non-GS1 data instead of rejecting it.
    #[arg(long)]
    pub allow_non_gs1: bool,
    /// Base of the Digital Link URI printed.
    #[arg(long, value_name = "URL", default_value = "https://id.gs1.org")]
    pub dl_base: String,
    /// The scan: raw element string (`\x1d` or a real GS byte = GS; optional AIM identifier
    /// such as `]d2`), bracketed `(01)...(21)...`, or a Digital Link URI. `-` reads stdin.
    #[arg(value_name = "SCAN", allow_hyphen_values = true)]
    pub scan: String,
}

/// Runs `packbench parse`: exit 0 valid, 1 invalid input, 2 usage or environment error.
pub fn run(args: &ParseArgs) -> ExitCode {
    let scan = if args.scan == "-" {
        let mut input = String::new();
        if let Err(err) = std::io::stdin().read_to_string(&mut input) {
            eprintln!("packbench parse: cannot read the scan from standard input: {err}");
            return ExitCode::from(EXIT_USAGE);
        }
        input
    } else {
        args.scan.clone()
    };
    let mut opts = ParseOptions::with_gs_substitutes(args.gs_substitutes.iter().cloned());
    opts.allow_non_gs1 = args.allow_non_gs1;
    let result = gs1::parse(&scan, &opts);
    let code = if result.is_ok() {
        EXIT_OK
    } else {
        EXIT_REJECTED
    };
    if args.json {
        println!("{}", to_json(&result, args));
    } else {
        print!("{}", to_text(&result, args));
    }
    ExitCode::from(code)
}

/// The JSON report of one parse result.
pub fn to_json(result: &Result<Gs1Message, Gs1Error>, args: &ParseArgs) -> Value {
    let msg = match result {
        Ok(msg) => msg,
        Err(err) => {
            let mut obj = Map::new();
            obj.insert("ok".into(), json!(false));
            obj.insert("error".into(), json!(err.code()));
            obj.insert("message".into(), json!(err.to_string()));
            if let Some(ai) = err.ai() {
                obj.insert("ai".into(), json!(ai));
            }
            return Value::Object(obj);
        }
    };
    let mut obj = Map::new();
    obj.insert("ok".into(), json!(true));
    if let Some(s) = &msg.symbology {
        obj.insert("symbology".into(), json!(s.aim_id()));
    }
    obj.insert("form".into(), json!(form_name(msg)));
    if let Some(data) = &msg.non_gs1_data {
        obj.insert("data".into(), json!(data));
    }
    let elements: Vec<Value> = msg
        .elements
        .iter()
        .map(|e| {
            let title = ai::lookup(&e.ai).map_or("", |entry| entry.title);
            json!({ "ai": e.ai, "value": e.value, "title": title })
        })
        .collect();
    obj.insert("elements".into(), Value::Array(elements));
    obj.insert("hri".into(), json!(msg.hri()));
    obj.insert("raw".into(), json!(msg.raw()));
    let mut keys = Map::new();
    if let Some(g) = msg.gtin() {
        keys.insert("gtin".into(), json!(g.as_str()));
    }
    if let Some(s) = msg.serial() {
        keys.insert("serial".into(), json!(s.as_str()));
    }
    if let Some(l) = msg.lot() {
        keys.insert("lot".into(), json!(l.as_str()));
    }
    if let Some(x) = msg.expiry() {
        keys.insert("expiry".into(), json!(x.as_yymmdd()));
        keys.insert("expiry_date".into(), json!(x.iso_date()));
    }
    if let Some(s) = msg.sscc() {
        keys.insert("sscc".into(), json!(s.as_str()));
    }
    obj.insert("keys".into(), Value::Object(keys));
    let epc = epc_uris(msg, args.gcp_length);
    if !epc.is_empty() {
        obj.insert("epc".into(), Value::Object(epc));
    }
    obj.insert(
        "digital_link".into(),
        json!(msg.digital_link(&args.dl_base)),
    );
    let warnings: Vec<Value> = msg
        .warnings()
        .iter()
        .map(|w| json!({ "code": w.code(), "message": w.to_string() }))
        .collect();
    obj.insert("warnings".into(), Value::Array(warnings));
    Value::Object(obj)
}

fn form_name(msg: &Gs1Message) -> &'static str {
    match msg.form {
        gs1::InputForm::Raw => "raw",
        gs1::InputForm::Bracketed => "bracketed",
        gs1::InputForm::DigitalLink => "digital_link",
        gs1::InputForm::NonGs1 => "non_gs1",
        gs1::InputForm::Constructed => "constructed",
    }
}

fn epc_uris(msg: &Gs1Message, gcp_length: Option<u8>) -> Map<String, Value> {
    let mut epc = Map::new();
    let Some(len) = gcp_length else {
        return epc;
    };
    if let Some(uri) = msg.sgtin().and_then(|s| s.epc_uri(len).ok()) {
        epc.insert("sgtin".into(), json!(uri));
    }
    if let Some(uri) = msg.sscc().and_then(|s| s.epc_uri(len).ok()) {
        epc.insert("sscc".into(), json!(uri));
    }
    epc
}

/// The human-readable report of one parse result.
pub fn to_text(result: &Result<Gs1Message, Gs1Error>, args: &ParseArgs) -> String {
    let msg = match result {
        Ok(msg) => msg,
        Err(err) => return format!("invalid: {} ({})\n", err, err.code()),
    };
    let mut out = String::new();
    let source = msg
        .symbology
        .as_ref()
        .map(|s| format!("{} {}, ", s.name(), s.aim_id()))
        .unwrap_or_default();
    out.push_str(&format!("valid ({source}{})\n", form_name(msg)));
    if let Some(data) = &msg.non_gs1_data {
        out.push_str(&format!("  non-GS1 data: {data}\n"));
        return out;
    }
    for e in &msg.elements {
        let title = ai::lookup(&e.ai).map_or("", |entry| entry.title);
        out.push_str(&format!("  ({}) {:<24} {}\n", e.ai, title, e.value));
    }
    out.push_str(&format!("HRI:          {}\n", msg.hri()));
    out.push_str(&format!(
        "raw:          {}\n",
        msg.raw().replace(gs1::GS, "<GS>")
    ));
    if let Some(dl) = msg.digital_link(&args.dl_base) {
        out.push_str(&format!("Digital Link: {dl}\n"));
    }
    for uri in epc_uris(msg, args.gcp_length).values() {
        out.push_str(&format!(
            "EPC:          {}\n",
            uri.as_str().unwrap_or_default()
        ));
    }
    for w in msg.warnings() {
        out.push_str(&format!("warning: {w} ({})\n", w.code()));
    }
    out
}
