#!/usr/bin/env bash
# Makes the README's screenshots from a real window under Xvfb at 1366×768:
#   docs/screenshot.png            station screen, half-built pallet (a case filling on it)
#   docs/screenshot-vi.png         the same in Vietnamese
#   docs/screenshot-signature.png  a short close asking for the supervisor's signature
#   docs/screenshot-supervisor.png the supervisor's shift view
# Needs: xvfb imagemagick xdotool (apt-get install xvfb imagemagick xdotool).
# The demo state is preloaded with PACKBENCH_DEMO=half-pallet on a fresh temp data dir; scans
# are typed into the window as a keyboard-wedge scanner would (5 ms a character).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build
BIN="${CARGO_TARGET_DIR:-target}/debug/packbench"

# shot LANG OUT [STEP...]: STEP is `scan:TEXT` (typed, then Enter), `screen:NAME` (the
# PACKBENCH_SCREEN the window opens on) or `wait:SECONDS`.
shot() {
  local lang="$1" out="$2" dir display=":$((90 + RANDOM % 9))" screen=""
  shift 2
  for step in "$@"; do
    case "$step" in screen:*) screen="${step#screen:}" ;; esac
  done
  dir="$(mktemp -d)"
  Xvfb "$display" -screen 0 1366x768x24 >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1 PACKBENCH_DEMO=half-pallet PACKBENCH_LANG="$lang" \
    PACKBENCH_SCREEN="$screen" PACKBENCH_CONFIG_DIR="$dir/config" \
    "$BIN" --data-dir "$dir" >/dev/null 2>&1 &
  local app=$!
  sleep 8
  local win
  win="$(DISPLAY="$display" xdotool search --name packbench | head -n 1 || true)"
  if [ -n "$win" ]; then
    DISPLAY="$display" xdotool windowmove "$win" 0 0 windowsize "$win" 1366 768 windowfocus "$win" || true
  fi
  sleep 2
  for step in "$@"; do
    case "$step" in
      scan:*)
        DISPLAY="$display" xdotool type --delay 5 "${step#scan:}"
        DISPLAY="$display" xdotool key Return
        sleep 2
        ;;
      wait:*) sleep "${step#wait:}" ;;
    esac
  done
  DISPLAY="$display" import -window root "$out"
  kill "$app" "$xvfb" 2>/dev/null || true
  rm -rf "$dir"
}
shot en-US docs/screenshot.png
shot vi docs/screenshot-vi.png
shot en-US docs/screenshot-signature.png scan:PBCMD:CLOSE
shot en-US docs/screenshot-supervisor.png screen:supervisor wait:3
echo "wrote docs/screenshot.png docs/screenshot-vi.png docs/screenshot-signature.png docs/screenshot-supervisor.png"
