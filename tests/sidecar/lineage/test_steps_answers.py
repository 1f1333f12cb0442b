"""Answers stay answers when they are combined or rescaled (what-is-a-step.md, "Inspection is not a step": `.sum()`
/ `.mean()` of one column, `isnull().sum()`, `describe` "produce an answer to a question, not data that the analysis
goes on with"). Small hand-written cells."""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import FRAME, ops_after

SETUP = FRAME


ops_after_setup = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell", [
    "pd.concat([df.isnull().sum(), df.dtypes], axis=1)",
    "table = pd.concat([df.age.describe(), df.income.describe()], axis=1)",
    "total = df.isnull().sum().sort_values(ascending=False)\n"
    "share = (df.isnull().sum() / df.isnull().count()).sort_values(ascending=False)\n"
    "missing = pd.concat([total, share], axis=1, keys=['total', 'share'])\nmissing.head(20)",
    "ratio = df.income.sum() / df.spend.sum()",
])
def test_answers_put_side_by_side_or_divided_are_no_step(cell: str) -> None:
    assert ops_after_setup(cell) == []


@pytest.mark.parametrize("cell, expected", [
    ("both = pd.concat([df, df2])", ["concat"]),
    ("wide = pd.concat([df.groupby('city').age.mean(), df.groupby('city').income.sum()], axis=1)",
     ["aggregate", "aggregate", "concat"]),
    ("df['share'] = df.spend / df.spend.sum()", ["scale_normalize"]),
])
def test_tables_built_from_data_still_count(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


@pytest.mark.parametrize("cell", [
    "se = np.sqrt(df.income.var() / len(df))",
    "spread = np.log(df.income.max() / df.income.min())",
])
def test_numpy_arithmetic_on_answers_is_an_answer(cell: str) -> None:
    assert ops_after_setup("import numpy as np\n" + cell) == []


def test_numpy_arithmetic_on_data_still_derives() -> None:
    # (the root of one stored column is a rescale since the ninth pass, test_steps_pass9.py; of arithmetic it derives)
    assert ops_after_setup("import numpy as np\ndf['root'] = np.sqrt(df.income * df.age)") == ["derive_feature"]


def test_a_date_written_in_the_code_is_a_constant_not_data_parsed() -> None:
    assert ops_after_setup("cutoff = pd.to_datetime('1/1/1999')") == []
    assert ops_after_setup("df['when'] = pd.to_datetime(df['when'])") == ["datetime_parse"]


@pytest.mark.parametrize("cell", [
    "pd.concat([df.age, df.income], axis=1).corr()",
    "print(df.merge(df2, on='id').describe())",
    "importance = pd.DataFrame({'feature': df.columns, 'weight': model.feature_importances_})",
    "import statsmodels.formula.api as smf\nr1 = smf.ols('y ~ a', data=df).fit()\nr2 = smf.ols('y ~ b', data=df).fit()\n"
    "both = pd.concat([r1.params, r2.params], axis=1)",
])
def test_tables_made_to_be_looked_at_or_of_model_parameters_are_no_step(cell: str) -> None:
    # CONVENTIONS 6 (shown describe / corr are inspection) and 27 (tables built only from params, coef_,
    # feature_importances_ are not steps); the fits themselves still count
    assert [op for op in ops_after_setup(cell) if op != "fit_model"] == []


def test_a_shown_concat_still_counts() -> None:
    assert ops_after_setup("pd.concat([df, df2]).head()") == ["concat"]
