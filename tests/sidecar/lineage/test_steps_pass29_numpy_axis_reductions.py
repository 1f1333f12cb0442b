"""Twenty-ninth pass (issue 10, acc56): a NumPy reduction given an axis (`np.sum(X, axis=1)`, `np.mean(X, 0)`,
`np.percentile(X, 90, axis=0)`) gives one value per row or column, a table of statistics, an `aggregate`, as the same
reduction written as a method (`X.sum(axis=1)`) already was (kb.numpy.REDUCTION_AXIS_POSITION; CONVENTIONS 9 keeps a
reduction to one number no step). Before, the function form read as one number whatever its axis. Controls: no axis
or `axis=None` is one number; shown it is an answer; used to centre or scale data it is part of that step; put into a
column it derives (CONVENTIONS 19); of a model's scores it is the metric reported (27).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import pandas as pd\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
         "from sklearn.model_selection import cross_val_score\n"
         "df = pd.read_csv('people.csv')\nX = df[['a', 'b']].values\n")

CASES = [
    ("tot = np.sum(X, axis=1)", ["aggregate"]),
    ("means = np.mean(X, 0)", ["aggregate"]),
    ("m = np.nanmean(X, axis=1)", ["aggregate"]),
    ("p90 = np.percentile(X, 90, axis=0)", ["aggregate"]),
    # the method form it follows (unchanged)
    ("tot = X.sum(axis=1)", ["aggregate"]),
    # controls
    ("m = np.mean(X)", []),
    ("m = np.mean(X, axis=None)", []),
    ("p90 = np.percentile(X, 90)", []),
    ("print(np.mean(X, axis=0))", []),
    ("Xc = X - np.mean(X, axis=0)", ["scale_normalize"]),
    ("df['tot'] = np.sum(X, axis=1)", ["derive_feature"]),
    # the mean of the folds' scores kept is the metric reported (CONVENTIONS 27: CV results), not a table of statistics
    ("scores = cross_val_score(LinearRegression(), X, df.y, cv=5)\nm = np.mean(scores, axis=0)",
     ["evaluate", "evaluate"]),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_numpy_axis_reduction(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
