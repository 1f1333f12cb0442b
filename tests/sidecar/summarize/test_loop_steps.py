"""A step written in a loop ran once per pass: the tree and the summary say so ("for each `col` in `cols`"). Before,
chili's fill of every numeric column and banana's ten splits per `C` read as if each ran once.

Run for real: a notebook through `trackit run` (a real ipykernel, the probe's facts, a real DuckDB file), then
`trackit summarize` and `trackit lineage`.
"""

from __future__ import annotations

import pytest

from ..recorded_notebook import record_notebook, trackit

CELLS = [
    # 1
    "import pandas as pd\n"
    "df = pd.DataFrame({'a': [1.0, None, 3.0, 4.0], 'b': [None, 2.0, 2.0, 5.0], 'c': [1, 2, 3, 4]})",
    # 2: one fill per column
    "for col in ['a', 'b']:\n    df[col] = df[col].fillna(df[col].median())",
    # 3: no loop
    "kept = df.dropna()",
    # 4: the counter of `enumerate` is bookkeeping: each `n` of the list; the last statement is after the loop
    "for i, n in enumerate([1, 2]):\n    big = df[df['c'] > n]\nsmall = df[df['c'] < 3]",
    # 5: two lines under one loop
    "for m in [2, 3]:\n    low = df[df['c'] < m]\n    high = df[df['c'] >= m]",
]


@pytest.fixture(scope="module")
def said(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loops")
    db = folder / "t.duckdb"
    notebook, ran = record_notebook(folder, CELLS, db, "loops.ipynb")
    assert "error" not in ran
    summary = trackit("summarize", str(notebook), "--db", str(db), cwd=folder)
    tree = trackit("lineage", str(notebook), "--db", str(db), cwd=folder)
    assert summary.returncode == 0 and tree.returncode == 0, summary.stderr + tree.stderr
    return summary.stdout, tree.stdout


def test_a_step_in_a_loop_says_it_ran_for_each_value(said):
    summary, tree = said
    line = next(line for line in summary.splitlines() if "[cell 2]" in line)
    assert "(for each `col` in `['a', 'b']`)" in line, line
    assert "(for each `col` in `['a', 'b']`)" in tree


def test_the_counter_of_enumerate_is_left_out_and_a_statement_after_the_loop_is_not_in_it(said):
    summary, _ = said
    lines = [line for line in summary.splitlines() if "[cell 4]" in line]
    big = next(line for line in lines if "`big`" in line)
    assert "(for each `n` in `[1, 2]`)" in big, big
    assert "for each" not in next(line for line in lines if "`small`" in line)


def test_a_step_in_no_loop_says_no_loop(said):
    summary, _ = said
    assert "for each" not in next(line for line in summary.splitlines() if "[cell 3]" in line)


def test_the_lines_under_one_loop_say_it_once(said):
    """banana's loop cell said "(for each `C` in `C_values` and each `seed` in `range(10)`)" on each of its six lines:
    the first line under a loop says it, the next ones of the run "(in the same loop)"."""
    summary, tree = said
    lines = [line for line in summary.splitlines() if "[cell 5]" in line]
    low = next(line for line in lines if "`low`" in line)
    high = next(line for line in lines if "`high`" in line)
    assert "(for each `m` in `[2, 3]`)" in low and "(in the same loop)" in high and "for each" not in high, lines
    assert tree.count("(for each `m` in `[2, 3]`)") == 1 and "(in the same loop)" in tree, tree
