"""The cyclic garbage collector in a long-lived sidecar.

What `trackit serve` creates while starting (imported modules, pygls/lsprotocol's ~1,000 attrs classes, pydantic's
schemas, the open store: ~80,000 tracked objects) lives as long as the process. Every full collection walked all of
it again, and a full pass that fell inside a request was its slowest part: a first-touch hover took ~40 ms instead of
~9 (bench/bench_sidecar.py --only reads, p95). Frozen, they are never walked again; nothing is leaked, since they
were never going to be freed.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect once, then move every object tracked so far out of the collector's generations; how many."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
