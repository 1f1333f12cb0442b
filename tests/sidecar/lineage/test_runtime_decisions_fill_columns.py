"""A fill read by its own columns (lineage/fill_columns.py): with the kernel's missing values by column, a fill whose
columns kept their counts filled none even when the cell also dropped or wrote other columns; one that filled some of
its columns and not others says which it left (Step.gaps_left). Without counts by column the total decides, as
before. Pure: steps and facts in, steps out."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.graph import attach_runtime
from trackit_sidecar.lineage.runtime_decisions import decide_with_runtime
from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.protocol import RuntimeFacts

from ..real_cells import chili_cleaning_cell

CELL_HEAD = "import pandas as pd\nimport numpy as np\n"

CHILI = chili_cleaning_cell("df")


def by_column(variable: str, before: dict, after: dict, removed=(), added=(), sampled=False, rows=1000, cols=4,
              source=None) -> RuntimeFacts:
    """A frame's facts as the probe gives them: counts by column of the columns that have any."""
    return RuntimeFacts(variable=variable, kind="DataFrame", rows_before=rows, rows_after=rows, cols_before=cols,
                        cols_after=cols - len(removed) + len(added), nulls_before=sum(before.values()),
                        nulls_after=sum(after.values()), column_nulls_before=before, column_nulls_after=after,
                        removed_columns=list(removed), added_columns=list(added), sampled=sampled,
                        before_variable=source)


def decided(source: str, facts: list[RuntimeFacts]) -> list[tuple]:
    cell = CELL_HEAD + source
    steps = classify_steps(cell)
    attach_runtime(steps, facts)
    return [(s.op, s.decided_by, s.static_op, s.gaps_left) for s in decide_with_runtime(steps, facts, cell)]


DROPPED = ("drop_columns", "static", None, {})


def filled_nothing(gaps: dict) -> tuple:
    return ("other", "runtime", "impute_missing", gaps)


def filled(gaps: dict = {}) -> tuple:
    return ("impute_missing", "static", None, gaps)


@pytest.mark.parametrize("source, facts, expected", [
    # chili under pandas 3: the chained in-place fills filled a copy; 658 -> 10 only because `temp` was dropped
    (CHILI, [by_column("df", {"temp": 648, "heat": 4, "ph": 5, "color": 1}, {"heat": 4, "ph": 5, "color": 1},
                       removed=["temp"])],
     [DROPPED, filled_nothing({"heat": 4, "ph": 5, "color": 1}), filled_nothing({"color": 1})]),
    # the loop filled (assigned back), the chained fill of `color` did not: the loop's columns are not named, so the
    # loop stays a fill; `color` is its own
    (CHILI.replace("df[col].fillna(median_value, inplace=True)", "df[col] = df[col].fillna(median_value)"),
     [by_column("df", {"temp": 648, "heat": 4, "ph": 5, "color": 1}, {"color": 1}, removed=["temp"])],
     [DROPPED, filled(), filled_nothing({"color": 1})]),
    # another column written besides: the fill's own column kept its gaps
    ("df['a'].fillna(0, inplace=True)\ndf['c'] = df['b'] * 2",
     [by_column("df", {"a": 2, "b": 1}, {"a": 2, "b": 1, "c": 1}, added=["c"])],
     [filled_nothing({"a": 2}), ("derive_feature", "static", None, {})]),
    # the column of gaps dropped first, then the whole frame filled: nothing was left to fill
    ("df = df.drop(columns=['x'])\ndf = df.fillna(0)", [by_column("df", {"x": 5}, {}, removed=["x"])],
     [DROPPED, filled_nothing({})]),
    # a whole-frame fill with a statistic numbers only have: the text column kept its gaps
    ("df = df.fillna(df.mean(numeric_only=True))", [by_column("df", {"age": 177, "cabin": 687}, {"cabin": 687})],
     [filled({"cabin": 687})]),
    # named columns, one of them all missing (its median is NaN)
    ("df[['a', 'b']] = df[['a', 'b']].fillna(df[['a', 'b']].median())", [by_column("df", {"a": 2, "b": 5}, {"b": 5})],
     [filled({"b": 5})]),
])
def test_a_fill_read_by_its_own_columns(source, facts, expected) -> None:
    assert decided(source, facts) == expected


@pytest.mark.parametrize("source, facts, why", [
    (CHILI, [by_column("df", {"temp": 648, "heat": 4, "ph": 5, "color": 1}, {}, removed=["temp"])], "it filled"),
    ("df['a'].fillna(0, inplace=True)\ndf = df.drop(columns=['a'])",
     [by_column("df", {"a": 2, "b": 1}, {"b": 1}, removed=["a"])], "the column it filled was dropped: nothing to compare"),
    ("df.drop(columns=['x'], inplace=True)\ndf.fillna(0, inplace=True)",
     [by_column("df", {"x": 5, "a": 3}, {"a": 3}, removed=["x"], sampled=True)], "counted on a sample"),
    ("df['a'].fillna(0, inplace=True)\ndf['a'] = df['a'].where(df['a'] > 0)",
     [by_column("df", {"a": 2}, {"a": 2})], "another statement writes the column it fills"),
    ("df = df.fillna(0)\ndf['a'] = np.where(df['b'] > 0, np.nan, df['a'])",
     [by_column("df", {"a": 2, "b": 1}, {"a": 2})], "a whole-frame fill beside a statement that can add gaps"),
    ("df = df.fillna({'a': 0})", [by_column("df", {"a": 2, "b": 1}, {"b": 1})], "filled all it named: b is not its"),
])
def test_a_fill_read_by_column_stays_a_fill_when_the_counts_do_not_show_it_left_gaps(source, facts, why) -> None:
    rows = decided(source, facts)
    assert filled() in rows, why
    assert not any(op == "other" for op, *_ in rows), why


def test_without_counts_by_column_the_total_decides_as_before() -> None:
    """A frame wider than the probe's cap (nulls.MAX_COLUMNS_WITH_NULLS) has no counts by column: chili's cell, whose
    total fell because of the drop, stays what static analysis said; a fill alone with an unchanged total is still
    decided by it."""
    wide = RuntimeFacts(variable="df", kind="DataFrame", rows_before=1000, rows_after=1000, cols_before=400,
                        cols_after=399, nulls_before=658, nulls_after=10, removed_columns=["temp"])
    assert decided(CHILI, [wide]) == [DROPPED, filled(), filled()]
    alone = RuntimeFacts(variable="df", kind="DataFrame", rows_before=5, rows_after=5, cols_before=400,
                         cols_after=400, nulls_before=2, nulls_after=2)
    assert decided("df['a'].fillna(0, inplace=True)", [alone]) == [filled_nothing({})]
