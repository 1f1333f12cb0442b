"""Outlier bounds: whether a mask keeps the rows inside a statistical bound (`df[df.x < df.x.quantile(0.99)]`,
`(z < 3)` after `z = np.abs(stats.zscore(x))`, `df.query("x < @upper")`), which makes its filter outlier_remove
(what-is-a-step.md), and whether a value is such a bound. Apart from masks.py, which reads every other kind of mask,
because a bound is recognised by its own evidence: the calls that make one (kb.OUTLIER_BOUND_CALLS), the names it is
kept under (kb.OUTLIER_BOUND_NAME), and the names bound to one earlier (`trackit:bound`)."""

from __future__ import annotations

import ast
import re

from .. import kb
from ..kb import pandas as kb_pandas
from .env_markers import BOUND_MARKER, OUTLIER_MASK
from .values import called_name

# names that, inside a filter mask, mean the bound came from a quantile / IQR / z-score
BOUND_NAME = re.compile(kb.OUTLIER_BOUND_NAME, re.IGNORECASE)
BOUND_CALLS = kb.OUTLIER_BOUND_CALLS
QUOTED_TEXT = re.compile(r"'[^']*'|\"[^\"]*\"")  # a value quoted inside a query string


class OutlierBoundRules:
    """Mixin of `Cell`: outlier bounds in masks and values."""

    env: dict[str, str]

    def _mask_is_outlier(self, node: ast.AST) -> bool:
        if self._selects_a_tail(node):
            return False
        query = self._query_mask(node)
        if query is not None and self._mentions_bound(query) and not self._selects_a_tail(query):
            # df.query("a < a.quantile(0.99)"), df.query("a < a.mean() + 3 * a.std()"): a statistical bound written
            # inside the query string (what-is-a-step.md: "`query` with a statistical bound ...: outlier_remove")
            return True
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                if self.mask_marker(sub.id) in (BOUND_MARKER, OUTLIER_MASK):  # type: ignore[attr-defined]
                    return True
                if self.reading_names and BOUND_NAME.search(sub.id):  # type: ignore[attr-defined]
                    return True  # z < 3, df.x < upper: a bound by its name alone (a guess, masks.without_names)
        return self._mentions_bound(node) or self._uses_a_bound(node)

    def _uses_a_bound(self, node: ast.AST) -> bool:
        """mu = quartiles[1], sig = 0.74 * (q[2] - q[0]): computed from a bound, a bound too; names inside a query
        string (`df.query("x < @mu + 5 * @sig")`) count."""
        names = {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and len(sub.value) < 200:
                names.update(re.findall(r"@([A-Za-z_]\w*)", sub.value))
        return any(self.mask_marker(name) in (BOUND_MARKER, OUTLIER_MASK) for name in names)  # type: ignore[attr-defined]

    @staticmethod
    def _selects_a_tail(node: ast.AST) -> bool:
        """x > x.quantile(0.95) keeps the extremes (a filter), where x < x.quantile(0.95) drops them."""
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            return False
        bound = node.comparators[0]
        if not (isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute)
                and bound.func.attr == "quantile" and bound.args):
            return False
        q = bound.args[0]
        if not (isinstance(q, ast.Constant) and isinstance(q.value, (int, float))):
            return False
        op = node.ops[0]
        return (isinstance(op, (ast.Gt, ast.GtE)) and q.value >= 0.5) or (isinstance(op, (ast.Lt, ast.LtE)) and q.value < 0.5)

    def _mentions_bound(self, node: ast.AST) -> bool:
        compared = _compared_texts(node)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and called_name(sub.func) in BOUND_CALLS:
                return True
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value and id(sub) not in compared:
                # df.query("price < @upper"): names inside the query string (not the values quoted in it:
                # `"grade == 'Upper'"` compares with a category)
                for word in re.findall(r"[A-Za-z_]\w*", QUOTED_TEXT.sub("", sub.value)):
                    if self.reading_names and BOUND_NAME.search(word) and len(sub.value) < 200:  # type: ignore[attr-defined]
                        return True
        return False


def _compared_texts(node: ast.AST) -> set[int]:
    """The ids of the strings a mask compares values with (`df.grade == "Upper"`, `df.band.isin(["Lower", "Upper"])`,
    `df.str.contains("low")`): category values, not names of bounds written in a query string."""
    compared: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare):
            operands = [sub.left, *sub.comparators]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                and sub.func.attr in kb_pandas.CONDITION_METHODS:
            operands = list(sub.args)
        else:
            continue
        for operand in operands:
            values = operand.elts if isinstance(operand, (ast.List, ast.Tuple, ast.Set)) else [operand]
            compared.update(id(value) for value in values if isinstance(value, ast.Constant))
    return compared
