"""Twenty-ninth pass (acc58): kinds of code batch 10 (tuning since 2026-12-07 03:59 UTC) loses, as small cells.

Each rule has positive rows (what it reads) and controls (what stays as it was). Written for kinds of code many
notebooks write, not for one notebook's lines; the README's "Twenty-ninth pass (acc58 ...)" says which batch-10
mismatches each kind came from.
"""

from __future__ import annotations

import pytest

from .after_setup import ops_after

NP = "import numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
MAKER = NP + ("def generate_linear_regression_data(n=100, d=1, sigma=0.5):\n"
              "    x = np.random.uniform(-1, 1, size=(n, d))\n"
              "    y = x.sum(axis=1) + sigma * np.random.randn(n)\n"
              "    return x, y\n")
CAMEL_MAKER = NP + ("def makeLogisticData(n):\n"
                    "    X = np.random.randn(n, 2)\n"
                    "    y = (X[:, 0] + np.random.randn(n) > 0).astype(int)\n"
                    "    return X, y\n")
FITTER = NP + ("def fit_linear_regression(x, y):\n"
               "    return np.linalg.inv(x.T @ x) @ x.T @ y\n"
               "x = np.random.rand(20, 2)\ny = np.random.rand(20)\n")

DATA_MAKERS = [
    # a function of the notebook named for the data it makes, its body drawing what it returns: the call loads
    # (CONVENTIONS 4c, 28), the model word in its name (`regression`, `logistic`) names the data, not a fit
    (MAKER, "x, y = generate_linear_regression_data(n=50, d=5)", ["load"]),
    (MAKER, "x_a, y_a = generate_linear_regression_data(n=500)\nx_b, y_b = generate_linear_regression_data(n=500)",
     ["load", "load"]),
    (CAMEL_MAKER, "X, y = makeLogisticData(200)", ["load"]),
    # controls: a function named for fitting stays a fitted model (CONVENTIONS 4a); a name for data made whose body
    # draws nothing (it reads a file) is a helper classified in its body (CONVENTIONS 1)
    (FITTER, "w = fit_linear_regression(x, y)", ["fit_model"]),
    (NP + "import pandas as pd\ndef make_regression_data(path):\n    return pd.read_csv(path)\n",
     "d = make_regression_data('a.csv')", []),
]


