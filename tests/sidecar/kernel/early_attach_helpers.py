"""A frontend that starts a kernel like JupyterLab / VS Code do, a real `trackit serve` told about it, and a
kernel of "another program" (outside the sidecar's process tree).

Shared by test_early_attach.py, test_only_the_notebooks_kernel.py and race_bench.py (which repeats the race
to count wins). Here the test process plays the editor: `trackit serve` is its child, as the sidecar is the
extension host's, so kernels the test starts with KernelManager descend from "the editor".
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, Optional

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.connect import write_connection_file

from trackit_sidecar import protocol as p
from trackit_sidecar.kernel import silent_requests
from trackit_sidecar.kernel.discovery import ProcTable, process_of
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command

RUN_ALL = [
    "import pandas as pd\nraw = pd.DataFrame({'a': range(5), 'b': [1.0, None, 3.0, None, 5.0]})",
    "clean = raw.dropna()",
    "clean = clean[clean.a > 0]",
    "clean['c'] = clean.a * 2",
    "total = len(clean)",
]


class WatchingSidecar:
    """`trackit serve` as a child process with its own Jupyter runtime dir; the editor side is us."""

    def __init__(self, root: Path):
        self.root = root
        self.runtime_dir = root / "runtime"
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = root / "serve.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.runtime_dir), TRACKIT_LOG_FILE=str(self.log_path))
        self.db = root / "trackit.duckdb"
        self.client = StdioRpcClient(serve_command(str(self.db)), env=env, stderr=subprocess.DEVNULL)
        self.client.initialize()

    def open_cell(self, notebook: Path) -> None:
        """What the editor sends when a notebook opens: didOpen of its (python) cell documents."""
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": f"vscode-notebook-cell:{notebook}#cell0", "languageId": "python", "version": 1, "text": ""}})

    def announce(self, notebook: Path, connection_file: str, kernel_id: Optional[str] = None) -> None:
        """What the extension sends when a controller calls `trackit.notebookKernel`."""
        self.client.notify(p.NOTEBOOK_KERNEL, p.NotebookKernel(
            notebook_uri=notebook.as_uri(), notebook_path=str(notebook), connection_file=connection_file,
            kernel_id=kernel_id, kernel_name="python3", kernel_display_name="Python 3 (ipykernel)",
            language="python").model_dump(mode="json"))

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8")
        except OSError:
            return ""

    def wait_log(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log_text():
            if time.monotonic() > deadline:
                raise AssertionError(f"sidecar never logged {needle!r}; log:\n{self.log_text()[-3000:]}")
            time.sleep(0.05)

    def close(self) -> None:
        self.client.close()


class RunAllFrontend:
    """Starts a kernel with its connection file in the runtime dir, waits for kernel_info, queues all cells."""

    def __init__(self, runtime_dir: Path, cwd: Path, on_started: Optional[Callable[[KernelManager], None]] = None,
                 notebook_file: Optional[Path] = None):
        """on_started: called once the kernel process is launched, before it answers (a controller announcing
        it). notebook_file: set __vsc_ipynb_file__ once it answers, before any cell, as VS Code's Jupyter
        extension does in its start-up code."""
        self.kernel_id = str(uuid.uuid4())
        self.manager = KernelManager(kernel_name="python3",
                                     connection_file=str(runtime_dir / f"kernel-{self.kernel_id}.json"))
        started = time.monotonic()
        self.manager.start_kernel(cwd=str(cwd))
        if on_started is not None:
            on_started(self.manager)
        self.client = self.manager.client()
        self.client.start_channels()
        self._wait_for_kernel_info(timeout=60)
        self.startup_s = time.monotonic() - started  # connection file written -> kernel_info answered
        if notebook_file is not None:
            self.client.execute(f"__vsc_ipynb_file__ = {str(notebook_file)!r}", silent=True, store_history=False)

    def _wait_for_kernel_info(self, timeout: float) -> None:
        """kernel_info until it answers, and nothing else: no IOPub flush like wait_for_ready's (which
        would hand the watcher 0.2 s more), so run_all follows the first reply as closely as it can."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.client.kernel_info()
            try:
                reply = self.client.get_shell_msg(timeout=1)
            except queue.Empty:
                if not self.manager.is_alive():
                    raise RuntimeError("the kernel died while starting") from None
                continue
            if reply.get("msg_type") == "kernel_info_reply":
                return
        raise TimeoutError(f"no kernel_info reply within {timeout}s")

    def run_all(self, cells: list[str], timeout: float = 60) -> list[int]:
        """Queue every cell at once, like Run All; execution counts in cell order."""
        msg_ids = [self.client.execute(code, store_history=True, allow_stdin=False) for code in cells]
        counts: dict[str, int] = {}
        deadline = time.monotonic() + timeout
        while len(counts) < len(msg_ids):
            try:
                reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"cells did not finish within {timeout}s") from None
            parent = reply.get("parent_header", {}).get("msg_id")
            if parent in msg_ids:
                assert reply["content"]["status"] == "ok", reply["content"]
                counts[parent] = reply["content"]["execution_count"]
        return [counts[m] for m in msg_ids]

    def probe_stats(self, timeout: float = 10.0) -> dict | None:
        """The probe's own record of where it started (None: not installed), asked over a fresh client."""
        client = BlockingKernelClient()
        client.load_connection_file(self.manager.connection_file)
        client.start_channels()
        try:
            installed = silent_requests.silent_expression(client, "'_trackit_probe' in __import__('sys').modules",
                                                          timeout)
            return silent_requests.fetch_stats(client, timeout) if installed else None
        finally:
            client.stop_channels()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


