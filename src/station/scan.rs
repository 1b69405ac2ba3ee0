//! Scans: identifying what was scanned, packing it, opening a container by scan.

use super::bench::filling_of;
use super::cmd::Cmd;
use super::containers::place;
use super::{Failure, Mode, Outcome, Pending, Response, Station};
use crate::domain::{
    ContainerState, ExpiryCheck, Filling, LabelState, Level, PackScan, PlacementCheck, ReasonCode,
    Refusal, Targeting, UnitView, WorkOrder, check_expiry, check_placement, check_product, target,
};
use crate::gs1::{Gs1Message, Sgtin, Sscc};
use crate::store::{self, Conn, NewUnit};

/// What a scan identified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scanned {
    /// A serialised GTIN (pack, or a case with a case-level GTIN).
    Sgtin {
        sgtin: Sgtin,
        lot: Option<String>,
        expiry: Option<String>,
        key: String,
    },
    /// An SSCC.
    Sscc { sscc: Sscc, key: String },
}

impl Scanned {
    pub(crate) fn key(&self) -> &str {
        match self {
            Self::Sgtin { key, .. } | Self::Sscc { key, .. } => key,
        }
    }
}

const MS_PER_DAY: i64 = 86_400_000;

/// A batch scan after the checks that need no database: what it is, its EPC, an expiry warning.
type PreparedScan = Result<(Scanned, String, Option<String>), Refusal>;

/// The most scans one batch command takes.
pub const MAX_BATCH: usize = 1000;

/// Product homogeneity and expiry of a pack scan; returns an expiry warning.
fn pack_rules(
    order: &WorkOrder,
    scanned: &Scanned,
    level: Level,
    now: i64,
    warn_days: i64,
) -> Result<Option<String>, Refusal> {
    let Scanned::Sgtin {
        sgtin, lot, expiry, ..
    } = scanned
    else {
        return Ok(None);
    };
    if level == Level::Pack {
        check_product(
            order,
            sgtin.gtin.as_str(),
            lot.as_deref(),
            expiry.as_deref(),
        )?;
    }
    if let Some(exp) = expiry
        && let ExpiryCheck::Soon { days_left } =
            check_expiry(exp, now.div_euclid(MS_PER_DAY), warn_days)?
    {
        return Ok(Some(format!("expires in {days_left} days")));
    }
    Ok(None)
}

/// The registry side of a pack scan: a unit seen before (refused with an alert if it was
/// destroyed or decommissioned), or a new one (an alert if a serial list says it cannot exist).
/// The refusal for a serial that the work order's serial list does not hold: a possible
/// counterfeit, so it names the scanned key as its subject.
pub(crate) fn not_on_serial_list(scanned: &Scanned, order: &WorkOrder) -> Refusal {
    Refusal::new(
        ReasonCode::UnknownSerial,
        format!(
            "{} is not on the serial list of {}",
            scanned.key(),
            order.id
        ),
    )
    .about(scanned.key())
}

pub(crate) fn unit_for_pack(
    cmd: &mut Cmd<'_>,
    existing: Option<UnitView>,
    scanned: &Scanned,
    epc: &str,
    level: Level,
    order: &WorkOrder,
) -> Result<UnitView, Failure> {
    if let Some(u) = existing {
        if u.status.is_gone() {
            return Err(seen_again(&u).into());
        }
        return Ok(u);
    }
    if order.has_serial_list {
        return Err(not_on_serial_list(scanned, order).into());
    }
    let (lot, expiry) = match scanned {
        Scanned::Sgtin { lot, expiry, .. } => (lot.as_deref(), expiry.as_deref()),
        Scanned::Sscc { .. } => (None, None),
    };
    Ok(cmd.create(&NewUnit {
        key: scanned.key(),
        epc,
        level,
        gtin: Some(order.gtin.as_str()),
        lot,
        expiry,
        state: None,
        capacity: None,
        work_order: Some(&order.id),
        listed: false,
        time_ms: cmd.now,
    })?)
}

/// One scan of a batch: (code, detail, whether it was placed).
fn batch_item(
    cmd: &mut Cmd<'_>,
    prepared: PreparedScan,
    target: &mut UnitView,
    order: &WorkOrder,
) -> Result<(ReasonCode, Option<String>, bool), Failure> {
    let (scanned, epc, warning) = prepared?;
    let existing = store::unit_by_key(&cmd.tx, scanned.key())?;
    super::hold::refuse_held_scan(&cmd.tx, existing.as_ref(), &scanned)?; // hold / quarantine
    let item = unit_for_pack(cmd, existing, &scanned, &epc, Level::Pack, order)?;
    match check_placement(&item, target, &[], Some(Level::Pack))? {
        PlacementCheck::AlreadyThere => Ok((ReasonCode::AlreadyInThisContainer, None, false)),
        PlacementCheck::NeedsMove => Err(Refusal::new(
            ReasonCode::InOtherContainer,
            format!("{} is in another container (use move)", item.key),
        )
        .into()),
        PlacementCheck::Place => {
            let (_item, t, _closed) = place(cmd, item, target.clone(), false)?;
            *target = t;
            let code = if warning.is_some() {
                ReasonCode::ExpirySoon
            } else {
                ReasonCode::Ok
            };
            Ok((code, warning, true))
        }
    }
}

