"""Sessions are kernel lifetimes, nothing else (issue 8, item 1).

Each case is a notebook's history as the editor delivers it: (execution count, status, kernel id,
start time) per finished cell, and the sessions it must give. The cases go through the real store
(a DuckDB file, reopened between deliveries so the state is read back from disk), and the pure policy
(`assign_sessions`, which the repair migration uses) must agree with the store on every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pytest

from trackit_sidecar.store import Store, assign_sessions
from trackit_sidecar.store.sessions import StoredExecution

NB = "file:///tmp/trackit-tests/sessions.ipynb"
T0 = 1_764_000_000_000.0


@dataclass
class Run:
    count: Optional[int]
    status: str = "ok"
    kernel: Optional[str] = None
    at: Optional[float] = None  # seconds after T0; default: one second after the previous run
    source: str = "x = 1"


def ok(*counts: Optional[int], kernel: Optional[str] = None) -> list[Run]:
    return [Run(c, kernel=kernel) for c in counts]


EMPTY = ""  # an empty code cell: IPython gives it the count of the cell after it

CASES: dict[str, tuple[list[Run], list[int]]] = {
    # one Run All over a notebook whose first cell is empty: [1] for the empty cell, [1] again for the next
    "empty cell at the start": ([Run(1, source=EMPTY), *ok(1, 2, 3)], [1, 1, 1, 1]),
    "empty cell in the middle": ([*ok(1, 2), Run(3, source=EMPTY), *ok(3, 4)], [1] * 5),
    "empty cell at the end, then one more run": ([*ok(1, 2, 3), Run(4, source=EMPTY), *ok(4)], [1] * 5),
    "two empty cells in a row": ([*ok(1, 2), Run(3, source=EMPTY), Run(3, source=EMPTY), *ok(3, 4)], [1] * 6),
    # "Clear All Outputs" blanks the counts in the editor; the kernel keeps counting
    "Run All after Clear All Outputs": ([*ok(1, 2, 3), *ok(4, 5, 6)], [1] * 6),
    "Run All after Clear All Outputs, with an empty cell": (
        [Run(1, source=EMPTY), *ok(1, 2), Run(3, source=EMPTY), *ok(3, 4)], [1] * 6),
    # interrupt: the running cell ends cancelled (KeyboardInterrupt) with its count; the queued ones are
    # cancelled with no count, or with the count they showed from an earlier run
    "an interrupted cell and the cancelled queue": (
        [*ok(1, 2), Run(3, "cancelled"), Run(None, "cancelled"), Run(1, "cancelled"), *ok(4)], [1] * 6),
    "a cancelled run counted 1 after [5]": ([*ok(1, 2, 3, 4, 5), Run(1, "cancelled"), *ok(6)], [1] * 7),
    "a failing cell keeps its count": ([*ok(1), Run(2, "error"), *ok(2, 3)], [1] * 4),
    # the editor delivered [2] after [3] (its outputs were still settling); it started before [3]
    "late delivery in one kernel": ([Run(1, at=1), Run(3, at=3), Run(2, at=2), Run(4, at=4)], [1] * 4),
    "restart without kernel ids": (ok(1, 2, 3, 1, 2), [1, 1, 1, 2, 2]),
    "restart with kernel ids": ([*ok(1, 2, kernel="k1"), *ok(1, 2, kernel="k2")], [1, 1, 2, 2]),
    "kernel switch with no counter reset": ([*ok(1, 2, kernel="k1"), *ok(3, kernel="k2")], [1, 1, 2]),
    # a Jupyter server keeps the kernel id across a restart; the counter says it restarted
    "restart that keeps its kernel id": ([*ok(1, 2, 3, kernel="k1"), *ok(1, kernel="k1")], [1, 1, 1, 2]),
    "unknown kernel ids are no evidence": ([*ok(1, kernel="k1"), *ok(2), *ok(3, kernel="k1")], [1, 1, 1]),
    "restart then a late delivery from the old kernel": (
        [Run(1, at=1), Run(2, at=2), Run(1, at=10), Run(3, at=3), Run(2, at=11)], [1, 1, 2, 1, 2]),
    "a restart straight after an empty first cell": (
        [Run(1, source=EMPTY), *ok(1, 2), Run(1, source=EMPTY), *ok(1, 2)], [1, 1, 1, 2, 2, 2]),
    "restarted twice": (ok(1, 2, 1, 2, 3, 1), [1, 1, 2, 2, 2, 3]),
}


def _timed(runs: list[Run]) -> list[tuple[Run, float]]:
    timed, clock = [], 0.0
    for run in runs:
        clock = run.at if run.at is not None else clock + 1
        timed.append((run, T0 + clock * 1000))
    return timed


def _event(ev, run: Run, started: float, index: int):
    return ev(notebook_uri=NB, cell_id=f"c{index}", cell_index=index, source=run.source, execution_order=run.count,
              status=run.status, kernel_id=run.kernel, started_at=started, ended_at=started + 100)


@pytest.mark.parametrize("name", list(CASES))
def test_sessions_through_the_store(name, db_path, ev, analyses):
    runs, expected = CASES[name]
    # one delivery per run, the file reopened in between: state comes back from disk every time
    for index, (run, started) in enumerate(_timed(runs)):
        event = _event(ev, run, started, index)
        with Store.open(db_path) as store:
            store.ingest([event], analyses([event]), 1)
    with Store.open(db_path) as store:
        doc = store.lineage(NB)
    assert [e.session for e in doc.executions] == expected, name
    assert [s.id for s in doc.sessions] == sorted(set(expected))


# cases whose point is the arrival order are left out: one batch is re-ordered by start time
IN_ORDER = [name for name, (runs, _) in CASES.items() if all(run.at is None for run in runs)]


@pytest.mark.parametrize("name", IN_ORDER)
def test_sessions_in_one_batch(name, mem_store, ev, analyses):
    """A burst (Run All) arrives as one batch; the writer orders it by start time first."""
    runs, expected = CASES[name]
    events = [_event(ev, run, started, index) for index, (run, started) in enumerate(_timed(runs))]
    mem_store.ingest(events, analyses(events), 1)
    assert [e.session for e in mem_store.lineage(NB).executions] == expected, name


@pytest.mark.parametrize("name", list(CASES))
def test_the_pure_policy_agrees(name):
    runs, expected = CASES[name]
    history = [StoredExecution(seq, run.kernel, run.count, started, run.status)
               for seq, (run, started) in enumerate(_timed(runs), start=1)]
    assert [assign_sessions(history)[seq] for seq in range(1, len(runs) + 1)] == expected, name


def test_parents_do_not_break_at_an_empty_cell(mem_store, ev):
    """The symptom in issue 8: after an empty cell everything "reads `pd` — not produced in this session"."""
    from trackit_sidecar.lineage import graph
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.protocol import source_sha256

    cells = ["import pandas as pd", "df = pd.DataFrame({'a': [1, 2]})", EMPTY, "df2 = df[df.a > 1]", "n = len(pd.unique(df2.a))"]
    counts = [1, 2, 3, 3, 4]
    events = [ev(notebook_uri=NB, cell_id=f"c{i}", cell_index=i, source=src, execution_order=count, kernel_id=None,
                 started_at=T0 + i * 1000, ended_at=T0 + i * 1000 + 50) for i, (src, count) in enumerate(zip(cells, counts))]
    mem_store.ingest(events, {source_sha256(s): analyze_source(s) for s in cells})
    doc = mem_store.lineage(NB)
    graph.link_parents(doc.executions)
    assert {e.session for e in doc.executions} == {1}
    assert [e.parents for e in doc.executions] == [[], [1], [], [2], [1, 4]]
    assert graph.downstream(doc.executions, 1) == [2, 4, 5]
