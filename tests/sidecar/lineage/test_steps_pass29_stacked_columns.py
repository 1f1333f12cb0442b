"""Twenty-ninth pass (issue 10, acc56): NumPy makers that put their pieces in rows, transposed at once
(`np.array((values, counts)).T`, `np.asarray(...)`, `np.vstack((a, b)).T`), stack the pieces as columns, what
`np.column_stack` does: one `concat` (CONVENTIONS 13), the transpose part of it, as the tuning labels have it
(mouselab-scarcity__preprocessing 46), not a concat and a `reshape` (kb.sources.ROW_STACKING_CONSTRUCTORS). Controls:
a pandas table built and then turned on its side, and a table transposed alone, stay reshapes (CONVENTIONS 12).
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\n"

CASES = [
    ("vals, counts = np.unique(df['g'], return_counts=True)\npairs = np.array((vals, counts)).T", ["concat"]),
    ("vals, counts = np.unique(df['g'], return_counts=True)\npairs = np.asarray((vals, counts)).T", ["concat"]),
    ("ab = np.vstack((df['a'].values, df['b'].values)).T", ["concat"]),
    # controls
    ("a = df['a'].values\nb = df['b'].values\nfake = pd.DataFrame([a, b]).transpose()",
     ["select_columns", "select_columns", "concat", "reshape"]),
    ("flipped = df.T", ["reshape"]),
    ("ab = np.column_stack((df['a'].values, df['b'].values))", ["concat"]),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_stacked_as_columns(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
