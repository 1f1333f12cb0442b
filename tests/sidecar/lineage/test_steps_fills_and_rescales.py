"""Fills and rescalings however they are written (what-is-a-step.md, "Op choices"):

- line 37: "`fillna`, `SimpleImputer`, assigning a value where a column is null: `impute_missing`";
- line 38: "Scalers, `np.log` / `FunctionTransformer(np.log)` applied to a feature or a target: `scale_normalize`".

Each case is a small hand-written cell; the counter-cases keep what is NOT a fill or a rescaling where it was.
"""

from __future__ import annotations

from functools import partial

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import ops_after

SETUP = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\narr = np.loadtxt('a.txt')\n"


ops_after_setup = partial(ops_after, SETUP)


@pytest.mark.parametrize("cell", [
    # a value assigned through a mask of the column's own gaps, written without .loc
    "df.age[df.age.isnull()] = 30",
    "df['age'][df['age'].isna()] = 30",
    "arr[np.isnan(arr)] = 0",
    # missing values replaced by a value
    "df['port'] = df['port'].replace(np.nan, 'S')",
    "df['port'] = df['port'].replace({np.nan: 'S'})",
    # a value put only where the column is missing, the column kept elsewhere
    "df['age'] = np.where(df.age.isnull(), 30, df.age)",
    "df['age'] = np.where(df['age'].notna(), df['age'], 30)",
    "df['age'] = df['age'].where(df.age.notnull(), 30)",
    "df['age'] = df['age'].mask(df['age'].isna(), 30)",
    # a function applied value by value that returns a value for a gap and the value itself otherwise
    "df['deck'] = df['deck'].apply(lambda d: 'U' if pd.isnull(d) else d)",
    "def guess_age(row):\n    age = row[0]\n    if pd.isnull(age):\n        return 30\n    return age\n"
    "df['age'] = df[['age', 'cls']].apply(guess_age, axis=1)",
])
def test_a_value_put_into_the_gaps_is_impute_missing(cell: str) -> None:
    assert ops_after_setup(cell) == ["impute_missing"]


@pytest.mark.parametrize("cell, op", [
    # another column written where one is missing: that column is made, nothing is filled
    ("df.loc[df.age.isnull(), 'age_unknown'] = 1", "derive_feature"),
    # a value for present entries too: an indicator, not a fill
    ("df['has_deck'] = df['deck'].apply(lambda d: 0 if pd.isnull(d) else 1)", "derive_feature"),
    ("df['young'] = np.where(df.age < 18, 1, 0)", "derive_feature"),
    # a placeholder turned INTO a gap is text work, as before (CONVENTIONS 29)
    ("df['zip'] = df['zip'].replace('?', np.nan)", "text_clean"),
])
def test_what_is_not_a_fill_keeps_its_op(cell: str, op: str) -> None:
    assert ops_after_setup(cell) == [op]


@pytest.mark.parametrize("cell", [
    "df['log_income'] = df['income'].apply(np.log)",
    "df['income'] = df['income'].transform(np.log1p)",
    "df_z = df[['a', 'b']].apply(lambda c: (c - c.mean()) / c.std())",
    "df[['a', 'b']] = df[['a', 'b']].apply(lambda c: (c - c.min()) / (c.max() - c.min()))",
])
def test_a_rescaling_applied_by_reference_or_lambda_is_scale_normalize(cell: str) -> None:
    assert ops_after_setup(cell)[-1] == "scale_normalize"
    assert "derive_feature" not in ops_after_setup(cell)


def test_other_functions_applied_still_derive() -> None:
    assert ops_after_setup("df['root'] = df['income'].apply(np.sqrt)") == ["derive_feature"]
    assert ops_after_setup("df['band'] = df['income'].apply(lambda v: v // 1000)") == ["derive_feature"]


@pytest.mark.parametrize("cell", [
    "mu = arr.mean(axis=0)\nsigma = arr.std(axis=0)\narr_z = (arr - mu) / sigma",
    "centre = np.mean(arr, axis=0)\nspread = np.std(arr, axis=0)\narr_z = (arr - centre) / spread",
    "arr_c = arr - np.mean(arr, axis=0)",
])
def test_standardising_with_named_statistics_is_one_scale_normalize(cell: str) -> None:
    # the statistics are parameters of the standardisation, part of its step (CONVENTIONS 9 and 23)
    assert ops_after_setup(cell) == ["scale_normalize"]


def test_a_named_statistic_from_an_earlier_cell_still_makes_a_standardisation() -> None:
    from trackit_sidecar.lineage.steps import collect_aliases
    aliases = collect_aliases(SETUP + "mu = arr.mean(axis=0)\nsigma = arr.std(axis=0)")
    assert [s.op for s in classify_steps("arr_z = (arr - mu) / sigma", aliases)] == ["scale_normalize"]
    assert [s.op for s in classify_steps("ratio = arr / sigma", aliases)] != ["scale_normalize"]


def test_rescaling_a_variable_by_a_number_is_the_same_step_however_it_is_written() -> None:
    # `X /= 255` was already scale_normalize; `X = X / 255` is the same operation (issue 10 item 3: same code, same op)
    assert ops_after_setup("arr /= 255") == ops_after_setup("arr = arr / 255.") == ["scale_normalize"]
    assert ops_after_setup("arr = arr * 0.5") == ["scale_normalize"]
    assert ops_after_setup("half = arr / 2") == []  # a new name computed from one variable: as before


def test_a_computed_fill_into_a_copy_of_the_column_is_impute_missing() -> None:
    cell = "medians = df.groupby('cls').age.median()\ndf['age_fill'] = df['age']\n" \
           "df.loc[df.age.isnull() & (df.cls == 1), 'age_fill'] = medians[1]"
    assert ops_after_setup(cell)[-1] == "impute_missing"


@pytest.mark.parametrize("cell", [
    "standardize = lambda x: (x - x.mean()) / x.std()\ndf['z'] = standardize(df['income'])",
    "standardize = lambda x: (x - x.mean()) / x.std()\ndf = df.assign(**{c: standardize(df[c]) for c in ['a', 'b']})",
    "zs = lambda x: (x - x.mean()) / x.std()\ndf['z'] = df['income'].apply(zs)",
])
def test_a_named_lambda_that_rescales_rescales_where_it_is_called(cell: str) -> None:
    assert ops_after_setup(cell) == ["scale_normalize"]


@pytest.mark.parametrize("cell", [
    "from sklearn.preprocessing import Imputer\nimp = Imputer(strategy='mean')\nX = imp.fit_transform(df)",
    "df = df.replace({'age': {np.nan: 30}})",
])
def test_older_and_nested_ways_to_fill_are_impute_missing(cell: str) -> None:
    assert ops_after_setup(cell) == ["impute_missing"]


@pytest.mark.parametrize("cell, op", [
    ("df = df.assign(log_income=np.log(df.income))", "scale_normalize"),
    ("df = df.assign(when=pd.to_datetime(df.when))", "datetime_parse"),
    ("df = df.assign(ratio=df.a / df.b)", "derive_feature"),
])
def test_a_library_function_inside_assign_gives_the_op_it_gives_in_a_column_assignment(cell: str, op: str) -> None:
    assert ops_after_setup(cell) == [op]
