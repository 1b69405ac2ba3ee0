//! The whole camera path without a webcam: a folder of layer images played as frames, the
//! worker that keeps only the newest frame, the layer read, and the batch into the station.

use std::collections::{BTreeSet, HashMap};

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use packbench::devices::DeviceError;
use packbench::devices::camera::{
    CameraConfig, CameraWorker, FolderFrames, Frame, FrameSource, LayerEvent, Roi, StableLayer,
    completeness,
};
use packbench::devices::decode::load_gray;
use packbench::devices::layer::LayerReader;
use packbench::devices::scan::{DeviceEvent, DeviceStatus, EventSink};
use packbench::station::{Request, Station, system_clock};
use packbench::store::Store;

use crate::harness::data::{image_manifest, image_row, images};
use crate::harness::station::DEADLINE;

/// file → expected raw element strings, from `manifest.tsv`.
fn manifest() -> HashMap<String, BTreeSet<String>> {
    image_manifest()
        .into_iter()
        .map(|row| (row.file.clone(), row.raw_set()))
        .collect()
}

/// The element string `(ai)` of a bracketed pack code: (01) and (17) by their fixed lengths,
/// (10) up to the next bracket.
fn element<'a>(hri: &'a str, ai: &str) -> &'a str {
    let start = hri.find(&format!("({ai})")).expect("AI in the code") + ai.len() + 2;
    let rest = &hri[start..];
    match ai {
        "01" => &rest[..14],
        "17" => &rest[..6],
        _ => rest.split('(').next().expect("value"),
    }
}

fn config(name: &str) -> CameraConfig {
    CameraConfig {
        name: name.to_owned(),
        reader: LayerReader::new(Some(24), None),
        roi: None,
        decode_interval_ms: 0,
    }
}

/// Every message until the decode thread reports that it stopped.
fn drain(events: &Receiver<DeviceEvent>) -> (Vec<LayerEvent>, Vec<DeviceError>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut layers, mut errors) = (Vec::new(), Vec::new());
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left).expect("camera messages in time") {
            DeviceEvent::Layer(layer) => layers.push(layer),
            DeviceEvent::Error { error, .. } => errors.push(error),
            DeviceEvent::Status {
                status: DeviceStatus::Stopped,
                ..
            } => return (layers, errors),
            DeviceEvent::Status { .. } | DeviceEvent::Scan(_) => {}
        }
    }
}

#[test]
fn a_folder_of_layers_is_read_frame_by_frame() {
    let expected = manifest();
    let source = FolderFrames::open(&images(), "multi_", 0.0).expect("frames");
    let files: Vec<String> = source
        .files()
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 6);
    let (sink, events) = EventSink::channel();
    let worker = CameraWorker::spawn(Box::new(source), config("folder"), sink).expect("worker");
    let (layers, errors) = drain(&events);
    assert!(errors.is_empty(), "{errors:?}");
    let stats = worker.stop();
    assert_eq!(stats.captured, 6);
    assert_eq!(stats.decoded + stats.dropped, stats.captured, "{stats:?}");
    assert_eq!(layers.len() as u64, stats.decoded);
    // The newest frame is never dropped.
    assert_eq!(layers.last().map(|l| l.frame_id), Some(5));
    let mut previous_id = None;
    for layer in &layers {
        assert!(previous_id < Some(layer.frame_id), "frames in order");
        previous_id = Some(layer.frame_id);
        let file = &files[usize::try_from(layer.frame_id).expect("id")];
        let seen: BTreeSet<String> = layer.read.texts().into_iter().collect();
        match crate::decode_images::KNOWN_HARD
            .iter()
            .find(|(hard, _)| hard == file)
        {
            // A layer the locator is known to read short (see decode_images): what it reads
            // is right, and at least the known minimum.
            Some((_, minimum)) => {
                assert!(seen.is_subset(&expected[file]), "{file}: {seen:?}");
                assert!(seen.len() >= *minimum, "{file}: {} codes", seen.len());
            }
            None => assert_eq!(&seen, &expected[file], "{file}"),
        }
        match layer.batch_request() {
            Request::ScanBatch { data } => {
                assert_eq!(data.len(), seen.len());
                assert!(data.iter().all(|scan| scan.starts_with("]d2")));
            }
            other => panic!("expected a batch, got {other:?}"),
        }
    }
}

