//! One command's transaction: state changes (kept for undo and audit), EPCIS events, outbox row,
//! signature and audit record, all committed together.

use super::events::{EventContext, PendingEvent};
use crate::auth::{AuditEntry, User, append_audit};
use crate::domain::{ContainerState, UnitStatus, UnitView};
use crate::store::{
    self, Conn, NewSignature, NewUnit, StoreError, StoredEvent, Tx, insert_command, insert_outbox,
    unit_by_id, update_unit,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The mutable fields of a unit, before or after a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Snap {
    pub parent: Option<i64>,
    pub published: bool,
    pub state: Option<String>,
    pub status: String,
    pub count: u32,
}

impl Snap {
    pub(crate) fn of(u: &UnitView) -> Self {
        Self {
            parent: u.parent_id,
            published: u.published,
            state: u.state.map(|s| s.as_str().to_owned()),
            status: u.status.as_str().to_owned(),
            count: u.child_count,
        }
    }

    /// Applies this snapshot to a unit view.
    pub(crate) fn apply(&self, u: &mut UnitView) -> Result<(), StoreError> {
        u.parent_id = self.parent;
        u.published = self.published;
        u.state = match &self.state {
            None => None,
            Some(s) => Some(
                ContainerState::parse(s).ok_or_else(|| StoreError::BadValue {
                    what: "commands.changes.state",
                    value: s.clone(),
                })?,
            ),
        };
        u.status = UnitStatus::parse(&self.status).ok_or_else(|| StoreError::BadValue {
            what: "commands.changes.status",
            value: self.status.clone(),
        })?;
        u.child_count = self.count;
        Ok(())
    }
}

/// One unit's change; `before: None` means the command created the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Change {
    pub id: i64,
    pub key: String,
    pub before: Option<Snap>,
    pub after: Snap,
    /// The unit row was deleted (undo of its creation).
    #[serde(default)]
    pub deleted: bool,
}

/// A supervisor signature checked before the transaction, to be recorded with the command.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub signer: User,
    pub meaning: String,
    pub reason: Option<String>,
}

/// A row written in a command's transaction that names the command and its signature (a
/// hold): called at commit with the command id and the signature id.
pub(crate) type Linked<'a> =
    Box<dyn FnOnce(&Tx<'a>, i64, Option<i64>) -> Result<(), StoreError> + 'a>;

/// The command in progress: its store transaction and what it changed so far.
pub(crate) struct Cmd<'a> {
    pub tx: Tx<'a>,
    pub now: i64,
    changes: Vec<Change>,
    index: HashMap<i64, usize>,
    events: Vec<PendingEvent>,
    /// An undo that withdraws: the undone command whose outbox row never left (see
    /// [`Cmd::withdraw`]).
    withdraws: Option<i64>,
    /// Rows to write once the command and signature ids exist ([`Cmd::link`]).
    linked: Vec<Linked<'a>>,
}

impl<'a> Cmd<'a> {
    pub(crate) fn new(tx: Tx<'a>, now: i64) -> Self {
        Self {
            tx,
            now,
            changes: Vec::new(),
            index: HashMap::new(),
            events: Vec::new(),
            withdraws: None,
            linked: Vec::new(),
        }
    }

    /// Reloads a unit (its current state inside this transaction).
    pub(crate) fn reload(&self, u: &UnitView) -> Result<UnitView, StoreError> {
        unit_by_id(&self.tx, u.id)?.ok_or_else(|| StoreError::BadValue {
            what: "units.id",
            value: u.id.to_string(),
        })
    }

    /// Writes a unit's new state and records the change.
    pub(crate) fn save(&mut self, u: &UnitView) -> Result<(), StoreError> {
        let before = unit_by_id(&self.tx, u.id)?;
        update_unit(&self.tx, u, self.now)?;
        let after = Snap::of(u);
        match self.index.get(&u.id) {
            Some(&i) => self.changes[i].after = after,
            None => {
                self.index.insert(u.id, self.changes.len());
                self.changes.push(Change {
                    id: u.id,
                    key: u.key.clone(),
                    before: before.as_ref().map(Snap::of),
                    after,
                    deleted: false,
                });
            }
        }
        Ok(())
    }

    /// Inserts a new unit and records its creation.
    pub(crate) fn create(&mut self, new: &NewUnit<'_>) -> Result<UnitView, StoreError> {
        let id = store::insert_unit(&self.tx, new)?;
        let u = unit_by_id(&self.tx, id)?.ok_or_else(|| StoreError::BadValue {
            what: "units.id",
            value: id.to_string(),
        })?;
        self.index.insert(id, self.changes.len());
        self.changes.push(Change {
            id,
            key: u.key.clone(),
            before: None,
            after: Snap::of(&u),
            deleted: false,
        });
        Ok(u)
    }

    /// Deletes a unit this transaction found unused (undo of its creation).
    pub(crate) fn delete(&mut self, u: &UnitView) -> Result<(), StoreError> {
        store::delete_unit(&self.tx, u.id)?;
        self.changes.push(Change {
            id: u.id,
            key: u.key.clone(),
            before: Some(Snap::of(u)),
            after: Snap::of(u),
            deleted: true,
        });
        Ok(())
    }

    /// Adds an EPCIS event (times are assigned in order at commit, 1 ms apart). Returns its
    /// position in the command (what a correction's `corrected_by` names).
    pub(crate) fn event(&mut self, e: PendingEvent) -> usize {
        self.events.push(e);
        self.events.len() - 1
    }

    /// Makes this command (an undo) withdraw, at commit, the outbox row of the `undone`
    /// command and its own: the undone row never left, so nothing of either needs to reach
    /// the repository. Both stay in the events table (the station's own record); each
    /// withdrawal is audited (`sync_withdraw`).
    pub(crate) fn withdraw(&mut self, undone: i64) {
        self.withdraws = Some(undone);
    }

    /// Writes, at commit and in the same transaction, a row that names this command and its
    /// signature (`write(tx, command_id, signature_id)`).
    pub(crate) fn link(&mut self, write: Linked<'a>) {
        self.linked.push(write);
    }

