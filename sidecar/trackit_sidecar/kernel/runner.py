"""Run a notebook top to bottom in a fresh kernel and report each cell as the editor would.

One protocol.CellExecution per executed code cell, built from the kernel's own messages
(execute_reply for status/execution_count, iopub for outputs), so `trackit run` and the
VS Code extension feed the store the same records. A failing cell stops the run, and so does a `%%capture`
cell whose body raised (lineage/kept_errors.py): the kernel replied ok, but the cell failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import queue
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .. import protocol
from ..lineage.kept_errors import judged
from ..notebook_file import NotebookError, cell_id_for, read_notebook  # noqa: F401  (re-exported)
from .kernelspecs import (  # noqa: F401  (re-exported)
    KernelChoice,
    KernelSpecNotFound,
    KernelStartError,
    NotPythonKernel,
    kernel_for_notebook,
)
from .notebook_kernels import RuntimeResult
from .silent_requests import ProbeError, fetch_facts, install_probe, silent_expressions

log = logging.getLogger(__name__)

# Called once per executed cell with its record and its runtime facts (status "captured" with evidence
# "started": this run started the kernel, so it is the notebook's own).
OnExecution = Callable[[protocol.CellExecution, RuntimeResult], None]
# Called after on_execution, with a function that asks the kernel this run started (the notebook's own)
# silent questions (kernel/experiments.py).
AfterExecution = Callable[[protocol.CellExecution, Callable[[dict, float], dict]], None]

# VS Code's own mimes for stream and error outputs: the extension forwards them as it sees them.
STDOUT_MIME = "application/vnd.code.notebook.stdout"
STDERR_MIME = "application/vnd.code.notebook.stderr"
ERROR_MIME = "application/vnd.code.notebook.error"
STARTUP_TIMEOUT = 60.0
REPLY_GRACE = 10.0


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


# ------------------------------------------------------------------ outputs (pure)
def is_text_mime(mime: str) -> bool:
    return (
        mime.startswith("text/")
        or mime in ("application/json", "application/javascript", "image/svg+xml")
        or mime.endswith("+json")
        or mime.endswith("+xml")
    )


def _text_output(output_type: str, mime: str, text: str) -> protocol.CellOutput:
    data = text.encode("utf-8", "surrogatepass")
    return protocol.CellOutput(
        output_type=output_type, mime=mime, text=text, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def _binary_output(output_type: str, mime: str, b64: str) -> protocol.CellOutput:
    try:
        raw = base64.b64decode(b64)
        size, digest = len(raw), hashlib.sha256(raw).hexdigest()
    except (binascii.Error, ValueError):
        size, digest = len(b64), None
    return protocol.CellOutput(output_type=output_type, mime=mime, base64=b64, size=size, sha256=digest)


class OutputCollector:
    """Turns one execution's iopub messages into CellOutputs (consecutive stream text merged)."""

    def __init__(self) -> None:
        self.outputs: list[protocol.CellOutput] = []
        self._clear_pending = False
        self.execution_count: Optional[int] = None
        self.error: Optional[tuple[str, str]] = None

    def feed(self, msg: dict) -> None:
        msg_type = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        content = msg.get("content", {})
        if msg_type == "execute_input":
            self.execution_count = content.get("execution_count")
            return
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_pending = True
            else:
                self.outputs.clear()
            return
        if msg_type not in ("stream", "execute_result", "display_data", "error"):
            return  # status, update_display_data, comm messages
        if self._clear_pending:
            self.outputs.clear()
            self._clear_pending = False
        if msg_type == "stream":
            mime = STDERR_MIME if content.get("name") == "stderr" else STDOUT_MIME
            text = content.get("text", "")
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream" and last.mime == mime:
                self.outputs[-1] = _text_output("stream", mime, (last.text or "") + text)
            else:
                self.outputs.append(_text_output("stream", mime, text))
        elif msg_type == "error":
            name, message = content.get("ename", ""), content.get("evalue", "")
            self.error = (name, message)
            stack = "\n".join(content.get("traceback", []))
            self.outputs.append(
                _text_output("error", ERROR_MIME, json.dumps({"name": name, "message": message, "stack": stack}))
            )
        else:
            for mime, value in (content.get("data") or {}).items():
                if is_text_mime(mime):
                    text = value if isinstance(value, str) else json.dumps(value)
                    self.outputs.append(_text_output(msg_type, mime, text))
                elif isinstance(value, str):
                    self.outputs.append(_binary_output(msg_type, mime, value))


# ------------------------------------------------------------------ kernel start
def _start_kernel(kernel_name: str, cwd: Path, kernel_log):
    """Start the kernel with its stdout/stderr in `kernel_log` (shown only if it dies)."""
    from jupyter_client import KernelManager

    manager = KernelManager(kernel_name=kernel_name)
    try:
        manager.start_kernel(cwd=str(cwd), stdout=kernel_log, stderr=kernel_log)
    except Exception as error:
        raise KernelStartError(f"kernel {kernel_name!r} failed to start: {error}") from error
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=STARTUP_TIMEOUT)
    except RuntimeError as error:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        detail = _log_tail(kernel_log)
        raise KernelStartError(
            f"kernel {kernel_name!r} did not become ready: {error}" + (f"; kernel said: {detail}" if detail else "")
        ) from error
    return manager, client


