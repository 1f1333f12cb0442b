"""The twentieth pass (acc36, issue 10): column subsets and row filters written in ways the classifier missed, found in
fresh material (Packt's Python Data Cleaning Cookbook, both editions, and its Best Practices book; the bpb Data
Cleaning book; tutorials and newsroom notebooks) and checked in other public code (`find_string`). Rows are cells
written the way the sources write them, after set-up lines whose own steps are not counted; every group has negative
controls.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('data.csv')\n"
PL = "import polars as pl\ndf = pl.read_csv('data.csv')\n"


# CONVENTIONS 18: "`X = df[cols]`, `select_dtypes`, `.loc[:, cols]` ... are `select_columns`". A boolean mask over the
# columns, made from a statistic of each column's values, picks columns in `.loc[:, ...]` as a list of names does:
# constant columns (`df.loc[:, df.nunique() > 1]`), low-variance ones (`X.var() > 0.01`), all-zero ones
# (`(df != 0).any(axis=0)`); each is written in 10 of 10 `find_string` hits of other public code, as a cleaning step
# ("# Drop columns where all values are exactly 0", "# columnas constantes"). They read no step. A column with no value
# at all (`~df.isna().all()`, `df.notna().any()`) is dropped as `dropna(axis=1, how="all")` drops it: drop_missing, as
# `df.loc[:, df.isnull().mean() < 0.5]` already reads. Repeated labels (`~df.columns.duplicated()`, 10 of 10 hits)
# are columns dropped by a test of their labels, as `~df.columns.str.contains("^Unnamed")` already reads
# (drop_columns). Controls: a statistic per ROW (`axis=1`) in the rows' place stays a row filter, a shown selection
# stays inspection (CONVENTIONS 6), and the label tests read as before.
COLUMN_MASKS = [
    (PD, "df = df.loc[:, df.nunique() > 1]", ["select_columns"]),
    (PD, "X = df.drop(columns=['y'])\nX = X.loc[:, X.var() > 0.01]", ["drop_columns", "select_columns"]),
    (PD, "df = df.loc[:, df.std() > 0]", ["select_columns"]),
    (PD, "df = df.loc[:, (df != 0).any(axis=0)]", ["select_columns"]),
    (PD, "df_new = df.loc[:, (df != 0).any()]", ["select_columns"]),
    (PD, "def fix_invariance(d):\n    return d.loc[:, d.nunique() > 1]\nclean = fix_invariance(df)", ["select_columns"]),
    (PD, "df = df.loc[:, ~df.isna().all()]", ["drop_missing"]),
    (PD, "df = df.loc[:, df.notna().any()]", ["drop_missing"]),
    (PD, "df = df.loc[:, ~df.columns.duplicated()]", ["drop_columns"]),
    # controls
    (PD, "df = df.loc[:, df.isnull().mean() < 0.5]", ["drop_missing"]),
    (PD, "df = df.loc[:, ~df.columns.str.contains('^Unnamed')]", ["drop_columns"]),
    (PD, "X = df.loc[:, df.columns != 'target']", ["select_columns"]),
    (PD, "df = df.loc[df.sum(axis=1) > 0]", ["filter_rows"]),
    (PD, "df.loc[:, df.nunique() > 1].head()", []),
    (PD, "n_constant = (df.nunique() == 1).sum()", []),
]


@pytest.mark.parametrize("setup,cell,expected", COLUMN_MASKS)
def test_column_masks(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# what-is-a-step.md: a row filter is a step; `np.logical_and(a, b)` / `np.logical_or` / `np.logical_not` are NumPy's
# spelling of `&` / `|` / `~` (`find_string` hits index frames and arrays by them, or assign through them:
# `creatinine[np.logical_and(creatinine['charttime'] < ..., ...)]`, `batch[np.logical_and(higgs, presel)]`).
# `df[np.logical_and(...)]` read no step while `df.loc[np.logical_and(...)]` read filter_rows; a present-value test
# under `np.logical_not` is drop_missing as under `~` (CONVENTIONS 29). Controls: the same mask kept under a name or
# as a column (CONVENTIONS 15: masks are no steps; 19: a column made of a condition is derive_feature), and a count of
# the kept rows (inspection) read as before.
LOGICAL_FUNCTIONS = [
    (PD, "sub = df[np.logical_and(df.a > 0, df.b < 1)]", ["filter_rows"]),
    (PD, "sub = df[np.logical_or(df.kind == 'x', df.kind == 'y')]", ["filter_rows"]),
    (PD, "df = df[np.logical_not(df.a.isna())]", ["drop_missing"]),
    (PD, "inside = df[np.logical_and(df['t'] < df['out'], df['t'] > df['in'])]", ["filter_rows"]),
    # controls
    (PD, "sub = df.loc[np.logical_and(df.a > 0, df.b < 1)]", ["filter_rows"]),
    (PD, "mask = np.logical_and(df.a > 0, df.b < 1)", []),
    (PD, "df['flag'] = np.logical_and(df.a > 0, df.b < 1)", ["derive_feature"]),
    (PD, "n = df[np.logical_and(df.a > 0, df.b < 1)].shape[0]", []),
    (PD, "sub = df[(df.a > 0) & (df.b < 1)]", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", LOGICAL_FUNCTIONS)
def test_logical_functions(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 29: "A `notnull()`/`~isna()` row filter is `drop_missing`". Polars keeps NaN apart from null, and
# `df.filter(pl.col("x").is_not_nan())` (8 of 10 `find_string` hits are such filters:
# `data.filter(pl.col("obs_mobility").is_not_nan())`, `pl.concat(frames).filter(pl.col("return").is_not_nan())`) read
# filter_rows where `.is_not_null()` reads drop_missing. Controls: keeping the NaN rows is a filter (as
# `df[df.a.isnull()]` is), a condition joined with another test stays filter_rows, and an indicator column stays
# derive_feature.
POLARS_NAN_TESTS = [
    (PL, "df = df.filter(pl.col('obs').is_not_nan())", ["drop_missing"]),
    # controls
    (PL, "df = df.filter(~pl.col('obs').is_nan())", ["drop_missing"]),
    (PL, "df = df.filter(pl.col('obs').is_not_null())", ["drop_missing"]),
    (PL, "nan_rows = df.filter(pl.col('obs').is_nan())", ["filter_rows"]),
    (PL, "df = df.filter(pl.col('obs').is_not_nan() & (pl.col('b') > 0))", ["filter_rows"]),
    (PL, "df = df.with_columns(pl.col('obs').is_nan().alias('obs_missing'))", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", POLARS_NAN_TESTS)
def test_polars_nan_tests(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 30: "`sample`, permutation and bootstrap resampling are `sample`"; what-is-a-step.md: "A bare
# `groupby(...)` with no aggregation is not a step". `df.groupby("label").sample(n=100)` draws rows from each group
# (a stratified or balanced sample; 10 of 10 `find_string` hits of `.groupby('label').sample(`, e.g. "taking 100
# samples from each class") and read aggregate + sample, where `groupby(k).head(n)` reads its one row op. Controls: an
# applied function drawing rows stays as it read, a polars aggregation of drawn values stays aggregate.
GROUPED_SAMPLES = [
    (PD, "df = df.groupby('label').sample(n=100, random_state=42)", ["sample"]),
    (PD, "balanced_df = df.groupby('label').sample(n=500, random_state=42)\n"
         "X = balanced_df.drop('label', axis=1)", ["sample", "drop_columns"]),
    (PD, "d = df.groupby('label')['text'].sample(5)", ["sample"]),
    # controls
    (PD, "firsts = df.groupby('label').head(3)", ["filter_rows"]),
    (PD, "per_label = df.groupby('label').size()", ["aggregate"]),
    (PL, "s = df.group_by('k').agg(pl.col('v').sample(2))", ["aggregate"]),
]


@pytest.mark.parametrize("setup,cell,expected", GROUPED_SAMPLES)
def test_grouped_samples(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 18 ("`X = df[cols]` ... are `select_columns`"; a polars `select` of plain columns selects, CONVENTIONS
# 24): names taken from a polars frame's own labels (`df.select(df.columns[1:])`, 4 of 10 `find_string` hits are
# polars: `data = df.select(df.columns[1:]).to_numpy()`, `df = df.select(df.columns[1:])`, the rest PySpark's same
# spelling) read derive_feature, as if an expression were computed; so did a comprehension over them, another frame's
# labels and a list of names joined with `+`. Controls: an expression computed per name (a cast, arithmetic) keeps its
# op, a mixed select keeps both ops, a plain list of names stays select_columns.
POLARS_LABEL_SELECTS = [
    (PL, "df = df.select(df.columns[1:])", ["select_columns"]),
    (PL, "X = df.select(df.columns[:-1]).to_numpy()", ["select_columns"]),
    (PL, "features = df.select([c for c in df.columns if c != 'id'])", ["select_columns"]),
    (PL, "cols = ['a', 'b']\nsub = df.select(cols + ['c'])", ["select_columns"]),
    (PL, "other = pl.read_csv('other.csv')\nrow = other.select(df.columns)", ["load", "select_columns"]),
    # controls
    (PL, "cols = ['a', 'b']\nflt = df.select(['id'] + [pl.col(c).cast(pl.Float64) for c in cols])", ["type_cast"]),
    (PL, "cols = ['a', 'b']\ntwice = df.select([pl.col(c) * 2 for c in cols])", ["derive_feature"]),
    (PL, "cols = ['a', 'b']\nsub = df.select(cols)", ["select_columns"]),
    (PL, "doubled = df.select(pl.col('a') * 2)", ["derive_feature"]),
    (PL, "mixed = df.select(['a', pl.col('b').mean()])", ["select_columns", "derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", POLARS_LABEL_SELECTS)
def test_polars_label_selects(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 18 (`.loc[:, cols]` selects; `.iloc[:, 1:]` positions too) and 30 (`iloc[:n]` rows by position are
# filter_rows): NumPy's index trick `np.r_[1:7, 11, 13:17]` joins several ranges of positions (10 of 10 `find_string`
# hits of `.iloc[:, np.r_[`, e.g. `X = dataset.iloc[:, np.r_[1:7, 11, 13:17]].values` for the predictors) and read no
# step (or `other` with `.values`). Tests of the labels joined with `|` / `&` in `.loc[:, ...]` (10 of 10 hits of
# `) | df.columns.str.`, e.g. `df.loc[:, df.columns.str.startswith('ENSM') | df.columns.str.startswith('SampleID')]`)
# read no step where one test reads select_columns (negated: drop_columns; 4 of the hits are in `.loc[:, ...]`).
# Controls: one position stays as it read; a selection only feeding a call's argument is no step of its own
# (CONVENTIONS 18); a label test joined with a test of another kind is left alone.
POSITION_RANGES_AND_LABEL_TESTS = [
    (PD, "data = df.iloc[:, np.r_[0:15, 19:25]]", ["select_columns"]),
    (PD, "X = df.iloc[:, np.r_[1:7, 11, 13:17]].values\ny = df.iloc[:, 18].values",
     ["select_columns", "select_columns"]),
    (PD, "rows = df.iloc[np.r_[0:10, 20:30]]", ["filter_rows"]),
    (PD, "genes = df.loc[:, df.columns.str.startswith('ENSM') | df.columns.str.startswith('SampleID')]",
     ["select_columns"]),
    (PD, "kept = df.loc[:, ~df.columns.str.contains('tmp') & ~df.columns.str.contains('old')]", ["drop_columns"]),
    # controls
    (PD, "y = df.iloc[:, 12].values", ["select_columns"]),
    (PD, "from sklearn.model_selection import train_test_split\n"
         "X_tr, X_te = train_test_split(df.iloc[:, np.r_[:113, 111:220]], test_size=0.2)", ["split", "split"]),
    (PD, "odd = df.loc[:, df.columns.str.startswith('a') | (df.nunique() > 1)]", []),
]


@pytest.mark.parametrize("setup,cell,expected", POSITION_RANGES_AND_LABEL_TESTS)
def test_position_ranges_and_label_tests(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# what-is-a-step.md: a row filter is a step; CONVENTIONS 3 makes an `apply` with a function the step, its callback no
# step of its own. A frame indexed by a test applied to each value of a column (`df = df[df['text'].apply(lambda x:
# len(x.split()) <= 50)]`, `df[df['text'].apply(lambda x: isinstance(x, str))]`; 10 of 10 `find_string` hits of
# `= df[df['text'].apply(lambda` keep rows so, in text cleaning before a model) read no step, where the same test
# compared outside the lambda (`df[df.text.apply(len) > 5]`) already reads filter_rows. Only lambdas whose body is a
# test (a comparison, `and` / `or`, `not`, `isinstance` / `any` / `all`, a string `is...` / `startswith` method).
# Controls: the test kept as a column is derive_feature (CONVENTIONS 19), a count of the kept rows is inspection, a
# named function of unknown result and a lambda computing a value are left as they read.
APPLIED_TESTS = [
    (PD, "df = df[df['text'].apply(lambda x: isinstance(x, str))]", ["filter_rows"]),
    (PD, "df = df[df['text'].apply(lambda x: len(x.split()) <= 50)]", ["filter_rows"]),
    (PD, "df = df[df['text'].apply(lambda x: any([k in x for k in word_list]))]", ["filter_rows"]),
    (PD, "links = df[df['url'].map(lambda u: u.startswith('http'))]", ["filter_rows"]),
    # controls
    (PD, "df = df[df['text'].apply(lambda x: len(x.split())) >= 3]", ["filter_rows"]),
    (PD, "df['long'] = df['text'].apply(lambda x: len(x) > 3)", ["derive_feature"]),
    (PD, "n = df[df['text'].apply(lambda x: len(x) > 3)].shape[0]", []),
    (PD, "kept = df[df['text'].apply(is_valid)]", []),
    (PD, "words = df['text'].apply(lambda x: x.split())", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", APPLIED_TESTS)
def test_applied_tests(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected


# CONVENTIONS 15: "Not steps: ... column-name lists (also when computed)"; 18: a selection inside another call's
# argument is no step. Python's `list()` of a frame is its column labels: `df.drop(list(df.filter(regex='Unnamed')),
# axis=1, inplace=True)` (10 of 10 `find_string` hits of `df.drop(list(df.filter(regex=`) read select_columns +
# drop_columns, and `num_cols = list(df.select_dtypes(include="number"))` read select_columns, where the same lists
# taken with `.columns` read none. The same column-statistic masks as above, written `df.apply(pd.Series.nunique) != 1`
# (10 of 10 hits: "# Drop constant columns") and `df.isnull().sum() / len(df) < 0.3` (a count made a share), read no
# step. Controls: the list used to pick columns still picks them, polars' `filter` (rows) inside `list()` keeps its
# filter, a column's values listed stay no step.
LABEL_LISTS_AND_SHARES = [
    (PD, "df.drop(list(df.filter(regex='Unnamed')), axis=1, inplace=True)", ["drop_columns"]),
    (PD, "num_cols = list(df.select_dtypes(include='number'))", []),
    (PD, "df = df.loc[:, df.apply(pd.Series.nunique) != 1]", ["select_columns"]),
    (PD, "df = df.loc[:, df.isnull().sum() / len(df) < 0.3]", ["drop_missing"]),
    # controls
    (PD, "X = df[list(df.filter(like='score'))]", ["select_columns"]),
    (PD, "num_cols = list(df.select_dtypes(include='number').columns)", []),
    (PD, "values = list(df['a'])", []),
    (PL, "rows = list(df.filter(pl.col('a') > 0))", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", LABEL_LISTS_AND_SHARES)
def test_label_lists_and_shares(setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
