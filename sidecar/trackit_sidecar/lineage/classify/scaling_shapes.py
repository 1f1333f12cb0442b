"""Arithmetic shapes that rescale values: shares of a total, unit-length norms, standardisation and centring
(CONVENTIONS 23), and the statistics they are written with."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import numpy as kb_numpy
from .values import called_name, is_number, statistic_key, str_const


class ScalingShapeRules:
    def _is_total_of(self, node: ast.AST, base: Optional[str]) -> bool:
        """basket.sum(axis=1) for receiver basket, np.sum(x) for x (kb.numpy.TOTALS): dividing by it normalises to
        shares."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in kb_numpy.BUILTIN_TOTALS \
                and node.func.id not in self.env and len(node.args) == 1:  # type: ignore[attr-defined]
            # df["Age"] / max(df["Age"]): the builtin's total of the same data, as df["Age"].max() is
            root = node.args[0]
            while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                root = root.func if isinstance(root, ast.Call) else root.value
            return isinstance(root, ast.Name) and (base is None or root.id == base)
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return False
        library, _, function = (self.module_path(node.func) or "").partition(".")  # type: ignore[attr-defined]
        if library == "numpy" and function in kb_numpy.TOTAL_FUNCTIONS and node.args:
            root = node.args[0]
            return isinstance(root, ast.Name) and (base is None or root.id == base)
        if node.func.attr not in kb_numpy.TOTAL_METHODS:
            return False
        root = node.func.value
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        return isinstance(root, ast.Name) and (base is None or root.id == base)

    @staticmethod
    def is_part_of_row_total(node: ast.AST) -> bool:
        """counts.iloc[:, 0] / counts.sum(axis=1), df.a / df[["a", "b"]].sum(axis=1): one column's share of its row's
        total is a new variable, a proportion (what-is-a-step.md: arithmetic that creates a column derives); the whole
        table divided by its row totals (`df / df.sum(axis=1)`, `df.div(df.sum(axis=1), axis=0)`) is rescaled."""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return False
        total = node.right
        return isinstance(total, ast.Call) and isinstance(total.func, ast.Attribute) and total.func.attr == "sum" \
            and any(k.arg == "axis" and isinstance(k.value, ast.Constant) and k.value.value in (1, "columns")
                    for k in total.keywords) \
            and ast.dump(total.func.value) != ast.dump(node.left)

    def _is_share_of_total(self, node: ast.AST) -> bool:
        """x / x.sum(): values as shares of their total; x / np.linalg.norm(x), X[c] / np.linalg.norm(X[c]): values
        rescaled to unit length (CONVENTIONS 23). A number written in the code multiplying the share (`y / max(y) * 100`)
        only changes its unit, a percentage of the total: rescaled still."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            factors = [side for side in (node.left, node.right) if not is_number(side)]
            if len(factors) != 1 or not (isinstance(factors[0], ast.BinOp) and _is_maximum(factors[0].right)):
                return False
            node = factors[0]
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return False
        norm = node.right
        if isinstance(norm, ast.Call) and len(norm.args) == 1 and ast.dump(norm.args[0]) == ast.dump(node.left) \
                and (self.module_path(norm.func) or "") in kb_numpy.UNIT_LENGTH_NORMS:  # type: ignore[attr-defined]
            return True
        if self.is_part_of_row_total(node):
            return False
        left_root = node.left
        while isinstance(left_root, (ast.Attribute, ast.Subscript, ast.Call)):
            left_root = left_root.func if isinstance(left_root, ast.Call) else left_root.value
        return isinstance(left_root, ast.Name) and self._is_total_of(node.right, left_root.id)

    def statistic_of(self, node: ast.AST) -> Optional[str]:
        """"mean" for `x.mean(axis=0)` / `np.mean(x, axis=0)` / a name bound to one (`mu`), likewise the other
        kb.STANDARDISING_STATISTICS; None for anything else."""
        if isinstance(node, ast.Name):
            return self.env.get(statistic_key(node.id))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in kb.STANDARDISING_STATISTICS:
            return node.func.attr
        return None

    def _is_standardisation(self, node: ast.AST) -> bool:
        """(x - x.mean()) / x.std(), (x - x.min()) / (x.max() - x.min()), (x - mu) / sigma with mu and sigma bound to
        those statistics, or centring x - x.mean() / x - np.mean(x) / x - mu (CONVENTIONS 23)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Call) \
                and isinstance(node.right.func, ast.Attribute) and node.right.func.attr in ("mean", "median") \
                and (ast.dump(node.right.func.value) == ast.dump(node.left)
                     or (node.right.args and ast.dump(node.right.args[0]) == ast.dump(node.left))):
            return True  # x - x.mean(), x - np.mean(x, axis=0): centred
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Name) \
                and self.statistic_of(node.right) in ("mean", "median") and isinstance(node.left, (ast.Name, ast.Subscript, ast.Attribute)):
            return True  # X - mu, mu = X.mean(axis=0): centred
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return False
        left = node.left
        if not (isinstance(left, ast.BinOp) and isinstance(left.op, ast.Sub)):
            return False
        calls = {sub.func.attr for sub in ast.walk(node)
                 if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)}
        # (x - g.transform("mean")) / g.transform("std"): the statistics named to transform / agg
        calls |= {str_const(sub.args[0]) for sub in ast.walk(node) if isinstance(sub, ast.Call)
                  and isinstance(sub.func, ast.Attribute) and sub.func.attr in ("transform", "agg") and sub.args
                  and str_const(sub.args[0])}
        calls |= {self.env.get(statistic_key(sub.id)) for sub in ast.walk(node) if isinstance(sub, ast.Name)}
        return {"mean", "std"} <= calls or {"min", "max"} <= calls


def _is_maximum(node: ast.AST) -> bool:
    """`y.max()`, `np.max(y)`, `max(y)`: a call that takes the largest value."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = called_name(func)
    return name in kb_numpy.MAXIMUM_TOTALS
