//! Turning station actions into EPCIS 2.0 events (`docs/architecture.md` §8 table).

use crate::epcis::{
    Action, BizTransaction, ErrorDeclaration, Event, EventKind, Extension, PersistentDisposition,
    document_jsonld, event_hash_id, events_from_jsonld,
};

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
    /// An earlier event re-sent with an error declaration (undo).
    Correction(Box<Event>),
}

/// A finished event: its hash, its JSON-LD document, the EPCs it names.
pub(crate) struct FinishedEvent {
    pub hash_id: String,
    pub body: String,
    pub epcs: Vec<String>,
    pub correction: bool,
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

    /// Builds the final event at `time_ms`.
    pub(crate) fn finish(
        &self,
        ctx: &EventContext,
        time_ms: i64,
        reason: Option<&str>,
        signature: Option<&str>,
    ) -> FinishedEvent {
        let (mut event, correction) = match self {
            Self::Correction(original) => {
                let mut e = (**original).clone();
                e.error_declaration = Some(ErrorDeclaration {
                    declaration_time_ms: time_ms,
                    declaration_time_zone: Some(ctx.tz_offset.clone()),
                    reason: Some("did_not_occur".to_owned()),
                    corrective_event_ids: Vec::new(),
                });
                (e, true)
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
                if *with_reason {
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
                (e, false)
            }
        };
        let hash_id = match (&event.event_id, correction) {
            (Some(id), true) => id.clone(),
            _ => event_hash_id(&event),
        };
        event.event_id = Some(hash_id.clone());
        let mut epcs: Vec<String> = event.parent_id.iter().cloned().collect();
        epcs.extend(event.epcs.iter().cloned());
        FinishedEvent {
            body: document_jsonld(std::slice::from_ref(&event), time_ms),
            hash_id,
            epcs,
            correction,
        }
    }
}

/// Reads a stored event body back.
pub(crate) fn stored_event(body: &str) -> Option<Event> {
    events_from_jsonld(body).ok()?.into_iter().next()
}
