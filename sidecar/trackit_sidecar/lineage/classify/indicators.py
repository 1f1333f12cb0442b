"""Indicators of a condition (CONVENTIONS 20): a comparison or test kept as numbers (`(df.sex == "female").astype(int)`,
`np.where(y == "spam", 1, 0)`, a comparison written into a column) is encode_categorical when it tests a category
value, derive_feature when it is a numeric condition. Apart from masks.py because a mask picks rows (CONVENTIONS 15)
where an indicator makes a column: the same condition, another question."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import pandas as kb_pandas
from .loop_bindings import LISTED_VALUE_KEY
from .missing_values import missing_tested
from .values import called_name
from .when_recodes import when_then_condition


class IndicatorRules:
    """Mixin of `Cell`: `indicator_op`."""

    env: dict[str, str]

    def indicator_op(self, value: ast.AST, column: bool) -> Optional[str]:
        """An indicator of a condition (CONVENTIONS 20): "encode_categorical" when the condition tests a category
        value (`(df.sex == "female").astype(int)`, `np.where(y == "spam", 1, 0)`), "derive_feature" when it is a
        numeric condition (`(df.wage > 250).map({False: 0, True: 1})`); a trailing cast / map of the booleans is
        part of it. A bare comparison assigned to a name is a mask (not a step); into a column it is an indicator."""
        node, wrapped = value, False
        while True:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("astype", "map", "replace", "cast", "to_numpy") and _recodes_booleans(node):
                node, wrapped = node.func.value, True
            elif isinstance(node, ast.Attribute) and node.attr == "values":
                node, wrapped = node.value, True
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "where" \
                    and len(node.args) == 3 and all(isinstance(a, ast.Constant) for a in node.args[1:]):
                node, wrapped = node.args[0], True
            elif (condition := when_then_condition(node)) is not None:
                # pl.when(pl.col("sex") == "male").then(1).otherwise(0): polars' np.where of two values
                node, wrapped = condition, True
            elif isinstance(node, ast.Call) and node.args and called_name(node.func) in BOOLEAN_WRAPPERS:
                node, wrapped = node.args[0], True  # pd.Categorical(true_mean == 0, ...): the booleans as categories
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) \
                    and isinstance(node.right, ast.Constant) and node.right.value == 1:
                node, wrapped = node.left, True
            else:
                break
        if not (wrapped or column) or not self._is_condition(node):
            return None
        return "encode_categorical" if self.compares_text(node) or self._tests_a_listed_value(node) \
            else "derive_feature"

    def _tests_a_listed_value(self, node: ast.AST) -> bool:
        """`df.doors == v` inside `for v in [2, 3, 4]`: equal to one of the whole numbers written out, one indicator
        per value, so the values are categories and the indicators their one-hot columns (CONVENTIONS 20: "one-hot
        ... encoders ... and an indicator of a category value"), not a numeric condition such as `x > v`."""
        return isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq) and any(
            isinstance(side, ast.Name) and self.env.get(LISTED_VALUE_KEY + side.id)
            for side in (node.left, node.comparators[0]))

    @staticmethod
    def _is_condition(node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return True
        if missing_tested(node) is not None:
            return True  # pd.isnull(df.age).astype(int): an indicator of missing values (derives, CONVENTIONS 20)
        # df.t.str.contains("a").astype(int): an indicator of a text pattern, as of a comparison
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in kb_pandas.CONDITION_METHODS


def names_cast_later(tree: ast.Module) -> frozenset[str]:
    """Names the cell casts (`is_snowing.astype(float)`, `flag.cast(pl.Float64)`): a mask kept under such a name is
    used as numbers, an indicator (CONVENTIONS 20), not only a mask to pick rows with (CONVENTIONS 15)."""
    return frozenset(node.func.value.id for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr in kb.CAST_METHODS and isinstance(node.func.value, ast.Name))


def _recodes_booleans(call: ast.Call) -> bool:
    """astype(int) / cast(pl.Int8) / map({False: 0, True: 1}): the booleans as numbers, not a recoding of labels."""
    if call.func.attr in kb.CAST_METHODS or call.func.attr == "to_numpy":  # type: ignore[union-attr]
        return True
    mapping = call.args[0] if call.args else None
    return isinstance(mapping, ast.Dict) and all(
        isinstance(k, ast.Constant) and isinstance(k.value, bool) for k in mapping.keys if k is not None)


# Constructors that only wrap the booleans of a condition (`pd.Categorical(x == 0)`): part of the indicator.
BOOLEAN_WRAPPERS = frozenset({"Categorical"})
