"""Errors of a prediction computed one per row, kept under a name or as a column: the residual (`y - y_pred`), its size
or square (`(y - y_pred).abs()`, `np.abs(...)`, `(y - y_pred) ** 2`, `np.square(...)`), the error relative to the value
(`abs(y - y_pred) * 100 / y`), or a hit (`y_pred == y`). Each is an evaluation (CONVENTIONS 27: "residuals"), and a
statistic of them (`errs.mean()`, `df["abs_err"].mean()`, `hits.mean()`) is a metric computed by hand (what-is-a-step.md:
"a metric computed by hand (RMSE from predictions)"): the name or column is marked RESIDUAL (results._reduces_residuals).
"""

from __future__ import annotations

import ast

from .results import PREDICTED, SIZE_FUNCTIONS
from .values import called_name, is_number

ROW_SIZE_FUNCTIONS = SIZE_FUNCTIONS | {"square"}  # np.abs(y - y_pred), np.square(y - y_pred): each row's error's size


class RowErrorRules:
    """Mixin of `Cell`."""

    def per_row_errors(self, value: ast.AST) -> bool:
        """One value per row comparing a prediction with the data: a residual (`y - y_pred`), its size or square
        (`(y - y_pred).abs()`, `np.abs(y - y_pred)`, `(y - y_pred) ** 2`, `np.square(...)`), relative to the value
        (`abs(y - y_pred) * 100 / y`), or a hit (`y_pred == y`, `y_pred != y`). A statistic of them is a metric
        computed by hand (_reduces_residuals)."""
        while True:
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "abs" \
                    and not value.args:
                value = value.func.value  # (y - y_pred).abs()
            elif isinstance(value, ast.Call) and called_name(value.func) in ROW_SIZE_FUNCTIONS and len(value.args) == 1:
                value = value.args[0]  # np.abs(y - y_pred), abs(y - y_pred), np.square(y - y_pred)
            elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Pow) and is_number(value.right):
                value = value.left  # (y - y_pred) ** 2
            elif isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mult, ast.Div)) \
                    and [PREDICTED in self.roles_in(side)  # type: ignore[attr-defined]
                         for side in (value.left, value.right)] == [True, False]:
                value = value.left  # abs(y - y_pred) * 100 / y: each row's error relative to its value
            else:
                break
        if isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], (ast.Eq, ast.NotEq)):
            sides = (value.left, value.comparators[0])
            roles = [PREDICTED in self.roles_in(side) for side in sides]  # type: ignore[attr-defined]
            return roles.count(True) == 1 and self._mentions_data(sides[roles.index(False)])  # type: ignore[attr-defined]
        return self.is_residual(value)  # type: ignore[attr-defined]
