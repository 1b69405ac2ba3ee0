//! Master data from files, for sites without a repository: products, work orders and
//! commissioned serial lists as CSV or JSON, turned into the station's own admin commands
//! (`add_product`, `create_work_order`, `import_serials`) so that validation and audit records
//! are the same as for data typed in at the bench.
//!
//! Formats (header line required for CSV; `#` lines are comments):
//! - products: `gtin,name,company_prefix_length[,level]` or JSON `[{"gtin", "name",
//!   "company_prefix_length", "level"?}]`
//! - work orders: `id,gtin,lot,expiry,case_capacity[,pallet_capacity]` or JSON
//!   `[{"id", "gtin", "lot"?, "expiry"?, "levels": [{"level", "capacity"}]}]`
//! - serial lists: `serial` per line (one column, header `serial`) or JSON
//!   `{"work_order", "serials": [...]}`
//!
//! ```
//! use packbench::sync::import::{ImportKind, requests_from_text};
//! let csv = "id,gtin,lot,expiry,case_capacity,pallet_capacity\nWO-7,09506000134352,L1,271231,20,40\n";
//! let reqs = requests_from_text(ImportKind::WorkOrders, csv, false, None).unwrap();
//! assert_eq!(reqs.len(), 1);
//! ```

use crate::station::{LevelInput, Request};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    /// Products.
    Products,
    /// Work orders.
    WorkOrders,
    /// Commissioned serial numbers of one work order.
    Serials,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Invalid JSON.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A CSV file without the expected header.
    #[error("CSV header '{found}' lacks column '{missing}'")]
    MissingColumn {
        /// The header line.
        found: String,
        /// The column.
        missing: &'static str,
    },
    /// A CSV value that is not what its column needs.
    #[error("line {line}: column '{column}' has '{value}'")]
    BadValue {
        /// 1-based line number.
        line: usize,
        /// Column.
        column: &'static str,
        /// The value.
        value: String,
    },
    /// A serial list without its work order.
    #[error("a serial list needs its work order (in the JSON or given by the caller)")]
    NoWorkOrder,
    /// The file is empty.
    #[error("the file holds no records")]
    Empty,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductJson {
    gtin: String,
    name: String,
    company_prefix_length: u8,
    #[serde(default)]
    level: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkOrderJson {
    id: String,
    gtin: String,
    #[serde(default)]
    lot: Option<String>,
    #[serde(default)]
    expiry: Option<String>,
    levels: Vec<LevelInput>,
    #[serde(default)]
    auto_open_next: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SerialsJson {
    #[serde(default)]
    work_order: Option<String>,
    serials: Vec<String>,
}

/// A simple CSV reader: comma separated, optional double quotes, header first.
struct Csv {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur).trim().to_owned()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_owned());
    out
}

impl Csv {
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let (_, header) = lines.next()?;
        let header = split_csv_line(header.trim_start_matches('\u{feff}'))
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let rows = lines.map(|(i, l)| (i + 1, split_csv_line(l))).collect();
        Some(Self { header, rows })
    }

    fn column(&self, name: &'static str) -> Result<usize, ImportError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ImportError::MissingColumn {
                found: self.header.join(","),
                missing: name,
            })
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

fn cell(row: &[String], i: usize) -> Option<String> {
    row.get(i).filter(|v| !v.is_empty()).cloned()
}

fn number<T: std::str::FromStr>(
    row: &[String],
    i: usize,
    line: usize,
    column: &'static str,
) -> Result<T, ImportError> {
    let v = row.get(i).cloned().unwrap_or_default();
    v.parse().map_err(|_| ImportError::BadValue {
        line,
        column,
        value: v,
    })
}

/// Turns a file's text into station admin requests. `json` picks the format; `work_order`
/// names the order of a serial list that does not say it.
pub fn requests_from_text(
    kind: ImportKind,
    text: &str,
    json: bool,
    work_order: Option<&str>,
) -> Result<Vec<Request>, ImportError> {
    let j = |e: serde_json::Error| ImportError::Json(e.to_string());
    let out = match (kind, json) {
        (ImportKind::Products, true) => serde_json::from_str::<Vec<ProductJson>>(text)
            .map_err(j)?
            .into_iter()
            .map(|p| Request::AddProduct {
                gtin: p.gtin,
                name: p.name,
                company_prefix_length: p.company_prefix_length,
                level: p.level,
            })
            .collect(),
        (ImportKind::WorkOrders, true) => serde_json::from_str::<Vec<WorkOrderJson>>(text)
            .map_err(j)?
            .into_iter()
            .map(|w| Request::CreateWorkOrder {
                id: w.id,
                gtin: w.gtin,
                lot: w.lot,
                expiry: w.expiry,
                levels: w.levels,
                auto_open_next: w.auto_open_next,
            })
            .collect(),
        (ImportKind::Serials, true) => {
            let s: SerialsJson = serde_json::from_str(text).map_err(j)?;
            let wo = s
                .work_order
                .or(work_order.map(str::to_owned))
                .ok_or(ImportError::NoWorkOrder)?;
            vec![Request::ImportSerials {
                work_order: wo,
                serials: s.serials,
            }]
        }
        (_, false) => csv_requests(kind, text, work_order)?,
    };
    if out.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(out)
}