impl Station {
    /// Parses a scan and picks the unit identifier out of it.
    pub(crate) fn identify(&self, data: &str) -> Result<Scanned, Refusal> {
        let msg: Gs1Message = crate::gs1::parse(data, &self.parse_options)
            .map_err(|e| Refusal::new(ReasonCode::InvalidScan, format!("{}: {e}", e.code())))?;
        if let Some(sscc) = msg.sscc() {
            let key = sscc.unit_key();
            return Ok(Scanned::Sscc { sscc, key });
        }
        if let Some(sgtin) = msg.sgtin() {
            let key = sgtin.unit_key();
            return Ok(Scanned::Sgtin {
                lot: msg.lot().map(|l| l.as_str().to_owned()),
                expiry: msg.expiry().map(|e| e.as_yymmdd().to_owned()),
                sgtin,
                key,
            });
        }
        if msg.gtin().is_some() {
            return Err(Refusal::new(
                ReasonCode::NotSerialised,
                format!("{} has a GTIN but no serial number (21)", msg.hri()),
            ));
        }
        Err(Refusal::new(
            ReasonCode::NotAUnit,
            format!(
                "{} holds no SSCC (00) nor GTIN + serial (01)(21)",
                msg.hri()
            ),
        ))
    }

    /// The GS1 company prefix length for an SSCC: configured, or that of a known product whose
    /// GTIN shares the prefix, or 7.
    fn sscc_prefix_len(&self, sscc: &Sscc) -> u8 {
        if let Some(len) = self.settings.sscc_company_prefix_len {
            return len;
        }
        let digits = sscc.as_str();
        self.products
            .values()
            .find(|p| {
                let n = usize::from(p.company_prefix_len);
                p.gtin.get(1..=n).is_some() && p.gtin.get(1..=n) == digits.get(1..=n)
            })
            .map_or(7, |p| p.company_prefix_len)
    }

    /// EPC URI and level of a scanned identifier (refused if its product is unknown).
    pub(crate) fn epc_and_level(&self, s: &Scanned) -> Result<(String, Level), Refusal> {
        match s {
            Scanned::Sscc { sscc, .. } => {
                let epc = sscc.epc_uri(self.sscc_prefix_len(sscc)).map_err(|e| {
                    Refusal::new(ReasonCode::InvalidScan, format!("{}: {e}", e.code()))
                })?;
                Ok((epc, Level::Case))
            }
            Scanned::Sgtin { sgtin, .. } => {
                let product = self.products.get(sgtin.gtin.as_str()).ok_or_else(|| {
                    Refusal::new(
                        ReasonCode::WrongProduct,
                        format!("GTIN {} is not a known product", sgtin.gtin.as_str()),
                    )
                })?;
                let epc = sgtin.epc_uri(product.company_prefix_len).map_err(|e| {
                    Refusal::new(ReasonCode::InvalidScan, format!("{}: {e}", e.code()))
                })?;
                Ok((epc, product.level))
            }
        }
    }

    /// The unit a scan names; UNKNOWN_UNIT if the station has never seen it.
    pub(crate) fn resolve(&self, conn: &Conn, data: &str) -> Result<UnitView, Failure> {
        let s = self.identify(data)?;
        store::unit_by_key(conn, s.key())?.ok_or_else(|| {
            Refusal::new(
                ReasonCode::UnknownUnit,
                format!("{} is not known here", s.key()),
            )
            .into()
        })
    }

    /// A scan, handled by the current mode.
    pub(crate) fn scan(&mut self, data: &str, now: i64) -> Outcome {
        self.require_user()?;
        if self.session.verify.is_some() {
            return self.verify_scan(data);
        }
        match self.session.mode {
            Mode::Lookup => self.lookup(data),
            Mode::Remove => self.remove(data, now),
            Mode::Move => self.move_request(data, None, false, now),
            Mode::Pack => self.pack_scan(data, now),
            Mode::Receive => self.adopt_request(data, now),
            Mode::Returns => self.verify_return(data, now),
        }
    }

