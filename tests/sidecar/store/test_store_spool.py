"""Two real OS processes on one database: lock error naming the holder, spool, merge, replay safety."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from trackit_sidecar.lineage.analysis import SourceAnalysis
from trackit_sidecar.protocol import InputFile, RuntimeFacts
from trackit_sidecar.store import (
    DatabaseLocked,
    Spool,
    SpoolFileError,
    Store,
    StoreError,
)
from trackit_sidecar.store.lock import LockConflict, describe_holder, parse_lock_error
from trackit_sidecar.store.spool import parse_spool_text, spool_lines

NB = "file:///tmp/trackit-tests/nb.ipynb"

# The owner: opens the database, stores one event, then obeys "merge" / "close" on stdin.
OWNER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from trackit_sidecar.protocol import CellExecution
    from trackit_sidecar.lineage.analysis import SourceAnalysis
    from trackit_sidecar.store import Store

    store = Store.open(sys.argv[1], description="trackit serve")
    first = CellExecution.model_validate_json(sys.argv[2])
    store.ingest([first], {}, 1)
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "merge":
            report = store.merge_spool(lambda event, sha, new: SourceAnalysis(writes=[event.source.split("=")[0].strip()]), 1)
            print(json.dumps({"files": report.files_merged, "ingested": report.events_ingested,
                              "duplicates": report.duplicates, "rejected": len(report.rejected)}), flush=True)
        elif command == "close":
            store.close()
            print("closed", flush=True)
            break
    """
)


def _read_line(proc: subprocess.Popen, timeout: float = 60.0) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        raise AssertionError(f"owner process said nothing for {timeout}s; stderr: {proc.stderr.read()}")
    line = proc.stdout.readline()
    if not line:
        raise AssertionError(f"owner process exited: {proc.wait()} {proc.stderr.read()}")
    return line.strip()


def _send(proc: subprocess.Popen, command: str) -> str:
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    return _read_line(proc)


@pytest.fixture
def owner(tmp_path, db_path, ev):
    script = tmp_path / "owner.py"
    script.write_text(OWNER_SCRIPT)
    first = ev(cell_id="owner-cell", source="a = 1")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_path), first.model_dump_json()],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert _read_line(proc) == "ready"
        yield proc, first
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()


def test_second_process_is_locked_out_spools_and_the_owner_merges(owner, db_path, ev):
    proc, first = owner
    with pytest.raises(DatabaseLocked) as locked:
        Store.open(db_path)
    assert locked.value.holder_pid == proc.pid
    assert locked.value.holder_description.startswith("trackit serve, since ")
    assert f"database is held by PID {proc.pid} (trackit serve, since" in str(locked.value)
    with pytest.raises(DatabaseLocked):  # reads are refused too, fast
        Store.open(db_path, read_only=True)

    mine = [ev(cell_id="cli-cell", source=f"b{i} = {i}", kernel_id="cli-kernel", execution_order=i + 1) for i in range(5)]
    spool = Spool(db_path)
    spool.append(mine[:3], runtime_facts={mine[0].event_id: [RuntimeFacts(variable="b0", rows_after=3)]},
                 input_files={mine[1].event_id: [InputFile(path="/tmp/in.csv", sha256="c" * 64)]})
    # The owner's own event and a repeat of a spooled one: both must end up stored exactly once.
    spool.append([*mine[3:], first, mine[0]])
    assert len(spool.pending()) == 2

    assert json.loads(_send(proc, "merge")) == {"files": 2, "ingested": 5, "duplicates": 2, "rejected": 0}
    assert spool.pending() == []
    assert json.loads(_send(proc, "merge")) == {"files": 0, "ingested": 0, "duplicates": 0, "rejected": 0}
    assert _send(proc, "close") == "closed"
    assert proc.wait(timeout=30) == 0
    assert not Path(f"{db_path}.owner.json").exists()

    with Store.open(db_path) as store:
        doc = store.lineage(NB)
        assert sorted(e.cell_id for e in doc.executions) == ["cli-cell"] * 5 + ["owner-cell"]
        assert [e.seq for e in doc.executions] == [1, 2, 3, 4, 5, 6]
        spooled = [e for e in doc.executions if e.cell_id == "cli-cell"]
        assert [e.writes for e in spooled] == [[f"b{i}"] for i in range(5)]  # the owner's analyze ran
        assert len(spooled[0].runtime) == 1 and spooled[0].runtime[0].rows_after == 3
        assert store.last_input_file_sha("/tmp/in.csv") == "c" * 64
        assert {e.session for e in spooled} == {2}  # another kernel, another session
    # Not corrupted: plain DuckDB reopens the file, scans every table and checkpoints it.
    con = duckdb.connect(str(db_path))
    assert con.execute("SELECT count(*), count(DISTINCT event_id) FROM executions").fetchone() == (6, 6)
    assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 6
    assert con.execute("SELECT count(*) FROM runtime_facts").fetchone()[0] == 1
    con.execute("CHECKPOINT")
    con.close()


