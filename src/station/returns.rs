//! The returns desk (issue 18): saleable-returns verification under the US DSCSA.
//!
//! A returned pack (or a returned case: every pack in it, through the hierarchy the station
//! knows or takes in from the repository) is first checked against the station's own record:
//! a pack retired here, on hold here, or unknown here is decided locally and no request is
//! sent. Every other pack is asked about at the configured verification service with its own
//! correlation UUID. The check's row (`return_checks`) is written, queued, before the request
//! leaves, so nothing is lost if the station stops; the answer is read strictly
//! ([`crate::domain::parse_vrs_answer`]) and recorded with an audit record; an unreachable
//! service leaves the check queued for [`Station::returns_retry`] — no result is invented.
//!
//! A pack the service does not verify is put on hold (reason `suspect_product`) in the same
//! transaction as the answer: the hold is placed by the system on behalf of the logged-in
//! returns user, without a supervisor's signature (nobody decided anything but the
//! manufacturer's responder); releasing it needs QA's signature as any hold does.

use super::scan::Scanned;
use super::vrs_link::VrsQuery;
use super::{Failure, Outcome, Response, Station};
use crate::auth::{AuditEntry, User, append_audit};
use crate::domain::{ReasonCode, Refusal, UnitView};
use crate::store::{self, CheckState, NewReturnCheck, ReturnCheck};
use serde_json::json;

/// At most this many packs are checked for one scanned container.
const MAX_PACKS: usize = 2_000;
/// At most this many queued checks are retried by one `returns_retry`.
const RETRY_BATCH: usize = 200;

/// A pack to check.
struct Item {
    key: String,
    gtin: String,
    serial: String,
    lot: Option<String>,
    expiry: Option<String>,
    unit: Option<UnitView>,
}

/// A fresh random (version 4) UUID.
pub(crate) fn new_uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The reason code a check's outcome answers with.
pub fn check_code(c: &ReturnCheck) -> ReasonCode {
    match (c.state, c.verified, c.local_reason.as_deref()) {
        (CheckState::Answered, Some(true), _) => ReasonCode::ReturnVerified,
        (CheckState::Answered, _, _) => ReasonCode::ReturnNotVerified,
        (CheckState::Queued, _, _) => ReasonCode::ReturnQueued,
        (CheckState::Error, _, _) => ReasonCode::VrsBadAnswer,
        (CheckState::Local, _, Some("on_hold")) => ReasonCode::ReturnOnHold,
        (CheckState::Local, _, Some("unknown")) => ReasonCode::ReturnUnknown,
        (CheckState::Local, _, _) => ReasonCode::ReturnInactive,
    }
}

/// Worst first: what one answer for several packs says.
fn rank(code: ReasonCode) -> u8 {
    match code {
        ReasonCode::ReturnNotVerified => 0,
        ReasonCode::ReturnInactive => 1,
        ReasonCode::ReturnUnknown => 2,
        ReasonCode::ReturnOnHold => 3,
        ReasonCode::VrsBadAnswer => 4,
        ReasonCode::ReturnQueued => 5,
        _ => 9,
    }
}

fn check_json(c: &ReturnCheck) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("code".into(), json!(check_code(c).as_str()));
    }
    v
}

impl Station {
    /// `verify_return`: checks a returned pack, or every pack of a returned container.
    pub(crate) fn verify_return(&mut self, scan: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let scanned = self.identify(scan)?;
        let (items, returned_in) = self.return_items(&user, &scanned, now)?;
        let mut remote = false;
        for i in &items {
            if let Some(u) = i.unit.as_ref().filter(|u| u.status.is_active())
                && super::hold::covered(self.store.conn(), u)?.is_none()
            {
                remote = true;
                break;
            }
        }
        if remote && self.vrs.is_none() {
            return Err(Refusal::new(
                ReasonCode::VrsNotConfigured,
                "no verification service is configured (packbench returns configure)",
            )
            .into());
        }
        let mut checks = Vec::new();
        for item in &items {
            checks.push(self.check_item(&user, item, returned_in.as_deref(), now)?);
        }
        Ok(self.checks_answer(&checks, returned_in.as_deref()))
    }

