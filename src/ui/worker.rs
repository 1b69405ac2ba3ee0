//! The station worker: owns the [`Station`] (and with it the SQLite connection) on its own named
//! thread. The UI sends [`WorkerCommand`]s and drains [`WorkerMessage`]s; after every answer the
//! worker publishes a fresh [`Snapshot`] (the view model) and wakes the UI.

use super::demo;
use crate::auth::Role;
use crate::domain::ReasonCode;
use crate::station::{
    AlertInfo, ContainerInfo, Mode, Request, Response, Station, TreeSnapshot, VerifyView,
};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Wakes the UI (in the app: `ctx.request_repaint()`).
pub type Waker = Box<dyn Fn() + Send>;

/// What the UI asks the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerCommand {
    /// Execute one station command; the answer comes back tagged with `tag`.
    Execute {
        /// Caller's tag, echoed in the answer.
        tag: u64,
        /// The command.
        request: Request,
    },
    /// First start: create the administrator and the training data, and log the admin in.
    FirstRun {
        /// User name.
        user: String,
        /// Printed name.
        full_name: String,
        /// Password.
        password: String,
    },
    /// Find a unit by part of its key (a serial, part of an SSCC) and show its tree; the
    /// answer is [`WorkerMessage::Found`].
    Find {
        /// What was typed.
        needle: String,
    },
    /// Show the tree of the container holding this unit (instead of the one being filled).
    FocusTree {
        /// Any unit of the tree; `None` follows the container being filled again.
        scan: Option<String>,
    },
}

/// The logged-in user, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    /// Log-in name.
    pub username: String,
    /// Printed name.
    pub full_name: String,
    /// Role.
    pub role: Role,
}

/// The selected work order, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderView {
    /// Order id.
    pub id: String,
    /// GTIN.
    pub gtin: String,
    /// Product name.
    pub product: String,
    /// Batch.
    pub lot: Option<String>,
    /// Expiry YYMMDD.
    pub expiry: Option<String>,
    /// Packaging spec, e.g. `case:20,pallet:4`.
    pub spec: String,
}

/// The training panel's next codes (training work order only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainingNext {
    /// The first training case label not used yet.
    pub case: u32,
    /// The first training pallet label not used yet.
    pub pallet: u32,
    /// The first training pack not packed yet (past [`demo::SERIALS`]: none left).
    pub pack: u32,
}

/// Everything the station screen draws, published by the worker after every command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// No user exists yet: the first-run dialog is due.
    pub first_run: bool,
    /// Who is logged in.
    pub user: Option<UserView>,
    /// The selected work order.
    pub work_order: Option<WorkOrderView>,
    /// All work orders.
    pub work_orders: Vec<String>,
    /// Scan mode.
    pub mode: Mode,
    /// Containers being filled, lowest level first.
    pub current: Vec<ContainerInfo>,
    /// Containers of the work order put aside partly filled (scan one to resume it).
    pub suspended: Vec<crate::station::SuspendedInfo>,
    /// The live tree (during a contents check: the container checked, each row marked).
    pub tree: TreeSnapshot,
    /// The contents check in progress: expected vs seen, classified.
    pub verify: Option<VerifyView>,
    /// Unacknowledged counterfeit alerts.
    pub alerts: Vec<AlertInfo>,
    /// Outbox batches: queued, sent, failed (parked).
    pub outbox: (i64, i64, i64),
    /// Users (administrators see the list).
    pub users: Vec<(String, String, String)>,
    /// Station identity (SGLN of the read point).
    pub read_point: Option<String>,
    /// The label printed and not yet scanned back (scan-to-verify), as a bracketed key.
    pub label_awaiting_scan: Option<String>,
    /// SSCCs left when the label ranges run low (the low-stock warning).
    pub sscc_low_stock: Option<u64>,
    /// The printer setting (`tcp:HOST:PORT`, `file:PATH`, `none`).
    pub printer: Option<String>,
    /// The label template setting (`4x6`, `a6`, `100x150`).
    pub label_template: Option<String>,
    /// Whose GLN the events' work-order business transactions carry.
    pub owner_gln: crate::station::OwnerGln,
    /// The training panel's next codes, while the training work order is selected.
    pub training: Option<TrainingNext>,
}

