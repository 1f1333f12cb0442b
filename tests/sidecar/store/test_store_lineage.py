"""Read queries: lineage document contents, per-cell helpers, pre-filtering across many notebooks."""

from __future__ import annotations

from datetime import datetime

from trackit_sidecar.protocol import CellOutput, LineageDocument, RuntimeFacts
from trackit_sidecar.store import Store, iso_utc

NB = "file:///tmp/trackit-tests/nb.ipynb"


def test_lineage_document_carries_everything_in_seq_order(mem_store, ev, analyses):
    load = ev(cell_id="load", cell_index=0, source="df = pd.read_csv('x.csv')", kernel_name="python3",
              outputs=[CellOutput(output_type="execute_result", mime="text/html", text="<table/>")])
    boom = ev(cell_id="clean", cell_index=1, source="df = df.dropna(", status="error",
              error_name="SyntaxError", error_message="'(' was never closed")
    mem_store.ingest([boom, load], analyses([load, boom]), 1)
    mem_store.add_runtime_facts(load.event_id, [RuntimeFacts(variable="df", kind="DataFrame", rows_after=5)])

    doc = mem_store.lineage(NB)
    assert isinstance(doc, LineageDocument) and doc.format == "trackit.lineage/1"
    assert doc.notebook == "/tmp/trackit-tests/nb.ipynb" and doc.notebook_uri == NB
    first, second = doc.executions
    assert (first.seq, first.cell_id, second.seq, second.cell_id) == (1, "load", 2, "clean")
    assert first.source == load.source and first.execution_count == load.execution_order
    assert first.writes == [f"v{len(load.source)}"] and first.steps[0].op == "filter_rows"
    assert first.outputs[0].text == "<table/>" and first.outputs[0].mime == "text/html"
    assert first.runtime[0].kind == "DataFrame" and first.error is None
    assert second.error.name == "SyntaxError" and second.status == "error"
    assert first.duration_ms == 250 and first.parents == []
    assert datetime.fromisoformat(first.started_at).timestamp() * 1000 == load.started_at
    assert [(s.id, s.executions, s.kernel_name) for s in doc.sessions] == [(1, 2, "python3")]
    assert doc.sessions[0].started_at == iso_utc(load.started_at) and doc.sessions[0].ended_at == iso_utc(boom.ended_at)
    # The public JSON round-trips through the model.
    assert LineageDocument.model_validate_json(doc.model_dump_json()) == doc


def test_steps_are_fresh_objects_per_execution(mem_store, ev, analyses):
    runs = [ev(source="df = df[df.a > 0]") for _ in range(2)]
    mem_store.ingest(runs, analyses(runs), 1)
    first, second = mem_store.lineage(NB).executions
    first.steps[0].runtime = RuntimeFacts(variable="df")  # what graph.attach_runtime does
    assert second.steps[0].runtime is None


def test_session_filter(mem_store, ev, analyses):
    batch = [ev(kernel_id="k1", execution_order=1), ev(kernel_id="k2", execution_order=1), ev(kernel_id="k2", execution_order=2)]
    mem_store.ingest(batch, analyses(batch), 1)
    doc = mem_store.lineage(NB, session=2)
    assert [e.seq for e in doc.executions] == [2, 3] and [s.id for s in doc.sessions] == [2]


def test_unknown_notebook_gives_an_empty_document(mem_store):
    doc = mem_store.lineage("/nowhere/x.ipynb")
    assert doc.executions == [] and doc.sessions == [] and doc.notebook == "/nowhere/x.ipynb"
    assert mem_store.cell_history("/nowhere/x.ipynb").versions == []
    assert mem_store.latest_per_cell("/nowhere/x.ipynb") == {} and mem_store.cell_runs("/nowhere/x.ipynb", "c") == []


def test_per_cell_helpers(mem_store, ev, analyses):
    batch = [ev(cell_id="a", source="a = 1"), ev(cell_id="b", source="b = a"), ev(cell_id="a", source="a = 2")]
    mem_store.ingest(batch, analyses(batch), 1)
    latest = mem_store.latest_per_cell(NB)
    assert {cell: r.seq for cell, r in latest.items()} == {"a": 3, "b": 2}
    assert latest["a"].source == "a = 2"
    assert [r.seq for r in mem_store.cell_runs(NB, "a")] == [1, 3]
    assert mem_store.run_counts(NB) == {"a": 2, "b": 1}


def test_lineage_prefilters_one_notebook_among_many(db_path, ev, analyses):
    """500 executions over 25 notebooks, interleaved in time: each notebook gets exactly its own rows."""
    batch = []
    for i in range(500):
        nb = i % 25
        batch.append(ev(notebook_uri=f"file:///tmp/many/nb{nb}.ipynb", cell_id=f"c{i // 25}", source=f"x{nb} = {i}",
                        execution_order=i // 25 + 1, kernel_id=f"k{nb}"))
    with Store.open(db_path) as store:
        for start in range(0, len(batch), 100):
            store.ingest(batch[start:start + 100], analyses(batch[start:start + 100]), 1)
    with Store.open(db_path, read_only=True) as store:
        assert len(store.notebooks()) == 25
        doc = store.lineage("/tmp/many/nb7.ipynb")
        assert [e.seq for e in doc.executions] == list(range(1, 21))
        assert {e.source.split(" = ")[0] for e in doc.executions} == {"x7"}
        assert [e.cell_id for e in doc.executions] == [f"c{k}" for k in range(20)]
        assert [s.id for s in doc.sessions] == [1]
        assert store.count_executions() == 500


class _CountingConnection:
    """The store's DuckDB connection, counting the statements run through it."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_notebooks_are_found_by_uri_path_or_relative_path_without_a_query_each(tmp_path, db_path, ev, analyses,
                                                                               monkeypatch):
    """The first look-up reads every notebook recorded; a notebook recorded later is found by reading the rows
    added since; one never recorded is None, and found once it is."""
    nbs = [tmp_path / f"nb {k}.ipynb" for k in range(3)]
    with Store.open(db_path) as store:
        batch = [ev(notebook_uri=nb.as_uri(), source=f"x = {k}") for k, nb in enumerate(nbs[:2])]
        store.ingest(batch, analyses(batch), 1)
        counting = _CountingConnection(store.connection.con)
        store.connection.con = counting
        assert store.find_notebook(nbs[0].as_uri()).path == str(nbs[0])
        first = len(counting.statements)
        monkeypatch.chdir(tmp_path)
        assert store.find_notebook(str(nbs[1])).uri == nbs[1].as_uri()  # by path: no query of its own
        assert store.find_notebook("./nb 1.ipynb").uri == nbs[1].as_uri()
        assert len(counting.statements) == first
        assert store.find_notebook(nbs[2].as_uri()) is None
        store.connection.con = counting.con
        later = [ev(notebook_uri=nbs[2].as_uri(), source="x = 2")]
        store.ingest(later, analyses(later), 1)
        found = store.find_notebook(str(nbs[2]))
        assert found is not None and found.uri == nbs[2].as_uri()
        assert [e.source for e in store.lineage(nbs[2].as_uri()).executions] == ["x = 2"]


def test_the_execution_of_an_event_names_its_notebook_also_one_recorded_after_the_notebooks_were_read(mem_store, ev,
                                                                                                    analyses):
    first = ev()
    mem_store.ingest([first], analyses([first]), 1)
    assert mem_store.find_notebook(NB) is not None  # the notebooks known are read into memory
    other = ev(notebook_uri="file:///tmp/trackit-tests/other.ipynb", kernel_id="k9")
    mem_store.ingest([other], analyses([other]), 1)
    # found by the notebook's row id (a lookup by key, no join with the notebooks table), the new one read since
    assert mem_store.experiments.execution_of(other.event_id) == ("file:///tmp/trackit-tests/other.ipynb", 1, 1)
    assert mem_store.experiments.execution_of(first.event_id) == (NB, 1, 1)
    assert mem_store.experiments.execution_of("no-such-event") is None
