"""The vacuum the store's checkpoints owe (store/memory_limit.py) is queued once captures are stored and runs on the
store thread's idle lane only once no capture or request has come for VACUUM_QUIET_S: a burst's checkpoints do not
vacuum, so the burst's peak does not carry the vacuum's. A real server in this process, a real DuckDB file."""

from __future__ import annotations

import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import app, build_server
from trackit_sidecar.store import memory_limit

from ..in_process_server import stop_capturing, stop_server


def _event(nb: Path, i: int) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{i % 3}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{i % 3}", cell_index=i % 3, source=f"df{i} = df.dropna()  # {i}",
        execution_order=i + 1, started_at=1e12 + i * 1000, ended_at=1e12 + i * 1000 + 1, status="ok")


async def test_the_vacuum_owed_waits_for_quiet_then_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(memory_limit, "WAL_AUTOCHECKPOINT", 16 * 1024)  # a few batches make a few checkpoints
    monkeypatch.setattr(app, "VACUUM_QUIET_S", 3600.0)  # never quiet enough within the test, until set below
    monkeypatch.setattr(memory_limit, "VACUUM_WORTH", 0.0)  # when the vacuum runs, not whether it is worth it (store tests)
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    connection = server.service.store.connection
    try:
        nb = tmp_path / "nb.ipynb"
        for batch in range(8):
            for i in range(batch * 10, batch * 10 + 10):
                server.enqueue(_event(nb, i))
            await server.flush()
        await stop_capturing(server)
        assert connection.vacuum_owed()
        assert server._vacuum_queued  # queued by a stored batch, on the idle lane

        server._vacuum_step()  # as the idle lane would run it: the store thread worked moments ago
        assert connection.vacuum_owed()
        assert server._vacuum_queued  # queued again for after the quiet

        monkeypatch.setattr(app, "VACUUM_QUIET_S", 0.0)
        server.enqueue(_event(nb, 99))  # DuckDB vacuums only in a checkpoint that writes something
        await server.flush()
        server._vacuum_step()
        assert not connection.vacuum_owed()
        assert server.service.store.count_executions() == 81
    finally:
        await stop_server(server)
