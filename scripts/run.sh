#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and run the product against the
# built-in demo organization (no JumpCloud account needed). Extra arguments go to `jc-onboard demo`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_deps
cd "$ROOT"
say "building jc-onboard"
cargo build --release --locked -p jc-onboard
exec "$ROOT/target/release/jc-onboard" demo "$@"
