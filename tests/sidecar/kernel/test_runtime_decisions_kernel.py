"""Runtime facts decide what static analysis cannot, end to end: a real kernel runs the example's questions
notebook through `trackit run`'s path (probe, service, DuckDB) and the recorded lineage is compared with
`trackit analyze` of the same file."""

from __future__ import annotations

import shutil

from trackit_sidecar.kernel.runner import run_notebook
from trackit_sidecar.lineage.static_notebook import analyze_notebook
from trackit_sidecar.services import TrackitService
from trackit_sidecar.store import Store

from ..real_cells import chili_cleaning_cell
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


def _record_run(notebook, cells=None):
    """Run `notebook` in a real kernel as `trackit run` does (cells: an order with re-runs), return the lineage."""
    service = TrackitService(Store.open(str(notebook.parent / "lineage.duckdb")))
    try:
        def record(event, runtime):
            service.ingest([event])
            service.add_runtime_facts(event.event_id, runtime.facts)
            if runtime.status:
                service.set_runtime_status({event.event_id: (runtime.status, runtime.evidence)})

        assert run_notebook(str(notebook), on_execution=record, cells=cells).ok
        return service.lineage(str(notebook))
    finally:
        service.store.close()


def test_row_removing_steps_that_removed_no_row_first_run_and_rerun(tmp_path):
    import nbformat

    cells = [
        "import numpy as np\nimport pandas as pd",
        "df = pd.DataFrame({'age': [3, 15, 40, 40, 70], 'fare': [7.0, None, 30.0, 30.0, 80.0]})",
        "df = df[df.age > 0]",  # 2: every age is positive: kept every row on its first run
        "df = df[df.age > 10]",  # 3: removes one row; run twice, the re-run removes none
        "df.dropna(inplace=True)",  # 4: removes one row; run twice
        "df = df.drop_duplicates()",  # 5: removes one row
        "adults = df[df.age >= 18]",  # 6: a new name: kept every row (all are adults by now)
        "pvals = np.array([0.01, 0.2, 0.03])\nreject, adjusted = (pvals < 0.05, pvals * 3)[:2]",  # 7: a tuple slice
    ]
    notebook = tmp_path / "rows.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    static = {e.cell_index: [s.op for s in e.steps] for e in analyze_notebook(notebook).executions}
    doc = _record_run(notebook, cells=[0, 1, 2, 3, 3, 4, 4, 5, 6, 7])
    runs = [(e.cell_index, [(s.op, s.decided_by, s.static_op, s.rerun_of) for s in e.steps], e.step_lines)
            for e in doc.executions]
    seq = {(e.cell_index, n): e.seq for n, e in enumerate(doc.executions)}
    assert static[2] == static[3] == ["filter_rows"] and static[4] == ["drop_missing"]
    assert static[5] == ["drop_duplicates"] and static[6] == ["filter_rows"] and static[7][-1] == "filter_rows"
    # what the kernel measured decides: nothing removed -> not that step, and the JSON says so
    assert runs[2][1] == [("other", "runtime", "filter_rows", None)]
    assert runs[3][1] == [("filter_rows", "static", None, None)]  # 5 -> 4 rows
    assert runs[4][1] == [("other", "runtime", "filter_rows", seq[(3, 3)])]  # the re-run started from run 4
    assert runs[5][1] == [("drop_missing", "static", None, None)]
    assert runs[6][1] == [("other", "runtime", "drop_missing", seq[(4, 5)])]
    assert runs[7][1] == [("drop_duplicates", "static", None, None)]
    assert runs[8][1] == [("other", "runtime", "filter_rows", None)]
    assert runs[9][1][-1] == ("filter_rows", "static", None, None)  # not rows of what it sliced: static stays
    assert runs[4][2] == ["Kept every row with `df = df[df.age > 10]` (a re-run: it started from the result of "
                          f"execution #{seq[(3, 3)]} of this cell): 4 rows (unchanged)"]