/// Frames from memory, as fast as they are asked for.
struct Burst {
    image: image::GrayImage,
    left: u64,
    next_id: u64,
    /// Told when the last frame has been delivered.
    ended: Option<std::sync::mpsc::Sender<()>>,
}

impl FrameSource for Burst {
    fn name(&self) -> String {
        "burst".to_owned()
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
        if self.left == 0 {
            if let Some(ended) = self.ended.take() {
                let _ = ended.send(());
            }
            return Ok(None);
        }
        self.left -= 1;
        let id = self.next_id;
        self.next_id += 1;
        if id == 3 {
            // One unreadable frame in the middle: reported, the stream goes on.
            return Err(DeviceError::FrameUnreadable {
                camera: "burst".to_owned(),
                frame: "3".to_owned(),
                reason: "test".to_owned(),
            });
        }
        Ok(Some(Frame {
            id,
            image: self.image.clone(),
            captured: Instant::now(),
        }))
    }
}

/// A decoder slower than the camera keeps only the newest frame. "Slower" is made certain, not
/// hoped for: the decode thread is held (in the sink's waker, after it sent its first layer)
/// until the source has delivered all its frames, so of the frames that came meanwhile only
/// the newest can still be decoded.
#[test]
fn stale_frames_are_dropped_not_queued() {
    use std::sync::{Arc, Mutex};
    let image = load_gray(&images().join("multi_01_grid4x6_1280x960.png")).expect("png");
    let (ended_tx, ended) = std::sync::mpsc::channel();
    let source = Burst {
        image,
        left: 40,
        next_id: 0,
        ended: Some(ended_tx),
    };
    let gate = Mutex::new(Some(ended));
    let hold_decoder = move || {
        let on_decoder = std::thread::current()
            .name()
            .is_some_and(|n| n.ends_with(":decode"));
        let first = if on_decoder {
            gate.lock().expect("gate").take()
        } else {
            None
        };
        if let Some(ended) = first {
            // Until the source has ended (or is gone); the deadline only bounds a hang.
            let _ = ended.recv_timeout(DEADLINE);
        }
    };
    let (sink, events) = EventSink::channel();
    let sink = sink.with_waker(Arc::new(hold_decoder));
    let worker = CameraWorker::spawn(Box::new(source), config("burst"), sink).expect("worker");
    let (layers, errors) = drain(&events);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let stats = worker.stop();
    assert_eq!(stats.captured, 39);
    // The frame the decoder took first, then the newest: every other frame was dropped.
    assert!(
        (1..=2).contains(&layers.len()),
        "decoded {} of 39",
        layers.len()
    );
    assert_eq!(stats.dropped, 39 - layers.len() as u64, "{stats:?}");
    assert_eq!(stats.decoded + stats.dropped, stats.captured);
    assert_eq!(layers.last().map(|l| l.frame_id), Some(39));
    assert_eq!(layers.last().map(|l| l.dropped_frames), Some(stats.dropped));
    assert!(layers.iter().all(|l| l.read.codes.len() == 24));
    // Debounced, the camera staring at one layer gives the station one batch.
    let mut stable = StableLayer::new(2);
    let batches: Vec<Vec<String>> = layers
        .iter()
        .filter_map(|l| stable.observe(&l.read.texts()))
        .collect();
    assert_eq!(batches.len(), usize::from(layers.len() >= 2));
}

#[test]
fn a_region_of_interest_limits_the_read_and_keeps_frame_coordinates() {
    let path = images().join("multi_03_grid4x6_1920x1080.png");
    let image = load_gray(&path).expect("png");
    let full = LayerReader::new(Some(24), None).read(&image);
    assert_eq!(full.codes.len(), 24);
    // The left half of the frame.
    let roi = Roi {
        x: 0,
        y: 0,
        width: image.width() / 2,
        height: image.height(),
    };
    let source = Burst {
        image: image.clone(),
        left: 1,
        next_id: 0,
        ended: None,
    };
    let (sink, events) = EventSink::channel();
    let mut config = config("roi");
    config.reader = LayerReader::new(None, None);
    config.roi = Some(roi);
    let worker = CameraWorker::spawn(Box::new(source), config, sink).expect("worker");
    let (layers, _) = drain(&events);
    worker.stop();
    let read = &layers[0].read;
    let inside: Vec<_> = full
        .codes
        .iter()
        .filter(|c| c.corners.iter().all(|(x, _)| *x < roi.width as f32))
        .collect();
    assert!(!read.codes.is_empty() && read.codes.len() < 24);
    assert_eq!(read.codes.len(), inside.len());
    for code in &read.codes {
        let twin = full
            .codes
            .iter()
            .find(|c| c.text == code.text)
            .expect("also in the full read");
        let (a, b) = (code.centre(), twin.centre());
        assert!(
            (a.0 - b.0).abs() < 3.0 && (a.1 - b.1).abs() < 3.0,
            "{a:?} vs {b:?}"
        );
    }
}

