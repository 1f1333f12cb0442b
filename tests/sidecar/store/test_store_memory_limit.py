"""DuckDB's memory bounded for the sidecar's database (memory_limit.py) without a read or a write failing for it:
a statement refused for the bound runs again under DuckDB's own limit, a write transaction runs under it, and the
bound is set back once the store's lock is let go. A real DuckDB file; the bound is made small enough that DuckDB
refuses the calls below under it.

A write is retried whole (store methods that write in one transaction, memory_limit.retried_out_of_memory); a read
statement by statement."""

from __future__ import annotations

import logging
import os
import random
import string

import duckdb
import pytest

from trackit_sidecar.protocol import CellOutput, SummaryResult
from trackit_sidecar.store import Store
from trackit_sidecar.store import memory_limit

NB = "file:///tmp/trackit-tests/nb.ipynb"
SMALL = "2MB"


def _limit(store: Store) -> str:
    with store.connection.lock:
        return store.connection.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def _noise(size: int) -> str:  # does not compress: each run's output takes its size in DuckDB's memory
    return "".join(random.choices(string.ascii_letters, k=size))


def _big_runs(ev, n: int) -> list:
    return [ev(cell_id=f"cell-{i % 5}", source=f"df{i} = load({i})",
               outputs=[CellOutput(output_type="stream", mime="text/plain", text=_noise(60_000))]) for i in range(n)]


@pytest.fixture
def bounded(db_path, monkeypatch):
    monkeypatch.setattr(memory_limit, "LIMIT", SMALL)
    store = Store.open(db_path)
    assert store.connection.limit_memory()
    yield store
    store.close()


def test_a_write_and_a_read_past_the_bound_succeed_and_the_bound_is_set_back(bounded, ev, analyses, caplog):
    bound = _limit(bounded)
    runs = _big_runs(ev, 120)  # ~7 MB of outputs in one transaction
    with caplog.at_level(logging.INFO, logger="trackit.store"):
        assert bounded.ingest(runs, analyses(runs), 1) == list(range(1, 121))
    assert f"needed more than {SMALL} for a write" in caplog.text  # DuckDB did refuse it under the bound
    assert _limit(bounded) == bound
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="trackit.store"):
        document = bounded.lineage(NB)  # every run with its outputs: more than the bound in one result
    assert [e.seq for e in document.executions] == list(range(1, 121))
    assert f"needed more than {SMALL} for one statement" in caplog.text
    assert _limit(bounded) == bound


def test_only_a_store_that_owns_its_file_is_bounded_and_a_command_keeps_duckdbs_own(bounded, db_path):
    in_memory = Store.open(None)
    try:
        own = _limit(in_memory)
        assert _limit(bounded) != own
        assert in_memory.connection.limit_memory() is False  # its data has nowhere else to be
    finally:
        in_memory.close()
    bounded.close()
    with Store.open(db_path, read_only=True) as command:
        assert command.connection.limit_memory() is False
        assert _limit(command) == own


def test_the_database_is_checkpointed_past_the_bound_so_duckdb_never_invalidates_it(db_path, monkeypatch, ev, analyses):
    """DuckDB checkpoints the WAL into the file by itself (wal_autocheckpoint) as a write commits; for a write that is
    not a transaction (a summary, facts added) that ran under the bound. A checkpoint that needs more (it rewrites the
    table's last row group: 14 summaries of 600 KB at 8 MB) is FATAL to DuckDB: "Transaction COMMIT succeeded and is
    durable, but the autocheckpoint failed", the database invalidated and every later call 'damaged' until the
    sidecar restarts (found by rev7 at the real 32 MB after 680 runs of 60 KB outputs, before commits were raised).
    The store checkpoints under DuckDB's own limit instead; nothing fails or is lost, also at close.

    What this test can still catch: a close that does not raise the limit first (DuckDB then skips its checkpoint
    silently and the WAL stays; checked by removing that raise). What it no longer catches: the `wal_autocheckpoint`
    = NEVER line of 51f40f2. Since writes outside a transaction and COMMITs run past the bound, and checkpoints while
    bounded skip their vacuum, no write the store knows checkpoints under the bound; a control with DuckDB's own
    auto-checkpoint kept (writes the store does not recognise, 3-8 MB, vacuum on) did not reproduce the FATAL
    checkpoint either (2026-12-04). The line stays as a guard for a write the store does not recognise; that it holds
    is the next test's."""
    monkeypatch.setattr(memory_limit, "LIMIT", "8MB")
    store = Store.open(db_path)
    assert store.connection.limit_memory()
    bound = _limit(store)
    try:
        runs = _big_runs(ev, 20)
        assert store.ingest(runs, analyses(runs), 1) == list(range(1, 21))
        for _ in range(30):
            store.save_summary(SummaryResult(notebook_uri=NB, markdown=_noise(600_000), provider="builtin",
                                             created_at="2026-12-04T12:00:00Z"))
        assert _limit(store) == bound
        runs = _big_runs(ev, 5)  # left in the WAL (under WAL_AUTOCHECKPOINT) for the checkpoint at close
        store.ingest(runs, analyses(runs), 1)
    finally:
        store.close()
    assert not os.path.exists(f"{db_path}.wal")  # checkpointed as it closed (under the bound DuckDB skips it silently)
    with Store.open(db_path, read_only=True) as reopened:
        assert len(reopened.lineage(NB).executions) == 25
        with reopened.connection.lock:
            assert reopened.connection.con.execute("SELECT count(*) FROM summaries").fetchone()[0] == 30


