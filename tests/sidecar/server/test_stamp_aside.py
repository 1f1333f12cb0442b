"""A run's stamp (a package listing in a subprocess, git) takes seconds. The runtime statuses of the executions that
follow must not wait for it: in code-server, a Run All closed a second after it ran lost its last cell's facts to the
first cell's stamp ("editor_closed"). The real server in this process on a real DuckDB file; the stamp is held back
until the test lets it go, as a slow package listing would."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server

from ..in_process_server import stop_server
from .stdio_client import cell_executed

CELLS = 6


async def _until(condition, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_the_executions_after_a_stamped_one_get_their_statuses_while_the_stamp_is_made(tmp_path):
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    experiments = server.service.experiments
    make_stamp, stamping, release = experiments.make_stamp, threading.Event(), threading.Event()

    def slow_stamp(work, reply):  # the stamp thread
        stamping.set()
        assert release.wait(60)  # longer than the statuses are waited for below
        return make_stamp(work, reply)

    experiments.make_stamp = slow_stamp
    notebook = Path(tmp_path / "stamped.ipynb")
    events = [p.CellExecution(**cell_executed(notebook, i, f"x{i} = {i}", i + 1, 1e12 + 10 * i)) for i in range(CELLS)]

    async def statuses() -> list:
        doc = await server.on_store(server.service.lineage, notebook.as_uri())
        return [e.runtime_status for e in doc.executions]

    try:
        for event in events:
            server.enqueue(event)
        await server.flush()
        await _until(lambda: asyncio.sleep(0, stamping.is_set()))
        # No kernel is tied to this notebook: the stamp is made without it, at the run's third execution
        # (experiments.service.defer_stamp), and every execution's status is stored while it is being made.
        await _until(lambda: _all_set(statuses), timeout=20)
        assert await statuses() == ["kernel_not_identified"] * CELLS
        stamped = await server.on_store(experiments.db.stamped, events[0].event_id)
        assert not stamped
        release.set()
        await server.kernels.idle()
        assert await server.on_store(experiments.db.stamped, events[0].event_id)
    finally:
        release.set()
        await stop_server(server)


async def _all_set(statuses) -> bool:
    got = await statuses()
    return len(got) == CELLS and all(got)
