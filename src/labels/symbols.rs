//! Which data goes into which GS1-128 symbol of a label.
//!
//! Every symbol a label carries is a GS1 element string valid **on its own** by packbench's own
//! parser ([`crate::gs1::parse`]): the AIs a symbol's AIs require are in the same symbol, so a
//! scanner that checks the pairing rules — packbench's own bench among them — accepts whichever
//! symbol it reads. The GS1 Barcode Syntax Dictionary has (02) require (37), (37) require (00)
//! and (02), and (10) and (17) require (02); so every symbol that carries content carries the
//! SSCC, the content GTIN and the count, and the expiry and the batch join such a symbol when
//! it stays within GS1-128's 48 data characters and the label's width at the narrowest module
//! printed (2 dots). The SSCC also has a symbol of its own, at the bottom of the label.
//!
//! A label never carries a symbol its own bench would refuse. When the SSCC, content GTIN and
//! count cannot make one valid symbol that fits, the label is refused ([`LayoutError::TooWide`],
//! [`LayoutError::TooLong`]). A batch or expiry whose smallest valid symbol — (00) (02) (37) and
//! it — exceeds the 48 characters or the width (a batch of more than 8 characters minus the
//! count's digits; an expiry beside a count of 100 or more) stays in the text block only, and
//! the layout says so ([`TextOnly`], reported like [`super::NarrowBars`]).
//!
//! ```
//! use packbench::labels::{Content, LabelData, Template, layout};
//! let data = LabelData {
//!     sscc: "395060000000000016".parse().unwrap(),
//!     level: "case".to_owned(),
//!     content: Some(Content {
//!         gtin: "09506000134352".parse().unwrap(),
//!         count: 3,
//!         lot: Some("LOT42".parse().unwrap()),
//!         expiry: Some("271231".parse().unwrap()),
//!     }),
//!     product_name: None,
//!     work_order: None,
//!     station: None,
//!     date: "2026-11-25".to_owned(),
//!     note: None,
//! };
//! let label = layout(&data, Template::In4x6, 203).unwrap();
//! let hri: Vec<String> = label
//!     .symbols()
//!     .iter()
//!     .map(|s| packbench::gs1::parse(&format!("]C1{}", s.element_string()), &Default::default()))
//!     .map(|m| m.unwrap().hri())
//!     .collect();
//! assert_eq!(hri, [
//!     "(00)395060000000000016(02)09506000134352(17)271231(37)3",
//!     "(00)395060000000000016(02)09506000134352(37)3(10)LOT42",
//!     "(00)395060000000000016",
//! ]);
//! ```

use super::code128::{Code128Error, Symbol, encode_gs1};
use super::label::{Field, LabelData, barcode_order, element_string, hri};
use super::layout::{LayoutError, Template};
use serde::Serialize;

/// A content field printed in the label's text block only: no symbol valid on its own can
/// carry it (GS1-128 length or the label's width). Reported with the label, never silent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextOnly {
    /// The field, bracketed, e.g. `(10)LOT2026-11`.
    pub field: String,
    /// Why: the smallest symbol valid on its own that would carry it does not fit.
    pub reason: String,
}

impl std::fmt::Display for TextOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is printed as text only, in no barcode: {}",
            self.field, self.reason
        )
    }
}

/// The symbols of a label, top to bottom, and the content fields left to the text block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    /// Symbol and its bracketed text.
    pub symbols: Vec<(Symbol, String)>,
    /// Content fields in no symbol.
    pub text_only: Vec<TextOnly>,
}

/// Modules of quiet zone on each side of a Code 128 symbol.
pub(crate) const QUIET_MODULES: u32 = 10;
/// The narrowest module printed, in dots (any narrower and printers lose bars).
pub(crate) const MIN_MODULE_DOTS: u32 = 2;

/// Where the symbols must fit: the label's usable width and the module widths to try.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Room {
    /// Usable width in dots (the label's width less a margin each side).
    pub usable: u32,
    /// The blank margin each side, in dots: a symbol's quiet zone may lie in it.
    pub margin: u32,
    /// The GS1 minimum X-dimension in dots (preferred for the SSCC symbol).
    pub x_min: u32,
    /// For messages.
    pub template: Template,
    /// For messages.
    pub dpi: u32,
}

