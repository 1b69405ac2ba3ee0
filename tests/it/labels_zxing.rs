//! zxing-cpp side by side: `tests/data/labels/zxing_verdict.json` (written by
//! `tools/label_zxing_check.py`, which renders labels through `packbench label` and reads them
//! with zxing-cpp) covers every template at every resolution, every case passed, and its
//! element strings are exactly what today's layout makes of each case's data — so the verdict
//! cannot go stale silently.

use crate::harness::data;
use packbench::labels::{Content, LabelData, Template, layout};
use std::collections::BTreeSet;

fn verdict() -> serde_json::Value {
    let path = data::path("labels/zxing_verdict.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// The label the script rendered: `packbench label` with these arguments.
fn label_data(d: &serde_json::Value) -> LabelData {
    let text = |k: &str| d.get(k).map(|v| v.as_str().unwrap().to_owned());
    LabelData {
        sscc: text("sscc").unwrap().parse().unwrap(),
        level: "case".to_owned(),
        content: text("gtin").map(|gtin| Content {
            gtin: gtin.parse().unwrap(),
            count: d["count"].as_u64().unwrap() as u32,
            lot: text("lot").map(|l| l.parse().unwrap()),
            expiry: text("expiry").map(|e| e.parse().unwrap()),
        }),
        product_name: None,
        work_order: None,
        station: None,
        date: "2026-12-03".to_owned(),
        note: None,
    }
}

#[test]
fn zxing_cpp_read_every_symbol_of_today_s_labels() {
    let v = verdict();
    let cases = v["cases"].as_array().unwrap();
    let mut covered = BTreeSet::new();
    let mut lot_lengths = BTreeSet::new();
    let (mut bare, mut text_only) = (0, 0);
    for case in cases {
        let (template, dpi) = (
            case["template"].as_str().unwrap(),
            case["dpi"].as_u64().unwrap(),
        );
        let seed = &case["seed"];
        assert_eq!(case["pass"], true, "seed {seed} {template} {dpi}: {case}");
        let symbols = strings(&case["symbols"]);
        let read: BTreeSet<String> = strings(&case["zxing"]).into_iter().collect();
        assert_eq!(read, symbols.iter().cloned().collect(), "seed {seed}");
        assert_eq!(
            case["zxing_symbologies"],
            serde_json::json!(["Code 128 ]C1"])
        );
        // Today's layout of the same data gives exactly what the script printed.
        let data = label_data(&case["data"]);
        let t = Template::parse(template).unwrap();
        let label = layout(&data, t, dpi as u32).unwrap();
        let now: Vec<String> = label
            .symbols()
            .iter()
            .map(|s| s.element_string().to_owned())
            .collect();
        assert_eq!(
            now, symbols,
            "seed {seed} {template} {dpi}: the verdict is stale"
        );
        let now_text: Vec<String> = label.text_only.iter().map(|x| x.field.clone()).collect();
        assert_eq!(now_text, strings(&case["text_only"]), "seed {seed}: stale");
        // And every symbol is valid GS1 on its own by packbench's parser.
        for s in &symbols {
            packbench::gs1::parse(&format!("]C1{s}"), &Default::default())
                .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        }
        covered.insert((template.to_owned(), dpi));
        if let Some(l) = data.content.as_ref().and_then(|c| c.lot.as_ref()) {
            lot_lengths.insert(l.as_str().len());
        }
        bare += usize::from(data.content.is_none());
        text_only += usize::from(!label.text_only.is_empty());
    }
    for t in Template::ALL {
        for dpi in [203, 300, 600] {
            assert!(
                covered.contains(&(t.as_str().to_owned(), dpi)),
                "{t:?} {dpi}"
            );
        }
    }
    assert_eq!(lot_lengths, (1..=20).collect(), "batches of every length");
    assert!(
        bare > 0 && text_only > 0,
        "labels without content and with text-only fields"
    );
    assert_eq!(v["failed"], 0);
    assert_eq!(v["passed"].as_u64().unwrap() as usize, cases.len());
}
