"""memory.release_freed asks the C allocator to give freed heap back, and memory.limit_arenas caps the arenas threads
spread the C heap over: on this (glibc) machine they can."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from trackit_sidecar.memory import ARENAS, release_freed


@pytest.mark.skipif("libc.so" not in (ctypes.util.find_library("c") or ""), reason="only glibc has malloc_trim")
def test_release_freed_reaches_glibc():
    assert release_freed() is True


# A real process: threads allocate from C after the cap (or without it), then glibc's malloc_info lists its arenas
_ARENAS_USED = """
import ctypes, sys, tempfile, threading
from trackit_sidecar.memory import limit_arenas
capped = sys.argv[1] == "capped" and limit_arenas()
start = threading.Barrier(8)
def allocate():
    start.wait()  # all at once: a thread that finds the heap held takes an arena of its own
    kept = [bytearray(1000) for _ in range(2000)]  # past pymalloc's 512 bytes: glibc's malloc
threads = [threading.Thread(target=allocate) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile() as f:
    out = libc.fopen(f.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(out))
    libc.fclose(ctypes.c_void_p(out))
    print(capped, open(f.name).read().count("<heap nr="))
"""


@pytest.mark.skipif("libc.so" not in (ctypes.util.find_library("c") or ""), reason="only glibc has mallopt")
def test_after_limit_arenas_threads_share_at_most_that_many_arenas():
    def arenas(how: str) -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", _ARENAS_USED, how], capture_output=True, text=True, check=True)
        capped, count = done.stdout.split()
        return capped, int(count)

    assert arenas("free")[1] > ARENAS  # without the cap these threads do spread over more (the case is exercised)
    assert arenas("capped") == ("True", ARENAS)
