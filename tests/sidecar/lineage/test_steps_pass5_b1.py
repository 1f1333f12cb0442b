"""Rules found on batch 1's tuning notebooks in the fifth pass (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- columns drawn at random in the same statement and stacked side by side (`np.c_[rng.normal(...), ...]`) are one
  generated data set, a `load`, not a concat: a stack is a concat of *existing* arrays (CONVENTIONS 13, 28), as
  `pd.DataFrame({"a": np.random.randn(n)})` already is a load alone.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after


@pytest.mark.parametrize("cell", [
    "X = np.c_[np.random.randn(100), np.random.randn(100)]",
    "X = np.column_stack([np.random.rand(50), np.random.normal(size=50)])",
    "X = np.r_[np.random.randn(20, 2) - [2, 2], np.random.randn(20, 2) + [2, 2]]",
    "X = np.hstack([np.ones((50, 1)), np.random.randn(50, 2)])",
])
def test_columns_drawn_in_the_statement_are_one_load(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["load"]


def test_draws_of_a_notebook_generator_stacked_are_one_load() -> None:
    generator = "def noise(n):\n    return np.random.standard_normal(n)\n"
    assert ops_after(FRAME_AND_NUMPY + generator, "X = np.c_[noise(100), noise(100), noise(100)]") == ["load"]


@pytest.mark.parametrize("cell, ops", [
    ("X = np.c_[df.age, df.income]", ["concat"]),  # existing columns side by side stay a concat
    ("X = np.vstack([np.loadtxt('a.txt'), np.loadtxt('b.txt')])", ["load", "concat"]),  # two files read, then joined
])
def test_existing_or_read_pieces_stay_a_concat(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops
