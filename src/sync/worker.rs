//! Draining the outbox: [`drain`] runs until the queue is empty or the repository is
//! unavailable; [`SyncWorker`] does that on a named thread with its own SQLite connection,
//! retrying with exponential backoff and jitter, and publishes a [`SyncStatus`] for the GUI.

use super::config::RepositoryConfig;
use super::error::SyncError;
use super::outbox::{self, OutboxStatus, PendingRow};
use super::repository::{PushOutcome, Repository, connect};
use crate::store::Store;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Exponential backoff with jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub initial_ms: u64,
    /// Longest delay.
    pub max_ms: u64,
}

impl Backoff {
    /// The delay before attempt `attempts + 1`: `initial · 2^(attempts-1)`, capped, then a random
    /// 50–100 % of it (so that many stations coming back after an outage do not retry in step).
    pub fn delay_ms(&self, attempts: i64) -> u64 {
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let base = self.initial_ms.saturating_mul(1u64 << exp).min(self.max_ms);
        let half = base / 2;
        half + rand::random_range(0..=half.max(1)).min(base - half)
    }
}

/// What one [`drain`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DrainReport {
    /// Documents that were accepted.
    pub documents: usize,
    /// Rows delivered now.
    pub delivered_rows: usize,
    /// Events delivered now.
    pub delivered_events: usize,
    /// Rows the repository already had (an earlier answer was lost).
    pub already_present_rows: usize,
    /// Rows parked now.
    pub parked_rows: usize,
    /// The transient error that stopped the drain, if any (the rest stays queued).
    pub stopped_by: Option<String>,
}

/// Live progress while a backlog drains (for a progress bar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Events delivered in this drain.
    pub done_events: usize,
    /// Events that were waiting when the drain started (plus any added since).
    pub total_events: usize,
}

/// How [`drain`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrainOptions {
    /// Retry delays.
    pub backoff: Backoff,
    /// Most events per document (the repository's announced limit applies if smaller).
    pub max_events: usize,
    /// Wait for the head row's backoff time (the worker); `false` tries now (`sync --once`).
    pub respect_backoff: bool,
}

/// Drains the outbox through `repo` until it is empty, nothing is due, or the repository fails
/// (then the head row records the error and its next attempt time). Rejected multi-row
/// documents are retried row by row so that only the offending command is parked.
///
/// The rows of each document are claimed (`sending`) in a short transaction before the push,
/// so an undo can no longer withdraw them, and are `sent`, `parked` or back in the queue when
/// the push is over. Rows a stopped sync left `sending` go back to the queue first, with an
/// uncertain outcome. Each repository gets the events it understands
/// ([`outbox::roles_for`]).
pub fn drain(
    store: &mut Store,
    repo: &mut dyn Repository,
    options: DrainOptions,
    now: &mut dyn FnMut() -> i64,
    progress: &mut dyn FnMut(Progress),
) -> Result<DrainReport, SyncError> {
    let backoff = options.backoff;
    let max_events = options.max_events;
    let mut report = DrainReport::default();
    outbox::recover_interrupted(store)?;
    let limit = match repo.capture_limit() {
        Ok(l) => l,
        Err(e) => return fail_head(store, &mut report, &e, &[], backoff, now),
    };
    let max_events = limit.map_or(max_events, |l| l.min(max_events)).max(1);
    let roles = outbox::roles_for(repo.honours_error_declarations());
    let mut total = usize::try_from(outbox::queued_events(store.conn())?).unwrap_or(0);
    loop {
        let batch = outbox::next_batch(store.conn(), max_events, 1000, roles)?;
        let Some(head) = batch.first() else {
            return Ok(report);
        };
        if options.respect_backoff && head.next_attempt_ms > now() {
            return Ok(report);
        }
        let ids: Vec<i64> = batch.iter().map(|r| r.command_id).collect();
        if !outbox::claim(store, &ids)? {
            // An undo withdrew one of the rows after the batch was read: choose again.
            continue;
        }
        let changed = match changed_while_offline(store, repo, &batch) {
            Ok(c) => c,
            Err(e) => {
                outbox::release(store, &ids)?;
                return Err(e);
            }
        };
        if let Some(changed) = changed {
            match changed {
                Ok((id, message)) => {
                    outbox::park(store, &[id], &message, now())?;
                    outbox::release(store, &ids)?;
                    report.parked_rows += 1;
                    // Rows sharing its EPCs are held now: choose again.
                    continue;
                }
                Err(e) => {
                    outbox::release(store, &ids)?;
                    return fail_head(store, &mut report, &e, &[], backoff, now);
                }
            }
        }
        let outcome = send_claimed(store, repo, &batch, now, &mut report);
        // Whatever happened, no row of the batch stays claimed.
        outbox::release(store, &ids)?;
        if let Err((error, sent)) = outcome? {
            return fail_head(store, &mut report, &error, &sent, backoff, now);
        }
        total = total.max(report.delivered_events);
        progress(Progress {
            done_events: report.delivered_events,
            total_events: total,
        });
    }
}

