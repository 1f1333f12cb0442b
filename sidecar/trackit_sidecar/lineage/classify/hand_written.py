"""Hand-written helpers, fits and measures read as the steps they are: a lambda bound to a name, a loop that updates
parameters from themselves (CONVENTIONS 1, 3, 4a), an error measure computed by hand under its name (27)."""

from __future__ import annotations

import ast
import re

from ... import protocol
from ..kb import models as kb_models
from ..kb import numpy as kb_numpy
from ..kb import pandas as kb_pandas
from .applied_functions import EFFECT
from .env_markers import FUNCTION_MARKER, OP_FROM_NAME
from .results import EVALUATED, FITTED
from .sources import ACCUMULATOR
from .values import MARKER, Op, called_name

# linear algebra that solves for parameters (the normal equation written by hand)
LINEAR_SOLVERS = frozenset({"inv", "pinv", "solve", "lstsq"})
# `trackit:solves:<name>`: the name holds a matrix inverted to solve for parameters (closed_form_fit)
SOLVES = f"{MARKER}solves:"
# the method of a fit written by hand as a loop of parameter updates (fitted_by_updates)
HAND_WRITTEN_UPDATE = "parameter_update"
# the method of a fit written by hand as parameters solved by linear algebra (closed_form_fit)
NORMAL_EQUATION = "normal_equation"
# calls that hold data out or score a model on it: a class that makes them chooses among models or features
SELECTION_CALLS = frozenset({"train_test_split", "cross_val_score", "cross_validate", "score"})
# names of an error or fit measure (metric_by_hand)
HAND_METRIC = re.compile(kb_models.HAND_METRIC_NAME)


