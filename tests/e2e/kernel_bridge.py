"""Kernel bridge for the e2e test controller: one REAL ipykernel per notebook, JSON lines over stdio.

Started by tests/e2e/test-controller with the repo .venv python, cwd = the notebook's folder. The kernel's
connection file goes to the Jupyter runtime directory (jupyter_core.paths.jupyter_runtime_dir()), exactly
where JupyterLab / the Jupyter extension put theirs, so anything that discovers live kernels finds this one.

stdin  (one JSON object a line):
  {"op": "execute", "id": 7, "code": "..."}      run code; requests run one after another, in order
  {"op": "interrupt"}                             SIGINT the kernel (the running request ends as an error)
  {"op": "shutdown"}                              stop the kernel and exit
stdout (one JSON object a line):
  {"type": "starting", "kernel_id", "kernel_name", "display_name", "language", "connection_file", "pid"}
                                                  the kernel process was launched (not answering yet):
                                                  the controller announces it to TrackIT now
  {"type": "ready", "kernel_id", "kernel_name", "connection_file", "pid"}
  {"type": "started", "id", "execution_count"}    the kernel began the request (execute_input)
  {"type": "output", "id", "output": {...}}        stream | data | error, as the kernel sent it
  {"type": "done", "id", "status": "ok"|"error"|"aborted", "execution_count"}
  {"type": "fatal", "message"}                    the bridge cannot go on (kernel died, bad start)
  {"type": "problem", "message"}                  a bad request line was ignored
EOF on stdin = shutdown (the controller's extension host went away: never leave a kernel behind).
"""
from __future__ import annotations

import json
import os
import queue
import signal
import sys
import threading
import uuid
from typing import Any

from jupyter_client.manager import KernelManager
from jupyter_core.paths import jupyter_runtime_dir

_stdout_lock = threading.Lock()


def emit(message: dict[str, Any]) -> None:
    line = json.dumps(message, default=str)
    with _stdout_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def output_from_iopub(msg_type: str, content: dict[str, Any]) -> dict[str, Any] | None:
    """Pure: one iopub message -> the output record the controller renders, None for non-outputs."""
    if msg_type == "stream":
        return {"kind": "stream", "name": content.get("name", "stdout"), "text": content.get("text", "")}
    if msg_type in ("execute_result", "display_data"):
        return {"kind": "data", "output_type": msg_type, "data": content.get("data", {})}
    if msg_type == "error":
        return {
            "kind": "error",
            "ename": content.get("ename", ""),
            "evalue": content.get("evalue", ""),
            "traceback": content.get("traceback", []),
        }
    return None


class Bridge:
    def __init__(self, kernel_name: str) -> None:
        runtime_dir = jupyter_runtime_dir()
        os.makedirs(runtime_dir, exist_ok=True)
        self.kernel_id = str(uuid.uuid4())
        self.km = KernelManager(
            kernel_name=kernel_name,
            connection_file=os.path.join(runtime_dir, f"kernel-{self.kernel_id}.json"),
        )
        self.km.start_kernel(cwd=os.getcwd())
        spec = self.km.kernel_spec
        emit(
            {
                "type": "starting",
                "kernel_id": self.kernel_id,
                "kernel_name": kernel_name,
                "display_name": spec.display_name if spec else None,
                "language": spec.language if spec else None,
                "connection_file": self.km.connection_file,
                "pid": self.km.provisioner.pid if self.km.provisioner else None,
            }
        )
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        emit(
            {
                "type": "ready",
                "kernel_id": self.kernel_id,
                "kernel_name": kernel_name,
                "connection_file": self.km.connection_file,
                "pid": self.km.provisioner.pid if self.km.provisioner else None,
            }
        )

    def execute(self, request_id: Any, code: str) -> None:
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        execution_count = None
        # iopub carries outputs; the request is over when the kernel goes idle for OUR message.
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                if not self.km.is_alive():
                    emit({"type": "done", "id": request_id, "status": "error", "execution_count": execution_count})
                    emit({"type": "fatal", "message": "kernel died"})
                    raise SystemExit(2)
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            msg_type, content = msg["msg_type"], msg["content"]
            if msg_type == "execute_input":
                execution_count = content.get("execution_count")
                emit({"type": "started", "id": request_id, "execution_count": execution_count})
            elif msg_type == "status" and content.get("execution_state") == "idle":
                break
            else:
                output = output_from_iopub(msg_type, content)
                if output is not None:
                    emit({"type": "output", "id": request_id, "output": output})
        reply = self.kc.get_shell_msg(timeout=30)
        while reply.get("parent_header", {}).get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=30)
        content = reply["content"]
        emit(
            {
                "type": "done",
                "id": request_id,
                "status": content.get("status", "error"),
                "execution_count": content.get("execution_count", execution_count),
            }
        )

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            # shutdown_kernel also removes the connection file from the runtime dir.
            self.km.shutdown_kernel(now=False)


def main() -> int:
    kernel_name = os.environ.get("TRACKIT_E2E_KERNEL_NAME", "python3")
    try:
        bridge = Bridge(kernel_name)
    except Exception as exc:  # report why instead of dying silently: the controller shows it in the cell
        emit({"type": "fatal", "message": f"could not start kernel {kernel_name!r}: {exc!r}"})
        return 2

    requests: queue.Queue[dict[str, Any] | None] = queue.Queue()

    # jupyter_client starts the kernel in its own session, so a signal to our process group (code-server
    # stopping) does not reach it: turn SIGTERM/SIGHUP into a normal exit that shuts the kernel down.
    def exit_on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, exit_on_signal)

    def read_stdin() -> None:
        # A separate reader so "interrupt" is handled while an execute is running.
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except json.JSONDecodeError as exc:
                emit({"type": "problem", "message": f"bad request line {line[:200]!r}: {exc}"})
                continue
            if message.get("op") == "interrupt":
                bridge.km.interrupt_kernel()
            else:
                requests.put(message)
        requests.put(None)  # EOF

    threading.Thread(target=read_stdin, daemon=True).start()
    try:
        while True:
            message = requests.get()
            if message is None or message.get("op") == "shutdown":
                break
            if message.get("op") == "execute":
                bridge.execute(message.get("id"), message.get("code", ""))
            else:
                emit({"type": "problem", "message": f"unknown op {message.get('op')!r}"})
    finally:
        bridge.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
