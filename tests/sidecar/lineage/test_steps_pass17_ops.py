"""Seventeenth pass (issue 10), wrong ops and spurious steps of the tuning notebooks, each from a clause of
what-is-a-step.md or CONVENTIONS, on small hand-written cells with positive and negative controls (the same shape where
it IS a step):

- predictions put back on the target's scale (`np.expm1(m.predict(X))`) are still predictions: a blend of them
  predicts (CONVENTIONS 26), data minus them is a residual (27); arithmetic on other data stays derive_feature.
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
