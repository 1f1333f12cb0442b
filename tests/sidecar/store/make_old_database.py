"""Write a TrackIT database with whatever `trackit_sidecar` is first on sys.path.

test_session_repair.py runs this with the store as it was before sessions became kernel lifetimes
(`git archive` of OLD_STORE_COMMIT on PYTHONPATH), so the file it repairs was really written by that
code, split sessions and all. Usage: python make_old_database.py DB_PATH

The history is what issue 8 reported, in small: a Run All over a notebook with an empty cell, a cell
re-run after an edit, an interrupted cell with the queue behind it cancelled, a failing cell, then a
kernel restart and a second Run All; and a second notebook recorded by `trackit run` twice (fresh
kernel ids, nothing to repair). EXPECTED holds the sessions each must have once repaired.
"""

from __future__ import annotations

import sys

T0 = 1_764_000_000_000.0
NOTEBOOK = "file:///tmp/trackit-old/merge_join.ipynb"
RUN_NOTEBOOK = "file:///tmp/trackit-old/ran_by_cli.ipynb"

# (cell index, source, execution count, status); one second apart, delivered in this order
HISTORY = [
    (0, "import pandas as pd", 1, "ok"),
    (1, "left = pd.DataFrame({'k': [1, 2, 3], 'a': [1.0, None, 3.0]})", 2, "ok"),
    (2, "", 3, "ok"),  # an empty cell: IPython gives it the next cell's count
    (3, "right = pd.DataFrame({'k': [1, 2], 'b': ['x', 'y']})", 3, "ok"),
    (4, "final = left.merge(right, on='k')", 4, "ok"),
    (5, "subset = final.query('a > 0')", 5, "ok"),
    (5, "subset = final.query('a > 1')", 6, "ok"),  # edited and re-run
    (6, "import time\ntime.sleep(60)", 7, "cancelled"),  # interrupted
    (7, "n = len(subset)", 2, "cancelled"),  # queued behind it: cancelled, still showing its old count
    (7, "n = len(subset)", 8, "ok"),
    (8, "subset.query('no_such_column > 0')", 9, "error"),
    # kernel restarted, Run All again (the empty cell again takes the next count)
    (0, "import pandas as pd", 1, "ok"),
    (1, "left = pd.DataFrame({'k': [1, 2, 3], 'a': [1.0, None, 3.0]})", 2, "ok"),
    (2, "", 3, "ok"),
    (3, "right = pd.DataFrame({'k': [1, 2], 'b': ['x', 'y']})", 3, "ok"),
    (4, "final = left.merge(right, on='k')", 4, "ok"),
]
EXPECTED = {NOTEBOOK: [1] * 11 + [2] * 5, RUN_NOTEBOOK: [1, 1, 2, 2]}
# what the old rule made of it (a new session at every counter that did not grow): the bug, on record
OLD_SESSIONS = {NOTEBOOK: [1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5], RUN_NOTEBOOK: [1, 1, 2, 2]}


def events():
    from trackit_sidecar.protocol import CellExecution

    made = []
    for n, (index, source, count, status) in enumerate(HISTORY):
        made.append(CellExecution(
            event_id=f"old-{n}", notebook_uri=NOTEBOOK, notebook_path="/tmp/trackit-old/merge_join.ipynb",
            cell_id=f"cell-{index}", cell_uri=f"vscode-notebook-cell:/tmp/trackit-old/merge_join.ipynb#W{index}",
            cell_index=index, source=source, execution_order=count, status=status,
            started_at=T0 + n * 1000, ended_at=T0 + n * 1000 + 200, kernel_id=None, kernel_name="python3",
            error_name="UndefinedVariableError" if status == "error" else None,
            error_message="name 'no_such_column' is not defined" if status == "error" else None))
    for run, kernel in enumerate(("run-kernel-1", "run-kernel-2")):
        for index, source in enumerate(("import pandas as pd", "df = pd.DataFrame({'a': [1]})")):
            at = T0 + 100_000 + run * 10_000 + index * 1000
            made.append(CellExecution(
                event_id=f"cli-{run}-{index}", notebook_uri=RUN_NOTEBOOK, notebook_path="/tmp/trackit-old/ran_by_cli.ipynb",
                cell_id=f"c{index}", cell_index=index, source=source, execution_order=index + 1, status="ok",
                started_at=at, ended_at=at + 100, kernel_id=kernel, kernel_name="python3"))
    return made


def main(db_path: str) -> None:
    from trackit_sidecar.lineage.analysis import analyze_source
    from trackit_sidecar.protocol import source_sha256
    from trackit_sidecar.store import Store

    batch = events()
    analyses = {source_sha256(e.source): analyze_source(e.source) for e in batch}
    with Store.open(db_path) as store:
        for event in batch:  # one delivery each, as the editor sends a cell at a time
            store.ingest([event], analyses)


if __name__ == "__main__":
    main(sys.argv[1])
