//! The reconciliation on seeded random orders: every figure adds up and matches what was
//! generated; the close-out rule.

use super::*;
use crate::domain::ReasonCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const STATUSES: [UnitStatus; 5] = [
    UnitStatus::Active,
    UnitStatus::Decommissioned,
    UnitStatus::Destroyed,
    UnitStatus::Sampled,
    UnitStatus::Rejected,
];

/// What the generator put where, counted on its own.
#[derive(Default, Debug)]
struct Expected {
    listed: u64,
    not_listed: u64,
    packed: u64,
    retired: [u64; 4],
    loose_scanned: u64,
    never_scanned: u64,
    open: u64,
    suspended: u64,
    short: u64,
}

fn random_order(seed: u64) -> (Vec<OrderUnit>, bool, Expected) {
    let mut rng = StdRng::seed_from_u64(seed);
    let has_list = rng.random_bool(0.7);
    let mut e = Expected::default();
    let mut units = Vec::new();
    // Pallets, then cases (some on pallets), then packs (some in cases).
    let pallets: Vec<String> = (0..rng.random_range(0..3))
        .map(|n| format!("(00)19506000000000{n:04}"))
        .collect();
    let mut cases = Vec::new();
    for (n, key) in pallets.iter().enumerate() {
        let _ = n;
        units.push(OrderUnit::container(
            key,
            Level::Pallet,
            ContainerState::Closed,
            0,
            4,
        ));
    }
    for n in 0..rng.random_range(0..8) {
        let key = format!("(00)09506000000000{n:04}");
        let state = match rng.random_range(0..10) {
            0..=1 => ContainerState::Open,
            2 => ContainerState::Suspended,
            _ => ContainerState::Closed,
        };
        let mut case = OrderUnit::container(&key, Level::Case, state, 0, 5);
        if state == ContainerState::Closed && !pallets.is_empty() && rng.random_bool(0.5) {
            let p = &pallets[rng.random_range(0..pallets.len())];
            case = case.in_container(p);
        }
        if rng.random_bool(0.1) {
            // A retired case is closed and empty.
            case.status = UnitStatus::Decommissioned;
            case.state = Some(ContainerState::Closed);
            case.parent = None;
        }
        cases.push(units.len());
        units.push(case);
    }
    for n in 0..rng.random_range(0..60) {
        let listed = has_list && rng.random_bool(0.85);
        let mut pack = OrderUnit::pack(&format!("(01)09506000134352(21)S{n:05}"), listed);
        if listed {
            e.listed += 1;
        } else {
            e.not_listed += 1;
        }
        let status = STATUSES[rng.random_range(0..STATUSES.len())];
        if status != UnitStatus::Active {
            pack = pack.with_status(status);
            let i = STATUSES.iter().position(|s| *s == status).unwrap_or(1) - 1;
            e.retired[i] += 1;
        } else {
            let open_cases: Vec<usize> = cases
                .iter()
                .copied()
                .filter(|&i| units[i].status.is_active() && units[i].child_count < 5)
                .collect();
            if !open_cases.is_empty() && rng.random_bool(0.6) {
                let c = open_cases[rng.random_range(0..open_cases.len())];
                pack = pack.in_container(&units[c].key.clone());
                units[c].child_count += 1;
                e.packed += 1;
            } else if listed && rng.random_bool(0.5) {
                e.never_scanned += 1;
            } else {
                pack = pack.handled();
                e.loose_scanned += 1;
            }
        }
        units.push(pack);
    }
    // Pallet counts follow their cases.
    for p in &pallets {
        let n = units
            .iter()
            .filter(|u| u.parent.as_deref() == Some(p.as_str()))
            .count();
        if let Some(pallet) = units.iter_mut().find(|u| &u.key == p) {
            pallet.child_count = u32::try_from(n).unwrap_or(0);
        }
    }
    for u in units
        .iter()
        .filter(|u| u.level > Level::Pack && u.status.is_active())
    {
        match u.state {
            Some(ContainerState::Open) => e.open += 1,
            Some(ContainerState::Suspended) => e.suspended += 1,
            Some(ContainerState::Closed) if u.capacity.is_some_and(|c| u.child_count < c) => {
                e.short += 1;
            }
            _ => {}
        }
    }
    (units, has_list, e)
}

