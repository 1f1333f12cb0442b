"""A model fitted, or a prediction made, inside the expression that reads it is read as a model or prediction bound
to a name is (issue 10: the same thing written two ways gives the same op), on small hand-written cells:

- `smf.ols(...).fit().resid` is a fit and residuals (CONVENTIONS 27: residuals are `evaluate`), as `res.resid` is
  after `res = smf.ols(...).fit()`; `smf.ols(...).fit().params["t"]` reads a parameter, which is no step (27), not a
  column picked;
- a model fitted in a shown or printed expression is still fitted (what-is-a-step.md: statsmodels `.fit()` is
  `fit_model`; `.summary()` itself is no step, CONVENTIONS 27);
- `np.mean(model.predict(X) == y)` is a prediction and an accuracy computed by hand (CONVENTIONS 7, 27), as with
  `y_pred` bound first;
- a cast that ends an indicator inside `assign` is part of it (CONVENTIONS 20), as in a column assignment;
- arrays put side by side only to pass them to a model's method (`model.predict(np.c_[xx.ravel(), yy.ravel()])`)
  are no concat (CONVENTIONS 13: "only packaging an argument").
"""

from __future__ import annotations

import pytest

from .after_setup import FRAME_AND_NUMPY, ops_after

STATSMODELS = FRAME_AND_NUMPY + "import statsmodels.formula.api as smf\n"
SKLEARN = FRAME_AND_NUMPY + "from sklearn.linear_model import LogisticRegression\n" \
    "X = df[['age', 'income']]\nmodel = LogisticRegression().fit(X, df.y)\n"


@pytest.mark.parametrize("inline, named", [
    ("df['r'] = smf.ols('y ~ x', data=df).fit().resid",
     "res = smf.ols('y ~ x', data=df).fit()\ndf['r'] = res.resid"),
    ("r = smf.ols('y ~ x', data=df).fit().resid",
     "res = smf.ols('y ~ x', data=df).fit()\nr = res.resid"),
])
def test_residuals_of_a_model_fitted_inline_are_a_fit_and_an_evaluation(inline: str, named: str) -> None:
    assert ops_after(STATSMODELS, inline) == ops_after(STATSMODELS, named) == ["fit_model", "evaluate"]


def test_a_parameter_of_a_model_fitted_inline_is_no_column_picked() -> None:
    assert ops_after(STATSMODELS, "effect = smf.ols('y ~ t', data=df).fit().params['t']") == ["fit_model"]
    assert ops_after(STATSMODELS, "res = smf.ols('y ~ t', data=df).fit()\neffect = res.params['t']") == ["fit_model"]


@pytest.mark.parametrize("cell", [
    "smf.ols('y ~ t', data=df).fit().summary().tables[1]",
    "print(smf.ols('y ~ t', data=df).fit().summary())",
    "smf.wls('y ~ t', data=df, weights=df.w).fit().params",
])
def test_a_model_fitted_in_a_shown_expression_is_fitted(cell: str) -> None:
    assert ops_after(STATSMODELS, cell) == ["fit_model"]


@pytest.mark.parametrize("cell", [
    "acc = np.mean(model.predict(X) == df.y)",
    "acc = (model.predict(X) == df.y).mean()",
    "err = df.y - model.predict(X)",
])
def test_a_metric_computed_by_hand_from_an_inline_prediction_evaluates(cell: str) -> None:
    assert ops_after(SKLEARN, cell) == ["predict", "evaluate"]
    assert ops_after(SKLEARN, "y_pred = model.predict(X)\n" + cell.replace("model.predict(X)", "y_pred")) \
        == ["predict", "evaluate"]


def test_a_thresholded_inline_prediction_stays_a_prediction() -> None:
    assert ops_after(SKLEARN, "pred = model.predict_proba(X)[:, 1] > 0.5") == ["predict"]


def test_an_indicator_cast_inside_assign_is_part_of_it() -> None:
    assert ops_after(FRAME_AND_NUMPY, "d = df.assign(adult=lambda d: (d.age > 18).astype(int))") == ["derive_feature"]
    assert ops_after(FRAME_AND_NUMPY, "df['adult'] = (df.age > 18).astype(int)") == ["derive_feature"]
    assert ops_after(FRAME_AND_NUMPY, "d = df.assign(age=df.age.astype(int))") == ["type_cast"]


def test_arrays_put_side_by_side_only_to_pass_them_to_a_model_are_no_concat() -> None:
    cell = "xx, yy = np.meshgrid(np.linspace(0, 1), np.linspace(0, 1))\n" \
        "Z = model.predict(np.c_[xx.ravel(), yy.ravel()])"
    assert ops_after(SKLEARN, cell) == ["load", "predict"]
    assert ops_after(SKLEARN, "model.fit(np.column_stack((df.age, df.income)), df.y)") == ["fit_model"]
    assert ops_after(SKLEARN, "both = np.c_[df.age, df.income]") == ["concat"]
    assert ops_after(SKLEARN, "m2 = LogisticRegression().fit(pd.concat([df, df]), df.y)") == ["concat", "fit_model"]
