//! Log-in, users, products, work orders, serial lists, settings, alerts.

use super::{Failure, Outcome, Response, Station};
use crate::auth::{AuditEntry, Role, User, append_audit, authenticate, create_user, user_count};
use crate::domain::{Level, PackagingSpec, Product, ReasonCode, Refusal, WorkOrder};
use crate::gs1::{Gtin, SerialNumber, Sgtin};
use crate::store::{self, NewUnit, Tx};
use std::str::FromStr;

fn audit(
    tx: &Tx<'_>,
    now: i64,
    user: &str,
    action: &str,
    target: Option<&str>,
    new_value: Option<String>,
) -> Result<(), Failure> {
    append_audit(
        tx,
        &AuditEntry {
            time_ms: now,
            username: user.to_owned(),
            action: action.to_owned(),
            target: target.map(str::to_owned),
            new_value,
            ..AuditEntry::default()
        },
    )?;
    Ok(())
}

impl Station {
    pub(crate) fn require_admin(&self) -> Result<User, Refusal> {
        let user = self.require_user()?;
        if !user.role.can_administer() {
            return Err(Refusal::new(
                ReasonCode::NotAuthorized,
                format!(
                    "{} is a {}, not an administrator",
                    user.username,
                    user.role.as_str()
                ),
            ));
        }
        Ok(user)
    }

    pub(crate) fn init_admin(
        &mut self,
        username: &str,
        full_name: &str,
        password: &str,
        now: i64,
    ) -> Outcome {
        let tx = self.store.begin()?;
        if user_count(&tx)? > 0 {
            return Err(Refusal::new(
                ReasonCode::NotAuthorized,
                "users exist already: log in as an administrator",
            )
            .into());
        }
        let user = create_user(&tx, username, full_name, Role::Administrator, password, now)?;
        audit(
            &tx,
            now,
            username,
            "create_user",
            Some(username),
            Some("administrator (first run)".into()),
        )?;
        tx.commit()?;
        self.session.user = Some(user.clone());
        Ok(Response::ok().data(serde_json::json!({"user": user})))
    }

    pub(crate) fn login(&mut self, username: &str, password: &str, now: i64) -> Outcome {
        let tx = self.store.begin()?;
        let result = match authenticate(&tx, username, password, now) {
            Err(crate::auth::AuthError::Store(e)) => return Err(e.into()),
            r => r,
        };
        if let Err(e) = &result {
            // A failed log-in never leaves the previous user at the bench.
            if let Some(previous) = self.session.user.as_ref() {
                audit(
                    &tx,
                    now,
                    &previous.username,
                    "logout",
                    None,
                    Some(format!("a log-in as '{username}' failed")),
                )?;
            }
            audit(&tx, now, username, "login_failed", None, None)?;
            super::lockout::audit_lockout(&tx, now, e, super::lockout::Attempt::Login)?;
        } else {
            audit(&tx, now, username, "login", None, None)?;
        }
        tx.commit()?;
        if result.is_err() && self.session.user.is_some() {
            self.end_session();
        }
        let user = result?;
        self.session.user = Some(user.clone());
        self.session.pending = None;
        Ok(Response::ok().data(serde_json::json!({"user": user})))
    }

    pub(crate) fn logout(&mut self, now: i64) -> Outcome {
        let user = self.require_user()?;
        let tx = self.store.begin()?;
        audit(&tx, now, &user.username, "logout", None, None)?;
        tx.commit()?;
        self.end_session();
        Ok(Response::ok())
    }

    /// Forgets the session's user. The next user chooses the work order again: nobody packs
    /// into an order by accident.
    fn end_session(&mut self) {
        self.session.user = None;
        self.session.pending = None;
        self.session.work_order = None;
        self.session.current.clear();
        self.session.working = None;
        self.session.next_level = None;
        self.session.verify = None;
    }

    pub(crate) fn create_user(
        &mut self,
        username: &str,
        full_name: &str,
        role: Role,
        password: &str,
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let tx = self.store.begin()?;
        let user = create_user(&tx, username, full_name, role, password, now)?;
        audit(
            &tx,
            now,
            &admin.username,
            "create_user",
            Some(username),
            Some(role.as_str().to_owned()),
        )?;
        tx.commit()?;
        Ok(Response::ok().data(serde_json::json!({"user": user})))
    }

