"""The nineteenth pass, second round (acc32, issue 10): an item of the earlier passes' "Not fixed" lists about results
(evaluate, predict, fit_model, split) seen in two sources and decided by CONVENTIONS.md: a hyper-parameter grid
written as a dict of ranged or drawn values under a name the classifier did not know (`pg = {"C": np.logspace(...)}`,
acc28's applied-ML course; `{"C": list(np.random.random_sample((5,)))}`, acc23's Kaggle kernel;
`logreg_param_grid = {"C": np.logspace(-3, 3, 7), ...}`, ey-l kernels) read `load`. CONVENTIONS 15: "Not steps: ...
constructors of models, splitters, pipelines and searches ..., hyper-parameter grids". A dict whose every key names an
estimator's hyper-parameter (or a pipeline step's, `clf__C`) is such a grid whatever it is called.
Each row is a cell after set-up lines (the set-up's own steps are not counted); every group has negative controls.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


SK = ("import numpy as np\nimport pandas as pd\nfrom sklearn.svm import SVC\n"
      "from sklearn.model_selection import GridSearchCV, RandomizedSearchCV\n"
      "X = pd.read_csv('x.csv')\ny = X.pop('target')\n")


HYPERPARAMETER_GRIDS = [
    (SK, "pg = {'C': np.logspace(-3, 3, 7)}", []),
    (SK, "pg = {'C': np.logspace(-3, 3, 7)}\ngs = GridSearchCV(SVC(), pg).fit(X, y)", ["fit_model"]),
    (SK, "logreg_param_grid = {'C': np.logspace(-3, 3, 7), 'penalty': ['l1', 'l2']}", []),
    (SK, "lgbm_param_grid = {'num_leaves': np.arange(10, 250, 1), 'max_depth': np.arange(10, 350, 1), "
         "'n_estimators': [75, 90, 100]}", []),
    (SK, "p = {'max_depth': np.arange(1, 10)}\nrs = RandomizedSearchCV(SVC(), p)", []),
    (SK, "svc_grid_values = {'svc__C': np.logspace(-2, 2, 5), 'svc__gamma': np.logspace(-3, 1, 5)}", []),
    (SK, "xgb_space = {'reg_lambda': np.linspace(1e-05, 20, 400), 'random_state': [42]}", []),
    # controls: data written in the code under keys that are not hyper-parameters stays a load (what-is-a-step.md,
    # "data created in code"), also when one key is one; a table made of such a dict is a load; a dict of results to
    # fill (acc28's `{"alpha": ..., "mean_cv_scores": list()}`) is left as the nineteenth pass read it
    (SK, "data = {'x': np.arange(10), 'noise': np.random.randn(10)}", ["load"]),
    (SK, "d = {'alpha': np.arange(10), 'height': np.random.randn(10)}", ["load"]),
    (SK, "sim = pd.DataFrame({'alpha': np.random.randn(10)})", ["load"]),
    (SK, "results = {'alpha': 10.0 ** np.arange(-3, 6), 'mean_cv_scores': list()}", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", HYPERPARAMETER_GRIDS)
def test_a_dict_of_hyperparameter_values_is_a_grid_not_data(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