/// What the worker sends back.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerMessage {
    /// The answer to an `Execute` (sent before the snapshot, so the verdict shows at once).
    Answer {
        /// The caller's tag.
        tag: u64,
        /// The command answered.
        request: Request,
        /// The answer.
        response: Box<Response>,
    },
    /// A fresh view model.
    Snapshot(Box<Snapshot>),
    /// The answer to [`WorkerCommand::Find`] (sent before the snapshot showing its tree).
    Found {
        /// What was typed.
        needle: String,
        /// The unit's key, when the station knows one.
        key: Option<String>,
    },
    /// The preview of a label just printed (rendered on the worker, never in the frame).
    LabelPreview {
        /// The label's bracketed key.
        key: String,
        /// The label, one pixel per printer dot.
        image: std::sync::Arc<egui::ColorImage>,
    },
}

/// The UI's end of the worker.
#[derive(Debug)]
pub struct WorkerHandle {
    commands: Sender<WorkerCommand>,
    messages: Receiver<WorkerMessage>,
}

impl WorkerHandle {
    /// Starts the worker thread on a station.
    pub fn spawn(station: Station, waker: Waker) -> std::io::Result<Self> {
        let (cmd_tx, cmd_rx) = channel::<WorkerCommand>();
        let (msg_tx, msg_rx) = channel::<WorkerMessage>();
        std::thread::Builder::new()
            .name("station".to_owned())
            .spawn(move || run(station, &cmd_rx, &msg_tx, &waker))?;
        Ok(Self {
            commands: cmd_tx,
            messages: msg_rx,
        })
    }

    /// Sends a command (a stopped worker is reported by the next drain).
    pub fn send(&self, command: WorkerCommand) -> bool {
        self.commands.send(command).is_ok()
    }

    /// The next message, if one is waiting (never blocks).
    pub fn try_recv(&self) -> Option<WorkerMessage> {
        self.messages.try_recv().ok()
    }

    /// Waits up to `timeout` for the next message (tests and benchmarks only; the UI never waits).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<WorkerMessage> {
        self.messages.recv_timeout(timeout).ok()
    }
}

fn run(
    mut station: Station,
    commands: &Receiver<WorkerCommand>,
    messages: &Sender<WorkerMessage>,
    waker: &Waker,
) {
    let mut focus: Option<String> = None;
    let mut training = TrainingNext::default();
    if messages
        .send(WorkerMessage::Snapshot(Box::new(snapshot(&station, None))))
        .is_err()
    {
        return;
    }
    waker();
    while let Ok(command) = commands.recv() {
        match command {
            WorkerCommand::Execute { tag, request } => {
                let response = station.execute(request.clone());
                // Follow what was just touched: a scan into another pallet shows that pallet.
                if let Some(c) = &response.container {
                    // The tree shows what is being filled anyway; a container elsewhere (a scan
                    // into another pallet) is shown in front of it.
                    let filling = response.filling.iter().any(|f| f.key == c.key);
                    focus = (!filling).then(|| c.key.clone());
                } else if matches!(request, Request::Logout | Request::SelectWorkOrder { .. }) {
                    focus = None;
                }
                let preview = label_preview(&station, &request, &response);
                let answer = WorkerMessage::Answer {
                    tag,
                    request,
                    response: Box::new(response),
                };
                if messages.send(answer).is_err() {
                    return;
                }
                if let Some(p) = preview
                    && messages.send(p).is_err()
                {
                    return;
                }
                waker();
            }
            WorkerCommand::FirstRun {
                user,
                full_name,
                password,
            } => {
                let response = demo::first_run(&mut station, &user, &full_name, &password);
                let answer = WorkerMessage::Answer {
                    tag: 0,
                    request: Request::Status,
                    response: Box::new(response),
                };
                if messages.send(answer).is_err() {
                    return;
                }
            }
            WorkerCommand::FocusTree { scan } => focus = scan,
            WorkerCommand::Find { needle } => {
                let key = station.find_unit(&needle);
                if key.is_some() {
                    focus.clone_from(&key);
                }
                if messages.send(WorkerMessage::Found { needle, key }).is_err() {
                    return;
                }
            }
        }
        let mut next = snapshot(&station, focus.as_deref());
        if next.user.is_some()
            && next
                .work_order
                .as_ref()
                .is_some_and(|w| w.id == demo::WORK_ORDER)
        {
            training = training_next(&station, training);
            next.training = Some(training);
        }
        if messages
            .send(WorkerMessage::Snapshot(Box::new(next)))
            .is_err()
        {
            return;
        }
        waker();
    }
}

