//! Fuzz target: `gs1::parse` on arbitrary input must never panic, and whatever it accepts
//! must re-parse from its canonical raw, bracketed and Digital Link forms.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packbench::gs1;

fuzz_target!(|data: &[u8]| {
    let Ok(scan) = std::str::from_utf8(data) else {
        return;
    };
    let mut opts = gs1::ParseOptions::with_gs_substitutes(["^]", "<GS>"]);
    opts.allow_non_gs1 = true;
    let Ok(msg) = gs1::parse(scan, &opts) else {
        return;
    };
    if msg.non_gs1_data.is_some() {
        return;
    }
    let strict = gs1::ParseOptions::default();
    let from_raw = gs1::parse(&msg.raw(), &strict).expect("canonical raw form re-parses");
    assert_eq!(from_raw.elements, msg.elements);
    let from_hri = gs1::parse(&msg.hri(), &strict).expect("canonical bracketed form re-parses");
    assert_eq!(from_hri.elements, msg.elements);
    if let Some(uri) = msg.digital_link("https://example.com") {
        let from_dl = gs1::parse(&uri, &strict).expect("Digital Link re-parses");
        let mut a = from_dl.elements.clone();
        let mut b = msg.elements.clone();
        for v in [&mut a, &mut b] {
            v.sort_by(|x, y| (&x.ai, &x.value).cmp(&(&y.ai, &y.value)));
            v.dedup();
        }
        assert_eq!(a, b);
    }
});