#[test]
fn every_figure_adds_up_on_seeded_random_orders() {
    for seed in 0..500 {
        let (units, has_list, e) = random_order(seed);
        let r = Reconciliation::compute(
            &units,
            has_list,
            &[Level::Case, Level::Pallet],
            &BTreeMap::new(),
        );
        r.check().unwrap_or_else(|err| panic!("seed {seed}: {err}"));
        let outside = r.not_listed.clone().unwrap_or_default();
        let ctx = format!("seed {seed}: {e:?}");
        if has_list {
            assert_eq!(r.basis, Basis::SerialList, "{ctx}");
            assert_eq!(r.serials.total, e.listed, "{ctx}");
            assert_eq!(outside.total, e.not_listed, "{ctx}");
            assert_eq!(r.not_listed.is_some(), e.not_listed > 0, "{ctx}");
        } else {
            assert_eq!(r.basis, Basis::OrderUnits, "{ctx}");
            assert_eq!(r.serials.total, e.not_listed, "{ctx}");
            assert!(r.not_listed.is_none(), "{ctx}");
        }
        let both = |f: fn(&SerialBreakdown) -> u64| f(&r.serials) + f(&outside);
        assert_eq!(both(|b| b.packed.count), e.packed, "{ctx}");
        assert_eq!(both(|b| b.decommissioned.count), e.retired[0], "{ctx}");
        assert_eq!(both(|b| b.destroyed.count), e.retired[1], "{ctx}");
        assert_eq!(both(|b| b.sampled.count), e.retired[2], "{ctx}");
        assert_eq!(both(|b| b.rejected.count), e.retired[3], "{ctx}");
        assert_eq!(both(|b| b.loose_scanned.count), e.loose_scanned, "{ctx}");
        assert_eq!(both(|b| b.never_scanned.count), e.never_scanned, "{ctx}");
        assert_eq!(r.open.len() as u64, e.open, "{ctx}");
        assert_eq!(r.suspended.len() as u64, e.suspended, "{ctx}");
        assert_eq!(r.short.len() as u64, e.short, "{ctx}");
        assert_eq!(
            r.leftovers().len() as u64,
            e.loose_scanned + e.never_scanned,
            "{ctx}"
        );
        // The same order, told in any order, reconciles the same.
        let mut shuffled = units.clone();
        shuffled.reverse();
        let again = Reconciliation::compute(
            &shuffled,
            has_list,
            &[Level::Case, Level::Pallet],
            &BTreeMap::new(),
        );
        assert_eq!(again, r, "{ctx}");
        // The rule: refused while anything is open, or leftovers stay without decommissioning.
        let verdict = check_closeable("WO-R", &r, false);
        let expected = if e.open + e.suspended > 0 {
            Some(ReasonCode::ContainersOpen)
        } else if e.loose_scanned + e.never_scanned > 0 {
            Some(ReasonCode::OrderNotReconciled)
        } else {
            None
        };
        assert_eq!(verdict.as_ref().err().map(|r| r.code), expected, "{ctx}");
        if e.open + e.suspended == 0 {
            assert!(check_closeable("WO-R", &r, true).is_ok(), "{ctx}");
        }
    }
}

#[test]
fn a_figure_changed_by_hand_is_caught() {
    let (units, has_list, _) = (0..)
        .map(random_order)
        .find(|(u, _, e)| u.len() > 20 && e.packed > 0 && e.loose_scanned > 0)
        .unwrap_or_default();
    let r = Reconciliation::compute(&units, has_list, &[Level::Case], &BTreeMap::new());
    assert!(r.check().is_ok());
    let mut bad = r.clone();
    bad.serials.total += 1;
    assert!(bad.check().unwrap_err().figure.contains("serials.total"));
    let mut bad = r.clone();
    bad.serials.packed.count -= 1;
    assert!(bad.check().is_err());
    let mut bad = r.clone();
    let moved = bad.serials.packed.keys[0].clone();
    bad.serials.loose_scanned.keys.push(moved);
    bad.serials.loose_scanned.count += 1;
    bad.serials.total += 1;
    assert!(bad.check().unwrap_err().figure.contains("counted twice"));
    let mut bad = r;
    bad.levels[0].loose += 1;
    assert!(bad.check().is_err());
}

#[test]
fn open_and_suspended_containers_are_named_in_the_refusal() {
    let units = [
        OrderUnit::container(
            "(00)095060000000000015",
            Level::Case,
            ContainerState::Open,
            2,
            20,
        ),
        OrderUnit::container(
            "(00)095060000000000022",
            Level::Case,
            ContainerState::Suspended,
            7,
            20,
        ),
        OrderUnit::pack("(01)09506000134352(21)A", false).in_container("(00)095060000000000015"),
    ];
    let r = Reconciliation::compute(&units, false, &[Level::Case], &BTreeMap::new());
    let refusal = check_closeable("WO-1", &r, true).unwrap_err();
    assert_eq!(refusal.code, ReasonCode::ContainersOpen);
    assert!(
        refusal
            .detail
            .contains("(00)095060000000000015 (case open, 2/20)"),
        "{}",
        refusal.detail
    );
    assert!(
        refusal
            .detail
            .contains("(00)095060000000000022 (case suspended, 7/20)"),
        "{}",
        refusal.detail
    );
}

#[test]
fn leftovers_are_named_and_counted() {
    let units: Vec<OrderUnit> = (0..8)
        .map(|n| OrderUnit::pack(&format!("(01)09506000134352(21)L{n}"), true))
        .collect();
    let r = Reconciliation::compute(&units, true, &[Level::Case], &BTreeMap::new());
    let refusal = check_closeable("WO-2", &r, false).unwrap_err();
    assert_eq!(refusal.code, ReasonCode::OrderNotReconciled);
    assert!(refusal.detail.contains("8 serial(s)"), "{}", refusal.detail);
    assert!(refusal.detail.contains("and 3 more"), "{}", refusal.detail);
    assert!(check_closeable("WO-2", &r, true).is_ok());
}

#[test]
fn a_short_container_carries_its_signature() {
    let case = "(00)095060000000000015";
    let sig = SignatureRecord {
        username: "sup".to_owned(),
        full_name: "Sam Supervisor".to_owned(),
        time_ms: 5,
        meaning: "approve short case".to_owned(),
        reason: Some("end of batch".to_owned()),
        command: "close_short".to_owned(),
    };
    let units = [
        OrderUnit::container(case, Level::Case, ContainerState::Closed, 1, 3),
        OrderUnit::pack("(01)09506000134352(21)A", false).in_container(case),
    ];
    let signatures = BTreeMap::from([(case.to_owned(), sig.clone())]);
    let r = Reconciliation::compute(&units, false, &[Level::Case], &signatures);
    assert_eq!(r.short.len(), 1);
    assert_eq!(r.short[0].signature, Some(sig));
    assert_eq!((r.short[0].count, r.short[0].capacity), (1, 3));
    let json = serde_json::to_value(&r).unwrap_or_default();
    assert_eq!(json["serials"]["packed"]["count"], 1);
    assert_eq!(json["basis"], "order_units");
    let back: Reconciliation = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, r);
}
