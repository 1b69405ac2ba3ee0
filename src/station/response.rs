//! The station's answer to every command.

use crate::domain::{ReasonCode, Refusal, Severity, UnitView};
use serde::Serialize;

/// A unit in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitInfo {
    /// Bracketed GS1 key.
    pub key: String,
    /// EPC URI.
    pub epc: String,
    /// Level.
    pub level: &'static str,
    /// Status.
    pub status: &'static str,
    /// Whether an active hold (quarantine) covers it (set by look-up and the hold commands).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// The hold that covers it, when `held`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold: Option<crate::domain::Hold>,
}

impl From<&UnitView> for UnitInfo {
    fn from(u: &UnitView) -> Self {
        Self {
            key: u.key.clone(),
            epc: u.epc.clone(),
            level: u.level.as_str(),
            status: u.status.as_str(),
            held: false,
            hold: None,
        }
    }
}

/// A container and its fill in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerInfo {
    /// Bracketed GS1 key.
    pub key: String,
    /// EPC URI.
    pub epc: String,
    /// Level.
    pub level: &'static str,
    /// Children now.
    pub count: u32,
    /// Capacity.
    pub capacity: Option<u32>,
    /// `open`, `closed` or `suspended`.
    pub state: Option<&'static str>,
}

impl From<&UnitView> for ContainerInfo {
    fn from(u: &UnitView) -> Self {
        Self {
            key: u.key.clone(),
            epc: u.epc.clone(),
            level: u.level.as_str(),
            count: u.child_count,
            capacity: u.capacity,
            state: u.state.map(|s| s.as_str()),
        }
    }
}

/// The verdict of one command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// Whether the command's intent is fulfilled (and, for a change, on disk).
    pub ok: bool,
    /// Stable reason code.
    pub code: ReasonCode,
    /// How to show it.
    pub severity: Severity,
    /// Plain English message.
    pub message: String,
    /// What exactly, naming the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The unit acted on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitInfo>,
    /// The container affected, with its fill count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<ContainerInfo>,
    /// Whether a container was closed by this command (auto-close at capacity or explicit).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// Extra payload (look-up, manifest, status, alert id, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// What the packer is filling after this command: the current container of each level,
    /// lowest first (every answer while a work order is selected, refusals included).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filling: Vec<ContainerInfo>,
}

impl Response {
    /// Marks a success done without the repository's stale check (offline): a plain `OK`
    /// becomes the amber `UNVERIFIED_OFFLINE`; another code keeps its meaning and the detail
    /// says so.
    pub fn offline(mut self, why: &str) -> Self {
        if !self.ok {
            return self;
        }
        let note = format!("not checked against the repository: {why}");
        if self.code == ReasonCode::Ok {
            self.code = ReasonCode::UnverifiedOffline;
            self.severity = ReasonCode::UnverifiedOffline.severity();
            self.message = ReasonCode::UnverifiedOffline.message().to_owned();
        }
        self.detail = Some(match self.detail.take() {
            Some(d) => format!("{d}; {note}"),
            None => note,
        });
        self
    }

    /// A plain success.
    pub fn ok() -> Self {
        Self::with_code(ReasonCode::Ok, None)
    }

    /// An answer with a code (ok is derived: OK and harmless warnings are ok).
    pub fn with_code(code: ReasonCode, detail: Option<String>) -> Self {
        Self {
            ok: matches!(
                code,
                ReasonCode::Ok
                    | ReasonCode::AlreadyInThisContainer
                    | ReasonCode::ExpirySoon
                    | ReasonCode::SsccLowStock
                    | ReasonCode::UnverifiedOffline
                    | ReasonCode::VerifyExtra
                    | ReasonCode::VerifyForeign
                    | ReasonCode::VerifyWrongLot
                    | ReasonCode::ReturnVerified
                    | ReasonCode::ReturnQueued
            ),
            code,
            severity: code.severity(),
            message: code.message().to_owned(),
            detail,
            unit: None,
            container: None,
            closed: false,
            data: None,
            filling: Vec::new(),
        }
    }

    /// Adds the unit.
    pub fn unit(mut self, u: &UnitView) -> Self {
        self.unit = Some(u.into());
        self
    }

    /// Adds the container.
    pub fn container(mut self, c: &UnitView) -> Self {
        self.container = Some(c.into());
        self
    }

    /// Adds a payload.
    pub fn data(mut self, v: serde_json::Value) -> Self {
        self.data = Some(v);
        self
    }
}

impl From<Refusal> for Response {
    fn from(r: Refusal) -> Self {
        Self::with_code(r.code, Some(r.detail))
    }
}
