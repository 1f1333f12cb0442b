"""Which kernel is a notebook's own: the rules, and the ties the sidecar has made.

TrackIT touches (asks, installs the probe into, reads facts from) a kernel only with evidence that
another program cannot produce by accident:
  - "announced": the editor said "notebook N runs in the kernel with connection file F" (a notebook
    controller called TrackIT's `trackit.notebookKernel` command; protocol.NotebookKernel);
  - "notebook_file": the kernel descends from the editor window's extension host (the sidecar's
    parent process) and its own `__vsc_ipynb_file__` (set by VS Code's Jupyter extension) is N;
  - "started": `trackit run` started it for N.
A kernel that is neither announced nor under the editor is never sent anything, whatever its input
history: a kernel of another program, another user or another VS Code window looks exactly like
that. A kernel announced for notebook M is never used for N. Input history equal to the cell
source is not evidence.

The decisions are pure functions over what was seen; `KernelTies` remembers the outcome per notebook.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Optional

from ..protocol import KernelEvidence
from ..store.identity import notebook_key as stored_notebook_key


def notebook_key(notebook_path: Optional[str], notebook_uri: Optional[str] = None) -> Optional[str]:
    """One name per notebook, the one the store files it under (its real path, else its URI)."""
    if not notebook_path and not notebook_uri:
        return None
    return stored_notebook_key(notebook_uri or "", notebook_path)


def connection_key(connection_file: str) -> str:
    try:
        return os.path.realpath(connection_file)
    except (OSError, ValueError):
        return connection_file


# ------------------------------------------------------------------ the rules (pure)
def may_contact(under_editor: bool, announced_for: Optional[str]) -> bool:
    """Whether any message at all may be sent to a kernel (even a silent question)."""
    return announced_for is not None or under_editor


def evidence_for(notebook: str, announced_for: Optional[str], under_editor: bool,
                 stated_notebook: Optional[str]) -> Optional[KernelEvidence]:
    """Why the kernel is `notebook`'s own, or None when it is not (then it is left alone).

    notebook / announced_for / stated_notebook are notebook keys (see notebook_key): the notebook
    the editor announced this kernel for, and the one the kernel names in __vsc_ipynb_file__.
    """
    if announced_for is not None:  # the editor's word decides, both ways
        return "announced" if announced_for == notebook else None
    if under_editor and stated_notebook is not None and stated_notebook == notebook:
        return "notebook_file"
    return None


def may_probe_new_kernel(announced_for: Optional[str], under_editor: bool, stated_notebook: Optional[str],
                         recorded: frozenset[str] | set[str]) -> Optional[tuple[str, KernelEvidence]]:
    """For a kernel that just started: the (notebook, evidence) it may get the probe for, or None.

    Early, before any cell of it was reported: an announced kernel belongs to its notebook; an
    editor kernel naming a notebook belongs to it only if TrackIT records that notebook (the editor
    reported executions or announced a kernel for it), so an excluded or paused notebook's kernel,
    which the sidecar never hears of, is not touched.
    """
    if announced_for is not None:
        return announced_for, "announced"
    if under_editor and stated_notebook is not None and stated_notebook in recorded:
        return stated_notebook, "notebook_file"
    return None


# ------------------------------------------------------------------ what the sidecar has tied
@dataclass(frozen=True)
class Tie:
    notebook: str  # notebook key
    connection_file: str
    evidence: KernelEvidence
    kernel_id: Optional[str] = None


class KernelTies:
    """Thread-safe record of announcements and ties, per notebook. Announcements are never dropped by
    a failed read (the kernel may be restarting); ties found by __vsc_ipynb_file__ are, and are found
    again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._announced: dict[str, list[Tie]] = {}  # notebook -> its announced kernels, latest last
        self._by_connection: dict[str, str] = {}  # connection key -> the notebook it was announced for
        self._found: dict[str, Tie] = {}  # notebook -> tie by __vsc_ipynb_file__
        self._recorded: set[str] = set()  # notebooks TrackIT records (events or announcements seen)

    def announce(self, notebook: str, connection_file: str, kernel_id: Optional[str] = None) -> Tie:
        tie = Tie(notebook, connection_file, "announced", kernel_id)
        key = connection_key(connection_file)
        with self._lock:
            previous = self._by_connection.get(key)
            if previous is not None and previous != notebook:  # the file now serves another notebook
                self._announced[previous] = [t for t in self._announced.get(previous, [])
                                             if connection_key(t.connection_file) != key]
            kept = [t for t in self._announced.get(notebook, []) if connection_key(t.connection_file) != key]
            self._announced[notebook] = (kept + [tie])[-8:]
            self._by_connection[key] = notebook
            self._found.pop(notebook, None)
            self._recorded.add(notebook)
        return tie

    def announced_for(self, connection_file: str) -> Optional[str]:
        with self._lock:
            return self._by_connection.get(connection_key(connection_file))

    def note_recorded(self, notebook: str) -> None:
        with self._lock:
            self._recorded.add(notebook)

    def recorded(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._recorded)

    def tie_for(self, notebook: str, kernel_id: Optional[str] = None) -> Optional[Tie]:
        """The kernel tied to `notebook`. With `kernel_id` (the event says which kernel ran it), only an
        announcement of that kernel counts: another kernel's execution count N is another cell."""
        with self._lock:
            announced = self._announced.get(notebook, [])
            if kernel_id is not None and any(t.kernel_id for t in announced):
                return next((t for t in reversed(announced) if t.kernel_id == kernel_id), None)
            if announced:
                return announced[-1]
            return self._found.get(notebook)

    def has_announcements(self, notebook: str) -> bool:
        with self._lock:
            return bool(self._announced.get(notebook))

    def remember(self, tie: Tie) -> None:
        """A tie found by __vsc_ipynb_file__ (announcements go through announce())."""
        with self._lock:
            if not self._announced.get(tie.notebook):
                self._found[tie.notebook] = tie

    def forget_found(self, notebook: str) -> None:
        with self._lock:
            self._found.pop(notebook, None)

    def announcements(self) -> list[Tie]:
        with self._lock:
            return [t for ties in self._announced.values() for t in ties]
