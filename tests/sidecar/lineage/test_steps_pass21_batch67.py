"""Twenty-first pass (issue 10, acc41): causes left in the tuning notebooks of batches 6 and 7 (A/B tests, anomaly
detection, time series), each an idiom written well beyond the corpus, read against a clause of what-is-a-step.md or
CONVENTIONS, on small hand-written cells with positive and negative controls:

- a prediction compared with the cut-off a validation score chose (`outliers = p < epsilon` after
  `epsilon, F1 = select_threshold(y_val, p_val)`, the anomaly-detection exercise of Andrew Ng's courses copied in many
  repositories; `proba > best_threshold`) is still a threshold on the scores: predict (CONVENTIONS 26: "thresholding
  probabilities [is] `predict`"); it read evaluate, as data compared with a prediction is;
- a row dropped by its label after the notebook showed the repeated rows of the same frame
  (`df2[df2.duplicated(["user_id"], keep=False)]`, then `df2 = df2.drop(2893)`: the Udacity A/B-test project's "Remove
  one of the rows with a duplicate user_id", written in hundreds of repositories) removes a duplicate, as
  drop_duplicates does (the op list's `drop_duplicates`; ERRATA "Batch 2": a duplicate removal is drop_duplicates, not
  filter_rows); it read filter_rows. Without that look (a count of duplicates, repeated column labels), or for another frame, it stays
  filter_rows;
- one statistic of a window of the series whose bound moves with the loop's position, appended to a list
  (`mean_func.append(np.mean(process[:i]))`, `res.append(np.mean(data[i - w:i]))`, the running averages written by
  hand in many repositories) is the running (expanding / rolling) statistic, a derived series (CONVENTIONS 22:
  "`rolling`, `ewm`, `cumsum` ... are `derive_feature`"); it read no step (one number, CONVENTIONS 9). A fixed window
  and lists named for a forecast (acc27's naive forecasts) stay as they were;
- LOWESS smoothing (`smooth = lowess(y, x)`, `sm.nonparametric.lowess`; Allen Downey's `make_lowess`, copied in many
  repositories) fits the local regression and gives its values at the points: fit_model + predict, as fit_predict is
  (CONVENTIONS 26: "`fit_predict` is fit_model + predict"); it read no step. Its result unpacked through
  `np.transpose` (`index, data = np.transpose(smooth)`) is a conversion, as `x, y = arr.T` already was
  (CONVENTIONS 12: "`.T` used to unpack" is `other`); it read reshape.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

ANOMALY = ("import numpy as np\nfrom utils import estimate_gaussian, multivariate_gaussian, select_threshold\n"
           "X_train = np.load('x.npy')\nX_val = np.load('xv.npy')\ny_val = np.load('yv.npy')\n"
           "mu, var = estimate_gaussian(X_train)\np = multivariate_gaussian(X_train, mu, var)\n"
           "p_val = multivariate_gaussian(X_val, mu, var)\nepsilon, F1 = select_threshold(y_val, p_val)\n")
REGRESSION = FRAME_AND_NUMPY + ("from sklearn.linear_model import LinearRegression\n"
                                 "from sklearn.metrics import mean_squared_error\n"
                                 "m = LinearRegression().fit(df[['a']], df['y'])\ny_pred = m.predict(df[['a']])\n"
                                 "rmse = np.sqrt(mean_squared_error(df['y'], y_pred))\n")


@pytest.mark.parametrize("setup, cell, ops", [
    # the cut-off a validation score chose, applied to the densities: outliers predicted (CONVENTIONS 26)
    (ANOMALY, "outliers = p < epsilon", ["predict"]),
    (ANOMALY, "anomalies_val = p_val < epsilon", ["predict"]),
])
def test_a_threshold_chosen_by_validation_predicts(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # controls: data compared with a prediction stays an evaluation (CONVENTIONS 27)
    (ANOMALY, "wrong = y_val != (p_val < 0.01)", ["evaluate"]),
    (ANOMALY, "resid = y_val - p_val", ["evaluate"]),
    # a number written in the code stays a threshold (CONVENTIONS 26)
    (ANOMALY, "outliers = p < 1e-5", ["predict"]),
    # errors, or a prediction, compared with a metric: not a cut-off on scores (CONVENTIONS 27)
    (REGRESSION, "big = abs(df['y'] - y_pred) > rmse", ["evaluate"]),
    (REGRESSION, "flag = y_pred > rmse", ["evaluate"]),
])
def test_data_compared_with_a_prediction_stays_an_evaluation(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


LOOKED = "df[df.duplicated(['user_id'], keep=False)]\n"


@pytest.mark.parametrize("setup, cell, ops", [
    # the row read off the repeated rows, dropped by its label: a duplicate removed by hand
    (FRAME_AND_NUMPY + LOOKED, "df = df.drop([1899])", ["drop_duplicates"]),
    (FRAME_AND_NUMPY + LOOKED, "df.drop(2893, inplace=True)", ["drop_duplicates"]),
    (FRAME_AND_NUMPY + "df[df.user_id.duplicated()]\n", "df = df.drop(index=[10, 11])", ["drop_duplicates"]),
])
def test_a_row_dropped_after_looking_for_duplicates_is_a_duplicate_removed(setup: str, cell: str,
                                                                           ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # controls: no look for repeated rows, another frame, columns dropped, rows picked by a test
    (FRAME_AND_NUMPY, "df = df.drop([1899])", ["filter_rows"]),
    # only a count of repeated rows (often 0), or repeated column labels: no row shown to drop (house-prices kernels
    # count duplicates, then drop two outliers by label)
    (FRAME_AND_NUMPY + "df.duplicated().sum()\n", "df = df.drop(index=[1298, 523])", ["filter_rows"]),
    (FRAME_AND_NUMPY + "df.loc[:, df.columns.duplicated()]\n", "df = df.drop([3])", ["filter_rows"]),
    (FRAME_AND_NUMPY + "other = pd.read_csv('o.csv')\n" + LOOKED, "other = other.drop([3])", ["filter_rows"]),
    (FRAME_AND_NUMPY + LOOKED, "df = df.drop(columns=['a'])", ["drop_columns"]),
    (FRAME_AND_NUMPY + LOOKED, "df = df.drop(['a'], axis=1)", ["drop_columns"]),
    (FRAME_AND_NUMPY + LOOKED, "df = df.drop_duplicates(['user_id'])", ["drop_duplicates"]),
])
def test_other_row_drops_stay_as_they_were(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


SERIES = "import pandas as pd\nimport numpy as np\ns = pd.read_csv('walk.csv')['value']\n"


@pytest.mark.parametrize("setup, cell, ops", [
    # the running statistic built by hand, position by position (CONVENTIONS 22: rolling is derive_feature)
    ("import numpy as np\n", "def mean_over_time(process):\n    mean_func = []\n"
     "    for i in range(len(process)):\n        mean_func.append(np.mean(process[:i]))\n    return mean_func\n",
     ["derive_feature"]),
    ("import numpy as np\n", "def var_over_time(process):\n    var_func = []\n"
     "    for i in range(len(process)):\n        var_func.append(np.var(process[:i]))\n    return var_func\n",
     ["derive_feature"]),
    (SERIES, "ra = []\nfor i in range(10, len(s)):\n    ra.append(np.mean(s[i - 10:i]))", ["derive_feature"]),
    (SERIES, "running = []\nfor i in range(len(s)):\n    running.append(s[:i + 1].mean())", ["derive_feature"]),
])
def test_a_window_statistic_appended_in_a_loop_is_a_derived_series(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # controls: a fixed window is one number (CONVENTIONS 9); a statistic of a whole list is an answer
    (SERIES, "firsts = []\nfirsts.append(np.mean(s[:10]))", []),
    (SERIES, "means = []\nfor k in range(3):\n    means.append(np.mean(s))", []),
    # a list named for a forecast keeps acc27's reading (a naive forecast, predict)
    (SERIES, "pred_mean = []\nfor i in range(100, len(s), 2):\n    mean = np.mean(s[:i].values)\n"
     "    pred_mean.extend(mean for _ in range(2))", ["predict"]),
])
def test_other_statistics_in_lists_stay_as_they_were(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


ARRAY = FRAME_AND_NUMPY + "arr = np.load('a.npy')\n"
LOWESS = FRAME_AND_NUMPY + "from statsmodels.nonparametric.smoothers_lowess import lowess\n"


@pytest.mark.parametrize("setup, cell, ops", [
    # np.transpose unpacked, as `.T` unpacked: a conversion (CONVENTIONS 12: "`.T` used to unpack")
    (ARRAY, "index, data = np.transpose(arr)", ["other"]),
    # LOWESS fitted to the points and its values at them: fit_model + predict, as fit_predict (CONVENTIONS 26)
    (LOWESS, "smooth = lowess(df['y'], df['x'])", ["fit_model", "predict"]),
    (FRAME_AND_NUMPY + "import statsmodels.api as sm\n", "smooth = sm.nonparametric.lowess(df['y'], df['x'], frac=0.3)",
     ["fit_model", "predict"]),
    # Allen Downey's make_lowess (ThinkStats2, Elements of Data Science, Political Alignment; copied widely)
    (LOWESS, "def make_lowess(series):\n    y = series.values\n    x = series.index.values\n"
     "    smooth = lowess(y, x)\n    index, data = np.transpose(smooth)\n    return pd.Series(data, index=index)\n",
     ["other", "fit_model", "predict", "other"]),
])
def test_lowess_fits_and_predicts_and_a_transpose_unpacked_is_a_conversion(setup: str, cell: str,
                                                                           ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # controls: a transpose assigned whole to one name stays a reshape; `.T` unpacked stays other; `.T` in arithmetic
    # only turns the data around
    (ARRAY, "flipped = np.transpose(arr)", ["reshape"]),
    (ARRAY, "flipped = arr.T", ["reshape"]),
    (ARRAY, "a, b = arr.T", ["other"]),
    (ARRAY, "g = arr.T @ arr", []),
    # axes put in another order change the layout (CONVENTIONS 12: a reshape that changes the data layout); found by
    # the sweep: `np.hstack(np.transpose(activation_map[0], (2, 0, 1)))`, channel maps side by side
    (ARRAY, "activations = np.hstack(np.transpose(arr[0], (2, 0, 1)))", ["reshape", "concat"]),
])
def test_other_transposes_stay_as_they_were(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops
