"""What a prediction decided when it was made: the threshold a model's scores were cut at (kb.THRESHOLD_COMPARISONS,
kb.THRESHOLD_KEYWORDS) and the keyword arguments of the predict call (`predict(X, num_iteration=100)`). features.py
keeps them in the feature tree as `prediction.<variable>`, so a threshold edited between two runs is a decision changed:
`diff` said "features changed: none" and called the two runs repeats of one configuration. Pure."""

from __future__ import annotations

import ast
from numbers import Real
from typing import Any, Optional

from ..protocol import Step
from . import kb
from .astutil import Scope, callee_name, is_missing, keyword_values


def decisions(step: Step, stmt: Optional[ast.stmt], scope: Scope) -> dict[str, Any]:
    """{threshold, comparison, params} of a predict step's statement; {} when it decided nothing at predict time."""
    if stmt is None:
        return {}
    out: dict[str, Any] = {}
    predict_call = next((node for node in ast.walk(stmt) if isinstance(node, ast.Call)
                         and callee_name(node) == step.method), None)
    params = keyword_values(predict_call, scope) if predict_call is not None else {}
    if params:
        out["params"] = params
    scores = set(step.thresholded)  # `pred = proba > 0.3`: the inputs compared are the scores
    threshold = _compared_threshold(stmt, scope, predict_call, scores) or _keyword_threshold(stmt, scope)
    if threshold:
        out.update(threshold)
    return out


def _compared_threshold(stmt: ast.stmt, scope: Scope, predict_call: Optional[ast.Call],
                        scores: set[str]) -> dict[str, Any]:
    """`scores > 0.3` / `0.3 <= scores`: the number and the comparison, written with the scores on the left. The
    other side must be the scores (the predict call, or a variable holding them): `model.predict(X[X.age > 30])`
    compares no score."""
    def is_scores(side: ast.AST) -> bool:
        return any(node is predict_call or (isinstance(node, ast.Name) and node.id in scores)
                   for node in ast.walk(side))

    for node in ast.walk(stmt):
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            continue
        comparison = kb.THRESHOLD_COMPARISONS.get(type(node.ops[0]).__name__)
        if comparison is None:
            continue
        right, left = _number(node.comparators[0], scope), _number(node.left, scope)
        if right is not None and left is None and is_scores(node.left):
            return {"threshold": right, "comparison": comparison}
        if left is not None and right is None and is_scores(node.comparators[0]):
            return {"threshold": left, "comparison": _MIRRORED[comparison]}
    return {}


def _keyword_threshold(stmt: ast.stmt, scope: Scope) -> dict[str, Any]:
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in kb.THRESHOLD_KEYWORDS and _number(keyword.value, scope) is not None:
                    return {"threshold": _number(keyword.value, scope)}
    return {}


def _number(node: ast.AST, scope: Scope) -> Optional[float]:
    value = scope.literal(node)
    return value if not is_missing(value) and isinstance(value, Real) and not isinstance(value, bool) else None


_MIRRORED = {">": "<", ">=": "<=", "<": ">", "<=": ">="}
