//! Label templates and the layout of a label on one: a list of positioned texts, rules and
//! GS1-128 symbols in printer dots, which every renderer (ZPL, PNG, PDF) draws the same way.

use super::code128::{Code128Error, Symbol};
use super::label::LabelData;
use super::symbols::{MIN_MODULE_DOTS, Room, TextOnly, plan};
use serde::Serialize;

/// GS1 logistic label X dimension limits (GS1 General Specifications, SSCC on a logistic label).
const X_MIN_MM: f64 = 0.495;
const X_MAX_MM: f64 = 1.016;

/// A label size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// 4 × 6 inch (101.6 × 152.4 mm), the common thermal label.
    In4x6,
    /// A6 (105 × 148 mm).
    A6,
    /// 100 × 150 mm.
    Mm100x150,
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 3] = [Self::In4x6, Self::A6, Self::Mm100x150];

    /// Stable name (`4x6`, `a6`, `100x150`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In4x6 => "4x6",
            Self::A6 => "a6",
            Self::Mm100x150 => "100x150",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Self::In4x6 => (101.6, 152.4),
            Self::A6 => (105.0, 148.0),
            Self::Mm100x150 => (100.0, 150.0),
        }
    }
}

/// One thing drawn on a label; coordinates in dots from the top-left corner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A line of text; `y` is the top of the text, `height` the font size in dots.
    Text {
        /// Left.
        x: u32,
        /// Top.
        y: u32,
        /// Font size.
        height: u32,
        /// The text.
        text: String,
    },
    /// A filled rectangle (rules and boxes).
    Rule {
        /// Left.
        x: u32,
        /// Top.
        y: u32,
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// A GS1-128 symbol; `x` is the first bar (the quiet zone is left of it).
    Barcode {
        /// First bar.
        x: u32,
        /// Top.
        y: u32,
        /// Module width in dots.
        module: u32,
        /// Bar height in dots.
        height: u32,
        /// The symbol.
        symbol: Symbol,
    },
}

/// Why a label cannot be laid out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The data cannot be encoded.
    #[error(transparent)]
    Encode(#[from] Code128Error),
    /// A symbol does not fit the label width even at the narrowest module printed (2 dots).
    #[error("the barcode {hri} is too wide for a {template} label at {dpi} dpi")]
    TooWide {
        /// The bracketed data.
        hri: String,
        /// The template.
        template: &'static str,
        /// Resolution.
        dpi: u32,
    },
    /// A symbol valid on its own would need more than GS1-128's 48 data characters (a symbol
    /// carrying the batch or expiry must also carry (00), (02) and (37)).
    #[error(
        "the barcode {hri} needs {found} data characters, GS1-128 holds 48 (a symbol with content carries the SSCC, the content GTIN and the count to be valid on its own)"
    )]
    TooLong {
        /// The bracketed data of the smallest symbol valid on its own.
        hri: String,
        /// Data characters it needs.
        found: usize,
    },
    /// packbench's own parser refuses a symbol's element string: it is never printed.
    #[error("the barcode {hri} would not be valid GS1 on its own ({code}: {detail})")]
    NotGs1 {
        /// The bracketed data.
        hri: String,
        /// The parser's error code (`MISSING_REQ`, ...).
        code: &'static str,
        /// The parser's message.
        detail: String,
    },
    /// The resolution is not one label printers use.
    #[error("unsupported resolution {dpi} dpi (use 152 to 600)")]
    BadDpi {
        /// The resolution asked for.
        dpi: u32,
    },
}

/// A label laid out on a template at a resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Template.
    pub template: Template,
    /// Dots per inch.
    pub dpi: u32,
    /// Width in dots.
    pub width: u32,
    /// Height in dots.
    pub height: u32,
    /// What to draw.
    pub items: Vec<Item>,
    /// Content fields printed in the text block only: no symbol valid on its own carries
    /// them (`symbols.rs`).
    pub text_only: Vec<TextOnly>,
}

/// A barcode printed narrower than the GS1 minimum X-dimension for logistic labels (the
/// printer's resolution cannot make modules of at least 0.495 mm, or a long symbol had to be
/// squeezed to fit the label). Scanners may still read it; a GS1 audit would not pass it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NarrowBars {
    /// The symbol's bracketed data.
    pub hri: String,
    /// Module width in printer dots.
    pub module_dots: u32,
    /// Module width in mm.
    pub x_mm: f64,
    /// The GS1 minimum, in mm.
    pub min_mm: f64,
    /// Resolution.
    pub dpi: u32,
}

impl std::fmt::Display for NarrowBars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the GS1-128 bars of {} are {:.3} mm wide ({} dots at {} dpi), narrower than the GS1 minimum X-dimension of {} mm",
            self.hri, self.x_mm, self.module_dots, self.dpi, self.min_mm
        )
    }
}

impl Layout {
    /// Symbols whose module width is below the GS1 minimum X-dimension.
    pub fn narrow_bars(&self) -> Vec<NarrowBars> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Barcode { module, symbol, .. } => {
                    let x_mm = f64::from(*module) * 25.4 / f64::from(self.dpi);
                    // A thousandth of a millimetre of tolerance for the dot arithmetic.
                    (x_mm + 1e-3 < X_MIN_MM).then(|| NarrowBars {
                        hri: hri_of(symbol.element_string()),
                        module_dots: *module,
                        x_mm,
                        min_mm: X_MIN_MM,
                        dpi: self.dpi,
                    })
                }
                Item::Text { .. } | Item::Rule { .. } => None,
            })
            .collect()
    }

    /// The symbols on the label, top to bottom (the SSCC is last).
    pub fn symbols(&self) -> Vec<&Symbol> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Barcode { symbol, .. } => Some(symbol),
                Item::Text { .. } | Item::Rule { .. } => None,
            })
            .collect()
    }
}

