"""Twenty-ninth pass (issue 10, acc56): polars' `pl.when(cond).then(a).otherwise(b)` with two values written in the
code is the condition as two values, as `np.where(cond, 1, 0)` is, so CONVENTIONS 20 decides it the same way: an
indicator of a category value (`pl.col("sex") == "male"`) is `encode_categorical`, of a numeric condition
`derive_feature` (classify/indicators.py). It read as derive_feature whatever it tested. Controls: a numeric
condition, and a `then` that takes a column's values (not an indicator), stay derive_feature; the pandas / NumPy forms
are unchanged.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

SETUP = ("import pandas as pd\nimport numpy as np\nimport polars as pl\ndf = pd.read_csv('people.csv')\n"
         "pdf = pl.read_csv('people.csv')\n")

CASES = [
    ("pdf = pdf.with_columns(pl.when(pl.col('sex') == 'male').then(1).otherwise(0).alias('sex'))",
     ["encode_categorical"]),
    ("pdf = pdf.with_columns(pl.when(pl.col('sex') == 'male').then(pl.lit(1)).otherwise(pl.lit(0)).alias('is_male'))",
     ["encode_categorical"]),
    ("pdf = pdf.with_columns(is_male=pl.when(pl.col('sex') == 'male').then(1).otherwise(0))", ["encode_categorical"]),
    # controls: a numeric condition derives; a column's values kept under the condition are no indicator
    ("pdf = pdf.with_columns(pl.when(pl.col('age') > 60).then(1).otherwise(0).alias('old'))", ["derive_feature"]),
    ("pdf = pdf.with_columns(pl.when(pl.col('sex') == 'male').then(pl.col('a')).otherwise(0).alias('x'))",
     ["derive_feature"]),
    # the pandas and NumPy forms the rule follows (unchanged)
    ("df['sex'] = np.where(df['sex'] == 'male', 1, 0)", ["encode_categorical"]),
    ("df['old'] = np.where(df['age'] > 60, 1, 0)", ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", CASES, ids=[c[0][:70] for c in CASES])
def test_polars_indicator(cell: str, expected: list[str]) -> None:
    assert ops_after(SETUP, cell + "\n") == expected
