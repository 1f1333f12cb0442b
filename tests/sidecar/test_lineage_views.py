"""Lineage kept per session and built incrementally (lineage_views.py) says exactly what a document built from
scratch says, tells each change as a delta by seq, and holds a bounded number of executions."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.lineage import records
from trackit_sidecar.lineage.staleness import with_staleness
from trackit_sidecar.render.hover import build_annotation
from trackit_sidecar.render.tree import label_document
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = {
    0: "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, None]})",
    1: "df = df.dropna()",
    2: "df = df[df.a > 1]",
    3: "df['b'] = df.a * 2",
    4: "total = df.b.sum()",
}


def ev(nb: Path, cell: int, order: int, t: float, status: str = "ok", kernel: str = "k1",
       source: str | None = None) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=source or CELLS[cell],
        execution_order=order, started_at=t, ended_at=t + 3, status=status, kernel_id=kernel,
        error_name="KeyError" if status == "error" else None,
    )


def from_scratch(store: Store, uri: str, current) -> list[dict]:
    """What the service said before lineage was kept per session: the whole notebook, completed, worded, judged."""
    doc = label_document(records.complete(store.lineage(uri)))
    return [e.model_dump(mode="json") for e in with_staleness(doc, current).executions]


@pytest.fixture
def service(tmp_path):
    svc = TrackitService(Store.open(str(tmp_path / "views.duckdb")))
    yield svc
    svc.store.close()


def dumped(doc: p.LineageDocument) -> list[dict]:
    return [e.model_dump(mode="json") for e in doc.executions]


def test_appending_batches_facts_and_restarts_equals_a_document_built_from_scratch(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10)])
    assert len(service.lineage(uri).executions) == 2  # read once: held from now on
    service.ingest([ev(nb, 3, 3, t + 20)])
    service.ingest([ev(nb, 2, 4, t + 30, status="error"), ev(nb, 4, 5, t + 40)])
    # facts for the failed run arrive after later runs are stored: it wrote nothing, so cell 4 reads cell 3's df
    failed = service.lineage(uri).executions[3]
    service.add_runtime_facts(_event_id(service, uri, failed.seq), [p.RuntimeFacts(variable="df", kind="DataFrame",
                                                                                   rows_after=2, changed=False)])
    service.set_runtime_status({_event_id(service, uri, 1): ("captured", "announced")})
    service.ingest([ev(nb, 0, 1, t + 50, kernel="k2"), ev(nb, 4, 2, t + 60, kernel="k2")])  # a restart
    service.set_current_sources(uri, {"c1": "edited", "c0": p.source_sha256(CELLS[0])})
    service.sources_changed(uri)
    got = dumped(service.lineage(uri))
    assert got == from_scratch(service.store, uri, service._current_sources[uri])
    assert [e["seq"] for e in got] == [1, 2, 3, 4, 5, 6, 7]
    assert got[4]["parents"] == [3]  # past the failed run that wrote nothing
    assert got[1]["stale"] == "edited" and got[2]["stale"] == "upstream"


def _event_id(service: TrackitService, uri: str, seq: int) -> str:
    ref = service.store.find_notebook(uri)
    return service.store.connection.con.execute(
        "SELECT event_id FROM executions WHERE notebook_id = ? AND seq = ?", [ref.id, seq]).fetchone()[0]


def test_a_change_carries_new_runs_after_the_seq_the_editor_has_and_updated_ones(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    service.ingest([ev(nb, 0, 1, 1e12), ev(nb, 1, 2, 1e12 + 10)])
    assert service.take_change(uri) is None  # nothing read yet: nothing to tell (the editor reads it on open)
    doc = service.lineage(uri, latest_session=True)
    assert doc.latest_seq == 2
    service.ingest([ev(nb, 2, 3, 1e12 + 20)])
    change = service.take_change(uri)
    assert (change.after_seq, change.latest_seq, [e.seq for e in change.executions]) == (2, 3, [3])
    assert change.executions[0].label == "[3] Cell 3" and change.executions[0].parents == [2]
    assert [s.executions for s in change.sessions] == [3]
    service.set_runtime_status({_event_id(service, uri, 2): ("kernel_unreachable", None)})
    change = service.take_change(uri)
    assert (change.after_seq, change.latest_seq) == (3, 3)
    assert [e.seq for e in change.executions] == [2]
    assert change.executions[0].runtime_status == "kernel_unreachable"
    # the only status in the session: said once, by the session
    assert [s.runtime_note for s in change.sessions] == ["runtime facts unavailable (kernel did not answer)"]
    service.set_current_sources(uri, {"c0": "edited"})
    service.sources_changed(uri)
    change = service.take_change(uri)
    assert [(e.seq, e.stale) for e in change.executions] == [(1, "edited"), (2, "upstream"), (3, "upstream")]
    assert service.take_change(uri).executions == []  # told once


def test_windows_describe_every_session_and_hold_only_what_was_read(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    events = []
    for session in range(3):  # three kernels, four runs each
        events += [ev(nb, c, c + 1, 1e12 + session * 1000 + c * 10, kernel=f"k{session}") for c in range(4)]
    service.ingest(events)
    latest = service.lineage(uri, latest_session=True)
    assert [s.id for s in latest.sessions] == [1, 2, 3] and [s.executions for s in latest.sessions] == [4, 4, 4]
    assert [e.seq for e in latest.executions] == [9, 10, 11, 12]
    assert service.views.cache.held == 4
    assert [e.seq for e in service.lineage(uri, session=1).executions] == [1, 2, 3, 4]
    assert [e.seq for e in service.lineage(uri, after_seq=6).executions] == [7, 8, 9, 10, 11, 12]
    full = service.lineage(uri)
    assert dumped(full) == from_scratch(service.store, uri, None)
    assert [s.model_dump() for s in full.sessions] == [s.model_dump() for s in label_document(
        service.store.lineage(uri)).sessions]


def test_held_executions_stay_bounded_and_evicted_sessions_read_again(service, tmp_path):
    service.views.cache.max_executions = 10
    notebooks = [tmp_path / f"nb{k}.ipynb" for k in range(4)]
    for k, nb in enumerate(notebooks):
        service.ingest([ev(nb, c % 5, c + 1, 1e12 + c * 10) for c in range(6)])
    for nb in notebooks:
        service.lineage(nb.as_uri())
        assert service.views.cache.held <= 10
    first = notebooks[0].as_uri()
    assert dumped(service.lineage(first)) == from_scratch(service.store, first, None)


def test_the_server_holds_at_most_a_thousand_executions_after_whole_documents_of_several_notebooks(service, tmp_path):
    # the sidecar's memory budget (issue 15 item 4): each held execution is ~8 KB with its steps and facts;
    # 2,500 held were ~20 MB of a sidecar over its 200 MB target (bench_sidecar.py --only memory)
    notebooks = [tmp_path / f"nb{k}.ipynb" for k in range(2)]
    for nb in notebooks:  # 600 runs each, the kernel restarted every 40: 15 sessions
        service.ingest([ev(nb, c % 5, c % 40 + 1, 1e12 + c * 10, kernel=f"k{c // 40}") for c in range(600)])
    for nb in notebooks:
        assert len(service.lineage(nb.as_uri()).executions) == 600
    assert 0 < service.views.cache.held <= 1000
    latest = service.lineage(notebooks[0].as_uri(), latest_session=True)  # what the editor reads: still served
    assert [e.seq for e in latest.executions] == list(range(561, 601))


def test_a_whole_document_larger_than_what_is_held_is_answered_whole_then_let_go(service, tmp_path):
    service.views.cache.max_executions = 5
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    events = []
    for session in range(3):  # three kernels, four runs each: 12 runs, more than the 5 held
        events += [ev(nb, c, c + 1, 1e12 + session * 1000 + c * 10, kernel=f"k{session}") for c in range(4)]
    service.ingest(events)
    full = service.lineage(uri)
    assert [e.seq for e in full.executions] == list(range(1, 13))
    assert dumped(full) == from_scratch(service.store, uri, None)
    assert service.views.cache.held <= 5


def test_sessions_read_together_first_let_go_of_others_so_what_is_held_never_passes_the_bound(service, tmp_path,
                                                                                               monkeypatch):
    # a whole document's group (or an experiments listing's) read on top of a full cache held twice the bound
    service.views.cache.max_executions = 8
    notebooks = [tmp_path / f"nb{k}.ipynb" for k in range(2)]
    for nb in notebooks:  # two kernels, four runs each
        service.ingest([ev(nb, c % 4, c % 4 + 1, 1e12 + c * 10, kernel=f"k{c // 4}") for c in range(8)])
    held_when_read: list[int] = []
    read = service.store.lineage
    monkeypatch.setattr(service.store, "lineage", lambda *a, **k: held_when_read.append(service.views.cache.held) or read(
        *a, **k))
    for nb in notebooks:
        assert [e.seq for e in service.lineage(nb.as_uri()).executions] == list(range(1, 9))
    assert held_when_read == [0, 0]  # the first notebook's 8 runs let go before the second's 8 were read
    assert service.views.cache.held == 8
    second = notebooks[1].as_uri()
    assert dumped(service.lineage(second)) == from_scratch(service.store, second, None)


def test_letting_go_of_a_large_read_gives_the_freed_heap_back_and_a_small_one_does_not(service, tmp_path, monkeypatch):
    from trackit_sidecar import lineage_views

    released = []
    monkeypatch.setattr(lineage_views, "release_freed", lambda: released.append(service.views.cache.held) or True)
    monkeypatch.setattr(lineage_views, "RELEASE_AFTER_LETTING_GO", 6)
    service.views.cache.max_executions = 5
    nb = tmp_path / "nb.ipynb"
    events = []
    for session in range(3):  # 12 runs in three sessions of four
        events += [ev(nb, c, c + 1, 1e12 + session * 1000 + c * 10, kernel=f"k{session}") for c in range(4)]
    service.ingest(events)
    service.lineage(nb.as_uri(), latest_session=True)  # 4 held, nothing let go
    assert released == []
    service.lineage(nb.as_uri())  # all 12 answered, 8 let go: given back once they are
    assert released == [4]


def test_the_annotation_read_from_one_session_equals_the_whole_notebooks(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, c, c + 1, t + c * 10) for c in range(5)])
    service.ingest([ev(nb, c, c + 1, t + 100 + c * 10, kernel="k2") for c in (0, 1, 4)])
    whole = label_document(records.complete(service.store.lineage(uri)))
    for cell in range(5):
        expected = build_annotation(whole, f"c{cell}")
        got = service.annotation(uri, f"c{cell}")
        assert got.model_dump(exclude={"markdown"}) == expected.model_dump(exclude={"markdown"})
        assert got.markdown.split("\n\n")[1:] == expected.markdown.split("\n\n")[1:]  # the first says "ago"


def test_new_runs_re_read_only_their_sessions_and_describe_every_session_as_a_fresh_read(service, tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10), ev(nb, 0, 1, t + 20, kernel="k2")])  # two sessions
    service.lineage(uri, latest_session=True)
    service.set_runtime_status({_event_id(service, uri, 1): ("kernel_unreachable", None)})  # the first one's note
    service.take_change(uri)
    first = next(s for s in service.lineage(uri, latest_session=True).sessions if s.id == 1)
    service.ingest([ev(nb, 1, 2, t + 30, kernel="k2")])  # joins the latest session
    change = service.take_change(uri)
    assert [s.id for s in change.sessions] == [2] and change.sessions[0].executions == 2
    service.ingest([ev(nb, 0, 1, t + 40, kernel="k3"), ev(nb, 2, 2, t + 50, kernel="k3")])  # a new session
    change = service.take_change(uri)
    assert [s.id for s in change.sessions] == [3] and change.sessions[0].executions == 2
    held = service.lineage(uri, latest_session=True).sessions
    fresh = TrackitService(service.store).lineage(uri, latest_session=True).sessions  # read from scratch
    assert [s.model_dump() for s in held] == [s.model_dump() for s in fresh]
    assert held[0].model_dump() == first.model_dump()  # the earlier session as it was described


def test_a_first_touch_annotation_reads_its_session_in_five_queries_with_facts_statuses_and_files(tmp_path):
    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    writer = TrackitService(Store.open(str(tmp_path / "facts.duckdb")))
    first = [ev(nb, c, c + 1, 1e12 + c * 10) for c in range(5)]
    writer.ingest(first + [ev(nb, c, c + 1, 1e12 + 100 + c * 10, kernel="k2") for c in (0, 1, 4)])
    writer.add_runtime_facts(first[1].event_id, [p.RuntimeFacts(variable="df", kind="DataFrame", rows_before=3,
                                                                rows_after=2)])
    writer.add_runtime_facts(first[2].event_id, [p.RuntimeFacts(variable="df", kind="DataFrame", rows_before=2,
                                                                rows_after=1)])
    writer.set_runtime_status({e.event_id: ("captured", None) for e in first})
    writer.store.add_input_files(first[0].event_id, [p.InputFile(path=str(tmp_path / "a.csv"), size=3, sha256="ab"),
                                                     p.InputFile(path=str(tmp_path / "b.csv"), error="missing")])
    whole = label_document(records.complete(writer.store.lineage(uri)))
    writer.store.close()

    queries: list[str] = []
    for cell in range(5):
        reader = TrackitService(Store.open(str(tmp_path / "facts.duckdb"), read_only=True))
        conn = reader.store.queries._conn
        real = conn.con

        class Counted:  # every statement the first touch sends to DuckDB
            def execute(self, sql, *args):
                queries.append(sql)
                return real.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(real, name)

        conn.con = Counted()
        got = reader.annotation(uri, f"c{cell}")
        conn.con = real
        reader.store.close()
        expected = build_annotation(whole, f"c{cell}")
        assert got.model_dump(exclude={"markdown"}) == expected.model_dump(exclude={"markdown"})
        assert got.markdown.split("\n\n")[1:] == expected.markdown.split("\n\n")[1:]
        # the notebook once, the cell's latest run, its session's runs, their sources, their facts/statuses/files
        assert len(queries) == 5, queries
        queries.clear()
    assert whole.executions[1].runtime and whole.executions[0].input_files and whole.executions[0].runtime_status


def test_reading_runs_for_the_views_describes_no_session_from_their_records(service, tmp_path, monkeypatch):
    # the views describe sessions from one aggregate query (session_infos_and_ranges); describing them again from
    # every record read, and validating a document around the records, was ~15 ms of `trackit lineage` on 5,000 runs
    from trackit_sidecar.store import queries

    nb = tmp_path / "nb.ipynb"
    uri = nb.as_uri()
    t = 1e12
    service.ingest([ev(nb, 0, 1, t), ev(nb, 1, 2, t + 10), ev(nb, 0, 1, t + 20, kernel="k2"),
                    ev(nb, 2, 2, t + 30, kernel="k2")])
    expected = from_scratch(service.store, uri, None)
    described: list[int] = []
    monkeypatch.setattr(queries, "sessions_of", lambda records: described.append(len(records)) or [])
    doc = service.lineage(uri)
    assert described == []
    assert dumped(doc) == expected
    assert [s.executions for s in doc.sessions] == [2, 2]
    service.ingest([ev(nb, 3, 3, t + 40, kernel="k2")])  # appended to a held view
    assert len(service.lineage(uri).executions) == 5
    assert described == []
