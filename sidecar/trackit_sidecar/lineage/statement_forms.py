"""What a step's statement is, read from its value where the op alone gets it worded wrongly (the op stays the
classifier's). classify/wording_facts.py sets these on the step as it is made, so render/phrases.py reads Step fields:
- `random_draw`: a random draw (`e = np.random.normal(size=n)`) is random data, not data "created with `normal`";
- `matrix_product`: a matrix product (`np.dot(X.T, X)`, `X @ w`) makes a new array: "16 -> 7 rows (-9)" read as rows
  removed;
- `row_wise`: a reduction along the columns (`df.sum(axis=1)`) is one figure per row, not an aggregate over the rows."""

from __future__ import annotations

import ast
from typing import Optional

from .kb import GROUPING_METHODS
from .kb.sources import RANDOM_DRAWS, SIMULATED_SAMPLES
from ..protocol import Step

MATRIX_PRODUCT_METHODS = frozenset({"dot", "matmul"})
ROW_WISE_AXES = (1, "columns")  # pandas' and numpy's names for "along each row"


def set_statement_forms(step: Step, value: Optional[ast.expr]) -> None:
    """Set the three fields on `step` from `value`, what its statement computes (None: it computes nothing)."""
    if step.op == "load" and (step.method in RANDOM_DRAWS or step.method in SIMULATED_SAMPLES):
        step.random_draw = "whole" if isinstance(value, ast.Call) and _callee(value) == step.method else "part"
    step.matrix_product = _matrix_product(step, value)
    step.row_wise = _row_wise(step, value)


def statement_value(node: ast.AST) -> Optional[ast.expr]:
    """What a statement computes: the right-hand side of an assignment, the expression of an expression statement,
    an expression itself; None for anything else."""
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
        return node.value
    return node if isinstance(node, ast.expr) else None


def _callee(call: ast.Call) -> Optional[str]:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _matrix_product(step: Step, value: Optional[ast.expr]) -> Optional[str]:
    """The product as written when the step's value is one; else None."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.MatMult):
        return ast.unparse(value)
    if isinstance(value, ast.Call) and _callee(value) in MATRIX_PRODUCT_METHODS and step.method in MATRIX_PRODUCT_METHODS:
        return ast.unparse(value)
    return None


def _row_wise(step: Step, value: Optional[ast.expr]) -> bool:
    """`df.sum(axis=1)`, `df.mean(axis="columns")`: the step's call reduces each row. A grouping along the columns
    (`frame.groupby(mapping, axis=1).sum()`) makes groups of columns: an aggregate, said as one."""
    if value is None or not step.method or step.method in GROUPING_METHODS:
        return False
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and _callee(node) == step.method:
            for keyword in node.keywords:
                if (keyword.arg == "axis" and isinstance(keyword.value, ast.Constant)
                        and keyword.value.value in ROW_WISE_AXES):
                    return True
    return False
