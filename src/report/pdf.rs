//! A small paged PDF 1.4 writer for A4 documents: text in three of the standard 14 fonts
//! (Helvetica, Helvetica-Bold, Courier; nothing embedded) with WinAnsiEncoding, horizontal
//! rules, a running header, and "Page i of n" footers. Lines that do not fit on the page start
//! a new one, so a long list simply runs on.
//!
//! The standard fonts only cover WinAnsi (Latin-1 and a few typographic signs): any other
//! character is written as `?`, so every string in the file is valid for its font.
//!
//! ```
//! use packbench::report::pdf::{Align, Cell, Font, PdfWriter};
//! let mut w = PdfWriter::new("Close-out WO-1", "packbench");
//! w.title("Work order close-out report");
//! w.row(&[Cell::new(0.0, Font::Bold, "Batch"), Cell::new(120.0, Font::Regular, "LOT42")]);
//! w.row(&[Cell::new(0.0, Font::Regular, "Total"), Cell::new(200.0, Font::Mono, "42").align(Align::Right)]);
//! let pdf = w.finish(1_795_600_800_000);
//! assert!(pdf.starts_with(b"%PDF-1.4"));
//! assert!(pdf.ends_with(b"%%EOF\n"));
//! ```

use std::fmt::Write as _;

/// A4 in points.
const PAGE_W: f64 = 595.28;
const PAGE_H: f64 = 841.89;
const MARGIN: f64 = 50.0;
/// Where the body starts (below the running header) and ends (above the footer).
const BODY_TOP: f64 = PAGE_H - MARGIN - 22.0;
const BODY_BOTTOM: f64 = MARGIN + 24.0;

/// Usable width of a line.
pub const LINE_WIDTH: f64 = PAGE_W - 2.0 * MARGIN;

/// The fonts (standard 14, not embedded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
    /// Courier (keys and figures line up).
    Mono,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Self::Regular => "F1",
            Self::Bold => "F2",
            Self::Mono => "F3",
        }
    }
}

/// Helvetica advance widths (1/1000 em) of the printable ASCII characters 32..=126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold advance widths of 32..=126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsiEncoding byte of a character, if the standard fonts have it.
fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x20..=0x7e).contains(&code) || (0xa0..=0xff).contains(&code) {
        return u8::try_from(code).ok();
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    })
}

/// A PDF string literal in WinAnsiEncoding (`?` for what the fonts lack).
pub fn pdf_string(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match win_ansi(c) {
            Some(b @ (b'(' | b')' | b'\\')) => {
                out.push('\\');
                out.push(char::from(b));
            }
            Some(b @ 0x20..=0x7e) => out.push(char::from(b)),
            Some(b) => {
                let _ = write!(out, "\\{b:03o}");
            }
            None => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// Width of `text` in points.
pub fn text_width(font: Font, size: f64, text: &str) -> f64 {
    let units: u32 = text
        .chars()
        .map(|c| match font {
            Font::Mono => 600,
            Font::Regular | Font::Bold => {
                let table = if font == Font::Bold {
                    &HELVETICA_BOLD
                } else {
                    &HELVETICA
                };
                let code = u32::from(c);
                (32..=126)
                    .contains(&code)
                    .then(|| table[(code - 32) as usize])
                    .map_or(556, u32::from)
            }
        })
        .sum();
    f64::from(units) * size / 1000.0
}

/// How a cell's text sits at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Starts at the position.
    Left,
    /// Ends at the position.
    Right,
}

/// One piece of text in a row: at `x` points from the left margin.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<'a> {
    x: f64,
    font: Font,
    text: &'a str,
    align: Align,
}

impl<'a> Cell<'a> {
    /// Left-aligned text at `x`.
    pub fn new(x: f64, font: Font, text: &'a str) -> Self {
        Self {
            x,
            font,
            text,
            align: Align::Left,
        }
    }

