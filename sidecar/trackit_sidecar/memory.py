"""Giving memory the process freed back to the system.

After a large read is answered and let go (a whole document of thousands of runs), glibc keeps the freed heap
for later allocations: the sidecar's resident size stays at its peak although nothing holds it. `release_freed`
asks the C allocator to return it (malloc_trim). Only glibc has it; elsewhere there is nothing to ask.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Callable, Optional


def _malloc_trim() -> Optional[Callable[[int], int]]:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): no such call
        return None


_TRIM = _malloc_trim()


def release_freed() -> bool:
    """Return the C heap's free memory to the system; False where the allocator cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
