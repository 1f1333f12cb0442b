"""whole_lineage.py: a whole lineage document made a few sessions at a time is, joined, the text the document made in
one go gives (sessions stamped, with and without the sources), and no read of records asks for more than a chunk.
A real DuckDB file; runs restarted every few executions, some stamped, one with a seed."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store
from trackit_sidecar.whole_lineage import chunks, document_parts, whole_lineage_parts

CELLS = ["import pandas as pd\nimport numpy as np\nnp.random.seed(7)", "df = pd.read_csv('a.csv')",
         "df = df.dropna()\ndf['b'] = df['a'] * 2", "df = df[df['b'] > 0]\nprint(len(df))"]
RUN = 6  # executions per run (the kernel restarts)


def ev(nb: Path, i: int) -> p.CellExecution:
    cell = i % len(CELLS)
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=CELLS[cell],
        execution_order=i % RUN + 1, started_at=1e12 + i * 1000, ended_at=1e12 + i * 1000 + 5, status="ok",
        kernel_id=f"k{i // RUN}")


@pytest.fixture
def notebook(tmp_path):
    store = Store.open(str(tmp_path / "whole.duckdb"))
    nb = tmp_path / "nb.ipynb"
    events = [ev(nb, i) for i in range(10 * RUN + 3)]  # 11 runs, the last one short
    service = TrackitService(store)
    service.ingest(events)
    stamp = p.RunStamp(stamped_at="2026-01-01T00:00:00+00:00", env={"PYTHONHASHSEED": "0"},
                       git=p.GitState(commit="abc", dirty_worktree=True))
    for first_of_run in (0, 4 * RUN, 10 * RUN):
        service.experiments.db.save_stamp(events[first_of_run].event_id, stamp)
    yield service, nb.as_uri()
    store.close()


@pytest.mark.parametrize("include_source", [False, True])
def test_the_parts_joined_are_the_whole_document(notebook, include_source):
    service, uri = notebook
    whole = service.public_lineage(uri, include_experiments=False)
    assert len(whole.sessions) == 11 and sum(s.stamp is not None for s in whole.sessions) == 3
    assert any(s.stamp.seeds for s in whole.sessions if s.stamp is not None)  # stamps carry seeds read from the runs
    expected = b"".join(document_parts(whole, include_source)).decode()
    fresh = TrackitService(service.store)
    parts = whole_lineage_parts(fresh, uri, include_source, chunk=2 * RUN)
    assert len(parts) > 3  # made in pieces: head, several groups of runs, tail
    assert b"".join(parts).decode() == expected


def test_a_record_sent_without_its_defaults_reads_back_as_the_same_record(notebook):
    """On the wire a record leaves out its fields at their default (protocol.records_on_the_wire): read back, it is
    the same record, and the document is smaller by what was left out."""
    service, uri = notebook
    whole = service.public_lineage(uri, include_experiments=False)
    sent = b"".join(document_parts(whole, include_source=True))
    assert p.LineageDocument.model_validate_json(sent) == whole
    first = json.loads(sent)["executions"][0]
    assert "stale" not in first and "outputs" not in first and "language" not in first  # null, [], "python"
    assert len(sent) < len(whole.model_dump_json()) * 0.9


def test_no_read_of_records_is_more_than_a_chunk(notebook, monkeypatch):
    service, uri = notebook
    fresh = TrackitService(service.store)
    read: list[int] = []
    lineage = fresh.store.lineage

    def counted(*args, **kwargs):
        doc = lineage(*args, **kwargs)
        read.append(len(doc.executions))
        return doc

    monkeypatch.setattr(fresh.store, "lineage", counted)
    whole_lineage_parts(fresh, uri, False, chunk=2 * RUN)
    assert sum(read) == 10 * RUN + 3 and max(read) <= 2 * RUN


def test_sessions_are_grouped_in_seq_order_up_to_the_chunk_and_overlapping_ones_are_not_split():
    assert chunks({1: (1, 5), 2: (6, 10), 3: (11, 30), 4: (31, 32)}, size=10) == [[1, 2], [3], [4]]
    assert chunks({2: (6, 10), 1: (1, 5)}, size=4) == [[1], [2]]
    assert chunks({1: (1, 10), 2: (5, 12)}, size=100) is None


def test_the_heap_is_given_back_once_the_parts_let_go_of_as_many_runs_as_a_whole_read_would(notebook, monkeypatch):
    from trackit_sidecar import lineage_views

    service, uri = notebook
    fresh = TrackitService(service.store)
    released: list[int] = []
    monkeypatch.setattr(lineage_views, "release_freed", lambda: released.append(fresh.views.cache.held) or True)
    monkeypatch.setattr(lineage_views, "RELEASE_AFTER_LETTING_GO", 3 * RUN)
    fresh.views.cache.max_executions = 2 * RUN
    whole_lineage_parts(fresh, uri, False, chunk=2 * RUN)  # 63 runs read 12 at a time, 12 held: no read lets go of 18
    assert len(released) == 2  # 51 let go in all: given back after 18 and 36
