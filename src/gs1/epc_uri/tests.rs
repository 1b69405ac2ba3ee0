//! Tests of the EPC URI parser: every scheme, every refusal, round trips with the key types.

#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;
use crate::gs1::check_digit::with_check_digit;
use crate::gs1::{Gln, Gtin, SerialNumber, Sgtin, Sscc};
use proptest::prelude::*;

fn hri(uri: &str) -> String {
    uri.parse::<EpcUri>().unwrap().hri()
}

fn detail(uri: &str) -> &'static str {
    match uri.parse::<EpcUri>() {
        Err(Gs1Error::BadEpcUri { uri: named, detail }) => {
            assert_eq!(named, uri);
            detail
        }
        other => panic!("{uri}: {other:?}"),
    }
}

#[test]
fn every_scheme() {
    // The Tag Data Standard's examples (the EPCIS hash test vectors use the same).
    let cases = [
        (
            "urn:epc:id:sgtin:0614141.812345.6789",
            "(01)80614141123458(21)6789",
        ),
        (
            "urn:epc:id:sgtin:4012345.011111.98%22",
            "(01)04012345111118(21)98\"",
        ),
        (
            "urn:epc:id:sscc:4012345.3111111111",
            "(00)340123451111111111",
        ),
        ("urn:epc:id:sgln:4012345.00005.0", "(414)4012345000054"),
        (
            "urn:epc:id:sgln:4012345.00005.122",
            "(414)4012345000054(254)122",
        ),
        (
            "urn:epc:id:grai:4012345.00022.334455",
            "(8003)04012345000221334455",
        ),
        ("urn:epc:id:giai:4012345.ABC345", "(8004)4012345ABC345"),
        (
            "urn:epc:id:gsrn:4012345.0000006765",
            "(8018)401234500000067657",
        ),
        (
            "urn:epc:id:gsrnp:4012345.0000000007",
            "(8017)401234500000000074",
        ),
        (
            "urn:epc:id:gdti:4012345.00009.PO-4711",
            "(253)4012345000092PO-4711",
        ),
        ("urn:epc:id:gdti:987659999999..9", "(253)98765999999929"),
        (
            "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
            "(8010)061414111111111111111-A#/(8011)1234",
        ),
        (
            "urn:epc:id:sgcn:4012345.67890.04711",
            "(255)401234567890104711",
        ),
        ("urn:epc:id:ginc:0614141.xyz47%2F11", "(401)0614141xyz47/11"),
        (
            "urn:epc:id:gsin:4012345.222333444",
            "(402)40123452223334442",
        ),
        (
            "urn:epc:id:itip:4012345.011111.01.02.987",
            "(8006)040123451111180102(21)987",
        ),
        (
            "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
            "(01)01234567987651(235)51qIgY)<&Jp3*j7'SDB",
        ),
        ("urn:epc:id:pgln:4000001.00000", "(417)4000001000005"),
        ("urn:epc:id:pgln:999999999999.", "(417)9999999999994"),
        (
            "urn:epc:class:lgtin:4012345.012345.Lot987",
            "(01)04012345123456(10)Lot987",
        ),
        ("urn:epc:idpat:sgtin:4012345.044444.*", "(01)04012345444445"),
        ("urn:epc:idpat:upui:4012345.044444.*", "(01)04012345444445"),
        ("urn:epc:idpat:grai:4012345.00022.*", "(8003)04012345000221"),
        ("urn:epc:idpat:gdti:4012345.00009.*", "(253)4012345000092"),
        ("urn:epc:idpat:cpi:0614141.5PQ7%2F.*", "(8010)06141415PQ7/"),
        (
            "urn:epc:idpat:itip:4012345.011111.01.02.*",
            "(8006)040123451111180102",
        ),
    ];
    for (uri, expected) in cases {
        assert_eq!(hri(uri), expected, "{uri}");
    }
    let epc: EpcUri = "urn:epc:id:sgtin:415056789012.0.987654".parse().unwrap();
    assert_eq!(epc.company_prefix_len, 12);
    assert_eq!(epc.value("01"), Some("04150567890128"));
    assert_eq!(epc.value("21"), Some("987654"));
    assert_eq!(epc.value("10"), None);
}

