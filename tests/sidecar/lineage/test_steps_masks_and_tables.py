"""Masks kept to pick rows with, tables written two ways, and answers side by side (issue 10, precision), on small
hand-written cells:

- a boolean mask assigned to a name is not a step, whatever it computes to test the rows (CONVENTIONS 15: "boolean
  masks" are not steps); put into a column it is an indicator (CONVENTIONS 20), and the filter that uses it is the
  step (what-is-a-step.md: `df[mask].shape[0]` is inspection, a filtered frame assigned is `filter_rows`);
- `pd.DataFrame(dict(x=x, y=y))` is the table `pd.DataFrame({"x": x, "y": y})` is: the same op (CONVENTIONS 13);
- numbers about data written side by side in a list (`pd.DataFrame([df.mean(), df.std()])`) are an answer, as they
  are through `pd.concat` (what-is-a-step.md, Inspection);
- `df.name` of a pandas frame is its column "name" (polars' `.name` namespace belongs to expressions);
- a chain that ends in an export writes a file and shows nothing (CONVENTIONS 15: exports are not steps; 13: a table
  only packaging an argument is not a concat); a prediction in it still counts (CONVENTIONS 7);
- a reduction applied to each column (`df.apply(lambda c: c.isnull().sum())`) is the statistic `df.isnull().sum()`
  is, and an answer sorted or cut, or a table of a model's parameters, stays no step (CONVENTIONS 9, 10, 27);
- a dict built in code (`{k: i for ...}`, `dict(zip(...))`) maps categories as a dict literal does (CONVENTIONS 20),
  casts that only feed a combination of columns derive (CONVENTIONS 19), `astype("datetime64[ns]")` parses dates
  (CONVENTIONS 21);
- the positions where a mask holds (`idx = np.where(y == 1)[0]`) are the mask in another form: no step, and indexing
  by them picks rows (CONVENTIONS 15);
- `replace(["male", "female"], [0, 1])` is `replace({"male": 0, "female": 1})` (CONVENTIONS 20), and an indicator of a
  text pattern cast to numbers is the indicator (CONVENTIONS 20: a trailing astype is part of it);
- a value made in a loop only to be printed there is "a loop that prints groups": inspection (what-is-a-step.md);
  a column picked in a loop only to be drawn there is plot plumbing (CONVENTIONS 8);
- the same values cast twice in one statement are cast once (one step per statement for casts).
"""

from __future__ import annotations

from functools import partial

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

ops_after_setup = partial(ops_after, FRAME_AND_NUMPY)


# ---------------------------------------------------------------- masks
@pytest.mark.parametrize("cell", [
    "long_zips = df['zip'].str.len() > 5\ndf['zip'][long_zips].unique()",
    "dashes = df['zip'].str.contains('-').fillna(False)\nlen(df[dashes])",
    "m = (df.age > 5) & (df.income < 3)",
    "m = df.code.astype(str).str.contains('x')",
    "starts = df['code'].str.startswith('x')",
])
def test_a_mask_assigned_to_a_name_is_no_step_whatever_it_computes(cell: str) -> None:
    assert ops_after_setup(cell) == []


def test_the_filter_that_uses_a_mask_is_the_step() -> None:
    assert ops_after_setup("keep = df.age.notna() & (df.income > 0)\nclean = df[keep]") == ["filter_rows"]
    assert ops_after_setup("long_zips = df['zip'].str.len() > 5\ndf = df[long_zips]") == ["filter_rows"]


