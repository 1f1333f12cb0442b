"""The vacuum the store's checkpoints owe (store/memory_limit.py) is queued once captures are stored and runs on the
store thread's idle lane only once no capture or request has come for VACUUM_QUIET_S: a burst's checkpoints do not
vacuum, so the burst's peak does not carry the vacuum's. Reopening the database to give back the heap DuckDB keeps
until it closes waits for the same quiet; if another process takes the file meanwhile and keeps it, the server spools
captures as when another process owned the file first. A real server in this process, a real DuckDB file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
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


async def test_the_vacuum_owed_waits_for_quiet_then_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(memory_limit, "WAL_AUTOCHECKPOINT", 16 * 1024)  # a few batches make a few checkpoints
    monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 3600.0)  # never quiet enough within the test, until set below
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
        assert server.upkeep._tidy_queued  # queued by a stored batch, on the idle lane

        server.upkeep._tidy_step()  # as the idle lane would run it: the store thread worked moments ago
        assert connection.vacuum_owed()
        assert server.upkeep._tidy_queued  # queued again for after the quiet

        monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 0.0)
        server.enqueue(_event(nb, 99))  # DuckDB vacuums only in a checkpoint that writes something
        await server.flush()
        server.upkeep._tidy_step()
        assert not connection.vacuum_owed()
        assert server.service.store.count_executions() == 81
    finally:
        await stop_server(server)


async def test_a_reopen_worth_it_waits_for_quiet_then_gives_the_store_a_new_duckdb_database(tmp_path, monkeypatch):
    monkeypatch.setattr(memory_limit, "REOPEN_AFTER_STATEMENTS", 50)
    monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 3600.0)
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    connection = server.service.store.connection
    try:
        nb = tmp_path / "nb.ipynb"
        for i in range(30):
            server.enqueue(_event(nb, i))
            await server.flush()
        await stop_capturing(server)
        assert connection.reopen_worth() and server.upkeep._tidy_queued
        opened = connection._con

        server.upkeep._tidy_step()  # the store thread worked moments ago: queued again, not reopened
        assert connection._con is opened and server.upkeep._tidy_queued

        monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 0.0)
        server.upkeep._tidy_step()
        assert connection._con is not opened and not connection.reopen_worth()

        # idle work alone (making ready lineage rows, while the user is away) queues it too once worth it again
        connection._memory.statements = memory_limit.REOPEN_AFTER_STATEMENTS
        server.upkeep._tidy_queued = False
        server.upkeep._make_ready_rows_step()
        assert server.upkeep._tidy_queued
        server.enqueue(_event(nb, 99))
        await server.flush()
        assert server.service.store.count_executions() == 31
    finally:
        await stop_server(server)


async def test_a_file_taken_and_kept_by_another_process_while_reopening_leaves_the_server_spooling(tmp_path,
                                                                                                   monkeypatch):
    db = tmp_path / "trackit.duckdb"
    monkeypatch.setattr(memory_limit, "REOPEN_AFTER_STATEMENTS", 1)
    monkeypatch.setattr(store_upkeep, "VACUUM_QUIET_S", 0.0)
    monkeypatch.setattr(store_connection, "REOPEN_WAIT_S", 0.2)
    holders: list[subprocess.Popen] = []

    def taken_while_closed() -> None:  # a command opens the file while the reopen has it closed, and keeps it 5 s
        holder = subprocess.Popen([sys.executable, "-c", "import duckdb, time\n"
                                   f"con = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(5)"],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        holders.append(holder)

    monkeypatch.setattr(store_connection, "release_freed", taken_while_closed)
    server = build_server(str(db), Settings())
    server.open_store()
    try:
        nb = tmp_path / "nb.ipynb"
        server.enqueue(_event(nb, 0))
        await server.flush()
        await stop_capturing(server)
        server.upkeep._tidy_step()
        assert server.service is None
        assert server.locked_by is not None and server.locked_by.holder_pid == holders[0].pid
        server.enqueue(_event(nb, 1))  # captured meanwhile: spooled for the owner, not lost
        await server.flush()
        assert server.spool is not None and len(server.spool.pending()) == 1
    finally:
        for holder in holders:
            holder.kill()
            holder.wait(timeout=10)
        await stop_server(server)


async def test_an_owner_that_takes_the_file_back_keeps_one_spool_watcher(tmp_path):
    """Lost on a reopen and taken back (watch_owner), the owner must not start a second merger of the spool beside the
    one it started when it first owned the file: two would race over the same spooled files."""
    server = build_server(str(tmp_path / "trackit.duckdb"), Settings())
    server.open_store()
    try:
        server.start_watching_spool()  # as serving starts, owning the file
        first = server._spool_watcher
        server.start_watching_spool()  # as watch_owner ends, owning it again
        assert server._spool_watcher is first
        assert [task for task in server._loops if task is first] == [first] and len(server._loops) == 1
        first.cancel()
        await asyncio.wait([first])
        server.start_watching_spool()  # a watcher that ended is replaced
        assert server._spool_watcher is not first and not server._spool_watcher.done()
    finally:
        await stop_server(server)
