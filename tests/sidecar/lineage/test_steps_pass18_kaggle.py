"""The eighteenth pass (acc25, issue 10): idioms of Kaggle kernels from OUTSIDE the blind corpus, third draw
(ey-l/Bottom-up-Standardization-for-Data-Preparation kernels not drawn before, and Surfing-Ninja/Kaggle_NB_EXTRACTOR
notebooks of three other competitions; sources listed in tests/corpus/blind/README.md, "Eighteenth pass (acc25)"),
read against what-is-a-step.md and tests/corpus/blind/CONVENTIONS.md. Each row is a cell written the way those
sources write it and the ops the definition gives it, after set-up lines that load what it reads (the set-up's own
steps are not counted). Every group has negative controls: the same shape where the definition gives another op, or
no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('train.csv')\n"
PIXELS = "import pandas as pd\nimport numpy as np\ntrain = pd.read_csv('digit-recognizer/train.csv')\n"


# what-is-a-step.md: "Scalers ... applied to a feature or a target: scale_normalize"; CONVENTIONS 18: "A multi-column
# subset at the head of an assigned chain also counts". Pixel columns taken out of a frame (the label dropped, or the
# values made an array) and divided by the 8-bit maximum in one statement are put on [0, 1] (a min-max rescale)
# whatever the result is named, as `X = X / 255` already was; the label column dropped or the pixel columns picked on
# the way stay steps. Controls: constants divided (a colour), one statistic of the pixels (a number), the rescale in
# place (unchanged), another number dividing a column into a new name (no step, as before). (A bare name or a column
# subset only divided into a new name, `X = df / 255`, `X = df[["a", "b"]] / 255`, is left as test_steps_pass12 and
# test_steps_pass17_recall have it: no step.)
PIXEL_RESCALE = [
    (PIXELS, "features_numpy = train.loc[:, train.columns != 'label'].values / 255", ["select_columns", "scale_normalize"]),
    (PIXELS, "X = train.drop('label', axis=1).values / 255.0", ["drop_columns", "scale_normalize"]),
    (PIXELS, "X = train.drop(columns=['label']) / 255.0", ["drop_columns", "scale_normalize"]),
    (PIXELS, "X = (train.iloc[:, 1:].values).astype('float32') / 255", ["select_columns", "type_cast", "scale_normalize"]),
    # controls
    (PIXELS, "RGB = (139 / 255, 10 / 255, 80 / 255)", []),
    (PIXELS, "mean_px = train.iloc[:, 1:].values.mean() / 255", []),
    (PIXELS + "X = train.drop('label', axis=1)\n", "X = X / 255.0", ["scale_normalize"]),
    (PD, "half = df['SalePrice'] / 2", []),
]

# CONVENTIONS 15: "Not steps: ... hyper-parameter grids". A dict of settings made with `dict()` and filled key by key
# (`params = dict()`, `params["boosting_type"] = ["gbdt", "dart"]`) is such a grid, as `params = {}` filled so is;
# they read derive_feature, one per key (10 spurious steps in one store-sales kernel). Controls: a column written into
# a frame (derive_feature), and a frame's column assigned after the dict (its own step).
PARAMS_DICT = [
    (PD, "params = dict()\nparams['boosting_type'] = ['gbdt', 'dart']\nparams['num_leaves'] = np.arange(100, 700)\n"
         "params['learning_rate'] = np.linspace(0.0001, 0.5, 1000)", []),
    (PD, "PARAMS_HUBER = dict()\nPARAMS_HUBER['epsilon'] = 1.35\nPARAMS_HUBER['max_iter'] = 50000", []),
    (PD, "p = dict(max_depth=5)\np['eta'] = 0.1", []),
    (PD, "params = {}\nparams['max_depth'] = 5", []),
    # controls
    (PD, "df['is_train'] = 1", ["derive_feature"]),
    (PD, "params = dict()\nparams['alpha'] = 0.1\ndf['TotalSF'] = df['1stFlrSF'] + df['2ndFlrSF']", ["derive_feature"]),
]

# CONVENTIONS 29: "A notnull()/~isna() row filter is drop_missing". Dropping the labels of the rows where a value is
# missing (`df.drop(df[df.c.isnull()].index)`, the house-prices kernels' `df_train.drop(df_train.loc[df_train[
# "Electrical"].isnull()].index)`) keeps the rows where it is present: drop_missing, not a filter (nor a split when the
# result's name says train). Controls: rows dropped by a domain condition (filter_rows), by a statistical bound
# (outlier_remove), and the rows where the value is present dropped (a filter).
NULL_ROWS_DROPPED = [
    (PD, "df = df.drop(df.loc[df['Electrical'].isnull()].index)", ["drop_missing"]),
    (PD, "df.drop(df[df['HomePlanet'].isna()].index, inplace=True)", ["drop_missing"]),
    (PD, "data_train_not_null = df.drop(df[df.HomePlanet.isnull()].index)", ["drop_missing"]),
    (PD, "df = df.drop(index=df[df.Age.isnull()].index)", ["drop_missing"]),
    # controls
    (PD, "df = df.drop(df[df.GarageCars == 4].index)", ["filter_rows"]),
    (PD, "q3 = df.GrLivArea.quantile(0.75)\nq1 = df.GrLivArea.quantile(0.25)\nout = q3 + 3 * (q3 - q1)\n"
         "df.drop(df[df.GrLivArea > out].index, axis=0, inplace=True)", ["outlier_remove"]),
    (PD, "df = df.drop(df[df.Age.notnull()].index)", ["filter_rows"]),
]

# CONVENTIONS 20: "a dict map/replace that recodes category values" is encode_categorical; 3: the apply call takes the
# op of its callback. A notebook function that returns its argument mapped through a dict of codes (the course idiom
# `def binary_map(x): return x.map({"yes": 1, "no": 0})`, then `df[varlist] = df[varlist].apply(binary_map)`) recodes
# as the map does. Controls: a function that computes on the codes (derive_feature), one that maps through a table of
# counts held in a name (frequency encoding: derive_feature), and one that puts a placeholder to missing.
DICT_RECODE_FUNCTION = [
    (PD, "varlist = ['Street']\ndef binary_map(x):\n    return x.map({'Pave': 1, 'Grvl': 0})\n"
         "df[varlist] = df[varlist].apply(binary_map)", ["encode_categorical"]),
    (PD, "def yes_no(x):\n    return x.replace({'Y': 1, 'N': 0})\ndf['CentralAir'] = df['CentralAir'].apply(yes_no)",
     ["encode_categorical"]),
    # controls
    (PD, "def halve(x):\n    return x.map({'a': 1, 'b': 2}) * 0.5\ndf['g'] = df['g'].apply(halve)", ["derive_feature"]),
    (PD, "counts = df['Neighborhood'].value_counts()\ndef freq(x):\n    return x.map(counts)\n"
         "df['n_freq'] = df[['Neighborhood']].apply(freq)", ["aggregate", "derive_feature"]),
]

# CONVENTIONS 27: "CV results" are evaluate; 26: "`cross_val_score` is `evaluate` only". The boosting libraries' own
# cross-validation (`xgb.cv`, `lgb.cv`, catboost's `cv`) returns the folds' scores. Controls: the libraries' training
# call (fit_model) and their data container (a conversion, `other`).
BOOSTER_CV = [
    (PD + "import xgboost as xgb\ndtrain = xgb.DMatrix(df.drop(columns=['y']), label=df['y'])\n",
     "cv_res = xgb.cv({'max_depth': 3}, dtrain, nfold=5, num_boost_round=50)", ["evaluate"]),
    (PD + "import lightgbm as lgb\nlgb_train = lgb.Dataset(df.drop(columns=['y']), label=df['y'])\n",
     "cv_results = lgb.cv(params={'objective': 'binary'}, train_set=lgb_train, nfold=7, stratified=True)", ["evaluate"]),
    # controls
    (PD + "import xgboost as xgb\ndtrain = xgb.DMatrix(df.drop(columns=['y']), label=df['y'])\n",
     "model = xgb.train({'max_depth': 3}, dtrain, num_boost_round=50)", ["fit_model"]),
    (PD + "import lightgbm as lgb\nX = df.drop(columns=['y'])\n", "lgb_train = lgb.Dataset(X, label=df['y'])", ["other"]),
]

# what-is-a-step.md, Inspection: `isnull().sum()` is looking at data, "an answer to a question". One such answer laid
# out as a column by concat (`pd.concat([df.isnull().sum() / df.isnull().count() * 100], axis=1, keys=["pct"])`) joins
# nothing to it, as two answers side by side already were no step. Controls: frames concatenated (concat), and two
# answers side by side (unchanged: no step).
ONE_ANSWER_CONCAT = [
    (PD, "null_value = pd.concat([df.isnull().sum() / df.isnull().count() * 100], axis=1, keys=['DF_TOTAL'], sort=False)",
     []),
    (PD, "count1 = pd.concat([df.isnull().sum()], axis=1, keys=['df'])", []),
    # controls
    (PD + "test = pd.read_csv('test.csv')\n", "all_data = pd.concat([df, test])", ["concat"]),
    (PD, "missing = pd.concat([df.isnull().sum(), df.dtypes], axis=1)", []),
]

# CONVENTIONS 22: a group-by aggregation is `aggregate`; 8: "An assigned result that is then only plotted still counts
# if it is an aggregate". The builtin `round` of that table (pandas' `__round__`) keeps the table, as `.round(1)`
# chained onto it does. Controls: `round` of one statistic (a number, CONVENTIONS 9) and of a share of gaps (an answer).
ROUNDED_AGGREGATE = [
    (PD, "avg_survival_byage = round(df[['Age', 'Survived']].groupby(['Age'], as_index=False).mean(), 1)",
     ["aggregate"]),
    (PD, "avg2 = df[['Age', 'Survived']].groupby(['Age'], as_index=False).mean().round(1)", ["aggregate"]),
    # controls
    (PD, "m = round(df['Age'].mean(), 1)", []),
    (PD, "share = round(100 * (df.isnull().sum() / len(df.index)), 2)", []),
]

# CONVENTIONS 18: "Not a step: ... projections around a groupby"; 22: group-by aggregations are `aggregate`. One
# column of the table an aggregation has just made, picked in the same expression (`store_sales.groupby("date")
# .mean()["sales"]`, the Kaggle time-series course's line; `df.groupby(["Outcome"]).mean()["Insulin"]`, 5 ey-l kernels),
# is part of the aggregate, not a selection of its own; a filter before the groupby stays. Controls: a column of the
# data (select_columns), the column picked before the aggregation (one aggregate, unchanged).
PROJECTED_AGGREGATE = [
    (PD, "average_sales = df.groupby('date').mean()['sales']", ["aggregate"]),
    (PD, "df_label = df.groupby('label').count()['pixel0']", ["aggregate"]),
    (PD, "t = df[df.x > 0].groupby('k').agg({'v': 'sum'})['v']", ["filter_rows", "aggregate"]),
    (PD, "prom = (df.groupby('date').mean().squeeze())['onpromotion'].to_frame()", ["aggregate"]),
    # controls
    (PD, "y = df['SalePrice']", ["select_columns"]),
    (PD, "s = df.groupby('k')['v'].sum()", ["aggregate"]),
]

# what-is-a-step.md: "Filtering by position to hold data out ... when it creates a train/test pair it is a `split`
# (one per output)"; CONVENTIONS 16. The predict-future-sales kernels hold the last months out by comparisons of the
# month number, a training part and a held-out part cut from the same data at the same column in one cell (`X_train =
# data[data.date_block_num < 32].drop(...)`, `X_valid = data[data.date_block_num == 32].drop(...)`, the widely copied
# feature-engineering kernel; `train = ...[... != 33]`, `test = ...[... == 33]`), as a tuning notebook's pair `xtrain =
# X.loc[X.image < 201912]`, `xtest = X.loc[X.image >= 201912]` is labelled: one split per output, and the drop /
# column after it stay. Controls: a lone cut into a train-named variable (test_steps and test_steps_random_splits keep
# it a filter), a part narrowed further, a subset by a label, parts cut at different columns.
TIME_SPLIT = [
    (PD, "train = df[df.date_block_num != 33]\ntest = df[df.date_block_num == 33]", ["split", "split"]),
    (PD, "X_train = df[df.date_block_num < 32].drop(['item_cnt_month'], axis=1)\n"
         "Y_train = df[df.date_block_num < 32]['item_cnt_month']\n"
         "X_valid = df[df.date_block_num == 32].drop(['item_cnt_month'], axis=1)\n"
         "Y_valid = df[df.date_block_num == 32]['item_cnt_month']",
     ["split", "drop_columns", "split", "select_columns", "split", "drop_columns", "split", "select_columns"]),
    (PD, "xtrain = df.loc[df.image < 201912]\nxtest = df.loc[df.image >= 201912]", ["split", "split"]),
    # controls
    (PD, "df_train = df[df.year < 2015]", ["filter_rows"]),
    (PD + "train = df[df.date_block_num != 33]\n", "train = train[train.item_price < 100000]", ["filter_rows"]),
    (PD, "X_yes = df[df.student == 'Yes']\nX_test = df[df.student == 'No']", ["filter_rows", "filter_rows"]),
    (PD, "train = df[df.year < 2015]\ntest = df[df.month == 12]", ["filter_rows", "filter_rows"]),
    # the name's earlier filters in the same cell are not the pair's training part (a fresh predict-future-sales
    # kernel, zaki171: `train_data = train_data[train_data.item_cnt_day > 0]` read split once a pair came later)
    (PD, "train_data = df[df.item_cnt_day > 0]\ntrain_data = train_data.drop(labels=[2326930], axis=0)\n"
         "train_data = big.loc[big.date_block_num < 34]\ntest_data = big.loc[big.date_block_num == 34]",
     ["filter_rows", "filter_rows", "split", "split"]),
]

GROUPS = {
    "pixel_rescale": PIXEL_RESCALE,
    "params_dict": PARAMS_DICT,
    "null_rows_dropped": NULL_ROWS_DROPPED,
    "dict_recode_function": DICT_RECODE_FUNCTION,
    "booster_cv": BOOSTER_CV,
    "one_answer_concat": ONE_ANSWER_CONCAT,
    "rounded_aggregate": ROUNDED_AGGREGATE,
    "projected_aggregate": PROJECTED_AGGREGATE,
    "time_split": TIME_SPLIT,
}
ROWS = [(group, setup, cell, expected) for group, rows in GROUPS.items() for setup, cell, expected in rows]


@pytest.mark.parametrize("group,setup,cell,expected", ROWS,
                         ids=[f"{group}-{i}" for i, (group, *_rest) in enumerate(ROWS)])
def test_kaggle_idiom_ops(group: str, setup: str, cell: str, expected: list[str]) -> None:
    assert ops_after(setup, cell) == expected
