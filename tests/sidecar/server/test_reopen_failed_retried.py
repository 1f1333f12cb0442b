"""A quiet reopen (store/memory_limit.py) whose opening fails for another reason than the lock leaves the store closed:
the server tries opening it again, backing off (store_upkeep.REOPEN_RETRY_DELAYS_S), and the captures taken meanwhile are not
lost; if every try fails, the user is told once. The failure is real: DuckDB cannot replay a WAL that is a folder
("IO Error: Failure while replaying WAL file ...: Is a directory"), made while the reopen has the file closed. A real
server in this process, a real DuckDB file."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from pathlib import Path

from trackit_sidecar import protocol as p
from trackit_sidecar.config import Settings
from trackit_sidecar.server import build_server, store_upkeep
from trackit_sidecar.store import connection as store_connection
from trackit_sidecar.store import memory_limit

from ..in_process_server import stop_capturing, stop_server


def _event(nb: Path, i: int) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{i % 3}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{i % 3}", cell_index=i % 3, source=f"df{i} = df.dropna()  # {i}",
        execution_order=i + 1, started_at=1e12 + i * 1000, ended_at=1e12 + i * 1000 + 1, status="ok")


def _wal_unreadable_while_closed(db: Path, monkeypatch) -> Path:
    """While the reopen has the database closed, its WAL's path becomes a folder: opening it fails until it is gone."""
    wal = Path(f"{db}.wal")
    monkeypatch.setattr(store_connection, "release_freed", lambda: wal.mkdir())
    monkeypatch.setattr(memory_limit, "REOPEN_AFTER_STATEMENTS", 1)
    monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 0.0)
    return wal


async def _until(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        await asyncio.sleep(0.05)
    return condition()


async def test_a_reopen_that_fails_for_another_reason_than_the_lock_is_tried_again_and_loses_no_capture(
        tmp_path, monkeypatch):
    db = tmp_path / "trackit.duckdb"
    wal = _wal_unreadable_while_closed(db, monkeypatch)
    monkeypatch.setattr(store_upkeep, "REOPEN_RETRY_DELAYS_S", (0.2,) * 30)
    server = build_server(str(db), Settings())
    server.open_store()
    connection = server.service.store.connection
    try:
        nb = tmp_path / "nb.ipynb"
        server.enqueue(_event(nb, 0))
        await server.flush()
        await stop_capturing(server)
        server.upkeep._tidy_step()
        assert connection.closed

        await asyncio.sleep(1.0)  # a few tries fail while the WAL's path is a folder
        assert connection.closed
        shutil.rmtree(wal)
        assert await _until(lambda: not connection.closed)  # a later try opens it

        server.enqueue(_event(nb, 1))
        await server.flush()
        assert server.service.store.count_executions() == 2
    finally:
        await stop_server(server)


async def test_a_reopen_that_keeps_failing_is_told_to_the_user_once(tmp_path, monkeypatch):
    db = tmp_path / "trackit.duckdb"
    _wal_unreadable_while_closed(db, monkeypatch)
    monkeypatch.setattr(store_upkeep, "REOPEN_RETRY_DELAYS_S", (0.05, 0.05, 0.05))
    tries = []
    reopen = store_connection.StoreConnection.reopen
    monkeypatch.setattr(store_connection.StoreConnection, "reopen", lambda self: (tries.append(1), reopen(self)))
    server = build_server(str(db), Settings())
    server._event_loop = asyncio.get_running_loop()
    told = []
    monkeypatch.setattr(server.protocol, "notify", lambda method, params=None: told.append((method, params)))
    server.open_store()
    try:
        server.enqueue(_event(tmp_path / "nb.ipynb", 0))
        await server.flush()
        await stop_capturing(server)
        server.upkeep._tidy_step()
        assert await _until(lambda: told)
        await asyncio.sleep(1.5)  # nothing more is tried, nothing more is told
        assert len(tries) == 1 + 3
        assert [method for method, _ in told] == [p.DATABASE_ERROR]
        message = told[0][1]["message"]
        assert "could not be opened again after 4 tries" in message and "Is a directory" in message
        assert "Captures are kept on disk" in message
        assert server.service.store.connection.closed
    finally:
        await stop_server(server)
