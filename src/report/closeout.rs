//! The close-out report of a work order for the batch record (`packbench report closeout`,
//! the close-out screen's "Save report (PDF)…"): the order, the reconciliation as it was
//! signed (or as it stands, marked as a draft, while the order is open), totals per level,
//! every container, the short ones with their signer, the serials taken out of use and the
//! leftovers decommissioned at the close, the signature, the station, the time it was made and
//! page numbers. In English: the standard PDF fonts cover Latin-1 only.

use super::pdf::{Align, Cell, Font, PdfWriter};
use crate::domain::{
    ContainerLine, KeyList, LevelTotals, OrderCloseout, OrderStatus, Reconciliation,
    SerialBreakdown, SignatureRecord, end_of_month_day,
};

/// A Unix time in ms as `2026-11-25 10:00:05 UTC`.
pub fn utc(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|d| d.format(&format).ok())
        .map_or_else(|| ms.to_string(), |t| format!("{t} UTC"))
}

/// An expiry `YYMMDD` with its date (day 00 is the end of the month; 20YY).
fn expiry_text(yymmdd: &str) -> String {
    let num = |r: std::ops::Range<usize>| yymmdd.get(r).and_then(|s| s.parse::<u32>().ok());
    match (num(0..2), num(2..4), num(4..6)) {
        (Some(yy), Some(month @ 1..=12), Some(day)) => {
            let year = 2000 + i64::from(yy);
            let day = if day == 0 {
                end_of_month_day(year, month)
            } else {
                day
            };
            format!("{yymmdd} ({year:04}-{month:02}-{day:02})")
        }
        _ => yymmdd.to_owned(),
    }
}

fn field(w: &mut PdfWriter, label: &str, value: &str) {
    w.row(&[
        Cell::new(0.0, Font::Bold, label),
        Cell::new(120.0, Font::Regular, value),
    ]);
}

/// Keys two to a line, in Courier.
fn key_columns(w: &mut PdfWriter, keys: &[String]) {
    for pair in keys.chunks(2) {
        let cells: Vec<Cell<'_>> = pair
            .iter()
            .enumerate()
            .map(|(i, k)| Cell::new(if i == 0 { 10.0 } else { 255.0 }, Font::Mono, k))
            .collect();
        w.row(&cells);
    }
}

const CATEGORIES: [(&str, &str); 7] = [
    ("packed", "Packed (in a container)"),
    ("decommissioned", "Decommissioned"),
    ("destroyed", "Destroyed"),
    ("sampled", "Sampled (QA)"),
    ("rejected", "Rejected"),
    ("loose_scanned", "Loose: scanned here, in no container"),
    ("never_scanned", "Loose: never scanned"),
];

fn breakdown(w: &mut PdfWriter, caption: &str, b: &SerialBreakdown) {
    w.keep(13.0 * 10.0);
    w.row(&[Cell::new(0.0, Font::Bold, caption)]);
    let mut parts = Vec::new();
    for ((_, list), (_, label)) in b.categories().iter().zip(CATEGORIES) {
        let count = list.count.to_string();
        w.row(&[
            Cell::new(10.0, Font::Regular, label),
            Cell::new(330.0, Font::Mono, &count).align(Align::Right),
        ]);
        parts.push(count);
    }
    w.rule();
    let total = b.total.to_string();
    w.row(&[
        Cell::new(10.0, Font::Bold, "Total"),
        Cell::new(330.0, Font::Mono, &total).align(Align::Right),
    ]);
    let sum: u64 = b.categories().iter().map(|(_, l)| l.count).sum();
    let check = format!(
        "{total} = {} ({})",
        parts.join(" + "),
        if sum == b.total {
            "adds up"
        } else {
            "DOES NOT ADD UP"
        }
    );
    w.row(&[Cell::new(10.0, Font::Regular, &check)]);
    w.space(4.0);
}

const LEVEL_COLUMNS: [(&str, f64); 7] = [
    ("Total", 140.0),
    ("Packed", 200.0),
    ("Loose", 255.0),
    ("Retired", 315.0),
    ("Open", 370.0),
    ("Suspended", 440.0),
    ("Closed", 495.0),
];

