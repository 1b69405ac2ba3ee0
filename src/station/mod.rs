//! The station service: executes one [`Request`] at a time against the local store and answers
//! with a [`Response`].
//!
//! Every state change is one SQLite transaction that writes the new unit state, the EPCIS events,
//! the outbox row, the signature and the audit record together; the answer is built only after the
//! commit, so a success shown to the user is already on disk. Refusals change no state: each is
//! recorded as evidence (`refusals.rs`), and counterfeit alerts and failed log-ins are also
//! recorded on purpose.
//!
//! The GUI runs a `Station` on its own thread behind a channel; the CLI and tests call it directly.

mod admin;
mod adopt;
mod bench;
mod closeout;
mod cmd;
mod containers;
mod content_label;
mod events;
mod evidence;
mod failure;
mod history;
mod hold;
mod hold_cmd;
mod import_epcis;
mod labels;
mod link;
mod lockout;
mod mode;
mod ops;
mod owner;
mod place;
mod query;
mod ranges;
mod recall;
mod refusals;
mod request;
mod response;
mod returns;
mod returns_answer;
mod returns_file;
mod rework;
mod scan;
mod shift;
mod signing;
mod stale;
mod training;
mod tree;
mod verify;
mod verify_view;
mod vrs_link;

pub use crate::store::AlertInfo;
pub use adopt::Origin;
pub use bench::SuspendedInfo;
pub use events::{AUDIT_ANCHOR_FIELD, PB_NAMESPACE};
pub use evidence::{
    AnchorPoint, Finding, VerifyReport, anchor_head, unsigned_command_evidence, verify_all,
};
pub use hold_cmd::{HOLD_MEANING, RELEASE_MEANING};
pub use link::{LinkError, RepositoryLink};
pub use mode::{Mode, UnknownMode};
pub use owner::{OWNER_GLN_SETTING, OwnerGln};
pub use ranges::AddedSsccRange;
pub use recall::{recall_csv, recall_report};
pub use refusals::{MAX_DETAIL_CHARS, MAX_SCAN_CHARS, is_refusal};
pub use request::{LevelInput, Request, SignatureInput};
pub use response::{ContainerInfo, Response, UnitInfo};
pub use returns::check_code;
pub use returns_file::{csv_cell, returns_csv};
pub use shift::{
    AlertLine, Completed, HoldLine, HourCount, ReasonCount, RefusalLine, ShiftSummary,
    SuspendedLine, SyncBacklog,
};
pub use stale::{StaleCheck, check_stale};
pub use tree::{TreeNode, TreeSnapshot};
pub use verify::{VERIFY_MEANING, VerifyClass, VerifyCounts, VerifyItem, VerifyView};
pub use vrs_link::{VerificationLink, VrsExchange, VrsLinkError, VrsQuery};

use crate::auth::User;
use crate::domain::{Level, Product, ReasonCode, Refusal, Severity, WorkOrder};
use crate::store::{Store, StoreError};
use events::EventContext;
pub(crate) use failure::Failure;
use std::collections::HashMap;
use std::path::Path;

/// Milliseconds since the Unix epoch; tests pass a fake clock.
pub type Clock = Box<dyn FnMut() -> i64 + Send>;

/// The system clock.
pub fn system_clock() -> Clock {
    Box::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    })
}

/// A step waiting for `confirm`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Move {
        item: i64,
        target: i64,
    },
    /// Put the container being filled aside and take the one scanned (`scan` is its label).
    Switch {
        put_aside: i64,
        scan: String,
    },
    /// Resume a container that changed while it was put aside (the packer checked it).
    Resume {
        unit: i64,
    },
}

pub(crate) type Outcome = Result<Response, Failure>;

/// Station settings (from the `settings` table).
#[derive(Debug, Clone)]
struct Settings {
    read_point: Option<String>,
    biz_location: Option<String>,
    /// Whose GLN the work orders' business transactions carry (`owner.rs`).
    owner: OwnerGln,
    tz_offset: String,
    expiry_warn_days: i64,
    sscc_company_prefix_len: Option<u8>,
}

/// Who is working on what, right now.
#[derive(Debug)]
pub(crate) struct Session {
    user: Option<User>,
    work_order: Option<WorkOrder>,
    mode: Mode,
    pending: Option<Pending>,
    next_level: Option<Level>,
    /// The container being filled, per level (taken only when the packer scans or creates one,
    /// or confirms a switch; kept in the store for a restart).
    current: HashMap<Level, i64>,
    /// The level the packer worked at last (filled, opened, selected or closed): a unit of
    /// another level is then named as the wrong level.
    working: Option<Level>,
    /// The contents check in progress (scans are recorded, not packed).
    verify: Option<verify::VerifyState>,
}

