//! `unused_serials`: scans of serials from the selected work order's serial list that this
//! station has never handled. The training panel's "Next pack" and the sample pictures draw
//! from it, so a newcomer never gets a serial typed in by hand or packed before (a duplicate),
//! also after a restart.

use super::{Outcome, Response, Station};
use crate::store;

/// The most serials one request answers.
pub const UNUSED_SERIALS_MAX: u32 = 1000;

/// The scan of a pack: its key `(01)<GTIN>(21)<serial>` with the order's expiry and lot in the
/// order packs carry them, `(01)(17)(10)(21)`.
pub fn pack_scan_of_key(key: &str, lot: Option<&str>, expiry: Option<&str>) -> Option<String> {
    let rest = key.strip_prefix("(01)")?;
    let (gtin, serial) = rest.split_once("(21)")?;
    let mut scan = format!("(01){gtin}");
    if let Some(expiry) = expiry {
        scan.push_str(&format!("(17){expiry}"));
    }
    if let Some(lot) = lot {
        scan.push_str(&format!("(10){lot}"));
    }
    scan.push_str(&format!("(21){serial}"));
    Some(scan)
}

impl Station {
    /// `unused_serials`: up to `count` scans (`data.scans`, oldest list entries first; fewer
    /// when the list runs out, none without a list).
    pub(crate) fn unused_serials(&self, count: u32) -> Outcome {
        self.require_user()?;
        let order = self.require_work_order()?;
        let keys =
            store::unhandled_listed(self.store.conn(), &order.id, count.min(UNUSED_SERIALS_MAX))?;
        let scans: Vec<String> = keys
            .iter()
            .filter_map(|k| pack_scan_of_key(k, order.lot.as_deref(), order.expiry.as_deref()))
            .collect();
        Ok(Response::ok().data(serde_json::json!({ "scans": scans })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_becomes_the_scan_packs_carry() {
        assert_eq!(
            pack_scan_of_key(
                "(01)09506000134352(21)TR00007",
                Some("TRAIN01"),
                Some("301231")
            )
            .as_deref(),
            Some("(01)09506000134352(17)301231(10)TRAIN01(21)TR00007")
        );
        assert_eq!(
            pack_scan_of_key("(01)09506000134352(21)A1", None, None).as_deref(),
            Some("(01)09506000134352(21)A1")
        );
        assert_eq!(pack_scan_of_key("(00)095060000000000015", None, None), None);
    }
}
