"""Seventeenth pass (issue 10), wrong ops and spurious steps of the tuning notebooks, each from a clause of
what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls (the same shape where
it IS a step):

- predictions put back on the target's scale (`np.expm1(m.predict(X))`) are still predictions: a blend of them
  predicts (CONVENTIONS 26), data minus them is a residual (27); arithmetic on other data stays derive_feature;
- a notebook function whose branches test the value against string labels and return constants
  (`if b in ("10M", "50M"): return 0 ...`) is a dict map written as branches: mapped or applied, it encodes
  (CONVENTIONS 20); branches on numbers (`if age < 18: return "child"`) or that compute still derive;
- row positions made and shuffled in place in one cell (`idx = np.arange(n)`, `np.random.shuffle(idx)`) are a
  permutation, no load and no step of their own; the rows taken by them (`df.iloc[idx]`) are the `sample`
  (CONVENTIONS 30: "permutation ... resampling [is] `sample`"), as `df.iloc[np.random.permutation(n)]` is; an array
  of data shuffled in place stays a sample, and positions never shuffled stay what they were;
- a list filled in a loop with one value computed each time from data or draws (`p_diffs.append(new.mean() -
  old.mean())`) holds computed values, no longer values written in the code: `np.array(p_diffs)` converts it
  (CONVENTIONS 12: no step under the same name, `other` under a new one), not a `load`; a list of literals or of rows
  written in the code (`{"scenario": s, "impact": shock * value}`) wrapped in a table is still data built in code;
- a list a model's parameters are appended to (`coeffs.append(ff_model.params)` per rolling window) holds parameters:
  the table built from it is no step (CONVENTIONS 27: "reading `.params`, `coef_` ... and tables/Series built only
  from them" are not steps); a list of scores appended the same way stays results;
- one column of one row taken by position from a table as it is (`last_value = train.iloc[-1].value`,
  `df[:i].iloc[-1].values[0]`) is a single number (CONVENTIONS 9: "A single number ... is not a step, even when
  assigned"), not rows filtered and a column selected; one row alone (`dta.iloc[1000]`) stays a filter, and a chain
  that filters and sorts before taking its first row keeps its steps (donors-fcl 101's labels count them);
- a function's parameters annotated as one number (`train_len: int, horizon: int`) hold numbers: arithmetic on them
  and aliases of them (`total_len = train_len + horizon`, `end_idx = train_len`) are sizes, not steps (CONVENTIONS 9,
  27: "arithmetic on literal numbers"); parameters annotated as tables, or not annotated, stay data;
- one number computed from the training part of a split (its mean, its last value) written as a column of the held-out
  part is a naive forecast for every held-out row: predict (CONVENTIONS 26: "forecast ... are all predict"), and the
  column then holds predictions (its error is an evaluation); a literal, a number of the whole data, or the training
  part's number written into the training part stay derive_feature;
- what a fitted transformer calls its columns (`vect.get_feature_names()`) is labels (CONVENTIONS 15), also put in a
  Series to rewrite them; a table of a model's parameters per feature name (`pd.DataFrame({"token": names,
  "one_star": nb.feature_count_[0, :]})`) and the columns computed on it are parameters, no steps (CONVENTIONS 27:
  "tables/Series built only from them"); a prediction tabled beside the names stays a prediction;
- the spread of cross-validation scores printed as a band (`scores.std() * 2`, the scikit-learn guide's
  "Accuracy: %0.2f (+/- %0.2f)") is a summary of the scores, an answer (CONVENTIONS 9), as `scores.std()` is; an error
  rate or a root of the scores computed from them stays an evaluation (27);
- a name rebound step by step in one cell until it is the labels of some of its rows (`types = data.dropna(...)`,
  `types = types[c].value_counts()`, `types = list(types[types.values > 100].index)`) computes a list of labels, a
  parameter of a later filter (CONVENTIONS 15: column-name lists, also when computed; 9): no steps on the way; a chain
  that ends in data, and a count kept as it is, stay steps;
- a function imported from outside the notebook whose name says it draws (`seasonal_plot`, `plot_periodogram` from a
  course's utils module) plots: a table made in the cell only to be handed to it, its columns written for it, is plot
  plumbing (CONVENTIONS 8; 4b: imported helpers are black boxes); the same table handed to a model is data;
- a copy made in the cell only to be drawn, its rows labelled for the figure (`tmp.index = tmp["date"]`,
  `tmp["Appliances"].plot()`), is plot plumbing as a copy whose columns are written for a figure is (CONVENTIONS 8);
  the same copy aggregated afterwards keeps its steps;
- the last predictions taken by position (`predictions.predicted_mean.iloc[-window:]`) are part of the prediction
  (CONVENTIONS 26), not rows of data filtered; rows of data taken by position stay a filter;
- rows of confusion counts collected per threshold (`scores.append((t, tp, fp, fn, tn))`), tabled and named
  (`df_scores.columns = ["threshold", "tp", ...]`): the columns at the counts' places hold evaluations, so the rates
  computed from them (`df_scores.tp / (df_scores.tp + df_scores.fn)`) evaluate (CONVENTIONS 27: errors or accuracy
  computed by hand); the table itself stays the conversion and rename it is, and arithmetic on the threshold column
  (no evaluation) derives;
- statistics of random draws collected in a loop (`p_diffs.append(new.mean() - old.mean())`, draws or resamples) are
  a simulated null distribution: the share of them beyond the observed value (`(p_diffs > obs_diff).mean()`, and
  that share tested against a level) is a p-value, a statistical test: evaluate (CONVENTIONS 27); the same share of
  data, or of statistics of data not drawn, is an answer (9).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

# ---------------------------------------------------------------- predictions back on the target's scale (CONVENTIONS 26)
LOG_TARGET = FRAME_AND_NUMPY + (
    "from sklearn.linear_model import Lasso, LinearRegression\n"
    "X_train, X_test = df[['a', 'b']][:80], df[['a', 'b']][80:]\n"
    "y_train, y_test = np.log1p(df.price[:80]), df.price[80:]\n"
    "model_lr = LinearRegression().fit(X_train, y_train)\n"
    "model_lasso = Lasso().fit(X_train, y_train)\n"
    "lr_preds = np.expm1(model_lr.predict(X_test))\n"
    "lasso_preds = np.expm1(model_lasso.predict(X_test))\n"
)


@pytest.mark.parametrize("cell, ops", [
    # tommo house-prices kaggle-kernel 39: a weighted blend of two models' predictions is the ensemble's prediction
    ("preds = 0.7 * lasso_preds + 0.3 * lr_preds", ["predict"]),
    ("preds = (lasso_preds + lr_preds) / 2", ["predict"]),
    # the truth minus them is a residual, an evaluation
    ("resid = y_test - lasso_preds", ["evaluate"]),
    # the predictions back on the scale, cast: still predictions, so the blend predicts
    ("p = np.expm1(model_lr.predict(X_test)).astype(int)\nq = np.expm1(model_lasso.predict(X_test)).astype(int)\n"
     "blend = 0.5 * p + 0.5 * q", ["predict", "scale_normalize", "type_cast", "predict", "scale_normalize",
                                   "type_cast", "predict"]),
])
def test_predictions_back_on_the_targets_scale_stay_predictions(cell: str, ops: list[str]) -> None:
    assert ops_after(LOG_TARGET, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: logs of data, and arithmetic on them, are data (scale_normalize, derive_feature)
    ("a = np.expm1(df.a)\nb = np.expm1(df.b)\nmix = 0.7 * a + 0.3 * b", ["scale_normalize", "scale_normalize",
                                                                      "derive_feature"]),
    # how far two predictions are apart derives a value (results.py: not a prediction)
    ("gap = lasso_preds - lr_preds", ["derive_feature"]),
])
def test_arithmetic_on_data_on_a_log_scale_stays_derived(cell: str, ops: list[str]) -> None:
    assert ops_after(LOG_TARGET, cell) == ops


# ---------------------------------------------------------------- a label recoding written as branches (CONVENTIONS 20)
ENCODER = """def bandwidth_encoder(bandwidth):
    if bandwidth in ('30M', '10M', 'BELOW 10M', '50M'):
        return 0
    if bandwidth in ('100M', '100M (FTTO)'):
        return 1
    if bandwidth in ('300M (FTTO)', '1000M (FTTO)'):
        return 2
