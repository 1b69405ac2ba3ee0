# Reads the pictures draw.py wrote with packbench (`packbench decode --json`) and with zxing-cpp,
# and prints per picture and in all the codes each found (by serial) and its time.
# Usage: compare.py PACKBENCH_BINARY DIR
import json, subprocess, sys, time

import zxingcpp
from PIL import Image

binary, folder = sys.argv[1], sys.argv[2]
rows = [line.rstrip("\n").split("\t") for line in open(f"{folder}/truth.tsv")]
paths = [f"{folder}/{row[0]}" for row in rows]
ours = json.loads(subprocess.run([binary, "decode", "--json", *paths], capture_output=True, check=False).stdout)
by_path = {entry["path"]: entry for entry in ours}
totals = {"codes": 0, "ours": 0, "zxing": 0, "ours_ms": 0.0, "zxing_ms": 0.0, "ghosts": 0}
for (name, serials, info), path in zip(rows, paths):
    serials = [serial for serial in serials.split("|") if serial]
    entry = by_path.get(path, {"codes": [], "decode_ms": 0.0})
    texts = [code["raw"] for code in entry["codes"]]
    got = sum(1 for serial in serials if any(serial in text for text in texts))
    ghosts = sum(1 for text in texts if not any(serial in text for serial in serials))
    image = Image.open(path).convert("L")
    started = time.perf_counter()
    peer = zxingcpp.read_barcodes(image)
    peer_ms = (time.perf_counter() - started) * 1000
    peer_got = sum(1 for serial in serials if any(serial in result.text for result in peer))
    print(f"{name}\t{len(serials)} codes\tpackbench {got} ({entry['decode_ms']:.0f} ms)\t"
          f"zxing-cpp {peer_got} ({peer_ms:.0f} ms)\t{info}")
    totals["codes"] += len(serials)
    totals["ours"] += got
    totals["zxing"] += peer_got
    totals["ours_ms"] += entry["decode_ms"]
    totals["zxing_ms"] += peer_ms
    totals["ghosts"] += ghosts
print(f"in all: {totals['codes']} codes; packbench {totals['ours']} ({totals['ours_ms']:.0f} ms, "
      f"{totals['ghosts']} not in the pictures), zxing-cpp {totals['zxing']} ({totals['zxing_ms']:.0f} ms)")
