"""Eighteenth pass (issue 10, acc27): causes left on the tuning notebooks that are idioms many authors write, each
from a clause of what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls:

- a pipeline built from a list of steps written in the code under a name (`steps = [("scaler", StandardScaler()),
  ("model", LogisticRegression())]; pipe = Pipeline(steps)`, also filled by append / extend, the course idiom), and
  imbalanced-learn's own `Pipeline` / `make_pipeline`, is fitted as one fit_model when it ends in a model, as the
  list written inside the call is (CONVENTIONS 25); a preprocessing pipeline's `.fit` alone stays no step;
- one indicator per whole number written out in a loop (`for v in [2, 3, 4]: df["num_doors_%s" % v] =
  (df.number_of_doors == v).astype(int)`, ML Zoomcamp's `prepare_X`, copied in many repositories) is a one-hot
  encoding written by hand, as the same loop over strings is (CONVENTIONS 20: "one-hot ... encoders ... and an
  indicator of a category value"); an order test against the listed numbers (`> v`), floats and a grid stay numeric
  conditions (derive_feature);
- values written in the code, repeated by NumPy (`baseline = np.repeat(False, len(y_val))`, `y_ideal =
  np.repeat([0, 1], [num_neg, num_pos])`, statsmodels' docs' `np.repeat([0, 1], [nobs - count, count])`,
  `np.tile([1, 2], 5)`), are data built in code, a `load` (what-is-a-step.md: "data created in code ... from
  literals, lists"), as `[10] * 3` and `np.full(n, 3)` are; repeating existing data, a repeated column written
  into a frame and a repeat only shown are not;
- a permutation test's null distribution filled by position (`perm_diffs = np.empty(B)`, then in a loop
  `perm = rng.permutation(combined)`, `perm_diffs[i] = perm[:n].mean() - perm[n:].mean()`; ISLP's `Tnull[b] =
  ttest_.statistic` after `rng.shuffle(D_null)`) holds the statistic simulated, as a list appended to does, so the
  share of it beyond the observed value (`(np.abs(Tnull) < np.abs(observedT)).mean()`) is a p-value: evaluate
  (CONVENTIONS 27: "statistical and assumption tests"); an array filled with statistics of data not drawn, or with
  the draws themselves, holds no simulated statistic;
- a statistic of the series so far put into a list named for a forecast, repeated over the window it forecasts
  (`pred_mean.extend(mean for _ in range(window))` after `mean = np.mean(df[:i].values)`, the rolling forecasts of
  "Time Series Forecasting in Python", copied in many repositories), is a naive forecast: predict (CONVENTIONS 26:
  "forecast ... [is] predict"); the same statistic in a list not named for a forecast, and numbers written in the
  code, are no step;
- a helper of the project's own module whose results are unpacked into a training part and a held-out part
  (`train, validate, test = wrangle_kepler_modeling()`, the Codeup curriculum's `wrangle.wrangle_zillow()` /
  `split_data(df)`, written in many repositories) splits, one per output (CONVENTIONS 16; 4b: an imported helper is
  a black box labelled by what it does), after a `load` when it is called without data (it reads the data itself);
  names that are no train / test pair, and packages that hand back the parts a data set was published in
  (`tfds.load(split=[...])`), Python's standard library and readers of saved objects (`pickle.load`, `joblib.load`)
  are not split here.
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

PIPELINE_SETUP = FRAME_AND_NUMPY + (
    "from sklearn.pipeline import Pipeline\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.impute import SimpleImputer\n"
    "X = df[['a', 'b']]\ny = df.c\n"
)
IMBLEARN_SETUP = PIPELINE_SETUP.replace("from sklearn.pipeline import Pipeline\n",
                                        "from imblearn.pipeline import Pipeline, make_pipeline\n"
                                        "from imblearn.over_sampling import SMOTE\n")


@pytest.mark.parametrize("setup, cell, ops", [
    # the scikit-learn courses' idiom: the steps named first, then the pipeline made of them
    (PIPELINE_SETUP, "steps = [('scaler', StandardScaler()), ('model', LogisticRegression())]\n"
                     "pipeline = Pipeline(steps)\npipeline.fit(X, y)", ["fit_model"]),
    (PIPELINE_SETUP, "steps = [('imputer', SimpleImputer()), ('model', LogisticRegression())]\n"
                     "pipe = Pipeline(steps=steps)\npipe.fit(X, y)\np = pipe.predict(X)", ["fit_model", "predict"]),
    # fraud-nh logistic-regression 20: an empty list filled by append / extend in a loop over samplers
    (IMBLEARN_SETUP, "for name, sampler in samplers.items():\n    steps = []\n    if sampler is not None:\n"
                     "        steps.append(('sampler', sampler))\n"
                     "    steps.extend([('scaler', StandardScaler()), ('model', LogisticRegression())])\n"
                     "    pipe = Pipeline(steps)\n    pipe.fit(X, y)", ["fit_model"]),
    # imbalanced-learn's Pipeline with its steps written inside the call, as scikit-learn's is read
    (IMBLEARN_SETUP, "pipe = Pipeline([('smote', SMOTE()), ('model', LogisticRegression())])\npipe.fit(X, y)",
     ["fit_model"]),
    (IMBLEARN_SETUP, "pipe = make_pipeline(SMOTE(), LogisticRegression())\npipe.fit(X, y)", ["fit_model"]),
    # a preprocessing pipeline of a named list: its transform is its one op (CONVENTIONS 25)
    (PIPELINE_SETUP, "steps = [('scaler', StandardScaler())]\npre = Pipeline(steps)\nXs = pre.fit_transform(X)",
     ["scale_normalize"]),
])
def test_a_pipeline_made_of_a_named_list_of_steps_is_fitted(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("setup, cell, ops", [
    # negative controls: a preprocessing pipeline's .fit alone is no step (CONVENTIONS 25);
    # a list of other things under the same name, rebound after the steps, holds no model
    (PIPELINE_SETUP, "steps = [('imputer', SimpleImputer()), ('scaler', StandardScaler())]\n"
                     "pre = Pipeline(steps)\npre.fit(X)", []),
    (PIPELINE_SETUP, "steps = [('scaler', StandardScaler()), ('model', LogisticRegression())]\n"
                     "steps = ['load', 'clean']\nrunner = Pipeline(steps)\nrunner.fit(X, y)", []),
    (PIPELINE_SETUP, "steps = [1, 2, 3]\nsteps.append(4)\ntotal = sum(steps)", []),
])
def test_lists_without_a_model_fit_nothing(setup: str, cell: str, ops: list[str]) -> None:
    assert ops_after(setup, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # mlbookcamp car-price 30: the numbers of doors one-hot encoded beside the makes
    ("for v in [2, 3, 4]:\n    feature = 'num_doors_%s' % v\n    df[feature] = (df['number_of_doors'] == v).astype(int)",
     ["encode_categorical"]),
    ("for k in (1, 2, 3):\n    df['pclass_%d' % k] = (df.pclass == k).astype(int)", ["encode_categorical"]),
    ("for v in [2, 3, 4]:\n    df['doors_%s' % v] = np.where(df.doors == v, 1, 0)", ["encode_categorical"]),
])
def test_indicators_of_listed_whole_numbers_one_hot_encode(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: order tests, measurements and one number stay numeric conditions (derive_feature)
    ("for v in [2, 3, 4]:\n    df['more_than_%s' % v] = (df['number_of_doors'] > v).astype(int)", ["derive_feature"]),
    ("for v in [0.5, 1.5]:\n    df['at_%s' % v] = (df['x'] == v).astype(int)", ["derive_feature"]),
    ("for t in np.linspace(0, 1, 5):\n    df['t_%s' % t] = (df.p == t).astype(int)", ["derive_feature"]),
    ("df['four_doors'] = (df['number_of_doors'] == 4).astype(int)", ["derive_feature"]),
    ("for v in [2, 3, 4]:\n    pass\nv = 7\ndf['seven'] = (df.doors == v).astype(int)", ["derive_feature"]),
])
def test_order_tests_and_measurements_stay_derived(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


CHURN = FRAME_AND_NUMPY + "y_val = df.churn.values\n"


@pytest.mark.parametrize("cell, ops", [
    # mlbookcamp churn-metrics 20 and 42: a constant baseline, and the ideal ranking's true classes
    ("size_val = len(y_val)\nbaseline = np.repeat(False, size_val)\nbaseline", ["load"]),
    ("num_neg = (y_val == 0).sum()\nnum_pos = (y_val == 1).sum()\ny_ideal = np.repeat([0, 1], [num_neg, num_pos])",
     ["load"]),
    ("pattern = np.tile([1, 2, 3], 4)", ["load"]),
])
def test_values_written_in_the_code_and_repeated_are_loaded(cell: str, ops: list[str]) -> None:
    assert ops_after(CHURN, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: existing data repeated is not generated; a column of repeated labels written into a frame
    # stays the column assignment it was; a repeat only shown is inspection (CONVENTIONS 6)
    ("doubled = np.repeat(y_val, 2)", []),
    ("df['part'] = np.repeat(['train', 'test'], [3, 4])", ["derive_feature"]),
    ("np.repeat([0, 1], [3, 4])", []),
])
def test_data_repeated_and_repeats_shown_are_not_loaded(cell: str, ops: list[str]) -> None:
    assert ops_after(CHURN, cell) == ops


PERMUTATION = FRAME_AND_NUMPY + "from scipy.stats import ttest_ind\nrng = np.random.default_rng(1)\n" \
    "combined = df.x.values\nn = 40\nobserved = combined[:n].mean() - combined[n:].mean()\n"


@pytest.mark.parametrize("cell, ops", [
    # the permutation test as written in many repositories
    ("perm_diffs = np.empty(1000)\nfor i in range(1000):\n    perm = rng.permutation(combined)\n"
     "    perm_diffs[i] = perm[:n].mean() - perm[n:].mean()\n"
     "p_value = (np.abs(perm_diffs) >= np.abs(observed)).mean()", ["sample", "evaluate"]),
    # islp ch13 52: the t statistic of each shuffle, then the two-sided share shown
    ("B = 1000\nTnull = np.empty(B)\nD_null = combined.copy()\nfor b in range(B):\n    rng.shuffle(D_null)\n"
     "    ttest_ = ttest_ind(D_null[:n], D_null[n:])\n    Tnull[b] = ttest_.statistic\n"
     "(np.abs(Tnull) < np.abs(observed)).mean()", ["other", "sample", "evaluate", "evaluate"]),
    # the statistic through numbers computed from the shuffled data, the share wrapped in float()
    ("pooled = combined.copy()\nperm_diffs = np.zeros(1000)\nfor i in range(1000):\n    rng.shuffle(pooled)\n"
     "    rate1 = pooled[:n].mean()\n    rate2 = pooled[n:].mean()\n    perm_diffs[i] = rate1 - rate2\n"
     "p_value = float(np.mean(np.abs(perm_diffs) >= np.abs(observed)))", ["other", "sample", "evaluate"]),
])
def test_share_of_a_null_distribution_filled_by_position_is_a_test(cell: str, ops: list[str]) -> None:
    assert ops_after(PERMUTATION, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: statistics of the data itself, not of draws; the draws themselves, not a statistic of them
    ("means = np.zeros(3)\nfor i in range(3):\n    means[i] = combined[i::3].mean()\nshare = (means > 1).mean()", []),
    ("sims = np.empty(1000)\nfor i in range(1000):\n    sims[i] = rng.normal()\nshare = (sims > 1.96).mean()", []),
])
def test_arrays_filled_without_simulated_statistics_test_nothing(cell: str, ops: list[str]) -> None:
    assert ops_after(PERMUTATION, cell) == ops


ROLLING = """def rolling_forecast(df, train_len: int, horizon: int, window: int, method: str) -> list:
    total_len = train_len + horizon
    if method == "mean":
        {name} = []
        for i in range(train_len, total_len, window):
            mean = np.mean(df[:i].values)
            {name}.extend({value})
        return {name}