fn request(json: &str) -> Request {
    serde_json::from_str(json).expect("request")
}

#[test]
fn a_layer_read_packs_a_case_and_verifies_completeness() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_dir(dir.path()).expect("store");
    let mut station = Station::with_clock(store, system_clock()).expect("station");
    // The product, lot and expiry of the packs in the picture, from the manifest.
    let layer = image_row("multi_03_grid4x6_1920x1080.png");
    let pack = &layer.hri[0];
    let (gtin, lot, expiry) = (
        element(pack, "01"),
        element(pack, "10"),
        element(pack, "17"),
    );
    for line in [
        r#"{"cmd":"init_admin","user":"admin","full_name":"Ada Admin","password":"admin-pass-1"}"#
            .to_owned(),
        r#"{"cmd":"login","user":"admin","password":"admin-pass-1"}"#.to_owned(),
        format!(
            r#"{{"cmd":"add_product","gtin":"{gtin}","name":"Layer demo","company_prefix_length":7}}"#
        ),
        format!(
            r#"{{"cmd":"create_work_order","id":"WO-CAM","gtin":"{gtin}","lot":"{lot}","expiry":"{expiry}","levels":[{{"level":"case","capacity":30}}]}}"#
        ),
        r#"{"cmd":"select_work_order","id":"WO-CAM"}"#.to_owned(),
        r#"{"cmd":"scan","data":"(00)095060000000000015"}"#.to_owned(),
    ] {
        let response = station.execute(request(&line));
        assert!(response.ok, "{line}: {response:?}");
    }

    let source = FolderFrames::open(&images(), "multi_03_", 0.0).expect("one layer image");
    let (sink, events) = EventSink::channel();
    let worker = CameraWorker::spawn(Box::new(source), config("bench-cam"), sink).expect("worker");
    let (layers, _) = drain(&events);
    worker.stop();
    let event = DeviceEvent::Layer(layers[0].clone());
    let batch = event.station_request().expect("a layer asks for a batch");
    let response = station.execute(batch.clone());
    assert!(response.ok, "{response:?}");
    let data = response.data.expect("batch data");
    assert_eq!(data["accepted"].as_u64(), Some(24), "{data}");

    // The same layer again: every pack is already in this case (harmless).
    let again = station.execute(batch);
    assert!(again.ok, "{again:?}");
    let again = again.data.expect("batch data");
    assert_eq!(again["accepted"].as_u64(), Some(0));
    let results = again["results"].as_array().expect("results");
    assert_eq!(results.len(), 24);
    assert!(
        results
            .iter()
            .all(|r| r["code"].as_str() == Some("ALREADY_IN_THIS_CONTAINER"))
    );

    // Completeness: the frame against the case's recorded contents.
    let manifest = station.manifest_of("(00)095060000000000015");
    let recorded: Vec<String> = manifest.data.expect("manifest")["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["key"].as_str().expect("key").to_owned())
        .collect();
    assert_eq!(recorded.len(), 24);
    let seen: Vec<String> = layers[0]
        .read
        .codes
        .iter()
        .map(|c| c.scanner_text())
        .collect();
    let check = completeness(&seen, &recorded);
    assert!(check.is_complete(), "{check:?}");
    assert_eq!(check.seen_recorded.len(), 24);
    // A frame missing two packs and showing a foreign one.
    let mut partial = seen[2..].to_vec();
    partial.push("]d20105412345432289\u{1d}21FOREIGN".to_owned());
    let check = completeness(&partial, &recorded);
    assert_eq!(check.seen_recorded.len(), 22);
    assert_eq!(check.recorded_not_seen.len(), 2);
    assert_eq!(check.seen_not_recorded, ["(01)05412345432289(21)FOREIGN"]);
}

