"""Notice the editor's kernels the moment they start, so one tied to a notebook gets the probe early.

Why: with Run All every execute_request is queued in the kernel before the editor reports the first
cell, so a probe installed on that report runs after all of them and the first run has no runtime
facts. A kernel the editor announces (trackit/notebookKernel) is attached on the announcement
(notebook_kernels.py). This watcher covers the editor's other kernels (VS Code's Jupyter extension):
/proc is listed every SCAN_INTERVAL_S and only NEW pids have their cmdline read; only ipykernel
processes descending from the editor's extension host (the sidecar's parent) are reported, and the
callback decides, by identity.py's rules, whether one may get the probe. A new pid on a known
connection file is a restarted kernel: it is reported again.

Jupyter's runtime dir is not watched: any program's kernels appear there, and they are not ours.
KernelWatcher.run() is started by the server only once the editor shows activity (a notebook cell
opened or an execution reported) and only while settings allow attaching to kernels; it stops by
itself when they no longer do.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from .discovery import ProcTable, parse_connection_arg, parse_stat

log = logging.getLogger(__name__)

# ipykernel 7 answers ~0.3 s after its process starts: a scan every 0.5 s missed that window 8 times in 30,
# every 0.2 s never (measured when every new kernel was probed); idle cost ~0.3% of a core while a notebook is open.
SCAN_INTERVAL_S = 0.2
# A kernel found at watcher start counts as new if it started this recently (the editor may have
# started it while the sidecar was still starting).
YOUNG_S = 10.0
# A pid whose cmdline did not look like a kernel is re-read this long: a fork shows its parent's
# cmdline until it execs the kernel.
CMDLINE_SETTLE_S = 3.0


@dataclass
class FoundKernel:
    connection_file: str
    pid: int
    noticed: float = field(default_factory=time.monotonic)


class ProcessScanner:
    """New ipykernel processes under `ancestor` (pid) and their connection files, from /proc.
    With no ancestor (the editor is unknown) nothing is ever reported."""

    def __init__(self, ancestor: Optional[int], proc: Path = Path("/proc")):
        self.ancestor = ancestor
        self.table = ProcTable(proc)
        self._seen: dict[int, float] = {}  # pid -> when first listed (monotonic)
        self._done: set[int] = set()  # pids settled: a kernel reported, or surely not one
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._boot = self._boot_time()

    def _boot_time(self) -> Optional[float]:
        try:
            for line in (self.table.root / "stat").read_text().splitlines():
                if line.startswith("btime "):
                    return float(line.split()[1])
        except (OSError, ValueError):
            pass
        return None

    def _age_s(self, pid: int) -> Optional[float]:
        if self._boot is None:
            return None
        try:
            started = parse_stat((self.table.root / str(pid) / "stat").read_text())[1] / self._ticks
        except (OSError, ValueError, IndexError):
            return None
        return time.time() - (self._boot + started)

    def scan(self, young_s: Optional[float] = None) -> list[FoundKernel]:
        """Kernels among pids not reported before. First call: only those younger than young_s."""
        if self.ancestor is None:
            return []
        now = time.monotonic()
        first = not self._seen
        pids = self.table.pids()
        alive = set(pids)
        for gone in [pid for pid in self._seen if pid not in alive]:
            self._seen.pop(gone, None)
            self._done.discard(gone)
        found = []
        for pid in pids:
            if pid in self._done:
                continue
            seen_at = self._seen.setdefault(pid, now)
            if first and young_s is not None:
                age = self._age_s(pid)
                if age is None or age > young_s:
                    self._done.add(pid)
                    continue
            kernel = self._kernel_of(pid)
            if kernel is not None:
                self._done.add(pid)
                found.append(kernel)
            elif now - seen_at > CMDLINE_SETTLE_S:
                self._done.add(pid)
        return found

    def _kernel_of(self, pid: int) -> Optional[FoundKernel]:
        argv = self.table.argv(pid)
        if not argv or not parse_connection_arg(argv):
            return None
        if not self.table.under(pid, self.ancestor):
            self._done.add(pid)  # a kernel, but not the editor's: never reported, never asked
            return None
        connection = self.table.connection_file(pid, argv)
        return FoundKernel(connection, pid) if connection else None


NewKernelFn = Callable[[FoundKernel], object]


class KernelWatcher:
    """Finds the editor's new kernels in /proc and calls `on_new_kernel` for each, once per process,
    off the event loop. What to do with one (ask it, probe it, or leave it) is the callback's call."""

    def __init__(
        self,
        on_new_kernel: NewKernelFn,
        still_wanted: Callable[[], bool] = lambda: True,
        ancestor: Optional[int] = None,
        proc: Path = Path("/proc"),
        scan_interval: float = SCAN_INTERVAL_S,
        young_s: float = YOUNG_S,
        warm_up: Optional[Callable[[], None]] = None,
    ):
        self._on_new_kernel = on_new_kernel
        self._warm_up = warm_up
        self.still_wanted = still_wanted
        self.scanner = ProcessScanner(ancestor, proc) if proc.is_dir() else None
        self.scan_interval = scan_interval
        self.young_s = young_s
        self._handled_pids: set[int] = set()
        self.results: list = []  # what each callback returned, newest last (for logs and tests)

    # public ---------------------------------------------------------------
    async def run(self) -> None:
        if self._warm_up is not None:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._warm_up)
            except Exception as error:
                log.debug("kernel attach warm-up failed: %r", error)
        log.info("watching for new kernels among processes under pid %s", self.scanner and self.scanner.ancestor)
        if self.scanner is None or self.scanner.ancestor is None:
            return
        loop = asyncio.get_running_loop()
        self.offer(await loop.run_in_executor(None, self.scanner.scan, self.young_s))  # reads every pid once
        while self.still_wanted():
            await asyncio.sleep(self.scan_interval)
            # inline: listing /proc and reading a few new pids' cmdline is ~0.1-0.5 ms, less than a thread hop
            self.offer(self.scanner.scan())

    def offer(self, kernels: Iterable[FoundKernel]) -> None:
        """Hand each kernel process not handled before to the callback, each in its own thread.

        Daemon threads: a callback may wait seconds for a kernel that never answers, and must not
        hold up the sidecar's exit. A new pid on a known connection file (a restart) is new here.
        """
        for kernel in kernels:
            if not self.still_wanted():
                return
            if kernel.pid in self._handled_pids:
                continue
            self._handled_pids.add(kernel.pid)
            threading.Thread(target=self._handle_logged, args=(kernel,), name="trackit-new-kernel", daemon=True).start()

    # private --------------------------------------------------------------
    def _handle_logged(self, kernel: FoundKernel) -> None:
        try:
            result = self._on_new_kernel(kernel)
        except Exception as error:  # a callback must not kill the thread silently
            result = error
        self.results.append(result)
        del self.results[:-100]
        log.info("new kernel %s (pid %s): %r", kernel.connection_file, kernel.pid, result)
