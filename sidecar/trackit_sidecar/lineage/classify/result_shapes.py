"""How a result value is written, whatever it holds: kept as it is (`scores`, `res.resid`, `confusion[1, 1]`), put in a
table as it is (`pd.Series(scores)`), or re-expressed (`-score`, `acc * 100`). Shapes of an expression alone, read by
the rules on a model's results (results.py, result_roles.py) and on what a cell shows (expression_statements.py)."""

from __future__ import annotations

import ast
import math

from .values import is_number

WRAPPERS = frozenset({"DataFrame", "Series", "array", "asarray"})  # constructors that wrap one value as it is
# Python builtins that keep a number's value, only rounded or made a Python number (`round(x, 3)`, `float(x)`)
VALUE_KEEPING_BUILTINS = frozenset({"round", "float"})


def reexpressed_result(node: ast.AST) -> bool:
    """`-score`, `acc * 100`, `100 * r2`, `mae * 1e6`, `-1 * scores["test_score"]`: one value as it was kept (a name,
    or a part of one), negated or put in percent or another power of ten. Not `p / 2` (a one-sided p-value: a new
    test result) nor `2 * std` (a band). Rounded (`round(acc * 100, 1)`) it is the same value re-expressed."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in VALUE_KEEPING_BUILTINS \
            and len(node.args) in (1, 2) and not node.keywords:
        return reexpressed_result(node.args[0])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return reexpressed_result(node.operand) or plain_reference(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        if _sign_or_power_of_ten(node.right):
            return reexpressed_result(node.left) or plain_reference(node.left)
        if _sign_or_power_of_ten(node.left) and isinstance(node.op, ast.Mult):
            return reexpressed_result(node.right) or plain_reference(node.right)
    return False


def _sign_or_power_of_ten(node: ast.AST) -> bool:
    """-1, 100, 100.0, 1e6: a number that changes only a value's sign or its unit."""
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) and node.operand.value == 1
    if not (is_number(node) and isinstance(node, ast.Constant)) or node.value <= 1:
        return False
    exponent = math.log10(node.value)
    return abs(exponent - round(exponent)) < 1e-9


def wraps_a_reference(node: ast.AST) -> bool:
    """`pd.DataFrame(cm.T, index=labels, columns=labels)`, `pd.Series(scores)`: one value put in a table, the same
    value (CONVENTIONS 12: a container conversion)."""
    return isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)) and len(node.args) == 1 \
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in WRAPPERS \
        and plain_reference(node.args[0])


def receiver_of_calls(node: ast.AST) -> ast.AST:
    """`coef.reindex(order).rename(names)` -> `coef`: what a chain of method calls is called on."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node


def plain_reference(node: ast.AST) -> bool:
    """`scores`, `confusion[1, 1]`, `res.resid`, `scores["test_score"]`: the value itself, kept under a name, or a part
    of it read as it is, nothing computed."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return isinstance(node, ast.Name)
