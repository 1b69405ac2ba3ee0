//! SSCC label commands: print (allocate + render + send to the printer worker), reprint and
//! void with a reason (audited), and scan-to-verify (a printed label must be scanned back
//! before its container can be closed, so a label never applied cannot enter the data). The
//! SSCC ranges labels are allocated from are in `ranges.rs`.

use super::{Failure, Outcome, Response, Station};
use crate::auth::{AuditEntry, append_audit};
use crate::domain::{ContainerState, Level, ReasonCode, Refusal, UnitView, WorkOrder};
use crate::gs1::{Sscc, UnitKey};
use crate::labels::alloc::{self, LabelOwner};
use crate::labels::printer::{PrintJob, PrintPolicy, PrinterTarget, PrinterWorker};
use crate::labels::{Content, LabelData, Layout, Template, layout, zpl};
use crate::store::{self, LabelRow, LabelState, StoreError, Tx};
use std::time::Duration;

fn iso_date(now_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

pub(crate) fn audit(
    tx: &Tx<'_>,
    now: i64,
    user: &str,
    action: &str,
    target: &str,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    append_audit(
        tx,
        &AuditEntry {
            time_ms: now,
            username: user.to_owned(),
            action: action.to_owned(),
            target: Some(target.to_owned()),
            reason: reason.map(str::to_owned),
            ..AuditEntry::default()
        },
    )?;
    Ok(())
}

impl Station {
    fn label_setting(&self, key: &str) -> Result<Option<String>, Failure> {
        Ok(store::setting(self.store.conn(), key)?)
    }

    fn sscc_of(&self, scan: &str) -> Result<Sscc, Failure> {
        let msg = crate::gs1::parse(scan, &self.parse_options)
            .map_err(|e| Refusal::new(ReasonCode::InvalidScan, format!("{}: {e}", e.code())))?;
        msg.sscc().ok_or_else(|| {
            Refusal::new(ReasonCode::NotAUnit, format!("{scan} is not an SSCC label")).into()
        })
    }

    /// The SSCC of the label printed and not yet scanned back, if any.
    fn pending_label(&self) -> Result<Option<Sscc>, Failure> {
        Ok(store::label_awaiting_scan(self.store.conn())?)
    }

    /// Refuses to close a container whose printed label was never scanned back (unless the
    /// `label_verify_before_close` setting is `false`).
    pub(crate) fn require_label_verified(&self, container: &UnitView) -> Result<(), Failure> {
        if self.label_setting("label_verify_before_close")?.as_deref() == Some("false") {
            return Ok(());
        }
        let Ok(UnitKey::Sscc(sscc)) = container.key.parse::<UnitKey>() else {
            return Ok(());
        };
        if store::label_printed_unverified(self.store.conn(), &sscc)? {
            return Err(Refusal::new(
                ReasonCode::LabelNotVerified,
                format!(
                    "the label {} was printed but not scanned back",
                    sscc.unit_key()
                ),
            )
            .into());
        }
        Ok(())
    }

    /// In pack mode, while a printed label waits, the next scan must be that label. Answers
    /// the verification when the label is a remainder label of a container put aside (its
    /// scan only verifies the label; it does not resume the container).
    pub(crate) fn verify_pending_label(
        &mut self,
        data: &str,
        now: i64,
    ) -> Result<Option<Response>, Failure> {
        if self.session.mode != super::Mode::Pack {
            return Ok(None);
        }
        let Some(pending) = self.pending_label()? else {
            return Ok(None);
        };
        let verified = self.verify_label(data, now)?;
        let aside = store::unit_by_key(self.store.conn(), &pending.unit_key())?
            .filter(|u| u.state == Some(ContainerState::Suspended));
        Ok(aside.map(|u| verified.container(&u)))
    }

    /// The work order whose content a container's label states: the container's own, else
    /// the selected one.
    pub(crate) fn order_of(&self, unit: Option<&UnitView>) -> Result<Option<WorkOrder>, Failure> {
        if let Some(id) = unit.and_then(|u| u.work_order.as_deref())
            && let Some(order) = store::load_work_order(self.store.conn(), id)?
        {
            return Ok(Some(order));
        }
        Ok(self.session.work_order.clone())
    }

    /// Everything a label printed now needs besides its SSCC and count, read before the
    /// transaction that records the print.
    pub(crate) fn label_setup(
        &self,
        order: Option<WorkOrder>,
        now: i64,
    ) -> Result<LabelSetup, Failure> {
        let template = self
            .label_setting("label_template")?
            .and_then(|t| Template::parse(&t))
            .unwrap_or(Template::In4x6);
        let dpi = self
            .label_setting("label_dpi")?
            .and_then(|d| d.parse().ok())
            .unwrap_or(203);
        let product_name = order
            .as_ref()
            .and_then(|o| self.products.get(&o.gtin).map(|p| p.name.clone()));
        Ok(LabelSetup {
            template,
            dpi,
            order,
            product_name,
            station: self.settings.read_point.clone(),
            date: iso_date(now),
        })
    }

    /// Hands a laid-out label to the printer worker; answers what happened.
    pub(crate) fn send_label(
        &mut self,
        label_id: i64,
        data: &LabelData,
        laid: &Layout,
    ) -> Result<serde_json::Value, Failure> {
        let job = zpl::render(laid);
        let print = match self.printer_target()? {
            None => serde_json::json!({"queued": false, "printer": "none"}),
            Some(target) => {
                if self.printer.as_ref().is_none_or(|(t, _)| *t != target) {
                    let parsed = PrinterTarget::parse(&target).ok_or_else(|| {
                        Refusal::new(ReasonCode::InvalidArgument, format!("printer {target}"))
                    })?;
                    let worker =
                        PrinterWorker::start(parsed, PrintPolicy::default()).map_err(|e| {
                            Failure::Store(StoreError::Io {
                                path: std::path::PathBuf::from(&target),
                                source: e,
                            })
                        })?;
                    self.printer = Some((target.clone(), worker));
                }
                let queued = self.printer.as_ref().is_some_and(|(_, w)| {
                    w.submit(PrintJob {
                        id: label_id,
                        sscc: data.sscc.as_str().to_owned(),
                        data: job.clone().into_bytes(),
                    })
                    .is_ok()
                });
                if queued {
                    self.print_pending += 1;
                }
                serde_json::json!({"queued": queued, "printer": target})
            }
        };
        Ok(serde_json::json!({
            "sscc": data.sscc.as_str(),
            "key": data.sscc.unit_key(),
            "label_id": label_id,
            "template": laid.template.as_str(),
            "count": data.content.as_ref().map(|c| c.count),
            "note": data.note,
            "symbols": laid.symbols().iter().map(|s| s.element_string()).collect::<Vec<_>>(),
            "text_only": laid.text_only,
            "zpl": job,
            "print": print,
        }))
    }

    /// The configured printer (`printer` setting), `None` when there is none (or `none`).
    pub(crate) fn printer_target(&self) -> Result<Option<String>, Failure> {
        Ok(self.label_setting("printer")?.filter(|p| p != "none"))
    }

    /// Prints a label for an existing container or a new SSCC.
    pub(crate) fn print_label(
        &mut self,
        level: Option<&str>,
        scan: Option<&str>,
        now: i64,
    ) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        if let Some(sscc) = self.pending_label()? {
            return Err(Refusal::new(
                ReasonCode::LabelNotVerified,
                format!(
                    "scan the label {} first (or reprint or void it)",
                    sscc.unit_key()
                ),
            )
            .into());
        }
        if let Some(scan) = scan {
            // An existing container: its label with what it holds.
            let sscc = self.sscc_of(scan)?;
            let key = sscc.unit_key();
            let unit = store::unit_by_key(self.store.conn(), &key)?.ok_or_else(|| {
                Refusal::new(ReasonCode::UnknownUnit, format!("{key} is not known"))
            })?;
            let payload = self.print_content_label(&unit, None, now)?;
            return Ok(Response::ok().data(payload));
        }
        let low_stock = alloc::low_stock_threshold(self.store.conn())?;
        let setup = self.label_setup(Some(order.clone()), now)?;
        let level = match level {
            Some(l) => Level::parse(l)
                .filter(|l| *l != Level::Pack)
                .ok_or_else(|| Refusal::new(ReasonCode::InvalidArgument, format!("level '{l}'")))?,
            None => order.spec.levels().first().map_or(Level::Case, |(l, _)| *l),
        };
        let tx = self.store.begin()?;
        let a = alloc::allocate(
            &tx,
            LabelOwner {
                level: level.as_str(),
                work_order: Some(&order.id),
                username: &user.username,
            },
            now,
        )?;
        // A new container's label states its capacity (printed again at its close if it
        // ends up holding another count, `content_label.rs`).
        let capacity = order.spec.capacity(level).unwrap_or(0);
        // Laid out before the commit: a label that cannot be printed allocates nothing.
        let data = setup.data(&a.sscc, level, capacity, None);
        let laid = setup.lay_out(&data)?;
        store::mark_label_printed(&tx, a.label_id, now, data.content.as_ref().map(|c| c.count))?;
        audit(
            &tx,
            now,
            &user.username,
            "print_label",
            &a.sscc.unit_key(),
            None,
        )?;
        // Committed before the job leaves: a crash after this never reuses the SSCC.
        tx.commit()?;
        self.session.next_level = Some(level);
        let mut payload = self.send_label(a.label_id, &data, &laid)?;
        let r = a.remaining;
        payload["remaining"] = r.into();
        payload["low_stock"] = (r < low_stock).into();
        let response = if r < low_stock {
            Response::with_code(
                ReasonCode::SsccLowStock,
                Some(format!(
                    "{r} SSCCs left (warning below {low_stock}, setting {})",
                    alloc::LOW_STOCK_SETTING
                )),
            )
        } else {
            Response::ok()
        };
        Ok(response.data(payload))
    }

    fn label_row(&self, sscc: &Sscc) -> Result<LabelRow, Failure> {
        store::label_by_sscc(self.store.conn(), sscc)?.ok_or_else(|| {
            Refusal::new(
                ReasonCode::UnknownUnit,
                format!("no label was printed for {}", sscc.unit_key()),
            )
            .into()
        })
    }

    /// Prints a label again, with a reason.
    pub(crate) fn reprint_label(&mut self, scan: &str, reason: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        if reason.trim().is_empty() {
            return Err(
                Refusal::new(ReasonCode::InvalidArgument, "a reprint needs a reason").into(),
            );
        }
        let sscc = self.sscc_of(scan)?;
        let LabelRow {
            id, state, level, ..
        } = self.label_row(&sscc)?;
        if state == LabelState::Void {
            return Err(Refusal::new(
                ReasonCode::Inactive,
                format!("the label {} was voided", sscc.unit_key()),
            )
            .into());
        }
        let key = sscc.unit_key();
        let unit = store::unit_by_key(self.store.conn(), &key)?;
        let level = Level::parse(&level).unwrap_or(Level::Case);
        // The container's real count (the capacity while no container has the SSCC yet).
        let setup = self.label_setup(self.order_of(unit.as_ref())?, now)?;
        let data = setup.data(
            &sscc,
            level,
            real_count(unit.as_ref(), setup.order.as_ref(), level),
            unit.as_ref().and_then(short_note),
        );
        let laid = setup.lay_out(&data)?;
        // A label already applied and verified needs verifying again: the new copy replaces it.
        let tx = self.store.begin()?;
        store::mark_label_printed(&tx, id, now, data.content.as_ref().map(|c| c.count))?;
        audit(
            &tx,
            now,
            &user.username,
            "reprint_label",
            &key,
            Some(reason.trim()),
        )?;
        tx.commit()?;
        let payload = self.send_label(id, &data, &laid)?;
        Ok(Response::ok().data(payload))
    }

    /// Matches a scan against the label printed last.
    pub(crate) fn verify_label(&mut self, scan: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let Some(pending) = self.pending_label()? else {
            return Err(
                Refusal::new(ReasonCode::NothingToConfirm, "no label waits for its scan").into(),
            );
        };
        let scanned = self.sscc_of(scan).ok();
        if scanned.as_ref() != Some(&pending) {
            return Err(Refusal::new(
                ReasonCode::LabelMismatch,
                format!("expected the label {}, scanned {scan}", pending.unit_key()),
            )
            .into());
        }
        let key = pending.unit_key();
        let tx = self.store.begin()?;
        store::mark_label_verified(&tx, &pending, now)?;
        audit(&tx, now, &user.username, "verify_label", &key, None)?;
        tx.commit()?;
        Ok(Response::ok().data(serde_json::json!({"verified": key})))
    }

    /// Voids a label that will never be applied.
    pub(crate) fn void_label(&mut self, scan: &str, reason: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        if reason.trim().is_empty() {
            return Err(Refusal::new(ReasonCode::InvalidArgument, "voiding needs a reason").into());
        }
        let sscc = self.sscc_of(scan)?;
        let LabelRow { id, state, .. } = self.label_row(&sscc)?;
        let key = sscc.unit_key();
        if state == LabelState::Verified || store::unit_by_key(self.store.conn(), &key)?.is_some() {
            return Err(Refusal::new(
                ReasonCode::AlreadyExists,
                format!("{key} is in use; relabel or retire the container instead"),
            )
            .into());
        }
        let tx = self.store.begin()?;
        store::void_label(&tx, id)?;
        audit(
            &tx,
            now,
            &user.username,
            "void_label",
            &key,
            Some(reason.trim()),
        )?;
        tx.commit()?;
        Ok(Response::ok().data(serde_json::json!({"voided": key})))
    }

    /// Outcomes of print jobs, waiting up to `wait_ms` while some are outstanding.
    pub(crate) fn print_status(&mut self, wait_ms: u64) -> Response {
        let mut outcomes = Vec::new();
        if let Some((_, worker)) = &self.printer {
            outcomes = worker.drain();
            let deadline = std::time::Instant::now() + Duration::from_millis(wait_ms);
            while outcomes.len() < self.print_pending {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match worker.wait(left) {
                    Some(o) => outcomes.push(o),
                    None => break,
                }
            }
        }
        self.print_pending = self.print_pending.saturating_sub(outcomes.len());
        let jobs: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|o| match &o.result {
                Ok(attempts) => {
                    serde_json::json!({"sscc": o.sscc, "ok": true, "attempts": attempts})
                }
                Err(e) => serde_json::json!({"sscc": o.sscc, "ok": false, "error": e.to_string()}),
            })
            .collect();
        Response::ok().data(serde_json::json!({"jobs": jobs, "pending": self.print_pending}))
    }

    /// The label printed and not yet scanned back (its bracketed key), if any: the GUI shows
    /// "scan the label to verify" with it.
    pub fn label_awaiting_scan(&self) -> Option<String> {
        self.pending_label()
            .ok()
            .flatten()
            .map(|sscc| sscc.unit_key())
    }

    /// The label of a printed SSCC rendered as the printer gets it (template and dpi of the
    /// settings), one pixel per dot: the GUI's preview. Reads only.
    pub fn label_preview(&self, scan: &str) -> Option<image::GrayImage> {
        let sscc = self.sscc_of(scan).ok()?;
        let level = self.label_row(&sscc).ok()?.level;
        let level = Level::parse(&level).unwrap_or(Level::Case);
        let key = sscc.unit_key();
        let unit = store::unit_by_key(self.store.conn(), &key).ok().flatten();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
        let order = self.order_of(unit.as_ref()).ok()?;
        let mut setup = self.label_setup(order, now).ok()?;
        // One pixel per dot at the common thermal resolution, whatever the printer's.
        setup.dpi = 203;
        let count = real_count(unit.as_ref(), setup.order.as_ref(), level);
        let data = setup.data(&sscc, level, count, unit.as_ref().and_then(short_note));
        let laid = setup.lay_out(&data).ok()?;
        crate::labels::raster::render(&laid).ok()
    }
}

