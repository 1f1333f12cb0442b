"""DuckDB's memory for the sidecar's database, bounded without ever failing a call for it.

By default DuckDB keeps every block it has read or written, up to 80% of the machine's memory, and holds what was
appended in memory until 16 MB of WAL are checkpointed: the sidecar grew with its database (~24 MB of DuckDB's own
after 50,000 executions, ~1.6x that in its allocator). Bounded (LIMIT, WAL written into the file every
WAL_AUTOCHECKPOINT), blocks past the limit are let go and read again from the file when asked. A bound alone failed
a window read in the sidecar ("failed to allocate data of size 7.9 MiB (26.7 MiB/30.5 MiB used)"), so:
- a statement DuckDB refuses for the limit runs once more under DuckDB's own limit (the one an unbounded store has),
  which then holds until the store's lock is let go;
- a write transaction DuckDB refuses runs again whole (DuckDB aborts a transaction that runs out of memory, so it
  cannot be retried statement by statement; rolled back, it wrote nothing): `retried_out_of_memory` on each store
  method that writes in one transaction;
- a transaction is committed or rolled back under DuckDB's own limit: a commit refused for memory is rolled back by
  DuckDB, and a rollback refused for memory is FATAL to DuckDB (forced at 4 MB: "Failed to rollback transaction.
  Cannot continue operation", the database invalidated until it is reopened);
- a write outside a transaction (facts and files appended to a run, a summary, a note) commits as it ends, so it runs
  under DuckDB's own limit too: under the bound its commit was refused ("Failed to commit: failed to pin block", a
  TransactionException, not DuckDB's out-of-memory one, so never retried) and the write was lost (forced at 2 MB on
  the 5th summary of 300 KB).
What went past the bound is let go when the limit is set back.
DuckDB never checkpoints by itself under the bound: a checkpoint refused for memory is FATAL to DuckDB (the database
is invalidated, every later call fails until it is reopened), and one rewrites the table's last row group, so its
need grows with the database, not with the WAL (a checkpoint at 32 MB failed after 680 runs of 60 KB outputs). Once
the WAL passes WAL_AUTOCHECKPOINT the store checkpoints when its lock is let go, under DuckDB's own limit, then sets
the bound back; the connection is closed (DuckDB checkpoints then too) under DuckDB's own limit.
A checkpoint's vacuum (DuckDB merging row groups with deleted rows or too few rows into new ones) is what made the
sidecar's peak while storing: 0-2 MB for a checkpoint without it, +10-30 MB for 50-500 ms with it, at 50,000
executions (mem5). So the checkpoints due while the store is in use do not vacuum (max_vacuum_tasks 0); the vacuum
they owe runs in one checkpoint once the sidecar is quiet (`vacuum`), and as the connection closes. Never vacuumed,
a table whose rows are replaced kept growing the file (3x after replacing every row 30 times); one vacuum makes the
space reusable again.
Each checkpoint writes what was appended since as a row group of its own, and a vacuum merges every table's small row
groups, decompressing and rewriting them (up to DuckDB's 122,880 rows at once): after the memory bench's 50,000
executions (25 notebooks) its quiet vacuum merged executions' 10 row groups into one, +31 MB for 0.1 s on one thread
(+36 MB for executions alone, +15 for lineage_rows; in process, mem9), the bench's high-water mark. What it gives back
is only deleted rows' space (row groups left apart waste none), so it runs once the rows deleted but still stored are
VACUUM_WORTH of all rows stored (`worth_vacuuming`); until then it stays owed. When it runs, it merges as much as before.
DuckDB runs on one thread (THREADS) in the bounded store, every statement. Each DuckDB thread allocates from a jemalloc
arena and caches of its own, and a query on two threads builds its hash tables in partitions per thread: the quiet
checkpoint that vacuums took +50 MB for a moment on DuckDB's two threads after 25 notebooks' derived experiments were
written (in process, mem8), +3 MB on one, merging the same row groups in the same 0.2 s; the memory bench's serving and
listings, in process, ended 5 MB lower (anonymous) on one thread than on two, and listed every notebook's experiments
3 MB under the high-water mark on two; serving the 25 notebooks took 9.9-10.2 s on one against 9.8-10.3 s on two, listing
their experiments 17-19 s against 20-21 s (perf32): the sidecar's statements read one notebook's rows at most.
DuckDB 2.0.1 also keeps C heap for every query that builds a hash table, until the database closes
(bench/duckdb_join_heap.py): ~2-8 KB a hash join, ~1.5 KB a GROUP BY, ~20 KB the record-hashes query of
store/derived.py; closing the cursor or dropping the joined tables gives nothing back, closing the database all of it.
In the memory bench's sidecar, closing the database and opening it again after the reads gave back 33 MB (RSS
186.6 -> 153.4). So the server reopens the database once the sidecar is quiet, when at least
REOPEN_AFTER_STATEMENTS statements ran since it was opened (`reopen_worth`, StoreConnection.reopen).
Applied by the server to the database it owns (`StoreConnection.limit_memory`); a command's short-lived process keeps
DuckDB's defaults.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from typing import Any, Callable, Optional, TypeVar

import duckdb

log = logging.getLogger("trackit.store")

F = TypeVar("F", bound=Callable[..., Any])

# 24 MB, not 32: in a sidecar on the memory bench's database (25 notebooks, 50,000 executions) serving every notebook then
# listing their experiments peaked 166 / 171 MB at 24 MB against 170 / 176 at 32 (16 MB: 166 / 170, serving 20 % slower;
# perf33, one run each): DuckDB's buffer pool fills to the bound with blocks read once
LIMIT = "24MB"
WAL_AUTOCHECKPOINT = 2 * 1024 * 1024  # bytes of WAL past which the store checkpoints (DuckDB's own: 16 MB)
NEVER = "1000TB"  # DuckDB's wal_autocheckpoint while bounded: it does not checkpoint by itself
NO_VACUUM = 0  # DuckDB's max_vacuum_tasks for the checkpoints due while the store is in use
THREADS = 1  # DuckDB's threads while bounded (see above)
VACUUM_WORTH = 0.2  # the share of the stored rows that are deleted rows, at which the owed vacuum runs
# statements run since the database was opened past which a quiet sidecar reopens it: at the 4-20 KB of C heap a query
# with a hash table leaves behind, ~4-20 MB
REOPEN_AFTER_STATEMENTS = 1000
WRITING_STATEMENTS = frozenset({"INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "COPY"})


def writes(args: tuple) -> bool:
    """Whether a statement given to execute/executemany writes (its first keyword)."""
    sql = args[0] if args else None
    words = sql.split(None, 1) if isinstance(sql, str) else []
    return bool(words) and words[0].upper() in WRITING_STATEMENTS


class MemoryLimit:
    """The bound on one DuckDB connection: set, raised for a call that needs more, set back when the lock is let go."""

    def __init__(self, wal: str) -> None:
        self.wal = wal  # the database's write-ahead log
        self.unbounded: Optional[str] = None  # DuckDB's own limit, read before the bound is set
        self.raised = False
        self.told_unbounded = False
        self.vacuum_tasks: Optional[int] = None  # DuckDB's own max_vacuum_tasks, read before it is set to NO_VACUUM
        self.vacuum_owed = False  # a checkpoint ran without its vacuum since the last one that vacuumed
        self.statements = 0  # statements run since the database was opened (REOPEN_AFTER_STATEMENTS)

    def apply(self, con: duckdb.DuckDBPyConnection) -> None:
        """Bound a (new) connection. SET, not connect(config=): another connection in this process to the same file
        (a test, a repair) may open it with DuckDB's defaults."""
        if self.unbounded is None:
            self.unbounded = str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        if self.vacuum_tasks is None:
            self.vacuum_tasks = int(con.execute("SELECT current_setting('max_vacuum_tasks')").fetchone()[0])
        con.execute(f"SET memory_limit = '{LIMIT}'")
        con.execute(f"SET wal_autocheckpoint = '{NEVER}'")
        con.execute(f"SET max_vacuum_tasks = {NO_VACUUM}")
        con.execute(f"SET threads = {THREADS}")
        self.raised = False
        self.statements = 0

    def raise_limit(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.raised and self.unbounded is not None:
            con.execute(f"SET memory_limit = '{self.unbounded}'")
            self.raised = True

    def raise_limit_beside(self, con: duckdb.DuckDBPyConnection) -> None:
        """raise_limit through another connection to the database: `con`'s transaction may be aborted (DuckDB refuses
        any statement on it but ROLLBACK), and the limit is the database's."""
        if not self.raised and self.unbounded is not None:
            other = con.cursor()
            try:
                other.execute(f"SET GLOBAL memory_limit = '{self.unbounded}'")
            finally:
                other.close()
            self.raised = True

    def settle(self, con: duckdb.DuckDBPyConnection) -> None:
        """The lock is being let go (every result fetched, no transaction open): the WAL checkpointed into the file
        when due, then the bound again, evicting what went past it."""
        if self._wal_bytes() >= WAL_AUTOCHECKPOINT:
            try:
                self.raise_limit(con)
                con.execute("CHECKPOINT")
                self.vacuum_owed = True
            except duckdb.Error as exc:  # what was committed stays in the WAL; tried again when the lock is next let go
                log.warning("DuckDB could not checkpoint %s: %s", self.wal, str(exc).splitlines()[0])
        if self.raised:
            try:
                con.execute(f"SET memory_limit = '{LIMIT}'")
                self.raised = False
            except duckdb.Error as exc:  # kept raised; tried again when the lock is next let go
                # DuckDB refuses a limit below what it cannot evict (its indexes: ~160 bytes an execution, past the
                # bound at ~150,000 executions): said once, since from then on the database runs unbounded
                (log.debug if self.told_unbounded else log.info)(
                    "DuckDB's memory limit not set back to %s yet (DuckDB's own %s holds): %s", LIMIT, self.unbounded,
                    str(exc).splitlines()[0])
                self.told_unbounded = True

    def vacuum(self, con: duckdb.DuckDBPyConnection) -> bool:
        """The store is quiet (no transaction open, the lock held): the vacuum the checkpoints owe, in one checkpoint
        past the bound. DuckDB vacuums only what a checkpoint writes: with nothing written since the last checkpoint
        (no WAL) it stays owed, and while it gives back too little (worth_vacuuming). Whether it ran."""
        if not self.vacuum_owed or self.vacuum_tasks is None or self._wal_bytes() == 0 or not worth_vacuuming(con):
            return False
        self.raise_limit(con)
        con.execute(f"SET max_vacuum_tasks = {self.vacuum_tasks}")
        started = time.monotonic()
        try:
            con.execute("CHECKPOINT")
            self.vacuum_owed = False
        finally:
            con.execute(f"SET max_vacuum_tasks = {NO_VACUUM}")
        log.info("vacuumed %s in %.0f ms", os.path.basename(self.wal[:-len(".wal")]), (time.monotonic() - started) * 1000)
        return True

    def vacuum_as_it_closes(self, con: duckdb.DuckDBPyConnection) -> None:
        """DuckDB checkpoints as the connection closes: that checkpoint vacuums what is owed, when worth it."""
        if self.vacuum_tasks is not None and worth_vacuuming(con):
            con.execute(f"SET max_vacuum_tasks = {self.vacuum_tasks}")

    def _wal_bytes(self) -> int:
        try:
            return os.path.getsize(self.wal)
        except OSError:  # no WAL: nothing written since the last checkpoint
            return 0

    def reopen_worth(self) -> bool:
        """Whether enough statements ran since the database was opened that reopening it gives back C heap DuckDB
        keeps until it closes."""
        return self.statements >= REOPEN_AFTER_STATEMENTS

    def run(self, con: duckdb.DuckDBPyConnection, call: Callable[..., Any], args: tuple, kwargs: dict,
            in_transaction: bool) -> Any:
        self.statements += 1
        if not in_transaction and writes(args):  # it commits as it ends: past the bound, as a transaction's commit
            self.raise_limit(con)
        try:
            return call(*args, **kwargs)
        except duckdb.OutOfMemoryException as refused:
            self.raise_to_run_again(con, refused, in_transaction)
            return call(*args, **kwargs)

    def raise_to_run_again(self, con: duckdb.DuckDBPyConnection, refused: duckdb.OutOfMemoryException,
                           in_transaction: bool) -> None:
        """A statement DuckDB refused for the bound, as it ran or as its result was fetched: DuckDB's own limit from
        now until the lock is let go, for it to run once more; `refused` raised again when it cannot (in a transaction:
        retried_out_of_memory runs the whole transaction again; already under DuckDB's own limit)."""
        if in_transaction or self.raised or self.unbounded is None:
            raise refused
        log.info("DuckDB needed more than %s for one statement; run again under %s (%s)", LIMIT, self.unbounded,
                 str(refused).splitlines()[0])
        self.raise_limit(con)


def worth_vacuuming(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rows deleted but still stored (a replaced row's old version) are VACUUM_WORTH of all rows stored, over
    the database's tables: what a vacuum gives back, against what it rewrites. DuckDB's estimated_size counts a table's
    stored rows, deleted ones included; count(*) the live ones."""
    stored = con.execute("SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
                         "WHERE database_name = current_database() AND NOT temporary AND estimated_size > 0").fetchall()
    total = sum(size for _, _, size in stored)
    live = sum(con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0] for schema, table, _ in stored)
    return total > 0 and (total - live) >= VACUUM_WORTH * total


def out_of_memory(error: BaseException) -> bool:
    """Whether DuckDB refused this for its memory limit (also when already made a store error)."""
    seen: Optional[BaseException] = error
    while seen is not None:
        if isinstance(seen, duckdb.OutOfMemoryException):
            return True
        seen = seen.__cause__
    return False


def retried_out_of_memory(method: F) -> F:
    """A store method that writes in one transaction (on an object with `_conn`, its StoreConnection): refused for the
    memory bound, it runs once more under DuckDB's own limit, holding the lock so that the limit stays raised."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._conn.lock:
            bounded = self._conn.memory_bounded()
            try:
                return method(self, *args, **kwargs)
            except Exception as refused:
                if not bounded or not out_of_memory(refused):
                    raise
                self._conn.raise_memory_limit()  # already, as a rule: the refused transaction was rolled back under it
                log.info("DuckDB needed more than %s for a write; run again under DuckDB's own limit", LIMIT)
                return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]


class LimitedConnection:
    """The DuckDB connection as the store's code uses it (execute, executemany, then fetch* on it), each statement run
    through its MemoryLimit. DuckDB may run part of a statement only as its result is fetched (a UNION ALL's later
    branches: the sidecar's records query refused a 256 KiB block in `fetchall` under a 24 MB bound, mem11), so a
    refusal in the first fetch of a result runs the statement again under DuckDB's own limit and fetches it again; a
    result already partly fetched is not run again (its first rows were handed out). Only reads are kept for that: a
    write's parameters (a batch's columns) are not held past its run."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limit: MemoryLimit, in_transaction: Callable[[], bool]) -> None:
        self._con = con
        self._limit = limit
        self._in_transaction = in_transaction
        self._unfetched: Optional[tuple[Callable[..., Any], tuple, dict]] = None  # the statement, until fetched from

    def execute(self, *args: Any, **kwargs: Any) -> "LimitedConnection":
        self._unfetched = None
        self._limit.run(self._con, self._con.execute, args, kwargs, self._in_transaction())
        self._unfetched = None if writes(args) else (self._con.execute, args, kwargs)
        return self

    def executemany(self, *args: Any, **kwargs: Any) -> "LimitedConnection":
        self._unfetched = None
        self._limit.run(self._con, self._con.executemany, args, kwargs, self._in_transaction())
        return self

    def fetchall(self) -> list:
        return self._fetch(self._con.fetchall)

    def fetchone(self) -> Optional[tuple]:
        return self._fetch(self._con.fetchone)

    def fetchmany(self, size: int = 1) -> list:
        return self._fetch(self._con.fetchmany, size)

    def _fetch(self, fetch: Callable[..., Any], *args: Any) -> Any:
        statement, self._unfetched = self._unfetched, None
        try:
            return fetch(*args)
        except duckdb.OutOfMemoryException as refused:
            if statement is None:
                raise
            self._limit.raise_to_run_again(self._con, refused, self._in_transaction())
            call, statement_args, statement_kwargs = statement
            call(*statement_args, **statement_kwargs)
            return fetch(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)
