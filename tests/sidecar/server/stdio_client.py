"""What every stdio test of the sidecar needs: a pytest-lsp client on a real `trackit_sidecar serve` process,
captures as the editor sends them, and results compared as plain data."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from trackit_sidecar import protocol as p


def plain(value):
    """pygls hands untyped results back as namedtuples; compare them as plain data."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class Notifications:
    """Every notification of one method the sidecar sends, in the order sent, none lost. pytest-lsp's
    wait_for_notification keeps one waiter that the first notification takes: a second one read in the same pass
    (two deltas sent back to back) is dropped before the test can wait again."""

    def __init__(self, client: LanguageClient, method: str) -> None:
        self._received: asyncio.Queue = asyncio.Queue()

        @client.feature(method)
        def received(params) -> None:
            self._received.put_nowait(params)

    async def next(self, timeout_s: float = 30.0):
        return plain(await asyncio.wait_for(self._received.get(), timeout_s))


def sidecar_client(*serve_args: str):
    """A `client` fixture: the sidecar started with `serve *serve_args`, initialised as VS Code would."""

    @pytest_lsp.fixture(config=ClientServerConfig(
        server_command=[sys.executable, "-m", "trackit_sidecar", "serve", *serve_args]))
    async def client(lsp_client: LanguageClient):
        await lsp_client.initialize_session(
            lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"), process_id=None))
        yield
        await lsp_client.shutdown_session()

    return client


def cell_executed(notebook: Path, cell: int, source: str, order: int, t0: float, **extra) -> dict:
    """One `cellExecuted` capture of cell `cell` (id `cell-N`), run as the `order`-th execution at `t0` for 5 ms."""
    extra.setdefault("status", "ok")
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=f"cell-{cell}", cell_index=cell, source=source, execution_order=order, started_at=t0,
        ended_at=t0 + 5, **extra).model_dump(mode="json")