impl Room {
    /// Whether `symbol` fits at `module` dots a module: its bars within the usable width, its
    /// quiet zones (10 modules each side) within the usable width and the blank margin.
    pub(crate) fn fits(&self, symbol: &Symbol, module: u32) -> bool {
        let modules = u32::try_from(symbol.modules().len()).unwrap_or(u32::MAX);
        let module = module.max(1);
        let overflow = (QUIET_MODULES * module).saturating_sub(self.margin);
        modules.saturating_mul(module).saturating_add(2 * overflow) <= self.usable
    }

    fn too_wide(&self, fields: &[Field]) -> LayoutError {
        LayoutError::TooWide {
            hri: hri(fields),
            template: self.template.as_str(),
            dpi: self.dpi,
        }
    }
}

/// One symbol of `fields` (put in barcode order), checked: packbench's parser accepts it on
/// its own, GS1-128 can carry it, and it fits the room at the narrowest module.
fn checked_symbol(fields: &[Field], room: &Room) -> Result<(Symbol, String), LayoutError> {
    let mut fields = fields.to_vec();
    barcode_order(&mut fields);
    let text = hri(&fields);
    let data = element_string(&fields);
    crate::gs1::parse(&format!("]C1{data}"), &crate::gs1::ParseOptions::default()).map_err(
        |e| LayoutError::NotGs1 {
            hri: text.clone(),
            code: e.code(),
            detail: e.to_string(),
        },
    )?;
    let symbol = encode_gs1(&data).map_err(|e| match e {
        Code128Error::TooLong { found } => LayoutError::TooLong {
            hri: text.clone(),
            found,
        },
        other => LayoutError::Encode(other),
    })?;
    if !room.fits(&symbol, MIN_MODULE_DOTS) {
        return Err(room.too_wide(&fields));
    }
    Ok((symbol, text))
}