/// A change recorded while the repository could not be asked whether another bench had
/// changed the hierarchy (`UNVERIFIED_OFFLINE`) is checked before it is sent: if the
/// repository now holds an event about its units made elsewhere since, the row is parked with
/// that event named (`Ok(Some(Ok((row, message))))`), never applied on top of the other
/// bench's change. `Ok(Some(Err))`: the repository could not be asked (retry later).
#[allow(clippy::type_complexity)] // one row's verdict, or why it could not be given
fn changed_while_offline(
    store: &mut Store,
    repo: &dyn Repository,
    batch: &[PendingRow],
) -> Result<Option<Result<(i64, String), SyncError>>, SyncError> {
    let mut link = None;
    for row in batch {
        if !crate::store::is_unverified(store.conn(), row.command_id)? {
            continue;
        }
        if link.is_none() {
            link = repo.link();
        }
        let Some(link) = link.as_deref() else {
            return Ok(None);
        };
        let epcs = crate::store::command_epcs(store.conn(), row.command_id)?;
        match crate::station::check_stale(store.conn(), link, &epcs)? {
            crate::station::StaleCheck::Unchanged => {
                let tx = store.begin()?;
                crate::store::clear_unverified(&tx, row.command_id)?;
                tx.commit()?;
            }
            crate::station::StaleCheck::Changed { detail, .. } => {
                return Ok(Some(Ok((
                    row.command_id,
                    format!(
                        "changed at another bench while this one was offline: {detail}; \
                         take the hierarchy in again, then undo or retry this command"
                    ),
                ))));
            }
            crate::station::StaleCheck::Unreachable(detail) => {
                return Ok(Some(Err(SyncError::Unreachable {
                    url: repo.describe(),
                    detail,
                })));
            }
        }
    }
    Ok(None)
}

/// A transient failure and the rows whose document got no answer.
type Failed = (SyncError, Vec<i64>);

/// Sends a claimed batch: the duplicate check of a head row whose earlier attempt had no
/// answer, then the push.
fn send_claimed(
    store: &mut Store,
    repo: &mut dyn Repository,
    batch: &[PendingRow],
    now: &mut dyn FnMut() -> i64,
    report: &mut DrainReport,
) -> Result<Result<(), Failed>, SyncError> {
    let Some(head) = batch.first() else {
        return Ok(Ok(()));
    };
    // An earlier attempt of the head row ended without an answer: a repository that does not
    // de-duplicate may hold it already (and would store a second copy of an OBSERVE).
    if head.attempts > 0 && !repo.deduplicates() {
        match head.events().and_then(|events| repo.all_present(&events)) {
            Ok(true) => {
                outbox::mark_sent(store, &[head.command_id], now())?;
                report.delivered_rows += 1;
                report.delivered_events += head.bodies.len();
                report.already_present_rows += 1;
                // The rest of the batch goes back to the queue and is chosen again.
                return Ok(Ok(()));
            }
            Ok(false) => {}
            Err(e) => return Ok(Err((e, vec![head.command_id]))),
        }
    }
    push_rows(store, repo, batch, now, report)
}