"""
YES_NO = """def yes_no(answer):
    \"\"\"1 for a yes.\"\"\"
    if answer == 'Yes' or answer == 'Y':
        return 1
    else:
        return 0
"""
AGE_GROUP = """def age_group(age):
    if age < 18:
        return 'child'
    return 'adult'
"""
SCALED = """def scaled(plan):
    if plan == 'premium':
        return len(plan) * 2
    return 0
"""


@pytest.mark.parametrize("cell, ops", [
    # ds-julienjta broadband-churn 38: each bandwidth label's code, then the codes cast
    (ENCODER + "df['bandwidth'] = df.bandwidth.map(bandwidth_encoder)\ndf['bandwidth'] = df.bandwidth.astype('int32')",
     ["encode_categorical", "type_cast"]),
    (YES_NO + "df['churn'] = df['Churn'].apply(yes_no)", ["encode_categorical"]),
    # the same function nested in a preprocessing function, mapped inside it
    ("def preprocessing(X):\n" + "\n".join("    " + line for line in ENCODER.splitlines()) +
     "\n    X = X.copy()\n    X['bandwidth'] = X['bandwidth'].map(bandwidth_encoder)\n    return X",
     ["encode_categorical"]),
])
def test_a_function_that_codes_labels_by_branches_encodes(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell", [
    # negative controls: branches on a number make a new feature (pd.cut-like), and a branch that computes from the
    # value is a function applied, derive_feature (what-is-a-step.md: "apply/map with a function: derive_feature")
    AGE_GROUP + "df['group'] = df.age.apply(age_group)",
    SCALED + "df['plan'] = df.plan.map(scaled)",
])
def test_a_function_that_tests_numbers_or_computes_still_derives(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ["derive_feature"]


# ---------------------------------------------------------------- positions shuffled by hand (CONVENTIONS 30)
CAR_SPLIT = """np.random.seed(2)
n = len(df)
n_val = int(0.2 * n)
n_test = int(0.2 * n)
n_train = n - (n_val + n_test)
idx = np.arange(n)
np.random.shuffle(idx)
df_shuffled = df.iloc[idx]
df_train = df_shuffled.iloc[:n_train].copy()
df_val = df_shuffled.iloc[n_train:n_train+n_val].copy()
df_test = df_shuffled.iloc[n_train+n_val:].copy()
"""


@pytest.mark.parametrize("cell, ops", [
    # mlbookcamp car-price 11: the shuffled positions and their shuffle are no steps; the rows taken by them are the
    # sample, then the three parts are the split
    (CAR_SPLIT, ["sample", "split", "split", "split"]),
    ("rng = np.random.default_rng(1)\nidx = np.arange(len(df))\nrng.shuffle(idx)\nshuffled = df.loc[idx]",
     ["sample"]),
    # the same rows taken as np.random.permutation's (an earlier rule): one sample
    ("shuffled = df.iloc[np.random.permutation(len(df))]", ["sample"]),
])
def test_rows_taken_by_positions_shuffled_by_hand_are_a_sample(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: an array of data shuffled in place is the sample itself
    ("values = df[['a', 'b']].to_numpy()\nnp.random.shuffle(values)", ["select_columns", "sample"]),
    # positions never shuffled, drawn numbers: generated data as before (CONVENTIONS 28)
    ("steps = np.random.standard_normal(100)", ["load"]),
])
def test_data_shuffled_in_place_and_drawn_numbers_stay_steps(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- values computed into a list, then converted (CONVENTIONS 12)
SIMULATED = """p_diffs = []
for _ in range(10000):
    new_page_converted = np.random.choice(2, size, p=(0.88, 0.12))
    old_page_converted = np.random.choice(2, size, p=(0.88, 0.12))
    p_diffs.append(new_page_converted.mean() - old_page_converted.mean())
