"""The thirty-first pass, the lead's part (issue 10): scikit-learn's configuring methods return the estimator itself,
so a scaler set to give pandas (`set_output`) or re-parameterised (`set_params`) still scales and fits; and a fit
chained into a prediction written into a loop's array keeps its fit, as the same line into a dict does. Small cells
written for the test, with controls."""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import numpy as np\nimport pandas as pd\nfrom sklearn.compose import ColumnTransformer\n"
         "from sklearn.linear_model import LinearRegression\nfrom sklearn.preprocessing import StandardScaler\n"
         "df = pd.read_csv('data.csv')\nX = df[['a', 'b']]\n")

CONFIGURED = [
    ("Z = StandardScaler().set_output(transform='pandas').fit_transform(X)", ["scale_normalize"]),
    ("scaler = StandardScaler().set_output(transform='pandas')\nZ = scaler.fit_transform(X)", ["scale_normalize"]),
    ("ct = ColumnTransformer([('num', StandardScaler(), ['a'])]).set_output(transform='pandas')\nZ = ct.fit_transform(df)",
     ["scale_normalize"]),
    ("m = LinearRegression().set_params(fit_intercept=False).fit(X, df.y)", ["fit_model"]),
    ("m = LinearRegression().set_fit_request(sample_weight=True).fit(X, df.y, sample_weight=df.w)", ["fit_model"]),
    # controls: configuring alone is no step; the unconfigured chain reads the same
    ("scaler = StandardScaler().set_output(transform='pandas')", []),
    ("Z = StandardScaler().fit_transform(X)", ["scale_normalize"]),
]


@pytest.mark.parametrize("cell,expected", CONFIGURED)
def test_a_configured_estimator_is_still_its_class(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell) == expected


ACCUMULATED = [
    ("preds = np.zeros((3, 2))\nfor i in range(2):\n    preds[:, i] = LinearRegression().fit(X, df.y).predict(X)[:3]",
     ["fit_model", "predict"]),
    ("res = {}\nfor k in range(2):\n    res[k] = LinearRegression().fit(X, df.y).predict(X)", ["fit_model", "predict"]),
    # control: a fitted model's predictions into the array fit nothing there
    ("m = LinearRegression().fit(X, df.y)\npreds = np.zeros((3, 2))\nfor i in range(2):\n    preds[:, i] = m.predict(X)[:3]",
     ["fit_model", "predict"]),
]


@pytest.mark.parametrize("cell,expected", ACCUMULATED)
def test_a_fit_chained_into_an_accumulated_prediction_is_kept(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell) == expected
