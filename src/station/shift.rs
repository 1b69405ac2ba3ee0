//! The shift at a glance (issue 15, the supervisor view): `shift_summary` answers, for a window
//! of whole local hours ending with the current one (the last 8 by default), the packs, cases
//! and pallets completed per hour, the refusals by reason (with the newest few), and what
//! stands now: the open counterfeit alerts, the containers put aside, the active holds, and the
//! sync backlog. Read-only; for supervisors, QA and administrators.
//!
//! Local hours are the computer's own time zone (the one the screens show times in), so the
//! window starts on a full hour of the bench's clock.

use super::{Failure, Outcome, Response, Station};
use crate::domain::{ReasonCode, Refusal};
use crate::store::{self, HOUR_MS, StoreError};
use chrono::{Local, Offset, TimeZone};
use serde::{Deserialize, Serialize};

/// Hours a summary covers when none are asked for: a shift.
pub const DEFAULT_HOURS: u32 = 8;
/// The most hours one summary covers (a week).
pub const MAX_HOURS: u32 = 168;
/// How many of the newest refusals a summary lists.
pub const RECENT_REFUSALS: i64 = 8;

/// What was completed in one hour (or a whole window).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completed {
    /// Packs put into a case (or other container).
    pub packs: u64,
    /// Cases closed.
    pub cases: u64,
    /// Pallets closed.
    pub pallets: u64,
}

/// One hour of the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourCount {
    /// The hour's start (Unix ms).
    pub start_ms: i64,
    /// Its local start, `HH:MM`.
    pub label: String,
    /// What was completed in it.
    #[serde(flatten)]
    pub completed: Completed,
}

/// Refusals of one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    /// The reason code, e.g. `WRONG_PRODUCT`.
    pub code: String,
    /// How many.
    pub count: u64,
}

/// One recorded refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalLine {
    /// When (Unix ms).
    pub time_ms: i64,
    /// Who.
    pub user: String,
    /// The mode then.
    pub mode: String,
    /// The command.
    pub command: String,
    /// Refused by the `station`, the `screen` or the `protocol`.
    pub source: String,
    /// The reason code.
    pub code: String,
    /// What was scanned.
    pub scan: Option<String>,
}

/// An open counterfeit alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertLine {
    /// Alert id.
    pub id: i64,
    /// The reason code.
    pub code: String,
    /// The unit scanned.
    pub key: String,
    /// When (Unix ms).
    pub time_ms: i64,
}

/// A container put aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedLine {
    /// Its key.
    pub key: String,
    /// Its level.
    pub level: String,
    /// Children in it.
    pub count: u32,
    /// Its capacity.
    pub capacity: Option<u32>,
    /// Its work order.
    pub work_order: Option<String>,
    /// Who put it aside.
    pub by: Option<String>,
    /// When (Unix ms).
    pub since_ms: Option<i64>,
}

/// An active hold (quarantine).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldLine {
    /// Hold id.
    pub id: i64,
    /// `unit`, `container` or `lot`.
    pub scope: String,
    /// What it covers: a key, or `(01)GTIN(10)LOT` for a lot.
    pub what: String,
    /// The reason code (`suspect_product`, ...).
    pub reason: String,
    /// Who placed it.
    pub placed_by: String,
    /// When (Unix ms).
    pub placed_ms: i64,
}

/// The repository backlog.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncBacklog {
    /// Commands whose events wait to be sent (or are being sent).
    pub queued: i64,
    /// Commands the repository refused, waiting for the administrator.
    pub parked: i64,
    /// Commands delivered.
    pub sent: i64,
}

/// The answer of `shift_summary` (`data`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftSummary {
    /// The window's start: the start of its first local hour (Unix ms).
    pub from_ms: i64,
    /// The window's end (Unix ms, exclusive).
    pub until_ms: i64,
    /// Each hour of the window, oldest first.
    pub hours: Vec<HourCount>,
    /// The whole window.
    pub totals: Completed,
    /// Refusals in the window.
    pub refusals_total: u64,
    /// Refusals per reason, the most frequent first.
    pub refusals: Vec<ReasonCount>,
    /// The newest refusals of the window, newest first.
    pub recent_refusals: Vec<RefusalLine>,
    /// Open counterfeit alerts (now), oldest first.
    pub alerts: Vec<AlertLine>,
    /// Containers put aside (now), oldest first.
    pub suspended: Vec<SuspendedLine>,
    /// Active holds (now), oldest first.
    pub holds: Vec<HoldLine>,
    /// The sync backlog (now).
    pub sync: SyncBacklog,
}

/// The local offset (seconds east of UTC) at `ms`.
fn local_offset_s(ms: i64) -> i64 {
    Local
        .timestamp_millis_opt(ms)
        .earliest()
        .map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()))
}

