"""Experiment detection as executions are stored (ExperimentService.kernel_work) reads the run up to the execution
without keeping the notebook's lineage: what it finds is what the whole run says, and storing more executions of
the notebook afterwards reads no lineage back (a notebook the lineage views know is read again at every write:
queries whose DuckDB heap stays until the database closes; bench_sidecar.py, memory part)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from trackit_sidecar import protocol as p
from trackit_sidecar.experiments import experiment_model as model_reader
from trackit_sidecar.experiments import metrics as metric_reader
from trackit_sidecar.experiments.detect import is_experiment
from trackit_sidecar.experiments.slice import Slicer
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

CELLS = [
    "import pandas as pd\ndf = pd.read_csv('data/train.csv')",
    "df = df.dropna()\nX = df.drop(columns=['y'])\ny = df['y']",
    "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression().fit(X, y)",
    "acc = model.score(X, y)\nprint(f'accuracy {acc:.3f}')",
    "df = df[df.a > 0]",  # after the experiment: a later run of the same session, stored before detection
]


def ev(nb: Path, cell: int, order: int, t: float, kernel: str) -> p.CellExecution:
    return p.CellExecution(
        event_id=str(uuid.uuid4()), notebook_uri=nb.as_uri(), notebook_path=str(nb), cell_id=f"c{cell}",
        cell_uri=f"vscode-notebook-cell:{nb}#c{cell}", cell_index=cell, source=CELLS[cell], execution_order=order,
        started_at=t, ended_at=t + 3, status="ok", kernel_id=kernel, language="python",
        outputs=[p.CellOutput(output_type="stream", mime="text/plain", text="accuracy 0.812\n")] if cell == 3 else [])


@pytest.fixture
def service(tmp_path):
    svc = TrackitService(Store.open(str(tmp_path / "detect.duckdb")))
    yield svc
    svc.store.close()


def stored_runs(service: TrackitService, nb: Path) -> list[p.CellExecution]:
    """Two runs (a restart between them), the second with cells run again; all stored before any detection."""
    t = 1e12
    first = [ev(nb, c, c + 1, t + 10 * c, "k1") for c in range(5)]
    second = [ev(nb, c, c + 1, t + 100 + 10 * c, "k2") for c in (0, 1, 2, 3, 2, 3, 4)]
    service.ingest(first)
    service.ingest(second)
    fit = service.store.queries.where_is([second[2].event_id])[second[2].event_id][1]
    # facts arrive for a run before the experiment: completion reads them (what the fit wrote)
    service.add_runtime_facts(second[2].event_id, [p.RuntimeFacts(variable="model", kind="LogisticRegression",
                                                                  changed=True)])
    assert fit > 0
    return first + second


def from_whole_run(service: TrackitService, event: p.CellExecution) -> tuple[list[str], list[str]]:
    """What detection found before: the run read whole through the lineage views, sliced at the execution."""
    uri, seq, session = service.store.queries.where_is([event.event_id])[event.event_id]
    slicer = Slicer(service._linked_run(uri, session).executions)
    record = slicer.by_seq[seq]
    if not is_experiment(record):
        return [], []
    return metric_reader.metric_variables(record), model_reader.model_questions(record, slicer.slice(seq))


@pytest.mark.parametrize("held", [False, True], ids=["run not held", "run held by the views"])
def test_detection_finds_what_the_whole_run_says(service, tmp_path, held):
    nb = tmp_path / "nb.ipynb"
    events = stored_runs(service, nb)
    if held:
        service.lineage(nb.as_uri())  # the editor showed the notebook: detection reads the views' records
    found = []
    for event in events:
        work = service.experiments.kernel_work(event)
        found.append(([], []) if work is None else (work.metric_names, work.model_names))
    fresh = TrackitService(service.store)  # the old path, on a service that detected nothing
    expected = [from_whole_run(fresh, event) for event in events]
    assert found == expected
    assert sum(1 for metrics, _ in found if metrics) == 3  # the experiment cell ran three times
    assert found[3] == (["acc"], ["model"])


def test_storing_after_a_detection_reads_no_lineage_back(service, tmp_path, monkeypatch):
    nb = tmp_path / "nb.ipynb"
    for event in stored_runs(service, nb):
        service.experiments.kernel_work(event)
    assert service.experiments.db.assigned(nb.as_uri())  # detected and numbered
    reads = []
    original = service.store.lineage
    monkeypatch.setattr(service.store, "lineage", lambda *a, **k: reads.append((a, k)) or original(*a, **k))
    t = 2e12
    service.ingest([ev(nb, c, c + 1, t + 10 * c, "k3") for c in range(3)])
    service.ingest([ev(nb, 3, 4, t + 40, "k3")])
    assert reads == []
