#!/usr/bin/env bash
# Makes docs/screenshot.png (station screen, half-built pallet) and docs/screenshot-vi.png
# (the same in Vietnamese) from a real window under Xvfb.
# Needs: xvfb imagemagick xdotool (apt-get install xvfb imagemagick xdotool).
# The demo state is preloaded with PACKBENCH_DEMO=half-pallet on a fresh temp data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build
BIN="${CARGO_TARGET_DIR:-target}/debug/packbench"
shot() {
  local lang="$1" out="$2" dir display=":$((90 + RANDOM % 9))"
  dir="$(mktemp -d)"
  Xvfb "$display" -screen 0 1366x768x24 >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 PACKBENCH_DEMO=half-pallet PACKBENCH_LANG="$lang" \
    PACKBENCH_CONFIG_DIR="$dir/config" \
    "$BIN" --data-dir "$dir" >/dev/null 2>&1 &
  local app=$!
  sleep 8
  DISPLAY="$display" xdotool search --name packbench windowmove 0 0 windowsize 1366 768 || true
  sleep 2
  DISPLAY="$display" import -window root "$out"
  kill "$app" "$xvfb" 2>/dev/null || true
  rm -rf "$dir"
}
shot en-US docs/screenshot.png
shot vi docs/screenshot-vi.png
echo "wrote docs/screenshot.png docs/screenshot-vi.png"
