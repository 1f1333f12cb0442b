"""A statement DuckDB refuses for the bound only as its result is fetched (memory_limit.LimitedConnection): DuckDB runs
a UNION ALL's later joins while `fetchall` reads the result, so under a bound just too small for them the refusal
comes out of the fetch, after `execute` returned. The sidecar's records query failed that way under a 24 MB bound
(a window read answered "could not allocate block of size 256.0 KiB", mem9/mem10; found in `fetchall` by mem11). It
runs again under DuckDB's own limit, and the result is read whole. A real DuckDB file, two DuckDB threads (set after the
bound, which sets one)."""

from __future__ import annotations

import logging

import duckdb
import pytest

from trackit_sidecar.store import memory_limit

# the shape of store/queries.py's side rows: joins on the executions, one UNION ALL branch small, the other large
QUERY = ("SELECT 'fact', x.event_id, x.facts FROM facts x JOIN executions e ON e.event_id = x.event_id "
         "WHERE x.nb = ? AND e.seq >= ? UNION ALL SELECT 'capture', x.event_id, x.evidence FROM captures x "
         "JOIN executions e ON e.event_id = x.event_id WHERE x.nb = ? AND e.seq >= ?")
ROWS = 40_010  # what the query returns
# bounds tried in turn (KB): about where this database's query is refused, sometimes as it runs, sometimes as it is
# fetched (which one varies with DuckDB's two threads)
BOUNDS_KB = range(22_000, 30_000, 125)


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "fetch.duckdb"))
    con.execute("SET threads = 2")
    con.execute("CREATE TABLE executions AS SELECT 'ev' || i AS event_id, i % 5 AS nb, i AS seq FROM range(200000) r(i)")
    con.execute("CREATE TABLE facts AS SELECT 'ev' || i AS event_id, i % 5 AS nb, 'x' AS facts FROM range(50) r(i)")
    con.execute("CREATE TABLE captures AS SELECT 'ev' || i AS event_id, i % 5 AS nb, "
                "repeat(md5(i::VARCHAR), 10) AS evidence FROM range(200000) r(i)")
    con.execute("CHECKPOINT")
    yield con
    con.close()


def test_a_refusal_as_the_result_is_fetched_runs_the_statement_again_and_reads_it_whole(con, tmp_path, monkeypatch,
                                                                                      caplog):
    caplog.set_level(logging.INFO, logger="trackit.store")
    refused_in_fetch = 0
    limit = memory_limit.MemoryLimit(str(tmp_path / "fetch.duckdb.wal"))
    limited = memory_limit.LimitedConnection(con, limit, lambda: False)
    for kb in BOUNDS_KB:
        monkeypatch.setattr(memory_limit, "LIMIT", f"{kb}KB")
        limit.apply(con)
        # The bounded store runs DuckDB on one thread (memory_limit.THREADS), where this query was refused only as it
        # ran (bounds 2-40 MB, 2026-12-07): DuckDB computed the whole result in `execute`. Whether a result is streamed
        # into the fetch is DuckDB's choice, and a refusal there would lose the read, so the re-run stays; two threads
        # make DuckDB refuse inside the fetch, which is the case under test.
        con.execute("SET threads = 2")
        limited.execute(QUERY, [1, 0, 1, 0])
        if limit.raised:  # refused as it ran: run again by MemoryLimit.run (not what this test is about)
            assert len(limited.fetchall()) == ROWS
        else:
            caplog.clear()
            assert len(limited.fetchall()) == ROWS  # refused while fetched, at some bounds: run again, read whole
            refused_in_fetch += limit.raised
            assert limit.raised == any("run again under" in r.getMessage() for r in caplog.records)
        limit.settle(con)  # the lock let go: the bound again
        if refused_in_fetch >= 2:
            break
    if not refused_in_fetch:
        # Whether DuckDB refuses inside the fetch at any of these bounds depends on how its two threads are scheduled:
        # mem11 found it on a loaded machine; on an idle one (2026-12-05) it came up in about 1 run of 3, and not in a
        # full CI run. Reported as not exercised rather than passed; the checks above fail the test whenever it is.
        pytest.xfail("DuckDB refused in no fetch at these bounds this run: the case was not exercised")


def test_a_refusal_in_a_later_fetch_of_a_result_is_not_run_again(con, tmp_path):
    """Rows already handed out: running the statement again would hand them out twice."""
    limit = memory_limit.MemoryLimit(str(tmp_path / "fetch.duckdb.wal"))
    limit.apply(con)
    limited = memory_limit.LimitedConnection(con, limit, lambda: False)
    limited.execute("SELECT 1 UNION ALL SELECT 2")
    assert limited.fetchone() == (1,)
    assert limited._unfetched is None  # a refusal now would be raised, not run again
