"""TrackitService over a real DuckDB file: what the server and the CLI both rely on."""

from __future__ import annotations

import gc
import uuid
import weakref
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store


def ev(nb: Path, cell: int, order: int, source: str, t: float, status: str = "ok", kernel: str = "k1") -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=source, execution_order=order,
        started_at=t, ended_at=t + 3, status=status, kernel_id=kernel,
    )


@pytest.fixture
def service(tmp_path):
    svc = TrackitService(Store.open(str(tmp_path / "lineage.duckdb")))
    yield svc
    svc.store.close()


def test_parents_follow_execution_order_when_a_frame_is_redefined_out_of_order(service, tmp_path):
    nb = tmp_path / "messy.ipynb"
    cells = {
        0: "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, None]})",
        1: "df = df.dropna()",
        2: "df = df[df.a > 1]",
        3: "df['b'] = df.a * 2",
        4: "total = df.b.sum()",
    }
    # executed: 0, 3, 1, 4, 2, 4 (cell 4 twice); cell order would give very different parents
    order = [0, 3, 1, 4, 2, 4]
    service.ingest([ev(nb, c, n + 1, cells[c], 1e12 + n * 10) for n, c in enumerate(order)])
    doc = service.lineage(str(nb))
    got = [(e.seq, e.cell_index, e.parents) for e in doc.executions]
    assert got == [
        (1, 0, []),
        (2, 3, [1]),       # cell 3 mutates the df from cell 0
        (3, 1, [2]),       # cell 1 reads the df cell 3 just wrote, not cell 0's
        (4, 4, [3]),
        (5, 2, [3]),
        (6, 4, [5]),       # the second run of cell 4 reads the df cell 2 filtered
    ]
    # it is durable: a fresh service on the same file computes the same parents
    service.store.close()
    again = TrackitService(Store.open(str(tmp_path / "lineage.duckdb")))
    try:
        assert [e.parents for e in again.lineage(nb.as_uri()).executions] == [g[2] for g in got]
    finally:
        again.store.close()
    service.store = Store.open(str(tmp_path / "lineage.duckdb"))  # the fixture closes it


def test_restart_starts_a_new_session_and_edges_do_not_cross_it(service, tmp_path):
    nb = tmp_path / "restart.ipynb"
    service.ingest([
        ev(nb, 0, 1, "x = 1", 1e12),
        ev(nb, 1, 2, "y = x + 1", 1e12 + 10),
        ev(nb, 1, 1, "y = x + 1", 1e12 + 20, status="error", kernel="k2"),  # after a restart: NameError
    ])
    doc = service.lineage(nb.as_uri())
    assert [e.session for e in doc.executions] == [1, 1, 2]
    assert doc.executions[1].parents == [1]
    assert doc.executions[2].parents == []


def test_estimator_bound_in_one_cell_is_recognised_in_a_later_one(service, tmp_path):
    nb = tmp_path / "ctx.ipynb"
    service.ingest([
        ev(nb, 0, 1, "from sklearn.preprocessing import StandardScaler as SS\nscaler = SS()", 1e12),
        ev(nb, 1, 2, "X = scaler.fit_transform(X_raw)", 1e12 + 10),
    ])
    doc = service.lineage(str(nb))
    assert [s.op for s in doc.executions[1].steps] == ["scale_normalize"]


def test_hover_markdown_names_runs_reads_writes_and_dependents(service, tmp_path):
    nb = tmp_path / "hover.ipynb"
    service.ingest([
        ev(nb, 0, 1, "a = 1", 1e12),
        ev(nb, 0, 2, "a = 1", 1e12 + 5),
        ev(nb, 1, 3, "b = a + 1", 1e12 + 10),
    ])
    md = service.hover_markdown(f"vscode-notebook-cell:{nb}#c0")
    assert "ran 2 times" in md and "`a`" in md and "cell 2 [3]" in md
    assert service.hover_markdown("vscode-notebook-cell:/nowhere.ipynb#x") is None


def test_builtin_summary_is_stored_and_reused_until_new_runs_arrive(service, tmp_path):
    nb = tmp_path / "sum.ipynb"
    service.ingest([ev(nb, 0, 1, "import pandas as pd\ndf = pd.read_csv('train.csv')", 1e12)])
    first = service.summaries.summarize(str(nb))
    again = service.summaries.summarize(str(nb))
    assert again.cached and again.markdown == first.markdown
    service.ingest([ev(nb, 1, 2, "df = df.dropna()", 2e12)])
    third = service.summaries.summarize(str(nb))
    assert not third.cached and "[cell 2]" in third.markdown


