use super::qu4rtet_read::{in_applied_order, stored_events};
use super::*;
use crate::epcis::{FactStatus, replay};

const CASE: &str = "urn:epc:id:sscc:9506000.0000000017";
const P1: &str = "urn:epc:id:sgtin:9506000.013435.ZZ1";
const P2: &str = "urn:epc:id:sgtin:9506000.013435.ZZ2";

/// An `events-by-entry-id` answer as QU4RTET writes it (shape taken from a live QU4RTET).
fn answer() -> serde_json::Value {
    serde_json::json!({"events": [
        {"objectEvent": {"id": "a1", "eventID": "urn:uuid:c", "eventTime": "2026-01-01T00:00:00+00:00",
            "recordTime": "2026-03-01T10:00:00.100000+00:00", "errorDeclaration": null, "action": "ADD",
            "disposition": "urn:epcglobal:cbv:disp:active", "bizStep": "urn:epcglobal:cbv:bizstep:commissioning",
            "epcList": [P1, P2], "ilmd": {"lotNumber": "LOTZ", "itemExpirationDate": "2027-12-31"}}},
        {"aggregationEvent": {"id": "a2", "eventID": "urn:uuid:a", "eventTime": "2026-01-01T00:00:02+00:00",
            "recordTime": "2026-03-01T10:00:00.200000+00:00", "errorDeclaration": null, "action": "ADD",
            "disposition": "urn:epcglobal:cbv:disp:in_progress", "bizStep": "urn:epcglobal:cbv:bizstep:packing",
            "parentID": CASE, "childEPCs": [P1, P2]}},
        {"aggregationEvent": {"id": "a3", "eventID": "urn:uuid:d", "eventTime": "2026-01-01T00:00:03.123000+00:00",
            "recordTime": "2026-03-01T10:00:01.000000+00:00", "errorDeclaration": null, "action": "DELETE",
            "disposition": null, "bizStep": "urn:epcglobal:cbv:bizstep:unpacking",
            "parentID": CASE, "childEPCs": []}},
        // The station's undo of the ADD, received after the unpack: QU4RTET re-applied it.
        {"aggregationEvent": {"id": "a4", "eventID": "urn:uuid:a", "eventTime": "2026-01-01T00:00:02+00:00",
            "recordTime": "2026-03-01T10:00:02.000000+00:00",
            "errorDeclaration": {"declarationTime": "2026-03-01T10:00:02+00:00",
                "reason": "urn:epcglobal:cbv:er:did_not_occur", "correctiveEventIDs": []},
            "action": "ADD", "disposition": "urn:epcglobal:cbv:disp:in_progress",
            "bizStep": "urn:epcglobal:cbv:bizstep:packing", "parentID": CASE, "childEPCs": [P1]}}
    ]})
}

#[test]
fn qu4rtet_answer_becomes_facts() {
    let stored = stored_events(&answer()).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(stored.len(), 4);
    let c = &stored[0].facts;
    assert_eq!(
        (c.kind, c.action),
        (FactKind::Object, Some(FactAction::Add))
    );
    assert_eq!(c.biz_step.as_deref(), Some("commissioning"));
    assert_eq!(c.lot.as_deref(), Some("LOTZ"));
    assert_eq!(c.expiry.as_deref(), Some("271231"));
    assert_eq!(c.event_time_ms, 1_767_225_600_000);
    let d = &stored[2].facts;
    assert_eq!(d.event_time_ms, 1_767_225_603_123);
    assert_eq!(d.parent.as_deref(), Some(CASE));
    assert!(d.epcs.is_empty() && d.disposition.is_none());
    assert!(stored[3].declared_copy && stored[3].facts.error_declaration.is_none());
    assert!(!stored[1].declared_copy);
}

#[test]
fn a_declared_copy_replays_where_qu4rtet_applied_it() {
    let stored = stored_events(&answer()).unwrap_or_else(|e| unreachable!("{e}"));
    // Whatever order the answers came in, QU4RTET's recording order decides.
    let mut shuffled = stored.clone();
    shuffled.reverse();
    let facts = in_applied_order(shuffled);
    let h = replay(&facts);
    // QU4RTET: unpacked at 3.123 s, then the copy put P1 back (its entry says so too).
    assert_eq!(h.units[P1].parent.as_deref(), Some(CASE));
    assert_eq!(h.units[P2].parent, None);
    assert_eq!(h.units[P1].status, FactStatus::Active);
    assert_eq!(h.declared_erroneous, 0);
    // Without the copy the unpack wins.
    let h = replay(&in_applied_order(stored[..3].to_vec()));
    assert_eq!(h.units[P1].parent, None);
}

