"""A run whose kernel already pushed its facts is told to the editor once, with them: its first lineageChanged
waits (at most server/app.FACTS_HOLD_S) for the facts to be stored, so the tree's row does not change twice.
A run whose kernel is not attached yet is told at once. A real sidecar server in this process, a real DuckDB
file and a real ipykernel announced for the notebook; only the editor's end of the wire is a list."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import app, build_server

from ..in_process_server import stop_server

CELLS = [
    "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None, 3.0, None]})",
    "df = df.dropna()",
    "df = df[df.a > 1]",
]


def _event(notebook, index: int, source: str, count: int) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
        cell_id=f"cell-{index}", cell_index=index, source=source, execution_order=count,
        started_at=1_700_000_000_000 + index, ended_at=1_700_000_000_001 + index, status="ok", language="python")


class Editor:
    """The editor's end: every lineageChanged the server sends, in order."""

    def __init__(self, server) -> None:
        self.told: list[dict] = []
        self._arrived = asyncio.Event()
        server.changes._notify = self.notify

    def notify(self, method: str, payload: dict) -> None:
        if method == p.LINEAGE_CHANGED:
            self.told.append(payload)
            self._arrived.set()

    async def first_with(self, seq: int, timeout: float = 60.0) -> dict:
        """The first execution record with `seq` the editor was told of."""
        async def wait() -> dict:
            while True:
                for message in self.told:
                    for record in message["executions"]:
                        if record["seq"] == seq:
                            return record
                self._arrived.clear()
                await self._arrived.wait()
        return await asyncio.wait_for(wait(), timeout)


@pytest.fixture
async def server(tmp_path, live_kernel):
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    notebook = tmp_path / "held.ipynb"
    announced = p.NotebookKernel(notebook_uri=notebook.as_uri(), notebook_path=str(notebook),
                                 connection_file=live_kernel.connection_file, language="python")
    await asyncio.get_running_loop().run_in_executor(None, server.kernels.notebooks.announce, announced)
    try:
        yield server, notebook
    finally:
        await stop_server(server)


async def _run(server, live_kernel, notebook, index: int) -> p.CellExecution:
    """The user runs cell `index`; the editor reports it; the server stores it."""
    ran = live_kernel.run(CELLS[index])
    assert ran["status"] == "ok"
    event = _event(notebook, index, CELLS[index], ran["execution_count"])
    server.enqueue(event)
    await server.flush()
    return event


async def _opened(server, notebook) -> None:
    """Once the first run's facts are in (the client is attached, the probe pushes), the editor reads the notebook
    (it opens it): from then on it is told deltas."""
    await server.kernels._worker
    await server.on_store(server.service.lineage, notebook.as_uri(), None, True)


async def test_a_run_of_an_attached_kernel_is_told_once_with_its_facts(server, live_kernel, monkeypatch):
    server, notebook = server
    # The bound is not what is tested here: long enough that only the facts being stored can end the hold.
    monkeypatch.setattr(app, "FACTS_HOLD_S", 60.0)
    editor = Editor(server)
    first = await _run(server, live_kernel, notebook, 0)
    # no client on the kernel yet (the first run attaches it): not held
    assert not server.kernels.notebooks.facts_pushed(first)
    await _opened(server, notebook)
    assert server.kernels.notebooks.facts_pushed(first)

    for index, seq, rows in ((1, 2, (4, 2)), (2, 3, (2, 1))):
        await _run(server, live_kernel, notebook, index)
        record = await editor.first_with(seq)
        facts = {f["variable"]: (f["rows_before"], f["rows_after"]) for f in record["runtime"]}
        assert facts == {"df": rows}, record  # the row's first delta already has its row counts
        assert "\u2192" in record["description"], record["description"]  # and its description says them
    assert server.kernels._facts_in == {}  # nothing left waiting


async def test_a_hold_whose_facts_never_come_ends_and_the_run_is_told(server, live_kernel, monkeypatch):
    server, notebook = server
    editor = Editor(server)
    await _run(server, live_kernel, notebook, 0)
    await _opened(server, notebook)
    # the kernel's facts for the next run never get stored (the kernel thread is stuck elsewhere)
    stuck = asyncio.get_running_loop().create_future()
    monkeypatch.setattr(server.kernels, "_capture_backlog", lambda: stuck)
    monkeypatch.setattr(app, "FACTS_HOLD_S", 0.01)
    await _run(server, live_kernel, notebook, 1)
    record = await editor.first_with(2)
    assert record["runtime"] == []
    assert server.kernels._facts_in == {}  # the hold let go of what it waited for
    stuck.cancel()