/// A symbol's element string in bracketed form, for messages.
fn hri_of(element_string: &str) -> String {
    crate::gs1::parse(element_string, &crate::gs1::ParseOptions::default())
        .map_or_else(|_| element_string.replace('\u{1d}', ""), |m| m.hri())
}

fn dots_ceil(mm: f64, dpi: u32) -> u32 {
    // Sizes are small positive numbers: the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let d = (mm * f64::from(dpi) / 25.4 - 1e-9).ceil() as u32;
    d
}

fn dots(mm: f64, dpi: u32) -> u32 {
    // Sizes are small positive numbers: the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let d = (mm * f64::from(dpi) / 25.4).round() as u32;
    d
}

/// Lays a label out: header, a text block (SSCC, content, count, batch, expiry, note, order,
/// station, date), then the content symbols and, at the bottom, the SSCC symbol — each with its
/// human-readable interpretation under it.
pub fn layout(data: &LabelData, template: Template, dpi: u32) -> Result<Layout, LayoutError> {
    if !(152..=600).contains(&dpi) {
        return Err(LayoutError::BadDpi { dpi });
    }
    let (w_mm, h_mm) = template.size_mm();
    let (width, height) = (dots(w_mm, dpi), dots(h_mm, dpi));
    let margin = dots(4.0, dpi);
    let usable = width - 2 * margin;
    // Rounded up: a module never narrower than the GS1 minimum when the label has room.
    let x_min = dots_ceil(X_MIN_MM, dpi).max(2);
    let x_max = dots(X_MAX_MM, dpi).max(x_min);
    let mut items = Vec::new();

    // Header.
    let big = dots(5.0, dpi);
    let small = dots(3.2, dpi);
    let mut y = margin;
    let title = data
        .product_name
        .clone()
        .unwrap_or_else(|| "Logistic unit".to_owned());
    items.push(Item::Text {
        x: margin,
        y,
        height: big,
        text: title,
    });
    y += big + dots(1.5, dpi);
    items.push(Item::Rule {
        x: margin,
        y,
        width: usable,
        height: dots(0.5, dpi).max(1),
    });
    y += dots(2.0, dpi);

    // Text block.
    let mut rows: Vec<(&str, String)> = vec![
        ("SSCC", data.sscc.as_str().to_owned()),
        ("LEVEL", data.level.to_uppercase()),
    ];
    if let Some(c) = &data.content {
        rows.push(("CONTENT", c.gtin.as_str().to_owned()));
        rows.push(("COUNT", c.count.to_string()));
        if let Some(l) = &c.lot {
            rows.push(("BATCH/LOT", l.as_str().to_owned()));
        }
        if let Some(e) = &c.expiry {
            rows.push(("EXPIRY", e.iso_date()));
        }
    }
    if let Some(n) = &data.note {
        rows.push(("NOTE", n.clone()));
    }
    if let Some(w) = &data.work_order {
        rows.push(("WORK ORDER", w.clone()));
    }
    if let Some(s) = &data.station {
        rows.push(("STATION", s.clone()));
    }
    rows.push(("DATE", data.date.clone()));
    let value_x = margin + dots(30.0, dpi);
    for (label, value) in rows {
        items.push(Item::Text {
            x: margin,
            y,
            height: small,
            text: label.to_owned(),
        });
        items.push(Item::Text {
            x: value_x,
            y,
            height: small,
            text: value,
        });
        y += small + dots(1.2, dpi);
    }
    y += dots(1.0, dpi);
    items.push(Item::Rule {
        x: margin,
        y,
        width: usable,
        height: dots(0.5, dpi).max(1),
    });
    y += dots(3.0, dpi);

    // Symbols: content first, the SSCC last (bottom of the label, as GS1 recommends); each
    // valid GS1 on its own (`symbols.rs`).
    let room = Room {
        usable,
        margin,
        x_min,
        template,
        dpi,
    };
    let planned = plan(data, &room)?;
    let symbols = planned.symbols;
    let hri_h = dots(3.0, dpi);
    let gap = dots(3.0, dpi);
    let n = u32::try_from(symbols.len()).unwrap_or(1);
    let height_left = (height - margin).saturating_sub(y);
    let bar_h = (height_left / n.max(1))
        .saturating_sub(hri_h + gap)
        .min(dots(32.0, dpi));
    for (symbol, text) in symbols {
        let modules = u32::try_from(symbol.modules().len()).unwrap_or(u32::MAX);
        let module = (MIN_MODULE_DOTS..=x_max)
            .rev()
            .find(|m| room.fits(&symbol, *m))
            .unwrap_or(MIN_MODULE_DOTS);
        let sym_w = modules * module;
        // Centred: what is left each side, with the margin, is at least the quiet zone.
        let x = margin + usable.saturating_sub(sym_w) / 2;
        items.push(Item::Barcode {
            x,
            y,
            module,
            height: bar_h,
            symbol,
        });
        y += bar_h + dots(0.8, dpi);
        let text_w = u32::try_from(text.chars().count()).unwrap_or(0) * hri_h * 6 / 10;
        items.push(Item::Text {
            x: margin + usable.saturating_sub(text_w) / 2,
            y,
            height: hri_h,
            text,
        });
        y += hri_h + gap;
    }
    Ok(Layout {
        template,
        dpi,
        width,
        height,
        items,
        text_only: planned.text_only,
    })
}