fn level_totals(w: &mut PdfWriter, levels: &[LevelTotals]) {
    let mut header = vec![Cell::new(0.0, Font::Bold, "Level")];
    header.extend(
        LEVEL_COLUMNS
            .iter()
            .map(|(name, x)| Cell::new(*x, Font::Bold, name).align(Align::Right)),
    );
    w.row(&header);
    for t in levels {
        let values: Vec<String> = [
            t.total,
            t.packed,
            t.loose,
            t.retired,
            t.open,
            t.suspended,
            t.closed,
        ]
        .iter()
        .map(u64::to_string)
        .collect();
        let mut cells = vec![Cell::new(0.0, Font::Regular, t.level.as_str())];
        cells.extend(
            values
                .iter()
                .zip(LEVEL_COLUMNS)
                .map(|(v, (_, x))| Cell::new(x, Font::Mono, v).align(Align::Right)),
        );
        w.row(&cells);
    }
}

fn fill(count: u32, capacity: Option<u32>) -> String {
    capacity.map_or_else(|| count.to_string(), |c| format!("{count}/{c}"))
}

fn containers(w: &mut PdfWriter, lines: &[ContainerLine]) {
    if lines.is_empty() {
        w.row(&[Cell::new(0.0, Font::Regular, "None.")]);
        return;
    }
    w.row(&[
        Cell::new(0.0, Font::Bold, "Container"),
        Cell::new(170.0, Font::Bold, "Level"),
        Cell::new(220.0, Font::Bold, "State"),
        Cell::new(330.0, Font::Bold, "Fill").align(Align::Right),
        Cell::new(345.0, Font::Bold, "In"),
    ]);
    for c in lines {
        let f = fill(c.count, c.capacity);
        w.row(&[
            Cell::new(0.0, Font::Mono, &c.key),
            Cell::new(170.0, Font::Regular, c.level.as_str()),
            Cell::new(220.0, Font::Regular, c.state.as_str()),
            Cell::new(330.0, Font::Mono, &f).align(Align::Right),
            Cell::new(345.0, Font::Mono, c.parent.as_deref().unwrap_or("-")),
        ]);
    }
}

fn signature_text(s: &SignatureRecord) -> String {
    let mut text = format!(
        "{} ({}), {}, {}: \"{}\"",
        s.full_name,
        s.username,
        utc(s.time_ms),
        s.command,
        s.meaning
    );
    if let Some(r) = s.reason.as_deref().filter(|r| !r.is_empty()) {
        text.push_str(&format!(", reason: {r}"));
    }
    text
}

fn reconciliation(w: &mut PdfWriter, r: &Reconciliation) {
    let caption = match r.basis {
        crate::domain::Basis::SerialList => "Serials on the serial list",
        crate::domain::Basis::OrderUnits => "Packs of the order (it has no serial list)",
    };
    breakdown(w, caption, &r.serials);
    if let Some(outside) = &r.not_listed {
        breakdown(w, "Packs of the order not on its serial list", outside);
    }
    w.heading("Totals per level");
    level_totals(w, &r.levels);
    w.heading("Containers");
    containers(w, &r.containers);
    w.heading("Short containers (closed below capacity)");
    if r.short.is_empty() {
        w.row(&[Cell::new(0.0, Font::Regular, "None.")]);
    }
    for s in &r.short {
        w.keep(26.0);
        let f = fill(s.count, Some(s.capacity));
        w.row(&[
            Cell::new(0.0, Font::Mono, &s.key),
            Cell::new(170.0, Font::Regular, s.level.as_str()),
            Cell::new(330.0, Font::Mono, &f).align(Align::Right),
        ]);
        let signed = s.signature.as_ref().map_or_else(
            || "no signature recorded at this station".to_owned(),
            |sig| format!("signed by {}", signature_text(sig)),
        );
        w.paragraph_indented(20.0, Font::Regular, &signed);
    }
    let unfinished: Vec<ContainerLine> = r.open.iter().chain(&r.suspended).cloned().collect();
    if !unfinished.is_empty() {
        w.heading("Open or suspended containers (the order cannot close)");
        containers(w, &unfinished);
    }
}

/// The serials taken out of use, by status, leaving out those decommissioned by the close.
fn retired(w: &mut PdfWriter, b: &SerialBreakdown, at_close: &KeyList) {
    let lists: [(&str, &KeyList); 4] = [
        ("Decommissioned", &b.decommissioned),
        ("Destroyed", &b.destroyed),
        ("Sampled (QA)", &b.sampled),
        ("Rejected", &b.rejected),
    ];
    let mut any = false;
    for (label, list) in lists {
        let keys: Vec<String> = list
            .keys
            .iter()
            .filter(|k| at_close.keys.binary_search(k).is_err())
            .cloned()
            .collect();
        if keys.is_empty() {
            continue;
        }
        any = true;
        w.keep(2.0 * 13.0);
        w.row(&[Cell::new(
            0.0,
            Font::Bold,
            &format!("{label} ({})", keys.len()),
        )]);
        key_columns(w, &keys);
    }
    if !any {
        w.row(&[Cell::new(0.0, Font::Regular, "None.")]);
    }
}

