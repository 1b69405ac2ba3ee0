//! Painting a scene: carton and printed clutter, codes stamped through a projective map with
//! super-sampling (the anti-aliased edges a lens gives), then the camera's light, glare, blur,
//! noise and JPEG.

use image::{GrayImage, Luma};
use rand::Rng;
use rand::rngs::StdRng;

use super::content::Modules;

/// A 3×3 projective map, row-major.
pub(crate) type Mat = [f64; 9];

/// A float grey canvas (0..255).
pub(crate) struct Canvas {
    pub width: usize,
    pub height: usize,
    pub px: Vec<f32>,
}

impl Canvas {
    pub fn new(width: u32, height: u32, level: f32) -> Self {
        Self {
            width: width as usize,
            height: height as usize,
            px: vec![level; width as usize * height as usize],
        }
    }

    /// Fills `[x0, x1) × [y0, y1)` (clamped) with `level`.
    pub fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, level: f32) {
        let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let (x0, x1) = (clamp(x0, self.width), clamp(x1, self.width));
        let (y0, y1) = (clamp(y0, self.height), clamp(y1, self.height));
        for y in y0..y1 {
            self.px[y * self.width + x0..y * self.width + x1].fill(level);
        }
    }
}

/// The inverse of `m`, `None` if singular.
pub(crate) fn invert(m: &Mat) -> Option<Mat> {
    let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
    if det.abs() < 1e-12 {
        return None;
    }
    let cof = [
        m[4] * m[8] - m[5] * m[7],
        m[2] * m[7] - m[1] * m[8],
        m[1] * m[5] - m[2] * m[4],
        m[5] * m[6] - m[3] * m[8],
        m[0] * m[8] - m[2] * m[6],
        m[2] * m[3] - m[0] * m[5],
        m[3] * m[7] - m[4] * m[6],
        m[1] * m[6] - m[0] * m[7],
        m[0] * m[4] - m[1] * m[3],
    ];
    Some(cof.map(|c| c / det))
}

/// `m` applied to a point.
pub(crate) fn project(m: &Mat, (x, y): (f64, f64)) -> (f64, f64) {
    let w = m[6] * x + m[7] * y + m[8];
    let w = if w.abs() < 1e-12 { 1e-12 } else { w };
    (
        (m[0] * x + m[1] * y + m[2]) / w,
        (m[3] * x + m[4] * y + m[5]) / w,
    )
}

/// The projective map taking the four `from` points to the four `to` points.
#[allow(clippy::needless_range_loop)] // row/column elimination reads clearer with indices
pub(crate) fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<Mat> {
    // Eight equations in h0..h7 (h8 = 1), solved by Gaussian elimination with pivoting.
    let mut a = [[0.0f64; 9]; 8];
    for (i, (&(x, y), &(u, v))) in from.iter().zip(&to).enumerate() {
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let factor = a[row][col] / a[col][col];
                for k in col..9 {
                    a[row][k] -= factor * a[col][k];
                }
            }
        }
    }
    let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
    Some([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0])
}

/// One code stamped onto the canvas.
pub(crate) struct Stamp<'a> {
    pub modules: &'a Modules,
    /// Symbol plane (module units; the symbol spans `[0, w] × [0, h]`) → image pixels.
    pub to_image: Mat,
    /// Light margin around the symbol in modules (quiet zone plus label).
    pub margin: f64,
    /// Bar height in modules for linear symbols.
    pub bar_height: f64,
    pub ink: f32,
    pub paper: f32,
    /// Dot diameter as a fraction of the module (dotted marking).
    pub dot: Option<f64>,
    /// A patch over the symbol `[u0, v0, u1, v1]` in modules, and its grey level.
    pub occluder: Option<([f64; 4], f32)>,
    /// Sub-samples per pixel edge.
    pub samples: usize,
}

impl Stamp<'_> {
    fn extent(&self) -> (f64, f64) {
        let w = self.modules.width() as f64;
        let h = if self.modules.height() == 1 {
            self.bar_height
        } else {
            self.modules.height() as f64
        };
        (w, h)
    }

    /// The grey level at symbol-plane point (u, v); `None` outside the label.
    fn level(&self, u: f64, v: f64) -> Option<f32> {
        let (w, h) = self.extent();
        let m = self.margin;
        if u < -m || v < -m || u > w + m || v > h + m {
            return None;
        }
        if let Some(([u0, v0, u1, v1], level)) = self.occluder
            && u >= u0
            && u < u1
            && v >= v0
            && v < v1
        {
            return Some(level);
        }
        if u < 0.0 || v < 0.0 || u >= w || v >= h {
            return Some(self.paper);
        }
        let (col, row) = (u as usize, v as usize);
        let row_index = if self.modules.height() == 1 { 0 } else { row };
        let dark = self
            .modules
            .rows
            .get(row_index)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(false);
        if !dark {
            return Some(self.paper);
        }
        match self.dot {
            Some(diameter) => {
                let (du, dv) = (u - col as f64 - 0.5, v - row as f64 - 0.5);
                if (du * du + dv * dv).sqrt() <= diameter / 2.0 {
                    Some(self.ink)
                } else {
                    Some(self.paper)
                }
            }
            None => Some(self.ink),
        }
    }

    /// The image-space corners of the label.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (w, h) = self.extent();
        let m = self.margin;
        [(-m, -m), (w + m, -m), (w + m, h + m), (-m, h + m)].map(|p| project(&self.to_image, p))
    }

    /// The image-space corners of the symbol itself (without margin).
    pub fn symbol_corners(&self) -> [(f64, f64); 4] {
        let (w, h) = self.extent();
        [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)].map(|p| project(&self.to_image, p))
    }
}

