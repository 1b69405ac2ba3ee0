//! A fault-injecting HTTP proxy on 127.0.0.1. Each request takes the next fault from a queue
//! (none left = pass through). Faults: close the connection without answering, answer a status
//! without forwarding, stall without ever answering (until the client gives up), or forward
//! the request (so the server applies it) and then drop the response.

use super::http1::{read_request, write_response};
use std::collections::VecDeque;
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Drop,
    Status(u16),
    Stall,
    LoseResponse,
}

pub struct Proxy {
    pub url: String,
    pub faults: Arc<Mutex<VecDeque<(&'static str, Fault)>>>,
    /// Requests seen (method path).
    pub seen: Arc<Mutex<Vec<String>>>,
    /// While true, connections are refused by closing them at once (repository down).
    pub down: Arc<Mutex<bool>>,
}

impl Proxy {
    pub fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let faults = Arc::new(Mutex::new(VecDeque::new()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let down = Arc::new(Mutex::new(false));
        let (f, s, d) = (Arc::clone(&faults), Arc::clone(&seen), Arc::clone(&down));
        std::thread::Builder::new()
            .name("fault-proxy".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    if *d.lock().unwrap() {
                        drop(stream);
                        continue;
                    }
                    let (f, s, up) = (Arc::clone(&f), Arc::clone(&s), upstream.clone());
                    let _ = std::thread::Builder::new()
                        .name("fault-proxy-conn".into())
                        .spawn(move || handle(stream, &up, &f, &s));
                }
            })
            .unwrap();
        Self {
            url,
            faults,
            seen,
            down,
        }
    }

    /// Faults for the next requests whose method starts with `method`.
    pub fn push_for(&self, method: &'static str, faults: &[Fault]) {
        self.faults
            .lock()
            .unwrap()
            .extend(faults.iter().map(|f| (method, *f)));
    }

    pub fn pending_faults(&self) -> usize {
        self.faults.lock().unwrap().len()
    }
}

fn forward(raw: &[u8], upstream: &str) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream)?;
    // Ask the server to close after answering, so the answer ends at EOF.
    let text = raw.to_vec();
    let pos = text.windows(2).position(|w| w == b"\r\n").unwrap_or(0) + 2;
    up.write_all(&text[..pos])?;
    up.write_all(b"Connection: close\r\n")?;
    up.write_all(&text[pos..])?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer)?;
    Ok(answer)
}

fn handle(
    client: TcpStream,
    upstream: &str,
    faults: &Mutex<VecDeque<(&'static str, Fault)>>,
    seen: &Mutex<Vec<String>>,
) {
    let mut writer = client.try_clone().unwrap();
    let mut reader = BufReader::new(client);
    // One request per client connection: the upstream answer ends at its EOF, and the
    // connection is closed after it.
    if let Some(req) = read_request(&mut reader) {
        seen.lock()
            .unwrap()
            .push(format!("{} {}", req.method, req.path));
        let fault = {
            let mut q = faults.lock().unwrap();
            match q.iter().position(|(m, _)| req.method.starts_with(m)) {
                Some(i) => q.remove(i).map(|(_, f)| f),
                None => None,
            }
        };
        match fault {
            Some(Fault::Drop) => {}
            Some(Fault::Status(code)) => {
                let _ = write_response(
                    &mut writer,
                    code,
                    &[("connection", "close".into())],
                    b"{\"title\":\"injected\"}",
                );
            }
            Some(Fault::Stall) => {
                // Never answer: hold the connection until the client gives up and closes it
                // (its timeout is the thing under test, so the proxy has none of its own; the
                // long read timeout only ends a thread whose client never gives up).
                let _ = writer.set_read_timeout(Some(Duration::from_secs(600)));
                let mut buf = [0u8; 64];
                while matches!(reader.get_mut().read(&mut buf), Ok(n) if n > 0) {}
            }
            Some(Fault::LoseResponse) => {
                let _ = forward(&req.raw, upstream);
            }
            None => {
                if let Ok(answer) = forward(&req.raw, upstream) {
                    let _ = writer.write_all(&answer);
                }
            }
        }
    }
}
