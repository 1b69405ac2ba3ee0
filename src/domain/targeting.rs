//! Which container a pack-mode scan goes into (`docs/architecture.md` §16): the bench never
//! guesses. The current container of a level changes only when the packer scans or creates
//! one, or confirms a switch; a unit goes only into the current container of the level above
//! it; a scan of the wrong level is named as such.

use super::{Level, PackagingSpec, ReasonCode, Refusal};

/// A container the packer is filling: the current one of its level, with its fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filling {
    /// Its level.
    pub level: Level,
    /// Bracketed GS1 key.
    pub key: String,
    /// Children now.
    pub count: u32,
    /// Capacity, when it has one.
    pub capacity: Option<u32>,
}

impl Filling {
    /// "case (00)...0015 with 7/20".
    pub fn describe(&self) -> String {
        match self.capacity {
            Some(c) => format!(
                "{} {} with {}/{c}",
                self.level.as_str(),
                self.key,
                self.count
            ),
            None => format!("{} {} with {}", self.level.as_str(), self.key, self.count),
        }
    }

    /// Whether it holds as many children as it can.
    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|c| self.count >= c)
    }
}

/// What a pack-mode scan turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackScan<'a> {
    /// A unit to go into a container of the level above it: a pack, or a closed case.
    Unit {
        /// The unit's level.
        level: Level,
    },
    /// The label of a container to fill.
    Label {
        /// The container's level.
        level: Level,
        /// Its bracketed key.
        key: &'a str,
        /// New (unknown here), open, or suspended.
        state: LabelState,
    },
}

/// The state of a scanned container label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelState {
    /// Not known here: scanning it opens a new container.
    New,
    /// An open container that is not the current one.
    Open,
    /// A container put aside partly filled: scanning it resumes it.
    Suspended,
}

/// The verdict of [`target`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Targeting {
    /// Put the unit into the current container of this level.
    Place(Level),
    /// Make the scanned container the current one of its level (opening a new one, resuming a
    /// suspended one).
    Take,
    /// The scanned container is already the current one: nothing changes.
    AlreadyCurrent,
    /// Another container of that level is open and not full: the packer must confirm that it
    /// is put aside (suspended) before the scanned one becomes current.
    ConfirmSwitch {
        /// The container that would be put aside.
        put_aside: Filling,
    },
}

/// Decides where a pack-mode scan goes.
///
/// `filling` holds the current container of each level (at most one per level); `working` is the
/// level the packer worked at last (filled, opened, selected or closed), or `None` to take the
/// lowest level being filled.
///
/// ```
/// use packbench::domain::{Filling, Level, PackScan, PackagingSpec, ReasonCode, Targeting, target};
/// let spec = PackagingSpec::new(&[(Level::Case, 20), (Level::Pallet, 40)]).unwrap();
/// let case = Filling { level: Level::Case, key: "(00)1".into(), count: 7, capacity: Some(20) };
/// let pack = PackScan::Unit { level: Level::Pack };
/// assert_eq!(target(&spec, &[case.clone()], None, &pack), Ok(Targeting::Place(Level::Case)));
/// // A pack while nothing is open: no container.
/// assert_eq!(target(&spec, &[], None, &pack).unwrap_err().code, ReasonCode::NoOpenContainer);
/// // A closed case while a case (no pallet) is being filled: the wrong level.
/// let closed_case = PackScan::Unit { level: Level::Case };
/// let err = target(&spec, &[case], None, &closed_case).unwrap_err();
/// assert_eq!(err.code, ReasonCode::WrongLevel);
/// ```
pub fn target(
    spec: &PackagingSpec,
    filling: &[Filling],
    working: Option<Level>,
    scan: &PackScan<'_>,
) -> Result<Targeting, Refusal> {
    let current = |level: Level| filling.iter().find(|f| f.level == level);
    match *scan {
        PackScan::Label { level, key, .. } => {
            if spec.capacity(level).is_none() {
                return Err(Refusal::new(
                    ReasonCode::WrongLevel,
                    format!(
                        "this work order has no {} level; {key} cannot be filled here",
                        level.as_str()
                    ),
                ));
            }
            match current(level) {
                Some(f) if f.key == key => Ok(Targeting::AlreadyCurrent),
                Some(f) if !f.is_full() => Ok(Targeting::ConfirmSwitch {
                    put_aside: f.clone(),
                }),
                // Nothing (or a full one) is current at that level: open, select or resume it.
                _ => Ok(Targeting::Take),
            }
        }
        PackScan::Unit { level } => {
            let Some(parent) = spec.parent_level(level) else {
                return Err(Refusal::new(
                    ReasonCode::WrongLevel,
                    format!(
                        "this work order packs nothing above a {}{}",
                        level.as_str(),
                        filling_note(filling)
                    ),
                ));
            };
            if current(parent).is_some() {
                return Ok(Targeting::Place(parent));
            }
            // The packer was just filling the unit's own target level (a case that closed):
            // no container. Filling another level: the wrong level, named.
            let working = working.or_else(|| filling.iter().map(|f| f.level).min());
            match working.and_then(|w| current(w).map(|f| (w, f))) {
                Some((w, f)) if w != parent => {
                    let expected = Level::ALL
                        .into_iter()
                        .find(|l| spec.parent_level(*l) == Some(w))
                        .map_or("nothing", Level::as_str);
                    Err(Refusal::new(
                        ReasonCode::WrongLevel,
                        format!(
                            "expected a {expected} for {}, found a {}: scan or create a {} label to pack it",
                            f.describe(),
                            level.as_str(),
                            parent.as_str()
                        ),
                    ))
                }
                _ => Err(Refusal::new(
                    ReasonCode::NoOpenContainer,
                    format!(
                        "no {} is open: scan or create a {} label first{}",
                        parent.as_str(),
                        parent.as_str(),
                        filling_note(filling)
                    ),
                )),
            }
        }
    }
}