def test_crash_between_commit_and_delete_replays_without_duplicates(db_path, ev, monkeypatch):
    events = [ev(source=f"c{i} = 1") for i in range(3)]
    Spool(db_path).append(events, runtime_facts={events[0].event_id: [RuntimeFacts(variable="c0")]})

    def analyze(event, sha, new):
        return SourceAnalysis(writes=["w"])

    with Store.open(db_path) as store:
        real_unlink = Path.unlink

        def crash(self, missing_ok=False):
            raise RuntimeError("killed after commit")

        monkeypatch.setattr(Path, "unlink", crash)
        with pytest.raises(RuntimeError, match="killed after commit"):
            store.merge_spool(analyze, 1)
        monkeypatch.setattr(Path, "unlink", real_unlink)
        assert store.count_executions() == 3  # committed
        assert len(Spool(db_path).pending()) == 1  # but the file is still there

        report = store.merge_spool(analyze, 1)
        assert (report.files_merged, report.events_ingested, report.duplicates) == (1, 0, 3)
        assert store.count_executions() == 3
        assert len(store.lineage(NB).executions[0].runtime) == 1  # facts not doubled either
        assert Spool(db_path).pending() == []


def test_bad_spool_file_is_moved_aside_not_lost(db_path, ev):
    spool = Spool(db_path)
    spool.dir.mkdir(parents=True)
    bad = spool.dir / "999-1-1.jsonl"
    bad.write_text('{"type": "execution", "event": {"event_id": "x"}}\n')
    good = [ev()]
    spool.append(good)
    with Store.open(db_path) as store:
        report = store.merge_spool(lambda event, sha, new: SourceAnalysis(), 1)
        assert report.events_ingested == 1 and len(report.rejected) == 1
        assert "999-1-1.jsonl:1" in report.rejected[0][1]
    rejected = spool.dir / "rejected" / "999-1-1.jsonl"
    assert rejected.read_text().startswith('{"type": "execution"')
    assert (spool.dir / "rejected" / "999-1-1.jsonl.reason.txt").exists()


def test_a_failing_analyzer_does_not_block_the_merge(db_path, ev):
    Spool(db_path).append([ev(source="q = 1")])

    def broken(event, sha, new):
        raise ValueError("analyzer bug")

    with Store.open(db_path) as store:
        assert store.merge_spool(broken, 1).events_ingested == 1
        assert "analyzer bug" in store.lineage(NB).executions[0].analysis_error


def test_temporary_files_are_not_merged(db_path, ev):
    spool = Spool(db_path)
    spool.dir.mkdir(parents=True)
    (spool.dir / ".123-1-1.jsonl.tmp").write_text(spool_lines([ev()]))
    assert spool.pending() == []


def test_spool_text_round_trip_and_errors(ev):
    events = [ev(), ev()]
    parsed = parse_spool_text(spool_lines(events, {events[0].event_id: [RuntimeFacts(variable="x")]}))
    assert parsed.events == events and parsed.runtime_facts[events[0].event_id][0].variable == "x"
    with pytest.raises(SpoolFileError, match="f.jsonl:2"):
        parse_spool_text(spool_lines(events[:1]) + "{not json\n", "f.jsonl")
    with pytest.raises(SpoolFileError, match="unknown record type"):
        parse_spool_text('{"type": "mystery"}\n')


def test_memory_store_has_no_spool(mem_store):
    with pytest.raises(StoreError, match="no spool"):
        mem_store.merge_spool(lambda event, sha, new: SourceAnalysis())


def test_lock_message_parsing():
    message = ('IO Error: Could not set lock on file "/x/t.duckdb": Conflicting lock is held in '
               "/usr/bin/python3.11 (PID 4242). See also https://duckdb.org/docs/current/connect/concurrency")
    assert parse_lock_error(message) == LockConflict(program="/usr/bin/python3.11", pid=4242)
    assert parse_lock_error("IO Error: disk full") is None
    owner = {"pid": 4242, "description": "trackit serve", "started_at": 0}
    assert describe_holder(LockConflict("/usr/bin/python3.11", 4242), owner).startswith("trackit serve, since ")
    # A stale owner file from a crashed process does not name the wrong holder.
    assert describe_holder(LockConflict("/usr/bin/python3.11", 4242), {**owner, "pid": 1}) == "/usr/bin/python3.11"


def test_owner_file_written_on_open_and_removed_on_close(db_path):
    store = Store.open(db_path, description="trackit run")
    owner = json.loads(Path(f"{db_path}.owner.json").read_text())
    assert owner["pid"] == os.getpid() and owner["description"] == "trackit run"
    store.close()
    assert not Path(f"{db_path}.owner.json").exists()


def test_facts_spooled_after_their_execution_attach_once(db_path, ev):
    run = ev(source="r = 1")
    spool = Spool(db_path)
    spool.append([run])
    late_facts = {run.event_id: [RuntimeFacts(variable="r", rows_after=1)]}
    spool.append([], runtime_facts=late_facts, input_files={"never-stored": [InputFile(path="/tmp/x.csv")]})
    with Store.open(db_path) as store:
        report = store.merge_spool(lambda event, sha, new: SourceAnalysis(), 1)
        assert (report.files_merged, report.events_ingested) == (2, 1)
        assert report.orphan_event_ids == {"never-stored"}
        spool.append([], runtime_facts=late_facts)  # the same facts again, e.g. a re-sent buffer
        store.merge_spool(lambda event, sha, new: SourceAnalysis(), 1)
        assert [f.variable for f in store.lineage(NB).executions[0].runtime] == ["r"]


def test_merge_report_reads_as_the_number_merged():
    from trackit_sidecar.store import MergeReport

    assert not MergeReport(files_merged=1, duplicates=2)
    assert "%d merged" % MergeReport(events_ingested=3) == "3 merged"
