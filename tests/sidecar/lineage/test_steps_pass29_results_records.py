"""Twenty-ninth pass (issue 10, acc56): a results table written as records, one row whose fields are a model's
evaluations (`pd.DataFrame([{"rmse": rmse, "mae": mae, "r2": r2, "n_train": len(X_train)}])`, the same as one dict
with `index=[0]`, or CV outputs' means per field), is one `evaluate` (CONVENTIONS 27: "assigned summary_frame() /
results tables"), as the table written column by column (`{"Score": [acc_svc, acc_knn]}`) already was. Controls: a row
of literals stays data written in the code (a load); one metric beside a statistic of data, a metric beside a column of
data, and the truth beside predictions stay what they were (classify/results_records.py).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import pandas as pd\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
         "from sklearn.model_selection import train_test_split, cross_validate\n"
         "from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score\n"
         "df = pd.read_csv('people.csv')\nX = df[['a', 'b']]\ny = df['y']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
         "m = LinearRegression().fit(X_train, y_train)\ny_pred = m.predict(X_test)\n"
         "rmse = mean_squared_error(y_test, y_pred) ** 0.5\nmae = mean_absolute_error(y_test, y_pred)\n"
         "r2 = r2_score(y_test, y_pred)\n")

CASES = [
    # one row of metrics, with sizes and literals beside them
    ("perf = pd.DataFrame([{'rmse': rmse, 'mae': mae, 'r2': r2, 'n_train': len(X_train), 'n_test': len(X_test)}])",
     ["evaluate"]),
    ("perf = pd.DataFrame([{'model': 'lgbm', 'rmse': rmse, 'r2': r2}])", ["evaluate"]),
    # one dict of scalars laid out as one row
    ("perf = pd.DataFrame({'rmse': rmse, 'r2': r2}, index=[0])", ["evaluate"]),
    # two rows, one per model
    ("r2_tr = r2_score(y_train, m.predict(X_train))\nrmse_tr = mean_squared_error(y_train, m.predict(X_train)) ** 0.5\n"
     "perf = pd.DataFrame([{'part': 'train', 'r2': r2_tr, 'rmse': rmse_tr}, {'part': 'test', 'r2': r2, 'rmse': rmse}])",
     ["predict", "evaluate", "predict", "evaluate", "evaluate"]),
    # statistics of a cross-validation's outputs, one per field
    ("cv_out = cross_validate(m, X, y, cv=5, scoring='r2', return_train_score=True)\n"
     "summary = pd.DataFrame([{'model': 'lr', 'train_r2': float(np.mean(cv_out['train_score'])), "
     "'val_r2': float(np.mean(cv_out['test_score']))}])", ["evaluate", "evaluate"]),
    # controls: a row of literals is data written in the code; the truth beside predictions is a concat
    ("t = pd.DataFrame([{'a': 1, 'b': 2}, {'a': 3, 'b': 4}])", ["load"]),
    ("t = pd.DataFrame({'y': y_test, 'p': y_pred})", ["concat"]),
    # controls: one metric is not a results row; a column of data beside metrics makes it no results table
    ("t = pd.DataFrame([{'r2': r2, 'mean_a': df['a'].mean()}])", []),
    ("t = pd.DataFrame([{'r2': r2, 'rmse': rmse, 'a': df['a']}])", []),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_results_records(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
