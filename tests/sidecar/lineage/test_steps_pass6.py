"""Rules of the sixth pass (issue 10, acc6: the tuning notebooks below 0.75), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells:

- one parameter's confidence interval picked by its name (`res.conf_int().loc["income"]`) reads that parameter, as
  `res.params["income"]` does: no step (CONVENTIONS 27: "reading `.params` ... and tables/Series built only from
  them" are not steps); the whole table assigned stays an evaluation ("assigned summary_frame() / results tables").
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

FITTED = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\nres = smf.ols('y ~ income', df).fit()\n"


@pytest.mark.parametrize("cell", [
    "ci = res.conf_int().loc['income'].tolist()",
    "low, high = res.conf_int().loc['income']",
    "ci = res.conf_int()['income']",
])
def test_one_parameters_interval_picked_by_name_is_no_step(cell: str) -> None:
    assert ops_after(FITTED, cell) == []


@pytest.mark.parametrize("cell, ops", [
    ("ci = res.conf_int()", ["evaluate"]),
    ("ci = smf.ols('y ~ income', df).fit().conf_int().loc['income']", ["fit_model"]),
])
def test_the_interval_table_stays_an_evaluation_and_a_fit_in_the_chain_stays(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops
