//! The returns desk's exchange with the verification service: send a recorded check's
//! query, read the answer strictly, and record it — with the hold of a pack that was not
//! verified, in the same transaction — or leave the check queued when the service cannot be
//! reached (`returns.rs` has the rest of the desk).

use super::hold_cmd::{hold_event_for, units_of_scope};
use super::vrs_link::{VrsExchange, VrsLinkError, VrsQuery};
use super::{Failure, Station};
use crate::auth::{AuditEntry, User, append_audit};
use crate::domain::{
    HoldReason, HoldScope, ReasonCode, Refusal, UnitView, VrsAnswer, parse_vrs_answer,
};
use crate::store::{self, CheckAttempt, CheckState, ReturnCheck};
use serde_json::json;

impl Station {
    /// Sends a recorded check's query and records what came back.
    pub(super) fn ask_service(
        &mut self,
        user: &User,
        id: i64,
        query: &VrsQuery,
        now: i64,
    ) -> Result<ReturnCheck, Failure> {
        let Some(link) = self.vrs.as_ref() else {
            return Err(Refusal::new(
                ReasonCode::VrsNotConfigured,
                "no verification service is configured (packbench returns configure)",
            )
            .into());
        };
        let result = link.verify(query);
        self.record_exchange(user, id, query, result, now)
    }

    fn record_exchange(
        &mut self,
        user: &User,
        id: i64,
        query: &VrsQuery,
        result: Result<VrsExchange, VrsLinkError>,
        now: i64,
    ) -> Result<ReturnCheck, Failure> {
        let record_time = self.now().max(now);
        let (state, url, error, status, body, answer) = match result {
            Err(VrsLinkError::Unreachable { url, detail, .. }) => {
                (CheckState::Queued, url, Some(detail), None, None, None)
            }
            Err(e @ VrsLinkError::Config(_)) => (
                CheckState::Error,
                String::new(),
                Some(e.to_string()),
                None,
                None,
                None,
            ),
            Ok(ex) if ex.status != 200 => {
                let error = format!(
                    "HTTP {}: {}",
                    ex.status,
                    ex.body.chars().take(300).collect::<String>()
                );
                (
                    CheckState::Error,
                    ex.url,
                    Some(error),
                    Some(ex.status),
                    Some(ex.body),
                    None,
                )
            }
            Ok(ex) => match parse_vrs_answer(&ex.body, &query.corr_uuid) {
                Ok(a) => (
                    CheckState::Answered,
                    ex.url,
                    None,
                    Some(ex.status),
                    Some(ex.body),
                    Some(a),
                ),
                Err(e) => (
                    CheckState::Error,
                    ex.url,
                    Some(e.to_string()),
                    Some(ex.status),
                    Some(ex.body),
                    None,
                ),
            },
        };
        let check = store::return_check(self.store.conn(), id)?.ok_or_else(|| {
            store::StoreError::BadValue {
                what: "return_checks.id",
                value: id.to_string(),
            }
        })?;
        let unit = match check.unit_id {
            Some(uid) => store::unit_by_id(self.store.conn(), uid)?,
            None => None,
        };
        let failure_code = answer
            .as_ref()
            .and_then(|a| a.failure.as_ref().map(|f| f.code().to_owned()));
        let audit = AuditEntry {
            time_ms: record_time,
            username: user.username.clone(),
            action: "vrs_request".to_owned(),
            target: Some(check.unit_key.clone()),
            old_value: Some(
                json!({"check": id, "corrUUID": query.corr_uuid, "url": url}).to_string(),
            ),
            new_value: Some(
                json!({"state": state.as_str(), "status": status, "answer": body, "error": error})
                    .to_string(),
            ),
            reason: Some("saleable return verification".to_owned()),
            ..AuditEntry::default()
        };
        let attempt_parts = (url, error, status, body, failure_code.clone());
        let write = move |tx: &store::Tx<'_>, answer: Option<&VrsAnswer>| {
            let (url, error, status, body, failure) = &attempt_parts;
            store::record_check_attempt(
                tx,
                &CheckAttempt {
                    id,
                    state,
                    request_url: url,
                    error: error.as_deref(),
                    time_ms: record_time,
                    http_status: *status,
                    answer: body.as_deref(),
                    verdict: answer.map(|a| {
                        (
                            a.verified,
                            failure.as_deref(),
                            a.responder_gln.as_deref(),
                            a.timestamp.as_str(),
                        )
                    }),
                },
            )?;
            append_audit(tx, &audit)?;
            Ok::<(), store::StoreError>(())
        };
        let not_verified = answer.as_ref().is_some_and(|a| !a.verified);
        let held_already = match &unit {
            Some(u) => super::hold::covered(self.store.conn(), u)?.is_some(),
            None => true,
        };
        match (not_verified, unit) {
            (true, Some(u)) if !held_already && u.status.is_active() => {
                let reason = format!(
                    "saleable return not verified: {} (corrUUID {})",
                    failure_code.as_deref().unwrap_or("-"),
                    query.corr_uuid
                );
                self.hold_failed_return(
                    user,
                    &u,
                    &reason,
                    id,
                    answer.as_ref(),
                    write,
                    record_time,
                )?;
            }
            _ => {
                let tx = self.store.begin()?;
                write(&tx, answer.as_ref())?;
                tx.commit()?;
            }
        }
        Ok(store::return_check(self.store.conn(), id)?.ok_or_else(|| {
            store::StoreError::BadValue {
                what: "return_checks.id",
                value: id.to_string(),
            }
        })?)
    }

    /// Puts a pack the service did not verify on hold, with the answer, in one transaction.
    // The parts are distinct: the pack, the why, the check, the answer and its writer.
    #[allow(clippy::too_many_arguments)]
    fn hold_failed_return(
        &mut self,
        user: &User,
        unit: &UnitView,
        reason: &str,
        check_id: i64,
        answer: Option<&VrsAnswer>,
        write: impl FnOnce(&store::Tx<'_>, Option<&VrsAnswer>) -> Result<(), store::StoreError>
        + 'static,
        now: i64,
    ) -> Result<(), Failure> {
        let scope = HoldScope::Unit {
            unit_id: unit.id,
            key: unit.key.clone(),
        };
        let hold_reason = HoldReason::SuspectProduct;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = super::cmd::Cmd::new(tx, now);
        let units = units_of_scope(&cmd.tx, &scope)?;
        if !units.is_empty() {
            cmd.event(hold_event_for(
                units.iter().map(|u| u.epc.clone()).collect(),
                hold_reason.disposition(),
                &scope,
            ));
        }
        let answer = answer.cloned();
        let (row_scope, comment, placer) =
            (scope.clone(), reason.to_owned(), user.username.clone());
        cmd.link(Box::new(
            move |tx: &store::Tx<'_>, command_id: i64, signature_id: Option<i64>| {
                write(tx, answer.as_ref())?;
                let hold_id = store::insert_hold(
                    tx,
                    &store::NewHold {
                        scope: &row_scope,
                        reason: hold_reason,
                        comment: Some(&comment),
                        placed_by: &placer,
                        placed_ms: now,
                    },
                    command_id,
                    signature_id,
                )?;
                store::set_check_hold(tx, check_id, hold_id)
            },
        ));
        cmd.commit(
            "hold",
            user,
            &ctx,
            Some(&unit.key),
            None,
            Some(&format!("{}: {reason}", hold_reason.code())),
            None,
        )?;
        Ok(())
    }
}
