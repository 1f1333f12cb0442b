"""The accuracy of always predicting the majority class of a test target (`max(y_test.mean(), 1 - y_test.mean())`,
`y_test.value_counts(normalize=True).max()`): a baseline computed from the target alone, an evaluation that scores no
model. Its own module because two readers ask it: the step classifier (results.py: such a value is an evaluation)
and the wording of experiments (wording_facts.py: a baseline, not an experiment)."""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import models as kb_models
from .values import chain_root

TEST_TARGET = re.compile(kb_models.TEST_TARGET_NAME, re.IGNORECASE)
MAJORITY = kb_models.MAJORITY_PICKS


def null_accuracy(value: ast.AST) -> bool:
    """The accuracy of always predicting one class of a test target (kb.models.TEST_TARGET_NAME): the share of its
    most frequent class, `max(t.mean(), 1 - t.mean())` or `t.value_counts().head(1) / len(t)`, or how often it equals
    a constant class, `np.mean(t != "No")` / `(t == 1).mean()`."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "max" \
            and len(value.args) == 2 and all(_test_target_mean(arg) for arg in value.args):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div) and _majority_count(value.left) \
            and _test_target(chain_root(value.right) if not isinstance(value.right, ast.Call) or value.right.args == []
                             else chain_root(value.right.args[0])):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in MAJORITY \
            and _majority_count(value) and any(k.arg == "normalize" for k in _value_counts(value).keywords):
        return True
    if isinstance(value, ast.Subscript) and _majority_count(value) \
            and any(k.arg == "normalize" for k in _value_counts(value).keywords):
        return True
    compared = value.args[0] if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr == "mean" and len(value.args) == 1 else \
        value.func.value if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr == "mean" and not value.args else None
    return isinstance(compared, ast.Compare) and len(compared.ops) == 1 \
        and isinstance(compared.ops[0], (ast.Eq, ast.NotEq)) and (
            (_test_target(compared.left) and isinstance(compared.comparators[0], ast.Constant))
            or (_test_target(compared.comparators[0]) and isinstance(compared.left, ast.Constant)))


def _test_target(node: Optional[ast.AST]) -> bool:
    name = node.id if isinstance(node, ast.Name) else node if isinstance(node, str) else None
    return bool(name) and bool(TEST_TARGET.match(name))  # type: ignore[arg-type]


def _test_target_mean(node: ast.AST) -> bool:
    """`t.mean()` or `1 - t.mean()` of a test target."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.left, ast.Constant):
        node = node.right
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mean" \
        and not node.args and _test_target(node.func.value)


def _value_counts(node: ast.AST) -> ast.Call:
    """The value_counts call under `node` (checked by _majority_count)."""
    return next(sub for sub in ast.walk(node) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                and sub.func.attr == "value_counts")


def _majority_count(node: ast.AST) -> bool:
    """`t.value_counts().head(1)`, `.max()`, `.iloc[0]` of a test target: its most frequent class."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "iloc":
        node = node.value.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MAJORITY:
        node = node.func.value
    else:
        return False
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "value_counts" \
        and _test_target(node.func.value)