/// The symbols of a label, top to bottom: the content symbols (each valid on its own), then
/// the SSCC alone; and the content fields no valid symbol can carry.
pub(crate) fn plan(data: &LabelData, room: &Room) -> Result<Planned, LayoutError> {
    let mut symbols = Vec::new();
    let mut text_only = Vec::new();
    if let Some((core, extras)) = data.content_groups() {
        // The content label's own data, GTIN and count with the SSCC: refused if it cannot be.
        let mut current = core.clone();
        let mut symbol = checked_symbol(&current, room)?;
        for extra in extras {
            let mut merged = current.clone();
            merged.push(extra.clone());
            if let Ok(s) = checked_symbol(&merged, room) {
                (current, symbol) = (merged, s);
                continue;
            }
            // It does not fit beside what the symbol carries: a symbol of its own, with the
            // fields it needs to be valid alone.
            let mut alone = core.clone();
            alone.push(extra.clone());
            match checked_symbol(&alone, room) {
                Ok(s) => {
                    symbols.push(symbol);
                    (current, symbol) = (alone, s);
                }
                Err(e @ (LayoutError::TooLong { .. } | LayoutError::TooWide { .. })) => {
                    text_only.push(TextOnly {
                        field: hri(&[extra]),
                        reason: e.to_string(),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        symbols.push(symbol);
    }
    let sscc = [data.sscc_field()];
    let (symbol, text) = checked_symbol(&sscc, room)?;
    // The SSCC fits at the GS1 minimum X-dimension on every template; checked all the same.
    if !room.fits(&symbol, room.x_min) && !room.fits(&symbol, MIN_MODULE_DOTS) {
        return Err(room.too_wide(&sscc));
    }
    symbols.push((symbol, text));
    Ok(Planned { symbols, text_only })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Content;

    fn data(count: u32, lot: Option<&str>, expiry: Option<&str>) -> LabelData {
        LabelData {
            sscc: "395060000000000016".parse().unwrap(),
            level: "case".to_owned(),
            content: Some(Content {
                gtin: "09506000134352".parse().unwrap(),
                count,
                lot: lot.map(|l| l.parse().unwrap()),
                expiry: expiry.map(|e| e.parse().unwrap()),
            }),
            product_name: None,
            work_order: None,
            station: None,
            date: "2026-11-25".to_owned(),
            note: None,
        }
    }

    fn room(dpi: u32) -> Room {
        // 4 x 6 in, 4 mm margins, as the layout computes them.
        let width = (101.6 * f64::from(dpi) / 25.4).round() as u32;
        let margin = (4.0 * f64::from(dpi) / 25.4).round() as u32;
        Room {
            usable: width - 2 * margin,
            margin,
            x_min: ((0.495 * f64::from(dpi) / 25.4) - 1e-9).ceil() as u32,
            template: Template::In4x6,
            dpi,
        }
    }

    fn hris(d: &LabelData, dpi: u32) -> Result<Vec<String>, LayoutError> {
        Ok(plan(d, &room(dpi))?
            .symbols
            .into_iter()
            .map(|(_, t)| t)
            .collect())
    }

    #[test]
    fn every_symbol_parses_on_its_own() {
        for d in [
            data(20, Some("LOT42"), Some("271231")),
            data(7, None, None),
            data(9999, Some("AB"), None),
            data(1, None, Some("280229")),
        ] {
            for (symbol, _) in plan(&d, &room(203)).unwrap().symbols {
                let es = format!("]C1{}", symbol.element_string());
                crate::gs1::parse(&es, &crate::gs1::ParseOptions::default())
                    .unwrap_or_else(|e| panic!("{es}: {e}"));
            }
        }
    }

    #[test]
    fn content_never_goes_alone_and_the_sscc_closes_the_label() {
        assert_eq!(
            hris(&data(20, None, None), 203).unwrap(),
            [
                "(00)395060000000000016(02)09506000134352(37)20",
                "(00)395060000000000016"
            ]
        );
        // Expiry and batch together with a count of 2 digits go beyond 48 characters.
        assert_eq!(
            hris(&data(20, Some("LOT42"), Some("271231")), 300).unwrap(),
            [
                "(00)395060000000000016(02)09506000134352(17)271231(37)20",
                "(00)395060000000000016(02)09506000134352(37)20(10)LOT42",
                "(00)395060000000000016"
            ]
        );
        // A short batch joins the count.
        assert_eq!(
            hris(&data(5, Some("L1"), None), 203).unwrap(),
            [
                "(00)395060000000000016(02)09506000134352(37)5(10)L1",
                "(00)395060000000000016"
            ]
        );
        let bare = LabelData {
            content: None,
            ..data(1, None, None)
        };
        assert_eq!(hris(&bare, 203).unwrap(), ["(00)395060000000000016"]);
    }

    #[test]
    fn a_batch_that_fits_no_valid_symbol_is_text_only_and_said() {
        // (00) 20 + (02) 16 + (37)20 4 + (10) 2 + 10 = 52 data characters.
        let planned = plan(&data(20, Some("LOT2026-11"), Some("271231")), &room(300)).unwrap();
        assert_eq!(
            planned.text_only,
            [TextOnly {
                field: "(10)LOT2026-11".to_owned(),
                reason: LayoutError::TooLong {
                    hri: "(00)395060000000000016(02)09506000134352(37)20(10)LOT2026-11".to_owned(),
                    found: 52
                }
                .to_string()
            }]
        );
        assert!(planned.text_only[0].to_string().contains("48"));
        let hris: Vec<&str> = planned.symbols.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            hris,
            [
                "(00)395060000000000016(02)09506000134352(17)271231(37)20",
                "(00)395060000000000016"
            ]
        );
        // An expiry beside a count of 100 or more: 49 characters.
        let planned = plan(&data(120, None, Some("271231")), &room(300)).unwrap();
        assert_eq!(planned.text_only[0].field, "(17)271231");
        // The content's own data, GTIN and count, refuses the label when it cannot fit: 266
        // modules at 2 dots a module are wider than 500 dots.
        let narrow = Room {
            usable: 500,
            ..room(203)
        };
        let err = plan(&data(20, None, None), &narrow).unwrap_err();
        assert_eq!(
            err,
            LayoutError::TooWide {
                hri: "(00)395060000000000016(02)09506000134352(37)20".to_owned(),
                template: "4x6",
                dpi: 203
            }
        );
    }

    #[test]
    fn the_groups_are_minimal_for_the_parser() {
        // Leaving out any field of the core makes the parser refuse the symbol: the core is
        // what "valid on its own" needs, no more.
        let (core, _) = data(20, None, None).content_groups().unwrap();
        for skip in 0..core.len() {
            let mut fields: Vec<Field> = core.clone();
            fields.remove(skip);
            let err = checked_symbol(&fields, &room(300)).unwrap_err();
            assert!(
                matches!(
                    err,
                    LayoutError::NotGs1 {
                        code: "MISSING_REQ",
                        ..
                    }
                ),
                "{err}"
            );
        }
    }
}
