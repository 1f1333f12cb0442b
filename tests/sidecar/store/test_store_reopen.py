"""The owner closes its DuckDB connection and opens the file again (connection.py, `reopen`) to give DuckDB's memory
back. A real DuckDB file: nothing stored or read is lost or fails while it happens, and a process that takes the file
in between is waited for, not fought."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from trackit_sidecar.store import DatabaseLocked, Store, lock
from trackit_sidecar.store import connection as connection_module

NB = "file:///tmp/trackit-tests/nb.ipynb"


def _duckdb_bytes(store: Store) -> int:
    with store.connection.lock:
        return int(store.connection.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0])


def test_a_reopen_lets_go_of_what_duckdb_held_and_keeps_every_record(db_path, ev, analyses):
    with Store.open(db_path) as store:
        for _ in range(20):
            batch = [ev(source=f"df{i} = df.dropna()", cell_id=f"cell-{i % 7}") for i in range(100)]
            store.ingest(batch, analyses(batch), 1)
        assert store.connection.written == 2000
        held = _duckdb_bytes(store)
        assert store.connection.reopen() is True
        assert store.connection.written == 0
        assert _duckdb_bytes(store) < held / 2  # appended rows and their indexes are in the file now, not in memory
        assert store.count_executions() == 2000
        assert [e.seq for e in store.lineage(NB).executions] == list(range(1, 2001))
        assert lock.read_owner(db_path)["pid"] == os.getpid()


def test_writes_and_reads_racing_reopens_all_succeed_and_nothing_is_lost(db_path, ev, analyses):
    """The server reopens between two store-thread calls; here every thread calls at once, so the lock is all that
    keeps a read or a write off a connection being closed."""
    errors: list[BaseException] = []
    counts: list[int] = []
    reopens = 0
    done = threading.Event()
    with Store.open(db_path) as store:
        def write() -> None:
            try:
                for round_ in range(60):
                    batch = [ev(cell_id=f"cell-{i}", source=f"x{round_}_{i} = {i}") for i in range(10)]
                    assert len([s for s in store.ingest(batch, analyses(batch), 1) if s is not None]) == 10
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)
            finally:
                done.set()

        def read() -> None:
            try:
                while not done.is_set():
                    counts.append(store.count_executions())
                    store.lineage(NB, static=True)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=write), threading.Thread(target=read), threading.Thread(target=read)]
        for thread in threads:
            thread.start()
        while not done.is_set():
            assert store.connection.reopen()
            reopens += 1
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert reopens >= 5
        assert counts == sorted(counts)  # a read never saw fewer runs than one before it
        assert store.count_executions() == 600
        assert [e.seq for e in store.lineage(NB).executions] == list(range(1, 601))
    with Store.open(db_path, read_only=True) as again:
        assert again.count_executions() == 600


_HOLD = """
import sys
from trackit_sidecar.store import Store
store = Store.open(sys.argv[1], description="trackit record")
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


def test_a_process_that_takes_the_file_during_a_reopen_is_waited_for_then_the_store_takes_it_back(
        db_path, ev, analyses, monkeypatch):
    """Another real process (a command, `trackit record`) opens the database in the instant the owner's connection
    is closed: the reopen says who holds it; once that process is done (it removed the owner file it wrote), the
    next use opens the file again and says who owns it."""
    monkeypatch.setattr(connection_module, "RECONNECT_TRIES", 2)
    runs = [ev() for _ in range(3)]
    holder: list[subprocess.Popen] = []
    real_connect = connection_module.duckdb.connect

    def other_process_first(path, *args, **kwargs):
        if not holder:  # the first try of the reopen: the other process got there first
            reader = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            holder.append(reader)
            assert reader.stdout.readline().strip() == "holding"
        return real_connect(path, *args, **kwargs)

    with Store.open(db_path) as store:
        store.ingest(runs, analyses(runs), 1)
        monkeypatch.setattr(connection_module.duckdb, "connect", other_process_first)
        try:
            with pytest.raises(DatabaseLocked) as locked:
                store.connection.reopen()
            assert locked.value.holder_pid == holder[0].pid
            with pytest.raises(DatabaseLocked):
                store.count_executions()  # still held: said again, not a crash
        finally:
            holder[0].communicate("done\n", timeout=30)
        assert store.count_executions() == 3  # the other process is gone: the store has the file again
        more = [ev()]
        assert store.ingest(more, analyses(more), 1) == [4]
        assert lock.read_owner(db_path)["pid"] == os.getpid()
