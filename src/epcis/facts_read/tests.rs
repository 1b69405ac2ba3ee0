use super::*;
use crate::epcis::{
    Action, ErrorDeclaration, Event, EventKind, document_jsonld, document_xml, document_xml12,
    event_hash_id, replay,
};

const SSCC: &str = "urn:epc:id:sscc:0614141.1234567890";
const PACK: &str = "urn:epc:id:sgtin:0614141.107346.2017";
const T0: i64 = 1_714_557_600_000;

fn packing() -> Event {
    let mut e = Event::new(EventKind::Aggregation, Action::Add, T0, "+02:00");
    e.parent_id = Some(SSCC.into());
    e.epcs.push(PACK.into());
    e.biz_step = Some("packing".into());
    e.disposition = Some("in_progress".into());
    e.event_id = Some(event_hash_id(&e));
    e
}

fn declared(original: &Event) -> Event {
    let mut d = original.clone();
    d.error_declaration = Some(ErrorDeclaration {
        declaration_time_ms: T0 + 60_000,
        declaration_time_zone: None,
        reason: Some("did_not_occur".into()),
        corrective_event_ids: vec![],
    });
    d
}

/// A commissioning ObjectEvent with ILMD, in each syntax, written by hand.
fn commissioning_json(ilmd: &str) -> String {
    format!(
        r#"{{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
  "epcisBody": {{"eventList": [{{"type": "ObjectEvent",
"eventTime": "2024-05-01T10:00:00.000Z", "eventTimeZoneOffset": "+00:00",
"epcList": ["{PACK}"], "action": "ADD", "bizStep": "commissioning",
"disposition": "active", "ilmd": {ilmd}}}]}}}}"#
    )
}

fn xml_doc(namespace: &str, event: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="{namespace}" xmlns:cbvmda="urn:epcglobal:cbv:mda"
  schemaVersion="1.2" creationDate="2024-05-01T10:00:00Z">
  <EPCISBody><EventList>{event}</EventList></EPCISBody>
</epcis:EPCISDocument>"#
    )
}

#[test]
fn the_three_syntaxes_of_the_same_events_read_alike() {
    let events = vec![packing(), declared(&packing())];
    let json = facts_from_document(&document_jsonld(&events, T0)).unwrap();
    let xml20 = read_document(&document_xml(&events, T0), &[]).unwrap();
    let xml12 = read_document(&document_xml12(&events, T0), &[]).unwrap();
    assert_eq!(xml20.flavor, EpcisFlavor::Xml20);
    assert_eq!(xml12.flavor, EpcisFlavor::Xml12);
    assert_eq!(json, xml20.facts);
    assert_eq!(json, xml12.facts);
    assert_eq!(json[0].parent.as_deref(), Some(SSCC));
    assert_eq!(json[0].epcs, [PACK]);
    assert_eq!(json[0].biz_step.as_deref(), Some("packing"));
    assert_eq!(json[0].disposition.as_deref(), Some("in_progress"));
    let declaration = json[1].error_declaration.as_ref().unwrap();
    assert_eq!(declaration.reason.as_deref(), Some("did_not_occur"));
    assert_eq!(declaration.declaration_time_ms, T0 + 60_000);
    // The declaration voids the packing: the pack is named by nothing any more.
    assert!(replay(&json).units.is_empty());
}

#[test]
fn a_query_answer_is_read_like_a_document() {
    let doc = document_jsonld(&[packing()], T0);
    let mut value: Value = serde_json::from_str(&doc).unwrap();
    let list = value["epcisBody"]["eventList"].take();
    value["type"] = "EPCISQueryDocument".into();
    value["epcisBody"] = serde_json::json!({"queryResults": {
        "queryName": "SimpleEventQuery", "resultsBody": {"eventList": list}}});
    let facts = facts_from_jsonld(&value.to_string()).unwrap();
    assert_eq!(facts, facts_from_jsonld(&doc).unwrap());
}