#[test]
fn rejects_with_the_reason() {
    assert_eq!(
        detail("urn:uuid:1234"),
        "not an EPC URI (urn:epc:id:, urn:epc:idpat: or urn:epc:class:)"
    );
    assert_eq!(detail("urn:epc:id:sgtin"), "no ':' after the EPC scheme");
    assert_eq!(detail("urn:epc:id:xyz:1.2"), "unknown EPC scheme");
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.13435.X"),
        "the company prefix and the reference have the wrong number of digits"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:95060.0013435.X"),
        "the company prefix must be 6 to 12 digits"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.013435.A B"),
        "a character EPC URIs do not allow (or that must be percent-escaped)"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.013435.A%2"),
        "a '%' escape needs two hex digits"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.013435.A%20"),
        "a percent escape of a character this part may not hold"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.013435."),
        "a part is empty or too long"
    );
    assert_eq!(
        detail("urn:epc:id:sgtin:9506000.013435.123456789012345678901"),
        "a part is empty or too long"
    );
    assert_eq!(
        detail("urn:epc:id:sscc:4012345.000000033"),
        "the company prefix and the reference have the wrong number of digits"
    );
    assert_eq!(detail("urn:epc:id:sgtin:9506000"), MISSING_DOT);
    assert_eq!(
        detail("urn:epc:idpat:sgtin:9506000.013435"),
        "a pattern must end in '.*'"
    );
    assert_eq!(
        detail("urn:epc:idpat:sscc:9506000.*"),
        "no pattern of this scheme is supported"
    );
    assert_eq!(
        detail("urn:epc:id:lgtin:9506000.013435.L1"),
        "this scheme does not exist in this form"
    );
    assert_eq!(
        detail("urn:epc:class:sgtin:9506000.013435.L1"),
        "this scheme does not exist in this form"
    );
    assert_eq!(
        detail("urn:epc:id:sgcn:4012345.67890.0471A"),
        "a numeric part has the wrong length or a non-digit"
    );
    assert_eq!(
        detail("urn:epc:id:cpi:0614141.ab.1"),
        "a character EPC URIs do not allow (or that must be percent-escaped)"
    );
}

#[test]
fn never_panics_on_odd_text() {
    for uri in [
        "urn:epc:id:sscc:",
        "urn:epc:id:sscc:.",
        "urn:epc:id:sgtin:..",
        "urn:epc:id:cpi:0614141.1",
        "urn:epc:id:itip:1.2.3.4.5",
        "urn:epc:id:sgtin:9506000.013435.%",
        "urn:epc:id:sgtin:9506000.013435.%é1",
        "urn:epc:idpat:itip:4012345.011111.*",
        "urn:epc:id:giai:4012345.",
    ] {
        assert!(uri.parse::<EpcUri>().is_err(), "{uri}");
    }
}

fn gtin() -> impl Strategy<Value = Gtin> {
    "[0-9]{13}".prop_map(|d| Gtin::from_digits_without_check(&d).unwrap())
}

fn serial() -> impl Strategy<Value = SerialNumber> {
    "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}".prop_map(|s| s.parse().unwrap())
}

proptest! {
    #[test]
    fn sgtin_uri_round_trips(gtin in gtin(), serial in serial(), gcp_len in 6u8..=12) {
        let sgtin = Sgtin { gtin, serial };
        let epc: EpcUri = sgtin.epc_uri(gcp_len).unwrap().parse().unwrap();
        prop_assert_eq!((epc.form, epc.scheme), (EpcUriForm::Id, EpcScheme::Sgtin));
        prop_assert_eq!(epc.company_prefix_len, gcp_len);
        prop_assert_eq!(epc.hri(), sgtin.hri());
        prop_assert_eq!(Sgtin::from_epc_uri(&sgtin.epc_uri(gcp_len).unwrap()).unwrap(), (sgtin, gcp_len));
    }

    #[test]
    fn sgtin_pattern_round_trips(gtin in gtin(), gcp_len in 6u8..=12) {
        let epc: EpcUri = gtin.sgtin_epc_pattern(gcp_len).unwrap().parse().unwrap();
        prop_assert_eq!(epc.form, EpcUriForm::IdPattern);
        prop_assert_eq!(epc.company_prefix_len, gcp_len);
        prop_assert_eq!(epc.value("01"), Some(gtin.as_str()));
    }

    #[test]
    fn sscc_uri_round_trips(prefix in "[0-9]{6,12}", extension in 0u8..=9, reference in 0u64..10_000) {
        let sscc = Sscc::new(&prefix, extension, reference).unwrap();
        let gcp_len = u8::try_from(prefix.len()).unwrap();
        let uri = sscc.epc_uri(gcp_len).unwrap();
        let epc: EpcUri = uri.parse().unwrap();
        prop_assert_eq!(epc.value("00"), Some(sscc.as_str()));
        prop_assert_eq!(Sscc::from_epc_uri(&uri).unwrap(), (sscc, gcp_len));
    }

    #[test]
    fn sgln_uri_round_trips(body in "[0-9]{12}", gcp_len in 6u8..=12, extension in "[0-9A-Za-z/]{1,20}") {
        let gln: Gln = with_check_digit(&body).unwrap().parse().unwrap();
        let epc: EpcUri = gln.sgln_epc_uri(gcp_len, Some(&extension)).unwrap().parse().unwrap();
        prop_assert_eq!(epc.value("414"), Some(gln.as_str()));
        let expected = (extension != "0").then_some(extension.as_str());
        prop_assert_eq!(epc.value("254"), expected);
    }

    #[test]
    fn arbitrary_text_never_panics(body in "[0-9.%A-Za-z/*é]{0,40}", scheme in "(sgtin|sscc|sgln|grai|giai|gsrn|gsrnp|gdti|cpi|sgcn|ginc|gsin|itip|upui|pgln|lgtin)", form in "(id|idpat|class)") {
        let _ = format!("urn:epc:{form}:{scheme}:{body}").parse::<EpcUri>();
    }
}