/// `HH:MM` of `ms` in local time.
fn local_label(ms: i64) -> String {
    Local
        .timestamp_millis_opt(ms)
        .earliest()
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

/// The window of `hours` whole local hours ending with the hour of `until_ms`:
/// (`from_ms`, every hour's start).
pub fn window(until_ms: i64, hours: u32) -> (i64, Vec<i64>) {
    let offset_ms = local_offset_s(until_ms) * 1000;
    let local = until_ms + offset_ms;
    let hour_start = local - local.rem_euclid(HOUR_MS) - offset_ms;
    let from = hour_start - (i64::from(hours) - 1) * HOUR_MS;
    let starts = (0..i64::from(hours)).map(|h| from + h * HOUR_MS).collect();
    (from, starts)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Station {
    /// `shift_summary`: the shift at a glance (supervisors, QA and administrators).
    pub(crate) fn shift_summary(
        &self,
        hours: Option<u32>,
        until_ms: Option<i64>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        if !user.role.can_sign() {
            return Err(Failure::Refused(Refusal::new(
                ReasonCode::NotAuthorized,
                format!(
                    "{} ({}) may not see the shift summary: supervisors, QA and administrators may",
                    user.username,
                    user.role.as_str()
                ),
            )));
        }
        let hours = hours.unwrap_or(DEFAULT_HOURS);
        if !(1..=MAX_HOURS).contains(&hours) {
            return Err(Failure::Refused(Refusal::new(
                ReasonCode::InvalidArgument,
                format!("shift_summary: field 'hours': {hours} is not within 1..={MAX_HOURS}"),
            )));
        }
        // The end is exclusive: a window ending now includes what happened at `now`.
        let until = until_ms.unwrap_or(now + 1);
        let summary = self.summary_of(hours, until)?;
        Ok(Response::ok().data(serde_json::to_value(&summary).unwrap_or_default()))
    }

    fn summary_of(&self, hours: u32, until: i64) -> Result<ShiftSummary, StoreError> {
        let conn = self.store.conn();
        let (from, starts) = window(until - 1, hours);
        let mut rows: Vec<HourCount> = starts
            .iter()
            .map(|&start_ms| HourCount {
                start_ms,
                label: local_label(start_ms),
                completed: Completed::default(),
            })
            .collect();
        let mut totals = Completed::default();
        for (hour, level, n) in store::completed_per_hour(conn, from, until)? {
            let Some(row) = usize::try_from(hour).ok().and_then(|h| rows.get_mut(h)) else {
                continue;
            };
            let (slot, total) = match level.as_str() {
                "pack" => (&mut row.completed.packs, &mut totals.packs),
                "case" => (&mut row.completed.cases, &mut totals.cases),
                "pallet" => (&mut row.completed.pallets, &mut totals.pallets),
                _ => continue,
            };
            *slot += count(n);
            *total += count(n);
        }
        let refusals: Vec<ReasonCount> = store::refusal_counts(conn, from, until)?
            .into_iter()
            .map(|(code, n)| ReasonCount {
                code,
                count: count(n),
            })
            .collect();
        let recent_refusals = store::recent_refusals(conn, from, until, RECENT_REFUSALS)?
            .into_iter()
            .map(|r| RefusalLine {
                time_ms: r.time_ms,
                user: r.username,
                mode: r.mode,
                command: r.command,
                source: r.source,
                code: r.code,
                scan: r.scan,
            })
            .collect();
        let alerts = store::open_alerts(conn)?
            .into_iter()
            .map(|a| AlertLine {
                id: a.id,
                code: a.code,
                key: a.key,
                time_ms: a.time_ms,
            })
            .collect();
        let mut suspended = Vec::new();
        for (id, rec) in store::suspended_containers(conn, None)? {
            let Some(u) = store::unit_by_id(conn, id)? else {
                continue;
            };
            suspended.push(SuspendedLine {
                key: u.key,
                level: u.level.as_str().to_owned(),
                count: u.child_count,
                capacity: u.capacity,
                work_order: u.work_order,
                by: rec.as_ref().map(|r| r.username.clone()),
                since_ms: rec.as_ref().map(|r| r.suspended_ms),
            });
        }
        let holds = store::active_holds(conn)?
            .into_iter()
            .map(|h| {
                let (scope, what) = match h.hold.scope {
                    crate::domain::HoldScope::Unit { key, .. } => ("unit", key),
                    crate::domain::HoldScope::Container { key, .. } => ("container", key),
                    crate::domain::HoldScope::Lot { gtin, lot } => {
                        ("lot", format!("(01){gtin}(10){lot}"))
                    }
                };
                HoldLine {
                    id: h.hold.id,
                    scope: scope.to_owned(),
                    what,
                    reason: h.hold.reason.code().to_owned(),
                    placed_by: h.hold.placed_by,
                    placed_ms: h.hold.placed_ms,
                }
            })
            .collect();
        let (queued, sent, parked) = store::outbox_counts(conn)?;
        Ok(ShiftSummary {
            from_ms: from,
            until_ms: until,
            hours: rows,
            totals,
            refusals_total: refusals.iter().map(|r| r.count).sum(),
            refusals,
            recent_refusals,
            alerts,
            suspended,
            holds,
            sync: SyncBacklog {
                queued,
                parked,
                sent,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_whole_local_hours_ending_with_the_current_one() {
        let until = 1_795_612_345_678; // some time in an hour
        let (from, starts) = window(until, 8);
        assert_eq!(starts.len(), 8);
        assert_eq!(starts[0], from);
        assert!(starts[7] <= until && until < starts[7] + HOUR_MS);
        let label = local_label(starts[7]);
        assert!(
            [":00", ":30", ":45"].iter().any(|m| label.ends_with(m)),
            "{label}"
        );
    }
}
