"""NumPy's fitted series used on data: `np.polyval(fit, x)`, `chebval(x, coeffs)` and a polynomial made of fitted
coefficients and called (`np.poly1d(fit)(x)`) give the fitted series' values there, its predictions (CONVENTIONS 26).
The coefficients, fitted by `np.polyfit` / `chebfit` (fit_model), are the prediction's model, as the model variable
of `model.predict(X)` is (`Step.model`, the first of its inputs)."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import numpy as kb_numpy
from .values import Op, Val


class FittedSeriesRules:
    """Mixin of `Cell` (through `CallRules`): the model of a prediction by NumPy's fitted series."""

    def name_the_coefficients(self, prediction: Op, call: ast.Call) -> None:
        """`np.polyval(fit, x)`, `chebval(x, coeffs)` after `fit = np.polyfit(x, y, 2)`: the fitted coefficients
        handed to NumPy's function of a fitted series are its model, the first input of the prediction as a model's
        own `predict` names it (`model`)."""
        fitted = [arg.id for arg in call.args if isinstance(arg, ast.Name) and self._is_fitted(arg)]  # type: ignore[attr-defined]
        if fitted:
            prediction.facts["model"] = fitted[0]
            prediction.inputs = [fitted[0]] + [name for name in prediction.inputs if name != fitted[0]]

    def called_polynomial(self, func: ast.AST, args: Val) -> Optional[Val]:
        """`np.poly1d(fit)(x)`: the polynomial of fitted coefficients (kb.numpy.POLYNOMIAL_CLASSES) made and called on
        data in one expression predicts with them, as `p = np.poly1d(fit); p(x)` does; else None."""
        if not (isinstance(func, ast.Call) and len(func.args) == 1 and isinstance(func.args[0], ast.Name)
                and self._is_fitted(func.args[0]) and args.inputs):  # type: ignore[attr-defined]
            return None
        path = self.module_path(func.func) or ""  # type: ignore[attr-defined]
        if path.split(".", 1)[0] != "numpy" or path.rsplit(".", 1)[-1] not in kb_numpy.POLYNOMIAL_CLASSES:
            return None
        model = func.args[0].id
        inputs = [model] + [name for name in args.inputs if name != model]
        return Val(ops=args.ops + [Op("predict", inputs, [], None, facts={"method": "__call__", "model": model})],
                   inputs=inputs)