    /// Another alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

/// Body text size in points.
pub const TEXT_SIZE: f64 = 9.5;
const LEADING: f64 = 13.0;

/// Builds the document page by page.
#[derive(Debug)]
pub struct PdfWriter {
    title: String,
    footer: String,
    pages: Vec<String>,
    y: f64,
}

impl PdfWriter {
    /// A new document; `title` heads every page and is the document's title, `footer` is
    /// printed at the foot of every page beside the page number.
    pub fn new(title: &str, footer: &str) -> Self {
        let mut w = Self {
            title: title.to_owned(),
            footer: footer.to_owned(),
            pages: Vec::new(),
            y: 0.0,
        };
        w.new_page();
        w
    }

    fn new_page(&mut self) {
        let mut page = String::new();
        put_text(
            &mut page,
            Font::Bold,
            8.0,
            MARGIN,
            PAGE_H - MARGIN,
            &self.title,
        );
        put_rule(&mut page, PAGE_H - MARGIN - 6.0, 0.5);
        self.pages.push(page);
        self.y = BODY_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn keep(&mut self, height: f64) {
        if self.y - height < BODY_BOTTOM {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut String {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// The document's big title.
    pub fn title(&mut self, text: &str) {
        self.keep(30.0);
        let y = self.y - 16.0;
        put_text(self.page(), Font::Bold, 16.0, MARGIN, y, text);
        self.y -= 28.0;
    }

    /// A section heading with a rule under it (kept with at least two lines after it).
    pub fn heading(&mut self, text: &str) {
        self.keep(22.0 + 3.0 * LEADING);
        self.y -= 8.0;
        let y = self.y - 11.0;
        put_text(self.page(), Font::Bold, 11.5, MARGIN, y, text);
        let rule = y - 4.0;
        put_rule(self.page(), rule, 0.5);
        self.y -= 20.0;
    }

    /// A paragraph, wrapped at word boundaries to the line width.
    pub fn paragraph(&mut self, font: Font, text: &str) {
        self.paragraph_indented(0.0, font, text);
    }

    /// A paragraph `indent` points in from the margin.
    pub fn paragraph_indented(&mut self, indent: f64, font: Font, text: &str) {
        for line in wrap(font, TEXT_SIZE, text, LINE_WIDTH - indent) {
            self.row(&[Cell::new(indent, font, &line)]);
        }
    }

    /// One line of cells.
    pub fn row(&mut self, cells: &[Cell<'_>]) {
        self.keep(LEADING);
        let y = self.y - TEXT_SIZE;
        for c in cells {
            let x = match c.align {
                Align::Left => MARGIN + c.x,
                Align::Right => MARGIN + c.x - text_width(c.font, TEXT_SIZE, c.text),
            };
            put_text(self.page(), c.font, TEXT_SIZE, x, y, c.text);
        }
        self.y -= LEADING;
    }

    /// A thin rule across the line.
    pub fn rule(&mut self) {
        self.keep(6.0);
        let y = self.y - 3.0;
        put_rule(self.page(), y, 0.3);
        self.y -= 6.0;
    }

    /// Vertical space.
    pub fn space(&mut self, points: f64) {
        self.y -= points;
    }

    /// Pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The finished file: footers with page numbers, the fonts, the document information
    /// (`created_ms`: its creation date).
    pub fn finish(self, created_ms: i64) -> Vec<u8> {
        let n = self.pages.len();
        let mut objects: Vec<String> = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            String::new(), // the page tree, once the page objects are numbered
        ];
        // Objects 3, 4, 5: the fonts F1, F2, F3 of every page's resources.
        for name in ["Helvetica", "Helvetica-Bold", "Courier"] {
            objects.push(format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
            ));
        }
        let info = objects.len() + 1;
        objects.push(format!(
            "<< /Title {} /Producer (packbench) /CreationDate {} >>",
            pdf_string(&self.title),
            pdf_string(&pdf_date(created_ms))
        ));
        let mut kids = Vec::new();
        for (i, mut content) in self.pages.into_iter().enumerate() {
            put_rule(&mut content, BODY_BOTTOM - 8.0, 0.5);
            put_text(
                &mut content,
                Font::Regular,
                8.0,
                MARGIN,
                MARGIN,
                &self.footer,
            );
            let number = format!("Page {} of {n}", i + 1);
            let x = PAGE_W - MARGIN - text_width(Font::Regular, 8.0, &number);
            put_text(&mut content, Font::Regular, 8.0, x, MARGIN, &number);
            let page_obj = objects.len() + 1;
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:.2} {PAGE_H:.2}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {} 0 R >>",
                page_obj + 1
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}endstream",
                content.len()
            ));
            kids.push(format!("{page_obj} 0 R"));
        }
        objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
        let mut out = String::from("%PDF-1.4\n");
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            let _ = write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1);
        }
        let xref = out.len();
        let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for o in offsets {
            let _ = writeln!(out, "{o:010} 00000 n ");
        }
        let _ = write!(
            out,
            "trailer\n<< /Size {} /Root 1 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        );
        out.into_bytes()
    }
}

