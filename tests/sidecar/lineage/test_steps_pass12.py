"""Rules of the twelfth pass on batch 6's tuning notebooks' errors (issue 10), each from a line of what-is-a-step.md
or CONVENTIONS, on small hand-written cells (controls keep what the rule must not change):

- an index's own values converted in place (`y.index = y.index.strftime("%Y-%m")`, `df.index = df.index.format()`)
  are a type_cast (CONVENTIONS 21), not a rename: labels written in the code and index names still rename (30).
- a name made only of underscores (`train_encoded = ____`, an exercise's blank) holds no data: no alias step
  (CONVENTIONS 4a: exercise stubs; 12: aliases).
- a function the notebook does not define, named for loading data (`load_data()`, `load_data_multi()` after `from utils
  import *`), is a black box whose call is the load (CONVENTIONS 4b); loaders of models or settings are no step (15).
- a fitted model's parameters applied to data by hand (`res.intercept + res.slope * x`, `m.intercept_ + m.coef_[0] *
  X["a"]`) are its prediction (CONVENTIONS 26), and data minus it is a residual, evaluate (27).
- a statistic of residuals (`resid.std()`, `np.abs(resid).mean()`) is a metric computed by hand (what-is-a-step.md:
  "a metric computed by hand (RMSE from predictions)"); a summary of scores already computed is an answer.
"""

from __future__ import annotations

import pytest

from trackit_sidecar.lineage.steps import classify_steps

from .after_setup import FRAME_AND_NUMPY, ops_after

FITTED_LINE = FRAME_AND_NUMPY + "from scipy.stats import linregress\nres = linregress(df['a'], df['y'])\n"


