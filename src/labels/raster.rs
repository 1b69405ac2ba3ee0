//! PNG rendering of a laid-out label (GUI preview and the decode round trip): one pixel per
//! printer dot, bars as exact module rectangles, text drawn from the Hack font's outlines.

use super::layout::{Item, Layout};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, Luma};

/// Why a label could not be rendered to an image.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The embedded font did not load (a build problem).
    #[error("the label font did not load: {0}")]
    Font(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] image::ImageError),
}

fn fill(img: &mut GrayImage, x: u32, y: u32, w: u32, h: u32) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Luma([0]));
        }
    }
}

fn draw_text(img: &mut GrayImage, font: &FontRef<'_>, x: u32, y: u32, height: u32, text: &str) {
    #[allow(clippy::cast_precision_loss)]
    let scale = PxScale::from(height as f32);
    let scaled = font.as_scaled(scale);
    #[allow(clippy::cast_precision_loss)]
    let mut pen_x = x as f32;
    #[allow(clippy::cast_precision_loss)]
    let baseline = y as f32 + scaled.ascent();
    for c in text.chars() {
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(pen_x, baseline));
        pen_x += scaled.h_advance(id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let (px, py) = (
                (bounds.min.x + gx as f32) as i64,
                (bounds.min.y + gy as f32) as i64,
            );
            let (Ok(px), Ok(py)) = (u32::try_from(px), u32::try_from(py)) else {
                return;
            };
            if px < img.width() && py < img.height() {
                let old = img.get_pixel(px, py)[0];
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let ink = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))) as u8;
                img.put_pixel(px, py, Luma([old.min(ink)]));
            }
        });
    }
}

/// Renders the label as a grayscale image, one pixel per dot.
pub fn render(layout: &Layout) -> Result<GrayImage, RasterError> {
    let font = FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR)
        .map_err(|e| RasterError::Font(e.to_string()))?;
    let mut img = GrayImage::from_pixel(layout.width, layout.height, Luma([255]));
    for item in &layout.items {
        match item {
            Item::Text { x, y, height, text } => draw_text(&mut img, &font, *x, *y, *height, text),
            Item::Rule {
                x,
                y,
                width,
                height,
            } => fill(&mut img, *x, *y, *width, *height),
            Item::Barcode {
                x,
                y,
                module,
                height,
                symbol,
            } => {
                for (i, bar) in symbol.modules().into_iter().enumerate() {
                    if bar {
                        let i = u32::try_from(i).unwrap_or(u32::MAX);
                        fill(&mut img, x + i * module, *y, *module, *height);
                    }
                }
            }
        }
    }
    Ok(img)
}

/// Renders the label as PNG bytes.
pub fn render_png(layout: &Layout) -> Result<Vec<u8>, RasterError> {
    let img = render(layout)?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}