/// The close-out report of `c` as a PDF, made at `generated_ms`.
pub fn render(c: &OrderCloseout, generated_ms: i64) -> Vec<u8> {
    let station = c.station.as_deref().unwrap_or("(no read point set)");
    let mut w = PdfWriter::new(
        &format!("Work order close-out report - {}", c.work_order),
        &format!(
            "packbench - work order {} - station {station} - generated {}",
            c.work_order,
            utc(generated_ms)
        ),
    );
    w.title("Work order close-out report");
    let status = match (&c.status, &c.closing) {
        (OrderStatus::Closed, Some(cl)) => format!("CLOSED on {}", utc(cl.signature.time_ms)),
        _ => "OPEN - draft: the order is not closed and nothing is signed".to_owned(),
    };
    field(&mut w, "Status", &status);
    field(&mut w, "Work order", &c.work_order);
    let product = match &c.product {
        Some(name) => format!("{name} (GTIN {})", c.gtin),
        None => format!("GTIN {}", c.gtin),
    };
    field(&mut w, "Product", &product);
    field(&mut w, "Batch / lot", c.lot.as_deref().unwrap_or("-"));
    let expiry = c
        .expiry
        .as_deref()
        .map_or_else(|| "-".to_owned(), expiry_text);
    field(&mut w, "Expiry", &expiry);
    field(&mut w, "Packaging", &c.spec);
    field(&mut w, "Station", station);
    field(&mut w, "Generated", &utc(generated_ms));

    match &c.closing {
        Some(cl) => {
            w.heading("Reconciliation as signed");
            reconciliation(&mut w, &cl.as_signed);
            if cl.changed_since {
                w.heading("Changed since the close");
                w.paragraph(
                    Font::Regular,
                    "Rework after the close changed the order's units; the figures now are \
                     below. The audit trail records each change.",
                );
                breakdown(&mut w, "Serials now", &c.reconciliation.serials);
            }
            w.heading("Serials taken out of use before the close");
            retired(&mut w, &cl.as_signed.serials, &cl.decommissioned);
            w.heading(&format!(
                "Leftover serials decommissioned at the close ({})",
                cl.decommissioned.count
            ));
            if cl.decommissioned.keys.is_empty() {
                w.row(&[Cell::new(0.0, Font::Regular, "None.")]);
            }
            key_columns(&mut w, &cl.decommissioned.keys);
            w.heading("Signature");
            let s = &cl.signature;
            w.keep(13.0 * 6.0);
            field(
                &mut w,
                "Signed by",
                &format!("{} ({})", s.full_name, s.username),
            );
            field(&mut w, "Signed at", &utc(s.time_ms));
            field(&mut w, "Meaning", &s.meaning);
            field(&mut w, "Reason", s.reason.as_deref().unwrap_or("-"));
            field(&mut w, "Logged in", &cl.closed_by);
        }
        None => {
            w.heading("Reconciliation now (not closed)");
            reconciliation(&mut w, &c.reconciliation);
            w.heading("Serials taken out of use");
            retired(&mut w, &c.reconciliation.serials, &KeyList::default());
            let leftovers = c.reconciliation.leftovers();
            w.heading(&format!(
                "Leftover serials: active in no container ({})",
                leftovers.len()
            ));
            if leftovers.is_empty() {
                w.row(&[Cell::new(0.0, Font::Regular, "None.")]);
            }
            key_columns(&mut w, &leftovers);
            w.heading("Signature");
            w.row(&[Cell::new(
                0.0,
                Font::Regular,
                "Not closed: no signature. This draft is not a batch record.",
            )]);
        }
    }
    w.finish(generated_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_expiries_are_spelled_out() {
        assert_eq!(utc(1_795_600_800_000), "2026-11-25 10:00:00 UTC");
        assert_eq!(expiry_text("271231"), "271231 (2027-12-31)");
        assert_eq!(expiry_text("280200"), "280200 (2028-02-29)");
        assert_eq!(expiry_text("2712"), "2712");
    }
}