@pytest.mark.parametrize("cell, expected", [
    ("df['rich_adult'] = (df.age > 18) & (df.income > 100)", ["derive_feature"]),
    ("flag = (df.age > 18).astype(int)", ["derive_feature"]),
    ("df['n_chars'] = df['zip'].str.len()", ["derive_feature"]),
])
def test_a_condition_kept_as_data_still_derives(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


def test_a_thresholded_prediction_stays_a_prediction() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.linear_model import LogisticRegression\n" \
        "model = LogisticRegression().fit(df[['age']], df.y)\n"
    assert ops_after(setup, "pred = model.predict_proba(df[['age']])[:, 1] > 0.5") == ["predict"]


# ---------------------------------------------------------------- tables written two ways
@pytest.mark.parametrize("cell, expected", [
    ("x = np.random.normal(size=100)\nnoise = np.random.normal(size=100)\n"
     "t = pd.DataFrame(dict(x=x, y=2 * x + noise))", ["load", "load", "concat"]),
    ("t = pd.DataFrame(dict(age=df.age, income=df.income))", ["concat"]),
    ("t = pd.DataFrame(dict(a=[1, 2], b=['x', 'y']))", ["load"]),
])
def test_a_table_built_with_dict_is_the_table_built_with_braces(cell: str, expected: list[str]) -> None:
    braces = cell.replace("dict(x=x, y=2 * x + noise)", "{'x': x, 'y': 2 * x + noise}") \
        .replace("dict(age=df.age, income=df.income)", "{'age': df.age, 'income': df.income}") \
        .replace("dict(a=[1, 2], b=['x', 'y'])", "{'a': [1, 2], 'b': ['x', 'y']}")
    assert braces != cell
    assert ops_after_setup(cell) == ops_after_setup(braces) == expected


# ---------------------------------------------------------------- answers side by side
@pytest.mark.parametrize("cell", [
    "summary = pd.DataFrame([df.mean(), df.std()])",
    "counts = pd.Series([len(df), len(df.dropna())], index=['all', 'complete'])",
    "means = np.array([df.age.mean(), df.income.mean()])",
    "table = pd.DataFrame({'age': [df.age.mean(), df.age.std()], 'income': [df.income.mean(), 0]})",
    "table = pd.DataFrame([[df.age.mean(), df.age.std()], [df.income.mean(), df.income.std()]])",
    "uniq = pd.Series({c: df[c].nunique() for c in df.columns})",
])
def test_answers_written_side_by_side_in_a_list_are_an_answer(cell: str) -> None:
    assert ops_after_setup(cell) == []


@pytest.mark.parametrize("cell, expected", [
    ("both = pd.DataFrame([df.age, df.income])", ["concat"]),
    ("t = pd.DataFrame({'a': [1, 2], 'b': [3, 4]})", ["load"]),
    ("t = pd.DataFrame([[1, 2], [3, 4]])", ["load"]),
    ("squares = pd.Series([x ** 2 for x in range(10)])", ["load"]),
])
def test_data_in_a_list_is_still_data(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


# ---------------------------------------------------------------- a column named like an attribute
@pytest.mark.parametrize("cell, expected", [
    ("df['name_lower'] = df.name.str.lower()", ["text_clean"]),
    ("names = df.name", ["select_columns"]),
    ("label = df.age.name", []),
])
def test_df_name_is_the_column_name_of_a_pandas_frame(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected
    if cell.startswith("df["):
        assert ops_after_setup(cell.replace("df.name", "df['name']")) == expected


# ---------------------------------------------------------------- a table written to a file
@pytest.mark.parametrize("cell, expected", [
    ("df.groupby('city').income.sum().to_csv('totals.csv')", []),
    ("pd.DataFrame({'id': df.id, 'age': df.age}).to_csv('out.csv', index=False)", []),
])
def test_a_chain_ending_in_an_export_shows_nothing_and_packages_what_it_writes(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


def test_a_prediction_written_to_a_file_is_still_a_prediction() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.linear_model import LinearRegression\n" \
        "model = LinearRegression().fit(df[['age']], df.y)\n"
    assert ops_after(setup, "pd.DataFrame({'id': df.id, 'y': model.predict(df[['age']])}).to_csv('s.csv')") \
        == ["predict"]
    assert ops_after(setup, "sub = pd.DataFrame({'id': df.id, 'y': model.predict(df[['age']])})\n"
                            "sub.to_csv('s.csv')") == ["predict", "concat"]


# ---------------------------------------------------------------- statistics per column stay answers
@pytest.mark.parametrize("cell", [
    "missing = df.apply(lambda c: c.isnull().sum())",
    "spread = df.apply(np.std)",
    "from scipy.stats import skew\nskewed = df.apply(lambda x: skew(x.dropna())).sort_values(ascending=False)",
    "from scipy.stats import skew\nsk = df.apply(lambda x: skew(x.dropna()))\nsk = sk[abs(sk) > 0.75]",
])
def test_a_reduction_applied_to_each_column_is_a_statistic_as_the_method_is(cell: str) -> None:
    assert ops_after_setup(cell) == [] == ops_after_setup("missing = df.isnull().sum()")


@pytest.mark.parametrize("cell", [
    "row_mean = df.apply(np.mean, axis=1)",
    "n_a = df['text'].apply(lambda s: s.count('a'))",
    "double = df.age.apply(lambda v: v * 2)",
])
def test_a_function_applied_to_each_row_or_value_still_derives(cell: str) -> None:
    assert ops_after_setup(cell) == ["derive_feature"]


def test_an_answer_sorted_then_cut_stays_an_answer() -> None:
    assert ops_after_setup("miss = df.isnull().sum().sort_values(ascending=False)\nmiss = miss[miss > 0]") == []


def test_a_table_of_model_parameters_sorted_or_cut_is_no_step() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.linear_model import LinearRegression\n" \
        "model = LinearRegression().fit(df[['age', 'income']], df.y)\n"
    assert ops_after(setup, "imp = pd.Series(model.coef_, index=['age', 'income'])\nimp = imp[imp > 0]") == []
    assert ops_after(setup, "imp = pd.Series(model.coef_, index=['age', 'income'])\nimp = imp.sort_values()") == []


# ---------------------------------------------------------------- the op of what is computed, however it is written
@pytest.mark.parametrize("mapping", [
    "{'a': 0, 'b': 1}",
    "{k: i for i, k in enumerate(df.grade.unique())}",
    "dict(zip(df.grade.unique(), range(df.grade.nunique())))",
])
def test_a_column_mapped_through_a_dict_built_in_code_encodes_as_through_a_literal(mapping: str) -> None:
    assert ops_after_setup(f"codes = {mapping}\ndf['grade'] = df.grade.map(codes)") == ["encode_categorical"]


@pytest.mark.parametrize("cell", [
    "df['key'] = df.city.astype(str) + '_' + df.age.astype(str)",
    "key = df.city.astype(str) + df.age.astype(str)",
])
def test_casts_that_only_feed_a_combination_of_columns_derive(cell: str) -> None:
    assert ops_after_setup(cell) == ["derive_feature"]


def test_a_cast_of_one_column_stays_a_cast() -> None:
    assert ops_after_setup("df['age'] = df.age.astype(float)") == ["type_cast"]


def test_a_cast_to_datetime64_parses_dates_as_to_datetime_does() -> None:
    assert ops_after_setup("df['when'] = df['when'].astype('datetime64[ns]')") == ["datetime_parse"] \
        == ops_after_setup("df['when'] = pd.to_datetime(df['when'])")


# ---------------------------------------------------------------- positions where a mask holds
def test_positions_where_a_mask_holds_are_a_mask_and_pick_rows() -> None:
    assert ops_after_setup("idx = np.where(df.y == 1)[0]") == []
    assert ops_after_setup("pos = np.nonzero(df.y.values > 2)") == []
    assert ops_after_setup("idx = np.where(df.y == 1)[0]\nones = df.values[idx]") == ["filter_rows"] \
        == ops_after_setup("ones = df.values[df.y == 1]")


def test_np_where_with_values_still_derives() -> None:
    assert ops_after_setup("df['band'] = np.where(df.age > 40, 'old', 'young')") == ["derive_feature"]


@pytest.mark.parametrize("lists, literal, op", [
    ("df.sex.replace(['male', 'female'], [0, 1])", "df.sex.replace({'male': 0, 'female': 1})", "encode_categorical"),
    ("df.sex.replace(['M', 'F'], ['male', 'female'])", "df.sex.replace({'M': 'male', 'F': 'female'})", "text_clean"),
])
def test_replace_written_as_two_lists_is_replace_with_a_dict(lists: str, literal: str, op: str) -> None:
    assert ops_after_setup(f"df['sex'] = {lists}") == ops_after_setup(f"df['sex'] = {literal}") == [op]


def test_an_indicator_of_a_text_pattern_cast_to_numbers_derives_as_the_pattern_does() -> None:
    assert ops_after_setup("df['is_mr'] = df.name.str.contains('Mr').astype(int)") == ["derive_feature"] \
        == ops_after_setup("df['is_mr'] = df.name.str.contains('Mr')")


# ---------------------------------------------------------------- a loop that prints groups
@pytest.mark.parametrize("cell", [
    "for k in df.city.unique():\n    sub = df[df.city == k]\n    print(k, len(sub), sub.age.mean())",
    "for c in ['age', 'income']:\n    vals = df[c].dropna()\n    print(c, vals.mean(), vals.std())",
])
def test_a_loop_that_prints_groups_is_inspection(cell: str) -> None:
    assert ops_after_setup(cell) == []


@pytest.mark.parametrize("cell, expected", [
    ("for c in ['age', 'income']:\n    df[c] = df[c].fillna(0)\n    print(c, df[c].mean())", ["impute_missing"]),
    ("for k in df.city.unique():\n    sub = df[df.city == k]\n    print(k, len(sub))\nlast = sub.age",
     ["filter_rows", "select_columns"]),
])
def test_a_loop_that_prepares_data_is_still_steps(cell: str, expected: list[str]) -> None:
    assert ops_after_setup(cell) == expected


def test_the_same_values_cast_twice_in_one_statement_are_cast_once() -> None:
    assert ops_after_setup("df['year'] = df.date.astype(str).str[:4].astype(int)") == ["type_cast", "text_clean"]
    # rows kept before and after an aggregation are two filters
    assert ops_after_setup("top = df[df.age > 5].groupby('city').income.sum().sort_values().head()") \
        == ["filter_rows", "aggregate", "sort", "filter_rows"]


def test_a_column_picked_in_a_loop_only_to_be_drawn_there_is_plot_plumbing() -> None:
    setup = FRAME_AND_NUMPY + "import seaborn as sns\n"
    assert ops_after(setup, "for c in ['age', 'income']:\n    values = df[c]\n    sns.histplot(x=values)") == []
    # outside a loop the name may be the data later cells use (X = data['X'], then drawn): still a selection
    assert ops_after(setup, "values = df['age']\nsns.histplot(x=values)") == ["select_columns"]
