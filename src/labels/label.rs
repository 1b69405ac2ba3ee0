//! What a GS1 logistic label says: the SSCC, and for a homogeneous container its content
//! (GTIN, count, batch, expiry), with the free text printed beside the barcodes.

use super::code128::GS;
use crate::gs1::{Expiry, Gtin, Lot, Sscc};

/// Homogeneous content of a container: one GTIN, one batch, one expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// GTIN of the contained trade items, AI (02).
    pub gtin: Gtin,
    /// Number of contained trade items, AI (37).
    pub count: u32,
    /// Batch or lot, AI (10).
    pub lot: Option<Lot>,
    /// Expiry date, AI (17).
    pub expiry: Option<Expiry>,
}

/// Everything printed on one label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelData {
    /// The logistic unit's SSCC, AI (00).
    pub sscc: Sscc,
    /// `case`, `pallet`, ... (printed in the header).
    pub level: String,
    /// Content, when the container is homogeneous.
    pub content: Option<Content>,
    /// Product name.
    pub product_name: Option<String>,
    /// Work order id.
    pub work_order: Option<String>,
    /// Station (read point or name).
    pub station: Option<String>,
    /// Date printed (ISO `YYYY-MM-DD`, given by the caller: labels have no clock).
    pub date: String,
    /// A note printed in the text block, e.g. `SHORT 7/20` or `REMAINDER`.
    pub note: Option<String>,
}

/// One AI and its value as it goes into a barcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Application identifier.
    pub ai: &'static str,
    /// Value.
    pub value: String,
    /// Whether the AI has a predefined length (no FNC1 separator needed after it).
    pub fixed: bool,
}

impl Field {
    fn new(ai: &'static str, value: impl Into<String>, fixed: bool) -> Self {
        Self {
            ai,
            value: value.into(),
            fixed,
        }
    }
}

/// The element string of some fields: GS after a variable-length field that is not last.
pub fn element_string(fields: &[Field]) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        out.push_str(f.ai);
        out.push_str(&f.value);
        if !f.fixed && i + 1 < fields.len() {
            out.push(GS);
        }
    }
    out
}

/// The bracketed human-readable form of some fields, as printed under a barcode.
pub fn hri(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| format!("({}){}", f.ai, f.value))
        .collect()
}

impl LabelData {
    /// The SSCC field, AI (00).
    pub fn sscc_field(&self) -> Field {
        Field::new("00", self.sscc.as_str(), true)
    }

    /// The content fields in barcode order (fixed-length first): (02), (17), (37), (10).
    pub fn content_fields(&self) -> Vec<Field> {
        let Some(c) = &self.content else {
            return Vec::new();
        };
        let mut out = vec![Field::new("02", c.gtin.as_str(), true)];
        if let Some(e) = &c.expiry {
            out.push(Field::new("17", e.as_yymmdd(), true));
        }
        out.push(Field::new("37", c.count.to_string(), false));
        if let Some(l) = &c.lot {
            out.push(Field::new("10", l.as_str(), false));
        }
        out
    }

    /// The fields every symbol that carries content needs to be valid on its own — (00), (02),
    /// (37): (02) requires (37), and (37) requires (00) and (02) (GS1 Barcode Syntax Dictionary)
    /// — and the other content fields, (17) and (10), which require (02). `None` without content.
    pub fn content_groups(&self) -> Option<(Vec<Field>, Vec<Field>)> {
        let c = self.content.as_ref()?;
        let core = vec![
            self.sscc_field(),
            Field::new("02", c.gtin.as_str(), true),
            Field::new("37", c.count.to_string(), false),
        ];
        let mut extras = Vec::new();
        if let Some(e) = &c.expiry {
            extras.push(Field::new("17", e.as_yymmdd(), true));
        }
        if let Some(l) = &c.lot {
            extras.push(Field::new("10", l.as_str(), false));
        }
        Some((core, extras))
    }
}

/// Puts fields in barcode order: the predefined-length AIs first — (00), (02), (17) — then
/// (37), then the batch, so an FNC1 separator follows (37) only when a batch comes after it.
pub fn barcode_order(fields: &mut [Field]) {
    fn rank(ai: &str) -> u8 {
        match ai {
            "00" => 0,
            "02" => 1,
            "17" => 2,
            "37" => 3,
            _ => 4,
        }
    }
    fields.sort_by_key(|f| rank(f.ai));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> LabelData {
        LabelData {
            sscc: "095060000000000015".parse().unwrap(),
            level: "case".to_owned(),
            content: Some(Content {
                gtin: "09506000134352".parse().unwrap(),
                count: 20,
                lot: Some("LOT42".parse().unwrap()),
                expiry: Some("271231".parse().unwrap()),
            }),
            product_name: Some("Demo 20 mg".to_owned()),
            work_order: Some("WO-1".to_owned()),
            station: None,
            date: "2026-11-25".to_owned(),
            note: None,
        }
    }

    #[test]
    fn content_element_string_has_fnc1_only_between_variable_fields() {
        let f = data().content_fields();
        assert_eq!(
            element_string(&f),
            "0209506000134352172712313720\u{1d}10LOT42"
        );
        assert_eq!(hri(&f), "(02)09506000134352(17)271231(37)20(10)LOT42");
        assert_eq!(
            element_string(&[data().sscc_field()]),
            "00095060000000000015"
        );
    }

    #[test]
    fn label_fields_round_trip_through_the_gs1_parser() {
        // (37) requires (00) on the same label: parse them together.
        let mut f = vec![data().sscc_field()];
        f.extend(data().content_fields());
        let parsed = crate::gs1::parse(
            &format!("]C1{}", element_string(&f)),
            &crate::gs1::ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(parsed.hri_display(), hri(&f));
    }
}
