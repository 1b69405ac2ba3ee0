//! ZPL II output for Zebra-compatible printers.
//!
//! Barcodes use `^BC` in no-mode with explicit subset invocation codes (`>;` start C, `>8` FNC1,
//! `>6`/`>5` subset switches) so that the printer encodes exactly the symbol characters the
//! layout chose; text uses the scalable font `^A0` with `^FH` hex escapes and UTF-8 (`^CI28`).

use super::layout::{Item, Layout};

/// Escapes text for `^FH^FD`: `_`, `^`, `~` and anything outside printable ASCII as `_XX` UTF-8
/// bytes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_graphic() && !matches!(c, '_' | '^' | '~') || c == ' ' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("_{b:02X}"));
            }
        }
    }
    out
}

/// The ZPL II job for one label (`^XA` ... `^XZ`).
pub fn render(layout: &Layout) -> String {
    let mut z = String::new();
    z.push_str("^XA\n^CI28\n");
    z.push_str(&format!(
        "^PW{}\n^LL{}\n^LH0,0\n",
        layout.width, layout.height
    ));
    for item in &layout.items {
        match item {
            Item::Text { x, y, height, text } => {
                z.push_str(&format!(
                    "^FO{x},{y}^A0N,{height},{height}^FH^FD{}^FS\n",
                    escape(text)
                ));
            }
            Item::Rule {
                x,
                y,
                width,
                height,
            } => {
                let t = (*width).min(*height).max(1);
                z.push_str(&format!("^FO{x},{y}^GB{width},{height},{t}^FS\n"));
            }
            Item::Barcode {
                x,
                y,
                module,
                height,
                symbol,
            } => {
                z.push_str(&format!(
                    "^FO{x},{y}^BY{module}^BCN,{height},N,N,N,N^FD{}^FS\n",
                    symbol.zpl_data()
                ));
            }
        }
    }
    z.push_str("^PQ1\n^XZ\n");
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_of_zpl() {
        assert_eq!(escape("A_B^C~D"), "A_5FB_5EC_7ED");
        assert_eq!(escape("Hà Nội"), "H_C3_A0 N_E1_BB_99i");
    }
}