    pub(crate) fn pack_scan(&mut self, data: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        let scanned = self.identify(data)?;
        let (epc, level) = self.epc_and_level_for_order(&scanned, &order)?;
        let warning = pack_rules(&order, &scanned, level, now, self.settings.expiry_warn_days)?;
        let existing = store::unit_by_key(self.store.conn(), scanned.key())?;
        let is_new_label =
            existing.is_none() && (level > Level::Pack || matches!(scanned, Scanned::Sscc { .. }));
        // An SSCC says nothing about its level: the packer chose it, or it is the lowest.
        let new_label_level = match scanned {
            Scanned::Sscc { .. } => self
                .session
                .next_level
                .unwrap_or_else(|| order.spec.levels().first().map_or(Level::Case, |(l, _)| *l)),
            Scanned::Sgtin { .. } => level,
        };
        let kind = match &existing {
            None if is_new_label => PackScan::Label {
                level: new_label_level,
                key: scanned.key(),
                state: LabelState::New,
            },
            Some(u) if u.is_container() && u.state != Some(ContainerState::Closed) => {
                refuse_inactive(u)?;
                Self::refuse_held(self.store.conn(), u)?; // hold / quarantine
                PackScan::Label {
                    level: u.level,
                    key: &u.key,
                    state: if u.state == Some(ContainerState::Suspended) {
                        LabelState::Suspended
                    } else {
                        LabelState::Open
                    },
                }
            }
            Some(u) => PackScan::Unit { level: u.level },
            None => PackScan::Unit { level },
        };
        let filling = self.filling()?;
        let fills: Vec<Filling> = filling.iter().map(filling_of).collect();
        match target(&order.spec, &fills, self.session.working, &kind)? {
            Targeting::AlreadyCurrent => {
                // The scanned label is the current container: a unit the store knows.
                let current = existing
                    .or_else(|| filling.into_iter().next())
                    .ok_or_else(|| Refusal::new(ReasonCode::UnknownUnit, "no current container"))?;
                Ok(Response::ok()
                    .container(&current)
                    .data(serde_json::json!({"selected": true, "already_current": true})))
            }
            Targeting::ConfirmSwitch { put_aside } => {
                let aside = filling
                    .iter()
                    .find(|u| u.level == put_aside.level)
                    .map_or(0, |u| u.id);
                self.session.pending = Some(Pending::Switch {
                    put_aside: aside,
                    scan: data.to_owned(),
                });
                let to = scanned.key().to_owned();
                Ok(Response::with_code(
                    ReasonCode::ConfirmSwitch,
                    Some(format!(
                        "{} is open: confirm to put it aside and fill {to}, or cancel",
                        put_aside.describe()
                    )),
                )
                .data(serde_json::json!({
                    "put_aside": put_aside.key,
                    "count": put_aside.count,
                    "capacity": put_aside.capacity,
                    "take": to,
                })))
            }
            Targeting::Take => match existing {
                None => {
                    let ctx = self.event_context();
                    let cmd = Cmd::new(self.store.begin()?, now);
                    self.session
                        .open_container(cmd, &scanned, &epc, level, &ctx)
                }
                Some(u) if u.state == Some(ContainerState::Suspended) => {
                    self.resume_unit(&u, false, now)
                }
                Some(u) => {
                    self.take_current(&u)?;
                    Ok(Response::ok()
                        .container(&u)
                        .data(serde_json::json!({"selected": true})))
                }
            },
            Targeting::Place(parent) => {
                let target = filling
                    .into_iter()
                    .find(|u| u.level == parent)
                    .ok_or_else(|| {
                        Refusal::new(
                            ReasonCode::NoOpenContainer,
                            format!("no {} is open", parent.as_str()),
                        )
                    })?;
                self.place_scanned(
                    &user, &order, existing, &scanned, &epc, level, &target, warning, now,
                )
            }
        }
    }

    /// EPC and level; an SGTIN of a product that is not the order's is refused by name.
    fn epc_and_level_for_order(
        &self,
        scanned: &Scanned,
        order: &WorkOrder,
    ) -> Result<(String, Level), Refusal> {
        match scanned {
            Scanned::Sgtin { sgtin, .. } if !self.products.contains_key(sgtin.gtin.as_str()) => {
                Err(Refusal::new(
                    ReasonCode::WrongProduct,
                    format!(
                        "GTIN {}, work order {} expects {}",
                        sgtin.gtin.as_str(),
                        order.id,
                        order.gtin
                    ),
                ))
            }
            s => self.epc_and_level(s),
        }
    }