/// Paints `stamp` onto `canvas`.
pub(crate) fn stamp(canvas: &mut Canvas, stamp: &Stamp<'_>) {
    let Some(back) = invert(&stamp.to_image) else {
        return;
    };
    let corners = stamp.corners();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in corners {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let xs = (x0.floor().max(0.0) as usize)..(x1.ceil().max(0.0) as usize).min(canvas.width);
    let ys = (y0.floor().max(0.0) as usize)..(y1.ceil().max(0.0) as usize).min(canvas.height);
    let n = stamp.samples.max(1);
    let step = 1.0 / n as f64;
    for y in ys {
        for x in xs.clone() {
            let index = y * canvas.width + x;
            let old = canvas.px[index];
            let mut sum = 0.0f32;
            let mut touched = false;
            for sy in 0..n {
                for sx in 0..n {
                    let (px, py) = (
                        x as f64 + (sx as f64 + 0.5) * step,
                        y as f64 + (sy as f64 + 0.5) * step,
                    );
                    let (u, v) = project(&back, (px, py));
                    match stamp.level(u, v) {
                        Some(level) => {
                            sum += level;
                            touched = true;
                        }
                        None => sum += old,
                    }
                }
            }
            if touched {
                canvas.px[index] = sum / (n * n) as f32;
            }
        }
    }
}

/// Carton board: a base level with slow shading and fine flute stripes.
pub(crate) fn carton(canvas: &mut Canvas, rng: &mut StdRng, level: f32) {
    let waves: Vec<(f64, f64, f64, f32)> = (0..3)
        .map(|_| {
            (
                rng.random_range(0.002..0.01),
                rng.random_range(0.002..0.01),
                rng.random_range(0.0..6.3),
                rng.random_range(2.0..6.0),
            )
        })
        .collect();
    let flute = rng.random_range(6.0..14.0f64);
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let (fx, fy) = (x as f64, y as f64);
            let mut value = level;
            for &(kx, ky, phase, amp) in &waves {
                value += amp * ((kx * fx + ky * fy) * std::f64::consts::TAU + phase).sin() as f32;
            }
            value += 1.5 * ((fy / flute) * std::f64::consts::TAU).sin() as f32;
            canvas.px[y * canvas.width + x] = value;
        }
    }
}

/// Printed matter: lines of "words" made of letter-sized marks, a rule and a box, in
/// `[x0, x1) × [y0, y1)`, letters `size` px high.
#[allow(clippy::too_many_arguments)]
pub(crate) fn print_text(
    canvas: &mut Canvas,
    rng: &mut StdRng,
    area: [f64; 4],
    size: f64,
    ink: f32,
) {
    let [x0, y0, x1, y1] = area;
    if size < 2.0 || x1 - x0 < size * 3.0 {
        return;
    }
    let stroke = (size / 6.0).max(1.0);
    let mut y = y0 + rng.random_range(0.0..size);
    while y + size < y1 {
        let mut x = x0 + rng.random_range(0.0..size * 2.0);
        let line_end = x1 - rng.random_range(0.0..(x1 - x0) * 0.4);
        while x + size < line_end {
            let letters = rng.random_range(2..9);
            for _ in 0..letters {
                let w = size * rng.random_range(0.45..0.75);
                if x + w > line_end {
                    break;
                }
                // A letter: a vertical stem and one or two bars, like type at a distance.
                canvas.rect(x, y, x + stroke, y + size, ink);
                match rng.random_range(0..4) {
                    0 => canvas.rect(x, y, x + w, y + stroke, ink),
                    1 => canvas.rect(x, y + size - stroke, x + w, y + size, ink),
                    2 => {
                        canvas.rect(x + w - stroke, y, x + w, y + size, ink);
                        canvas.rect(x, y + size / 2.0, x + w, y + size / 2.0 + stroke, ink);
                    }
                    _ => {
                        canvas.rect(x, y, x + w, y + stroke, ink);
                        canvas.rect(x, y + size - stroke, x + w, y + size, ink);
                        canvas.rect(x + w - stroke, y, x + w, y + size, ink);
                    }
                }
                x += w + size * 0.2;
            }
            x += size * rng.random_range(0.6..1.2);
        }
        y += size * rng.random_range(1.5..2.2);
    }
    if rng.random_bool(0.5) {
        let ry = rng.random_range(y0..y1.max(y0 + 1.0));
        canvas.rect(x0, ry, x1, ry + stroke, ink);
    }
}

