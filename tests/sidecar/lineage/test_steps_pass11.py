"""Rules of the eleventh pass on batch 5's tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md
or CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- a preprocessor class of a package outside the knowledge base names what its transform does (`DiscretizeByDecisionTree`,
  `MeanEncoding`, `WOEEncoder`, `...Imputer`, `...Scaler`): its `.fit` alone is no step and its `.transform` takes
  that op (CONVENTIONS 25), where it used to read as an unknown model's fit; an auto-encoder stays a model.
- a table written in the code whose values include dates written as constructors (`date(2024, 1, 5)`) is data created
  in code, a load (what-is-a-step.md, Sources), not "a table of answers"; so are dates made from a range's positions
  (`[date(2024, 1, i) for i in range(1, 11)]`: no datetime_parse, nothing is parsed from data).
- a number handed to `range` or a generator as a size (`range(n)`, `np.random.randint(18, 80, n)`) is not a piece of
  the table built from them: one load, not a concat of "pieces" (CONVENTIONS 13 needs two existing arrays).
- `np.random.choice` / `rng.choice` from values written in the code (`["a", "b"]`, `range(1, 901)`) draws generated
  data, a load (CONVENTIONS 28); a choice among the data's rows or positions still samples (CONVENTIONS 30).
- polars `pl.coalesce([...])` fills each row's gaps from the next column: impute_missing (what-is-a-step.md: fillna),
  as pandas' combine_first already was.
- a score joined into text for a message (`"Test MSE: " + str(mse)`) is put into the message, nothing computed, as
  `"%s" % mse` already was (CONVENTIONS 7 counts the metric where it is computed, once).
- every class of scikit-learn's model modules (`sklearn.linear_model.LassoCV`, `RidgeCV`, `svm.NuSVR`) is an
  estimator: a pipeline that ends in one is fitted (CONVENTIONS 25), where an unlisted name left the pipeline's fit
  without a step.
- infinities set to NaN (`replace([np.inf, -np.inf], np.nan)`, `replace({np.inf: np.nan})`) clear impossible values
  that arithmetic left: a numeric anomaly set to NaN, outlier_remove (CONVENTIONS 29), no longer `other`.
- the square root of a column picked by a variable holding its label (`for col in num.columns: np.sqrt(num[col])`)
  is one stored variable rescaled, as `np.sqrt(df["x"])` is (ninth pass; what-is-a-step.md: np.log ... scale_normalize).
- an answer given column names (`missing.rename(columns={0: "Missing Values"})`) stays an answer, as one sorted or
  cut does (CONVENTIONS 9-10): filtering and sorting it later are no steps.
- a function named for a fitting algorithm (`gradient_descent`) whose body fits by hand (a loop of parameter updates)
  is that algorithm, a black box (CONVENTIONS 4a): its body is not classified and its call is the fit; the eighth
  pass's exemption for helpers around a library's step (`def rmsle_cv(m): cross_val_score(...)`) stays.
- names ending in `_init` / `_initial` (`w_init`, `theta_initial`) hold initial parameters, as `initial_w` and
  `init_w` already did (CONVENTIONS 15: parameter vectors are no step).
- one row picked by position with every column (`x = X[0, :]`) is a row filter, as `dta.iloc[1000]` is (CONVENTIONS
  30); one element (`C[1, 1]`) stays an answer.
- a notebook function that returns a variable its own statements drew at random (`def make_data(N): X =
  np.random.random(N)[:, None]; y = f(X); return X, y`) returns generated data: its call is the load, its body no step
  (CONVENTIONS 4c); it used to be seen only when the return expression itself drew.
- `degree`, `train_sizes` and `param_range` bound to a grid (`np.arange(0, 18)`) name hyper-parameter settings handed
  to validation_curve / learning_curve (CONVENTIONS 15: hyper-parameter grids are no step).
- values replaced in data made only to draw (`plot_data = plot_data.replace({np.inf: np.nan})` before a pair plot) are
  plot plumbing, as dropna and rename there already were (CONVENTIONS 8).
- `agg` / `aggregate` of reductions named by strings on a column or frame without groups (`df["date"].agg(["min",
  "max"])`, `df.agg({"a": "sum"})`) are statistics of the whole data, an answer as describe() is (CONVENTIONS 9-10);
  after a groupby or resample they stay the aggregate.
- a model library's own data container (`xgb.DMatrix(X, label=y)`, `lgb.Dataset(X, label=y)`) assigned to a new name
  is a conversion, `other` (CONVENTIONS 12); built inside another call's arguments it is no step.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME, FRAME_AND_NUMPY, ops_after

SPLIT = FRAME + "X_train, y_train = df.drop(columns='y'), df['y']\n"


@pytest.mark.parametrize("cls, op", [
    ("dc.DiscretizeByDecisionTree(col='Fare', max_depth=2)", "derive_feature"),
    ("encoding.MeanEncoding(cols=['Sex'])", "encode_categorical"),
    ("ce.WOEEncoder(cols=['Sex'])", "encode_categorical"),
    ("mylib.GroupMedianImputer(cols=['age'])", "impute_missing"),
    ("mylib.RobustishScaler()", "scale_normalize"),
])
def test_outside_preprocessor_fits_without_a_step_and_transforms_with_its_op(cls: str, op: str) -> None:
    setup = SPLIT + "import mylib\nimport encoding\nimport category_encoders as ce\nimport discretization as dc\n"
    assert ops_after(setup, f"enc = {cls}.fit(X_train, y_train)") == []
    assert ops_after(setup + f"enc = {cls}.fit(X_train, y_train)\n", "out = enc.transform(df)") == [op]


def test_outside_model_still_fits() -> None:
    # controls: an unknown library's model and an auto-encoder are fitted models (CONVENTIONS 25)
    setup = SPLIT + "import mylib\n"
    assert ops_after(setup, "m = mylib.AutoEncoder(k=3).fit(X_train, y_train)") == ["fit_model"]
    assert ops_after(setup, "m = mylib.BoostedTrees().fit(X_train, y_train)") == ["fit_model"]


POLARS = "import polars as pl\nimport numpy as np\nfrom datetime import date\n"


@pytest.mark.parametrize("cell", [
    "d = pl.DataFrame({'id': [1, 2], 'day': [date(2024, 1, 1), None]})",
    "d = pl.DataFrame({'id': [1, 2], 'when': [pd.Timestamp('2024-01-01'), pd.Timestamp('2024-01-02')]})",
    "d = pl.DataFrame({'day': [date(2024, 1, i) for i in range(1, 11)], 't': [20, None] * 5})",
])
def test_table_written_with_dates_is_a_load(cell: str) -> None:
    assert ops_after(POLARS + "import pandas as pd\n", cell) == ["load"]


def test_dates_parsed_from_data_stay_a_step() -> None:
    # control: dates made from the data's values are parsed (CONVENTIONS 21)
    setup = FRAME + "from datetime import date\n"
    assert ops_after(setup, "days = [date(y, 1, 1) for y in df['year']]") == ["datetime_parse"]
    # control: a table of statistics computed earlier is an answer, no step (CONVENTIONS 9)
    assert ops_after(FRAME, "m = df.age.mean()\ns = df.age.std()\nt = pd.DataFrame({'stat': [m, s]})") == []


@pytest.mark.parametrize("cell", [
    "n = 100\nd = pl.DataFrame({'id': range(n), 'age': [x if np.random.random() > 0.1 else None "
    "for x in np.random.randint(18, 80, n)]})",
    "n = 50\nd = pd.DataFrame({'x': np.random.normal(0, 1, n), 'k': np.zeros(n)})",
])
def test_table_of_sized_draws_is_one_load(cell: str) -> None:
    assert ops_after(POLARS + "import pandas as pd\n", cell) == ["load"]


@pytest.mark.parametrize("cell", [
    "ids = list(range(1, 901)) + list(np.random.choice(range(1, 901), 100))",
    "colour = np.random.choice(['red', 'green', 'blue'], 300)",
    "rng = np.random.default_rng(0)\ncolour = rng.choice(['red', 'green'], size=30)",
])
def test_choice_from_written_values_is_a_load(cell: str) -> None:
    assert ops_after("import numpy as np\n", cell) == ["load"]


def test_choice_of_rows_still_samples() -> None:
    # control: positions of the data drawn (CONVENTIONS 30: sample)
    assert ops_after(FRAME_AND_NUMPY, "idx = np.random.choice(df.index, 100)") == ["sample"]
    assert ops_after(FRAME_AND_NUMPY, "rng = np.random.default_rng(0)\nidx = rng.choice(len(df), 10)") == ["sample"]


def test_polars_coalesce_imputes() -> None:
    setup = "import polars as pl\ndf = pl.read_csv('people.csv')\n"
    assert ops_after(setup, "out = df.with_columns(pl.coalesce(['a', 'b', 'c']).alias('email'))") == ["impute_missing"]
    # control: a column computed from two others derives
    assert ops_after(setup, "out = df.with_columns((pl.col('a') + pl.col('b')).alias('s'))") == ["derive_feature"]


FITTED = FRAME_AND_NUMPY + ("import statsmodels.api as sm\nX, y = df[['a', 'b']], df['y']\n"
                            "res = sm.OLS(y, X).fit()\npred = res.predict(X)\nmse = np.mean((y - pred) ** 2)\n")


@pytest.mark.parametrize("cell", [
    "print('Test MSE: ' + str(mse))",
    "print('MSE ' + str(mse) + ' on the test set')",
    "print(f'MSE {mse}')",
])
def test_score_joined_into_text_is_no_new_evaluation(cell: str) -> None:
    assert ops_after(FITTED, cell) == []


def test_score_computed_from_a_score_still_evaluates() -> None:
    # control: arithmetic on a score computes another (CONVENTIONS 27)
    assert ops_after(FITTED, "r2 = 1 - mse / np.var(y)") == ["evaluate"]


@pytest.mark.parametrize("model", ["lm.LassoCV()", "lm.RidgeCV(alphas=[0.1, 1])", "svm.NuSVR()"])
def test_pipeline_ending_in_a_model_module_class_fits(model: str) -> None:
    setup = FRAME + ("import sklearn.linear_model as lm\nfrom sklearn import svm\nfrom sklearn.pipeline import Pipeline\n"
                     "from sklearn.preprocessing import StandardScaler\n")
    cell = f"pipe = Pipeline([('scale', StandardScaler()), ('m', {model})])\npipe.fit(df[['a']], df['y'])"
    assert ops_after(setup, cell) == ["fit_model"]


def test_preprocessing_pipeline_fit_is_still_no_step() -> None:
    # control: a pipeline without a model (CONVENTIONS 25: its .fit alone is no step)
    setup = FRAME + "from sklearn.pipeline import Pipeline\nfrom sklearn.preprocessing import StandardScaler\n"
    assert ops_after(setup, "pipe = Pipeline([('scale', StandardScaler())])\npipe.fit(df[['a']])") == []


@pytest.mark.parametrize("cell", [
    "f = df.replace([np.inf, -np.inf], np.nan)",
    "f = df.replace({np.inf: np.nan, -np.inf: np.nan})",
    "df.replace([np.inf, -np.inf], np.nan, inplace=True)",
])
def test_infinities_set_to_nan_remove_anomalies(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["outlier_remove"]


def test_other_replacements_keep_their_ops() -> None:
    # controls: a gap filled, a placeholder cleared (CONVENTIONS 29)
    assert ops_after(FRAME_AND_NUMPY, "f = df.replace(np.nan, 0)") == ["impute_missing"]
    assert ops_after(FRAME_AND_NUMPY, "f = df.replace('?', np.nan)") == ["text_clean"]


def test_root_of_a_column_picked_by_its_label_in_a_loop_rescales() -> None:
    cell = "num = df.select_dtypes('number')\nfor col in num.columns:\n    num['sqrt_' + col] = np.sqrt(num[col])"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["select_columns", "scale_normalize"]
    # control: the root of arithmetic on columns derives (a distance)
    cell = "for col in ['a', 'b']:\n    df['d_' + col] = np.sqrt(df[col] ** 2 + df['z'] ** 2)"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["derive_feature"]


def test_answer_given_column_names_stays_an_answer() -> None:
    cell = ("miss = df.isnull().sum()\nshare = 100 * df.isnull().sum() / len(df)\n"
            "table = pd.concat([miss, share], axis=1)\ntable = table.rename(columns={0: 'Missing', 1: 'Share'})\n"
            "table = table[table.iloc[:, 1] != 0].sort_values('Share', ascending=False)")
    assert ops_after(FRAME, cell) == []
    # control: data given column names is renamed (CONVENTIONS 30)
    assert ops_after(FRAME, "d2 = df.rename(columns={'a': 'b'})") == ["rename"]


GD = ("import copy\nimport numpy as np\nX = np.array([[1., 2.], [3., 4.]])\ny = np.array([1., 2.])\n"
      "def gradient_descent(X, y, w_in, b_in, gradient_function, alpha, num_iters):\n"
      "    w = copy.deepcopy(w_in)\n    b = b_in\n    for i in range(num_iters):\n"
      "        dj_db, dj_dw = gradient_function(X, y, w, b)\n        w = w - alpha * dj_dw\n"
      "        b = b - alpha * dj_db\n    return w, b\n")


def test_named_algorithm_fitting_by_hand_is_a_black_box() -> None:
    assert ops_after(GD, "") == []
    setup = GD + "initial_w = np.zeros(2)\n"
    assert ops_after(setup, "w_final, b_final = gradient_descent(X, y, initial_w, 0., grad, 0.1, 100)") == ["fit_model"]


def test_helper_around_a_library_step_keeps_its_body() -> None:
    # control (eighth pass): the body's library call is the step, the helper's call is none (CONVENTIONS 1)
    setup = FRAME + "from sklearn.model_selection import cross_val_score\n"
    cell = "def rmsle_cv(model):\n    return cross_val_score(model, df[['a']], df['y'])\nscore = rmsle_cv(m)"
    assert ops_after(setup, cell) == ["evaluate"]


@pytest.mark.parametrize("name", ["w_init", "theta_initial"])
def test_initial_parameters_named_with_a_suffix_are_no_step(name: str) -> None:
    assert ops_after("import numpy as np\n", f"{name} = np.array([0.39, 18.75, -53.36])") == []


def test_data_written_in_code_is_still_a_load() -> None:
    # control: a name that does not say parameters (CONVENTIONS 28)
    assert ops_after("import numpy as np\n", "X_train = np.array([[2104, 5], [1416, 3]])") == ["load"]


def test_one_row_by_position_with_every_column_is_a_row_filter() -> None:
    setup = "import numpy as np\nX = np.loadtxt('x.txt')\n"
    assert ops_after(setup, "x_vec = X[0, :]") == ["filter_rows"]
    # control: one element is an answer (CONVENTIONS 9)
    assert ops_after(setup, "v = X[1, 1]") == []


MAKE_DATA = ("import numpy as np\ndef make_data(N=40, error=1.0):\n    X = np.random.random(N)[:, np.newaxis]\n"
             "    y = 10 - 1. / (X.ravel() + 0.1) + error\n    return X, y\n")


def test_function_returning_what_it_drew_is_a_source() -> None:
    assert ops_after(MAKE_DATA, "") == []
    assert ops_after(MAKE_DATA, "X, y = make_data(40, error=1)") == ["load"]


def test_function_transforming_its_argument_keeps_its_body() -> None:
    # control: a helper whose random draw is not what it returns, and one that draws nothing (CONVENTIONS 1)
    # (the draw of row positions up to len(d) is the bootstrap's `sample` since the twenty-ninth pass, CONVENTIONS 30;
    # it was a `load` of numbers made up before: classify/drawn_positions.py)
    body = "def boot(d):\n    idx = np.random.randint(0, len(d), len(d))\n    return d.iloc[idx]\n"
    assert ops_after(FRAME_AND_NUMPY, body + "b = boot(df)") == ["sample", "filter_rows"]
    cell = "def logged(d):\n    out = np.log(d['a'])\n    return out\nz = logged(df)"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["scale_normalize"]


@pytest.mark.parametrize("cell", ["degree = np.arange(0, 18)", "train_sizes = np.linspace(0.05, 1, 120)"])
def test_hyper_parameter_ranges_are_no_step(cell: str) -> None:
    assert ops_after("import numpy as np\n", cell) == []


PLOT_DATA = ("plot_data = df[['a', 'b']]\nplot_data = plot_data.replace({np.inf: np.nan, -np.inf: np.nan})\n"
             "plot_data = plot_data.rename(columns={'a': 'A'})\nplot_data = plot_data.dropna()\n")


def test_values_replaced_only_to_draw_are_plumbing() -> None:
    setup = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\n"
    assert ops_after(setup, PLOT_DATA + "plt.scatter(plot_data.A, plot_data.b)") == []
    # control: the same statements kept as data are steps
    assert ops_after(setup, PLOT_DATA) == ["select_columns", "outlier_remove", "rename", "drop_missing"]


@pytest.mark.parametrize("cell", [
    "df['date'].agg(['min', 'max'])",
    "stats = df.agg(['mean', 'std'])",
    "totals = df.agg({'a': 'sum', 'b': 'mean'})",
])
def test_ungrouped_agg_of_named_reductions_is_an_answer(cell: str) -> None:
    assert ops_after(FRAME, cell) == []


@pytest.mark.parametrize("cell", [
    "g = df.groupby('k').agg(['mean', 'std'])",
    "m = df.set_index(pd.to_datetime(df.d)).resample('M').agg('sum')",
])
def test_grouped_agg_still_aggregates(cell: str) -> None:
    assert ops_after(FRAME, cell)[-1:] == ["aggregate"]


def test_model_library_data_container_is_a_conversion() -> None:
    setup = FRAME + "import xgboost as xgb\nimport lightgbm as lgb\n"
    assert ops_after(setup, "dtrain = xgb.DMatrix(df[['a']], label=df['y'])") == ["other"]
    assert ops_after(setup, "ltrain = lgb.Dataset(df[['a']], label=df['y'])") == ["other"]
    # control: packaged only to pass it to the training call (CONVENTIONS 12: otherwise no step)
    assert ops_after(setup, "booster = xgb.train({}, xgb.DMatrix(df[['a']], label=df['y']))") == ["fit_model"]
