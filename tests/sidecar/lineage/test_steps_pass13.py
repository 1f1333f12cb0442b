"""Rules of the thirteenth pass on batch 6's tuning notebooks' errors (issue 10), each from a line of CONVENTIONS, on
small hand-written cells (controls keep what the rule must not change):

- a helper the notebook does not define, reached through `from utils import *`, named for a model step
  (`p = multivariate_gaussian(X, mu, var)`, `mu, var = estimate_gaussian(X)`, `eps, f1 = select_threshold(y, p)`), is
  a black box whose call is that step (CONVENTIONS 4a/4b), as a helper imported by name already was; an exercise's unit
  test of it (`estimate_gaussian_test(estimate_gaussian)`) only checks it.
- an exercise's trial weights (`test_w = np.array([0.2, 0.2])`, `tmp_w`) are parameters (CONVENTIONS 15); pieces of a
  hand-written algorithm (`def sigmoid(z)`, `def compute_gradient(X, y, w, b)`) are black boxes with no step of their own
  (CONVENTIONS 4a lists sigmoid beside gradient descent and cost).
- a function that returns an array its body fills with random draws (`process[i + 1] = alpha * process[i] +
  np.random.standard_normal()`) returns generated data: its call is the load (CONVENTIONS 4c, 28).
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


NUMPY = "import numpy as np\nX = np.loadtxt('x.txt')\ny = np.loadtxt('y.txt')\n"


@pytest.mark.parametrize("cell", [
    # an exercise's trial weights are parameters (CONVENTIONS 15: parameter vectors), not data
    "test_w = np.array([0.2, 0.2])",
    "tmp_w = np.random.randn(2)",
    # pieces of a hand-written algorithm are black boxes with no step of their own (CONVENTIONS 4a lists sigmoid)
    "def sigmoid(z):\n    g = 1 / (1 + np.exp(-z))\n    return g",
    "def compute_gradient(X, y, w, b):\n    m, n = X.shape\n    err = X @ w + b - y\n    dj_dw = X.T @ err / m\n"
    "    dj_db = err.mean()\n    return dj_db, dj_dw",
    "def softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()",
])
def test_trial_weights_and_pieces_of_a_hand_written_algorithm_are_no_step(cell: str) -> None:
    assert steps_after(NUMPY, cell) == []


@pytest.mark.parametrize("cell, expected", [
    ("tmp_X = np.random.randn(4, 2) - 0.5", [("load", "tmp_X")]),  # trial data is still data (CONVENTIONS 28)
    # a helper that is not such a piece keeps its body's steps (CONVENTIONS 1)
    ("def add_ratio(d):\n    d['r'] = d['a'] / d['b']\n    return d", [("derive_feature", "d")]),
])
def test_trial_data_and_other_helpers_keep_their_steps(cell: str, expected: list) -> None:
    assert steps_after(NUMPY, cell) == expected


SIMULATE = ("def simulate(n, alpha):\n    np.random.seed(42)\n    process = np.empty(n)\n    process[0] = 0\n"
            "    for i in range(n - 1):\n        process[i + 1] = alpha * process[i] + np.random.standard_normal()\n"
            "    return process\n")


def test_a_function_returning_an_array_filled_with_random_draws_is_a_source() -> None:
    # a user function that returns generated data is a load where it is called (CONVENTIONS 4c, 28)
    assert steps_after(NUMPY, SIMULATE + "walk = simulate(400, 0.5)") == [("load", "walk")]


def test_a_function_filling_an_array_from_data_is_no_source() -> None:
    cell = ("def running_mean(x):\n    out = np.empty(len(x))\n    for i in range(len(x)):\n"
            "        out[i] = x[:i + 1].mean()\n    return out\nm = running_mean(y)")
    assert ("load", "m") not in steps_after(NUMPY, cell)
