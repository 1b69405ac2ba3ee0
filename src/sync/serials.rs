//! `sync pull --serials`: the serials of a lot, read from the commissioning events an EPCIS 2.0
//! repository holds (ObjectEvent ADD, business step `commissioning`, ILMD `cbvmda:lotNumber`).
//!
//! ```
//! use packbench::gs1::Gtin;
//! use packbench::sync::{commissioned_serials, sgtin_pattern};
//! let gtin: Gtin = "09506000134352".parse().unwrap();
//! assert_eq!(
//!     sgtin_pattern(&gtin, 7).unwrap(),
//!     "urn:epc:idpat:sgtin:9506000.013435.*"
//! );
//! let event = serde_json::json!({
//!     "type": "ObjectEvent", "action": "ADD", "bizStep": "commissioning",
//!     "epcList": ["urn:epc:id:sgtin:9506000.013435.A%2F1"],
//!     "ilmd": {"cbvmda:lotNumber": "LOT42"},
//! });
//! let found = commissioned_serials(&[event], &gtin, "LOT42");
//! assert_eq!(found.serials, vec!["A/1".to_owned()]);
//! ```

use crate::gs1::{Gs1Error, Gtin, Sgtin};
use serde_json::Value;

/// ILMD keys of the lot number (compact JSON-LD, bare, expanded).
const LOT_KEYS: [&str; 3] = [
    "cbvmda:lotNumber",
    "lotNumber",
    "urn:epcglobal:cbv:mda#lotNumber",
];

/// The serials of a lot found in a list of events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommissionedSerials {
    /// Commissioning events of the lot.
    pub events: usize,
    /// Distinct serials (AI 21 values) of the GTIN, in the order the events named them.
    pub serials: Vec<String>,
}

/// The EPC pattern of every SGTIN of `gtin`: `urn:epc:idpat:sgtin:{prefix}.{indicator}{item}.*`.
pub fn sgtin_pattern(gtin: &Gtin, company_prefix_len: u8) -> Result<String, Gs1Error> {
    gtin.sgtin_epc_pattern(company_prefix_len)
}

/// The serial of an SGTIN EPC URI when it is one of `gtin`'s (percent-escapes decoded).
pub fn sgtin_serial(epc: &str, gtin: &Gtin) -> Option<String> {
    let (sgtin, _) = Sgtin::from_epc_uri(epc).ok()?;
    (&sgtin.gtin == gtin).then(|| sgtin.serial.as_str().to_owned())
}

/// The lot number in an event's ILMD.
pub fn event_lot(event: &Value) -> Option<&str> {
    let ilmd = event.get("ilmd")?;
    LOT_KEYS.iter().find_map(|k| ilmd.get(*k)?.as_str())
}

fn is_commissioning(event: &Value) -> bool {
    let step = event["bizStep"].as_str().unwrap_or_default();
    let word = step
        .strip_prefix("https://ref.gs1.org/cbv/BizStep-")
        .or_else(|| step.strip_prefix("urn:epcglobal:cbv:bizstep:"))
        .unwrap_or(step);
    event["type"] == "ObjectEvent" && event["action"] == "ADD" && word == "commissioning"
}

/// The serials of `gtin` that commissioning events (ObjectEvent ADD, `commissioning`) with ILMD
/// lot number `lot` name; other events are ignored.
pub fn commissioned_serials(events: &[Value], gtin: &Gtin, lot: &str) -> CommissionedSerials {
    let mut out = CommissionedSerials::default();
    let mut seen = std::collections::HashSet::new();
    for event in events
        .iter()
        .filter(|e| is_commissioning(e) && event_lot(e) == Some(lot))
    {
        out.events += 1;
        let epcs = event["epcList"].as_array().into_iter().flatten();
        for serial in epcs.filter_map(|v| sgtin_serial(v.as_str()?, gtin)) {
            if seen.insert(serial.clone()) {
                out.serials.push(serial);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn gtin() -> Gtin {
        "09506000134352".parse().unwrap()
    }

    fn commissioning(lot_key: &str, lot: &str, step: &str, epcs: &[&str]) -> Value {
        serde_json::json!({"type": "ObjectEvent", "action": "ADD", "bizStep": step,
                           "epcList": epcs, "ilmd": {lot_key: lot}})
    }

    #[test]
    fn keeps_only_the_lot_the_gtin_and_commissioning() {
        let events = vec![
            commissioning(
                "cbvmda:lotNumber",
                "A",
                "https://ref.gs1.org/cbv/BizStep-commissioning",
                &[
                    "urn:epc:id:sgtin:9506000.013435.S1",
                    "urn:epc:id:sgtin:9506000.013436.X1",
                ],
            ),
            commissioning(
                "lotNumber",
                "A",
                "urn:epcglobal:cbv:bizstep:commissioning",
                &[
                    "urn:epc:id:sgtin:9506000.013435.S2",
                    "urn:epc:id:sgtin:9506000.013435.S1",
                ],
            ),
            commissioning(
                "cbvmda:lotNumber",
                "B",
                "commissioning",
                &["urn:epc:id:sgtin:9506000.013435.S3"],
            ),
            commissioning(
                "cbvmda:lotNumber",
                "A",
                "shipping",
                &["urn:epc:id:sgtin:9506000.013435.S4"],
            ),
        ];
        let found = commissioned_serials(&events, &gtin(), "A");
        assert_eq!(found.events, 2);
        assert_eq!(found.serials, vec!["S1".to_owned(), "S2".to_owned()]);
    }

    #[test]
    fn serial_needs_the_same_gtin() {
        assert_eq!(
            sgtin_serial("urn:epc:id:sgtin:9506000.013435.A%25", &gtin()).as_deref(),
            Some("A%")
        );
        // The same GTIN split at another prefix length is still the GTIN.
        assert_eq!(
            sgtin_serial("urn:epc:id:sgtin:950600.0013435.A", &gtin()).as_deref(),
            Some("A")
        );
        assert_eq!(
            sgtin_serial("urn:epc:id:sgtin:9506000.113435.A", &gtin()),
            None
        );
        assert_eq!(
            sgtin_serial("urn:epc:id:sscc:9506000.0000000017", &gtin()),
            None
        );
        assert_eq!(
            sgtin_serial("urn:epc:id:sgtin:9506000.013435.", &gtin()),
            None
        );
    }

    #[test]
    fn pattern_follows_the_prefix_length() {
        assert_eq!(
            sgtin_pattern(&gtin(), 9).unwrap(),
            "urn:epc:idpat:sgtin:950600013.0435.*"
        );
        assert!(sgtin_pattern(&gtin(), 3).is_err());
    }
}
