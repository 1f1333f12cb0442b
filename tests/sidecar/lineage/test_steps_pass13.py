"""Rules of the thirteenth pass on batch 6's tuning notebooks' errors (issue 10), each from a line of CONVENTIONS, on
small hand-written cells (controls keep what the rule must not change):

- a helper the notebook does not define, reached through `from utils import *`, named for a model step
  (`p = multivariate_gaussian(X, mu, var)`, `mu, var = estimate_gaussian(X)`, `eps, f1 = select_threshold(y, p)`), is
  a black box whose call is that step (CONVENTIONS 4a/4b), as a helper imported by name already was; an exercise's unit
  test of it (`estimate_gaussian_test(estimate_gaussian)`) only checks it.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

STAR = "import numpy as np\nfrom utils import *\nX, X_val, y_val = load_data()\n"


def steps_after(setup: str, cell: str) -> list[tuple[str, str | None]]:
    return [(s.op, s.output) for s in classify_steps(setup + cell)][len(classify_steps(setup)):]


@pytest.mark.parametrize("cell, expected", [
    ("mu, var = estimate_gaussian(X)", [("fit_model", "mu")]),
    ("p = multivariate_gaussian(X, mu, var)", [("predict", "p")]),
    ("epsilon, F1 = select_threshold(y_val, p_val)", [("evaluate", "epsilon")]),
    ("J = compute_cost(X, y_val, w, b)", [("evaluate", "J")]),
    ("w, b = gradient_descent(X, y_val, w, b, 0.01, 100)", [("fit_model", "w")]),
])
def test_a_star_imported_helper_named_for_a_model_step_is_that_step(cell: str, expected: list) -> None:
    assert steps_after(STAR, cell) == expected


@pytest.mark.parametrize("setup, cell", [
    (STAR, "estimate_gaussian_test(estimate_gaussian)"),  # an exercise's unit test checks the function
    (STAR, "test_compute_cost(compute_cost)"),
    (STAR, "show_results(X, mu, var)"),  # a name that says no model step
    # without a project module imported whole, an unknown name is no helper we can read (defined in a cell not seen)
    ("import numpy as np\nX = np.loadtxt('x.txt')\n", "p = multivariate_gaussian(X, mu, var)"),
    ("import numpy as np\nfrom sklearn.linear_model import *\nX = np.loadtxt('x.txt')\n", "fits = [fit_at(q) for q in X]"),
])
def test_unit_tests_other_names_and_names_without_a_star_import_are_no_step(setup: str, cell: str) -> None:
    assert steps_after(setup, cell) == []
