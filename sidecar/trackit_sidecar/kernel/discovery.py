"""Find the live kernel that ran a given notebook cell.

Candidates: kernel-*.json in Jupyter's runtime dir, plus the `-f <file>` / `--f=<file>`
argument of every running ipykernel process (VS Code's Jupyter extension keeps its
connection files elsewhere, e.g. in its own temp folder).

A candidate belongs to a notebook if, asked silently (see attach.silent_expressions):
  - its `__vsc_ipynb_file__` (set by VS Code Jupyter) is that notebook, or
  - its raw input history at the given execution count equals the cell source and its cwd is
    the notebook's folder (or, with no cwd match, the source alone matches).
Positive matches are cached per notebook; a cached file that vanished is dropped.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from . import attach

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 1.0


# ------------------------------------------------------------------ candidates
def parse_connection_arg(argv: list[str]) -> Optional[str]:
    """The connection file from an ipykernel command line, or None. Pure."""
    if not any("ipykernel" in part for part in argv):
        return None
    for i, part in enumerate(argv):
        if part in ("-f", "--f") and i + 1 < len(argv):
            return argv[i + 1]
        if part.startswith("--f=") or part.startswith("-f="):
            return part.split("=", 1)[1]
    return None


def _process_connection_files(proc: Path = Path("/proc")) -> list[str]:
    found = []
    try:
        entries = list(proc.iterdir())
    except OSError:
        return found
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode("utf-8", "replace") for a in argv if a]
        connection = parse_connection_arg(args)
        if connection:
            if not os.path.isabs(connection):
                try:
                    connection = os.path.join(os.readlink(entry / "cwd"), connection)
                except OSError:
                    continue
            found.append(connection)
    return found


def _runtime_dir_files() -> list[str]:
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime = Path(jupyter_runtime_dir())
    except Exception:
        return []
    try:
        files = sorted(runtime.glob("kernel-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    return [str(p) for p in files]


def candidate_connection_files(extra: Iterable[str] = ()) -> list[str]:
    """Existing connection files, runtime dir first, de-duplicated."""
    seen: dict[str, None] = {}
    for path in [*extra, *_runtime_dir_files(), *_process_connection_files()]:
        resolved = os.path.realpath(path)
        if os.path.isfile(resolved):
            seen.setdefault(resolved, None)
    return list(seen)


# ------------------------------------------------------------------ asking a kernel who it is
@dataclass
class KernelIdentity:
    connection_file: str
    vsc_notebook: Optional[str] = None
    cwd: Optional[str] = None
    source_at_count: Optional[str] = None


def _source_expression(execution_count: int) -> str:
    # Raw (untransformed) input, so "%time x" compares equal to the cell text.
    n = int(execution_count)
    return (
        "(lambda h: h[%d] if %d < len(h) else None)"
        "(__import__('IPython').get_ipython().history_manager.input_hist_raw)" % (n, n)
    )


def identify(connection_file: str, execution_count: Optional[int] = None, timeout: float = PROBE_TIMEOUT):
    """KernelIdentity of one kernel, or None if it does not answer (busy, dead, not IPython)."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient()
    try:
        client.load_connection_file(connection_file)
        client.start_channels()
        expressions = {
            "vsc": "globals().get('__vsc_ipynb_file__')",
            "cwd": "__import__('os').getcwd()",
        }
        if execution_count is not None:
            expressions["src"] = _source_expression(execution_count)
        values = attach.silent_expressions(client, expressions, timeout)
    except Exception as error:
        log.debug("kernel %s did not identify itself: %s", connection_file, error)
        return None
    finally:
        try:
            client.stop_channels()
        except Exception:
            pass

    def ok(name):
        value = values.get(name)
        return None if isinstance(value, Exception) else value

    return KernelIdentity(connection_file, ok("vsc"), ok("cwd"), ok("src"))


def _same_path(a: Optional[str], b: str | Path) -> bool:
    if not a:
        return False
    try:
        return os.path.realpath(a) == os.path.realpath(str(b))
    except (OSError, ValueError):
        return False


def _normalise(source: Optional[str]) -> str:
    return "\n".join(line.rstrip() for line in (source or "").strip().splitlines())


def belongs_to(identity: KernelIdentity, notebook_path: str | Path, source: Optional[str]) -> bool:
    """Pure decision from what the kernel told us."""
    if identity.vsc_notebook:
        return _same_path(identity.vsc_notebook, notebook_path)
    if source is None or identity.source_at_count is None:
        return False
    if _normalise(identity.source_at_count) != _normalise(source):
        return False
    # Source matches; a kernel with a cwd elsewhere is only accepted if nothing better exists.
    return True


# ------------------------------------------------------------------ the finder
class KernelFinder:
    """find_kernel_for with a cache of positive matches (notebook path -> connection file)."""

    def __init__(self, timeout: float = PROBE_TIMEOUT, candidates=None):
        """`candidates(extra) -> list[str]` lists connection files; default: runtime dir + processes."""
        self.timeout = timeout
        self._candidates = candidates or candidate_connection_files
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def find_kernel_for(
        self, notebook_path: str | Path, execution_count: Optional[int], source: Optional[str],
        extra_candidates: Iterable[str] = (),
    ) -> Optional[str]:
        key = os.path.realpath(str(notebook_path))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            if os.path.isfile(cached):
                return cached
            with self._lock:
                self._cache.pop(key, None)
        source_only: list[str] = []
        for candidate in self._candidates(extra_candidates):
            identity = identify(candidate, execution_count, self.timeout)
            if identity is None or not belongs_to(identity, key, source):
                continue
            if identity.vsc_notebook or _same_path(identity.cwd, Path(key).parent):
                return self._remember(key, candidate)
            source_only.append(candidate)
        if len(source_only) == 1:  # unique source match in a kernel started elsewhere
            return self._remember(key, source_only[0])
        return None

    def forget(self, notebook_path: str | Path) -> None:
        with self._lock:
            self._cache.pop(os.path.realpath(str(notebook_path)), None)

    def _remember(self, key: str, connection_file: str) -> str:
        with self._lock:
            self._cache[key] = connection_file
        return connection_file


_default_finder = KernelFinder()


def find_kernel_for(notebook_path: str | Path, execution_count: Optional[int], source: Optional[str]) -> Optional[str]:
    """Connection file of the live kernel running `notebook_path`, or None. Cached."""
    return _default_finder.find_kernel_for(notebook_path, execution_count, source)
