#!/usr/bin/env bash
# End-to-end tests of the desktop wizard, driven over WebDriver (tauri-driver + WebKitWebDriver)
# in a headless X server, with a private D-Bus session and an unlocked gnome-keyring, in a
# throw-away HOME so nothing touches the real user's keychain, store or caches.
#
#   tests/e2e/run.sh path/to/jc-onboard-app        # e.g. target/debug/jc-onboard-app
#
# The binary must serve the built UI itself (after building ui/dist). The test run builds it:
#   cargo test --workspace --features jc-onboard-app/custom-protocol   (target/debug/jc-onboard-app)
# and so does cargo build --features jc-onboard-app/custom-protocol. An installed one works too
# (/usr/bin/jc-onboard-app from the .deb).
#
# Needs (Debian/Ubuntu, --no-install-recommends):
#   xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools python3 python3-venv
#   (do NOT install dbus-x11: it autolaunches stray session buses)
# and a tauri-driver 2: on PATH, in .ci/.tools/bin (cargo install tauri-driver --version '^2'
# --locked --root .ci/.tools), or else the prebuilt one from npm (@crabnebula/tauri-driver,
# which drives WebKitWebDriver the same way on Linux), installed on first use into
# tests/e2e/.driver (needs the npm registry once).
# Python: selenium and python-xlib are installed on first use into tests/e2e/.venv (needs network once).
#
# Environment knobs:
#   E2E_KEEP_HOME=1        keep the throw-away HOME (its path is printed) for inspection
#   E2E_TESTS="a b"        run only these unittest names (e.g. WizardTests.test_3_eu_region)
#   JC_ONBOARD_LOG=debug   the app's log level (default here: debug, so the logs the canary test
#                          scans are as chatty as support would ever make them)
#   E2E_PORT=4444          tauri-driver's port (WebKitWebDriver gets the next one); by default the
#                          first free pair from 4444 up
#
# Output: the unittest report, ending with "N passed, M failed"; screenshots in
# tests/e2e/screenshots/<test>.png; the app's log per test in tests/e2e/logs/<test>.log.
# Exit status: 0 when every test passed, 1 when a test failed, 2 when the setup is missing.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'e2e: %s\n' "$*" >&2; exit 2; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Inner part: runs inside dbus-run-session + xvfb-run (see the bottom of this file).
# ---------------------------------------------------------------------------------------------
if [ "${1:-}" = "--inner" ]; then
  # The session bus is ours alone; the keyring daemon is activated on it and unlocked with an
  # empty-login password, so the app's Secret Service calls succeed without a prompt.
  echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # fds 3 and 4 are the caller's stderr and stdout: the outer part sends this session's own
  # stdout and stderr (bus daemon, X server, at-spi chatter) to logs/session.log.
  { true >&3; } 2>/dev/null || exec 3>&2
  { true >&4; } 2>/dev/null || exec 4>&1

  DRIVER_LOG="$E2E_LOGS/tauri-driver.log"
  native=()
  if wkd="$(command -v WebKitWebDriver)"; then native=(--native-driver "$wkd"); fi
  tauri-driver --port "$PORT" --native-port "$NATIVE_PORT" "${native[@]}" >"$DRIVER_LOG" 2>&1 &
  driver_pid=$!
  stop_driver() {
    if kill -0 "$driver_pid" 2>/dev/null; then
      kill "$driver_pid" 2>/dev/null || true
      wait "$driver_pid" 2>/dev/null || true
    fi
  }
  trap stop_driver EXIT

  # Wait for the port (at most 20 s), failing early if our driver died (e.g. the port was taken).
  for _ in $(seq 1 200); do
    kill -0 "$driver_pid" 2>/dev/null || { cat "$DRIVER_LOG" >&3; echo "e2e: tauri-driver exited" >&3; exit 2; }
    if port_busy "$PORT"; then break; fi
    sleep 0.1
  done
  port_busy "$PORT" && kill -0 "$driver_pid" 2>/dev/null \
    || { cat "$DRIVER_LOG" >&3; echo "e2e: tauri-driver is not listening on :$PORT" >&3; exit 2; }

  export E2E_DRIVER_LOG="$DRIVER_LOG" E2E_WEBDRIVER_URL="http://127.0.0.1:$PORT"
  set +e
  # shellcheck disable=SC2086
  "$E2E_PYTHON" "$E2E_DIR/test_wizard.py" ${E2E_TESTS:-} >&4 2>&3
  rc=$?
  set -e
  stop_driver
  exit "$rc"
fi

