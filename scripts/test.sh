#!/usr/bin/env bash
# Quick start, part two: install what is missing and run every check and test:
# formatting, lints, front-end checks and component tests, Rust unit and integration tests,
# keychain tests against a real Secret Service, and end-to-end tests of the real app.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_deps
ensure_test_deps
cd "$ROOT"

build_ui
say "front end: svelte-check and component tests"
(cd ui && npm run --silent check && npm test --silent)

say "formatting (cargo fmt --check)"
cargo fmt --all -- --check

say "lints (cargo clippy -D warnings)"
cargo clippy --locked --workspace --all-targets "${APP_FEATURES[@]}" -- -D warnings

say "tests (cargo test)"
cargo test --locked --workspace "${APP_FEATURES[@]}"

say "bindings, recorded answers and the capability are committed and current"
git diff --exit-code -- ui/src/lib/bindings.ts ui/src/fixtures src-tauri/capabilities

say "keychain: a real Secret Service (gnome-keyring), then none at all"
keyring_home=$(mktemp -d)
# A throwaway HOME keeps the test keyring apart; rustup must still find the toolchain.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
HOME="$keyring_home" dbus-run-session -- bash -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    JC_KEYCHAIN=present cargo test --locked -p onboard --test keychain'
env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY JC_KEYCHAIN=absent \
  cargo test --locked -p onboard --test keychain
rm -rf "$keyring_home"

say "end-to-end: the real app in WebKitGTK under Xvfb, driven by tauri-driver"
cargo build --locked -p jc-onboard-app "${APP_FEATURES[@]}"
if ! command -v tauri-driver >/dev/null && [ ! -x "$ROOT/.ci/.tools/bin/tauri-driver" ]; then
  cargo install tauri-driver --version '^2' --locked --root "$ROOT/.ci/.tools"
fi
export PATH="$ROOT/.ci/.tools/bin:$PATH"
bash tests/e2e/run.sh "$ROOT/target/debug/jc-onboard-app"
