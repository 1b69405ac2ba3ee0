//! Turning station actions into EPCIS 2.0 events (`docs/architecture.md` §8 table).

use crate::epcis::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PersistentDisposition,
    document_jsonld, event_hash_id, events_from_jsonld,
};
use crate::store::EventRole;

/// The packbench EPCIS extension namespace.
pub const PB_NAMESPACE: &str = crate::epcis::PACKBENCH_NAMESPACE;

/// Station-wide values every event carries.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventContext {
    /// SGLN of the station (readPoint).
    pub read_point: Option<String>,
    /// SGLN of the site (bizLocation).
    pub biz_location: Option<String>,
    /// e.g. `+00:00`.
    pub tz_offset: String,
    /// The selected work order id.
    pub work_order: Option<String>,
    /// URI of the work order as a `prodorder` business transaction.
    pub work_order_uri: Option<String>,
    /// The audit trail's head (`seq:hash`) when the command commits, carried by its new
    /// events as `pb:auditAnchor` so the repository keeps it (issue 16); set by `Cmd::commit`.
    pub audit_anchor: Option<String>,
}

/// An event waiting for its time and hash.
#[derive(Debug, Clone)]
pub(crate) enum PendingEvent {
    /// A new event.
    New {
        kind: EventKind,
        action: Action,
        parent: Option<String>,
        epcs: Vec<String>,
        biz_step: &'static str,
        disposition: Option<&'static str>,
        persistent_set: Vec<&'static str>,
        /// Persistent dispositions this event unsets.
        persistent_unset: Vec<&'static str>,
        /// Further `pb:` extension fields (name, value), e.g. the findings of a contents check.
        fields: Vec<(&'static str, String)>,
        /// Carry the command's reason and signature in `pb:` extension fields.
        with_reason: bool,
    },
    /// An undone event re-sent unchanged (same eventID) with an error declaration
    /// (`did_not_occur`). `corrected_by`: the positions, in the same command, of the
    /// compensating events that reverse it (its `correctiveEventIDs`).
    Correction {
        original: Box<Event>,
        corrected_by: Vec<usize>,
    },
    /// The event that reverses an undone one (see [`compensation`]): a new event with its own
    /// time and hash ID, carrying the undo's reason and signature.
    Compensation(Box<Event>),
}

/// A finished event: its hash, its JSON-LD document, the EPCs it names.
pub(crate) struct FinishedEvent {
    pub hash_id: String,
    pub body: String,
    pub epcs: Vec<String>,
    pub role: EventRole,
}

impl PendingEvent {
    /// ObjectEvent.
    pub(crate) fn object(
        action: Action,
        epcs: Vec<String>,
        biz_step: &'static str,
        disposition: Option<&'static str>,
    ) -> Self {
        Self::New {
            kind: EventKind::Object,
            action,
            parent: None,
            epcs,
            biz_step,
            disposition,
            persistent_set: Vec::new(),
            persistent_unset: Vec::new(),
            fields: Vec::new(),
            with_reason: false,
        }
    }

    /// AggregationEvent.
    pub(crate) fn aggregation(
        action: Action,
        parent: &str,
        children: Vec<String>,
        biz_step: &'static str,
        disposition: Option<&'static str>,
    ) -> Self {
        Self::New {
            kind: EventKind::Aggregation,
            action,
            parent: Some(parent.to_owned()),
            epcs: children,
            biz_step,
            disposition,
            persistent_set: Vec::new(),
            persistent_unset: Vec::new(),
            fields: Vec::new(),
            with_reason: false,
        }
    }

    /// The completeness check of a container.
    pub(crate) fn completeness(container_epc: &str) -> Self {
        Self::New {
            kind: EventKind::Object,
            action: Action::Observe,
            parent: None,
            epcs: vec![container_epc.to_owned()],
            biz_step: "inspecting",
            disposition: None,
            persistent_set: vec!["completeness_verified"],
            persistent_unset: Vec::new(),
            fields: Vec::new(),
            with_reason: false,
        }
    }