#[test]
fn unreadable_qu4rtet_answers_are_refused() {
    assert!(stored_events(&serde_json::json!({"results": []})).is_err());
    let bad_time = serde_json::json!({"events": [{"objectEvent": {"id": "x",
        "eventTime": "yesterday", "action": "ADD", "epcList": []}}]});
    assert!(stored_events(&bad_time).is_err());
    let no_action = serde_json::json!({"events": [{"aggregationEvent": {"id": "x",
        "eventTime": "2026-01-01T00:00:00+00:00", "parentID": CASE, "childEPCs": []}}]});
    assert!(stored_events(&no_action).is_err());
    let unknown = serde_json::json!({"events": [{"quantityEvent": {"id": "x"}}]});
    assert!(stored_events(&unknown).is_err());
}

#[test]
fn children_and_parents_from_aggregations() {
    let facts: Vec<EventFacts> = stored_events(&answer())
        .unwrap_or_else(|e| unreachable!("{e}"))
        .into_iter()
        .map(|s| s.facts)
        .collect();
    assert_eq!(children_of(&facts, &HashSet::from([CASE])), [P1, P2]);
    assert!(children_of(&facts, &HashSet::from([P1])).is_empty());
    assert_eq!(parents_of(&facts, P1), [CASE]);
    assert!(parents_of(&facts, CASE).is_empty());
}

#[test]
fn list_chunks_keep_urls_short() {
    let epcs: Vec<String> = (0..1_000)
        .map(|i| format!("urn:epc:id:sgtin:9506000.013435.S{i:06}"))
        .collect();
    let n = list_chunk(&epcs);
    assert!(n > 10 && n < 1_000, "{n}");
    let one = epcs[0].len() + 2 * epcs[0].matches(':').count() + 3;
    assert!(n * one <= MAX_LIST_CHARS && (n + 1) * one > MAX_LIST_CHARS);
    assert_eq!(list_chunk(&epcs[..3]), 3);
    let huge = vec!["x".repeat(10_000), "y".to_owned()];
    assert_eq!(list_chunk(&huge), 1, "one value always goes");
}

#[test]
fn no_credential_in_descriptions_or_errors() {
    let mut c = RepositoryConfig::new(
        RepositoryKind::Epcis20,
        "https://bench:pw-in-url@repo.test/api",
        Auth::Bearer {
            token: "tok-s3cret".into(),
        },
    );
    assert_eq!(public_url(&c.url), "https://repo.test/api");
    assert_eq!(public_url("http://h:1/x@y"), "http://h:1/x@y");
    let r = Redactor::new(&c);
    let e = r.error(&SyncError::Server {
        url: c.url.clone(),
        status: 401,
        message: "bad token tok-s3cret".into(),
    });
    let text = e.to_string();
    assert!(matches!(e, LinkError::Unreachable(_)), "{e:?}");
    assert!(
        !text.contains("s3cret") && !text.contains("pw-in-url"),
        "{text}"
    );
    assert!(text.contains("refused the credentials"), "{text}");
    c.auth = Auth::Basic {
        user: "ws".into(),
        password: "hunter2".into(),
    };
    let r = Redactor::new(&c);
    let basic = c.auth.header_value().unwrap_or_default();
    let cleaned = r.clean(&format!("{basic} hunter2"));
    assert!(
        !cleaned.contains("hunter2") && !cleaned.contains(&basic[6..]),
        "{cleaned}"
    );
    assert!(format!("{r:?}").starts_with("Redactor("));
    assert!(matches!(
        r.error(&SyncError::Server {
            url: String::new(),
            status: 503,
            message: String::new()
        }),
        LinkError::Unreachable(_)
    ));
    assert!(matches!(
        r.error(&SyncError::Server {
            url: String::new(),
            status: 400,
            message: String::new()
        }),
        LinkError::BadAnswer(_)
    ));
    assert!(matches!(
        r.error(&SyncError::Protocol {
            url: String::new(),
            detail: String::new()
        }),
        LinkError::BadAnswer(_)
    ));
}

#[test]
fn configured_links_and_none() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    assert!(matches!(repository_link(dir.path()), Ok(None)));
    let c = RepositoryConfig::new(RepositoryKind::Qu4rtet, "http://127.0.0.1:9", Auth::None);
    c.save(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
    let link = repository_link(dir.path())
        .unwrap_or_else(|e| unreachable!("{e}"))
        .unwrap_or_else(|| unreachable!("configured"));
    assert_eq!(link.describe(), "QU4RTET (EPCIS 1.2) at http://127.0.0.1:9");
    assert!(!link.honours_error_declarations());
    std::fs::write(
        dir.path().join(CREDENTIALS_FILE),
        r#"{"scheme":"bearer","token":918273645}"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let err = repository_link(dir.path())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("not valid credentials") && !err.contains("918273645"),
        "{err}"
    );
    let c = RepositoryConfig::new(RepositoryKind::Epcis20, "http://127.0.0.1:9", Auth::None);
    let link = link_for(&c).unwrap_or_else(|e| unreachable!("{e}"));
    assert!(link.honours_error_declarations());
    assert!(link.describe().starts_with("EPCIS 2.0 REST at"));
}
