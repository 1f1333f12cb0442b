"""A saved output is the runtime fact of the last run, end to end: a real kernel runs cells and its outputs are saved
as Jupyter saves them; `trackit analyze` of that file (no kernel) then decides each shown last expression as the
live path does when it records the same notebook in another real kernel (probe, service, DuckDB)."""

from __future__ import annotations

import nbformat

from trackit_sidecar.lineage.static_notebook import analyze_notebook

from .test_runtime_decisions_kernel import _record_run

CELLS = [
    "import pandas as pd\n"
    "people = pd.DataFrame({'id': [1, 2, 3, 4], 'sex': ['f', 'm', 'f', 'm'], 'pclass': [1, 1, 2, 3]})\n"
    "tickets = pd.DataFrame({'id': [1, 2, 3, 4], 'fare': [70.0, 50.0, 20.0, 8.0]})",
    # a join piped into a function: a number (an answer), or the table itself
    "pd.merge(people, tickets, on='id').pipe(lambda t: t.fare.sum() / len(t))",
    "pd.merge(people, tickets, on='id').pipe(lambda t: t)",
    # a group statistic picked by a key of the only level (a number) or of the first of two (a Series)
    "pd.merge(people, tickets, on='id').groupby('sex').fare.mean()['f']",
    "pd.merge(people, tickets, on='id').groupby(['sex', 'pclass']).fare.mean()['f']",
    "pd.concat([people, tickets]).pipe(lambda t: t.shape)",
]


def _saved_by_a_kernel(kernel, path) -> None:
    """Run CELLS in `kernel` and save the notebook with their outputs, as Jupyter saves them."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for source in CELLS:
        ran = kernel.run(source)
        assert ran["status"] == "ok", ran["reply"]
        cell = nbformat.v4.new_code_cell(source, execution_count=ran["execution_count"])
        cell.outputs = [nbformat.v4.output_from_msg(msg) for msg in ran["outputs"]
                        if msg["msg_type"] in ("execute_result", "display_data", "stream", "error")]
        nb.cells.append(cell)
    nbformat.write(nb, str(path))


def test_a_saved_notebook_decides_its_shown_results_as_the_live_kernel_did(live_kernel, tmp_path) -> None:
    notebook = tmp_path / "saved.ipynb"
    _saved_by_a_kernel(live_kernel, notebook)
    saved = {e.cell_index: [(s.op, s.decided_by) for s in e.steps] for e in analyze_notebook(notebook).executions}
    recorded = {e.cell_index: [(s.op, s.decided_by) for s in e.steps] for e in _record_run(notebook).executions}
    assert saved == recorded
    assert saved[1] == [] and saved[3] == [] and saved[5] == []  # a number, a number, a tuple: inspection
    assert saved[2] == [("join", "runtime")] and saved[4] == [("join", "runtime"), ("aggregate", "runtime")]
    sources = {s.runtime_source for e in analyze_notebook(notebook).executions for s in e.steps
               if s.decided_by == "runtime"}
    assert sources == {"saved_output"}
