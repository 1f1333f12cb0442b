"""What a step's statement is, read from its code where the op alone gets it worded wrongly (the op stays the
classifier's; render/phrases.py words these):
- a random draw (`e = np.random.normal(size=n)`) is random data, not data "created with `normal`";
- a matrix product (`np.dot(X.T, X)`, `X @ w`) makes a new array: "16 -> 7 rows (-9)" read as rows removed;
- a reduction along the columns (`df.sum(axis=1)`) is one figure per row, not an aggregate over the rows."""

from __future__ import annotations

import ast
from typing import Optional

from .kb import GROUPING_METHODS
from .kb.sources import RANDOM_DRAWS
from ..protocol import Step

MATRIX_PRODUCT_METHODS = frozenset({"dot", "matmul"})
ROW_WISE_AXES = (1, "columns")  # pandas' and numpy's names for "along each row"


def _value(step: Step) -> Optional[ast.expr]:
    """The value the statement computes: the right-hand side of an assignment, else the expression."""
    if not step.code:
        return None
    try:
        tree = ast.parse(step.code)
    except SyntaxError:
        return None
    statement = tree.body[0] if len(tree.body) == 1 else None
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
        return statement.value
    return None


def _callee(call: ast.Call) -> Optional[str]:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def is_random_draw(step: Step) -> bool:
    """A load of values drawn at random (`np.random.normal`, `rng.integers`)."""
    return step.op == "load" and step.method in RANDOM_DRAWS


def draw_is_the_whole_value(step: Step) -> bool:
    """`e = np.random.normal(size=n)`: the draw is what the statement assigns (not `y_true + sig * np.random...`)."""
    value = _value(step)
    return isinstance(value, ast.Call) and _callee(value) == step.method


def matrix_product(step: Step) -> Optional[str]:
    """The product as written (`np.dot(norm_x.T, norm_x)`, `X @ w`) when the step's value is one; else None."""
    value = _value(step)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.MatMult):
        return ast.unparse(value)
    if isinstance(value, ast.Call) and _callee(value) in MATRIX_PRODUCT_METHODS and step.method in MATRIX_PRODUCT_METHODS:
        return ast.unparse(value)
    return None


def is_row_wise(step: Step) -> bool:
    """`df.sum(axis=1)`, `df.mean(axis="columns")`: the step's call reduces each row. A grouping along the columns
    (`frame.groupby(mapping, axis=1).sum()`) makes groups of columns: an aggregate, said as one."""
    value = _value(step)
    if value is None or not step.method or step.method in GROUPING_METHODS:
        return False
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and _callee(node) == step.method:
            for keyword in node.keywords:
                if (keyword.arg == "axis" and isinstance(keyword.value, ast.Constant)
                        and keyword.value.value in ROW_WISE_AXES):
                    return True
    return False