fn csv_requests(
    kind: ImportKind,
    text: &str,
    work_order: Option<&str>,
) -> Result<Vec<Request>, ImportError> {
    let csv = Csv::parse(text).ok_or(ImportError::Empty)?;
    let mut out = Vec::new();
    match kind {
        ImportKind::Products => {
            let (g, n, p) = (
                csv.column("gtin")?,
                csv.column("name")?,
                csv.column("company_prefix_length")?,
            );
            let l = csv.optional("level");
            for (line, row) in &csv.rows {
                out.push(Request::AddProduct {
                    gtin: cell(row, g).unwrap_or_default(),
                    name: cell(row, n).unwrap_or_default(),
                    company_prefix_length: number(row, p, *line, "company_prefix_length")?,
                    level: l.and_then(|l| cell(row, l)),
                });
            }
        }
        ImportKind::WorkOrders => {
            let (id, g, c) = (
                csv.column("id")?,
                csv.column("gtin")?,
                csv.column("case_capacity")?,
            );
            let (lot, exp, pal) = (
                csv.optional("lot"),
                csv.optional("expiry"),
                csv.optional("pallet_capacity"),
            );
            for (line, row) in &csv.rows {
                let mut levels = vec![LevelInput {
                    level: "case".to_owned(),
                    capacity: number(row, c, *line, "case_capacity")?,
                }];
                if let Some(p) = pal.filter(|&p| cell(row, p).is_some()) {
                    levels.push(LevelInput {
                        level: "pallet".to_owned(),
                        capacity: number(row, p, *line, "pallet_capacity")?,
                    });
                }
                out.push(Request::CreateWorkOrder {
                    id: cell(row, id).unwrap_or_default(),
                    gtin: cell(row, g).unwrap_or_default(),
                    lot: lot.and_then(|i| cell(row, i)),
                    expiry: exp.and_then(|i| cell(row, i)),
                    levels,
                    auto_open_next: false,
                });
            }
        }
        ImportKind::Serials => {
            let wo = work_order.ok_or(ImportError::NoWorkOrder)?;
            let s = csv.column("serial")?;
            let serials: Vec<String> = csv.rows.iter().filter_map(|(_, r)| cell(r, s)).collect();
            if !serials.is_empty() {
                out.push(Request::ImportSerials {
                    work_order: wo.to_owned(),
                    serials,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_products_with_quotes_and_comments() {
        let text =
            "# site export\ngtin,name,company_prefix_length\n09506000134352,\"Demo, 20 mg\",7\n";
        let r = requests_from_text(ImportKind::Products, text, false, None).unwrap();
        assert_eq!(
            r,
            vec![Request::AddProduct {
                gtin: "09506000134352".into(),
                name: "Demo, 20 mg".into(),
                company_prefix_length: 7,
                level: None
            }]
        );
    }

    #[test]
    fn csv_bad_number_names_line_and_column() {
        let text = "id,gtin,case_capacity\nWO-1,09506000134352,twenty\n";
        assert_eq!(
            requests_from_text(ImportKind::WorkOrders, text, false, None),
            Err(ImportError::BadValue {
                line: 2,
                column: "case_capacity",
                value: "twenty".into()
            })
        );
    }

    #[test]
    fn serial_list_needs_work_order() {
        assert_eq!(
            requests_from_text(ImportKind::Serials, "serial\nA1\n", false, None),
            Err(ImportError::NoWorkOrder)
        );
        let r = requests_from_text(
            ImportKind::Serials,
            r#"{"work_order":"WO-1","serials":["A1","A2"]}"#,
            true,
            None,
        )
        .unwrap();
        assert_eq!(
            r,
            vec![Request::ImportSerials {
                work_order: "WO-1".into(),
                serials: vec!["A1".into(), "A2".into()]
            }]
        );
    }

    #[test]
    fn missing_column_is_named() {
        assert!(matches!(
            requests_from_text(ImportKind::Products, "gtin,name\n1,2\n", false, None),
            Err(ImportError::MissingColumn {
                missing: "company_prefix_length",
                ..
            })
        ));
    }
}
