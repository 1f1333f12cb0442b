"""Bench-only timestamps of a capture's way through the sidecar (bench/bench_hop.py and bench_extension.mjs read
them). Off unless TRACKIT_LATENCY_TRACE names a folder: then `sidecar.trace` in it gets one line per event and
phase, `<phase> <event_id> <epoch ms>`. Nothing is written, formatted or timed when it is off."""

from __future__ import annotations

import os
import threading
import time
from typing import Iterable, Optional, TextIO

_folder = os.environ.get("TRACKIT_LATENCY_TRACE")
_file: Optional[TextIO] = None
_lock = threading.Lock()
if _folder:
    os.makedirs(_folder, exist_ok=True)
    _file = open(os.path.join(_folder, "sidecar.trace"), "a", buffering=1, encoding="utf-8")

ON = _file is not None


def mark(phase: str, event_ids: Iterable[str]) -> None:
    """Call as `if latency_trace.ON: latency_trace.mark(...)`: the phase reached, now, by these events."""
    if _file is None:
        return
    now = time.time() * 1000
    lines = "".join(f"{phase} {event_id} {now:.3f}\n" for event_id in event_ids)
    with _lock:
        _file.write(lines)
