#!/usr/bin/env python3
"""Draws the packbench icon (a shipping case whose label is a DataMatrix-style code) as SVG and
renders the PNG sizes the installers use. Run from the repository root:

    python3 tools/make_icons.py

Needs rsvg-convert (Debian: librsvg2-bin) or ImageMagick's convert for the PNGs; the results
are committed under assets/icons/, so builds never need either tool.
"""
import random
import shutil
import subprocess
import sys
from pathlib import Path

OUT = Path("assets/icons")
SIZES = (16, 32, 48, 64, 128, 256)


def datamatrix_modules(n=12, seed=8):
    """A 12x12 module pattern with the DataMatrix finder (solid left/bottom edges) and clock
    track (alternating top/right edges); the inside is a fixed pseudo-random fill."""
    rng = random.Random(seed)
    cells = set()
    for i in range(n):
        cells.add((0, i))          # left edge, solid
        cells.add((i, n - 1))      # bottom edge, solid
        if i % 2 == 0:
            cells.add((i, 0))      # top edge, alternating
        if i % 2 == 1:
            cells.add((n - 1, i))  # right edge, alternating
    for x in range(1, n - 1):
        for y in range(1, n - 1):
            if rng.random() < 0.5:
                cells.add((x, y))
    return n, sorted(cells)


def svg():
    n, cells = datamatrix_modules()
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        '<title>packbench</title>',
        # Rounded background tile.
        '<rect x="8" y="8" width="240" height="240" rx="40" fill="#1f4e79"/>',
        # The case: front face, top flap, side, in cardboard tones.
        '<polygon points="40,92 164,92 164,216 40,216" fill="#d9a45b"/>',
        '<polygon points="40,92 84,52 208,52 164,92" fill="#ecc184"/>',
        '<polygon points="164,92 208,52 208,176 164,216" fill="#b9823c"/>',
        # Tape over the top flap.
        '<polygon points="96,92 140,52 156,52 112,92" fill="#f5deb3" opacity="0.9"/>',
        # White label on the front face.
        '<rect x="56" y="108" width="92" height="92" rx="4" fill="#ffffff"/>',
    ]
    size = 76.0
    module = size / n
    ox, oy = 64.0, 116.0
    path = []
    for x, y in cells:
        path.append(f"M{ox + x * module:.2f} {oy + y * module:.2f}h{module:.2f}v{module:.2f}h-{module:.2f}z")
    parts.append(f'<path fill="#111111" d="{"".join(path)}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    src = OUT / "packbench.svg"
    src.write_text(svg())
    rsvg = shutil.which("rsvg-convert")
    convert = shutil.which("convert")
    if not rsvg and not convert:
        sys.exit("make_icons: need rsvg-convert (librsvg2-bin) or ImageMagick convert")
    for s in SIZES:
        dst = OUT / f"packbench-{s}.png"
        if rsvg:
            subprocess.run([rsvg, "-w", str(s), "-h", str(s), "-o", str(dst), str(src)], check=True)
        else:
            subprocess.run([convert, "-background", "none", "-density", "384", str(src),
                            "-resize", f"{s}x{s}", str(dst)], check=True)
    # Windows icon (Start menu shortcut, Add/Remove Programs) from the PNGs.
    if convert:
        pngs = [str(OUT / f"packbench-{s}.png") for s in SIZES]
        subprocess.run([convert, *pngs, str(OUT / "packbench.ico")], check=True)
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
