#!/usr/bin/env python3
"""Reads packbench's logistic labels with zxing-cpp, side by side with packbench's own checks
(issue 14, labels that tell the truth).

For every seed, a label's data is drawn (SSCC, content GTIN, count 1..9999, a batch of the
seed's length with CSET 82 characters, an expiry or none; two seeds without content). Each is
rendered by the packbench command line (`packbench label ... --format png`) on every template at
every resolution, and the PNG is decoded by zxing-cpp. A case passes when zxing-cpp reads
exactly the GS1-128 symbols packbench says it printed, each as a GS1 symbol (`]C1`), and
nothing else. The verdict is written as JSON; the Rust test `tests/it/labels_zxing.rs` checks
it against today's layout, so it cannot go stale silently.

zxing-cpp lives in a Python venv outside the repository:

    python3 -m venv /tmp/pb-zxing && /tmp/pb-zxing/bin/pip install zxing-cpp pillow
    cargo build
    /tmp/pb-zxing/bin/python tools/label_zxing_check.py \\
        --packbench target/debug/packbench --out tests/data/labels/zxing_verdict.json

Exit status 0 when every case passed, 1 otherwise (the verdict is written either way).
"""
import argparse
import importlib.metadata
import json
import os
import random
import subprocess
import sys
import tempfile

import zxingcpp
from PIL import Image

TEMPLATES = ["4x6", "a6", "100x150"]
DPIS = [203, 300, 600]
SEEDS = range(1, 25)
DATE = "2026-12-03"
CSET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def check_digit(body):
    """GS1 mod-10 check digit of the digits in `body`."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def label_data(seed):
    """The label of a seed: seeds 1..20 carry a batch of that many characters, 21 none,
    22 and 23 no content at all, 24 a count of 9999."""
    rng = random.Random(seed)
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
    sscc_body = str(rng.randint(0, 9)) + str(rng.randint(1, 9)) + digits(15)
    data = {"sscc": sscc_body + check_digit(sscc_body)}
    if seed in (22, 23):
        return data
    gtin_body = digits(13)
    data["gtin"] = gtin_body + check_digit(gtin_body)
    width = rng.randint(1, 4)
    data["count"] = 9999 if seed == 24 else rng.randint(10 ** (width - 1), 10 ** width - 1)
    if seed <= 20:
        data["lot"] = "".join(rng.choice(CSET82) for _ in range(seed))
    if rng.random() < 0.5:
        data["expiry"] = "%02d%02d%02d" % (rng.randint(0, 99), rng.randint(1, 12), rng.randint(0, 28))
    return data


def render(packbench, data, template, dpi, png):
    """Runs `packbench label`; returns its JSON summary."""
    args = [packbench, "label", "--sscc", data["sscc"], "--template", template,
            "--dpi", str(dpi), "--format", "png", "--out", png, "--date", DATE]
    for key in ("gtin", "count", "lot", "expiry"):
        if key in data:
            # --key=value: a batch may begin with '-'.
            args.append(f"--{key}={data[key]}")
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"packbench label failed for {data} {template} {dpi}: {out.stderr}")
    return json.loads(out.stdout)


def decode(png):
    """Every barcode zxing-cpp reads: (symbology identifier, raw message with GS)."""
    image = Image.open(png).convert("L")
    return [(r.symbology_identifier, r.bytes.decode("latin-1"), str(r.format))
            for r in zxingcpp.read_barcodes(image)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packbench", default="target/debug/packbench")
    parser.add_argument("--out", default="tests/data/labels/zxing_verdict.json")
    args = parser.parse_args()
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            data = label_data(seed)
            for template in TEMPLATES:
                for dpi in DPIS:
                    png = os.path.join(tmp, f"{seed}-{template}-{dpi}.png")
                    summary = render(args.packbench, data, template, dpi, png)
                    read = decode(png)
                    symbols = summary["symbols"]
                    zxing = sorted(text for _, text, _ in read)
                    passed = (zxing == sorted(symbols)
                              and all(aim == "]C1" for aim, _, _ in read))
                    cases.append({
                        "seed": seed,
                        "template": template,
                        "dpi": dpi,
                        "data": data,
                        "symbols": symbols,
                        "text_only": [t["field"] for t in summary["text_only"]],
                        "zxing": zxing,
                        "zxing_symbologies": sorted({f"{fmt} {aim}" for aim, _, fmt in read}),
                        "pass": passed,
                    })
                    if not passed:
                        print(f"FAIL seed {seed} {template} {dpi}: expected {symbols}, "
                              f"zxing-cpp read {read}", file=sys.stderr)
    verdict = {
        "tool": "tools/label_zxing_check.py",
        "zxing_cpp": importlib.metadata.version("zxing-cpp"),
        "templates": TEMPLATES,
        "dpis": DPIS,
        "seeds": list(SEEDS),
        "passed": sum(c["pass"] for c in cases),
        "failed": sum(not c["pass"] for c in cases),
        "cases": cases,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(verdict, f, indent=1, ensure_ascii=True, sort_keys=True)
        f.write("\n")
    print(f"{verdict['passed']} passed, {verdict['failed']} failed -> {args.out}")
    return 0 if verdict["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