impl Session {
    fn require_user(&self) -> Result<User, Refusal> {
        self.user
            .clone()
            .ok_or_else(|| Refusal::new(ReasonCode::NotLoggedIn, "no user is logged in"))
    }

    fn require_work_order(&self) -> Result<WorkOrder, Refusal> {
        self.work_order
            .clone()
            .ok_or_else(|| Refusal::new(ReasonCode::NoWorkOrder, "no work order is selected"))
    }
}

/// The station: one store, one session.
pub struct Station {
    store: Store,
    clock: Clock,
    last_time_ms: i64,
    session: Session,
    products: HashMap<String, Product>,
    settings: Settings,
    parse_options: crate::gs1::ParseOptions,
    /// The label printer worker and the target it was started for.
    printer: Option<(String, crate::labels::printer::PrinterWorker)>,
    /// Print jobs submitted and not yet reported.
    print_pending: usize,
    /// The site repository, when one is configured (adoption, stale checks, corrections).
    link: Option<Box<dyn RepositoryLink>>,
    /// The verification service of the returns desk, when one is configured.
    vrs: Option<Box<dyn VerificationLink>>,
}

impl Station {
    /// Opens the station on the database in `data_dir` with the system clock.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::with_clock(Store::open_dir(data_dir)?, system_clock())
    }

    /// A station on an open store with a given clock.
    pub fn with_clock(store: Store, clock: Clock) -> Result<Self, StoreError> {
        let mut station = Self {
            store,
            clock,
            last_time_ms: 0,
            session: Session {
                user: None,
                work_order: None,
                mode: Mode::Pack,
                pending: None,
                next_level: None,
                current: HashMap::new(),
                working: None,
                verify: None,
            },
            products: HashMap::new(),
            settings: Settings {
                read_point: None,
                biz_location: None,
                owner: OwnerGln::Missing,
                tz_offset: "+00:00".to_owned(),
                expiry_warn_days: 30,
                sscc_company_prefix_len: None,
            },
            parse_options: crate::gs1::ParseOptions::default(),
            printer: None,
            print_pending: 0,
            link: None,
            vrs: None,
        };
        station.reload()?;
        station.last_time_ms = crate::store::last_event_time(station.store.conn())?.unwrap_or(0);
        Ok(station)
    }

    /// Connects the station to the site repository (or disconnects it with `None`).
    pub fn set_repository_link(&mut self, link: Option<Box<dyn RepositoryLink>>) {
        self.link = link;
    }

    /// Connects the returns desk to its verification service (or disconnects it with `None`).
    pub fn set_verification_link(&mut self, link: Option<Box<dyn VerificationLink>>) {
        self.vrs = link;
    }

    /// The store (read-only use: exports, tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The logged-in user.
    pub fn user(&self) -> Option<&User> {
        self.session.user.as_ref()
    }

    /// The selected work order.
    pub fn work_order(&self) -> Option<&WorkOrder> {
        self.session.work_order.as_ref()
    }

    /// The current scan mode.
    pub fn mode(&self) -> Mode {
        self.session.mode
    }

    /// Whose GLN the work orders' business transactions carry, and from which setting.
    pub fn owner_gln(&self) -> &OwnerGln {
        &self.settings.owner
    }

    fn reload(&mut self) -> Result<(), StoreError> {
        let conn = self.store.conn();
        self.products = crate::store::products(conn)?
            .into_iter()
            .map(|p| (p.gtin.clone(), p))
            .collect();
        let get = |k: &str| crate::store::setting(conn, k);
        self.settings.read_point = get("read_point")?;
        self.settings.biz_location = get("biz_location")?;
        self.settings.owner = OwnerGln::resolve(
            get(OWNER_GLN_SETTING)?.as_deref(),
            self.settings.biz_location.as_deref(),
        );
        if let Some(tz) = get("time_zone_offset")? {
            self.settings.tz_offset = tz;
        }
        if let Some(d) = get("expiry_warn_days")? {
            self.settings.expiry_warn_days = d.parse().unwrap_or(30);
        }
        self.settings.sscc_company_prefix_len =
            get("sscc_company_prefix_length")?.and_then(|v| v.parse().ok());
        Ok(())
    }

    /// A strictly increasing "now" (events of one station never share or reverse a time).
    fn now(&mut self) -> i64 {
        let t = (self.clock)().max(self.last_time_ms + 1);
        self.last_time_ms = t;
        t
    }

    fn event_context(&self) -> EventContext {
        self.event_context_for(self.session.work_order.as_ref())
    }

    /// The event context of a command about `order` (the selected one, or another one named).
    fn event_context_for(&self, order: Option<&WorkOrder>) -> EventContext {
        EventContext {
            read_point: self.settings.read_point.clone(),
            biz_location: self.settings.biz_location.clone(),
            tz_offset: self.settings.tz_offset.clone(),
            work_order: order.map(|w| w.id.clone()),
            // CBV: urn:epcglobal:cbv:bt:<owner's GLN>:<id>; none without an owner (`owner.rs`).
            work_order_uri: order.and_then(|w| self.settings.owner.biz_transaction(&w.id)),
            audit_anchor: None,
        }
    }

    /// Executes one command and answers. Never panics on bad input; a storage failure answers
    /// `STORAGE_ERROR` with nothing half-applied.
    pub fn execute(&mut self, req: Request) -> Response {
        let now = self.now();
        let refusal =
            refusals::RefusalContext::of(&req, self.session.user.as_ref(), self.session.mode);
        if !matches!(req, Request::Confirm | Request::Cancel | Request::Status) {
            self.session.pending = None;
        }
        let result = self.dispatch(req, now);
        // A command's events take `now`, `now + 1`, ... (one millisecond each): the next
        // command's time starts after the last of them, so an undo's reversing events never
        // come later than the packing that follows it.
        if let Ok(Some(last)) = crate::store::last_event_time(self.store.conn()) {
            self.last_time_ms = self.last_time_ms.max(last);
        }
        let mut answer = self.answer(result, now);
        self.record_refusals(&refusal, &mut answer, now); // evidence (station/refusals.rs)
        if self.session.user.is_some() && self.session.work_order.is_some() {
            answer.filling = self.current_containers();
        }
        answer
    }

    fn answer(&mut self, result: Outcome, now: i64) -> Response {
        match result {
            Ok(r) => r,
            Err(Failure::Refused(r)) if r.code.severity() == Severity::Alert => {
                self.record_alert(&r, now)
            }
            Err(Failure::Refused(r)) => r.into(),
            Err(Failure::Store(e)) => {
                Response::with_code(ReasonCode::StorageError, Some(e.to_string()))
            }
        }
    }

    fn dispatch(&mut self, req: Request, now: i64) -> Outcome {
        self.refuse_closed_order(&req)?;
        let offline = self.before_rework(&req, now)?;
        let answer = self.handle(req, now)?;
        Ok(match offline {
            Some(detail) => {
                if answer.ok {
                    // The sync worker asks the repository before it sends this change.
                    let tx = self.store.begin()?;
                    crate::store::mark_latest_unverified(&tx)?;
                    tx.commit()?;
                }
                answer.offline(&detail)
            }
            None => answer,
        })
    }

    fn handle(&mut self, req: Request, now: i64) -> Outcome {
        match req {
            Request::InitAdmin {
                user,
                full_name,
                password,
            } => self.init_admin(&user, &full_name, &password, now),
            Request::Login { user, password } => self.login(&user, &password, now),
            Request::Logout => {
                let r = self.logout(now)?;
                self.session.verify = None;
                Ok(r)
            }
            Request::CreateUser {
                user,
                full_name,
                role,
                password,
            } => self.create_user(&user, &full_name, role, &password, now),
            Request::AddProduct {
                gtin,
                name,
                company_prefix_length,
                level,
            } => self.add_product(&gtin, &name, company_prefix_length, level.as_deref(), now),
            Request::CreateWorkOrder {
                id,
                gtin,
                lot,
                expiry,
                levels,
                auto_open_next,
            } => self.create_work_order(
                &id,
                &gtin,
                lot.as_deref(),
                expiry.as_deref(),
                &levels,
                auto_open_next,
                now,
            ),
            Request::ImportSerials {
                work_order,
                serials,
            } => self.import_serials(&work_order, &serials, now),
            Request::SelectWorkOrder { id } => self.select_work_order(&id, now),
            Request::SetSetting { key, value } => self.set_setting(&key, &value, now),
            Request::Scan { data } => {
                if let Some(verified) = self.verify_pending_label(&data, now)? {
                    return Ok(verified);
                }
                self.scan(&data, now)
            }
            Request::ScanBatch { data } => self.scan_batch(&data, now),
            Request::Mode { mode } => {
                self.require_user()?;
                self.session.mode = mode;
                Ok(Response::ok().data(serde_json::json!({"mode": mode.as_str()})))
            }
            Request::NewContainer { level, sscc } => {
                self.new_container(&level, sscc.as_deref(), now)
            }
            Request::Close { scan, signature } => {
                self.close(scan.as_deref(), signature.as_ref(), now)
            }
            Request::Remove { scan } => self.remove(&scan, now),
            Request::Unpack { scan } => self.unpack(&scan, now),
            Request::Move { scan, to, confirm } => {
                self.move_request(&scan, to.as_deref(), confirm, now)
            }
            Request::SetWorkOrderOption { id, auto_open_next } => {
                self.set_work_order_option(&id, auto_open_next, now)
            }
            Request::Suspend {
                scan,
                note,
                remainder_label,
            } => self.suspend_request(scan.as_deref(), note.as_deref(), remainder_label, now),
            Request::Resume { scan } => self.resume_request(&scan, now),
            Request::Suspended { work_order } => self.suspended_list(work_order.as_deref()),
            Request::Confirm => self.confirm(now),
            Request::Cancel => {
                if self.session.pending.take().is_none() {
                    return Err(
                        Refusal::new(ReasonCode::NothingToConfirm, "nothing is pending").into(),
                    );
                }
                Ok(Response::ok())
            }
            Request::Replace {
                damaged,
                replacement,
                reason,
                destroy,
                signature,
            } => self.replace(
                &damaged,
                &replacement,
                reason,
                destroy,
                signature.as_ref(),
                now,
            ),
            Request::Relabel { old, new } => self.relabel(&old, &new, now),
            Request::Retire {
                scan,
                kind,
                reason,
                comment,
                signature,
            } => self.retire(
                &scan,
                kind,
                reason,
                comment.as_deref(),
                signature.as_ref(),
                now,
            ),
            Request::Hold {
                scan,
                gtin,
                lot,
                reason,
                comment,
                signature,
            } => self.hold(
                hold_cmd::HoldTarget {
                    scan: scan.as_deref(),
                    gtin: gtin.as_deref(),
                    lot: lot.as_deref(),
                },
                reason,
                comment.as_deref(),
                signature.as_ref(),
                now,
            ),
            Request::Release {
                hold,
                scan,
                gtin,
                lot,
                reason,
                signature,
            } => self.release(
                hold,
                hold_cmd::HoldTarget {
                    scan: scan.as_deref(),
                    gtin: gtin.as_deref(),
                    lot: lot.as_deref(),
                },
                &reason,
                signature.as_ref(),
                now,
            ),
            Request::Holds => self.holds_request(),
            Request::Undo { signature } => self.undo(signature.as_ref(), now),
            Request::VerifyStart { container } => self.verify_start(&container),
            Request::VerifyStatus => self.verify_status(),
            Request::VerifyCancel => self.verify_cancel(),
            Request::VerifyConfirm {
                move_foreign,
                signature,
            } => self.verify_confirm(move_foreign, signature.as_ref(), now),
            Request::Lookup { scan } => self.lookup(&scan),
            Request::VerifyReturn { scan } => self.verify_return(&scan, now),
            Request::ReturnsRetry => self.returns_retry(now),
            Request::Returns { limit } => self.returns_list(limit),
            Request::Trace { scan } => self.trace_request(&scan, now),
            Request::Recall {
                gtin,
                lot,
                scan,
                units,
            } => self.recall_request(gtin.as_deref(), lot.as_deref(), scan.as_deref(), units, now),
            Request::Manifest { scan } => self.manifest(&scan),
            Request::AcknowledgeAlert { id } => self.acknowledge_alert(id, now),
            Request::Status => self.status(),
            Request::AddSsccRange {
                company_prefix,
                extension_digit,
                first,
                last,
                source,
            } => self.add_sscc_range(
                &company_prefix,
                extension_digit,
                first,
                last,
                source.as_deref(),
                now,
            ),
            Request::PrintLabel { level, scan } => {
                self.print_label(level.as_deref(), scan.as_deref(), now)
            }
            Request::ReprintLabel { scan, reason } => self.reprint_label(&scan, &reason, now),
            Request::VerifyLabel { scan } => self.verify_label(&scan, now),
            Request::VoidLabel { scan, reason } => self.void_label(&scan, &reason, now),
            Request::PrintStatus { wait_ms } => Ok(self.print_status(wait_ms.unwrap_or(0))),
            Request::Tree { scan } => self.tree_request(scan.as_deref()),
            Request::ShiftSummary { hours, until_ms } => self.shift_summary(hours, until_ms, now),
            Request::RecordRefusal { code, scan, detail } => {
                self.record_refusal_request(&code, scan.as_deref(), detail.as_deref(), now)
            }
            Request::Adopt { scan } => self.adopt_request(&scan, now),
            Request::ImportEpcis { paths } => self.import_epcis(&paths, now),
            Request::Reconcile { work_order } => self.reconcile(work_order.as_deref()),
            Request::UnusedSerials { count } => self.unused_serials(count),
            Request::CloseWorkOrder {
                work_order,
                decommission_leftovers,
                signature,
            } => self.close_work_order(
                work_order.as_deref(),
                decommission_leftovers,
                signature.as_ref(),
                now,
            ),
        }
    }

    fn require_user(&self) -> Result<User, Refusal> {
        self.session.require_user()
    }

    fn require_work_order(&self) -> Result<WorkOrder, Refusal> {
        self.session.require_work_order()
    }
}
