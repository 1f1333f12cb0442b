"""A polars column taken out by `get_column` / `to_series` is the same pick as the subscript `other["id"]` (mem12, the
known wrong change left at the end of "### The nineteenth pass merged" in tests/corpus/blind/README.md).

CONVENTIONS 18: "a single column that ends the assigned expression (`y = df['target']`) [is] select_columns. Not a
step: a column that is only the operand of a later op in the same expression (...), or a selection inside another
call's argument (`fit(df[cols], y)`, ...)". The subscript pick was read that way; `get_column` (an op of
kb/polars.py's METHODS) was a select_columns wherever it was written, so
`df.filter(pl.col("id").is_in(other.get_column("id")))` read a select_columns of `other` besides the filter.
The idiom is common: `find_string` finds `.filter(pl.col(k).is_in(df.get_column(k)...))` in six public files (a
subsample by session, a master table's idempotent append, reinsurance layers, regional populations, ...).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

PL = "import polars as pl\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n" \
     "df = pl.read_csv('a.csv')\nother = pl.read_csv('b.csv')\n"


@pytest.mark.parametrize("cell, ops", [
    # inside a filter's condition: only the filter (the rows of `df` whose id is in `other`)
    ("df2 = df.filter(pl.col('id').is_in(other.get_column('id')))", ["filter_rows"]),
    ("df2 = df.filter(pl.col('id').is_in(other.to_series(0)))", ["filter_rows"]),
    ("df2 = df.filter(pl.col('id').is_in(other.get_column('id').to_list()))", ["filter_rows"]),
    ("df2 = df.filter(pl.col('id').is_in(other.get_column('id').unique()))", ["filter_rows"]),
    ("old = df.filter(~pl.col('id').is_in(other.get_column('id').implode()))", ["filter_rows"]),
    # inside another call's argument (CONVENTIONS 18: "a selection inside another call's argument")
    ("model = LinearRegression().fit(df, other.get_column('y'))", ["fit_model"]),
    # the operand of a later op in the same expression: that op only
    ("ids = other.get_column('id').sort()", ["sort"]),
    ("ids = other.get_column('id').fill_null(0)", ["impute_missing"]),
    # the column's distinct values assigned: inspection (CONVENTIONS 10: `unique` stays inspection even when assigned)
    ("ids = other.get_column('id').unique()", []),
    # a loop over one column's values keeps no rows
    ("for v in other.get_column('id'):\n    print(v)", []),
])
def test_a_column_taken_by_get_column_reads_as_the_subscript_pick(cell: str, ops: list[str]) -> None:
    assert ops_after(PL, cell) == ops
    # the same cell written with the subscript reads the same (the rule's reference)
    subscript = cell.replace(".get_column('id')", "['id']").replace(".to_series(0)", "['id']") \
        .replace(".get_column('y')", "['y']")
    assert ops_after(PL, subscript) == ops


@pytest.mark.parametrize("cell, ops", [
    # controls: a column that ends the assigned expression is select_columns (CONVENTIONS 18), as before
    ("ids = other.get_column('id')", ["select_columns"]),
    ("ids = other.to_series(1)", ["select_columns"]),
    ("ids = other['id']", ["select_columns"]),
    ("s = (pl.read_csv('c.csv').get_column('b'))", ["load", "select_columns"]),
    ("s = other.select('q').to_series()", ["select_columns"]),
    # a number computed from the column inside the condition: the filter only, as before
    ("df2 = df.filter(pl.col('id') > other.get_column('id').mean())", ["filter_rows"]),
])
def test_a_column_that_ends_the_assignment_stays_select_columns(cell: str, ops: list[str]) -> None:
    assert ops_after(PL, cell) == ops


def test_the_picked_column_is_named() -> None:
    """The step names the column taken, as the subscript's does."""
    from trackit_sidecar.lineage.steps import classify_steps
    steps = classify_steps(PL + "ids = other.get_column('id')")
    assert (steps[-1].op, steps[-1].columns) == ("select_columns", ["id"])