/// Pushes one batch; on a rejection of several rows, each row alone.
fn push_rows(
    store: &mut Store,
    repo: &mut dyn Repository,
    batch: &[PendingRow],
    now: &mut dyn FnMut() -> i64,
    report: &mut DrainReport,
) -> Result<Result<(), Failed>, SyncError> {
    let ids: Vec<i64> = batch.iter().map(|r| r.command_id).collect();
    let events: usize = batch.iter().map(|r| r.bodies.len()).sum();
    if events == 0 {
        // Nothing in these rows is for this repository (an undo's error-declaration copies
        // for one that does not honour them): delivered without a document.
        outbox::mark_sent(store, &ids, now())?;
        report.delivered_rows += batch.len();
        return Ok(Ok(()));
    }
    let outcome = match repo.push_rows(batch, now()) {
        Ok(o) => o,
        Err(e) => return Ok(Err((e, ids))),
    };
    match outcome {
        // "Already there" for several rows: some of them may not be (an earlier, smaller
        // document got through before its answer was lost). Only a single row is atomic.
        PushOutcome::AlreadyPresent | PushOutcome::Rejected { .. } if batch.len() > 1 => {
            for row in batch {
                let parked_before = report.parked_rows;
                if let Err(e) = push_rows(store, repo, std::slice::from_ref(row), now, report)? {
                    return Ok(Err(e));
                }
                if report.parked_rows > parked_before {
                    // Rows after a parked one may share its EPCs: the next batch is chosen
                    // again, holding those back.
                    break;
                }
            }
            Ok(Ok(()))
        }
        PushOutcome::Delivered | PushOutcome::AlreadyPresent => {
            outbox::mark_sent(store, &ids, now())?;
            report.documents += 1;
            report.delivered_rows += batch.len();
            report.delivered_events += events;
            if outcome == PushOutcome::AlreadyPresent {
                report.already_present_rows += batch.len();
            }
            Ok(Ok(()))
        }
        PushOutcome::Rejected { message } => {
            outbox::park(store, &ids, &message, now())?;
            report.parked_rows += batch.len();
            Ok(Ok(()))
        }
    }
}

/// Records a transient failure: the head row (the first row of the document that got no
/// answer, or the queue's head when nothing was sent) gets the error and its next attempt time;
/// every other row of that document counts an attempt, so that its outcome is known to be
/// uncertain.
fn fail_head(
    store: &mut Store,
    report: &mut DrainReport,
    error: &SyncError,
    sent: &[i64],
    backoff: Backoff,
    now: &mut dyn FnMut() -> i64,
) -> Result<DrainReport, SyncError> {
    let message = error.to_string();
    let head_id = match sent.first() {
        Some(&id) => Some(id),
        None => outbox::next_batch(store.conn(), 1, 1, &[])?
            .first()
            .map(|h| h.command_id),
    };
    let others: Vec<i64> = sent
        .iter()
        .copied()
        .filter(|&id| Some(id) != head_id)
        .collect();
    outbox::mark_uncertain(store, &others)?;
    if let Some(id) = head_id {
        let attempts = crate::store::outbox_row(store.conn(), id)?.map_or(0, |r| r.attempts);
        let delay = i64::try_from(backoff.delay_ms(attempts + 1)).unwrap_or(i64::MAX);
        outbox::mark_failed(store, id, &message, now().saturating_add(delay))?;
    }
    report.stopped_by = Some(message);
    Ok(report.clone())
}

/// What the GUI shows: outbox counts, the last problem, and progress while draining.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncStatus {
    /// The repository (kind and URL; never credentials).
    pub repository: String,
    /// Outbox counts, head error, parked rows (as of the last check).
    pub outbox: OutboxStatus,
    /// While a backlog drains: events done / total.
    pub progress: Option<Progress>,
    /// The repository is reachable as far as the last attempt showed.
    pub online: bool,
    /// The last error of the worker itself (repository or database), if the last attempt failed.
    pub last_error: Option<String>,
}

enum Signal {
    Wake,
    Stop,
}