    fn checks_answer(&self, checks: &[ReturnCheck], returned_in: Option<&str>) -> Response {
        let worst = checks
            .iter()
            .map(check_code)
            .min_by_key(|c| rank(*c))
            .unwrap_or(ReasonCode::Ok);
        let count = |code: ReasonCode| checks.iter().filter(|c| check_code(c) == code).count();
        let detail = match checks {
            [one] => one
                .failure_reason
                .clone()
                .or_else(|| one.local_reason.clone())
                .or_else(|| one.last_error.clone()),
            _ => Some(format!(
                "{} packs: {} verified, {} not verified, {} decided here, {} queued, {} unreadable",
                checks.len(),
                count(ReasonCode::ReturnVerified),
                count(ReasonCode::ReturnNotVerified),
                count(ReasonCode::ReturnInactive)
                    + count(ReasonCode::ReturnOnHold)
                    + count(ReasonCode::ReturnUnknown),
                count(ReasonCode::ReturnQueued),
                count(ReasonCode::VrsBadAnswer),
            )),
        };
        let mut r = Response::with_code(worst, detail);
        r.data = Some(json!({
            "returned_in": returned_in,
            "checks": checks.iter().map(check_json).collect::<Vec<_>>(),
            "verified": count(ReasonCode::ReturnVerified),
            "not_verified": count(ReasonCode::ReturnNotVerified),
            "queued": count(ReasonCode::ReturnQueued),
        }));
        r
    }

    /// The packs a scan names: the pack itself, or every pack in the container (taken in from
    /// the repository first when the station does not know it).
    fn return_items(
        &mut self,
        user: &User,
        scanned: &Scanned,
        now: i64,
    ) -> Result<(Vec<Item>, Option<String>), Failure> {
        let known = store::unit_by_key(self.store.conn(), scanned.key())?;
        let is_container = match (&known, scanned) {
            (Some(u), _) => u.is_container(),
            (None, Scanned::Sscc { .. }) => true,
            (None, Scanned::Sgtin { sgtin, .. }) => self
                .products
                .get(sgtin.gtin.as_str())
                .is_some_and(|p| p.level != crate::domain::Level::Pack),
        };
        if !is_container {
            let Scanned::Sgtin {
                sgtin,
                lot,
                expiry,
                key,
            } = scanned
            else {
                return Err(Refusal::new(ReasonCode::NotAUnit, "not a pack").into());
            };
            return Ok((
                vec![Item {
                    key: key.clone(),
                    gtin: sgtin.gtin.as_str().to_owned(),
                    serial: sgtin.serial.as_str().to_owned(),
                    lot: lot
                        .clone()
                        .or_else(|| known.as_ref().and_then(|u| u.lot.clone())),
                    expiry: expiry
                        .clone()
                        .or_else(|| known.as_ref().and_then(|u| u.expiry.clone())),
                    unit: known,
                }],
                None,
            ));
        }
        let container = match known {
            Some(u) => u,
            None => {
                let (epc, _) = self.epc_and_level(scanned)?;
                self.adopt_from_repository(user, &epc, now)?;
                store::unit_by_key(self.store.conn(), scanned.key())?.ok_or_else(|| {
                    Refusal::new(
                        ReasonCode::ReturnUnknown,
                        format!("{} is not known here", scanned.key()),
                    )
                })?
            }
        };
        let packs: Vec<UnitView> = store::subtree(self.store.conn(), container.id)?
            .into_iter()
            .filter(|u| !u.is_container())
            .collect();
        if packs.is_empty() {
            return Err(Refusal::new(
                ReasonCode::ContainerEmpty,
                format!("{} holds no pack to check", container.key),
            )
            .into());
        }
        if packs.len() > MAX_PACKS {
            return Err(Refusal::new(
                ReasonCode::InvalidArgument,
                format!(
                    "{} holds {} packs; scan its cases (at most {MAX_PACKS} at once)",
                    container.key,
                    packs.len()
                ),
            )
            .into());
        }
        let mut items = Vec::new();
        for u in packs {
            let Some(sgtin) = crate::gs1::parse(&u.key, &self.parse_options)
                .ok()
                .and_then(|m| m.sgtin())
            else {
                continue;
            };
            items.push(Item {
                key: u.key.clone(),
                gtin: sgtin.gtin.as_str().to_owned(),
                serial: sgtin.serial.as_str().to_owned(),
                lot: u.lot.clone(),
                expiry: u.expiry.clone(),
                unit: Some(u),
            });
        }
        Ok((items, Some(container.key)))
    }

