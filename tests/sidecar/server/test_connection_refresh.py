"""The server reopens its database connection once it has been quiet after enough executions were stored
(connection_refresh.py), and captures stored after it are read back with the ones before. The real server in this
process, its real store thread and a real DuckDB file; only the thresholds are made small."""

from __future__ import annotations

import asyncio
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server, connection_refresh

from ..in_process_server import stop_server
from .stdio_client import cell_executed


async def _store(server, notebook: Path, orders: range) -> None:
    for order in orders:
        server.enqueue(p.CellExecution(**cell_executed(notebook, order % 3, f"x{order} = {order}", order, 1e12 + order)))
    await server.flush()


async def test_the_connection_is_reopened_when_quiet_after_enough_writes_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setattr(connection_refresh, "REOPEN_AFTER_WRITES", 4)
    monkeypatch.setattr(connection_refresh, "QUIET_S", 0.2)
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    connection = server.service.store.connection
    notebook = Path("/tmp/refresh.ipynb")
    try:
        first = connection.con
        await _store(server, notebook, range(1, 4))  # fewer than REOPEN_AFTER_WRITES: kept open
        await asyncio.sleep(1.0)
        assert connection.con is first and connection.written == 3

        await _store(server, notebook, range(4, 6))
        for _ in range(100):
            if connection.con is not first:
                break
            await asyncio.sleep(0.1)
        assert connection.con is not first and connection.written == 0

        await _store(server, notebook, range(6, 8))
        document = await server.on_store(server.service.lineage, notebook.as_uri())
        assert [e.execution_count for e in document.executions] == list(range(1, 8))
    finally:
        await stop_server(server)
