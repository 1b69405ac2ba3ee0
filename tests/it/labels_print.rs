//! Printing and allocation against real parts: a TCP listener on 127.0.0.1 receives the ZPL job;
//! two `Store` connections on one file allocate concurrently; a station killed between
//! allocation and print never hands out the same SSCC again.

// Test helpers outside `#[test]` functions: a failed fixture must fail the test.

use crate::harness::station::{DEADLINE, Headless};
use packbench::labels::alloc::{self, LabelOwner, SsccRange};
use packbench::labels::printer::{PrintError, PrintJob, PrintPolicy, PrinterTarget, PrinterWorker};
use packbench::station::{Request, Station};
use packbench::store::Store;
use std::collections::HashSet;
use std::io::Read as _;
use std::net::TcpListener;

/// [`DEADLINE`] for `print_status`'s `wait_ms` (it answers as soon as the jobs are done).
const DEADLINE_MS: u64 = DEADLINE.as_millis() as u64;

fn setup(station: &mut Station, printer: Option<&str>) {
    let lines = [
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}"#,
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#,
        r#"{"cmd":"add_product","gtin":"09506000134352","name":"Demo 20 mg","company_prefix_length":7}"#,
        r#"{"cmd":"create_work_order","id":"WO-1","gtin":"09506000134352","lot":"LOT42","expiry":"271231","levels":[{"level":"case","capacity":20}]}"#,
        r#"{"cmd":"add_sscc_range","company_prefix":"9506000","extension_digit":0,"first":1,"last":100000}"#,
        r#"{"cmd":"select_work_order","id":"WO-1"}"#,
    ];
    for l in lines {
        let r = station.execute(serde_json::from_str(l).unwrap());
        assert!(r.ok, "{l}: {r:?}");
    }
    if let Some(p) = printer {
        let r = station.execute(Request::SetSetting {
            key: "printer".to_owned(),
            value: p.to_owned(),
        });
        assert!(r.ok, "{r:?}");
    }
}

#[test]
fn zpl_job_reaches_a_tcp_printer_with_gs1_128_fnc1() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (job_tx, job_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("fake-printer".to_owned())
        .spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut job = String::new();
            s.read_to_string(&mut job).unwrap();
            let _ = job_tx.send(job);
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut station = Station::open(dir.path()).unwrap();
    setup(&mut station, Some(&format!("tcp:{addr}")));
    let r = station.execute(Request::PrintLabel {
        level: None,
        scan: None,
    });
    assert!(r.ok, "{r:?}");
    let data = r.data.unwrap();
    let sscc = data["sscc"].as_str().unwrap().to_owned();
    let job = job_rx
        .recv_timeout(DEADLINE)
        .expect("the printer received the job");
    assert!(job.starts_with("^XA") && job.trim_end().ends_with("^XZ"));
    // Every ^BC field: the data behind ^FD, with start C + FNC1 first.
    let barcodes: Vec<&str> = job
        .lines()
        .filter(|l| l.contains("^BC"))
        .map(|l| l.split("^FD").nth(1).unwrap().trim_end_matches("^FS"))
        .collect();
    assert!(
        barcodes.iter().all(|b| b.starts_with(">;>8")),
        "{barcodes:?}"
    );
    assert_eq!(barcodes.last().unwrap(), &format!(">;>800{sscc}"));
    // Content, each symbol valid GS1 on its own: (00) (02) (17) (37) in set C; then (00) (02)
    // (37) 20, FNC1 before the next AI, (10) LOT42 in set B.
    assert_eq!(
        barcodes[..2],
        [
            format!(">;>800{sscc}0209506000134352172712313720"),
            format!(">;>800{sscc}02095060001343523720>810>6LOT42"),
        ]
    );
    // The worker reports the job as printed.
    let status = station.execute(Request::PrintStatus {
        wait_ms: Some(DEADLINE_MS),
    });
    assert_eq!(status.data.unwrap()["jobs"][0]["ok"], true);
}

#[test]
fn an_unreachable_printer_is_a_clear_error_not_a_hang() {
    // A port that was just free: nothing listens there.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let policy = PrintPolicy {
        connect_timeout_ms: 500,
        write_timeout_ms: 500,
        attempts: 2,
        retry_delay_ms: 50,
    };
    let worker = PrinterWorker::start(PrinterTarget::Tcp(addr.to_string()), policy).unwrap();
    worker.submit(job(b"^XA^XZ")).unwrap();
    let outcome = worker.wait(DEADLINE).expect("an outcome after the retries");
    assert!(
        matches!(outcome.result, Err(PrintError::Unreachable { .. })),
        "{outcome:?}"
    );
}

