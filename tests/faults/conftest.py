"""Fault injection against the real sidecar over stdio and the real `trackit` CLI: garbage, kill -9,
damaged and read-only databases, poison events, huge sources, planted secrets.

Helpers are fixtures because the suite runs with --import-mode=importlib (test modules cannot import
siblings). Each server writes its log next to its database, so a failure shows what the sidecar saw.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.rpc_client import StdioRpcClient, serve_command

NOBODY = 65534


class Server(StdioRpcClient):
    """A real `trackit serve` process on a database, its stderr in `<db>.log`."""

    def __init__(self, db: Path, env: Optional[dict] = None):
        self.db = db
        folder = next(d for d in (db.parent, *db.parents) if d.is_dir())  # the sidecar may create db.parent
        self.log = folder / f"{db.name}.{uuid.uuid4().hex[:6]}.log"
        self._log_handle = open(self.log, "wb")
        super().__init__(serve_command(str(db)), env=env, stderr=self._log_handle)

    def log_text(self) -> str:
        if not self._log_handle.closed:
            self._log_handle.flush()
        return self.log.read_text(errors="replace")

    def close(self, timeout: float = 10.0) -> int:
        try:
            return super().close(timeout)
        finally:
            self._log_handle.close()

    def stored_count(self) -> int:
        return self.request(p.STATUS, {})["executions_stored"]


def make_event(notebook: Path, n: int, **overrides: Any) -> dict:
    fields: dict[str, Any] = dict(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook), cell_id=f"c{n % 50}",
        cell_index=n % 50, source=f"v{n % 50} = {n % 50}", execution_order=n + 1,
        started_at=1_764_000_000_000.0 + n * 10, ended_at=1_764_000_000_000.0 + n * 10 + 5, status="ok",
        kernel_id="k1", kernel_name="python3",
    )
    fields.update(overrides)
    return fields


@pytest.fixture
def event():
    """event(notebook, n, **overrides) -> a CellExecution as wire JSON (unique event_id)."""
    return make_event


@pytest.fixture
def serve():
    """serve(db) -> an initialized Server; every server started is closed (or killed) at the end."""
    started: list[Server] = []

    def start(db: Path, initialize: bool = True, env: Optional[dict] = None) -> Server:
        server = Server(db, env)
        started.append(server)
        if initialize:
            server.initialize()
        return server

    yield start
    for server in started:
        if server.proc.poll() is None:
            server.close(timeout=5)
        else:
            server._log_handle.close()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s")
        time.sleep(interval)


@pytest.fixture
def until():
    return wait_until


def unprivileged() -> Optional[Callable[[], None]]:
    """preexec_fn that drops root (CI runs as root, and root ignores file modes); None when not root."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    return drop


def run_cli(*args: str, as_user: bool = False, timeout: float = 120, env: Optional[dict] = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=unprivileged() if as_user else None, env=env)


@pytest.fixture
def cli():
    """cli(*args, as_user=False) -> CompletedProcess of `trackit ...` (as_user: without root's privileges)."""
    return run_cli
