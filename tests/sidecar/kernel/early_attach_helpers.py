"""A frontend that starts a kernel like JupyterLab / VS Code do, and a real `trackit serve` watching it.

Shared by test_early_attach.py and race_bench.py (which repeats the race to count wins).
"""

from __future__ import annotations

import os
import queue
import subprocess
import time
import uuid
from pathlib import Path

from jupyter_client import BlockingKernelClient, KernelManager

from trackit_sidecar.kernel import attach
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

    def __init__(self, runtime_dir: Path, cwd: Path):
        self.manager = KernelManager(kernel_name="python3",
                                     connection_file=str(runtime_dir / f"kernel-{uuid.uuid4()}.json"))
        started = time.monotonic()
        self.manager.start_kernel(cwd=str(cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        self._wait_for_kernel_info(timeout=60)
        self.startup_s = time.monotonic() - started  # connection file written -> kernel_info answered

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
            installed = attach._one(client, "'_trackit_probe' in __import__('sys').modules", timeout)
            return attach.fetch_stats(client, timeout) if installed else None
        finally:
            client.stop_channels()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def wait_for_probe(frontend: RunAllFrontend, timeout: float = 30.0) -> dict | None:
    """The probe's stats once it is installed, or None after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = frontend.probe_stats()
        if stats is not None:
            return stats
        time.sleep(0.1)
    return None
