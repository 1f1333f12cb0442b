"""The kernels of this editor window, and what a kernel says about its notebook.

The editor's kernels are the ipykernel processes that descend from the editor's extension host (the
sidecar's parent process); their connection file is the `-f <file>` / `--f=<file>` argument (VS Code's
Jupyter extension keeps those files outside Jupyter's runtime dir). Only these kernels, and kernels
the editor announced, are ever asked anything (kernel/identity.py has the rules). Nothing here reads
Jupyter's runtime dir: any program's kernels are listed there.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .silent_requests import silent_expressions

log = logging.getLogger(__name__)

ASK_TIMEOUT = 1.0
# VS Code's Jupyter extension sets this in the kernel before the notebook's first cell.
NOTEBOOK_FILE_VARIABLE = "__vsc_ipynb_file__"


# ------------------------------------------------------------------ /proc (pure parsers)
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


# ------------------------------------------------------------------ /proc (reads)
class ProcTable:
    """Reads of /proc (a fake root in tests)."""

    def __init__(self, root: Path = Path("/proc")):
        self.root = root

    def pids(self) -> list[int]:
        try:
            return [int(name) for name in os.listdir(self.root) if name.isdigit()]
        except OSError:
            return []

    def parent(self, pid: int) -> Optional[int]:
        try:
            return parse_stat((self.root / str(pid) / "stat").read_text())[0]
        except (OSError, ValueError, IndexError):
            return None

    def argv(self, pid: int) -> Optional[list[str]]:
        try:
            raw = (self.root / str(pid) / "cmdline").read_bytes()
        except OSError:
            return None
        return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]

    def connection_file(self, pid: int, argv: Optional[list[str]] = None) -> Optional[str]:
        """The kernel's connection file as an absolute path, or None if pid is not an ipykernel."""
        connection = parse_connection_arg(argv if argv is not None else (self.argv(pid) or []))
        if connection and not os.path.isabs(connection):
            try:
                connection = os.path.join(os.readlink(self.root / str(pid) / "cwd"), connection)
            except OSError:
                return None
        return connection

    def under(self, pid: int, ancestor: Optional[int]) -> bool:
        return ancestor is not None and descends_from(pid, ancestor, self.parent)


@dataclass(frozen=True)
class EditorKernel:
    pid: int
    connection_file: str


def editor_kernels(ancestor: Optional[int], proc: Optional[ProcTable] = None) -> list[EditorKernel]:
    """Every running ipykernel that descends from `ancestor` (None: the editor is unknown, so none)."""
    if ancestor is None:
        return []
    table = proc or ProcTable()
    found = []
    for pid in table.pids():
        argv = table.argv(pid)
        if not argv or parse_connection_arg(argv) is None or not table.under(pid, ancestor):
            continue
        connection = table.connection_file(pid, argv)
        if connection:
            found.append(EditorKernel(pid, connection))
    return found


def process_of(connection_file: str, proc: Optional[ProcTable] = None) -> Optional[int]:
    """The pid of the running ipykernel whose command line names this connection file, or None."""
    table = proc or ProcTable()
    target = os.path.realpath(connection_file)
    for pid in table.pids():
        argv = table.argv(pid)
        if not argv or parse_connection_arg(argv) is None:
            continue
        connection = table.connection_file(pid, argv)
        if connection and os.path.realpath(connection) == target:
            return pid
    return None


# ------------------------------------------------------------------ asking a kernel
def stated_notebook(connection_file: str, timeout: float = ASK_TIMEOUT) -> tuple[bool, Optional[str]]:
    """(answered, path): the notebook the kernel names in __vsc_ipynb_file__, asked silently (no output,
    no execution count, no history). Call only for kernels identity.may_contact allows."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient()
    try:
        client.load_connection_file(connection_file)
        client.start_channels()
        value = silent_expressions(client, {"nb": f"globals().get({NOTEBOOK_FILE_VARIABLE!r})"}, timeout)["nb"]
    except Exception as error:
        log.debug("kernel %s did not say its notebook: %s", connection_file, error)
        return False, None
    finally:
        try:
            client.stop_channels()
        except Exception:
            pass
    if isinstance(value, Exception) or not isinstance(value, str) or not value:
        return True, None
    return True, value
