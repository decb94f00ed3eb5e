#!/usr/bin/env python3
"""Reads cargo's JSON messages (--message-format=json-diagnostic-rendered-ansi) on stdin, prints
each compiler warning and error as rustc renders it, and fails if there was any warning (cargo
itself fails on an error). With clippy-driver as RUSTC_WORKSPACE_WRAPPER this is
`cargo clippy -- -D warnings` for the targets the build compiled."""

import json
import sys

warnings = 0
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        sys.stdout.write(line)
        continue
    if message.get("reason") != "compiler-message":
        continue
    diagnostic = message["message"]
    if diagnostic.get("level") in ("warning", "error") and diagnostic.get("rendered"):
        sys.stdout.write(diagnostic["rendered"])
        warnings += diagnostic["level"] == "warning"
if warnings:
    print(f"deny_warnings: {warnings} warning(s): the build must have none", file=sys.stderr)
sys.exit(1 if warnings else 0)