def test_each_new_source_is_classified_once_and_a_rerun_not_again(service, tmp_path, monkeypatch):
    """One owner of analysis: ingest used to classify a new source twice (analyze_source, then again with the
    notebook's context) and a third time for its load paths on a cache miss."""
    from trackit_sidecar.lineage import analysis
    from trackit_sidecar.lineage.classify.cell import Cell

    analysis.clear_cache()
    calls: list[str] = []
    real = Cell.__init__

    def counting(self, text, *rest):  # one Cell per classification of a cell (the rest: env, last statement, ...)
        calls.append(text)
        real(self, text, *rest)

    monkeypatch.setattr(Cell, "__init__", counting)
    nb = tmp_path / "once.ipynb"
    load = "import pandas as pd\ndf = pd.read_csv('missing.csv')"
    service.ingest([ev(nb, 0, 1, load, 1e12), ev(nb, 1, 2, "df = df.dropna()", 1e12 + 10)])
    assert calls == [load, "df = df.dropna()"]
    service.ingest([ev(nb, 1, 3, "df = df.dropna()", 1e12 + 20)])  # a re-run in the same context
    assert len(calls) == 2
    doc = service.lineage(str(nb))
    assert [(s.op, s.label) for s in doc.executions[1].steps] == [
        ("drop_missing", "Dropped rows with missing values from `df`")]
    assert doc.executions[0].label == "[1] Cell 1" and doc.executions[0].step_lines == [
        "Loaded `missing.csv` into `df`"]


def test_spooled_captures_are_analysed_by_the_same_call_in_their_notebooks_context(tmp_path):
    """Another process spooled two cells; the owner merges them with the service's analysis, so the scaler
    bound in the first cell makes the second a scaling step, as it would have been live."""
    from trackit_sidecar.store import Spool

    db = str(tmp_path / "spooled.duckdb")
    nb = tmp_path / "spooled.ipynb"
    Spool(db).append([
        ev(nb, 0, 1, "from sklearn.preprocessing import StandardScaler\nscaler = StandardScaler()", 1e12),
        ev(nb, 1, 2, "X = scaler.fit_transform(X)", 1e12 + 10)])
    service = TrackitService(Store.open(db))
    try:
        report = service.store.merge_spool(service.analyze_event)
        assert report.events_ingested == 2
        steps = service.lineage(str(nb)).executions[1].steps
        assert [(s.op, s.estimator) for s in steps] == [("scale_normalize", "StandardScaler")]
    finally:
        service.store.close()


def test_a_spool_file_asks_the_store_which_executions_it_has_once(tmp_path, monkeypatch):
    """Merging a spool file of N events asks the store which of them it holds once (the analysis of each event needs
    the answer; the write takes the same answer), not once per event; a repeat in the file is a re-send of the first.
    Counted on a real DuckDB file at the query the writer makes (store.tables.existing on executions.event_id), in
    an owner that has stored a live capture first (a writer that has not written yet asks again at its first write:
    it does not know the executions count the answer holds at)."""
    from trackit_sidecar.store import Spool
    from trackit_sidecar.store import writer

    db = str(tmp_path / "spooled.duckdb")
    nb = tmp_path / "spooled.ipynb"
    events = [ev(nb, i, i + 1, f"x{i} = {i}", 1e12 + 10 * i) for i in range(1, 21)]
    asked: list[list[str]] = []
    real = writer.existing

    def counting(con, table, column, keys):
        if (table, column) == ("executions", "event_id"):
            asked.append(list(keys))
        return real(con, table, column, keys)

    monkeypatch.setattr(writer, "existing", counting)
    service = TrackitService(Store.open(db))
    try:
        service.ingest([ev(nb, 0, 1, "import pandas as pd", 1e12 - 10)])
        Spool(db).append(events + [events[3]])  # the fourth re-sent at the end of the file
        asked.clear()
        report = service.merge_spool()
        assert (report.events_ingested, report.duplicates) == (20, 1)
        assert len(asked) == 1 and sorted(asked[0]) == sorted(e.event_id for e in events)
        assert len(service.lineage(str(nb)).executions) == 21
    finally:
        service.store.close()