/// Builds the view model (on the worker thread; reads the store).
pub fn snapshot(station: &Station, focus: Option<&str>) -> Snapshot {
    let user = station.user().map(|u| UserView {
        username: u.username.clone(),
        full_name: u.full_name.clone(),
        role: u.role,
    });
    let work_order = station.work_order().map(|w| WorkOrderView {
        id: w.id.clone(),
        gtin: w.gtin.clone(),
        product: station.product_name(&w.gtin).unwrap_or_default().to_owned(),
        lot: w.lot.clone(),
        expiry: w.expiry.clone(),
        spec: crate::store::format_spec(&w.spec),
    });
    let current = station.current_containers();
    let verify = station.verify_view();
    let tree = if let Some(v) = &verify {
        v.tree()
    } else if user.is_some() {
        live_tree(station, focus)
    } else {
        TreeSnapshot::default()
    };
    let users = station.users();
    Snapshot {
        first_run: users.is_empty(),
        user,
        work_order,
        work_orders: station.work_order_ids(),
        mode: station.mode(),
        current,
        suspended: station.suspended_containers(),
        tree,
        verify,
        alerts: station.open_alerts().unwrap_or_default(),
        outbox: station.outbox_counts(),
        users,
        read_point: station.setting("read_point"),
        label_awaiting_scan: station.label_awaiting_scan(),
        sscc_low_stock: station.sscc_low_stock(),
        printer: station.setting("printer"),
        label_template: station.setting("label_template"),
        owner_gln: station.owner_gln().clone(),
        training: None,
    }
}

/// The live tree: what is being filled (the pallet and, beside it, the case filling), and in
/// front of it the tree of the unit last touched or found when that is elsewhere. The pallet
/// never drops out of view while a case fills.
fn live_tree(station: &Station, focus: Option<&str>) -> TreeSnapshot {
    let filling = station.tree(None).unwrap_or_default();
    let Some(focus) = focus.filter(|f| !filling.nodes.iter().any(|n| n.key == *f)) else {
        return filling;
    };
    let Some(mut tree) = station
        .tree(Some(focus))
        .ok()
        .filter(|t| !t.nodes.is_empty())
    else {
        return filling;
    };
    // A tree is a run of whole roots: skip the filling roots already shown in front.
    let mut i = 0;
    while let Some(root) = filling.nodes.get(i) {
        let len = root.descendants as usize + 1;
        if !tree.nodes.iter().any(|n| n.key == root.key) {
            tree.nodes
                .extend_from_slice(&filling.nodes[i..(i + len).min(filling.nodes.len())]);
        }
        i += len;
    }
    tree
}

/// The next training codes nobody has used yet (the training panel's buttons): a case label
/// that opens a new case (never another user's case), a pack serial never packed.
fn training_next(station: &Station, from: TrainingNext) -> TrainingNext {
    let unused = |scan: String| station.training_code_free(&scan);
    let case = (from.case.max(1)..from.case.max(1) + 10_000)
        .find(|n| unused(demo::case_sscc(*n)))
        .unwrap_or(from.case);
    let pallet = (from.pallet.max(1)..from.pallet.max(1) + 10_000)
        .find(|n| unused(demo::pallet_sscc(*n)))
        .unwrap_or(from.pallet);
    let pack = (from.pack.max(1)..=demo::SERIALS)
        .find(|n| unused(demo::pack_scan(*n)))
        .unwrap_or(demo::SERIALS + 1);
    TrainingNext { case, pallet, pack }
}

/// After a label was printed: its preview image.
fn label_preview(
    station: &Station,
    request: &Request,
    response: &Response,
) -> Option<WorkerMessage> {
    if !response.ok {
        return None;
    }
    let data = response.data.as_ref()?;
    let printed = match request {
        Request::PrintLabel { .. } | Request::ReprintLabel { .. } => data,
        // A close that printed the label again with the real count.
        Request::Close { .. } => data
            .get("label")
            .filter(|l| l.get("reprinted") == Some(&serde_json::Value::Bool(true)))?,
        _ => return None,
    };
    let key = printed.get("key")?.as_str()?.to_owned();
    let gray = station.label_preview(&key)?;
    let size = [gray.width() as usize, gray.height() as usize];
    let image = egui::ColorImage::from_gray(size, gray.as_raw());
    Some(WorkerMessage::LabelPreview {
        key,
        image: std::sync::Arc::new(image),
    })
}

/// An answer for a worker that is gone (shown as a storage failure).
pub fn worker_gone() -> Response {
    Response::with_code(
        ReasonCode::StorageError,
        Some("the station worker stopped".to_owned()),
    )
}
