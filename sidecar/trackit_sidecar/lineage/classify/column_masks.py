"""Masks with one value per column (`df.loc[:, mask]`): which columns a test of the columns keeps. A statistic of
each column tested (`df.nunique() > 1`: selected), a share of missing values (`df.isnull().mean() < 0.5`: missing
dropped), or a test of the column labels themselves (`~df.columns.str.contains("^Unnamed")`: columns dropped). Apart
from subscripts.py, which reads the subscript around them, because these read the mask alone."""

from __future__ import annotations

import ast
from typing import Optional

from .. import kb
from ..kb import pandas as kb_pandas
from .values import kwarg


def _columns_by_missing_share(node: ast.AST) -> bool:
    """`df.isnull().mean() < 0.5`, `df.isna().sum() <= 100`, `df.notna().mean() > 0.8`: a test of each column's share
    (or count) of missing values, a mask over the columns."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return False
    for side in (node.left, node.comparators[0]):
        if isinstance(side, ast.BinOp) and isinstance(side.op, ast.Div):
            side = side.left  # df.isnull().sum() / len(df) < 0.3: the count made a share
        if isinstance(side, ast.Call) and isinstance(side.func, ast.Attribute) and side.func.attr in ("mean", "sum") \
                and kwarg(side, "axis") is None and isinstance(side.func.value, ast.Call) \
                and isinstance(side.func.value.func, ast.Attribute) \
                and side.func.value.func.attr in kb.MISSING_TESTS | kb.PRESENT_TESTS:
            return True
    return False


def tests_each_column(node: ast.AST) -> bool:
    """`df.nunique() > 1`, `X.var() >= 0.01`, `(df != 0).sum() > 0`, `(df != 0).any(axis=0)`: a mask with one value
    per column, from a statistic of each column's values (not one per row: no `axis=1`)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
        node = node.operand
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return any(_per_column(side, kb_pandas.COLUMN_STATISTICS) for side in (node.left, node.comparators[0]))
    return _per_column(node, kb.ROW_REDUCTIONS) and _is_a_comparison(node.func.value)  # type: ignore[attr-defined]


def _per_column(node: ast.AST, methods: frozenset[str]) -> bool:
    """A call of one of `methods` reducing over the rows (no `axis=1` / `axis="columns"`, no positional axis), also
    applied to each column by name (`df.apply(pd.Series.nunique)`)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "apply" \
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Attribute) \
            and node.args[0].attr in methods:
        return True  # df.loc[:, df.apply(pd.Series.nunique) != 1]: "drop constant columns"
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods
            and not node.args):
        return False
    axis = kwarg(node, "axis")
    return axis is None or (isinstance(axis, ast.Constant) and axis.value in (0, "index", "rows"))


def _is_a_comparison(node: ast.AST) -> bool:
    """`df != 0`, `(X > 0)`: a frame compared value by value."""
    return isinstance(node, ast.Compare) and len(node.ops) == 1


def _columns_with_a_value(node: ast.AST) -> bool:
    """`~df.isna().all()`, `df.notna().any()`, `~df.isnull().all(axis=0)`: each column tested for holding at least one
    value (the any / all reduces over the rows)."""
    negated = isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not))
    test = node.operand if negated else node  # type: ignore[attr-defined]
    if not _per_column(test, kb.ROW_REDUCTIONS):
        return False
    tested = test.func.value  # type: ignore[attr-defined]
    if not (isinstance(tested, ast.Call) and isinstance(tested.func, ast.Attribute)):
        return False
    if negated:
        return test.func.attr == "all" and tested.func.attr in kb.MISSING_TESTS  # type: ignore[attr-defined]
    return test.func.attr == "any" and tested.func.attr in kb.PRESENT_TESTS  # type: ignore[attr-defined]


def column_label_mask(node: ast.AST) -> Optional[str]:
    """The op of a test of a frame's column labels (`df.columns.str.startswith("x")`: select_columns; negated,
    `~df.columns.str.contains("^Unnamed")`, `~df.columns.isin(junk)`: drop_columns), else None. (`df.columns !=
    "target"` stays a selection of the features: test_steps_column_labels.py.)"""
    if _columns_by_missing_share(node) or _columns_with_a_value(node):
        # df.loc[:, df.isnull().mean() < 0.5]: the columns missing too many values dropped, as dropna(axis=1,
        # thresh=...) drops them (drop_missing); df.loc[:, ~df.isna().all()] / df.loc[:, df.notna().any()]: the
        # columns with no value at all dropped, as dropna(axis=1, how="all")
        return "drop_missing"
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        # df.loc[:, df.columns.str.startswith("ENSM") | df.columns.str.startswith("SampleID")]: tests of the labels
        # joined, one op when every part reads the same
        parts = {column_label_mask(node.left), column_label_mask(node.right)}
        return parts.pop() if len(parts) == 1 and None not in parts else None
    negated = isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not))
    test = node.operand if negated else node
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
        accessor = test.func.value
        # (`~df.columns.duplicated()`: the second and later columns of a repeated label dropped)
        on_labels = test.func.attr in ("isin", "duplicated")
        if not (isinstance(accessor, ast.Attribute) and accessor.attr == "str") and not on_labels:
            return None
        test = accessor.value if not on_labels else test.func.value
    else:
        return None
    if not (isinstance(test, ast.Attribute) and test.attr == "columns"):
        return None
    return "drop_columns" if negated else "select_columns"
