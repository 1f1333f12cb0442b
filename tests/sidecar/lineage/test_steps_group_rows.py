"""A grouped computation that gives one value per row of its group (a running total, the previous row, a rank, a
window) derives a feature; only one that gives one value per group aggregates (what-is-a-step.md, "Op choices":
`groupby(...).agg/sum/mean/count` is `aggregate`; CONVENTIONS 22: a value per row is not one per group). Found by the
second review (rev7): `c = df.groupby("k").v.cumsum()` read "Aggregated `v` of `df` by `k`"
(kb.pandas.GROUP_ROW_METHODS)."""

from __future__ import annotations

import pytest

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
