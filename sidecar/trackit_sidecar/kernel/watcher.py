"""Notice kernels the moment they start and install the probe before their first cell.

Why: the sidecar used to install the probe when the editor reported the first execution. With
Run All every execute_request is already queued in the kernel by then, so the install ran after
all of them and the first run in a fresh kernel had no runtime facts.

Two sources of new kernels, both cheap:
  - Jupyter's runtime dir (JupyterLab, jupyter_client users, our e2e controller): kernel-*.json
    appears before the kernel process starts; watched with watchfiles (inotify).
  - Running ipykernel processes' `-f` connection files (VS Code's Jupyter extension keeps them
    elsewhere): /proc is listed every SCAN_INTERVAL_S, and only NEW pids have their cmdline read.
    A new pid on a known connection file is a restarted kernel: it gets the probe again.
    Only kernels running under the same parent process as the sidecar (the editor's extension
    host) count: another program's kernels are not ours to touch.

KernelWatcher.run() is started by the server only once the editor shows activity (a notebook
cell opened or an execution reported) and only while settings allow attaching to kernels; it
stops by itself when they no longer do.
"""

from __future__ import annotations

import asyncio
import fnmatch
import functools
import json
import logging
import os
import time
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from .discovery import parse_connection_arg

log = logging.getLogger(__name__)

RUNTIME_PATTERN = "kernel-*.json"
# ipykernel 7 answers ~0.3 s after its process starts: at 0.5 s the scan lost that race 8 times in 30,
# at 0.2 s none in 30 (race_bench.py --proc); idle cost ~0.3% of a core while a notebook is open.
SCAN_INTERVAL_S = 0.2
# A kernel found at watcher start counts as new if it started this recently (the editor may have
# started it while the sidecar was still starting).
YOUNG_S = 10.0
# A pid whose cmdline did not look like a kernel is re-read this long: a fork shows its parent's
# cmdline until it execs the kernel.
CMDLINE_SETTLE_S = 3.0


# ------------------------------------------------------------------ pure helpers
def is_runtime_kernel_file(name: str) -> bool:
    return fnmatch.fnmatch(os.path.basename(name), RUNTIME_PATTERN)


def parse_stat(text: str) -> tuple[int, float]:
    """(ppid, start time in clock ticks) from /proc/<pid>/stat. The comm field may hold spaces/parens."""
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), float(fields[19])


def descends_from(pid: int, ancestor: int, parent_of: Callable[[int], Optional[int]], max_depth: int = 64) -> bool:
    """Whether `ancestor` is on pid's parent chain. `parent_of` returns None when unknown."""
    current: Optional[int] = pid
    for _ in range(max_depth):
        if current is None or current <= 1:
            return False
        current = parent_of(current)
        if current == ancestor:
            return True
    return False


def python_kernel_from_info(info: dict, spec_language: Callable[[str], Optional[str]]) -> bool:
    """Whether a connection file names a kernel whose spec says Python (unknown -> False)."""
    name = info.get("kernel_name")
    if not name:
        return False
    language = spec_language(str(name))
    return bool(language) and language.lower() == "python"


@functools.lru_cache(maxsize=32)
def kernelspec_language(name: str) -> Optional[str]:
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec(name).language
    except Exception:
        return None


