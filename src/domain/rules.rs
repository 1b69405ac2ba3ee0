//! The rules a scan must pass (`docs/architecture.md` §9), as pure functions over plain data.

use super::{ContainerState, Level, ReasonCode, Refusal, UnitView, WorkOrder};

/// The verdict of the expiry rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryCheck {
    /// Fine.
    Ok,
    /// Accepted but within the warning window.
    Soon {
        /// Days left, counting today as 0.
        days_left: i64,
    },
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last day of a month.
pub fn end_of_month_day(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Checks an expiry YYMMDD (day 00 = end of month; century per GS1: the year within -49..+50 of
/// today) against today. `today_days` is days since the Unix epoch; `warn_days` the warning window.
pub fn check_expiry(yymmdd: &str, today_days: i64, warn_days: i64) -> Result<ExpiryCheck, Refusal> {
    let bad = || {
        Refusal::new(
            ReasonCode::InvalidScan,
            format!("expiry '{yymmdd}' is not YYMMDD"),
        )
    };
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| yymmdd[r].parse::<u32>().map_err(|_| bad());
    let (yy, month, mut day) = (num(0..2)?, num(2..4)?, num(4..6)?);
    if !(1..=12).contains(&month) {
        return Err(bad());
    }
    // GS1 General Specifications 7.12: the century is chosen so the year lies within
    // 49 years back and 50 years ahead of the current year.
    let today_year = civil_year(today_days);
    let mut year = today_year - today_year.rem_euclid(100) + i64::from(yy);
    if year - today_year > 50 {
        year -= 100;
    } else if today_year - year > 49 {
        year += 100;
    }
    if day == 0 {
        day = end_of_month_day(year, month);
    }
    if day > end_of_month_day(year, month) {
        return Err(bad());
    }
    let expiry_days = days_from_civil(year, month, day);
    let days_left = expiry_days - today_days;
    if days_left < 0 {
        return Err(Refusal::new(
            ReasonCode::Expired,
            format!("expiry {year:04}-{month:02}-{day:02} has passed"),
        ));
    }
    if days_left <= warn_days {
        return Ok(ExpiryCheck::Soon { days_left });
    }
    Ok(ExpiryCheck::Ok)
}

fn civil_year(days: i64) -> i64 {
    // Inverse of days_from_civil, year only.
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

/// Product homogeneity: GTIN, and batch/expiry when the order specifies them.
pub fn check_product(
    order: &WorkOrder,
    gtin: &str,
    lot: Option<&str>,
    expiry: Option<&str>,
) -> Result<(), Refusal> {
    if gtin != order.gtin {
        return Err(Refusal::new(
            ReasonCode::WrongProduct,
            format!(
                "GTIN {gtin}, work order {} expects {}",
                order.id, order.gtin
            ),
        ));
    }
    if let Some(want) = &order.lot
        && lot != Some(want.as_str())
    {
        return Err(Refusal::new(
            ReasonCode::WrongLot,
            format!("batch {}, expected {want}", lot.unwrap_or("(none)")),
        ));
    }
    if let Some(want) = &order.expiry
        && expiry != Some(want.as_str())
    {
        return Err(Refusal::new(
            ReasonCode::WrongExpiry,
            format!("expiry {}, expected {want}", expiry.unwrap_or("(none)")),
        ));
    }
    Ok(())
}

/// The verdict of placing a unit into a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementCheck {
    /// Go ahead.
    Place,
    /// Already there: a harmless duplicate scan.
    AlreadyThere,
    /// In another container: a move needs confirmation.
    NeedsMove,
}

/// Whether `item` may go into `target`. `target_ancestors` are the row ids of the target's
/// parent chain (for the cycle rule); `expected_child_level` is the level the spec packs into
/// the target.
pub fn check_placement(
    item: &UnitView,
    target: &UnitView,
    target_ancestors: &[i64],
    expected_child_level: Option<Level>,
) -> Result<PlacementCheck, Refusal> {
    if !item.status.is_active() {
        return Err(Refusal::new(
            ReasonCode::Inactive,
            format!("{} is {}", item.key, item.status.as_str()),
        ));
    }
    if item.id == target.id || target_ancestors.contains(&item.id) {
        return Err(Refusal::new(
            ReasonCode::Cycle,
            format!("{} contains {}", item.key, target.key),
        ));
    }
    if expected_child_level != Some(item.level) {
        return Err(Refusal::new(
            ReasonCode::WrongLevel,
            format!(
                "a {} cannot go into a {}",
                item.level.as_str(),
                target.level.as_str()
            ),
        ));
    }
    if item.parent_id == Some(target.id) {
        return Ok(PlacementCheck::AlreadyThere);
    }
    if !target.status.is_active() {
        return Err(Refusal::new(
            ReasonCode::Inactive,
            format!("{} is {}", target.key, target.status.as_str()),
        ));
    }
    if target.state == Some(ContainerState::Suspended) {
        return Err(Refusal::new(
            ReasonCode::ContainerSuspended,
            format!("{} was put aside: resume it first", target.key),
        ));
    }
    if target.state != Some(ContainerState::Open) {
        return Err(Refusal::new(
            ReasonCode::ContainerClosed,
            format!("{} is closed", target.key),
        ));
    }
    if let Some(cap) = target.capacity
        && target.child_count >= cap
    {
        return Err(Refusal::new(
            ReasonCode::ContainerFull,
            format!("{} holds {}/{cap}", target.key, target.child_count),
        ));
    }
    if item.parent_id.is_some() {
        return Ok(PlacementCheck::NeedsMove);
    }
    Ok(PlacementCheck::Place)
}

#[cfg(test)]
mod tests {
    use super::super::{PackagingSpec, UnitStatus};
    use super::*;

    fn unit(id: i64, level: Level) -> UnitView {
        UnitView {
            id,
            epc: format!("urn:x:{id}"),
            key: format!("k{id}"),
            level,
            status: UnitStatus::Active,
            gtin: None,
            lot: None,
            expiry: None,
            parent_id: None,
            published: false,
            state: (level > Level::Pack).then_some(ContainerState::Open),
            child_count: 0,
            capacity: (level > Level::Pack).then_some(2),
            work_order: None,
        }
    }

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_year(days_from_civil(2026, 12, 31)), 2026);
        assert_eq!(civil_year(days_from_civil(2027, 1, 1)), 2027);
        assert_eq!(end_of_month_day(2028, 2), 29);
        assert_eq!(end_of_month_day(2100, 2), 28);
        let today = days_from_civil(2026, 11, 25);
        assert_eq!(check_expiry("271231", today, 30), Ok(ExpiryCheck::Ok));
        assert_eq!(
            check_expiry("261200", today, 40),
            Ok(ExpiryCheck::Soon { days_left: 36 })
        );
        assert_eq!(
            check_expiry("261124", today, 30).unwrap_err().code,
            ReasonCode::Expired
        );
        assert_eq!(
            check_expiry("261125", today, 0),
            Ok(ExpiryCheck::Soon { days_left: 0 })
        );
        assert_eq!(
            check_expiry("270230", today, 0).unwrap_err().code,
            ReasonCode::InvalidScan
        );
        // 99 is read as 2099 in 2026 (within +50 years? no: 73 years ahead, so 1999, expired).
        assert_eq!(
            check_expiry("991231", today, 0).unwrap_err().code,
            ReasonCode::Expired
        );
    }

    #[test]
    fn placement() {
        let case = unit(1, Level::Case);
        let mut pack = unit(2, Level::Pack);
        assert_eq!(
            check_placement(&pack, &case, &[], Some(Level::Pack)),
            Ok(PlacementCheck::Place)
        );
        pack.parent_id = Some(1);
        assert_eq!(
            check_placement(&pack, &case, &[], Some(Level::Pack)),
            Ok(PlacementCheck::AlreadyThere)
        );
        pack.parent_id = Some(9);
        assert_eq!(
            check_placement(&pack, &case, &[], Some(Level::Pack)),
            Ok(PlacementCheck::NeedsMove)
        );
        let mut full = case.clone();
        full.child_count = 2;
        assert_eq!(
            check_placement(&pack, &full, &[], Some(Level::Pack))
                .unwrap_err()
                .code,
            ReasonCode::ContainerFull
        );
        let pallet = unit(3, Level::Pallet);
        assert_eq!(
            check_placement(&pallet, &case, &[], Some(Level::Pack))
                .unwrap_err()
                .code,
            ReasonCode::WrongLevel
        );
        assert_eq!(
            check_placement(&case, &pallet, &[1], Some(Level::Case))
                .unwrap_err()
                .code,
            ReasonCode::Cycle
        );
        let mut aside = case.clone();
        aside.state = Some(ContainerState::Suspended);
        assert_eq!(
            check_placement(&unit(4, Level::Pack), &aside, &[], Some(Level::Pack))
                .unwrap_err()
                .code,
            ReasonCode::ContainerSuspended
        );
        pack.status = UnitStatus::Destroyed;
        assert_eq!(
            check_placement(&pack, &case, &[], Some(Level::Pack))
                .unwrap_err()
                .code,
            ReasonCode::Inactive
        );
        let _ = PackagingSpec::new(&[(Level::Case, 1)]);
    }

    #[test]
    fn product() {
        let order = WorkOrder {
            id: "WO1".into(),
            gtin: "09506000134352".into(),
            lot: Some("LOT42".into()),
            expiry: None,
            spec: PackagingSpec::new(&[(Level::Case, 2)]).unwrap(),
            has_serial_list: false,
            auto_open_next: false,
        };
        assert!(check_product(&order, "09506000134352", Some("LOT42"), Some("271231")).is_ok());
        assert_eq!(
            check_product(&order, "09506000134353", Some("LOT42"), None)
                .unwrap_err()
                .code,
            ReasonCode::WrongProduct
        );
        assert_eq!(
            check_product(&order, "09506000134352", Some("LOT43"), None)
                .unwrap_err()
                .code,
            ReasonCode::WrongLot
        );
    }
}
