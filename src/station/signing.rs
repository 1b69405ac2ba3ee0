//! Supervisor signatures (checked in their own transaction, so failed attempts count) and
//! counterfeit alerts (recorded even though the command is refused).

use super::{Failure, Response, SignatureInput, Station, cmd, lockout};
use crate::auth::{AuditEntry, AuthError, append_audit, authenticate};
use crate::domain::{ReasonCode, Refusal};
use crate::store::StoreError;

impl Station {
    /// Checks a supervisor signature in its own transaction (so failed attempts count even though
    /// the command itself is then refused).
    pub(crate) fn check_signature(
        &mut self,
        sig: Option<&SignatureInput>,
        meaning: &str,
        now: i64,
    ) -> Result<cmd::Signed, Failure> {
        let Some(sig) = sig else {
            return Err(Refusal::new(
                ReasonCode::SignatureRequired,
                format!("a supervisor signature is required: {meaning}"),
            )
            .into());
        };
        let tx = self.store.begin()?;
        let result = authenticate(&tx, &sig.user, &sig.password, now);
        let outcome = match result {
            Ok(signer) if signer.role.can_sign() => Ok(cmd::Signed {
                signer,
                meaning: meaning.to_owned(),
                reason: sig.reason.clone(),
            }),
            Ok(signer) => Err(Failure::Refused(Refusal::new(
                ReasonCode::SignatureInvalid,
                format!(
                    "{} is a {} and cannot sign",
                    signer.username,
                    signer.role.as_str()
                ),
            ))),
            Err(AuthError::Store(e)) => return Err(e.into()),
            Err(e) => {
                append_audit(
                    &tx,
                    &AuditEntry {
                        time_ms: now,
                        username: sig.user.clone(),
                        action: "signature_failed".to_owned(),
                        target: None,
                        reason: Some(meaning.to_owned()),
                        ..AuditEntry::default()
                    },
                )?;
                lockout::audit_lockout(&tx, now, &e, lockout::Attempt::Signature)?;
                Err(Failure::Refused(Refusal::new(
                    ReasonCode::SignatureInvalid,
                    e.to_string(),
                )))
            }
        };
        tx.commit()?;
        outcome
    }

    pub(crate) fn record_alert(&mut self, r: &Refusal, now: i64) -> Response {
        let username = self
            .session
            .user
            .as_ref()
            .map_or_else(|| "-".to_owned(), |u| u.username.clone());
        let result = (|| -> Result<i64, StoreError> {
            let tx = self.store.begin()?;
            let id = crate::store::insert_alert(
                &tx,
                &crate::store::NewAlert {
                    time_ms: now,
                    code: r.code.as_str(),
                    key: r.subject.as_deref().unwrap_or("-"),
                    detail: &r.detail,
                    username: &username,
                },
            )?;
            append_audit(
                &tx,
                &AuditEntry {
                    time_ms: now,
                    username: username.clone(),
                    action: "alert".to_owned(),
                    target: r.subject.clone(),
                    new_value: Some(format!("{}: {}", r.code.as_str(), r.detail)),
                    ..AuditEntry::default()
                },
            )?;
            tx.commit()?;
            Ok(id)
        })();
        match result {
            Ok(id) => Response::from(r.clone()).data(serde_json::json!({"alert_id": id})),
            Err(e) => Response::with_code(ReasonCode::StorageError, Some(e.to_string())),
        }
    }
}