def test_while_bounded_duckdb_never_checkpoints_by_itself_only_the_store_does_past_the_bound(db_path):
    """51f40f2's `wal_autocheckpoint` = NEVER: a write the store does not recognise as one (here behind a comment) runs
    under the bound, and DuckDB's own auto-checkpoint (at 16 MB of WAL) would checkpoint under it as that write
    commits. With the line, the WAL grows past DuckDB's threshold while the store's lock is held, and the store
    checkpoints it as the lock is let go (past the bound). Without the line, DuckDB checkpointed at ~16 MB (checked)."""
    store = Store.open(db_path)  # the real bound (24 MB): every statement below fits under it
    assert store.connection.limit_memory()
    wal = f"{db_path}.wal"
    try:
        with store.connection.lock:
            store.connection.con.execute("CREATE TABLE scratch (s VARCHAR)")  # a write it knows: past the bound
        with store.connection.lock:  # set back as it was let go
            con = store.connection.con
            bound = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            sizes = []
            for k in range(24):  # ~0.9 MB of WAL each, 21 MB in all
                con.execute(f"/* not a write the store knows */ INSERT INTO scratch "
                            f"SELECT md5(i::VARCHAR || '-{k}') FROM range(25000) t(i)")
                sizes.append(os.path.getsize(wal) if os.path.exists(wal) else 0)
            assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == bound  # never raised
        assert sizes == sorted(sizes) and sizes[-1] > 20 * 1024 * 1024, sizes  # DuckDB did not checkpoint by itself
        assert not os.path.exists(wal) or os.path.getsize(wal) == 0  # the store did, as its lock was let go
    finally:
        store.close()


def test_a_write_refused_for_the_bound_is_rolled_back_under_duckdbs_own_limit(db_path, monkeypatch, ev, analyses):
    """A transaction DuckDB refuses for the bound is rolled back before it runs again; a rollback that needs memory
    too is FATAL to DuckDB ("Failed to rollback transaction. Cannot continue operation": the database invalidated,
    every later call 'damaged'). Forced at 4 MB: the 60th one-run write's rollback failed (rev7); the rollback runs
    under DuckDB's own limit instead."""
    monkeypatch.setattr(memory_limit, "LIMIT", "4MB")
    store = Store.open(db_path)
    assert store.connection.limit_memory()
    bound = _limit(store)
    try:
        for n in range(1, 101):
            runs = _big_runs(ev, 1)
            assert store.ingest(runs, analyses(runs), 1) == [n]
        assert _limit(store) == bound
    finally:
        store.close()


def test_a_write_outside_a_transaction_commits_past_the_bound_and_is_not_lost(bounded):
    """A write that is not a transaction (a summary; facts and files appended to a run) commits as it ends. Under the
    bound DuckDB refused that commit ("Failed to commit: failed to pin block", not its out-of-memory error, so nothing
    retried it) and the summary was lost: at 2 MB the 5th summary of 300 KB. It runs under DuckDB's own limit, and
    the bound is set back when the store's lock is let go."""
    bound = _limit(bounded)
    for _ in range(40):
        bounded.save_summary(SummaryResult(notebook_uri=NB, markdown=_noise(300_000), provider="builtin",
                                           created_at="2026-12-04T12:00:00Z"))
    assert _limit(bounded) == bound
    with bounded.connection.lock:
        assert bounded.connection.con.execute("SELECT count(*) FROM summaries").fetchone()[0] == 40


@pytest.mark.parametrize(("sql", "writing"), [
    ("INSERT INTO t VALUES (1)", True), ("  update t SET a = 1", True), ("DELETE FROM t", True),
    ("SELECT * FROM t", False), ("WITH x AS (SELECT 1) SELECT * FROM x", False), ("", False), (None, False)])
def test_writing_statements_are_told_by_their_first_keyword(sql, writing):
    assert memory_limit.writes((sql,) if sql is not None else ()) is writing


