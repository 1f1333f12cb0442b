"""Rules of the eighth pass on the tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md or
CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- columns dropped inside another call's argument are a `drop_columns` step (CONVENTIONS 18: "`drop(columns=…)`,
  `del` and `pop` are `drop_columns`"; only *selections* inside an argument are none), except when the columns
  dropped are the target the same call is handed beside them (`fit(df.drop("y", axis=1), df["y"])`): that drop only
  separates features from target, the same pick as `fit(df[features], df["y"])`. `pop` changes its receiver, so it
  is a step wherever it is written.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

STATSMODELS = FRAME_AND_NUMPY + "import statsmodels.api as sm\nfrom sklearn.model_selection import train_test_split\n"


@pytest.mark.parametrize("cell, ops", [
    # a dummy column dropped to leave a reference category, inside the fit
    ("res = sm.OLS(df.wage, dummies.drop(dummies.columns[0], axis=1)).fit()", ["drop_columns", "fit_model"]),
    # columns dropped from the table joined in
    ("people = people.join(df.drop(['age', 'city'], axis=1))", ["drop_columns", "join"]),
    # a constant added around a table with one column dropped
    ("Xc = sm.add_constant(df.drop('id', axis=1))", ["drop_columns", "derive_feature"]),
    # pop takes the column out of df while handing it over
    ("idx = pd.PeriodIndex(year=df.pop('year'), quarter=df.pop('quarter'), freq='Q')",
     ["drop_columns", "drop_columns", "datetime_parse"]),
])
def test_columns_dropped_inside_an_argument_are_a_step(cell: str, ops: list[str]) -> None:
    setup = STATSMODELS + "people = pd.read_csv('p.csv')\ndummies = pd.get_dummies(df.city)\n"
    assert sorted(ops_after(setup, cell)) == sorted(ops)


@pytest.mark.parametrize("cell, ops", [
    # the target dropped and handed beside: features separated from target, no step of its own
    ("X_tr, X_te, y_tr, y_te = train_test_split(df.drop('y', axis=1), df['y'], test_size=0.2)", ["split"] * 4),
    ("res = sm.OLS(df['y'], df.drop(columns=['y'])).fit()", ["fit_model"]),
    # a selection inside an argument stays none (CONVENTIONS 18)
    ("res = sm.OLS(df['y'], df[['a', 'b']]).fit()", ["fit_model"]),
    # an assigned drop is a step as before
    ("X = df.drop('y', axis=1)", ["drop_columns"]),
])
def test_a_target_dropped_and_handed_beside_is_no_step(cell: str, ops: list[str]) -> None:
    assert sorted(ops_after(STATSMODELS, cell)) == sorted(ops)