# ---------------------------------------------------------------------------------------------
# Outer part: checks, Python environment, isolated HOME, then the inner part under
# dbus-run-session and xvfb-run.
# ---------------------------------------------------------------------------------------------
[ $# -ge 1 ] || die "usage: $0 path/to/jc-onboard-app"
[ -f "$1" ] || die "no such binary: $1 (build it first, see the top of this file)"
APP="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[ -x "$APP" ] || die "not an executable file: $APP"

for tool in dbus-run-session xvfb-run xauth gnome-keyring-daemon WebKitWebDriver python3; do
  command -v "$tool" >/dev/null || die "missing $tool (apt: xvfb xauth webkit2gtk-driver dbus gnome-keyring python3)"
done
# tauri-driver: on PATH, a cargo-installed one in .ci/.tools, else the prebuilt one from npm,
# installed once into tests/e2e/.driver. Not in ui/package.json: its package lists macOS and
# Windows builds the registry does not have, which `npm ci` refuses as a lock file out of step.
TAURI_DRIVER_NPM="@crabnebula/tauri-driver@2.0.9"
if ! command -v tauri-driver >/dev/null; then
  if [ -x "$ROOT/.ci/.tools/bin/tauri-driver" ]; then
    export PATH="$ROOT/.ci/.tools/bin:$PATH"
  else
    if [ ! -x "$E2E_DIR/.driver/node_modules/.bin/tauri-driver" ]; then
      command -v npm >/dev/null || die "missing tauri-driver and npm to install it ($TAURI_DRIVER_NPM)"
      say "installing $TAURI_DRIVER_NPM into tests/e2e/.driver"
      npm install --prefix "$E2E_DIR/.driver" --no-save --no-package-lock --no-audit --no-fund \
        --loglevel=error "$TAURI_DRIVER_NPM" || die "npm could not install $TAURI_DRIVER_NPM"
    fi
    export PATH="$E2E_DIR/.driver/node_modules/.bin:$PATH"
  fi
fi

# Selenium (WebDriver) and python-xlib (a window manager's close, counting windows), installed
# once, before HOME changes, so pip's cache and config are the usual ones.
PY_DEPS="selenium>=4.20,<5 python-xlib>=0.33,<1"
E2E_PYTHON="$E2E_DIR/.venv/bin/python"
if ! { [ -x "$E2E_PYTHON" ] && "$E2E_PYTHON" -c 'import selenium, Xlib' 2>/dev/null; }; then
  if python3 -m venv "$E2E_DIR/.venv" >/dev/null 2>&1; then
    say "installing selenium and python-xlib into tests/e2e/.venv"
    "$E2E_PYTHON" -m pip install -q --disable-pip-version-check $PY_DEPS || die "pip could not install $PY_DEPS"
  else
    # No python3-venv: a private target directory (not --user, whose path depends on HOME).
    say "python3 -m venv is unavailable; installing selenium and python-xlib into tests/e2e/.pylib"
    rm -rf "$E2E_DIR/.venv"
    python3 -m pip install -q --disable-pip-version-check --target "$E2E_DIR/.pylib" $PY_DEPS \
      || die "pip could not install $PY_DEPS"
    E2E_PYTHON="$(command -v python3)"
    export PYTHONPATH="$E2E_DIR/.pylib${PYTHONPATH:+:$PYTHONPATH}"
  fi
fi

# tauri-driver's port and WebKitWebDriver's (the next one). Another run on this machine may hold
# 4444/4445: without E2E_PORT, take the next free pair.
if [ -n "${E2E_PORT:-}" ]; then
  PORT="$E2E_PORT"
  port_busy "$PORT" && die "port $PORT is in use (another tauri-driver?); choose another E2E_PORT"
else
  PORT=4444
  while port_busy "$PORT" || port_busy $((PORT + 1)); do PORT=$((PORT + 2)); done
fi
NATIVE_PORT=$((PORT + 1))

# Toolchains keep working after HOME moves (rustup finds its files through RUSTUP_HOME).
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"

WORK="$(mktemp -d -t jc-e2e.XXXXXX)"
# Temporary files too, so the canary scan covers whatever the app or WebKit puts there.
export HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/run" TMPDIR="$WORK/tmp"
mkdir -p "$HOME" "$TMPDIR" && mkdir -m 700 "$XDG_RUNTIME_DIR"
# Everything the app writes goes under the new HOME: no stale XDG paths from the caller.
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME
# A DISPLAY without a bus makes libdbus autolaunch a bus (and a keyring) that outlive the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

export E2E_APP="$APP" E2E_HOME="$HOME" E2E_WORK="$WORK" E2E_DIR E2E_PYTHON PORT NATIVE_PORT
export E2E_LOGS="${E2E_LOGS:-$E2E_DIR/logs}" E2E_SHOTS="${E2E_SHOTS:-$E2E_DIR/screenshots}"
export JC_ONBOARD_LOG="${JC_ONBOARD_LOG:-debug}" NO_COLOR=1
mkdir -p "$E2E_LOGS" "$E2E_SHOTS"
rm -f "$E2E_LOGS"/*.log "$E2E_LOGS"/*.txt "$E2E_SHOTS"/*.png

cleanup() {
  if [ "${E2E_KEEP_HOME:-0}" = "1" ]; then say "kept the test HOME: $HOME"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say "app: $APP"
say "HOME: $HOME (throw-away)"
export E2E_START="$(date +%s)"
set +e
# The bus daemon's, X server's and at-spi's chatter goes to logs/session.log; the suite's output
# comes back to ours through fds 3 (stderr) and 4 (stdout).
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash "$E2E_DIR/run.sh" --inner \
  3>&2 4>&1 >"$E2E_LOGS/session.log" 2>&1
rc=$?
set -e
# The suite's own last line is the verdict ("N passed, M failed in S s"); add one only if it
# did not get that far.
[ "$rc" -le 1 ] || say "e2e stopped after $(( $(date +%s) - E2E_START )) s (exit $rc)"
exit "$rc"