fn job(data: &[u8]) -> PrintJob {
    PrintJob {
        id: 1,
        sscc: "095060000000000015".to_owned(),
        data: data.to_vec(),
    }
}

/// Submitting a job never waits for the printer. The printer here is a FIFO that nobody
/// reads yet, so the worker cannot even open it: the submit returns all the same and no
/// outcome exists until the printer takes the job. No clock is involved.
#[cfg(unix)]
#[test]
fn submitting_never_waits_for_the_printer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("lp0");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let worker =
        PrinterWorker::start(PrinterTarget::Path(fifo.clone()), PrintPolicy::default()).unwrap();
    // Submitted on another thread, so that a submit that waited would fail the test, not hang it.
    let (submitted_tx, submitted) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("submit".to_owned())
        .spawn(move || {
            let result = worker.submit(job(b"^XA^FDfifo^FS^XZ"));
            let _ = submitted_tx.send((result, worker));
        })
        .unwrap();
    let (result, worker) = submitted
        .recv_timeout(DEADLINE)
        .expect("submit returned while the printer was not ready");
    result.unwrap();
    assert!(
        worker.drain().is_empty(),
        "an outcome before the job was taken"
    );
    // The printer takes the job (opening the FIFO lets the worker's open through).
    let mut taken = Vec::new();
    std::fs::File::open(&fifo)
        .unwrap()
        .read_to_end(&mut taken)
        .unwrap();
    assert_eq!(taken, b"^XA^FDfifo^FS^XZ");
    let outcome = worker.wait(DEADLINE).expect("the outcome");
    assert_eq!(outcome.result, Ok(1));
}

#[test]
fn file_printer_receives_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lp0");
    let mut station = Station::open(&dir.path().join("db")).unwrap();
    setup(&mut station, Some(&format!("file:{}", path.display())));
    let r = station.execute(Request::PrintLabel {
        level: None,
        scan: None,
    });
    assert!(r.ok);
    let status = station.execute(Request::PrintStatus {
        wait_ms: Some(DEADLINE_MS),
    });
    assert_eq!(status.data.unwrap()["jobs"][0]["ok"], true);
    let job = std::fs::read_to_string(&path).unwrap();
    assert!(job.contains(&format!(
        ">;>800{}",
        r.data.unwrap()["sscc"].as_str().unwrap()
    )));
}

#[test]
fn concurrent_allocations_on_one_file_never_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pb.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        let tx = store.begin().unwrap();
        alloc::add_range(
            &tx,
            &SsccRange {
                company_prefix: "9506000".to_owned(),
                extension_digit: 0,
                first: 1,
                last: 1000,
                source: "local".to_owned(),
                origin: None,
            },
            0,
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::Builder::new()
                .name(format!("alloc-{w}"))
                .spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    let mut got = Vec::new();
                    for i in 0..150 {
                        let tx = store.begin().unwrap();
                        let a = alloc::allocate(
                            &tx,
                            LabelOwner {
                                level: "case",
                                work_order: None,
                                username: "t",
                            },
                            i,
                        )
                        .unwrap();
                        tx.commit().unwrap();
                        got.push(a.sscc.as_str().to_owned());
                    }
                    got
                })
                .unwrap()
        })
        .collect();
    let all: Vec<String> = workers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 300);
    assert_eq!(unique.len(), 300, "duplicate SSCC handed out");
    let store = Store::open(&path).unwrap();
    assert_eq!(alloc::remaining(store.conn()).unwrap(), 700);
}

#[test]
fn a_crash_between_allocation_and_print_never_reuses_the_sscc() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut station = Station::open(dir.path()).unwrap();
        setup(&mut station, None);
    }
    let mut seen = HashSet::new();
    for round in 0..5 {
        let mut child = Headless::start(dir.path());
        let mut answer = |line: &str| child.ask(line);
        answer(r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#);
        answer(r#"{"cmd":"select_work_order","id":"WO-1"}"#);
        if round > 0 {
            // The label printed before the kill was never applied: void it, audited.
            let pending = answer(r#"{"cmd":"print_label"}"#);
            assert_eq!(pending["code"], "LABEL_NOT_VERIFIED", "{pending}");
        }
        for s in seen.iter() {
            answer(&format!(
                r#"{{"cmd":"void_label","scan":"(00){s}","reason":"crash test"}}"#
            ));
        }
        let r = answer(r#"{"cmd":"print_label"}"#);
        assert_eq!(r["ok"], true, "{r}");
        let sscc = r["data"]["sscc"].as_str().unwrap().to_owned();
        assert!(seen.insert(sscc.clone()), "SSCC {sscc} handed out twice");
        // Killed after the allocation committed, before the label was scanned back.
        child.kill();
    }
    assert_eq!(seen.len(), 5);
}
