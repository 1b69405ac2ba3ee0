//! Packaging levels and packaging specifications (how many children a container holds).

use serde::{Deserialize, Serialize};

/// A packaging level, from the saleable pack up to a shipping container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A saleable pack (SGTIN).
    Pack,
    /// A case / shipper (SSCC or SGTIN of a case-level GTIN).
    Case,
    /// A pallet (SSCC).
    Pallet,
    /// A shipping container holding pallets (SSCC).
    Container,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 4] = [Level::Pack, Level::Case, Level::Pallet, Level::Container];

    /// Stable lower-case name used in the database and the automation protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pack => "pack",
            Self::Case => "case",
            Self::Pallet => "pallet",
            Self::Container => "container",
        }
    }

    /// Numeric rank (pack = 0).
    pub fn rank(self) -> u8 {
        match self {
            Self::Pack => 0,
            Self::Case => 1,
            Self::Pallet => 2,
            Self::Container => 3,
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// Why a packaging specification is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    /// No container level given.
    #[error("a packaging specification needs at least one container level")]
    Empty,
    /// Levels must rise one step at a time, starting at case.
    #[error(
        "packaging levels must be case, pallet, container in order; found {found:?} at position {position}"
    )]
    OutOfOrder {
        /// Zero-based position in the list.
        position: usize,
        /// The level found there.
        found: Level,
    },
    /// A capacity of zero.
    #[error("capacity of {level:?} must be at least 1")]
    ZeroCapacity {
        /// The level with capacity 0.
        level: Level,
    },
}

/// A packaging specification: capacity of each container level (e.g. 20 packs per case,
/// 40 cases per pallet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagingSpec {
    levels: Vec<(Level, u32)>,
}

impl PackagingSpec {
    /// Builds a spec from container levels, lowest first: `[(Case, 20), (Pallet, 40)]`.
    pub fn new(levels: &[(Level, u32)]) -> Result<Self, LevelError> {
        if levels.is_empty() {
            return Err(LevelError::Empty);
        }
        for (i, &(level, cap)) in levels.iter().enumerate() {
            if usize::from(level.rank()) != i + 1 {
                return Err(LevelError::OutOfOrder {
                    position: i,
                    found: level,
                });
            }
            if cap == 0 {
                return Err(LevelError::ZeroCapacity { level });
            }
        }
        Ok(Self {
            levels: levels.to_vec(),
        })
    }

    /// The container levels with their capacities, lowest first.
    pub fn levels(&self) -> &[(Level, u32)] {
        &self.levels
    }

    /// How many children a container of `level` holds, or `None` if the level is not used.
    pub fn capacity(&self, level: Level) -> Option<u32> {
        self.levels
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, c)| *c)
    }

    /// The level a unit of `level` is packed into, if any.
    pub fn parent_level(&self, level: Level) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.rank() == level.rank() + 1)
            .filter(|l| self.capacity(*l).is_some())
    }

    /// The highest container level used.
    pub fn top_level(&self) -> Level {
        self.levels.last().map_or(Level::Case, |(l, _)| *l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_rules() {
        assert_eq!(PackagingSpec::new(&[]), Err(LevelError::Empty));
        assert!(matches!(
            PackagingSpec::new(&[(Level::Pallet, 4)]),
            Err(LevelError::OutOfOrder { position: 0, .. })
        ));
        assert_eq!(
            PackagingSpec::new(&[(Level::Case, 0)]),
            Err(LevelError::ZeroCapacity { level: Level::Case })
        );
        let s = PackagingSpec::new(&[(Level::Case, 20)]).unwrap();
        assert_eq!(s.parent_level(Level::Pack), Some(Level::Case));
        assert_eq!(s.parent_level(Level::Case), None);
        assert_eq!(s.top_level(), Level::Case);
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
    }
}