class OutsideKernel:
    """A kernel of "another program": launched through a shell that exits at once, so the kernel is
    re-parented away from this process tree (as another user's, JupyterLab's or another VS Code window's
    kernel is). Its connection file can go anywhere, e.g. the sidecar's Jupyter runtime dir."""

    START_TIMEOUT = 120.0  # a loaded 2-core machine can take this long to import ipykernel
    ATTEMPTS = 3

    def __init__(self, connection_file: Path, cwd: Path):
        self.connection_file = str(connection_file)
        # its output, beside (not in) the Jupyter runtime dir, where only connection files belong
        self.log = Path(self.connection_file).parent.parent / (Path(self.connection_file).stem + ".log")
        self.pid = None
        failures = []
        for _ in range(self.ATTEMPTS):
            self._launch(cwd)
            self.client = BlockingKernelClient()
            self.client.load_connection_file(self.connection_file)
            self.client.start_channels()
            if self._answers():
                return
            self.client.stop_channels()
            # it exited: e.g. a port written into the connection file was taken by another process before the
            # kernel bound it. Its own words say why; a fresh file has fresh ports.
            failures.append(self.log.read_text(errors="replace")[-800:] if self.log.exists() else "(no log)")
        raise AssertionError("the outside kernel exited before answering, every attempt:\n" + "\n---\n".join(failures))

    def _launch(self, cwd: Path) -> None:
        write_connection_file(self.connection_file, key=uuid.uuid4().hex.encode())
        command = f"exec {sys.executable} -m ipykernel_launcher -f {self.connection_file} >{self.log} 2>&1 &"
        subprocess.run(["sh", "-c", command], cwd=cwd, check=True, start_new_session=True)
        deadline = time.monotonic() + 30
        self.pid = None
        while self.pid is None and time.monotonic() < deadline:
            self.pid = process_of(self.connection_file)
            time.sleep(0.05)
        assert self.pid is not None, "the outside kernel did not start"

    def _alive(self) -> bool:
        return process_of(self.connection_file) == self.pid

    def _answers(self) -> bool:
        """Wait until the kernel answers kernel_info and its iopub is connected; False if its process exited.

        Not the client's wait_for_ready: for a client without a KernelManager it judges the kernel dead from
        missed heartbeats (1 s), which a kernel still importing on a busy machine misses while very much alive.
        Here only the kernel's process exiting counts as dead."""
        deadline = time.monotonic() + self.START_TIMEOUT
        while time.monotonic() < deadline:
            if not self._alive():
                return False
            self.client.kernel_info()
            try:
                reply = self.client.get_shell_msg(timeout=1)
            except queue.Empty:
                continue
            if reply["msg_type"] != "kernel_info_reply":
                continue
            try:  # the reply's busy/idle status on iopub: our subscription is live, no output will be missed
                self.client.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            while True:  # drop what is left of the start-up chatter
                try:
                    self.client.get_iopub_msg(timeout=0.2)
                except queue.Empty:
                    return True
        raise AssertionError(f"the outside kernel (pid {self.pid}) is running but did not answer within "
                             f"{self.START_TIMEOUT:.0f} s; its log:\n{self.log.read_text(errors='replace')[-800:]}")

    def outside(self, editor_pid: int) -> bool:
        return not ProcTable().under(self.pid, editor_pid)

    def run(self, code: str) -> dict:
        reply = self.client.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        return reply["content"]

    def has_probe(self) -> bool:
        return silent_requests.silent_expression(self.client, "'_trackit_probe' in __import__('sys').modules", 10)

    def close(self) -> None:
        try:
            self.client.shutdown()
            self.client.stop_channels()
        finally:
            for _ in range(50):
                if process_of(self.connection_file) is None:
                    break
                time.sleep(0.1)
            else:
                os.kill(self.pid, signal.SIGKILL)  # our own kernel, by its pid
            Path(self.connection_file).unlink(missing_ok=True)
            self.log.unlink(missing_ok=True)


def wait_for_probe(frontend: RunAllFrontend, timeout: float = 30.0) -> dict | None:
    """The probe's stats once it is installed, or None after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = frontend.probe_stats()
        if stats is not None:
            return stats
        time.sleep(0.1)
    return None
