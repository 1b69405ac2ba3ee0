//! A unit's history for the look-up: one entry per command that touched it, from its events
//! (what happened to the unit: put into a container, taken out, moved from one to another,
//! decommissioned, ...) and its audit records, each with when, who, where from and where to,
//! and the supervisor's signature (signer and meaning as recorded).
//!
//! A move is one command with two events (DELETE from the old parent, ADD to the new one): it
//! is one entry here, `from` → `to`.

use super::events::stored_event;
use crate::domain::UnitView;
use crate::epcis::{Action, EventKind};
use crate::gs1::{Sgtin, Sscc};
use crate::store::{self, Conn, StoreError};
use serde_json::{Value, json};

/// The unit key of an EPC URI (an SSCC or SGTIN), or the URI itself when it is neither.
pub fn key_of_epc(epc: &str) -> String {
    if let Ok((sscc, _)) = Sscc::from_epc_uri(epc) {
        return sscc.unit_key();
    }
    if let Ok((sgtin, _)) = Sgtin::from_epc_uri(epc) {
        return sgtin.unit_key();
    }
    epc.to_owned()
}

/// The history entries of `unit`, oldest first (JSON objects: `time_ms`, `source` = `event` or
/// `audit`, `command`, `user`, `from`, `to`, `action`, `biz_step`, `disposition`, `count` for a
/// container's own aggregation, `signer`, `meaning`, `signature`, `reason`).
pub fn unit_history(conn: &Conn, unit: &UnitView) -> Result<Vec<Value>, StoreError> {
    let mut entries: Vec<(i64, Value)> = Vec::new();
    // The command of the last event entry, and its index, to fold a move's ADD into its DELETE.
    let mut last_event: Option<(i64, usize)> = None;
    for e in store::epc_history(conn, &unit.epc)? {
        let ev = stored_event(&e.body);
        let action = ev
            .as_ref()
            .map(|e| format!("{:?}", e.action).to_uppercase());
        let parent = ev.as_ref().and_then(|e| e.parent_id.clone());
        let aggregation = ev
            .as_ref()
            .is_some_and(|e| e.kind == EventKind::Aggregation);
        let as_child = aggregation && parent.as_deref().is_some_and(|p| p != unit.epc);
        let (from, to) = match (as_child, ev.as_ref().map(|e| e.action)) {
            (true, Some(Action::Delete)) => (parent.as_deref().map(key_of_epc), None),
            (true, Some(Action::Add)) => (None, parent.as_deref().map(key_of_epc)),
            _ => (None, None),
        };
        // A move: this ADD belongs to the DELETE just before it in the same command.
        if let (Some(to), Some((command_id, index))) = (&to, last_event)
            && command_id == e.command_id
            && let Some((_, prev)) = entries.get_mut(index)
            && prev["to"].is_null()
            && !prev["from"].is_null()
        {
            prev["to"] = json!(to);
            continue;
        }
        let count = (aggregation && !as_child)
            .then(|| ev.as_ref().map(|e| e.epcs.len()))
            .flatten();
        entries.push((
            e.time_ms,
            json!({
                "time_ms": e.time_ms,
                "source": "event",
                "command": e.command,
                "user": e.username,
                "from": from,
                "to": to,
                "count": count,
                "signer": e.signer,
                "meaning": e.meaning,
                "signature": e.signature,
                "event_type": ev.as_ref().map(|e| format!("{:?}", e.kind)),
                "action": action,
                "biz_step": ev.as_ref().and_then(|e| e.biz_step.clone()),
                "disposition": ev.as_ref().and_then(|e| e.disposition.clone()),
                "parent": parent,
                "error_declaration": e.correction,
            }),
        ));
        last_event = Some((e.command_id, entries.len() - 1));
    }
    for a in store::target_history(conn, &unit.key)? {
        entries.push((
            a.time_ms,
            json!({
                "time_ms": a.time_ms,
                "source": "audit",
                "user": a.username,
                "command": a.action,
                "reason": a.reason,
                "signer": a.signer,
                "meaning": a.meaning,
                "signature": a.signature,
            }),
        ));
    }
    entries.sort_by_key(|(t, _)| *t);
    Ok(entries.into_iter().map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epc_uris_become_unit_keys() {
        let sscc = Sscc::new("9506000", 0, 1).unwrap();
        let uri = sscc.epc_uri(7).unwrap();
        assert_eq!(key_of_epc(&uri), sscc.unit_key());
        assert_eq!(key_of_epc("urn:x:other"), "urn:x:other");
    }
}