    /// Records the command, its signature, events, outbox row and audit record, and commits.
    /// Returns the command id and the time of its last event.
    // Every argument is a distinct part of the record, named at each call site.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn commit(
        mut self,
        kind: &str,
        user: &User,
        ctx: &EventContext,
        target: Option<&str>,
        signed: Option<&Signed>,
        reason: Option<&str>,
        undoes: Option<i64>,
    ) -> Result<(i64, i64), StoreError> {
        let changes = serde_json::to_string(&self.changes).map_err(|e| StoreError::BadValue {
            what: "commands.changes",
            value: e.to_string(),
        })?;
        let command_id = insert_command(
            &self.tx,
            kind,
            &user.username,
            self.now,
            ctx.work_order.as_deref(),
            target,
            &changes,
            undoes,
        )?;
        if let Some(u) = undoes {
            store::mark_undone(&self.tx, u, command_id)?;
        }
        let signature_id = match signed {
            None => None,
            Some(s) => Some(store::insert_signature(
                &self.tx,
                &NewSignature {
                    username: &s.signer.username,
                    full_name: &s.signer.full_name,
                    meaning: &s.meaning,
                    reason: s.reason.as_deref(),
                    time_ms: self.now,
                    command_id,
                },
            )?),
        };
        for write in std::mem::take(&mut self.linked) {
            write(&self.tx, command_id, signature_id)?;
        }
        // The new events carry the trail's head as it stands before this command's record:
        // the repository keeps it with them (issue 16).
        let mut ctx = ctx.clone();
        ctx.audit_anchor =
            store::last_audit_link(&self.tx)?.map(|(seq, hash)| format!("{seq}:{hash}"));
        let ctx = &ctx;
        let mut last_time = self.now;
        let signature_text = signed.map(|s| {
            format!(
                "{} ({}); {}; {}",
                s.signer.full_name, s.signer.username, s.meaning, self.now
            )
        });
        let time_of = |seq: usize| self.now + i64::try_from(seq).unwrap_or(0);
        // Corrections last: their correctiveEventIDs are the hash IDs of this command's
        // compensating events.
        let mut finished: Vec<Option<super::events::FinishedEvent>> =
            self.events.iter().map(|_| None).collect();
        for pass_corrections in [false, true] {
            for (seq, pending) in self.events.iter().enumerate() {
                if pending.is_correction() != pass_corrections {
                    continue;
                }
                let corrective: Vec<String> = match pending {
                    PendingEvent::Correction { corrected_by, .. } => corrected_by
                        .iter()
                        .filter_map(|&i| finished.get(i).and_then(Option::as_ref))
                        .map(|f| f.hash_id.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                finished[seq] = Some(pending.finish(
                    ctx,
                    time_of(seq),
                    reason,
                    signature_text.as_deref(),
                    &corrective,
                ));
            }
        }
        for (seq, f) in finished.iter().enumerate() {
            let Some(f) = f else { continue };
            let time = time_of(seq);
            last_time = time;
            store::insert_event(
                &self.tx,
                &StoredEvent {
                    command_id,
                    seq: u32::try_from(seq).unwrap_or(u32::MAX),
                    hash_id: &f.hash_id,
                    role: f.role,
                    event_time_ms: time,
                    body: &f.body,
                    epcs: &f.epcs,
                },
            )?;
        }
        let mut withdrawn = Vec::new();
        if !self.events.is_empty() {
            insert_outbox(&self.tx, command_id, self.now)?;
            if let Some(undone) = self.withdraws {
                for id in [undone, command_id] {
                    let before = store::outbox_row(&self.tx, id)?;
                    if store::withdraw_row(&self.tx, id)? {
                        withdrawn.push((id, before.map(|r| r.state)));
                    }
                }
            }
        }
        let (old_value, new_value) = audit_values(&self.tx, &self.changes)?;
        let evidence = super::evidence::command_evidence(
            command_id,
            &changes,
            finished
                .iter()
                .flatten()
                .map(|f| (f.hash_id.as_str(), f.role)),
            !self.events.is_empty(),
            signed.map(|s| (s, self.now)),
        );
        append_audit(
            &self.tx,
            &AuditEntry {
                time_ms: self.now,
                username: user.username.clone(),
                action: kind.to_owned(),
                target: target.map(str::to_owned),
                old_value,
                new_value,
                reason: reason.map(str::to_owned),
                signature_id,
                evidence: Some(evidence),
            },
        )?;
        for (id, before) in withdrawn {
            append_audit(
                &self.tx,
                &AuditEntry {
                    time_ms: self.now,
                    username: user.username.clone(),
                    action: "sync_withdraw".to_owned(),
                    target: Some(format!("outbox:{id}")),
                    old_value: before,
                    new_value: Some("withdrawn".to_owned()),
                    reason: Some(format!(
                        "undo #{command_id} before the events left: never sent"
                    )),
                    signature_id,
                    evidence: None,
                },
            )?;
        }
        self.tx.commit()?;
        Ok((command_id, last_time))
    }
}

/// Old and new values of every changed unit, with parents named by key, as JSON.
fn audit_values(
    conn: &Conn,
    changes: &[Change],
) -> Result<(Option<String>, Option<String>), StoreError> {
    if changes.is_empty() {
        return Ok((None, None));
    }
    let mut keys: HashMap<i64, String> = changes.iter().map(|c| (c.id, c.key.clone())).collect();
    let mut key_of = |id: Option<i64>| -> Result<Option<String>, StoreError> {
        let Some(id) = id else { return Ok(None) };
        if let Some(k) = keys.get(&id) {
            return Ok(Some(k.clone()));
        }
        let k = unit_by_id(conn, id)?.map_or_else(|| format!("#{id}"), |u| u.key);
        keys.insert(id, k.clone());
        Ok(Some(k))
    };
    let mut old = Vec::new();
    let mut new = Vec::new();
    for c in changes {
        let snap_json = |s: &Snap, parent: Option<String>| serde_json::json!({"key": c.key, "parent": parent, "status": s.status, "state": s.state, "count": s.count});
        match &c.before {
            Some(b) => old.push(snap_json(b, key_of(b.parent)?)),
            None => old.push(serde_json::json!({"key": c.key, "created": true})),
        }
        if c.deleted {
            new.push(serde_json::json!({"key": c.key, "deleted": true}));
        } else {
            new.push(snap_json(&c.after, key_of(c.after.parent)?));
        }
    }
    Ok((
        Some(serde_json::Value::Array(old).to_string()),
        Some(serde_json::Value::Array(new).to_string()),
    ))
}