/// Camera light, glare, blur, noise and JPEG applied to a finished canvas.
pub(crate) struct Camera {
    /// Brightness lost across the frame (linear gradient in a random direction).
    pub light: f32,
    /// Brightness lost at the corners (quadratic fall-off).
    pub vignette: f32,
    /// Glare spots: centre, radius in px, amplitude (fraction of the way to white).
    pub glare: Vec<(f64, f64, f64, f32)>,
    /// Gaussian blur sigma in px.
    pub blur: f32,
    /// Motion blur length in px and its direction in radians.
    pub motion: (f32, f64),
    /// Sensor noise sigma (grey levels).
    pub noise: f32,
    /// JPEG quality, if the frame is JPEG-compressed.
    pub jpeg: Option<u8>,
}

/// Develops the canvas into the frame a camera delivers.
pub(crate) fn develop(canvas: &Canvas, camera: &Camera, rng: &mut StdRng) -> GrayImage {
    let (w, h) = (canvas.width, canvas.height);
    let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
    let (ca, sa) = (angle.cos(), angle.sin());
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let half_diag = (cx * cx + cy * cy).sqrt().max(1.0);
    let mut px = canvas.px.clone();
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f64 - cx, y as f64 - cy);
            let along = ((dx * ca + dy * sa) / half_diag + 1.0) / 2.0;
            let radius = (dx * dx + dy * dy) / (half_diag * half_diag);
            let mut value = px[y * w + x];
            value *= 1.0 - camera.light * along as f32;
            value *= 1.0 - camera.vignette * radius as f32;
            for &(gx, gy, gr, amp) in &camera.glare {
                let d2 = (x as f64 - gx).powi(2) + (y as f64 - gy).powi(2);
                if d2 < 9.0 * gr * gr {
                    let g = amp * (-d2 / (2.0 * gr * gr)).exp() as f32;
                    value += g * (255.0 - value);
                }
            }
            px[y * w + x] = value;
        }
    }
    let to_u8 = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    let mut frame = GrayImage::from_raw(w as u32, h as u32, px.iter().map(|&v| to_u8(v)).collect())
        .unwrap_or_else(|| GrayImage::new(0, 0));
    if camera.blur > 0.2 {
        frame = image::imageops::blur(&frame, camera.blur);
    }
    if camera.motion.0 >= 1.5 {
        frame = motion_blur(&frame, camera.motion.0, camera.motion.1);
    }
    if camera.noise > 0.0 {
        let sigma = camera.noise;
        for pixel in frame.pixels_mut() {
            // Box-Muller.
            let u1: f32 = rng.random_range(f32::EPSILON..1.0);
            let u2: f32 = rng.random();
            let n = (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos();
            pixel.0[0] = to_u8(f32::from(pixel.0[0]) + n * sigma);
        }
    }
    if let Some(quality) = camera.jpeg {
        let mut bytes = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
        if frame.write_with_encoder(encoder).is_ok()
            && let Ok(decoded) = image::load_from_memory(&bytes)
        {
            frame = decoded.into_luma8();
        }
    }
    frame
}

/// Averages each pixel with its neighbours along a line of `length` px at `angle`.
fn motion_blur(image: &GrayImage, length: f32, angle: f64) -> GrayImage {
    let (w, h) = image.dimensions();
    let steps = length.round().max(1.0) as i64;
    let (dx, dy) = (angle.cos(), angle.sin());
    let offsets: Vec<(i64, i64)> = (0..steps)
        .map(|i| {
            let t = i as f64 - (steps - 1) as f64 / 2.0;
            ((t * dx).round() as i64, (t * dy).round() as i64)
        })
        .collect();
    let src = image.as_raw();
    GrayImage::from_fn(w, h, |x, y| {
        let mut sum = 0u32;
        for &(ox, oy) in &offsets {
            let sx = (i64::from(x) + ox).clamp(0, i64::from(w) - 1) as usize;
            let sy = (i64::from(y) + oy).clamp(0, i64::from(h) - 1) as usize;
            sum += u32::from(src[sy * w as usize + sx]);
        }
        Luma([(sum / offsets.len() as u32) as u8])
    })
}