/// A camera that delivers `frames` frames and is then unplugged.
struct Unplugging {
    image: image::GrayImage,
    frames: u64,
    next_id: u64,
}

impl FrameSource for Unplugging {
    fn name(&self) -> String {
        "unplugging".to_owned()
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, DeviceError> {
        if self.next_id == self.frames {
            return Err(DeviceError::CameraUnplugged {
                camera: "unplugging".to_owned(),
                reason: "No such device (os error 19)".to_owned(),
            });
        }
        // Paced like a camera (whether the decoder keeps up does not matter: the last frame,
        // the only one the test asserts, is never dropped).
        std::thread::sleep(Duration::from_millis(5));
        let id = self.next_id;
        self.next_id += 1;
        Ok(Some(Frame {
            id,
            image: self.image.clone(),
            captured: Instant::now(),
        }))
    }
}

#[test]
fn an_unplugged_camera_is_reopened_with_backoff() {
    use packbench::devices::camera::{Backoff, Reconnecting};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};

    let image = load_gray(&images().join("multi_01_grid4x6_1280x960.png")).expect("png");
    // Attempt 1 opens; the camera is unplugged after 2 frames; attempts 2 and 3 find nothing
    // (cable out); attempt 4 finds it back; after 2 more frames the test source ends for good
    // (attempt 5 hands over the frame folder, which ends).
    let attempts = Arc::new(AtomicU32::new(0));
    let opened_at = Arc::new(Mutex::new(Vec::new()));
    let opener = {
        let attempts = Arc::clone(&attempts);
        let opened_at = Arc::clone(&opened_at);
        move || -> Result<Box<dyn FrameSource>, DeviceError> {
            let n = attempts.fetch_add(1, Ordering::SeqCst) + 1;
            opened_at.lock().expect("lock").push(Instant::now());
            match n {
                2 | 3 => Err(DeviceError::NoCamera {
                    index: 0,
                    available: 0,
                }),
                5 => Ok(Box::new(
                    FolderFrames::open(&images(), "multi_01_", 0.0).expect("folder"),
                )),
                _ => Ok(Box::new(Unplugging {
                    image: image.clone(),
                    frames: 2,
                    next_id: 0,
                })),
            }
        }
    };
    let source = Reconnecting::new("replug", Box::new(opener)).with_backoff(Backoff {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(40),
    });
    let (sink, events) = EventSink::channel();
    let worker = CameraWorker::spawn(Box::new(source), config("replug"), sink).expect("worker");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut log = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left).expect("camera messages in time") {
            DeviceEvent::Layer(layer) => log.push(format!("frame {}", layer.frame_id)),
            DeviceEvent::Error { error, .. } => log.push(error.code().to_owned()),
            DeviceEvent::Status { status, .. } => {
                log.push(format!("{status:?}"));
                if status == DeviceStatus::Stopped {
                    break;
                }
            }
            DeviceEvent::Scan(_) => {}
        }
    }
    let stats = worker.stop();
    assert_eq!(attempts.load(Ordering::SeqCst), 5);
    // Frame ids run on across reopenings: 2 + 2 + 1 frames.
    assert_eq!(stats.captured, 5);
    let statuses: Vec<&str> = log
        .iter()
        .map(String::as_str)
        .filter(|e| !e.starts_with("frame"))
        .collect();
    assert_eq!(
        statuses,
        [
            "Open",
            "CAMERA_UNPLUGGED",
            "Lost",
            "NO_CAMERA",
            "NO_CAMERA",
            "Open",
            "CAMERA_UNPLUGGED",
            "Lost",
            "Open",
            "Stopped"
        ],
        "{log:?}"
    );
    assert!(log.contains(&"frame 4".to_owned()), "{log:?}");
    // Waits grew after the loss and each failed attempt: 20 ms, then 40 ms, then 40 ms (capped).
    let at = opened_at.lock().expect("lock").clone();
    let gap = |i: usize| at[i + 1].duration_since(at[i]);
    assert!(gap(0) >= Duration::from_millis(20), "{:?}", gap(0));
    assert!(gap(1) >= Duration::from_millis(40), "{:?}", gap(1));
    assert!(gap(2) >= Duration::from_millis(40), "{:?}", gap(2));
}