    pub(crate) fn add_product(
        &mut self,
        gtin: &str,
        name: &str,
        gcp_len: u8,
        level: Option<&str>,
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let gtin = Gtin::from_str(gtin)
            .map_err(|e| Refusal::new(ReasonCode::InvalidArgument, format!("GTIN {gtin}: {e}")))?;
        if !(6..=12).contains(&gcp_len) {
            return Err(Refusal::new(
                ReasonCode::InvalidArgument,
                format!("company prefix length {gcp_len} is not 6..12"),
            )
            .into());
        }
        let level = match level {
            None => Level::Pack,
            Some(l) => Level::parse(l)
                .filter(|l| *l <= Level::Case)
                .ok_or_else(|| {
                    Refusal::new(
                        ReasonCode::InvalidArgument,
                        format!("level '{l}' must be pack or case"),
                    )
                })?,
        };
        if name.trim().is_empty() {
            return Err(
                Refusal::new(ReasonCode::InvalidArgument, "the product name is empty").into(),
            );
        }
        let tx = self.store.begin()?;
        store::upsert_product(
            &tx,
            &Product {
                gtin: gtin.as_str().to_owned(),
                name: name.trim().to_owned(),
                company_prefix_len: gcp_len,
                level,
            },
        )?;
        audit(
            &tx,
            now,
            &admin.username,
            "add_product",
            Some(gtin.as_str()),
            Some(format!(
                "{} / prefix {gcp_len} / {}",
                name.trim(),
                level.as_str()
            )),
        )?;
        tx.commit()?;
        self.reload()?;
        Ok(Response::ok().data(serde_json::json!({"gtin": gtin.as_str()})))
    }