def test_a_bound_duckdb_cannot_take_back_is_said_once(bounded, caplog):
    """DuckDB refuses a limit below what it cannot evict, its indexes (~160 bytes an execution: at 24 MB from ~150,000
    executions; here 200,000 keys at 2 MB): from then on the store runs under DuckDB's own limit, and says so once at
    info, not at every release of its lock."""
    with caplog.at_level(logging.DEBUG, logger="trackit.store"):
        with bounded.connection.lock:  # a write outside a transaction: past the bound, set back as the lock goes
            bounded.connection.con.execute("CREATE TABLE keys_only (id INTEGER PRIMARY KEY)")
            bounded.connection.con.execute("INSERT INTO keys_only SELECT i FROM range(200000) r(i)")
        for _ in range(3):
            bounded.save_summary(SummaryResult(notebook_uri=NB, markdown="done", provider="builtin",
                                               created_at="2026-12-04T12:00:00Z"))
    said = [r for r in caplog.records if "memory limit not set back" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO] + [logging.DEBUG] * 3, [r.getMessage() for r in said]


def _row_groups(store: Store, table: str) -> int:
    with store.connection.lock:
        return store.connection.con.execute(
            f"SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('{table}')").fetchone()[0]


def _vacuum_tasks(store: Store) -> int:
    with store.connection.lock:
        return store.connection.con.execute("SELECT current_setting('max_vacuum_tasks')").fetchone()[0]


def _store_in_small_writes(store: Store, ev, analyses, writes: int) -> None:
    for _ in range(writes):
        runs = [ev(cell_id=f"cell-{i % 5}", source=f"df{i} = load({i})") for i in range(20)]
        store.ingest(runs, analyses(runs), 1)


def _delete_executions(store: Store, every: int) -> int:
    """Delete every `every`-th execution (by seq), as a replaced row's old version is deleted: how many."""
    with store.connection.lock:
        return store.connection.con.execute(f"DELETE FROM executions WHERE seq % {every} = 0").fetchone()[0]


@pytest.fixture
def checkpointing(db_path, monkeypatch):
    """A bounded store that checkpoints every ~64 KB of WAL: a few small writes make several checkpoints."""
    monkeypatch.setattr(memory_limit, "WAL_AUTOCHECKPOINT", 64 * 1024)
    store = Store.open(db_path)
    assert store.connection.limit_memory()
    yield store
    store.close()


def test_checkpoints_while_the_store_is_in_use_owe_their_vacuum_and_one_quiet_checkpoint_runs_it(checkpointing, ev,
                                                                                                analyses):
    """A checkpoint's vacuum (merging row groups) was the sidecar's peak while storing: the checkpoints due as the
    lock is let go leave the row groups they write apart; `vacuum` merges them in one checkpoint, then the bound and
    no vacuum are back."""
    store = checkpointing
    bound = _limit(store)
    _store_in_small_writes(store, ev, analyses, 30)
    assert store.connection.vacuum_owed()
    assert _vacuum_tasks(store) == 0
    apart = _row_groups(store, "executions")
    assert apart > 2  # each checkpoint wrote its runs as a row group of their own, none merged (DuckDB's vacuum: 2)
    deleted = _delete_executions(store, 2)  # half: worth a vacuum (memory_limit.worth_vacuuming)
    _store_in_small_writes(store, ev, analyses, 1)  # DuckDB vacuums only in a checkpoint that writes something
    assert store.connection.vacuum()
    assert not store.connection.vacuum_owed()
    assert _row_groups(store, "executions") < apart
    with store.connection.lock:
        assert store.connection.con.execute("SELECT count(*) FROM executions").fetchone()[0] == 31 * 20 - deleted
    assert _limit(store) == bound  # set back as vacuum() let go of the lock
    assert _vacuum_tasks(store) == 0


def test_the_owed_vacuum_waits_until_the_deleted_rows_are_worth_rewriting_the_row_groups(checkpointing, ev, analyses):
    """A vacuum merges every table's small row groups (after the memory bench's 50,000 executions: +31 MB for 0.1 s,
    its high-water mark) and gives back only deleted rows' space: with rows only appended, or a few deleted, it stays
    owed and the row groups stay apart; once the deleted rows are VACUUM_WORTH of those stored, it runs."""
    store = checkpointing
    _store_in_small_writes(store, ev, analyses, 31)
    apart = _row_groups(store, "executions")
    assert store.connection.vacuum_owed() and apart > 2
    assert store.connection.vacuum() is False  # nothing deleted
    deleted = _delete_executions(store, 10)  # a tenth: less than VACUUM_WORTH of the rows stored
    assert deleted > 0
    _store_in_small_writes(store, ev, analyses, 1)  # something written since the last checkpoint: not why it waits
    assert store.connection.vacuum() is False
    assert store.connection.vacuum_owed()
    assert _row_groups(store, "executions") >= apart  # none merged
    deleted += _delete_executions(store, 3)
    _store_in_small_writes(store, ev, analyses, 1)
    assert store.connection.vacuum()
    assert not store.connection.vacuum_owed()
    assert _row_groups(store, "executions") < apart
    with store.connection.lock:
        assert store.connection.con.execute("SELECT count(*) FROM executions").fetchone()[0] == 33 * 20 - deleted