class HandWrittenRules:
    """Mixin of `Cell`: named lambdas, hand-written fitting loops and measures computed by hand."""

    env: dict[str, str]
    roles_bound: bool
    function_depth: int

    def fitted_by_updates(self, loop: ast.For | ast.While, body: list[protocol.Step]) -> list[protocol.Step]:
        """for i in range(n): grad = X.T @ (X @ theta - y) / m; theta = theta - lr * grad: a loop that updates
        parameters from themselves is a hand-written fit (CONVENTIONS 4a: gradient descent is fit_model); the
        arithmetic computing the update is part of it, not features. Predictions and metrics in it stay."""
        updated = self.parameter_updated(loop)
        if updated is None:
            return body
        arithmetic = [step for step in body if step.op in ("derive_feature", "scale_normalize", "aggregate", "reshape")]
        if not arithmetic:
            return body
        fit = arithmetic[-1]
        fit.op, fit.output, fit.method = "fit_model", updated, HAND_WRITTEN_UPDATE
        if not self.function_depth:
            # the parameters after the loop are a fitted model's: `X_valid @ Theta` predicts with them (CONVENTIONS
            # 4a: a hand-written model's use is predict), as `X_new @ theta_best` after the normal equation does. Not
            # in a function's body: its parameter `theta` is not the notebook's name
            self.set_role(updated, FITTED)  # type: ignore[attr-defined]
        return [step for step in body if step is fit or step not in arithmetic]

    def refit_parameters(self, loop: ast.For | ast.While) -> None:
        """Before walking a loop that updates parameters from themselves: the parameters are being fitted again, so
        `X @ theta - y` in it is the fit's arithmetic, not a prediction of the parameters fitted before."""
        updated = self.parameter_updated(loop)
        if updated is not None:
            self.drop_role(updated)  # type: ignore[attr-defined]

    def parameter_updated(self, loop: ast.For | ast.While) -> str | None:
        """The parameter name the loop updates from itself (`w -= lr * grad`, `theta = theta - alpha * gradient`)."""
        is_parameter = self.is_parameter_name  # type: ignore[attr-defined]
        updated = None
        for node in ast.walk(loop):
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                    and isinstance(node.op, (ast.Sub, ast.Add)) and is_parameter(node.target.id):
                updated = node.target.id  # w -= lr * grad
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and is_parameter(node.targets[0].id) and isinstance(node.value, ast.BinOp) \
                    and any(isinstance(n, ast.Name) and n.id == node.targets[0].id for n in ast.walk(node.value)):
                updated = node.targets[0].id  # theta = theta - alpha * gradient
        return updated

    def closed_form_fit(self, ops: list, names: list[str], value: ast.AST) -> list:
        """w = np.dot(np.linalg.inv(Xb.T @ Xb), Xb.T @ y): parameters solved from the data by linear algebra are a
        hand-written fit (CONVENTIONS 4a: the normal equation is fit_model), not features; the matrix inverted for it
        (`z = np.linalg.inv(Xb.T @ Xb)`, then `w = z @ Xb.T @ y`) is part of that fit."""
        if len(names) != 1 or any(op.op not in ("derive_feature", "scale_normalize") for op in ops):
            return ops
        solving = any(self._solves(node) or (isinstance(node, ast.Name) and SOLVES + node.id in self.env)
                      for node in ast.walk(value))
        if not solving:
            return ops
        if self.is_parameter_name(names[0]):  # type: ignore[attr-defined]
            inputs = ops[-1].inputs if ops else [n.id for n in ast.walk(value) if isinstance(n, ast.Name)
                                                 and self._is_data(n.id)]  # type: ignore[attr-defined]
            return [Op("fit_model", inputs, [], None, names[0], facts={"method": NORMAL_EQUATION})]
        if self._solves(value):
            self.env[SOLVES + names[0]] = "1"  # z = np.linalg.inv(Xb.T @ Xb): read where the parameters are solved
            return []
        return ops

    def _solves(self, node: ast.AST) -> bool:
        """np.linalg.inv(A), np.linalg.pinv(A), np.linalg.solve(A, b), np.linalg.lstsq(A, b)."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LINEAR_SOLVERS):
            return False
        parts, holder = [], node.func.value
        while isinstance(holder, ast.Attribute):
            parts.insert(0, holder.attr)
            holder = holder.value
        root = self.resolve_name(holder.id) if isinstance(holder, ast.Name) else None  # type: ignore[attr-defined]
        return ".".join([root or "", *parts]) in ("numpy.linalg", "scipy.linalg")

    @staticmethod
    def selects_by_scoring(cls: ast.ClassDef) -> bool:
        """The class's methods hold data out or score a model on it (`train_test_split(X, y)`, `cross_val_score`):
        a hand-written selection algorithm around a model (sequential feature selection, a custom search), not a
        transformer whose statements are data steps (one that only fits a model to impute with stays one)."""
        for node in ast.walk(cls):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in SELECTION_CALLS:
                    return True
        return False

    def named_lambda(self, name: str, value: ast.Lambda) -> None:
        """standardize = lambda x: (x - x.mean()) / x.std(): a one-expression helper. Its calls take the op its name
        or its expression says (as a function passed to apply does, CONVENTIONS 3); otherwise it is a helper like any
        `def` (CONVENTIONS 1)."""
        effect = self.body_effect(value.body)  # type: ignore[attr-defined]
        named = self.algorithm_op(name)  # type: ignore[attr-defined]
        op = named or kb_pandas.CONTESTED_METHODS["apply"][1].get(effect or "")
        if op is None:
            self.function_def(ast.copy_location(ast.FunctionDef(  # type: ignore[attr-defined]
                name=name, args=value.args, body=[ast.copy_location(ast.Return(value=value.body), value)],
                decorator_list=[], returns=None, type_params=[]), value))
            return
        self.env[name] = f"{FUNCTION_MARKER}:{op}"
        if named:
            self.env[OP_FROM_NAME + name] = "function_name"  # sigmoid = lambda z: ...: the name's op (kb/guesses.py)
        else:
            self.env.pop(OP_FROM_NAME + name, None)
        if effect:
            self.env[EFFECT + name] = effect  # s.apply(standardize) rescales too
        else:
            self.env.pop(EFFECT + name, None)

    def metric_by_hand(self, name: str, value: ast.AST) -> bool:
        """`SSD = sum((d["y_model"] - d["y_actual"]) ** 2)`, `mses_a = np.mean((y - y_hat_a) ** 2, axis=0)`, `RSE =
        np.sqrt(SSD / (len(d) - 2))`: arithmetic on data reduced to a measure (a sum, a mean, a root), or `R2 = SSR /
        SST`: two measures combined, bound to a name of an error or fit measure (kb.models.HAND_METRIC_NAME): that
        measure computed by hand (CONVENTIONS 27). Not element-wise arithmetic (`x_mse = [1, 5] * x_mse`: data, named
        for an experiment), nor arithmetic on numbers written in the code (27: no step), nor a statistic of one
        measure's values (`target_r2 = r2.mean() - r2.std()`: summarises_scores decides those)."""
        if not HAND_METRIC.search(name) or not any(isinstance(sub, ast.BinOp) for sub in ast.walk(value)):
            return False
        names = [sub for sub in ast.walk(value) if isinstance(sub, ast.Name)]
        measures = {sub.id for sub in names if EVALUATED in self.roles_in(sub)}  # type: ignore[attr-defined]
        # (of a kind known to be data: a name whose kind nothing told, a parameter of a function, is not enough; nor an
        # array the notebook fills in a loop, which holds what the loop computed, scores as often as data)
        data = {sub.id for sub in names if sub.id not in measures and self.resolve_name(sub.id) not in (None, ACCUMULATOR)  # type: ignore[attr-defined]
                and self._is_data(sub.id)}  # type: ignore[attr-defined]
        reduced = any(isinstance(sub, ast.Call) and called_name(sub.func) in kb_numpy.HAND_METRIC_REDUCTIONS
                      for sub in ast.walk(value))
        return (len(measures) >= 2 and not data) or (reduced and bool(data))