@pytest.mark.parametrize("cell, op", [
    ("df.index = df.index.strftime('%Y-%m')", "type_cast"),
    ("df.index = df.index.format()", "type_cast"),
    ("df.index = df.index.astype(str)", "type_cast"),
    ("df.index = df.index.to_timestamp()", "datetime_parse"),
])
def test_index_values_converted_in_place_take_the_conversion_op(cell: str, op: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == [op]


@pytest.mark.parametrize("cell", ["df.index = ['a', 'b', 'c']", "df.index.name = 'day'"])
def test_index_labels_written_or_named_still_rename(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["rename"]


def test_an_exercise_blank_is_no_data() -> None:
    assert ops_after(FRAME_AND_NUMPY, "train_encoded = ____\nvalid_encoded = ____") == []
    assert ops_after(FRAME_AND_NUMPY, "df2 = df") == ["other"]  # control: an alias of data (CONVENTIONS 12)


@pytest.mark.parametrize("cell", [
    "from utils import *\nX_train, X_val, y_val = load_data()",
    "from utils import load_data\nX = load_data('ex2data1.txt')",
    "import helpers\nX = helpers.read_dataset()",
    "from utils import *\nX_high, X_val_high, y_val_high = load_data_multi()",
])
def test_an_imported_helper_named_for_loading_data_loads(cell: str) -> None:
    assert ops_after("", cell) == ["load"]


@pytest.mark.parametrize("cell", ["from utils import *\nmodel = load_model('m.h5')",
                                  "from utils import *\ncfg = load_config()"])
def test_loaders_of_models_or_settings_are_no_step(cell: str) -> None:
    assert ops_after("", cell) == []


def test_a_notebook_loader_is_labelled_in_its_body_not_at_its_call() -> None:
    cell = "def load_data():\n    return pd.read_csv('x.csv')\ndf2 = load_data()"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["load"]  # the body's read_csv (CONVENTIONS 1)


@pytest.mark.parametrize("cell", [
    "pred = res.intercept + res.slope * df['a']",
    "pred = res.slope * df['a'] + res.intercept",
])
def test_parameters_applied_by_hand_predict(cell: str) -> None:
    assert ops_after(FITTED_LINE, cell) == ["predict"]


def test_sklearn_and_statsmodels_parameters_applied_by_hand_predict() -> None:
    sk = FRAME_AND_NUMPY + "from sklearn.linear_model import LinearRegression\n" \
        "m = LinearRegression().fit(df[['a']], df['y'])\n"
    assert ops_after(sk, "pred = m.intercept_ + m.coef_[0] * df['a']") == ["predict"]
    sm = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\nres = smf.ols('y ~ a', df).fit()\n"
    assert ops_after(sm, "yhat = res.params[0] + res.params[1] * df['a']") == ["predict"]


def test_parameters_put_together_are_no_prediction() -> None:
    sm = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\nres = smf.ols('y ~ a', df).fit()\n"
    assert ops_after(sm, "row = [res.params[p] for p in ['a', 'b']] + [res.ssr]") == ["evaluate"]  # ssr only
    assert ops_after(sm, "doubled = res.params[1] * 2") == []  # a parameter read, arithmetic on literals (27)


def test_data_minus_a_prediction_by_hand_is_a_residual() -> None:
    setup = FITTED_LINE + "pred = res.intercept + res.slope * df['a']\n"
    assert ops_after(setup, "resid = df['y'] - pred") == ["evaluate"]


@pytest.mark.parametrize("cell", [
    "rmse = resid.std()",
    "mae = np.abs(resid).mean()",
    "mse = (resid ** 2).mean()",
    "r2 = 1 - resid.var() / df['y'].var()",
])
def test_statistics_of_residuals_are_metrics(cell: str) -> None:
    setup = FITTED_LINE + "pred = res.intercept + res.slope * df['a']\nresid = df['y'] - pred\n"
    assert ops_after(setup, cell) == ["evaluate"]


def test_a_summary_of_scores_stays_an_answer() -> None:
    setup = FRAME_AND_NUMPY + "from sklearn.model_selection import cross_val_score\n" \
        "from sklearn.linear_model import Ridge\nscores = cross_val_score(Ridge(), df[['a']], df['y'])\n"
    # shown, a summary of scores is an answer; kept under a name, as np.mean(scores) is, it is the metric reported
    # (test_steps_batch2_tuning_rules, acc65: one meaning, one op)
    assert ops_after(setup, "print(scores.mean())") == []
    assert ops_after(FRAME_AND_NUMPY, "spread = df['y'].std()") == []  # a statistic of data, no residual (9)


def test_deterministic_terms_of_a_time_index_derive_features() -> None:
    setup = FRAME_AND_NUMPY + "from statsmodels.tsa.deterministic import CalendarFourier, DeterministicProcess\n" \
        "dp = DeterministicProcess(index=df.index, constant=True, order=1, " \
        "additional_terms=[CalendarFourier(freq='M', order=4)])\n"
    assert ops_after(setup, "X = dp.in_sample()") == ["derive_feature"]
    assert ops_after(setup, "X_fore = dp.out_of_sample(steps=16)") == ["derive_feature"]
    assert ops_after(FRAME_AND_NUMPY, "from statsmodels.tsa.deterministic import DeterministicProcess\n"
                     "dp = DeterministicProcess(index=df.index, order=1)") == []  # its constructor (15)


@pytest.mark.parametrize("cell, expected", [
    ("y = df.loc['2017']", ["filter_rows"]),
    ("y = df.loc['2017-03']", ["filter_rows"]),
    ("y = df.groupby('d').mean().loc['2017']", ["aggregate", "filter_rows"]),
    ("df.loc['2017']", []),  # shown: inspection (CONVENTIONS 6)
    ("row = df.loc['alice']", []),  # one labelled row read, not a period of a time index
])
def test_a_period_picked_by_partial_date_string_filters_rows(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


def test_replace_through_a_dict_written_under_a_name_recodes() -> None:
    cell = "codes = {1: 'Mid', 2: 'Low', 3: 'High'}\ndf['k'] = df['k'].replace(codes)"
    assert ops_after(FRAME_AND_NUMPY, cell) == ["encode_categorical"]
    assert ops_after(FRAME_AND_NUMPY, "df['k'] = df['k'].replace({'Mid': 'mid'})") == ["text_clean"]  # control


@pytest.mark.parametrize("cell, expected", [
    ("pmf = Pmf.from_seq(df['a'])", ["aggregate"]),
    ("cdf = Cdf.from_seq(df['a'], normalize=False)", ["aggregate"]),
    ("Pmf.from_seq(df['a'])", []),  # shown, as a shown value_counts() (CONVENTIONS 6)
    ("Cdf.from_seq(df['a']).plot()", []),  # drawn (CONVENTIONS 8)
])
def test_empiricaldist_counts_values_as_value_counts_does(cell: str, expected: list[str]) -> None:
    setup = FRAME_AND_NUMPY + "from empiricaldist import Pmf, Cdf\n"
    assert ops_after(setup, cell) == expected


PREDICTED_SETUP = FRAME_AND_NUMPY + "from sklearn.linear_model import LogisticRegression\n" \
    "X, y = df[['a', 'b']], df['y']\nmodel = LogisticRegression().fit(X, y)\npred = model.predict(X)\n"


@pytest.mark.parametrize("cell, expected", [
    ("X[y < pred].head(10)", []),  # rows looked at (CONVENTIONS 6, 15)
    ("wrong = X[y != pred]", ["filter_rows"]),
    ("err = y[y != pred].shape[0] / len(y)", ["evaluate"]),  # control: an error rate by hand (27)
    ("acc = (y == pred).mean()", ["evaluate"]),  # control
])
def test_rows_picked_by_comparing_with_a_prediction_are_a_mask(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED_SETUP, cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("df['w'] /= 100", ["scale_normalize"]),
    ("df['w'] *= 2.54", ["scale_normalize"]),
    ("bins = np.arange(0, 100, 10)\ndf['b'] = pd.cut(df['a'], bins=bins)", ["derive_feature"]),  # edges: parameters
])
def test_a_column_rescaled_in_place_and_bin_edges(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


def test_an_imported_resampling_helper_samples_a_notebook_one_is_read_in_its_body() -> None:
    assert ops_after(FRAME_AND_NUMPY, "from utils import resample_rows_weighted\ns = resample_rows_weighted(df, 'w')") \
        == ["sample"]
    own = "def resample_by_year(d):\n    parts = [g for _, g in d.groupby('year')]\n    return pd.concat(parts)\n" \
        "s = resample_by_year(df)"
    assert ops_after(FRAME_AND_NUMPY, own) == ["concat"]  # its body's concat, no sample at the call (CONVENTIONS 1)


@pytest.mark.parametrize("cell, expected", [
    ("x = np.random.choice(2, 1000, p=(0.88, 0.12))", ["load"]),  # generated 0/1 data (CONVENTIONS 28)
    ("idx = np.random.choice(len(df), 100)", ["sample"]),  # control: positions of the data's rows (30)
    ("from statsmodels.tsa.arima_process import ArmaProcess\nar = np.array([1, -0.33, -0.5])\nma = np.array([1, 0, 0])\n"
     "y = ArmaProcess(ar, ma).generate_sample(nsample=1000)", ["load"]),
    ("from statsmodels.tsa.arima_process import arma_generate_sample\ny = arma_generate_sample([1, -0.5], [1], 500)",
     ["load"]),
])
def test_simulated_draws_are_loads(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


HAND_FIT = FRAME_AND_NUMPY + "X_train = np.loadtxt('x.txt')\ny_train = np.loadtxt('y.txt')\n" \
    "def sigmoid(z):\n    g = 1 / (1 + np.exp(-z))\n    return g\n" \
    "def gradient_descent(X, y, w, b, alpha, n):\n    for i in range(n):\n        w = w - alpha * X.T @ (X @ w - y)\n" \
    "    return w, b\nw, b = gradient_descent(X_train, y_train, np.zeros(2), 0.0, 0.1, 100)\n"


def test_a_hand_written_predict_is_a_black_box() -> None:
    cell = "def predict(X, w, b):\n    m, n = X.shape\n    p = np.zeros(m)\n    for i in range(m):\n" \
        "        z_wb = np.dot(X[i], w)\n        for j in range(n):\n            z_wb += 0\n        z_wb += b\n" \
        "        f_wb = sigmoid(z_wb)\n" \
        "        p[i] = 1 if f_wb > 0.5 else 0\n    return p\np = predict(X_train, w, b)"
    made = [(step.op, step.output) for step in classify_steps(HAND_FIT + cell)][len(classify_steps(HAND_FIT)):]
    assert made == [("predict", "p")]  # the call, not the body's `z_wb = np.dot(X[i], w)` (CONVENTIONS 4a)


def test_a_helper_reading_metrics_is_labelled_in_its_body() -> None:
    setup = PREDICTED_SETUP + "from sklearn import metrics\nproba = model.predict_proba(X)[:, 1]\n" \
        "fpr, tpr, thresholds = metrics.roc_curve(y, proba)\n"
    cell = "def evaluate_threshold(t):\n    print('Sensitivity:', tpr[thresholds > t][-1])\n" \
        "    print('Specificity:', 1 - fpr[thresholds > t][-1])"
    assert "evaluate" in ops_after(setup, cell)  # its body (CONVENTIONS 1) ...
    assert ops_after(setup + cell + "\n", "evaluate_threshold(0.5)") == []  # ... and not its call


@pytest.mark.parametrize("cell, expected", [
    ("monthly = (1 + (df / 100)) ** (1 / 12) - 1", ["derive_feature"]),
    ("s = df['a'].copy()\ns = (s ** 30) - 1", ["select_columns", "derive_feature"]),
    ("X = df / 255", []),  # control: a new name rescaled by one number (an older rule decides; not this one)
    ("mu = 1 / len(df) * np.sum(df, axis=0)", []),  # a statistic of the values (CONVENTIONS 9)
    ("rhos = np.linspace(0, 1, 201)\nr2 = rhos ** 2", ["load"]),  # a curve over a grid: only the grid (28)
])
def test_a_formula_over_one_variable_derives(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("df['ym'] = df['d'].dt.strftime('%Y-%m')", ["type_cast"]),
    ("df['d'] = pd.to_datetime(df['d'], format='%Y%m').dt.strftime('%Y-%m')", ["datetime_parse", "type_cast"]),
    ("df['day'] = df['d'].dt.strftime('%A')", ["derive_feature"]),  # control: one field taken out (21)
    ("df['h'] = pd.to_datetime(df['t']).dt.hour", ["derive_feature"]),  # control: unchanged
])
def test_a_whole_date_written_as_text_is_a_cast(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected
