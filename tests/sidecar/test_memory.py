"""memory.release_freed asks the C allocator to give freed heap back: on this (glibc) machine it can."""

from __future__ import annotations

import ctypes.util

import pytest

from trackit_sidecar.memory import release_freed


@pytest.mark.skipif("libc.so" not in (ctypes.util.find_library("c") or ""), reason="only glibc has malloc_trim")
def test_release_freed_reaches_glibc():
    assert release_freed() is True