    /// Checks one pack: locally, or at the service.
    fn check_item(
        &mut self,
        user: &User,
        item: &Item,
        returned_in: Option<&str>,
        now: i64,
    ) -> Result<ReturnCheck, Failure> {
        let local = match &item.unit {
            None => Some("unknown".to_owned()),
            Some(u) if !u.status.is_active() => Some(format!("inactive:{}", u.status.as_str())),
            Some(u) => super::hold::covered(self.store.conn(), u)?.map(|_| "on_hold".to_owned()),
        };
        let (Some(lot), Some(expiry)) = (&item.lot, &item.expiry) else {
            if local.is_none() {
                return Err(Refusal::new(
                    ReasonCode::InvalidArgument,
                    format!(
                        "{}: the pack's batch (10) and expiry (17) are needed to verify it: scan \
                         its full DataMatrix",
                        item.key
                    ),
                )
                .into());
            }
            return self.record_local(user, item, returned_in, local.as_deref(), now);
        };
        if local.is_some() {
            return self.record_local(user, item, returned_in, local.as_deref(), now);
        }
        let query = VrsQuery {
            gtin: item.gtin.clone(),
            lot: lot.clone(),
            serial: item.serial.clone(),
            expiry: expiry.clone(),
            corr_uuid: new_uuid(),
        };
        let url = self
            .vrs
            .as_ref()
            .map(|l| l.request_url(&query))
            .unwrap_or_default();
        let tx = self.store.begin()?;
        let id = store::insert_return_check(
            &tx,
            &NewReturnCheck {
                corr_uuid: &query.corr_uuid,
                unit_key: &item.key,
                gtin: &item.gtin,
                serial: &item.serial,
                lot: Some(lot),
                expiry: Some(expiry),
                unit_id: item.unit.as_ref().map(|u| u.id),
                returned_in,
                username: &user.username,
                requested_ms: now,
                state: CheckState::Queued,
                local_reason: None,
                request_url: Some(&url),
            },
        )?;
        tx.commit()?;
        self.ask_service(user, id, &query, now)
    }

    fn record_local(
        &mut self,
        user: &User,
        item: &Item,
        returned_in: Option<&str>,
        local: Option<&str>,
        now: i64,
    ) -> Result<ReturnCheck, Failure> {
        let corr = new_uuid();
        let tx = self.store.begin()?;
        let id = store::insert_return_check(
            &tx,
            &NewReturnCheck {
                corr_uuid: &corr,
                unit_key: &item.key,
                gtin: &item.gtin,
                serial: &item.serial,
                lot: item.lot.as_deref(),
                expiry: item.expiry.as_deref(),
                unit_id: item.unit.as_ref().map(|u| u.id),
                returned_in,
                username: &user.username,
                requested_ms: now,
                state: CheckState::Local,
                local_reason: local,
                request_url: None,
            },
        )?;
        append_audit(
            &tx,
            &AuditEntry {
                time_ms: now,
                username: user.username.clone(),
                action: "return_check".to_owned(),
                target: Some(item.key.clone()),
                new_value: Some(json!({"check": id, "decided": "local", "why": local}).to_string()),
                reason: Some("saleable return: decided by the station's record".to_owned()),
                ..AuditEntry::default()
            },
        )?;
        tx.commit()?;
        Ok(store::return_check(self.store.conn(), id)?.ok_or_else(|| {
            store::StoreError::BadValue {
                what: "return_checks.id",
                value: id.to_string(),
            }
        })?)
    }

    /// `returns_retry`: asks again about the checks the service could not answer.
    pub(crate) fn returns_retry(&mut self, now: i64) -> Outcome {
        let user = self.require_user()?;
        if self.vrs.is_none() {
            return Err(Refusal::new(
                ReasonCode::VrsNotConfigured,
                "no verification service is configured (packbench returns configure)",
            )
            .into());
        }
        let waiting = store::retryable_checks(self.store.conn(), RETRY_BATCH)?;
        let mut done = Vec::new();
        for c in waiting {
            let (Some(lot), Some(expiry)) = (c.lot.clone(), c.expiry.clone()) else {
                continue;
            };
            let query = VrsQuery {
                gtin: c.gtin.clone(),
                lot,
                serial: c.serial.clone(),
                expiry,
                corr_uuid: c.corr_uuid.clone(),
            };
            let after = self.ask_service(&user, c.id, &query, now)?;
            let unreachable = after.state == CheckState::Queued;
            done.push(after);
            if unreachable {
                // The service is still down: the rest stays queued as it was.
                break;
            }
        }
        let left = store::retryable_count(self.store.conn())?;
        let mut r = self.checks_answer(&done, None);
        if done.is_empty() {
            r = Response::ok();
        }
        if let Some(d) = r.data.as_mut().and_then(|d| d.as_object_mut()) {
            d.insert("left".into(), json!(left));
        } else {
            r.data = Some(json!({"checks": [], "left": left}));
        }
        Ok(r)
    }

    /// `returns`: the checks recorded, newest first (at most `limit`, default 200).
    pub(crate) fn returns_list(&self, limit: Option<usize>) -> Outcome {
        self.require_user()?;
        let mut all = store::return_checks(self.store.conn())?;
        all.reverse();
        all.truncate(limit.unwrap_or(200));
        let left = store::retryable_count(self.store.conn())?;
        Ok(Response::ok().data(json!({
            "checks": all.iter().map(check_json).collect::<Vec<_>>(),
            "waiting": left,
        })))
    }
}
