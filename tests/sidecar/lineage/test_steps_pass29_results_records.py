"""Twenty-ninth pass (issue 10, acc56): a results table written as records, rows whose fields are a model's
evaluations (`pd.DataFrame([{"rmse": rmse, "mae": mae, "r2": r2, "n_train": len(X_train)}])`, CV outputs' means per
field, or `pd.DataFrame([result])` after `result = {"model": name, "mse": mse, "r2": r2}`), is one `evaluate`
(CONVENTIONS 27: "assigned summary_frame() / results tables"), as the table written column by column (`{"Score":
[acc_svc, acc_knn]}`) already was. Controls: a row of literals stays data written in the code (a load); one dict of
metric scalars stays a concat (the tuning labels); one metric beside a statistic of data, a metric beside a column of
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
    # two rows, one per model
    ("r2_tr = r2_score(y_train, m.predict(X_train))\nrmse_tr = mean_squared_error(y_train, m.predict(X_train)) ** 0.5\n"
     "perf = pd.DataFrame([{'part': 'train', 'r2': r2_tr, 'rmse': rmse_tr}, {'part': 'test', 'r2': r2, 'rmse': rmse}])",
     ["predict", "evaluate", "predict", "evaluate", "evaluate"]),
    # statistics of a cross-validation's outputs, one per field
    ("cv_out = cross_validate(m, X, y, cv=5, scoring='r2', return_train_score=True)\n"
     "summary = pd.DataFrame([{'model': 'lr', 'train_r2': float(np.mean(cv_out['train_score'])), "
     "'val_r2': float(np.mean(cv_out['test_score']))}])", ["evaluate", "evaluate"]),
    # the row kept under a name, then made a table row by row (the way `df.append(row)` is written since pandas 2)
    ("for name in ['a', 'b']:\n    val_mse = mean_squared_error(y_test, y_pred)\n"
     "    val_r2 = r2_score(y_test, y_pred)\n"
     "    result = {'Model': name, 'Val_MSE': val_mse, 'Val_R2': val_r2}\n"
     "    cv_results = pd.concat([cv_results, pd.DataFrame([result])], ignore_index=True)",
     ["evaluate", "evaluate", "evaluate", "concat"]),
    # ... or appended to a list: the rows collected, then tabled, a conversion (CONVENTIONS 12; collected.py), as the
    # same rows written in the append call are, not data written in the code
    ("rows = []\nfor name in ['a', 'b']:\n    val_mse = mean_squared_error(y_test, y_pred)\n"
     "    val_r2 = r2_score(y_test, y_pred)\n    result = {'Model': name, 'Val_MSE': val_mse, 'Val_R2': val_r2}\n"
     "    rows.append(result)\nres = pd.DataFrame(rows)", ["evaluate", "evaluate", "other"]),
    ("rows = []\nfor name in ['a', 'b']:\n    val_mse = mean_squared_error(y_test, y_pred)\n"
     "    val_r2 = r2_score(y_test, y_pred)\n    rows.append({'Model': name, 'Val_MSE': val_mse, 'Val_R2': val_r2})\n"
     "res = pd.DataFrame(rows)", ["evaluate", "evaluate", "other"]),
    # controls: a row of literals is data written in the code; the truth beside predictions is a concat
    ("t = pd.DataFrame([{'a': 1, 'b': 2}, {'a': 3, 'b': 4}])", ["load"]),
    ("t = pd.DataFrame({'y': y_test, 'p': y_pred})", ["concat"]),
    # controls: one dict of scalars is the results put side by side, a concat (the tuning labels,
    # mk-kaggle__spaceship-titanic 136), as a dict of arrays of fold scores is (CONVENTIONS 13)
    ("auc = pd.DataFrame({'rmse': rmse, 'r2': r2}, index=['Auc'])", ["concat"]),
    # controls: one metric is not a results row; a column of data beside metrics makes it no results table
    ("t = pd.DataFrame([{'r2': r2, 'mean_a': df['a'].mean()}])", []),
    ("t = pd.DataFrame([{'r2': r2, 'rmse': rmse, 'a': df['a']}])", []),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_results_records(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
