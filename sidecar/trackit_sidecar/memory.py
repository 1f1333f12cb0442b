"""Giving memory the process freed back to the system, and keeping the C heap from spreading over arenas.

After a large read is answered and let go (a whole document of thousands of runs), glibc keeps the freed heap
for later allocations: the sidecar's resident size stays at its peak although nothing holds it. `release_freed`
asks the C allocator to return it (malloc_trim).
glibc gives each thread that allocates while another holds the heap an arena of its own (up to 8 per core), and
memory freed in one arena serves only that arena's later allocations: the sidecar's threads (the editor's, the store's,
the batcher's, DuckDB's) each kept their own freed heap. `limit_arenas` caps them at ARENAS for the threads started
after it (the same as MALLOC_ARENA_MAX, which glibc reads only as the process starts). In three paired runs of the memory
bench (perf30, perf32: the same code with and without the cap) the high-water mark was 3-7 MB lower with them capped at 2,
its anonymous part 1-4 MB: a small gain, within the spread between runs. Python's GIL already serialises the threads'
allocations, so the cap costs no waiting.
Only glibc has these calls; elsewhere there is nothing to ask.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Callable, Optional


ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)


def _glibc(call: str) -> Optional[Callable[..., int]]:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), call) if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): no such call
        return None


_TRIM = _glibc("malloc_trim")
_MALLOPT = _glibc("mallopt")


def release_freed() -> bool:
    """Return the C heap's free memory to the system; False where the allocator cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


def limit_arenas() -> bool:
    """Cap glibc's arenas at ARENAS for the threads started from now on (before the sidecar starts its own); False
    where the allocator has no such setting."""
    return _MALLOPT is not None and _MALLOPT(_M_ARENA_MAX, ARENAS) == 1
