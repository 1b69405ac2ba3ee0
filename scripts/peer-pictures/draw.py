# A second picture generator, independent of packbench's own (src/devices/synth): symbols drawn
# by bwip-js (render.js), scenes composed here with PIL and numpy (cases of 12-30 packs or single
# labels, 640x480 to 2592x1944, grey ink on grey board down to 12 % contrast, light gradients,
# vignetting, glare, blur, sensor grain of 1-8 grey levels, JPEG 35-95, print around the codes).
# It cross-checks the decoder on pictures its generator never drew (see README.md).
# Usage: draw.py OUTDIR SEED COUNT   (writes OUTDIR/*.png|jpg and OUTDIR/truth.tsv)
import sys, random, string, os
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

RENDER = os.environ.get("PEER_RENDER", os.path.join(os.path.dirname(os.path.abspath(__file__)), "render.js"))

out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)

def serial():
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(8, 14)))

def gtin():
    body = "0" + "".join(rng.choice(string.digits) for _ in range(12))
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - s % 10) % 10)

def content_of(kind, ser):
    g = gtin()
    if kind == "dm":
        return "gs1datamatrix", f"(01){g}(17)2{rng.randint(6,9)}{rng.randint(1,12):02d}{rng.choice(['00','15','28'])}(10)L{rng.randint(100,999)}(21){ser}"
    if kind == "qr":
        return "qrcode", f"https://id.example.com/01/{g}/21/{ser}"
    return "gs1-128", f"(01){g}(21){ser}"

def render(jobs):
    import json, subprocess, tempfile
    tmp = tempfile.mkdtemp()
    spec = [dict(bcid=b, text=t, out=f"{tmp}/{i}.png") for i, (b, t) in enumerate(jobs)]
    subprocess.run(["node", RENDER], input=json.dumps(spec).encode(), check=True,
                   env=dict(os.environ, NODE_PATH=os.environ.get("NODE_PATH", "")))
    images = []
    for (b, _), job in zip(jobs, spec):
        im = Image.open(job["out"]).convert("L")
        if b != "gs1-128":
            im = im.resize((im.width // 2, im.height // 2), Image.NEAREST)
        images.append(im)
    return images

def low_freq(w, h, amp):
    small = Image.fromarray((np.array([[rng.random() for _ in range(8)] for _ in range(6)]) * 255).astype(np.uint8))
    big = np.array(small.resize((w, h), Image.BICUBIC), dtype=np.float32) / 255.0 - 0.5
    return big * amp

words = ["Tablets", "mg", "Rx only", "Store below 25C", "LOT", "EXP", "film-coated", "oral use",
         "Keep out of reach", "PZN", "NDC", "batch", "capsules", "500", "30 x", "Ph.Eur."]

def print_words(draw, x0, y0, x1, y1, ink, n):
    for _ in range(n):
        x = rng.randint(x0, max(x0, x1 - 40)); y = rng.randint(y0, max(y0, y1 - 12))
        draw.text((x, y), " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))), fill=ink)

def scene(index):
    layer = rng.random() < 0.6
    size = rng.choice([(640, 480), (1280, 960), (1920, 1080), (2592, 1944)] if layer else [(640, 480), (800, 600), (1280, 960)])
    w, h = size
    bg = rng.uniform(110, 215)
    base = np.full((h, w), bg, np.float32) + low_freq(w, h, rng.uniform(0, 50))
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    truths = []
    contrast = rng.choice([rng.uniform(0.12, 0.35), rng.uniform(0.35, 1.0)])
    on_label = rng.random() < 0.5
    kinds = ["dm"] if layer else [rng.choice(["dm", "dm", "qr", "128"])]
    if layer:
        rows, cols = rng.choice([(3, 4), (4, 4), (4, 5), (4, 6), (5, 6), (3, 5)])
        cell_w, cell_h = w / (cols + 0.4), h / (rows + 0.4)
        module = min(cell_w, cell_h) * rng.uniform(0.35, 0.6) / 20.0
        module = max(module, 2.2)
        slots = [(0.2 * cell_w + c * cell_w, 0.2 * cell_h + r * cell_h) for r in range(rows) for c in range(cols)]
    else:
        module = rng.uniform(2.2, 9)
        cell_w, cell_h = w * 0.6, h * 0.6
        slots = [(w * 0.2, h * 0.2)]
    kind = kinds[0]
    sers = [serial() for _ in slots]
    codes = render([content_of(kind, ser) for ser in sers])
    for (sx, sy), ser, code in zip(slots, sers, codes):
        if kind == "128":
            scale = max(module / 3.0, 1.0)
            code = code.resize((int(code.width * scale), int(max(40, module * 12))), Image.NEAREST)
        else:
            code = code.resize((int(code.width * module), int(code.height * module)), Image.NEAREST)
        pad = int(max(module * 3, 6))
        label_tone = 235 if on_label else bg
        tile = Image.new("L", (code.width + 2 * pad, code.height + 2 * pad), int(label_tone))
        ink = label_tone - contrast * (label_tone - 20)
        arr = np.array(code, np.float32) / 255.0
        tile_arr = np.array(tile, np.float32)
        tile_arr[pad:pad + code.height, pad:pad + code.width] = arr * label_tone + (1 - arr) * ink
        tile = Image.fromarray(tile_arr.clip(0, 255).astype(np.uint8))
        angle = rng.choice([0, 90, 180, 270]) + rng.uniform(-10, 10)
        mask = Image.new("L", tile.size, 255).rotate(angle, Image.BICUBIC, expand=True)
        tile = tile.rotate(angle, Image.BICUBIC, expand=True, fillcolor=int(label_tone))
        if tile.width > cell_w * 1.05 or tile.height > cell_h * 1.05:
            continue
        px = int(sx + rng.uniform(0, max(0, cell_w - tile.width)))
        py = int(sy + rng.uniform(0, max(0, cell_h - tile.height)))
        # print around the code (dense on some pictures)
        if rng.random() < 0.7:
            print_words(draw, int(sx), int(sy), int(sx + cell_w), int(sy + cell_h), int(ink), rng.randint(2, 10))
        img.paste(tile, (px, py), mask)
        truths.append(ser)
    arr = np.array(img, np.float32)
    # light: gradient and vignette
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    g = 1.0 - rng.uniform(0, 0.45) * (xx / w if rng.random() < 0.5 else yy / h)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    g *= 1.0 - rng.uniform(0, 0.35) * r2 / 2
    arr *= g
    # glare spot
    if rng.random() < 0.25:
        cx, cy, rad = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.05, 0.2) * w
        arr += 120 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * rad * rad))
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    sigma = rng.choice([0, 0, rng.uniform(0.3, 1.6)])
    if sigma > 0:
        img = img.filter(ImageFilter.GaussianBlur(sigma))
    arr = np.array(img, np.float32)
    noise = rng.uniform(1, 8)
    nrng = np.random.default_rng(seed * 1000 + index)
    arr += nrng.normal(0, noise, arr.shape)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    name = f"g{seed}_{index:03d}"
    q = rng.choice([None, rng.randint(35, 95)])
    if q:
        path = os.path.join(out, name + ".jpg"); img.save(path, quality=q)
    else:
        path = os.path.join(out, name + ".png"); img.save(path)
    return os.path.basename(path), truths, dict(size=size, layer=layer, contrast=round(contrast, 2), module=round(module, 1), label=on_label, blur=round(sigma, 2), jpeg=q)

with open(os.path.join(out, "truth.tsv"), "w") as f:
    for i in range(count):
        name, truths, info = scene(i)
        f.write(f"{name}\t{'|'.join(truths)}\t{info}\n")
