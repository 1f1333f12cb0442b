"""One cell executed in a kernel this process started: its iopub messages read until the kernel is idle, its shell
reply, a timeout or Ctrl-C turned into an interrupt; then the record the editor would send and the runtime facts
the probe measured (`trackit run` and kernel/session.py drive kernels with it)."""

from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass
from typing import Any, Optional

from .. import protocol
from ..lineage.kept_errors import judged
from .cell_outputs import OutputCollector
from .notebook_kernels import RuntimeResult
from .silent_requests import ProbeError, fetch_facts

log = logging.getLogger(__name__)

REPLY_GRACE = 10.0


@dataclass
class CellRun:
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


def execute_cell(manager, client, source: str, timeout: float) -> CellRun:
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
    return CellRun(status, execution_count, collector.outputs, error_name, error_message, started, ended, died)


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


def cell_event(run: CellRun, **where: Any) -> protocol.CellExecution:
    """The record of one executed cell, as the editor would send it (`where`: its ids, source and kernel), but as it
    ended: a `%%capture` cell whose body raised failed though the kernel replied ok (lineage/kept_errors.py)."""
    return judged(protocol.CellExecution(
        **where, execution_order=run.execution_count, started_at=run.started_at, ended_at=run.ended_at,
        status=run.status, outputs=run.outputs, error_name=run.error_name, error_message=run.error_message))


def runtime_for(client, capture: bool, wanted: bool, run: CellRun) -> RuntimeResult:
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