fn put_text(page: &mut String, font: Font, size: f64, x: f64, y: f64, text: &str) {
    let _ = writeln!(
        page,
        "BT /{} {size:.1} Tf {x:.2} {y:.2} Td {} Tj ET",
        font.resource(),
        pdf_string(text)
    );
}

fn put_rule(page: &mut String, y: f64, width: f64) {
    let _ = writeln!(
        page,
        "{width:.2} w {MARGIN:.2} {y:.2} m {:.2} {y:.2} l S",
        PAGE_W - MARGIN
    );
}

/// Splits `text` into lines no wider than `width` (a word longer than a line stays whole).
pub fn wrap(font: Font, size: f64, text: &str, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(font, size, &candidate) > width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A PDF date (`D:YYYYMMDDHHmmSSZ`) of a Unix time in ms.
fn pdf_date(ms: i64) -> String {
    let format = time::macros::format_description!("[year][month][day][hour][minute][second]");
    let date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|d| d.format(&format).ok())
        .unwrap_or_else(|| "19700101000000".to_owned());
    format!("D:{date}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_limited_to_win_ansi() {
        assert_eq!(pdf_string("a(b)\\"), "(a\\(b\\)\\\\)");
        assert_eq!(pdf_string("Müller – 5 €"), "(M\\374ller \\226 5 \\200)");
        assert_eq!(pdf_string("Nguyễn 张"), "(Nguy?n ?)");
        assert_eq!(pdf_string("tab\there"), "(tab?here)");
    }

    #[test]
    fn widths_follow_the_font_metrics() {
        assert!((text_width(Font::Mono, 10.0, "abc") - 18.0).abs() < 1e-9);
        assert!((text_width(Font::Regular, 10.0, "il") - 4.44).abs() < 1e-9);
        assert!(text_width(Font::Bold, 10.0, "batch") > text_width(Font::Regular, 10.0, "batch"));
    }

    #[test]
    fn long_text_wraps_and_long_lists_start_new_pages() {
        let words = "serial ".repeat(200);
        for line in wrap(Font::Regular, TEXT_SIZE, &words, LINE_WIDTH) {
            assert!(text_width(Font::Regular, TEXT_SIZE, &line) <= LINE_WIDTH);
        }
        let mut w = PdfWriter::new("T", "F");
        for n in 0..200 {
            w.row(&[Cell::new(
                0.0,
                Font::Mono,
                &format!("(01)09506000134352(21)S{n:05}"),
            )]);
        }
        let pages = w.page_count();
        assert!(pages >= 4, "{pages} pages");
        let pdf = String::from_utf8(w.finish(0)).unwrap_or_default();
        assert!(pdf.contains(&format!("/Count {pages}")));
        assert!(pdf.contains(&format!("(Page {pages} of {pages})")));
        // The cross-reference table points at every object.
        let xref = pdf.rfind("xref\n").unwrap_or_default();
        for (i, line) in pdf[xref..]
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .enumerate()
        {
            let offset: usize = line[..10].parse().unwrap_or_default();
            assert!(
                pdf[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {}",
                i + 1
            );
        }
    }
}
