"""A process's resident memory as /proc/<pid>/status says it, and the high-water mark of its anonymous part.

The issue's target is on VmRSS, whose high-water mark the kernel keeps (VmHWM). VmRSS also counts file-backed pages
(RssFile: shared libraries' text, ~55 MB of it DuckDB's), and the same DuckDB library in a freshly made venv showed
~11 MB more of those than in an older one (perf30): a comparison of two builds' totals partly compares how their
venvs were set up. RssAnon (the heaps) does not depend on that, but the kernel keeps no high-water mark of it, so
AnonPeak samples it: a spike shorter than a sample can be missed, so its peak is a lower bound of the true one.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Optional

FIELDS = ("VmRSS", "RssAnon", "RssFile", "VmHWM")
SAMPLE_EVERY_S = 0.01


def parse_status(status: str) -> dict[str, float]:
    """The FIELDS of a /proc/<pid>/status text (kB there), in MB."""
    return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status.splitlines()
            if line.startswith(tuple(f"{name}:" for name in FIELDS))}


def resident_mb(pid: int) -> dict[str, float]:
    """The process's resident size (VmRSS), its anonymous (RssAnon: the heaps) and file-backed (RssFile: shared
    libraries' pages) parts, and its high-water mark (VmHWM), in MB."""
    return parse_status(Path(f"/proc/{pid}/status").read_text())


def resident_text(pid: int) -> str:
    sizes = resident_mb(pid)
    return f"{sizes['VmRSS']:.0f} MB ({sizes['RssAnon']:.0f} anon + {sizes['RssFile']:.0f} file)"


class AnonPeak:
    """The highest RssAnon of a process since it was started: sampled every SAMPLE_EVERY_S on a thread of its own,
    read like VmHWM (`peak`) at the end of each phase. `read` gives one sample (MB); it stops at the first that
    fails (the process has exited)."""

    def __init__(self, pid: int, read: Optional[Callable[[], float]] = None, every_s: float = SAMPLE_EVERY_S) -> None:
        self._read = read or (lambda: resident_mb(pid)["RssAnon"])
        self._every_s = every_s
        self._peak = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sample()
        self._thread = threading.Thread(target=self._run, name=f"anon-peak-{pid}", daemon=True)
        self._thread.start()

    def _sample(self) -> bool:
        try:
            value = self._read()
        except (OSError, KeyError, ValueError):  # the process is gone
            return False
        with self._lock:
            self._peak = max(self._peak, value)
            self.samples += 1
        return True

    def _run(self) -> None:
        while not self._stop.wait(self._every_s) and self._sample():
            pass

    def peak(self) -> float:
        """The highest RssAnon sampled so far, this moment's included (MB)."""
        self._sample()
        with self._lock:
            return self._peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
