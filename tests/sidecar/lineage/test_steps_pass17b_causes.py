"""Seventeenth pass, second round (issue 10, acc24): causes left on the tuning notebooks, each from a clause of
what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls:

- element-wise arithmetic written as a pandas method (`df = df.div(100)`, `r.sub(rf)`, `df.mul(w)`) is the operator
  it names (CONVENTIONS 19: "`a * b` is derive_feature"), also at the end of a chain after a cast; a division by the
  data's own total stays scale_normalize, a bare `add` (an item into a set, a layer into a plot) is no step, and a
  shown result is inspection (CONVENTIONS 6).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after


@pytest.mark.parametrize("cell, ops", [
    # fin-cookbook factor-models 63: percentages made fractions, rebinding the name
    ("df = df.div(100)", ["derive_feature"]),
    # fin-cookbook factor-models 35: cast, then divided, in one chain (one step per transforming call)
    ("df = df.apply(pd.to_numeric, errors='coerce').div(100)", ["type_cast", "derive_feature"]),
    ("excess = df.a.sub(df.b)", ["derive_feature"]),
    ("weighted = df[['a', 'b']].mul(2)", ["select_columns", "derive_feature"]),
])
def test_arithmetic_written_as_a_method_derives(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: shares of the data's own total scale it; a bare add puts an item in; shown is inspection
    ("shares = df.div(df.sum(axis=1), axis=0)", ["scale_normalize"]),
    ("seen = set(df.a)\nseen.add(2)", []),
    ("df.div(100)", []),
    ("df.div(100).head()", []),
])
def test_own_totals_bare_adds_and_shown_arithmetic_are_not_derived(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops
