"""Twenty-eighth pass (issue 10, acc54): evaluation written by hand in the shapes fresh modelling notebooks use, each
read against a clause of what-is-a-step.md or CONVENTIONS on small hand-written cells, with positive rows and controls:

- predictions kept as a column of a table, attached (`out["pred"] = y_pred`) or put beside the truth
  (`pd.DataFrame({"Actual": y_test, "Predicted": y_pred})`): the column holds the model's predictions, so the truth
  minus it is a residual (CONVENTIONS 27: "errors or accuracy computed by hand from data, residuals": evaluate), and a
  statistic of that residual column is a metric computed by hand (what-is-a-step.md: "a metric computed by hand (RMSE
  from predictions)"). Attaching stays derive_feature (CONVENTIONS 19) and the table a concat (13); columns of data
  subtracted stay derive_feature, and the role is the table's column's, not every column of that name (a submission's
  `sub["SalePrice"] = preds` leaves `train["SalePrice"]` a column of data) (controls);
- predictions walked beside the truth pair by pair (`sum(p == t for p, t in zip(y_pred, y_test)) / len(y_test)`, or a
  loop `for p, t in zip(y_pred, y_test): if p == t: correct += 1`, or the predictions walked alone, `for i in y_pred:
  error = error + abs(i - ss[j])`): hits or errors counted by hand, an accuracy or an error (27); pairs only collected
  or printed, two data columns compared pair by pair, and a dict of predictions walked (its keys) stay no step
  (controls);
- predictions correlated with the truth (`np.corrcoef(y_test, y_pred)[0, 1]`, squared for R^2, `y_test.corr(...)`) or
  cross-tabulated against it (`pd.crosstab(y_test, y_pred, rownames=["Actual"], colnames=["Predicted"])`, a confusion
  matrix counted by hand): how well the predictions follow the data, a metric computed by hand (27), as scipy's
  `pearsonr` and sklearn's `confusion_matrix` already are; a correlation of two data columns stays a single number
  (CONVENTIONS 9), the matrix assigned an aggregate (22), their crosstab a reshape (controls);
- per-row errors kept under a name or as a column, beyond the plain residual (`np.abs(y_test - y_pred)`, `(y - p) **
  2`, `(t["y"] - t["p"]).abs()`, relative `abs(y - p) * 100 / y`, hits `t["y"] == t["p"]`, also as a column of a new
  table): a statistic of them is a metric computed by hand (27), as
  `resid.std()` already was; a difference of two data columns averaged stays an answer (control);
- a library's scaling function passed to `apply` / `transform` by its imported name (`df[cols].apply(zscore)` after
  `from scipy.stats import zscore`, `st.boxcox1p`): each column standardised or transformed, scale_normalize
  (CONVENTIONS 23), as the same function called on a column is; it read derive_feature (the table looked the function
  up under its full path only); so is a lambda dividing each column by its own maximum or total (`lambda x: x /
  x.max()`), as `df[c] / df[c].max()` is. A statistic applied per column, a unit changed by a constant, and shares
  within groups (`groupby().transform`, CONVENTIONS 22) stay as they were (controls);
- a metric computed by hand and only rounded or made a Python number (`print("RMSE:", round(np.sqrt(mse), 2))`,
  `round((cm[0, 0] + cm[1, 1]) / cm.sum(), 3)`): still computed from an evaluation (27), where `round(mse, 2)` alone
  only shows the metric already computed (control);
- a metric computed by hand put into a list, array or dict (`errs[i] = np.sqrt(np.mean((y_test - y_pred) ** 2))`,
  `accuracy[i] = (cm[0, 0] + cm[1, 1]) / cm.sum()` in a loop over models): an evaluation wherever it is written
  (CONVENTIONS 7, 27), as when assigned to a name; a statistic of the data put there stays no step (control);
- data standardised in place with statistics kept under names (`mean = X_train.mean(axis=0); std =
  X_train.std(axis=0); X_train -= mean; X_train /= std; X_test -= mean`, the Keras book's and tutorials' way):
  centring and scaling, scale_normalize for each (CONVENTIONS 23), as `(X - mu) / sigma` already was; the statistics
  are its parameters, no aggregates of their own (CONVENTIONS 9). A number written in the code subtracted stays no
  step (control);
- a model fitted a batch at a time (`clf.partial_fit(X, y, classes=[0, 1])`): a fit (what-is-a-step.md: "`model.fit`
  ...: fit_model"); a scaler's `partial_fit` stays a preprocessor's fit alone, no step (CONVENTIONS 25, control);
- scores turned into classes one at a time (`[1 if p > 0.5 else 0 for p in proba]`, `[int(p >= t) for p in proba]`):
  thresholding probabilities predicts (CONVENTIONS 26), as `np.where(proba > 0.5, 1, 0)` already did; scores only
  rounded, and data values thresholded, stay as they were (controls);
- a notebook helper named for evaluating whose body predicts with a library model and scores by hand
  (`def evaluate(model, X, y): p = model.predict(X); return np.sqrt(np.mean((p - y) ** 2))`): a helper around a
  library's step, classified where it is written (CONVENTIONS 1: predict + evaluate in the body, the call no step), as
  one scoring with `mean_squared_error` already was; the metric returned is computed by hand from the body's own
  prediction (27). A metric function with no model in it (`def rmse(y, y_pred)`) and a cost of a hand-written model
  stay black boxes read at their calls (CONVENTIONS 4a; the tuning labels of mlbookcamp__car-price, controls);
- a p-value computed by hand, a statistic of the data looked up in a scipy.stats distribution's tail (`p = 2 * (1 -
  stats.norm.cdf(abs(z)))`, `stats.t.sf(np.abs(t), n - 2) * 2`): the statistical test written out (CONVENTIONS 27:
  "statistical and assumption tests"); a distribution at numbers written in the code, at a grid or at the data's
  values stays as it was (controls);
- a constant baseline prediction, one value repeated for every row under a name for predictions or a baseline
  (`y_pred = np.zeros(y_test.shape[0])` scored in its cell, `baseline_preds = np.full(len(y_test), y_train.mean())`,
  `validate_baseline = pd.Series("NO", index=X_test.index)`): what a model that always says the same thing predicts
  (CONVENTIONS 26, as the naive forecast written as a column already is), so comparing it with the truth evaluates
  (rasbt-pml__ch06-model-evaluation 82 / 85, kepler-ag__model 10, tuning). Arrays set up to be filled (`preds =
  np.zeros(n)` then `preds += m.predict(X) / k`, or alone in their cell), parameters and other names stay no step
  (CONVENTIONS 15, controls).
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

PREDICTED = FRAME_AND_NUMPY + """from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
X = df[["a", "b"]]
y = df["y"]
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = LinearRegression()
model.fit(X_train, y_train)
y_pred = model.predict(X_test)
"""

PREDICTION_COLUMNS = [
    ('comp = pd.DataFrame({"Actual": y_test, "Predicted": y_pred})\n'
     'comp["Difference"] = comp["Actual"] - comp["Predicted"]', ["concat", "evaluate"]),
    ('comp = pd.DataFrame({"Actual": y_test, "Predicted": y_pred})\n'
     'comp["pct"] = (comp.Actual - comp.Predicted) / comp.Actual * 100', ["concat", "evaluate"]),
    ('comp = pd.DataFrame(data={"actual": y_test, "pred": y_pred})\n'
     'comp["err"] = comp["actual"] - comp["pred"]\n'
     'comp["err"].abs().mean()', ["concat", "evaluate", "evaluate"]),
    ('out = X_test.copy()\nout["pred"] = y_pred\nout["residual"] = out["pred"] - y_test',
     ["other", "derive_feature", "evaluate"]),
    ('out = X_test.copy()\nout["pred"] = y_pred\nout["sq"] = (out["pred"] - y_test) ** 2\nnp.sqrt(out["sq"].mean())',
     ["other", "derive_feature", "evaluate", "evaluate"]),
    ('df["pred"] = model.predict(X)\ndf["error"] = df["y"] - df["pred"]\n'
     'mape = (df["error"].abs() / df["y"]).mean() * 100', ["predict", "evaluate", "evaluate"]),
    ('df["pred"] = model.predict(X)\ndf["error"] = df["y"] - df["pred"]\nmae = df["error"].abs().mean()',
     ["predict", "evaluate", "evaluate"]),
    # controls: the table of truth and predictions only looked at; columns of data subtracted; a prediction column
    # used in arithmetic with no data is no residual (a new value derived from it)
    ('comp = pd.DataFrame({"Actual": y_test, "Predicted": y_pred})\ncomp.head(10)', ["concat"]),
    ('t = pd.DataFrame({"a": df["a"], "b": df["b"]})\nt["d"] = t["a"] - t["b"]', ["concat", "derive_feature"]),
    ('df["b2"] = df["b"]\ndf["d"] = df["a"] - df["b2"]\ndf["d"].abs().mean()', ["derive_feature", "derive_feature"]),
    ('df["pred"] = y_pred\ndf["twice"] = df["pred"] * 2', ["derive_feature", "derive_feature"]),
    # a submission's column of predictions is that table's: the data's column of the same name stays data
    ('sub = pd.DataFrame({"Id": X_test.index, "y": y_pred})\ntarget = df["y"]', ["concat", "select_columns"]),
    ('sub = X_test.copy()\nsub["y"] = y_pred\ntarget = df["y"]', ["other", "derive_feature", "select_columns"]),
]


@pytest.mark.parametrize("cell,expected", PREDICTION_COLUMNS)
def test_predictions_kept_as_a_column_make_its_residuals_an_evaluation(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


ZIPPED_PAIRS = [
    ("acc = sum(p == t for p, t in zip(y_pred, y_test)) / len(y_test)", ["evaluate"]),
    ("acc = sum(1 for p, t in zip(y_pred, y_test) if p == t) / len(y_test)", ["evaluate"]),
    ("acc = np.mean([p == t for p, t in zip(y_pred, y_test)])", ["evaluate"]),
    ("print(sum(a != b for a, b in zip(y_test, y_pred)))", ["evaluate"]),
    ("correct = 0\nfor p, t in zip(y_pred, y_test):\n    if p == t:\n        correct += 1\nprint(correct / len(y_test))",
     ["evaluate"]),
    # controls: pairs only collected or printed; two data columns compared pair by pair
    ("pairs = [(p, t) for p, t in zip(y_pred, y_test)]", []),
    ("for p, t in zip(y_pred, y_test):\n    print(p, t)", []),
    # an array of predictions walked one by one, each compared with its truth: an error accumulated by hand
    ("error = 0\nss = list(y_test)\nj = 0\nfor i in y_pred:\n    error = error + abs(i - ss[j])\n    j = j + 1",
     ["evaluate"]),
    # controls: the predictions walked only to print them; a dict of predictions walked gives the models' names
    ("for v in y_pred:\n    print(v)", []),
    ('preds = {}\npreds["lr"] = model.predict(X_test)\nfor name in preds:\n    print(name)', ["predict"]),
    ('same = sum(a == b for a, b in zip(df["a"], df["b"]))', []),
]


@pytest.mark.parametrize("cell,expected", ZIPPED_PAIRS)
def test_predictions_compared_pair_by_pair_with_the_truth_evaluate(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


CORRELATIONS = [
    ("corr = np.corrcoef(y_test, y_pred)[0, 1]", ["evaluate"]),
    ("r2 = np.corrcoef(y_test, y_pred)[0, 1] ** 2", ["evaluate"]),
    ("print(np.corrcoef(y_pred, y_test))", ["evaluate"]),
    ("r = y_test.corr(pd.Series(y_pred, index=y_test.index))", ["evaluate"]),
    # controls: data columns correlated (a single number, CONVENTIONS 9; the matrix assigned, an aggregate, 22)
    ('r = np.corrcoef(df["a"], df["b"])[0, 1]', []),
    ('c = df["a"].corr(df["b"])', []),
    ('m = np.corrcoef(df["a"], df["b"])', ["aggregate"]),
    ('cm = pd.crosstab(y_test, y_pred, rownames=["Actual"], colnames=["Predicted"])', ["evaluate"]),
    ("pd.crosstab(y_test, y_pred)", ["evaluate"]),
    ('comp = pd.DataFrame({"Actual": y_test, "Predicted": y_pred})\npd.crosstab(comp["Actual"], comp["Predicted"])',
     ["concat", "evaluate"]),
    ('pd.crosstab(df["a"], df["b"])', ["reshape"]),
]


@pytest.mark.parametrize("cell,expected", CORRELATIONS)
def test_predictions_correlated_or_crosstabulated_with_the_truth_evaluate(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


SCALING_FUNCTIONS_APPLIED = [
    ('from scipy.stats import zscore\ndf[["a", "b"]] = df[["a", "b"]].apply(zscore)', ["scale_normalize"]),
    ('from scipy.stats import zscore\ndf["a"] = df["a"].transform(zscore)', ["scale_normalize"]),
    ('from scipy import stats\ndf_z = df[["a", "b"]].apply(stats.zscore)', ["select_columns", "scale_normalize"]),
    ('import scipy.stats as st\ndf["a"] = df["a"].transform(st.boxcox1p, lmbda=0.15)', ["scale_normalize"]),
    # each column over its own maximum or total in a lambda, as df[c] / df[c].max() is
    ('df2 = df[["a", "b"]].apply(lambda x: x / x.max())', ["select_columns", "scale_normalize"]),
    ('df2 = df[["a", "b"]].apply(lambda c: c / c.sum())', ["select_columns", "scale_normalize"]),
    # controls: NumPy's log applied (read so before), a statistic of each column (an answer), a constant divisor
    # (a unit changed: derive_feature, as the tuning labels have it), shares within groups (CONVENTIONS 22)
    ('df[["a", "b"]] = df[["a", "b"]].apply(np.log1p)', ["scale_normalize"]),
    ('from scipy.stats import skew\nsk = df[["a", "b"]].apply(skew)', []),
    ('df["a"] = df["a"].apply(lambda v: v / 1000)', ["derive_feature"]),
    ('df["n"] = df.groupby("k")["a"].transform(lambda x: x / x.sum())', ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", SCALING_FUNCTIONS_APPLIED)
def test_a_library_scaling_function_applied_by_its_imported_name_scales(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


SCORED = PREDICTED + """from sklearn.metrics import confusion_matrix, mean_squared_error
cm = confusion_matrix(y_test, y_pred)
mse = mean_squared_error(y_test, y_pred)
"""

ROUNDED_METRICS = [
    ('print("RMSE:", round(np.sqrt(mse), 2))', ["evaluate"]),
    ('print("Accuracy:", round((cm[0, 0] + cm[1, 1]) / cm.sum(), 3))', ["evaluate"]),
    ("print(float((cm[0, 0] + cm[1, 1]) / cm.sum()))", ["evaluate"]),
    ('print("RMSE {}".format(round(np.sqrt(mse), 2)))', ["evaluate"]),
    # controls: the metric already computed, only rounded and shown; a statistic of the data rounded
    ('print("MSE:", round(mse, 2))', []),
    ('print(round(df["a"].mean() / 2, 2))', []),
]


@pytest.mark.parametrize("cell,expected", ROUNDED_METRICS)
def test_a_metric_computed_by_hand_and_rounded_evaluates(cell: str, expected: list[str]) -> None:
    assert ops_after(SCORED, cell) == expected


METRICS_KEPT_IN_CONTAINERS = [
    ("errs = [0] * 3\nfor i in range(3):\n    errs[i] = np.sqrt(np.mean((y_test - y_pred) ** 2))", ["evaluate"]),
    ("errs = np.zeros(3)\nfor i in range(3):\n    errs[i] = np.sqrt(np.mean((y_test - y_pred) ** 2))", ["evaluate"]),
    ("accuracy = [0] * 10\nfor i in range(1, 10):\n    accuracy[i] = (cm[0, 0] + cm[1, 1]) / cm.sum()", ["evaluate"]),
    ('res = {}\nres["lr"] = np.sqrt(np.mean((y_test - y_pred) ** 2))', ["evaluate"]),
    # controls: statistics of the data kept the same way
    ('vals = [0] * 3\nfor i in range(3):\n    vals[i] = df["a"].mean() / 2', []),
    ('J = np.zeros((3, 3))\nfor i in range(3):\n    J[i, 0] = np.mean(df["a"] - i)', []),
]


@pytest.mark.parametrize("cell,expected", METRICS_KEPT_IN_CONTAINERS)
def test_a_metric_computed_by_hand_into_a_container_evaluates(cell: str, expected: list[str]) -> None:
    assert ops_after(SCORED, cell) == expected


STANDARDISED_IN_PLACE = [
    ("mean = X_train.mean(axis=0)\nstd = X_train.std(axis=0)\nX_train -= mean\nX_train /= std\n"
     "X_test -= mean\nX_test /= std", ["scale_normalize"] * 4),
    ("mu = np.mean(X, axis=0)\nX -= mu", ["scale_normalize"]),
    ('m = df["a"].mean()\ndf["a"] -= m', ["scale_normalize"]),
    # control: a number written in the code subtracted
    ("offset = 3\nX -= offset", []),
]


@pytest.mark.parametrize("cell,expected", STANDARDISED_IN_PLACE)
def test_data_standardised_in_place_with_named_statistics_scales(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


INCREMENTAL_FITS = [
    ("from sklearn.linear_model import SGDClassifier\nclf = SGDClassifier()\n"
     "clf.partial_fit(X_train, y_train, classes=[0, 1])", ["fit_model"]),
    ("from sklearn.cluster import MiniBatchKMeans\nkm = MiniBatchKMeans(n_clusters=3)\nkm.partial_fit(X_train)\n"
     "labels = km.predict(X_test)", ["fit_model", "predict"]),
    # control: a preprocessor fitted a batch at a time
    ("from sklearn.preprocessing import StandardScaler\nsc = StandardScaler()\nsc.partial_fit(X_train)", []),
]


@pytest.mark.parametrize("cell,expected", INCREMENTAL_FITS)
def test_a_model_fitted_a_batch_at_a_time_is_fitted(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


THRESHOLDED_ITEMS = [
    ("proba = model.predict(X_test)\ny_hat = [1 if p > 0.5 else 0 for p in proba]", ["predict", "predict"]),
    ("proba = model.predict(X_test)\ny_hat = [int(p >= 0.5) for p in proba]", ["predict", "predict"]),
    ('proba = model.predict(X_test)\nt = 0.3\ny_hat = ["yes" if p > t else "no" for p in proba]', ["predict", "predict"]),
    # controls: scores only rounded; values of the data thresholded are no prediction, but a value computed from each
    # item of data (test_steps_pass28_unseen_code.py: derive_feature)
    ("proba = model.predict(X_test)\nrounded = [round(p, 2) for p in proba]", ["predict"]),
    ('vals = [1 if v > 0.5 else 0 for v in df["a"]]', ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", THRESHOLDED_ITEMS)
def test_scores_thresholded_one_at_a_time_predict(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


PER_ROW_ERRORS = [
    ("errs = np.abs(y_test - y_pred)\nerrs.mean()", ["evaluate", "evaluate"]),
    # (the square root of a mean of squares read so before: arithmetic on an evaluation)
    ("sq = (y_test - y_pred) ** 2\nprint(sq.mean() ** 0.5)", ["evaluate", "evaluate"]),
    ("hits = y_pred == y_test\nprint(hits.mean())", ["evaluate", "evaluate"]),
    ('res = pd.DataFrame({"y": y_test, "p": y_pred})\nres["abs_err"] = (res["y"] - res["p"]).abs()\n'
     'print(res["abs_err"].mean())', ["concat", "evaluate", "evaluate"]),
    ('res = pd.DataFrame({"y": y_test, "p": y_pred})\nres["ok"] = res["y"] == res["p"]\nres["ok"].mean()',
     ["concat", "evaluate", "evaluate"]),
    ('d = pd.DataFrame({"Actual": y_test, "Predicted": y_pred})\n'
     'pct = pd.DataFrame({"Percentage": abs(d["Actual"] - d["Predicted"]) * 100 / d["Actual"]})\n'
     'print("Mean Error Percentage {}%".format(pct["Percentage"].mean()))', ["concat", "evaluate", "evaluate"]),
    # control: a difference of two data columns averaged
    ('d = df["a"] - df["b"]\nd.mean()', ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", PER_ROW_ERRORS)
def test_a_statistic_of_per_row_errors_evaluates(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected


EVALUATING_HELPERS = [
    ("def evaluate(model, X, y):\n    p = model.predict(X)\n    return np.sqrt(np.mean((p - y) ** 2))\n"
     "evaluate(model, X_test, y_test)", ["predict", "evaluate"]),
    ("def score_model(m, X, y):\n    preds = m.predict(X)\n    return (preds == y).mean()\nscore_model(model, X_test, y_test)",
     ["predict", "evaluate"]),
    # controls: handed to a library as its scorer (part of that call, CONVENTIONS 3; sklearn-tutorial__validation 52);
    # scored with a library metric (read so before); a metric function and a cost with no model in them
    ("from sklearn.model_selection import validation_curve\n"
     "def rms_error(model, X, y):\n    p = model.predict(X)\n    return np.sqrt(np.mean((y - p) ** 2))\n"
     "tr, te = validation_curve(LinearRegression(), X, y, param_name='fit_intercept', param_range=[True, False], "
     "scoring=rms_error)", ["evaluate"]),
    ("def evaluate(model, X, y):\n    p = model.predict(X)\n    return mean_squared_error(y, p)\n"
     "evaluate(model, X_test, y_test)", ["predict", "evaluate"]),
    ("def rmse(y, y_pred):\n    error = y_pred - y\n    return np.sqrt((error ** 2).mean())\nrmse(y_test, y_pred)",
     ["evaluate"]),
    ("def compute_cost(X, y, w, b):\n    f = X @ w + b\n    return np.mean((f - y) ** 2) / 2\n"
     "compute_cost(X_train, y_train, 1, 0)", ["evaluate"]),
]


@pytest.mark.parametrize("cell,expected", EVALUATING_HELPERS)
def test_a_helper_scoring_a_library_models_predictions_is_read_in_its_body(cell: str, expected: list[str]) -> None:
    assert ops_after(SCORED, cell) == expected


P_VALUES_BY_HAND = [
    ('from scipy import stats\nz = (df["a"].mean() - 5) / (df["a"].std() / np.sqrt(len(df)))\n'
     "p = 2 * (1 - stats.norm.cdf(abs(z)))", ["evaluate"]),
    ('from scipy import stats\nt = (df["a"].mean() - df["b"].mean()) / np.sqrt(df["a"].var() / len(df))\n'
     "p = stats.t.sf(np.abs(t), len(df) - 2) * 2", ["evaluate"]),
    # controls: a number written in the code, a grid (a curve), the data's values transformed
    ("from scipy import stats\ncrit = 1.96\np = 2 * (1 - stats.norm.cdf(crit))", []),
    ("from scipy import stats\np = stats.norm.cdf(1.96)", []),
    ('from scipy import stats\ndf["pct"] = stats.norm.cdf(df["a"])', ["derive_feature"]),
]


@pytest.mark.parametrize("cell,expected", P_VALUES_BY_HAND)
def test_a_p_value_computed_by_hand_evaluates(cell: str, expected: list[str]) -> None:
    assert ops_after(FRAME_AND_NUMPY, cell) == expected


CONSTANT_BASELINES = [
    ("y_pred = np.zeros(y_test.shape[0])\nnp.mean(y_pred == y_test) * 100", ["predict", "evaluate"]),
    ("baseline_preds = np.full(len(y_test), y_train.mean())\nmae = np.mean(np.abs(baseline_preds - y_test))",
     ["predict", "evaluate"]),
    ('validate_baseline = pd.Series("NO", index=X_test.index)', ["predict"]),
    ("baseline = np.ones(len(y_test)) * y_train.median()", ["predict"]),
    # controls: accumulators filled afterwards or set up alone, parameters, other names
    ("preds = np.zeros(len(X_test))\nfor i in range(3):\n    preds += model.predict(X_test) / 3", ["predict"]),
    ("y_pred = np.zeros(len(X_test))\nfor i in range(len(X_test)):\n    y_pred[i] = model.predict(X_test[i:i+1])[0]",
     ["predict"]),
    ("y_pred = np.zeros(len(X_test))", []),
    ("w = np.zeros(X.shape[1])", []),
    ("zeros = np.zeros(len(df))", []),
]


@pytest.mark.parametrize("cell,expected", CONSTANT_BASELINES)
def test_a_constant_baseline_prediction_predicts(cell: str, expected: list[str]) -> None:
    assert ops_after(PREDICTED, cell) == expected
