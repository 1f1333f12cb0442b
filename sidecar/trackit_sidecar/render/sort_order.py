"""Which way a sort step's call ordered the rows, read from its statement: `ascending=False` (pandas), `descending=True`
(polars), `reverse=True` (Python's `sorted` / `list.sort`). "Sorted by `Inspection date`" then "dropped duplicate rows
by `URN`" reads as keeping each URN's earliest inspection where `ascending = False` kept the latest (bfn-ofsted 00,
cell 48)."""

from __future__ import annotations

import ast
from typing import Optional

from ..protocol import Step

# keyword -> the value that asks for largest first
_DESCENDING_WHEN = {"ascending": False, "descending": True, "reverse": True}


def _direction(call: ast.Call) -> Optional[bool]:
    """True: descending; False: ascending (said or by default); None: mixed per column or not a literal."""
    for keyword in call.keywords:
        if keyword.arg not in _DESCENDING_WHEN:
            continue
        flags = keyword.value.elts if isinstance(keyword.value, (ast.List, ast.Tuple)) else [keyword.value]
        if not all(isinstance(f, ast.Constant) and isinstance(f.value, bool) for f in flags):
            return None
        descending = {f.value == _DESCENDING_WHEN[keyword.arg] for f in flags}  # type: ignore[attr-defined]
        return descending.pop() if len(descending) == 1 else None
    return False


def is_descending(step: Step) -> bool:
    """Whether every call of the step's method in its statement sorts largest first (a statement that sorts twice,
    differently, says nothing)."""
    if not step.code or not step.method:
        return False
    try:
        tree = ast.parse(step.code)
    except SyntaxError:
        return False
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == step.method)
        or (isinstance(node.func, ast.Name) and node.func.id == step.method))]
    directions = {_direction(call) for call in calls}
    return directions == {True}
