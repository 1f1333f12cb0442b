"""The seventeenth pass (issue 10), recall: steps the classifier missed on the tuning notebooks (labelled X, predicted
none), grouped by cause, largest generic cause first. Each row is a cell written the way such notebooks write it and
the ops the definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up lines that make
what it reads (the set-up's own steps are not counted). Every group has controls: cells that look alike and keep
their ops.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('churn.csv')\n"
FITTED = PD + "from sklearn.model_selection import train_test_split\n" \
    "from sklearn.linear_model import LogisticRegression\n" \
    "X_train, X_test, y_train, y_test = train_test_split(df[['a', 'b']], df['y'])\n" \
    "m = LogisticRegression().fit(X_train, y_train)\n" \
    "y_train_pred = m.predict(X_train)\ny_test_pred = m.predict(X_test)\n"


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


# CONVENTIONS 21 ("`astype` ... are `type_cast`") with the Granularity clause ("One statement can hold several steps"):
# a cast of the series a table is laid out by changes the table's categories, in `pd.get_dummies` (one column per
# value: 1, not 1.0) as in `pd.crosstab` (kb.pandas.CATEGORY_TABLE_FUNCTIONS). Controls: a cast of the dummies made is
# one cast; a cast that only feeds an encoder's or a model's own operation is none (CONVENTIONS 18's argument rule).
CASTS_OF_WHAT_DUMMIES_ARE_MADE_FROM = [
    (PD, "cat2 = pd.get_dummies(df.Product_Category_2.fillna(0).astype(int))",
     ["impute_missing", "type_cast", "encode_categorical"]),
    (PD, "zips = pd.get_dummies(df['zip'].astype(str), prefix='zip')", ["type_cast", "encode_categorical"]),
    (PD, "table = pd.crosstab(df['pclass'], df['survived'].astype(bool))", ["type_cast", "reshape"]),
    # controls
    (PD, "cat1 = pd.get_dummies(df.Product_Category_1).astype(int)", ["encode_categorical", "type_cast"]),
    (PD, "cat1 = pd.get_dummies(df.Product_Category_1)", ["encode_categorical"]),
    (PD + "from sklearn.preprocessing import LabelEncoder\nle = LabelEncoder()\n",
     "df['c'] = le.fit_transform(df['c'].astype(str))", ["encode_categorical"]),
]


PL = "import polars as pl\ndata = pl.read_csv('accidents.csv')\n"

# CONVENTIONS 24 ("A polars `select`/`with_columns` ... with several expressions gives one step per distinct op in the
# call") with 21 ("polars `cast` [is] type_cast"): a column's gaps filled and then cast
# (`pl.col("End_Lat").fill_null(pl.col("Start_Lat")).cast(pl.Float64)`) is both; the fill computes no new value that
# the cast would be part of. Controls: a cast of a computed value is part of computing it (`rank().cast(...)`), a
# fill alone is one fill, a cast alone one cast.
CASTS_AFTER_POLARS_FILLS = [
    (PL, "data = data.with_columns([\n    pl.col('End_Lat').fill_null(pl.col('Start_Lat')).cast(pl.Float64),\n"
         "    pl.col('Start_Time').str.to_datetime(),\n])", ["impute_missing", "type_cast", "datetime_parse"]),
    (PL, "data = data.with_columns(pl.col('n').fill_null(0).cast(pl.Int32))", ["impute_missing", "type_cast"]),
    # controls
    (PL, "data = data.with_columns(pl.col('n').rank().cast(pl.Int32).alias('r'))", ["derive_feature"]),
    (PL, "data = data.with_columns(pl.col('n').fill_null(0))", ["impute_missing"]),
    (PL, "data = data.with_columns(pl.col('n').cast(pl.Int32))", ["type_cast"]),
]


SARIMAX = PD + "import statsmodels.api as sm\nres = sm.tsa.statespace.SARIMAX(df['y'], order=(1, 1, 1)).fit()\n" \
    "pred = res.get_prediction(start='2001-03-01')\n"

# CONVENTIONS 26 ("`forecast`, `simulate`, ..., `get_prediction` ... are all `predict`"): the interval of what a model
# predicted, kept under a name (`pred_ci = pred.conf_int()`), is part of predicting (kb.models.
# PREDICTION_INTERVAL_METHODS). Controls: a fitted model's own `conf_int()` is its parameters' intervals, a results
# table (27: evaluate, unchanged); the interval only shown is looked at (labelled so); the prediction's mean read off
# is the same prediction (no second step).
PREDICTION_INTERVALS = [
    (SARIMAX, "pred_ci = pred.conf_int()", ["predict"]),
    (SARIMAX, "fc = res.get_forecast(steps=12)\nfc_ci = fc.conf_int(alpha=0.1)", ["predict", "predict"]),
    # controls
    (SARIMAX, "ci = res.conf_int()", ["evaluate"]),
    (SARIMAX, "pred.conf_int(alpha=0.05)", []),
    (SARIMAX, "mean = pred.predicted_mean", []),
]


PCS = PD + "from sklearn.decomposition import PCA\npcs = PCA(n_components=2).fit_transform(df[['a', 'b', 'c']])\n"

# CONVENTIONS 12 ("wrapping ONE existing object in `DataFrame`/`Series` ... `other` when the conversion is the whole
# right-hand side and is assigned to a new name"): the object handed by the `data=` keyword is handed all the same
# (`pd.DataFrame(data=pcs, columns=[...])`). Controls: two objects put side by side are a concat (13); the wrap
# written positionally stays `other`; a wrap inside another call is none.
WRAPS_BY_KEYWORD = [
    (PCS, "pc_df = pd.DataFrame(data=pcs, columns=['pc1', 'pc2'])", ["other"]),
    (PCS, "pc_df = pd.DataFrame(data = pcs)", ["other"]),
    # controls
    (PCS, "pc_df = pd.DataFrame(pcs, columns=['pc1', 'pc2'])", ["other"]),
    (PCS, "both = pd.DataFrame(np.column_stack([pcs, df['y']]))", ["concat"]),
    (PCS, "print(pd.DataFrame(data=pcs).describe())", []),
]


LABELS = PD + "target = 'SalePrice'\nx_label = 'Magnetic Flux Density (G)'\nT = 2\n"

# CONVENTIONS 18 ("a single column that ends the assigned expression (`y = df['target']`, `df.query(...)['v']`)" is
# select_columns): the label may be written in a name first (`target = "SalePrice"; y = df[target]`), as notebooks
# name their target once. Controls: labels computed from data (`df[s.sort_values().index]`, the columns of a scores
# table put in order to draw them, labelled none) are not a label written in the code; a NumPy array indexed by a
# number is a row; the column only operand of a later op stays none (18); a list of labels keeps its select.
COLUMNS_BY_A_NAMED_LABEL = [
    (LABELS, "y = df[target]", ["select_columns"]),
    (LABELS, "x_data = df.query('T == {}'.format(T))[x_label]", ["filter_rows", "select_columns"]),
    (LABELS, "x_data = df[df['T'] == T][x_label]", ["filter_rows", "select_columns"]),
    # controls
    (LABELS, "order = df.median(numeric_only=True).sort_values().index\nranked = df[order]", []),
    (LABELS + "arr = np.random.rand(5, 3)\nk = 2\n", "row = arr[k]", []),
    (LABELS, "df['t_log'] = np.log1p(df[target])", ["scale_normalize"]),
    (LABELS + "features = ['a', 'b']\n", "X = df[features]", ["select_columns"]),
]


# CONVENTIONS 20 ("An indicator from a numeric condition is `derive_feature`, and a trailing `astype`/`map({False:0,
# True:1})` is part of that step"): a condition written as a method (`between`, `gt`, kb.pandas.CONDITION_METHODS)
# cast to numbers is an indicator as `(df.h > 9).astype(int)` is, not a cast of data. Controls: the comparison
# written with an operator; a category test stays an encoding; a cast of a stored column stays a cast.
INDICATORS_OF_CONDITION_METHODS = [
    (PD, "df['is_business_hours'] = df['hour'].between(9, 17).astype(int)", ["derive_feature"]),
    (PD, "df['is_large'] = df['amount'].gt(1000).astype(int)", ["derive_feature"]),
    # controls
    (PD, "df['is_late'] = (df['hour'] > 21).astype(int)", ["derive_feature"]),
    (PD, "df['is_vip'] = df['tier'].isin(['gold', 'platinum']).astype(int)", ["encode_categorical"]),
    (PD, "df['hour'] = df['hour'].astype(int)", ["type_cast"]),
]


# what-is-a-step.md ("arithmetic that creates a column: `derive_feature`"; a new variable computed from data): the
# reciprocal of data kept as a new variable (`weights = 1 / var_eff`, inverse-variance weights) is a formula of the
# values, as a power of them is, not the values put on another scale. Controls: one scaling by a number (`X / 255`)
# is no derive; a number divided by a number is a number.
RECIPROCALS = [
    (PD, "weights = 1 / df['var_eff']", ["derive_feature"]),
    (PD, "inv_price = 1.0 / df.price", ["derive_feature"]),
    # controls
    (PD, "X = df[['a', 'b']] / 255", []),
    (PD, "share = 1 / 12", []),
]


# CONVENTIONS 22 ("`groupby().agg/sum/mean/size/describe`" are aggregate) with 6 (a shown expression counts when it
# "builds a new table by ... aggregate"): the distinct values counted per group (`groupby(k)[v].nunique()`) are a
# count per group, shown or printed as `.count()` is (kb.pandas.GROUP_TABLE_INSPECTIONS). Controls: one column's
# nunique() is inspection (what-is-a-step.md: "`unique()` / `nunique()`"); the count per group printed was already one.
DISTINCT_COUNTS_PER_GROUP = [
    (PD, "print(df.groupby('education_level')['education-num'].nunique())", ["aggregate"]),
    (PD, "df.groupby('region').nunique()", ["aggregate"]),
    # controls
    (PD, "print(df['education-num'].nunique())", []),
    (PD, "df.nunique()", []),
    (PD, "print(df.groupby('region')['id'].count())", ["aggregate"]),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("cast_after_arithmetic", CAST_AFTER_ARITHMETIC),
    ("casts_of_what_dummies_are_made_from", CASTS_OF_WHAT_DUMMIES_ARE_MADE_FROM),
    ("casts_after_polars_fills", CASTS_AFTER_POLARS_FILLS),
    ("prediction_intervals", PREDICTION_INTERVALS),
    ("wraps_by_keyword", WRAPS_BY_KEYWORD),
    ("columns_by_a_named_label", COLUMNS_BY_A_NAMED_LABEL),
    ("indicators_of_condition_methods", INDICATORS_OF_CONDITION_METHODS),
    ("reciprocals", RECIPROCALS),
    ("distinct_counts_per_group", DISTINCT_COUNTS_PER_GROUP),
))
def test_missed_steps_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
