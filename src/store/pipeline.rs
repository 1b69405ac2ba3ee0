//! Reading and checking at once: batches read from the database on the calling thread (the
//! connection never leaves it) are checked on worker threads, one per core, and the results
//! come back in the order the batches were read. While the workers check one batch the next
//! is being read, so a long walk (`audit verify` over a million records) keeps every core busy.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Runs `feed`, which hands batches to the sink it is given (the sink answers `false` when no
/// more are wanted); each batch is turned into a result by `map` on a worker thread, and the
/// results are handed to `apply` in feed order, on this thread, as they come (`apply` answers
/// `false` to stop: later batches are neither read on nor applied).
///
/// A worker that cannot be started leaves its share to the others (and to this thread when
/// none starts); a panic in `map` stops the feed and is raised again here, so no batch is
/// ever skipped silently.
pub(crate) fn ordered_map<B, R, E>(
    name: &str,
    feed: impl FnOnce(&mut dyn FnMut(B) -> bool) -> Result<(), E>,
    map: impl Fn(B) -> R + Sync,
    mut apply: impl FnMut(R) -> bool,
) -> Result<(), E>
where
    B: Send,
    R: Send,
{
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::sync_channel::<(usize, B)>(workers);
        // Shared by the workers only: when they are all gone the channel closes and the
        // feed stops instead of waiting for ever.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (result_tx, result_rx) = mpsc::channel::<(usize, R)>();
        let map = &map;
        let mut started = 0;
        for i in 0..workers {
            let jobs = Arc::clone(&job_rx);
            let results = result_tx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn_scoped(scope, move || {
                    loop {
                        let job = match jobs.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((n, batch)) = job else { break };
                        if results.send((n, map(batch))).is_err() {
                            break;
                        }
                    }
                });
            if spawned.is_ok() {
                started += 1;
            }
        }
        drop(job_rx);
        drop(result_tx);
        let mut sent = 0;
        let mut next = 0;
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut stopped = false;
        let mut take = |n: usize, r: R, next: &mut usize, stopped: &mut bool| {
            waiting.insert(n, r);
            while !*stopped && let Some(r) = waiting.remove(next) {
                *next += 1;
                *stopped = !apply(r);
            }
        };
        let fed = feed(&mut |batch: B| {
            if stopped {
                return false;
            }
            if started == 0 {
                take(sent, map(batch), &mut next, &mut stopped);
                sent += 1;
                return !stopped;
            }
            if job_tx.send((sent, batch)).is_err() {
                // Every worker is gone (a panic, raised when the scope ends).
                return false;
            }
            sent += 1;
            while let Ok((n, r)) = result_rx.try_recv() {
                take(n, r, &mut next, &mut stopped);
            }
            !stopped
        });
        drop(job_tx);
        for (n, r) in result_rx {
            take(n, r, &mut next, &mut stopped);
        }
        fed
    })
}

#[cfg(test)]
mod tests {
    use super::ordered_map;

    #[test]
    fn results_come_back_in_feed_order_and_stop_when_asked() {
        let mut seen = Vec::new();
        let fed: Result<(), ()> = ordered_map(
            "test",
            |sink| {
                for i in 0..100u64 {
                    if !sink(i) {
                        break;
                    }
                }
                Ok(())
            },
            |i| {
                // Uneven work, so results arrive out of order.
                std::thread::sleep(std::time::Duration::from_micros((i % 7) * 100));
                i * 2
            },
            |r| {
                seen.push(r);
                r < 120
            },
        );
        assert_eq!(fed, Ok(()));
        let expected: Vec<u64> = (0..=60).map(|i| i * 2).collect();
        assert_eq!(seen, expected);
    }
}
