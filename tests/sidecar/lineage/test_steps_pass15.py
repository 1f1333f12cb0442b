"""The fifteenth pass (issue 10): batch 7's tuning part (typical users' notebooks: churn, credit, fraud, insurance
projects, capstones, portfolios). Each row is a cell written the way such notebooks write it and the ops the
definition gives it (what-is-a-step.md, tests/corpus/blind/CONVENTIONS.md), after set-up lines that load what it
reads (the set-up's own steps are not counted). Every group has controls: cells that look alike and keep their ops.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('churn.csv')\n"


# CONVENTIONS 3: "Functions passed to apply/map/...: the apply/agg call is the step, and the callback's body is not
# labelled". A function whose one parameter is tested in a branch (`if pm >= lo:`) takes one value at a time (a column
# would raise "truth value is ambiguous"), so it is applied: its body is no step, also when the apply is in a later
# cell. Functions of a table keep their body's steps (CONVENTIONS 1).
ONE_VALUE_FUNCTIONS = [
    (PD, "bands = {'good': (0, 15.4), 'bad': (15.5, 500.0)}\n"
         "def index_of(pm):\n    if (pm >= bands['good'][0]) & (pm <= bands['good'][1]):\n"
         "        aqi = (pm - bands['good'][0]) * 50 / (bands['good'][1] - bands['good'][0])\n"
         "    else:\n        aqi = (pm - bands['bad'][0]) * 450 / (bands['bad'][1] - bands['bad'][0]) + 50\n"
         "    return aqi", []),
    (PD, "def age_group(age):\n    if age < 30:\n        return 'young'\n    elif age < 60:\n        return 'adult'\n"
         "    return 'senior'", []),
    (PD, "def grade(v):\n    if v >= 10:\n        s = (v - 10) * 2\n    elif v < 0:\n        s = 0\n    else:\n"
         "        s = v / 2\n    return s", []),
    (PD, "def tenure_years(months):\n    return months / 12 if months > 0 else 0", []),
    (PD, "def yes_no(v):\n    if v == 'Yes':\n        return 1\n    return 0", []),
    (PD, "def band(pm):\n    if pm > 35:\n        s = pm * 2\n    else:\n        s = pm / 2\n    return s\n"
         "df['band'] = df['pm'].apply(lambda v: band(v))", ["derive_feature"]),
    # controls: the parameter is a table, or the tested value is not the one parameter
    (PD, "def add_ratio(d):\n    d['ratio'] = d['charges'] / d['tenure']\n    return d", ["derive_feature"]),
    (PD, "def add_ratio(d):\n    if len(d) > 0:\n        d['ratio'] = d['charges'] / d['tenure']\n    return d",
     ["derive_feature"]),
    (PD, "def add_scaled(d, k):\n    if k > 3:\n        d['scaled'] = d['charges'] * k\n    return d",
     ["derive_feature"]),
    (PD, "def add_flag(d):\n    if 'charges' in d.columns:\n        d['high'] = d['charges'] * 2\n    return d",
     ["derive_feature"]),
]

SM = PD + "import statsmodels.api as sm\nX = sm.add_constant(df[['age', 'tenure']])\n" \
    "results = sm.OLS(df['spend'], X).fit()\n"

# CONVENTIONS 27: "assigned summary_frame() / results tables" are evaluate. A fitted model's own report turned into
# text and read back by a pandas reader is that results table: no data is read (no load). Controls: readers of a
# path or an address stay loads.
RESULT_TABLES_READ_BACK = [
    (SM, "s = results.summary()\nh = s.tables[1].as_html()\ncoefs = pd.read_html(h, header=0, index_col=0)[0]\n"
         "print(s)", ["evaluate"]),
    (SM, "coefs = pd.read_html(results.summary().tables[1].as_html(), header=0, index_col=0)[0]", ["evaluate"]),
    (SM, "t = pd.read_html('https://en.wikipedia.org/wiki/List_of_countries')[0]", ["load"]),
    (SM, "path = 'data/extra.csv'\nextra = pd.read_csv(path)", ["load"]),
]

HW = PD + "X_train = df[['a', 'b']].values\ny_train = df['y'].values\n"
TRAIN = ("def train_linear_regression(X, y):\n    ones = np.ones(X.shape[0])\n    X = np.column_stack([ones, X])\n"
         "    XTX = X.T.dot(X)\n    XTX_inv = np.linalg.inv(XTX)\n    w = XTX_inv.dot(X.T).dot(y)\n    return w[0], w[1:]\n")
HWF = HW + TRAIN + "w_0, w = train_linear_regression(X_train, y_train)\n"
RMSE = "def rmse(y, y_pred):\n    error = y_pred - y\n    mse = (error ** 2).mean()\n    return np.sqrt(mse)\n"

# CONVENTIONS 4a: a hand-written model is a black box, its call is fit_model. A function named for fitting whose body
# solves the normal equation by hand is that model (as one updating its parameters in a loop is), not a helper around a
# library's fit. Its parameters applied to data by the array's own method (`w_0 + X.dot(w)`) predict (CONVENTIONS 26),
# as `X @ w` does. A metric helper's parameters are not the notebook's variables of the same name: `def rmse(y,
# y_pred)` stays a black box (its call evaluates) after a global `y_pred` holds predictions. Controls: a helper that
# adds a column of ones stays derive_feature (CONVENTIONS 13); a metric helper's definition alone is no step.
HAND_WRITTEN_MODELS = [
    (HW, TRAIN + "w_0, w = train_linear_regression(X_train, y_train)", ["fit_model"]),
    (HWF, "y_pred = w_0 + X_train.dot(w)", ["predict"]),
    (HWF, "y_pred = X_train.dot(w) + w_0", ["predict"]),
    (HW, "w = np.linalg.inv(X_train.T.dot(X_train)).dot(X_train.T).dot(y_train)\nscores = X_train.dot(w)",
     ["fit_model", "predict"]),
    (HWF + "y_pred = w_0 + X_train.dot(w)\n", RMSE + "print(rmse(y_train, y_pred))", ["evaluate"]),
    (HWF + "y_pred = w_0 + X_train.dot(w)\n", RMSE, []),
    (HW, "def add_bias(X):\n    return np.column_stack([np.ones(X.shape[0]), X])\nXb = add_bias(X_train)",
     ["derive_feature"]),
]

# CONVENTIONS 15: column-name lists are no step, also copied to be extended (`features = base.copy()`,
# `list(base)`, `base[:]`); a frame indexed by the copy picks those columns (CONVENTIONS 18: `X = df[cols]` is
# select_columns). Controls: a frame's copy stays `other` (CONVENTIONS 11), a frame indexed by a mask filters.
COPIED_COLUMN_LISTS = [
    (PD, "base = ['engine_hp', 'city_mpg']\nfeatures = base.copy()\nfeatures.append('age')\nX = df[features]",
     ["select_columns"]),
    (PD, "base = ['engine_hp', 'city_mpg']\nfeatures = list(base)\nX = df[features].fillna(0)",
     ["select_columns", "impute_missing"]),
    (PD, "base = ['engine_hp', 'city_mpg']\ndef prepare_X(df):\n    df = df.copy()\n    features = base.copy()\n"
         "    df['age'] = 2017 - df.year\n    features.append('age')\n    df_num = df[features]\n"
         "    df_num = df_num.fillna(0)\n    return df_num.values",
     ["derive_feature", "select_columns", "impute_missing"]),
    (PD, "base = ['engine_hp', 'city_mpg']\nd2 = df.copy()", ["other"]),
    (PD, "keep = df['age'] > 30\nold = df[keep]", ["filter_rows"]),
]

# CONVENTIONS 20: "an indicator of a category value (`(sex=='female').astype(int)`)" is encode_categorical, also one
# indicator per value of a written list of strings in a loop (one-hot by hand). Controls: a numeric condition stays
# derive_feature, also over a loop of column names or of numbers.
LOOPED_INDICATORS = [
    (PD, "for v in ['chevrolet', 'ford', 'toyota']:\n    feature = 'is_make_%s' % v\n"
         "    df[feature] = (df['make'] == v).astype(int)", ["encode_categorical"]),
    (PD, "for plan in ['basic', 'premium']:\n    df['plan_' + plan] = np.where(df['plan'] == plan, 1, 0)",
     ["encode_categorical"]),
    (PD, "for c in ['tenure', 'charges']:\n    df[c + '_pos'] = (df[c] > 0).astype(int)", ["derive_feature"]),
    (PD, "cols = ['tenure', 'charges']\nfor c in cols:\n    df[c + '_zero'] = (df[c] == 0).astype(int)",
     ["derive_feature"]),
    (PD, "for v in [2, 3, 4]:\n    df['doors_%s' % v] = (df['doors'] > v).astype(int)", ["derive_feature"]),
]

OWN = PD + "import sys\nsys.path.append('../util')\nfrom model import *\nX = df[['a', 'b']]\ny = df['y']\n"

# CONVENTIONS 4b: helpers imported from outside the notebook are black boxes, labelled by the op they perform; a
# method of an object the notebook's own modules make, named for a model step (kb.models.ALGORITHM_NAME_OPS), is that
# step, as a function so named is. Controls: a transformer's fit_transform, a method given no data, and a method whose
# name says no model step stay no step.
OWN_MODEL_OBJECTS = [
    (OWN, "m = Model(X, y)\npreds = m.make_predictions(X)", ["predict"]),
    (OWN, "for model in models.values():\n    preds = model.make_predictions(X)", ["predict"]),
    (OWN, "model = Models.get('svc')\nmodel.train(X, y)", ["fit_model"]),
    (OWN, "m = Model(X, y)\nacc = m.evaluate(X, y)", ["evaluate"]),
    (OWN, "tmp = NewFeatureAdder().fit_transform(df)", []),
    (OWN, "m = Model(X, y)\nnames = m.predict_labels()", []),
    (OWN, "m = Model(X, y)\nm.learning_rate(0.1)", []),
    # a method named for parting rows into train and test sets (kb.models.SPLIT_METHOD_NAME) splits, one per part
    # (what-is-a-step.md; CONVENTIONS 16), and is no statistical test for the word "test" in its name; a library's
    # test function stays evaluate (CONVENTIONS 27)
    # (the project's own class handed a data file's path reads it: a load, CONVENTIONS 4b; the lead's decision on
    # acc18's question, session 14: this row read it as no step)
    (OWN, "from heart_disease import Data\ndata = Data('heart.csv')\n"
          "(X_train, y_train), (X_test, y_test) = data.train_test_split(test_size=0.2)", ["load"] + ["split"] * 4),
    (OWN, "from lifelines.statistics import logrank_test\nr = logrank_test(df.a, df.b)", ["evaluate"]),
    # a model of the notebook's own class, fitted by its own method, then called on data predicts (CONVENTIONS 26),
    # and a method named test scores it (27); controls: an object never fitted called on data is no prediction
    (OWN, "from heart_disease.models import Models\nmodel = Models.KNN.model\nmodel.train(X, y)\nresult = model(X)",
     ["fit_model", "predict"]),
    (OWN, "from heart_disease.models import Models\nmodel = Models.KNN.model\nmodel.train(X, y)\n"
          "acc = model.test(X, y)", ["fit_model", "evaluate"]),
    (OWN, "from heart_disease.models import Models\nscorer = Models.KNN.scorer\nout = scorer(X)", []),
]

# CONVENTIONS 9: "A statistic used as a parameter of another step is part of that step". Gaps filled with values drawn
# at random from the observed ones (random imputation) are one impute_missing: the observed values kept to draw from
# and the draw are its parameters. Controls: a frame dropped of gaps and used as data elsewhere in the cell, a fill by
# another frame's statistic, and a sample kept as data keep their steps.
RANDOM_IMPUTATIONS = [
    (PD, "fill_list = df['salary'].dropna().tolist()\n"
         "df['salary'] = df['salary'].fillna(pd.Series(np.random.choice(fill_list, size=len(df.index))))",
     ["impute_missing"]),
    (PD, "df['salary'] = df['salary'].fillna(pd.Series(np.random.choice(df['salary'].dropna().values, size=len(df))))",
     ["impute_missing"]),
    (PD, "df['salary'] = df['salary'].fillna(df['salary'].dropna().sample(1).iloc[0])", ["impute_missing"]),
    (PD, "full = df.dropna()\ndf['salary'] = df['salary'].fillna(pd.Series(np.random.choice(full['salary'], size=9)))"
         "\nby_job = full.groupby('job').mean()", ["drop_missing", "impute_missing", "aggregate"]),
    (PD, "full = df.dropna()\ndf['salary'] = df['salary'].fillna(full['salary'].median())",
     ["drop_missing", "impute_missing"]),
    (PD, "s = df.sample(100)\ndf['salary'] = df['salary'].fillna(0)", ["sample", "impute_missing"]),
]

# CONVENTIONS 27: "arithmetic on literal numbers" is no step; a library's constant (`math.pi`,
# `scipy.constants.Boltzmann`, `const.value('Bohr magneton')`) bound to a name is such a number, not data. Controls:
# a column times a constant stays derive_feature.
LIBRARY_CONSTANTS = [
    (PD, "import scipy.constants as const\nkb_SI = const.Boltzmann\nkb_CGS = kb_SI * 10**(7)", []),
    (PD, "from scipy import constants as const\nmub_SI = const.value(u'Bohr magneton')\nmub_CGS = mub_SI * 10**3", []),
    (PD, "import math\ntwo_pi = math.pi\nturn = two_pi * 10**2", []),
    (PD, "import math\ndf['area'] = df['r'] ** 2 * math.pi", ["derive_feature"]),
    (PD, "import scipy.constants as const\nk = const.Boltzmann\ndf['energy'] = df['T'] * k * 10**7", ["derive_feature"]),
]

# CONVENTIONS 9: single numbers are no step; 18 is about columns. A value read from one row in a loop over rows
# (`for i, row in df.iterrows(): h = row['H']`) is a number, not a column selected. Controls: a column written from
# the row's values stays derive_feature; a column picked outside a row loop stays select_columns.
ROW_LOOPS = [
    (PD, "out = []\nfor index, row in df.iterrows():\n    H = row['H']\n    T = row['Temperature (K)']\n"
         "    out.append(H * T)", []),
    (PD, "for row in df.itertuples():\n    h = row.H\n    print(h)", []),
    (PD, "for index, row in df.iterrows():\n    df.loc[index, 'z'] = row['a'] * 2", ["derive_feature"]),
    (PD, "H = df['H']", ["select_columns"]),
]

# CONVENTIONS 9: "A single number ... is not a step, even when assigned". One value looked up in a table (one column
# narrowed to its first element, or the label of its extreme row) is such a number, and arithmetic on two of them is
# arithmetic on numbers. Controls: one row of a table stays a filter, and a column kept whole stays select_columns.
ONE_VALUE_LOOKUPS = [
    (PD, "rate = df.loc[df['grupo'] == 'zero', 'positive_rate'].values[0]", []),
    (PD, "rate = df.loc[df['grupo'] == 'zero', 'positive_rate'].iloc[0]", []),
    (PD, "top_cat = df.loc[df['positive_rate'].idxmax(), 'occupation']", []),
    (PD, "a = df[df['g'] == 'x']['rate'].values[0]\nb = df[df['g'] == 'y']['rate'].values[0]\nlift = a / b", []),
    (PD, "for name, tbl, col in [('edu', df, 'education'), ('job', df, 'occupation')]:\n"
         "    top_cat = tbl.loc[tbl['positive_rate'].idxmax(), col]\n    print(name, top_cat)", []),
    (PD, "cols = ['education', 'occupation']\ntop = df.loc[df['positive_rate'].idxmax(), cols]",
     ["filter_rows", "select_columns"]),
    (PD, "first = df.loc[df['g'] == 'x'].iloc[0]", ["filter_rows", "filter_rows"]),
    (PD, "rates = df[df['g'] == 'x']['rate']", ["filter_rows", "select_columns"]),
]

# what-is-a-step.md, Inspection: "`len(...)`, `df[mask].shape[0]` ... produce an answer to a question". Counts put side
# by side in a list or tuple are answers too. Controls: subsets put in a list stay filters; metrics in a list stay, one
# evaluation per metric (acc51, twenty-sixth pass: CONVENTIONS 7, and the tuning labels count each metric of a list or
# dict kept under one name: kepler-ag__model, me-kaggle__house-prices, donors-fcl__crispdm).
ANSWERS_SIDE_BY_SIDE = [
    (PD, "churn_freq = [len(df[(df.churn == 'Y') & (df.bandwidth == 0)]), len(df[(df.churn == 'Y') & (df.bandwidth == 1)])]",
     []),
    (PD, "sizes = (len(df[df.a == 0]), df[df.a == 1].shape[0])", []),
    (PD, "parts = [df[df.a == 0], df[df.a == 1]]", ["filter_rows", "filter_rows"]),
    (PD, "from sklearn.metrics import accuracy_score, f1_score\nscores = [accuracy_score(df.y, df.p), f1_score(df.y, df.p)]",
     ["evaluate", "evaluate"]),
]

# what-is-a-step.md: "Method chains give one step per transforming call": a cast chained after a dict recoding
# (`replace({"N": 0, "Y": 1}).astype(int)`) or after get_dummies is a type_cast of its own. CONVENTIONS 20 absorbs a
# trailing cast only into an indicator of a condition (controls), and astype("category").cat.codes stays one encoding.
CASTS_AFTER_RECODING = [
    (PD, "df.churn = df.churn.replace({'N': 0, 'Y': 1}).astype(int)", ["encode_categorical", "type_cast"]),
    (PD, "df['plan'] = df['plan'].map({'basic': 0, 'premium': 1}).astype(int)", ["encode_categorical", "type_cast"]),
    (PD, "dummies = pd.get_dummies(df['region']).astype(int)", ["encode_categorical", "type_cast"]),
    (PD, "df['female'] = (df['sex'] == 'F').astype(int)", ["encode_categorical"]),
    (PD, "df['old'] = (df['age'] > 60).astype(int)", ["derive_feature"]),
    (PD, "df['code'] = df['region'].astype('category').cat.codes", ["encode_categorical"]),
]

SKV = PD + "from sklearn.feature_extraction import DictVectorizer\nfrom sklearn.preprocessing import OneHotEncoder\n" \
    "train_dict = df[['contract', 'tenure']].to_dict(orient='records')\n"

# CONVENTIONS 25: "PCA, vectorizers and PolynomialFeatures are derive_feature": DictVectorizer is a vectorizer (records
# of features made a matrix). Control: OneHotEncoder stays encode_categorical (CONVENTIONS 20).
VECTORIZERS = [
    (SKV, "dv = DictVectorizer(sparse=False)\ndv.fit(train_dict)\nX_train = dv.transform(train_dict)",
     ["derive_feature"]),
    (SKV, "dv = DictVectorizer(sparse=False)\nX_train = dv.fit_transform(train_dict)", ["derive_feature"]),
    (SKV, "enc = OneHotEncoder()\nX_cat = enc.fit_transform(df[['contract']])", ["encode_categorical"]),
]

SKM = PD + "from sklearn.linear_model import LogisticRegression\nX_val = df[['a']].values\ny_val = df['y'].values\n" \
    "model = LogisticRegression().fit(X_val, y_val)\ny_pred = model.predict_proba(X_val)[:, 1]\n"

# CONVENTIONS 27: "errors or accuracy computed by hand from data" evaluate. Predictions counted against the true classes
# (`((y_pred >= 0.5) & (y_val == 1)).sum()`) are a cell of the confusion table; precision from them evaluates; the table
# built from them is a results table. The table shown in shares of its own total is the same result (no new step).
# Controls: a count of two data conditions is an answer.
CONFUSION_BY_HAND = [
    (SKM, "tp = ((y_pred >= 0.5) & (y_val == 1)).sum()", ["evaluate"]),
    (SKM, "tp = np.sum((y_pred >= 0.5) & (y_val == 1))", ["evaluate"]),
    (SKM, "tp = ((y_pred >= 0.5) & (y_val == 1)).sum()\nfp = ((y_pred >= 0.5) & (y_val == 0)).sum()\n"
          "precision = tp / (tp + fp)", ["evaluate", "evaluate", "evaluate"]),
    (SKM + "tp = ((y_pred >= 0.5) & (y_val == 1)).sum()\nfp = ((y_pred >= 0.5) & (y_val == 0)).sum()\n"
           "tn = ((y_pred < 0.5) & (y_val == 0)).sum()\nfn = ((y_pred < 0.5) & (y_val == 1)).sum()\n"
           "confusion_table = np.array([[tn, fp], [fn, tp]])\n", "confusion_table / confusion_table.sum()", []),
    (SKM, "n = ((df.a > 3) & (df.b == 1)).sum()", []),
]

# CONVENTIONS 4b: helpers imported from outside the notebook are black boxes, labelled by the op they perform, which
# only their name tells (kb.models.IMPORTED_HELPER_NAME_OPS): `split_data` parts the rows (what-is-a-step.md: "a
# hand-written split function that returns train and test sets: split", one per output, CONVENTIONS 16),
# `create_features` derives, `log_eval` evaluates; also through `from utils import *`. Controls: a string's split is
# no step, and a helper named for nothing stays no step.
OWN_HELPERS = [
    (OWN, "from utils import *\nX_train, y_train, X_val, y_val, X_test, y_test = split_data(df, X, y)",
     ["split"] * 6),
    (OWN, "from utils import split_data\ntrain, test = split_data(df)", ["split", "split"]),
    (OWN, "from utils.preprocess import create_features\ndf = create_features(df)", ["derive_feature"]),
    (OWN, "from utils import *\nresult_val = log_eval(y, y)", ["evaluate"]),
    (OWN, "from prepare import *\nkepler = drop_missing_values(df, 0.75, 1)", ["drop_missing"]),
    (OWN, "from prepare import summarize_column_nulls\nsummarize_column_nulls(df)", []),
    (OWN, "parts = 'a,b'.split(',')", []),
    (OWN, "from utils import *\nreport = summarize_columns(df)", []),
]

NPX = "import numpy as np\nimport sklearn.datasets as ds\nX, y = ds.make_classification(n_samples=100, n_features=2)\n"

# CONVENTIONS 23: "z-scores and centring are scale_normalize"; what-is-a-step.md: scalers are scale_normalize. A variable
# (or one column, also an array's column by position) shifted or scaled in place by its own statistic
# (`X[:, 0] -= min(X[:, 0])`, `y -= min(y)`, `X -= X.mean(axis=0)`) is centred or rescaled, and one multiplied by a
# number (`X[:, 1] *= 5`) is put on another scale, as `A /= 255` already was. Controls: a shift by a number or by
# other data stays derive_feature (CONVENTIONS 28), and a shift by another variable's mean is no step here.
SHIFTS_BY_OWN_STATISTIC = [
    (NPX, "X[:,0] -= min(X[:,0])\nX[:,1] -= min(X[:,1])\nX[:,1] *= 5",
     ["scale_normalize", "scale_normalize", "scale_normalize"]),
    (NPX, "y = y.astype(float)\ny -= min(y)", ["type_cast", "scale_normalize"]),
    (NPX, "X -= X.mean(axis=0)", ["scale_normalize"]),
    (PD, "df['w'] -= df['w'].mean()", ["scale_normalize"]),
    (NPX, "X[:, 1] += 3", ["derive_feature"]),
    (NPX, "noise = np.random.normal(size=X.shape)\nX += noise", ["load", "derive_feature"]),
]

# Plumbing that is no step. A heatmap's mask made in the shape of a correlation table
# (`np.triu(np.ones_like(df.corr(), dtype=bool))`) computes nothing from the table's values (CONVENTIONS 15: boolean
# masks; 8: plot plumbing). A table iterated over yields its column labels (`for c in X.select_dtypes(["object"])`),
# a loop over names (CONVENTIONS 15). Controls: the correlation table kept is aggregate (CONVENTIONS 22), a factorize
# in the loop stays encode_categorical, and values iterated after dropping gaps keep the drop.
PLUMBING = [
    (PD, "mask = np.triu(np.ones_like(df.corr(), dtype=bool))", []),
    (PD, "corr = df.corr()", ["aggregate"]),
    (PD, "for colname in df.select_dtypes(['object', 'category']):\n    df[colname], _ = df[colname].factorize()",
     ["encode_categorical"]),
    (PD, "for v in df['a'].dropna():\n    print(v)", ["drop_missing"]),
]


def _cases(*tables: tuple) -> list:
    return [pytest.param(setup, cell, expected, id=f"{name}:{i}:{cell.splitlines()[-1][:50]}")
            for name, table in tables for i, (setup, cell, expected) in enumerate(table)]


@pytest.mark.parametrize("setup, cell, expected", _cases(
    ("one_value_functions", ONE_VALUE_FUNCTIONS),
    ("result_tables_read_back", RESULT_TABLES_READ_BACK),
    ("hand_written_models", HAND_WRITTEN_MODELS),
    ("copied_column_lists", COPIED_COLUMN_LISTS),
    ("looped_indicators", LOOPED_INDICATORS),
    ("own_model_objects", OWN_MODEL_OBJECTS),
    ("random_imputations", RANDOM_IMPUTATIONS),
    ("library_constants", LIBRARY_CONSTANTS),
    ("row_loops", ROW_LOOPS),
    ("one_value_lookups", ONE_VALUE_LOOKUPS),
    ("answers_side_by_side", ANSWERS_SIDE_BY_SIDE),
    ("casts_after_recoding", CASTS_AFTER_RECODING),
    ("vectorizers", VECTORIZERS),
    ("confusion_by_hand", CONFUSION_BY_HAND),
    ("own_helpers", OWN_HELPERS),
    ("shifts_by_own_statistic", SHIFTS_BY_OWN_STATISTIC),
    ("plumbing", PLUMBING),
))
def test_typical_notebooks_cells_take_the_definitions_ops(setup: str, cell: str, expected: list[str]) -> None:
    # multisets: the order of steps within a statement is not part of the definition
    assert sorted(ops_after(setup, cell)) == sorted(expected)