"""


@pytest.mark.parametrize("cell, ops", [
    # ab-test evanca 56: the simulated differences made an array under the same name: no step (the draws are loads)
    (SIMULATED + "p_diffs = np.array(p_diffs)", ["load", "load"]),
    (SIMULATED + "diffs = np.array(p_diffs)", ["load", "load", "other"]),
])
def test_a_list_of_values_computed_in_a_loop_is_converted_not_loaded(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + "size = 1000\n", cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: literals appended, and rows of values written in the code, wrapped: data built in code
    ("nums = []\nnums.append(3)\nnums.append(4)\narr = np.array(nums)", ["load"]),
    ("rows = []\nfor name, shock in [('crash', -0.07), ('normal', -0.01)]:\n"
     "    rows.append({'scenario': name, 'impact': shock * 1000})\nstress = pd.DataFrame(rows)", ["load"]),
])
def test_a_list_of_literals_or_written_rows_wrapped_is_still_a_load(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- parameters collected in a loop (CONVENTIONS 27)
MODELS = FRAME_AND_NUMPY + (
    "import statsmodels.formula.api as smf\n"
    "from sklearn.linear_model import LinearRegression\n"
)
ROLLING = """def rolling_factor_model(input_data, formula, window_size):
    coeffs = []
    for start_index in range(len(input_data) - window_size + 1):
        end_index = start_index + window_size
        ff_model = smf.ols(formula=formula, data=input_data[start_index:end_index]).fit()
        coeffs.append(ff_model.params)
    coeffs_df = pd.DataFrame(coeffs, index=input_data.index[window_size - 1:])
    return coeffs_df
