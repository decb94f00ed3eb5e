#!/usr/bin/env python3
"""One cold start of a desktop app, timed from exec to what the screen shows.

Reads Xvfb's framebuffer (started with -fbdir, XWD format, memory-mapped) every few
milliseconds while the app starts, and records each moment the picture changes. Nothing in the
app is instrumented, so a minimal Tauri window and the real app are measured the same way.

    start_probe.py FRAMEBUFFER_FILE -- BINARY [ARGS...]

Prints one JSON line:
  window_s   the first change on screen (the window's first pixels, often one flat colour)
  screen_s   the first time the screen showed what it finally settled on (the first screen,
             painted by the UI once its data arrived: from then on it is interactive)
  frames     how many distinct pictures were seen on the way
The app is then asked to quit (SIGTERM) and, if it lingers, killed.
"""

from __future__ import annotations

import json
import mmap
import os
import signal
import struct
import subprocess
import sys
import time

POLL_S = 0.004
SETTLED_S = 2.5
TIMEOUT_S = 30.0


def pixels_view(path: str) -> tuple[mmap.mmap, int, int]:
    """The framebuffer file, and where its pixels start and end (after the XWD header)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)
    header_size, = struct.unpack(">I", mapped[0:4])
    # XWDFileHeader: 25 big-endian CARD32 fields; height is field 6, bytes_per_line 12, ncolors 19.
    fields = struct.unpack(">25I", mapped[0:100])
    height, bytes_per_line, ncolors = fields[5], fields[12], fields[19]
    start = header_size + ncolors * 12
    return mapped, start, start + bytes_per_line * height


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    mapped, start, end = pixels_view(argv[1])
    before = mapped[start:end]
    frames: list[tuple[float, bytes]] = []

    t0 = time.monotonic()
    app = subprocess.Popen(argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last = before
    last_change = t0
    while True:
        now = time.monotonic()
        picture = mapped[start:end]
        if picture != last:
            frames.append((now - t0, picture))
            last, last_change = picture, now
        if frames and now - last_change > SETTLED_S:
            break
        if now - t0 > TIMEOUT_S or app.poll() is not None:
            break
        time.sleep(POLL_S)

    app.send_signal(signal.SIGTERM)
    try:
        app.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()

    if not frames:
        print(json.dumps({"error": "nothing was ever drawn"}))
        return 1
    final = frames[-1][1]
    screen_s = next(t for t, picture in frames if picture == final)
    print(json.dumps({
        "window_s": round(frames[0][0], 4),
        "screen_s": round(screen_s, 4),
        "frames": len(frames),
        "settled": now - last_change > SETTLED_S,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
