# Shared by scripts/run.sh and scripts/test.sh: install only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# One feature set for build, clippy and test, so nothing is compiled twice.
APP_FEATURES=(--features jc-onboard-app/custom-protocol)
# The Linux package's name: Tauri's bundler derives it from productName ("JumpCloud Onboarding").
PACKAGE_NAME=jump-cloud-onboarding

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

# Debian/Ubuntu packages, installed only when absent.
ensure_apt() {
  command -v apt-get >/dev/null || { say "not Debian/Ubuntu: install these yourself: $*"; return 0; }
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A Rust toolchain with rustfmt and clippy (rustup when there is no cargo at all).
ensure_rust() {
  if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
  if ! command -v cargo >/dev/null; then
    say "installing Rust (rustup)"
    ensure_apt curl ca-certificates
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy
    . "$HOME/.cargo/env"
  fi
  if command -v rustup >/dev/null; then
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
  fi
}

ensure_node() {
  command -v npm >/dev/null || ensure_apt nodejs npm
}

# What the desktop app (Tauri 2, WebKitGTK) and the keychain (Secret Service) need to build.
ensure_build_deps() {
  ensure_apt build-essential pkg-config curl file ca-certificates libssl-dev libdbus-1-dev \
    libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libgtk-3-dev \
    libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  ensure_rust
  ensure_node
}

# What the headless tests need: a virtual display, a session bus, a keyring, a WebDriver.
# (desktop-file-utils and appstream check the installed package's desktop entry and metainfo.)
ensure_test_deps() {
  ensure_apt xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools python3-venv \
    desktop-file-utils appstream xclip
}

build_ui() {
  say "front end (npm ci, vite build)"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
}

# The version, set in one place: [workspace.package] in Cargo.toml.
workspace_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml"
}
