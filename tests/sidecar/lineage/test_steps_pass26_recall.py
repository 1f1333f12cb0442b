"""Twenty-sixth pass (issue 10, acc51): recall on notebooks nobody here wrote, from batch 9's tuning notebooks and the
tuning part's mismatches (aggregate / evaluate / reshape read as nothing), each cause read against a clause of
what-is-a-step.md or CONVENTIONS on small hand-written cells, with positive and negative controls:

- metrics computed as separate items of one dict or list (`results = {"acc": accuracy_score(y, p), "f1": f1_score(y,
  p)}`, `{**evaluate(train...), **evaluate(valid...)}`, `cv_scores = [np.sqrt(mse(y, a)), ...]`) are one evaluation
  each (CONVENTIONS 7: evaluate counts wherever it appears); kept under one name they used to merge into one. The
  tuning labels count them so (kepler-ag__model's dict, me-kaggle__house-prices' list, donors-fcl__crispdm's returned
  dict). One metric of one expression (`np.sqrt(mse(y, p))`) stays one, a tuple kept under one name stays one
  (test_steps_pass5_b2), and so do scores only read out of fitted searches and collected
  (mk-kaggle__spaceship-titanic's label);
- a function of one row whose branches compare the row's labelled fields (`def make_order(row): tag = row["tag"];
  if tag == 1: ...`, defined in one cell and applied with `df.apply(make_order, axis=1)` in the next) is a callback:
  its body is not labelled (CONVENTIONS 3), as a function testing its one bare value already was; a function of a
  table whose branch tests a statistic of a column (`if d["a"].isnull().sum() > 0`) keeps its body's steps (1);
- a model-named helper around the library's cross-validation is a helper, not a hand-written black box (CONVENTIONS
  1, 4a); values drawn by Python's `random` module, or cast / rounded by a builtin, are loads (28); an imported helper
  named for the features it adds derives them (4b). Each group below says where it was found.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

MODEL = """import pandas as pd
import numpy as np
from sklearn.metrics import accuracy_score, f1_score, mean_squared_error, r2_score
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split, GridSearchCV
df = pd.read_csv('a.csv')
X_train, X_test, y_train, y_test = train_test_split(df[['a', 'b']], df['y'])
model = LinearRegression()
model.fit(X_train, y_train)
y_pred = model.predict(X_test)
oof_a = model.predict(X_train)
oof_b = model.predict(X_train)
"""

METRICS_SIDE_BY_SIDE = [
    (MODEL, "results = {'acc': accuracy_score(y_test, y_pred), 'f1': f1_score(y_test, y_pred)}",
     ["evaluate", "evaluate"]),
    (MODEL, "scores = [mean_squared_error(y_test, y_pred), r2_score(y_test, y_pred)]", ["evaluate", "evaluate"]),
    (MODEL, "cv_scores = [\n    np.sqrt(mean_squared_error(y_train, oof_a)),\n"
            "    np.sqrt(mean_squared_error(y_train, oof_b)),\n]", ["evaluate", "evaluate"]),
    (MODEL, "print({'acc': accuracy_score(y_test, y_pred), 'f1': f1_score(y_test, y_pred)})",
     ["evaluate", "evaluate"]),
    (MODEL + "from evaluate import *\n",
     "results = {\n    **evaluate(y_test, y_pred, prefix='test_'),\n    **evaluate(y_train, oof_a, prefix='train_')\n}",
     ["evaluate", "evaluate"]),
    # controls: one metric of one expression, kept or put in a dict alone, is one evaluation
    (MODEL, "rmse = np.sqrt(mean_squared_error(y_test, y_pred))", ["evaluate"]),
    (MODEL, "res = {'rmse': np.sqrt(mean_squared_error(y_test, y_pred))}", ["evaluate"]),
    # control: scores read out of fitted searches and collected under one name are one result (tuning labels)
    (MODEL + "rs1 = GridSearchCV(model, {}).fit(X_train, y_train)\nrs2 = GridSearchCV(model, {}).fit(X_train, y_train)\n",
     "best_scores = [rs1.best_score_, rs2.best_score_]", ["evaluate"]),
    # control: a tuple kept under one name is one result (test_steps_pass5_b2)
    (MODEL, "both = (mean_squared_error(y_test, y_pred), mean_squared_error(y_train, oof_a))", ["evaluate"]),
]


@pytest.mark.parametrize("setup,cell,expected", METRICS_SIDE_BY_SIDE)
def test_metrics_side_by_side_are_one_evaluation_each(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FRAME = "import pandas as pd\nimport matplotlib.pyplot as plt\ndf = pd.read_csv('people.csv')\n"

ROW_CALLBACKS = [
    # defined alone (the notebook applies it in the next cell): its body is no step
    (FRAME, "def make_block_order(row):\n    tag = row['tag']\n    modality = row['modality']\n"
            "    if tag == 1:\n        if modality == 'image':\n            return 1\n        return 2\n"
            "    elif tag == 2:\n        return 3\n    return 4", []),
    (FRAME, "def question_order(row):\n    if row['tag'] == 1 and row['question'] == 0:\n        return 1\n    return 2",
     []),
    # applied: the apply is the step (CONVENTIONS 3)
    (FRAME, "def label(row):\n    level = row['level']\n    if level > 3:\n        return 'hi'\n    return 'lo'\n"
            "df['band'] = df.apply(label, axis=1)", ["derive_feature"]),
    # controls: a function of a table that tests a statistic of a column keeps its body's steps (CONVENTIONS 1)
    (FRAME, "def clean(d):\n    if d['a'].isnull().sum() > 0:\n        d = d.fillna(0)\n    return d\ndf = clean(df)",
     ["impute_missing"]),
    (FRAME, "def prepare(d):\n    n = d['a']\n    if n.mean() > 3:\n        d = d.dropna()\n    return d\ndf = prepare(df)",
     ["select_columns", "drop_missing"]),
]


@pytest.mark.parametrize("setup,cell,expected", ROW_CALLBACKS)
def test_a_function_of_one_row_is_a_callback(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# A function named for training a model whose body hands the model to the library's cross-validation
# (`def knn_train_test(df, cols, target, k, fold): ... cross_val_score(knn, df[cols], df[target], cv=kf)`, the car-price
# course project's helper; grumpyclimber/portfolio ml/intro_car_prices) is a helper around the library's fit (which
# cross_val_score does on every fold), not a hand-written algorithm (CONVENTIONS 4a): its body is labelled where it is
# written (CONVENTIONS 1), and the cross-validation is an evaluate (CONVENTIONS 26). Controls: a hand-written fit (a
# gradient descent, least squares by hand) stays a black box whose call fits.
IMPORTS = "import numpy as np\nfrom sklearn.neighbors import KNeighborsRegressor\n" \
    "from sklearn.model_selection import cross_val_score, KFold\n"

CROSS_VALIDATING_HELPERS = [
    ("def knn_train_test(df, train_cols, target_col, k, fold):\n"
     "    kf = KFold(fold, shuffle=True, random_state=1)\n"
     "    knn = KNeighborsRegressor(n_neighbors=k)\n"
     "    mses = cross_val_score(knn, df[train_cols], df[target_col], scoring='neg_mean_squared_error', cv=kf)\n"
     "    return np.mean(np.sqrt(np.absolute(mses)))", ["evaluate"]),
    # controls
    ("def gradient_descent(X, y, w, alpha, iters):\n    for i in range(iters):\n"
     "        w = w - alpha * X.T @ (X @ w - y)\n    return w\n"
     "w = gradient_descent(X, y, np.zeros(2), 0.01, 100)", ["fit_model"]),
    ("def train_model(X, y):\n    w = np.linalg.lstsq(X, y, rcond=None)[0]\n    return w\nw = train_model(X, y)",
     ["fit_model"]),
]


@pytest.mark.parametrize("cell,expected", CROSS_VALIDATING_HELPERS)
def test_a_model_helper_around_cross_validation_is_no_black_box(cell: str, expected: list[str]) -> None:
    from trackit_sidecar.lineage.classify.cell import classify_cell

    _, aliases = classify_cell(IMPORTS)
    steps, _ = classify_cell(cell, aliases)
    assert sorted(step.op for step in steps) == sorted(expected)


# Simulated data written with Python's own `random` module and builtins (mobile-marketing-sim__data-cleaning, batch 9:
# `platform = random.choice(platforms)`, `clicks = int(impressions * np.random.uniform(0.01, 0.15))`, `spend =
# round(installs * np.random.uniform(0.5, 2.5), 2)` in a generation loop): every statement that draws random numbers
# for generated data is a `load` (CONVENTIONS 28), whichever module draws them and when the draw is cast or rounded
# by a builtin. Controls: a seed, an in-place shuffle or a pick out of data are no draws of values; a count of rows
# cast to int and a rounded mean of a draw are answers (CONVENTIONS 9).
SIM = "import numpy as np\nimport random\nimport pandas as pd\nrows = pd.read_csv('rows.csv')\n"

DRAWS_BY_HAND = [
    (SIM, "data = []\nfor d in range(90):\n    impressions = np.random.randint(1000, 50000)\n"
          "    clicks = int(impressions * np.random.uniform(0.01, 0.15))\n"
          "    spend = round(clicks * np.random.uniform(0.5, 2.5), 2)\n"
          "    data.append([d, impressions, clicks, spend])", ["load", "load", "load"]),
    (SIM, "x = random.randint(1, 10)", ["load"]),
    (SIM, "noise = [random.gauss(0, 1) for _ in range(100)]", ["load"]),
    (SIM, "platform = random.choice(['iOS', 'Android'])", ["load"]),
    # controls
    (SIM, "random.seed(42)", []),
    (SIM, "n = int(rows.shape[0] * 0.8)", []),
    (SIM, "m = round(np.random.rand(100).mean(), 2)", []),
    (SIM, "pick = random.choice(rows)", []),
]


@pytest.mark.parametrize("setup,cell,expected", DRAWS_BY_HAND)
def test_values_drawn_by_python_random_or_cast_by_a_builtin_are_loads(setup: str, cell: str,
                                                                       expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# An imported helper named for the kind of features it adds (`extend_ts_features(df, n_periods=180, ...)` of karpiu's
# utilities, batch 9; `add_time_features`, `compute_lag_features`) is a black box that derives them (CONVENTIONS 4b:
# label the call as the op it performs), as `create_features(df)` already was. Controls: a helper that gets the
# features' names is no step (CONVENTIONS 15), and neither is one whose name ends in something else.
FEATURE_HELPERS = [
    ("from karpiu.utils import extend_ts_features\n"
     "future_df = extend_ts_features(df, n_periods=180, date_col='date', rolling_window=30)", ["derive_feature"]),
    ("from utils import *\nX = add_time_features(df)", ["derive_feature"]),
    ("from utils import *\nX = compute_lag_features(df, 3)", ["derive_feature"]),
    # controls
    ("from utils import *\ncols = get_features(df)", []),
    ("from utils import *\nX = extend_ts_features_list(df)", []),
]


@pytest.mark.parametrize("cell,expected", FEATURE_HELPERS)
def test_an_imported_helper_named_for_the_features_it_adds_derives(cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(FRAME, cell)) == sorted(expected)