#[test]
fn ilmd_lot_and_expiry_in_each_syntax() {
    let json = commissioning_json(
        r#"{"cbvmda:lotNumber": "LOT-7", "cbvmda:itemExpirationDate": "2027-12-31"}"#,
    );
    let facts = facts_from_document(&json).unwrap();
    assert_eq!(facts[0].lot.as_deref(), Some("LOT-7"));
    assert_eq!(facts[0].expiry.as_deref(), Some("271231"));
    let event20 = format!(
        "<ObjectEvent><eventTime>2024-05-01T10:00:00Z</eventTime>\
         <eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>{PACK}</epc></epcList>\
         <action>ADD</action><bizStep>https://ref.gs1.org/cbv/BizStep-commissioning</bizStep>\
         <ilmd><cbvmda:lotNumber>LOT-7</cbvmda:lotNumber>\
         <cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></ObjectEvent>"
    );
    let xml20 = facts_from_xml(&xml_doc("urn:epcglobal:epcis:xsd:2", &event20)).unwrap();
    assert_eq!(xml20[0].lot.as_deref(), Some("LOT-7"));
    assert_eq!(xml20[0].expiry.as_deref(), Some("271231"));
    let event12 = format!(
        "<ObjectEvent><eventTime>2024-05-01T10:00:00Z</eventTime>\
         <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>\
         <baseExtension><eventID>urn:uuid:6f6f6f6f-0000-4000-8000-000000000001</eventID></baseExtension>\
         <epcList><epc>{PACK}</epc></epcList>\
         <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\
         <extension><ilmd><cbvmda:lotNumber>LOT-7</cbvmda:lotNumber>\
         <cbvmda:itemExpirationDate>2027-12-31</cbvmda:itemExpirationDate></ilmd></extension>\
         </ObjectEvent>"
    );
    let xml12 = read_document(&xml_doc("urn:epcglobal:epcis:xsd:1", &event12), &[]).unwrap();
    assert_eq!(xml12.flavor, EpcisFlavor::Xml12);
    let f = &xml12.facts[0];
    assert_eq!(
        (f.lot.as_deref(), f.expiry.as_deref()),
        (Some("LOT-7"), Some("271231"))
    );
    assert_eq!(
        f.event_id.as_deref(),
        Some("urn:uuid:6f6f6f6f-0000-4000-8000-000000000001")
    );
    assert_eq!(f.biz_step.as_deref(), Some("commissioning"));
    for (ilmd, field) in [
        (
            r#"{"cbvmda:itemExpirationDate": "2027-02-30"}"#,
            "ilmd.cbvmda:itemExpirationDate",
        ),
        (r#"{"cbvmda:lotNumber": "L OT"}"#, "ilmd.cbvmda:lotNumber"),
    ] {
        let err = facts_from_document(&commissioning_json(ilmd)).unwrap_err();
        assert_eq!((err.event, err.field.as_str()), (Some(1), field), "{err}");
    }
}

#[test]
fn digital_links_become_epc_uris_when_the_company_prefix_is_known() {
    let sscc_dl = canonical_gs1_uri(SSCC).unwrap();
    let pack_dl = canonical_gs1_uri(PACK).unwrap();
    let mut e = packing();
    e.event_id = None;
    e.parent_id = Some(sscc_dl.clone());
    e.epcs = vec![pack_dl.replace("https://id.gs1.org", "https://example.com/dl")];
    let doc = document_jsonld(&[e], T0);
    let kept = facts_from_document(&doc).unwrap();
    assert_eq!(kept[0].parent.as_deref(), Some(sscc_dl.as_str()));
    assert_eq!(kept[0].epcs, [pack_dl.as_str()]);
    let class = doc.replace(&sscc_dl, &pack_dl.replace("/21/2017", ""));
    let err = facts_from_document(&class).unwrap_err();
    assert_eq!(
        (err.event, err.field.as_str()),
        (Some(1), "parentID"),
        "{err}"
    );
    let known = read_document(&doc, &["061414".into(), "0614141".into()]).unwrap();
    assert_eq!(known.facts[0].parent.as_deref(), Some(SSCC));
    assert_eq!(known.facts[0].epcs, [PACK]);
}

/// `doc` with the first occurrence of `from` replaced; the answer must name `field` of
/// event `n`.
fn refused(doc: &str, from: &str, to: &str, n: Option<usize>, field: &str) {
    assert!(doc.contains(from), "{from} not in the document");
    let bad = doc.replacen(from, to, 1);
    let err = facts_from_document(&bad).unwrap_err();
    assert_eq!((err.event, err.field.as_str()), (n, field), "{err}");
    assert!(err.to_string().contains(field), "{err}");
}

#[test]
fn every_fault_names_the_event_and_the_field() {
    let mut second = packing();
    second.event_time_ms += 1_000;
    second.event_id = None;
    second.disposition = Some("container_closed".into());
    let json = document_jsonld(&[packing(), second.clone()], T0);
    let xml = document_xml(&[packing(), second.clone()], T0);
    let xml12 = document_xml12(&[packing(), second], T0);
    refused(&json, "AggregationEvent", "PackingEvent", Some(1), "type");
    refused(&json, r#""type": "AggregationEvent","#, "", Some(1), "type");
    refused(
        &json,
        "12:00:00.000+02:00",
        "12:00:00",
        Some(1),
        "eventTime",
    );
    refused(
        &json,
        r#""eventTimeZoneOffset": "+02:00""#,
        r#""eventTimeZoneOffset": "+2""#,
        Some(1),
        "eventTimeZoneOffset",
    );
    refused(
        &json,
        r#""eventTimeZoneOffset": "+02:00""#,
        r#""eventTimeZoneOffset": "Z""#,
        Some(1),
        "eventTimeZoneOffset",
    );
    refused(&json, r#""action": "ADD","#, "", Some(1), "action");
    refused(
        &json,
        r#""parentID": "urn:epc:id:sscc:0614141.1234567890","#,
        "",
        Some(1),
        "parentID",
    );
    refused(
        &json,
        "sscc:0614141.1234567890",
        "sscc:0614141.123456789",
        Some(1),
        "parentID",
    );
    refused(
        &json,
        "urn:epc:id:sgtin:0614141.107346.2017",
        "urn:epc:idpat:sgtin:0614141.107346.*",
        Some(1),
        "childEPCs",
    );
    refused(
        &json,
        "urn:epc:id:sgtin:0614141.107346.2017",
        "urn:epc:id:sgtin:0614141.10734.2017",
        Some(1),
        "childEPCs",
    );
    refused(
        &json,
        "urn:epc:id:sgtin:0614141.107346.2017",
        "pack 2017",
        Some(1),
        "childEPCs",
    );
    refused(
        &json,
        r#""bizStep": "packing""#,
        r#""bizStep": "packed""#,
        Some(1),
        "bizStep",
    );
    refused(
        &json,
        r#""disposition": "in_progress""#,
        r#""disposition": "https://ref.gs1.org/cbv/Disp-busy""#,
        Some(1),
        "disposition",
    );
    refused(
        &json,
        r#""childEPCs": ["#,
        r#""childEPCs": 7, "x": ["#,
        Some(1),
        "childEPCs",
    );
    // The second event (no eventID of its own) is named by its index.
    refused(
        &json,
        "\"container_closed\"",
        "\"closed\"",
        Some(2),
        "disposition",
    );
    refused(
        &xml,
        "<action>ADD</action>",
        "<action>ADDED</action>",
        Some(1),
        "action",
    );
    refused(
        &xml,
        "<eventTimeZoneOffset>+02:00</eventTimeZoneOffset>",
        "",
        Some(1),
        "eventTimeZoneOffset",
    );
    refused(
        &xml,
        "BizStep-packing",
        "BizStep-packink",
        Some(1),
        "bizStep",
    );
    refused(
        &xml12,
        "urn:epcglobal:cbv:disp:in_progress",
        "urn:epcglobal:cbv:disp:in progress",
        Some(1),
        "disposition",
    );
    refused(
        &xml12,
        "<action>ADD</action>",
        "<action>ADD</action><action>ADD</action>",
        Some(1),
        "action",
    );
    refused(&json, "{", "[", None, "document");
    refused(
        &xml,
        "urn:epcglobal:epcis:xsd:2",
        "urn:example:other",
        None,
        "document",
    );
    refused(
        &json,
        r#""type": "EPCISDocument""#,
        r#""type": "Document""#,
        None,
        "type",
    );
}

#[test]
fn a_malformed_error_declaration_is_refused() {
    let doc = document_jsonld(&[packing(), declared(&packing())], T0);
    let time = "\"declarationTime\": \"2024-05-01T10:01:00.000Z\"";
    refused(
        &doc,
        time,
        "\"declarationTime\": \"yesterday\"",
        Some(2),
        "errorDeclaration.declarationTime",
    );
    refused(
        &doc,
        time,
        "\"x\": 1",
        Some(2),
        "errorDeclaration.declarationTime",
    );
    refused(
        &doc,
        "\"reason\": \"did_not_occur\"",
        "\"reason\": \"oops\"",
        Some(2),
        "errorDeclaration.reason",
    );
    refused(
        &doc,
        "\"reason\": \"did_not_occur\"",
        "\"reason\": \"did_not_occur\", \"correctiveEventIDs\": [\"not a uri\"]",
        Some(2),
        "errorDeclaration.correctiveEventIDs",
    );
    let mut anonymous = declared(&packing());
    anonymous.event_id = None;
    let err = facts_from_document(&document_jsonld(&[anonymous], T0)).unwrap_err();
    assert_eq!(
        (err.event, err.field.as_str()),
        (Some(1), "eventID"),
        "{err}"
    );
}

#[test]
fn a_hash_id_must_be_the_events_own() {
    let good = packing();
    let mut forged = packing();
    forged.epcs = vec!["urn:epc:id:sgtin:0614141.107346.2018".into()];
    // forged keeps the hash ID of `good`, which named another pack.
    for doc in [
        document_jsonld(&[good.clone(), forged.clone()], T0),
        document_xml(&[good.clone(), forged.clone()], T0),
        document_xml12(&[good.clone(), forged.clone()], T0),
    ] {
        let err = facts_from_document(&doc).unwrap_err();
        assert_eq!(
            (err.event, err.field.as_str()),
            (Some(2), "eventID"),
            "{err}"
        );
        assert!(err.message.contains("does not match"), "{err}");
    }
    // Upper-case hex is the same ID.
    let mut upper = good.clone();
    let id = upper.event_id.take().unwrap();
    let (head, hex) = id.split_once(';').unwrap();
    upper.event_id = Some(format!(
        "{head};{}",
        hex.replace("?ver=CBV2.0", "").to_uppercase() + "?ver=CBV2.0"
    ));
    facts_from_document(&document_jsonld(&[upper], T0)).unwrap();
}

#[test]
fn transformation_events_have_no_action_and_list_inputs_and_outputs() {
    let doc = r#"{"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T10:00:00Z",
  "epcisBody": {"eventList": [{"type": "TransformationEvent",
"eventTime": "2024-05-01T10:00:00.000Z", "eventTimeZoneOffset": "+00:00",
"inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
"outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"]}]}}"#;
    let facts = facts_from_document(doc).unwrap();
    assert_eq!(facts[0].action, None);
    assert_eq!(facts[0].epcs.len(), 2);
    refused(
        doc,
        "\"outputEPCList\"",
        "\"action\": \"ADD\", \"outputEPCList\"",
        Some(1),
        "action",
    );
}

#[test]
fn expiry_dates() {
    assert_eq!(yymmdd("2027-12-31").as_deref(), Some("271231"));
    assert_eq!(yymmdd("2028-02-29+01:00").as_deref(), Some("280229"));
    assert_eq!(yymmdd("2027-02-29"), None);
    assert_eq!(yymmdd("27-12-31"), None);
    assert_eq!(yymmdd("2027-12-3x"), None);
    assert_eq!(yymmdd("2027-12-31T00"), None);
}
