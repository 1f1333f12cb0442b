"""The seventeenth pass (issue 10), recall: steps the classifier missed on the tuning notebooks (labelled X, predicted
none), grouped by cause, largest generic cause first. Each row is a cell written the way such notebooks write it and
the ops the definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up lines that make
what it reads (the set-up's own steps are not counted). Every group has controls: cells that look alike and keep
their ops.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('churn.csv')\n"
FITTED = PD + "from sklearn.model_selection import train_test_split\n" \
    "from sklearn.linear_model import LogisticRegression\n" \
    "X_train, X_test, y_train, y_test = train_test_split(df[['a', 'b']], df['y'])\n" \
    "m = LogisticRegression().fit(X_train, y_train)\n" \
    "y_train_pred = m.predict(X_train)\ny_test_pred = m.predict(X_test)\n"


def ops_after(setup: str, cell: str) -> list[str]:
    """The ops of `cell` run after `setup`, without the steps of `setup` itself."""
    return [step.op for step in classify_steps(setup + cell)][len(classify_steps(setup)):]


# CONVENTIONS 19 ("A column assignment takes the op of its calculation only: ... `.astype` is type_cast, ... `a * b`
# is derive_feature") with 21 ("`astype` ... are type_cast"): arithmetic that makes a column, then cast
# (`((df.t // 3600) % 24).astype(int)`, `round(df.a / df.b).astype(int)`) is two calculations, the feature and its
# cast. Controls: an indicator's cast is part of the indicator (20: "a trailing astype ... is part of that step"), a
# cast of a stored column is only a cast, casts that feed a combination of text only compute it.
CAST_AFTER_ARITHMETIC = [
    (PD, "df['hour'] = ((df['Time'] // 3600) % 24).astype(int)", ["derive_feature", "type_cast"]),
    (PD, "df['n_items'] = round(df['Purchase'] / df['Price']).astype(int)", ["derive_feature", "type_cast"]),
    (PD, "df['pct'] = np.floor(df['share'] * 100).astype(int)", ["derive_feature", "type_cast"]),
    (PD, "df.loc[:, 'age_years'] = (df['age_days'] / 365.25).astype(int)", ["derive_feature", "type_cast"]),
    # controls
    (PD, "df['is_high'] = (df['amount'] > 100).astype(int)", ["derive_feature"]),
    (PD, "df['big'] = (df['a'] + df['b'] > 10).astype(int)", ["derive_feature"]),
    (PD, "df['both_missing'] = (df['a'].isna() & df['b'].isna()).astype(int)", ["derive_feature"]),
    (PD, "df['a'] = df['a'].astype(int)", ["type_cast"]),
    (PD, "df['key'] = df['a'].astype(str) + '_' + df['b'].astype(str)", ["derive_feature"]),
    (PD, "df['band'] = (df['a'] // 10).astype('category')", ["derive_feature"]),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("cast_after_arithmetic", CAST_AFTER_ARITHMETIC),
))
def test_missed_steps_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