def test_ingest_hashes_each_source_once(service, tmp_path, monkeypatch):
    hashed: list[str] = []
    real = p.source_sha256

    def counting(source):
        hashed.append(source)
        return real(source)

    monkeypatch.setattr(p, "source_sha256", counting)  # the writer hashes nothing itself: it is given the shas
    nb = tmp_path / "hash.ipynb"
    service.ingest([ev(nb, 0, 1, "a = 1", 1e12), ev(nb, 1, 2, "b = a + 1", 1e12 + 10)])
    assert hashed == ["a = 1", "b = a + 1"]


def test_a_service_let_go_is_freed_at_once_not_by_the_cyclic_collector(tmp_path):
    """A one-shot command lets go of a service holding thousands of records when it returns: nothing in it may
    refer back to the service (a cycle left them to the collector, which `trackit lineage` paid for at exit)."""
    nb = tmp_path / "nb.ipynb"
    service = TrackitService(Store.open(str(tmp_path / "lineage.duckdb")))
    service.ingest([ev(nb, i, i + 1, f"x{i} = {i}", 1e12 + i * 10) for i in range(3)])
    assert len(service.lineage(str(nb)).executions) == 3
    assert len(service.public_lineage(str(nb)).executions) == 3  # what `--json` reads: experiments and compare too
    assert service.compare is not None
    service.store.close()
    gone = weakref.ref(service)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del service
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_a_let_go_service_frees_its_experiments_and_their_records_by_refcount(tmp_path):
    """`--json` reads experiments: the experiment service (and, through the lineage views it reads, every record) must
    be freed with the service, not wait for the cyclic collector (a 5,000-run `--json` left ~120,000 objects to it)."""
    nb = tmp_path / "nb.ipynb"
    service = TrackitService(Store.open(str(tmp_path / "lineage.duckdb")))
    service.ingest([ev(nb, i, i + 1, f"x{i} = {i}", 1e12 + i * 10) for i in range(3)])
    record = weakref.ref(service.lineage(str(nb)).executions[0])
    assert len(service.public_lineage(str(nb)).executions) == 3  # what `--json` reads: experiments derived
    experiments = weakref.ref(service.experiments)
    service.store.close()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del service
        assert experiments() is None
        assert record() is None
    finally:
        if was_enabled:
            gc.enable()


FIT = "from sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier(n_estimators=50)\n" \
      "model.fit(X_train, y_train)"
PREDICT = "predictions = model.predict(X_test)"


def _predict_after_a_sidecar_restart(tmp_path, nb: Path, order: int, kernel: str
                                     ) -> tuple[int, list[tuple[str, object]]]:
    """Fit and predict in kernel k1, then a new service (a restarted sidecar, its analysis cache empty) over the same
    file is sent only the predict cell again: that new execution's session and the (op, estimator) of its steps."""
    from trackit_sidecar.lineage.analysis import clear_cache

    db = str(tmp_path / "restarted.duckdb")
    first = TrackitService(Store.open(db))
    try:
        first.ingest([ev(nb, 0, 1, FIT, 1e12), ev(nb, 1, 2, PREDICT, 1e12 + 10)])
    finally:
        first.store.close()
    clear_cache()
    again = TrackitService(Store.open(db))
    try:
        again.ingest([ev(nb, 1, order, PREDICT, 1e12 + 20, kernel=kernel)])
        last = again.lineage(nb.as_uri()).executions[-1]
        assert last.seq == 3
        return last.session, [(s.op, s.estimator) for s in last.steps]
    finally:
        again.store.close()


def test_a_cell_rerun_after_a_sidecar_restart_is_classified_in_its_kernel_sessions_context(tmp_path):
    """The kernel kept `model`; only the sidecar restarted. The earlier cells of the session are read back from the
    store, so the re-run predict still names the class (it named none, and stored that as its own analysis)."""
    assert _predict_after_a_sidecar_restart(tmp_path, tmp_path / "kept.ipynb", 3, "k1") == (
        1, [("predict", "RandomForestClassifier")])


def test_a_new_kernel_session_after_a_sidecar_restart_inherits_nothing_from_the_old_one(tmp_path):
    """Control: the re-run comes from a new kernel (another id), whose `model` is not the old session's."""
    assert _predict_after_a_sidecar_restart(tmp_path, tmp_path / "new.ipynb", 1, "k2") == (2, [("predict", None)])