/// " (filling: pallet (00)... with 3/10)" or nothing.
fn filling_note(filling: &[Filling]) -> String {
    if filling.is_empty() {
        return String::new();
    }
    let list: Vec<String> = filling.iter().map(Filling::describe).collect();
    format!(" (filling: {})", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> PackagingSpec {
        PackagingSpec::new(&[(Level::Case, 3), (Level::Pallet, 2)]).unwrap()
    }

    fn fill(level: Level, key: &str, count: u32, cap: u32) -> Filling {
        Filling {
            level,
            key: key.into(),
            count,
            capacity: Some(cap),
        }
    }

    const PACK: PackScan<'static> = PackScan::Unit { level: Level::Pack };
    const CASE: PackScan<'static> = PackScan::Unit { level: Level::Case };

    #[test]
    fn a_unit_goes_only_into_the_current_container_of_the_level_above() {
        let case = fill(Level::Case, "C1", 1, 3);
        let pallet = fill(Level::Pallet, "P1", 0, 2);
        let both = [case.clone(), pallet.clone()];
        assert_eq!(
            target(&spec(), &both, None, &PACK),
            Ok(Targeting::Place(Level::Case))
        );
        assert_eq!(
            target(&spec(), &both, None, &CASE),
            Ok(Targeting::Place(Level::Pallet))
        );
        assert_eq!(
            target(&spec(), &[pallet], Some(Level::Case), &CASE),
            Ok(Targeting::Place(Level::Pallet))
        );
    }

    #[test]
    fn nothing_open_is_no_open_container() {
        let e = target(&spec(), &[], None, &PACK).unwrap_err();
        assert_eq!(e.code, ReasonCode::NoOpenContainer);
        assert!(e.detail.contains("no case is open"), "{}", e.detail);
        let e = target(&spec(), &[], Some(Level::Case), &CASE).unwrap_err();
        assert_eq!(e.code, ReasonCode::NoOpenContainer);
        assert!(e.detail.contains("no pallet is open"), "{}", e.detail);
    }

    #[test]
    fn a_case_that_closed_leaves_no_case_and_the_next_pack_is_refused() {
        // The packer filled a case (working level case) that closed; a pallet is current.
        let pallet = fill(Level::Pallet, "P1", 1, 2);
        let e = target(&spec(), &[pallet], Some(Level::Case), &PACK).unwrap_err();
        assert_eq!(e.code, ReasonCode::NoOpenContainer);
        assert!(e.detail.contains("pallet P1 with 1/2"), "{}", e.detail);
    }

    #[test]
    fn wrong_level_names_expected_and_found() {
        // A closed case scanned while only a case is being filled.
        let case = fill(Level::Case, "C1", 2, 3);
        let e = target(&spec(), std::slice::from_ref(&case), None, &CASE).unwrap_err();
        assert_eq!(e.code, ReasonCode::WrongLevel);
        assert!(
            e.detail
                .contains("expected a pack for case C1 with 2/3, found a case"),
            "{}",
            e.detail
        );
        // A pack scanned while only a pallet is being filled.
        let pallet = fill(Level::Pallet, "P1", 1, 2);
        for working in [None, Some(Level::Pallet)] {
            let e = target(&spec(), std::slice::from_ref(&pallet), working, &PACK).unwrap_err();
            assert_eq!(e.code, ReasonCode::WrongLevel);
            assert!(
                e.detail
                    .contains("expected a case for pallet P1 with 1/2, found a pack"),
                "{}",
                e.detail
            );
        }
        // Above the top level.
        let e = target(
            &spec(),
            &[],
            None,
            &PackScan::Unit {
                level: Level::Pallet,
            },
        )
        .unwrap_err();
        assert_eq!(e.code, ReasonCode::WrongLevel);
    }

    #[test]
    fn another_label_of_a_level_being_filled_asks_to_confirm() {
        let case = fill(Level::Case, "C1", 2, 3);
        for state in [LabelState::New, LabelState::Open, LabelState::Suspended] {
            let scan = PackScan::Label {
                level: Level::Case,
                key: "C2",
                state,
            };
            assert_eq!(
                target(&spec(), std::slice::from_ref(&case), None, &scan),
                Ok(Targeting::ConfirmSwitch {
                    put_aside: case.clone()
                })
            );
        }
        let same = PackScan::Label {
            level: Level::Case,
            key: "C1",
            state: LabelState::Open,
        };
        assert_eq!(
            target(&spec(), std::slice::from_ref(&case), None, &same),
            Ok(Targeting::AlreadyCurrent)
        );
        // A label of another level, or with nothing current at its level: taken at once.
        let pallet = PackScan::Label {
            level: Level::Pallet,
            key: "P9",
            state: LabelState::New,
        };
        assert_eq!(
            target(&spec(), std::slice::from_ref(&case), None, &pallet),
            Ok(Targeting::Take)
        );
        let c2 = PackScan::Label {
            level: Level::Case,
            key: "C2",
            state: LabelState::Suspended,
        };
        assert_eq!(target(&spec(), &[], None, &c2), Ok(Targeting::Take));
        // A level the order does not have.
        let crate_label = PackScan::Label {
            level: Level::Container,
            key: "X",
            state: LabelState::New,
        };
        assert_eq!(
            target(&spec(), &[], None, &crate_label).unwrap_err().code,
            ReasonCode::WrongLevel
        );
    }

    #[test]
    fn every_combination_is_decided_without_guessing() {
        // Exhaustive over small states: a Place always names a level being filled, and a
        // refusal never happens while the unit's own target level is being filled.
        let levels = [Level::Pack, Level::Case, Level::Pallet];
        let fills = [
            vec![],
            vec![fill(Level::Case, "C", 1, 3)],
            vec![fill(Level::Pallet, "P", 1, 2)],
            vec![fill(Level::Case, "C", 1, 3), fill(Level::Pallet, "P", 1, 2)],
        ];
        for f in &fills {
            for working in [None, Some(Level::Case), Some(Level::Pallet)] {
                for level in levels {
                    let r = target(&spec(), f, working, &PackScan::Unit { level });
                    let parent = spec().parent_level(level);
                    let parent_current = parent.is_some_and(|p| f.iter().any(|x| x.level == p));
                    match r {
                        Ok(Targeting::Place(l)) => {
                            assert_eq!(Some(l), parent);
                            assert!(parent_current);
                        }
                        Ok(other) => panic!("{other:?}"),
                        Err(e) => {
                            assert!(!parent_current, "{e}");
                            assert!(matches!(
                                e.code,
                                ReasonCode::NoOpenContainer | ReasonCode::WrongLevel
                            ));
                        }
                    }
                }
            }
        }
    }
}
