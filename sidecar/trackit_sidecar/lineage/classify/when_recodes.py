"""A polars `when/then` chain that gives each value of one column a label (`pl.when(pl.col("species") == 0)
.then(pl.lit("setosa")).when(pl.col("species") == 1).then(pl.lit("versicolor"))...`): the column's category codes
recoded to other labels, as `map({0: "setosa", ...})` does, encode_categorical (CONVENTIONS 20: "a dict `map`/`replace`
that recodes category values (to codes, to other labels ...)"), not a feature derived from a condition. Every test
compares the same column with a value written in the code, every result is a value written in the code. The one home of how a when/then chain is read: indicators.py asks
`when_then_condition` for the condition of a two-value chain."""

from __future__ import annotations

import ast
from typing import Optional

from .values import called_name, str_const


def written_value(node: ast.AST) -> bool:
    """`1`, `"yes"`, `pl.lit(0)`: one value written in the code."""
    if isinstance(node, ast.Call) and called_name(node.func) == "lit" and len(node.args) == 1:
        node = node.args[0]
    return isinstance(node, ast.Constant)


def when_then_condition(node: ast.AST) -> Optional[ast.AST]:
    """The condition of `pl.when(cond).then(a).otherwise(b)` (or `.alias(...)` of it) when `a` and `b` are values
    written in the code (`1`, `pl.lit(0)`), so the expression is the condition as two values, as `np.where(cond, 1, 0)`
    is; else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "alias":
        node = node.func.value
    chain: list[ast.Call] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        chain.append(node)
        node = node.func.value
    if [call.func.attr for call in chain] != ["otherwise", "then", "when"]:  # type: ignore[attr-defined]
        return None
    otherwise, then, when = chain
    if not (len(when.args) == 1 and all(len(c.args) == 1 and written_value(c.args[0]) for c in (then, otherwise))):
        return None
    return when.args[0]


def _tested_column(test: ast.AST) -> Optional[str]:
    """`pl.col("c") == value`: "c", else None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and written_value(test.comparators[0])):
        return None
    left = test.left
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr == "col" \
            and len(left.args) == 1:
        return str_const(left.args[0])
    return None


def recodes_by_branches(expression: ast.AST) -> bool:
    """The expression is (or names, by `.alias`) a when/then chain of at least two branches recoding one column's
    values to values written in the code (see the module's doc); an `otherwise` must be a value written too."""
    node = expression
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("alias", "name"):
        node = node.func.value
    columns: set[Optional[str]] = set()
    branches = 0
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method, args = node.func.attr, node.args
        if method in ("then", "otherwise"):
            if len(args) != 1 or not written_value(args[0]):
                return False
        elif method == "when":
            if len(args) != 1:
                return False
            columns.add(_tested_column(args[0]))
            branches += 1
        else:
            return False
        node = node.func.value
    return isinstance(node, ast.Name) and branches >= 2 and len(columns) == 1 and None not in columns