/// The sync worker: a named thread with its own SQLite connection.
#[derive(Debug)]
pub struct SyncWorker {
    status: Arc<Mutex<SyncStatus>>,
    signals: Sender<Signal>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts the worker on the database of a data directory. `idle_poll_ms` is how often it
    /// looks for new outbox rows when nobody calls [`SyncWorker::wake`].
    pub fn start(
        data_dir: &Path,
        config: RepositoryConfig,
        idle_poll_ms: u64,
    ) -> Result<Self, SyncError> {
        let status = Arc::new(Mutex::new(SyncStatus {
            repository: format!("{:?} {}", config.kind, config.url),
            ..SyncStatus::default()
        }));
        let (signals, rx) = mpsc::channel();
        let db = data_dir.join(crate::store::DB_FILE_NAME);
        let shared = Arc::clone(&status);
        let thread = std::thread::Builder::new()
            .name("packbench-sync".to_owned())
            .spawn(move || run(&db, &config, idle_poll_ms, &shared, &rx))
            .map_err(|e| SyncError::Config {
                detail: format!("cannot start the sync thread: {e}"),
            })?;
        Ok(Self {
            status,
            signals,
            thread: Some(thread),
        })
    }

    /// The latest status (cheap: a clone under a mutex; safe to call every frame).
    pub fn status(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Asks the worker to look at the outbox now (e.g. right after a station commit).
    pub fn wake(&self) {
        let _ = self.signals.send(Signal::Wake);
    }

    /// Stops the worker and waits for it (an exchange in flight finishes or times out first).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.signals.send(Signal::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn system_now() -> i64 {
    let mut clock = crate::station::system_clock();
    clock()
}

fn publish(shared: &Mutex<SyncStatus>, f: impl FnOnce(&mut SyncStatus)) {
    if let Ok(mut s) = shared.lock() {
        f(&mut s);
    }
}

fn run(
    db: &Path,
    config: &RepositoryConfig,
    idle_poll_ms: u64,
    shared: &Mutex<SyncStatus>,
    signals: &Receiver<Signal>,
) {
    let backoff = Backoff {
        initial_ms: config.backoff_initial_ms,
        max_ms: config.backoff_max_ms,
    };
    let mut repo: Option<Box<dyn Repository>> = None;
    let mut store: Option<Store> = None;
    loop {
        let wait_ms = match step(db, config, backoff, &mut store, &mut repo, shared) {
            Ok(wait) => wait.min(idle_poll_ms.max(1)),
            Err(e) => {
                publish(shared, |s| s.last_error = Some(e.to_string()));
                store = None;
                backoff.initial_ms.max(100)
            }
        };
        match signals.recv_timeout(Duration::from_millis(wait_ms.max(1))) {
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(Signal::Wake) | Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

/// One round: drain what is due; returns how long to sleep.
fn step(
    db: &Path,
    config: &RepositoryConfig,
    backoff: Backoff,
    store: &mut Option<Store>,
    repo: &mut Option<Box<dyn Repository>>,
    shared: &Mutex<SyncStatus>,
) -> Result<u64, SyncError> {
    if store.is_none() {
        *store = Some(Store::open(db)?);
    }
    if repo.is_none() {
        *repo = Some(connect(config)?);
    }
    let (Some(st), Some(rp)) = (store.as_mut(), repo.as_mut()) else {
        return Ok(idle_fallback(backoff));
    };
    let mut now = system_now;
    let report = drain(
        st,
        rp.as_mut(),
        DrainOptions {
            backoff,
            max_events: config.batch_events,
            respect_backoff: true,
        },
        &mut now,
        &mut |p| publish(shared, |s| s.progress = Some(p)),
    )?;
    let status = outbox::outbox_status(st.conn())?;
    let next_due = outbox::next_batch(st.conn(), 1, 1, &[])?
        .first()
        .map(|r| r.next_attempt_ms - system_now());
    publish(shared, |s| {
        s.online = report.stopped_by.is_none();
        s.last_error.clone_from(&report.stopped_by);
        s.progress = None;
        s.outbox = status;
    });
    Ok(match next_due {
        Some(ms) if ms > 0 => u64::try_from(ms).unwrap_or(u64::MAX),
        Some(_) => 1,
        None => idle_fallback(backoff),
    })
}

fn idle_fallback(backoff: Backoff) -> u64 {
    backoff.initial_ms.clamp(100, 2_000)
}
