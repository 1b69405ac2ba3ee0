//! EPCIS 2.0 REST repository (the EPCIS 2.0 REST bindings, `openapi.yaml` of the GS1 EPCIS standard):
//! `OPTIONS /capture` for the limits, `POST /capture` (JSON-LD, `GS1-Capture-Error-Behaviour:
//! rollback`) → `202` + `Location`, then the capture job is polled until it is done. `409`
//! (an event hash ID already captured) means the document is already there.

use super::config::RepositoryConfig;
use super::error::{SyncError, shorten};
use super::http::{Http, Reply};
use super::outbox::PendingRow;
use super::repository::{PushOutcome, Repository};
use crate::epcis::{Event, document_jsonld, splice_jsonld};
use std::time::{Duration, Instant};

/// EPCIS 2.0 REST client.
#[derive(Debug)]
pub struct Rest20 {
    http: Http,
    url: String,
    /// The configuration, for the repository link ([`Repository::link`]).
    config: RepositoryConfig,
    timeout: Duration,
    limit: Option<Option<usize>>,
}

impl Rest20 {
    /// A client for the configured repository.
    pub fn new(config: &RepositoryConfig) -> Result<Self, SyncError> {
        Ok(Self {
            http: Http::new(config)?,
            url: config.url.clone(),
            config: config.clone(),
            timeout: Duration::from_millis(config.timeout_ms.max(1)),
            limit: None,
        })
    }

    /// The HTTP client (for queries: [`super::query_events`], [`super::unit_state`]).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// `POST /capture` of one document, then the capture job until it is done.
    fn capture(&self, doc: &str) -> Result<PushOutcome, SyncError> {
        let url = self.http.url("/capture");
        let reply = self.http.send(
            "POST",
            &url,
            &[
                ("Content-Type", "application/ld+json"),
                ("GS1-EPCIS-Version", "2.0.0"),
                ("GS1-CBV-Version", "2.0.0"),
                ("GS1-Capture-Error-Behaviour", "rollback"),
            ],
            Some(doc.as_bytes()),
        )?;
        match reply.status {
            200..=202 => match &reply.location {
                Some(location) => self.wait_for_job(location),
                None if reply.status == 202 => Err(SyncError::Protocol {
                    url,
                    detail: "202 without Location".to_owned(),
                }),
                None => Ok(PushOutcome::Delivered),
            },
            409 => Ok(PushOutcome::AlreadyPresent),
            // The document's own fault: bad content, too large, wrong type.
            400 | 413 | 415 | 422 => Ok(PushOutcome::Rejected {
                message: format!("HTTP {}: {}", reply.status, problem_message(&reply)),
            }),
            // Everything else (401/403/404/408/429/5xx) is about the connection or the server,
            // not this document: keep it queued and retry.
            _ => Err(status_error(&url, &reply)),
        }
    }

    /// Polls a capture job until it is no longer running.
    fn wait_for_job(&self, location: &str) -> Result<PushOutcome, SyncError> {
        let url = self.http.resolve_location(location);
        let deadline = Instant::now() + self.timeout;
        let mut pause = Duration::from_millis(2);
        loop {
            let reply = self
                .http
                .send("GET", &url, &[("Accept", "application/json")], None)?;
            if reply.status != 200 {
                return Err(status_error(&url, &reply));
            }
            let job: serde_json::Value =
                serde_json::from_str(&reply.body).map_err(|e| SyncError::Protocol {
                    url: url.clone(),
                    detail: format!("capture job is not JSON: {e}"),
                })?;
            let running = job.get("running").and_then(serde_json::Value::as_bool);
            let success = job.get("success").and_then(serde_json::Value::as_bool);
            match (running, success) {
                (Some(false), Some(true)) => return Ok(PushOutcome::Delivered),
                (Some(false), Some(false)) => return Ok(job_failure(&job)),
                (Some(true), _) => {}
                _ => {
                    return Err(SyncError::Protocol {
                        url,
                        detail: "capture job without running/success".to_owned(),
                    });
                }
            }
            if Instant::now() >= deadline {
                return Err(SyncError::Timeout { url });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }
}

/// A finished, failed capture job: duplicates mean "already there", anything else a rejection.
fn job_failure(job: &serde_json::Value) -> PushOutcome {
    let errors = job.get("errors").cloned().unwrap_or_default();
    let text = errors.to_string();
    let duplicate = errors.as_array().is_some_and(|list| {
        !list.is_empty()
            && list.iter().all(|e| {
                e.get("status").and_then(serde_json::Value::as_u64) == Some(409)
                    || e.get("type")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|t| t.contains("Duplicate") || t.contains("duplicate"))
            })
    });
    if duplicate {
        PushOutcome::AlreadyPresent
    } else {
        PushOutcome::Rejected {
            message: shorten(&text, 500),
        }
    }
}

fn problem_message(reply: &Reply) -> String {
    serde_json::from_str::<serde_json::Value>(&reply.body)
        .ok()
        .and_then(|v| {
            let title = v
                .get("title")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let detail = v
                .get("detail")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let t = format!("{title} {detail}").trim().to_owned();
            (!t.is_empty()).then_some(t)
        })
        .unwrap_or_else(|| shorten(&reply.body, 300))
}

fn status_error(url: &str, reply: &Reply) -> SyncError {
    SyncError::Server {
        url: url.to_owned(),
        status: reply.status,
        message: problem_message(reply),
    }
}

impl Repository for Rest20 {
    fn link(&self) -> Option<Box<dyn crate::station::RepositoryLink>> {
        super::link::link_for(&self.config).ok()
    }

    fn describe(&self) -> String {
        format!("EPCIS 2.0 REST at {}", self.url)
    }

    fn honours_error_declarations(&self) -> bool {
        super::RepositoryKind::Epcis20.honours_error_declarations()
    }

    fn capture_limit(&mut self) -> Result<Option<usize>, SyncError> {
        if let Some(limit) = self.limit {
            return Ok(limit);
        }
        let reply = self.http.send("OPTIONS", "/capture", &[], None)?;
        if reply.status >= 500 {
            return Err(status_error(&self.http.url("/capture"), &reply));
        }
        let limit = reply
            .header("gs1-epcis-capture-limit")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0);
        self.limit = Some(limit);
        Ok(limit)
    }

    fn push(&mut self, events: &[Event], now_ms: i64) -> Result<PushOutcome, SyncError> {
        self.capture(&document_jsonld(events, now_ms))
    }

    fn push_rows(&mut self, rows: &[PendingRow], now_ms: i64) -> Result<PushOutcome, SyncError> {
        let bodies: Vec<&str> = rows
            .iter()
            .flat_map(|r| r.bodies.iter().map(String::as_str))
            .collect();
        let doc = match splice_jsonld(&bodies, now_ms) {
            Ok(doc) => doc,
            // A body this build did not write (older layout): write the document afresh.
            Err(_) => {
                let mut events = Vec::new();
                for row in rows {
                    events.append(&mut row.events()?);
                }
                document_jsonld(&events, now_ms)
            }
        };
        self.capture(&doc)
    }
}
