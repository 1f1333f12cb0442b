"""A model fitted and used in one expression (`p = LinearRegression().fit(X, y).predict(X)`): the fitted model lives
only inside the statement. What the statement assigns is what the chained call gives (predictions, a score,
parameters), so the fit's step names no variable: `Step.chained_into` says what was read from the model instead
(step_emitter.emit gives it none of the statement's target; render/model_phrases.py says "not kept")."""

from __future__ import annotations

import ast

from ..kb import models as kb_models
from ..kb import sklearn as kb_sklearn
from .values import Op, Val, instance_class

# libraries whose objects are data, not models: a fit's Val of such a kind is a frame the fit step was read from
DATA_LIBRARIES = frozenset({"pandas", "polars", "numpy"})


def _uses_a_model(member: str) -> bool:
    """A method that predicts with or scores a fitted model, whatever returned it (`predict`, `score`, `forecast`)."""
    return kb_sklearn.METHODS.get(member) in ("predict", "evaluate") or member in kb_models.PREDICTION_METHODS


class ChainedFitRules:
    """Mixin of `Cell`: a fit whose model a method or attribute of the same expression is read from."""

    def mark_chained_fit(self, recv: Val, receiver: ast.AST, member: str) -> None:
        """`recv` is the value of `receiver`, on which `member` is called or read. When `receiver` is an object's fit
        written right there (`LinearRegression().fit(X, y)`, `smf.ols(f, data=df).fit()`), its fit step is marked
        `chained_into` = `member`. Not a model kept all the same: a configuring method that returns the model
        (`set_output`), a search's `best_estimator_`, a part of the fitted pipeline (`named_steps`); not a named model
        (`lr.fit(X, y).predict(X)` fitted `lr`), nor a function's fit read otherwise than by a model's prediction or score
        (`np.polyfit(x, y, 1).round(2)`: the coefficients it returns are what was fitted)."""
        fit = recv.ops[-1] if recv.ops else None
        if fit is None or fit.op != "fit_model" or fit.output is not None or recv.base:
            return
        if member in kb_sklearn.RETURNS_ITSELF or member in kb_sklearn.FITTED_MODEL_ATTRIBUTES \
                or member in kb_sklearn.PART_ATTRIBUTES:
            return
        by_a_function = not (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)) \
            or self.module_path(receiver.func) is not None  # type: ignore[attr-defined]
        if by_a_function and not _uses_a_model(member):
            return  # np.polyfit(x, y, 1).round(2); but xgb.train(params, d).predict(X) predicts with the booster
        cls = instance_class(recv.kind)
        if cls is not None and cls.split(".", 1)[0] in DATA_LIBRARIES:
            return
        fit.facts["chained_into"] = member


def with_transforms_fitted_here(kept: list[Op], ops: list[Op]) -> list[Op]:
    """`kept` (some of `ops`) and the transforms in `ops` of an estimator fitted in the same expression (`fitted_on`),
    in the order of `ops`. Written into a list or dict (`res.append(KMeans(k).fit(X).transform(X))`, `feats[k] =
    PCA(k).fit(X).transform(X)`), what the transform made is what the container keeps, as a prediction chained onto
    a fit is (kept anywhere: display.kept_anywhere)."""
    return [op for op in ops if any(op is k for k in kept) or op.facts.get("fitted_on")]