/// What a label printed now needs besides its SSCC, count and note.
#[derive(Debug, Clone)]
pub(crate) struct LabelSetup {
    /// `label_template` setting.
    pub template: Template,
    /// `label_dpi` setting.
    pub dpi: u32,
    /// The work order whose content the label states.
    pub order: Option<WorkOrder>,
    /// The product's name (header).
    pub product_name: Option<String>,
    /// The station (read point).
    pub station: Option<String>,
    /// Date printed.
    pub date: String,
}

impl LabelSetup {
    /// What the label says: for a container of the order's lowest level (homogeneous), the
    /// content — the order's GTIN, batch and expiry — with `count`.
    pub(crate) fn data(
        &self,
        sscc: &Sscc,
        level: Level,
        count: u32,
        note: Option<String>,
    ) -> LabelData {
        let order = self.order.as_ref();
        let lowest = order.and_then(|o| o.spec.levels().first().map(|(l, _)| *l));
        let content = order.filter(|_| lowest == Some(level)).and_then(|o| {
            Some(Content {
                gtin: o.gtin.parse().ok()?,
                count,
                lot: o.lot.as_deref().and_then(|l| l.parse().ok()),
                expiry: o.expiry.as_deref().and_then(|e| e.parse().ok()),
            })
        });
        LabelData {
            sscc: sscc.clone(),
            level: level.as_str().to_owned(),
            content,
            product_name: self.product_name.clone(),
            work_order: order.map(|o| o.id.clone()),
            station: self.station.clone(),
            date: self.date.clone(),
            note,
        }
    }

    /// Lays the label out; a label that cannot be printed valid (every symbol valid GS1 on its
    /// own, `labels::symbols`) is refused, naming the barcode.
    pub(crate) fn lay_out(&self, data: &LabelData) -> Result<Layout, Failure> {
        layout(data, self.template, self.dpi)
            .map_err(|e| Refusal::new(ReasonCode::InvalidArgument, e.to_string()).into())
    }
}

/// The count a container's label states: what it holds, or — while no container has the SSCC
/// yet — the capacity of its level.
pub(crate) fn real_count(unit: Option<&UnitView>, order: Option<&WorkOrder>, level: Level) -> u32 {
    unit.map_or_else(
        || order.and_then(|o| o.spec.capacity(level)).unwrap_or(0),
        |u| u.child_count,
    )
}

/// `SHORT 7/20` for a container closed below its capacity.
pub(crate) fn short_note(unit: &UnitView) -> Option<String> {
    let capacity = unit.capacity?;
    (unit.state == Some(ContainerState::Closed) && unit.child_count < capacity)
        .then(|| format!("SHORT {}/{capacity}", unit.child_count))
}
