#!/usr/bin/env bash
# Benchmark (not a test): cold start of desktop apps under Xvfb, from exec to the first screen
# painted, median of several runs, each app in turn so machine load falls on both alike.
#
#   scripts/bench-start.sh [--runs N] BINARY [BINARY...]
#
# For the README's figures, the release app beside the floor (a minimal Tauri 2 window):
#   cargo build --release --locked -p jc-onboard-app --features jc-onboard-app/custom-protocol
#   CARGO_TARGET_DIR=target cargo build --release --manifest-path benches/minimal-window/Cargo.toml
#   scripts/bench-start.sh --runs 7 target/release/jc-onboard-app target/release/minimal-window
#
# Each run gets a fresh HOME (a first start: no store, no logs, no window state) inside one
# private D-Bus session with an unlocked gnome-keyring, as on a desktop. benches/start_probe.py
# watches Xvfb's framebuffer: "window" is the first pixel that changes, "screen" the moment the
# screen first shows what it then settles on (the app's first screen with its data, painted).
# Needs: Xvfb, dbus-run-session, gnome-keyring-daemon, python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
if [ "${1:-}" = "--runs" ]; then runs="$2"; shift 2; fi
[ $# -ge 1 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
[ "$runs" -ge 5 ] || { echo "bench-start: at least 5 runs for a median" >&2; exit 2; }

if [ "${1:-}" != "--inner" ]; then
  for bin in "$@"; do [ -x "$bin" ] || { echo "bench-start: not an executable: $bin" >&2; exit 2; }; done
  for tool in Xvfb dbus-run-session gnome-keyring-daemon python3; do
    command -v "$tool" >/dev/null || { echo "bench-start: missing $tool" >&2; exit 2; }
  done
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  WORK="$(mktemp -d -t jc-bench-start.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  export BENCH_WORK="$WORK" BENCH_RUNS="$runs"
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
  bins=()
  for bin in "$@"; do bins+=("$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"); done
  HOME="$WORK/keyring-home" dbus-run-session -- bash "$0" --inner "${bins[@]}"
  exit $?
fi
shift

# Inside the private session bus: a keyring, a virtual screen whose pixels are a file.
mkdir -p "$HOME"
echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
mkdir -p "$BENCH_WORK/fb"
Xvfb -displayfd 6 -screen 0 1280x800x24 -fbdir "$BENCH_WORK/fb" -nolisten tcp 6>"$BENCH_WORK/display" 2>/dev/null &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$BENCH_WORK/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$BENCH_WORK/display")"
fb="$BENCH_WORK/fb/Xvfb_screen0"

results="$BENCH_WORK/results.jsonl"
for run in $(seq 1 "$BENCH_RUNS"); do
  for bin in "$@"; do
    home="$BENCH_WORK/home-$run-$(basename "$bin")"
    mkdir -p "$home" && mkdir -m 700 -p "$home/run"
    line=$(HOME="$home" XDG_RUNTIME_DIR="$home/run" python3 "$ROOT/benches/start_probe.py" "$fb" -- "$bin")
    echo "{\"bin\": \"$(basename "$bin")\", \"run\": $run, \"probe\": $line}" | tee -a "$results" >&2
    sleep 1
  done
done

python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
bins = list(dict.fromkeys(r["bin"] for r in rows))
print(f"{'binary':<20} {'runs':>4} {'window (median)':>16} {'first screen (median)':>22} {'min':>6} {'max':>6}")
medians = {}
for b in bins:
    probes = [r["probe"] for r in rows if r["bin"] == b and "screen_s" in r["probe"]]
    screens = [p["screen_s"] for p in probes]
    windows = [p["window_s"] for p in probes]
    if not screens:
        print(f"{b:<20} no run drew anything")
        continue
    medians[b] = statistics.median(screens)
    print(f"{b:<20} {len(screens):>4} {statistics.median(windows):>15.3f}s {medians[b]:>21.3f}s "
          f"{min(screens):>5.2f}s {max(screens):>5.2f}s")
if len(medians) == 2:
    (a, ma), (b, mb) = medians.items()
    print(f"{a} / {b}: {ma / mb:.2f}x")
EOF