"""
LOOP = """betas = []
scores = []
for k in range(3):
    m = LinearRegression().fit(df[['a', 'b']][k:], df.y[k:])
    betas.append(m.coef_)
    scores.append(m.score(df[['a', 'b']], df.y))
"""


@pytest.mark.parametrize("cell, ops", [
    # fin-cookbook factor-models 75: the rolling window's coefficients tabled are no step, the fit is
    (ROLLING, ["fit_model"]),
    (LOOP + "betas_df = pd.DataFrame(betas)", ["fit_model", "evaluate"]),
])
def test_a_table_of_parameters_collected_in_a_loop_is_no_step(cell: str, ops: list[str]) -> None:
    assert ops_after(MODELS, cell) == ops


def test_scores_collected_in_the_same_loop_stay_results() -> None:
    # negative control: the scores' list wrapped under a new name is the existing results converted (CONVENTIONS 12)
    assert ops_after(MODELS, LOOP + "scores_df = pd.DataFrame(scores)") == ["fit_model", "evaluate", "other"]


# ---------------------------------------------------------------- one value of one row by position (CONVENTIONS 9)
@pytest.mark.parametrize("cell", [
    # tsfp ch03 random-walk 33: the last training value, a naive forecast's number
    "train = df[:800]\nlast_value = train.iloc[-1].value",
    "first = df.iloc[0]['a']",
    # tsfp ch05 moving-average 15: the last value seen so far, inside a rolling forecast
    "i = 900\nlast = df[:i].iloc[-1].values[0]",
])
def test_one_value_of_one_row_by_position_is_a_number(cell: str) -> None:
    assert [op for op in ops_after(FRAME_AND_NUMPY, cell) if op != "split"] == []


@pytest.mark.parametrize("cell, ops", [
    # negative controls: one whole row is rows picked (statsmodels discrete-choice 16), and a chain that filters and
    # sorts before its first row keeps those steps
    ("respondent1000 = df.iloc[1000]", ["filter_rows"]),
    ("best = df.loc[df['family'] == 'benchmark'].sort_values('f05', ascending=False).iloc[0]['name']",
     ["filter_rows", "sort", "filter_rows", "select_columns"]),
])
def test_a_row_or_a_chain_before_the_row_stays_steps(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- parameters annotated as numbers (CONVENTIONS 9)
@pytest.mark.parametrize("cell, ops", [
    # tsfp ch05 moving-average 15: sizes computed from the int parameters are no steps; the rows cut by them are
    ("def windows(df: pd.DataFrame, train_len: int, horizon: int) -> pd.DataFrame:\n"
     "    total_len = train_len + horizon\n    end_idx = train_len\n    return df[:total_len]", ["filter_rows"]),
    ("def scaled(frame: pd.DataFrame, factor: float):\n    step = factor * 2\n"
     "    frame['c'] = frame['a'] * step + frame['b']\n    return frame", ["derive_feature"]),
])
def test_arithmetic_on_parameters_annotated_as_numbers_is_no_step(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


@pytest.mark.parametrize("cell, ops", [
    # negative controls: a table annotated as one, and parameters without annotations, are data
    ("def doubled(frame: pd.DataFrame, other: pd.DataFrame):\n    both = frame + other\n    return both",
     ["derive_feature"]),
    ("def total(a, b):\n    s = a + b\n    return s", ["derive_feature"]),
])
def test_parameters_annotated_as_tables_or_not_annotated_stay_data(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- naive forecasts (CONVENTIONS 26)
PARTS = FRAME_AND_NUMPY + "from sklearn.metrics import mean_squared_error\ntrain = df[:800]\ntest = df[800:]\n"


@pytest.mark.parametrize("cell, ops", [
    # tsfp ch03 random-walk 32 / 33: the historical mean and the last known value, forecasts of the test rows
    ("mean = np.mean(train.value)\ntest.loc[:, 'pred_mean'] = mean", ["predict"]),
    ("last_value = train.iloc[-1].value\ntest.loc[:, 'pred_last'] = last_value", ["predict"]),
    ("hist_mean = train['value'].mean()\ntest['pred_mean'] = hist_mean\n"
     "mse_mean = mean_squared_error(test['value'], test['pred_mean'])", ["predict", "evaluate"]),
])
def test_a_number_of_the_training_part_written_into_the_test_part_is_a_forecast(cell: str, ops: list[str]) -> None:
    assert ops_after(PARTS, cell) == ops


@pytest.mark.parametrize("cell", [
    # negative controls: a literal, a number of the whole data, the training part's own number in the training part
    "test['flag'] = 3",
    "overall = df.value.mean()\ntest['centre'] = overall",
    "mean = np.mean(train.value)\ntrain['mean_v'] = mean",
])
def test_other_numbers_written_into_a_part_stay_derived(cell: str) -> None:
    assert ops_after(PARTS, cell) == ["derive_feature"]


# ---------------------------------------------------------------- a table of a model's parameters (CONVENTIONS 27)
NB = FRAME_AND_NUMPY + (
    "from sklearn.feature_extraction.text import CountVectorizer\n"
    "from sklearn.naive_bayes import MultinomialNB\n"
    "vect = CountVectorizer()\n"
    "X_train_dtm = vect.fit_transform(df.text)\n"
    "nb = MultinomialNB()\n"
    "nb.fit(X_train_dtm, df.stars)\n"
)
TOKENS = """X_train_tokens = vect.get_feature_names()
one_star_token_count = nb.feature_count_[0, :]
five_star_token_count = nb.feature_count_[1, :]
tokens = pd.DataFrame({'token': X_train_tokens, 'one_star': one_star_token_count,
                       'five_star': five_star_token_count}).set_index('token')