def read_connection_info(path: str, wait_s: float = 2.0) -> Optional[dict]:
    """The JSON of a connection file; waits briefly for a file still being written. None if invalid."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            info = json.loads(Path(path).read_text(encoding="utf-8"))
            if isinstance(info, dict) and info.get("shell_port"):
                return info
        except (OSError, ValueError):
            pass
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


# ------------------------------------------------------------------ /proc
@dataclass
class FoundKernel:
    connection_file: str
    pid: Optional[int] = None  # None: found in the runtime dir
    python_known: bool = False
    noticed: float = field(default_factory=time.monotonic)


class ProcessScanner:
    """New ipykernel processes under `ancestor` (pid) and their connection files, from /proc."""

    def __init__(self, ancestor: Optional[int], proc: Path = Path("/proc")):
        self.ancestor = ancestor
        self.proc = proc
        self._seen: dict[int, float] = {}  # pid -> when first listed (monotonic)
        self._done: set[int] = set()  # pids settled: a kernel reported, or surely not one
        self._ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._boot = self._boot_time()

    def _boot_time(self) -> Optional[float]:
        try:
            for line in (self.proc / "stat").read_text().splitlines():
                if line.startswith("btime "):
                    return float(line.split()[1])
        except (OSError, ValueError):
            pass
        return None

    def _parent(self, pid: int) -> Optional[int]:
        try:
            return parse_stat((self.proc / str(pid) / "stat").read_text())[0]
        except (OSError, ValueError, IndexError):
            return None

    def _age_s(self, pid: int) -> Optional[float]:
        if self._boot is None:
            return None
        try:
            started = parse_stat((self.proc / str(pid) / "stat").read_text())[1] / self._ticks
        except (OSError, ValueError, IndexError):
            return None
        return time.time() - (self._boot + started)

    def scan(self, young_s: Optional[float] = None) -> list[FoundKernel]:
        """Kernels among pids not reported before. First call: only those younger than young_s."""
        now = time.monotonic()
        first = not self._seen
        try:
            pids = [int(name) for name in os.listdir(self.proc) if name.isdigit()]
        except OSError:
            return []
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
        try:
            argv = [a.decode("utf-8", "replace") for a in (self.proc / str(pid) / "cmdline").read_bytes().split(b"\0") if a]
        except OSError:
            return None
        connection = parse_connection_arg(argv)
        if not connection:
            return None
        if self.ancestor is not None and not descends_from(pid, self.ancestor, self._parent):
            self._done.add(pid)  # a kernel, but not the editor's
            return None
        if not os.path.isabs(connection):
            try:
                connection = os.path.join(os.readlink(self.proc / str(pid) / "cwd"), connection)
            except OSError:
                return None
        return FoundKernel(connection, pid, python_known=True)  # ipykernel on its command line


# ------------------------------------------------------------------ the watcher
AttachFn = Callable[[FoundKernel], object]


class KernelWatcher:
    """Finds new kernels (runtime dir + /proc) and calls `attach` for each, once, off the event loop."""

    def __init__(
        self,
        attach: AttachFn,
        still_wanted: Callable[[], bool] = lambda: True,
        runtime_dir: Optional[str] = None,
        ancestor: Optional[int] = None,
        proc: Path = Path("/proc"),
        scan_interval: float = SCAN_INTERVAL_S,
        young_s: float = YOUNG_S,
        warm_up: Optional[Callable[[], None]] = None,
    ):
        self._attach = attach
        self._warm_up = warm_up
        self.still_wanted = still_wanted
        self.runtime_dir = runtime_dir
        self.scanner = ProcessScanner(ancestor, proc) if proc.is_dir() else None
        self.scan_interval = scan_interval
        self.young_s = young_s
        self._handled: set[str] = set()  # realpaths of connection files already attached
        self._handled_pids: set[int] = set()
        self._paths_with_pid: set[str] = set()
        self.results: list = []  # what each attach returned, newest last (for logs and tests)

    # public ---------------------------------------------------------------
    async def run(self) -> None:
        if self._warm_up is not None:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._warm_up)
            except Exception as error:
                log.debug("kernel attach warm-up failed: %r", error)
        log.info("watching for new kernels in %s and among processes under pid %s", self.runtime_dir, self.scanner
                 and self.scanner.ancestor)
        tasks = [asyncio.ensure_future(self._scan_processes())]
        if self.runtime_dir:
            tasks.append(asyncio.ensure_future(self._watch_runtime_dir()))
        try:
            while self.still_wanted():
                done, _ = await asyncio.wait(tasks, timeout=1.0, return_when=asyncio.FIRST_EXCEPTION)
                for task in done:
                    if task.exception() is not None:
                        log.debug("kernel watcher part stopped: %r", task.exception())
                if all(task.done() for task in tasks):
                    return
        finally:
            for task in tasks:
                task.cancel()

    def offer(self, kernels: Iterable[FoundKernel]) -> None:
        """Attach to each kernel not handled before, each in its own thread (returns at once).

        Daemon threads: an attach waits up to attach.STARTUP_TIMEOUT for a kernel that may never
        answer, and must not hold up the sidecar's exit.
        """
        for kernel in kernels:
            try:
                key = os.path.realpath(kernel.connection_file)
            except (OSError, ValueError):
                continue
            if not self.still_wanted():
                return
            if kernel.pid is not None:
                # A new pid on a known connection file is a restarted kernel (same file, empty
                # namespace): attach again. The first pid of a file found in the runtime dir is
                # the kernel we attached to already.
                if kernel.pid in self._handled_pids:
                    continue
                self._handled_pids.add(kernel.pid)
                first_pid = key not in self._paths_with_pid
                self._paths_with_pid.add(key)
                if key in self._handled and first_pid:
                    continue
            elif key in self._handled:
                continue
            self._handled.add(key)
            threading.Thread(target=self._attach_logged, args=(kernel,), name="trackit-attach", daemon=True).start()

    # private --------------------------------------------------------------
    def _attach_logged(self, kernel: FoundKernel) -> None:
        try:
            result = self._attach(kernel)
        except Exception as error:  # an attach function must not kill the pool thread's loop
            result = error
        self.results.append(result)
        del self.results[:-100]
        log.info("new kernel %s: %r", kernel.connection_file, result)

    async def _scan_processes(self) -> None:
        if self.scanner is None:
            return
        loop = asyncio.get_running_loop()
        self.offer(await loop.run_in_executor(None, self.scanner.scan, self.young_s))  # reads every pid once
        while self.still_wanted():
            await asyncio.sleep(self.scan_interval)
            # inline: listing /proc and reading a few new pids' cmdline is ~0.1-0.5 ms, less than a thread hop
            self.offer(self.scanner.scan())

    def _runtime_files(self, young_only: bool) -> list[FoundKernel]:
        found = []
        try:
            entries = list(os.scandir(self.runtime_dir))
        except OSError:
            return found
        now = time.time()
        for entry in entries:
            if not is_runtime_kernel_file(entry.name):
                continue
            try:
                if young_only and now - entry.stat().st_mtime > self.young_s:
                    continue
            except OSError:
                continue
            found.append(FoundKernel(entry.path))
        return found

    async def _watch_runtime_dir(self) -> None:
        from watchfiles import Change, awatch

        directory = self.runtime_dir
        assert directory is not None
        os.makedirs(directory, exist_ok=True)
        # files that were there already: young ones may belong to a kernel starting right now
        existing = self._runtime_files(young_only=False)
        young = {k.connection_file for k in self._runtime_files(young_only=True)}
        for kernel in existing:
            if kernel.connection_file not in young:
                self._handled.add(os.path.realpath(kernel.connection_file))
        self.offer(k for k in existing if k.connection_file in young)
        # step: how long changes must be quiet before we hear of them (ms); small, we race a kernel start
        # yield_on_timeout: an empty batch every second, on which the dir is listed again; that
        # catches a file written between the listing above and inotify starting to watch.
        async for changes in awatch(directory, recursive=False, debounce=400, step=50, rust_timeout=1000,
                                    yield_on_timeout=True,
                                    watch_filter=lambda change, path: change != Change.deleted
                                    and is_runtime_kernel_file(path)):
            if not self.still_wanted():
                return
            self.offer(FoundKernel(path) for _change, path in sorted(changes, key=lambda c: c[1]))
            if not changes:
                self.offer(self._runtime_files(young_only=True))


def default_runtime_dir() -> Optional[str]:
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        return jupyter_runtime_dir()
    except Exception:
        return None


def ipykernel_process_for(connection_file: str, proc: Path = Path("/proc"), wait_s: float = 1.0) -> bool:
    """Whether a running ipykernel process names this connection file on its command line.

    Frontends write the file, then launch the kernel: give the process a moment to appear.
    """
    target = os.path.realpath(connection_file)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            pids = [name for name in os.listdir(proc) if name.isdigit()]
        except OSError:
            return False
        for pid in pids:
            try:
                argv = [a.decode("utf-8", "replace") for a in (proc / pid / "cmdline").read_bytes().split(b"\0") if a]
            except OSError:
                continue
            connection = parse_connection_arg(argv)
            if connection and (connection == connection_file or os.path.realpath(connection) == target):
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def attach_found_kernel(kernel: FoundKernel, still_wanted: Callable[[], bool] = lambda: True):
    """Read the connection file and install the probe (attach.attach_new_kernel). Never raises.

    Python is known from the kernel's command line (ipykernel) or its kernelspec; the frozen sidecar
    usually cannot see the user's kernelspecs, so a runtime-dir file is matched to its process.
    """
    from .attach import EarlyAttach, attach_new_kernel

    info = read_connection_info(kernel.connection_file)
    if info is None:
        return EarlyAttach(kernel.connection_file, "failed", detail="unreadable connection file")
    python_known = (kernel.python_known or python_kernel_from_info(info, kernelspec_language)
                    or ipykernel_process_for(kernel.connection_file))
    return attach_new_kernel(info, kernel.connection_file, python_known, still_wanted=still_wanted,
                             noticed=kernel.noticed)