"""


@pytest.mark.parametrize("name, value, ops", [
    # tsfp ch05 15: the book's historical-mean forecast, and the same repeated as a list
    ("pred_mean", "mean for _ in range(window)", ["predict"]),
    ("pred_mean", "[mean] * window", ["predict"]),
    ("forecasts", "mean for _ in range(window)", ["predict"]),
    # negative controls: a list named for something else holds statistics, not forecasts; numbers written out
    ("means", "mean for _ in range(window)", []),
    ("pred_mean", "0 for _ in range(window)", []),
])
def test_a_statistic_of_the_past_repeated_into_a_forecast_list_predicts(name: str, value: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, ROLLING.format(name=name, value=value)) == ops


def test_the_last_value_appended_to_a_forecast_list_predicts() -> None:
    cell = ("pred_last_value = []\nfor i in range(100, 120):\n    last_value = df[:i].iloc[-1].values[0]\n"
            "    pred_last_value.append(last_value)")
    assert ops_after(FRAME_AND_NUMPY, cell) == ["predict"]


WRANGLE = FRAME_AND_NUMPY + "import wrangle\nfrom wrangle import wrangle_kepler_modeling\n" \
    "import tensorflow_datasets as tfds\nimport pickle\nimport joblib\n"


@pytest.mark.parametrize("cell, ops", [
    # kepler-ag model 4: the project's wrangle module acquires, prepares and splits
    ("train, validate, test = wrangle_kepler_modeling()", ["load", "split", "split", "split"]),
    ("train, validate, test = wrangle.wrangle_zillow()", ["load", "split", "split", "split"]),
    ("X_train, X_test, y_train, y_test = wrangle.prep_model(df)", ["split", "split", "split", "split"]),
])
def test_a_project_helper_returning_train_and_test_parts_splits(cell: str, ops: list[str]) -> None:
    assert ops_after(WRANGLE, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: no held-out part; no training part; parts published with the data set
    ("X_train, y_train = wrangle.get_xy(df)", []),
    ("X, y = wrangle.prepare(df)", []),
    ("train_ds, test_ds = tfds.load('mnist', split=['train', 'test'])", []),
    # parts saved earlier read back (a fresh Kaggle kernel of the sweep): no split made here; reading them back is
    # one load (what-is-a-step.md, "Sources are steps": reading a file into data; CONVENTIONS 17: one step for a
    # tuple from one call; was [] until the twenty-first pass, acc40, which reads saved data back as a load)
    ("(X_train, Y_train, X_valid, Y_valid, X_test) = pickle.load(open('parts.pkl', 'rb'))", ["load"]),
    ("X_tr, X_te = joblib.load('parts.joblib')", ["load"]),
    # parts already made, treated together by a project helper: no split here
    ("train = df[:100]\ntest = df[100:]\ntrain, test = wrangle.prepare(train, test)", ["split", "split"]),
])
def test_other_unpacked_helper_results_are_not_split(cell: str, ops: list[str]) -> None:
    assert ops_after(WRANGLE, cell) == ops