    /// Packs many scans into the current container in one transaction (a camera layer read).
    /// Each scan gets its own verdict; accepted ones are committed together.
    pub(crate) fn scan_batch(&mut self, data: &[String], now: i64) -> Outcome {
        let user = self.require_user()?;
        let order = self.require_work_order()?;
        if data.is_empty() || data.len() > MAX_BATCH {
            return Err(Refusal::new(
                ReasonCode::InvalidArgument,
                format!("a batch holds 1..{MAX_BATCH} scans, got {}", data.len()),
            )
            .into());
        }
        let prepared: Vec<PreparedScan> = data
            .iter()
            .map(|d| {
                let s = self.identify(d)?;
                let (epc, level) = self.epc_and_level_for_order(&s, &order)?;
                if level != Level::Pack {
                    return Err(Refusal::new(
                        ReasonCode::WrongLevel,
                        format!("{} is not a pack", s.key()),
                    ));
                }
                let w = pack_rules(&order, &s, level, now, self.settings.expiry_warn_days)?;
                Ok((s, epc, w))
            })
            .collect();
        let current = self.target_for_unit(Level::Pack)?;
        let ctx = self.event_context();
        let tx = self.store.begin()?;
        let mut cmd = Cmd::new(tx, now);
        let mut target = cmd.reload(&current)?;
        let mut results = Vec::with_capacity(data.len());
        let mut alerts = Vec::new();
        let mut accepted = 0usize;
        let mut closed = false;
        let mut first_refusal = None;
        for (d, p) in data.iter().zip(prepared) {
            match batch_item(&mut cmd, p, &mut target, &order) {
                Ok((code, detail, placed)) => {
                    accepted += usize::from(placed);
                    closed |= placed && target.state == Some(ContainerState::Closed);
                    results.push(
                        serde_json::json!({"scan": d, "ok": true, "code": code, "detail": detail}),
                    );
                }
                Err(Failure::Refused(r)) => {
                    if r.code.severity() == crate::domain::Severity::Alert {
                        alerts.push(r.clone());
                    }
                    first_refusal.get_or_insert(r.code);
                    results.push(serde_json::json!({"scan": d, "ok": false, "code": r.code, "detail": r.detail}));
                }
                Err(e @ Failure::Store(_)) => return Err(e),
            }
        }
        if accepted > 0 {
            cmd.commit(
                "pack_batch",
                &user,
                &ctx,
                Some(&target.key),
                None,
                None,
                None,
            )?;
        } else {
            drop(cmd);
        }
        if accepted > 0 {
            self.session.working = Some(target.level);
        }
        let mut next = None;
        if closed {
            self.drop_current(target.level)?;
            if order.auto_open_next {
                next = Some(self.auto_open_next(target.level, now)?);
            }
        }
        for a in &alerts {
            self.record_alert(a, now);
        }
        let refused = results.iter().filter(|v| v["ok"] == false).count();
        let mut r = match first_refusal {
            None => Response::ok(),
            Some(code) => Response::with_code(
                code,
                Some(format!("{refused} of {} scans refused", data.len())),
            ),
        };
        r.closed = closed;
        Ok(r.container(&target).data(serde_json::json!({
            "accepted": accepted,
            "refused": refused,
            "results": results,
            "next": next,
        })))
    }

    /// `new_container`: the next new SSCC opens at `level` (or `sscc` opens now).
    pub(crate) fn new_container(&mut self, level: &str, sscc: Option<&str>, now: i64) -> Outcome {
        self.require_user()?;
        let order = self.require_work_order()?;
        let level = Level::parse(level)
            .filter(|l| order.spec.capacity(*l).is_some())
            .ok_or_else(|| {
                Refusal::new(
                    ReasonCode::WrongLevel,
                    format!(
                        "'{level}' is not a container level of work order {}",
                        order.id
                    ),
                )
            })?;
        self.session.next_level = Some(level);
        let Some(sscc) = sscc else {
            return Ok(Response::ok().data(serde_json::json!({"next_level": level.as_str()})));
        };
        let scanned = self.identify(sscc)?;
        if store::unit_by_key(self.store.conn(), scanned.key())?.is_some() {
            self.session.next_level = None;
            return Err(Refusal::new(
                ReasonCode::AlreadyExists,
                format!("{} is already in use", scanned.key()),
            )
            .into());
        }
        // The same path as scanning the label: another container of that level being filled
        // is put aside only when the packer confirms.
        self.pack_scan(sscc, now)
    }
}

/// A unit destroyed or decommissioned that was scanned again: a possible counterfeit (an alert).
pub(crate) fn seen_again(u: &UnitView) -> Refusal {
    Refusal::new(
        ReasonCode::InactiveSeenAgain,
        format!("{} was {} and was scanned again", u.key, u.status.as_str()),
    )
    .about(u.key.clone())
}

/// Refuses a unit that is no longer active: `INACTIVE_SEEN_AGAIN` (an alert) when it should not
/// physically exist any more, `INACTIVE` otherwise.
pub(crate) fn refuse_inactive(u: &UnitView) -> Result<(), Refusal> {
    if u.status.is_gone() {
        return Err(seen_again(u));
    }
    if !u.status.is_active() {
        return Err(Refusal::new(
            ReasonCode::Inactive,
            format!("{} is {}", u.key, u.status.as_str()),
        ));
    }
    Ok(())
}
