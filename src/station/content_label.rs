//! Content labels that state the real count (issue 14 §3). A label printed when its SSCC is
//! allocated says (37) = the case capacity; a case closed short holds fewer. Closing a container
//! whose label states another count prints the label again with the count it holds (when a
//! printer is configured; otherwise the answer says a reprint is needed), audited, and the new
//! copy must be scanned back like any printed label (`labels.rs`, scan-to-verify).
//! [`Station::print_content_label`] prints a container's label with its real count and a note
//! (the remainder label of a case put aside).

use super::labels::{LabelSetup, audit, real_count, short_note};
use super::{Failure, Station};
use crate::domain::{Level, ReasonCode, Refusal, UnitView};
use crate::gs1::{Sscc, UnitKey};
use crate::labels::{LabelData, Layout};
use crate::store::{self, LabelState, NewLabel, Tx};

/// A label to print again once the close that needs it has committed.
#[derive(Debug)]
pub(crate) struct Reprint {
    label_id: i64,
    data: LabelData,
    laid: Layout,
    printed_count: u32,
}

/// What closing did about the container's label.
#[derive(Debug)]
pub(crate) enum LabelAtClose {
    /// Recorded as printed again (in the close's transaction): send it after the commit.
    Reprint(Box<Reprint>),
    /// The label states another count and cannot be printed here: say so.
    Needed(serde_json::Value),
}

fn sscc_of(container: &UnitView) -> Option<Sscc> {
    match container.key.parse::<UnitKey>() {
        Ok(UnitKey::Sscc(sscc)) => Some(sscc),
        _ => None,
    }
}

impl Station {
    /// Prints a container's label with its current real count (AI 37) and an optional `note`
    /// line (e.g. `REMAINDER`), and records it: the label row (added if the SSCC has none)
    /// goes to `printed` with that count — the next pack scan must be this label — and an
    /// audit record `print_label` (reason: the note). `print_label` with a scan prints through
    /// it. It writes in its own short
    /// transaction, so call it after the command that needs it has committed. Answers what
    /// `print_label` answers (`sscc`, `key`, `count`, `note`, `symbols`, `zpl`, `print`).
    /// Refused: a container without an SSCC (`INVALID_ARGUMENT`), a voided label
    /// (`INACTIVE`), a label that cannot be printed valid (`INVALID_ARGUMENT`).
    pub(crate) fn print_content_label(
        &mut self,
        container: &UnitView,
        note: Option<&str>,
        now: i64,
    ) -> Result<serde_json::Value, Failure> {
        let user = self.require_user()?;
        let sscc = sscc_of(container).ok_or_else(|| {
            Refusal::new(
                ReasonCode::InvalidArgument,
                format!("{} has no SSCC: a logistic label needs one", container.key),
            )
        })?;
        if let Some(row) = store::label_by_sscc(self.store.conn(), &sscc)?
            && row.state == LabelState::Void
        {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("the label {} was voided", sscc.unit_key()),
            )
            .into());
        }
        let order = self.order_of(Some(container))?;
        let setup = self.label_setup(order, now)?;
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| short_note(container));
        let data = setup.data(
            &sscc,
            container.level,
            real_count(Some(container), setup.order.as_ref(), container.level),
            note,
        );
        let laid = setup.lay_out(&data)?;
        let tx = self.store.begin()?;
        let id = store::ensure_label(
            &tx,
            &NewLabel {
                sscc: &sscc,
                range_id: None,
                level: container.level.as_str(),
                work_order: container.work_order.as_deref().or(self
                    .session
                    .work_order
                    .as_ref()
                    .map(|o| o.id.as_str())),
                username: &user.username,
                allocated_ms: now,
            },
        )?;
        store::mark_label_printed(&tx, id, now, data.content.as_ref().map(|c| c.count))?;
        audit(
            &tx,
            now,
            &user.username,
            "print_label",
            &sscc.unit_key(),
            data.note.as_deref(),
        )?;
        tx.commit()?;
        self.send_label(id, &data, &laid)
    }

    /// Before the transaction that closes `container`: what its label would need (the label
    /// setup and whether a printer is configured).
    pub(crate) fn prepare_label_at_close(
        &self,
        container: &UnitView,
        now: i64,
    ) -> Result<CloseLabel, Failure> {
        Ok(CloseLabel {
            setup: self.label_setup(self.order_of(Some(container))?, now)?,
            printer: self.printer_target()?.is_some(),
        })
    }

    /// After the close committed: sends a recorded reprint to the printer. The close's
    /// answer carries the result as `data.label`.
    pub(crate) fn finish_label_at_close(&mut self, label: LabelAtClose) -> serde_json::Value {
        match label {
            LabelAtClose::Needed(v) => v,
            LabelAtClose::Reprint(r) => {
                let mut v = match self.send_label(r.label_id, &r.data, &r.laid) {
                    Ok(v) => v,
                    // The reprint is recorded; the printer could not be started.
                    Err(e) => serde_json::json!({
                        "key": r.data.sscc.unit_key(),
                        "count": r.data.content.as_ref().map(|c| c.count),
                        "error": match e {
                            Failure::Refused(r) => r.detail,
                            Failure::Store(e) => e.to_string(),
                        },
                    }),
                };
                v["reprinted"] = true.into();
                v["printed_count"] = r.printed_count.into();
                v
            }
        }
    }
}

