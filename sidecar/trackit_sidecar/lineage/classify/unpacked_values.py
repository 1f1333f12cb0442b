"""A column of a small table unpacked into names (`p1, p2 = gb["mean"]`, `k1, k2 = counts["sum"]` after a group-by of
two groups): each name holds one number, a value read out to compute a test with, not a column selected as data
(CONVENTIONS 9: "A single number ... is not a step"; 18's select_columns is a column kept as data). What computed the
table stays where it was computed."""

from __future__ import annotations

import ast

from .values import str_const


def unpacks_a_column(target: ast.AST, value: ast.AST) -> bool:
    """`a, b = t["col"]` / `a, b = t.col` with two or more plain names on the left: the column's values, one a name."""
    if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) >= 2
            and all(isinstance(e, ast.Name) for e in target.elts)):
        return False
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        return str_const(value.slice) is not None
    return False