    // One argument per protocol field of `create_work_order`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_work_order(
        &mut self,
        id: &str,
        gtin: &str,
        lot: Option<&str>,
        expiry: Option<&str>,
        levels: &[super::LevelInput],
        auto_open_next: bool,
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let invalid = |m: String| Failure::Refused(Refusal::new(ReasonCode::InvalidArgument, m));
        if id.trim().is_empty() || id.len() > 64 || id.chars().any(char::is_control) {
            return Err(invalid(format!(
                "work order id '{id}' must be 1-64 printable characters"
            )));
        }
        let gtin = Gtin::from_str(gtin).map_err(|e| invalid(format!("GTIN {gtin}: {e}")))?;
        if !self.products.contains_key(gtin.as_str()) {
            return Err(invalid(format!(
                "GTIN {} is not a known product: add it first",
                gtin.as_str()
            )));
        }
        if let Some(l) = lot {
            crate::gs1::Lot::from_str(l).map_err(|e| invalid(format!("batch '{l}': {e}")))?;
        }
        if let Some(e) = expiry {
            crate::gs1::Expiry::from_str(e)
                .map_err(|err| invalid(format!("expiry '{e}': {err}")))?;
        }
        let mut spec_levels = Vec::new();
        for l in levels {
            let level = Level::parse(&l.level)
                .ok_or_else(|| invalid(format!("unknown level '{}'", l.level)))?;
            spec_levels.push((level, l.capacity));
        }
        let spec = PackagingSpec::new(&spec_levels).map_err(|e| invalid(e.to_string()))?;
        let tx = self.store.begin()?;
        let order = WorkOrder {
            id: id.to_owned(),
            gtin: gtin.as_str().to_owned(),
            lot: lot.map(str::to_owned),
            expiry: expiry.map(str::to_owned),
            spec,
            has_serial_list: false,
            auto_open_next,
        };
        if !store::insert_work_order(&tx, &order, now)? {
            return Err(
                Refusal::new(ReasonCode::AlreadyExists, format!("work order {id} exists")).into(),
            );
        }
        audit(
            &tx,
            now,
            &admin.username,
            "create_work_order",
            Some(id),
            Some(format!(
                "{} {} {} {}",
                gtin.as_str(),
                lot.unwrap_or("-"),
                expiry.unwrap_or("-"),
                store::format_spec(&order.spec)
            )),
        )?;
        tx.commit()?;
        Ok(Response::ok().data(serde_json::json!({"work_order": id})))
    }

    /// `set_work_order_option`: the work order's "open the next container automatically".
    pub(crate) fn set_work_order_option(
        &mut self,
        id: &str,
        auto_open_next: bool,
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let tx = self.store.begin()?;
        if !store::set_auto_open_next(&tx, id, auto_open_next)? {
            return Err(Refusal::new(
                ReasonCode::UnknownWorkOrder,
                format!("no work order '{id}'"),
            )
            .into());
        }
        audit(
            &tx,
            now,
            &admin.username,
            "set_work_order_option",
            Some(id),
            Some(format!("auto_open_next={auto_open_next}")),
        )?;
        tx.commit()?;
        if self.session.work_order.as_ref().is_some_and(|w| w.id == id) {
            self.session.work_order = store::load_work_order(self.store.conn(), id)?;
        }
        Ok(Response::ok()
            .data(serde_json::json!({"work_order": id, "auto_open_next": auto_open_next})))
    }

    pub(crate) fn import_serials(
        &mut self,
        work_order: &str,
        serials: &[String],
        now: i64,
    ) -> Outcome {
        let admin = self.require_admin()?;
        let order = store::load_work_order(self.store.conn(), work_order)?.ok_or_else(|| {
            Refusal::new(
                ReasonCode::UnknownWorkOrder,
                format!("no work order '{work_order}'"),
            )
        })?;
        let product = self.products.get(&order.gtin).cloned().ok_or_else(|| {
            Refusal::new(
                ReasonCode::WrongProduct,
                format!("GTIN {} unknown", order.gtin),
            )
        })?;
        let gtin = Gtin::from_str(&order.gtin)
            .map_err(|e| Refusal::new(ReasonCode::InvalidArgument, e.to_string()))?;
        // Validate everything before writing anything.
        let mut parsed = Vec::with_capacity(serials.len());
        for s in serials {
            let serial = SerialNumber::from_str(s).map_err(|e| {
                Refusal::new(ReasonCode::InvalidArgument, format!("serial '{s}': {e}"))
            })?;
            let sgtin = Sgtin {
                gtin: gtin.clone(),
                serial,
            };
            let epc = sgtin
                .epc_uri(product.company_prefix_len)
                .map_err(|e| Refusal::new(ReasonCode::InvalidArgument, e.to_string()))?;
            parsed.push((sgtin.unit_key(), epc));
        }
        let tx = self.store.begin()?;
        let mut added = 0u64;
        let mut listed = Vec::new();
        for (key, epc) in &parsed {
            if store::unit_by_key(&tx, key)?.is_some() {
                continue;
            }
            listed.push(key.as_str());
            store::insert_unit(
                &tx,
                &NewUnit {
                    key,
                    epc,
                    level: Level::Pack,
                    gtin: Some(&order.gtin),
                    lot: order.lot.as_deref(),
                    expiry: order.expiry.as_deref(),
                    state: None,
                    capacity: None,
                    work_order: Some(&order.id),
                    listed: true,
                    time_ms: now,
                },
            )?;
            added += 1;
        }
        store::set_has_serial_list(&tx, work_order)?;
        // The units made here are the record's evidence: `audit verify` checks the units
        // table against it (issue 16).
        append_audit(
            &tx,
            &AuditEntry {
                time_ms: now,
                username: admin.username.clone(),
                action: "import_serials".to_owned(),
                target: Some(work_order.to_owned()),
                new_value: Some(format!("{added} new of {}", parsed.len())),
                evidence: Some(serde_json::json!({ "listed": listed }).to_string()),
                ..AuditEntry::default()
            },
        )?;
        tx.commit()?;
        if self
            .session
            .work_order
            .as_ref()
            .is_some_and(|w| w.id == work_order)
        {
            self.session.work_order = store::load_work_order(self.store.conn(), work_order)?;
        }
        Ok(Response::ok().data(serde_json::json!({"added": added, "total": parsed.len()})))
    }

    pub(crate) fn select_work_order(&mut self, id: &str, now: i64) -> Outcome {
        let user = self.require_user()?;
        let order = store::load_work_order(self.store.conn(), id)?.ok_or_else(|| {
            Refusal::new(
                ReasonCode::UnknownWorkOrder,
                format!("no work order '{id}'"),
            )
        })?;
        let tx = self.store.begin()?;
        audit(
            &tx,
            now,
            &user.username,
            "select_work_order",
            Some(id),
            None,
        )?;
        tx.commit()?;
        self.session.next_level = None;
        let spec: Vec<serde_json::Value> = order
            .spec
            .levels()
            .iter()
            .map(|(l, c)| serde_json::json!({"level": l.as_str(), "capacity": c}))
            .collect();
        let data = serde_json::json!({"work_order": order.id, "gtin": order.gtin, "lot": order.lot, "expiry": order.expiry, "levels": spec, "serial_list": order.has_serial_list});
        self.session.work_order = Some(order);
        // What the bench was filling for this order, exactly as it was left (the answer's
        // `filling` names it).
        self.restore_current()?;
        Ok(Response::ok().data(data))
    }

    pub(crate) fn set_setting(&mut self, key: &str, value: &str, now: i64) -> Outcome {
        let admin = self.require_admin()?;
        let invalid = |m: String| Failure::Refused(Refusal::new(ReasonCode::InvalidArgument, m));
        match key {
            "read_point" | "biz_location" => {
                use crate::gs1::epc_uri::{EpcScheme, EpcUri, EpcUriForm};
                let sgln = value
                    .parse::<EpcUri>()
                    .is_ok_and(|epc| (epc.form, epc.scheme) == (EpcUriForm::Id, EpcScheme::Sgln));
                if !sgln {
                    return Err(invalid(format!(
                        "{key} must be an SGLN URI (urn:epc:id:sgln:...), got '{value}'"
                    )));
                }
            }
            super::OWNER_GLN_SETTING => super::owner::check_owner_gln(value).map_err(invalid)?,
            "time_zone_offset" => {
                // Bytes, not string slices: a multi-byte character must be refused, not split.
                let two = |d: &[u8]| match d {
                    [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some((a - b'0') * 10 + (b - b'0')),
                    _ => None,
                };
                let ok = match value.as_bytes() {
                    [b'+' | b'-', h @ .., b':', m1, m2] if h.len() == 2 => {
                        two(h).is_some_and(|h| h <= 14) && two(&[*m1, *m2]).is_some_and(|m| m < 60)
                    }
                    _ => false,
                };
                if !ok {
                    return Err(invalid(format!(
                        "time_zone_offset must look like +01:00, got '{value}'"
                    )));
                }
            }
            "expiry_warn_days" => {
                value.parse::<u16>().map_err(|_| {
                    invalid(format!("expiry_warn_days must be 0..65535, got '{value}'"))
                })?;
            }
            "sscc_company_prefix_length" => {
                if !value.parse::<u8>().is_ok_and(|n| (6..=12).contains(&n)) {
                    return Err(invalid(format!(
                        "sscc_company_prefix_length must be 6..12, got '{value}'"
                    )));
                }
            }
            "printer" => {
                if value != "none" && crate::labels::printer::PrinterTarget::parse(value).is_none()
                {
                    return Err(invalid(format!(
                        "printer must be tcp:HOST:PORT, file:PATH or none, got '{value}'"
                    )));
                }
            }
            "label_template" => {
                if crate::labels::Template::parse(value).is_none() {
                    return Err(invalid(format!(
                        "label_template must be 4x6, a6 or 100x150, got '{value}'"
                    )));
                }
            }
            "label_dpi" | "sscc_low_stock" => {
                value
                    .parse::<u32>()
                    .map_err(|_| invalid(format!("{key} must be a number, got '{value}'")))?;
            }
            "label_verify_before_close" => {
                if !matches!(value, "true" | "false") {
                    return Err(invalid(format!(
                        "label_verify_before_close must be true or false, got '{value}'"
                    )));
                }
            }
            _ => return Err(invalid(format!("unknown setting '{key}'"))),
        }
        let tx = self.store.begin()?;
        let old = store::setting(&tx, key)?;
        store::set_setting(&tx, key, value)?;
        append_audit(
            &tx,
            &AuditEntry {
                time_ms: now,
                username: admin.username.clone(),
                action: "set_setting".into(),
                target: Some(key.to_owned()),
                old_value: old,
                new_value: Some(value.to_owned()),
                ..AuditEntry::default()
            },
        )?;
        tx.commit()?;
        self.reload()?;
        Ok(Response::ok())
    }

    pub(crate) fn acknowledge_alert(&mut self, id: i64, now: i64) -> Outcome {
        let user = self.require_user()?;
        if !user.role.can_sign() {
            return Err(Refusal::new(
                ReasonCode::NotAuthorized,
                "only a supervisor can acknowledge an alert",
            )
            .into());
        }
        let tx = self.store.begin()?;
        if !store::acknowledge_alert(&tx, id, &user.username, now)? {
            return Err(
                Refusal::new(ReasonCode::InvalidArgument, format!("no open alert {id}")).into(),
            );
        }
        audit(
            &tx,
            now,
            &user.username,
            "acknowledge_alert",
            Some(&id.to_string()),
            None,
        )?;
        tx.commit()?;
        Ok(Response::ok())
    }
}
