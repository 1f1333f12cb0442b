"""Review F5: a step of making ready lineage rows that fails is tried again (backing off), not left until another
notebook happens to be queued. The real server in this process, its real store thread and a real DuckDB file; the
failure is the one thing set."""

from __future__ import annotations

import asyncio
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server, store_upkeep

from ..in_process_server import stop_server
from .stdio_client import cell_executed


async def test_a_failed_step_of_making_rows_is_tried_again_until_the_rows_are_made(tmp_path, monkeypatch):
    monkeypatch.setattr(store_upkeep, "ROWS_RETRY_S", 0.05, raising=False)  # absent before F5
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    ready = server.service.ready
    make = ready._make
    failures = [RuntimeError("a damaged page"), RuntimeError("still damaged")]

    def flaky(uri, *args):
        if failures:
            raise failures.pop(0)
        return make(uri, *args)

    monkeypatch.setattr(ready, "_make", flaky)
    notebook = Path("/tmp/retry.ipynb")
    uri = notebook.as_uri()
    try:
        for index in range(3):
            server.enqueue(p.CellExecution(**cell_executed(notebook, index, f"x{index} = {index}", index + 1, 1e12)))
        await server.flush()  # queued for the idle lane; nothing else is queued after it
        for _ in range(60):  # the idle lane needs its quiet (IDLE_S) before each try: looked at once a second
            rows = await server.on_store(server.service.store.ready.read, uri)
            if len(rows) == 3:
                break
            await asyncio.sleep(1.0)
        assert failures == [] and len(rows) == 3
    finally:
        await stop_server(server)
