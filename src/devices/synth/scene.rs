//! Laying out a scene: one label on carton, or a grid of printed packs in a case.

use rand::Rng;
use rand::rngs::StdRng;

use super::content::{CodeKind, Modules, draw_text, encode};
use super::paint::{Camera, Canvas, Stamp, carton, develop, homography, print_text, stamp};
use super::{ExpectedCode, Params, Scene, range};

/// A drawn code: its kind, text and modules.
fn draw_code(params: &Params, rng: &mut StdRng) -> Option<(CodeKind, String, Modules)> {
    for _ in 0..8 {
        let kind = *params
            .kinds
            .get(rng.random_range(0..params.kinds.len().max(1)))?;
        let text = draw_text(kind, rng);
        if let Some(modules) = encode(kind, &text) {
            return Some((kind, text, modules));
        }
    }
    None
}

/// Quiet zone in modules for a kind.
fn quiet(kind: CodeKind) -> f64 {
    match kind {
        CodeKind::Gs1DataMatrix => 2.0,
        CodeKind::Gs1Qr | CodeKind::QrDigitalLink => 4.0,
        CodeKind::Gs1_128 => 10.0,
    }
}

/// Where and how one code goes.
struct Pose {
    centre: (f64, f64),
    degrees: f64,
    module_px: f64,
}

/// The symbol plane → image map for a code of `w × h` modules at `pose`, each corner moved
/// by up to `perspective` of the symbol's side.
fn placement(w: f64, h: f64, pose: &Pose, perspective: f64, rng: &mut StdRng) -> Option<[f64; 9]> {
    let (sin, cos) = pose.degrees.to_radians().sin_cos();
    let side = w.max(h) * pose.module_px;
    let jitter = perspective * side;
    let src = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let dst = src.map(|(u, v)| {
        let (x, y) = (
            (u - w / 2.0) * pose.module_px,
            (v - h / 2.0) * pose.module_px,
        );
        let mut jx = 0.0;
        let mut jy = 0.0;
        if jitter > 0.0 {
            jx = rng.random_range(-jitter..=jitter);
            jy = rng.random_range(-jitter..=jitter);
        }
        (
            pose.centre.0 + x * cos - y * sin + jx,
            pose.centre.1 + x * sin + y * cos + jy,
        )
    });
    homography(src, dst)
}

/// An occluding patch covering `fraction` of a `w × h` symbol, clear of the finder edges.
fn occluder(
    kind: CodeKind,
    w: f64,
    h: f64,
    fraction: f64,
    paper: f32,
    rng: &mut StdRng,
) -> Option<([f64; 4], f32)> {
    if fraction <= 0.0 {
        return None;
    }
    let area = fraction * w * h;
    let aspect = rng.random_range(0.6..1.6);
    let pw = (area * aspect).sqrt().min(w * 0.6);
    let ph = (area / pw).min(h * 0.8);
    // Keep the finder patterns (Data Matrix's L, QR's corner squares) and the bars' lower
    // half clear: a scanner needs those to find the symbol at all.
    let edge = match kind {
        CodeKind::Gs1Qr | CodeKind::QrDigitalLink => 8.0,
        _ => 2.0,
    };
    let u0 = range(rng, edge as f32, (w - edge - pw).max(edge) as f32) as f64;
    let v0 = if kind.is_linear() {
        0.0
    } else {
        range(rng, edge as f32, (h - edge - ph).max(edge) as f32) as f64
    };
    let ph = if kind.is_linear() { h * 0.4 } else { ph };
    let level = match rng.random_range(0..3) {
        0 => (paper + 15.0).min(250.0),
        1 => paper * 0.45,
        _ => paper * 0.75,
    };
    Some(([u0, v0, u0 + pw, v0 + ph], level))
}

fn stamp_code(
    canvas: &mut Canvas,
    params: &Params,
    code: &(CodeKind, String, Modules),
    pose: &Pose,
    paper: f32,
    label_margin: f64,
    rng: &mut StdRng,
) -> Option<ExpectedCode> {
    let (kind, text, modules) = code;
    let w = modules.width() as f64;
    let bar_height = (w * 0.3).max(30.0);
    let h = if kind.is_linear() {
        bar_height
    } else {
        modules.height() as f64
    };
    let to_image = placement(w, h, pose, f64::from(params.perspective), rng)?;
    let s = Stamp {
        modules,
        to_image,
        margin: quiet(*kind) + label_margin,
        bar_height,
        ink: paper * (1.0 - params.contrast),
        paper,
        dot: params.dot.map(f64::from),
        occluder: occluder(*kind, w, h, f64::from(params.occlusion), paper, rng),
        samples: if pose.module_px < 3.0 { 3 } else { 2 },
    };
    stamp(canvas, &s);
    let corners = s.symbol_corners().map(|(x, y)| (x as f32, y as f32));
    Some(ExpectedCode {
        kind: *kind,
        text: text.clone(),
        corners,
    })
}

/// Paints the scene for `params`.
pub(crate) fn paint(params: &Params, rng: &mut StdRng) -> Scene {
    let (width, height) = params.canvas;
    let mut canvas = Canvas::new(width, height, 0.0);
    let mut glare = Vec::new();
    let codes = if params.condition.is_layer() {
        layer(&mut canvas, params, rng)
    } else {
        single(&mut canvas, params, rng, &mut glare)
    };
    let camera = Camera {
        light: params.light,
        vignette: params.vignette,
        glare,
        blur: params.blur,
        motion: (params.motion, rng.random_range(0.0..std::f64::consts::PI)),
        noise: params.noise,
        jpeg: params.jpeg,
    };
    let image = develop(&canvas, &camera, rng);
    Scene { image, codes }
}