def test_a_cell_that_also_rebinds_the_variable_or_the_source_decides_nothing_by_rows(tmp_path):
    import nbformat

    cells = [
        "import pandas as pd\ndef pad(t):\n    return pd.concat([t, t.head(2)])",
        "e = pd.DataFrame({'a': [1, None, 3, None, 5, 6]})\nf = e.copy()\ndf = e.copy()\n"
        "big = pd.DataFrame({'x': range(10)})",
        "e = e.dropna()\ne = pad(e)",  # 2: dropna 6 -> 4, pad back to 6: the cell's count says nothing of dropna
        "f = f.dropna()\nf = f.reindex(range(6))",  # 3: the same with a reindex
        "df_clean = df.dropna()\ndf = df_clean.reset_index(drop=True)",  # 4: df_clean measured against df after
        "sub = big[big.x > 4]\nbig = big.iloc[:5]",  # 5: sub measured against big after the cell
        "e = e.dropna()",  # 6: controls: nothing else in the cell, kept every row
        "big.drop_duplicates(inplace=True)",  # 7
    ]
    notebook = tmp_path / "rebinds.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    doc = _record_run(notebook)
    runs = {e.cell_index: [(s.op, s.decided_by, s.output) for s in e.steps] for e in doc.executions}
    assert ("drop_missing", "static", "e") in runs[2] and all(by == "static" for _, by, _ in runs[2])
    assert ("drop_missing", "static", "f") in runs[3] and all(by == "static" for _, by, _ in runs[3])
    assert ("drop_missing", "static", "df_clean") in runs[4]
    assert ("filter_rows", "static", "sub") in runs[5]
    assert runs[6] == [("other", "runtime", "e")] and runs[7] == [("other", "runtime", "big")]


def test_fills_that_filled_nothing_chained_under_pandas_3_rerun_and_nothing_to_fill(tmp_path):
    import nbformat
    import pandas as pd

    cells = [
        "import numpy as np\nimport pandas as pd",
        "df = pd.DataFrame({'a': [1.0, None, 3.0], 'b': [None, 2.0, 2.0]})",
        "df['a'].fillna(0, inplace=True)",  # 2: pandas >= 3 fills a temporary copy: df keeps its 2 gaps
        "df.fillna(0, inplace=True)",  # 3: fills both; run twice, the re-run fills none
        "df2 = df.fillna(-1)",  # 4: a new name: nothing left to fill
        "df['b'] = df['b'].fillna(5)",  # 5: the very column: nothing to fill
        "e = pd.DataFrame({'a': [1.0, None]})\ne3 = e.fillna(0)\ne3['z'] = np.nan",  # 6: control: a gap added besides
    ]
    notebook = tmp_path / "fills.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    static = {e.cell_index: [s.op for s in e.steps] for e in analyze_notebook(notebook).executions}
    doc = _record_run(notebook, cells=[0, 1, 2, 3, 3, 4, 5, 6])
    runs = [(e.cell_index, [(s.op, s.decided_by, s.static_op, s.rerun_of) for s in e.steps], e.step_lines)
            for e in doc.executions]
    seq = {(e.cell_index, n): e.seq for n, e in enumerate(doc.executions)}
    assert static[2] == static[3] == static[4] == static[5] == ["impute_missing"]
    nothing = ("other", "runtime", "impute_missing", None)
    if int(pd.__version__.split(".")[0]) >= 3:  # copy-on-write: the chained fill changed nothing
        assert runs[2][1] == [nothing]
        assert runs[2][2] == ["Filled no missing value in `a` of `df`: 3 rows (unchanged); missing values 2 (unchanged)"]
    assert runs[3][1] == [("impute_missing", "static", None, None)]
    assert runs[3][2] == ["Filled missing values of `df`: 3 rows (unchanged); missing values "
                          + ("2" if int(pd.__version__.split(".")[0]) >= 3 else "1") + " → 0"]
    assert runs[4][1] == [("other", "runtime", "impute_missing", seq[(3, 3)])]
    assert runs[5][1] == [nothing] and runs[6][1] == [nothing]
    # the column it was to fill is named, and what there was to fill is said once
    assert runs[6][2] == ["Found no missing value to fill in `b` of `df`: 3 rows (unchanged)"]
    assert ("impute_missing", "static", None, None) in runs[7][1]
    # the summary's Problems name the fill that left its gaps (not the re-run, not a fill with nothing to fill)
    from trackit_sidecar.summarize import builtin_summary, check_faithfulness

    summary = builtin_summary(doc)
    problems = summary.split("## Problems", 1)[1].split("\n## ", 1)[0]
    left = [line for line in problems.splitlines() if "filled no missing value" in line]
    if int(pd.__version__.split(".")[0]) >= 3:
        # counted by column: the column it was to fill is named, not the frame's other gap (b's)
        assert left == ["- `df['a'].fillna(0, inplace=True)` filled no missing value: `df` kept the 1 missing value of `a` "
                        "(under pandas 3 an in-place fill of a column picked by a subscript changes a copy: assign the "
                        "result instead) [cell 3]."]
    else:
        assert left == []
    assert check_faithfulness(summary, doc) == []


