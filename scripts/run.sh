#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and open the desktop wizard.
# "Try with a demo organization" on its first screen needs no JumpCloud account.
# With no display (a server, SSH), it runs the connection checks against the demo org instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_deps
build_ui
cd "$ROOT"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  say "no display: running the checks against the demo organization on the command line"
  cargo build --locked -p jc-onboard
  exec "$ROOT/target/debug/jc-onboard" demo "$@"
fi
say "building the desktop app"
cargo build --locked -p jc-onboard-app "${APP_FEATURES[@]}"
exec "$ROOT/target/debug/jc-onboard-app"
