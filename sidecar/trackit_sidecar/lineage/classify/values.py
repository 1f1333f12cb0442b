"""The value model of the step classifier: what an expression is (`Val`) and the operations it carries (`Op`),
plus small AST helpers every rule uses."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

# Prefix of the bindings the classifier itself writes into the carried context (see lineage/steps.py).
MARKER = "trackit:"


@dataclass
class Op:
    op: str
    inputs: list[str]
    columns: list[str] = field(default_factory=list)
    detail: Optional[str] = None
    output: Optional[str] = None  # set by inplace=True / model.fit: the receiver is mutated
    pick: bool = False  # a column pick by subscript (df[cols]): incidental when it only feeds a call
    display: bool = False  # an inspection (head/describe/...) or chained after one: no step in a bare statement


@dataclass
class Val:
    """What an expression is, as far as the classifier cares."""

    ops: list[Op] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # data names this value was computed from
    kind: Optional[str] = None  # import path, "<class>()" instance, "polars.DataFrame()", "grouped", accessor
    base: Optional[str] = None  # the variable at the root of a chain (for inplace output)
    columns: list[str] = field(default_factory=list)  # literal column names touched
    picked_column: bool = False  # df["x"]: one column taken out
    computed: bool = False  # an arithmetic / comparison result, not a stored column or frame
    shown: bool = False  # the result of an inspection call (df.describe()): what follows it only displays too


def union(*lists: list[str]) -> list[str]:
    seen: list[str] = []
    for items in lists:
        for item in items:
            if item not in seen:
                seen.append(item)
    return seen


def instance_class(kind: Optional[str]) -> Optional[str]:
    if kind and kind.endswith(")") and "(" in kind and not kind.startswith((MARKER, "grouped", "accessor:")):
        return kind[: kind.index("(")]
    return None


def instance_components(kind: str) -> list[str]:
    inner = kind[kind.index("(") + 1 : -1]
    return [part for part in inner.split(",") if part]


def short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def library_of(kind: Optional[str]) -> Optional[str]:
    cls = instance_class(kind)
    if cls:
        return cls.split(".", 1)[0]
    return None


def str_const(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def str_list(node: ast.AST) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        values = [str_const(e) for e in node.elts]
        if all(v is not None for v in values):
            return [v for v in values if v is not None]
    return None


def kwarg(call: ast.Call, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def is_true(node: Optional[ast.AST]) -> bool:
    return isinstance(node, ast.Constant) and node.value is True

