"""The seventeenth pass, idioms (issue 10): common idioms of notebooks and library documentation from OUTSIDE the blind
corpus (a book's course notebook, Kaggle kernels, polars' user guide; sources listed in tests/corpus/blind/README.md,
"Seventeenth pass (idioms)"), read against what-is-a-step.md and tests/corpus/blind/CONVENTIONS.md. Each row is a cell
written the way those sources write it and the ops the definition gives it, after set-up lines that load what it reads
(the set-up's own steps are not counted). Every group has negative controls: the same shape where the definition gives
it another op, or no step.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after


PD = "import pandas as pd\nimport numpy as np\nhousing = pd.read_csv('housing.csv')\n"


# what-is-a-step.md: "`train_test_split`, `KFold`-style splitters and a hand-written split function that returns train
# and test sets: `split`"; CONVENTIONS 1: a helper's body is labelled where it is written, its calls are not; 16: one
# split per output. A function named for splitting (split_train_test, train_test_split_by_id: the book's course
# notebook) has `train` in its name for the part it returns, not for a model it fits: it is no fit_model black box.
# Controls: a function named for training (train_model) stays a hand-written fit (CONVENTIONS 4a); a split helper
# that returns a figure or a number keeps its body's own ops.
SPLIT_HELPERS = [
    (PD, "def split_train_test(data, test_ratio):\n"
         "    shuffled = np.random.permutation(len(data))\n"
         "    n_test = int(len(data) * test_ratio)\n"
         "    return data.iloc[shuffled[n_test:]], data.iloc[shuffled[:n_test]]\n"
         "train_set, test_set = split_train_test(housing, 0.2)", ["sample", "split", "split"]),
    (PD, "def split_train_test_by_id(data, test_ratio, id_column):\n"
         "    in_test_set = data[id_column] % 10 < test_ratio * 10\n"
         "    return data.loc[~in_test_set], data.loc[in_test_set]\n"
         "train_set, test_set = split_train_test_by_id(housing, 0.2, 'index')", ["split", "split"]),
    (PD, "def trainTestSplit(df, frac):\n"
         "    n = int(len(df) * frac)\n"
         "    return df[df.index % 5 != 0], df[df.index % 5 == 0]\n"
         "tr, te = trainTestSplit(housing, 0.8)", ["split", "split"]),
    # controls
    (PD, "def train_model(X, y):\n    w = np.linalg.lstsq(X, y, rcond=None)[0]\n    return w\n"
         "w = train_model(housing[['a', 'b']].values, housing['y'].values)", ["fit_model"]),
    (PD, "def remove_outliers(data):\n    return data[data.price < 500000]\n"
         "housing = remove_outliers(housing)", ["outlier_remove"]),
]


@pytest.mark.parametrize("setup,cell,expected", SPLIT_HELPERS)
def test_a_split_helper_is_no_model_and_returns_the_split(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


COLS = PD + "housing_num = housing.drop('ocean_proximity', axis=1)\nnum_attribs = list(housing_num)\n" \
    "cat_attribs = ['ocean_proximity']\n"

# CONVENTIONS 15: "Not steps: ... column-name lists (also when computed)". Lists joined with `+` where one of them is a
# list of column names (the course notebook's `attributes = num_attribs + extra_attribs + cat_one_hot_attribs`) make a
# longer list of names, not a column derived from data. Controls: `+` on columns of data derives (what-is-a-step.md:
# "arithmetic that creates a column: derive_feature"), and so does joining text columns with a separator.
NAME_LISTS = [
    (COLS, "extra_attribs = ['rooms_per_hhold', 'pop_per_hhold', 'bedrooms_per_room']\n"
           "attributes = num_attribs + extra_attribs + cat_attribs", []),
    (COLS, "features = num_attribs + ['rooms_per_hhold'] + cat_attribs", []),
    (COLS, "all_cols = housing.columns.tolist() + ['income_cat'] + ['id']", []),
    # controls
    (COLS, "housing['rooms_total'] = housing['rooms'] + housing['bedrooms'] + housing['other']", ["derive_feature"]),
    (COLS, "total = housing.rooms + housing.bedrooms + housing.other", ["derive_feature"]),
    (COLS, "housing['label'] = housing['city'] + ', ' + housing['state']", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", NAME_LISTS)
def test_lists_of_column_names_joined_are_no_step(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TITANIC = "import pandas as pd\nimport numpy as np\ntrain_df = pd.read_csv('train.csv')\n" \
    "Ports = list(enumerate(np.unique(train_df['Embarked'])))\nPorts_dict = {name: i for i, name in Ports}\n" \
    "title_codes = {'Mr': 1, 'Miss': 2, 'Mrs': 3}\nfare_by_class = train_df.groupby('Pclass')['Fare'].median()\n"

# what-is-a-step.md: "`map`/`replace` with a dict of category codes: `encode_categorical`"; CONVENTIONS 20. A callback
# that only looks each value up in a dict of codes the notebook wrote (the Kaggle kernel's `map(lambda x:
# Ports_dict[x])`, `apply(lambda x: codes.get(x, 0))`, `map(codes.get)`) is that dict mapping; a trailing astype stays
# its own type_cast, as after `map(dict)`. Controls: arithmetic on the looked-up code derives, and a lookup in data
# (a Series of group medians) is no dict of codes.
DICT_LOOKUPS = [
    (TITANIC, "train_df['Port'] = train_df.Embarked.map(lambda x: Ports_dict[x]).astype(int)",
     ["encode_categorical", "type_cast"]),
    (TITANIC, "train_df['Title'] = train_df['Title'].apply(lambda t: title_codes.get(t, 0))", ["encode_categorical"]),
    (TITANIC, "train_df['Title'] = train_df['Title'].map(title_codes.get)", ["encode_categorical"]),
    # controls
    (TITANIC, "train_df['Title'] = train_df['Title'].map(title_codes)", ["encode_categorical"]),
    (TITANIC, "train_df['Score'] = train_df['Title'].map(lambda t: title_codes[t] * 10)", ["derive_feature"]),
    (TITANIC, "train_df['FareRef'] = train_df['Pclass'].map(lambda c: fare_by_class[c])", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", DICT_LOOKUPS)
def test_a_lookup_in_a_dict_of_codes_encodes(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FOLDS = "import pandas as pd\nimport numpy as np\nfrom sklearn.model_selection import StratifiedKFold, KFold\n" \
    "from sklearn.linear_model import SGDClassifier\nfrom sklearn.base import clone\n" \
    "train = pd.read_csv('train.csv')\nX_train = train.drop('label', axis=1).values\ny_train = train['label'].values\n" \
    "sgd_clf = SGDClassifier()\nskfolds = StratifiedKFold(n_splits=3, shuffle=True, random_state=42)\n"

# CONVENTIONS 16: "These give one `split` per output variable: ... selecting `KFold` indices". In a loop over a
# splitter's folds (`for train_index, test_index in skfolds.split(X, y)`, the course notebook and many Kaggle kernels)
# the loop variables are row positions: `X_train[train_index]` on a NumPy array picks that fold's rows (a split part,
# whatever the part is named, as `.iloc[...]` on a frame is), not a column named `train_index`. Controls: rows picked
# inside the fit's arguments only feed the fit (the loop's split stays the step); a loop over a string's `split` walks
# labels, and a frame indexed by one of them selects a column.
FOLD_LOOPS = [
    (FOLDS, "for train_index, test_index in skfolds.split(X_train, y_train):\n"
            "    clone_clf = clone(sgd_clf)\n"
            "    X_train_folds = X_train[train_index]\n    y_train_folds = y_train[train_index]\n"
            "    X_test_fold = X_train[test_index]\n    y_test_fold = y_train[test_index]\n"
            "    clone_clf.fit(X_train_folds, y_train_folds)\n    y_pred = clone_clf.predict(X_test_fold)",
     ["split", "split", "split", "split", "fit_model", "predict"]),
    (FOLDS, "for trn_idx, val_idx in KFold(5).split(X_train):\n"
            "    X_a, X_b = X_train[trn_idx], X_train[val_idx]\n    sgd_clf.fit(X_a, y_train[trn_idx])",
     ["split", "split", "fit_model"]),
    (FOLDS, "for tr, va in skfolds.split(X_train, y_train):\n"
            "    part = train.iloc[tr]\n    sgd_clf.fit(part.drop('label', axis=1), part['label'])",
     ["split", "fit_model"]),
    # controls
    (FOLDS, "for tr, va in skfolds.split(X_train, y_train):\n    sgd_clf.fit(X_train[tr], y_train[tr])",
     ["split", "fit_model"]),
    (FOLDS, "for name in 'pixel1,pixel2'.split(','):\n    col = train[name]", ["select_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", FOLD_LOOPS)
def test_rows_picked_by_a_folds_positions_are_the_split(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TS = "import pandas as pd\nimport pmdarima as pm\nfrom pmdarima.arima import auto_arima\n" \
    "df = pd.read_csv('sale_values.csv', parse_dates=['date'], index_col='date')\n"

# what-is-a-step.md: "statsmodels `.fit()`: `fit_model`"; CONVENTIONS 26 (`forecast` ... predict), 27 (reading a
# model's parameters is no step). pmdarima's `auto_arima` (the time-series lesson's order search) fits ARIMA models and
# returns the best one fitted: the call is the fit, the orders read from its `get_params()` are parameters, and its
# `predict(n_periods=...)` forecasts. Controls: a dict of the notebook's own is still read by key (no step), and a
# library function of pmdarima's not known to fit is no step.
AUTO_ARIMA = [
    (TS, "model = auto_arima(df['sales'], start_p=1, start_q=1, max_p=2, max_q=2, m=12, seasonal=True, d=1, D=1)\n"
         "order = model.get_params()['order']\nseasonal_order = model.get_params()['seasonal_order']",
     ["fit_model"]),
    (TS, "arima = pm.auto_arima(df['sales'], seasonal=False, stepwise=True)\nfc = arima.predict(n_periods=12)",
     ["fit_model", "predict"]),
    # controls
    (TS, "params = {'order': (1, 1, 1)}\norder = params['order']", []),
    (TS, "d = pm.arima.ndiffs(df['sales'], test='adf')", []),
]


@pytest.mark.parametrize("setup,cell,expected", AUTO_ARIMA)
def test_auto_arima_fits_a_model(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PATSY = "import pandas as pd\nimport numpy as np\nimport patsy as pts\ndf = pd.read_csv('titanic.csv')\n"

# CONVENTIONS 17 (`y, X = dmatrices()` is one step), 20 (`C(...)` one-hot codes: encode_categorical), 23 (`np.log`:
# scale_normalize); kb.statsmodels.FORMULA_TERM_OPS. A long formula is often written in pieces joined with `+` (the
# messy Titanic notebook's `dmatrices('Survived ~ Pclass + C(Sex) + ' + 'C(Embarked) + C(Title)', data=df)`): the
# pieces are one formula, read as the one-piece formula is, also when bound to a name first. Controls: the one-piece
# formula; a formula built from data (joined column names) is not read.
FORMULA_PIECES = [
    (PATSY, "y, X = pts.dmatrices('Survived ~ Pclass + C(Sex) + Age + SibSp + Parch + Fare + ' +\n"
            "                     'C(Embarked) + C(Title) + FamilySize + IsAlone', data=df, return_type='dataframe')",
     ["encode_categorical"]),
    (PATSY, "formula = 'Survived ~ Pclass + ' + 'np.log(Fare + 1)'\ny, X = pts.dmatrices(formula, data=df)",
     ["scale_normalize"]),
    # controls
    (PATSY, "y, X = pts.dmatrices('Survived ~ Pclass + C(Sex) + Age', data=df, return_type='dataframe')",
     ["encode_categorical"]),
    (PATSY, "cols = ['Pclass', 'Age']\ny, X = pts.dmatrices('Survived ~ ' + ' + '.join(cols), data=df)", []),
]


@pytest.mark.parametrize("setup,cell,expected", FORMULA_PIECES)
def test_a_formula_written_in_pieces_is_one_formula(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


ROWS = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('titanic.csv')\n"

# what-is-a-step.md: "`fillna`, `SimpleImputer`, assigning a value where a column is null: `impute_missing`";
# CONVENTIONS 9 (one value is no step), 15 (boolean masks are no steps). The messy Titanic notebook fills ages row by
# row: `for ind in df[df.Age.isnull()].index:` walks the labels of the rows with a missing age, `df.loc[ind, 'Sex']`
# is one value, the masks built from it pick similar passengers, and `df.loc[ind, 'Age'] = fill_value` fills the gap.
# One step, impute_missing; the loop's filter and the masks are no steps (nor is the filter of a loop over the rows
# a numeric condition picks: a constant written into another column of them derives). Control: a loop over every row
# writing a ratio derives.
ROW_LOOPS = [
    (ROWS, "for ind in df[df.Age.isnull()].index:\n"
           "    filter1 = df['Sex'] == df.loc[ind, 'Sex']\n    filter2 = df['Pclass'] == df.loc[ind, 'Pclass']\n"
           "    fill_value = df[filter1][filter2]['Age'].median()\n"
           "    if pd.isna(fill_value):\n        fill_value = df['Age'].median()\n"
           "    df.loc[ind, 'Age'] = fill_value", ["impute_missing"]),
    (ROWS, "for i in list(df.loc[df['Fare'].isna()].index):\n"
           "    df.loc[i, 'Fare'] = df[df.Pclass == df.loc[i, 'Pclass']]['Fare'].median()", ["impute_missing"]),
    (ROWS, "for i in df[df.Age > 60].index:\n    df.loc[i, 'senior'] = 1", ["derive_feature"]),
    # control
    (ROWS, "for i in df.index:\n    df.loc[i, 'ratio'] = df.loc[i, 'Fare'] / df.loc[i, 'SibSp']", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", ROW_LOOPS)
def test_gaps_filled_row_by_row_are_one_imputation(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TSERIES = "import pandas as pd\nimport numpy as np\nimport statsmodels.api as sm\nfrom scipy import signal\n" \
    "sales = pd.read_csv('sale_values.csv', index_col='date', parse_dates=['date'])\nn = 1000\n"

# what-is-a-step.md: a new series computed from the data is `derive_feature`; detrending a series (`sm.tsa.detrend`,
# `scipy.signal.detrend`, the time-series lesson) computes it as `seasonal_decompose` does (kb.statsmodels). Controls:
# the cumulative sum of data derives (CONVENTIONS 22); a random walk drawn in one statement keeps the earlier pass's
# reading (test_steps_definition: `pd.Series(np.random.randn(1000)).cumsum()` is load + derive_feature).
DETRENDED = [
    (TSERIES, "detrended = sm.tsa.detrend(sales['Sales_quantity'])", ["derive_feature"]),
    (TSERIES, "detrended = signal.detrend(sales['Sales_quantity'].values)", ["derive_feature"]),
    # controls
    (TSERIES, "running = sales['Sales_quantity'].cumsum()", ["derive_feature"]),
    (TSERIES, "ts = pd.Series(np.random.randn(n).cumsum(), name='price')", ["load", "derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", DETRENDED)
def test_a_detrended_series_is_derived(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


HOUSES = "import pandas as pd\nimport numpy as np\nX = pd.read_csv('houses.csv')\n"

# CONVENTIONS 15: "Not steps: ... column-name lists (also when computed)". A Kaggle kernel collects the columns with
# gaps (`cols = []`, `for col in X.columns: if X[col].isnull().sum() > 0: cols.append(col)`) and halves that list
# (`cols1 = cols[:len(cols) // 2]`): part of a list of names is names, not rows filtered. The same for a list
# comprehension keeping some labels, and for a frame's own labels sliced. Controls: the frame indexed by such a list
# selects columns (18), a slice of the frame itself filters rows (30), and the names list is still used to fill.
NAME_LIST_PARTS = [
    (HOUSES, "cols = []\nfor col in X.columns:\n    if X[col].isnull().sum() > 0:\n        cols.append(col)\n"
             "cols1 = cols[:int(len(cols) / 2)]\ncols2 = cols[int(len(cols) / 2):]", []),
    (HOUSES, "missing = [c for c in X.columns if X[c].isnull().any()]\nfirst = missing[:5]", []),
    (HOUSES, "num = X.select_dtypes('number').columns\ntop = num[:10]", []),
    # controls
    (HOUSES, "num = X.select_dtypes('number').columns\nX_num = X[num[:10]]", ["select_columns"]),
    (HOUSES, "head_rows = X[:100]", ["filter_rows"]),
    (HOUSES, "cols = []\nfor col in X.columns:\n    if X[col].isnull().sum() > 0:\n        cols.append(col)\n"
             "for col in cols:\n    X[col] = X[col].fillna(X[col].median())", ["impute_missing"]),
]


@pytest.mark.parametrize("setup,cell,expected", NAME_LIST_PARTS)
def test_part_of_a_list_of_column_names_is_no_step(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TWEETS = "import pandas as pd\nimport re\nfrom nltk.corpus import stopwords\nfrom nltk.stem.porter import PorterStemmer\n" \
    "df = pd.read_csv('train.csv')\n"

# what-is-a-step.md: "`str.split`, `str.strip`, `str.lower`, `replace` on text, regex extraction: `text_clean`";
# Granularity: "A statement inside a loop ... counts once, where it is written". The bag-of-words idiom of NLP
# courses and Kaggle kernels cleans the text one document at a time (`for i in range(0, len(df)): review =
# re.sub(..., df['text'][i])`, then lower / split / stem / join, appended to a corpus): each cleaning statement is a
# text_clean, though it reads one value, because the loop walks every row's text (classify/documents.py). Controls: a
# number computed from a row's value in such a loop is no step; the loop over the frame's column labels is no
# document loop.
DOCUMENT_LOOPS = [
    (TWEETS, "cleaned_tweet = []\nfor i in range(0, len(df)):\n"
             "    tweet = re.sub('[^a-zA-Z]', ' ', df['text'][i])\n    tweet = tweet.lower()\n    tweet = tweet.split()\n"
             "    ps = PorterStemmer()\n"
             "    tweet = [ps.stem(word) for word in tweet if not word in set(stopwords.words('english'))]\n"
             "    tweet = ' '.join(tweet)\n    cleaned_tweet.append(tweet)",
     ["text_clean"] * 5),
    (TWEETS, "corpus = []\nfor text in df['text'].values:\n    t = re.sub(r'http\\S+', '', text).strip()\n"
             "    corpus.append(t)", ["text_clean"]),
    # controls
    (TWEETS, "lengths = []\nfor i in range(len(df)):\n    n = len(df['text'][i])\n    lengths.append(n)", []),
    (TWEETS, "for col in df.columns:\n    print(col.lower())", []),
]


@pytest.mark.parametrize("setup,cell,expected", DOCUMENT_LOOPS)
def test_text_cleaned_document_by_document_is_cleaned(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SALES = "import pandas as pd\nimport numpy as np\nitems = pd.read_csv('items.csv')\n"

# CONVENTIONS 19: "A column assignment takes the op of its calculation only"; 22: a group statistic put back as a
# column is derive_feature. `items['spread'] = items.groupby('cat')['id'].max() - items.groupby('cat')['id'].min()`
# (a Kaggle sales kernel) is one calculation, one derive_feature, not one per group statistic. Controls: the same
# with transform stays one; a column cast after its calculation keeps the cast (derive + type_cast).
GROUP_SPREADS = [
    (SALES, "items['spread'] = items.groupby('cat')['id'].max() - items.groupby('cat')['id'].min()",
     ["derive_feature"]),
    # controls
    (SALES, "items['spread'] = items.groupby('cat')['id'].transform('max') - items.groupby('cat')['id'].transform('min')",
     ["derive_feature"]),
    (SALES, "items['n'] = round(items['price'] / items['unit']).astype(int)", ["derive_feature", "type_cast"]),
]


@pytest.mark.parametrize("setup,cell,expected", GROUP_SPREADS)
def test_one_calculation_of_group_statistics_is_one_derived_column(setup: str, cell: str,
                                                                   expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SHIP = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('spaceship.csv')\n"

# CONVENTIONS 29: "`outlier_remove` covers statistical bounds, clipping, replacing outliers"; what-is-a-step.md:
# "`clip`: `outlier_remove`". Capping by assignment is already read so with an operator (`df.loc[df.Age >= 73, 'Age']
# = 73`); a Kaggle kernel writes the comparison as a method (`df.loc[df.RoomService.gt(9000), 'RoomService'] = 9000`),
# the same cap. Controls: a flag written into another column derives; a code that is not the bound derives.
METHOD_CAPS = [
    (SHIP, "df.loc[df.RoomService.gt(9000), 'RoomService'] = 9000", ["outlier_remove"]),
    (SHIP, "df.loc[df['Spa'].ge(17000), 'Spa'] = 17000", ["outlier_remove"]),
    # controls
    (SHIP, "df.loc[df.RoomService.gt(9000), 'big_spender'] = 1", ["derive_feature"]),
    (SHIP, "df.loc[df.Age.lt(13), 'Age'] = 0", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", METHOD_CAPS)
def test_a_cap_written_with_a_comparison_method_removes_outliers(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


LEARN = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n" \
    "X = pd.read_csv('train.csv')\nX_train, X_valid = train_test_split(X, train_size=0.8)\n"

# CONVENTIONS 15: "column-name lists (also when computed)" are no steps. Kaggle Learn's course idiom lists the
# categorical columns with `s = (X_train.dtypes == 'object')` then `object_cols = list(s[s].index)`: the test is of
# the columns' types, the labels it keeps are names, not rows filtered (nor a split of X_train). Controls: the frame
# indexed by those names selects (18), and a row mask on the data still filters (30).
DTYPE_NAMES = [
    (LEARN, "s = (X_train.dtypes == 'object')\nobject_cols = list(s[s].index)", []),
    (LEARN, "i = X.dtypes != 'object'\nnum_cols = list(i[i].index)", []),
    # controls
    (LEARN, "s = (X_train.dtypes == 'object')\nobject_cols = list(s[s].index)\nX_cat = X_train[object_cols]",
     ["select_columns"]),
    (LEARN, "m = X['HomePlanet'] == 'Earth'\nearth = X[m]", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", DTYPE_NAMES)
def test_labels_kept_by_a_test_of_dtypes_are_names(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SCRATCH = "import pandas as pd\nimport numpy as np\ntweets = pd.read_csv('train.csv')\n" \
    "X_train = tweets[['pos_freq', 'neg_freq']].values\nX_test = tweets[['pos', 'neg']].values\n"

# CONVENTIONS 13: "Adding a column of ones, or building a design matrix from a variable and its powers ... is
# `derive_feature`". A from-scratch logistic regression kernel adds the intercept column with
# `np.append(np.ones((X_train.shape[0], 1)), X_train, axis=1)`, as others do with np.hstack / np.c_. Control: np.append
# of two data arrays side by side stays a concat.
ONES_APPENDED = [
    (SCRATCH, "X_train = np.append(np.ones((X_train.shape[0], 1)), X_train, axis=1)", ["derive_feature"]),
    # control
    (SCRATCH, "both = np.append(X_train, X_test, axis=1)", ["concat"]),
]


@pytest.mark.parametrize("setup,cell,expected", ONES_APPENDED)
def test_a_column_of_ones_appended_derives(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


DIAB = "import pandas as pd\nimport numpy as np\ndata = pd.read_csv('diabetes.csv')\n"

# CONVENTIONS 9: "A single number (sum, mean, std, quantile, ...) is not a step, even when assigned ... A statistic used
# as a parameter of another step is part of that step"; 29: statistical bounds, clipping and replacing outliers are
# outlier_remove; 19: a column assignment takes the op of its calculation only. Kaggle kernels write the IQR rule on a
# selection of columns (`Q1 = data.iloc[:, :-1].quantile(0.25)`, `IQR = Q3 - Q1`): the statistics are parameters,
# as they already are on the whole frame, and the filter they bound removes outliers. A nested np.where that caps both
# ends is one calculation, one step. A loop over part of a frame's labels (`for c in df.columns[1:]`) walks names, no
# rows filtered. Nested np.where binning a column derives once (also one step). Control: the selection itself kept as
# data selects.
IQR_RULES = [
    (DIAB, "Q1 = data.iloc[:, :-1].quantile(0.25)\nQ3 = data.iloc[:, :-1].quantile(0.75)\nIQR = Q3 - Q1\n"
           "clean = data[~((data.iloc[:, :-1] < (Q1 - 1.5 * IQR)) | (data.iloc[:, :-1] > (Q3 + 1.5 * IQR))).any(axis=1)]",
     ["outlier_remove"]),
    (DIAB, "hi = data['Insulin'].quantile(0.99)\nlo = data['Insulin'].quantile(0.01)\n"
           "data['Insulin'] = np.where(data['Insulin'] > hi, hi, np.where(data['Insulin'] < lo, lo, data['Insulin']))",
     ["outlier_remove"]),
    (DIAB, "for c in data.columns[1:]:\n    data[c] = data[c].fillna(data[c].median())", ["impute_missing"]),
    (DIAB, "for col in data.isnull().sum().index[0:-1]:\n    data[col] = data[col].fillna(0)", ["impute_missing"]),
    # controls
    (DIAB, "features = data.iloc[:, :-1]", ["select_columns"]),
    (DIAB, "data['band'] = np.where(data['Age'] > 50, 'old', np.where(data['Age'] > 30, 'mid', 'young'))",
     ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", IQR_RULES)
def test_iqr_bounds_of_a_selection_and_nested_caps(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


LOADERS = "import pandas as pd\nimport sys\nsys.path.append('../utils')\nimport loaders\n"

# what-is-a-step.md: "Sources are steps ... Every root of the data lineage is a `load`"; CONVENTIONS 4b: helpers
# imported from outside the notebook are black boxes, the call is the step. BuzzFeed News' analyses read their data
# through the project's own module (`employers = loaders.load_employers().set_index("CASE_ID")`): a load, whatever
# the noun after load_ / read_. Controls: loading a fitted model is no step (CONVENTIONS 15), and a project helper
# not named for reading stays a black box with no op.
PROJECT_LOADERS = [
    (LOADERS, "employers = loaders.load_employers().set_index('CASE_ID')", ["load", "other"]),
    (LOADERS, "from loaders import read_violations\nviolations = read_violations()", ["load"]),
    # controls
    (LOADERS, "model = loaders.load_model('model.pkl')", []),
    (LOADERS, "loaders.print_summary()", []),
]


@pytest.mark.parametrize("setup,cell,expected", PROJECT_LOADERS)
def test_a_project_loader_loads(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SCORES = "import pandas as pd\nfrom sklearn.svm import SVC\nfrom sklearn.neighbors import KNeighborsClassifier\n" \
    "train_df = pd.read_csv('train.csv')\nX_train = train_df.drop('Survived', axis=1)\nY_train = train_df['Survived']\n" \
    "svc = SVC().fit(X_train, Y_train)\nacc_svc = round(svc.score(X_train, Y_train) * 100, 2)\n" \
    "knn = KNeighborsClassifier().fit(X_train, Y_train)\nacc_knn = round(knn.score(X_train, Y_train) * 100, 2)\n" \
    "fares = train_df['Fare'].tolist()\nages = train_df['Age'].tolist()\n"

# CONVENTIONS 27: "assigned summary_frame() / results tables" are evaluate; the blind labels read a results table the
# metrics are copied into as one evaluate (the same table written column by column is one already). The Kaggle kernel
# writes it as a dict literal (`models = pd.DataFrame({'Model': [...], 'Score': [acc_svc, acc_knn]})`). Controls:
# lists of data values put side by side stay a concat (13); a table of names only is no step.
RESULT_TABLES = [
    (SCORES, "models = pd.DataFrame({'Model': ['Support Vector Machines', 'KNN'], 'Score': [acc_svc, acc_knn]})\n"
             "models.sort_values(by='Score', ascending=False)", ["evaluate"]),
    # controls
    (SCORES, "both = pd.DataFrame({'fare': fares, 'age': ages})", ["concat"]),
    (SCORES, "names = pd.DataFrame({'Model': ['Support Vector Machines', 'KNN']})", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", RESULT_TABLES)
def test_metrics_copied_into_a_dict_table_are_one_evaluation(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SALES_DATES = "import pandas as pd\nfrom datetime import datetime\ntrain = pd.read_csv('sales_train.csv')\n"

# CONVENTIONS 21: "`to_datetime`, `strptime` ... are `datetime_parse`. Extracting date parts is `derive_feature`".
# A sales kernel takes the month out of a text date with `apply(lambda x: datetime.strptime(x, '%d.%m.%Y')
# .strftime('%m'))`: the part written back, derive_feature, not the parse. Also what-is-a-step.md's hand-written split:
# a function named for splitting that rebinds its arguments to their parts (`train_features =
# train_features.iloc[0:1100]`) returns them as the split. Controls: the lambda returning the parse parses; a helper
# not named for splitting keeps its row filters.
DATE_PARTS = [
    (SALES_DATES, "train['month'] = train.date.apply(lambda x: datetime.strptime(x, '%d.%m.%Y').strftime('%m'))",
     ["derive_feature"]),
    (SALES_DATES, "def split_data(train_features, train_labels):\n"
                  "    validation_set = train_features.iloc[1100:]\n    validation_labels = train_labels.iloc[1100:]\n"
                  "    train_features = train_features.iloc[0:1100]\n    train_labels = train_labels.iloc[0:1100]\n"
                  "    return (validation_set, validation_labels, train_features, train_labels)\n"
                  "parts = split_data(train, train['item_cnt_day'])", ["split", "split", "split", "split"]),
    # controls
    (SALES_DATES, "train['date'] = train['date'].apply(lambda x: datetime.strptime(x, '%d.%m.%Y'))", ["datetime_parse"]),
    (SALES_DATES, "def first_rows(d):\n    d = d.iloc[0:1100]\n    return d\nhead = first_rows(train)", ["filter_rows"]),
]


@pytest.mark.parametrize("setup,cell,expected", DATE_PARTS)
def test_a_date_part_written_back_derives(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# CONVENTIONS 15: "column-name lists (also when computed)" are no steps. A house-prices kernel narrows its list of
# numeric columns with `numeric_cols = numeric_cols.drop(date_cols)` (an Index of labels): names still, not rows
# filtered (nor outliers removed). Controls: the frame indexed by the narrowed labels selects (18); rows of a Series
# dropped by label filter; a frame's columns dropped are drop_columns.
LABEL_DROPS = [
    (HOUSES, "numeric_cols = X.select_dtypes('number').columns\nnumeric_cols = numeric_cols.drop(['YrSold', 'MoSold'])",
     []),
    (HOUSES, "cols = X.columns.drop('SalePrice')\nfeatures = cols.drop('Id')", []),
    # controls
    (HOUSES, "cols = X.columns.drop('SalePrice')\nfeatures = cols.drop('Id')\nX_feat = X[features]", ["select_columns"]),
    (HOUSES, "price = X['SalePrice']\nprice = price.drop([0, 1])", ["select_columns", "filter_rows"]),
    (HOUSES, "X = X.drop(['Id'], axis=1)", ["drop_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", LABEL_DROPS)
def test_labels_narrowed_with_drop_are_names(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


# what-is-a-step.md, Inspection: "`isnull().sum()`" is looking at data; CONVENTIONS 10: it stays inspection when
# assigned; 15: column-name lists, also when computed, are no steps. A house-prices kernel writes the default axis out
# (`null_values_exceed = train_data.isna().sum(axis=0) > 600`) and keeps the labels that pass
# (`cols = null_values_exceed[null_values_exceed].index`): still a count of gaps per column, and names. Controls: the
# gaps counted per row (axis=1) are one value per row (a table of statistics, aggregate), and the columns named by
# the test dropped from the frame are drop_columns.
GAP_COUNTS = [
    (HOUSES, "null_values_exceed = X.isna().sum(axis=0) > 600\ncols = null_values_exceed[null_values_exceed].index", []),
    (HOUSES, "gaps = X.isnull().sum() > 0\nwith_gaps = list(gaps[gaps].index)", []),
    # controls
    (HOUSES, "per_row = X.isnull().sum(axis=1)", ["aggregate"]),
    (HOUSES, "gaps = X.isna().sum(axis=0) > 600\nX = X.drop(list(gaps[gaps].index), axis=1)", ["drop_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", GAP_COUNTS)
def test_gaps_counted_per_column_with_axis_zero_are_inspection(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SELECTOR = "import pandas as pd\nimport numpy as np\nfrom sklearn.feature_selection import SelectKBest, f_classif\n" \
    "total_data = pd.read_csv('titanic.csv')\nnum_variables = ['Pclass', 'Age', 'Fare', 'SibSp', 'Parch']\n" \
    "selector = SelectKBest(score_func=f_classif, k=3).fit(total_data[num_variables], total_data['Survived'])\n"

# CONVENTIONS 15: column-name lists (also when computed) are no steps. A course lesson picks the selected features' names
# with `selected_cols = np.array(num_variables)[selector.get_support()]`: names, not data made in code (a load) nor
# columns selected. Controls: the frame indexed by those names selects (18); an array of numbers written in the code is
# data made in code (load, "Sources are steps").
SELECTED_NAMES = [
    (SELECTOR, "selected_cols = np.array(num_variables)[selector.get_support()]", []),
    # controls
    (SELECTOR, "selected_cols = np.array(num_variables)[selector.get_support()]\nX_sel = total_data[selected_cols]",
     ["select_columns"]),
    (SELECTOR, "fares = np.array([7.25, 71.28, 8.05])", ["load"]),
]


@pytest.mark.parametrize("setup,cell,expected", SELECTED_NAMES)
def test_names_picked_from_an_array_of_names_are_names(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


SPAM = "import pandas as pd\nimport re\nfrom nltk.stem import WordNetLemmatizer\n" \
    "total_data = pd.read_csv('spam.csv')\nlemmatizer = WordNetLemmatizer()\nstop_words = ['the', 'a']\n"

# CONVENTIONS 3: the apply is the step and takes the op of what the function does to each value (kb.pandas
# CONTESTED_METHODS); what-is-a-step.md: stemming-like text work and stop-word removal are text_clean. An NLP lesson's
# function is given one value and a defaulted helper (`def lemmatize_text(words, lemmatizer=lemmatizer)`): it is
# applied value by value as a one-parameter function is. Controls: a function of two required values is no per-value
# callback to read (derive_feature, as before); a defaulted function that counts derives.
DEFAULTED_CALLBACKS = [
    (SPAM, "def lemmatize_text(words, lemmatizer=lemmatizer):\n"
           "    tokens = [lemmatizer.lemmatize(word) for word in words]\n"
           "    return [word for word in tokens if word not in stop_words]\n"
           "total_data['Message'] = total_data['Message'].apply(lemmatize_text)", ["text_clean"]),
    # controls
    (SPAM, "def n_long(words, minimum=3):\n    return len([w for w in words if len(w) > minimum])\n"
           "total_data['n_long'] = total_data['Message'].apply(n_long)", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", DEFAULTED_CALLBACKS)
def test_a_callback_with_defaulted_parameters_is_read_by_its_body(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PIMA = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('diabetes.csv')\nsw = ['the', 'a', 'of']\n"

# CONVENTIONS 9: "A statistic used as a parameter of another step is part of that step"; what-is-a-step.md: fillna is
# impute_missing. A pima kernel fills gaps with a random draw around the column's mean (`number =
# np.random.normal(df[f].mean(), df[f].std() / 2)`, then `df[f].fillna(value=number, inplace=True)`): the draw is the
# fill value, part of the imputation, not data made (a load). And an NLP kernel removes stop words with
# `apply(lambda x: " ".join(w for w in x.split() if w not in sw))`: words kept and joined back, text_clean
# ("`str.split` ... `replace` on text: `text_clean`"). Controls: noise drawn and added to data stays a load of its own
# (28); a part picked out of a split text derives (the labels read `y.split("-")[0]` so); words counted derive.
FILL_DRAWS_AND_WORDS = [
    (PIMA, "for feature in ['Glucose', 'BMI']:\n"
           "    number = np.random.normal(df[feature].mean(), df[feature].std() / 2)\n"
           "    df[feature].fillna(value=number, inplace=True)", ["impute_missing"]),
    (PIMA, "df['text'] = df['text'].apply(lambda x: ' '.join(w for w in x.split() if w not in sw))", ["text_clean"]),
    # controls
    (PIMA, "noise = np.random.normal(0, 1, len(df))\ndf['Age'] = df['Age'].fillna(30) + noise",
     ["load", "impute_missing"]),
    (PIMA, "df['code'] = df['text'].apply(lambda y: y.split('-')[0])", ["derive_feature"]),
    (PIMA, "df['n_words'] = df['text'].apply(lambda x: len(x.split()))", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", FILL_DRAWS_AND_WORDS)
def test_a_drawn_fill_value_and_words_rejoined(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


DIGITS = "import pandas as pd\nimport numpy as np\nmnist = pd.read_csv('mnist.csv')\ny_train = mnist['label'].values\n" \
    "Smarket = pd.read_csv('Smarket.csv')\n"

# CONVENTIONS 20: "an indicator of a category value (`(sex=='female').astype(int)`, `np.where(target=='spam',1,0)`)" is
# encode_categorical, "an indicator from a numeric condition is derive_feature"; 15: a boolean mask (to pick rows) is no
# step. A comparison assigned to a name for the model's target (the course's `y_train_5 = (y_train == 5)`, ISLP's
# `y = Smarket.Direction == 'Up'`, labelled encode_categorical in the tuning notebooks) is that indicator, the target
# made; the same comparison under another name is a mask. Controls: `mask = ...` then rows picked by it filters.
TARGET_INDICATORS = [
    (DIGITS, "y = Smarket.Direction == 'Up'", ["encode_categorical"]),
    (DIGITS, "y_train_5 = (y_train == 5)", ["derive_feature"]),
    # controls
    (DIGITS, "up_days = Smarket.Direction == 'Up'\nups = Smarket[up_days]", ["filter_rows"]),
    (DIGITS, "year05 = Smarket['Year'] == 2005", []),
]


@pytest.mark.parametrize("setup,cell,expected", TARGET_INDICATORS)
def test_a_comparison_made_the_target_is_an_indicator(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
