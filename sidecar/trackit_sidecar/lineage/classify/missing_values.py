"""Missing values as the code writes them (`np.nan`, `None`, `pd.NA`) and tests of missingness (`s.isna()`,
`pd.isnull(x)`, `x is None`), with `same_value` to tell whether a test and a kept value read the same variable."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import MISSING_TESTS, PRESENT_TESTS
from ..kb import pandas as kb_pandas
from .values import called_name, str_const


def missing_tested(condition: ast.AST) -> Optional[tuple[ast.AST, bool]]:
    """(the value tested, whether the condition holds where it is missing) for one test of missingness:
    `s.isna()`, `pd.isnull(x)`, `np.isnan(a)`, `x is None` (missing); `s.notna()`, `~s.isna()`, `not pd.isnull(x)`
    (present). None for any other condition."""
    if isinstance(condition, ast.UnaryOp) and isinstance(condition.op, (ast.Invert, ast.Not)):
        inner = missing_tested(condition.operand)
        return (inner[0], not inner[1]) if inner else None
    if isinstance(condition, ast.Compare) and len(condition.ops) == 1 and is_missing_value(condition.comparators[0]) \
            and isinstance(condition.ops[0], (ast.Is, ast.IsNot)):
        return condition.left, isinstance(condition.ops[0], ast.Is)
    if not isinstance(condition, ast.Call):
        return None
    func = condition.func
    name = called_name(func)
    if name not in MISSING_TESTS and name not in PRESENT_TESTS:
        return None
    if condition.args:
        tested = condition.args[0]  # pd.isnull(x), np.isnan(a), math.isnan(v)
    elif isinstance(func, ast.Attribute):
        tested = func.value  # s.isna()
    else:
        return None
    return tested, name in MISSING_TESTS


def same_value(a: ast.AST, b: ast.AST) -> bool:
    """The same variable or the same column of one, however it is written (`df.x` and `df["x"]`)."""
    return _value_key(a) == _value_key(b)


def _value_key(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.attr not in kb_pandas.FRAME_ATTRIBUTES:
        return f"{node.value.id}[{node.attr!r}]"
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and str_const(node.slice) is not None:
        return f"{node.value.id}[{str_const(node.slice)!r}]"
    return ast.dump(node)


MISSING_VALUE_NAMES = frozenset({"nan", "NaN", "NAN", "NA", "NaT", "None"})


def is_missing_value(node: ast.AST) -> bool:
    """np.nan, None, pd.NA, float("nan")."""
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.Attribute):
        return node.attr in MISSING_VALUE_NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float" and node.args:
        return str_const(node.args[0]) in ("nan", "NaN")
    return False


def is_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) or is_missing_value(node)
