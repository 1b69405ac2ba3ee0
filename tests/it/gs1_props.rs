//! Property tests: raw <-> bracketed <-> Digital Link round trips, key/EPC round trips, and
//! parsing never panics. Bounded case counts keep the CI run to a few seconds.

use packbench::gs1::linters::check_digit;
use packbench::gs1::{Element, Gs1Message, ParseOptions, SerialNumber, Sgtin, Sscc, parse};
use proptest::prelude::*;

const CSET82: &str = "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]";

fn cset82(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("{CSET82}{{1,{max}}}")).expect("regex")
}

fn with_check(body: &str) -> String {
    let c = check_digit(body.as_bytes()).expect("digits");
    format!("{body}{}", char::from(c))
}

fn gtin() -> impl Strategy<Value = String> {
    "[0-9]{13}".prop_map(|b| with_check(&b))
}

fn date(day_zero: bool) -> impl Strategy<Value = String> {
    let min_day = if day_zero { 0u8 } else { 1 };
    (0u8..100, 1u8..=12, min_day..=28).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
}

/// Optional attributes of a trade item, any subset in any order.
fn trade_item_message() -> impl Strategy<Value = Vec<Element>> {
    let optional = (
        proptest::option::of(date(true).prop_map(|d| Element::new("17", d))),
        proptest::option::of(cset82(20).prop_map(|v| Element::new("10", v))),
        proptest::option::of(cset82(20).prop_map(|v| Element::new("21", v))),
        proptest::option::of(date(true).prop_map(|d| Element::new("11", d))),
        proptest::option::of(cset82(30).prop_map(|v| Element::new("240", v))),
        proptest::option::of("[0-9]{1,8}".prop_map(|v| Element::new("30", v))),
        proptest::option::of(cset82(90).prop_map(|v| Element::new("91", v))),
        proptest::option::of(
            (date(false), "[01][0-9]|2[0-3]", "[0-5][0-9]")
                .prop_map(|(d, h, m)| Element::new("7003", format!("{d}{h}{m}"))),
        ),
    );
    (gtin(), optional).prop_flat_map(|(g, (a, b, c, d, e, f, h, i))| {
        let mut elements = vec![Element::new("01", g)];
        elements.extend([a, b, c, d, e, f, h, i].into_iter().flatten());
        Just(elements).prop_shuffle()
    })
}

fn logistic_message() -> impl Strategy<Value = Vec<Element>> {
    (
        "[0-9]{17}".prop_map(|b| Element::new("00", with_check(&b))),
        proptest::option::of((gtin(), "[0-9]{1,8}", cset82(20))),
        proptest::option::of(cset82(30).prop_map(|v| Element::new("400", v))),
    )
        .prop_flat_map(|(sscc, content, order)| {
            let mut elements = vec![sscc];
            if let Some((g, count, lot)) = content {
                elements.push(Element::new("02", g));
                elements.push(Element::new("37", count));
                elements.push(Element::new("10", lot));
            }
            elements.extend(order);
            Just(elements).prop_shuffle()
        })
}

fn sorted(mut elements: Vec<Element>) -> Vec<Element> {
    elements.sort_by(|a, b| (&a.ai, &a.value).cmp(&(&b.ai, &b.value)));
    elements
}

fn round_trips(elements: Vec<Element>) -> Result<(), TestCaseError> {
    let opts = ParseOptions::default();
    let msg = Gs1Message::from_elements(elements.clone())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    // raw -> elements
    let from_raw = parse(&msg.raw(), &opts)
        .map_err(|e| TestCaseError::fail(format!("{e} in {:?}", msg.raw())))?;
    prop_assert_eq!(&from_raw.elements, &elements);
    // bracketed -> elements, and the canonical forms agree
    let from_hri = parse(&msg.hri(), &opts)
        .map_err(|e| TestCaseError::fail(format!("{e} in {:?}", msg.hri())))?;
    prop_assert_eq!(&from_hri.elements, &elements);
    prop_assert_eq!(from_hri.raw(), msg.raw());
    prop_assert_eq!(from_raw.hri(), msg.hri());
    // scanner form with symbology identifier and a wedge GS substitute
    let wedge = format!("]d2{}", msg.raw().replace('\u{1d}', "{GS}"));
    let from_wedge = parse(&wedge, &ParseOptions::with_gs_substitutes(["{GS}"]))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&from_wedge.elements, &elements);
    // Digital Link -> same elements (key and qualifiers first), and back to the same URI
    let uri = msg
        .digital_link("https://example.com/stem")
        .ok_or_else(|| TestCaseError::fail("no DL"))?;
    let from_dl = parse(&uri, &opts).map_err(|e| TestCaseError::fail(format!("{e} in {uri}")))?;
    prop_assert_eq!(sorted(from_dl.elements.clone()), sorted(elements));
    prop_assert_eq!(from_dl.digital_link("https://example.com/stem"), Some(uri));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn trade_item_round_trips(elements in trade_item_message()) {
        round_trips(elements)?;
    }

    #[test]
    fn logistic_unit_round_trips(elements in logistic_message()) {
        round_trips(elements)?;
    }

    #[test]
    fn sgtin_epc_uri_round_trips(g in gtin(), serial in cset82(20), gcp_len in 6u8..=12) {
        let sgtin = Sgtin { gtin: g.parse().unwrap(), serial: serial.parse::<SerialNumber>().unwrap() };
        let uri = sgtin.epc_uri(gcp_len).unwrap();
        prop_assert_eq!(Sgtin::from_epc_uri(&uri).unwrap(), (sgtin, gcp_len));
    }

    #[test]
    fn sscc_creation_and_epc_round_trip(gcp in "[0-9]{6,12}", ext in 0u8..=9, serial in 0u64..10_000) {
        let sscc = Sscc::new(&gcp, ext, serial).unwrap();
        prop_assert_eq!(sscc.as_str().len(), 18);
        prop_assert_eq!(sscc.as_str().parse::<Sscc>().unwrap(), sscc.clone());
        let len = u8::try_from(gcp.len()).unwrap();
        prop_assert_eq!(Sscc::from_epc_uri(&sscc.epc_uri(len).unwrap()).unwrap(), (sscc, len));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse(&s, &ParseOptions::default());
    }

    #[test]
    fn parse_never_panics_on_gs1_like_text(s in "(\\]d2|\\]Q1|https://a\\.b/|\\()?[0-9()\u{1d}%/?=&A-Za-z\\\\.Ö-]{0,60}") {
        let opts = ParseOptions { allow_non_gs1: true, ..ParseOptions::with_gs_substitutes(["^]", "<GS>"]) };
        let _ = parse(&s, &opts);
        let _ = parse(&s, &ParseOptions::default());
    }
}