"""


@pytest.mark.parametrize("cell", [
    # pycon16-text exercise-solution 36-43: the token counts per class tabled, smoothed and made ratios
    TOKENS,
    TOKENS + "tokens['one_star'] = tokens.one_star + 1\ntokens['one_star'] = tokens.one_star / nb.class_count_[0]\n"
             "tokens['five_star_ratio'] = tokens.five_star / tokens.one_star",
    # mk-kaggle spaceship-titanic 105: the transformer's names rewritten are names
    "feature_names = vect.get_feature_names_out()\n"
    "feature_names = pd.Series(feature_names).str.extract('__(.*)').values.ravel()",
])
def test_a_table_of_parameters_per_feature_name_is_no_step(cell: str) -> None:
    assert ops_after(NB, cell) == []


def test_predictions_tabled_beside_the_names_stay_a_prediction() -> None:
    # negative control: the same table shape holding the model's predictions
    cell = "names = vect.get_feature_names()\npred_table = pd.DataFrame({'review': df.text, 'p': nb.predict(X_train_dtm)})"
    assert "predict" in ops_after(NB, cell)


def test_columns_computed_in_a_data_table_stay_derived() -> None:
    # negative control: the same arithmetic on data read from a file
    assert ops_after(NB, "df['ratio'] = df.five_star / df.one_star") == ["derive_feature"]


# ---------------------------------------------------------------- a summary of scores shown as a band (CONVENTIONS 9)
CV = FRAME_AND_NUMPY + (
    "from sklearn.model_selection import cross_val_score\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "X, y = df[['a', 'b']], df.y\n"
    "scores = cross_val_score(LogisticRegression(), X, y, cv=5)\n"
)


@pytest.mark.parametrize("cell", [
    'print("Accuracy: %0.2f (+/- %0.2f)" % (scores.mean(), scores.std() * 2))',
    # me-kaggle titanic 5: the same band in an f-string
    "print(f'Mean: {scores.mean():.4f} (+/- {scores.std()*2:.4f})')",
])
def test_the_spread_of_scores_printed_as_a_band_is_no_evaluation(cell: str) -> None:
    assert ops_after(CV, cell) == []


@pytest.mark.parametrize("cell", [
    # negative controls: an error rate and a root of the scores are metrics computed from them (CONVENTIONS 27)
    "err = 1 - scores.mean()",
    "rmse = np.sqrt(-scores)",
])
def test_metrics_computed_from_scores_stay_evaluations(cell: str) -> None:
    assert ops_after(CV, cell) == ["evaluate"]


# ---------------------------------------------------------------- a chain that ends in a list of labels (CONVENTIONS 15)
@pytest.mark.parametrize("cell", [
    # koehrsen walkthrough part1 33 / 36: the building types with more than 100 measurements
    "types = df.dropna(subset=['score'])\ntypes = types['use_type'].value_counts()\n"
    "types = list(types[types.values > 100].index)",
    "top = df['city'].value_counts()\ntop = top.head(10).index.tolist()",
])
def test_a_chain_that_ends_in_a_list_of_labels_is_no_step(cell: str) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == []


@pytest.mark.parametrize("cell, ops", [
    # negative controls: the same rebinding ending in data, and counts kept as they are (CONVENTIONS 10: aggregate)
    ("d = df.dropna(subset=['score'])\nd = d[d.score > 100]", ["drop_missing", "filter_rows"]),
    ("counts = df.dropna(subset=['score'])\ncounts = counts['use_type'].value_counts()", ["drop_missing", "aggregate"]),
])
def test_a_chain_that_ends_in_data_keeps_its_steps(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == ops


# ---------------------------------------------------------------- an imported helper named for drawing (CONVENTIONS 8)
IMPORTS = FRAME_AND_NUMPY + (
    "from sklearn.linear_model import LinearRegression\n"
    "from learntools.time_series.utils import plot_periodogram, seasonal_plot\n"
    "average_sales = df.set_index('date').sales\n"
)
SEASONAL = 'X = average_sales.to_frame()\nX["week"] = X.index.week\nX["day"] = X.index.dayofweek\n'


def _ops_in_a_later_cell(cell: str) -> list[str]:
    from trackit_sidecar.lineage.classify.cell import classify_cell

    _, aliases = classify_cell(IMPORTS)
    steps, _ = classify_cell(cell, aliases)
    return [step.op for step in steps]


def test_a_table_made_only_for_an_imported_plot_helper_is_no_step() -> None:
    # learntools ts-seasonality 3: the week and the day written only to draw the seasonal plot
    assert _ops_in_a_later_cell(SEASONAL + "seasonal_plot(X, y='sales', period='week', freq='day');") == []


def test_the_same_table_handed_to_a_model_keeps_its_steps() -> None:
    # negative control: the columns are features of a fit
    ops = _ops_in_a_later_cell(SEASONAL + "model = LinearRegression().fit(X[['week', 'day']], X['sales'])")
    assert ops == ["other", "derive_feature", "derive_feature", "fit_model"]


# ---------------------------------------------------------------- a copy labelled only to draw (CONVENTIONS 8)
DRAWING = FRAME_AND_NUMPY + "import matplotlib.pyplot as plt\n"
LABELLED = "tmp = df.copy()\ntmp.index = tmp['date']\n"


def test_a_copy_labelled_only_to_draw_is_no_step() -> None:
    # fe-cookbook time-windows 8: the index set only for the line plot's axis
    assert ops_after(DRAWING, LABELLED + "tmp['Appliances'].plot(figsize=(12, 4))\nplt.ylabel('Energy')") == []


def test_the_same_copy_aggregated_keeps_its_steps() -> None:
    # negative control: the labelled copy is resampled into a table the analysis goes on with
    # (`tmp.index = tmp['date']` is `tmp.set_index('date')`: other, CONVENTIONS 14; a rename until pass 28)
    ops = ops_after(DRAWING, LABELLED + "monthly = tmp.resample('M').mean()")
    assert ops[:2] == ["other", "other"] and "aggregate" in ops


# ---------------------------------------------------------------- predictions taken by position (CONVENTIONS 26)
FORECAST = FRAME_AND_NUMPY + (
    "from statsmodels.tsa.statespace.sarimax import SARIMAX\n"
    "res = SARIMAX(df.y, order=(3, 0, 0)).fit(disp=False)\n"
)


@pytest.mark.parametrize("cell, ops", [
    # tsfp ch05 moving-average 15: the out-of-sample part of a prediction
    ("predictions = res.get_prediction(0, 120)\noos_pred = predictions.predicted_mean.iloc[-20:]", ["predict"]),
    # negative control: rows of the data by position
    ("first = df.iloc[:20]", ["filter_rows"]),
])
def test_predictions_taken_by_position_are_the_prediction(cell: str, ops: list[str]) -> None:
    assert ops_after(FORECAST, cell) == ops


# ---------------------------------------------------------------- rates from collected confusion counts (CONVENTIONS 27)
SCORED = FRAME_AND_NUMPY + (
    "from sklearn.linear_model import LogisticRegression\n"
    "model = LogisticRegression().fit(df[['a']], df.y)\n"
    "y_val = df.y\n"
    "y_pred = model.predict_proba(df[['a']])[:, 1]\n"
)
COUNTS = """scores = []
for t in np.linspace(0, 1, 101):
    tp = ((y_pred >= t) & (y_val == 1)).sum()
    fp = ((y_pred >= t) & (y_val == 0)).sum()
    fn = ((y_pred < t) & (y_val == 1)).sum()
    tn = ((y_pred < t) & (y_val == 0)).sum()
    scores.append((t, tp, fp, fn, tn))
