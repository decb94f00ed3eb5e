#!/usr/bin/env bash
# Quick start, part two: install what is missing and run every check and test:
# formatting, lints, front-end checks and component tests, Rust unit and integration tests,
# keychain tests against a real Secret Service, end-to-end tests of the real app, and the .deb
# installed, used and removed again.
#
# Nothing is compiled twice: one feature set for clippy and the tests; `cargo test` also builds
# the app binary (src-tauri has an integration test), which the end-to-end suite and the .deb
# then use as it is; the keychain tests run from the same test binaries. The Tauri CLI comes
# prebuilt from npm (ui/package.json), and so does tauri-driver (tests/e2e/run.sh installs it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_deps
ensure_test_deps
cd "$ROOT"
step_started=$(date +%s)
timing() {
  local now; now=$(date +%s)
  printf '    (%s s)\n' "$((now - step_started))" >&2
  step_started=$now
}

build_ui
timing
say "front end: svelte-check and component tests"
(cd ui && npm run --silent check && npm test --silent)
timing

say "formatting (cargo fmt --check)"
cargo fmt --all -- --check

say "lints (cargo clippy -D warnings)"
cargo clippy --locked --workspace --all-targets "${APP_FEATURES[@]}" -- -D warnings
timing

say "tests (cargo test), building the app binary the end-to-end tests use"
cargo test --locked --workspace "${APP_FEATURES[@]}"
timing

say "bindings, recorded answers and the capability are committed and current"
git diff --exit-code -- ui/src/lib/bindings.ts ui/src/fixtures src-tauri/capabilities

say "keychain: a real Secret Service (gnome-keyring), then none at all (the same test binary)"
keyring_home=$(mktemp -d)
# A throwaway HOME keeps the test keyring apart; rustup must still find the toolchain.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
keychain_tests=(cargo test --locked --workspace "${APP_FEATURES[@]}" --test keychain --test ipc -- --ignored)
HOME="$keyring_home" dbus-run-session -- bash -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    JC_KEYCHAIN=present "$@" with_a_secret_service::' keychain "${keychain_tests[@]}"
env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY JC_KEYCHAIN=absent "${keychain_tests[@]}" without_a_secret_service::
rm -rf "$keyring_home"
timing

say "end-to-end: the app cargo test built, in WebKitGTK under Xvfb, driven by tauri-driver"
bash tests/e2e/run.sh "$ROOT/target/debug/jc-onboard-app"
timing

say "the .deb of the same binary: installed with apt, checked, used, removed"
bash scripts/package.sh --reuse-debug --bundles deb
bash scripts/check-package.sh
timing
