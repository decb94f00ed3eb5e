#!/usr/bin/env bash
# Quick start, part two: install what is missing and run every check and test.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_deps
cd "$ROOT"

say "formatting (cargo fmt --check)"
cargo fmt --all -- --check

say "lints (cargo clippy -D warnings)"
cargo clippy --locked --workspace --all-targets -- -D warnings

say "tests (cargo test)"
cargo test --locked --workspace