    /// An inspection of a container (ObjectEvent OBSERVE, bizStep `inspecting`) that sets and
    /// unsets persistent dispositions and carries `pb:` fields (a contents check, §8).
    pub(crate) fn inspection(
        container_epc: &str,
        set: Vec<&'static str>,
        unset: Vec<&'static str>,
        fields: Vec<(&'static str, String)>,
    ) -> Self {
        Self::New {
            kind: EventKind::Object,
            action: Action::Observe,
            parent: None,
            epcs: vec![container_epc.to_owned()],
            biz_step: "inspecting",
            disposition: None,
            persistent_set: set,
            persistent_unset: unset,
            fields,
            with_reason: false,
        }
    }

    /// Marks the event as carrying the command's reason and signature.
    pub(crate) fn with_reason(mut self) -> Self {
        if let Self::New { with_reason, .. } = &mut self {
            *with_reason = true;
        }
        self
    }

    /// Whether this is an error-declaration copy (finished after the events it names).
    pub(crate) fn is_correction(&self) -> bool {
        matches!(self, Self::Correction { .. })
    }

    /// Builds the final event at `time_ms`; `corrective_ids` are the hash IDs of the events a
    /// correction names as its `correctiveEventIDs` (ignored by the other kinds).
    pub(crate) fn finish(
        &self,
        ctx: &EventContext,
        time_ms: i64,
        reason: Option<&str>,
        signature: Option<&str>,
        corrective_ids: &[String],
    ) -> FinishedEvent {
        let (mut event, role) = match self {
            Self::Correction { original, .. } => {
                let mut e = (**original).clone();
                e.error_declaration = Some(ErrorDeclaration {
                    declaration_time_ms: time_ms,
                    declaration_time_zone: Some(ctx.tz_offset.clone()),
                    reason: Some("did_not_occur".to_owned()),
                    corrective_event_ids: corrective_ids.to_vec(),
                });
                (e, EventRole::Correction)
            }
            Self::Compensation(template) => {
                let mut e = (**template).clone();
                e.event_time_ms = time_ms;
                e.event_time_zone_offset.clone_from(&ctx.tz_offset);
                e.event_id = None;
                e.read_point.clone_from(&ctx.read_point);
                e.biz_location.clone_from(&ctx.biz_location);
                e.error_declaration = None;
                e.extensions = reason_extensions(reason, signature);
                e.extensions.extend(anchor_extension(ctx));
                (e, EventRole::Compensation)
            }
            Self::New {
                kind,
                action,
                parent,
                epcs,
                biz_step,
                disposition,
                persistent_set,
                persistent_unset,
                fields,
                with_reason,
            } => {
                let mut extensions = Vec::new();
                for (name, value) in fields {
                    extensions.push(Extension {
                        namespace_uri: PB_NAMESPACE.to_owned(),
                        prefix: "pb".to_owned(),
                        name: (*name).to_owned(),
                        value: value.clone(),
                    });
                }
                extensions.extend(anchor_extension(ctx));
                if *with_reason {
                    extensions.extend(reason_extensions(reason, signature));
                }
                let e = Event {
                    kind: *kind,
                    event_time_ms: time_ms,
                    event_time_zone_offset: ctx.tz_offset.clone(),
                    event_id: None,
                    action: *action,
                    parent_id: parent.clone(),
                    epcs: epcs.clone(),
                    biz_step: Some((*biz_step).to_owned()),
                    disposition: disposition.map(str::to_owned),
                    persistent_disposition: (!persistent_set.is_empty()
                        || !persistent_unset.is_empty())
                    .then(|| PersistentDisposition {
                        set: persistent_set.iter().map(|s| (*s).to_owned()).collect(),
                        unset: persistent_unset.iter().map(|s| (*s).to_owned()).collect(),
                    }),
                    read_point: ctx.read_point.clone(),
                    biz_location: ctx.biz_location.clone(),
                    biz_transactions: ctx
                        .work_order_uri
                        .iter()
                        .map(|id| BizTransaction {
                            kind: "prodorder".to_owned(),
                            id: id.clone(),
                        })
                        .collect(),
                    error_declaration: None,
                    extensions,
                };
                (e, EventRole::Event)
            }
        };
        let hash_id = match (&event.event_id, role) {
            (Some(id), EventRole::Correction) => id.clone(),
            _ => event_hash_id(&event),
        };
        event.event_id = Some(hash_id.clone());
        let mut epcs: Vec<String> = event.parent_id.iter().cloned().collect();
        epcs.extend(event.epcs.iter().cloned());
        FinishedEvent {
            body: document_jsonld(std::slice::from_ref(&event), time_ms),
            hash_id,
            epcs,
            role,
        }
    }
}

/// The `pb:reason` and `pb:signature` extension fields.
/// `pb:auditAnchor`: the audit trail's head when the event was recorded.
fn anchor_extension(ctx: &EventContext) -> Option<Extension> {
    ctx.audit_anchor.as_ref().map(|head| Extension {
        namespace_uri: PB_NAMESPACE.to_owned(),
        prefix: "pb".to_owned(),
        name: AUDIT_ANCHOR_FIELD.to_owned(),
        value: head.clone(),
    })
}

/// The extension field (in [`PB_NAMESPACE`]) that carries the audit trail's head.
pub const AUDIT_ANCHOR_FIELD: &str = "auditAnchor";

fn reason_extensions(reason: Option<&str>, signature: Option<&str>) -> Vec<Extension> {
    let mut extensions = Vec::new();
    for (name, value) in [("reason", reason), ("signature", signature)] {
        if let Some(value) = value {
            extensions.push(Extension {
                namespace_uri: PB_NAMESPACE.to_owned(),
                prefix: "pb".to_owned(),
                name: name.to_owned(),
                value: value.to_owned(),
            });
        }
    }
    extensions
}

/// Why an undone event has no compensating event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoCompensation {
    /// An ObjectEvent DELETE retired the units: no event brings a retired identifier back in a
    /// repository that applies every event as it comes (QU4RTET keeps a decommissioned entry
    /// decommissioned). Only an error declaration voids it.
    Retirement,
    /// Nothing to reverse: an OBSERVE that only recorded a disposition, or an "unpack all"
    /// that found nothing published.
    Nothing,
}

/// The event that reverses `undone` in a repository that applies every event as it comes
/// (`docs/sync.md`, Corrections): AggregationEvent ADD → DELETE of the same children
/// (`unpacking`); DELETE of named children → ADD them back (`packing`, `in_progress`); DELETE
/// without children ("unpack all") → ADD back `published_before(parent)`, the children that
/// were published in it before; ObjectEvent ADD (commissioning) → DELETE (`decommissioning`,
/// `inactive`); ObjectEvent OBSERVE that set persistent dispositions → OBSERVE that unsets
/// them. The template keeps the undone event's business transactions; time, read point,
/// business location, reason and hash are the undo's (`PendingEvent::finish`).
pub(crate) fn compensation(
    undone: &Event,
    published_before: impl Fn(&str) -> Vec<String>,
) -> Result<PendingEvent, NoCompensation> {
    let mut e = Event::new(
        undone.kind,
        undone.action,
        undone.event_time_ms,
        &undone.event_time_zone_offset,
    );
    e.parent_id.clone_from(&undone.parent_id);
    e.biz_transactions.clone_from(&undone.biz_transactions);
    let step = |s: &str| Some(s.to_owned());
    match (undone.kind, undone.action) {
        (EventKind::Aggregation, Action::Add) => {
            e.action = Action::Delete;
            e.epcs.clone_from(&undone.epcs);
            e.biz_step = step("unpacking");
        }
        (EventKind::Aggregation, Action::Delete) => {
            e.action = Action::Add;
            e.epcs = if undone.epcs.is_empty() {
                undone
                    .parent_id
                    .as_deref()
                    .map(&published_before)
                    .unwrap_or_default()
            } else {
                undone.epcs.clone()
            };
            if e.epcs.is_empty() {
                return Err(NoCompensation::Nothing);
            }
            e.biz_step = step("packing");
            e.disposition = step("in_progress");
        }
        (EventKind::Object, Action::Add) => {
            e.action = Action::Delete;
            e.epcs.clone_from(&undone.epcs);
            e.biz_step = step("decommissioning");
            e.disposition = step("inactive");
        }
        (EventKind::Object, Action::Delete) => return Err(NoCompensation::Retirement),
        (EventKind::Object, Action::Observe) => {
            let set = undone
                .persistent_disposition
                .as_ref()
                .map(|pd| pd.set.clone())
                .unwrap_or_default();
            if set.is_empty() {
                return Err(NoCompensation::Nothing);
            }
            e.epcs.clone_from(&undone.epcs);
            e.biz_step.clone_from(&undone.biz_step);
            e.persistent_disposition = Some(PersistentDisposition {
                set: Vec::new(),
                unset: set,
            });
        }
        // The station writes no aggregation OBSERVE; observing again changes nothing.
        (EventKind::Aggregation, Action::Observe) => return Err(NoCompensation::Nothing),
    }
    Ok(PendingEvent::Compensation(Box::new(e)))
}

/// Reads a stored event body back.
pub(crate) fn stored_event(body: &str) -> Option<Event> {
    events_from_jsonld(body).ok()?.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "urn:epc:id:sscc:9506000.0000000017";
    const A: &str = "urn:epc:id:sgtin:9506000.013435.A1";
    const B: &str = "urn:epc:id:sgtin:9506000.013435.B2";

    fn undone(kind: EventKind, action: Action, parent: Option<&str>, epcs: &[&str]) -> Event {
        let mut e = Event::new(kind, action, 1_000, "+00:00");
        e.parent_id = parent.map(str::to_owned);
        e.epcs = epcs.iter().map(|s| (*s).to_owned()).collect();
        e.biz_transactions = vec![BizTransaction {
            kind: "prodorder".into(),
            id: "urn:epcglobal:cbv:bt:09506000134352:WO-1".into(),
        }];
        e
    }

    fn finished(p: &PendingEvent) -> Event {
        let ctx = EventContext {
            tz_offset: "+01:00".into(),
            read_point: Some("urn:epc:id:sgln:9506000.00000.1".into()),
            ..EventContext::default()
        };
        let f = p.finish(&ctx, 5_000, Some("undo of close #7"), None, &[]);
        assert_eq!(f.role, EventRole::Compensation);
        let e = stored_event(&f.body).unwrap();
        assert_eq!(e.event_id.as_deref(), Some(f.hash_id.as_str()));
        e
    }

    fn nobody(_: &str) -> Vec<String> {
        Vec::new()
    }

    #[test]
    fn each_undone_event_has_its_inverse() {
        let add = undone(EventKind::Aggregation, Action::Add, Some(CASE), &[A, B]);
        let c = finished(&compensation(&add, nobody).unwrap());
        assert_eq!((c.kind, c.action), (EventKind::Aggregation, Action::Delete));
        assert_eq!(c.parent_id.as_deref(), Some(CASE));
        assert_eq!(c.epcs, add.epcs);
        assert_eq!(c.biz_step.as_deref(), Some("unpacking"));
        // Its own time, read point and reason; the undone event's work order.
        assert_eq!(
            (c.event_time_ms, c.event_time_zone_offset.as_str()),
            (5_000, "+01:00")
        );
        assert_eq!(
            c.read_point.as_deref(),
            Some("urn:epc:id:sgln:9506000.00000.1")
        );
        assert_eq!(c.biz_transactions, add.biz_transactions);
        assert!(
            c.extensions
                .iter()
                .any(|x| x.name == "reason" && x.value == "undo of close #7")
        );

        let remove = undone(EventKind::Aggregation, Action::Delete, Some(CASE), &[A]);
        let c = finished(&compensation(&remove, nobody).unwrap());
        assert_eq!(
            (c.action, c.epcs.clone()),
            (Action::Add, vec![A.to_owned()])
        );
        assert_eq!(c.biz_step.as_deref(), Some("packing"));
        assert_eq!(c.disposition.as_deref(), Some("in_progress"));

        // "Unpack all" names no child: the ones published before are added back.
        let unpack = undone(EventKind::Aggregation, Action::Delete, Some(CASE), &[]);
        let before = |parent: &str| {
            assert_eq!(parent, CASE);
            vec![A.to_owned(), B.to_owned()]
        };
        let c = finished(&compensation(&unpack, before).unwrap());
        assert_eq!(c.epcs, vec![A.to_owned(), B.to_owned()]);
        assert_eq!(
            compensation(&unpack, nobody).unwrap_err(),
            NoCompensation::Nothing
        );

        let commission = undone(EventKind::Object, Action::Add, None, &[CASE]);
        let c = finished(&compensation(&commission, nobody).unwrap());
        assert_eq!((c.kind, c.action), (EventKind::Object, Action::Delete));
        assert_eq!(c.biz_step.as_deref(), Some("decommissioning"));
        assert_eq!(c.disposition.as_deref(), Some("inactive"));

        let mut verified = undone(EventKind::Object, Action::Observe, None, &[CASE]);
        verified.biz_step = Some("inspecting".into());
        verified.persistent_disposition = Some(PersistentDisposition {
            set: vec!["completeness_verified".into()],
            unset: Vec::new(),
        });
        let c = finished(&compensation(&verified, nobody).unwrap());
        let pd = c.persistent_disposition.unwrap();
        assert!(pd.set.is_empty());
        assert_eq!(pd.unset, vec!["completeness_verified".to_owned()]);

        let mut damaged = undone(EventKind::Object, Action::Observe, None, &[A]);
        damaged.disposition = Some("damaged".into());
        assert_eq!(
            compensation(&damaged, nobody).unwrap_err(),
            NoCompensation::Nothing
        );
        let retired = undone(EventKind::Object, Action::Delete, None, &[A]);
        assert_eq!(
            compensation(&retired, nobody).unwrap_err(),
            NoCompensation::Retirement
        );
    }

    #[test]
    fn a_correction_keeps_the_event_id_and_names_its_corrective_events() {
        let mut add = undone(EventKind::Aggregation, Action::Add, Some(CASE), &[A]);
        add.event_id = Some(event_hash_id(&add));
        let p = PendingEvent::Correction {
            original: Box::new(add.clone()),
            corrected_by: vec![1],
        };
        let ids = ["ni:///sha-256;0f?ver=CBV2.0".to_owned()];
        let f = p.finish(&EventContext::default(), 9_000, None, None, &ids);
        assert_eq!(f.role, EventRole::Correction);
        assert_eq!(Some(f.hash_id.as_str()), add.event_id.as_deref());
        let e = stored_event(&f.body).unwrap();
        let d = e.error_declaration.unwrap();
        assert_eq!(d.reason.as_deref(), Some("did_not_occur"));
        assert_eq!(d.corrective_event_ids, ids.to_vec());
        assert_eq!(e.event_time_ms, add.event_time_ms, "the original, re-sent");
    }
}
