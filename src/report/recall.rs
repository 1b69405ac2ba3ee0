//! The recall report of a lot and the trace report of a unit (issue 18), for the recall file:
//! what the station knows, when it was made, page numbers. In English: the standard PDF fonts
//! cover Latin-1 only.

use super::closeout::utc;
use super::pdf::{Align, Cell, Font, PdfWriter};
use crate::domain::{RecallReport, TraceNode, TraceReport};

fn field(w: &mut PdfWriter, label: &str, value: &str) {
    w.row(&[
        Cell::new(0.0, Font::Bold, label),
        Cell::new(130.0, Font::Regular, value),
    ]);
}

/// The recall report: the lot, counts per status, the containers to pull, then every top
/// container (and loose unit) with its units.
pub fn render_recall(r: &RecallReport, generated_ms: i64) -> Vec<u8> {
    let mut w = PdfWriter::new(
        &format!("Recall report - GTIN {} lot {}", r.gtin, r.lot),
        &format!(
            "packbench - recall of lot {} of GTIN {} - generated {}",
            r.lot,
            r.gtin,
            utc(generated_ms)
        ),
    );
    w.title("Recall report");
    field(&mut w, "GTIN", &r.gtin);
    field(&mut w, "Batch / lot", &r.lot);
    field(&mut w, "Generated", &utc(generated_ms));
    field(
        &mut w,
        "Whole lot on hold",
        if r.lot_on_hold { "yes" } else { "no" },
    );
    w.heading("Units the station knows");
    for (label, n) in [
        ("In stock", r.counts.in_stock),
        ("On hold", r.counts.on_hold),
        ("Shipped (last known event)", r.counts.shipped),
        ("Retired (decommissioned, destroyed, ...)", r.counts.retired),
        ("Total", r.counts.total()),
        ("Of which in no container", r.loose),
    ] {
        let n = n.to_string();
        w.row(&[
            Cell::new(10.0, Font::Regular, label),
            Cell::new(330.0, Font::Mono, &n).align(Align::Right),
        ]);
    }
    w.heading(&format!(
        "Containers to pull ({})",
        r.containers_to_pull.len()
    ));
    if r.containers_to_pull.is_empty() {
        w.paragraph(Font::Regular, "None.");
    }
    for k in &r.containers_to_pull {
        w.row(&[Cell::new(10.0, Font::Mono, k)]);
    }
    w.heading("By top container");
    for g in &r.groups {
        let head = match (&g.top, &g.top_level) {
            (Some(k), Some(l)) => format!("{l} {k}"),
            _ => "In no container".to_owned(),
        };
        w.keep(13.0 * 4.0);
        w.row(&[Cell::new(0.0, Font::Bold, &head)]);
        let counts = format!(
            "{} units: {} in stock, {} on hold, {} shipped, {} retired{}",
            g.counts.total(),
            g.counts.in_stock,
            g.counts.on_hold,
            g.counts.shipped,
            g.counts.retired,
            if g.pull { " - PULL" } else { "" }
        );
        w.row(&[Cell::new(10.0, Font::Regular, &counts)]);
        if let Some(e) = &g.last_event {
            let text = format!(
                "Last known event: {}{} at {}",
                e.event,
                e.biz_step
                    .as_ref()
                    .map(|b| format!(" ({b})"))
                    .unwrap_or_default(),
                e.local_time
            );
            w.row(&[Cell::new(10.0, Font::Regular, &text)]);
        }
        for u in &g.units {
            let inner = u.container.clone().unwrap_or_default();
            w.row(&[
                Cell::new(20.0, Font::Mono, &u.key),
                Cell::new(300.0, Font::Regular, u.status.as_str()),
                Cell::new(360.0, Font::Mono, &inner),
            ]);
        }
        w.space(4.0);
    }
    w.finish(generated_ms)
}

fn node(w: &mut PdfWriter, n: &TraceNode, depth: usize) {
    let indent = 12.0 * depth.min(6) as f64;
    let head = format!(
        "{} {} - {}{}{}",
        n.level,
        n.key,
        n.status,
        if n.held { ", ON HOLD" } else { "" },
        n.lot
            .as_ref()
            .map(|l| format!(", lot {l}"))
            .unwrap_or_default()
    );
    w.keep(13.0 * 2.0);
    w.row(&[Cell::new(indent, Font::Bold, &head)]);
    for m in &n.history {
        let mut text = format!("{}  {}  {}  {}", m.local_time, m.user, m.command, m.what);
        if m.from.is_some() || m.to.is_some() {
            text.push_str(&format!(
                "  {} -> {}",
                m.from.as_deref().unwrap_or("-"),
                m.to.as_deref().unwrap_or("-")
            ));
        }
        if let Some(s) = &m.signature {
            text.push_str(&format!("  signed: {s}"));
        }
        w.paragraph_indented(indent + 10.0, Font::Regular, &text);
    }
    for c in &n.children {
        node(w, c, depth + 1);
    }
}

/// The trace report: the path up from the scanned unit, then the tree from the top container
/// down to every pack with each unit's moves (who, when in local time, from -> to, signature).
pub fn render_trace(t: &TraceReport, generated_ms: i64) -> Vec<u8> {
    let mut w = PdfWriter::new(
        &format!("Trace report - {}", t.scanned),
        &format!(
            "packbench - trace of {} - generated {}",
            t.scanned,
            utc(generated_ms)
        ),
    );
    w.title("Trace report");
    field(&mut w, "Scanned", &t.scanned);
    let up = if t.path_up.is_empty() {
        "in no container".to_owned()
    } else {
        t.path_up.join(" in ")
    };
    field(&mut w, "Inside", &up);
    field(&mut w, "Units in the tree", &t.root.count().to_string());
    field(&mut w, "Generated", &utc(generated_ms));
    w.heading("From the top container down");
    node(&mut w, &t.root, 0);
    w.finish(generated_ms)
}
