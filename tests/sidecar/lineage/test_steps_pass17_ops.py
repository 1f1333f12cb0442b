"""Seventeenth pass (issue 10), wrong ops and spurious steps of the tuning notebooks, each from a clause of
what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls (the same shape where
it IS a step):

- predictions put back on the target's scale (`np.expm1(m.predict(X))`) are still predictions: a blend of them
  predicts (CONVENTIONS 26), data minus them is a residual (27); arithmetic on other data stays derive_feature;
- a notebook function whose branches test the value against string labels and return constants
  (`if b in ("10M", "50M"): return 0 ...`) is a dict map written as branches: mapped or applied, it encodes
  (CONVENTIONS 20); branches on numbers (`if age < 18: return "child"`) or that compute still derive.
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