def _log_tail(kernel_log, lines: int = 5) -> str:
    """Last lines the kernel process wrote, minus the TCP-encryption notice every kernel prints."""
    try:
        kernel_log.flush()
        kernel_log.seek(0)
        text = kernel_log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    kept = [line for line in text.splitlines() if line.strip() and "without encryption" not in line]
    return " | ".join(kept[-lines:])


# ------------------------------------------------------------------ one cell
@dataclass
class _CellRun:
    status: protocol.ExecutionStatus
    execution_count: Optional[int]
    outputs: list[protocol.CellOutput]
    error_name: Optional[str]
    error_message: Optional[str]
    started_at: float
    ended_at: float
    kernel_died: bool = False


def _now_ms() -> float:
    return time.time() * 1000.0


def _execute_cell(manager, client, source: str, timeout: float) -> _CellRun:
    collector = OutputCollector()
    started = _now_ms()
    msg_id = client.execute(source, store_history=True, allow_stdin=False, stop_on_error=True)
    deadline = time.monotonic() + timeout
    cell_timeout = timeout
    cancel_reason: Optional[str] = None  # "timeout" | "interrupted"
    died = False
    idle = False
    try:
        while not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                cancel_reason = "timeout"
                manager.interrupt_kernel()
                # let the interrupt land and the kernel go idle before reading the reply
                if not _drain_until_idle(manager, client, msg_id, collector, REPLY_GRACE):
                    died = not manager.is_alive()
                break
            try:
                msg = client.get_iopub_msg(timeout=min(1.0, remaining))
            except queue.Empty:
                if not manager.is_alive():
                    died = True
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            else:
                collector.feed(msg)
    except KeyboardInterrupt:  # Ctrl-C on `trackit run`: stop the cell, keep what we have
        cancel_reason = "interrupted"
        manager.interrupt_kernel()
        _drain_until_idle(manager, client, msg_id, collector, REPLY_GRACE)
    ended = _now_ms()
    reply = None if died else _shell_reply(client, msg_id, REPLY_GRACE)
    execution_count = collector.execution_count
    error_name = error_message = None
    status: protocol.ExecutionStatus = "ok"
    if reply is not None:
        content = reply["content"]
        execution_count = content.get("execution_count", execution_count)
        if content.get("status") == "error":
            status, error_name, error_message = "error", content.get("ename"), content.get("evalue")
        elif content.get("status") == "aborted":
            status = "cancelled"
    elif collector.error:
        status, (error_name, error_message) = "error", collector.error
    if died:
        status, error_name, error_message = "error", "KernelDied", "the kernel died while running this cell"
    elif cancel_reason == "timeout":
        status, error_name, error_message = "cancelled", "TimeoutError", f"cell interrupted after {cell_timeout:g}s"
    elif cancel_reason == "interrupted" or error_name == "KeyboardInterrupt":
        status, error_name = "cancelled", "KeyboardInterrupt"
    return _CellRun(status, execution_count, collector.outputs, error_name, error_message, started, ended, died)


def _drain_until_idle(manager, client, msg_id: str, collector: OutputCollector, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            msg = client.get_iopub_msg(timeout=min(1.0, remaining))
        except queue.Empty:
            if not manager.is_alive():
                return False
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
            return True
        collector.feed(msg)
    return False


def _shell_reply(client, msg_id: str, seconds: float) -> Optional[dict]:
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            reply = client.get_shell_msg(timeout=remaining)
        except queue.Empty:
            return None
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            return reply
    return None


def cell_event(run: _CellRun, **where: Any) -> protocol.CellExecution:
    """The record of one executed cell, as the editor would send it (`where`: its ids, source and kernel), but as it
    ended: a `%%capture` cell whose body raised failed though the kernel replied ok (lineage/kept_errors.py)."""
    return judged(protocol.CellExecution(
        **where, execution_order=run.execution_count, started_at=run.started_at, ended_at=run.ended_at,
        status=run.status, outputs=run.outputs, error_name=run.error_name, error_message=run.error_message))


def _runtime_for(client, capture: bool, wanted: bool, run: _CellRun) -> RuntimeResult:
    """The facts of one cell from the kernel this run started (evidence "started")."""
    if not wanted:
        return RuntimeResult("off")
    if run.execution_count is None:
        return RuntimeResult(None)  # never ran: nothing to measure
    if not capture or run.kernel_died:
        return RuntimeResult("kernel_unreachable", "started")
    try:
        facts, capture_ms, _known = fetch_facts(client, run.execution_count, timeout=REPLY_GRACE)
    except ProbeError as error:
        log.debug("no runtime facts for execution %s: %s", run.execution_count, error)
        return RuntimeResult("kernel_unreachable", "started")
    return RuntimeResult("captured", "started", facts, capture_ms)


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
        manager, client = _start_kernel(name, notebook_path.parent, kernel_log)
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
            run = _execute_cell(manager, client, source, timeout)
            event = cell_event(run, event_id=str(uuid.uuid4()), notebook_uri=result.notebook_uri,
                               notebook_path=result.notebook_path, cell_id=cell_id_for(cell, index), cell_index=index,
                               language=language, source=source, kernel_id=result.kernel_id, kernel_name=name,
                               kernel_display_name=choice.display_name)
            runtime = _runtime_for(client, capture, runtime_capture, run)
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
                    detail = _log_tail(kernel_log)
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