def test_fills_read_by_column_in_a_cell_that_also_drops_a_column(tmp_path):
    """gulutu-ml chili's cleaning cell: a column of gaps dropped, the numeric gaps filled in a loop and `color` filled,
    both with pandas 3's chained in-place fill (a copy filled). The total fell only because of the drop; counted by
    column, neither fill filled. A whole-frame fill with a numbers-only statistic fills some columns and says which it
    left; a fill that filled everything beside a drop stays a fill."""
    import nbformat
    import pandas as pd

    cells = [
        "import numpy as np\nimport pandas as pd",
        "raw = pd.DataFrame({'temp': [np.nan] * 5 + [20.0], 'heat': [1.0, np.nan, 3.0, 4.0, np.nan, 6.0],\n"
        "                    'ph': [np.nan, 7.0, 7.1, 7.2, 7.3, 7.4], 'color': ['red', None, 'green', 'red', 'red', 'red']})",
        "clean = raw.copy()\ndone = raw.copy()",
        CHILI_CELL,  # 3
        "people = pd.DataFrame({'age': [20.0, np.nan, 40.0], 'cabin': ['C1', None, None]})",
        "people = people.fillna(people.mean(numeric_only=True))",  # 5: the text column keeps its 2 gaps
        # 6: control: the column of gaps dropped beside a fill that filled
        "done.drop(columns=['temp'], inplace=True)\ndone = done.fillna({'heat': 0.0, 'ph': 7.0, 'color': 'red'})",
    ]
    notebook = tmp_path / "chili.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    doc = _record_run(notebook)
    runs = {e.cell_index: ([(s.op, s.decided_by, s.static_op, s.gaps_left) for s in e.steps], e.step_lines)
            for e in doc.executions}
    facts = next(f for f in doc.executions[3].runtime if f.variable == "clean")
    assert (facts.column_nulls_before, facts.column_nulls_after) == (
        {"temp": 5, "heat": 2, "ph": 1, "color": 1}, {"heat": 2, "ph": 1, "color": 1})
    from trackit_sidecar.summarize import builtin_summary, check_faithfulness

    summary = builtin_summary(doc)
    problems = [line for line in summary.split("## Problems", 1)[1].split("\n## ", 1)[0].splitlines() if "fill" in line]
    chained = " (under pandas 3 an in-place fill of a column picked by a subscript changes a copy: assign the result instead)"
    if int(pd.__version__.split(".")[0]) >= 3:  # copy-on-write: the chained fills filled a copy
        assert runs[3][0] == [("drop_columns", "static", None, {}),
                              ("other", "runtime", "impute_missing", {"heat": 2, "ph": 1, "color": 1}),
                              ("other", "runtime", "impute_missing", {"color": 1})]
        assert runs[3][1] == ["Dropped `temp` from `clean`, filled no missing value with "
                              "`clean[col].fillna(median_value, inplace=True)` (for each `col` in `num_cols_with_na`) "
                              "and filled no missing value with "
                              "`clean['color'].fillna(mode_color, inplace=True)`: 6 rows (unchanged); 4 → 3 columns (−1); "
                              "removed `temp`; missing values 9 → 4 (5 in removed `temp`)"]
        assert problems[:2] == [
            f"- `clean[col].fillna(median_value, inplace=True)` filled no missing value: `clean` kept the missing values of "
            f"`heat` (2), `ph` (1) and `color` (1){chained} [cell 4].",
            f"- `clean['color'].fillna(mode_color, inplace=True)` filled no missing value: `clean` kept the 1 missing value "
            f"of `color`{chained} [cell 4]."]
    assert runs[5] == ([("impute_missing", "static", None, {"cabin": 2})],
                       ["Filled missing values of `people` with the mean, not the 2 missing values of `cabin`: 3 rows (unchanged); "
                        "missing values 3 → 2 (`age` 1 → 0)"])  # rev27: the columns it filled are counted too
    assert problems[-1] == "- `people = people.fillna(people.mean(numeric_only=True))` left the 2 missing values of " \
                           "`cabin` unfilled [cell 6]."
    assert runs[6][0] == [("drop_columns", "static", None, {}), ("impute_missing", "static", None, {})]
    assert runs[6][1][0].endswith("missing values 9 → 0 (5 in removed `temp`)")
    assert check_faithfulness(summary, doc) == []


CHILI_CELL = chili_cleaning_cell("clean") + "missing_after = clean.isnull().sum().sum()"