/// What closing a container needs to know about its label, read before the transaction.
#[derive(Debug)]
pub(crate) struct CloseLabel {
    setup: LabelSetup,
    printer: bool,
}

impl CloseLabel {
    /// Inside the transaction that closes `closed`: when its label states another count than
    /// it holds, records the reprint (label `printed` with the real count, audited as
    /// `reprint_label` by `user`) if a printer is configured, or reports that one is needed.
    /// `None` when the label tells the truth (or the station printed none, or it carried no
    /// count).
    pub(crate) fn at_close(
        self,
        tx: &Tx<'_>,
        user: &str,
        closed: &UnitView,
        now: i64,
    ) -> Result<Option<LabelAtClose>, Failure> {
        let Some(sscc) = sscc_of(closed) else {
            return Ok(None);
        };
        let Some(row) = store::label_by_sscc(tx, &sscc)? else {
            return Ok(None);
        };
        let Some(printed_count) = row.printed_count else {
            return Ok(None);
        };
        if !matches!(row.state, LabelState::Printed | LabelState::Verified) {
            return Ok(None);
        }
        let level = Level::parse(&row.level).unwrap_or(closed.level);
        let data = self
            .setup
            .data(&sscc, level, closed.child_count, short_note(closed));
        let count = data.content.as_ref().map(|c| c.count);
        if count == Some(printed_count) {
            return Ok(None);
        }
        let needed = |why: Option<String>| {
            LabelAtClose::Needed(serde_json::json!({
                "reprinted": false,
                "reprint_needed": true,
                "key": sscc.unit_key(),
                "count": count,
                "printed_count": printed_count,
                "note": data.note,
                "error": why,
            }))
        };
        if !self.printer {
            return Ok(Some(needed(None)));
        }
        let laid = match self.setup.lay_out(&data) {
            Ok(l) => l,
            Err(Failure::Refused(r)) => return Ok(Some(needed(Some(r.detail)))),
            Err(e) => return Err(e),
        };
        store::mark_label_printed(tx, row.id, now, count)?;
        let reason = format!(
            "the label stated {printed_count}, the {} holds {}",
            closed.level.as_str(),
            closed.child_count
        );
        audit(
            tx,
            now,
            user,
            "reprint_label",
            &sscc.unit_key(),
            Some(&reason),
        )?;
        Ok(Some(LabelAtClose::Reprint(Box::new(Reprint {
            label_id: row.id,
            data,
            laid,
            printed_count,
        }))))
    }
}
