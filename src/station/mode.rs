//! The scan modes: what a scan does.

/// What a scan does in the current mode. Written as `pack`, `remove`, `move`, `lookup`,
/// `receive`, `returns` in the automation protocol and the view models.
///
/// ```
/// use packbench::station::Mode;
/// assert_eq!("lookup".parse::<Mode>(), Ok(Mode::Lookup));
/// assert_eq!(Mode::Remove.to_string(), "remove");
/// assert_eq!(
///     "fly".parse::<Mode>().unwrap_err().to_string(),
///     "unknown mode 'fly' (expected pack, remove, move, lookup, receive or returns)"
/// );
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Mode {
    /// Pack the scanned unit into the current container (or open/select a container).
    #[default]
    Pack,
    /// Take the scanned unit out of its container.
    Remove,
    /// Move the scanned unit into the current container (asks for confirmation).
    Move,
    /// Show the scanned unit.
    Lookup,
    /// Take the scanned unit's whole hierarchy in from the site repository (or refresh it).
    Receive,
    /// Returns desk: verify the scanned returned pack (or every pack of a returned case).
    Returns,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 6] = [
        Self::Pack,
        Self::Remove,
        Self::Move,
        Self::Lookup,
        Self::Receive,
        Self::Returns,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pack => "pack",
            Self::Remove => "remove",
            Self::Move => "move",
            Self::Lookup => "lookup",
            Self::Receive => "receive",
            Self::Returns => "returns",
        }
    }
}

/// A mode name that is none of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mode '{input}' (expected pack, remove, move, lookup, receive or returns)")]
pub struct UnknownMode {
    /// The text given.
    pub input: String,
}

impl std::str::FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMode {
                input: s.to_owned(),
            })
    }
}

impl TryFrom<String> for Mode {
    type Error = UnknownMode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Mode> for &'static str {
    fn from(mode: Mode) -> Self {
        mode.as_str()
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
