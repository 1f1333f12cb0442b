"""Runtime facts decide what static analysis cannot, end to end: a real kernel runs the example's questions
notebook through `trackit run`'s path (probe, service, DuckDB) and the recorded lineage is compared with
`trackit analyze` of the same file."""

from __future__ import annotations

import shutil

from trackit_sidecar.kernel.runner import run_notebook
from trackit_sidecar.lineage.static_notebook import analyze_notebook
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

from .conftest import REPO

EXAMPLE = REPO / "examples" / "titanic"


def test_displayed_answers_are_inspection_and_tables_stay_steps(tmp_path):
    for name in ("questions.ipynb", "passengers.csv", "tickets.csv"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    notebook = tmp_path / "questions.ipynb"
    static = {e.cell_index: [(s.op, s.decided_by) for s in e.steps] for e in analyze_notebook(notebook).executions}
    service = TrackitService(Store.open(str(tmp_path / "lineage.duckdb")))
    try:
        def record(event, runtime):  # run_notebook hands over the kernel's RuntimeResult (kernel-identity)
            service.ingest([event])
            service.add_runtime_facts(event.event_id, runtime.facts)
            if runtime.status:
                service.set_runtime_status({event.event_id: (runtime.status, runtime.evidence)})

        assert run_notebook(str(notebook), on_execution=record).ok
        recorded = {e.cell_index: [(s.op, s.decided_by) for s in e.steps]
                    for e in service.lineage(str(notebook)).executions}
    finally:
        service.store.close()
    # static analysis says "static" on every step
    assert all(by == "static" for steps in static.values() for _, by in steps)
    # answers shown (a scalar, a small answer, a bare group): static analysis knows them (what-is-a-step.md,
    # "Inspection is not a step") and the kernel, which showed a scalar, a small answer or a bare group, agrees
    for cell in range(2, 12):
        assert static[cell] == [] and recorded[cell] == [], cell
    # what static analysis cannot know: the filter kept every row, so it filtered nothing
    assert static[12] == [("filter_rows", "static")] and recorded[12] == [("other", "runtime")]
    # new tables shown stay steps: the same op static analysis gave, now decided by the runtime
    assert static[13] == [("aggregate", "static")] and recorded[13] == [("aggregate", "runtime")]
    assert static[14] == [("join", "static"), ("sort", "static")]
    assert recorded[14] == [("join", "runtime"), ("sort", "runtime")]
    assert recorded[1] == static[1] == [("load", "static"), ("load", "static")]
