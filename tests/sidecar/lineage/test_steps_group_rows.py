"""A grouped computation that gives one value per row of its group (a running total, the previous row, a rank, a
window) derives a feature; only one that gives one value per group aggregates (what-is-a-step.md, "Op choices":
`groupby(...).agg/sum/mean/count` is `aggregate`; CONVENTIONS 22: a value per row is not one per group). Found by the
second review (rev7): `c = df.groupby("k").v.cumsum()` read "Aggregated `v` of `df` by `k`"
(kb.pandas.GROUP_ROW_METHODS)."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps
from trackit_sidecar.render.sentences import describe_steps

from .after_setup import FRAME, ops_after


@pytest.mark.parametrize("cell", [
    "c = df.groupby('k').v.cumsum()\n",
    "c = df.groupby('k')['v'].cumcount()\n",
    "p = df.groupby('k').v.shift(1)\n",
    "d = df.groupby('k').v.diff()\n",
    "r = df.groupby('k').v.rank()\n",
    "g = df.groupby('k').v.pct_change()\n",
    "w = df.groupby('k').v.rolling(3).mean()\n",
    "m = df.groupby('k').v.expanding().max()\n",
])
def test_a_value_per_row_of_each_group_is_derived(cell: str) -> None:
    assert ops_after(FRAME, cell) == ["derive_feature"]


@pytest.mark.parametrize(("cell", "ops"), [
    ("t = df.groupby('k').v.sum()\n", ["aggregate"]),  # one value per group
    ("t = df.groupby('k').agg({'v': 'mean'})\n", ["aggregate"]),
    ("df['c'] = df.groupby('k').v.cumsum()\n", ["derive_feature"]),  # written into a column, as before
    ("df['z'] = df.groupby('k').v.transform('mean')\n", ["derive_feature"]),
    ("c = df.v.cumsum()\n", ["derive_feature"]),  # no group
    ("w = df.v.rolling(3).mean()\n", ["derive_feature"]),
])
def test_controls_keep_their_op(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize(("cell", "ops"), [
    # each group's gaps filled from its own rows: a fill, one step (it read "Aggregated `v` of `df` by `k` into `f`
    # and filled missing values in `v`", an aggregate that never happened; rev8)
    ("f = df.groupby('k').v.ffill()\n", ["impute_missing"]),
    ("f = df.groupby('k')['v'].bfill()\n", ["impute_missing"]),
    ("df['v'] = df.groupby('k')['v'].ffill()\n", ["impute_missing"]),  # was derive_feature + impute_missing
    ("df = df.groupby('k').ffill()\n", ["impute_missing"]),
    # each group's first or last rows kept: a row filter, not an aggregate (nth was no step at all)
    ("h = df.groupby('k').head(1)\n", ["filter_rows"]),
    ("h = df.groupby('k').tail(2)\n", ["filter_rows"]),
    ("h = df.groupby('k').nth(0)\n", ["filter_rows"]),
    ("f = df.v.ffill()\n", ["impute_missing"]),  # no group: as before
])
def test_a_grouped_fill_or_pick_of_rows_is_that_step_alone(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


@pytest.mark.parametrize(("cell", "sentence"), [
    # the key is grouped by, not filled ("Filled missing values in `k` and `v`" named a column nothing filled)
    ("f = df.groupby('k')['v'].ffill()\n", "Filled missing values in `v` of `df` within each group of `k` into `f`"),
    ("df['v'] = df.groupby('k')['v'].transform(lambda x: x.fillna(x.median()))\n",
     "Filled missing values in `v` of `df` within each group of `k`"),
    ("h = df.groupby('k').head(1)\n", "Filtered rows of `df` on `k` into `h`"),
])
def test_a_grouped_fill_names_what_it_filled_and_the_groups(cell: str, sentence: str) -> None:
    steps = classify_steps(FRAME + cell)[len(classify_steps(FRAME)):]
    assert describe_steps(steps) == [sentence]


@pytest.mark.parametrize("cell", [
    # the groups made in an earlier statement: a running total or count per row derives, as in one chain (rev8: it
    # read "Aggregated `v` of `g` into `c`", as shift and rank already did not)
    "g = df.groupby('k')\nc = g['v'].cumsum()\n",
    "g = df.groupby('k')\nc = g.cumcount()\n",
    "g = df.groupby('k')\nc = g['v'].shift(1)\n",
])
def test_a_value_per_row_of_groups_made_earlier_is_derived(cell: str) -> None:
    assert ops_after(FRAME, cell) == ["derive_feature"]


def test_a_reduction_of_groups_made_earlier_still_aggregates() -> None:
    assert ops_after(FRAME, "g = df.groupby('k')\nc = g['v'].sum()\n") == ["aggregate"]


@pytest.mark.parametrize(("cell", "sentence"), [
    # a window, running total or lag within groups derives (CONVENTIONS 22); the key says which rows make each
    # group's values, as for a grouped fill, and is not one of the columns the value was computed from
    ("w = df.groupby('k')['v'].rolling(3).mean()\n", "Derived a new feature from `v` in `df` within each group of `k` "
                                                     "into `w`"),
    ("df['c'] = df.groupby('k')['v'].cumsum()\n", "Derived `c` from `v` in `df` within each group of `k`"),
    ("df['p'] = df.groupby('k').v.shift(1)\n", "Derived `p` from `v` in `df` within each group of `k`"),
    ("w = df.v.rolling(3).mean()\n", "Derived a new feature from `v` in `df` into `w`"),  # no group: as before
])
def test_a_value_per_row_of_each_group_names_the_groups_apart_from_its_columns(cell: str, sentence: str) -> None:
    steps = classify_steps(FRAME + cell)[len(classify_steps(FRAME)):]
    assert describe_steps(steps) == [sentence]