class _ThreadsAtCheckpoint:
    """The store's DuckDB connection, noting DuckDB's threads setting as each CHECKPOINT starts."""

    def __init__(self, con) -> None:
        self._con = con
        self.seen: list[int] = []

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "CHECKPOINT":
            self.seen.append(int(self._con.execute("SELECT current_setting('threads')").fetchone()[0]))
        return self._con.execute(sql, *args)


def test_a_bounded_store_runs_duckdb_on_one_thread_its_quiet_vacuum_and_a_reopen_included(db_path, monkeypatch, ev,
                                                                                             analyses):
    """Each DuckDB thread keeps a jemalloc arena and caches of its own, and builds hash tables in partitions of its own:
    the quiet checkpoint that vacuums took +50 MB for a moment on DuckDB's two threads after 25 notebooks' derived
    experiments were written (in process), +3 MB on one; the memory bench's serving and listings ended 5 MB lower. DuckDB's
    threads set to 4 first, so that one is never DuckDB's own here; a command keeps DuckDB's own."""
    monkeypatch.setattr(memory_limit, "WAL_AUTOCHECKPOINT", 64 * 1024)
    store = Store.open(db_path)
    with store.connection.lock:
        store.connection.con.execute("SET threads = 4")
    assert store.connection.limit_memory()
    assert _threads(store) == 1
    _store_in_small_writes(store, ev, analyses, 30)
    apart = _row_groups(store, "executions")
    _delete_executions(store, 2)
    _store_in_small_writes(store, ev, analyses, 1)
    with store.connection.lock:
        watched = _ThreadsAtCheckpoint(store.connection._con)
        assert store.connection._memory.vacuum(watched)
    assert watched.seen == [1]
    assert _threads(store) == 1  # still, after the vacuum
    assert _row_groups(store, "executions") < apart  # it vacuumed all the same
    store.connection.reopen()
    assert _threads(store) == 1
    store.close()
    with Store.open(db_path, read_only=True) as command:
        assert _threads(command) == duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]


def _threads(store: Store) -> int:
    with store.connection.lock:
        return int(store.connection.con.execute("SELECT current_setting('threads')").fetchone()[0])


def test_a_vacuum_with_nothing_written_since_the_last_checkpoint_stays_owed(checkpointing, ev, analyses):
    store = checkpointing
    _store_in_small_writes(store, ev, analyses, 30)
    with store.connection.lock:
        store.connection.con.execute("CHECKPOINT")  # nothing left in the WAL
    assert store.connection.vacuum() is False
    assert store.connection.vacuum_owed()


def test_the_vacuum_owed_runs_as_the_connection_closes(checkpointing, ev, analyses, db_path):
    store = checkpointing
    _store_in_small_writes(store, ev, analyses, 30)
    assert store.connection.vacuum_owed()
    apart = _row_groups(store, "executions")
    deleted = _delete_executions(store, 2)
    _store_in_small_writes(store, ev, analyses, 1)
    store.close()
    with Store.open(db_path, read_only=True) as reopened:
        assert _row_groups(reopened, "executions") < apart
        with reopened.connection.lock:
            assert reopened.connection.con.execute("SELECT count(*) FROM executions").fetchone()[0] == 31 * 20 - deleted


def test_the_connection_closes_without_the_vacuum_when_no_rows_were_deleted(checkpointing, ev, analyses, db_path):
    store = checkpointing
    _store_in_small_writes(store, ev, analyses, 31)
    assert store.connection.vacuum_owed()
    apart = _row_groups(store, "executions")
    store.close()
    with Store.open(db_path, read_only=True) as reopened:
        assert _row_groups(reopened, "executions") >= apart
        with reopened.connection.lock:
            assert reopened.connection.con.execute("SELECT count(*) FROM executions").fetchone()[0] == 31 * 20


def test_a_store_that_is_not_bounded_vacuums_as_duckdb_does(db_path):
    with Store.open(None) as in_memory:
        assert _vacuum_tasks(in_memory) > 0
        assert in_memory.connection.vacuum() is False
        assert not in_memory.connection.vacuum_owed()
