"""Twenty-ninth pass (issue 10, acc56): `np.asarray` makes the array `np.array` makes (kb.sources.
ARRAY_MAKING_CONVERSIONS). Of ONE existing object it is a conversion (CONVENTIONS 12: `other` under a new name), but
handed values written in the code (`np.asarray([1, 2, 3])`, a name bound to `(63, 1, 3, 145)`) it builds data in code,
a `load` (what-is-a-step.md, "Sources are steps"), and handed arrays side by side (`np.asarray((values, counts))`) a
`concat` (CONVENTIONS 13), as `np.array` of the same argument already was. Before, the first read as nothing, the
second as a conversion (`other`) and, with `dtype=`, as a type_cast of data that did not exist.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import pandas as pd\nimport numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
         "df = pd.read_csv('people.csv')\nX = df[['a', 'b']]\ny = df['y']\nm = LogisticRegression().fit(X, y)\n")

CASES = [
    ("a = np.asarray([1, 2, 3])", ["load"]),
    ("t = (63, 1, 3, 145)\na = np.asarray(t)", ["load"]),
    ("u = [[1, 2], [3, 4]]\na = np.asarray(u, dtype=float)", ["load"]),
    # a new instance written in the code, made an array and handed to the model
    ("input_data = (63, 1)\ninput_data = np.asarray(input_data)\nr = input_data.reshape(1, -1)\np = m.predict(r)",
     ["load", "other", "predict"]),
    ("vals, counts = np.unique(df['g'], return_counts=True)\npairs = np.asarray((vals, counts))", ["concat"]),
    # the same arguments through np.array read the same (unchanged)
    ("a = np.array([1, 2, 3])", ["load"]),
    ("t = (63, 1, 3, 145)\na = np.array(t)", ["load"]),
    # controls: one existing object converted stays a conversion
    ("a = np.asarray(X)", ["other"]),
    ("a = np.asarray(df['a'], dtype=float)", ["type_cast", "select_columns"]),
    ("X_tr, X_te = [np.asarray(Z) for Z in [X, X]]", []),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_array_making_conversion(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
