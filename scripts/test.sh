#!/usr/bin/env bash
# Quick start, part two: install what is missing and run every check and test:
# formatting, lints, front-end checks and component tests, Rust unit and integration tests,
# keychain tests against a real Secret Service, end-to-end tests of the real app, and the .deb
# installed, used and removed again.
#
# Nothing is compiled twice: Clippy's lints run inside the one build of the tests (clippy-driver
# compiles the workspace's own crates), so no separate `cargo clippy` checks every dependency
# again; that build also makes the app binary (src-tauri has an integration test), which the
# end-to-end suite and the .deb then use as it is; the keychain tests run the very test binaries
# it built. The Tauri CLI comes prebuilt from npm (ui/package.json), and so does tauri-driver
# (tests/e2e/run.sh installs it).
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

say "lints and the build in one pass: clippy-driver compiles every target of the workspace; a warning fails"
# The same lints as `cargo clippy --workspace --all-targets -- -D warnings` (the workspace has no
# benches, and `cargo test` builds its examples), from the build the tests run, not a second one.
# Exported: every cargo command below must see it, or it would rebuild the workspace without it.
RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)" || { echo "test.sh: no clippy-driver (rustup component add clippy)" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER
cargo test --locked --workspace "${APP_FEATURES[@]}" --no-run --message-format=json-diagnostic-rendered-ansi |
  python3 "$ROOT/scripts/deny_warnings.py"
timing

say "tests (cargo test): the binaries just built, the app binary among them"
cargo test --locked --workspace "${APP_FEATURES[@]}"
timing

say "bindings, recorded answers and the capability are committed and current"
git diff --exit-code -- ui/src/lib/bindings.ts ui/src/fixtures src-tauri/capabilities

say "keychain: a real Secret Service (gnome-keyring), then none at all (the same test binaries)"
# The test binaries the step above built, started directly rather than through
# `cargo test --test keychain --test ipc`: that command builds fewer targets, and then a crate
# shared by build scripts and the program (strsim, via clap) is built for the build scripts
# alone, without the program's debug info, so every build-time crate above it (darling,
# serde_with, tauri-utils, the Tauri macros) and the Tauri stack compile a second time.
# Asking the same `cargo test` as above for its binaries compiles nothing.
keychain_bins=()
while IFS=$'\t' read -r dir exe; do keychain_bins+=("$dir" "$exe"); done < <(
  cargo test --locked --workspace "${APP_FEATURES[@]}" --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] in ("keychain", "ipc") \
            and "test" in m["target"]["kind"] and m.get("executable"):
        print(os.path.dirname(m["manifest_path"]), m["executable"], sep="\t")')
if [ "${#keychain_bins[@]}" -ne 4 ]; then
  echo "test.sh: expected the keychain and ipc test binaries, found: ${keychain_bins[*]}" >&2
  exit 1
fi
# FILTER DIR EXE [DIR EXE]: each binary from its package's folder (as cargo test runs it), its
# ignored tests matching FILTER.
run_keychain_tests() {
  local filter=$1; shift
  while [ $# -ge 2 ]; do (cd "$1" && "$2" --ignored "$filter") || return 1; shift 2; done
}
keyring_home=$(mktemp -d)
# A throwaway HOME keeps the test keyring apart.
HOME="$keyring_home" dbus-run-session -- bash -c "$(declare -f run_keychain_tests)"'
    echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    JC_KEYCHAIN=present run_keychain_tests with_a_secret_service:: "$@"' keychain "${keychain_bins[@]}"
env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY JC_KEYCHAIN=absent \
  bash -c "$(declare -f run_keychain_tests)"'; run_keychain_tests without_a_secret_service:: "$@"' \
  keychain "${keychain_bins[@]}"
rm -rf "$keyring_home"
timing

say "end-to-end: the app cargo test built, in WebKitGTK under Xvfb, driven by tauri-driver"
bash tests/e2e/run.sh "$ROOT/target/debug/jc-onboard-app"
timing

say "the .deb of the same binary: installed with apt, checked, used, removed"
bash scripts/package.sh --reuse-debug --bundles deb
bash scripts/check-package.sh
timing