@pytest.mark.parametrize("setup,cell,expected", DATA_MAKERS)
def test_a_function_named_for_the_data_it_draws_loads(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FITTED = NP + ("x = np.random.rand(50, 2)\ny = np.random.rand(50)\nx_test = np.random.rand(50, 2)\n"
               "y_test = np.random.rand(50)\nm = LinearRegression().fit(x, y)\n")

FILLED_BY_POSITION = [
    # predictions written by position into an array made to hold them: the array holds predictions, so errors
    # computed from its slices evaluate (CONVENTIONS 27), in the loop or after it
    (FITTED, "y_predict = np.zeros((50, 10))\nerr = np.zeros((50, 10))\nfor i in range(10):\n"
             "    y_predict[:, i] = m.predict(x_test)\n    err[:, i] = (y_test - y_predict[:, i]) ** 2\n",
     ["predict", "evaluate"]),
    (FITTED, "y_predict = np.zeros((50, 10))\nfor i in range(10):\n    y_predict[:, i] = m.predict(x_test)\n"
             "bias = (y_test - y_predict.mean(axis=1)) ** 2\n", ["predict", "evaluate"]),
    # per-row errors of a plain prediction written as a slice of an accumulator evaluate too
    (FITTED, "err = np.zeros((50, 10))\nfor i in range(10):\n    p = m.predict(x_test)\n"
             "    err[:, i] = (y_test - p) ** 2\n", ["predict", "evaluate"]),
    # an array made empty, then given evaluations or predictions outside a loop, is an accumulator (15), no load
    (FITTED, "y_predict = np.zeros((50, 10))\nfor i in range(10):\n    y_predict[:, i] = m.predict(x_test)\n"
             "bias = np.zeros((50, 2))\nbias[:, 0] = (y_test - y_predict.mean(axis=1)) ** 2\n", ["predict", "evaluate"]),
    (FITTED, "y_hat = np.zeros((50, 2))\ny_hat[:, 0] = m.predict(x_test)\n", ["predict"]),
    # controls: a cost surface filled cell by cell over a grid of parameters is only drawn (CONVENTIONS 8); an array
    # filled by position with data read, not predictions, holds no prediction (its differences derive)
    (FITTED, "import matplotlib.pyplot as plt\nw0 = np.linspace(-1, 1, 5)\nw1 = np.linspace(-1, 1, 5)\n"
             "Z = np.zeros((5, 5))\nfor i in range(5):\n    for j in range(5):\n"
             "        Z[i, j] = np.mean((y - (w0[i] + w1[j] * x[:, 0])) ** 2)\nplt.contour(w0, w1, Z)\n", []),
    # ... and one filled with data outside a loop is data built in the code, as before (data_uses)
    (FITTED, "design = np.ones((50, 2))\ndesign[:, 1] = x_test[:, 0]\n", ["load", "other"]),
    (FITTED, "shifted = np.zeros((50, 10))\nfor i in range(10):\n    shifted[:, i] = x_test[:, 0] + i\n"
             "diff = (y_test - shifted.mean(axis=1)) ** 2\n", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", FILLED_BY_POSITION)
def test_errors_of_predictions_filled_by_position_evaluate(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PROJECT = ("import pandas as pd\nimport src.utils as ut\nimport src.models as mo\n"
           "df = pd.read_csv('survey.csv')\ndd = pd.read_csv('codebook.csv')\n")
FITTED_BY_HELPER = PROJECT + "fit = mo.model_impact_causal(df)\n"

PROJECT_HELPERS = [
    # the project's reader named `import_*_data` loads, as load_* / read_* do (CONVENTIONS 4b)
    (PROJECT, "df2, dd2 = ut.import_transformed_data('dat/orb_uk')", ["load"]),
    (PROJECT, "raw = ut.import_raw_data()", ["load"]),
    # the project's `model_<what>` handed the data fits it (4b), and its helpers handed the fitted model first whose
    # name says estimates / statistics / diagnostics make its results table: evaluate (27)
    (PROJECT, "fit = mo.model_impact_causal(df)", ["fit_model"]),
    (PROJECT, "fit_socdem = mo.model_socdem(df, dd, 'Social media')", ["fit_model"]),
    (FITTED_BY_HELPER, "diags = ut.stats(fit, save='out/diags')", ["evaluate"]),
    (FITTED_BY_HELPER, "or_table = ut.stats_socdem(fit, dd, df, oddsratio=True)", ["evaluate"]),
    # a column level unstacked and two tables put side by side by the project's helpers: reshape, concat (6, 13)
    (PROJECT, "wide = ut.unstack_df(df)", ["reshape"]),
    (PROJECT, "both = ut.combine_dfs(df, dd, 'Treatment', 'Control')", ["concat"]),
    # the project's data dictionary read, and counts per value of its columns made by its helper (assigned or shown)
    (PROJECT, "dd3 = ut.import_datadict()", ["load"]),
    (PROJECT, "counts = ut.get_socdem_counts(df, dd, 'Treatment')", ["aggregate"]),
    (PROJECT, "ut.get_socdem_counts(df, dd, 'Treatment')", ["aggregate"]),
    # the project's preprocessing of the whole data set, named `treat_dataset*`: one other (25)
    (PROJECT, "treated = ut.treat_dataset_pandas_init(df, process_as_category=True)", ["other"]),
    # controls: Python's import machinery and a settings reader load nothing; a model helper asked for its code only
    # fits nothing; the model helpers named for results or settings fit nothing; handed no data, `model_*` is no fit;
    # a helper handed data (no fitted model) first whose name starts with `stats` is no evaluation
    (PROJECT, "import importlib\nm = importlib.import_module('src.features')", []),
    (PROJECT, "cfg = ut.import_config('cfg.yaml')", []),
    (PROJECT, "print(mo.model_socdem(df, dd, code_only=True))", []),
    (FITTED_BY_HELPER, "s = mo.model_summary(fit)", ["evaluate"]),
    (PROJECT, "p = mo.model_path('uk')", []),
    (PROJECT, "m = mo.model_impact_causal()", []),
    (PROJECT, "s = ut.stats_by_region(df)", ["aggregate"]),
    (PROJECT, "n = ut.counts()", []),
    (PROJECT, "ut.treat_warnings()", []),
    (PROJECT, "ut.plot_counts(df)", []),
]


@pytest.mark.parametrize("setup,cell,expected", PROJECT_HELPERS)
def test_a_projects_helpers_named_for_reading_fitting_and_results(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FOLDS = ("import numpy as np\nfrom sklearn.model_selection import KFold\nx_train = np.random.rand(50, 1)\n"
         "y_train = np.random.rand(50)\nkf = KFold(n_splits=5, shuffle=True)\n")

FOLD_PAIRS = [
    # the loop keeps each fold whole and unpacks it in its body: the names are the fold's row positions, so the rows
    # they pick are split parts (CONVENTIONS 16: "selecting KFold indices"), as `for tr, va in kf.split(X)` gives
    (FOLDS, "for isplit, idx in enumerate(kf.split(x_train)):\n    idx_tr, idx_val = idx\n"
            "    y_train_kfold = y_train[idx_tr]\n    y_val_kfold = y_train[idx_val]\n", ["split", "split"]),
    (FOLDS, "for idx in kf.split(x_train):\n    tr, va = idx\n    x_tr = x_train[tr]\n", ["split"]),
    # controls: unpacked by the loop itself, as before; a pair of anything else unpacked is no fold
    (FOLDS, "for tr, va in kf.split(x_train):\n    x_tr = x_train[tr]\n", ["split"]),
    (FOLDS, "for pair in [(0, 1), (2, 3)]:\n    a, b = pair\n    col = x_train[:, a]\n", ["select_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", FOLD_PAIRS)
def test_a_fold_kept_whole_by_the_loop_then_unpacked_splits(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


POWERS = [
    # a variable raised to a range of powers: polynomial features by hand, derive_feature (CONVENTIONS 13)
    (FOLDS, "x_train_trans = x_train ** np.arange(1, 11)", ["derive_feature"]),
    (FOLDS, "for d in range(1, 5):\n    x_poly = x_train ** np.arange(1, d + 1)\n", ["derive_feature"]),
    # controls: a range squared stays data made in the code (28); data squared by a number derives as before
    (FOLDS, "sq = np.arange(1, 11) ** 2\nprint(sq.sum())\n", ["load"]),
    (FOLDS, "x_sq = x_train ** 2", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", POWERS)
def test_a_variable_raised_to_a_range_of_powers_derives(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


TALLY = "import pandas as pd\nimport numpy as np\nm = pd.read_csv('metrics.csv')\n"

UNPACKED_COLUMNS = [
    # a column of a small table unpacked into names: numbers read out for a test, no column selected (CONVENTIONS 9);
    # the group-by that made the table stays its aggregate
    (TALLY, "gb = m.groupby('platform').accuracy.agg(mean='mean', sum='sum')\np1, p2 = gb['mean']\nk1, k2 = gb['sum']\n",
     ["aggregate"]),
    # controls: one name bound to a column is a column selected (18); a table's columns taken apart as arrays by
    # `.values.T` stay as before
    (TALLY, "gb = m.groupby('platform').accuracy.agg(mean='mean')\np = gb['mean']\n", ["aggregate", "select_columns"]),
    (TALLY, "a, b = m[['a', 'b']].values.T\n", ["select_columns"]),
]


@pytest.mark.parametrize("setup,cell,expected", UNPACKED_COLUMNS)
def test_a_column_unpacked_into_names_is_numbers(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PERMUTED = [
    # each column shuffled by apply: a permutation, sample (CONVENTIONS 30), as np.random.permutation(x) is
    (TALLY, "permuted = m[['a', 'b']].apply(np.random.permutation)", ["select_columns", "sample"]),
    (TALLY + "from numpy.random import permutation\n", "shuffled = m.apply(permutation)", ["sample"]),
    # controls: a NumPy function of each column's values applied keeps its op (scale_normalize for np.log)
    (TALLY, "logged = m[['a', 'b']].apply(np.log)", ["select_columns", "scale_normalize"]),
]


@pytest.mark.parametrize("setup,cell,expected", PERMUTED)
def test_columns_shuffled_by_apply_are_a_sample(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


MOVED = [
    # a frame's own column popped and inserted back elsewhere: the columns reordered, other (not drop + derive)
    (TALLY, "m.insert(loc=0, column='year', value=m.pop('year'))", ["other"]),
    (TALLY, "m.insert(1, 'month', m.pop('month'))", ["other"]),
    (TALLY + "def scrape(month):\n    return pd.read_html('https://example.org/' + month)[0]\n",
     "info = scrape('202401')\ninfo.insert(0, 'year', info.pop('year'))", ["other"]),
    # controls: a column popped from another frame is dropped there; a pop alone drops; a list's own item moved is a
    # list of labels reordered (CONVENTIONS 15), no step
    (TALLY + "other = pd.read_csv('o.csv')\n", "m.insert(0, 'year', other.pop('year'))", ["drop_columns"]),
    (TALLY, "m.pop('year')", ["drop_columns"]),
    (TALLY, "cols = list(m.columns)\ncols.insert(0, cols.pop(cols.index('y')))", []),
]


@pytest.mark.parametrize("setup,cell,expected", MOVED)
def test_a_column_popped_and_inserted_back_is_moved(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


FE = ("import pandas as pd\nfrom feature_engine.creation import MathematicalCombination, CombineWithReferenceFeature\n"
      "from feature_engine.encoding import OneHotCategoricalEncoder\nfrom feature_engine.creation import MathFeatures\n"
      "data = pd.read_csv('winequality-red.csv', sep=';')\n")

OLD_FEATURE_ENGINE_NAMES = [
    # feature-engine's transformers under the names of its releases before 1.3: the op of the renamed class
    (FE, "combinator = MathematicalCombination(variables_to_combine=['a', 'b'], math_operations=['sum'])\n"
         "data = combinator.fit_transform(data)", ["derive_feature"]),
    (FE, "ratio = CombineWithReferenceFeature(variables_to_combine=['a'], reference_variables=['b'])\n"
         "data = ratio.fit_transform(data)", ["derive_feature"]),
    (FE, "enc = OneHotCategoricalEncoder(variables=['c'])\ndata = enc.fit_transform(data)", ["encode_categorical"]),
    # controls: the new name as before; a fit alone is no step (CONVENTIONS 25)
    (FE, "mf = MathFeatures(variables=['a', 'b'], func=['sum'])\ndata = mf.fit_transform(data)", ["derive_feature"]),
    (FE, "combinator = MathematicalCombination(variables_to_combine=['a', 'b'])\ncombinator.fit(data)", []),
]


@pytest.mark.parametrize("setup,cell,expected", OLD_FEATURE_ENGINE_NAMES)
def test_feature_engines_older_names_keep_their_ops(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PL = "import polars as pl\ndf = pl.read_csv('iris.csv')\n"

WHEN_RECODES = [
    # a when/then chain giving each code of one column a label: the codes recoded, encode_categorical (20)
    (PL, "df = df.with_columns(pl.when(pl.col('species') == 0).then(pl.lit('setosa'))"
         ".when(pl.col('species') == 1).then(pl.lit('versicolor'))"
         ".when(pl.col('species') == 2).then(pl.lit('virginica')).alias('species'))", ["encode_categorical"]),
    (PL, "df = df.with_columns(pl.when(pl.col('grade') == 'A').then(3).when(pl.col('grade') == 'B').then(2)"
         ".otherwise(1).alias('grade_code'))", ["encode_categorical"]),
    # controls: a numeric condition, or results computed from columns, derive (CONVENTIONS 20, 22: np.where-like)
    (PL, "df = df.with_columns(pl.when(pl.col('x') > 5).then(pl.lit('big')).when(pl.col('x') > 2)"
         ".then(pl.lit('mid')).otherwise(pl.lit('small')).alias('size'))", ["derive_feature"]),
    (PL, "df = df.with_columns(pl.when(pl.col('k') == 0).then(pl.col('a')).when(pl.col('k') == 1)"
         ".then(pl.col('b')).alias('v'))", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", WHEN_RECODES)
def test_a_when_then_chain_recoding_one_columns_codes_encodes(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


PDS = "import polars as pl\nimport polars_ds as pds\n"

DRAWN_FRAMES = [
    # polars-ds' frame of n rows with random columns drawn into it: one load (CONVENTIONS 28); a column computed
    # afterwards derives
    (PDS, "df = pds.frame(size=1000).select(pds.random(0.0, 1.0).alias('x1'), pds.random_normal(0.0, 1.0).alias('x2'))",
     ["load"]),
    (PDS, "df = pds.frame(size=1000).select(pds.random(0.0, 1.0).alias('u'))"
          ".with_columns(pl.concat_list('u', 1 - pl.col('u')).alias('p'))", ["load", "derive_feature"]),
    # controls: a read frame's select of columns stays a selection; a column computed from the data derives
    (PDS + "df = pl.read_csv('a.csv')\n", "sub = df.select('a', 'b')", ["select_columns"]),
    (PDS + "df = pl.read_csv('a.csv')\n", "df = df.with_columns((pl.col('a') * 2).alias('a2'))", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", DRAWN_FRAMES)
def test_a_frame_of_random_columns_drawn_is_one_load(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


DUCK = "import pandas as pd\nimport duckdb\ntrain_data = pd.read_csv('train.csv')\n"

SQL_IN_A_NAME = [
    # SQL text written into a name and run by it: its clauses are the steps, as when written in the call (22)
    (DUCK, "q = 'SELECT k, COUNT(*) AS n FROM train_data GROUP BY k'\nr = duckdb.query(q).df()", ["aggregate"]),
    (DUCK, "factor = 'k'\nquery = f\"\"\"SELECT \"{factor}\" AS v, AVG(p) AS m FROM train_data GROUP BY v\"\"\"\n"
           "r = duckdb.query(query).df()", ["aggregate"]),
    # controls: written in the call, as before; a name bound again to a file's text holds no written query (the file
    # read and the query of a database, two loads, as before)
    (DUCK, "r = duckdb.query('SELECT k, COUNT(*) AS n FROM train_data GROUP BY k').df()", ["aggregate"]),
    (DUCK, "q = 'SELECT k, COUNT(*) AS n FROM train_data GROUP BY k'\nq = open('query.sql').read()\n"
           "r = duckdb.query(q).df()", ["load", "load"]),
]


@pytest.mark.parametrize("setup,cell,expected", SQL_IN_A_NAME)
def test_sql_text_held_by_a_name_is_read_by_its_clauses(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


COLS = "import pandas as pd\ntrain_data = pd.read_csv('t.csv')\ncols = ['a', 'b']\n"

KEPT_TABLES = [
    # a table of counts or of group statistics kept per key in a dict the loop fills: the aggregate (10, 22)
    (COLS, "res = {}\nfor col in cols:\n    res[col] = train_data[col].value_counts(normalize=True)\n", ["aggregate"]),
    (COLS, "res = {}\nfor col in cols:\n    res[col] = train_data.groupby(col)['y'].mean()\n", ["aggregate"]),
    # controls: a number per key (nunique) is an answer (9); a feature kept derives, as before
    (COLS, "res = {}\nfor col in cols:\n    res[col] = train_data[col].nunique()\n", []),
    (COLS, "res = {}\nfor col in cols:\n    res[col] = train_data[col].shift(1)\n", ["derive_feature"]),
]


@pytest.mark.parametrize("setup,cell,expected", KEPT_TABLES)
def test_a_table_of_counts_kept_in_a_dict_aggregates(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)


MARKERS = [
    # one marker of a missing value written as another (pd.NA -> np.nan): the same gaps in another form, other
    (TALLY, "m = m.replace([pd.NA], np.nan)", ["other"]),
    (TALLY, "m = m.replace({None: np.nan})", ["other"]),
    # controls: an anomaly code cleared (29), infinities swapped, a gap filled (as before)
    (TALLY, "m = m.replace({365243: np.nan})", ["outlier_remove"]),
    (TALLY, "m = m.replace([np.inf, -np.inf], np.nan)", ["outlier_remove"]),
    (TALLY, "m = m.replace(np.nan, 0)", ["impute_missing"]),
]


@pytest.mark.parametrize("setup,cell,expected", MARKERS)
def test_a_missing_marker_written_as_another_is_other(setup: str, cell: str, expected: list[str]) -> None:
    assert sorted(ops_after(setup, cell)) == sorted(expected)
