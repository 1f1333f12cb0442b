"""Reopening the sidecar's database (StoreConnection.reopen, memory_limit.py): DuckDB 2.0.1 keeps C heap for every
query that builds a hash table until the database closes; closing it and opening it again gives that back, and the
store goes on as it was (its data, its bound, the vacuum it owes). The file is unlocked for a moment: a process
that takes it then is waited for, and one that keeps it is left the owner. A real DuckDB file, real processes."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import time

import pytest

from trackit_sidecar.store import DatabaseLocked, Store, StoreError
from trackit_sidecar.store import connection as store_connection
from trackit_sidecar.store import memory_limit

NB = "file:///tmp/trackit-tests/nb.ipynb"


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                      "fsmblks", "uordblks", "fordblks", "keepcost")]


def _heap_in_use_mb() -> float:
    """glibc's main arena, bytes in use (where the store thread's DuckDB calls allocate)."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    return libc.mallinfo2().uordblks / 2**20


@pytest.fixture
def bounded(db_path, ev, analyses):
    store = Store.open(db_path)
    assert store.connection.limit_memory()
    runs = [ev(cell_id=f"cell-{i % 5}", source=f"df{i} = load({i})") for i in range(200)]
    store.ingest(runs, analyses(runs), 1)
    yield store
    store.close()


def _limit(store: Store) -> str:
    with store.connection.lock:
        return store.connection.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_reopening_gives_back_the_heap_duckdb_kept_for_the_queries_run(bounded):
    for _ in range(10):  # DuckDB's own first-use allocations, before measuring
        bounded.derived.record_hashes(NB)
    before = _heap_in_use_mb()
    for _ in range(300):  # joins and aggregates: each keeps some C heap until the database closes
        bounded.derived.record_hashes(NB)
    grown = _heap_in_use_mb() - before
    assert grown > 1.0  # what reopening is for (~20 KB a query here)
    bounded.connection.reopen()
    assert _heap_in_use_mb() - before < grown / 2


def test_a_reopened_store_keeps_its_records_its_bound_and_the_vacuum_it_owes_and_takes_writes(bounded, ev, analyses):
    bound = _limit(bounded)
    before = [(e.seq, e.source) for e in bounded.lineage(NB).executions]
    bounded.connection._memory.vacuum_owed = True
    old = bounded.connection._con
    bounded.connection._memory.statements = memory_limit.REOPEN_AFTER_STATEMENTS
    assert bounded.connection.reopen_worth()

    bounded.connection.reopen()

    assert bounded.connection._con is not old
    assert not bounded.connection.reopen_worth()  # counted again from the reopen
    assert bounded.connection.vacuum_owed()
    assert _limit(bounded) == bound
    assert [(e.seq, e.source) for e in bounded.lineage(NB).executions] == before
    more = [ev(cell_id="cell-9", source="df = df.dropna()")]
    bounded.ingest(more, analyses(more), 1)
    assert bounded.count_executions() == 201


def _hold_file(db_path: str, seconds: float) -> subprocess.Popen:
    """Another process that opens the database read-write (as a command does) and keeps it `seconds`; returns once
    it holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(db_path)!r})\nprint('held', flush=True)\n"
                               f"time.sleep({seconds})\ncon.close()"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _taken_while_closed(monkeypatch, db_path: str, seconds: float) -> list[subprocess.Popen]:
    """While reopen has the file closed (as it gives the heap back), another process takes it for `seconds`."""
    holders: list[subprocess.Popen] = []
    monkeypatch.setattr(store_connection, "release_freed", lambda: holders.append(_hold_file(db_path, seconds)))
    return holders


def test_reopen_waits_for_a_process_that_took_the_file_meanwhile_then_owns_it_again(bounded, db_path, monkeypatch):
    holders = _taken_while_closed(monkeypatch, db_path, 0.5)
    started = time.monotonic()
    bounded.connection.reopen()
    assert holders and time.monotonic() - started >= 0.4  # it did wait for the holder
    assert bounded.count_executions() == 200
    holders[0].wait(timeout=10)


def test_reopen_leaves_the_file_to_a_process_that_keeps_it_and_says_who_holds_it(bounded, db_path, monkeypatch, ev,
                                                                                  analyses):
    monkeypatch.setattr(store_connection, "REOPEN_WAIT_S", 0.3)
    holders = _taken_while_closed(monkeypatch, db_path, 3.0)
    with pytest.raises(DatabaseLocked) as locked:
        bounded.connection.reopen()
    assert locked.value.holder_pid == holders[0].pid
    assert bounded.connection.closed
    more = [ev(cell_id="cell-9", source="df = df.dropna()")]
    with pytest.raises(StoreError, match="closed"):
        bounded.ingest(more, analyses(more), 1)
    holders[0].wait(timeout=10)


def test_a_store_not_bounded_is_never_reopened(db_path):
    store = Store.open(db_path)  # a command's short-lived store: DuckDB's defaults, nothing counted
    try:
        old = store.connection._con
        assert not store.connection.reopen_worth()
        store.connection.reopen()
        assert store.connection._con is old
    finally:
        store.close()