df_scores = pd.DataFrame(scores)
df_scores.columns = ['threshold', 'tp', 'fp', 'fn', 'tn']
"""
COUNTED = ["evaluate"] * 4 + ["other", "rename"]


@pytest.mark.parametrize("cell, ops", [
    # mlbookcamp churn-metrics 34 / 38: the true and false positive rates per threshold
    (COUNTS + "df_scores['tpr'] = df_scores.tp / (df_scores.tp + df_scores.fn)\n"
              "df_scores['fpr'] = df_scores.fp / (df_scores.fp + df_scores.tn)", COUNTED + ["evaluate", "evaluate"]),
    # negative control: arithmetic on the threshold column, which holds no evaluation
    (COUNTS + "df_scores['pct'] = df_scores.threshold * 100", COUNTED + ["derive_feature"]),
])
def test_rates_from_collected_confusion_counts_evaluate(cell: str, ops: list[str]) -> None:
    assert ops_after(SCORED, cell) == ops


# ---------------------------------------------------------------- a p-value by simulation (CONVENTIONS 27)
@pytest.mark.parametrize("cell, ops", [
    # ab-test evanca 56 / 57: the simulated differences, the share beyond the observed one, and that share tested
    (SIMULATED + "obs_diff = -0.0016\np_diffs = np.array(p_diffs)\n(p_diffs > obs_diff).mean()",
     ["load", "load", "evaluate"]),
    (SIMULATED + "obs_diff = -0.0016\np_diffs = np.array(p_diffs)\n(p_diffs > obs_diff).mean() <= 0.05",
     ["load", "load", "evaluate"]),
    # resampled rows instead of drawn numbers: a bootstrap distribution
    ("diffs = []\nfor _ in range(1000):\n    b = df.sample(len(df), replace=True)\n"
     "    diffs.append(b[b.g == 'A'].y.mean() - b[b.g == 'B'].y.mean())\n"
     "diffs = np.array(diffs)\nshare = (diffs > 0).mean()", ["sample", "evaluate"]),
])
def test_the_share_of_simulated_statistics_beyond_the_observed_one_is_a_p_value(cell: str, ops: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY + "size = 1000\n", cell) == ops


@pytest.mark.parametrize("cell", [
    # negative controls: the share of data above a value, and of statistics of data that was not drawn (answers)
    "(df.y > 3).mean()",
    "means = []\nfor g in ['a', 'b']:\n    means.append(df[df.g == g].y.mean() - 1)\nmeans = np.array(means)\n"
    "(means > 3).mean()",
])
def test_the_share_of_data_or_of_statistics_not_drawn_is_an_answer(cell: str) -> None:
    assert "evaluate" not in ops_after(FRAME_AND_NUMPY, cell)
