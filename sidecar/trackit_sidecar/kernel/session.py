"""A fresh kernel driven cell by cell: run any source, in any order, as the editor would, and get each run
back as the editor's record plus its runtime result (status and facts).

`run_notebook` runs a file top to bottom; this is the same machinery (kernel choice, start, execution, output
collection, the probe) for callers that choose what runs next: `trackit replay` runs a gathered notebook
in the recorded notebook's folder, and the reproduce benchmark records sessions with out-of-order runs,
edits and deletions.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Optional

from .. import protocol
from .kernelspecs import kernel_for_notebook
from .notebook_kernels import RuntimeResult
from .cell_execution import cell_event, execute_cell, runtime_for
from .kernel_start import log_tail, start_kernel
from .silent_requests import ProbeError, install_probe, silent_expressions


class KernelSession:
    """One kernel lifetime. Use as a context manager; `close()` always stops the kernel.

    `kernel_name` is a kernelspec the caller insists on (KernelSpecNotFound when missing); `recorded_kernel`
    one to prefer when installed, else python3 with `note` saying so."""

    def __init__(self, notebook_path: str | Path, cwd: Optional[str | Path] = None, kernel_name: Optional[str] = None,
                 runtime_capture: bool = True, notebook_uri: Optional[str] = None, timeout: float = 600,
                 recorded_kernel: Optional[str] = None):
        self.notebook_path = str(Path(notebook_path).resolve())
        self.notebook_uri = notebook_uri or Path(self.notebook_path).as_uri()
        self.cwd = Path(cwd) if cwd else Path(self.notebook_path).parent
        self.timeout = timeout
        self.kernel_id = str(uuid.uuid4())
        metadata = {"kernelspec": {"name": recorded_kernel, "language": "python"}} if recorded_kernel else {}
        choice = kernel_for_notebook(metadata, kernel_name)
        self.kernel_name, self.kernel_display_name, self.note = choice.name, choice.display_name, choice.note
        self.runtime_capture = runtime_capture
        self.runtime_capture_error: Optional[str] = None
        self.died: Optional[str] = None  # what the kernel said when it died during a cell
        self._log = tempfile.TemporaryFile()
        try:
            self.manager, self.client = start_kernel(self.kernel_name, self.cwd, self._log)
        except BaseException:
            self._log.close()
            raise
        self.capture = False
        if runtime_capture:
            try:
                install_probe(self.client)
                self.capture = True
            except ProbeError as error:
                self.runtime_capture_error = str(error)

    def __enter__(self) -> "KernelSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, source: str, cell_id: str, cell_index: int) -> tuple[protocol.CellExecution, RuntimeResult]:
        """Execute one cell; the record the editor would send (as it ended: cell_execution.cell_event), and what the
        probe measured."""
        run = execute_cell(self.manager, self.client, source, self.timeout)
        event = cell_event(run, event_id=str(uuid.uuid4()), notebook_uri=self.notebook_uri,
                           notebook_path=self.notebook_path, cell_id=cell_id, cell_index=cell_index, language="python",
                           source=source, kernel_id=self.kernel_id, kernel_name=self.kernel_name,
                           kernel_display_name=self.kernel_display_name)
        if run.kernel_died:
            self.died = log_tail(self._log) or "the kernel died"
        return event, runtime_for(self.client, self.capture, self.runtime_capture, run)

    def expressions(self, expressions: dict[str, str], timeout: float = 10.0) -> dict:
        """Silent user_expressions (no execution count, no history, no output)."""
        return silent_expressions(self.client, expressions, timeout)

    def close(self) -> None:
        try:
            self.client.stop_channels()
        finally:
            try:
                if self.manager.has_kernel:
                    self.manager.shutdown_kernel(now=True)
            finally:
                self._log.close()


def record(service, event: protocol.CellExecution, runtime: RuntimeResult) -> None:
    """Store one run and its runtime result the way `trackit run` does (service: a TrackitService)."""
    service.ingest([event])
    service.add_runtime_facts(event.event_id, runtime.facts)
    if runtime.status:
        service.set_runtime_status({event.event_id: (runtime.status, runtime.evidence)})
