"""Problems a notebook does not show: a conversion that made values missing, a join that repeated rows, a scaler
fitted on rows a later split sets apart for testing (in one statement or two), a fill with a median of every row before
cross-validation.

Run for real: a notebook through `trackit run` (a real ipykernel, the probe's facts, a real DuckDB file), then
`trackit summarize`. Each silent change is listed once under Problems; each look-alike that is not one is not.
"""

from __future__ import annotations

import pytest

from ..recorded_notebook import problems_section, record_notebook, trackit

CELLS = [
    # 1
    "import pandas as pd\nimport polars as pl\n"
    "people = pd.DataFrame({'id': [1, 2, 3, 4], 'age': ['31', 'n/a', '40', '?'], 'born': ['2001-02-03', 'x', "
    "'1999-12-31', '2000-01-01']})\n"
    "visits = pd.DataFrame({'id': [1, 1, 2, 3, 3, 3], 'page': list('abcdef')})\n"
    "cities = pd.DataFrame({'id': [1, 2, 3, 4], 'city': list('wxyz')})",
    # 2: two unreadable ages become NaN without an error
    "people['age'] = pd.to_numeric(people['age'], errors='coerce')",
    # 3: one unreadable date becomes NaT
    "people['born'] = pd.to_datetime(people['born'], errors='coerce')",
    # 4: a cast that loses nothing
    "people['id'] = people['id'].astype('float64')",
    # 5: a left join whose keys repeat on the right: 4 rows -> 7
    "per_visit = people.merge(visits, on='id', how='left')",
    # 6: the same join, asked to be one-to-many: meant
    "checked = people.merge(visits, on='id', how='left', validate='1:m')",
    # 7: one row per key on the right: 4 rows stay 4
    "located = pd.merge(people, cities, on='id')",
    # 8: an outer join may add rows of the right table: not a repetition
    "everyone = people.merge(visits, on='id', how='outer')",
    # 9: polars, inner by default: 4 rows -> 6
    "pv = pl.from_pandas(visits)\npp = pl.DataFrame({'id': [1, 2, 3, 4]})\njoined = pp.join(pv, on='id')",
    # 10, 11: fitted on every row, then split: the test rows are in what the scaler learned
    "from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
    "nums = per_visit[['id']]\nscaled = StandardScaler().fit_transform(nums)",
    "s_train, s_test = train_test_split(scaled, test_size=0.5, random_state=0)",
    # 12: split first, fitted on the training part: as it should be
    "n_train, n_test = train_test_split(nums, test_size=0.5, random_state=0)\n"
    "n_train = StandardScaler().fit_transform(n_train)",
    # 13, 14, 15: fitted on every row in one cell, applied in another, then split
    "scaler = StandardScaler()\nscaler.fit(nums)",
    "fitted = scaler.transform(nums)",
    "f_train, f_test = train_test_split(fitted, test_size=0.5, random_state=0)",
    # 16, 17: a median of every row, computed into a name, fills the gaps; then the rows are cross-validated
    "m = per_visit['age'].median()\nper_visit['age'] = per_visit['age'].fillna(m)",
    "from sklearn.model_selection import cross_val_score\nfrom sklearn.linear_model import LinearRegression\n"
    "scores = cross_val_score(LinearRegression(), per_visit[['age']], per_visit['id'], cv=2)",
    # 18, 19: fitted on the training part, applied to the test part, which is split again: nothing learned from it
    "x_tr, x_te = train_test_split(nums, test_size=0.5, random_state=0)\nsc = StandardScaler().fit(x_tr)\n"
    "x_te = sc.transform(x_te)",
    "a_part, b_part = train_test_split(x_te, test_size=0.5, random_state=0)",
]


@pytest.fixture(scope="module")
def problems(tmp_path_factory):
    folder = tmp_path_factory.mktemp("silent")
    notebook, ran = record_notebook(folder, CELLS, folder / "t.duckdb", "silent.ipynb")
    assert "error" not in ran
    lineage = trackit("lineage", str(notebook), "--db", str(folder / "t.duckdb"), cwd=folder)
    return problems_section(notebook, folder / "t.duckdb"), lineage.stdout


def test_a_conversion_that_made_values_missing_is_a_problem_with_its_count(problems):
    section, tree = problems
    assert "could not convert 2 values of `age`; they are now missing [cell 2]" in section
    assert "could not convert 1 value of `born`; it is now missing [cell 3]" in section
    assert "missing values 0 \u2192 2 (2 values of `age` did not convert)" in tree
    assert "[cell 4]" not in section  # a cast that lost nothing


def test_a_join_that_repeated_rows_of_its_left_table_is_a_problem(problems):
    section, _ = problems
    assert ("gave 7 rows from the 4 of `people`: some keys match more than one row of `visits`, so rows of `people` "
            "were repeated [cell 5]") in section
    assert "gave 6 rows from the 4 of `pp`" in section and "[cell 9]" in section  # polars, inner by default
    for meant in ("were repeated [cell 6]", "[cell 7]", "[cell 8]"):  # validated, one match per key, outer
        assert meant not in section


def test_a_scaler_fitted_before_the_split_is_train_test_leakage(problems):
    section, _ = problems
    assert ("`scaled = StandardScaler().fit_transform(nums)` fitted `StandardScaler` on every row before "
            "`train_test_split` set test rows apart, so the test rows' values went into the training data (train/test "
            "leakage) [cells 10, 11]") in section
    assert "[cell 12]" not in section


def test_a_scaler_fitted_in_one_cell_and_applied_in_another_before_the_split_is_train_test_leakage(problems):
    section, _ = problems
    assert ("`fitted = scaler.transform(nums)` applied `scaler` (a `StandardScaler`), fitted on every row of `nums`, before "
            "`train_test_split` set test rows apart, so the test rows' values went into the training data (train/test "
            "leakage) [cells 13, 14, 15]") in section
    for meant in ("[cell 18", "cell 19]", "18, 19"):  # fitted on the training part only
        assert meant not in section


def test_a_median_computed_into_a_name_then_cross_validated_is_leakage_across_folds(problems):
    section, _ = problems
    assert ("`per_visit['age'] = per_visit['age'].fillna(m)` filled with `m`, the median taken from every row of "
            "`per_visit`, before `cross_val_score` cross-validated on it, so each fold's test rows' values went into "
            "the data its model was trained on (leakage across cross-validation folds) [cells 16, 17]") in section
