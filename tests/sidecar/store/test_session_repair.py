"""Databases whose sessions were split by the old rule are repaired when they are opened (the migration).

The database is written by the store as it was before the fix (OLD_STORE_COMMIT, checked out of this
repository with `git archive` into a temp dir and run in a subprocess), not by a hand-made imitation.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import pytest

from trackit_sidecar.lineage import graph
from trackit_sidecar.store import Store, schema

from ...script_module import load_script

# main when this work started: the last commit whose store split sessions at every non-growing counter
OLD_STORE_COMMIT = "675d1b3142b789bae3511ec6507f2ca7c907c5b0"
HERE = Path(__file__).resolve().parent


def _load(name: str):
    return load_script(HERE / f"{name}.py")


old = _load("make_old_database")


def _old_sidecar(into: Path) -> Path:
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=HERE, capture_output=True, text=True)
    assert root.returncode == 0, f"this test needs the git repository: {root.stderr.strip()}"
    archive = subprocess.run(["git", "archive", "--format=tar", OLD_STORE_COMMIT, "sidecar/trackit_sidecar"],
                             cwd=root.stdout.strip(), capture_output=True)
    assert archive.returncode == 0, (
        f"commit {OLD_STORE_COMMIT[:10]} is not in this clone (fetch the full history): {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "sidecar"


@pytest.fixture(scope="module")
def old_database(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("old-store")
    sidecar = _old_sidecar(tmp / "src")
    db = tmp / "old.duckdb"
    env = dict(os.environ, PYTHONPATH=str(sidecar))
    made = subprocess.run([sys.executable, str(HERE / "make_old_database.py"), str(db)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-3000:]
    return db


def _sessions(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    rows = con.execute("SELECT n.uri, e.session FROM executions e JOIN notebooks n ON n.id = e.notebook_id "
                       "ORDER BY n.uri, e.seq").fetchall()
    found: dict[str, list[int]] = {}
    for uri, session in rows:
        found.setdefault(uri, []).append(session)
    return found


def test_the_old_store_really_split_the_sessions(old_database):
    con = duckdb.connect(str(old_database), read_only=True)
    try:
        assert schema.current_version(con) < schema.LATEST_VERSION
        assert _sessions(con) == old.OLD_SESSIONS
    finally:
        con.close()


def test_opening_repairs_the_sessions_and_keeps_everything_else(old_database, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(old_database.read_bytes())
    con = duckdb.connect(str(copy), read_only=True)
    before = con.execute("SELECT event_id, seq, cell_id, execution_count, status, source_sha256, outputs "
                         "FROM executions ORDER BY event_id").fetchall()
    con.close()

    with Store.open(copy) as store:
        assert store.schema_version() == schema.LATEST_VERSION
        doc = store.lineage(old.NOTEBOOK)
        cli = store.lineage(old.RUN_NOTEBOOK)
        count = store.count_executions()
    assert [e.session for e in doc.executions] == old.EXPECTED[old.NOTEBOOK]
    assert [e.session for e in cli.executions] == old.EXPECTED[old.RUN_NOTEBOOK]
    assert [(s.id, s.executions) for s in doc.sessions] == [(1, 11), (2, 5)]
    assert count == len(before)

    con = duckdb.connect(str(copy), read_only=True)
    after = con.execute("SELECT event_id, seq, cell_id, execution_count, status, source_sha256, outputs "
                        "FROM executions ORDER BY event_id").fetchall()
    con.close()
    assert after == before  # only the session numbers changed

    # the lineage the split had cut: the merge reads `left` (before the empty cell) and `pd`
    graph.link_parents(doc.executions)
    merge = next(e for e in doc.executions if e.seq == 5)
    assert merge.parents == [2, 4]
    assert graph.downstream(doc.executions, 1) == [2, 4, 5, 6, 7, 9, 10, 11]


def test_a_repaired_file_takes_new_executions_in_the_right_session(old_database, tmp_path):
    from trackit_sidecar.protocol import CellExecution

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(old_database.read_bytes())
    with Store.open(copy) as store:
        # the second Run All goes on: [5] is the same kernel as [4], whatever the old numbering said
        nxt = CellExecution(event_id="new-1", notebook_uri=old.NOTEBOOK, cell_id="cell-5", cell_index=5,
                            source="subset = final.query('a > 1')", execution_order=5, status="ok",
                            started_at=old.T0 + 50_000, ended_at=old.T0 + 50_100)
        store.ingest([nxt], {})
        doc = store.lineage(old.NOTEBOOK)
    assert doc.executions[-1].session == 2
