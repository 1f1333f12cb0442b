"""Rows parted into a train part and a held-out part by a notebook function (pure functions over `ast`):
what-is-a-step.md, "a hand-written split function that returns train and test sets: split"; CONVENTIONS 16 ("a
positional train/test slice", one split per output): `return d[:n], d[n:]`, the rows before and after one position.

(A mask and its complement, `train = df[df.d < cut]` / `test = df[df.d >= cut]`, stay two filter_rows: CONVENTIONS 16
lists positional slices, not masks, and the project corpus' timeseries_sales labels them so. A fold column is the
exception: `df[df.kfold != fold]` / `df[df.kfold == fold]` select a KFold's parts, which 16 counts as splits.)
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..kb import models as kb_models
from .values import str_const

FOLD_COLUMN = re.compile(kb_models.FOLD_COLUMN_NAME, re.IGNORECASE)


def returns_positional_parts(value: ast.AST) -> bool:
    """`d[:n], d[n:]` / `X[:cut], X[cut:], y[:cut], y[cut:]`: rows of the same data cut at one position, before and
    after it."""
    if not isinstance(value, ast.Tuple) or len(value.elts) < 2:
        return False
    cuts: dict[str, set[str]] = {}
    for part in value.elts:
        if isinstance(part, ast.Subscript) and isinstance(part.value, ast.Attribute) and part.value.attr == "iloc":
            part = ast.Subscript(value=part.value.value, slice=part.slice)
        if not (isinstance(part, ast.Subscript) and isinstance(part.value, ast.Name) and isinstance(part.slice, ast.Slice)
                and part.slice.step is None and (part.slice.lower is None) != (part.slice.upper is None)):
            return False
        bound = part.slice.upper if part.slice.upper is not None else part.slice.lower
        cuts.setdefault(part.value.id, set()).add(("upper:" if part.slice.upper is not None else "lower:") + ast.dump(bound))
    return all(len(sides) == 2 and len({side.split(":", 1)[1] for side in sides}) == 1 for sides in cuts.values())


def cut_at_a_fold(value: ast.AST) -> Optional[str]:
    """The fold column whose (in)equality with the fold at hand picks the rows the value starts from: `df[df.kfold !=
    fold]`, `train[train["fold"] == FOLD].copy()`, `df[df.kfold == cfg.fold].reset_index(drop=True)` (the fold a name, a
    loop's or a function's; the tables' FOLD_COLUMN_NAME), else None."""
    compared = one_comparison(value)
    if compared is None:
        return None
    column, op, bound = compared
    fold = isinstance(bound, ast.Name) or (isinstance(bound, ast.Attribute) and isinstance(bound.value, ast.Name))
    return column if fold and isinstance(op, (ast.Eq, ast.NotEq)) and FOLD_COLUMN.match(column) else None


def one_comparison(value: ast.AST) -> Optional[tuple[str, ast.cmpop, ast.expr]]:
    """(column, operator, bound) of the one comparison `data[data.<column> <op> <bound>]` that picks the rows the value
    starts from (through the calls and attributes chained after it), else None."""
    node = value
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Compare):
            node = node.value
        else:
            break
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Compare) and len(node.slice.ops) == 1):
        return None
    column, bound = node.slice.left, node.slice.comparators[0]
    if not isinstance(column, (ast.Attribute, ast.Subscript)) or not isinstance(column.value, ast.Name):
        return None
    name = column.attr if isinstance(column, ast.Attribute) else str_const(column.slice)
    return (name, node.slice.ops[0], bound) if name else None


def fold_rows(value: ast.AST) -> bool:
    """`trn_idx = folds[folds["fold"] != fold].index`: the labels of one fold's training (or validation) rows, picked at
    the fold column, which `folds.loc[trn_idx]` then takes as a KFold's positions are (env_markers.FOLD_ROWS_MARKER)."""
    return isinstance(value, ast.Attribute) and value.attr == "index" and cut_at_a_fold(value.value) is not None
