//! SSCC ranges: added by hand (an administrator) or received from the repository's serial
//! number pool (the sync worker), both through one command body so that both get the same
//! checks, overlap test and audit record; and how many SSCCs are left.

use super::{Failure, Outcome, Response, Station};
use crate::auth::{AuditEntry, append_audit};
use crate::domain::{ReasonCode, Refusal};
use crate::labels::alloc::{self, AllocError, SsccRange};

impl From<AllocError> for Failure {
    fn from(e: AllocError) -> Self {
        match e {
            AllocError::Store(s) => Self::Store(s),
            AllocError::Exhausted => {
                Self::Refused(Refusal::new(ReasonCode::SsccExhausted, e.to_string()))
            }
            AllocError::BadRange { .. } | AllocError::Overlap { .. } => {
                Self::Refused(Refusal::new(ReasonCode::InvalidArgument, e.to_string()))
            }
        }
    }
}

/// A range added to the SSCC store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedSsccRange {
    /// Its `sscc_ranges` row.
    pub range_id: i64,
    /// SSCCs left in all ranges now.
    pub remaining: u64,
}

impl Station {
    /// Adds an SSCC range by hand (an administrator).
    pub(crate) fn add_sscc_range(
        &mut self,
        company_prefix: &str,
        extension_digit: u8,
        first: u64,
        last: u64,
        source: Option<&str>,
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let range = SsccRange {
            company_prefix: company_prefix.to_owned(),
            extension_digit,
            first,
            last,
            source: source.unwrap_or("local").to_owned(),
            origin: None,
        };
        let added = self.insert_sscc_range(&admin.username, &range, now)?;
        Ok(Response::ok()
            .data(serde_json::json!({"range_id": added.range_id, "remaining": added.remaining})))
    }

    /// Adds a range of serial references the repository's serial number pool handed out
    /// (source `pool`, its origin naming the pool), recorded under `username` (the sync
    /// worker's name). The same command as a range added by hand: both ends must make valid
    /// SSCCs, it must not overlap a configured range, and the same audit record is written in
    /// the same transaction.
    pub fn add_pool_sscc_range(
        &mut self,
        range: &SsccRange,
        username: &str,
    ) -> Result<AddedSsccRange, AllocError> {
        if range.source != "pool" || range.origin.is_none() {
            return Err(AllocError::BadRange {
                range: range.to_string(),
                detail: "a range from the repository is a pool range naming its pool".to_owned(),
            });
        }
        let now = self.now();
        self.insert_sscc_range(username, range, now)
    }

    /// Adds a range and its audit record in one transaction.
    fn insert_sscc_range(
        &mut self,
        username: &str,
        range: &SsccRange,
        now: i64,
    ) -> Result<AddedSsccRange, AllocError> {
        let tx = self.store.begin()?;
        let range_id = alloc::add_range(&tx, range, now)?;
        append_audit(
            &tx,
            &AuditEntry {
                time_ms: now,
                username: username.to_owned(),
                action: "add_sscc_range".to_owned(),
                target: Some(range.to_string()),
                new_value: range.origin.as_ref().map(|pool| format!("pool {pool}")),
                ..AuditEntry::default()
            },
        )?;
        let remaining = alloc::remaining(&tx)?;
        tx.commit()?;
        Ok(AddedSsccRange {
            range_id,
            remaining,
        })
    }

    /// SSCCs left in the label ranges (`None` when the store cannot say).
    pub fn sscc_remaining(&self) -> Option<u64> {
        alloc::remaining(self.store.conn()).ok()
    }

    /// The SSCCs left when they are below the `sscc_low_stock` setting (default 100), from
    /// the one SSCC store ([`alloc::stock`]). No range at all is not "low": labels are then
    /// scanned from pre-printed rolls.
    pub fn sscc_low_stock(&self) -> Option<u64> {
        let stock = alloc::stock(self.store.conn()).ok()?;
        (!stock.ranges.is_empty() && stock.low).then_some(stock.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::station::Request;

    fn pool_range(first: u64, last: u64) -> SsccRange {
        SsccRange {
            company_prefix: "9506000".to_owned(),
            extension_digit: 0,
            first,
            last,
            source: "pool".to_owned(),
            origin: Some("sscc-9506000".to_owned()),
        }
    }

    #[test]
    fn a_pool_range_goes_through_the_range_command() {
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        for request in [
            Request::InitAdmin {
                user: "admin".to_owned(),
                full_name: "Ada Admin".to_owned(),
                password: "admin-pass-1".to_owned(),
            },
            Request::AddSsccRange {
                company_prefix: "9506000".to_owned(),
                extension_digit: 0,
                first: 1,
                last: 100,
                source: None,
            },
        ] {
            let r = station.execute(request);
            assert!(r.ok, "{r:?}");
        }
        // The same checks as a range added by hand: no overlap, valid ends, a named pool.
        let overlap = station.add_pool_sscc_range(&pool_range(50, 150), "sync");
        assert!(
            matches!(overlap, Err(AllocError::Overlap { existing: 1, .. })),
            "{overlap:?}"
        );
        let reversed = station.add_pool_sscc_range(&pool_range(150, 101), "sync");
        assert!(matches!(reversed, Err(AllocError::BadRange { .. })));
        let unnamed = SsccRange {
            origin: None,
            ..pool_range(101, 150)
        };
        let unnamed = station.add_pool_sscc_range(&unnamed, "sync");
        assert!(matches!(unnamed, Err(AllocError::BadRange { .. })));
        let added = station
            .add_pool_sscc_range(&pool_range(101, 150), "sync")
            .unwrap();
        assert_eq!(added.remaining, 150);
        assert_eq!(
            alloc::stock(station.store().conn()).unwrap().ranges.len(),
            2
        );

        // The same audit record, under the name of who added it; the chain holds.
        let mut ranges = Vec::new();
        crate::store::visit_audit_records(station.store().conn(), |r| {
            if r.entry.action == "add_sscc_range" {
                ranges.push((r.entry.username, r.entry.target, r.entry.new_value));
            }
            true
        })
        .unwrap();
        assert_eq!(
            ranges,
            vec![
                (
                    "admin".to_owned(),
                    Some("9506000/0/1..100".to_owned()),
                    None
                ),
                (
                    "sync".to_owned(),
                    Some("9506000/0/101..150".to_owned()),
                    Some("pool sscc-9506000".to_owned())
                ),
            ]
        );
        assert!(
            crate::auth::verify_audit(station.store().conn())
                .unwrap()
                .is_ok()
        );
    }
}
