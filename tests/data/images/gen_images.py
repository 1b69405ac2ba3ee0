#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Make packbench's barcode image corpus (see README.md beside this file).

    python3 gen_images.py --out . [--seed N] [--npm DIR]   # draw the PNGs + manifest.tsv
    python3 gen_images.py --out . --peer                   # fill the zxing-cpp columns

bwip-js (run through `node`, installed in the folder given by --npm) encodes every symbol;
this script builds the GS1 content, lays the symbols out and adds the camera effects with
Pillow and numpy. Everything random comes from --seed, so a re-run writes identical files.
The file names and the distortion tables are fixed; the seed changes content, textures and
jitter only.
"""

import argparse
import base64
import hashlib
import io
import json
import math
import os
import random
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DEFAULT_SEED = 20240611

# GS1 company prefixes set aside for examples and tests.
PREFIXES = ["9506000", "0614141", "9520123", "5412345"]

# The 82 characters GS1 allows in alphanumeric AIs, less the parentheses (they would clash
# with the bracketed input syntax).
CSET82 = "!\"%&'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
UPPER_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

GS = "\x1d"

# Every element string here has a fixed length (without its AI) and needs no GS after it.
FIXED = {"00": 18, "01": 14, "02": 14, "11": 6, "13": 6, "15": 6, "17": 6, "410": 13, "414": 13}

BWIP_HELPER = r"""
const bwipjs = require('bwip-js');
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin });
const queue = [];
let busy = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const req = JSON.parse(queue.shift());
    let out;
    try {
      const buf = await bwipjs.toBuffer(req);
      out = { ok: true, png: buf.toString('base64') };
    } catch (e) {
      out = { ok: false, error: String((e && e.message) || e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  busy = false;
}
rl.on('line', (line) => { queue.push(line); pump(); });
"""


# --------------------------------------------------------------------------------------------
# Randomness: one generator per item, derived from the seed and the item's name, so changing
# one item never shifts the others.


def rng_for(seed, name):
    digest = hashlib.sha256(f"{seed}/{name}".encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    return random.Random(value), np.random.default_rng(value)


# --------------------------------------------------------------------------------------------
# GS1 content


def check_digit(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += int(d) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def digits(rnd, n):
    return "".join(rnd.choice("0123456789") for _ in range(n))


def gtin14(rnd, indicator=None, prefix=None):
    ind = indicator if indicator is not None else rnd.choice("0000135")
    body = ind + (prefix or rnd.choice(PREFIXES)) + digits(rnd, 5)
    return body + check_digit(body)


def sscc(rnd):
    body = rnd.choice("0123456789") + rnd.choice(PREFIXES) + digits(rnd, 9)
    return body + check_digit(body)


def gln(rnd):
    body = rnd.choice(PREFIXES) + digits(rnd, 5)
    return body + check_digit(body)


def yymmdd(rnd, first_year=26, last_year=35):
    year = rnd.randint(first_year, last_year)
    month = rnd.randint(1, 12)
    day = 0 if rnd.random() < 0.15 else rnd.randint(1, 28)
    return f"{year:02d}{month:02d}{day:02d}"


def lot(rnd, n=None):
    n = n or rnd.randint(4, 10)
    head = rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    body = digits(rnd, n - 1)
    if n > 6 and rnd.random() < 0.4:
        cut = rnd.randint(3, n - 3)
        body = body[:cut] + "-" + rnd.choice(UPPER_DIGITS) + body[cut + 1 :]
    return head + body


def alnum(rnd, n, alphabet=UPPER_DIGITS):
    return "".join(rnd.choice(alphabet) for _ in range(n))


def hri(elements):
    return "".join(f"({ai}){value}" for ai, value in elements)


def raw(elements):
    out = []
    for i, (ai, value) in enumerate(elements):
        out.append(ai + value)
        if ai not in FIXED and i + 1 < len(elements):
            out.append(GS)
    return "".join(out)


def truncate(elements, budget):
    """The elements that fit in `budget` characters of data: fixed-length ones whole or not at
    all, the last variable one cut short (but not below 3 characters unless it is the only
    one)."""
    out = []
    for ai, value in elements:
        if budget <= 0:
            break
        if ai in FIXED:
            if len(value) > budget:
                break
            out.append((ai, value))
            budget -= len(value)
        else:
            if out and budget < min(3, len(value)):
                break
            out.append((ai, value[:budget]))
            budget -= min(len(value), budget)
    return out


# --------------------------------------------------------------------------------------------
# bwip-js


class Bwip:
    """A node process running bwip-js, one JSON request per line."""

    def __init__(self, npm_dir):
        modules = os.path.join(os.path.abspath(npm_dir), "node_modules")
        if not os.path.isdir(os.path.join(modules, "bwip-js")):
            sys.exit(f"bwip-js is not installed in {npm_dir} (see README.md)")
        env = dict(os.environ, NODE_PATH=modules)
        self.proc = subprocess.Popen(
            ["node", "-e", BWIP_HELPER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def png(self, **options):
        options.setdefault("scale", 1)
        options["backgroundcolor"] = "FFFFFF"
        self.proc.stdin.write(json.dumps(options) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if not answer["ok"]:
            raise ValueError(f"bwip-js {options.get('bcid')} {options.get('text')!r}: {answer['error']}")
        image = Image.open(io.BytesIO(base64.b64decode(answer["png"])))
        flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
        flat.alpha_composite(image.convert("RGBA"))
        return np.asarray(flat.convert("L"))

    def matrix(self, **options):
        """The module matrix (True = dark) of a 2D symbol; bwip-js draws 2 px per module at
        scale 1."""
        pixels = self.png(**options)
        return pixels[::2, ::2] < 128

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def fit_datamatrix(bwip, elements, rows, cols):
    """The longest truncation of `elements` whose natural symbol is no bigger than rows x cols,
    drawn at exactly that size."""
    rect = rows != cols
    extra = {"format": "rectangle"} if rect else {}

    def natural(els):
        try:
            m = bwip.matrix(bcid="gs1datamatrix", text=hri(els), **extra)
        except ValueError:
            return None
        return m.shape

    total = sum(len(v) for _, v in elements)
    lo, hi = 1, total
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        els = truncate(elements, mid)
        shape = natural(els) if els else None
        # Compare by area: a rectangle that holds less may still be longer (8x32 vs 12x26).
        if shape is not None and shape[0] * shape[1] <= rows * cols:
            best, lo = els, mid + 1
        else:
            hi = mid - 1
    if best is None:
        raise ValueError(f"nothing fits {rows}x{cols}")
    m = bwip.matrix(bcid="gs1datamatrix", text=hri(best), rows=rows, columns=cols, **extra)
    assert m.shape == (rows, cols), (m.shape, rows, cols)
    return best, m


# --------------------------------------------------------------------------------------------
# Drawing


def paint_matrix(matrix, px, quiet, ink=0.0, paper=255.0, dots=None):
    rows, cols = matrix.shape
    h, w = (rows + 2 * quiet) * px, (cols + 2 * quiet) * px
    out = np.full((h, w), paper, dtype=np.float32)
    if dots is None:
        big = np.kron(matrix.astype(np.uint8), np.ones((px, px), dtype=np.uint8)).astype(bool)
        out[quiet * px : quiet * px + rows * px, quiet * px : quiet * px + cols * px][big] = ink
        return out
    # Round separated dots (inkjet), drawn 4x larger and averaged down.
    s = 4
    img = Image.new("L", (w * s, h * s), int(paper))
    draw = ImageDraw.Draw(img)
    radius = dots * px * s / 2
    for r in range(rows):
        for c in range(cols):
            if matrix[r, c]:
                cx = (quiet + c + 0.5) * px * s
                cy = (quiet + r + 0.5) * px * s
                draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=int(ink))
    return np.asarray(img.resize((w, h), Image.BOX), dtype=np.float32)


def to_image(arr):
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "L")


def save_png(arr, path):
    to_image(arr).save(path, format="PNG", optimize=True)


def smooth_noise(nrng, h, w, cell, amplitude):
    """Low-frequency texture: coarse random grid scaled up smoothly."""
    gh, gw = max(2, h // cell + 2), max(2, w // cell + 2)
    coarse = nrng.normal(0.0, 1.0, (gh, gw)).astype(np.float32)
    img = Image.fromarray(coarse, "F").resize((w, h), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32) * amplitude


def cardboard(nrng, h, w, base):
    tex = base + smooth_noise(nrng, h, w, 48, 7.0) + smooth_noise(nrng, h, w, 9, 3.0)
    # Faint flute lines of corrugated board.
    y = np.arange(h, dtype=np.float32)[:, None]
    period = float(nrng.uniform(14, 22))
    tex = tex + 2.0 * np.sin(2 * np.pi * y / period)
    return tex + nrng.normal(0, 1.5, (h, w)).astype(np.float32)


def gaussian_kernel(sigma):
    radius = max(1, int(math.ceil(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    k = np.exp(-(x * x) / (2 * sigma * sigma))
    return k / k.sum()


def convolve_axis(arr, kernel, axis):
    radius = len(kernel) // 2
    pad = [(0, 0), (0, 0)]
    pad[axis] = (radius, radius)
    padded = np.pad(arr, pad, mode="edge")
    out = np.zeros_like(arr)
    n = arr.shape[axis]
    for i, k in enumerate(kernel):
        sl = [slice(None), slice(None)]
        sl[axis] = slice(i, i + n)
        out += k * padded[tuple(sl)]
    return out


def gaussian_blur(arr, sigma):
    k = gaussian_kernel(sigma)
    return convolve_axis(convolve_axis(arr, k, 0), k, 1)


def motion_blur(arr, length, angle_deg):
    """Average along a short straight path (hand or conveyor movement)."""
    steps = max(2, int(round(length)) + 1)
    dx, dy = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    out = np.zeros_like(arr)
    pad = int(math.ceil(length)) + 1
    padded = np.pad(arr, pad, mode="edge")
    h, w = arr.shape
    for i in range(steps):
        t = (i / (steps - 1) - 0.5) * length
        ox, oy = int(round(t * dx)), int(round(t * dy))
        out += padded[pad + oy : pad + oy + h, pad + ox : pad + ox + w]
    return out / steps


def homography(src, dst):
    """3x3 matrix H with H @ src = dst (four point pairs)."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    h = np.linalg.solve(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64))
    return np.append(h, 1.0).reshape(3, 3)


def warp_onto(canvas, patch, corners, alpha=None):
    """Draw `patch` onto `canvas` (both float arrays) with its four corners (tl, tr, br, bl)
    at `corners` in canvas pixels; bilinear sampling."""
    ph, pw = patch.shape
    src = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    inv = homography(corners, src)  # canvas -> patch
    coeffs = (inv / inv[2, 2]).flatten()[:8]
    h, w = canvas.shape
    warped = Image.fromarray(patch, "F").transform(
        (w, h), Image.PERSPECTIVE, coeffs, resample=Image.BILINEAR, fillcolor=0.0
    )
    mask_src = np.ones_like(patch) if alpha is None else alpha
    mask = Image.fromarray(mask_src.astype(np.float32), "F").transform(
        (w, h), Image.PERSPECTIVE, coeffs, resample=Image.BILINEAR, fillcolor=0.0
    )
    m = np.asarray(mask, dtype=np.float32)
    canvas *= 1.0 - m
    canvas += np.asarray(warped, dtype=np.float32) * m


def downsample(arr, s):
    h, w = arr.shape
    return arr[: h - h % s, : w - w % s].reshape(h // s, s, w // s, s).mean(axis=(1, 3))


def rotated_quad(cx, cy, w, h, angle_deg, jitter, nrng):
    """Corners (tl, tr, br, bl) of a w x h rectangle centred on (cx, cy), turned by
    angle_deg, each corner moved by up to `jitter` * size (camera perspective)."""
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    size = max(w, h)
    out = []
    for x, y in [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]:
        if jitter:
            x += float(nrng.uniform(-jitter, jitter)) * size
            y += float(nrng.uniform(-jitter, jitter)) * size
        out.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return out


def light_gradient(h, w, strength, angle_deg):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(angle_deg)
    t = (x - w / 2) * math.cos(a) + (y - h / 2) * math.sin(a)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    return 1.0 - strength * t


def vignette(h, w, strength):
    """Lens fall-off: brightness drops with the squared distance from the centre, by
    `strength` at the corners."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((x - w / 2) ** 2 + (y - h / 2) ** 2) / ((w / 2) ** 2 + (h / 2) ** 2)
    return 1.0 - strength * r2


def jpeg(arr, quality):
    buf = io.BytesIO()
    to_image(arr).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("L"), dtype=np.float32)


def camera_effects(img, fx, nrng):
    """Optics and sensor on a float image, in the order they happen."""
    h, w = img.shape
    if "blur" in fx:
        img = gaussian_blur(img, fx["blur"])
    if "motion" in fx:
        img = motion_blur(img, fx["motion"], float(nrng.uniform(-20, 20)))
    if "contrast" in fx:
        mid = 150.0
        img = mid + (img - mid) * fx["contrast"]
    if "light" in fx:
        img = img * light_gradient(h, w, fx["light"], float(nrng.uniform(0, 360)))
    if "vignette" in fx:
        img = img * vignette(h, w, fx["vignette"])
    if "glare" in fx:
        gy, gx = fx["_glare_at"]
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        r = fx["_glare_r"]
        img = img + 255.0 * fx["glare"] * np.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * r * r))
    if "noise" in fx:
        img = img + nrng.normal(0.0, fx["noise"], img.shape).astype(np.float32)
    img = np.clip(img, 0, 255)
    if "jpeg" in fx:
        img = jpeg(img, fx["jpeg"])
    return img


def font(size):
    return ImageFont.load_default(size=size)


def text_block(lines, size, ink, paper, pad):
    """Printed human-readable lines as a float array."""
    f = font(size)
    widths = [int(math.ceil(f.getlength(t))) for t in lines]
    line_h = int(size * 1.25)
    img = Image.new("L", (max(widths) + 2 * pad, line_h * len(lines) + 2 * pad), int(paper))
    draw = ImageDraw.Draw(img)
    for i, t in enumerate(lines):
        draw.text((pad, pad + i * line_h), t, fill=int(ink), font=f)
    return np.asarray(img, dtype=np.float32)


def fmt(value):
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe(fx, order):
    return ";".join(f"{k}={fmt(fx[k])}" for k in order if k in fx) or "none"


# --------------------------------------------------------------------------------------------
# The groups. File names and distortion tables are fixed; the seed only moves content and
# textures.

SQUARE = [  # size, px per module, quiet zone (modules)
    (10, 8, 1), (12, 6, 2), (14, 4, 3), (16, 3, 1), (18, 5, 2), (20, 10, 4), (22, 2, 2),
    (24, 7, 3), (26, 9, 1), (32, 6, 2), (36, 4, 4), (40, 3, 1), (44, 5, 2), (48, 8, 3),
    (52, 2, 4), (64, 6, 1),
]
RECT = [(8, 18, 4, 2), (8, 32, 6, 1), (12, 26, 3, 3), (12, 36, 8, 1), (16, 36, 5, 2), (16, 48, 2, 3)]

QR_ECC = [("L", 5), ("M", 4), ("Q", 3), ("H", 6)]

CAMERA = [  # name suffix, symbology, px, effects
    ("datamatrix_rot", "dm", 5, {"rot": 0}),
    ("datamatrix_rot", "dm", 5, {"rot": 8}),
    ("datamatrix_rot", "dm", 5, {"rot": 20}),
    ("datamatrix_rot", "dm", 5, {"rot": 33}),
    ("datamatrix_rot", "dm", 5, {"rot": 45}),
    ("datamatrix_rot_persp", "dm", 5, {"rot": 5, "persp": 0.07}),
    ("datamatrix_rot_persp", "dm", 5, {"rot": 17, "persp": 0.12}),
    ("datamatrix_blur", "dm", 5, {"blur": 1.1}),
    ("datamatrix_blur", "dm", 7, {"blur": 1.9}),
    ("datamatrix_motion", "dm", 6, {"rot": 3, "motion": 5}),
    ("datamatrix_noise", "dm", 5, {"noise": 10}),
    ("datamatrix_noise", "dm", 6, {"noise": 20}),
    ("datamatrix_contrast", "dm", 5, {"contrast": 0.45}),
    ("datamatrix_contrast", "dm", 6, {"contrast": 0.3}),
    ("datamatrix_light", "dm", 5, {"light": 0.4}),
    ("datamatrix_vignette", "dm", 5, {"vignette": 0.55}),
    ("datamatrix_glare_jpeg", "dm", 5, {"rot": 6, "glare": 0.3, "jpeg": 50}),
    ("datamatrix_rot_persp_blur_contrast_noise_jpeg", "dm", 5,
     {"rot": 28, "persp": 0.08, "blur": 0.8, "contrast": 0.55, "noise": 8, "jpeg": 55}),
    ("qr_rot_persp_blur_noise", "qr", 5, {"rot": 22, "persp": 0.08, "blur": 0.9, "noise": 8}),
    ("128_rot_blur_noise", "128", 3, {"rot": 4, "blur": 0.8, "noise": 8}),
]
CAMERA_KEYS = ["rot", "persp", "blur", "motion", "contrast", "light", "vignette", "glare",
               "noise", "jpeg", "px"]

MULTI = [  # canvas, px, effects
    ((1280, 960), 4, {"noise": 4}),
    ((1280, 960), 4, {"turns": "yes", "tilt": 4, "blur": 0.8, "noise": 5}),
    ((1920, 1080), 5, {"persp": 0.05, "light": 0.3, "noise": 5}),
    ((1920, 1080), 3, {"noise": 7, "jpeg": 70}),
    ((1280, 960), 4, {"contrast": 0.55, "vignette": 0.5, "noise": 5}),
    ((1920, 1080), 5, {"rot": 9, "turns": "yes", "tilt": 3, "light": 0.2, "blur": 0.7,
                       "noise": 5}),
]
MULTI_KEYS = ["turns", "tilt", "rot", "persp", "blur", "contrast", "light", "vignette", "noise",
              "jpeg"]

S = 2  # supersampling of camera scenes


def row(file, symbology, aim, codes, module_px, size, distortion):
    return {
        "file": file,
        "symbology": symbology,
        "symbology_id": aim,
        "n_codes": str(len(codes)),
        "expected_hri": " | ".join(hri(e) if isinstance(e, list) else e for e in codes),
        "expected_raw": " | ".join(
            (raw(e) if isinstance(e, list) else e).replace(GS, "\\x1d") for e in codes
        ),
        "module_px": str(module_px),
        "symbol_size": size,
        "distortion": distortion,
        "zxingcpp_ok": "-",
        "zxingcpp_found": "-",
    }


def dm_elements(rnd, small):
    """A full GS1 message for a pack; callers cut it to size."""
    if small:
        chars = "0123456789" if rnd.random() < 0.5 else UPPER_DIGITS
        return [("90", alnum(rnd, 30, chars))]
    middle = [("17", yymmdd(rnd)), ("10", lot(rnd, rnd.randint(4, 10))), ("21", alnum(rnd, 20))]
    rnd.shuffle(middle)
    return [("01", gtin14(rnd))] + middle + [
        ("240", alnum(rnd, 30, UPPER_DIGITS + "-./")),
        ("91", alnum(rnd, 90, CSET82)),
        ("92", alnum(rnd, 90, UPPER_DIGITS)),
    ]


def pack_elements(rnd):
    """(01)(17)(10)(21) in one of the usual orders, lengths as printed on packs."""
    middle = [("17", yymmdd(rnd)), ("10", lot(rnd)), ("21", alnum(rnd, rnd.randint(10, 14)))]
    head = middle[:2]
    rnd.shuffle(head)
    return [("01", gtin14(rnd))] + head + [middle[2]]


def make_plain(bwip, seed, out):
    rows = []
    for size, px, quiet in SQUARE:
        name = f"dm_sq_{size}x{size}_px{px}.png"
        rnd, _ = rng_for(seed, name)
        els, m = fit_datamatrix(bwip, dm_elements(rnd, size < 16), size, size)
        save_png(paint_matrix(m, px, quiet), os.path.join(out, name))
        rows.append(row(name, "gs1-datamatrix", "]d2", [els], px, f"{size}x{size}",
                        f"none;quiet_zone={quiet}"))
    for r, c, px, quiet in RECT:
        name = f"dm_rect_{r}x{c}_px{px}.png"
        rnd, _ = rng_for(seed, name)
        els, m = fit_datamatrix(bwip, dm_elements(rnd, r * c < 300), r, c)
        save_png(paint_matrix(m, px, quiet), os.path.join(out, name))
        rows.append(row(name, "gs1-datamatrix", "]d2", [els], px, f"{r}x{c}",
                        f"none;quiet_zone={quiet}"))

    name = "dm_inverted_px6.png"
    rnd, _ = rng_for(seed, name)
    els = pack_elements(rnd)
    m = bwip.matrix(bcid="gs1datamatrix", text=hri(els))
    save_png(paint_matrix(m, 6, 3, ink=255.0, paper=0.0), os.path.join(out, name))
    rows.append(row(name, "gs1-datamatrix", "]d2", [els], 6, f"{m.shape[0]}x{m.shape[1]}",
                    "inverted;quiet_zone=3"))

    name = "dm_dotted_px8.png"
    rnd, _ = rng_for(seed, name)
    els = pack_elements(rnd)
    m = bwip.matrix(bcid="gs1datamatrix", text=hri(els))
    save_png(paint_matrix(m, 8, 2, dots=0.8), os.path.join(out, name))
    rows.append(row(name, "gs1-datamatrix", "]d2", [els], 8, f"{m.shape[0]}x{m.shape[1]}",
                    "dots=0.8;quiet_zone=2"))

    rows += make_gs1_128(bwip, seed, out)

    for ecc, px in QR_ECC:
        name = f"gs1qr_ecc{ecc}_px{px}.png"
        rnd, _ = rng_for(seed, name)
        els = pack_elements(rnd)
        if ecc in "MH":
            els.append(("240", alnum(rnd, rnd.randint(8, 20), UPPER_DIGITS + "-/")))
        m = bwip.matrix(bcid="gs1qrcode", text=hri(els), eclevel=ecc)
        save_png(paint_matrix(m, px, 4), os.path.join(out, name))
        rows.append(row(name, "gs1-qr", "]Q3", [els], px, f"{m.shape[0]}x{m.shape[1]}",
                        "none;quiet_zone=4"))

    for i, host in [(1, "https://id.gs1.org"), (2, "https://brand.example.com")]:
        px = 5 if i == 1 else 4
        name = f"qr_digital_link_{i}_px{px}.png"
        rnd, _ = rng_for(seed, name)
        uri = (f"{host}/01/{gtin14(rnd, indicator='0')}/10/{lot(rnd)}"
               f"/21/{alnum(rnd, rnd.randint(8, 16))}?17={yymmdd(rnd)}")
        m = bwip.matrix(bcid="qrcode", text=uri, eclevel="M")
        save_png(paint_matrix(m, px, 4), os.path.join(out, name))
        rows.append(row(name, "qr", "]Q1", [uri], px, f"{m.shape[0]}x{m.shape[1]}",
                        "none;quiet_zone=4;content=GS1 Digital Link URI"))
    return rows


def gs1_128_cases(rnd):
    return [
        ("sscc", 2, True, [("00", sscc(rnd))]),
        ("sscc_content", 3, False,
         [("00", sscc(rnd)), ("02", gtin14(rnd, indicator=rnd.choice("0123"))),
          ("37", str(rnd.randint(2, 96))), ("10", lot(rnd, rnd.randint(4, 6))),
          ("17", yymmdd(rnd))]),
        ("sscc_shipto", 4, True, [("00", sscc(rnd)), ("410", gln(rnd)), ("420", digits(rnd, 5))]),
        ("gtin_lot_exp", 2, False, [("01", gtin14(rnd)), ("10", lot(rnd)), ("17", yymmdd(rnd))]),
        ("gtin_serial", 3, True, [("01", gtin14(rnd)), ("21", alnum(rnd, rnd.randint(8, 12)))]),
        ("sscc_order", 4, False, [("00", sscc(rnd)), ("400", alnum(rnd, rnd.randint(6, 12)))]),
    ]


def draw_gs1_128(bwip, els, x, text, ink=0.0, paper=255.0):
    """GS1-128 at x px per module, bars 50 modules high, 12 X quiet zones; `text` adds the
    human-readable line bwip-js prints."""
    # bwip-js takes the height in mm at 72 dpi and multiplies it by the scale.
    height_mm = 50 * 25.4 / 72
    opts = dict(bcid="gs1-128", text=hri(els), scale=x, height=round(height_mm, 3))
    if text:
        opts.update(includetext=True, textsize=8, textyoffset=1)
    pix = bwip.png(**opts).astype(np.float32)
    h, w = pix.shape
    qz = 10 * x + 2 * x
    out = np.full((h + 2 * 6 * x, w + 2 * qz), 255.0, dtype=np.float32)
    out[6 * x : 6 * x + h, qz : qz + w] = pix
    return ink + (out / 255.0) * (paper - ink)


def make_gs1_128(bwip, seed, out):
    rows = []
    rnd, _ = rng_for(seed, "gs1-128")
    for label, x, text, els in gs1_128_cases(rnd):
        name = f"gs1128_{label}_x{x}.png"
        save_png(draw_gs1_128(bwip, els, x, text), os.path.join(out, name))
        rows.append(row(name, "gs1-128", "]C1", [els], x, "-",
                        "none;hri_text" if text else "none"))
    return rows


# --------------------------------------------------------------------------------------------
# Camera pictures of one code


def label_patch(symbol, px_s, nrng, ink_text, lines):
    """White label: the symbol with a 2-module margin and a few printed lines under it."""
    paper = float(nrng.uniform(232, 246))
    sym = ink_text + (symbol / 255.0) * (paper - ink_text)
    sh, sw = sym.shape
    margin = 2 * px_s
    txt = text_block(lines, max(10, int(px_s * 2.2)), ink_text + 20, paper, 0) if lines else None
    th = txt.shape[0] + margin if txt is not None else 0
    tw = txt.shape[1] if txt is not None else 0
    h, w = sh + 2 * margin + th, max(sw, tw) + 2 * margin
    patch = np.full((h, w), paper, dtype=np.float32)
    patch[margin : margin + sh, margin : margin + sw] = sym
    if txt is not None:
        patch[margin + sh + margin // 2 : margin + sh + margin // 2 + txt.shape[0],
              margin : margin + txt.shape[1]] = txt
    patch += nrng.normal(0, 1.0, patch.shape).astype(np.float32)  # paper grain
    return patch


def make_camera(bwip, seed, out):
    rows = []
    W, H = 640, 480
    for i, (suffix, kind, px, fx) in enumerate(CAMERA, start=1):
        name = f"cam_{i:02d}_{suffix}.png"
        rnd, nrng = rng_for(seed, name)
        fx = dict(fx)
        ink = float(nrng.uniform(20, 45))
        if kind == "dm":
            els = pack_elements(rnd)
            m = bwip.matrix(bcid="gs1datamatrix", text=hri(els))
            sym = paint_matrix(m, px * S, 0, ink=0.0)
            size, symbology, aim = f"{m.shape[0]}x{m.shape[1]}", "gs1-datamatrix", "]d2"
            lines = [f"LOT {dict(els)['10']}", f"EXP {dict(els)['17']}"]
        elif kind == "qr":
            els = pack_elements(rnd)
            m = bwip.matrix(bcid="gs1qrcode", text=hri(els), eclevel="M")
            sym = paint_matrix(m, px * S, 2, ink=0.0)
            size, symbology, aim = f"{m.shape[0]}x{m.shape[1]}", "gs1-qr", "]Q3"
            lines = []
        else:
            els = [("00", sscc(rnd))]
            sym = draw_gs1_128(bwip, els, px * S, False)
            size, symbology, aim = "-", "gs1-128", "]C1"
            lines = []
        patch = label_patch(sym, px * S, nrng, ink, lines)
        canvas = cardboard(nrng, H * S, W * S, float(nrng.uniform(150, 185)))
        ph, pw = patch.shape
        cx = W * S / 2 + float(nrng.uniform(-0.08, 0.08)) * W * S
        cy = H * S / 2 + float(nrng.uniform(-0.08, 0.08)) * H * S
        angle = fx.get("rot", 0) * rnd.choice([-1, 1])
        quad = rotated_quad(cx, cy, pw, ph, angle, fx.get("persp", 0), nrng)
        # A soft shadow under the label's edge, then the label.
        shadow = [(x + 2 * S, y + 3 * S) for x, y in quad]
        shade = np.zeros_like(patch)
        warp_onto(canvas, shade, shadow, alpha=np.full_like(patch, 0.25))
        warp_onto(canvas, patch, quad)
        img = downsample(canvas, S)
        if "glare" in fx:
            fx["_glare_at"] = (cy / S + float(nrng.uniform(-20, 20)), cx / S + float(nrng.uniform(-30, 30)))
            fx["_glare_r"] = float(pw / S * 0.3)
        img = camera_effects(img, fx, nrng)
        save_png(img, os.path.join(out, name))
        fx["rot"] = abs(angle) if "rot" in fx else None
        if fx["rot"] is None:
            del fx["rot"]
        if kind == "128" or px != 5:
            fx["px"] = px
        rows.append(row(name, symbology, aim, [els], px, size, describe(fx, CAMERA_KEYS)))
    return rows


# --------------------------------------------------------------------------------------------
# Case layers: 4 rows x 6 packs seen from above


def pack_top(m, px_s, pw, ph, nrng, els, turn):
    """One folding carton's top: the code with the human-readable lines under it, printed
    straight on the board, the whole print turned by `turn` degrees."""
    board = float(nrng.uniform(205, 232))
    top = np.full((ph, pw), board, dtype=np.float32)
    top += smooth_noise(nrng, ph, pw, 40, 2.0)
    # Carton edge: a slightly darker rim, darker on the side away from the light.
    rim = max(2, pw // 60)
    top[:rim, :] -= 14
    top[-rim:, :] -= 24
    top[:, :rim] -= 12
    top[:, -rim:] -= 20
    ink = float(nrng.uniform(25, 50))
    sym = paint_matrix(m, px_s, 2, ink=ink, paper=board)
    d = dict(els)
    lines = [f"GTIN {d['01']}", f"LOT {d['10']}  EXP {d['17']}", f"SN {d['21']}"]
    txt = text_block(lines, max(10, int(px_s * 1.6)), ink + 15, board, 0)
    sh, sw = sym.shape
    th, tw = txt.shape
    block = np.full((sh + th, max(sw, tw + 2 * px_s)), board, dtype=np.float32)
    block[:sh, :sw] = sym
    block[sh : sh + th, 2 * px_s : 2 * px_s + tw] = txt
    block = np.rot90(block, -(turn // 90))
    bh, bw = block.shape
    y0 = (ph - bh) // 2 + int(nrng.integers(-px_s, px_s + 1))
    x0 = (pw - bw) // 2 + int(nrng.integers(-px_s, px_s + 1))
    region = top[y0 : y0 + bh, x0 : x0 + bw]
    top[y0 : y0 + bh, x0 : x0 + bw] = region + (block - board)
    return top


def make_multi(bwip, seed, out):
    rows = []
    for i, ((W, H), px, fx) in enumerate(MULTI, start=1):
        name = f"multi_{i:02d}_grid4x6_{W}x{H}.png"
        rnd, nrng = rng_for(seed, name)
        fx = dict(fx)
        gtin = gtin14(rnd, indicator="0")
        lot_no, exp = lot(rnd, 6), yymmdd(rnd, 27, 33)
        order = rnd.choice([["17", "10"], ["10", "17"]])
        serials = []  # a list, not a set: set order changes from run to run
        while len(serials) < 24:
            sn = alnum(rnd, rnd.randint(12, 13))
            if sn not in serials:
                serials.append(sn)
        codes = []
        for sn in serials:
            base = {"17": exp, "10": lot_no}
            codes.append([("01", gtin)] + [(k, base[k]) for k in order] + [("21", sn)])

        px_s = px * S
        # Pack pitch from the symbol size: code + text side by side, room around.
        m0 = bwip.matrix(bcid="gs1datamatrix", text=hri(codes[0]))
        n = m0.shape[1]
        pw = int((n + 4) * px_s * 1.75)
        ph = int((n + 4) * px_s * 1.7)
        gap = px_s * 2
        wall = px_s * 5
        case_w = 6 * pw + 7 * gap + 2 * wall
        case_h = 4 * ph + 5 * gap + 2 * wall
        # The case: brown board walls (seen as grey), dark floor between packs.
        case = cardboard(nrng, case_h, case_w, float(nrng.uniform(150, 175)))
        inner = (slice(wall, case_h - wall), slice(wall, case_w - wall))
        case[inner] = 55.0 + smooth_noise(nrng, case_h - 2 * wall, case_w - 2 * wall, 30, 6.0)
        sizes = set()
        turns_on = fx.get("turns") == "yes"
        for k, els in enumerate(codes):
            r, c = divmod(k, 6)
            m = bwip.matrix(bcid="gs1datamatrix", text=hri(els))
            sizes.add(f"{m.shape[0]}x{m.shape[1]}")
            turn = rnd.choice([0, 0, 90, 180, 180, 270]) if turns_on else 0
            top = pack_top(m, px_s, pw, ph, nrng, els, turn)
            cx = wall + gap + c * (pw + gap) + pw / 2 + float(nrng.uniform(-1, 1)) * px_s
            cy = wall + gap + r * (ph + gap) + ph / 2 + float(nrng.uniform(-1, 1)) * px_s
            tilt = float(nrng.uniform(-fx["tilt"], fx["tilt"])) if "tilt" in fx else 0.0
            quad = rotated_quad(cx, cy, pw, ph, tilt, 0, nrng)
            warp_onto(case, np.zeros_like(top), [(x + px_s, y + px_s) for x, y in quad],
                      alpha=np.full_like(top, 0.35))
            warp_onto(case, top, quad)

        # Into the frame: fit with a margin, optional turn and perspective.
        cw, ch = W * S, H * S
        fit = min(cw * 0.97 / case_w, ch * 0.97 / case_h, 1.0)
        angle = fx.get("rot", 0) * rnd.choice([-1, 1])
        if angle:
            a = math.radians(abs(angle))
            bw = case_w * math.cos(a) + case_h * math.sin(a)
            bh = case_w * math.sin(a) + case_h * math.cos(a)
            fit = min(fit, cw * 0.97 / bw, ch * 0.97 / bh)
        if "persp" in fx:
            fit *= 1 - 2 * fx["persp"]
        quad = rotated_quad(cw / 2, ch / 2, case_w * fit, case_h * fit, angle,
                            fx.get("persp", 0), nrng)
        canvas = cardboard(nrng, ch, cw, float(nrng.uniform(90, 120)))
        warp_onto(canvas, case, quad)
        img = downsample(canvas, S)
        img = camera_effects(img, fx, nrng)
        save_png(img, os.path.join(out, name))

        desc = {"canvas": f"{W}x{H}", "px": px}
        desc.update({k: fx[k] for k in MULTI_KEYS if k in fx})
        if angle:
            desc["rot"] = abs(angle)
        if abs(fit - 1.0) > 1e-3:
            desc["layer_scale"] = round(fit, 2)
        keys = ["canvas", "px"] + MULTI_KEYS + ["layer_scale"]
        rows.append(row(name, "gs1-datamatrix", "]d2", codes, px, ",".join(sorted(sizes)),
                        describe(desc, keys)))
    return rows


# --------------------------------------------------------------------------------------------
# Manifest and peer


COLUMNS = ["file", "symbology", "symbology_id", "n_codes", "expected_hri", "expected_raw",
           "module_px", "symbol_size", "distortion", "zxingcpp_ok", "zxingcpp_found"]


def write_manifest(rows, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def run_peer(out):
    """Fill zxingcpp_ok / zxingcpp_found with zxing-cpp's default read of each whole image."""
    import zxingcpp

    path = os.path.join(out, "manifest.tsv")
    rows = read_manifest(path)
    for r in rows:
        expected = {t.replace("\\x1d", GS) for t in r["expected_raw"].split(" | ")}
        results = zxingcpp.read_barcodes(Image.open(os.path.join(out, r["file"])).convert("L"))
        found = {res.bytes.decode("latin-1") for res in results}
        hits = len(expected & found)
        extra = found - expected
        r["zxingcpp_found"] = f"{hits}/{len(expected)}"
        if hits == len(expected) and not extra:
            r["zxingcpp_ok"] = "yes"
        elif hits == 0 and not extra:
            r["zxingcpp_ok"] = "no"
        else:
            r["zxingcpp_ok"] = "partial"
        note = f" unexpected {sorted(extra)!r}" if extra else ""
        print(f"{r['file']}\t{r['zxingcpp_ok']}\t{r['zxingcpp_found']}{note}")
    write_manifest(rows, path)
    full = sum(r["zxingcpp_ok"] == "yes" for r in rows)
    from importlib.metadata import version

    print(f"zxing-cpp {version('zxing-cpp')}: {full}/{len(rows)} files read completely")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder for the PNGs and manifest.tsv")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--npm", default=os.environ.get("PB_NPM", "/tmp/pb-npm"),
                   help="folder whose node_modules holds bwip-js (default $PB_NPM or /tmp/pb-npm)")
    p.add_argument("--peer", action="store_true",
                   help="do not draw; run zxing-cpp over the manifest's files and fill its last two columns")
    args = p.parse_args()
    if args.peer:
        run_peer(args.out)
        return
    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):
        if f.endswith(".png") and f.split("_")[0] in ("dm", "gs1128", "gs1qr", "qr", "cam", "multi"):
            os.remove(os.path.join(args.out, f))
    bwip = Bwip(args.npm)
    try:
        rows = make_plain(bwip, args.seed, args.out)
        rows += make_camera(bwip, args.seed, args.out)
        rows += make_multi(bwip, args.seed, args.out)
    finally:
        bwip.close()
    write_manifest(rows, os.path.join(args.out, "manifest.tsv"))
    print(f"{len(rows)} images written to {args.out} (seed {args.seed})")


if __name__ == "__main__":
    main()
