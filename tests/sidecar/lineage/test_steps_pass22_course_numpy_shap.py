"""Rules of the twenty-second pass (acc42: batch 9, course notebooks, NumPy tutorials, model explanation), on small
hand-written cells; controls keep what each rule must not change.

- An explainer of a fitted model (`explainer = shap.TreeExplainer(model)`, `shap.Explainer(model, X_train)`) is no
  fitted model: `explainer(X_test)` computes SHAP values, model interpretation, which is no step like reading
  `feature_importances_` (CONVENTIONS 27; ADJ9 on ps-s5e9 cell 32), and building the explainer fits nothing.
  `model(X)` of a fitted model still predicts (CONVENTIONS 26).
- A constructor handed only `...` (`game_board = np.array(...)`) is an exercise's blank for the reader to fill, no
  data yet (ADJ9 on numpy-tutorial-pz cell 38: "an `np.array(...)` Ellipsis exercise placeholder is not a step");
  an array written in the code stays a load (CONVENTIONS 28, what-is-a-step.md "data created in code").
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

FITTED = ("import pandas as pd\nimport numpy as np\nimport shap\nfrom sklearn.model_selection import train_test_split\n"
          "from sklearn.ensemble import RandomForestClassifier\ndf = pd.read_csv('people.csv')\n"
          "X_train, X_test, y_train, y_test = train_test_split(df.drop(columns='y'), df.y)\n"
          "model = RandomForestClassifier().fit(X_train, y_train)\n")


@pytest.mark.parametrize("cell, ops", [
    ("explainer = shap.TreeExplainer(model)\nshap_values = explainer(X_test)", []),
    ("explainer = shap.Explainer(model, X_train)\nshap_values = explainer(X_test)", []),
    ("e = shap.LinearExplainer(model, X_train)", []),
])
def test_model_explanations_are_no_step(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # the fitted model itself still predicts and is still scored
    ("y_pred = model.predict(X_test)", ["predict"]),
    ("explainer = shap.TreeExplainer(model)\nshap_values = explainer.shap_values(X_test)\ny_hat = model.predict(X_test)",
     ["predict"]),
])
def test_the_explained_model_still_predicts(cell: str, ops: list[str]) -> None:
    assert ops_after(FITTED, cell) == ops


NUMPY = "import numpy as np\n"


@pytest.mark.parametrize("cell, ops", [
    ("game_board = np.array(...)\nprint(game_board)", []),
    ("X = np.array(...)\ny = np.array(...)", []),
])
def test_an_exercise_blank_is_no_data(cell: str, ops: list[str]) -> None:
    assert ops_after(NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    ("game_board = np.array([[1, 0], [0, 1]])", ["load"]),
    ("a = np.array([1, 2, 3])\nb = np.array(a)", ["load", "other"]),
])
def test_arrays_written_in_the_code_stay_loads(cell: str, ops: list[str]) -> None:
    assert ops_after(NUMPY, cell) == ops
