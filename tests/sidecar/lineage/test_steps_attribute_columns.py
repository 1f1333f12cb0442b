"""A column named as an attribute and changed by arithmetic in place (`df.Block += 1`) is the step `df["Block"] += 1`
is (CONVENTIONS 19: arithmetic derives; what-is-a-step.md: "arithmetic that creates a column" derives, and a
column's values recomputed in place are said as such): it read as no step at all. Found by the lead's own small
cell, then counted in the corpus' code (10 statements, `cond17_df.Subject += ...` and the like)."""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.analysis import analyze_source

from .after_setup import FRAME, ops_after


@pytest.mark.parametrize("cell, ops", [
    ("df.age += 1", ["derive_feature"]),
    ("df.age -= df.age.min()", ["scale_normalize"]),  # as df["age"] -= df["age"].min(): centring (CONVENTIONS 23)
    ("for k in range(3):\n    df.age -= k", ["derive_feature"]),
    # no column: the index, and objects the notebook did not make as data
    ("df.index += 1", []),
    ("stats = Stats()\nstats.total += 5", []),
    ("class Counter:\n    def add(self):\n        self.n += 1", []),
])
def test_a_column_changed_in_place_by_arithmetic_is_a_step(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME, cell) == ops


def test_it_is_worded_as_the_column_recomputed_from_its_own_values() -> None:
    step = analyze_source(FRAME + "df.age += 1").steps[-1]
    assert (step.columns, step.derived_from) == (["age"], ["age"])
