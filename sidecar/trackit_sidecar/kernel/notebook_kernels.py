"""Runtime facts for the editor's notebooks, read only from each notebook's own kernel.

The sidecar's one object for live kernels (the server calls it from its kernel threads):
  announce(NotebookKernel)   the editor tied a notebook to a kernel: remember it, install the probe now
                             (a controller announces as the kernel starts, so the probe beats Run All)
  on_new_kernel(FoundKernel) the watcher saw a new kernel under the editor: probe it only once it names
                             a notebook TrackIT records (identity.may_probe_new_kernel)
  facts_for_event(event)     the facts of one reported execution, with what became of them
                             (protocol.RuntimeStatus) and why that kernel was the notebook's
  facts_pushed(event)        whether those facts are pushed to an attached client (no kernel asked)
  close_by(until)            the sidecar is closing: no kernel is waited for past `until`; what is not in by
                             then is `editor_closed` (not_asked(event): the status of one never asked for)
  ask_for_event(event, fn)   experiment questions (kernel/experiments.py) to the kernel already tied to the
                             event's notebook; never a search of its own
Which kernel may be touched is identity.py's rules; this file applies them and does the talking.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, TypeVar

from .. import protocol
from ..render.words import notebook_name
from . import connection as conn
from .discovery import ProcTable, editor_kernels, process_of, stated_notebook
from .early_attach import EarlyAttach, attach_new_kernel
from .identity import KernelTies, Tie, evidence_for, may_probe_new_kernel, notebook_key
from .runtime_capture import RuntimeCapture
from .silent_requests import DEFAULT_TIMEOUT
from .watcher import FoundKernel

log = logging.getLogger(__name__)
T = TypeVar("T")

# A notebook no kernel could be tied to is looked for again at most this often (replayed events, a
# remote kernel, a controller that announces nothing would otherwise cost a /proc scan per event).
NO_KERNEL_RETRY_S = 2.0
# How long a new editor kernel is asked for its notebook: VS Code's Jupyter extension names it in its
# start-up code; a kernel that has not by then is left alone (the per-event path asks again).
NOTEBOOK_FILE_WAIT_S = 10.0
NOTEBOOK_FILE_POLL_S = 0.1


@dataclass
class RuntimeResult:
    status: Optional[protocol.RuntimeStatus]  # None: nothing to measure (the cell never got a count)
    evidence: Optional[protocol.KernelEvidence] = None
    facts: list[protocol.RuntimeFacts] = field(default_factory=list)
    capture_ms: Optional[float] = None


class NotebookKernels:
    def __init__(self, ancestor: Optional[int], may_attach: Callable[[], bool] = lambda: True,
                 timeout: float = DEFAULT_TIMEOUT, proc: Optional[ProcTable] = None,
                 runtime_dir: Optional[str] = None):
        """`ancestor`: pid of the editor's extension host (the sidecar's parent); None: no editor, so
        only announced kernels are ever touched."""
        self.ancestor = ancestor
        self.may_attach = may_attach
        self.timeout = timeout
        self.proc = proc or ProcTable()
        self.runtime_dir = runtime_dir if runtime_dir is not None else conn.runtime_dir()
        self.ties = KernelTies()
        self._captures: dict[str, RuntimeCapture] = {}  # connection file -> its client
        self._no_kernel_until: dict[str, float] = {}  # notebook key -> monotonic time of the next search
        self._until = math.inf  # closing: no kernel is waited for past this monotonic time (close_by)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ announcements
    def announce(self, message: protocol.NotebookKernel, noticed: Optional[float] = None) -> Optional[EarlyAttach]:
        """Tie the notebook to the announced kernel and, when allowed, install the probe at once. Blocks
        until the kernel answers (up to early_attach.STARTUP_TIMEOUT): call it off the event loop."""
        notebook = notebook_key(message.notebook_path, message.notebook_uri)
        connection_file = message.connection_file or conn.connection_file_for_id(message.kernel_id, self.runtime_dir)
        if notebook is None or connection_file is None:
            log.info("kernel announcement for %s names no connection file TrackIT can find (kernel id %s)",
                     message.notebook_uri, message.kernel_id)
            return None
        self.ties.announce(notebook, connection_file, message.kernel_id)
        with self._lock:
            self._no_kernel_until.pop(notebook, None)
        if not self.may_attach():
            return None
        if message.language and message.language.lower() != "python":
            return EarlyAttach(connection_file, "not-python", detail=message.language)
        python_known = (message.language or "").lower() == "python"
        return self._early_attach(connection_file, python_known, noticed)

    # ------------------------------------------------------------ the watcher's new kernels
    def on_new_kernel(self, kernel: FoundKernel) -> object:
        """A new ipykernel process under the editor (the watcher only reports those)."""
        deadline = time.monotonic() + NOTEBOOK_FILE_WAIT_S
        while self.may_attach():
            announced_for = self.ties.announced_for(kernel.connection_file)
            if announced_for is not None:  # restarted, or announced meanwhile: the editor's word decides
                return self._early_attach(kernel.connection_file, True, kernel.noticed)
            answered, stated = stated_notebook(kernel.connection_file, min(self.timeout, 1.0))
            if stated is not None:
                decision = may_probe_new_kernel(None, True, notebook_key(stated), self.ties.recorded())
                if decision is None:
                    return f"left alone: it names {stated}, which TrackIT does not record"
                notebook, evidence = decision
                self.ties.remember(Tie(notebook, kernel.connection_file, evidence))
                return self._early_attach(kernel.connection_file, True, kernel.noticed)
            if time.monotonic() >= deadline:
                return "left alone: it names no notebook" if answered else "left alone: it did not answer"
            time.sleep(NOTEBOOK_FILE_POLL_S)
        return "left alone: runtime capture is off"

    # ------------------------------------------------------------ per execution
    def facts_for_event(self, event: protocol.CellExecution) -> RuntimeResult:
        decided = self._without_kernel(event)
        if decided is not None:
            return decided
        if time.monotonic() >= self._until:
            return RuntimeResult("editor_closed")
        notebook = notebook_key(event.notebook_path, event.notebook_uri)
        if notebook is None:
            return RuntimeResult("kernel_not_identified")
        self.ties.note_recorded(notebook)
        tie = self.ties.tie_for(notebook, event.kernel_id)
        if tie is None and not self.ties.has_announcements(notebook):
            tie = self._find_by_statement(notebook)
        if tie is None:
            return RuntimeResult("kernel_not_identified")
        capture = self._capture(tie.connection_file, notebook)
        facts = capture.fetch(event.execution_order)
        if facts is None:
            if capture.not_python:
                return RuntimeResult("not_python", tie.evidence)
            if capture.out_of_time:  # not a kernel that failed to answer: the sidecar stopped waiting for it
                return RuntimeResult("editor_closed", tie.evidence)
            # Dead, restarted or busy: a fresh client (and probe) next time; a tie found by asking is re-checked.
            log.warning("%s: kernel %s did not answer for execution [%s]; detached, a fresh attach comes next",
                        notebook_name(event.notebook_uri), tie.connection_file, event.execution_order)
            self._drop_capture(tie.connection_file)
            if tie.evidence != "announced":
                self.ties.forget_found(notebook)
            return RuntimeResult("kernel_unreachable", tie.evidence)
        return RuntimeResult("captured", tie.evidence, facts, capture.last_capture_ms)

    def not_asked(self, event: protocol.CellExecution) -> RuntimeResult:
        """What became of the facts of an execution the sidecar closed before asking its kernel for them."""
        return self._without_kernel(event) or RuntimeResult("editor_closed")

    def close_by(self, until: float) -> None:
        """The sidecar is closing: no kernel is waited for past `until` (monotonic), nor one waited for now."""
        with self._lock:
            self._until = until
            captures = list(self._captures.values())
        for capture in captures:
            capture.close_by(until)

    def facts_pushed(self, event: protocol.CellExecution) -> bool:
        """Whether the event's facts are on their way without asking its kernel: the notebook is tied to a kernel
        this sidecar is attached to and whose probe pushes (runtime_capture.py). Then they are in within milliseconds
        of the event, usually. Cheap and never blocking (the asyncio loop asks): no kernel is looked for."""
        if event.language != "python" or not self.may_attach() or event.execution_order is None \
                or not event.source.strip():
            return False
        notebook = notebook_key(event.notebook_path, event.notebook_uri)
        tie = self.ties.tie_for(notebook, event.kernel_id) if notebook is not None else None
        if tie is None:
            return False
        with self._lock:
            capture = self._captures.get(tie.connection_file)
        return capture is not None and capture.pushes

    def ask_for_event(self, event: protocol.CellExecution, fn: Callable[[Callable], T]) -> Optional[T]:
        """fn(ask) against the kernel tied to the event's notebook (by facts_for_event, an announcement or
        the watcher), where `ask(expressions, timeout)` evaluates silent user_expressions; None when no
        kernel is tied or it cannot be asked. Ties only: no kernel is looked for here."""
        if event.language != "python" or not self.may_attach():
            return None
        notebook = notebook_key(event.notebook_path, event.notebook_uri)
        tie = self.ties.tie_for(notebook, event.kernel_id) if notebook is not None else None
        if tie is None:
            return None
        return self._capture(tie.connection_file, notebook).ask(fn)

    def close(self) -> None:
        with self._lock:
            captures, self._captures = list(self._captures.values()), {}
        for capture in captures:
            capture.close()

    # ------------------------------------------------------------ private
    def _without_kernel(self, event: protocol.CellExecution) -> Optional[RuntimeResult]:
        """The result when no kernel need be asked (not Python, capture off, nothing ran), else None."""
        if event.language != "python":
            return RuntimeResult("not_python")
        if not self.may_attach():
            return RuntimeResult("off")
        if event.execution_order is None or not event.source.strip():
            # never ran, or an empty cell: it changed nothing, and IPython gives an empty cell the count of
            # the cell after it, so asking the probe for that count would hand it the next cell's facts
            return RuntimeResult(None)
        return None

    def _find_by_statement(self, notebook: str) -> Optional[Tie]:
        """An editor kernel that names `notebook` in __vsc_ipynb_file__, asked silently; None if none does."""
        now = time.monotonic()
        with self._lock:
            if self._no_kernel_until.get(notebook, 0.0) > now:
                return None
        for kernel in editor_kernels(self.ancestor, self.proc):
            announced_for = self.ties.announced_for(kernel.connection_file)
            if announced_for is not None:
                continue  # announced for another notebook (this one's would have been found): not ours
            _answered, stated = stated_notebook(kernel.connection_file, min(self.timeout, 1.0))
            evidence = evidence_for(notebook, None, True, notebook_key(stated) if stated else None)
            if evidence is not None:
                tie = Tie(notebook, kernel.connection_file, evidence)
                self.ties.remember(tie)
                return tie
        with self._lock:
            self._no_kernel_until[notebook] = now + NO_KERNEL_RETRY_S
        log.debug("no kernel of this editor names %s", notebook)
        return None

    def _capture(self, connection_file: str, notebook: str) -> RuntimeCapture:
        with self._lock:
            capture = self._captures.get(connection_file)
            if capture is None:
                capture = self._captures[connection_file] = RuntimeCapture(connection_file, self.timeout)
                capture.close_by(self._until)
                log.info("%s: attached to kernel %s", notebook_name(notebook), connection_file)
            return capture

    def _drop_capture(self, connection_file: str) -> None:
        with self._lock:
            capture = self._captures.pop(connection_file, None)
        if capture is not None:
            capture.close()

    def _early_attach(self, connection_file: str, python_known: bool, noticed: Optional[float]) -> EarlyAttach:
        info = conn.read_connection_info(connection_file)
        if info is None:
            return EarlyAttach(connection_file, "failed", detail="unreadable connection file")
        python_known = (python_known or conn.python_kernel_from_info(info, conn.kernelspec_language)
                        or process_of(connection_file, self.proc) is not None)
        return attach_new_kernel(info, connection_file, python_known, still_wanted=self.may_attach, noticed=noticed)