fn single(
    canvas: &mut Canvas,
    params: &Params,
    rng: &mut StdRng,
    glare: &mut Vec<(f64, f64, f64, f32)>,
) -> Vec<ExpectedCode> {
    let (w, h) = (canvas.width as f64, canvas.height as f64);
    let board = params.paper * range(rng, 0.6, 0.85);
    carton(canvas, rng, board);
    if params.clutter {
        let size = f64::from(params.module_px).max(2.0) * f64::from(range(rng, 1.5, 3.0));
        print_text(
            canvas,
            rng,
            [0.0, 0.0, w, h],
            size,
            board * (1.0 - params.contrast * 0.9),
        );
    }
    let Some(code) = draw_code(params, rng) else {
        return Vec::new();
    };
    let kind = code.0;
    let modules_w = code.2.width() as f64;
    let modules_h = if kind.is_linear() {
        (modules_w * 0.3).max(30.0)
    } else {
        code.2.height() as f64
    };
    let label_margin = if params.clutter {
        0.5
    } else {
        f64::from(range(rng, 1.0, 3.0))
    };
    let span = modules_w.max(modules_h) + 2.0 * (quiet(kind) + label_margin);
    let mut module_px = f64::from(params.module_px);
    // The whole label (turned) must fit in the frame.
    let fit = 0.92 * h.min(w) / (span * std::f64::consts::SQRT_2);
    let fit = if kind.is_linear() {
        0.9 * w / (modules_w + 2.0 * quiet(kind))
    } else {
        fit
    };
    module_px = module_px.min(fit).max(1.0);
    let degrees = if kind.is_linear() {
        f64::from(rng.random_range(0..2u8)) * 180.0
            + f64::from(range(
                rng,
                -params.rotation.min(8.0),
                params.rotation.min(8.0),
            ))
    } else {
        f64::from(range(rng, -params.rotation, params.rotation))
    };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let label_w = (modules_w + 2.0 * (quiet(kind) + label_margin)) * module_px;
    let label_h = (modules_h + 2.0 * (quiet(kind) + label_margin)) * module_px;
    let half_x = (label_w * cos.abs() + label_h * sin.abs()) / 2.0;
    let half_y = (label_w * sin.abs() + label_h * cos.abs()) / 2.0;
    let slack_x = (w / 2.0 - half_x).max(0.0) * 0.8;
    let slack_y = (h / 2.0 - half_y).max(0.0) * 0.8;
    let centre = (
        w / 2.0 + f64::from(range(rng, -slack_x as f32, slack_x as f32)),
        h / 2.0 + f64::from(range(rng, -slack_y as f32, slack_y as f32)),
    );
    let pose = Pose {
        centre,
        degrees,
        module_px,
    };
    let side = modules_w.max(modules_h) * module_px;
    for _ in 0..params.glare.0 {
        glare.push((
            centre.0 + f64::from(range(rng, -0.35, 0.35)) * side,
            centre.1 + f64::from(range(rng, -0.35, 0.35)) * side,
            side * f64::from(range(rng, 0.12, 0.3)),
            params.glare.1 * range(rng, 0.8, 1.0),
        ));
    }
    stamp_code(
        canvas,
        params,
        &code,
        &pose,
        params.paper,
        label_margin,
        rng,
    )
    .into_iter()
    .collect()
}

fn layer(canvas: &mut Canvas, params: &Params, rng: &mut StdRng) -> Vec<ExpectedCode> {
    let (w, h) = (canvas.width as f64, canvas.height as f64);
    let n = params.codes.max(1);
    let cols = ((n as f64 * w / h).sqrt().round() as usize).max(1);
    let rows = n.div_ceil(cols);
    let cols = n.div_ceil(rows);
    let (x0, y0) = (w * 0.03, h * 0.03);
    let (cw, ch) = (w * 0.94 / cols as f64, h * 0.94 / rows as f64);
    // The case floor and the shadows between packs.
    let floor = params.paper * 0.45;
    canvas.rect(0.0, 0.0, w, h, floor);
    let module_px = (cw.min(ch) * 0.42 / 24.0).clamp(2.0, 8.0);
    let mut codes = Vec::new();
    for index in 0..n {
        let (col, row) = (index % cols, index / cols);
        let gap = cw.min(ch) * 0.03;
        let (px0, py0) = (x0 + col as f64 * cw + gap, y0 + row as f64 * ch + gap);
        let (px1, py1) = (px0 + cw - 2.0 * gap, py0 + ch - 2.0 * gap);
        let board = params.paper * range(rng, 0.92, 1.0);
        canvas.rect(px0, py0, px1, py1, board);
        if params.clutter {
            let size = module_px * f64::from(range(rng, 1.5, 2.5));
            print_text(
                canvas,
                rng,
                [px0 + gap, py0 + gap, px1 - gap, py1 - gap],
                size,
                board * (1.0 - params.contrast * 0.9),
            );
        }
        let Some(code) = draw_code(params, rng) else {
            continue;
        };
        let side = code.2.width().max(code.2.height()) as f64 * module_px;
        let reach = ((cw.min(ch) - 2.0 * gap) / 2.0 - side * 0.75).max(0.0);
        let centre = (
            (px0 + px1) / 2.0 + f64::from(range(rng, -reach as f32, reach as f32)),
            (py0 + py1) / 2.0 + f64::from(range(rng, -reach as f32, reach as f32)),
        );
        let degrees = f64::from(rng.random_range(0..4u8)) * 90.0
            + f64::from(range(rng, -params.rotation, params.rotation));
        let pose = Pose {
            centre,
            degrees,
            module_px: module_px * f64::from(range(rng, 0.95, 1.05)),
        };
        if let Some(expected) = stamp_code(canvas, params, &code, &pose, board, 0.0, rng) {
            codes.push(expected);
        }
    }
    codes
}
