"""Run a notebook top to bottom in a fresh kernel and report each cell as the editor would.

One protocol.CellExecution per executed code cell, built from the kernel's own messages
(execute_reply for status/execution_count, iopub for outputs), so `trackit run` and the
VS Code extension feed the store the same records. A failing cell stops the run, and so does a `%%capture`
cell whose body raised (lineage/kept_errors.py): the kernel replied ok, but the cell failed.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .. import protocol
from ..notebook_file import cell_id_for, read_notebook
from .cell_execution import cell_event, execute_cell, runtime_for
from .kernel_start import log_tail, start_kernel
from .kernelspecs import kernel_for_notebook
from .notebook_kernels import RuntimeResult
from .silent_requests import ProbeError, install_probe, silent_expressions

log = logging.getLogger(__name__)

# Called once per executed cell with its record and its runtime facts (status "captured" with evidence
# "started": this run started the kernel, so it is the notebook's own).
OnExecution = Callable[[protocol.CellExecution, RuntimeResult], None]
# Called after on_execution, with a function that asks the kernel this run started (the notebook's own)
# silent questions (kernel/experiments.py).
AfterExecution = Callable[[protocol.CellExecution, Callable[[dict, float], dict]], None]


# ------------------------------------------------------------------ errors
class KernelDiedError(RuntimeError):
    """The kernel died during the run; `.result` holds what was recorded, the last cell as error."""

    def __init__(self, message: str, result: "RunResult"):
        super().__init__(message)
        self.result = result


# ------------------------------------------------------------------ result
@dataclass
class RunResult:
    notebook_path: str
    notebook_uri: str
    kernel_id: str
    kernel_name: str
    kernel_display_name: Optional[str] = None
    kernel_note: Optional[str] = None  # kernelspecs.KernelChoice.note: why this is not the notebook's kernelspec
    events: list[protocol.CellExecution] = field(default_factory=list)
    runtime: dict[str, list[protocol.RuntimeFacts]] = field(default_factory=dict)  # event_id -> facts
    capture_ms: dict[str, float] = field(default_factory=dict)  # event_id -> in-kernel probe time
    status: protocol.ExecutionStatus = "ok"
    failed_cell_index: Optional[int] = None
    failed_cell_id: Optional[str] = None
    error_name: Optional[str] = None
    error_message: Optional[str] = None
    code_cells: int = 0
    runtime_capture_error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


# ------------------------------------------------------------------ notebook reading (pure + file read)
def load_notebook(path: str | Path):
    """Read an .ipynb as nbformat v4. Raises NotebookError with a one-line message."""
    return read_notebook(str(path))


def notebook_language(notebook: Any) -> str:
    metadata = notebook.get("metadata", {}) or {}
    language = (metadata.get("language_info") or {}).get("name") or (metadata.get("kernelspec") or {}).get("language")
    return str(language or "python").lower()


# ------------------------------------------------------------------ the run
def run_notebook(
    path: str | Path,
    kernel_name: Optional[str] = None,
    timeout: float = 600,
    on_execution: Optional[OnExecution] = None,
    runtime_capture: bool = True,
    after_execution: Optional[AfterExecution] = None,
    cells: Optional[Sequence[int]] = None,
) -> RunResult:
    """Execute every code cell in a fresh kernel, cwd = the notebook's folder.

    `cells`: the indices of the cells to run, in the order to run them (an index given twice is a re-run
    of that cell, as a user re-runs one); default every code cell top to bottom.

    `timeout` is per cell (seconds); a cell over it is interrupted and recorded as cancelled.
    Stops at the first failing cell. Raises NotebookError, KernelStartError (and subclasses),
    KernelDiedError (with the partial RunResult).
    """
    notebook_path = Path(path).resolve()
    notebook = load_notebook(notebook_path)
    choice = kernel_for_notebook(notebook.get("metadata"), kernel_name)
    name = choice.name
    language = notebook_language(notebook)
    result = RunResult(
        notebook_path=str(notebook_path),
        notebook_uri=notebook_path.as_uri(),
        kernel_id=str(uuid.uuid4()),
        kernel_name=name,
        kernel_display_name=choice.display_name,
        kernel_note=choice.note,
        code_cells=sum(1 for c in notebook["cells"] if c.get("cell_type") == "code"),
    )
    kernel_log = tempfile.TemporaryFile()
    try:
        manager, client = start_kernel(name, notebook_path.parent, kernel_log)
    except BaseException:
        kernel_log.close()
        raise
    try:
        capture = False
        if runtime_capture:
            try:
                install_probe(client)
                capture = True
            except ProbeError as error:
                result.runtime_capture_error = str(error)
                log.warning("runtime capture disabled for this run: %s", error)
        order = range(len(notebook["cells"])) if cells is None else cells
        for index in order:
            cell = notebook["cells"][index]
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            if not source.strip():
                continue  # IPython does not count or record an empty cell; neither does the editor
            run = execute_cell(manager, client, source, timeout)
            event = cell_event(run, event_id=str(uuid.uuid4()), notebook_uri=result.notebook_uri,
                               notebook_path=result.notebook_path, cell_id=cell_id_for(cell, index), cell_index=index,
                               language=language, source=source, kernel_id=result.kernel_id, kernel_name=name,
                               kernel_display_name=choice.display_name)
            runtime = runtime_for(client, capture, runtime_capture, run)
            if runtime.capture_ms is not None:
                result.capture_ms[event.event_id] = runtime.capture_ms
            result.events.append(event)
            result.runtime[event.event_id] = runtime.facts
            if on_execution is not None:
                on_execution(event, runtime)
            if after_execution is not None and not run.kernel_died:
                after_execution(event, lambda expressions, wait: silent_expressions(client, expressions, wait))
            if event.status != "ok":
                result.status = event.status
                result.failed_cell_index = index
                result.failed_cell_id = event.cell_id
                result.error_name, result.error_message = event.error_name, event.error_message
                if run.kernel_died:
                    detail = log_tail(kernel_log)
                    raise KernelDiedError(
                        f"kernel died while running cell {index} of {notebook_path.name}"
                        + (f"; kernel said: {detail}" if detail else ""),
                        result,
                    )
                break
    finally:
        try:
            client.stop_channels()
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
            kernel_log.close()
    return result
